import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const ING = (name: string, cls?: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}}
spec:
${cls ? `  ingressClassName: ${cls}\n` : ""}  defaultBackend: {service: {name: web, port: {number: 80}}}
`;

test("ingress-nginx: its default IngressClass, and its Ingresses' address at the next 60 s status sync", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "b-node" }, { name: "a-node" }]);
  const cls = c.ctx.api.get("IngressClass", undefined, "nginx")!;
  assert.equal(cls.spec.controller, "k8s.io/ingress-nginx");
  assert.equal(cls.metadata.annotations?.["ingressclass.kubernetes.io/is-default-class"], "true");
  c.advanceSync(20_000);
  c.applySync(ING("mine", "nginx") + "---\n" + ING("classless") + "---\n" + ING("other", "traefik"));
  c.advanceSync(39_000);
  assert.equal(c.ctx.api.get("Ingress", "default", "mine")!.status?.loadBalancer?.ingress, undefined);
  c.advanceSync(1_000);
  const a = c.ctx.api.list("Node").find((n) => n.metadata.name === "a-node")!.status.addresses.find((x: { type: string }) => x.type === "InternalIP").address;
  assert.deepEqual(c.ctx.api.get("Ingress", "default", "mine")!.status.loadBalancer.ingress, [{ ip: a }]);
  assert.deepEqual(c.ctx.api.get("Ingress", "default", "classless")!.status.loadBalancer.ingress, [{ ip: a }]);
  assert.equal(c.ctx.api.get("Ingress", "default", "other")!.status?.loadBalancer?.ingress, undefined);
  assert.match(c.kubectlSync("get ingress mine").stdout, new RegExp(`mine\\s+nginx\\s+\\*\\s+${a.replace(/\./g, "\\.")}\\s+80\\s`));
});
