import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { ClientEvents, desiredIPs, electedNode, filteredByClass } from "./metallb.ts";
import { authorizedApi } from "../../api/authorization/filter.ts";
import { numberToIP } from "./metallbconfig.ts";

const MANIFEST = readFileSync(new URL("../../../exercises/apps/metallb/metallb-native.yaml", import.meta.url), "utf8");
const POOL = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: example, namespace: metallb-system}\nspec: {addresses: [172.18.255.200-172.18.255.201]}\n---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: empty, namespace: metallb-system}\n";

function installed(): Cluster {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "n1" }, { name: "n2" }]);
  c.applySync(MANIFEST);
  c.advanceSync(60_000);
  return c;
}

const svc = (spec: Record<string, unknown>, annotations?: Record<string, string>): KObject => ({ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default", ...(annotations ? { annotations } : {}) }, spec }) as KObject;

test("filterByLoadBalancerClass: without --lb-class only Services without a class; with one, only that class", () => {
  assert.equal(filteredByClass(svc({}), ""), false);
  assert.equal(filteredByClass(svc({ loadBalancerClass: "x" }), ""), true);
  assert.equal(filteredByClass(svc({}), "x"), true);
  assert.equal(filteredByClass(svc({ loadBalancerClass: "x" }), "x"), false);
  assert.equal(filteredByClass(svc({ loadBalancerClass: "y" }), "x"), true);
});

test("getDesiredLbIPs: the annotation (new or deprecated name) or spec.loadBalancerIP, not both; invalid addresses", () => {
  const ips = (s: KObject) => {
    const r = desiredIPs(s);
    return r instanceof Error ? r.message : r.map(numberToIP);
  };
  assert.deepEqual(ips(svc({})), []);
  assert.deepEqual(ips(svc({ loadBalancerIP: "1.2.3.4" })), ["1.2.3.4"]);
  assert.deepEqual(ips(svc({}, { "metallb.io/loadBalancerIPs": "1.2.3.4, 1.2.3.5" })), ["1.2.3.4", "1.2.3.5"]);
  assert.deepEqual(ips(svc({}, { "metallb.universe.tf/loadBalancerIPs": "1.2.3.6" })), ["1.2.3.6"]);
  assert.equal(ips(svc({ loadBalancerIP: "1.2.3.4" }, { "metallb.io/loadBalancerIPs": "1.2.3.4" })), "service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP");
  assert.equal(ips(svc({}, { "metallb.io/loadBalancerIPs": "1.2.3.x" })), 'invalid metallb.io/loadBalancerIPs: "1.2.3.x"');
  assert.equal(ips(svc({ loadBalancerIP: "nope" })), 'invalid spec.loadBalancerIP "nope"');
});

test("the layer-2 election: the node whose SHA-256 of `node#ip` sorts first, whatever the order given", () => {
  const nodes = ["kind-worker", "kind-worker2", "kind-worker3"];
  const hash = (n: string) => createHash("sha256").update(`${n}#172.18.255.200`).digest("hex");
  const want = [...nodes].sort((a, b) => (hash(a) < hash(b) ? -1 : 1))[0];
  assert.equal(electedNode(nodes, "172.18.255.200"), want);
  assert.equal(electedNode([...nodes].reverse(), "172.18.255.200"), want);
  assert.equal(electedNode([], "172.18.255.200"), undefined);
});

test("the controller creates the memberlist Secret owned by its Deployment, fills the webhook Secret and injects the CA", () => {
  const c = installed();
  const ml = c.api.get("Secret", "metallb-system", "memberlist")!;
  assert.equal(ml.metadata.ownerReferences?.[0]?.kind, "Deployment");
  assert.equal(ml.metadata.ownerReferences?.[0]?.name, "controller");
  // 16 bytes, unpadded base64 (22 characters), itself base64-encoded in the Secret's data.
  assert.match(Buffer.from(ml.data.secretkey, "base64").toString(), /^[A-Za-z0-9+/]{22}$/);
  const cert = c.api.get("Secret", "metallb-system", "metallb-webhook-cert")!;
  assert.deepEqual(Object.keys(cert.data).sort(), ["ca.crt", "ca.key", "tls.crt", "tls.key"]);
  const vwc = c.api.get("ValidatingWebhookConfiguration", undefined, "metallb-webhook-configuration")!;
  assert.ok(vwc.webhooks.every((w: { clientConfig: { caBundle?: string } }) => w.clientConfig.caBundle === cert.data["ca.crt"]));
  const crd = c.api.get("CustomResourceDefinition", undefined, "bgppeers.metallb.io")!;
  assert.equal(crd.spec.conversion.webhook.clientConfig.caBundle, cert.data["ca.crt"]);
  // Re-applying the manifest wipes the CA bundle; the rotator puts it back.
  c.applySync(MANIFEST);
  c.advanceSync(1_000);
  assert.equal(c.api.get("ValidatingWebhookConfiguration", undefined, "metallb-webhook-configuration")!.webhooks[0].clientConfig.caBundle, cert.data["ca.crt"]);
});

test("allocation writes the status (ipMode VIP) and the pool annotation in one status update; a speaker announces once endpoints serve", () => {
  const c = installed();
  c.applySync(POOL);
  c.kubectlSync("create deployment web --image=nginx");
  c.kubectlSync("expose deployment web --port=80 --type=LoadBalancer");
  c.advanceSync(1);
  const s = c.api.get("Service", "default", "web")!;
  assert.deepEqual(s.status.loadBalancer, { ingress: [{ ip: "172.18.255.200", ipMode: "VIP" }] });
  assert.equal(s.metadata.annotations?.["metallb.io/ip-allocated-from-pool"], "example");
  const reasons = () => c.api.list("Event", { namespace: "default" }).filter((e) => e.involvedObject.name === "web" && e.involvedObject.kind === "Service").map((e) => `${e.source.component} ${e.reason} ${e.message}`);
  assert.deepEqual(reasons(), ['metallb-controller IPAllocated Assigned IP ["172.18.255.200"]']);
  c.advanceSync(15_000);
  const announced = reasons().filter((r) => r.includes("nodeAssigned"));
  assert.equal(announced.length, 1);
  const node = electedNode(["n1", "n2"], "172.18.255.200");
  assert.equal(announced[0], `metallb-speaker nodeAssigned announcing from node "${node}" with protocol "layer2"`);
  const st = c.api.list("servicel2statuses.metallb.io", { namespace: "metallb-system" });
  assert.equal(st.length, 1);
  assert.deepEqual(st[0]!.status, { node, serviceName: "web", serviceNamespace: "default" });
  assert.match(st[0]!.metadata.name!, /^l2-[a-z0-9]{5}$/);
  // The Service deleted: the address is free, the speaker withdraws and deletes its status.
  c.kubectlSync("delete service web");
  c.advanceSync(1_000);
  assert.equal(c.api.list("servicel2statuses.metallb.io", { namespace: "metallb-system" }).length, 0);
  c.kubectlSync("create service loadbalancer other --tcp=80:80");
  c.advanceSync(1);
  assert.equal(c.api.get("Service", "default", "other")!.status.loadBalancer.ingress[0].ip, "172.18.255.200");
});

test("the webhook: the pool's namespace, overlaps with the namespace's other pools, an update that overlaps nothing", () => {
  const c = installed();
  c.applySync(POOL);
  const apply = (y: string) => {
    const r = c.kubectlSync(["apply", "-f", "-"], y);
    return (r.stdout + r.stderr).trim();
  };
  assert.equal(apply("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: two, namespace: metallb-system}\nspec: {addresses: [172.18.255.201/32]}\n"), 'Error from server (Forbidden): error when creating "STDIN": admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: CIDR "172.18.255.201/32" in pool "two" overlaps with already defined CIDR "172.18.255.200/31"');
  assert.equal(apply("apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: l2, namespace: default}\n"), 'Error from server (Forbidden): error when creating "STDIN": admission webhook "l2advertisementvalidationwebhook.metallb.io" denied the request: resource must be created in metallb-system namespace');
  // The pool itself changed: compared with the others, not with its old self.
  assert.equal(apply("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: example, namespace: metallb-system}\nspec: {addresses: [172.18.255.200/30]}\n"), "ipaddresspool.metallb.io/example configured");
});

test("externalTrafficPolicy Local: the speaker of the endpoint's node announces; without a serving endpoint, none does", () => {
  const c = installed();
  c.applySync(POOL);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  nodeName: n2\n  containers: [{name: c, image: nginx}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80}]}\n");
  c.advanceSync(15_000);
  const st = () => c.api.list("servicel2statuses.metallb.io", { namespace: "metallb-system" }).map((s) => s.status.node);
  assert.deepEqual(st(), ["n2"]);
  c.kubectlSync("delete pod web --grace-period=0 --force");
  c.advanceSync(2_000);
  assert.deepEqual(st(), []);
});

test("events as client-go's recorder writes them with create and patch only (the manifests' RBAC): a repeat patches count and lastTimestamp, a deleted Event comes back under its name", () => {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ev}\nrules: [{apiGroups: [\"\"], resources: [events], verbs: [create, patch]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ev}\nsubjects: [{kind: User, name: recorder}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n");
  const client = authorizedApi(c.api, { name: "recorder", groups: ["system:authenticated"] });
  const ev = new ClientEvents(client, "metallb-speaker");
  const svcObj = c.api.get("Service", "default", "web")!;
  const mine = () => c.api.list("Event", { namespace: "default" }).filter((e) => e.source?.component === "metallb-speaker");
  ev.record(svcObj, "Normal", "nodeAssigned", 'announcing from node "n1" with protocol "layer2"');
  c.advanceSync(5_000);
  ev.record(svcObj, "Normal", "nodeAssigned", 'announcing from node "n1" with protocol "layer2"');
  assert.equal(mine().length, 1);
  const e = mine()[0]!;
  assert.equal(e.count, 2);
  assert.equal(e.reportingComponent, "metallb-speaker");
  assert.deepEqual([e.firstTimestamp, e.lastTimestamp], ["2024-01-08T00:00:00Z", "2024-01-08T00:00:05Z"]);
  c.api.delete("Event", "default", e.metadata.name!);
  ev.record(svcObj, "Normal", "nodeAssigned", 'announcing from node "n1" with protocol "layer2"');
  assert.deepEqual(mine().map((x) => [x.metadata.name, x.count, x.firstTimestamp]), [[e.metadata.name, 3, "2024-01-08T00:00:00Z"]]);
  // Another message is another Event.
  ev.record(svcObj, "Normal", "nodeAssigned", 'announcing from node "n2" with protocol "layer2"');
  assert.equal(mine().length, 2);
});
