/**
 * The kubelet's eviction manager for memory (pkg/kubelet/eviction/eviction_manager.go, v1.32):
 *
 * - every 10 s (evictionMonitoringPeriod) it observes memory.available = capacity − working set
 *   and compares it with the hard threshold memory.available<100Mi;
 * - while the threshold is met, and for the pressure transition period (5 min) after it was last
 *   met, the node reports MemoryPressure=True (through the kubelet's node status);
 * - when the threshold is met it records `EvictionThresholdMet` on the node, ranks the active pods
 *   (rankMemoryPressure) and evicts the first one it may (critical pods are skipped): a Warning
 *   `Evicted` event with the eviction message, then the pod is killed with a 1 s grace period
 *   (immediateEvictionGracePeriodSeconds) and its status becomes phase Failed, reason Evicted,
 *   with a DisruptionTarget condition (reason TerminationByKubelet);
 * - after an eviction it waits for the pod to be cleaned up (polling every second, at most 30 s)
 *   and synchronizes again at once; otherwise it sleeps 10 s;
 * - its admission handler rejects BestEffort pods while the node is under memory pressure unless
 *   they tolerate the memory-pressure taint.
 */
import type { ClusterContext } from "../../context.ts";
import type { Pod, PodCondition, PodStatus, Toleration } from "../../api/types.gen.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import type { NodeConditionState } from "../nodestatus.ts";
import { getPodQOS } from "../../api/helper/qos.ts";
import { isCriticalPod } from "../qos/policy.ts";
import type { NodeMemory } from "../oom.ts";
import {
  DEFAULT_MEMORY_THRESHOLD,
  EVICTION_MONITORING_PERIOD_MS,
  IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS,
  NODE_CONDITION_MESSAGE_FMT,
  POD_CLEANUP_POLL_MS,
  POD_CLEANUP_TIMEOUT_MS,
  PRESSURE_TRANSITION_PERIOD_MS,
  REASON,
  evictionMessage,
  parseMemoryThreshold,
  rankMemoryPressure,
} from "./helpers.ts";

export const TAINT_NODE_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";

/** What the eviction manager needs from its kubelet. */
export interface EvictionKubelet {
  readonly ctx: ClusterContext;
  readonly nodeName: string;
  readonly conditionState: NodeConditionState;
  /** The node's memory model (usage, working sets). */
  readonly memory: NodeMemory;
  /** The pods the kubelet runs (admitted, not yet terminated). */
  activePods(): Pod[];
  /**
   * pod_workers' killPod: stops every container with the grace period override, then writes the
   * pod's final status after `statusFn` adjusted it.
   */
  killPod(pod: Pod, gracePeriodOverrideSeconds: number, statusFn: (status: PodStatus) => void): void;
}

export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

export interface EvictionConfig {
  /** --eviction-hard for memory, e.g. `memory.available<100Mi`. */
  hardThreshold?: string;
  pressureTransitionPeriodMs?: number;
  monitoringPeriodMs?: number;
}

export class EvictionManager {
  private timer: TimerHandle | undefined;
  private running = false;
  private readonly threshold: { signal: string; quantity: string; bytes: number };
  private readonly transitionMs: number;
  private readonly periodMs: number;
  /** nodeConditionsLastObservedAt for MemoryPressure. */
  private lastObservedAt: number | undefined;
  /** Pods evicted, oldest first (for reports and assertions). */
  readonly evicted: Array<{ namespace: string; name: string; uid: string; message: string; at: number }> = [];

  constructor(
    private readonly kubelet: EvictionKubelet,
    config: EvictionConfig = {},
  ) {
    this.threshold = parseMemoryThreshold(config.hardThreshold ?? `memory.available<${DEFAULT_MEMORY_THRESHOLD}`);
    this.transitionMs = config.pressureTransitionPeriodMs ?? PRESSURE_TRANSITION_PERIOD_MS;
    this.periodMs = config.monitoringPeriodMs ?? EVICTION_MONITORING_PERIOD_MS;
  }

  private get ctx(): ClusterContext {
    return this.kubelet.ctx;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.wake();
    if (this.timer) this.ctx.clock.clear(this.timer);
    this.timer = undefined;
  }

  /** IsUnderMemoryPressure */
  isUnderMemoryPressure(): boolean {
    return this.kubelet.conditionState.memoryPressure;
  }

  /** The eviction manager's PodAdmitHandler. */
  admit(pod: Pod): AdmitResult {
    if (!this.isUnderMemoryPressure()) return { admit: true };
    if (isCriticalPod(pod)) return { admit: true };
    if (getPodQOS(pod) !== "BestEffort") return { admit: true };
    const tolerates = (pod.spec?.tolerations ?? []).some(
      (t: Toleration) =>
        (t.effect === undefined || t.effect === "" || t.effect === "NoSchedule") &&
        ((t.operator === "Exists" && (t.key === undefined || t.key === "" || t.key === TAINT_NODE_MEMORY_PRESSURE)) ||
          ((t.operator === undefined || t.operator === "Equal") && t.key === TAINT_NODE_MEMORY_PRESSURE && (t.value ?? "") === "")),
    );
    if (tolerates) return { admit: true };
    return { admit: false, reason: REASON, message: NODE_CONDITION_MESSAGE_FMT(["MemoryPressure"]) };
  }

  /** Sleeps monitoringPeriod between passes (an interval: a pass takes no simulated time). */
  private schedule(): void {
    if (!this.running) return;
    this.timer = this.ctx.clock.setInterval(() => this.loop(), this.periodMs);
  }

  private loop(): void {
    if (!this.running) return;
    const evicted = this.synchronize();
    if (evicted.length === 0) return this.maybeSleep();
    if (this.timer) this.ctx.clock.clear(this.timer);
    this.timer = undefined;
    this.waitForPodsCleanup(evicted, 0);
  }

  /**
   * Issue #19 (never on the reference engine): the ends of the monitoring interval's dormancy (the
   * memory's listener, the Node watch), or undefined while it ticks.
   */
  private dormancy: { unlisten: () => void; unwatch: () => void } | undefined;

  /**
   * Issue #19: a pass that took the fast path (plenty available, no pressure to keep reporting: it
   * did nothing) would take it again at every tick while what it reads stays — the memory's quiet
   * answer (`NodeMemory.quietUntilNow`: `enforce` changes nothing, the working set is the same) and
   * the node's memory capacity — and no pressure was observed (`lastObservedAt`, only set by a pass).
   * So the interval sleeps (`SimClock.sleep`: each firing keeps its place, no callback runs) until
   * its first firing at or past the instant the quiet answer ends (an application model's next
   * timeline point), which runs; the memory's inputs changing (`NodeMemory.onInputsChanged`: the
   * running set, the kubelet's pods, declared and system uses, memory set from outside, the memory
   * stopping), a write of this Node with another capacity or its deletion (the watch's event is
   * dispatched before any later tick), or `stop` wake it before; a woken firing runs in full.
   */
  private maybeSleep(): void {
    const timer = this.timer;
    if (this.ctx.reference || timer === undefined || this.dormancy !== undefined || this.lastObservedAt !== undefined || !this.running) return;
    const memory = this.kubelet.memory;
    if (typeof memory.quietUntilNow !== "function") return;
    const until = memory.quietUntilNow();
    if (until === undefined) return;
    const clock = this.ctx.clock;
    let wakeAt: number | undefined;
    if (until !== Infinity) {
      const next = clock.nextDue(timer);
      if (!(until > next) || !Number.isInteger(until) || !Number.isInteger(next)) return;
      wakeAt = next + Math.ceil((until - next) / this.periodMs) * this.periodMs;
    }
    const nodeName = this.kubelet.nodeName;
    const capacity = this.ctx.api.get("Node", undefined, nodeName)?.status?.capacity?.memory;
    clock.sleep(timer, wakeAt);
    const unlisten = memory.onInputsChanged(() => this.wake());
    const unwatch = this.ctx.api.watch(
      "Node",
      (ev) => {
        if (ev.object.metadata.name !== nodeName) return;
        if (ev.type === "DELETED" || ev.object.status?.capacity?.memory !== capacity) this.wake();
      },
      { nodeName },
    );
    this.dormancy = { unlisten, unwatch };
  }

  /** Ends the interval's dormancy (see `maybeSleep`); nothing when it ticks. */
  private wake(): void {
    const d = this.dormancy;
    if (d === undefined) return;
    this.dormancy = undefined;
    d.unlisten();
    d.unwatch();
    if (this.timer !== undefined) this.ctx.clock.wake(this.timer);
  }

  /** After the cleanup wait: synchronize at once, then sleep as usual unless it evicted again. */
  private afterCleanup(): void {
    if (!this.running) return;
    const evicted = this.synchronize();
    if (evicted.length > 0) this.waitForPodsCleanup(evicted, 0);
    else this.schedule();
  }

  private waitForPodsCleanup(pods: Pod[], waitedMs: number): void {
    this.timer = this.ctx.clock.setTimeout(() => {
      if (!this.running) return;
      const waited = waitedMs + POD_CLEANUP_POLL_MS;
      if (pods.every((p) => this.podCleanedUp(p)) || waited >= POD_CLEANUP_TIMEOUT_MS) this.afterCleanup();
      else this.waitForPodsCleanup(pods, waited);
    }, POD_CLEANUP_POLL_MS);
  }

  private podCleanedUp(pod: Pod): boolean {
    const current = this.ctx.api.get("Pod", pod.metadata.namespace, pod.metadata.name!);
    if (current && current.metadata.uid !== pod.metadata.uid) return true;
    const terminal = !current || current.status?.phase === "Failed" || current.status?.phase === "Succeeded";
    return terminal && this.kubelet.memory.podStats(pod) === undefined;
  }

  /** One pass of the control loop; returns the pods it evicted (at most one). */
  synchronize(): Pod[] {
    const memory = this.kubelet.memory;
    memory.enforce();
    const now = this.ctx.clock.now();
    const available = memory.availableBytes();
    // Fast path: plenty left and no pressure to keep reporting (most nodes, most of the time).
    if (available >= this.threshold.bytes && this.lastObservedAt === undefined) return [];
    const met = available < this.threshold.bytes;
    if (met) this.lastObservedAt = now;
    const pressure = this.lastObservedAt !== undefined && now - this.lastObservedAt < this.transitionMs;
    this.setMemoryPressure(pressure);
    if (!met) return [];

    const node = this.ctx.api.get("Node", undefined, this.kubelet.nodeName);
    if (node) {
      this.ctx.events.record(node, {
        type: "Warning",
        reason: "EvictionThresholdMet",
        message: "Attempting to reclaim memory",
        source: { component: "kubelet", host: this.kubelet.nodeName },
      });
    }
    const active = this.kubelet.activePods();
    if (active.length === 0) return [];
    const stats = (pod: Pod) => memory.podStats(pod);
    const ranked = rankMemoryPressure([...active], stats);
    for (const pod of ranked) {
      if (isCriticalPod(pod)) continue;
      const { message } = evictionMessage(pod, stats, { quantity: this.threshold.quantity, availableBytes: available });
      this.evictPod(pod, message);
      return [pod];
    }
    return [];
  }

  private evictPod(pod: Pod, message: string): void {
    this.ctx.events.record(pod, {
      type: "Warning",
      reason: REASON,
      message,
      source: { component: "kubelet", host: this.kubelet.nodeName },
    });
    this.evicted.push({ namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name!, uid: pod.metadata.uid!, message, at: this.ctx.clock.now() });
    const nowText = this.ctx.clock.nowRFC3339();
    this.kubelet.killPod(pod, IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS, (status) => {
      status.phase = "Failed";
      status.reason = REASON;
      status.message = message;
      updatePodCondition(status, {
        type: "DisruptionTarget",
        status: "True",
        lastProbeTime: null,
        lastTransitionTime: nowText,
        reason: "TerminationByKubelet",
        message,
      });
    });
  }

  private setMemoryPressure(on: boolean): void {
    const state = this.kubelet.conditionState;
    if (state.memoryPressure === on) return;
    state.memoryPressure = on;
    const node = this.ctx.api.get("Node", undefined, this.kubelet.nodeName);
    if (node) {
      const reason = on ? "NodeHasInsufficientMemory" : "NodeHasSufficientMemory";
      this.ctx.events.record(node, {
        type: "Normal",
        reason,
        message: `Node ${this.kubelet.nodeName} status is now: ${reason}`,
        source: { component: "kubelet", host: this.kubelet.nodeName },
      });
    }
  }
}

/** podutil.UpdatePodCondition: replaces the condition of that type, keeping lastTransitionTime when the status is unchanged. */
export function updatePodCondition(status: PodStatus, condition: PodCondition): void {
  const conditions: PodCondition[] = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    conditions.push(condition);
    return;
  }
  const old = conditions[i];
  conditions[i] = { ...condition, lastTransitionTime: old.status === condition.status ? old.lastTransitionTime : condition.lastTransitionTime };
}
