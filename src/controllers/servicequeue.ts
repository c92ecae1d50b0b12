/**
 * The informer wiring both endpoint controllers share (pkg/controller/endpoint and
 * pkg/controller/endpointslice): a work queue of Service keys, filled when a Service changes or
 * when a pod that a Service selects (before or after the change) is added, updated or deleted,
 * and drained at the same simulated instant (no batching: --endpoint-updates-batch-period 0).
 * Also tracks `endpoints.kubernetes.io/last-change-trigger-time` as upstream's TriggerTimeTracker.
 */
import type { ClusterContext } from "../context.ts";
import type { KObject, WatchEvent } from "../api/types.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { selectorMatches } from "../network/podutil.ts";

export const LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

export class ServiceQueue {
  private readonly queue = new Set<string>();
  private timer: TimerHandle | undefined;
  private unwatch: Array<() => void> = [];

  constructor(
    private readonly ctx: ClusterContext,
    private readonly sync: (namespace: string, name: string) => void,
    /** Also resync a Service when one of these kinds it owns changes (e.g. its Endpoints deleted). */
    private readonly ownedKind?: string,
  ) {}

  start(): void {
    this.unwatch.push(this.ctx.api.watch("Service", (ev) => this.add(ev.object.metadata.namespace!, ev.object.metadata.name!)));
    this.unwatch.push(this.ctx.api.watch("Pod", (ev) => this.onPod(ev)));
    if (this.ownedKind) {
      this.unwatch.push(
        this.ctx.api.watch(this.ownedKind, (ev) => {
          if (ev.type !== "DELETED") return;
          const svc = ev.object.metadata.labels?.["kubernetes.io/service-name"] ?? ev.object.metadata.name!;
          if (this.ctx.api.get("Service", ev.object.metadata.namespace, svc)) this.add(ev.object.metadata.namespace!, svc);
        }),
      );
    }
    for (const s of this.ctx.api.list("Service")) this.add(s.metadata.namespace!, s.metadata.name!);
  }

  stop(): void {
    for (const u of this.unwatch) u();
    this.unwatch = [];
    this.ctx.clock.clear(this.timer);
  }

  add(namespace: string, name: string): void {
    this.queue.add(`${namespace}/${name}`);
    if (!this.timer) this.timer = this.ctx.clock.setTimeout(() => this.drain(), 0);
  }

  private onPod(ev: WatchEvent): void {
    const pod = ev.object;
    const old = ev.old;
    if (ev.type === "MODIFIED" && old && !podChangedForEndpoints(old, pod)) return;
    const ns = pod.metadata.namespace!;
    for (const svc of this.ctx.api.list("Service", { namespace: ns })) {
      const sel = svc.spec?.selector;
      if (selectorMatches(sel, pod.metadata.labels) || (old && selectorMatches(sel, old.metadata.labels))) this.add(ns, svc.metadata.name!);
    }
  }

  private drain(): void {
    this.timer = undefined;
    const keys = [...this.queue];
    this.queue.clear();
    for (const k of keys) {
      const i = k.indexOf("/");
      this.sync(k.slice(0, i), k.slice(i + 1));
    }
  }
}

/** Whether a pod update can change endpoints (upstream podEndpointsChanged, roughly). */
function podChangedForEndpoints(a: KObject, b: KObject): boolean {
  const pick = (p: KObject) =>
    JSON.stringify([
      p.metadata.labels,
      p.metadata.deletionTimestamp,
      p.status?.phase,
      p.status?.podIP,
      p.status?.podIPs,
      (p.status?.conditions ?? []).find((c: any) => c.type === "Ready"),
      p.spec?.nodeName,
      p.spec?.hostname,
      p.spec?.subdomain,
    ]);
  return pick(a) !== pick(b);
}

/**
 * TriggerTimeTracker: for each Service, the trigger times last observed for it and its pods; the
 * annotation of a sync is the earliest trigger time among what changed since the previous sync.
 */
export class TriggerTimeTracker {
  private readonly state = new Map<string, { svc: string; pods: Map<string, string> }>();

  compute(svc: KObject, pods: KObject[]): string | undefined {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const prev = this.state.get(key);
    const next = { svc: svc.metadata.creationTimestamp ?? "", pods: new Map<string, string>() };
    let min: string | undefined;
    const consider = (t: string | undefined) => {
      if (t && (min === undefined || Date.parse(t) < Date.parse(min))) min = t;
    };
    if (!prev || prev.svc !== next.svc) consider(next.svc);
    for (const p of pods) {
      const ready = (p.status?.conditions ?? []).find((c: any) => c.type === "Ready");
      const t: string = ready?.lastTransitionTime ?? "";
      next.pods.set(p.metadata.name!, t);
      if (!prev || prev.pods.get(p.metadata.name!) !== t) consider(t);
    }
    this.state.set(key, next);
    return min;
  }

  forget(namespace: string, name: string): void {
    this.state.delete(`${namespace}/${name}`);
  }
}
