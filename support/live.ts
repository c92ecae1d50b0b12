/**
 * Live runs: `KUBE_SCENARIO_BACKEND=live` runs the features against the cluster of the current
 * kubeconfig (`KUBECONFIG` as usual) instead of the simulation (see README, "Running the features
 * against a real cluster"). Nothing here is loaded or done in a simulated run.
 *
 * Before each scenario: a scenario tagged `@sim-only`, or one with a step its target cannot run
 * (see `STEP_MODES` in define.ts), is skipped with the reason; otherwise its namespace is created.
 * After it: the namespace is deleted and nodes are restored. At the end the skipped scenarios are
 * listed with their reasons.
 */
import { After, AfterAll, Before, setDefaultTimeout, type ITestCaseHookParameter } from "@cucumber/cucumber";
import type { LiveConnection } from "../src/live/connection.ts";
import { liveBlocker } from "./blocker.ts";
import type { KubeWorld } from "./world.ts";

export const LIVE_RUN = process.env.KUBE_SCENARIO_BACKEND === "live";

/**
 * The kubeconfig of this process: $KUBECONFIG, or, in a parallel run given one cluster per worker
 * (KUBE_SCENARIO_KUBECONFIGS=a,b as scripts/parity.mjs sets it), the worker's own.
 */
function workerKubeconfig(): string | undefined {
  const perWorker = (process.env.KUBE_SCENARIO_KUBECONFIGS ?? "").split(",").filter(Boolean);
  const id = Number(process.env.CUCUMBER_WORKER_ID ?? 0);
  if (perWorker.length) return perWorker[id % perWorker.length];
  return process.env.KUBECONFIG || undefined;
}

if (LIVE_RUN) {
  // "N seconds pass" really waits on a real cluster, and checks poll: steps need more than 5 s.
  setDefaultTimeout(Number(process.env.KUBE_SCENARIO_STEP_TIMEOUT ?? 900) * 1000);
  let connection: Promise<LiveConnection> | undefined;
  const skipped: string[] = [];

  Before(async function (this: KubeWorld, { pickle }: ITestCaseHookParameter) {
    const { LiveConnection } = await import("../src/live/connection.ts");
    const conn = await (connection ??= LiveConnection.connect(workerKubeconfig()));
    const blocker = liveBlocker(pickle.steps, pickle.tags.map((t) => t.name), conn.facade);
    if (blocker) {
      this.skipReason = blocker;
      this.log(`skipped: ${blocker}`);
      skipped.push(`${pickle.uri}: "${pickle.name}": ${blocker}`);
      return "skipped";
    }
    const { LiveBackend } = await import("../src/live/backend.ts");
    this.live = await LiveBackend.start(conn, pickle.name);
    this.log(`live ${this.live.target} ${conn.server.origin}, namespace ${this.live.namespace}`);
    return undefined;
  });

  After(async function (this: KubeWorld, { pickle }: ITestCaseHookParameter) {
    if (this.skipReason && this.live) skipped.push(`${pickle.uri}: "${pickle.name}": ${this.skipReason}`);
    const problems = (await this.live?.finish()) ?? [];
    if (problems.length) this.log(`cleaning up: ${problems.join("; ")}`);
  });

  AfterAll(function () {
    if (!skipped.length) return;
    process.stderr.write(`\nskipped against the live cluster (${skipped.length}):\n${skipped.map((s) => `  ${s}`).join("\n")}\n`);
  });
}
