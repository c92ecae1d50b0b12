// Service types as the API server and kube-proxy give them: NodePort allocation and its errors,
// NodePort traffic through any node, LoadBalancer's node ports, ExternalName as a CNAME.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { clusterNetwork } from "./network.ts";
import { NODE_PORT_MAX, NODE_PORT_MIN } from "../api/registry/core/service/alloc.ts";

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`;

function get(c: Cluster, url: string): string {
  let out = "";
  clusterNetwork(c.ctx).http({ method: "GET", url, timeoutMs: 2000 }, (o) => (out = o.ok ? `${o.status} ${o.body.slice(0, 40)}` : `${o.kind}: ${o.error}`), { source: "external" });
  c.advanceSync(3000);
  return out;
}

test("NodePort: allocated from the dynamic band, kept on re-apply, validated when requested", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }, { name: "n2" }]);
  c.applySync(WEB + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}\n");
  const port = c.ctx.api.get("Service", "default", "np")!.spec.ports[0].nodePort;
  assert.ok(port >= NODE_PORT_MIN + 86 && port <= NODE_PORT_MAX, String(port));
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}\n");
  assert.equal(c.ctx.api.get("Service", "default", "np")!.spec.ports[0].nodePort, port, "kept");
  const out = c.kubectlSync(`create -f -`, `apiVersion: v1\nkind: Service\nmetadata: {name: clash}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: ${port}}]}\n`);
  assert.match(out.stderr, new RegExp(`spec.ports\\[0\\].nodePort: Invalid value: ${port}: provided port is already allocated`));
  const low = c.kubectlSync(`create -f -`, "apiVersion: v1\nkind: Service\nmetadata: {name: low}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 8080}]}\n");
  assert.match(low.stderr, /provided port is not in the valid range. The range of valid ports is 30000-32767/);
  c.advanceSync(30_000);
  // Every node forwards its node port to the Service's pods.
  for (const ip of ["172.18.0.3", "172.18.0.4"]) assert.match(get(c, `http://${ip}:${port}/`), /^200 <!DOCTYPE html>/);
  assert.match(get(c, `http://172.18.0.3:${port === 32000 ? 32001 : 32000}/`), /^refused: /);
});

test("LoadBalancer: node ports too (unless allocateLoadBalancerNodePorts is false); EXTERNAL-IP pending", () => {
  const c = new Cluster();
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: lb2}\nspec: {type: LoadBalancer, allocateLoadBalancerNodePorts: false, selector: {app: web}, ports: [{port: 80}]}\n");
  assert.ok(c.ctx.api.get("Service", "default", "lb")!.spec.ports[0].nodePort >= NODE_PORT_MIN);
  assert.equal(c.ctx.api.get("Service", "default", "lb2")!.spec.ports[0].nodePort, undefined);
  assert.match(c.kubectlSync("get svc lb").stdout, /lb\s+LoadBalancer\s+10\.\S+\s+<pending>\s+80:3\d{4}\/TCP/);
});

test("ExternalName: the name resolves as its external name does", () => {
  const c = new Cluster();
  clusterNetwork(c.ctx).externalHosts.declare("my.database.example.com", { "/": "db says hi" });
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: my.database.example.com}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: nowhere}\nspec: {type: ExternalName, externalName: no.such.example}\n");
  const net = clusterNetwork(c.ctx);
  assert.equal(net.resolve("ext"), net.resolve("my.database.example.com"));
  assert.equal(net.resolve("ext.default.svc.cluster.local"), net.resolve("my.database.example.com"));
  assert.equal(net.resolve("nowhere"), undefined);
  assert.equal(get(c, "http://ext/"), "200 db says hi");
});
