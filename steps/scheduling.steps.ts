import { Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { checkPendingReasons, explainScheduling } from "../src/scheduler/explain.ts";

const pod = (w: KubeWorld, name: string) => w.cluster.get("Pod", name);

Then("pod {string} is scheduled on node {string}", function (this: KubeWorld, name: string, node: string) {
  if (pod(this, name)?.spec?.nodeName !== node) throw new Error(`expected pod "${name}" on node "${node}"\n\n${explainScheduling(pod(this, name), name)}`);
});

Then("pod {string} is scheduled on one of nodes {string}", function (this: KubeWorld, name: string, nodes: string) {
  const want = nodes.split(",").map((s) => s.trim());
  if (!want.includes(pod(this, name)?.spec?.nodeName)) throw new Error(`expected pod "${name}" on one of ${want.join(", ")}\n\n${explainScheduling(pod(this, name), name)}`);
});

Then("pod {string} is not scheduled", function (this: KubeWorld, name: string) {
  const p = pod(this, name);
  if (!p || p.spec?.nodeName) throw new Error(explainScheduling(p, name));
});

Then("pod {string} is pending because:", function (this: KubeWorld, name: string, table: any) {
  const problem = checkPendingReasons(pod(this, name), name, table.hashes() as Array<{ node: string; reason: string }>);
  if (problem) throw new Error(problem);
});

Then("pod {string} no longer exists", function (this: KubeWorld, name: string) {
  const p = pod(this, name);
  if (p) throw new Error(`pod "${name}" still exists (node ${p.spec?.nodeName ?? "none"}, deletionTimestamp ${p.metadata.deletionTimestamp ?? "none"})`);
});
