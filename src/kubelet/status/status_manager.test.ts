import { test } from "node:test";
import assert from "node:assert/strict";
import { terminatePodStatus } from "./status_manager.ts";
import type { ContainerStatus } from "../../api/types.gen.ts";

test("TerminatePod: a container that never ran is terminated ContainerStatusUnknown (137) and a Pending pod ends Failed", () => {
  const waiting = { name: "main", ready: false, restartCount: 0, image: "x", imageID: "", state: { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image \"x\"" } } };
  const done = { name: "side", ready: false, restartCount: 0, image: "y", imageID: "", state: { terminated: { exitCode: 0, reason: "Completed" } } };
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "main" }, { name: "side" }] } };
  const out = terminatePodStatus(pod, { phase: "Pending", containerStatuses: [waiting, done] });
  assert.equal(out.phase, "Failed");
  assert.deepEqual(out.containerStatuses?.[0]?.state, { terminated: { exitCode: 137, message: "The container could not be located when the pod was terminated", reason: "ContainerStatusUnknown" } });
  assert.deepEqual(out.containerStatuses?.[1], done);
  assert.equal(terminatePodStatus(pod, { phase: "Succeeded" }).phase, "Succeeded");
  // A pod whose init container failed never initialized: its app container stays waiting.
  const withInit = { ...pod, spec: { initContainers: [{ name: "init" }], containers: [{ name: "main" }] } };
  const initFailed = { name: "init", state: { terminated: { exitCode: 1, reason: "Error" } } } as ContainerStatus;
  const app = { name: "main", state: { waiting: { reason: "PodInitializing" } } } as ContainerStatus;
  const st = terminatePodStatus(withInit, { phase: "Failed", initContainerStatuses: [initFailed], containerStatuses: [app] });
  assert.deepEqual(st.containerStatuses, [app]);
});
