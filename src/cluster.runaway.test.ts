/**
 * Runaway scenarios (issue 11, item 3): each ends in bounded wall time with a clear message,
 * through the Cluster's limits (maxTimersPerAdvance, advanceBudgetMs), never a hung test run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "./cluster.ts";
import { appCatalogue } from "./images/apps/catalogue.ts";
import { RunawayError } from "./sim/clock.ts";

function cluster(opts: ConstructorParameters<typeof Cluster>[0] = {}): Cluster {
  const c = new Cluster(opts);
  c.addNodesFromTable([{ name: "n1" }, { name: "n2" }]);
  return c;
}

const rs = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: c, image: busybox, command: [sleep, '99999']}]}\n`;

test("10000 days passing is refused at once with the estimate and the busiest periodic timers", () => {
  const c = cluster();
  const t = performance.now();
  assert.throws(
    () => c.advanceSync("240000 hours"),
    (e: Error) =>
      e instanceof RunawayError &&
      /^advancing by 10000 days would fire about 1,702,080,000 periodic timers \(.*every 10s: \(\)=>this\.renewLease\(\).*\), more than the 2,000,000 one advance may run: let at most about 11\.8 days pass at a time/.test(e.message),
  );
  assert.ok(performance.now() - t < 1000, "the refusal must be immediate");
  assert.equal(c.clock.now(), Date.parse("2024-01-08T00:00:00Z"), "nothing ran");
  c.advanceSync("1h"); // shorter spans still work
});

test("the limit follows the cluster's size and can be raised", () => {
  assert.doesNotThrow(() => cluster({ maxTimersPerAdvance: 10_000 }).advanceSync("1h"));
  assert.throws(() => cluster({ maxTimersPerAdvance: 1000 }).advanceSync("1h"), /would fire about 7,092 periodic timers/);
});

test("a container script that loops without sleeping stops at the wall-time budget, naming the busy timer", () => {
  // The pod starts without a budget: on a loaded machine its start alone may take more than the
  // half second, and the budget must catch the loop, not the scheduler's first cycles.
  const c = cluster({ advanceBudgetMs: 0 });
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: spin}\nspec:\n  containers: [{name: c, image: busybox, command: [sh, -c, 'while true; do :; done']}]\n");
  c.advanceSync("30s");
  assert.match(c.kubectlSync("get pod spin").stdout, /spin\s+1\/1\s+Running\s+0/);
  c.advanceBudgetMs = 500;
  const t = performance.now();
  assert.throws(
    () => c.advanceSync("240 hours"),
    (e: Error) => e instanceof RunawayError && /^advancing by 10 days took more than 0\.5 s of wall time: stopped after .* of simulated time and [\d,]+ timer callbacks; busiest: \d+% \(\)=>this\.resume/.test(e.message),
  );
  assert.ok(performance.now() - t < 10_000, "bounded wall time");
  assert.throws(() => c.advanceSync("1s"), RunawayError, "a halted cluster stays halted");
});

test("a busy loop over a short span just runs: the shell's per-instant budget lets time pass", () => {
  const c = cluster();
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: spin}\nspec:\n  containers: [{name: c, image: busybox, command: [sh, -c, 'while true; do :; done']}]\n");
  c.advanceSync("2m");
  assert.match(c.kubectlSync("get pod spin").stdout, /spin\s+1\/1\s+Running\s+0/);
});

test("probes that never answer time out, and the container is restarted with back-off, in bounded time", () => {
  const c = cluster();
  appCatalogue(c.ctx).declare("slow/app", { ports: [8080], routes: { "/health": { status: 200, delay: "1h" } } });
  c.applySync(
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: slow/app, livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 1}, readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 1}}]\n",
  );
  const t = performance.now();
  c.advanceSync("1h");
  assert.ok(performance.now() - t < 20_000);
  assert.match(c.kubectlSync("get pod p").stdout, /p\s+0\/1\s+CrashLoopBackOff/);
  assert.match(c.kubectlSync("get events").stdout, /Liveness probe failed: Get "http:\/\/[\d.]+:8080\/health": context deadline exceeded/);
});

test("two ReplicaSets selecting the same pods do not fight: each owns its own pods", () => {
  const c = cluster();
  c.applySync(rs("a", 2));
  c.applySync(rs("b", 5));
  c.advanceSync("10m");
  const pods = c.api.list("Pod");
  assert.equal(pods.length, 7);
  const created = c.api.list("Event").filter((e) => e.reason === "SuccessfulCreate").reduce((n, e) => n + Number(e.count ?? 1), 0);
  assert.equal(created, 7, "no pod was created twice");
});

test("a Deployment takes back a manually scaled ReplicaSet without churning", () => {
  const c = cluster();
  c.applySync(rs("ignored", 0).replace("kind: ReplicaSet", "kind: Deployment").replace("name: ignored", "name: d").replace("replicas: 0", "replicas: 2"));
  c.advanceSync("1m");
  const name = c.api.list("ReplicaSet")[0].metadata.name!;
  assert.equal(c.kubectlSync(`scale rs ${name} --replicas=6`).exitCode, 0);
  c.advanceSync("10m");
  assert.equal((c.api.get("ReplicaSet", "default", name)!.spec as { replicas: number }).replicas, 2);
  assert.equal(c.api.list("Pod").filter((p) => !p.metadata.deletionTimestamp).length, 2);
});
