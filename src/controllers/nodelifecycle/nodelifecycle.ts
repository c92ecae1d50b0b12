/**
 * The node lifecycle controller of kube-controller-manager
 * (pkg/controller/nodelifecycle/node_lifecycle_controller.go, v1.32):
 *
 * - every node-monitor-period (5 s) it checks each node's heartbeats: its Lease in
 *   kube-node-lease and the Ready condition's lastHeartbeatTime. It remembers when it last saw
 *   either change (the probe timestamp, on its own clock). When nothing changed for longer than
 *   node-monitor-grace-period (50 s in v1.32; 60 s node-startup-grace-period for a node that never
 *   reported Ready) it sets Ready, MemoryPressure, DiskPressure and PIDPressure to Unknown
 *   (`NodeStatusUnknown`, "Kubelet stopped posting node status."; lastHeartbeatTime kept);
 * - when Ready leaves True it records the Node event `NodeNotReady` and marks every pod on the
 *   node Ready=False (Warning `NodeNotReady` "Node is not ready" on each pod);
 * - it taints the node `node.kubernetes.io/unreachable` (Ready Unknown) or `not-ready` (Ready
 *   False) with NoExecute (through the per-zone eviction rate limiter, 0.1 node/s) and with
 *   NoSchedule (at once, on each node update), swaps them when the state changes and removes them
 *   when the node is Ready again; all taints it adds carry timeAdded;
 * - `spec.unschedulable` gives `node.kubernetes.io/unschedulable:NoSchedule`, and the pressure
 *   conditions their `*-pressure:NoSchedule` taints;
 * - zone disruption: a zone with more than 2 not-ready nodes and at least 55 % of them not ready
 *   stops NoExecute tainting (clusters of 50 nodes or fewer), and when every zone is fully
 *   disrupted the controller removes its NoExecute taints everywhere ("master disruption mode").
 * Evicting pods from tainted nodes is the taint eviction controller's work (not here).
 */
import type { ClusterContext, Component } from "../../context.ts";
import type { KObject } from "../../api/types.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import { Controller } from "../controller.ts";
import type { NodeCondition, PodCondition, Time } from "../../api/types.gen.ts";
import { podCondition } from "../../api/pod/util.ts";

export const NODE_MONITOR_PERIOD_MS = 5_000;
/** --node-monitor-grace-period: 50 s since v1.32 (kubernetes PR #126287; 40 s before). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
/** --node-eviction-rate (nodes per second, burst 1) and --secondary-node-eviction-rate. */
export const NODE_EVICTION_RATE = 0.1;
export const SECONDARY_NODE_EVICTION_RATE = 0.01;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;

export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
const CONDITION_TAINTS: Record<string, string> = {
  MemoryPressure: "node.kubernetes.io/memory-pressure",
  DiskPressure: "node.kubernetes.io/disk-pressure",
  PIDPressure: "node.kubernetes.io/pid-pressure",
  NetworkUnavailable: "node.kubernetes.io/network-unavailable",
};
const MONITORED_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];
const SOURCE = { component: "node-controller" };

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

type ZoneState = "Normal" | "PartialDisruption" | "FullDisruption" | "Initial";

interface NodeHealth {
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  leaseRenewTime?: string;
  heartbeat?: Time;
  /** The Ready status seen at the previous pass. */
  lastReady?: string;
}

/** A token bucket (flowcontrol.NewTokenBucketRateLimiter) on the simulated clock. */
class TokenBucket {
  private tokens = 1;
  private last: number;
  constructor(
    private qps: number,
    now: number,
  ) {
    this.last = now;
  }
  setQPS(qps: number, now: number): void {
    if (qps === this.qps) return;
    this.qps = qps;
    this.tokens = Math.min(this.tokens, 1);
    this.last = now;
  }
  tryAccept(now: number): boolean {
    this.tokens = Math.min(1, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens >= 1 - 1e-9) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
  /** Milliseconds until a token is available (Infinity when the rate is zero). */
  wait(now: number): number {
    if (this.qps <= 0) return Infinity;
    const tokens = Math.min(1, this.tokens + ((now - this.last) / 1000) * this.qps);
    return Math.max(0, Math.ceil(((1 - tokens) / this.qps) * 1000));
  }
}

export function zoneOf(node: KObject): string {
  const l = node.metadata.labels ?? {};
  const region = l["topology.kubernetes.io/region"] ?? l["failure-domain.beta.kubernetes.io/region"] ?? "";
  const zone = l["topology.kubernetes.io/zone"] ?? l["failure-domain.beta.kubernetes.io/zone"] ?? "";
  return region === "" && zone === "" ? "" : `${region}:\x00:${zone}`;
}

/** ComputeZoneState from the Ready conditions of a zone's nodes. */
export function computeZoneState(readyStatuses: Array<string | undefined>): ZoneState {
  let ready = 0;
  let notReady = 0;
  for (const s of readyStatuses) if (s === "True") ready++; else notReady++;
  if (ready === 0 && notReady > 0) return "FullDisruption";
  if (notReady > 2 && notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD) return "PartialDisruption";
  return "Normal";
}

export function readyCondition(node: KObject): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c: NodeCondition) => c.type === "Ready");
}

const hasTaint = (taints: Taint[] | undefined, key: string, effect: string) => (taints ?? []).some((t) => t.key === key && t.effect === effect);

export class NodeLifecycleController extends Controller {
  readonly name = "node-lifecycle-controller";
  private readonly health = new Map<string, NodeHealth>();
  private readonly limiters = new Map<string, TokenBucket>();
  private readonly zoneStates = new Map<string, ZoneState>();
  /** Nodes waiting for a NoExecute taint, per zone, in order (RateLimitedTimedQueue). */
  private readonly taintQueue = new Map<string, string[]>();
  private taintPass: TimerHandle | undefined;
  /** nodeUpdateQueue: the main queue, drained by doNoScheduleTaintingPass. */
  private readonly noSchedule = this.queue;

  start(): void {
    this.watch("Node", (ev) => {
      const name = ev.object.metadata.name!;
      if (ev.type === "DELETED") {
        this.health.delete(name);
        for (const q of this.taintQueue.values()) {
          const i = q.indexOf(name);
          if (i >= 0) q.splice(i, 1);
        }
        return;
      }
      this.noSchedule.add(name);
    });
    // monitorNodeHealth every nodeMonitorPeriod (wait.UntilWithContext).
    this.resyncEvery(NODE_MONITOR_PERIOD_MS, () => this.monitorNodeHealth());
  }

  protected override syncHandler(name: string): void {
    this.doNoScheduleTaintingPass(name);
  }

  /** One pass of monitorNodeHealth over every node. */
  monitorNodeHealth(): void {
    const nodes = this.ctx.api.list("Node");
    const byZone = new Map<string, Array<string | undefined>>();
    for (const node of nodes) {
      const { observed, current } = this.tryUpdateNodeHealth(node);
      const fresh = this.ctx.api.get("Node", undefined, node.metadata.name!) ?? node;
      const zone = zoneOf(fresh);
      if (!byZone.has(zone)) byZone.set(zone, []);
      byZone.get(zone)!.push(current);
      if (!this.limiters.has(zone)) this.limiters.set(zone, new TokenBucket(NODE_EVICTION_RATE, this.ctx.clock.now()));
      this.processTaintBaseEviction(fresh, current);
      // Report the transition once, then mark the node's pods not ready.
      if (observed === "True" && current !== "True") {
        this.ctx.events.record(fresh, { type: "Normal", reason: "NodeNotReady", message: `Node ${fresh.metadata.name} status is now: NodeNotReady`, source: SOURCE });
        markPodsNotReady(this.ctx, fresh.metadata.name!);
      }
    }
    this.handleDisruption(byZone, nodes.length);
    this.doNoExecuteTaintingPass();
  }

  /**
   * tryUpdateNodeHealth: refreshes the probe timestamp from the lease and the status heartbeat and
   * sets the conditions Unknown once the grace period has passed without one. Returns the Ready
   * status before and after.
   */
  private tryUpdateNodeHealth(node: KObject): { observed: string | undefined; current: string | undefined } {
    const name = node.metadata.name!;
    const now = this.ctx.clock.now();
    const ready = readyCondition(node);
    const lease = this.ctx.api.get("Lease", "kube-node-lease", name);
    let h = this.health.get(name);
    if (!h) {
      h = { probeTimestamp: now, readyTransitionTimestamp: now, heartbeat: ready?.lastHeartbeatTime, leaseRenewTime: lease?.spec?.renewTime };
      this.health.set(name, h);
    }
    if (ready?.lastHeartbeatTime !== h.heartbeat) {
      h.heartbeat = ready?.lastHeartbeatTime;
      h.probeTimestamp = now;
    }
    const renew = lease?.spec?.renewTime;
    if (renew && renew !== h.leaseRenewTime && (!h.leaseRenewTime || Date.parse(renew) > Date.parse(h.leaseRenewTime))) {
      h.leaseRenewTime = renew;
      h.probeTimestamp = now;
    }
    const observed = h.lastReady ?? ready?.status;
    const grace = ready ? NODE_MONITOR_GRACE_PERIOD_MS : NODE_STARTUP_GRACE_PERIOD_MS;
    let current = ready?.status;
    if (now > h.probeTimestamp + grace && current !== "Unknown") {
      const nowText = this.ctx.clock.nowRFC3339();
      const updated = this.ctx.api.mutate("Node", undefined, name, (n) => {
        const conds: NodeCondition[] = n.status.conditions ?? [];
        for (const type of MONITORED_CONDITIONS) {
          const c = conds.find((x) => x.type === type);
          if (!c) {
            conds.push({
              lastHeartbeatTime: n.metadata.creationTimestamp,
              lastTransitionTime: nowText,
              message: "Kubelet never posted node status.",
              reason: "NodeStatusNeverUpdated",
              status: "Unknown",
              type,
            });
          } else if (c.status !== "Unknown") {
            c.status = "Unknown";
            c.reason = "NodeStatusUnknown";
            c.message = "Kubelet stopped posting node status.";
            c.lastTransitionTime = nowText;
          }
        }
        n.status.conditions = conds;
      }, { subresource: "status" });
      current = readyCondition(updated)?.status;
      h.heartbeat = readyCondition(updated)?.lastHeartbeatTime;
    }
    if (current !== h.lastReady) h.readyTransitionTimestamp = now;
    h.lastReady = current;
    return { observed, current };
  }

  /** processTaintBaseEviction: NoExecute taints follow the Ready condition. */
  private processTaintBaseEviction(node: KObject, ready: string | undefined): void {
    const name = node.metadata.name!;
    const taints: Taint[] = node.spec?.taints ?? [];
    if (ready === "False" || ready === "Unknown") {
      const [want, other] = ready === "False" ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
      if (hasTaint(taints, want, "NoExecute")) return;
      if (hasTaint(taints, other, "NoExecute")) {
        // Already tainted for the other state: swap at once, without the rate limiter.
        this.swapTaints(name, [{ key: want, effect: "NoExecute" }], [{ key: other, effect: "NoExecute" }]);
        return;
      }
      this.enqueueForTainting(zoneOf(node), name);
    } else if (ready === "True") {
      this.dequeue(name);
      if (hasTaint(taints, TAINT_UNREACHABLE, "NoExecute") || hasTaint(taints, TAINT_NOT_READY, "NoExecute")) {
        this.swapTaints(name, [], [{ key: TAINT_UNREACHABLE, effect: "NoExecute" }, { key: TAINT_NOT_READY, effect: "NoExecute" }]);
      }
    }
  }

  private enqueueForTainting(zone: string, name: string): void {
    let q = this.taintQueue.get(zone);
    if (!q) this.taintQueue.set(zone, (q = []));
    if (!q.includes(name)) q.push(name);
  }

  private dequeue(name: string): void {
    for (const q of this.taintQueue.values()) {
      const i = q.indexOf(name);
      if (i >= 0) q.splice(i, 1);
    }
  }

  /** doNoExecuteTaintingPass: taints queued nodes as each zone's rate limiter allows. */
  private doNoExecuteTaintingPass(): void {
    this.cancelTimer(this.taintPass);
    this.taintPass = undefined;
    const now = this.ctx.clock.now();
    let nextWait = Infinity;
    for (const [zone, q] of this.taintQueue) {
      const limiter = this.limiters.get(zone);
      if (!limiter) continue;
      while (q.length > 0) {
        const name = q[0];
        const node = this.ctx.api.get("Node", undefined, name);
        const ready = node ? readyCondition(node)?.status : undefined;
        if (!node || (ready !== "False" && ready !== "Unknown")) {
          q.shift();
          continue;
        }
        if (!limiter.tryAccept(now)) {
          nextWait = Math.min(nextWait, limiter.wait(now));
          break;
        }
        q.shift();
        const [want, other] = ready === "False" ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
        this.swapTaints(name, [{ key: want, effect: "NoExecute" }], [{ key: other, effect: "NoExecute" }]);
      }
    }
    if (Number.isFinite(nextWait)) this.taintPass = this.after(Math.max(nextWait, 1), () => this.doNoExecuteTaintingPass());
  }

  /** handleDisruption: zone states set the eviction rate; all zones down stops NoExecute tainting. */
  private handleDisruption(byZone: Map<string, Array<string | undefined>>, clusterSize: number): void {
    const now = this.ctx.clock.now();
    const states = new Map<string, ZoneState>();
    for (const [zone, statuses] of byZone) states.set(zone, computeZoneState(statuses));
    const allFullyDisrupted = states.size > 0 && [...states.values()].every((s) => s === "FullDisruption");
    for (const [zone, state] of states) {
      this.zoneStates.set(zone, state);
      const limiter = this.limiters.get(zone)!;
      if (allFullyDisrupted) limiter.setQPS(0, now);
      else if (state === "PartialDisruption") limiter.setQPS(clusterSize > LARGE_CLUSTER_SIZE_THRESHOLD ? SECONDARY_NODE_EVICTION_RATE : 0, now);
      else limiter.setQPS(NODE_EVICTION_RATE, now);
    }
    if (allFullyDisrupted) {
      // "Controller detected that all Nodes are not-Ready. Entering master disruption mode."
      for (const q of this.taintQueue.values()) q.length = 0;
      for (const node of this.ctx.api.list("Node")) {
        const t: Taint[] = node.spec?.taints ?? [];
        if (hasTaint(t, TAINT_UNREACHABLE, "NoExecute") || hasTaint(t, TAINT_NOT_READY, "NoExecute")) {
          this.swapTaints(node.metadata.name!, [], [{ key: TAINT_UNREACHABLE, effect: "NoExecute" }, { key: TAINT_NOT_READY, effect: "NoExecute" }]);
        }
      }
    }
  }

  /** doNoScheduleTaintingPass: NoSchedule taints that mirror the node's conditions and spec.unschedulable. */
  private doNoScheduleTaintingPass(name: string): void {
    const node = this.ctx.api.get("Node", undefined, name);
    if (!node) return;
    const want = noScheduleTaintsFor(node);
    const managed = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, ...Object.values(CONDITION_TAINTS)]);
    const current: Taint[] = (node.spec?.taints ?? []).filter((t: Taint) => t.effect === "NoSchedule" && managed.has(t.key));
    const add = want.filter((k) => !current.some((t) => t.key === k)).map((key) => ({ key, effect: "NoSchedule" }));
    const remove = current.filter((t) => !want.includes(t.key));
    if (add.length || remove.length) this.swapTaints(name, add, remove);
  }

  /** SwapNodeControllerTaint: adds (with timeAdded) and removes taints in one update. */
  private swapTaints(name: string, add: Taint[], remove: Taint[]): void {
    const now = this.ctx.clock.nowRFC3339();
    this.ctx.api.mutate("Node", undefined, name, (n) => {
      n.spec = n.spec ?? {};
      let taints: Taint[] = (n.spec.taints ?? []).filter((t: Taint) => !remove.some((r) => r.key === t.key && r.effect === t.effect));
      for (const a of add) {
        if (taints.some((t) => t.key === a.key && t.effect === a.effect)) continue;
        taints = [...taints, { effect: a.effect, key: a.key, timeAdded: now }];
      }
      if (taints.length) n.spec.taints = taints;
      else delete n.spec.taints;
    });
  }
}

/** The NoSchedule taint keys a node should carry for its conditions and spec.unschedulable. */
export function noScheduleTaintsFor(node: KObject): string[] {
  const out: string[] = [];
  for (const c of node.status?.conditions ?? []) {
    if (c.type === "Ready") {
      if (c.status === "False") out.push(TAINT_NOT_READY);
      else if (c.status === "Unknown") out.push(TAINT_UNREACHABLE);
    } else if (CONDITION_TAINTS[c.type] && c.status === "True") out.push(CONDITION_TAINTS[c.type]);
  }
  if (node.spec?.unschedulable) out.push(TAINT_UNSCHEDULABLE);
  return out;
}

/** MarkPodsNotReady (controller_utils.go): each pod on the node gets Ready=False and a Warning event. */
export function markPodsNotReady(ctx: ClusterContext, nodeName: string): void {
  const now = ctx.clock.nowRFC3339();
  for (const pod of ctx.api.podsOnNode(nodeName)) {
    const ready = podCondition(pod, "Ready");
    if (!ready || ready.status === "False") continue;
    const updated = ctx.api.mutate("Pod", pod.metadata.namespace, pod.metadata.name!, (p) => {
      const c: PodCondition = p.status.conditions.find((x: PodCondition) => x.type === "Ready");
      c.status = "False";
      c.lastTransitionTime = now;
    }, { subresource: "status" });
    ctx.events.record(updated, { type: "Warning", reason: "NodeNotReady", message: "Node is not ready", source: SOURCE });
  }
}

export function nodeLifecycleController(ctx: ClusterContext): Component {
  return new NodeLifecycleController(ctx);
}
