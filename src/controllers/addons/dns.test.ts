import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { COREDNS_IMAGE, COREFILE, installCoreDNSAddon } from "./dns.ts";

test("kubeadm's DNS add-on: its objects in kubeadm's order, kube-dns at 10.96.0.10, two ready CoreDNS pods", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  assert.deepEqual(installCoreDNSAddon(c.api), [
    "ConfigMap/coredns",
    "ClusterRole/system:coredns",
    "ClusterRoleBinding/system:coredns",
    "ServiceAccount/coredns",
    "Deployment/coredns",
    "Service/kube-dns",
  ]);
  // Installed once: a second run creates nothing.
  assert.deepEqual(installCoreDNSAddon(c.api), []);
  const svc = c.api.get("Service", "kube-system", "kube-dns")!;
  assert.equal(svc.spec.clusterIP, "10.96.0.10");
  assert.deepEqual(svc.spec.ports.map((p: { name: string; port: number; protocol: string }) => `${p.name} ${p.port}/${p.protocol}`), ["dns 53/UDP", "dns-tcp 53/TCP", "metrics 9153/TCP"]);
  assert.equal(c.api.get("ConfigMap", "kube-system", "coredns")!.data.Corefile, COREFILE);
  c.advanceSync(30_000);
  const pods = c.api.list("Pod", { namespace: "kube-system" });
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.equal(p.spec.containers[0].image, COREDNS_IMAGE);
    assert.equal(p.spec.priority, 2000000000);
    assert.ok(p.status.conditions.some((k: { type: string; status: string }) => k.type === "Ready" && k.status === "True"), p.metadata.name);
  }
  // Names resolve as before, now with the kube-dns Service's endpoints the pods'.
  assert.equal(c.kubectlSync("get ep kube-dns -n kube-system -o jsonpath={.subsets[0].addresses[*].ip}").stdout, "10.244.0.2 10.244.0.3");
});

test("10.96.0.10 stays reserved for kube-system/kube-dns", () => {
  const c = new Cluster();
  const r = c.kubectlSync("apply -f -", "apiVersion: v1\nkind: Service\nmetadata:\n  name: mine\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n  - port: 53\n");
  assert.match(r.stderr, /failed to allocate IP 10\.96\.0\.10: provided IP is already allocated/);
});
