import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { SHARED_PIDS_REASON } from "./kuberuntime_manager.ts";

// shareProcessNamespace is not simulated: the pod runs, and one Warning says so (docs/divergences.md).
test("a pod with shareProcessNamespace runs and gets one event saying it is not simulated", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  const pod = (name: string, share: boolean) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  shareProcessNamespace: ${share}\n  containers:\n  - {name: a, image: busybox, command: [sleep, "3600"]}\n  - {name: b, image: busybox, command: [sleep, "3600"]}\n`;
  c.applySync(pod("shared", true));
  c.applySync(pod("own", false));
  c.advanceSync("10s");
  const events = (name: string) => c.ctx.api.list("Event", { namespace: "default" }).filter((e) => e.involvedObject?.name === name && e.reason === SHARED_PIDS_REASON);
  assert.equal(c.get("Pod", "shared")!.status.phase, "Running");
  assert.equal(events("shared").length, 1);
  assert.equal(events("shared")[0]!.type, "Warning");
  assert.equal(events("own").length, 0);
});
