import { both, facadeOnly, podStep, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import type { ClusterView } from "../src/api/reader.ts";
import { attemptIn, checkPendingReasons, explainScheduling } from "../src/scheduler/explain.ts";

const pod = (v: ClusterView, name: string, namespace: string) => v.api.get("Pod", namespace, name);

/** The pod is bound to that node; on failure the scheduler's per-node reasons are shown. */
podStep(Then, "pod {string} is scheduled on node {string}", both(function (this: KubeWorld, name: string, ns: string | undefined, node: string) {
  const n = this.ns(ns);
  return this.backend.check((v) => {
    const p = pod(v, name, n);
    if (p?.spec?.nodeName !== node) throw new Error(`expected pod "${name}" on node "${node}"\n\n${explainScheduling(p, name, attemptIn(v, p))}`);
  });
}));

/** Comma-separated node names, for placements a tie-break decides. */
podStep(Then, "pod {string} is scheduled on one of nodes {string}", both(function (this: KubeWorld, name: string, ns: string | undefined, nodes: string) {
  const want = nodes.split(",").map((s) => s.trim());
  const n = this.ns(ns);
  return this.backend.check((v) => {
    const p = pod(v, name, n);
    if (!want.includes(p?.spec?.nodeName)) throw new Error(`expected pod "${name}" on one of ${want.join(", ")}\n\n${explainScheduling(p, name, attemptIn(v, p))}`);
  });
}));

/** The pod exists and has no node. */
podStep(Then, "pod {string} is not scheduled", both(function (this: KubeWorld, name: string, ns: string | undefined) {
  const n = this.ns(ns);
  return this.backend.check((v) => {
    const p = pod(v, name, n);
    if (!p || p.spec?.nodeName) throw new Error(explainScheduling(p, name, attemptIn(v, p)));
  });
}));

/** Table `| node | reason |`: each node's rejecting filter reason in the last attempt ("fits" when none); every evaluated node must be listed. */
podStep(Then, "pod {string} is pending because:", facadeOnly("it reads the per-node results of the scheduler's last attempt, which only kube-scenario's scheduler keeps", function (this: KubeWorld, name: string, ns: string | undefined, table: any) {
  const n = this.ns(ns);
  return this.backend.check((v) => {
    const p = pod(v, name, n);
    const problem = checkPendingReasons(p, name, table.hashes() as Array<{ node: string; reason: string }>, attemptIn(v, p));
    if (problem) throw new Error(problem);
  });
}));

/** The pod is gone from the API (deleted, grace period over). */
podStep(Then, "pod {string} no longer exists", both(function (this: KubeWorld, name: string, ns: string | undefined) {
  const n = this.ns(ns);
  return this.backend.check((v) => {
    const p = pod(v, name, n);
    if (p) throw new Error(`pod "${name}" still exists (node ${p.spec?.nodeName ?? "none"}, deletionTimestamp ${p.metadata.deletionTimestamp ?? "none"})`);
  });
}));
