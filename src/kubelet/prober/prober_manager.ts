/**
 * pkg/kubelet/prober/prober_manager.go: the kubelet's probe workers and their results.
 *
 * The kubelet (src/kubelet) uses it as upstream's does:
 * - `addPod(pod)` when it admits a pod (workers for every container and sidecar with probes);
 * - `updatePodStatus(pod, status)` while generating the pod's status: sets each container
 *   status' `started` and `ready` from the results, and triggers a readiness run at once for a
 *   started container that is not yet ready;
 * - `readinessManager.onUpdate` → the container's ready changes (ContainersReady/Ready);
 *   `livenessManager`/`startupManager.onUpdate` with Failure → sync the pod: `killReason` gives
 *   the container to kill and the message of its `Killing` event
 *   (`Container app failed liveness probe, will be restarted`);
 * - `stopLivenessAndStartup(pod)` when the pod starts terminating, `removePod(pod)` when it is gone.
 */
import type { ClusterContext } from "../../context.ts";
import type { Container, ContainerStatus, Pod, PodStatus } from "../../api/types.gen.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import { Prober, type ProberHost, type ProbeType } from "./prober.ts";
import { ResultsManager, type Result } from "./results/results_manager.ts";
import { Worker } from "./worker.ts";
import type { KeptEvents } from "../util/kept_events.ts";

const TYPES: ProbeType[] = ["Startup", "Readiness", "Liveness"];
const FIELD: Record<ProbeType, "startupProbe" | "readinessProbe" | "livenessProbe"> = { Startup: "startupProbe", Readiness: "readinessProbe", Liveness: "livenessProbe" };

export interface ProberManagerOptions {
  /**
   * When the kubelet started (simulated ms). Workers created less than a period after it wait a
   * random part of their period first. Default: long ago (a kubelet that has been running).
   */
  startedAt?: number;
  /** Replaces the prober (tests). */
  prober?: Pick<Prober, "probe">;
}

/** A container status as the prober reads it (the API status, or the runtime manager's view of an instance). */
export type ProbedContainer = Pick<ContainerStatus, "name" | "containerID" | "state">;

export class ProberManager {
  readonly readinessManager: ResultsManager;
  readonly livenessManager: ResultsManager;
  readonly startupManager: ResultsManager;
  readonly startedAt: number;
  private readonly workers = new Map<string, Worker>();
  /** The workers of each pod (by uid). */
  private readonly byPod = new Map<string, Set<Worker>>();
  private readonly prober: Pick<Prober, "probe"> & Partial<Pick<Prober, "sleep">>;
  /** Probe runs of workers that are gone (for the benchmark). */
  private finishedRuns = 0;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly host: ProberHost,
    opts: ProberManagerOptions = {},
  ) {
    this.readinessManager = new ResultsManager(ctx.clock);
    this.livenessManager = new ResultsManager(ctx.clock);
    this.startupManager = new ResultsManager(ctx.clock);
    for (const m of [this.readinessManager, this.livenessManager, this.startupManager]) m.onChange = (uid) => this.onResultsChange(uid);
    this.startedAt = opts.startedAt ?? -Infinity;
    this.workerHost.startedAt = this.startedAt;
    this.prober = opts.prober ?? new Prober(ctx, host);
  }

  private key(uid: string, container: string, type: ProbeType): string {
    return `${uid}/${container}/${type}`;
  }

  getWorker(uid: string, container: string, type: ProbeType): Worker | undefined {
    return this.workers.get(this.key(uid, container, type));
  }

  /** Creates the workers of a newly admitted pod (regular containers and restartable init containers). */
  addPod(pod: Pod): void {
    const containers: Container[] = [
      ...(pod.spec?.initContainers ?? []).filter((c: Container) => c.restartPolicy === "Always"),
      ...(pod.spec?.containers ?? []),
    ];
    for (const c of containers) {
      for (const type of TYPES) {
        if (!c[FIELD[type]]) continue;
        const k = this.key(pod.metadata.uid!, c.name, type);
        if (this.workers.has(k)) continue;
        const w = new Worker(this.ctx, this.workerHost, type, pod, c);
        this.workers.set(k, w);
        this.workerChanges++;
        this.onResultsChange(pod.metadata.uid);
        let set = this.byPod.get(pod.metadata.uid!);
        if (!set) this.byPod.set(pod.metadata.uid!, (set = new Set()));
        set.add(w);
        w.run();
      }
    }
  }

  /** The pod is terminating: liveness and startup probes stop (readiness goes on). */
  stopLivenessAndStartup(pod: Pod): void {
    for (const w of this.podWorkers(pod)) if (w.probeType !== "Readiness") w.stop();
  }

  private podWorkers(pod: Pod): Worker[] {
    return [...(this.byPod.get(pod.metadata.uid!) ?? [])];
  }

  /** Refreshes the pod the workers see (e.g. its deletionTimestamp); a dormant worker wakes if its run would read something else (`Worker.podUpdated`). */
  updatePod(pod: Pod): void {
    for (const w of this.byPod.get(pod.metadata.uid!) ?? []) w.podUpdated(pod);
  }

  /** Whether the pod has probe workers (issue #19: without any, `updatePod` does nothing). */
  hasWorkers(uid: string): boolean {
    const set = this.byPod.get(uid);
    return set !== undefined && set.size > 0;
  }

  /**
   * Issue #19 (see `Worker.dormancy`): the kubelet's status of the pod is about to change (the
   * status manager calls it for every status it records or drops). Workers waiting for their
   * container wake; steady ones are checked once the status changed (`statusChanged`).
   */
  wakePod(uid: string): void {
    const set = this.byPod.get(uid);
    if (set !== undefined) for (const w of set) w.wakeIfWaiting();
  }

  /** The kubelet's status of the pod changed or was dropped (after the change): each dormant worker checks what its run reads (`Worker.statusChanged`). */
  statusChanged(uid: string): void {
    const set = this.byPod.get(uid);
    if (set !== undefined) for (const w of set) w.statusChanged();
  }

  removePod(pod: Pod): void {
    for (const w of this.podWorkers(pod)) w.stop();
  }

  /** Stops the workers of every pod not in `desired` (pod uids). */
  cleanupPods(desired: Set<string>): void {
    for (const w of [...this.workers.values()]) if (!desired.has(w.pod.metadata.uid!)) w.stop();
  }

  /** Stops everything (the kubelet stops). */
  stop(): void {
    for (const w of [...this.workers.values()]) w.stop();
  }

  isContainerStarted(pod: Pod, cs: ProbedContainer): boolean {
    if (!cs.state?.running) return false;
    const r = cs.containerID === undefined ? undefined : this.startupManager.get(cs.containerID);
    if (r !== undefined) return r === "Success";
    return !this.getWorker(pod.metadata.uid!, cs.name, "Startup");
  }

  /** Sets `started` and `ready` of the status' container statuses (mutates `status`). */
  updatePodStatus(pod: Pod, status: PodStatus): void {
    const uid = pod.metadata.uid!;
    for (const cs of status.containerStatuses ?? []) {
      const started = this.isContainerStarted(pod, cs);
      cs.started = started;
      if (!started) {
        cs.ready = false;
        continue;
      }
      cs.ready = this.readyOf(uid, cs);
    }
    for (const cs of status.initContainerStatuses ?? []) {
      const spec = (pod.spec?.initContainers ?? []).find((c: Container) => c.name === cs.name);
      if (spec?.restartPolicy !== "Always") continue;
      const started = this.isContainerStarted(pod, cs);
      cs.started = started;
      cs.ready = started ? this.readyOf(uid, cs) : false;
    }
  }

  private readyOf(uid: string, cs: ProbedContainer): boolean {
    if (!cs.state?.running) return false;
    if (cs.containerID !== undefined && this.readinessManager.get(cs.containerID) === "Success") return true;
    const w = this.getWorker(uid, cs.name, "Readiness");
    if (!w) return true;
    w.manualTrigger();
    return false;
  }

  /**
   * computePodActions' probe part: why a running container must be killed, as the `Killing`
   * event says it (`Container app failed liveness probe, will be restarted`), or undefined.
   */
  killReason(pod: Pod, cs: ProbedContainer): string | undefined {
    if (!cs.state?.running || !cs.containerID) return undefined;
    const sidecar = (pod.spec?.initContainers ?? []).some((c: Container) => c.name === cs.name);
    const what = `${sidecar ? "Init container" : "Container"} ${cs.name}`;
    const restart = pod.spec?.restartPolicy !== "Never" || sidecar ? ", will be restarted" : "";
    if (this.livenessManager.get(cs.containerID) === "Failure") return `${what} failed liveness probe${restart}`;
    if (this.startupManager.get(cs.containerID) === "Failure") return `${what} failed startup probe${restart}`;
    return undefined;
  }

  /** Result stored for a container and probe type (for the kubelet and for explanations). */
  result(type: ProbeType, containerID: string): Result | undefined {
    return (type === "Liveness" ? this.livenessManager : type === "Readiness" ? this.readinessManager : this.startupManager).get(containerID);
  }

  /**
   * Changes of any stored result and of the set of workers so far (the three managers' versions
   * and the workers made and removed, summed): equal figures, the same answers from `killReason`,
   * `isContainerStarted` and `updatePodStatus`'s results (a container without a result is answered
   * from whether it has a worker). Issue #19: the pod workers' steady resyncs of probed pods compare it.
   */
  get resultsVersion(): number {
    return this.readinessManager.version + this.livenessManager.version + this.startupManager.version + this.workerChanges;
  }
  private workerChanges = 0;
  /** Called at once at every change of `resultsVersion`, with the pod it concerns (undefined: not known). */
  onResultsChange: (podUID: string | undefined) => void = () => {};

  /** Probe runs started so far by all workers (benchmark figure). */
  get probeRuns(): number {
    let n = this.finishedRuns;
    for (const w of this.workers.values()) n += w.runs + w.skippedRuns;
    return n;
  }

  get workerCount(): number {
    return this.workers.size;
  }

  private readonly workerHost = {
    startedAt: -Infinity,
    getPodStatus: (uid: string) => this.host.getPodStatus(uid),
    probe: (type: ProbeType, pod: Pod, status: PodStatus | undefined, container: Container, containerID: string, done: (result: Result, err?: Error) => void, kept?: KeptEvents) =>
      this.prober.probe(type, pod, status, container, containerID, done, kept),
    sleep: (type: ProbeType, container: Container, status: PodStatus | undefined, handle: TimerHandle, period: number, wake: () => void) => this.prober.sleep?.(type, container, status, handle, period, wake),
    resultsManager: (type: ProbeType) => (type === "Liveness" ? this.livenessManager : type === "Readiness" ? this.readinessManager : this.startupManager),
    removeWorker: (w: Worker) => {
      const k = this.key(w.pod.metadata.uid!, w.container.name, w.probeType);
      if (this.workers.get(k) === w) {
        this.workers.delete(k);
        this.workerChanges++;
        this.onResultsChange(w.pod.metadata.uid);
        this.finishedRuns += w.runs;
      }
      const set = this.byPod.get(w.pod.metadata.uid!);
      set?.delete(w);
      if (set && set.size === 0) this.byPod.delete(w.pod.metadata.uid!);
    },
  };
}
