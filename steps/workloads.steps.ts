/** Readable checks on ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs and claims, and waiting for self-healing. */
import { both, podStep, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import type { ClusterView } from "../src/api/reader.ts";
import {
  checkAvailableReplicas, checkClaimBound, checkDaemonSetReadyPods, checkJobComplete, checkJobFailed, checkReadyReplicas, checkStatefulSetReadyReplicas,
  replacementCheck,
} from "../src/assert/workloads.ts";
import { expect as now, type Problem } from "../src/assert/expect.ts";
import { then } from "../src/backend.ts";

/** The workload checks return a problem or undefined; `within` checks every simulated second (the live backend polls). */
const POLL_MS = 1000;

function eventually(world: KubeWorld, ms: number, check: (v: ClusterView) => Problem): unknown {
  return then(world.backend.within(ms, POLL_MS, { check, held: "the workload's state held" }), () => undefined);
}

Then("replicaset {string} has {int} ready replicas", both(function (this: KubeWorld, name: string, n: number) {
  const ns = this.ns();
  return this.backend.check((v) => now(checkReadyReplicas(v, name, n, ns)));
}));

Then("within {duration} replicaset {string} has {int} ready replicas", both(function (this: KubeWorld, ms: number, name: string, n: number) {
  const ns = this.ns();
  return eventually(this, ms, (v) => checkReadyReplicas(v, name, n, ns));
}));

Then("deployment {string} has {int} available replicas", both(function (this: KubeWorld, name: string, n: number) {
  const ns = this.ns();
  return this.backend.check((v) => now(checkAvailableReplicas(v, name, n, ns)));
}));

Then("within {duration} deployment {string} has {int} available replicas", both(function (this: KubeWorld, ms: number, name: string, n: number) {
  const ns = this.ns();
  return eventually(this, ms, (v) => checkAvailableReplicas(v, name, n, ns));
}));

Then("statefulset {string} has {int} ready replicas", both(function (this: KubeWorld, name: string, n: number) {
  const ns = this.ns();
  return this.backend.check((v) => now(checkStatefulSetReadyReplicas(v, name, n, ns)));
}));

Then("within {duration} statefulset {string} has {int} ready replicas", both(function (this: KubeWorld, ms: number, name: string, n: number) {
  const ns = this.ns();
  return eventually(this, ms, (v) => checkStatefulSetReadyReplicas(v, name, n, ns));
}));

Then("daemonset {string} has {int} ready pods", both(function (this: KubeWorld, name: string, n: number) {
  const ns = this.ns();
  return this.backend.check((v) => now(checkDaemonSetReadyPods(v, name, n, ns)));
}));

Then("within {duration} daemonset {string} has {int} ready pods", both(function (this: KubeWorld, ms: number, name: string, n: number) {
  const ns = this.ns();
  return eventually(this, ms, (v) => checkDaemonSetReadyPods(v, name, n, ns));
}));

Then("persistentvolumeclaim {string} is bound", both(function (this: KubeWorld, name: string) {
  const ns = this.ns();
  return this.backend.check((v) => now(checkClaimBound(v, name, ns)));
}));

Then("within {duration} persistentvolumeclaim {string} is bound", both(function (this: KubeWorld, ms: number, name: string) {
  const ns = this.ns();
  return eventually(this, ms, (v) => checkClaimBound(v, name, ns));
}));

Then("job {string} is complete", both(function (this: KubeWorld, name: string) {
  const ns = this.ns();
  return this.backend.check((v) => now(checkJobComplete(v, name, ns)));
}));

Then("within {duration} job {string} is complete", both(function (this: KubeWorld, ms: number, name: string) {
  const ns = this.ns();
  return eventually(this, ms, (v) => checkJobComplete(v, name, ns));
}));

Then("job {string} has failed with reason {string}", both(function (this: KubeWorld, name: string, reason: string) {
  const ns = this.ns();
  return this.backend.check((v) => now(checkJobFailed(v, name, reason, ns)));
}));

Then("within {duration} job {string} has failed with reason {string}", both(function (this: KubeWorld, ms: number, name: string, reason: string) {
  const ns = this.ns();
  return eventually(this, ms, (v) => checkJobFailed(v, name, reason, ns));
}));

podStep(Then, "within {duration} a replacement for pod {string} is Running on another node", simOnly("it follows one pod to its replacement across node failures, which only the simulation stages", function (this: KubeWorld, ms: number, pod: string, ns: string | undefined) {
  return eventually(this, ms, replacementCheck(this.cluster, pod, this.ns(ns)));
}));
