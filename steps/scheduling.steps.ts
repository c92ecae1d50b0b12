import { both, facadeOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import type { ClusterView } from "../src/api/reader.ts";
import { checkPendingReasons, explainScheduling } from "../src/scheduler/explain.ts";

const pod = (v: ClusterView, name: string) => v.api.get("Pod", "default", name);

/** The pod is bound to that node; on failure the scheduler's per-node reasons are shown. */
Then("pod {string} is scheduled on node {string}", both(function (this: KubeWorld, name: string, node: string) {
  return this.backend.check((v) => {
    if (pod(v, name)?.spec?.nodeName !== node) throw new Error(`expected pod "${name}" on node "${node}"\n\n${explainScheduling(pod(v, name), name)}`);
  });
}));

/** Comma-separated node names, for placements a tie-break decides. */
Then("pod {string} is scheduled on one of nodes {string}", both(function (this: KubeWorld, name: string, nodes: string) {
  const want = nodes.split(",").map((s) => s.trim());
  return this.backend.check((v) => {
    if (!want.includes(pod(v, name)?.spec?.nodeName)) throw new Error(`expected pod "${name}" on one of ${want.join(", ")}\n\n${explainScheduling(pod(v, name), name)}`);
  });
}));

/** The pod exists and has no node. */
Then("pod {string} is not scheduled", both(function (this: KubeWorld, name: string) {
  return this.backend.check((v) => {
    const p = pod(v, name);
    if (!p || p.spec?.nodeName) throw new Error(explainScheduling(p, name));
  });
}));

/** Table `| node | reason |`: each node's rejecting filter reason in the last attempt ("fits" when none); every evaluated node must be listed. */
Then("pod {string} is pending because:", facadeOnly("it reads the kube-scheduler-simulator annotations that only kube-scenario's scheduler writes", function (this: KubeWorld, name: string, table: any) {
  return this.backend.check((v) => {
    const problem = checkPendingReasons(pod(v, name), name, table.hashes() as Array<{ node: string; reason: string }>);
    if (problem) throw new Error(problem);
  });
}));

/** The pod is gone from the API (deleted, grace period over). */
Then("pod {string} no longer exists", both(function (this: KubeWorld, name: string) {
  return this.backend.check((v) => {
    const p = pod(v, name);
    if (p) throw new Error(`pod "${name}" still exists (node ${p.spec?.nodeName ?? "none"}, deletionTimestamp ${p.metadata.deletionTimestamp ?? "none"})`);
  });
}));
