/**
 * Ported from pkg/kubelet/kuberuntime/kuberuntime_termination_order_test.go: the sidecar stops after
 * the main container, sidecars stop in reverse order, and the grace period bounds the wait.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod } from "../../api/types.gen.ts";
import { SimClock } from "../../sim/clock.ts";
import { TerminationOrdering } from "./termination_order.ts";

const sidecar = (name: string): Container => ({ name, image: "busybox", imagePullPolicy: "IfNotPresent", restartPolicy: "Always" });
const main = (name: string): Container => ({ name, image: "busybox", imagePullPolicy: "IfNotPresent" });
const podOf = (inits: Container[], containers: Container[]): Pod =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { uid: "12345678", name: "bar", namespace: "new" }, spec: { initContainers: inits, containers } }) as Pod;
const names = (p: Pod) => [...(p.spec!.initContainers ?? []), ...p.spec!.containers].map((c) => c.name);

/** Every container waits for its turn with `graceS`, then takes `exitMs` to exit; the whole seconds each waited. */
function run(p: Pod, graceS: number, exitMs: number, graceOf?: (name: string) => number): Map<string, number> {
  const clock = new SimClock();
  const to = new TerminationOrdering(p, names(p));
  const delays = new Map<string, number>();
  for (const name of names(p)) {
    to.waitForTurn(name, graceOf?.(name) ?? graceS, clock, (waited) => {
      delays.set(name, Math.trunc(waited));
      clock.setTimeout(() => to.containerTerminated(name), exitMs);
    });
  }
  clock.advance(60_000);
  return delays;
}

test("TestTerminationOrderingSidecarStopAfterMain: the sidecar waits for the main container to exit", () => {
  const p = podOf([sidecar("init")], [main("main")]);
  const d = run(p, 30, 1000, (n) => (n === "main" ? 0 : 30));
  assert.equal(d.get("init"), 1, "expected sidecar to wait for main container to exit");
  assert.equal(d.get("main"), 0, "expected main container to not wait to exit");
});

test("TestTerminationOrderingSidecarsInReverseOrder: sidecars exit in reverse order, after the main container", () => {
  const p = podOf([sidecar("sc1"), sidecar("sc2"), sidecar("sc3")], [main("main")]);
  const d = run(p, 30, 1250);
  assert.deepEqual(Object.fromEntries(d), { main: 0, sc3: 1, sc2: 2, sc1: 3 });
});

test("TestTerminationOrderingObeysGrace: the grace period bounds the wait", () => {
  const p = podOf([sidecar("sc1"), sidecar("sc2"), sidecar("sc3")], [main("main")]);
  const d = run(p, 2, 1000);
  assert.deepEqual(Object.fromEntries(d), { main: 0, sc3: 1, sc2: 2, sc1: 2 });
});

test("containers that are not running, and regular init containers, are not waited for", () => {
  const p = podOf([main("setup"), sidecar("sc1")], [main("a"), main("b")]);
  const clock = new SimClock();
  // Only the sidecar and "a" run: "b" and the regular init container count as exited.
  const to = new TerminationOrdering(p, ["sc1", "a"]);
  let waited: number | undefined;
  to.waitForTurn("sc1", 30, clock, (w) => (waited = w));
  assert.equal(waited, undefined, "the sidecar waits for the running main container");
  clock.advance(5_000);
  to.containerTerminated("a");
  assert.equal(waited, 5);
  let setup: number | undefined;
  to.waitForTurn("setup", 30, clock, (w) => (setup = w));
  assert.equal(setup, 0);
});
