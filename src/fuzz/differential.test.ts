/**
 * The differential test of issue #19 §2: generated cluster programs (src/fuzz/differential.ts) run
 * on the fast engine and on the reference engine must leave identical transcripts — every kubectl
 * output, every object and Event in the store (statuses, counts, timestamps, resourceVersions) after
 * every step. `npm test` runs a bounded set (DIFF_RUNS, default 12, at a fixed seed); `npm run
 * fuzz` a long one (FUZZ_RUNS / 25 programs, FUZZ_SEED).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { firstDifference, lateProgram, METRICS, program, runProgram, type Op } from "./differential.ts";
import { count } from "./properties.ts";
import { Cluster } from "../cluster.ts";

const RUNS = Number(process.env.DIFF_RUNS ?? (process.env.FUZZ_RUNS ? Math.max(12, Math.ceil(Number(process.env.FUZZ_RUNS) / 25)) : 12));
const SEED = Number(process.env.FUZZ_SEED ?? 19);

function sameOnBothEngines(ops: Op[]): void {
  const fast = runProgram(ops, false);
  const reference = runProgram(ops, true);
  const diff = firstDifference(fast, reference);
  assert.equal(diff, undefined, `the fast engine differs from the reference engine:\n${diff}`);
}

test("differential: a rolling update, scale-down, relabelled pods and an adopted orphan are identical on both engines", () => {
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 6, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 2 },
    { op: "replicaset", name: "rs1", replicas: 3, app: "rs1" },
    { op: "pod", name: "p1", app: "rs1", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=kubetm/app:v3"] },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=2"] },
    { op: "kubectl", args: ["label", "pods", "-l", "app=rs1", "app=solo", "--overwrite"] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "pods", "-l", "app=solo", "app=rs1", "--overwrite"] },
    { op: "deployment", name: "web", replicas: 5, image: "demo/flaky:1", strategy: "rolling:0:1", minReady: 3, probe: 1 },
    { op: "advance", ms: 300_000 },
    { op: "node", name: "n2", up: false },
    { op: "advance", ms: 700_000 },
  ]);
});

test("differential: rolling updates of 30 replicas on three nodes (one or two old pods deleted at a time, pods doubled up, some not ready, a deletion cost), scaled down by many and by one, are identical on both engines", () => {
  // The fast engine's scale-down choice walks its counts' active keys (issue #19 §3:
  // ReplicaSetController.chooseFromCounts, firstKeysToDelete); the reference engine ranks every pod.
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 30, image: "kubetm/app:v1", strategy: "rolling:2:1", minReady: 0, probe: 0 },
    { op: "advance", ms: 40_000 },
    { op: "kubectl", args: ["annotate", "pods", "-l", "app=web", "controller.kubernetes.io/pod-deletion-cost=5"] },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=demo/flaky:1"] },
    { op: "advance", ms: 120_000 },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=kubetm/app:v2"] },
    { op: "advance", ms: 17_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=21"] },
    { op: "advance", ms: 60_000 },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=kubetm/app:v3"] },
    { op: "advance", ms: 9_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=20"] },
    { op: "advance", ms: 120_000 },
    { op: "read", args: ["get", "pods", "-o", "wide"] },
  ]);
});

test("differential: DaemonSet rolling updates with surge and maxUnavailable, a strategy switched mid-rollout, evicted daemon pods, labels, taints, an orphan and a node down are identical on both engines", () => {
  sameOnBothEngines([
    { op: "daemonset", name: "agent", image: "kubetm/app:v1", strategy: "surge:1", nodeSelector: false, minReady: 0, probe: 0 },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["set", "image", "daemonset/agent", "app=kubetm/app:v3"] },
    { op: "advance", ms: 2_500 },
    { op: "daemonset", name: "agent", image: "nginx:1.27", strategy: "unavailable:1", nodeSelector: false, minReady: 0, probe: 1 },
    { op: "advance", ms: 4_000 },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "node", "n1", "role=agent", "--overwrite"] },
    { op: "kubectl", args: ["label", "node", "n3", "role=agent", "--overwrite"] },
    { op: "daemonset", name: "agent", image: "nginx:1.27", strategy: "surge:50%", nodeSelector: true, minReady: 0, probe: 0 },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["taint", "node", "n3", "dedicated=x:NoExecute"] },
    { op: "kubectl", args: ["label", "node", "n2", "role=agent", "--overwrite"] },
    { op: "pod", name: "p1", app: "agent", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["taint", "node", "n3", "dedicated-"] },
    { op: "kubectl", args: ["label", "pods", "-l", "app=agent", "app=solo", "--overwrite"] },
    { op: "advance", ms: 10_000 },
    { op: "daemonset", name: "agent", image: "demo/hog:1", strategy: "unavailable:34%", nodeSelector: false, minReady: 0, probe: 0 },
    { op: "advance", ms: 300_000 },
    { op: "node", name: "n2", up: false },
    { op: "daemonset", name: "agent", image: "kubetm/app:v2", strategy: "unavailable:1", nodeSelector: false, minReady: 3, probe: 2 },
    { op: "advance", ms: 90_000 },
    { op: "node", name: "n2", up: true },
    { op: "kubectl", args: ["rollout", "undo", "daemonset/agent"] },
    { op: "advance", ms: 30_000 },
    { op: "daemonset", name: "agent", image: "demo/flaky:1", strategy: "unavailable:1", nodeSelector: false, minReady: 0, probe: 1 },
    { op: "advance", ms: 100_000 },
    { op: "kubectl", args: ["set", "image", "daemonset/agent", "app=kubetm/app:v3"] },
    { op: "advance", ms: 2_500 },
    { op: "daemonset", name: "agent", image: "demo/flaky:1", strategy: "surge:1", nodeSelector: false, minReady: 0, probe: 1 },
    { op: "advance", ms: 100_000 },
    { op: "kubectl", args: ["set", "image", "daemonset/agent", "app=kubetm/app:v1"] },
    { op: "advance", ms: 2_500 },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["delete", "daemonset", "agent", "--cascade=orphan"] },
    { op: "daemonset", name: "agent", image: "kubetm/app:v1", strategy: "unavailable:1", nodeSelector: false, minReady: 0, probe: 0 },
    { op: "advance", ms: 700_000 },
  ]);
});

test("differential: Jobs with failures, back-off and backoffLimit, many completions, parallelism changed, Indexed, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "job", name: "batch", completions: 12, parallelism: 3, backoffLimit: 6, fail: 0, restartPolicy: "Never", indexed: false },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["patch", "job", "batch", "-p", '{"spec":{"parallelism":5}}'] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["delete", "job", "batch", "--wait=false"] },
    { op: "advance", ms: 10_000 },
    { op: "job", name: "batch", completions: 4, parallelism: 2, backoffLimit: 2, fail: 1, restartPolicy: "Never", indexed: false },
    { op: "advance", ms: 90_000 },
    { op: "kubectl", args: ["delete", "job", "batch", "--cascade=orphan"] },
    { op: "job", name: "batch", completions: 5, parallelism: 2, backoffLimit: 6, fail: 3, restartPolicy: "OnFailure", indexed: false },
    { op: "advance", ms: 90_000 },
    { op: "kubectl", args: ["delete", "job", "batch", "--wait=false"] },
    { op: "advance", ms: 10_000 },
    { op: "job", name: "batch", completions: 6, parallelism: 3, backoffLimit: 6, fail: 1, restartPolicy: "Never", indexed: true },
    { op: "advance", ms: 300_000 },
  ]);
});

test("differential: StatefulSets with claims (OrderedReady and Parallel), scaled, updated under a partition, a pod and the claims deleted, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "service", app: "db" },
    { op: "statefulset", name: "db", replicas: 4, image: "kubetm/app:v1", policy: "OrderedReady", partition: 0, claims: true, whenScaled: "Delete", minReady: 0, probe: 0 },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["set", "image", "statefulset/db", "app=kubetm/app:v3"] },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["scale", "statefulset/db", "--replicas=2"] },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["delete", "pod", "db-0", "--wait=false"] },
    { op: "statefulset", name: "db", replicas: 5, image: "nginx:1.27", policy: "OrderedReady", partition: 2, claims: true, whenScaled: "Delete", minReady: 3, probe: 2 },
    { op: "advance", ms: 90_000 },
    { op: "kubectl", args: ["delete", "pvc", "--all", "--wait=false"] },
    { op: "kubectl", args: ["delete", "statefulset", "db", "--wait=false"] },
    { op: "advance", ms: 30_000 },
    { op: "statefulset", name: "db", replicas: 3, image: "kubetm/app:v2", policy: "Parallel", partition: 0, claims: false, whenScaled: "Retain", minReady: 0, probe: 0 },
    { op: "service", app: "db", targetPort: 80, publishNotReady: true },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["scale", "statefulset/db", "--replicas=0"] },
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: a Service's targetPort and publishNotReadyAddresses change under steady pods: the same Endpoints and EndpointSlices on both engines", () => {
  sameOnBothEngines([
    { op: "service", app: "db" },
    { op: "statefulset", name: "db", replicas: 3, image: "kubetm/app:v2", policy: "Parallel", partition: 0, claims: false, whenScaled: "Retain", minReady: 0, probe: 0 },
    { op: "advance", ms: 30_000 },
    { op: "service", app: "db", targetPort: 80, publishNotReady: true },
    { op: "advance", ms: 10_000 },
    { op: "service", app: "db", targetPort: "web", publishNotReady: false },
    { op: "advance", ms: 10_000 },
  ]);
});

test("differential: Endpoints and EndpointSlices kept from what changed: pods moved between Services by labels, a pod deleted and recreated under its name, readiness flipping, node zones relabelled, a selector patched, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "service", app: "web" },
    { op: "service", app: "rs1" },
    { op: "deployment", name: "web", replicas: 4, image: "demo/flaky:1", strategy: "rolling", minReady: 0, probe: 1 },
    { op: "replicaset", name: "rs1", replicas: 2, app: "rs1" },
    { op: "pod", name: "p1", app: "rs1", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "node", "n1", "topology.kubernetes.io/zone=za"] },
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["label", "pods", "p1", "app=web", "--overwrite"] },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["label", "node", "n2", "topology.kubernetes.io/zone=zb"] },
    { op: "kubectl", args: ["label", "node", "n1", "topology.kubernetes.io/zone=zc", "--overwrite"] },
    { op: "kubectl", args: ["delete", "pod", "p1", "--wait=false"] },
    { op: "pod", name: "p1", app: "web", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 40_000 },
    { op: "kubectl", args: ["label", "node", "n3", "topology.kubernetes.io/zone=zb"] },
    { op: "kubectl", args: ["patch", "service", "svc-rs1", "-p", '{"spec":{"selector":{"app":"web"}}}'] },
    { op: "advance", ms: 100_000 },
    { op: "service", app: "web", publishNotReady: true },
    { op: "kubectl", args: ["label", "pods", "-l", "app=web", "tier=x"] },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=2"] },
    { op: "advance", ms: 200_000 },
    { op: "kubectl", args: ["delete", "service", "svc-rs1"] },
    { op: "service", app: "rs1" },
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: Endpoints and EndpointSlices patched from the last answer (pods turning Ready one by one, scaled, flipped by /status500, restarted), a two-port Service, the controller's slices relabelled and deleted by someone else and its Endpoints annotated, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "service", app: "web" },
    { op: "kubectl", args: ["create", "service", "clusterip", "multi", "--tcp=8080:8080,8081:8080"] },
    { op: "deployment", name: "web", replicas: 6, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 1 },
    { op: "pod", name: "m1", app: "multi", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "m2", app: "multi", image: "kubetm/app:v2", restartPolicy: "Always", probe: 2 },
    { op: "advance", ms: 4_000 },
    { op: "read", args: ["get", "endpoints,endpointslices", "-o", "yaml"] },
    { op: "advance", ms: 26_000 },
    { op: "kubectl", args: ["label", "endpointslices", "-l", "kubernetes.io/service-name=svc-web", "extra=x"] },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=3"] },
    { op: "advance", ms: 1_000 },
    { op: "read", args: ["get", "endpointslices", "-o", "yaml"] },
    { op: "traffic", target: "m1", path: "/status500", everyMs: 1000, count: 1 },
    { op: "kubectl", args: ["delete", "endpointslices", "-l", "kubernetes.io/service-name=svc-web"] },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=8"] },
    { op: "advance", ms: 3_000 },
    { op: "kubectl", args: ["annotate", "endpoints", "svc-web", "note=y"] },
    { op: "kubectl", args: ["delete", "pod", "m2", "--wait=false"] },
    { op: "advance", ms: 40_000 },
    { op: "kubectl", args: ["label", "endpointslices", "-l", "kubernetes.io/service-name=multi", "extra=z"] },
    { op: "pod", name: "m2", app: "multi", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=0"] },
    { op: "advance", ms: 60_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=2"] },
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: steady probes, memory housekeeping that kills, Leases, nodes and logs read at odd instants, a node down and up are identical on both engines", () => {
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 2 },
    { op: "pod", name: "p1", app: "solo", image: "demo/leaky:1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "p2", app: "solo", image: "busybox:1.36", restartPolicy: "Always", probe: 3 },
    { op: "pod", name: "p3", app: "solo", image: "demo/hog:1", restartPolicy: "Always", probe: 2 },
    { op: "service", app: "web" },
    { op: "advance", ms: 7_300 },
    { op: "read", args: ["get", "leases", "-n", "kube-node-lease", "-o", "yaml"] },
    { op: "advance", ms: 90_000 },
    { op: "read", args: ["exec", "p2", "--", "sh", "-c", "rm -f /tmp/healthy"] },
    { op: "read", args: ["get", "node", "n1", "-o", "yaml"] },
    { op: "advance", ms: 2_500 },
    { op: "read", args: ["logs", "p2", "--timestamps"] },
    { op: "node", name: "n3", up: false },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["get", "node", "n3", "-o", "yaml"] },
    { op: "node", name: "n3", up: true },
    { op: "advance", ms: 90_000 },
    { op: "read", args: ["exec", "p2", "--", "sh", "-c", "touch /tmp/healthy"] },
    { op: "advance", ms: 700_000 },
  ]);
});

test("differential: node Lease renewals written by the store's fast path (issue #19, lease25: `ApiServer.renewLease`) among other clients' writes to the Leases (annotated, the holder and duration patched, renewTime removed, a finalizer, deleted while held and when free, a node down and up), read at odd instants, are identical on both engines", () => {
  const ns = ["-n", "kube-node-lease"];
  sameOnBothEngines([
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "advance", ms: 7_300 },
    { op: "kubectl", args: ["annotate", "lease", "n1", ...ns, "note=a"] },
    { op: "advance", ms: 13_100 },
    { op: "read", args: ["get", "lease", "n1", ...ns, "-o", "yaml"] },
    { op: "kubectl", args: ["patch", "lease", "n2", ...ns, "--type=merge", "-p", '{"spec":{"holderIdentity":"other","leaseDurationSeconds":15}}'] },
    { op: "advance", ms: 21_700 },
    { op: "kubectl", args: ["patch", "lease", "n3", ...ns, "--type=json", "-p", '[{"op":"remove","path":"/spec/renewTime"}]'] },
    { op: "advance", ms: 4_900 },
    { op: "read", args: ["get", "leases", ...ns, "-o", "yaml"] },
    { op: "kubectl", args: ["patch", "lease", "n1", ...ns, "--type=merge", "-p", '{"metadata":{"finalizers":["example.com/keep"]}}'] },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["delete", "lease", "n1", ...ns, "--wait=false"] },
    { op: "advance", ms: 25_300 },
    { op: "read", args: ["get", "lease", "n1", ...ns, "-o", "yaml"] },
    { op: "kubectl", args: ["patch", "lease", "n1", ...ns, "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]'] },
    { op: "advance", ms: 12_000 },
    { op: "kubectl", args: ["delete", "lease", "n2", ...ns] },
    { op: "advance", ms: 9_999 },
    { op: "read", args: ["get", "leases", ...ns, "-o", "yaml"] },
    { op: "node", name: "n3", up: false },
    { op: "advance", ms: 60_000 },
    { op: "read", args: ["get", "leases", ...ns] },
    { op: "node", name: "n3", up: true },
    { op: "advance", ms: 30_001 },
    { op: "read", args: ["describe", "lease", "n3", ...ns] },
    { op: "advance", ms: 120_000 },
  ]);
});

test("differential: memory housekeeping asleep while quiet, woken by memory set on a model, a node's capacity patched, declared and system uses, pods added and deleted, is identical on both engines", () => {
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 4, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 0 },
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "pod", name: "p2", app: "db", image: "kubetm/app:v2", restartPolicy: "Always", probe: 1 },
    { op: "advance", ms: 30_500 },
    // The model's memory set from outside: over the node's 4Gi, the kernel's OOM killer at the next second.
    { op: "memory", how: "model", target: "p1", amount: "5Gi" },
    { op: "advance", ms: 2_300 },
    { op: "read", args: ["get", "pods", "-o", "wide"] },
    // A node's capacity patched under what its containers use: killed at the next second.
    { op: "kubectl", args: ["patch", "node", "n2", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"40Mi"}}}'] },
    { op: "advance", ms: 1_700 },
    { op: "read", args: ["get", "events", "--field-selector", "reason=SystemOOM"] },
    { op: "memory", how: "declared", target: "p2", amount: "100Mi" },
    { op: "advance", ms: 20_000 },
    { op: "pod", name: "p3", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 15_400 },
    { op: "kubectl", args: ["patch", "node", "n2", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"4Gi"}}}'] },
    { op: "kubectl", args: ["delete", "pod", "p2", "--wait=false"] },
    { op: "advance", ms: 60_000 },
    { op: "memory", how: "system", target: "n1", amount: "3990Mi" },
    { op: "advance", ms: 30_000 },
    { op: "memory", how: "model", target: "p3", amount: "10Mi" },
    { op: "memory", how: "system", target: "n1", amount: "0" },
    { op: "advance", ms: 45_000 },
  ]);
});

test("differential: the node status sync asleep between reports, woken by someone else's status patch (a condition, the addresses), a label, a pull's new image, memory pressure, read between its ticks, is identical on both engines", () => {
  // Issue #19 (Kubelet.statusTick): the kubelet puts back what it owns at its next tick after a write
  // of its Node, and posts at the report period.
  sameOnBothEngines([
    { op: "pod", name: "p1", app: "solo", image: "nginx:1.27", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 61_000 },
    { op: "kubectl", args: ["patch", "node", "n1", "--subresource=status", "--type=merge", "-p", '{"status":{"conditions":[{"type":"Ready","status":"False","reason":"Manual","message":"patched","lastHeartbeatTime":"2024-01-08T00:00:00Z","lastTransitionTime":"2024-01-08T00:00:00Z"}]}}'] },
    { op: "advance", ms: 3_000 },
    { op: "read", args: ["get", "nodes"] },
    { op: "advance", ms: 9_000 },
    { op: "read", args: ["get", "node", "n1", "-o", "jsonpath={.status.conditions}"] },
    { op: "kubectl", args: ["label", "node", "n2", "tier=x"] },
    { op: "advance", ms: 33_300 },
    { op: "kubectl", args: ["patch", "node", "n2", "--subresource=status", "--type=merge", "-p", '{"status":{"addresses":[{"type":"InternalIP","address":"10.9.9.9"}]}}'] },
    { op: "advance", ms: 4_000 },
    { op: "read", args: ["get", "nodes", "-o", "wide"] },
    { op: "pod", name: "p2", app: "db", image: "kubetm/app:v2", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 47_000 },
    { op: "read", args: ["get", "node", "n1", "-o", "jsonpath={.status.images}"] },
    { op: "read", args: ["get", "node", "n2", "-o", "jsonpath={.status.images}"] },
    { op: "memory", how: "system", target: "n1", amount: "4000Mi" },
    { op: "advance", ms: 21_000 },
    { op: "read", args: ["get", "node", "n1", "-o", "jsonpath={.status.conditions}"] },
    { op: "memory", how: "system", target: "n1", amount: "0" },
    { op: "advance", ms: 320_000 },
    { op: "read", args: ["get", "node", "n1", "-o", "jsonpath={.status.conditions}"] },
    { op: "kubectl", args: ["get", "nodes"] },
    { op: "advance", ms: 301_000 },
  ]);
});

test("differential: the eviction manager's monitoring asleep while memory is quiet (no application model on the nodes), woken by the node's system use, its capacity patched under the threshold (MemoryPressure, an eviction) and back, a pod added, is identical on both engines", () => {
  // Issue #19 (EvictionManager.maybeSleep): without a model's use no memory housekeeping watches the
  // Node, so only the eviction manager's own Node watch sees the capacity patched.
  sameOnBothEngines([
    { op: "pod", name: "p1", app: "solo", image: "nginx:1.27", restartPolicy: "Always", probe: 0 },
    { op: "pod", name: "p2", app: "solo", image: "nginx:1.27", restartPolicy: "Always", probe: 0 },
    { op: "pod", name: "p3", app: "db", image: "nginx:1.27", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 30_000 },
    { op: "memory", how: "system", target: "n1", amount: "3990Mi" },
    { op: "memory", how: "system", target: "n2", amount: "3990Mi" },
    { op: "advance", ms: 25_300 },
    { op: "kubectl", args: ["patch", "node", "n1", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"4000Mi"}}}'] },
    { op: "advance", ms: 4_100 },
    { op: "read", args: ["get", "pods", "-o", "wide"] },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["get", "events", "--field-selector", "involvedObject.kind=Node"] },
    { op: "kubectl", args: ["patch", "node", "n1", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"4Gi"}}}'] },
    { op: "kubectl", args: ["patch", "node", "n2", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"3999Mi"}}}'] },
    { op: "advance", ms: 12_700 },
    { op: "pod", name: "p4", app: "db", image: "nginx:1.27", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 330_000 },
    { op: "read", args: ["get", "pods", "-o", "wide"] },
    { op: "kubectl", args: ["patch", "node", "n2", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"4Gi"}}}'] },
    { op: "advance", ms: 330_000 },
  ]);
});

test("differential: kubectl top and /metrics/resource read between scrapes while memory changes under an unchanged running set (set on a model, declared, the node's own, a model's timeline point) and when it changes are identical on both engines", () => {
  // The fast engine's scrape keeps each plan's memory figures while their inputs stay (issue #19,
  // Kubelet.scrapeMemory) and sums the node's CPU from the containers' reads.
  sameOnBothEngines([
    { op: "kubectl", args: ["patch", "node", "n1", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"16Gi"}}}'] },
    { op: "kubectl", args: ["patch", "node", "n2", "--subresource=status", "--type=merge", "-p", '{"status":{"capacity":{"memory":"16Gi"}}}'] },
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "pod", name: "p2", app: "solo", image: "demo/hog:1", restartPolicy: "Always", probe: 0 },
    { op: "pod", name: "p3", app: "db", image: "kubetm/app:v2", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "p4", app: "db", image: "demo/busy:1", restartPolicy: "Always", probe: 0 },
    { op: "service", app: "db" },
    { op: "advance", ms: 31_000 },
    { op: "traffic", target: "svc-db", path: "/hostname", everyMs: 500, count: 600 },
    { op: "read", args: ["top", "pods"] },
    { op: "advance", ms: 15_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: ["top", "nodes"] },
    { op: "memory", how: "model", target: "p1", amount: "700Mi" },
    { op: "advance", ms: 15_000 },
    { op: "read", args: [METRICS] },
    { op: "read", args: ["top", "pods"] },
    { op: "memory", how: "declared", target: "p3", amount: "120Mi" },
    { op: "advance", ms: 7_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "advance", ms: 8_000 },
    { op: "read", args: ["top", "nodes"] },
    { op: "memory", how: "system", target: "n1", amount: "300Mi" },
    { op: "memory", how: "system", target: "n2", amount: "200Mi" },
    { op: "advance", ms: 16_000 },
    { op: "read", args: ["top", "nodes"] },
    { op: "read", args: [METRICS] },
    // demo/hog's timeline: 64Mi, then 4020Mi two minutes after it started (no kill at 16Gi).
    { op: "advance", ms: 45_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "advance", ms: 15_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: ["top", "nodes"] },
    { op: "memory", how: "model", target: "p1", amount: "10Mi" },
    { op: "kubectl", args: ["delete", "pod", "p3", "--wait=false"] },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: ["top", "nodes"] },
    { op: "read", args: [METRICS] },
    { op: "pod", name: "p5", app: "db", image: "kubetm/app:v1", restartPolicy: "Always", probe: 2 },
    { op: "advance", ms: 61_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: ["top", "nodes"] },
  ]);
});

test("differential: HTTP probes against models with timelines and CPU limits, traffic interleaved with them, route overrides, kubectl top at odd instants and a pod deleted mid-period are identical on both engines", () => {
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 2 },
    { op: "pod", name: "p1", app: "solo", image: "demo/busy:1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "p2", app: "solo", image: "demo/flaky:1", restartPolicy: "Always", probe: 2 },
    { op: "pod", name: "p3", app: "solo", image: "kubetm/app:v2", restartPolicy: "Always", probe: 5 },
    { op: "service", app: "web" },
    { op: "service", app: "solo" },
    { op: "advance", ms: 30_000 },
    { op: "traffic", target: "svc-solo", path: "/hostname", everyMs: 250, count: 400 },
    { op: "traffic", target: "p1", path: "/health", everyMs: 333, count: 400 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 400 },
    { op: "advance", ms: 7_300 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: [METRICS] },
    { op: "advance", ms: 333 },
    { op: "traffic", target: "p3", path: "/status500", everyMs: 1000, count: 1 },
    { op: "traffic", target: "p1", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 30_000 },
    { op: "traffic", target: "p1", path: "/status200", everyMs: 1000, count: 1 },
    { op: "advance", ms: 90_000 },
    { op: "read", args: [METRICS] },
    { op: "kubectl", args: ["delete", "pods", "-l", "app=web", "--wait=false"] },
    { op: "advance", ms: 1 },
    { op: "read", args: ["top", "pods"] },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "advance", ms: 700_000 },
  ]);
});

test("differential: dormant HTTP probes (no tick while nothing changes) woken by an application change, a liveness restart, a label, traffic, a node going down, and read between their ticks (kubectl top, /metrics/resource) are identical on both engines", () => {
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 1 },
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v2", restartPolicy: "Always", probe: 2 },
    { op: "pod", name: "p2", app: "solo", image: "demo/flaky:1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "p3", app: "db", image: "kubetm/app:v1", restartPolicy: "Always", probe: 5 },
    { op: "service", app: "web" },
    { op: "advance", ms: 60_000 },
    { op: "pod", name: "p4", app: "agent", image: "demo/crunch:1", restartPolicy: "Always", probe: 2 },
    { op: "advance", ms: 40_500 },
    { op: "traffic", target: "p4", path: "/work", everyMs: 1000, count: 1 },
    { op: "advance", ms: 7_000 },
    { op: "traffic", target: "p4", path: "/work", everyMs: 1000, count: 3 },
    { op: "advance", ms: 20_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: [METRICS] },
    { op: "advance", ms: 4_321 },
    { op: "read", args: [METRICS] },
    { op: "traffic", target: "p1", path: "/hostname", everyMs: 700, count: 200 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 100 },
    { op: "advance", ms: 30_007 },
    { op: "read", args: [METRICS] },
    { op: "traffic", target: "p1", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 45_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "kubectl", args: ["label", "pod", "p3", "x=y"] },
    { op: "advance", ms: 12_345 },
    { op: "read", args: [METRICS] },
    { op: "traffic", target: "p3", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 3_000 },
    { op: "traffic", target: "p3", path: "/status200", everyMs: 1000, count: 1 },
    { op: "advance", ms: 120_000 },
    { op: "node", name: "n3", up: false },
    { op: "advance", ms: 60_000 },
    { op: "read", args: [METRICS] },
    { op: "node", name: "n3", up: true },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: [METRICS] },
  ]);
});

test("differential: dormant HTTP probes of a container without a CPU limit, woken when costly requests queue ahead of their next tick (their answers time out), are identical on both engines", () => {
  sameOnBothEngines([
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v2", restartPolicy: "Always", probe: 2 },
    { op: "advance", ms: 60_000 },
    { op: "pod", name: "p4", app: "agent", image: "demo/crunch:1", restartPolicy: "Always", probe: 2 },
    { op: "advance", ms: 40_500 },
    { op: "read", args: [METRICS] },
    { op: "traffic", target: "p4", path: "/work", everyMs: 1000, count: 1 },
    { op: "advance", ms: 7_000 },
    { op: "traffic", target: "p4", path: "/work", everyMs: 1000, count: 3 },
    { op: "advance", ms: 20_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: [METRICS] },
  ]);
});

test("differential: traffic clients on dormant intervals (no request made while the path holds; each skipped request's draw, charge and record made in order when someone draws, reads or changes something), woken by pods scaled, a route override, a container's costly work, a pod deleted, a node down, read at odd instants, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 4, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 0 },
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v2", restartPolicy: "Always", probe: 2 },
    { op: "pod", name: "p2", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 10 },
    { op: "pod", name: "p4", app: "agent", image: "demo/crunch:1", restartPolicy: "Always", probe: 2 },
    { op: "service", app: "web" },
    { op: "service", app: "solo" },
    { op: "service", app: "agent" },
    { op: "advance", ms: 60_000 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 400 },
    { op: "traffic", target: "svc-solo", path: "/hostname", everyMs: 1000, count: 300 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 5 },
    { op: "traffic", target: "svc-agent", path: "/health", everyMs: 1000, count: 120 },
    { op: "traffic", target: "svc-solo", path: "/hostname", everyMs: 250, count: 40 },
    { op: "advance", ms: 10_000 },
    { op: "traffic", target: "svc-solo", path: "/health", everyMs: 1000, count: 200 },
    { op: "advance", ms: 7_300 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: [METRICS] },
    { op: "advance", ms: 4_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=6"] },
    { op: "advance", ms: 30_000 },
    { op: "traffic", target: "p4", path: "/work", everyMs: 1000, count: 1 },
    { op: "advance", ms: 11_700 },
    { op: "traffic", target: "p1", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 45_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "traffic", target: "p1", path: "/status200", everyMs: 1000, count: 1 },
    { op: "advance", ms: 2_500 },
    { op: "kubectl", args: ["delete", "pod", "p2"] },
    { op: "advance", ms: 10_000 },
    { op: "read", args: [METRICS] },
    { op: "node", name: "n2", up: false },
    { op: "advance", ms: 90_000 },
    { op: "node", name: "n2", up: true },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "read", args: [METRICS] },
  ]);
});

test("differential: dormant chains woken at instants shared with other timers (clients of one period made by steps on a sleeping client's instants, woken together by pods scaled and a route change, probes and housekeeping of the same phases) are identical on both engines", () => {
  // The clock places a dormant chain's skipped firings without running them (src/sim/clock.ts,
  // TimerQueue.place): a client made by a step at an instant where a sleeping client of the same
  // period has just skipped a firing must come after it at every later instant, and chains made
  // at one instant must keep their order when they wake together.
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 4, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 0 },
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v2", restartPolicy: "Always", probe: 2 },
    { op: "service", app: "web" },
    { op: "service", app: "solo" },
    { op: "advance", ms: 60_007 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 600 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 10_000, count: 60 },
    { op: "advance", ms: 5_000 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 600 },
    { op: "traffic", target: "svc-solo", path: "/hostname", everyMs: 1000, count: 600 },
    { op: "advance", ms: 10_000 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 10_000, count: 60 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 600 },
    { op: "advance", ms: 3_000 },
    { op: "read", args: ["top", "pods"] },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=5"] },
    { op: "advance", ms: 27_000 },
    { op: "traffic", target: "svc-web", path: "/hostname", everyMs: 1000, count: 600 },
    { op: "advance", ms: 20_000 },
    { op: "traffic", target: "p1", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 9_000 },
    { op: "traffic", target: "p1", path: "/status200", everyMs: 1000, count: 1 },
    { op: "advance", ms: 31_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=3"] },
    { op: "advance", ms: 40_000 },
    { op: "read", args: [METRICS] },
    { op: "node", name: "n2", up: false },
    { op: "advance", ms: 60_000 },
    { op: "node", name: "n2", up: true },
    { op: "advance", ms: 120_000 },
    { op: "read", args: ["top", "pods"] },
  ]);
});

test("differential: projected service-account tokens refreshed at 80 % of their lifetime (every pod at its own instant, steady pods, a pod relabelled and one restarted around the refresh), read before, at and after it, are identical on both engines", () => {
  // The token's claims are marshalled and signed when the file is first read (SignedToken), and a
  // pod worker's sync at the refresh instant leaves its steady memo with the next one (pod_workers).
  const TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 2 },
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v2", restartPolicy: "Always", probe: 1 },
    { op: "advance", ms: 20_000 },
    { op: "pod", name: "p2", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 60_000 },
    { op: "kubectl", args: ["exec", "p1", "--", "cat", TOKEN] },
    { op: "advance", ms: 2_700_000 },
    { op: "kubectl", args: ["label", "pod", "p2", "x=y"] },
    { op: "kubectl", args: ["delete", "serviceaccount", "default"] },
    { op: "advance", ms: 120_000 },
    { op: "kubectl", args: ["exec", "p2", "--", "cat", TOKEN] },
    { op: "advance", ms: 13_500 },
    { op: "traffic", target: "p1", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 40_000 },
    { op: "kubectl", args: ["exec", "p1", "--", "cat", TOKEN] },
    { op: "advance", ms: 2_345 },
    { op: "traffic", target: "p1", path: "/status200", everyMs: 1000, count: 1 },
    { op: "advance", ms: 120_000 },
    { op: "kubectl", args: ["exec", "p2", "--", "cat", TOKEN] },
    { op: "kubectl", args: ["exec", "p1", "--", "cat", TOKEN] },
    { op: "kubectl", args: ["create", "token", "default"] },
    { op: "advance", ms: 2_900_000 },
    { op: "kubectl", args: ["exec", "p1", "--", "cat", TOKEN] },
    { op: "kubectl", args: ["exec", "p2", "--", "cat", TOKEN] },
  ]);
});

test("differential: probed pods' steady resyncs asleep (issue #19, pod workers' `rest`) woken by a liveness failure, readiness flipping, a label, a ConfigMap write, a node down and up and the token refresh, read between their minutes, are identical on both engines", () => {
  const TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 5 },
    { op: "pod", name: "p1", app: "solo", image: "kubetm/app:v2", restartPolicy: "Always", probe: 1 },
    { op: "advance", ms: 7_300 },
    { op: "pod", name: "p2", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 2 },
    { op: "pod", name: "p3", app: "db", image: "nginx:1.27", restartPolicy: "Always", probe: 5 },
    { op: "service", app: "web" },
    { op: "advance", ms: 185_000 },
    { op: "read", args: ["get", "pods", "-o", "wide"] },
    { op: "traffic", target: "p1", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 61_234 },
    { op: "traffic", target: "p1", path: "/status200", everyMs: 1000, count: 1 },
    { op: "advance", ms: 123_456 },
    { op: "kubectl", args: ["label", "pod", "p2", "x=y"] },
    { op: "advance", ms: 59_999 },
    { op: "configmap", value: "one" },
    { op: "advance", ms: 60_001 },
    { op: "traffic", target: "p2", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 4_000 },
    { op: "traffic", target: "p2", path: "/status200", everyMs: 1000, count: 1 },
    { op: "advance", ms: 240_000 },
    { op: "node", name: "n2", up: false },
    { op: "advance", ms: 90_000 },
    { op: "node", name: "n2", up: true },
    { op: "advance", ms: 180_000 },
    { op: "kubectl", args: ["describe", "pod", "p1"] },
    { op: "advance", ms: 2_100_000 },
    { op: "kubectl", args: ["exec", "p1", "--", "cat", TOKEN] },
    { op: "advance", ms: 300_000 },
    { op: "traffic", target: "p3", path: "/status500", everyMs: 1000, count: 1 },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["exec", "p2", "--", "cat", TOKEN] },
    { op: "read", args: ["get", "pods", "-o", "wide"] },
  ]);
});

test("differential: compiled shell loops read at odd instants (timestamps, --since, --tail, --limit-bytes, --previous), signalled, deleted mid-iteration and rotating their log are identical on both engines", () => {
  sameOnBothEngines([
    { op: "shell", name: "s1", script: "tick", grace: 10, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "pair", grace: 3, restartPolicy: "Always" },
    { op: "advance", ms: 7_300 },
    { op: "read", args: ["logs", "s1", "--timestamps"] },
    { op: "advance", ms: 11_700 },
    { op: "read", args: ["logs", "s2", "--tail=3", "--timestamps"] },
    { op: "read", args: ["logs", "s1", "--since=25s"] },
    { op: "read", args: ["exec", "s1", "--", "sh", "-c", "kill 1"] },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["logs", "s1", "--limit-bytes=100"] },
    { op: "read", args: ["exec", "s2", "--", "sh", "-c", "echo $n; ls /tmp"] },
    { op: "configmap", value: "one" },
    { op: "advance", ms: 61_000 },
    { op: "read", args: ["exec", "s2", "--", "sh", "-c", "cat /cfg/k; ls -l /cfg"] },
    { op: "advance", ms: 130_000 },
    { op: "configmap", value: "two" },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["exec", "s2", "--", "sh", "-c", "cat /cfg/k"] },
    { op: "advance", ms: 31_000 },
    { op: "read", args: ["exec", "s2", "--", "sh", "-c", "cat /cfg/k"] },
    { op: "read", args: ["delete", "pod", "s1", "--wait=false"] },
    { op: "advance", ms: 4_000 },
    { op: "read", args: ["logs", "s1", "--timestamps"] },
    { op: "advance", ms: 10_000 },
    { op: "shell", name: "s1", script: "big", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "count", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 90_000 },
    { op: "read", args: ["delete", "pod", "s2", "--grace-period=1"] },
    { op: "shell", name: "s2", script: "count", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 11_700 },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["logs", "s1", "--tail=2", "--timestamps"] },
    { op: "read", args: ["logs", "s1", "--timestamps", "--limit-bytes=3000"] },
    { op: "read", args: ["logs", "s2", "--since=1m", "--tail=2"] },
    { op: "read", args: ["exec", "s1", "--", "sh", "-c", "kill -9 1"] },
    { op: "advance", ms: 4_000 },
    { op: "read", args: ["logs", "s1", "--previous", "--tail=1"] },
  ]);
});

test("differential: shell loops left to dormant chains (a greeting, a pod that only sleeps, a background loop beside the shell's, a loop rotating its log) read at and between their firings, killed mid-period, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "shell", name: "s1", script: "hello", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "twin", grace: 3, restartPolicy: "Always" },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["logs", "s1", "--timestamps"] },
    { op: "read", args: ["logs", "s2", "--timestamps"] },
    ...Array.from({ length: 6 }, (): Op[] => [
      { op: "advance", ms: 1 },
      { op: "read", args: ["logs", "s1", "--tail=1", "--timestamps"] },
      { op: "read", args: ["logs", "s2", "--tail=2", "--timestamps"] },
      { op: "advance", ms: 999 },
      { op: "read", args: ["logs", "s1", "--since=3s"] },
    ]).flat(),
    { op: "advance", ms: 90_000 },
    { op: "read", args: ["exec", "s1", "--", "sh", "-c", "kill -9 1"] },
    { op: "advance", ms: 2_500 },
    { op: "read", args: ["logs", "s1", "--previous", "--tail=2", "--timestamps"] },
    { op: "advance", ms: 40_000 },
    { op: "read", args: ["logs", "s1", "--timestamps"] },
    { op: "read", args: ["delete", "pod", "s2", "--grace-period=1"] },
    { op: "shell", name: "s2", script: "idle", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 11_700 },
    { op: "read", args: ["delete", "pod", "s1", "--wait=false"] },
    { op: "advance", ms: 1_000 },
    { op: "shell", name: "s1", script: "big", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["logs", "s1", "--tail=1", "--timestamps"] },
    { op: "read", args: ["logs", "s1", "--timestamps", "--limit-bytes=3000"] },
    { op: "advance", ms: 333 },
    { op: "read", args: ["exec", "s1", "--", "sh", "-c", "kill -9 1"] },
    { op: "read", args: ["exec", "s2", "--", "sh", "-c", "kill -9 1"] },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["logs", "s1", "--previous", "--tail=1", "--timestamps"] },
    { op: "read", args: ["delete", "pod", "s2", "--grace-period=0", "--force"] },
    { op: "advance", ms: 4_000 },
  ]);
});

test("differential: a readiness gate set and cleared through the status subresource while the kubelet writes the pod's status (a crash loop, probes) is identical on both engines", () => {
  const gate = (status: string): Op => ({
    op: "kubectl",
    args: ["patch", "pod", "p1", "--subresource=status", "--type=merge", "-p", `{"status":{"conditions":[{"type":"example.com/gate","status":"${status}"}]}}`],
  });
  sameOnBothEngines([
    { op: "pod", name: "p1", app: "web", image: "demo/flaky:1", restartPolicy: "Always", probe: 1, gate: true },
    { op: "shell", name: "s1", script: "crash", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 30_000 },
    gate("True"),
    { op: "advance", ms: 1 },
    { op: "read", args: ["get", "pod", "p1", "-o", "yaml"] },
    { op: "advance", ms: 90_000 },
    gate("False"),
    { op: "advance", ms: 2_500 },
    gate("True"),
    { op: "advance", ms: 300_000 },
    gate("False"),
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: a crash loop with back-off, a loop with a trap and a loop with a condition (not compiled) are identical on both engines", () => {
  sameOnBothEngines([
    { op: "shell", name: "s1", script: "crash", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "trap", grace: 30, restartPolicy: "Always" },
    { op: "advance", ms: 90_000 },
    { op: "configmap", value: "one" },
    { op: "advance", ms: 61_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    // the ConfigMap changes while the crash loop backs off: each start must see the files of its instant
    ...Array.from({ length: 14 }, (_, i): Op[] => [
      { op: "configmap", value: ["one", "two", "three"][i % 3]! },
      { op: "advance", ms: 47_000 },
      { op: "read", args: ["logs", "s1", "--previous"] },
    ]).flat(),
    { op: "read", args: ["logs", "s1"] },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "read", args: ["exec", "s2", "--", "sh", "-c", "kill 1"] },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["logs", "s2", "--previous", "--timestamps"] },
    { op: "advance", ms: 700_000 },
    { op: "read", args: ["delete", "pod", "s2", "--grace-period=0", "--force"] },
    { op: "shell", name: "s2", script: "cond", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["logs", "s2", "--tail=2", "--timestamps"] },
    { op: "read", args: ["delete", "pod", "s1", "--grace-period=0", "--force"] },
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: straight-line crash scripts run without the interpreter (echo, sleep, a constant, exit), read with every logs option at odd instants, signalled, exec'd into, deleted mid-sleep and on a node that goes down, are identical on both engines", () => {
  // Issue #19 (compiled.ts compileStraight): `echo start $HOSTNAME; sleep 15; echo crash; exit 1` and
  // a side container's `echo side; v=second; echo got $v; sleep 37; exit 2` run on a LoopDriver on
  // the fast engine, interpreted on the reference engine.
  sameOnBothEngines([
    { op: "shell", name: "s1", script: "quick", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "quick", grace: 10, restartPolicy: "OnFailure", side: "sidequick" },
    { op: "advance", ms: 7_001 },
    { op: "read", args: ["logs", "s1", "--timestamps"] },
    { op: "read", args: ["exec", "s1", "--", "sh", "-c", "echo in $HOSTNAME; sleep 2; exit 3"] },
    { op: "advance", ms: 8_000 },
    { op: "read", args: ["logs", "s1", "--timestamps"] },
    { op: "read", args: ["logs", "s2", "-c", "side"] },
    { op: "advance", ms: 61_333 },
    { op: "read", args: ["logs", "s1", "--previous", "--timestamps"] },
    { op: "read", args: ["exec", "s2", "-c", "side", "--", "sh", "-c", "kill 1"] },
    { op: "advance", ms: 3_500 },
    { op: "read", args: ["exec", "s1", "--", "sh", "-c", "kill -9 1"] },
    { op: "advance", ms: 95_000 },
    { op: "read", args: ["logs", "s2", "--since=25s", "--timestamps"] },
    { op: "read", args: ["logs", "s2", "-c", "side", "--previous", "--tail=1"] },
    { op: "read", args: ["delete", "pod", "s1", "--wait=false"] },
    { op: "advance", ms: 1_000 },
    { op: "shell", name: "s3", script: "quick", grace: 3, restartPolicy: "Always" },
    { op: "advance", ms: 200_000 },
    { op: "node", name: "n2", up: false },
    { op: "advance", ms: 60_000 },
    { op: "node", name: "n2", up: true },
    { op: "advance", ms: 300_000 },
    { op: "read", args: ["logs", "s3", "--limit-bytes=10"] },
    { op: "read", args: ["delete", "pod", "s2", "--grace-period=1"] },
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: /metrics/resource and kubectl top read while crash loops restart (the scrape's order kept across restarts), a pod force-deleted and created again under its name while its old container still runs, and a pod deleted, are identical on both engines", () => {
  // The kubelet's scrape plan (issue #19): a restart changes the running set but not the
  // containers' names, so the order is taken from the last plan; with two containers of one
  // namespace, pod and name (the force-deleted s3's, still in its grace period, and the new s3's)
  // the list is sorted as before.
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 0 },
    { op: "shell", name: "s1", script: "crash", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "crash", grace: 2, restartPolicy: "Always", side: "sidecrash" },
    { op: "shell", name: "s3", script: "idle", grace: 30, restartPolicy: "Always" },
    { op: "shell", name: "s4", script: "tick", grace: 3, restartPolicy: "Always" },
    { op: "advance", ms: 60_000 },
    { op: "read", args: [METRICS] },
    ...Array.from({ length: 12 }, (_, i): Op[] => [
      { op: "advance", ms: 17_003 + 1_000 * i },
      { op: "read", args: [METRICS] },
      { op: "read", args: ["top", "pods"] },
    ]).flat(),
    { op: "read", args: ["delete", "pod", "s3", "--grace-period=0", "--force"] },
    { op: "shell", name: "s3", script: "idle", grace: 30, restartPolicy: "Always" },
    { op: "advance", ms: 1_500 },
    { op: "read", args: [METRICS] },
    { op: "advance", ms: 15_000 },
    { op: "read", args: [METRICS] },
    { op: "read", args: ["top", "pods"] },
    { op: "advance", ms: 20_000 },
    { op: "read", args: [METRICS] },
    { op: "kubectl", args: ["delete", "pod", "s4", "--wait=false"] },
    { op: "advance", ms: 1_000 },
    { op: "read", args: [METRICS] },
    { op: "advance", ms: 60_000 },
    { op: "read", args: [METRICS] },
    { op: "read", args: ["top", "pods"] },
  ]);
});

test("differential: crash loops beside a running container that reads the ConfigMap and beside one that crashes on its own (back-off retries with the runtime or the volumes changing) are identical on both engines", () => {
  // The pod worker's back-off retries (issue #19): a retry repeats the last one's BackOff only while
  // the runtime, the volumes' sources and the back-off are unchanged; here the other container exits
  // and restarts, and the ConfigMap, the pod's labels and annotations (a downward API volume) change,
  // while the crash-looping one waits.
  sameOnBothEngines([
    { op: "configmap", value: "one" },
    { op: "shell", name: "s1", script: "crash", grace: 2, restartPolicy: "Always", side: "watchcfg" },
    { op: "shell", name: "s2", script: "crash", grace: 2, restartPolicy: "Always", side: "sidecrash" },
    { op: "advance", ms: 95_000 },
    ...Array.from({ length: 10 }, (_, i): Op[] => [
      { op: "configmap", value: ["two", "three", "one"][i % 3]! },
      { op: "advance", ms: 33_000 + i * 7_000 },
      // labels and annotations the side container's downward API volume shows change too
      { op: "kubectl", args: i % 2 ? ["label", "pod", "s1", `round=r${i}`, "--overwrite"] : ["annotate", "pod", "s1", `note=n${i}`, "--overwrite"] },
      { op: "advance", ms: 21_000 },
      { op: "read", args: ["logs", "s1", "-c", "side", "--tail=3", "--timestamps"] },
      { op: "read", args: ["logs", "s2", "-c", "side", "--previous"] },
    ]).flat(),
    { op: "read", args: ["delete", "pod", "s2", "--grace-period=1"] },
    { op: "advance", ms: 45_000 },
    { op: "read", args: ["delete", "pod", "s1", "--wait=false"] },
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: back-off retries asleep (issue #19, DormantRetry) in event caches of 16 keys per node (entries of dormant retries evicted and refreshed among other pods' events), woken by a label, a ConfigMap, a Secret, a side container's exit, a deletion, a node down and up, are identical on both engines", () => {
  // Crash loops in the spam filter's throttled regime: their back-off retries' BackOff repeats are
  // dropped, so the retries sleep until the expiry, a token, or an input wakes them. The kubelets'
  // correlators hold 16 keys per cache (upstream's 4,096 scaled down: several pods' keys per node),
  // so evictions happen all along, of dormant entries too. The store's Events (counts,
  // timestamps) are compared after every step.
  sameOnBothEngines([
    { op: "eventcache", size: 16 },
    { op: "nodes" },
    { op: "configmap", value: "one" },
    ...Array.from({ length: 6 }, (_, i): Op => ({ op: "shell", name: `s${i + 1}`, script: "crash", grace: 2, restartPolicy: "Always" })),
    { op: "shell", name: "s7", script: "crash", grace: 2, restartPolicy: "Always", side: "sidecrash" },
    { op: "shell", name: "s8", script: "crash", grace: 2, restartPolicy: "OnFailure", side: "watchcfg" },
    { op: "advance", ms: 600_000 },
    // New pods every 70 s: new keys in the caches (evictions) while the first ones' retries sleep.
    ...Array.from({ length: 8 }, (_, i): Op[] => [
      { op: "shell", name: `t${i + 1}`, script: i % 2 ? "crash" : "sidecrash", grace: 2, restartPolicy: "Always" },
      { op: "advance", ms: 70_000 },
    ]).flat(),
    { op: "kubectl", args: ["label", "pod", "s1", "round=r1"] },
    { op: "advance", ms: 47_000 },
    { op: "configmap", value: "two" },
    { op: "advance", ms: 61_000 },
    { op: "kubectl", args: ["create", "secret", "generic", "sec", "--from-literal=a=b"] },
    { op: "advance", ms: 71_000 },
    { op: "read", args: ["delete", "pod", "s2", "--wait=false"] },
    { op: "advance", ms: 45_000 },
    { op: "node", name: "n2", up: false },
    { op: "advance", ms: 90_000 },
    { op: "node", name: "n2", up: true },
    { op: "advance", ms: 123_000 },
    { op: "kubectl", args: ["annotate", "pod", "s3", "note=n1"] },
    { op: "advance", ms: 400_000 },
    { op: "read", args: ["get", "events", "--sort-by=.lastTimestamp"] },
  ]);
});

test("differential: pods waiting on cordoned nodes (repeated FailedScheduling), bound once a node is uncordoned, and a crashing pod's repeated events are identical on both engines", () => {
  // The store's write path (issue #19 §4): a bind that turns PodScheduled False into True, and
  // Events whose repeats bump count/lastTimestamp (core/v1) or series (events.k8s.io).
  sameOnBothEngines([
    { op: "kubectl", args: ["cordon", "n1"] },
    { op: "kubectl", args: ["cordon", "n2"] },
    { op: "kubectl", args: ["cordon", "n3"] },
    { op: "deployment", name: "web", replicas: 2, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 0 },
    { op: "pod", name: "p1", app: "solo", image: "busybox:1.36", restartPolicy: "Always", probe: 3 },
    { op: "advance", ms: 330_000 },
    { op: "kubectl", args: ["uncordon", "n2"] },
    { op: "advance", ms: 60_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=4"] },
    { op: "advance", ms: 600_000 },
  ]);
});

test("differential: pods with their own spreading constraint (the scheduler's tracked counts) beside pinned pods, written by the kubelet, relabelled into the selector and deleted gracefully are identical on both engines", () => {
  // The scheduler's cache at status writes of bound pods and PodTopologySpread's tracked counts
  // (issue #19 §4): each status write replaces the pod's cached version; a relabelled or
  // terminating pod changes the counts. Zone c's node is the emptiest (Score prefers it), so a
  // count of zone c kept wrong places s3 elsewhere (a cache that skipped the counts at a graceful
  // deletion's write put s3 on n1 instead of n3).
  const spread = (name: string) => ({
    op: "kubectl" as const,
    args: [
      "run", name, "--image=kubetm/app:v1", "--labels=tier=x",
      `--overrides={"spec":{"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"tier":"x"}}}]}}`,
    ],
  });
  const pinned = (name: string, tier: string, node: string) => ({
    op: "kubectl" as const,
    args: ["run", name, "--image=kubetm/app:v1", `--labels=tier=${tier}`, `--overrides={"spec":{"nodeName":"${node}","terminationGracePeriodSeconds":20}}`],
  });
  sameOnBothEngines([
    { op: "scheduler", annotations: false },
    { op: "kubectl", args: ["label", "node", "n1", "topology.kubernetes.io/zone=a"] },
    { op: "kubectl", args: ["label", "node", "n2", "topology.kubernetes.io/zone=b"] },
    { op: "kubectl", args: ["label", "node", "n3", "topology.kubernetes.io/zone=c"] },
    pinned("z1", "z", "n1"),
    pinned("z2", "z", "n1"),
    pinned("z3", "z", "n2"),
    pinned("z4", "z", "n2"),
    pinned("s1", "y", "n3"),
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["label", "pod", "s1", "tier=x", "--overwrite"] },
    { op: "advance", ms: 1_000 },
    spread("s2"),
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["delete", "pod", "s1", "--wait=false"] },
    { op: "advance", ms: 1_000 },
    spread("s3"),
    spread("s4"),
    { op: "advance", ms: 30_000 },
  ]);
});

test("differential: pods with their own spreading constraint while nodes change (zones relabelled and removed, a node cordoned and uncordoned), placed by the fast engine's PreFilter kept by pod shape and its Filter walk's verdict per zone, are identical on both engines", () => {
  // Issue #19 §4 (branch sched16): PodTopologySpread's PreFilter is kept per pod shape while its
  // tracked counts are (a node's labels changing voids them), and the Filter walk reads the
  // spreading's verdict by zone number and each node's kept resource outcome by its change stamp.
  const spread = (name: string, skew = 1) => ({
    op: "kubectl" as const,
    args: [
      "run", name, "--image=kubetm/app:v1", "--labels=tier=x",
      `--overrides={"spec":{"topologySpreadConstraints":[{"maxSkew":${skew},"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"tier":"x"}}}]}}`,
    ],
  });
  sameOnBothEngines([
    { op: "scheduler", annotations: false },
    { op: "kubectl", args: ["label", "node", "n1", "topology.kubernetes.io/zone=a"] },
    { op: "kubectl", args: ["label", "node", "n2", "topology.kubernetes.io/zone=b"] },
    { op: "kubectl", args: ["label", "node", "n3", "topology.kubernetes.io/zone=b"] },
    spread("s1"),
    spread("s2"),
    spread("s3"),
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["label", "node", "n3", "topology.kubernetes.io/zone=c", "--overwrite"] },
    spread("s4"),
    spread("s5"),
    spread("s6"),
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["cordon", "n2"] },
    spread("s7", 2),
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["uncordon", "n2"] },
    { op: "kubectl", args: ["label", "node", "n1", "topology.kubernetes.io/zone-"] },
    spread("s8"),
    spread("s9"),
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["delete", "pod", "s2", "s5", "--wait=false"] },
    { op: "advance", ms: 40_000 },
    spread("s10"),
    spread("s11"),
    { op: "advance", ms: 30_000 },
  ]);
});

for (const annotations of [true, false]) {
  test(`differential: preemption on full nodes (every pod of lower priority, and mixed priorities), a pod too large for any node, are identical on both engines (scheduler annotations ${annotations ? "on" : "off"})`, () => {
    // Preemption's dry run (issue #19 §4): nodes of 2 CPUs filled by a Deployment of low pods; a
    // high pod that needs victims, one that fits nowhere even on an empty node, and a mid pod. With
    // the annotations off, the fast engine's Filter plan, Score and dry run shortcuts run.
    sameOnBothEngines([
      { op: "scheduler", annotations },
      { op: "kubectl", args: ["create", "priorityclass", "low", "--value=1"] },
      { op: "kubectl", args: ["create", "priorityclass", "mid", "--value=5"] },
      { op: "kubectl", args: ["create", "priorityclass", "high", "--value=10"] },
      { op: "pod", name: "m1", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "mid", cpu: "900m" },
      { op: "deployment", name: "web", replicas: 4, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 0 },
      { op: "kubectl", args: ["scale", "deployment/web", "--replicas=5"] },
      { op: "advance", ms: 20_000 },
      { op: "pod", name: "big", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "high", cpu: "1950m" },
      { op: "pod", name: "huge", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "high", cpu: "3" },
      { op: "advance", ms: 30_000 },
      { op: "pod", name: "m2", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "mid", cpu: "1900m" },
      { op: "advance", ms: 330_000 },
    ]);
  });
}

test("differential: the system default spreading (pods behind a Service and ReplicaSets, zones, a rolling update, relabelled pods, a Service added and removed) places pods identically on both engines", () => {
  // The scheduler's default PodTopologySpread (issue #19 §4): the fast engine keeps the namespace's
  // selectors until a Service / ReplicaSet / StatefulSet is written, one matcher per set of
  // selectors, and each node's count of matching pods until its pods change; the reference engine
  // builds them every cycle and counts every node's pods.
  sameOnBothEngines([
    { op: "scheduler", annotations: false },
    { op: "kubectl", args: ["label", "node", "n1", "topology.kubernetes.io/zone=a"] },
    { op: "kubectl", args: ["label", "node", "n2", "topology.kubernetes.io/zone=a"] },
    { op: "kubectl", args: ["label", "node", "n3", "topology.kubernetes.io/zone=b"] },
    { op: "service", app: "web" },
    { op: "deployment", name: "web", replicas: 7, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 0 },
    { op: "replicaset", name: "rs1", replicas: 4, app: "rs1" },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=11"] },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=kubetm/app:v2"] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "pods", "-l", "app=rs1", "app=web", "--overwrite"] },
    { op: "service", app: "rs1" },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["delete", "service", "svc-web"] },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=14"] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "node", "n3", "topology.kubernetes.io/zone-"] },
    { op: "kubectl", args: ["scale", "replicaset/rs1", "--replicas=7"] },
    { op: "advance", ms: 30_000 },
    // Nodes moved between zones while pods are placed (the fast engine keeps the spreading's
    // eligible nodes until a node's labels or taints change).
    { op: "kubectl", args: ["label", "node", "n1", "topology.kubernetes.io/zone=b", "--overwrite"] },
    { op: "kubectl", args: ["label", "node", "n3", "topology.kubernetes.io/zone=a"] },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=20"] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "node", "n2", "topology.kubernetes.io/zone=c", "--overwrite"] },
    { op: "kubectl", args: ["scale", "replicaset/rs1", "--replicas=12"] },
    { op: "advance", ms: 30_000 },
  ]);
});

test(`differential: ${RUNS} generated programs leave identical transcripts on the fast and the reference engine`, () => {
  let runs = 0;
  fc.assert(
    fc.property(program, (ops) => {
      runs++;
      sameOnBothEngines(ops);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FUZZ_RUNS === undefined },
  );
  count("differential programs", runs);
});

test("differential: a crash loop that prints the Services' variables at every start while Services come and go, and the same script in two pods, are identical on both engines", () => {
  // The service variables kept per namespace and the shared parse of a script (issue #19): each
  // start must see the Services of its instant, and two pods running the same text the same lists.
  sameOnBothEngines([
    { op: "shell", name: "s1", script: "envcrash", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 20_000 },
    { op: "service", app: "web" },
    { op: "shell", name: "s2", script: "envcrash", grace: 3, restartPolicy: "Always" },
    { op: "advance", ms: 40_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "service", app: "db" },
    { op: "advance", ms: 50_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "read", args: ["logs", "s2"] },
    { op: "read", args: ["delete", "service", "svc-web"] },
    { op: "advance", ms: 90_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "read", args: ["logs", "s2", "--previous"] },
    { op: "service", app: "web", targetPort: 9090 },
    { op: "advance", ms: 120_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "read", args: ["logs", "s2"] },
  ]);
});

test("differential: application containers' environments read by exec after the Services changed, a restarted one's, and a shell's at its start, are identical on both engines", () => {
  // A container's process environment built at its first read (issue #19, probes25: ProcessEnvInputs
  // in kuberuntime_manager.ts): an exec reads it long after the start, Services having come, gone
  // and changed in between; each read must find what the start would have built.
  sameOnBothEngines([
    { op: "service", app: "web" },
    { op: "pod", name: "p1", app: "web", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "p2", app: "api", image: "kubetm/app:v2", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 30_000 },
    { op: "service", app: "db" },
    { op: "service", app: "web", targetPort: 80 },
    { op: "advance", ms: 4000 },
    { op: "read", args: ["exec", "p1", "--", "sh", "-c", "env | sort"] },
    { op: "read", args: ["delete", "service", "svc-db"] },
    { op: "advance", ms: 1000 },
    { op: "read", args: ["exec", "p2", "--", "sh", "-c", "env | sort"] },
    { op: "shell", name: "s1", script: "envcrash", grace: 2, restartPolicy: "Always" },
    { op: "read", args: ["exec", "p1", "--", "sh", "-c", "rm -f /tmp/healthy; kill 1"] },
    { op: "service", app: "api" },
    { op: "advance", ms: 90_000 },
    { op: "read", args: ["exec", "p1", "--", "sh", "-c", "env | sort"] },
    { op: "read", args: ["exec", "p2", "--", "sh", "-c", "env | grep -c SERVICE"] },
    { op: "read", args: ["logs", "s1", "--previous"] },
  ]);
});

test("differential: a crash loop whose environment reads a ConfigMap (envFrom, configMapKeyRef), a label and the pod IP, with the ConfigMap, the label and the Services changed between its restarts, is identical on both engines", () => {
  // The kubelet's kept start (issue #19, kubelet22: KubeRuntimeManager.keptStart): each start must
  // see the ConfigMap, the Services and the label of its instant (s2 reads a label by fieldRef: its starts keep nothing).
  sameOnBothEngines([
    { op: "shell", name: "s1", script: "envfrom", grace: 2, restartPolicy: "Always", env: "plain" },
    { op: "shell", name: "s2", script: "envfrom", grace: 3, restartPolicy: "Always", env: "label" },
    { op: "advance", ms: 20_000 },
    { op: "configmap", value: "one" },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "configmap", value: "two" },
    { op: "service", app: "web" },
    { op: "advance", ms: 60_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "read", args: ["logs", "s2", "--previous"] },
    { op: "read", args: ["label", "pod", "s1", "s2", "tier=gold"] },
    { op: "advance", ms: 90_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "read", args: ["logs", "s2", "--previous"] },
    { op: "read", args: ["delete", "configmap", "cfg"] },
    { op: "advance", ms: 170_000 },
    { op: "read", args: ["logs", "s1", "--previous"] },
    { op: "read", args: ["logs", "s1"] },
    { op: "read", args: ["logs", "s2", "--previous"] },
  ]);
});

test("differential: every kind that starts a component late created first at an odd instant, before and after the nodes join, is identical on both engines", () => {
  sameOnBothEngines([
    { op: "advance", ms: 11_700 },
    { op: "read", args: ["get", "all", "-A"] },
    { op: "late", what: "quota" },
    { op: "configmap", value: "one" },
    { op: "advance", ms: 2_500 },
    { op: "late", what: "cronjob" },
    { op: "late", what: "endpoints" },
    { op: "advance", ms: 7_300 },
    { op: "late", what: "pv" },
    { op: "late", what: "pdb" },
    { op: "late", what: "hpa" },
    { op: "advance", ms: 61_000 },
    { op: "nodes" },
    { op: "late", what: "pvc" },
    { op: "late", what: "claimpod" },
    { op: "advance", ms: 4_000 },
    { op: "service", app: "web", targetPort: 8080 },
    { op: "late", what: "ttljob" },
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "rolling", minReady: 0, probe: 1 },
    { op: "advance", ms: 30_000 },
    { op: "statefulset", name: "db", replicas: 2, image: "kubetm/app:v1", policy: "OrderedReady", partition: 0, claims: true, whenScaled: "Delete", minReady: 0, probe: 0 },
    { op: "daemonset", name: "agent", image: "kubetm/app:v1", strategy: "surge:1", nodeSelector: false, minReady: 0, probe: 0 },
    { op: "advance", ms: 90_000 },
    { op: "kubectl", args: ["delete", "pods", "-l", "app=web", "--wait=false"] },
    { op: "advance", ms: 300_000 },
  ]);
});

test("differential: a Job, a StatefulSet and a ReplicaSet first, with no nodes for a while, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "job", name: "batch", completions: 3, parallelism: 2, backoffLimit: 2, fail: 1, restartPolicy: "Never", indexed: false },
    { op: "advance", ms: 4_000 },
    { op: "statefulset", name: "db", replicas: 2, image: "kubetm/app:v1", policy: "Parallel", partition: 0, claims: false, whenScaled: "Retain", minReady: 0, probe: 0 },
    { op: "replicaset", name: "rs1", replicas: 2, app: "rs1" },
    { op: "advance", ms: 30_000 },
    { op: "nodes" },
    { op: "advance", ms: 120_000 },
  ]);
});

const LATE_RUNS = Math.max(4, Math.ceil(RUNS / 2));
test(`differential: ${LATE_RUNS} generated programs whose kinds come first late (components started late) leave identical transcripts on both engines`, () => {
  let runs = 0;
  fc.assert(
    fc.property(lateProgram, (ops) => {
      runs++;
      sameOnBothEngines(ops);
    }),
    { numRuns: LATE_RUNS, seed: SEED, endOnFailure: process.env.FUZZ_RUNS === undefined },
  );
  count("differential late programs", runs);
});

test("differential: ClusterRoles joining, leaving and changing the aggregated admin, edit, view and a user's own aggregated role (the aggregation controller's memo of the start) are identical on both engines", () => {
  // Every cluster's start syncs admin, edit and view over the replayed bootstrap objects (the fast
  // engine's memo answers); each ClusterRole below makes the next syncs compute anew.
  sameOnBothEngines([
    { op: "advance", ms: 1_000 },
    { op: "rbac", what: "view-crontabs" },
    { op: "advance", ms: 2_500 },
    { op: "rbac", what: "monitoring" },
    { op: "rbac", what: "edit-widgets" },
    { op: "read", args: ["get", "clusterrole", "admin", "edit", "view", "monitoring", "-o", "yaml"] },
    { op: "kubectl", args: ["label", "clusterrole", "view-crontabs", "rbac.authorization.k8s.io/aggregate-to-view-"] },
    { op: "advance", ms: 1_000 },
    { op: "kubectl", args: ["label", "clusterrole", "edit-widgets", "rbac.authorization.k8s.io/aggregate-to-view=true"] },
    { op: "read", args: ["describe", "clusterrole", "view"] },
    { op: "kubectl", args: ["delete", "clusterrole", "edit-widgets"] },
    { op: "rbac", what: "view-crontabs" },
    { op: "kubectl", args: ["delete", "clusterrole", "view-crontabs", "monitoring-endpoints"] },
    { op: "advance", ms: 30_000 },
    { op: "read", args: ["get", "clusterrole", "admin", "edit", "view", "monitoring", "-o", "yaml"] },
  ]);
});

test("differential: the start's objects deleted and made again (the `kubernetes` Service, its Endpoints and EndpointSlice, kube-root-ca.crt ConfigMaps and default ServiceAccounts: frozen shared create requests on the fast engine), in new namespaces too, are identical on both engines", () => {
  sameOnBothEngines([
    { op: "advance", ms: 1_500 },
    { op: "kubectl", args: ["create", "namespace", "team-a"] },
    { op: "advance", ms: 500 },
    { op: "read", args: ["get", "configmap,serviceaccount", "-A", "-o", "yaml"] },
    { op: "kubectl", args: ["delete", "endpointslice", "kubernetes"] },
    { op: "advance", ms: 4_000 },
    { op: "kubectl", args: ["delete", "endpoints", "kubernetes"] },
    { op: "kubectl", args: ["delete", "configmap", "kube-root-ca.crt", "-n", "team-a"] },
    { op: "kubectl", args: ["delete", "serviceaccount", "default", "-n", "kube-public"] },
    { op: "advance", ms: 7_000 },
    { op: "read", args: ["get", "endpoints,endpointslices,configmaps,serviceaccounts", "-A", "-o", "yaml"] },
    { op: "kubectl", args: ["delete", "service", "kubernetes"] },
    { op: "kubectl", args: ["delete", "namespace", "team-a"] },
    { op: "advance", ms: 12_000 },
    { op: "kubectl", args: ["create", "namespace", "team-a"] },
    { op: "kubectl", args: ["create", "namespace", "team-b"] },
    { op: "advance", ms: 11_000 },
    { op: "read", args: ["get", "services,endpoints,endpointslices,configmaps,serviceaccounts", "-A", "-o", "yaml"] },
  ]);
});

test("differential: the garbage collector's graph of the start's objects (taken from the restored start on the fast engine): dependents of bootstrap ClusterRoles, a RoleBinding and a system namespace kept, a dangling one collected, owners deleted in the foreground and in the background, are identical on both engines", () => {
  // Clusters started before at this instant: each fast-engine start below restores the start's objects.
  for (let i = 0; i < 2; i++) void new Cluster({ seed: 7 }).close();
  sameOnBothEngines([
    { op: "owned", name: "by-view", owner: "ClusterRole/view", block: true },
    { op: "owned", name: "by-edit", owner: "ClusterRole/edit" },
    { op: "owned", name: "by-binding", owner: "RoleBinding/kube-public/system:controller:bootstrap-signer" },
    { op: "owned", name: "by-namespace", owner: "Namespace/kube-node-lease" },
    { op: "owned", name: "dangling", owner: "ClusterRole/view", dangling: true },
    { op: "advance", ms: 2_000 },
    { op: "read", args: ["get", "configmaps", "-n", "default", "-o", "yaml"] },
    { op: "kubectl", args: ["delete", "clusterrole", "view", "--cascade=foreground", "--wait=false"] },
    { op: "advance", ms: 3_000 },
    { op: "kubectl", args: ["delete", "clusterrole", "edit"] },
    { op: "kubectl", args: ["delete", "rolebinding", "system:controller:bootstrap-signer", "-n", "kube-public", "--cascade=orphan"] },
    { op: "advance", ms: 5_000 },
    { op: "read", args: ["get", "configmaps", "-A", "-o", "yaml"] },
    { op: "kubectl", args: ["delete", "namespace", "kube-node-lease"] },
    { op: "advance", ms: 5_000 },
  ]);
});

test("differential: status-only changes left out of the handlers that ignore them (Recreate waiting for old pods, claims held by crash-looping pods, NoExecute taints with tolerationSeconds on pods bound and written to) are identical on both engines", () => {
  // Issue #19 §1 (ApiServer.watch's `ignoresStatusOnly`): the fast engine does not call the
  // Deployment controller's, the taint eviction's and the PVC protection's Pod handlers for a
  // status-only change; a bind, a deletion, a label are still theirs.
  const tolerating = (name: string, seconds: number) => ({
    op: "kubectl" as const,
    args: ["run", name, "--image=busybox:1.36", "--restart=Always", `--overrides={"spec":{"tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":${seconds}}]}}`, "--", "sh", "-c", "echo up; sleep 7; exit 2"],
  });
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 3, image: "demo/flaky:1", strategy: "Recreate", minReady: 0, probe: 1 },
    { op: "statefulset", name: "db", replicas: 2, image: "kubetm/app:v1", policy: "Parallel", partition: 0, claims: true, whenScaled: "Retain", minReady: 0, probe: 0 },
    { op: "shell", name: "crash", script: "crash", grace: 2, restartPolicy: "Always" },
    { op: "advance", ms: 45_000 },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=kubetm/app:v2"] },
    { op: "kubectl", args: ["delete", "pvc", "--all", "--wait=false"] },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["taint", "nodes", "n1", "k=v:NoExecute"] },
    { op: "kubectl", args: ["taint", "nodes", "n2", "k=v:NoExecute"] },
    { op: "kubectl", args: ["taint", "nodes", "n3", "k=v:NoExecute"] },
    tolerating("tol1", 40),
    tolerating("tol2", 75),
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "pod", "tol1", "touched=yes"] },
    { op: "kubectl", args: ["scale", "statefulset/db", "--replicas=0"] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["taint", "nodes", "n2", "k=v:NoExecute-"] },
    tolerating("tol3", 20),
    { op: "advance", ms: 120_000 },
  ]);
});

test("differential: preemption while the victims crash-loop (their status writes left out of the scheduler's cache: the node's pod order kept by stamp, ties of priority and start), a victim still terminating on the nominated node, a victim running again elsewhere, are identical on both engines", () => {
  // Issue #19 §1 (Scheduler.statusOnlyWanted, SchedulerCache.leaveOutStatusOnly, NodeInfo.sortPods):
  // on the fast engine a crash-looping pod's status writes do not reach the scheduler's cache, which
  // would append each pod's new version to its node's list; preemption's reprieve keeps the first
  // pods of equal priority and start in that order, so which crash-looping pod is the victim
  // depends on whose status was written last.
  const pods = { op: "read" as const, args: ["get", "pods", "-o", "wide"] };
  const low = (name: string, script: string) => ({ op: "shell" as const, name, script, grace: 3, restartPolicy: "Always", cpu: "400m", priorityClass: "low" });
  sameOnBothEngines([
    { op: "scheduler", annotations: false },
    { op: "kubectl", args: ["create", "priorityclass", "low", "--value=1"] },
    { op: "kubectl", args: ["create", "priorityclass", "mid", "--value=5"] },
    { op: "kubectl", args: ["create", "priorityclass", "high", "--value=10"] },
    // The first pod on each node crash-loops (its status written last), the later ones run on.
    ...["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"].map((n, i) => low(n, i < 3 ? (i === 1 ? "crash" : "quick") : "idle")),
    { op: "advance", ms: 47_000 },
    pods,
    { op: "pod", name: "big", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "high", cpu: "1200m" },
    { op: "advance", ms: 1_000 },
    pods,
    // A second preemptor while the first's victim terminates; then one while every node is full.
    { op: "pod", name: "mid1", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "mid", cpu: "1100m" },
    { op: "advance", ms: 600 },
    pods,
    { op: "advance", ms: 38_000 },
    { op: "pod", name: "mid2", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "mid", cpu: "700m" },
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["delete", "pod", "big", "--wait=false"] },
    low("s10", "quick"),
    { op: "advance", ms: 61_000 },
    { op: "pod", name: "high2", app: "solo", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, priorityClass: "high", cpu: "1500m" },
    { op: "advance", ms: 45_000 },
    pods,
    { op: "read", args: ["get", "events", "--sort-by=.metadata.resourceVersion"] },
  ]);
});

test("differential: status-only changes of pods no Service selects left out of the endpoint controllers' informers (crash-looping pods without labels and with labels no Service selects beside selected ones, Services made, reselected by a relabel and deleted mid-way) are identical on both engines", () => {
  // Issue #19 §1 (ApiServer.watch's `statusOnlyWanted`, ServiceInformer.selectsAny): on the fast
  // engine a kubelet's status write of a pod no Service of the informer's cache selects does not
  // reach the Endpoints and EndpointSlice controllers' Pod handlers.
  const eps = { op: "read" as const, args: ["get", "endpoints,endpointslices", "-o", "yaml"] };
  const wait = (ms: number) => [{ op: "advance" as const, ms }, eps];
  sameOnBothEngines([
    { op: "shell", name: "bare", script: "crash", grace: 2, restartPolicy: "Always" },
    { op: "kubectl", args: ["label", "pod", "bare", "app-"] },
    { op: "shell", name: "flap", script: "quick", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "lone", script: "quick", grace: 2, restartPolicy: "Always" },
    { op: "kubectl", args: ["label", "pod", "flap", "app=cache", "--overwrite"] },
    { op: "pod", name: "p1", app: "cache", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "p2", app: "db", image: "demo/flaky:1", restartPolicy: "Always", probe: 1 },
    { op: "advance", ms: 4_000 },
    { op: "service", app: "cache" },
    ...wait(5_000),
    ...wait(9_000),
    ...wait(9_000),
    ...wait(9_000),
    { op: "kubectl", args: ["label", "pod", "p2", "app=cache", "--overwrite"] },
    { op: "kubectl", args: ["label", "pod", "bare", "app=cache"] },
    ...wait(9_000),
    ...wait(11_000),
    ...wait(11_000),
    { op: "kubectl", args: ["delete", "service", "svc-cache"] },
    { op: "service", app: "db" },
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["label", "pod", "p1", "app=db", "--overwrite"] },
    { op: "kubectl", args: ["label", "pod", "flap", "app=db", "--overwrite"] },
    ...wait(13_000),
    ...wait(17_000),
    ...wait(27_000),
  ]);
});

test("differential: pod events of other controllers' pods left out of the DaemonSet, StatefulSet and Job controllers (orphans adopted by a ReplicaSet, released, adopted by a DaemonSet; a rolling update beside them) are identical on both engines", () => {
  // Issue #19 §3 (ApiServer.watch's `controllerKind`): the fast engine does not call the DaemonSet,
  // StatefulSet and Job controllers' Pod handlers for a pod another kind's owner controls before
  // and after a change. Orphans are indexed by all three first; a ReplicaSet adopts them (their
  // later status writes skip the three), a relabel releases them (a change of controller: delivered,
  // with what each index kept from before) and a DaemonSet or the ReplicaSet again adopts them.
  sameOnBothEngines([
    { op: "pod", name: "o1", app: "agent", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "o2", app: "cache", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0 },
    { op: "pod", name: "o3", app: "db", image: "nginx:1.27", restartPolicy: "Always", probe: 0 },
    { op: "advance", ms: 5_000 },
    { op: "replicaset", name: "rs", replicas: 3, app: "cache" },
    { op: "deployment", name: "web", replicas: 3, image: "kubetm/app:v1", strategy: "RollingUpdate:1:0", minReady: 0, probe: 1 },
    { op: "job", name: "batch", completions: 3, parallelism: 2, backoffLimit: 4, fail: 1, restartPolicy: "Never", indexed: false },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["label", "pod", "o1", "app=cache", "--overwrite"] },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=kubetm/app:v2"] },
    { op: "kubectl", args: ["label", "pod", "o2", "app=agent", "--overwrite"] },
    { op: "advance", ms: 5_000 },
    { op: "daemonset", name: "agent", image: "kubetm/app:v1", strategy: "RollingUpdate:1", nodeSelector: false, minReady: 0, probe: 1 },
    { op: "statefulset", name: "db", replicas: 2, image: "nginx:1.27", policy: "Parallel", partition: 0, claims: false, whenScaled: "Retain", minReady: 0, probe: 0 },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["label", "pod", "o1", "app=agent", "--overwrite"] },
    { op: "kubectl", args: ["scale", "replicaset/rs", "--replicas=1"] },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["delete", "daemonset", "agent", "--cascade=orphan"] },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["label", "pod", "o1", "app=cache", "--overwrite"] },
    { op: "kubectl", args: ["scale", "replicaset/rs", "--replicas=4"] },
    { op: "advance", ms: 60_000 },
  ]);
});

test("differential: orphans' events left out of the Job controller (a Job deleted with --cascade=orphan while its pods run, their tracking finalizers removed, status writes and relabels of orphans, the Job made again, plain pods beside) are identical on both engines", () => {
  // Issue #19 (ApiServer.watch's `ignoresOrphans`): the fast engine does not call the Job
  // controller's Pod handler for an ADDED or MODIFIED pod without a controller before and after.
  // The orphaned pods were indexed under their Job, released (delivered: a change of controller),
  // and their finalizer removal (the controller's own write, recorded) and later changes skip it.
  sameOnBothEngines([
    { op: "pod", name: "o1", app: "cache", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "job", name: "batch", completions: 4, parallelism: 2, backoffLimit: 4, fail: 1, restartPolicy: "Never", indexed: false },
    { op: "advance", ms: 4_000 },
    { op: "kubectl", args: ["delete", "job", "batch", "--cascade=orphan"] },
    { op: "pod", name: "o2", app: "cache", image: "busybox:1.36", restartPolicy: "OnFailure", probe: 0 },
    { op: "advance", ms: 10_000 },
    { op: "kubectl", args: ["label", "pod", "--all", "touched=yes"] },
    { op: "job", name: "batch", completions: 2, parallelism: 2, backoffLimit: 2, fail: 1, restartPolicy: "OnFailure", indexed: true },
    { op: "advance", ms: 5_000 },
    { op: "kubectl", args: ["delete", "pod", "o1", "--wait=false"] },
    { op: "kubectl", args: ["label", "pod", "--all", "touched=again", "--overwrite"] },
    { op: "advance", ms: 60_000 },
  ]);
});

test("differential: orphans' status changes left to the DaemonSet and StatefulSet indexes (crash-looping and probed orphans before any owner, adopted by a StatefulSet and a DaemonSet, orphaned again with --cascade=orphan, a member force-deleted and made again under its name, both owners made again) are identical on both engines", () => {
  // Issue #19 (ApiServer.watch's `lazyOrphansOf`, OrphanStatusLog): on the fast engine a kubelet's
  // status write of a pod without a controller does not reach the DaemonSet and StatefulSet
  // controllers' Pod handlers while the namespace has none of their kind; their indexes apply the
  // noted changes when they read the namespace's orphans (adoption) or the pod again.
  sameOnBothEngines([
    { op: "pod", name: "db-0", app: "db", image: "busybox:1.36", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "db-1", app: "db", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "agent-x", app: "agent", image: "busybox:1.36", restartPolicy: "Always", probe: 2 },
    { op: "pod", name: "o1", app: "cache", image: "kubetm/app:v1", restartPolicy: "Always", probe: 1 },
    { op: "advance", ms: 40_000 },
    { op: "statefulset", name: "db", replicas: 3, image: "kubetm/app:v1", policy: "Parallel", partition: 0, claims: false, whenScaled: "Retain", minReady: 0, probe: 1 },
    { op: "daemonset", name: "agent", image: "busybox:1.36", strategy: "RollingUpdate:1", nodeSelector: false, minReady: 0, probe: 2 },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["delete", "statefulset", "db", "--cascade=orphan"] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["delete", "pod", "db-1", "--grace-period=0", "--force"] },
    { op: "kubectl", args: ["label", "pod", "o1", "app=db", "--overwrite"] },
    { op: "statefulset", name: "db", replicas: 2, image: "kubetm/app:v1", policy: "OrderedReady", partition: 0, claims: false, whenScaled: "Retain", minReady: 0, probe: 1 },
    { op: "kubectl", args: ["delete", "daemonset", "agent", "--cascade=orphan"] },
    { op: "advance", ms: 40_000 },
    { op: "daemonset", name: "agent", image: "busybox:1.36", strategy: "RollingUpdate:1", nodeSelector: false, minReady: 0, probe: 2 },
    { op: "advance", ms: 60_000 },
  ]);
});

test("differential: crash loops whose status-write echoes the kubelet keeps (issue #19, echo23) while another client patches their labels, annotations and a readiness gate's condition, with a downward API volume of the labels, are identical on both engines", () => {
  // Issue #19 §1 (`Kubelet.echoWanted`): on the fast engine the echo of a kubelet's own last status
  // write does not reach its Pod handler (the worker keeps the stored pod in its place); another
  // writer's change between two of its writes, a probed pod and a gate to reconcile still do.
  const label = (pod: string, v: string): Op => ({ op: "kubectl", args: ["label", "pod", pod, `tier=${v}`, "--overwrite"] });
  const note = (pod: string, v: string): Op => ({ op: "kubectl", args: ["annotate", "pod", pod, `note=${v}`, "--overwrite"] });
  const gate = (status: string): Op => ({
    op: "kubectl",
    args: ["patch", "pod", "p1", "--subresource=status", "--type=merge", "-p", `{"status":{"conditions":[{"type":"example.com/gate","status":"${status}"}]}}`],
  });
  const pods = { op: "read" as const, args: ["get", "pods", "-o", "yaml"] };
  sameOnBothEngines([
    { op: "shell", name: "s1", script: "crash", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "quick", grace: 3, restartPolicy: "OnFailure", side: "sidequick" },
    { op: "shell", name: "s3", script: "envfrom", grace: 3, restartPolicy: "Always", env: "label" },
    { op: "pod", name: "p1", app: "web", image: "kubetm/app:v1", restartPolicy: "Always", probe: 0, gate: true },
    { op: "advance", ms: 12_000 },
    label("s1", "a"),
    note("s2", "one"),
    gate("True"),
    { op: "advance", ms: 1_500 },
    pods,
    label("s2", "b"),
    label("s3", "c"),
    { op: "advance", ms: 21_000 },
    note("s1", "two"),
    gate("False"),
    { op: "advance", ms: 700 },
    label("s1", "d"),
    { op: "advance", ms: 45_000 },
    pods,
    gate("True"),
    label("s3", "e"),
    note("s2", "three"),
    { op: "advance", ms: 90_000 },
    pods,
    { op: "read", args: ["delete", "pod", "s1", "--wait=false"] },
    label("s2", "f"),
    { op: "advance", ms: 200_000 },
    pods,
  ]);
});

test("differential: the kubelet's status writes stored unbuilt (issue #19, defer24), read by kubectl at many instants between and across restarts, relabelled, deleted while unbuilt and ending in a terminal phase, are identical on both engines", () => {
  // Issue #19 §1 (`ApiServer.updatePodStatus`): on the fast engine a kubelet's status write keeps the
  // status it was handed and copies it at the first read; every read below (a get of one pod, a
  // list, describe, the wide table, the Events) lands at some instant between two writes.
  const pods = { op: "read" as const, args: ["get", "pods", "-o", "json"] };
  const wide = { op: "read" as const, args: ["get", "pods", "-o", "wide"] };
  const one = (pod: string): Op => ({ op: "read", args: ["get", "pod", pod, "-o", "yaml"] });
  const describe = (pod: string): Op => ({ op: "read", args: ["describe", "pod", pod] });
  sameOnBothEngines([
    { op: "shell", name: "u1", script: "crash", grace: 2, restartPolicy: "Always" },
    { op: "shell", name: "u2", script: "quick", grace: 3, restartPolicy: "OnFailure" },
    { op: "shell", name: "u3", script: "crash", grace: 1, restartPolicy: "Never" },
    { op: "shell", name: "u4", script: "envfrom", grace: 3, restartPolicy: "Always", env: "label" },
    { op: "advance", ms: 900 },
    one("u1"),
    { op: "advance", ms: 2_300 },
    wide,
    { op: "advance", ms: 7_700 },
    describe("u3"),
    { op: "kubectl", args: ["label", "pod", "u1", "tier=a", "--overwrite"] },
    { op: "advance", ms: 13_000 },
    one("u2"),
    { op: "advance", ms: 400 },
    pods,
    { op: "advance", ms: 31_000 },
    { op: "read", args: ["delete", "pod", "u4", "--wait=false"] },
    { op: "advance", ms: 1_100 },
    describe("u1"),
    { op: "advance", ms: 60_000 },
    { op: "read", args: ["get", "events", "--sort-by=.lastTimestamp"] },
    { op: "advance", ms: 123_000 },
    pods,
    { op: "advance", ms: 300_000 },
    wide,
    pods,
  ]);
});

test("differential: status-only changes left out of the garbage collector (crash-looping pods owning ConfigMaps deleted in the foreground and orphaning, a ReplicaSet deleted in the foreground, a Deployment orphaning its ReplicaSet while its pods crash) are identical on both engines", () => {
  // Issue #19 §1 (the dispatch's "*" loop asks `statusOnlyWanted`; GarbageCollector.statusOnlyWanted):
  // on the fast engine a status write of an object the graph knows, whose owners exist and that is
  // not being deleted with the foreground or orphan finalizer, does not reach the collector. The
  // pods' status writes while they wait in foreground deletion (their own, or their owner's,
  // propagated to them) still do.
  // `held` (a ConfigMap `s0` owns, blocking, with a finalizer of its own) stays after `s0` is
  // deleted in the foreground; once its reference stops blocking, the collector lets `s0` go at its
  // next event — the kubelet's status write when the grace period ends (this simulator re-checks
  // an owner in foreground deletion at each of its events; the test makes that call observable).
  const objects = { op: "read" as const, args: ["get", "pods,replicasets,configmaps", "-o", "yaml"] };
  sameOnBothEngines([
    { op: "shell", name: "s0", script: "tick", grace: 20, restartPolicy: "Always" },
    { op: "shell", name: "s1", script: "trap", grace: 30, restartPolicy: "Always" },
    { op: "shell", name: "s2", script: "crash", grace: 10, restartPolicy: "Always" },
    { op: "replicaset", name: "rs", replicas: 3, app: "rs" },
    { op: "deployment", name: "web", replicas: 3, image: "demo/flaky:1", strategy: "rolling", minReady: 0, probe: 1 },
    { op: "advance", ms: 20_000 },
    { op: "owned", name: "by-s1", owner: "Pod/default/s1", block: true },
    { op: "owned", name: "by-s2", owner: "Pod/default/s2" },
    { op: "owned", name: "by-rs", owner: "ReplicaSet/default/rs", block: true },
    { op: "owned", name: "held", owner: "Pod/default/s0", block: true },
    { op: "kubectl", args: ["patch", "configmap", "held", "--type=merge", "-p", '{"metadata":{"finalizers":["example.com/hold"]}}'] },
    { op: "advance", ms: 40_000 },
    { op: "kubectl", args: ["delete", "pod", "s0", "--cascade=foreground", "--wait=false"] },
    { op: "advance", ms: 3_000 },
    objects,
    { op: "kubectl", args: ["patch", "configmap", "held", "--type=json", "-p", '[{"op":"remove","path":"/metadata/ownerReferences/0/blockOwnerDeletion"}]'] },
    { op: "advance", ms: 10_000 },
    objects,
    { op: "kubectl", args: ["delete", "pod", "s1", "--cascade=foreground", "--wait=false"] },
    { op: "advance", ms: 2_000 },
    objects,
    { op: "kubectl", args: ["delete", "replicaset", "rs", "--cascade=foreground", "--wait=false"] },
    { op: "advance", ms: 1_000 },
    objects,
    { op: "kubectl", args: ["delete", "deployment", "web", "--cascade=orphan", "--wait=false"] },
    { op: "advance", ms: 30_000 },
    objects,
    { op: "kubectl", args: ["delete", "pod", "s2", "--cascade=orphan", "--wait=false"] },
    { op: "advance", ms: 5_000 },
    objects,
    { op: "advance", ms: 120_000 },
    objects,
  ]);
});

test("differential: ReplicaSet pods' status writes (crash loops, readiness flapping, minReadySeconds) among adoptions, releases, a quota's refusals and scale-downs to 0 are identical on both engines", () => {
  // Issue #19 (rs24): the fast engine leaves the ReplicaSet's index out of a status-only write that
  // changes none of its counts' inputs (`ReplicaSetController.statusOnlyWanted`), queueing its keys
  // all the same; the reference engine records every write. Busybox pods fail their probes after a
  // minute and restart; the Deployment waits minReadySeconds; orphans (one never matching) are
  // adopted and released; a quota refuses creates (the rate-limited retries); both scale to 0
  // (every pod ranked) and back.
  sameOnBothEngines([
    { op: "deployment", name: "web", replicas: 4, image: "busybox:1.36", strategy: "rolling:1:1", minReady: 2, probe: 1 },
    { op: "replicaset", name: "rs1", replicas: 2, app: "rs1" },
    { op: "pod", name: "p1", app: "rs1", image: "busybox:1.36", restartPolicy: "Always", probe: 1 },
    { op: "pod", name: "p2", app: "solo", image: "busybox:1.36", restartPolicy: "Always", probe: 1 },
    { op: "advance", ms: 45_000 },
    { op: "kubectl", args: ["label", "pods", "p2", "app=rs1", "--overwrite"] },
    { op: "advance", ms: 40_000 },
    { op: "kubectl", args: ["create", "quota", "pods", "--hard=pods=8"] },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=7"] },
    { op: "advance", ms: 30_000 },
    { op: "kubectl", args: ["label", "pods", "p1", "app=solo", "--overwrite"] },
    { op: "advance", ms: 25_000 },
    { op: "kubectl", args: ["delete", "quota", "pods"] },
    { op: "advance", ms: 35_000 },
    { op: "kubectl", args: ["set", "image", "deployment/web", "app=kubetm/app:v1"] },
    { op: "advance", ms: 20_000 },
    { op: "kubectl", args: ["scale", "rs/rs1", "--replicas=0"] },
    { op: "advance", ms: 60_000 },
    { op: "kubectl", args: ["scale", "rs/rs1", "--replicas=3"] },
    { op: "advance", ms: 120_000 },
    { op: "kubectl", args: ["scale", "deployment/web", "--replicas=0"] },
    { op: "advance", ms: 60_000 },
    { op: "read", args: ["get", "rs", "-o", "wide"] },
  ]);
});
