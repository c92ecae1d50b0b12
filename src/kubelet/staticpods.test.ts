// Static pods end to end on a simulated cluster (pkg/kubelet/kubelet.go's handling of the file
// source and mirror pods, pod/mirror_client.go, status_manager.go's mirror pod translation).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { runOnNode } from "./inspect.ts";
import { nodeOperations } from "../nodeops.ts";
import { isMirrorPod, isMirrorPodOf, runtimePodUid } from "./pod/mirror_client.ts";

const WEB = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\n  labels:\n    role: myrole\nspec:\n  containers:\n    - name: web\n      image: nginx\n";
const PATH = "/etc/kubernetes/manifests/static-web.yaml";

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  return c;
}

function write(c: Cluster, text: string, path = PATH): void {
  const r = runOnNode(c.ctx, "node1", `cat > ${path} <<'EOF'\n${text}EOF`);
  assert.equal(r.exitCode, 0, r.stdout);
}

const mirror = (c: Cluster) => c.get("Pod", "static-web-node1");
const getPods = (c: Cluster) => c.kubectlSync("get pods").stdout + c.kubectlSync("get pods").stderr;

test("a manifest in /etc/kubernetes/manifests runs as a static pod; the API server has its mirror pod, owned by the Node", () => {
  const c = cluster();
  write(c, WEB);
  c.advanceSync(10_000);
  const m = mirror(c)!;
  assert.ok(m);
  const a = m.metadata.annotations!;
  assert.equal(a["kubernetes.io/config.source"], "file");
  assert.match(a["kubernetes.io/config.hash"]!, /^[0-9a-f]{32}$/);
  assert.equal(a["kubernetes.io/config.mirror"], a["kubernetes.io/config.hash"]);
  assert.equal(a["kubernetes.io/config.seen"], "2024-01-08T00:00:00Z");
  assert.notEqual(m.metadata.uid, a["kubernetes.io/config.hash"]);
  assert.deepEqual(m.metadata.ownerReferences, [{ apiVersion: "v1", kind: "Node", name: "node1", uid: c.get("Node", "node1")!.metadata.uid, controller: true }]);
  assert.deepEqual(m.metadata.labels, { role: "myrole" });
  assert.equal(m.spec.nodeName, "node1");
  // Mirror pods get no service account (the admission plugin leaves them alone).
  assert.equal(m.spec.serviceAccountName, undefined);
  assert.equal(m.status.phase, "Running");
  assert.equal(m.status.containerStatuses[0].ready, true);
  assert.ok(isMirrorPod(m));
  assert.equal(runtimePodUid(m), a["kubernetes.io/config.hash"]);
  // The kubelet runs it under the static pod's UID, not the mirror pod's.
  assert.equal(c.kubectlSync("logs static-web-node1").exitCode, 0);
  assert.equal(c.kubectlSync(["exec", "static-web-node1", "--", "cat", "/etc/hostname"]).stdout, "static-web-node1\n");
});

test("deleting the mirror pod: the kubelet makes a new one at once; the container keeps running; the status comes at the next 10 s status sync", () => {
  const c = cluster();
  write(c, WEB);
  c.advanceSync(120_000);
  const before = mirror(c)!;
  const started = before.status.containerStatuses[0].state.running.startedAt;
  const r = c.kubectlSync("delete pod static-web-node1");
  assert.equal(r.stdout, 'pod "static-web-node1" deleted\n');
  const after = mirror(c)!;
  assert.notEqual(after.metadata.uid, before.metadata.uid);
  assert.ok(isMirrorPodOf(after, { apiVersion: "v1", kind: "Pod", metadata: { name: "static-web-node1", namespace: "default", annotations: { "kubernetes.io/config.hash": before.metadata.annotations!["kubernetes.io/config.hash"]! } } }));
  assert.equal(after.status.phase, "Pending");
  assert.equal(after.status.conditions, undefined);
  // The kubelet started at 0: its status batches run at 10 s steps of that.
  c.advanceSync(9_000);
  assert.equal(mirror(c)!.status.phase, "Pending");
  c.advanceSync(1_000);
  const s = mirror(c)!.status;
  assert.equal(s.phase, "Running");
  assert.equal(s.containerStatuses[0].restartCount, 0);
  assert.equal(s.containerStatuses[0].state.running.startedAt, started);
});

test("removing the file stops the pod; its mirror pod goes at the housekeeping after it terminated; putting it back starts it again", () => {
  const c = cluster();
  write(c, WEB);
  c.advanceSync(60_000);
  assert.equal(runOnNode(c.ctx, "node1", `mv ${PATH} /tmp`).exitCode, 0);
  c.advanceSync(0);
  // nginx quits on its stop signal at once: the mirror pod shows the terminated pod, then goes.
  assert.equal(mirror(c)!.status.phase, "Succeeded");
  c.advanceSync(2_000);
  assert.equal(mirror(c), undefined);
  assert.equal(getPods(c), "No resources found in default namespace.\n");
  assert.equal(runOnNode(c.ctx, "node1", `mv /tmp/static-web.yaml ${PATH}`).exitCode, 0);
  c.advanceSync(20_000);
  assert.match(getPods(c), /static-web-node1 {3}1\/1 {5}Running {3}0 {10}20s/);
});

test("a changed file replaces the pod: the new one starts once the old one terminated, and replaces the stale mirror pod", () => {
  const c = cluster();
  write(c, WEB);
  c.advanceSync(60_000);
  const oldHash = mirror(c)!.metadata.annotations!["kubernetes.io/config.hash"];
  write(c, WEB.replace("myrole", "web"));
  c.advanceSync(0);
  // The old pod is stopping; the mirror pod is still the old one's.
  assert.equal(mirror(c)!.metadata.annotations!["kubernetes.io/config.mirror"], oldHash);
  c.advanceSync(20_000);
  const m = mirror(c)!;
  assert.notEqual(m.metadata.annotations!["kubernetes.io/config.mirror"], oldHash);
  assert.deepEqual(m.metadata.labels, { role: "web" });
  assert.equal(m.status.phase, "Running");
});

test("a mirror pod without a static pod (a kubelet that restarts with the file gone) is deleted at housekeeping; a restarted kubelet keeps a current mirror pod", () => {
  const c = cluster();
  write(c, WEB);
  write(c, WEB.replace("static-web", "other"), "/etc/kubernetes/manifests/other.yaml");
  c.advanceSync(30_000);
  const uid = mirror(c)!.metadata.uid;
  const ops = nodeOperations(c.ctx);
  ops.stopKubelet("node1");
  assert.equal(runOnNode(c.ctx, "node1", "rm /etc/kubernetes/manifests/other.yaml").exitCode, 0);
  c.advanceSync(5_000);
  ops.startKubelet("node1");
  c.advanceSync(30_000);
  assert.equal(c.get("Pod", "other-node1"), undefined);
  assert.equal(mirror(c)!.metadata.uid, uid);
  assert.equal(mirror(c)!.status.phase, "Running");
});

test("a manifest that is not a valid pod starts nothing", () => {
  const c = cluster();
  write(c, "apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers: [{name: c}]\n", "/etc/kubernetes/manifests/bad.yaml");
  c.advanceSync(10_000);
  assert.equal(c.get("Pod", "bad-node1"), undefined);
});
