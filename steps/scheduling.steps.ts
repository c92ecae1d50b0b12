import { Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { checkPendingReasons, explainScheduling } from "../src/scheduler/explain.ts";

const pod = (w: KubeWorld, name: string) => w.cluster.get("Pod", name);

/** The pod is bound to that node; on failure the scheduler's per-node reasons are shown. */
Then("pod {string} is scheduled on node {string}", function (this: KubeWorld, name: string, node: string) {
  if (pod(this, name)?.spec?.nodeName !== node) throw new Error(`expected pod "${name}" on node "${node}"\n\n${explainScheduling(pod(this, name), name)}`);
});

/** Comma-separated node names, for placements a tie-break decides. */
Then("pod {string} is scheduled on one of nodes {string}", function (this: KubeWorld, name: string, nodes: string) {
  const want = nodes.split(",").map((s) => s.trim());
  if (!want.includes(pod(this, name)?.spec?.nodeName)) throw new Error(`expected pod "${name}" on one of ${want.join(", ")}\n\n${explainScheduling(pod(this, name), name)}`);
});

/** The pod exists and has no node. */
Then("pod {string} is not scheduled", function (this: KubeWorld, name: string) {
  const p = pod(this, name);
  if (!p || p.spec?.nodeName) throw new Error(explainScheduling(p, name));
});

/** Table `| node | reason |`: each node's rejecting filter reason in the last attempt ("fits" when none); every evaluated node must be listed. */
Then("pod {string} is pending because:", function (this: KubeWorld, name: string, table: any) {
  const problem = checkPendingReasons(pod(this, name), name, table.hashes() as Array<{ node: string; reason: string }>);
  if (problem) throw new Error(problem);
});

/** The pod is gone from the API (deleted, grace period over). */
Then("pod {string} no longer exists", function (this: KubeWorld, name: string) {
  const p = pod(this, name);
  if (p) throw new Error(`pod "${name}" still exists (node ${p.spec?.nodeName ?? "none"}, deletionTimestamp ${p.metadata.deletionTimestamp ?? "none"})`);
});
