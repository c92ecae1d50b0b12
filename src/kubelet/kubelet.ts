/**
 * One simulated kubelet per node. It registers the node, reports its status every 10 s (posting
 * when something changed, or every 5 minutes otherwise: nodeStatusUpdateFrequency and
 * nodeStatusReportFrequency) and renews its Lease in kube-node-lease every 10 s (a quarter of the
 * 40 s lease duration), as pkg/kubelet/kubelet_node_status.go and nodelease do.
 *
 * It runs the pods bound to its node: admission (lifecycle/predicate.ts), pod workers
 * (pod_workers.ts) over the container runtime (kuberuntime/), images (images/), volumes
 * (volumemanager/) and the status manager (status/). The node has its own filesystem (`nodeFs`),
 * which hostPath volumes mount and `When I run "..." on node "x"` reaches.
 */
import type { ClusterContext } from "../context.ts";
import { jsonEqual, type KObject, type WatchEvent } from "../api/types.ts";
import { podStatusOf } from "../api/store.ts";
import type { Container, NodeStatus, Pod, PodStatus } from "../api/types.gen.ts";
import type { TimerHandle } from "../sim/clock.ts";
import type { ExecStreams } from "./kuberuntime/kuberuntime_manager.ts";
import { Quantity } from "../api/quantity.ts";
import { nodeAllocatable, nodeCapacity, nodeConditions, nodeInfo, nodeInternalIP, type NodeConditionState } from "./nodestatus.ts";
import { MemFs } from "../runtime/vfs.ts";
import type { ContainerProcess, Process, ProcessIO } from "../runtime/types.ts";
import { createShellProcess } from "../runtime/shell/index.ts";
import { RuntimeService, type ContainerInstance } from "./kuberuntime/runtime_service.ts";
import { usageOf, type UsageRead } from "../runtime/cgroup.ts";
import { KubeRuntimeManager, type ProbeKillReasons } from "./kuberuntime/kuberuntime_manager.ts";
import { ObjectManager } from "./util/manager/manager.ts";
import { ImageManager } from "./images/image_manager.ts";
import { needToReconcilePodReadiness, StatusManager } from "./status/status_manager.ts";
import { PodWorkers } from "./pod_workers.ts";
import type { ProbeResults } from "./kubelet_pods.ts";
import { admitPod } from "./lifecycle/predicate.ts";
import type { VolumeHost } from "./volumemanager/volumes.ts";
import { clusterNetwork } from "../network/network.ts";
import { ProberManager } from "./prober/prober_manager.ts";
import { oomScoreAdj } from "./qos/policy.ts";
import { NodeMemory, nodeMemories, type MemoryContainer } from "./oom.ts";
import { collectResourceMetrics, KeptScrape, LaterNodePoint, type ResourceMetrics, type ScrapePlan } from "./metrics/resource_metrics.ts";
import { EvictionManager } from "./eviction/eviction_manager.ts";
import { StaticPods } from "./staticpods.ts";
import { isMirrorPod, runtimePodUid } from "./pod/mirror_client.ts";
import { NodeAppArmor } from "./security/apparmor.ts";
import { nodeCommands } from "./security/apparmor_parser.ts";
import { SysctlAllowlist } from "./sysctl/allowlist.ts";
import { safeSysctlAllowlist } from "./sysctl/safe_sysctls.ts";

/** The prober seam: src/kubelet/prober fills it (started/ready results, liveness kills, pod add/remove). */
export interface KubeletProber extends ProbeResults, ProbeKillReasons {
  addPod?(pod: KObject): void;
  updatePod?(pod: KObject): void;
  /** Whether `updatePod` of the pod would reach anything (issue #19); without it, it is taken to. */
  hasWorkers?(uid: string): boolean;
  stopLivenessAndStartup?(pod: KObject): void;
  removePod?(pod: KObject): void;
  stop?(): void;
  /** Changes of the probe results and workers so far (ProberManager.resultsVersion): the pod workers' steady resyncs compare it. */
  resultsVersion?(): number;
}

/** The QoS seam: oom_score_adj of a container (src/kubelet/qos/policy.ts). */
export type OomScoreAdjFn = (pod: Pod, container: Container, nodeMemoryCapacityBytes: number) => number;

export const NODE_STATUS_UPDATE_MS = 10_000;
export const NODE_STATUS_REPORT_MS = 5 * 60_000;
export const LEASE_DURATION_S = 40;
export const LEASE_RENEW_MS = 10_000;

/** The directories a node's root filesystem has (kind's node image, Debian bookworm). */
export const NODE_DIRECTORIES = [
  "/bin", "/boot", "/dev", "/etc", "/etc/kubernetes/manifests", "/home", "/kind", "/lib", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys",
  "/tmp", "/usr/bin", "/usr/lib", "/usr/local/bin", "/usr/sbin", "/usr/share",
  "/var/lib/kubelet", "/var/lib/containerd", "/var/log/containers", "/var/log/pods", "/var/local-path-provisioner", "/var/tmp",
];

/** `stored` when `fresh` serialises the same (so the write shares the stored frozen part), else `fresh` (a function, not a named closure per status report). */
function storedIfSame<T>(fresh: T, stored: unknown): T {
  return jsonEqual(fresh, stored) ? (stored as T) : fresh;
}

export class Kubelet {
  private timers: TimerHandle[] = [];
  private lastReport = -Infinity;
  private running = false;
  /** When this kubelet last started (the node's start time in its resource metrics). */
  private startedAt = 0;
  /** Condition inputs other kubelet parts (eviction manager, runtime) set. */
  readonly conditionState: NodeConditionState = { memoryPressure: false, diskPressure: false, pidPressure: false, ready: true };

  /** The node's own filesystem (hostPath volumes, `on node` commands). Survives a node restart. */
  readonly nodeFs: MemFs;
  /** The node kernel's AppArmor profiles (`apparmor_parser` on the node loads them). */
  readonly appArmor: NodeAppArmor;
  runtime!: RuntimeService;
  images!: ImageManager;
  runtimeManager!: KubeRuntimeManager;
  /** ConfigMaps and Secrets as this kubelet sees them (util/manager). */
  objects!: ObjectManager;
  readonly statusManager: StatusManager;
  podWorkers!: PodWorkers;
  /** Counts the runtimes this kubelet made (a node that comes back gets a fresh one). */
  private runtimeEpoch = 0;
  /** The prober (src/kubelet/prober); without one, containers are started and ready while running. */
  prober: KubeletProber | undefined;
  proberManager: ProberManager | undefined;
  /** Filled by the QoS policy (src/kubelet/qos); without it /proc/1/oom_score_adj is not written. */
  oomScoreAdjFn: OomScoreAdjFn | undefined = oomScoreAdj;
  /** Memory use of the node's containers, cgroup limits and the kernel's OOM killer (oom.ts). */
  readonly memory: NodeMemory;
  /** Node-pressure eviction (eviction/eviction_manager.ts). */
  readonly evictionManager: EvictionManager;
  private unwatchPods: (() => void) | undefined;
  /** Static pods from the node's /etc/kubernetes/manifests and their mirror pods (staticpods.ts). */
  readonly staticPods: StaticPods;
  private readonly rejected = new Set<string>();
  private readonly usedIPs = new Set<string>();
  private nextIP = 2;

  constructor(
    readonly ctx: ClusterContext,
    readonly nodeName: string,
    /** Join order of the node, which fixes its IP. */
    readonly index: number,
  ) {
    this.nodeFs = new MemFs(ctx.clock);
    // A kind node's (Debian) root filesystem: the usual top-level directories, so that `mkdir
    // /mnt/data` or a hostPath under /var, /opt or /srv works as on a real node.
    for (const d of NODE_DIRECTORIES) this.nodeFs.mkdir(d, { recursive: true });
    this.nodeFs.writeFile("/etc/hostname", `${nodeName}\n`);
    // kind's entrypoint regenerates /etc/machine-id at boot (fix_machine_id, systemd-machine-id-setup);
    // the node's status reports it as its machineID (cadvisor reads the file).
    this.nodeFs.writeFile("/etc/machine-id", `${nodeInfo(nodeName).machineID}\n`);
    // The node's kernel: AppArmor enabled, no profile loaded yet (security/apparmor.ts).
    this.appArmor = new NodeAppArmor(this.nodeFs);
    this.statusManager = new StatusManager(ctx);
    this.memory = new NodeMemory(ctx, nodeName, {
      runningContainers: () => this.memoryContainers(),
      anyMemoryModel: () => this.anyMemoryModel(),
      inputsVersion: () => `${this.runtimeEpoch}:${this.runtime.runningVersion}:${this.podWorkers.version}`,
      // makeRuntime below wires every change of those versions (and memory set from outside) to
      // `inputsChanged`: the housekeeping may sleep while nothing can change (issue #19).
      wakesOnChange: true,
    });
    nodeMemories(ctx).set(nodeName, this.memory);
    this.makeRuntime();
    this.evictionManager = new EvictionManager(this);
    this.staticPods = new StaticPods({
      ctx,
      nodeName,
      nodeFs: this.nodeFs,
      startedAt: () => this.startedAt,
      runPod: (pod) => this.handlePod(pod),
      killPod: (pod) => {
        const w = this.podWorkers.workers.get(pod.metadata.uid!);
        if (!w || w.terminated) return;
        // HandlePodRemoves: killed with its grace period, as a deletion would.
        const held = w.pod;
        const dying: Pod = { ...held, metadata: { ...held.metadata, deletionTimestamp: ctx.clock.nowRFC3339(), deletionGracePeriodSeconds: held.spec?.terminationGracePeriodSeconds ?? 30 } };
        this.podWorkers.updatePod(dying);
        this.prober?.updatePod?.(dying);
      },
      terminated: (uid) => {
        const w = this.podWorkers.workers.get(uid);
        return !w || w.terminated;
      },
      forget: (pod) => {
        this.rejected.delete(pod.metadata.uid!);
        this.podWorkers.podDeleted(pod);
      },
      resendStatus: (pod) => {
        const uid = pod.metadata.uid!;
        const status = this.statusManager.getPodStatus(uid);
        if (status) this.statusManager.setPodStatus(this.podWorkers.workers.get(uid)?.pod ?? pod, status);
      },
    });
  }

  /** A fresh container runtime and pod workers (at construction, and when a stopped node comes back). */
  private makeRuntime(): void {
    const ctx = this.ctx;
    const hadImages = this.images;
    this.runtimeEpoch++;
    this.memory.inputsChanged();
    const attempts = this.runtime?.attempts();
    this.runtime = new RuntimeService(ctx.clock, this.nodeName, !!ctx.reference);
    for (const [k, v] of attempts ?? []) this.runtime.previousAttempts.set(k, v);
    this.images = new ImageManager(ctx, this.nodeName);
    // A restarted kubelet reads immutable ConfigMaps and Secrets afresh.
    this.objects = new ObjectManager(ctx);
    if (hadImages) for (const img of hadImages.nodeImages()) this.images.preload(img.names[1] ?? img.names[0]!);
    this.runtimeManager = new KubeRuntimeManager({
      ctx,
      nodeName: this.nodeName,
      runtime: this.runtime,
      images: this.images,
      nodeAllocatable: () => this.node()?.status?.allocatable ?? {},
      hostIPs: () => [this.internalIP],
      objects: this.objects,
      oomScoreAdj: (pod, container) => this.containerOomScoreAdj(pod, container),
      shellProcess: (argv, io, stdin) => createShellProcess(argv, io, { stdin }),
      appArmor: this.appArmor,
      nodeFs: this.nodeFs,
    });
    this.podWorkers = new PodWorkers({
      ctx,
      nodeName: this.nodeName,
      hostIP: this.internalIP,
      runtime: this.runtime,
      runtimeManager: this.runtimeManager,
      statusManager: this.statusManager,
      volumeHost: (): VolumeHost => ({ ctx, nodeFs: this.nodeFs, nodeAllocatable: this.node()?.status?.allocatable ?? {}, objects: this.objects }),
      probes: () => this.prober,
      allocatePodIP: (pod) => this.allocatePodIP(pod),
      releasePodIP: (ip) => this.usedIPs.delete(ip),
      onPodTerminating: (pod) => this.prober?.stopLivenessAndStartup?.(pod),
      onPodRemoved: (pod) => {
        this.prober?.removePod?.(pod);
        clusterNetwork(ctx).detach(pod.metadata.uid!);
      },
    });
    // Issue #19: the memory housekeeping's inputs (NodeMemory.quietKey) wake its dormant chain.
    this.runtime.onMemoryInputs = () => this.memory.inputsChanged();
    this.podWorkers.onVersion = () => this.memory.inputsChanged();
    this.runtime.onChange = (uid) => {
      this.podWorkers.plegEvent(uid);
      this.memory.enforceSoon();
    };
    this.makeProber();
    this.runtime.onExit = (c) => clusterNetwork(ctx).detach(c.podUid, c.name);
  }

  /**
   * The prober manager: readiness changes rewrite the pod's status at once (statusManager
   * SetContainerReadiness); liveness and startup changes sync the pod (which kills a failed container).
   */
  private makeProber(): void {
    this.proberManager?.stop();
    const pm = new ProberManager(this.ctx, {
      nodeName: this.nodeName,
      getPodStatus: (uid) => this.getPodStatus(uid),
      execInContainer: (pod, name, id, argv, output) => this.execInContainer(pod, name, id, argv, output),
    }, { startedAt: this.ctx.clock.now() });
    this.proberManager = pm;
    // Dormant probe workers waiting for their container wake before their pod's status changes; steady ones check it after (issue #19, Worker.dormancy).
    this.statusManager.onChange = (uid) => pm.wakePod(uid);
    this.statusManager.onChanged = (uid) => pm.statusChanged(uid);
    this.prober = {
      updatePodStatus: (pod, status) => pm.updatePodStatus(pod, status),
      killReason: (pod, cs) => pm.killReason(pod, cs),
      isStarted: (pod, cs) => pm.isContainerStarted(pod, cs),
      addPod: (pod) => pm.addPod(pod),
      updatePod: (pod) => pm.updatePod(pod),
      hasWorkers: (uid) => pm.hasWorkers(uid),
      stopLivenessAndStartup: (pod) => pm.stopLivenessAndStartup(pod),
      removePod: (pod) => pm.removePod(pod),
      stop: () => pm.stop(),
      resultsVersion: () => pm.resultsVersion,
    };
    // A pod's resync asleep wakes when what its sync asks of the probes changes (issue #19).
    pm.onResultsChange = (uid) => this.podWorkers.probesChanged(uid);
    pm.readinessManager.onUpdate((u) => this.podWorkers.refreshStatus(u.podUID));
    pm.livenessManager.onUpdate((u) => this.podWorkers.syncNow(u.podUID));
    // syncLoopIteration: a startup result sets the container's `started` in the status
    // (statusManager.SetContainerStartup), then syncs the pod (handleProbeSync).
    pm.startupManager.onUpdate((u) => {
      this.podWorkers.refreshStatus(u.podUID);
      this.podWorkers.syncNow(u.podUID);
    });
  }

  /**
   * oom_score_adj of a container at its start. It reads the pod's annotations (static or mirror
   * pod), priority, priority class, QoS class (status.qosClass, else the containers' resources),
   * the container and the node's memory capacity: for a stored (frozen) container of the same pod
   * spec, annotations and QoS class, and the same capacity, the last answer is kept (issue #19: a
   * crash loop asks at every restart; QoS and quantities are parsed each time).
   */
  private containerOomScoreAdj(pod: Pod, container: Container): number | undefined {
    const fn = this.oomScoreAdjFn;
    if (!fn) return undefined;
    const capacity = this.memoryCapacityBytes();
    if (this.ctx.reference || !Object.isFrozen(container) || !Object.isFrozen(pod.spec)) return fn(pod, container, capacity);
    const kept = oomScoreAdjs.get(container);
    const annotations = pod.metadata.annotations;
    const qos = podStatusOf(pod)?.qosClass;
    if (kept && kept.fn === fn && kept.spec === pod.spec && kept.annotations === annotations && kept.qos === qos && kept.capacity === capacity) return kept.value;
    const value = fn(pod, container, capacity);
    oomScoreAdjs.set(container, { fn, spec: pod.spec, annotations, qos, capacity, value });
    return value;
  }

  memoryCapacityBytes(): number {
    const mem = this.node()?.status?.capacity?.memory;
    // Asked at every container start (oom_score_adj): the last quantity's value is kept (a pure parse).
    const memo = this.capacityMemo;
    if (mem !== undefined && memo && mem === memo.text) return memo.bytes;
    let bytes: number;
    try {
      bytes = mem ? Quantity.parse(String(mem)).value() : 8 * 1024 ** 3;
    } catch {
      bytes = 8 * 1024 ** 3;
    }
    this.capacityMemo = { text: mem, bytes };
    return bytes;
  }
  private capacityMemo?: { text: unknown; bytes: number };

  get internalIP(): string {
    return nodeInternalIP(this.index);
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    if (this.stoppedOnce) this.makeRuntime();
    this.running = true;
    this.startedAt = this.ctx.clock.now();
    this.registerNode();
    this.renewLease();
    const statusTimer = this.ctx.clock.setInterval(() => this.statusTick(), NODE_STATUS_UPDATE_MS);
    this.statusTimer = statusTimer;
    this.timers.push(statusTimer);
    this.timers.push(this.ctx.clock.setInterval(() => this.renewLease(), LEASE_RENEW_MS));
    this.evictionManager.start();
    this.images.onImagesChanged = () => this.wakeStatus();
    this.unwatchPods = this.ctx.api.watch(
      "Pod",
      (ev) => {
        const pod = ev.object;
        if (pod.spec?.nodeName !== this.nodeName && ev.old?.spec?.nodeName !== this.nodeName) return;
        // A mirror pod is the API's copy of a static pod: the kubelet runs the file's pod (handleMirrorPod).
        if (isMirrorPod(pod)) return this.staticPods.mirrorPodChanged(pod);
        if (ev.type === "DELETED") this.handlePodDeleted(pod);
        else this.handlePod(pod, ev.type === "MODIFIED" ? ev.old : undefined);
      },
      { nodeName: this.nodeName, statusOnlyWanted: (ev) => this.echoWanted(ev) },
    );
    for (const pod of this.ctx.api.podsOnNode(this.nodeName)) if (!isMirrorPod(pod)) this.handlePod(pod);
    this.staticPods.start();
  }

  private stoppedOnce = false;

  /**
   * Stops every loop of this kubelet and every container on the node (the node goes down): nothing
   * of its pods runs, answers or reports any more. `start()` brings it back with a fresh runtime.
   */
  stop(): void {
    this.running = false;
    this.stoppedOnce = true;
    this.wakeStatus();
    this.statusTimer = undefined;
    for (const t of this.timers) this.ctx.clock.clear(t);
    this.timers = [];
    this.unwatchPods?.();
    this.unwatchPods = undefined;
    this.staticPods.stop();
    this.podWorkers.stop();
    this.evictionManager.stop();
    this.memory.stop();
    this.images.clearQueue();
    const net = clusterNetwork(this.ctx);
    for (const uid of this.runtime.podUids()) net.detach(uid);
    this.runtime.killAllSilently();
    this.prober?.stop?.();
  }

  // ---- pods ---------------------------------------------------------------------------------

  /**
   * The Pod watch's `statusOnlyWanted` (issue #19, echo23; the fast engine asks it for a status-only
   * change, in the handler's place): false for the echo of this kubelet's own last status write of a
   * pod it runs, when all the handler would do is keep it — having kept it here. The event's object
   * is then the stored pod that write produced (`StatusManager.lastWrite`'s `to`: the same object,
   * so the same resourceVersion), and `handlePod` would: find the pod on this node, not a mirror pod
   * (`mirrorPodChanged` is left to the handler), not rejected, with a worker, the change status-only
   * (so `podsDifferSemantically` is false: every other field the same object, the metadata's values
   * the same but the resourceVersion), set `w.pod` to it, call the prober's `updatePod` — nothing
   * when the pod has no probe workers — and sync the pod only when its readiness gates disagree with
   * its Ready condition. This sets `w.pod` to the same object at the same instant (the dispatch's,
   * in the handler's place), so every read of it before, between and after is the one it was. Any
   * other status-only change (another writer's, an older write of the kubelet's), a pod with probe
   * workers or readiness to reconcile, reaches the handler as before.
   */
  private echoWanted(ev: WatchEvent): boolean {
    const pod = ev.object as Pod;
    const uid = pod.metadata.uid!;
    const own = this.statusManager.lastWrite(uid);
    if (own === undefined || own.to !== pod || pod.spec?.nodeName !== this.nodeName || isMirrorPod(pod) || this.rejected.has(uid)) return true;
    const w = this.podWorkers.workers.get(uid);
    const prober = this.prober;
    if (w === undefined || (prober?.updatePod !== undefined && (prober.hasWorkers === undefined || prober.hasWorkers(uid))) || needToReconcilePodReadiness(pod)) return true;
    w.pod = pod;
    return false;
  }

  private handlePod(pod: KObject, old?: KObject): void {
    const uid = pod.metadata.uid!;
    if (this.rejected.has(uid)) return;
    const w = this.podWorkers.workers.get(uid);
    if (w && old && old.metadata.uid === uid && !podsDifferSemantically(old, pod)) {
      // A status-only change (mostly our own writes) is a reconcile, not a sync (config.go).
      w.pod = pod;
      if (this.statusManager.lastWrite(uid)?.to !== pod) this.podWorkers.podChanged(uid);
      this.prober?.updatePod?.(pod);
      // HandlePodReconcile: a Ready condition that disagrees with the readiness gates' conditions
      // (written by others through the status subresource) is reconciled by a sync.
      if (needToReconcilePodReadiness(pod)) this.podWorkers.updatePod(pod);
      return;
    }
    if (w) {
      const shorter = (pod.metadata.deletionGracePeriodSeconds ?? Infinity) < (w.pod.metadata.deletionGracePeriodSeconds ?? Infinity);
      this.podWorkers.updatePod(pod);
      this.prober?.updatePod?.(pod);
      if (shorter && w.terminating) {
        for (const c of this.runtime.instances(uid)) this.runtime.shortenStop(c, Math.max(2, pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000);
      }
      return;
    }
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") {
      // Already finished (e.g. before a node restart): a deletion only needs finishing.
      if (pod.metadata.deletionTimestamp) this.ctx.api.finalizeDelete("Pod", pod.metadata.namespace, pod.metadata.name!);
      return;
    }
    const evictionAdmit = this.evictionManager.admit(pod);
    if (!evictionAdmit.admit) return this.rejectPod(pod, evictionAdmit.reason!, evictionAdmit.message!);
    // The sysctl allowlist, the admit handler NewMainKubelet adds after the eviction manager's.
    if (pod.spec?.securityContext?.sysctls?.length) {
      const sysctlAdmit = this.sysctlAllowlist().admit(pod as Pod);
      if (!sysctlAdmit.admit) return this.rejectPod(pod, sysctlAdmit.reason!, sysctlAdmit.message!);
    }
    const node = this.node();
    if (node) {
      const others = [...this.podWorkers.workers.values()].filter((x) => !x.terminated).map((x) => x.pod);
      const r = admitPod(pod, node, others);
      if (!r.admit) return this.rejectPod(pod, r.reason!, r.message!);
    }
    this.podWorkers.updatePod(pod);
    this.prober?.addPod?.(pod);
  }

  /** NewMainKubelet's sysctl admit handler: the safe sysctls of the node's kernel plus `--allowed-unsafe-sysctls`. */
  private sysctls?: SysctlAllowlist;

  private sysctlAllowlist(): SysctlAllowlist {
    return (this.sysctls ??= new SysctlAllowlist(safeSysctlAllowlist(nodeInfo(this.nodeName).kernelVersion)));
  }

  /**
   * `--allowed-unsafe-sysctls` (KubeletConfiguration allowedUnsafeSysctls): the unsafe sysctls and
   * patterns (`kernel.msg*`) this node's pods may set besides the safe ones; none by default, as on
   * kind. Throws the kubelet's start-up error for a pattern it refuses (malformed, or not known to be
   * namespaced), leaving the list as it was. No step sets it (docs/divergences.md).
   */
  setAllowedUnsafeSysctls(patterns: readonly string[]): void {
    this.sysctls = new SysctlAllowlist([...safeSysctlAllowlist(nodeInfo(this.nodeName).kernelVersion), ...patterns]);
  }

  /** kubelet.rejectPod: a Warning event and phase Failed with `Pod was rejected: <message>`. */
  private rejectPod(pod: KObject, reason: string, message: string): void {
    this.rejected.add(pod.metadata.uid!);
    this.ctx.events.record(pod, { type: "Warning", reason, message, source: { component: "kubelet", host: this.nodeName } });
    this.statusManager.setPodStatus(pod, {
      ...(pod.status?.conditions ? { conditions: undefined } : {}),
      message: `Pod was rejected: ${message}`,
      phase: "Failed",
      ...(pod.status?.qosClass ? { qosClass: pod.status.qosClass } : {}),
      reason,
      startTime: this.ctx.clock.nowRFC3339(),
    });
    if (pod.metadata.deletionTimestamp) this.ctx.api.finalizeDelete("Pod", pod.metadata.namespace, pod.metadata.name!);
  }

  private handlePodDeleted(pod: KObject): void {
    this.rejected.delete(pod.metadata.uid!);
    this.podWorkers.podDeleted(pod);
  }

  /** The next free IP of the node's pod CIDR (host-local IPAM: round robin from .2), or the node's own IP for hostNetwork pods. */
  private allocatePodIP(pod: KObject): string {
    if (pod.spec?.hostNetwork) return this.internalIP;
    const base = podCIDRBase(this.node()?.spec?.podCIDR) ?? `10.244.${this.index}`;
    for (let i = 0; i < 253; i++) {
      const n = ((this.nextIP - 2 + i) % 253) + 2;
      const ip = `${base}.${n}`;
      if (this.usedIPs.has(ip)) continue;
      this.usedIPs.add(ip);
      this.nextIP = n + 1 > 254 ? 2 : n + 1;
      return ip;
    }
    return `${base}.254`;
  }

  /** Pods the kubelet runs (admitted, not yet terminated). */
  activePods(): KObject[] {
    return [...this.podWorkers.workers.values()].filter((w) => !w.terminated && !w.terminating).map((w) => w.pod);
  }

  /** Kills a pod that stays in the API server (eviction): stops its containers, then writes its final status. */
  killPod(pod: KObject, gracePeriodOverrideSeconds: number, statusFn: (status: PodStatus) => void, phase = "Failed", reason = "", message = ""): void {
    this.podWorkers.killPod(pod, { phase, reason, message, statusFn, graceOverrideS: gracePeriodOverrideSeconds });
  }

  /** The latest status the kubelet computed for a pod (prober host). */
  getPodStatus(uid: string): PodStatus | undefined {
    return this.statusManager.getPodStatus(uid);
  }

  /** Running container instances (memory model / OOM killer). */
  runningContainers(): ContainerInstance[] {
    return this.runtime.running();
  }

  /** Running containers as the memory model sees them (usage, limits, the OOM kill); one view per instance. */
  /**
   * Whether some running container's memory comes from an application model (the memory
   * housekeeping asks at every runtime change and every eviction pass). A process's application is
   * fixed when it starts: the fast engine reads the runtime's count of running instances with one,
   * kept at every start, exit, node down and pod removal (issue #19); the reference engine walks
   * every instance.
   */
  private anyMemoryModel(): boolean {
    const rt = this.runtime;
    if (!this.ctx.reference) return rt.runningModels > 0;
    return rt.anyRunning((c) => c.process?.app?.memoryBytes !== undefined);
  }

  private memoryContainers(): MemoryContainer[] {
    const out: MemoryContainer[] = [];
    for (const c of this.runtime.running()) {
      const pod = this.podOf(c.podUid);
      if (!pod) continue;
      out.push(this.memoryView(c, pod));
    }
    return out;
  }

  private memoryView(c: ContainerInstance, pod: KObject): MemoryContainer {
    let view = memoryViews.get(c);
    if (!view) {
      const runtime = this.runtime;
      // Method shorthand, not arrows: no name defined on a new function at every start (tsx's keepNames).
      view = {
        pod,
        container: c.spec,
        appMemoryBytes() {
          return c.process?.app?.memoryBytes?.();
        },
        appMemoryChangesAt() {
          const app = c.process?.app;
          if (!app?.memoryBytes) return Infinity;
          return app.memoryChangesAt ? app.memoryChangesAt() : -Infinity;
        },
        oomKill() {
          return runtime.oomKill(c);
        },
      };
      memoryViews.set(c, view);
    }
    view.pod = pod;
    return view;
  }

  /** The scrape's containers in order while the running set and the pods are unchanged (issue #19). */
  private metricsPlan: KubeletScrapePlan | undefined;

  private scrapePlan(): KubeletScrapePlan {
    const key = `${this.runtimeEpoch}:${this.runtime.runningVersion}:${this.podWorkers.version}`;
    let plan = this.metricsPlan;
    if (plan === undefined || plan.key !== key) {
      const entries: PlanEntry[] = [];
      for (const c of this.runtime.running()) {
        const pod = this.podOf(c.podUid);
        if (!pod) continue;
        const namespace = pod.metadata.namespace ?? "default";
        const name = pod.metadata.name!;
        const view = this.memoryView(c, pod);
        // The instance's entry, with sortContainers' comparison text, made once per container
        // instance (issue #19): the same texts compared the same way give the same comparisons, so
        // the same permutation; the entry also says where it stood in the last plan (orderPlan).
        let e = planEntries.get(c);
        if (e === undefined || e.namespace !== namespace || e.pod !== name || e.container !== c.name) {
          planEntries.set(c, (e = { namespace, pod: name, container: c.name, of: { inst: c, view }, order: namespace + "/" + name + "/" + c.name, plan: 0, place: -1 }));
        }
        entries.push(e);
      }
      plan = this.metricsPlan = orderPlan(key, entries, plan);
    }
    return plan;
  }

  /**
   * `resourceMetrics` on the fast engine: the same points (the memory model's usage is the same
   * function of the same container, read through its view; reading CPU time folds nothing
   * anyone sees), the containers sorted once per set of running containers and pods
   * (`ScrapePlan`). The reference engine collects and sorts at every scrape.
   */
  private resourceMetricsPlanned(): ResourceMetrics {
    const plan = this.scrapePlan();
    const containers: ResourceMetrics["containers"] = [];
    for (const e of plan.entries) {
      const c = e.of.inst;
      containers.push({ namespace: e.namespace, pod: e.pod, container: e.container, startTime: c.startedAt ?? c.createdAt, cpuMs: c.cpu.usageMs(), workingSetBytes: this.memory.usageOf(e.of.view) });
    }
    return {
      timestamp: this.ctx.clock.now(),
      node: { startTime: this.startedAt, cpuMs: this.runtime.cpuUsageMs(), workingSetBytes: this.memory.workingSetBytes() },
      containers,
    };
  }

  /**
   * Issue #19 (the fast engine's metrics-server scrape): `resourceMetrics()` with every CPU figure
   * read later (`LaterContainerPoint`, `CfsCgroup.readLater`): the same figures whenever they are
   * asked for, without replaying the dormant charges at every scrape. The rest as planned, and the
   * container points themselves made only when asked for (`KeptScrape`): a scrape takes the reads.
   */
  scrapeLater(): KeptScrape | undefined {
    if (!this.running) return undefined;
    const plan = this.scrapePlan();
    const now = this.ctx.clock.now();
    const memory = this.scrapeMemory(plan, now);
    const entries = plan.entries;
    const reads: UsageRead[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) reads[i] = entries[i]!.of.inst.cpu.readLater();
    const order = runtimeOrder(plan, this.runtime);
    const cpu = order === null ? this.runtime.cpuUsageLater() : nodeUsageLater(this.runtime.exitedUsageMs, reads, order);
    return new KeptScrape(now, new LaterNodePoint(this.startedAt, cpu, memory.workingSet), entries, reads, memory.usage);
  }

  /**
   * Issue #19: each plan entry's `usageOf` and the node's `workingSetBytes` as of `now`, kept with the
   * plan while the memory's inputs stay (`NodeMemory.usageKey`) and no application model's use
   * changes by itself (`usageUntil`): the same functions of the same inputs give the same numbers.
   * The plan's key covers the rest (the running set, the kubelet's pods and so each view's pod).
   */
  private scrapeMemory(plan: KubeletScrapePlan, now: number): ScrapeMemory {
    const key = this.memory.usageKey();
    const kept = plan.memory;
    if (kept !== undefined && kept.key === key && now < kept.until) return kept;
    const views: MemoryContainer[] = [];
    const usage: number[] = [];
    for (const e of plan.entries) {
      views.push(e.of.view);
      usage.push(this.memory.usageOf(e.of.view));
    }
    return (plan.memory = { key, until: this.memory.usageUntil(views), usage, workingSet: this.memory.workingSetBytes() });
  }

  /** `/metrics/resource` (what metrics-server scrapes), or undefined while the node is down. */
  resourceMetrics(): ResourceMetrics | undefined {
    if (!this.running) return undefined;
    if (!this.ctx.reference) return this.resourceMetricsPlanned();
    return collectResourceMetrics({
      now: () => this.ctx.clock.now(),
      nodeStartTime: () => this.startedAt,
      nodeCpuMs: () => this.runtime.cpuUsageMs(),
      nodeWorkingSetBytes: () => this.memory.workingSetBytes(),
      runningContainers: () => {
        const out = [];
        for (const c of this.runtime.running()) {
          const pod = this.podOf(c.podUid);
          if (!pod) continue;
          out.push({
            namespace: pod.metadata.namespace ?? "default",
            pod: pod.metadata.name!,
            container: c.name,
            startTime: c.startedAt ?? c.createdAt,
            cpuMs: c.cpu.usageMs(),
            workingSetBytes: this.memory.usageOf({ pod, container: c.spec, appMemoryBytes: () => c.process?.app?.memoryBytes?.(), oomKill: () => {} }),
          });
        }
        return out;
      },
    });
  }

  /** The pod of a running instance, as the kubelet last saw it. */
  podOf(uid: string): KObject | undefined {
    return this.podWorkers.workers.get(uid)?.pod;
  }

  /** ExecSync in a running container (exec probes, kubectl exec): an Error when it cannot run. */
  execInContainer(pod: KObject, containerName: string, containerID: string | undefined, argv: string[], output: (text: string) => void, streams?: ExecStreams): Process | Error {
    const inst = this.runtime.instances(runtimePodUid(pod)).find((c) => c.name === containerName && (!containerID || c.id === containerID));
    if (!inst) return new Error(`container ${JSON.stringify(containerName)} not found`);
    return this.runtimeManager.exec(inst, argv, output, streams);
  }

  /** A shell command on the node's own filesystem (`When I run "..." on node "x"`). */
  nodeShell(argv: string[], output: (text: string) => void): ContainerProcess {
    const io: ProcessIO = {
      clock: this.ctx.clock,
      fs: this.nodeFs,
      env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOSTNAME: this.nodeName, HOME: "/root" },
      hostname: this.nodeName,
      stdout: output,
      stderr: output,
      resolve: (name) => clusterNetwork(this.ctx).resolve(name),
      http: (req, done) => clusterNetwork(this.ctx).http(req, done, { fromNode: this.nodeName }),
      echoes: (ip) => clusterNetwork(this.ctx).echoes(ip),
    };
    return createShellProcess(argv, io, { commands: nodeCommands(this.appArmor) });
  }

  node(): KObject | undefined {
    return this.ctx.api.get("Node", undefined, this.nodeName);
  }

  /** kubelet's updateDefaultLabels and initial status on registration. */
  private registerNode(): void {
    const node = this.node();
    if (!node) return;
    if (!node.spec?.podCIDR) {
      // The node IPAM controller's job; done here when nobody did it.
      const cidr = `10.244.${this.index}.0/24`;
      this.ctx.api.mutate("Node", undefined, this.nodeName, (n) => {
        n.spec = { ...(n.spec ?? {}), podCIDR: cidr, podCIDRs: [cidr] };
      });
    }
    this.ctx.api.mutate("Node", undefined, this.nodeName, (n) => {
      n.metadata.labels = {
        ...n.metadata.labels,
        "kubernetes.io/arch": n.metadata.labels?.["kubernetes.io/arch"] ?? "amd64",
        "kubernetes.io/hostname": n.metadata.labels?.["kubernetes.io/hostname"] ?? this.nodeName,
        "kubernetes.io/os": n.metadata.labels?.["kubernetes.io/os"] ?? "linux",
        "beta.kubernetes.io/arch": n.metadata.labels?.["beta.kubernetes.io/arch"] ?? "amd64",
        "beta.kubernetes.io/os": n.metadata.labels?.["beta.kubernetes.io/os"] ?? "linux",
      };
      n.metadata.labels = sortKeys(n.metadata.labels!);
      n.metadata.annotations = sortKeys({
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        ...n.metadata.annotations,
      });
    });
    this.syncNodeStatus(true);
  }

  /** Computes the node status and posts it when it changed or the report period has passed. */
  private nodeInfoCache: Record<string, string> | undefined;
  /** What the last sync that posted nothing depended on (see syncNodeStatus). */
  private statusQuietKey: string | undefined;

  /** The node status interval (`NODE_STATUS_UPDATE_MS`), while the kubelet runs. */
  private statusTimer: TimerHandle | undefined;
  /** The end of the status interval's dormancy (its Node watch), or undefined while it ticks. */
  private statusDormancy: (() => void) | undefined;

  /**
   * A tick of the node status interval. Issue #19 (never on the reference engine): a tick that
   * found only heartbeats to change and the report period not over (`statusQuietKey` set to what it
   * read) is followed, while that key holds, by ticks that return at its first test, doing nothing.
   * So the interval sleeps (`SimClock.sleep`: each firing keeps its place, no callback runs) until
   * its first firing at or past the end of the report period, which runs (it posts). What the key
   * reads wakes it first: a write or the deletion of this Node (its resourceVersion; the watch's
   * event is dispatched before any later tick), the condition state (`conditionsChanged`, called
   * by the eviction manager), the node's images (`onImagesChanged`), a direct call of
   * `syncNodeStatus` (it may post and move the report period), `stop`. A woken tick runs in full.
   */
  private statusTick(): void {
    this.syncNodeStatus(false);
    const timer = this.statusTimer;
    if (this.ctx.reference || timer === undefined || this.statusDormancy !== undefined || this.statusQuietKey === undefined || !this.running) return;
    const clock = this.ctx.clock;
    const node = this.node();
    if (node === undefined) return;
    const cs = this.conditionState;
    if (this.statusQuietKey !== `${node.metadata.resourceVersion}|${+cs.memoryPressure}${+cs.diskPressure}${+cs.pidPressure}${+cs.ready}|${this.runtimeEpoch}:${this.images.version}`) return;
    const next = clock.nextDue(timer);
    const due = this.lastReport + NODE_STATUS_REPORT_MS;
    if (!(due > next) || !Number.isInteger(due) || !Number.isInteger(next)) return;
    clock.sleep(timer, next + Math.ceil((due - next) / NODE_STATUS_UPDATE_MS) * NODE_STATUS_UPDATE_MS);
    const name = this.nodeName;
    this.statusDormancy = this.ctx.api.watch(
      "Node",
      (ev) => {
        if (ev.object.metadata.name === name) this.wakeStatus();
      },
      { nodeName: name },
    );
  }

  /** Ends the status interval's dormancy (see `statusTick`); nothing while it ticks. */
  private wakeStatus(): void {
    const unwatch = this.statusDormancy;
    if (unwatch === undefined) return;
    this.statusDormancy = undefined;
    unwatch();
    if (this.statusTimer !== undefined) this.ctx.clock.wake(this.statusTimer);
  }

  /** The node's condition state changed (the eviction manager's memory pressure): the status sync reads it. */
  conditionsChanged(): void {
    this.wakeStatus();
  }

  syncNodeStatus(force: boolean): void {
    this.wakeStatus();
    const node = this.node();
    if (!node || !this.running) return;
    const now = this.ctx.clock.now();
    // Issue #19: with the stored node, the condition state and the images as at the last sync that
    // found nothing but heartbeats to change, this one finds the same (only `now` differs, and it
    // goes only into heartbeats and the transition times of conditions that flip); it posts only at
    // the report period. The 10 s ticks stay, so every post happens at the reference instant.
    const cs = this.conditionState;
    const key = this.ctx.reference
      ? undefined
      : `${node.metadata.resourceVersion}|${+cs.memoryPressure}${+cs.diskPressure}${+cs.pidPressure}${+cs.ready}|${this.runtimeEpoch}:${this.images.version}`;
    if (!force && key !== undefined && key === this.statusQuietKey && now - this.lastReport < NODE_STATUS_REPORT_MS) return;
    this.statusQuietKey = undefined;
    const nowText = this.ctx.clock.nowRFC3339();
    const old = node.status ?? {};
    // Parts equal to what is stored are the stored (frozen) objects themselves: the comparison
    // below and the write share them instead of walking and freezing copies.
    const capacity = storedIfSame(nodeCapacity(node), old.capacity);
    const images = this.images.nodeImages();
    this.nodeInfoCache ??= nodeInfo(this.nodeName);
    const status = {
      ...node.status,
      addresses: storedIfSame(
        [
          { address: this.internalIP, type: "InternalIP" },
          { address: this.nodeName, type: "Hostname" },
        ],
        old.addresses,
      ),
      allocatable: storedIfSame(nodeAllocatable(node, capacity), old.allocatable),
      capacity,
      conditions: nodeConditions(node.status?.conditions, this.conditionState, nowText),
      daemonEndpoints: storedIfSame({ kubeletEndpoint: { Port: 10250 } }, old.daemonEndpoints),
      ...(images.length ? { images: storedIfSame(images.slice(0, 50), old.images) } : {}),
      nodeInfo: storedIfSame(this.nodeInfoCache, old.nodeInfo),
    };
    const changed = !jsonEqual(withoutHeartbeats(status), withoutHeartbeats(old));
    if (!force && !changed && now - this.lastReport < NODE_STATUS_REPORT_MS) {
      this.statusQuietKey = key;
      return;
    }
    this.lastReport = now;
    this.ctx.api.mutate("Node", undefined, this.nodeName, (n) => (n.status = status), { subresource: "status" });
  }

  private renewLease(): void {
    if (!this.running) return;
    const node = this.node();
    if (!node) return;
    const renewTime = this.ctx.clock.nowMicroRFC3339();
    const existing = this.ctx.api.get("Lease", "kube-node-lease", this.nodeName);
    if (existing) {
      // `mutate`'s write of the new renewTime (the store's fast path on the fast engine: issue #19).
      this.ctx.api.renewLease(existing, renewTime);
      return;
    }
    this.ctx.api.create({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: this.nodeName,
        namespace: "kube-node-lease",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: this.nodeName, uid: node.metadata.uid! }],
      },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: LEASE_DURATION_S, renewTime },
    });
  }
}

const memoryViews = new WeakMap<ContainerInstance, MemoryContainer>();
/**
 * Per container instance, its scrape plan entry (issue #19): the text `sortContainers` compares
 * (`namespace/pod/container`) and its place in the last plan it was in.
 */
const planEntries = new WeakMap<ContainerInstance, PlanEntry>();
/** Numbers the scrape plans (PlanEntry.plan); 0 is no plan. */
let planSeq = 0;
/** `sortContainers`' comparator on the kept texts. */
function byScrapeOrder(a: { order: string }, b: { order: string }): number {
  return a.order < b.order ? -1 : 1;
}

interface PlanEntry {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly of: { readonly inst: ContainerInstance; readonly view: MemoryContainer };
  /** sortContainers' comparison text. */
  readonly order: string;
  /** The last plan the entry is in (KubeletScrapePlan.seq) and its index there. */
  plan: number;
  place: number;
}
/** A scrape plan with each container's comparison text. */
interface KubeletScrapePlan extends ScrapePlan<{ inst: ContainerInstance; view: MemoryContainer }> {
  entries: PlanEntry[];
  /** The plan's number: an entry whose `plan` is this one is at `entries[place]`. */
  seq: number;
  /** Whether the entries' texts all differ (then the plan's order is the one ascending order of the texts). */
  distinct: boolean;
  /**
   * The runtime's running instances in its own order (`RuntimeService.cpuUsageLater`'s sum), as
   * indices into `entries`; null when some running instance is not in the plan (its pod unknown to
   * the kubelet). Built when first needed.
   */
  runtimeOrder?: number[] | null;
  /** The memory figures of the last scrape with this plan and what they hold under (`scrapeMemory`). */
  memory?: ScrapeMemory;
}

interface ScrapeMemory {
  readonly key: string;
  readonly until: number;
  /** `usageOf` of each entry's view, in the plan's order. */
  readonly usage: number[];
  readonly workingSet: number;
}

/**
 * The plan's entries in the runtime's order (see `KubeletScrapePlan.runtimeOrder`). The running set
 * is the plan key's (`runningVersion`), and the runtime's map changes order only with it.
 */
function runtimeOrder(plan: KubeletScrapePlan, runtime: RuntimeService): number[] | null {
  if (plan.runtimeOrder !== undefined) return plan.runtimeOrder;
  const order: number[] = [];
  for (const c of runtime.running()) {
    // An instance's entry is the one planEntries holds (each plan takes it from there).
    const e = planEntries.get(c);
    if (e === undefined || e.plan !== plan.seq) return (plan.runtimeOrder = null);
    order.push(e.place);
  }
  return (plan.runtimeOrder = order.length === plan.entries.length ? order : null);
}

/**
 * `RuntimeService.cpuUsageLater` from the container points' reads (issue #19): the runtime's
 * running instances are the plan's, so each one's read at this instant is the one its point took
 * (a second `readLater` at the same instant gives the same read, or, made at once, the same
 * figure), summed in the runtime's order after the exited containers' time, as there.
 */
function nodeUsageLater(exited: number, reads: UsageRead[], order: number[]): () => number {
  return () => {
    let ms = exited;
    for (let i = 0; i < order.length; i++) ms += usageOf(reads[order[i]!]!);
    return ms;
  };
}

/**
 * `entries` in `sortContainers`' order (issue #19). When every text differs, the comparator is a
 * strict total order and the sorted list is the one ascending list, whatever the starting order
 * and however it is reached. The running set changes at every restart, but mostly by containers
 * of the last plan (a crash loop's container leaves it while in back-off and comes back under the
 * same pod and name): those take their order from the last plan, which is ascending, the others
 * are sorted among themselves, and the two ascending lists are merged. Equal texts anywhere (two
 * containers of one namespace, pod and name: a force-deleted pod's and its successor's) and a
 * first plan: the list is sorted as before.
 */
function orderPlan(key: string, entries: PlanEntry[], prev: KubeletScrapePlan | undefined): KubeletScrapePlan {
  if (prev !== undefined && prev.distinct) {
    // The entries of the last plan in their places there (an entry is in one place: the texts of the
    // last plan all differ), the others (new instances, a restarted container's among them) apart.
    const slots = new Array<PlanEntry | undefined>(prev.entries.length);
    const fresh: PlanEntry[] = [];
    for (const e of entries) {
      if (e.plan === prev.seq) slots[e.place] = e;
      else fresh.push(e);
    }
    fresh.sort(byScrapeOrder);
    let distinct = true;
    for (let j = 1; j < fresh.length; j++) if (fresh[j - 1]!.order === fresh[j]!.order) distinct = false;
    if (distinct) {
      // Merged; a new text equal to a kept one is compared with it on the way (the two lists are
      // ascending, so the equal one is the kept entry the new one meets last before its place).
      const out: PlanEntry[] = [];
      let f = 0;
      for (const e of slots) {
        if (e === undefined) continue;
        while (f < fresh.length && byScrapeOrder(fresh[f]!, e) < 0) out.push(fresh[f++]!);
        if (f < fresh.length && fresh[f]!.order === e.order) {
          distinct = false;
          break;
        }
        out.push(e);
      }
      if (distinct) {
        while (f < fresh.length) out.push(fresh[f++]!);
        return placed(key, out, true);
      }
    }
  }
  entries.sort(byScrapeOrder);
  let distinct = true;
  // Sorted: equal texts are neighbours (every other text is strictly before or after them).
  for (let j = 1; j < entries.length; j++) if (entries[j - 1]!.order === entries[j]!.order) distinct = false;
  return placed(key, entries, distinct);
}

/** The plan of `entries` (in order), each entry told its place. */
function placed(key: string, entries: PlanEntry[], distinct: boolean): KubeletScrapePlan {
  const seq = ++planSeq;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    e.plan = seq;
    e.place = i;
  }
  return { key, entries, seq, distinct };
}
const oomScoreAdjs = new WeakMap<Container, { fn: OomScoreAdjFn; spec: unknown; annotations: unknown; qos: string | undefined; capacity: number; value: number | undefined }>();

/** config.go podsDifferSemantically: anything but status and the resource version changed. */
function podsDifferSemantically(a: KObject, b: KObject): boolean {
  // A status write shares every other part of the stored pod (issue #19: the kubelet's own writes
  // come back at every restart): the same parts are the same JSON, so no views need be made.
  if (sameButStatus(a, b)) return false;
  // Shallow views without status and resourceVersion; unchanged parts are shared, so they compare at once.
  return !jsonEqual(withoutStatus(a), withoutStatus(b));
}

/**
 * Whether `jsonEqual(withoutStatus(a), withoutStatus(b))` holds because the two share every value:
 * the same keys in the same order (jsonEqual compares them in order, leaving out those JSON omits),
 * each value the same (===) but status and metadata's resourceVersion. False says nothing.
 */
export function sameButStatus(a: KObject, b: KObject): boolean {
  return sameFieldsBut(a as unknown as Record<string, unknown>, b as unknown as Record<string, unknown>, "status", "metadata");
}

function sameFieldsBut(a: Record<string, unknown>, b: Record<string, unknown>, skip: string, nested: string | undefined): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < ka.length && (ka[i] === skip || omittedInJson(a[ka[i]!]))) i++;
    while (j < kb.length && (kb[j] === skip || omittedInJson(b[kb[j]!]))) j++;
    if (i >= ka.length || j >= kb.length) return i >= ka.length && j >= kb.length;
    const k = ka[i]!;
    if (k !== kb[j]) return false;
    const va = a[k];
    const vb = b[k];
    if (va !== vb) {
      if (k !== nested || va === null || vb === null || typeof va !== "object" || typeof vb !== "object") return false;
      if (!sameFieldsBut(va as Record<string, unknown>, vb as Record<string, unknown>, "resourceVersion", undefined)) return false;
    }
    i++;
    j++;
  }
}

function omittedInJson(v: unknown): boolean {
  return v === undefined || typeof v === "function" || typeof v === "symbol";
}

export function withoutStatus(p: KObject): KObject {
  return { ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined } };
}

/** `10.244.3.0/24` → `10.244.3`. */
function podCIDRBase(cidr: string | undefined): string | undefined {
  const m = /^(\d+\.\d+\.\d+)\.\d+\/\d+$/.exec(cidr ?? "");
  return m ? m[1] : undefined;
}

function withoutHeartbeats(status: NodeStatus): NodeStatus {
  return { ...status, conditions: (status.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) };
}

function sortKeys(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}
