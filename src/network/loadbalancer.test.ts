import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { announcingNode, serviceByLoadBalancerIP } from "./loadbalancer.ts";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: servicel2statuses.metallb.io}
spec:
  group: metallb.io
  names: {kind: ServiceL2Status, listKind: ServiceL2StatusList, plural: servicel2statuses, singular: servicel2status}
  scope: Namespaced
  versions:
  - name: v1beta1
    served: true
    storage: true
    subresources: {status: {}}
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

test("a Service's load-balancer address: ipMode VIP (or none) is kube-proxy's, Proxy is not; a ClusterIP Service has none", () => {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: proxied}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n");
  const setStatus = (name: string, ingress: object[]) => {
    const s = structuredClone(c.api.get("Service", "default", name)!);
    s.status = { loadBalancer: { ingress } };
    c.api.update(s, { subresource: "status" });
  };
  setStatus("lb", [{ ip: "172.18.255.200" }]);
  setStatus("proxied", [{ ip: "172.18.255.201", ipMode: "Proxy" }]);
  // The API server defaults the ipMode of an address (LoadBalancerIPMode, on in v1.32).
  assert.deepEqual(c.api.get("Service", "default", "lb")!.status.loadBalancer.ingress, [{ ip: "172.18.255.200", ipMode: "VIP" }]);
  assert.equal(serviceByLoadBalancerIP(c.ctx, "172.18.255.200")?.metadata.name, "lb");
  assert.equal(serviceByLoadBalancerIP(c.ctx, "172.18.255.201"), undefined);
  assert.equal(serviceByLoadBalancerIP(c.ctx, "172.18.255.202"), undefined);
});

test("the announcing node: the ServiceL2Status naming the Service and an existing node; none without the CRD", () => {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "n1" }, { name: "n2" }]);
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n");
  const svc = c.api.get("Service", "default", "web")!;
  assert.equal(announcingNode(c.ctx, svc), undefined);
  c.applySync(CRD);
  c.advanceSync(1_000);
  const add = (name: string, node: string, service: string) => {
    const o = c.api.create({ apiVersion: "metallb.io/v1beta1", kind: "ServiceL2Status", metadata: { name, namespace: "metallb-system" } } as never);
    c.api.update({ ...o, status: { node, serviceName: service, serviceNamespace: "default" } }, { subresource: "status" });
  };
  c.kubectlSync("create namespace metallb-system");
  add("l2-other", "n1", "other");
  assert.equal(announcingNode(c.ctx, svc), undefined);
  add("l2-gone", "n9", "web");
  assert.equal(announcingNode(c.ctx, svc), undefined);
  add("l2-web", "n2", "web");
  assert.equal(announcingNode(c.ctx, svc), "n2");
});
