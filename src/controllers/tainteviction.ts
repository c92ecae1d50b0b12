/**
 * The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go): pods on a node
 * with NoExecute taints they do not tolerate are deleted at once; pods tolerating every such taint
 * for a limited time (`tolerationSeconds`) are deleted when the shortest of those runs out, the
 * deadline keeping its original start; removing the taints cancels pending deletions.
 * Before deleting, the pod gets the DisruptionTarget condition (DeletionByTaintManager).
 */
import type { ClusterContext, Component } from "../context.ts";
import { Controller } from "./controller.ts";
import { jsonEqual, type KObject, type WatchEvent } from "../api/types.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { toleratesTaint } from "../api/helper/toleration.ts";
import type { PodCondition, Taint, Toleration } from "../api/types.gen.ts";

export const CONTROLLER_NAME = "taint-eviction-controller";

export function noExecuteTaints(node: KObject | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t: Taint) => t.effect === "NoExecute");
}

/** v1helper.GetMatchingTolerations: are all taints tolerated, and by which tolerations. */
export function getMatchingTolerations(taints: Taint[], tolerations: Toleration[]): { allTolerated: boolean; used: Toleration[] } {
  if (taints.length === 0) return { allTolerated: true, used: [] };
  if (tolerations.length === 0) return { allTolerated: false, used: [] };
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** getMinTolerationTime in ms: 0 = now, -1 = forever. */
export function getMinTolerationTime(tolerations: Toleration[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    if (t.tolerationSeconds < min) min = t.tolerationSeconds;
  }
  return min === Infinity ? -1 : min * 1000;
}

interface Work {
  createdAt: number;
  firesAt: number;
  timer: TimerHandle;
}

export class TaintEvictionController extends Controller {
  readonly name = CONTROLLER_NAME;
  /** The timed workers: one pending deletion per pod (their timers stop with the controller). */
  private readonly work = new Map<string, Work>();

  start(): void {
    this.watch("Node", (ev) => this.onNode(ev));
    // onPod returns at once for an update that keeps the node and the tolerations: a status-only
    // change (the same spec object) need not reach it (issue #19 §1).
    this.watch("Pod", (ev) => this.onPod(ev), { ignoresStatusOnly: true });
  }

  override stop(): void {
    super.stop();
    this.work.clear();
  }

  /** Pending deletions (pod key → fire time), for tests and explanations. */
  scheduled(): Map<string, number> {
    return new Map([...this.work].map(([k, w]) => [k, w.firesAt]));
  }

  private onNode(ev: WatchEvent): void {
    if (ev.type === "DELETED") return;
    const node = ev.object;
    const taints = noExecuteTaints(node);
    if (ev.type === "MODIFIED" && JSON.stringify(noExecuteTaints(ev.old)) === JSON.stringify(taints)) return;
    const pods = this.ctx.api.podsOnNode(node.metadata.name!);
    if (taints.length === 0) {
      for (const p of pods) this.cancelWithEvent(p);
      return;
    }
    for (const p of pods) this.processPodOnNode(p, taints);
  }

  private onPod(ev: WatchEvent): void {
    const pod = ev.object;
    const key = podKey(pod);
    if (ev.type === "DELETED") {
      this.cancel(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    if (ev.old && ev.old.spec?.nodeName === nodeName && jsonEqual(ev.old.spec?.tolerations, pod.spec?.tolerations)) return;
    const taints = noExecuteTaints(this.ctx.api.get("Node", undefined, nodeName));
    if (taints.length === 0) return;
    this.processPodOnNode(pod, taints);
  }

  private processPodOnNode(pod: KObject, taints: Taint[]): void {
    const key = podKey(pod);
    const now = this.ctx.clock.now();
    const { allTolerated, used } = getMatchingTolerations(taints, pod.spec?.tolerations ?? []);
    if (!allTolerated) {
      this.cancelWithEvent(pod);
      this.addWork(pod, now, now);
      return;
    }
    const min = getMinTolerationTime(used);
    if (min < 0) {
      this.cancelWithEvent(pod);
      return;
    }
    let start = now;
    const trigger = now + min;
    const existing = this.work.get(key);
    if (existing) {
      start = existing.createdAt;
      if (start + min < trigger) return;
      this.cancelWithEvent(pod);
    }
    this.addWork(pod, start, trigger);
  }

  private addWork(pod: KObject, createdAt: number, firesAt: number): void {
    const key = podKey(pod);
    if (this.work.has(key)) return;
    const ns = pod.metadata.namespace ?? "default";
    const name = pod.metadata.name!;
    const timer = this.after(Math.max(0, firesAt - this.ctx.clock.now()), () => {
      this.work.delete(key);
      this.evict(ns, name);
    });
    this.work.set(key, { createdAt, firesAt, timer });
  }

  private cancel(key: string): boolean {
    const w = this.work.get(key);
    if (!w) return false;
    this.cancelTimer(w.timer);
    this.work.delete(key);
    return true;
  }

  private cancelWithEvent(pod: KObject): void {
    if (!this.cancel(podKey(pod))) return;
    this.record(pod, `Cancelling deletion of Pod ${podKey(pod)}`);
  }

  private record(pod: KObject, message: string): void {
    this.ctx.events.record(pod, { type: "Normal", reason: "TaintManagerEviction", message, source: { component: CONTROLLER_NAME } });
  }

  /** The deletion handler: event, DisruptionTarget condition, then a normal graceful delete. */
  private evict(ns: string, name: string): void {
    const api = this.ctx.api;
    const pod = api.get("Pod", ns, name);
    if (!pod) return;
    this.record(pod, `Marking for deletion Pod ${ns}/${name}`);
    const cond = (pod.status?.conditions ?? []).find((c: PodCondition) => c.type === "DisruptionTarget");
    if (!cond || cond.status !== "True" || cond.reason !== "DeletionByTaintManager") {
      api.mutate("Pod", ns, name, (p) => {
        const list: PodCondition[] = [...(p.status.conditions ?? [])].filter((c: PodCondition) => c.type !== "DisruptionTarget");
        list.push({
          type: "DisruptionTarget",
          status: "True",
          lastProbeTime: null,
          lastTransitionTime: this.ctx.clock.nowRFC3339(),
          reason: "DeletionByTaintManager",
          message: "Taint manager: deleting due to NoExecute taint",
        });
        p.status.conditions = list;
      }, { subresource: "status" });
    }
    if (api.get("Pod", ns, name)) api.delete("Pod", ns, name);
  }
}

function podKey(pod: KObject): string {
  return `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
}

export function taintEvictionController(ctx: ClusterContext): Component {
  return new TaintEvictionController(ctx);
}
