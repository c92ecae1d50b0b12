/** Readable checks on ReplicaSets, Deployments and Jobs, and waiting for self-healing. */
import { Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import {
  checkAvailableReplicas, checkJobComplete, checkJobFailed, checkReadyReplicas, replacementCheck, within,
} from "../src/assert/workloads.ts";
import { AssertionFailure } from "../src/assert/objects.ts";

const now = (problem: string | undefined) => {
  if (problem) throw new AssertionFailure(problem);
};

Then("replicaset {string} has {int} ready replicas", function (this: KubeWorld, name: string, n: number) {
  now(checkReadyReplicas(this.cluster, name, n));
});

Then("within {duration} replicaset {string} has {int} ready replicas", function (this: KubeWorld, ms: number, name: string, n: number) {
  within(this.cluster, ms, () => checkReadyReplicas(this.cluster, name, n));
});

Then("deployment {string} has {int} available replicas", function (this: KubeWorld, name: string, n: number) {
  now(checkAvailableReplicas(this.cluster, name, n));
});

Then("within {duration} deployment {string} has {int} available replicas", function (this: KubeWorld, ms: number, name: string, n: number) {
  within(this.cluster, ms, () => checkAvailableReplicas(this.cluster, name, n));
});

Then("job {string} is complete", function (this: KubeWorld, name: string) {
  now(checkJobComplete(this.cluster, name));
});

Then("within {duration} job {string} is complete", function (this: KubeWorld, ms: number, name: string) {
  within(this.cluster, ms, () => checkJobComplete(this.cluster, name));
});

Then("job {string} has failed with reason {string}", function (this: KubeWorld, name: string, reason: string) {
  now(checkJobFailed(this.cluster, name, reason));
});

Then("within {duration} job {string} has failed with reason {string}", function (this: KubeWorld, ms: number, name: string, reason: string) {
  within(this.cluster, ms, () => checkJobFailed(this.cluster, name, reason));
});

Then("within {duration} a replacement for pod {string} is Running on another node", function (this: KubeWorld, ms: number, pod: string) {
  within(this.cluster, ms, replacementCheck(this.cluster, pod));
});
