/**
 * Pod workers (pkg/kubelet/pod_workers.go + the kubelet's syncPod / syncTerminatingPod): one
 * worker per pod bound to the node, running one sync at a time on the simulated clock.
 *
 * A sync is requested by the pod's watch events (at once), by the PLEG when the runtime sees one
 * of its containers change (at the next relist, 1 s later), by the periodic resync (1 minute after a
 * clean sync, 10 s after one that hit an error) and exactly when a crash-loop back-off ends.
 * Each sync first writes the status generated from the runtime's state (as upstream does), then
 * lets the runtime manager act. A pod being deleted, past its active deadline, rejected or evicted
 * is terminated: its containers are stopped within the grace period, its final phase written, and
 * a deleted pod is then removed from the API server. A ConfigMap or Secret change therefore reaches
 * a pod's volumes at its next sync: at the latest one resync interval later.
 */
import type { ClusterContext } from "../context.ts";
import type { Pod, PodSpec, PodStatus, Time } from "../api/types.gen.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { generateAPIPodStatus, type ProbeResults, type WaitingReason } from "./kubelet_pods.ts";
import { computePodActions, type BackOffRecord, type KubeRuntimeManager, type ProbeKillReasons } from "./kuberuntime/kuberuntime_manager.ts";
import type { RuntimeService } from "./kuberuntime/runtime_service.ts";
import { terminatePodStatus, type StatusManager } from "./status/status_manager.ts";
import { projectionInputs, refreshPodVolumes, sameProjectionSources, setUpPodVolumes, type PodVolume, type VolumeHost } from "./volumemanager/volumes.ts";
import type { KeptEvents } from "./util/kept_events.ts";
import type { ClockKey } from "../sim/clock.ts";
import type { CorrelationKeys, EventCorrelator, LruOwner } from "../api/events_cache.ts";

export const RESYNC_INTERVAL_MS = 60_000;
export const BACKOFF_PERIOD_MS = 10_000;
export const PLEG_RELIST_PERIOD_MS = 1_000;

export const DEADLINE_REASON = "DeadlineExceeded";
export const DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline";

interface Forced {
  phase: string;
  reason: string;
  message: string;
  /** Extra changes to the final status (e.g. the eviction manager's DisruptionTarget condition). */
  statusFn?: (status: PodStatus) => void;
  graceOverrideS?: number;
}

export interface PodWorkerState {
  uid: string;
  pod: Pod;
  reasonCache: Map<string, WaitingReason>;
  volumes: Map<string, PodVolume>;
  volumesReady?: boolean;
  busy: boolean;
  pending: boolean;
  nextSyncAt: number;
  timer?: TimerHandle;
  deadlineTimer?: TimerHandle;
  /** Terminating: containers are being stopped. */
  terminating: boolean;
  /** Terminated: nothing runs any more; the worker only waits for the pod to go. */
  terminated: boolean;
  /** The pod object is gone from the API server (force delete). */
  removedFromApi: boolean;
  forced?: Forced;
  podIP?: string;
  /** When the kubelet first saw the pod (its `kubernetes.io/config.seen` annotation). */
  seenAt: number;
  /** What the last written status was generated from (a resync with nothing new skips the work). */
  lastStatusKey?: StatusKey;
  lastStatus?: PodStatus;
  /**
   * The key and status were kept by a readiness refresh (`refreshStatus`; issue #19, the fast
   * engine): any change of the pod's probe results or workers drops them (`probesChanged`).
   */
  statusFromRefresh?: boolean;
  /** What the last sync that found nothing to do read (a later sync with the same inputs skips its body). */
  steady?: SteadyInputs;
  /** What the last volume refresh without failures read (a later one with the same inputs would change nothing). */
  volumeInputs?: SteadyInputs;
  /** What the last sync, which stopped in crash-loop back-off and did nothing else, read (see BackOffRetry). */
  retry?: BackOffRetry;
  /** Filled by the runtime manager during a sync (PodSyncState). */
  backOffs?: BackOffRecord[];
  startedPastBackOff?: boolean;
  /** The Pulled/Created/Started events of the pod's starts and their handles (PodSyncState). */
  keptEvents?: KeptEvents;
  /** The back-off retries asleep (see DormantRetry); `timer` is then their chain. */
  dormant?: DormantRetry;
  /** The steady resyncs asleep (see `rest`); `timer` is then their chain. */
  resting?: TimerHandle;
}

/**
 * Back-off retries that do not run (issue #19). A retry on its fast path (`sameRetry`) whose
 * BackOff repeats the spam filter all dropped changed only the kubelet's EventCorrelator: the
 * aggregator's last timestamp, the logger's counts and the recency of the entries touched; and
 * it ends by setting the next retry 10 s on (nothing else: no expiry's sync within that period).
 * The next ones, with the same inputs, do the same — until the first firing at which the back-off
 * expiry is within one period, a projected token is due, or the spam filter's bucket would accept
 * (all computable now). So the next retry's timer is a chain (`SimClock.setChain`, made where the
 * one-shot would be: the same order numbers) that sleeps until that firing (an alarm wakes it just
 * before), and the correlator's entries are handed to it (`EventCorrelator.sleepRepeats`). Whatever
 * could change a retry's inputs wakes it first: a sync requested (the pod object, a probe, the
 * deadline, a kill), the runtime's version of the pod, a status refresh, a ConfigMap or Secret
 * write, the pod worker stopping or forgetting the pod, and any other touch or an eviction of one
 * of its correlator entries. Waking settles what the skipped retries left (`endRepeats`: counts
 * +n, the last firing's instant, each entry in the place of its last touch, among the other
 * entries' stamps), and the chain's next firing runs as the one-shot would.
 */
interface DormantRetry extends LruOwner {
  chain: TimerHandle;
  readonly keys: CorrelationKeys[];
  readonly correlator: EventCorrelator;
}

/**
 * A sync whose only effects were "the container is in back-off" (issue #19, the crash loop's
 * retries every 10 s): it refreshed no volume (the memo of the last refresh held), started, killed
 * and created nothing, and each start it tried stopped in back-off with a BackOff event. A later
 * sync with the same pod object, the same runtime state of the pod (version counter), the same
 * reason cache and status key, the same volume inputs and the same back-off entries, before the
 * earliest back-off expiry it scheduled a sync for, takes the same path to the same effects: the
 * same BackOff event repeats in the same order, and the same two requests for the next sync (the
 * expiry, then the 10 s retry). The recorded sync may leave the status key other than the written
 * one (issue #19, kubelet21: a crash's PLEG sync writes the terminated status, then its start stops
 * in back-off and sets the waiting reason): the next sync then first writes the status generated
 * from those same inputs — the one write the full sync would make, before anything else it does —
 * and nothing after that write reads what it changed (the store's pod, the status manager's cache:
 * the actions read the spec and the runtime, the volumes' memo the spec and metadata, the back-off
 * its entries), so the rest is the retry's path; the syncs after it find the key written.
 */
/**
 * What the generated status depends on (PodWorkers.statusKey): the pod's version as counted there,
 * the sandbox's readiness, each container instance's id and state (the first `instances` pairs of
 * `parts`), then each waiting reason's container, reason and message.
 */
interface StatusKey {
  readonly rv: string | undefined;
  readonly ready: boolean;
  readonly instances: number;
  readonly parts: readonly string[];
  /** The reference engine's key: the same inputs as one text (the fields above unused). */
  readonly text?: string;
}

interface BackOffRetry {
  pod: Pod;
  runtime: number;
  statusKey: StatusKey;
  volumes: SteadyInputs;
  /** The earliest back-off expiry of the pod's waiting containers (the sync scheduled there). */
  until: number;
  backOffs: BackOffRecord[];
}

/**
 * Everything a sync of a running pod reads (issue #19, "pod resyncs"): the pod object (stored
 * objects are replaced on every write), the runtime's state of the pod (a version counter), the
 * store's last change of the ConfigMaps and Secrets its volumes may project, and when its first
 * token is due. A sync whose inputs
 * are those of an earlier sync that wrote nothing, started nothing and stopped nothing would do
 * nothing again: it keeps only its place in the resync chain.
 */
interface SteadyInputs {
  pod: Pod;
  runtime: number;
  objects: unknown[];
  refreshAt: number;
  /**
   * The prober and its results' version (`resultsVersion`): what computePodActions asks of the
   * probes (a liveness or startup failure, whether a container started) is a function of them.
   */
  prober?: unknown;
  probes?: number;
}

export interface PodWorkersHost {
  ctx: ClusterContext;
  nodeName: string;
  hostIP: string;
  runtime: RuntimeService;
  runtimeManager: KubeRuntimeManager;
  statusManager: StatusManager;
  volumeHost(): VolumeHost;
  probes(): (ProbeResults & ProbeKillReasons & { resultsVersion?(): number }) | undefined;
  allocatePodIP(pod: Pod): string;
  releasePodIP(ip: string): void;
  onPodTerminating?(pod: Pod): void;
  onPodRemoved?(pod: Pod): void;
}

export class PodWorkers {
  readonly workers = new Map<string, PodWorkerState>();
  /** Counts pods added and forgotten (the memory housekeeping's inputs: issue #19). */
  version = 0;
  /** Called at every change of `version` (the memory housekeeping's dormant chain wakes: issue #19). */
  onVersion: () => void = () => {};
  private bumpVersion(): void {
    this.version++;
    this.onVersion();
  }
  private plegDirty = new Set<string>();
  private plegTimer?: TimerHandle;
  private stopped = false;
  /** Workers whose back-off retries sleep (DormantRetry), and the ConfigMap/Secret hooks while any does. */
  private readonly dormant = new Set<PodWorkerState>();
  /** Workers whose steady resyncs sleep (`rest`). */
  private readonly resting = new Set<PodWorkerState>();
  private unhook: (() => void) | undefined;

  constructor(private readonly host: PodWorkersHost) {
    host.runtime.onPodVersion = (uid) => {
      const w = this.workers.get(uid);
      if (w !== undefined) this.rouse(w);
    };
  }

  private get clock() {
    return this.host.ctx.clock;
  }

  /** A pod bound to this node appeared or changed (watch event). */
  updatePod(pod: Pod): PodWorkerState {
    const uid = pod.metadata.uid!;
    let w = this.workers.get(uid);
    if (!w) {
      w = {
        uid,
        pod,
        reasonCache: new Map(),
        volumes: new Map(),
        busy: false,
        pending: false,
        nextSyncAt: Infinity,
        terminating: false,
        terminated: false,
        removedFromApi: false,
        seenAt: this.clock.now(),
      };
      this.workers.set(uid, w);
      this.bumpVersion();
    }
    w.pod = pod;
    this.requestSync(w, 0);
    return w;
  }

  /** The pod was removed from the API server (force delete or the end of a graceful one). */
  podDeleted(pod: Pod): void {
    const w = this.workers.get(pod.metadata.uid!);
    if (!w) return;
    w.removedFromApi = true;
    if (w.terminated) return this.forget(w);
    this.requestSync(w, 0);
  }

  /** Terminates a pod that stays in the API (active deadline, eviction, rejection after start). */
  killPod(pod: Pod, forced: Forced): void {
    const w = this.workers.get(pod.metadata.uid!) ?? this.updatePod(pod);
    if (w.terminated || w.forced) return;
    w.forced = forced;
    this.requestSync(w, 0);
  }

  /** PLEG: a sandbox or container of the pod changed; noticed at the next relist. */
  plegEvent(uid: string): void {
    if (this.stopped || !this.workers.has(uid)) return;
    this.plegDirty.add(uid);
    if (this.plegTimer) return;
    this.plegTimer = this.clock.setTimeout(() => {
      this.plegTimer = undefined;
      const dirty = [...this.plegDirty];
      this.plegDirty.clear();
      for (const u of dirty) {
        const w = this.workers.get(u);
        if (w) this.requestSync(w, 0);
      }
    }, PLEG_RELIST_PERIOD_MS);
  }

  /** A probe result changed the pod's readiness: its status is regenerated and written at once. */
  refreshStatus(uid: string): void {
    const w = this.workers.get(uid);
    if (w !== undefined) this.rouse(w);
    if (!w || w.terminated || this.stopped) return;
    w.lastStatusKey = undefined;
    w.statusFromRefresh = undefined;
    w.steady = undefined;
    w.retry = undefined;
    const written = this.host.statusManager.setPodStatus(w.pod, this.generateStatus(w, false));
    // Issue #19 (fast engine): what the refresh generated is kept with its key, as a full sync keeps
    // its own, when every running container it reports is ready. A later sync skips generating it
    // again while the key holds and no probe result or worker of the pod changed (the status reads
    // the readiness and startup results and which workers exist: the key does not cover them, so
    // `probesChanged` drops what a refresh kept). With every running container ready, generating
    // it again from the same inputs would ask the prober for no manual trigger (`readyOf` triggers
    // a run only for a started container that is not ready): skipping it skips nothing else than
    // what a full sync's skip does.
    if (this.host.ctx.reference || !everyContainerReady(written) || this.host.probes()?.resultsVersion === undefined) return;
    w.lastStatus = written;
    w.lastStatusKey = this.statusKey(w);
    w.statusFromRefresh = true;
  }

  /** Syncs a pod now (liveness/startup results). */
  syncNow(uid: string): void {
    const w = this.workers.get(uid);
    if (w) this.requestSync(w, 0);
  }

  /** Schedules a sync `delayMs` from now unless one is due earlier. */
  requestSync(w: PodWorkerState, delayMs: number): void {
    this.rouse(w);
    if (this.stopped) return;
    const at = this.clock.now() + delayMs;
    if (w.timer && w.nextSyncAt <= at) return;
    if (w.timer) this.clock.clear(w.timer);
    w.nextSyncAt = at;
    w.timer = this.clock.setTimeout(() => {
      w.timer = undefined;
      w.nextSyncAt = Infinity;
      this.sync(w);
    }, delayMs);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clear(this.plegTimer);
    this.plegTimer = undefined;
    for (const w of this.workers.values()) {
      this.rouse(w);
      this.clock.clear(w.timer);
      this.clock.clear(w.deadlineTimer);
    }
    this.unhook?.();
    this.unhook = undefined;
    this.workers.clear();
    this.bumpVersion();
  }

  private sync(w: PodWorkerState): void {
    if (this.stopped || this.workers.get(w.uid) !== w) return;
    if (w.busy) {
      w.pending = true;
      return;
    }
    if (w.terminated) {
      if (w.removedFromApi) this.forget(w);
      return;
    }
    w.busy = true;
    if (w.removedFromApi || w.pod.metadata.deletionTimestamp || w.forced || w.terminating) this.syncTerminatingPod(w);
    else this.syncPod(w);
  }

  private complete(w: PodWorkerState, nextDelayMs: number | undefined): void {
    w.busy = false;
    if (this.workers.get(w.uid) !== w) return;
    if (w.pending) {
      w.pending = false;
      this.requestSync(w, 0);
      return;
    }
    if (nextDelayMs === RESYNC_INTERVAL_MS && w.steady !== undefined && !w.timer && !this.stopped && !this.host.ctx.reference && this.rest(w, w.steady.refreshAt)) return;
    if (nextDelayMs !== undefined) this.requestSync(w, nextDelayMs);
  }

  /**
   * Steady resyncs that do not run (issue #19). A pod whose last sync left `w.steady` (its inputs
   * are those of a sync that did nothing) resyncs every minute on the fast path of `syncPod`, which
   * does nothing but set the next resync a minute on — until an input changes or the first token
   * refresh instant passes. So the next resync's timer is a chain (`SimClock.setChain`, made where
   * `requestSync` would make the one-shot: the same order numbers) that sleeps; an alarm wakes it
   * just before its first firing not before the refresh instant (that one runs `refreshTokens`).
   * Every input of the fast path wakes it first: a sync requested (the pod object, the PLEG, a
   * kill, the deadline), the runtime's version of the pod, a status refresh, a ConfigMap or Secret
   * write (the projected volumes' sources), a probe result or worker of the pod changed
   * (`probesChanged`), the workers stopping or forgetting the pod. Its skipped firings leave
   * nothing behind, and its next one runs at its reference turn (`resyncFired`). False when the
   * next firing must run (the refresh instant comes first): nothing was made then.
   */
  private rest(w: PodWorkerState, refreshAt: number): boolean {
    const P = RESYNC_INTERVAL_MS;
    const clock = this.clock;
    const now = clock.now();
    // The firings are at now + kP (k ≥ 1); the first with !(now + kP < refreshAt) runs.
    const k = refreshAt === Infinity ? Infinity : Math.ceil((refreshAt - now) / P);
    if (!(k >= 2)) return false;
    const chain = clock.setChain(() => this.resyncFired(w, chain), P);
    clock.sleep(chain, k === Infinity ? undefined : now + k * P);
    w.timer = chain;
    w.nextSyncAt = now + P;
    w.resting = chain;
    this.resting.add(w);
    this.hookSources();
    return true;
  }

  /** The resting chain fired for real (woken by its alarm or an input): this firing is the one-shot's. */
  private resyncFired(w: PodWorkerState, chain: TimerHandle): void {
    if (w.resting === chain) this.endRest(w);
    this.clock.clear(chain);
    w.timer = undefined;
    w.nextSyncAt = Infinity;
    this.sync(w);
  }

  /** Wakes a worker's resting resyncs: the chain awake, its next firing the reference one's. */
  private endRest(w: PodWorkerState): void {
    const chain = w.resting!;
    w.resting = undefined;
    this.resting.delete(w);
    if (this.clock.isDormant(chain)) this.clock.wake(chain);
    if (w.timer === chain) w.nextSyncAt = this.clock.nextDue(chain);
  }

  /**
   * A status-only change of the pod that is not the echo of the kubelet's own last status write
   * (another writer's condition, an older write of its own): its worker's pod object is a new input
   * of the sleeping retries and resyncs (their fast paths compare it), so they wake (issue #19: they
   * slept through it, and the write the reference engine's next retry or resync makes — the
   * status generated over the new stored pod — came only at the next other input).
   */
  podChanged(uid: string): void {
    const w = this.workers.get(uid);
    if (w !== undefined) this.rouse(w);
  }

  /** Wakes whatever of the worker sleeps (back-off retries, steady resyncs): an input changed. */
  private rouse(w: PodWorkerState): void {
    if (w.dormant) this.endDormant(w);
    if (w.resting) this.endRest(w);
  }

  /** A probe result or probe worker of the pod changed (undefined: some pod's): its resting resyncs wake. */
  probesChanged(uid: string | undefined): void {
    if (uid === undefined) {
      for (const w of [...this.resting]) this.endRest(w);
      for (const w of this.workers.values()) if (w.statusFromRefresh) PodWorkers.dropRefreshKey(w);
      return;
    }
    const w = this.workers.get(uid);
    if (w?.resting) this.endRest(w);
    if (w?.statusFromRefresh) PodWorkers.dropRefreshKey(w);
  }

  /** A status kept by a readiness refresh no longer stands for what generating it would give (its probe inputs changed). */
  private static dropRefreshKey(w: PodWorkerState): void {
    w.lastStatusKey = undefined;
    w.statusFromRefresh = undefined;
  }

  /** The ConfigMap/Secret hooks (the projected volumes' sources): installed while anything sleeps. */
  private hookSources(): void {
    if (this.unhook !== undefined) return;
    const api = this.host.ctx.api;
    const wakeAll = () => {
      for (const x of [...this.dormant]) this.endDormant(x);
      for (const x of [...this.resting]) this.endRest(x);
    };
    const a = api.onChangeOf("ConfigMap", wakeAll);
    const b = api.onChangeOf("Secret", wakeAll);
    this.unhook = () => {
      a();
      b();
    };
  }

  private generateStatus(w: PodWorkerState, podIsTerminal: boolean): PodStatus {
    const h = this.host;
    return generateAPIPodStatus({
      pod: w.pod,
      runtime: h.runtime.podStatus(w.uid),
      reasonCache: w.reasonCache,
      probes: h.probes(),
      oldStatus: h.statusManager.oldStatus(w.pod),
      podIsTerminal,
      hostIP: h.hostIP,
      now: this.clock.now(),
      // A sync handler's verdict (deadline, eviction) shows at once, while the containers stop.
      forced: w.forced ? { phase: w.forced.phase, reason: w.forced.reason, message: w.forced.message } : undefined,
    });
  }

  /**
   * Everything the generated status depends on; equal keys give equal statuses. The pod counts by
   * its resourceVersion — except the pod object the kubelet's own last status write produced, which
   * counts as the one it was written over when they give the status generation the same inputs
   * (`sameStatusInputs`: only the status the status manager holds itself differs). So the echo of
   * a status write, when the watch brings it, does not generate the same status again to find it
   * equal to the stored one (issue #19: ~1.2 generations per restart). The reference engine keys
   * on the resourceVersion alone.
   */
  private statusKey(w: PodWorkerState): StatusKey {
    if (this.host.ctx.reference) return { rv: undefined, ready: false, instances: 0, parts: [], text: this.statusText(w) };
    const instances = this.host.runtime.instances(w.uid);
    const parts: string[] = [];
    for (const c of instances) parts.push(c.id, c.state);
    for (const [n, r] of w.reasonCache) parts.push(n, r.reason, r.message);
    return { rv: this.statusVersion(w), ready: !!this.host.runtime.sandbox(w.uid)?.ready, instances: instances.length, parts };
  }

  /** The reference engine's status key: the same inputs joined in one text, compared as such. */
  private statusText(w: PodWorkerState): string {
    let key = `${this.statusVersion(w)}|${this.host.runtime.sandbox(w.uid)?.ready ? 1 : 0}`;
    for (const c of this.host.runtime.instances(w.uid)) key += `|${c.id}:${c.state}`;
    for (const [n, r] of w.reasonCache) key += `|${n}=${r.reason}:${r.message}`;
    return key;
  }

  /** The pod's version as the status key counts it (see statusKey). */
  private statusVersion(w: PodWorkerState): string | undefined {
    const p = w.pod;
    const own = this.host.ctx.reference ? undefined : this.host.statusManager.lastWrite(w.uid);
    return own && p === own.to && own.same ? own.fromVersion : p.metadata.resourceVersion;
  }

  /**
   * Whether `statusKey(w)` now would equal `k`, read without building it (issue #19: asked at every
   * full sync and every recorded retry, ~9 times per restart of a crash loop; the key was a text of
   * the container ids and every waiting message, built and compared each time). The reference
   * engine still builds and compares that text.
   */
  private sameStatusKey(w: PodWorkerState, k: StatusKey | undefined): boolean {
    if (k !== undefined && k.text !== undefined) return k.text === this.statusText(w);
    if (k === undefined || k.rv !== this.statusVersion(w) || k.ready !== !!this.host.runtime.sandbox(w.uid)?.ready) return false;
    const instances = this.host.runtime.instances(w.uid);
    if (instances.length !== k.instances || w.reasonCache.size * 3 !== k.parts.length - 2 * k.instances) return false;
    const p = k.parts;
    let i = 0;
    for (const c of instances) {
      if (p[i] !== c.id || p[i + 1] !== c.state) return false;
      i += 2;
    }
    for (const [n, r] of w.reasonCache) {
      if (p[i] !== n || p[i + 1] !== r.reason || p[i + 2] !== r.message) return false;
      i += 3;
    }
    return true;
  }

  /** The inputs of a sync of `w` now, or undefined when they are not all known (see SteadyInputs). */
  private steadyInputs(w: PodWorkerState): SteadyInputs | undefined {
    const pod = w.pod;
    if (!w.volumesReady || w.reasonCache.size || (pod.spec?.activeDeadlineSeconds !== undefined && !w.deadlineTimer) || !hookless(pod.spec)) return undefined;
    const vols = projectionInputs(this.lookups(), pod, w.volumes);
    if (!vols) return undefined;
    const prober = this.host.probes();
    const probes = prober?.resultsVersion?.();
    // A probed pod whose prober cannot say that its results stayed the same is never steady.
    if (prober !== undefined && probes === undefined && !quietSpec(pod.spec)) return undefined;
    return { pod, runtime: this.host.runtime.podVersion(w.uid), objects: vols.objects, refreshAt: vols.refreshAt, prober, probes };
  }

  /** Where projected volumes' sources are looked up (the kubelet's object manager, else the API server). */
  private lookups(): Pick<VolumeHost, "ctx"> {
    return this.host;
  }

  /** The inputs of the pod's projected volumes now (SteadyInputs without the conditions on containers). */
  private volumeInputs(w: PodWorkerState, apiPod: Pod): SteadyInputs | undefined {
    const vols = projectionInputs(this.lookups(), apiPod, w.volumes);
    return vols && { pod: apiPod, runtime: 0, objects: vols.objects, refreshAt: vols.refreshAt };
  }

  private static sameInputs(a: SteadyInputs, b: SteadyInputs, now: number): boolean {
    if (a.pod !== b.pod || a.runtime !== b.runtime || !(now < a.refreshAt) || a.objects.length !== b.objects.length || a.prober !== b.prober || a.probes !== b.probes) return false;
    for (let i = 0; i < a.objects.length; i++) if (a.objects[i] !== b.objects[i]) return false;
    return true;
  }

  /**
   * The volume refresh's memo: the projected files are a function of what the pod's projections
   * read of the pod — its spec (the volumes) and its name, namespace, uid, labels and annotations
   * (a downward API item reads only those: `extractFieldPathAsString`; one that reads a resource
   * field makes the pod's inputs unknown) — the ConfigMaps and Secrets and the tokens' instants. A
   * status write gives a new pod object that shares all of them (stored objects are frozen, and an
   * update shares what it did not change), so they are compared by identity, not the pod object.
   */
  private static sameVolumeInputs(a: SteadyInputs, b: SteadyInputs, now: number): boolean {
    if (!sameProjectedPod(a.pod, b.pod) || !(now < a.refreshAt) || a.objects.length !== b.objects.length) return false;
    for (let i = 0; i < a.objects.length; i++) if (a.objects[i] !== b.objects[i]) return false;
    return true;
  }

  /** The normal sync of a running pod. */
  private syncPod(w: PodWorkerState): void {
    const h = this.host;
    if (w.steady && !h.ctx.reference) {
      const now = this.steadyInputs(w);
      if (now && PodWorkers.sameInputs(w.steady, now, this.clock.now())) return this.complete(w, RESYNC_INTERVAL_MS);
      if (now && PodWorkers.sameInputs({ ...w.steady, refreshAt: Infinity }, now, this.clock.now())) return this.refreshTokens(w);
    }
    w.steady = undefined;
    const retry = w.retry;
    w.retry = undefined;
    if (retry && !h.ctx.reference && this.sameRetry(w, retry)) {
      const pod = kubeletPod(w.pod, w.seenAt);
      // The first retry after the sync that recorded it (a crash's PLEG sync, whose status was
      // generated before its start stopped in back-off and set the waiting reason): the full sync's
      // status write, at the same point (first), from the same inputs; what follows it in the full
      // sync reads nothing the write changes (see BackOffRetry).
      if (!this.sameStatusKey(w, w.lastStatusKey)) {
        const written = h.statusManager.setPodStatus(pod, this.generateStatus(w, false));
        w.lastStatus = written;
        w.lastStatusKey = this.statusKey(w);
        w.statusFromRefresh = undefined;
        this.armDeadline(w, written.startTime);
        if (written.phase === "Succeeded" || written.phase === "Failed") {
          w.terminating = true;
          w.busy = false;
          this.sync(w);
          return;
        }
        // What the full sync would have recorded: the pod it started from, the key it wrote.
        retry.pod = w.pod;
        retry.statusKey = w.lastStatusKey;
      }
      for (const b of retry.backOffs) h.runtimeManager.repeatBackOff(pod, b);
      w.retry = retry;
      // As the full sync: a sync at the back-off expiry, then the retry 10 s on unless the expiry
      // comes first. When the retry replaces the expiry's timer at once, only the retry's is made
      // (a timer made and cleared within the callback changes no other timer's order).
      const delay = retry.until - this.clock.now();
      if (w.timer || w.pending || delay <= BACKOFF_PERIOD_MS) this.requestSync(w, delay);
      else if (!this.stopped && this.workers.get(w.uid) === w && this.sleepRetry(w, retry)) {
        // complete(w, BACKOFF_PERIOD_MS), with the retry's timer made by sleepRetry (asleep). Also
        // after a repeat the spam filter accepted (the alarm's firing: a token): what the next
        // retries do depends only on the correlator's state now, which sleepRepeats reads.
        w.busy = false;
        return;
      }
      return this.complete(w, BACKOFF_PERIOD_MS);
    }
    const apiPod = w.pod;
    const before = h.ctx.reference ? undefined : this.steadyInputs(w);
    // The kubelet's own copy of the pod carries its config source annotations (the downward API shows them).
    const pod = kubeletPod(w.pod, w.seenAt);
    let written = w.lastStatus;
    if (!written || !this.sameStatusKey(w, w.lastStatusKey)) {
      written = h.statusManager.setPodStatus(pod, this.generateStatus(w, false));
      w.lastStatus = written;
      w.lastStatusKey = this.statusKey(w);
      w.statusFromRefresh = undefined;
    }
    this.armDeadline(w, written.startTime);
    if (written.phase === "Succeeded" || written.phase === "Failed") {
      // A pod that reached a terminal phase: stop what is left (sidecars) and the sandbox.
      w.terminating = true;
      w.busy = false;
      this.sync(w);
      return;
    }
    // Volumes are set up before the first start; every later sync sets the configMap, secret,
    // downwardAPI and projected ones up again, so their files follow their sources.
    let mountFailed = false;
    if (w.volumesReady) {
      // The projected files are a function of the pod, the ConfigMaps and Secrets they read and the
      // tokens' refresh instants: with those unchanged since a refresh that succeeded, nothing to do.
      const vin = before ?? (h.ctx.reference ? undefined : this.volumeInputs(w, apiPod));
      if (!(vin && w.volumeInputs && PodWorkers.sameVolumeInputs(w.volumeInputs, vin, this.clock.now()))) {
        w.volumeInputs = undefined;
        for (const f of refreshPodVolumes(h.volumeHost(), pod, w.volumes)) {
          mountFailed = true;
          this.failedMount(pod, f.volume, f.message);
        }
        // A refresh that requested tokens moved their next refresh: the memo holds the new instant.
        if (!mountFailed) w.volumeInputs = vin && !(this.clock.now() < vin.refreshAt) ? this.volumeInputs(w, apiPod) : vin;
      } else w.volumeInputs = vin; // the same inputs, read from the current pod object (the older one is let go)
    }
    const setup = w.volumesReady ? { ok: true as const, volumes: w.volumes } : setUpPodVolumes(h.volumeHost(), pod, w.volumes);
    if (!setup.ok) {
      this.failedMount(pod, setup.volume, setup.message);
      return this.complete(w, BACKOFF_PERIOD_MS);
    }
    if (!w.volumesReady) for (const [k, v] of setup.volumes) w.volumes.set(k, v);
    w.volumesReady = true;
    const ps = h.runtime.podStatus(w.uid);
    const actions = computePodActions(pod, ps, h.runtime.instances(w.uid), h.probes());
    if (actions.createSandbox) {
      if (w.podIP) h.releasePodIP(w.podIP);
      w.podIP = h.allocatePodIP(pod);
    }
    const idle = !actions.killPod && !actions.createSandbox && !actions.initContainersToStart.length && !actions.containersToStart.length && !actions.containersToKill.length;
    const onlyStarts = !actions.killPod && !actions.createSandbox && !actions.containersToKill.length;
    w.backOffs = undefined;
    w.startedPastBackOff = false;
    h.runtimeManager.syncPod(pod, actions, w, w.podIP ?? ps.ip ?? "", (hadError) => {
      // A sync that found nothing to do, with the inputs it started from still in place, is steady.
      if (before && idle && !hadError && !mountFailed && w.pod === before.pod) {
        const after = this.steadyInputs(w);
        // A sync at a token's refresh instant requested it: the inputs it leaves differ from those it
        // started from by that instant alone, and a sync from them before the next one does nothing.
        const now = this.clock.now();
        const from = after && !(now < before.refreshAt) && now < after.refreshAt ? { ...before, refreshAt: after.refreshAt } : before;
        if (after && PodWorkers.sameInputs(from, after, now)) w.steady = from;
      }
      const until = this.scheduleBackOffExpiry(w);
      // A sync that only found its containers in back-off: the next ones with the same inputs repeat its effects.
      const backOffs = w.backOffs;
      w.backOffs = undefined;
      if (!h.ctx.reference && hadError && onlyStarts && backOffs && !w.startedPastBackOff && !mountFailed && w.pod === apiPod && until > this.clock.now() && until < Infinity) {
        this.recordRetry(w, backOffs, until);
      }
      this.complete(w, hadError ? BACKOFF_PERIOD_MS : RESYNC_INTERVAL_MS);
    });
  }

  /**
   * A steady pod's sync at a token's refresh instant (issue #19): everything it read is as at the
   * steady syncs before, so the full sync would find the same status key (no write), no action and
   * nothing else to do — the steady fast path's argument — except the volume refresh, which now
   * requests the due tokens and writes them. So that refresh runs, at the point of the sync where
   * the full one runs it, with its FailedMount events if a source fails, and the resync is re-armed
   * as the full sync does. The memos then hold the inputs as they are after the refresh.
   */
  private refreshTokens(w: PodWorkerState): void {
    const h = this.host;
    w.steady = undefined;
    w.volumeInputs = undefined;
    const pod = kubeletPod(w.pod, w.seenAt);
    let failed = false;
    for (const f of refreshPodVolumes(h.volumeHost(), pod, w.volumes)) {
      failed = true;
      this.failedMount(pod, f.volume, f.message);
    }
    if (!failed) {
      const after = this.steadyInputs(w);
      if (after && this.clock.now() < after.refreshAt) {
        w.steady = after;
        w.volumeInputs = { ...after, runtime: 0 };
      }
    }
    this.complete(w, RESYNC_INTERVAL_MS);
  }

  /** A volume that could not be set up or refreshed (a method: no named closure made at every sync). */
  private failedMount(pod: Pod, volume: string, message: string): void {
    this.host.ctx.events.record(pod, {
      type: "Warning",
      reason: "FailedMount",
      message: `MountVolume.SetUp failed for volume ${JSON.stringify(volume)} : ${message}`,
      source: { component: "kubelet", host: this.host.nodeName },
    });
  }

  private recordRetry(w: PodWorkerState, backOffs: BackOffRecord[], until: number): void {
    const pod = w.pod;
    if (!w.volumesReady || !w.volumeInputs || !w.lastStatusKey || !quietSpec(pod.spec) || (pod.spec?.activeDeadlineSeconds !== undefined && !w.deadlineTimer)) return;
    // The key object itself: only a full sync (which drops the retry), a status refresh (which
    // too) or the retry's own status write (which records its new key) replaces w.lastStatusKey,
    // so sameRetry's identity test is the equality of the keys. The key may differ from the one the
    // status would have now (the sync's start set the waiting reason after its status write): the
    // first retry then writes the status as the full sync would (issue #19, kubelet21).
    w.retry = { pod, runtime: this.host.runtime.podVersion(w.uid), statusKey: w.lastStatusKey, volumes: w.volumeInputs, until, backOffs };
  }

  /**
   * The next retry's timer made as a dormant chain (DormantRetry), where `complete` would make the
   * one-shot (no timer pending, none requested). False when the retries cannot sleep (the next
   * firing must run, or the correlator's entries cannot be handed over): nothing was made then.
   */
  private sleepRetry(w: PodWorkerState, r: BackOffRetry): boolean {
    const P = BACKOFF_PERIOD_MS;
    const now = this.clock.now();
    const correlator = r.backOffs[0]?.handle?.correlator;
    if (correlator === undefined) return false;
    const keys: CorrelationKeys[] = [];
    for (const b of r.backOffs) {
      if (b.handle === undefined || b.handle.correlator !== correlator) return false;
      keys.push(b.handle.keys);
    }
    // The retry at now + kP takes this path again while now + kP < until - P (no expiry's sync to
    // request) and before the first token refresh: the first k past that runs.
    const limit = Math.ceil((Math.min(r.until - P, r.volumes.refreshAt) - now) / P);
    if (!(limit >= 2)) return false;
    const clock = this.clock;
    const d: DormantRetry = {
      chain: undefined as unknown as TimerHandle,
      keys,
      correlator,
      lastTouch: (): ClockKey | undefined => clock.lastSkipped(d.chain),
      wake: () => {
        if (w.dormant === d) this.endDormant(w);
      },
    };
    const k = correlator.sleepRepeats(keys, d, now, P, limit);
    if (k < 2) return false;
    const chain = clock.setChain(() => this.retryFired(w, chain), P);
    d.chain = chain;
    clock.sleep(chain, now + k * P);
    w.timer = chain;
    w.nextSyncAt = now + P;
    w.dormant = d;
    this.dormant.add(w);
    this.hookSources();
    return true;
  }

  /** The retry chain fired for real (woken by its alarm or an input): this firing is the one-shot's. */
  private retryFired(w: PodWorkerState, chain: TimerHandle): void {
    if (w.dormant?.chain === chain) this.endDormant(w);
    this.clock.clear(chain);
    w.timer = undefined;
    w.nextSyncAt = Infinity;
    this.sync(w);
  }

  /** Wakes a worker's dormant retries: the skipped ones settled in the correlator, the chain awake. */
  private endDormant(w: PodWorkerState): void {
    const d = w.dormant!;
    w.dormant = undefined;
    this.dormant.delete(w);
    const clock = this.clock;
    const n = clock.isDormant(d.chain) ? clock.wake(d.chain) : clock.skipped(d.chain);
    d.correlator.endRepeats(d.keys, d, n, n > 0 ? clock.lastSkipped(d.chain) : undefined);
    if (w.timer === d.chain) w.nextSyncAt = clock.nextDue(d.chain);
  }

  /** Whether a sync of `w` now has the inputs the recorded back-off retry had (see BackOffRetry). */
  private sameRetry(w: PodWorkerState, r: BackOffRetry): boolean {
    const h = this.host;
    const now = this.clock.now();
    if ((w.pod !== r.pod && !this.ownEcho(w, r.pod)) || !(now < r.until) || h.runtime.podVersion(w.uid) !== r.runtime || w.lastStatusKey !== r.statusKey || w.volumeInputs !== r.volumes) return false;
    for (const b of r.backOffs) if (!h.runtimeManager.backOffUnchanged(b)) return false;
    // The volume refresh's memo check (syncPod), as it would find it now.
    // No sync ran since the recorded one (any sync clears the record), so the volumes and their
    // token instants are as then: only the ConfigMaps' and Secrets' last change can have moved.
    const v = r.volumes;
    return sameProjectedPod(v.pod, w.pod) && now < v.refreshAt && sameProjectionSources(this.lookups(), w.pod, v.objects);
  }

  /**
   * Whether `w.pod` is what the kubelet's own last status write made of `pod` (issue #19: the
   * status write's echo through the watch): the write went over `pod`'s resourceVersion and left
   * the status generation's inputs as they were (`StatusManager.lastWrite`, as in `statusKey`).
   * Besides the status key (which reads the echo as `pod` already), a back-off retry's sync reads
   * of the pod object only its spec and metadata (the pod's actions, the volumes' inputs, the
   * events' object), which such a write shares; so a retry after the echo takes the path of a retry
   * before it. The first retry after each status write of a crash loop used to run in full.
   */
  private ownEcho(w: PodWorkerState, pod: Pod): boolean {
    const own = this.host.statusManager.lastWrite(w.uid);
    return own !== undefined && own.same && w.pod === own.to && own.fromVersion === pod.metadata.resourceVersion;
  }

  /** A sync exactly when a waiting container's crash-loop back-off ends; returns that instant (Infinity: none). */
  private scheduleBackOffExpiry(w: PodWorkerState): number {
    const h = this.host;
    const pod = w.pod;
    let earliest = Infinity;
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      if (w.reasonCache.get(c.name)?.reason !== "CrashLoopBackOff") continue;
      const exited = h.runtime.instances(w.uid).find((x) => x.name === c.name && x.state === "exited");
      if (!exited) continue;
      const at = h.runtimeManager.backOffExpiry(pod, c, exited.finishedAt!);
      if (at !== undefined) earliest = Math.min(earliest, at);
    }
    if (earliest < Infinity) this.requestSync(w, Math.max(0, earliest - this.clock.now()));
    return earliest;
  }

  /** activeDeadlineSeconds: the pod is killed once it has been active that long. */
  private armDeadline(w: PodWorkerState, startTime: Time | undefined): void {
    const secs = w.pod.spec?.activeDeadlineSeconds;
    if (secs === undefined || !startTime || w.deadlineTimer) return;
    const at = Date.parse(startTime) + secs * 1000;
    w.deadlineTimer = this.clock.setTimeout(() => {
      if (this.workers.get(w.uid) !== w || w.terminated) return;
      this.host.ctx.events.record(w.pod, {
        type: "Normal",
        reason: DEADLINE_REASON,
        message: DEADLINE_MESSAGE,
        source: { component: "kubelet", host: this.host.nodeName },
      });
      this.killPod(w.pod, { phase: "Failed", reason: DEADLINE_REASON, message: DEADLINE_MESSAGE });
    }, Math.max(0, at - this.clock.now()));
  }

  /** syncTerminatingPod + syncTerminatedPod: stop everything, write the final status, finish the deletion. */
  private syncTerminatingPod(w: PodWorkerState): void {
    const h = this.host;
    const first = !w.terminating;
    w.terminating = true;
    if (first) h.onPodTerminating?.(w.pod);
    if (!w.removedFromApi) {
      const st = this.generateStatus(w, false);
      w.forced?.statusFn?.(st);
      h.statusManager.setPodStatus(w.pod, st);
    }
    const grace = w.removedFromApi && !w.pod.metadata.deletionTimestamp ? 0 : w.forced?.graceOverrideS;
    h.runtimeManager.killPod(w.pod, grace, () => {
      if (this.workers.get(w.uid) !== w) return;
      w.terminated = true;
      w.busy = false;
      w.pending = false;
      this.clock.clear(w.deadlineTimer);
      if (!w.removedFromApi) {
        const final = terminatePodStatus(w.pod, this.generateStatus(w, true));
        w.forced?.statusFn?.(final);
        h.statusManager.setPodStatus(w.pod, final);
        const current = h.ctx.api.get("Pod", w.pod.metadata.namespace, w.pod.metadata.name!);
        if (current?.metadata.uid === w.uid && current.metadata.deletionTimestamp) {
          h.ctx.api.finalizeDelete("Pod", current.metadata.namespace, current.metadata.name!);
          w.removedFromApi = true;
        }
      }
      if (w.removedFromApi) this.forget(w);
    });
  }

  private forget(w: PodWorkerState): void {
    const h = this.host;
    this.rouse(w);
    this.clock.clear(w.timer);
    this.clock.clear(w.deadlineTimer);
    this.workers.delete(w.uid);
    this.bumpVersion();
    if (w.podIP) h.releasePodIP(w.podIP);
    h.runtime.removePod(w.uid);
    h.statusManager.removePod(w.uid);
    h.onPodRemoved?.(w.pod);
  }
}

/**
 * Whether every running container of `status` (regular and init) is ready: generating that status
 * again from the same inputs asks the prober for no manual trigger (a method-free loop: no closure).
 */
function everyContainerReady(status: PodStatus): boolean {
  for (const cs of status.containerStatuses ?? []) if (cs.state?.running && cs.ready !== true) return false;
  for (const cs of status.initContainerStatuses ?? []) if (cs.state?.running && cs.ready !== true) return false;
  return true;
}

/** Whether two pod objects give the same projected volume files (see sameVolumeInputs). */
function sameProjectedPod(a: Pod, b: Pod): boolean {
  if (a === b) return true;
  const ma = a.metadata;
  const mb = b.metadata;
  return a.spec === b.spec && ma.labels === mb.labels && ma.annotations === mb.annotations && ma.name === mb.name && ma.namespace === mb.namespace && ma.uid === mb.uid && Object.isFrozen(a.spec) && Object.isFrozen(ma.labels ?? a.spec) && Object.isFrozen(ma.annotations ?? a.spec);
}

const quietSpecs = new WeakMap<object, boolean>();
const hooklessSpecs = new WeakMap<object, boolean>();

/**
 * Whether no container of the spec has lifecycle hooks (cached per frozen spec). Probed pods can be
 * steady: their syncs read the probes' results, kept in SteadyInputs as the prober's version.
 */
function hookless(spec: PodSpec | undefined): boolean {
  if (!spec) return true;
  let v = hooklessSpecs.get(spec);
  if (v === undefined) {
    v = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].every((c) => !c.lifecycle);
    if (Object.isFrozen(spec)) hooklessSpecs.set(spec, v);
  }
  return v;
}

/** Whether no container of the spec has probes or lifecycle hooks (cached per frozen spec). */
function quietSpec(spec: PodSpec | undefined): boolean {
  if (!spec) return true;
  let v = quietSpecs.get(spec);
  if (v === undefined) {
    v = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].every((c) => !c.livenessProbe && !c.readinessProbe && !c.startupProbe && !c.lifecycle);
    if (Object.isFrozen(spec)) quietSpecs.set(spec, v);
  }
  return v;
}

/** pkg/kubelet/types: the annotations the kubelet's config sources put on every pod it runs. */
export const CONFIG_SEEN_ANNOTATION = "kubernetes.io/config.seen";
export const CONFIG_SOURCE_ANNOTATION = "kubernetes.io/config.source";

const kubeletPods = new WeakMap<Pod, Pod>();
const readsAnnotations = new WeakMap<object, boolean>();

/** Whether anything of the pod's spec shows annotations through the downward API (cached per spec object). */
function showsAnnotations(spec: PodSpec | undefined): boolean {
  if (!spec || typeof spec !== "object") return false;
  let v = readsAnnotations.get(spec);
  if (v === undefined) {
    v = mentionsAnnotations(spec);
    readsAnnotations.set(spec, v);
  }
  return v;
}

const ANNOTATIONS_PATH = "metadata.annotations";

/**
 * `JSON.stringify(v).includes("metadata.annotations")` without building the text (issue #19: once
 * per pod, ~30 µs for a whole spec). The pattern holds no quote, colon, comma, bracket or
 * backslash, so in the JSON text it can only lie inside one key or one string value, and JSON's
 * escapes (each starting with a backslash) never make or break it: it is in the text exactly when
 * it is in a key of a property JSON keeps (not undefined, a function or a symbol) or in a string.
 */
export function mentionsAnnotations(v: unknown): boolean {
  if (typeof v === "string") return v.includes(ANNOTATIONS_PATH);
  if (v === null || typeof v !== "object") return false;
  if (Array.isArray(v)) {
    for (const x of v) if (mentionsAnnotations(x)) return true;
    return false;
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(v).includes(ANNOTATIONS_PATH);
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
    if (k.includes(ANNOTATIONS_PATH) || mentionsAnnotations(x)) return true;
  }
  return false;
}

/** The pod as the kubelet holds it: the API's object plus `kubernetes.io/config.seen` (RFC 3339 with nanoseconds) and `kubernetes.io/config.source: api`. */
export function kubeletPod(pod: Pod, seenAt: number): Pod {
  // Only the downward API can see the difference; most pods never ask.
  if (!showsAnnotations(pod.spec)) return pod;
  let view = kubeletPods.get(pod);
  if (!view) {
    const seen = new Date(seenAt).toISOString().replace(/\.?0+Z$/, "Z");
    const annotations = { ...(pod.metadata.annotations ?? {}), [CONFIG_SEEN_ANNOTATION]: seen, [CONFIG_SOURCE_ANNOTATION]: "api" };
    view = { ...pod, metadata: { ...pod.metadata, annotations } };
    kubeletPods.set(pod, view);
  }
  return view;
}
