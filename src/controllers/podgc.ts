/**
 * The pod garbage collector (pkg/controller/podgc/gc_controller.go, v1.32), every 20 s:
 * - orphaned pods, bound to a node that no longer exists (seen missing twice, the 40 s quarantine),
 *   are marked Failed with DisruptionTarget (DeletionByPodGC, "PodGC: node no longer exists") and
 *   force-deleted;
 * - terminating pods on a node that is not Ready and carries the
 *   `node.kubernetes.io/out-of-service` taint are force-deleted (the non-graceful node shutdown);
 * - terminating pods that were never scheduled are force-deleted;
 * - terminated (Succeeded/Failed) pods beyond 12,500 are deleted, oldest first.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import type { KObject } from "../api/types.ts";
import { Controller } from "./controller.ts";
import type { NodeCondition, PodCondition, Taint } from "../api/types.gen.ts";
import { isPodPhaseTerminal, isPodTerminal } from "../api/pod/util.ts";
import { podStatusOf } from "../api/store.ts";

export const GC_CHECK_PERIOD_MS = 20_000;
export const TERMINATED_POD_THRESHOLD = 12_500;
const QUARANTINE_MS = 40_000;
export const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

export class PodGC extends Controller {
  readonly name = "pod-garbage-collector";
  /** Nodes found missing, and when. */
  private readonly missingSince = new Map<string, number>();

  /** No informer handlers or queue: gc runs every 20 s (wait.UntilWithContext). */
  start(): void {
    this.resyncEvery(GC_CHECK_PERIOD_MS, () => this.gc());
  }

  /**
   * The fast engine (issue #19 §3, §1): the last Pod change a pass reads (`lastPodLifecycleChange`:
   * a pod created or deleted, its phase, node or deletion timestamp changed) and the Node last change
   * (`lastChangeOf`) at the end of a pass that wrote nothing and left no node in quarantine. A pass
   * reads only those fields of the pods (and their names to write), the nodes and `missingSince`
   * (the clock only for nodes in it), so while none of them changed since, the next pass reads the
   * same and does nothing again: it is skipped. (A kubelet's status write that keeps the phase —
   * a restart, a readiness change — moves `lastChangeOf("Pod")` but not what a pass reads.)
   */
  private quiet: { pod: number; node: number } | undefined;

  gc(): void {
    const api = this.ctx.api;
    const q = this.quiet;
    if (q !== undefined && api.lastPodLifecycleChange() === q.pod && api.lastChangeOf("Node") === q.node) return;
    const rv = api.resourceVersion;
    this.pass();
    this.quiet = !this.ctx.reference && api.resourceVersion === rv && this.missingSince.size === 0 ? { pod: api.lastPodLifecycleChange(), node: api.lastChangeOf("Node") } : undefined;
  }

  private pass(): void {
    const api = this.ctx.api;
    const pods = api.list("Pod");
    const now = this.ctx.clock.now();
    // (The phase read without building a status the store keeps unbuilt: `podStatusOf`, issue #19.)
    this.gcTerminated(pods.filter((p) => isPodPhaseTerminal(podStatusOf(p)?.phase)));
    // gcTerminating: out-of-service nodes.
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp || !p.spec?.nodeName) continue;
      const node = api.get("Node", undefined, p.spec.nodeName);
      if (!node) continue;
      const ready = (node.status?.conditions ?? []).find((c: NodeCondition) => c.type === "Ready")?.status === "True";
      const oos = (node.spec?.taints ?? []).some((t: Taint) => t.key === TAINT_OUT_OF_SERVICE);
      if (!ready && oos) this.markFailedAndDelete(p);
    }
    // gcOrphaned.
    const seen = new Set<string>();
    // Whether each node exists, read once per pass (this pass writes pods only; no watch handler
    // runs inside it): the same answers as a read per pod.
    const exists = new Map<string, boolean>();
    for (const p of pods) {
      const nodeName = p.spec?.nodeName;
      if (!nodeName) continue;
      let there = exists.get(nodeName);
      if (there === undefined) exists.set(nodeName, (there = api.get("Node", undefined, nodeName) !== undefined));
      if (there) continue;
      seen.add(nodeName);
      const since = this.missingSince.get(nodeName);
      if (since === undefined) {
        this.missingSince.set(nodeName, now);
        continue;
      }
      if (now - since < QUARANTINE_MS - GC_CHECK_PERIOD_MS) continue;
      this.markFailedAndDelete(p, { reason: "DeletionByPodGC", message: "PodGC: node no longer exists" });
    }
    for (const n of [...this.missingSince.keys()]) if (!seen.has(n)) this.missingSince.delete(n);
    // gcUnscheduledTerminating.
    for (const p of pods) if (p.metadata.deletionTimestamp && !p.spec?.nodeName) this.forceDelete(p);
  }

  private gcTerminated(terminated: KObject[]): void {
    const excess = terminated.length - TERMINATED_POD_THRESHOLD;
    if (excess <= 0) return;
    const sorted = [...terminated].sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""));
    for (const p of sorted.slice(0, excess)) this.forceDelete(p);
  }

  private markFailedAndDelete(p: KObject, condition?: { reason: string; message: string }): void {
    const api = this.ctx.api;
    const now = this.ctx.clock.nowRFC3339();
    try {
      if (!isPodTerminal(p)) {
        api.mutate("Pod", p.metadata.namespace, p.metadata.name!, (x) => {
          x.status.phase = "Failed";
          if (condition) {
            x.status.conditions = [
              ...(x.status.conditions ?? []).filter((c: PodCondition) => c.type !== "DisruptionTarget"),
              { lastProbeTime: null, lastTransitionTime: now, message: condition.message, reason: condition.reason, status: "True", type: "DisruptionTarget" },
            ];
          }
        }, { subresource: "status" });
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
    this.forceDelete(p);
  }

  private forceDelete(p: KObject): void {
    try {
      this.ctx.api.delete("Pod", p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0 });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

export function podGC(ctx: ClusterContext): Component {
  return new PodGC(ctx);
}
