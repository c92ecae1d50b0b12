/**
 * Memory use on a node, and what the Linux kernel does when it runs out (the part of the node the
 * kubelet only watches: cgroup limits and the OOM killer).
 *
 * - Each running container uses some memory: what a scenario declared (`uses 4Gi of memory`),
 *   otherwise what its application model reports (`AppServer.memoryBytes()`), otherwise 0.
 *   A declared amount sticks to the container name of that pod: a restarted container uses it
 *   again (an application that needs 4Gi needs it on every start).
 * - A container over its memory limit is killed by its cgroup's OOM killer at that instant:
 *   SIGKILL, exit code 137, reason OOMKilled; the kubelet restarts it under the pod's policy.
 * - The node's own processes (kubelet, container runtime, system daemons) use nothing unless a
 *   scenario says so (`the system processes of node "n" use 1Gi of memory`); they are never chosen.
 * - When the containers together need more than the node's memory capacity, the kernel's OOM
 *   killer kills the process with the highest badness — its share of memory in thousandths plus
 *   its oom_score_adj (oom_badness) — until the rest fits.
 * - Every OOM kill is reported by the kubelet's OOM watcher as a Warning `SystemOOM` event on the
 *   node: `System OOM encountered, victim process: <name>, pid: <pid>`.
 *
 * The kubelet's runtime provides the running containers through `NodeMemoryRuntime`; the eviction
 * manager reads pod and node working sets from here (the summary API's role).
 */
import type { ClusterContext } from "../context.ts";
import type { TimerHandle } from "../sim/clock.ts";
import type { Container, Pod } from "../api/types.gen.ts";
import { parseQuantity } from "../api/quantity.ts";
import { appMemoryChanges } from "../images/apps/model.ts";
import { oomScoreAdj } from "./qos/policy.ts";
import type { PodMemoryStats } from "./eviction/helpers.ts";

declare module "../context.ts" {
  interface ClusterServices {
    /** The memory model of every node, by node name (src/kubelet/oom.ts). */
    "node-memory": Map<string, NodeMemory>;
  }
}

/** One running container as the memory model sees it. */
export interface MemoryContainer {
  pod: Pod;
  /** Its spec (regular, init or sidecar container). */
  container: Container;
  /** Memory the application model uses now, when the image has a model that says. */
  appMemoryBytes?(): number | undefined;
  /**
   * When `appMemoryBytes()` next changes by itself (simulated ms): Infinity when only a change
   * from outside can move it; absent or -Infinity when it may change at any time.
   */
  appMemoryChangesAt?(): number;
  /** Kills the container's processes as the kernel does: SIGKILL; the runtime records exit 137, reason OOMKilled. */
  oomKill(): void;
  /** The main process's name and host pid, for the SystemOOM event. */
  processName?: string;
  pid?: number;
}

/** What the kubelet's runtime tells the memory model. */
export interface NodeMemoryRuntime {
  runningContainers(): MemoryContainer[];
  /**
   * Whether some running container has an application model that may report memory use (cheap:
   * no views built). Without one, and with nothing declared, no container uses any memory.
   */
  anyMemoryModel?(): boolean;
  /**
   * Changes whenever the set of running containers or of the kubelet's pods changes (issue #19:
   * a housekeeping check with the same inputs finds what the last one found). Absent: every check
   * runs in full.
   */
  inputsVersion?(): string;
  /**
   * Whether the runtime calls `NodeMemory.inputsChanged()` at every change of `inputsVersion()` and
   * whenever a process's application memory is set from outside: then a quiet housekeeping whose
   * answer has no end sleeps on a dormant chain (issue #19). Absent: the one-shot timers tick.
   */
  wakesOnChange?: boolean;
}

export type OomKind = "cgroup" | "system";

export interface OomKill {
  pod: Pod;
  containerName: string;
  kind: OomKind;
  usageBytes: number;
  at: number;
}

/** The container's memory limit in bytes, or undefined when it has none. */
const limitCache = new WeakMap<object, number | undefined>();

export function memoryLimitBytes(container: Pick<Container, "resources"> | undefined): number | undefined {
  // A stored container spec is frozen: its limit is parsed once (housekeeping asks every second).
  if (container && typeof container === "object" && Object.isFrozen(container)) {
    if (limitCache.has(container)) return limitCache.get(container);
    const v = parseLimit(container);
    limitCache.set(container, v);
    return v;
  }
  return parseLimit(container);
}

function parseLimit(container: Pick<Container, "resources"> | undefined): number | undefined {
  const v = container?.resources?.limits?.memory;
  if (v === undefined) return undefined;
  const q = parseQuantity(v);
  return q.sign() > 0 ? q.value() : undefined;
}

/** The kernel's oom_badness in thousandths of the node's memory (what /proc/<pid>/oom_score shows, before clamping). */
export function oomBadness(usageBytes: number, adj: number, capacityBytes: number): number {
  if (adj <= -1000) return -Infinity; // OOM_SCORE_ADJ_MIN: never chosen
  return (usageBytes * 1000) / capacityBytes + adj;
}

/** The process name a container's main process shows in the kernel log. */
export function mainProcessName(container: Pick<Container, "command" | "args" | "image"> | undefined): string {
  const cmd: string | undefined = container?.command?.[0] ?? container?.args?.[0];
  if (cmd) return cmd.split("/").pop() || cmd;
  const image: string = container?.image ?? "";
  const repo = image.split("@")[0].split(":")[0];
  return repo.split("/").pop() || "sh";
}

export class NodeMemory {
  /** podUid → container name → declared bytes */
  private readonly declared = new Map<string, Map<string, number>>();
  private readonly killsLog: OomKill[] = [];
  private nextPid = 4000;
  private checking = false;
  /** Memory used outside pods: kubelet, container runtime, system daemons (0 unless a scenario says). */
  private systemBytes = 0;

  constructor(
    readonly ctx: ClusterContext,
    readonly nodeName: string,
    private runtime: NodeMemoryRuntime,
  ) {}

  setRuntime(runtime: NodeMemoryRuntime): void {
    this.bump();
    this.runtime = runtime;
  }

  /**
   * The node's memory capacity in bytes (status.capacity.memory). The fast engine reads the Node
   * again only after a change of some Node (issue #19 §3: every check asked the store, 8,600 reads in
   * a rolling update of 1,000 replicas): the stored Node changes only by a write or a deletion of a
   * Node, each of which moves the kind's last change (`lastChangeOf`), so while it stays the
   * stored Node, and the answer, are the ones last read.
   */
  capacityBytes(): number {
    const api = this.ctx.api;
    const at = this.ctx.reference ? -1 : api.lastChangeOf("Node");
    if (at >= 0 && at === this.capacityAt) return this.capacityValue;
    const node = api.get("Node", undefined, this.nodeName);
    const v = String(node?.status?.capacity?.memory ?? "8Gi");
    if (v !== this.capacityText) {
      this.capacityText = v;
      this.capacityValue = parseQuantity(v).value();
    }
    this.capacityAt = at;
    return this.capacityValue;
  }

  private capacityText = "";
  private capacityValue = 0;
  /** The Node kind's last change when the capacity was last read (-1: never, or the reference engine). */
  private capacityAt = -1;

  /** Declares what a container of a pod uses from now on, then lets cgroups and the kernel react. */
  setUsage(pod: Pod, containerName: string, bytes: number): void {
    const uid = pod.metadata.uid!;
    let m = this.declared.get(uid);
    if (!m) this.declared.set(uid, (m = new Map()));
    m.set(containerName, bytes);
    this.bump();
    this.enforce();
  }

  /** Declares what the node's own processes (outside any pod) use from now on. */
  setSystemUsage(bytes: number): void {
    this.systemBytes = bytes;
    this.bump();
    this.enforce();
  }

  systemUsageBytes(): number {
    return this.systemBytes;
  }

  /** Forgets a pod (it was deleted or evicted). */
  forgetPod(uid: string): void {
    this.bump();
    this.declared.delete(uid);
  }

  /** What a running container uses now. */
  usageOf(c: MemoryContainer): number {
    const d = this.declared.get(c.pod.metadata.uid!)?.get(c.container.name);
    if (d !== undefined) return d;
    return Math.max(0, c.appMemoryBytes?.() ?? 0);
  }

  /** The summary API's pod stats: the working set of each running container and their sum. */
  podStats(pod: Pod): PodMemoryStats | undefined {
    const containers = this.runtime.runningContainers().filter((c) => c.pod.metadata.uid === pod.metadata.uid);
    if (containers.length === 0) return undefined;
    const order = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
    const list = containers
      .map((c) => ({ name: c.container.name, workingSetBytes: this.usageOf(c) }))
      .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    return { workingSetBytes: list.reduce((s, c) => s + c.workingSetBytes, 0), containers: list };
  }

  /** The node's working set: every running container's use plus the node's own processes. */
  workingSetBytes(): number {
    // Nothing declared and no application model: every container uses 0 (the eviction manager asks every 10 s).
    if (this.declared.size === 0 && this.runtime.anyMemoryModel?.() === false) return this.systemBytes;
    // Issue #19: what the last check that killed nothing added up, while nothing it depended on changed.
    const quiet = this.quiet;
    if (quiet && !this.ctx.reference && this.ctx.clock.now() < quiet.until && quiet.key === this.quietKey()) return quiet.total;
    return this.systemBytes + this.runtime.runningContainers().reduce((s, c) => s + this.usageOf(c), 0);
  }

  /** memory.available as the kubelet observes it: capacity minus working set. */
  availableBytes(): number {
    return this.capacityBytes() - this.workingSetBytes();
  }

  private enforcePending = false;
  /** The pending housekeeping: a one-shot timer, or (`chained`) a chain that stands for them. */
  private housekeeping: TimerHandle | undefined;
  private chained = false;
  /** The watch of Node objects that wakes a dormant chain when this node's capacity may have changed. */
  private unwatchNode: (() => void) | undefined;
  /** How often usage reported by application models is looked at (cadvisor's housekeeping). */
  static readonly HOUSEKEEPING_MS = 1_000;

  /** Enforces at the current instant, after the work in progress (a container just started or stopped). */
  enforceSoon(): void {
    if (this.enforcePending) return;
    this.enforcePending = true;
    this.ctx.clock.setTimeout(() => {
      this.enforcePending = false;
      this.enforce();
    }, 0);
  }

  kills(): readonly OomKill[] {
    return this.killsLog;
  }

  /**
   * Applies cgroup limits, then the system OOM killer, at the current instant. Called whenever
   * usage changes (a step, an application model's tick) and by the kubelet when containers start.
   */
  enforce(): void {
    if (this.checking) return;
    // Fast path: nothing declared and no application model, so every container uses 0 bytes:
    // no limit can be exceeded, the node cannot run out, and there is nothing to keep watching.
    if (this.declared.size === 0 && this.systemBytes === 0 && this.runtime.anyMemoryModel?.() === false) return;
    // Issue #19: the same running containers with the same uses as at the last check, which killed
    // nothing, find nothing now either; only the housekeeping goes on as that check left it.
    const key = this.ctx.reference ? undefined : this.quietKey();
    const quiet = this.quiet;
    if (key !== undefined && quiet && quiet.key === key && this.ctx.clock.now() < quiet.until) {
      if (quiet.modelled) this.scheduleHousekeeping(quiet.until === Infinity);
      return;
    }
    this.quiet = undefined;
    const first = this.runtime.runningContainers();
    if (first.length === 0) return; // nothing that a limit or the kernel could kill
    this.checking = true;
    try {
      let killed = false;
      let firstTotal = this.systemBytes;
      for (const c of first) {
        const limit = memoryLimitBytes(c.container);
        const usage = this.usageOf(c);
        if (limit !== undefined && usage > limit) {
          this.kill(c, "cgroup", usage);
          killed = true;
        } else firstTotal += usage;
      }
      const capacity = this.capacityBytes();
      // Without a kill the running set is still `first` and the total is known: most checks end here.
      const settled = !killed && firstTotal <= capacity;
      if (settled && key !== undefined) this.quiet = { key, until: this.quietUntil(first), modelled: this.modelled(first), total: this.systemBytes + first.reduce((s, c) => s + this.usageOf(c), 0) };
      for (; !settled; ) {
        const running = this.runtime.runningContainers();
        const total = this.systemBytes + running.reduce((s, c) => s + this.usageOf(c), 0);
        if (total <= capacity) break;
        let victim: MemoryContainer | undefined;
        let worst = -Infinity;
        for (const c of running) {
          const usage = this.usageOf(c);
          if (usage <= 0) continue;
          const badness = oomBadness(usage, oomScoreAdj(c.pod, c.container, capacity), capacity);
          if (badness > worst) {
            worst = badness;
            victim = c;
          }
        }
        if (!victim) break;
        this.kill(victim, "system", this.usageOf(victim));
      }
    } finally {
      this.checking = false;
    }
    this.armHousekeeping(first);
  }

  /**
   * While some running container's memory comes from its application model (which may change over
   * time), look again every second; nothing is scheduled otherwise.
   */
  private armHousekeeping(running: MemoryContainer[]): void {
    if (this.housekeeping) return;
    if (!this.modelled(running)) return;
    // A check that recorded a quiet answer without end (this.quiet is this check's, or undefined).
    this.scheduleHousekeeping(this.quiet?.until === Infinity);
  }

  /** Whether some running container's memory comes from its application model (and is above 0). */
  private modelled(running: MemoryContainer[]): boolean {
    return running.some((c) => {
      if (this.declared.get(c.pod.metadata.uid!)?.has(c.container.name)) return false;
      return (c.appMemoryBytes?.() ?? 0) > 0;
    });
  }

  /**
   * Everything a check depends on besides time: the running containers and the kubelet's pods,
   * the declared uses, changes made to application memory from outside, the node's capacity.
   * Undefined when the runtime cannot tell (every check then runs in full).
   */
  private quietKey(): string | undefined {
    const v = this.runtime.inputsVersion?.();
    if (v === undefined) return undefined;
    return `${v}|${this.inputs}|${appMemoryChanges.count}|${this.capacityBytes()}`;
  }

  /**
   * Issue #19 (the fast engine's scrape, `Kubelet.scrapeLater`): what every running
   * container's `usageOf` and `workingSetBytes` depend on besides the running set, the kubelet's
   * pods and time — declared and system uses (`inputs`, bumped at every change) and memory set
   * from outside (`appMemoryChanges`). With those and the running set unchanged, both give what they
   * gave until `usageUntil` of the running containers (an application model's next timeline point).
   */
  usageKey(): string {
    return `${this.inputs}|${appMemoryChanges.count}`;
  }

  /** `quietUntil` for the scrape (see `usageKey`). */
  usageUntil(running: MemoryContainer[]): number {
    return this.quietUntil(running);
  }

  /** Until when (simulated ms) no running container's use changes by itself. */
  private quietUntil(running: MemoryContainer[]): number {
    let until = Infinity;
    for (const c of running) {
      if (this.declared.get(c.pod.metadata.uid!)?.has(c.container.name)) continue;
      const at = c.appMemoryChangesAt ? c.appMemoryChangesAt() : -Infinity;
      if (at < until) until = at;
    }
    return until;
  }

  /** The last check that killed nothing, what it depended on, and until when its answer holds. */
  private quiet: { key: string; until: number; modelled: boolean; total: number } | undefined;
  /** Bumped whenever a declared use or the system's use changes. */
  private inputs = 0;

  /**
   * Arms the next housekeeping check one second from now, unless one is pending. `endless`: the
   * check that arms it found a quiet answer that holds until an input changes (`quiet.until`
   * infinite); then, on the fast engine with a runtime that wakes it, the one-shot timers become a
   * dormant chain (issue #19, docs/performance.md "Memory housekeeping that sleeps"):
   *
   * - While quiet, each check re-arms its one-shot as the first thing it does (the quiet path of
   *   `enforce` takes no order number before it), so the one-shot chain takes its order numbers
   *   exactly where an interval's firings take theirs (before the callback): a chain
   *   (`SimClock.setChain`) created here, where the one-shot would be, stands for all of them, and
   *   asleep (`SimClock.sleep`) it runs no callback. Each skipped check would have found the quiet
   *   answer again (its inputs unchanged, no end in time) and done nothing else.
   * - Every input of `quietKey` wakes it (`inputsChanged`): the runtime's running set and the pod
   *   workers (the kubelet's hooks), declared and system uses (`bump`), memory set from outside
   *   (`ProcessIO.memoryChanged`), the node's capacity (a watch of this Node). A woken firing is the
   *   one-shot's firing: it drops the chain (its order number, taken at the firing, then belongs to
   *   no live timer, so the live timers' order is unchanged) and runs the check, which re-arms as
   *   today — first thing when quiet, after its kills otherwise.
   */
  private scheduleHousekeeping(endless = false): void {
    if (this.housekeeping) return;
    const clock = this.ctx.clock;
    if (endless && !this.ctx.reference && this.runtime.wakesOnChange) {
      this.chained = true;
      const chain = clock.setChain(() => {
        // Woken: this firing is the one-shot's.
        clock.clear(chain);
        this.housekeeping = undefined;
        this.chained = false;
        this.enforce();
      }, NodeMemory.HOUSEKEEPING_MS);
      this.housekeeping = chain;
      clock.sleep(chain);
      this.watchCapacity();
      return;
    }
    this.chained = false;
    this.housekeeping = clock.setTimeout(() => {
      this.housekeeping = undefined;
      this.enforce();
    }, NodeMemory.HOUSEKEEPING_MS);
  }

  /**
   * An input of the housekeeping's check changed (or may have): a dormant chain runs its next
   * firing for real. Cheap; called by the kubelet at every runtime and pod worker change.
   */
  inputsChanged(): void {
    const h = this.housekeeping;
    if (h && this.chained) this.ctx.clock.wake(h);
    if (this.inputWatchers.size > 0) for (const fn of [...this.inputWatchers]) fn();
  }

  /** Told at every `inputsChanged` and at `stop` (issue #19: the eviction manager's dormant interval). */
  private readonly inputWatchers = new Set<() => void>();

  /** Calls `fn` at every `inputsChanged` and at `stop`; returns the unsubscribe. */
  onInputsChanged(fn: () => void): () => void {
    this.inputWatchers.add(fn);
    return () => void this.inputWatchers.delete(fn);
  }

  /**
   * Issue #19 (never on the reference engine): the instant until which, while nothing calls
   * `inputsChanged` (or `stop`) and the node's capacity stays, `enforce()` changes nothing and
   * `workingSetBytes()` gives what it gives now; undefined when that cannot be said now. It can when
   * the last check's quiet answer holds (the same `quietKey`, before its `until`) and, if a model's
   * use is watched, the housekeeping is armed: `enforce` then takes its quiet path, which only
   * re-arms a housekeeping that is already pending, and `workingSetBytes` answers the quiet total,
   * the sum a full count would make of the same uses. What the key holds but this node's
   * `inputsChanged` does not tell (memory set on another node's model bumps the shared count) leaves
   * every use here as it was: a check made then finds the same total and kills nothing.
   */
  quietUntilNow(): number | undefined {
    const quiet = this.quiet;
    if (this.ctx.reference || quiet === undefined || !(this.ctx.clock.now() < quiet.until)) return undefined;
    if (this.checking || (quiet.modelled && this.housekeeping === undefined)) return undefined;
    return quiet.key === this.quietKey() ? quiet.until : undefined;
  }

  /** A declared use, the system's use or the runtime changed. */
  private bump(): void {
    this.inputs++;
    this.inputsChanged();
  }

  /** Wakes a dormant chain at every write or deletion of this node (its capacity is an input). */
  private watchCapacity(): void {
    if (this.unwatchNode) return;
    const name = this.nodeName;
    // What the housekeeping reads of this Node (`capacityBytes`): its memory capacity's text. A write
    // that leaves it as it was (a heartbeat, the node status's images or conditions) changes no
    // input of the quiet check, nor of the eviction manager's (whose own Node watch wakes only at
    // another capacity or a deletion): every skipped check would find the same answer, so it stays
    // asleep (issue #19). The text is tracked through every event of this Node, deletions included.
    let capacity = this.ctx.api.get("Node", undefined, name)?.status?.capacity?.memory;
    // Indexed by node in the store: a Node write reaches this node's handler only.
    this.unwatchNode = this.ctx.api.watch(
      "Node",
      (ev) => {
        if (ev.object.metadata.name !== name) return;
        const now = ev.type === "DELETED" ? undefined : ev.object.status?.capacity?.memory;
        if (ev.type !== "DELETED" && now === capacity) return;
        capacity = now;
        this.inputsChanged();
      },
      { nodeName: name },
    );
  }

  /** Stops the housekeeping timer (the node went down). */
  stop(): void {
    if (this.housekeeping) this.ctx.clock.clear(this.housekeeping);
    this.housekeeping = undefined;
    this.chained = false;
    this.unwatchNode?.();
    this.unwatchNode = undefined;
    if (this.inputWatchers.size > 0) for (const fn of [...this.inputWatchers]) fn();
  }

  private kill(c: MemoryContainer, kind: OomKind, usage: number): void {
    this.killsLog.push({ pod: c.pod, containerName: c.container.name, kind, usageBytes: usage, at: this.ctx.clock.now() });
    const node = this.ctx.api.get("Node", undefined, this.nodeName);
    const pid = c.pid ?? this.nextPid++;
    if (node) {
      this.ctx.events.record(node, {
        type: "Warning",
        reason: "SystemOOM",
        message: `System OOM encountered, victim process: ${c.processName ?? mainProcessName(c.container)}, pid: ${pid}`,
        source: { component: "kubelet", host: this.nodeName },
      });
    }
    c.oomKill();
  }
}

/** The memory model of every node, by node name (one per kubelet). */
export function nodeMemories(ctx: ClusterContext): Map<string, NodeMemory> {
  return ctx.services.ensure("node-memory", () => new Map());
}
