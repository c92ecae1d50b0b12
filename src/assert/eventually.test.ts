import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { SimBackend } from "../backend.ts";
import { withExplanation } from "../report/explain.ts";
import { advanceUntil, advanceWhile, endpointReadyUntil, neverRestartsThroughout, podPhaseUntil, podReadyUntil, staysInPhaseThroughout, staysReadyThroughout, STEP_MS } from "./eventually.ts";

/** The simulation's `throughout`, as steps run it. */
const throughout = (c: Cluster, ms: number, t: Parameters<SimBackend["throughout"]>[2]) => new SimBackend(c, withExplanation).throughout(ms, STEP_MS, t);

/** The simulation's `within`, as steps run it (with the pod's story on failure). */
const within = (c: Cluster, ms: number, until: Parameters<SimBackend["within"]>[2]) => new SimBackend(c, withExplanation).within(ms, STEP_MS, until).tookMs;

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  return c;
}

const pod = (name: string, command: string, extra = "") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(command)}]
${extra}`;

test("advanceUntil stops at the first step where the condition holds and says how long it took", () => {
  const c = cluster();
  const start = c.clock.now();
  assert.equal(advanceUntil(c.ctx, () => c.clock.now() - start >= 2_500, 10_000), 2_500);
  assert.equal(advanceUntil(c.ctx, () => false, 1_000), undefined);
  assert.equal(c.clock.now() - start, 3_500);
});

test("advanceWhile returns the instant a condition broke, or undefined when it held throughout", () => {
  const c = cluster();
  const start = c.clock.now();
  assert.equal(advanceWhile(c.ctx, () => true, 2_000), undefined);
  assert.equal(c.clock.now() - start, 2_000);
  assert.equal(advanceWhile(c.ctx, () => c.clock.now() - start < 2_300, 5_000), 300);
});

test("within a minute a sleeping busybox pod is Running; it is never Succeeded within 10 s", () => {
  const c = cluster();
  c.applySync(pod("sleeper", "sleep 3600"));
  const took = within(c, 60_000, podPhaseUntil("sleeper", "Running"));
  assert.ok(took > 0 && took < 60_000);
  assert.throws(() => within(c, 10_000, podPhaseUntil("sleeper", "Succeeded")), /did not become Succeeded within 10 s: it is Running[\s\S]*--- why ---/);
  throughout(c, 60_000, staysInPhaseThroughout("sleeper", "Running"));
  throughout(c, 60_000, neverRestartsThroughout("sleeper"));
});

test("a pod without probes stays Ready; one whose container exits stops being Ready and restarts", () => {
  const c = cluster();
  c.applySync(pod("steady", "sleep 3600"));
  within(c, 30_000, podReadyUntil("steady"));
  throughout(c, 5 * 60_000, staysReadyThroughout("steady"));
  c.applySync(pod("brief", "sleep 20"));
  within(c, 30_000, podReadyUntil("brief"));
  assert.throws(() => throughout(c, 60_000, staysReadyThroughout("brief")), /pod "brief" stopped being Ready after \d+(\.\d)? s \(expected Ready for 60 s\)/);
  assert.throws(() => throughout(c, 60_000, neverRestartsThroughout("brief")), /pod "brief" restarted \(restarts 0 -> 1\) after[\s\S]*Restarts:\ncontainer "app": restartCount 1/);
});

test("a readiness probe that never succeeds: the failure explains the probe and its failures", () => {
  const c = cluster();
  c.applySync(pod("unready", "sleep 3600", `    readinessProbe:
      exec:
        command: ["cat", "/tmp/ready.txt"]
      periodSeconds: 5
`));
  assert.throws(
    () => within(c, 30_000, podReadyUntil("unready")),
    /did not become Ready within 30 s[\s\S]*readiness probe exec \[cat \/tmp\/ready.txt\] every 5s after 0s delay, timeout 1s, successThreshold 1, failureThreshold 3: failed \d+ time\(s\)/,
  );
});

test("within a minute the Service's endpoints list the pod as ready; a missing Service fails clearly", () => {
  const c = cluster();
  c.applySync(`apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`);
  c.applySync(pod("web", "sleep 3600"));
  assert.ok(within(c, 60_000, endpointReadyUntil("web", "web")) > 0);
  assert.throws(() => within(c, 1_000, endpointReadyUntil("nosuch", "web")), /endpoints "nosuch" did not list pod "web" as ready within 1 s: endpoints "nosuch" do not exist/);
});

test("throughout: a pod that leaves its phase, or does not exist, fails with when and why", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: quick}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: busybox, command: [sh, -c, 'sleep 5']}]\n");
  new SimBackend(c).within(60_000, STEP_MS, podPhaseUntil("quick", "Running"));
  assert.throws(() => throughout(c, 60_000, staysInPhaseThroughout("quick", "Running")), /pod "quick" left Running after \d+(\.\d)? s: it is Succeeded \(expected Running for 60 s\)/);
  assert.throws(() => throughout(c, 1_000, neverRestartsThroughout("ghost")), /pod "ghost" does not exist in namespace "default"/);
  assert.throws(() => throughout(c, 1_000, staysReadyThroughout("quick")), /pod "quick" is not Ready now \(expected Ready for 1 s\)/);
});
