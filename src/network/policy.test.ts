// Cases after the NetworkPolicy concept page and kube-network-policies' evaluator tests: default
// deny, pod and namespace selectors (alone and together), ipBlock with except, ports (numbers,
// ranges, names), egress with DNS, and the node's own traffic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import type { KObject } from "../api/types.ts";
import { cidrContains, NetworkPolicies, type Peer } from "./policy.ts";

function setup(...policies: string[]): { np: NetworkPolicies; peer: (name: string, ns: string, labels: Record<string, string>, ip: string, extra?: Partial<KObject["spec"]>) => Peer } {
  const c = new Cluster();
  c.applySync("apiVersion: v1\nkind: Namespace\nmetadata: {name: other, labels: {team: blue}}\n");
  for (const p of policies) c.applySync(p);
  const np = new NetworkPolicies(c.ctx);
  const peer = (name: string, ns: string, labels: Record<string, string>, ip: string, extra = {}) =>
    np.peerOf({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: ns, labels },
      spec: { containers: [{ name: "c", ports: [{ name: "http", containerPort: 8080 }] }], ...extra },
      status: { podIP: ip },
    } as KObject);
  return { np, peer };
}

const policy = (spec: string, ns = "default") => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${Math.abs(hash(spec))}, namespace: ${ns}}\nspec:\n${spec}`;
function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

test("cidrContains", () => {
  assert.ok(cidrContains("10.244.0.0/16", "10.244.3.7"));
  assert.ok(!cidrContains("10.244.0.0/16", "10.245.0.1"));
  assert.ok(cidrContains("0.0.0.0/0", "1.2.3.4"));
  assert.ok(cidrContains("10.0.0.5/32", "10.0.0.5"));
  assert.ok(!cidrContains("fd00::/8", "10.0.0.5"));
});

test("no policy: everything flows; a pod no policy selects is not isolated", () => {
  const { np, peer } = setup(policy("  podSelector: {matchLabels: {app: db}}\n  policyTypes: [Ingress]\n"));
  assert.ok(np.allowed(peer("a", "default", {}, "10.244.0.2"), peer("web", "default", { app: "web" }, "10.244.0.3"), 80));
});

test("default deny ingress: nothing gets in, the node's own traffic (probes) does", () => {
  const { np, peer } = setup(policy("  podSelector: {}\n  policyTypes: [Ingress]\n"));
  const web = peer("web", "default", { app: "web" }, "10.244.0.3");
  assert.ok(!np.allowed(peer("a", "default", {}, "10.244.0.2"), web, 80));
  assert.ok(!np.allowed({ ip: "" }, web, 80), "an outside client");
  // the source being the node: the network does not consult policies (see network.ts: no source)
  assert.ok(np.allowed(peer("a", "other", {}, "10.244.1.2"), peer("x", "other", {}, "10.244.1.3"), 80), "another namespace is not isolated");
});

test("podSelector peers are the policy's namespace; namespaceSelector alone any pod there; both, those pods there", () => {
  const { np, peer } = setup(
    policy(`  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {role: api}}
  - from:
    - namespaceSelector: {matchLabels: {team: blue}}
      podSelector: {matchLabels: {role: batch}}
`),
  );
  const db = peer("db", "default", { app: "db" }, "10.244.0.9");
  assert.ok(np.allowed(peer("api", "default", { role: "api" }, "10.244.0.2"), db, 5432));
  assert.ok(!np.allowed(peer("api", "other", { role: "api" }, "10.244.1.2"), db, 5432), "podSelector alone: same namespace only");
  assert.ok(np.allowed(peer("job", "other", { role: "batch" }, "10.244.1.3"), db, 5432));
  assert.ok(!np.allowed(peer("job", "default", { role: "batch" }, "10.244.0.3"), db, 5432), "default has no team=blue");
});

test("ipBlock with except; ports by number, range and name with protocol", () => {
  const { np, peer } = setup(
    policy(`  podSelector: {}
  ingress:
  - from:
    - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
    ports:
    - {protocol: TCP, port: 6379}
    - {protocol: TCP, port: 32000, endPort: 32768}
    - {port: http}
`),
  );
  const dst = peer("db", "default", {}, "10.244.0.9");
  assert.ok(np.allowed({ ip: "172.17.0.4" }, dst, 6379));
  assert.ok(!np.allowed({ ip: "172.17.1.4" }, dst, 6379), "except");
  assert.ok(np.allowed({ ip: "172.17.0.4" }, dst, 32100), "in the range");
  assert.ok(!np.allowed({ ip: "172.17.0.4" }, dst, 32769));
  assert.ok(np.allowed({ ip: "172.17.0.4" }, dst, 8080), "the named port http");
  assert.ok(!np.allowed({ ip: "172.17.0.4" }, dst, 6379, "UDP"), "protocol");
});

test("egress: the source's policies decide too; DNS needs a rule to kube-dns", () => {
  const { np, peer } = setup(
    policy(`  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector: {matchLabels: {app: web}}
    ports: [{port: 80}]
`),
  );
  const client = peer("client", "default", { app: "client" }, "10.244.0.2");
  assert.ok(np.allowed(client, peer("web", "default", { app: "web" }, "10.244.0.3"), 80));
  assert.ok(!np.allowed(client, peer("web", "default", { app: "web" }, "10.244.0.3"), 443));
  assert.ok(!np.allowed(client, peer("db", "default", { app: "db" }, "10.244.0.4"), 80));
  assert.ok(!np.dnsAllowed(client.pod!), "no rule reaches the cluster DNS");
  const withDns = setup(
    policy(`  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`),
  );
  assert.ok(withDns.np.dnsAllowed(withDns.peer("c", "default", {}, "10.244.0.2").pod!));
});

test("hostNetwork pods are not isolated and match no pod selector", () => {
  const { np, peer } = setup(policy("  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {}\n"));
  const host = peer("h", "default", {}, "192.168.0.2", { hostNetwork: true });
  assert.ok(!np.allowed(host, peer("web", "default", {}, "10.244.0.3"), 80));
  assert.ok(np.allowed(peer("a", "default", {}, "10.244.0.2"), host, 80));
});
