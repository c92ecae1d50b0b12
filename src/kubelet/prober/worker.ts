/**
 * pkg/kubelet/prober/worker.go: one worker per (container, probe type), created when the kubelet
 * admits the pod. It probes at once, then on a ticker every periodSeconds from its creation (not
 * from the container's start), plus whenever the manager triggers it by hand (readiness, right
 * after the container starts). Each run (`doProbe`) reads the kubelet's current pod status and:
 *
 * - waits while the container has no ID; a new container ID stores the initial result
 *   (readiness Failure, liveness Success, startup Unknown) and ends "on hold";
 * - stores Failure for a container that is not running (and exits when it will not restart);
 * - skips while `int(seconds since running.startedAt) < initialDelaySeconds`;
 * - runs startup probes until the container has started, and the others only after;
 * - counts equal results in a row and stores a result only once it reached failureThreshold or
 *   successThreshold; after storing a liveness or startup Failure it holds until a new container.
 *
 * Probes finish later in simulated time (an HTTP answer, a command's exit); ticks that arrive
 * meanwhile are merged into one, as Go's ticker channel keeps at most one.
 *
 * Every call that starts a probe (`host.probe`) is the last act of its timer callback, and so is
 * every `trigger()` and `next(…)` (tail calls all the way up to the clock): the prober relies on
 * it to hand an answer due at once over directly instead of through a zero-delay timer (issue
 * #19, `SimClock.zeroDelayIsNext`). Keep it so.
 */
import type { ClusterContext } from "../../context.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import type { Container, ContainerStatus, Pod, PodStatus, Time } from "../../api/types.gen.ts";
import type { Result, ResultsManager } from "./results/results_manager.ts";
import { probeDefaults, probeSpecOf, type ProbeType } from "./prober.ts";
import type { KeptEvents } from "../util/kept_events.ts";

/** What a worker needs from its manager. */
export interface WorkerHost {
  /** When the kubelet (its prober manager) started, simulated ms. */
  readonly startedAt: number;
  getPodStatus(podUID: string): PodStatus | undefined;
  /** `kept`: the worker's own events as last recorded (see `recordKept`), so that a repeated one is correlated under its kept keys. */
  probe(type: ProbeType, pod: Pod, status: PodStatus | undefined, container: Container, containerID: string, done: (result: Result, err?: Error) => void, kept?: KeptEvents): void;
  resultsManager(type: ProbeType): ResultsManager;
  removeWorker(w: Worker): void;
  /** Issue #19: lets the probe that just answered stop ticking (`Prober.sleep`); undefined when refused. */
  sleep?(type: ProbeType, container: Container, status: PodStatus | undefined, handle: TimerHandle, period: number, wake: () => void): (() => void) | undefined;
}

/** podutil.GetContainerStatus (a plain loop: this runs for every probe). */
function byName(statuses: ContainerStatus[] | undefined, name: string): ContainerStatus | undefined {
  if (!statuses) return undefined;
  for (let i = 0; i < statuses.length; i++) if (statuses[i].name === name) return statuses[i];
  return undefined;
}

function noop(): void {}

const INITIAL: Record<ProbeType, Result> = { Readiness: "Failure", Liveness: "Success", Startup: "Unknown" };

export class Worker {
  readonly spec: ReturnType<typeof probeDefaults>;
  readonly initialValue: Result;
  containerID = "";
  lastResult: Result = "Unknown";
  resultRun = 0;
  onHold = false;
  /** Probe runs started (for the benchmark and tests). */
  runs = 0;
  private ticker: TimerHandle | undefined;
  private startTimer: TimerHandle | undefined;
  private inFlight = false;
  private pendingTrigger = false;
  private stopped = false;
  private startedAtText: Time | undefined = "";
  private startedAtMs = 0;
  /**
   * What the last run that reached the probe read (issue #19): while the kubelet's status for the
   * pod is the same object with the same container fields, and the pod is the same, `doProbe`
   * would take the same path to the same probe (its one time condition, the initial delay, stays
   * passed once passed), so the next run goes straight to the probe. Not used by the reference engine.
   */
  private steady: { status: PodStatus; cs: ContainerStatus; containerID: string; running: unknown; started: boolean | undefined; pod: Pod } | undefined;
  /** The answer handler of runs that go straight to the probe (one per worker, not one per run). */
  private readonly steadyDone: (result: Result, err?: Error) => void;
  /**
   * The events this worker's probe runs recorded (its pod's `Unhealthy` and `ProbeWarning`), as
   * last recorded with their handles (issue #19; undefined on the reference engine): a readiness
   * probe that fails while the application starts records the same event at every run.
   */
  private readonly keptEvents: KeptEvents | undefined;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly host: WorkerHost,
    readonly probeType: ProbeType,
    /** The pod as admitted (read-only). */
    public pod: Pod,
    readonly container: Container,
  ) {
    // A worker is made only for a container that has this probe.
    this.spec = probeDefaults(probeSpecOf(container, probeType)!);
    this.initialValue = INITIAL[probeType];
    this.keptEvents = ctx.reference ? undefined : new Map();
    this.steadyDone = (result, err) => {
      const containerID = this.steady?.containerID;
      this.finishRun(containerID ?? "", result, err, this.afterRun);
      if (result === "Success" && !err) this.maybeSleep();
    };
  }

  /**
   * Issue #19 (never on the reference engine): the cancel of this worker's dormancy. A worker
   * whose run reached the probe (straight, or through `doProbe`, which records what it read as
   * `steady`) and recorded a Success that changes nothing (the stored result is Success and the
   * streak is past the threshold) would do the very same at its next tick as long as its inputs
   * stay — what it reads of the kubelet's status of the pod and of the pod, the answer
   * (`Prober.sleep`). Its ticker then sleeps (`SimClock.sleep`: each firing keeps its place, no
   * callback runs). Whatever could change the run wakes it first: a status of the pod or a pod
   * version that reads differently (`statusChanged`, `podUpdated`), a trigger by hand, the network
   * or the application (the prober's cancel), the worker stopping. Waking adds the skipped runs to
   * what they would have counted: the run count and the Success streak. (A worker waiting for its
   * container sleeps too, `sleepUntilContainer`; its ticks count nothing.)
   */
  private dormancy: (() => void) | undefined;
  /**
   * Whether the dormancy is a wait for the container (issue #19, `sleepUntilContainer`): the
   * skipped ticks found no container to probe and counted nothing, so waking adds no runs.
   */
  private waiting = false;

  private maybeSleep(): void {
    const s = this.steady;
    const ticker = this.ticker;
    if (this.ctx.reference || !this.host.sleep || ticker === undefined || this.dormancy !== undefined || s === undefined) return;
    if (this.stopped || this.inFlight || this.pendingTrigger || this.onHold || !this.steadyHolds(s)) return;
    if (this.lastResult !== "Success" || this.resultRun < this.spec.successThreshold || this.results.get(this.containerID) !== "Success") return;
    const clock = this.ctx.clock;
    clock.sleep(ticker);
    const cancel = this.host.sleep(this.probeType, this.container, s.status, ticker, this.spec.periodSeconds * 1000, this.wakeUp);
    if (cancel === undefined) clock.wake(ticker);
    else this.dormancy = cancel;
  }

  /** Ends the dormancy (see `dormancy`); nothing when awake. */
  readonly wakeUp = (): void => {
    const cancel = this.dormancy;
    if (cancel === undefined) return;
    this.dormancy = undefined;
    cancel();
    const n = this.ctx.clock.wake(this.ticker!);
    if (this.waiting) {
      this.waiting = false;
      return;
    }
    this.runs += n;
    this.resultRun += n;
  };

  /** Wakes a waiting dormancy (see `sleepUntilContainer`); a steady one stays. */
  wakeIfWaiting(): void {
    if (this.waiting) this.wakeUp();
  }

  /**
   * Issue #19 (never on the reference engine): a tick that found no status of the pod or no
   * container of this name with an ID to probe. Until the kubelet's status of the pod changes,
   * every tick reads the same status object and returns the same way, counting no run and
   * changing nothing (`doProbe`'s first three checks read only the status; the phase is not
   * terminal, or it would have finished). So the ticker sleeps until that status changes
   * (`ProberManager.wakePod`, before the change) or the worker is triggered by hand or stops;
   * waking adds no runs.
   *
   * `readyAt` (a tick within the container's `initialDelaySeconds`): the instant from which a tick
   * passes the delay. The ticks before it return the same way (the delay is all that changed since
   * the status was read), so the ticker sleeps until its first firing at or past `readyAt`, when the
   * clock wakes it (`SimClock.sleep`'s `wakeAt`) and that firing runs; a status change, a new pod
   * version with another deletionTimestamp (`podUpdated`: liveness and startup probes read it
   * before the delay), a trigger by hand or a stop wake it before.
   */
  private sleepUntilContainer(readyAt?: number): void {
    const ticker = this.ticker;
    if (this.ctx.reference || !this.host.sleep || ticker === undefined || this.dormancy !== undefined || this.stopped || this.inFlight || this.pendingTrigger) return;
    const clock = this.ctx.clock;
    let wakeAt: number | undefined;
    if (readyAt !== undefined) {
      const next = clock.nextDue(ticker);
      const period = this.spec.periodSeconds * 1000;
      if (!(readyAt > next) || !Number.isInteger(readyAt)) return;
      wakeAt = next + Math.ceil((readyAt - next) / period) * period;
    }
    clock.sleep(ticker, wakeAt);
    this.waiting = true;
    this.dormancy = noop;
  }

  /**
   * Issue #19: the kubelet's status of the pod changed (after the change; `ProberManager.statusChanged`).
   * A steady dormancy holds when what `doProbe` reads of the new status is what it read: the
   * phase not terminal, the same container ID with a running state started at the same instant,
   * the same `started`, and the same pod IP (the probe's request). The skipped ticks would then
   * have taken the straight path to the same probe with the same answer; the steady record moves
   * to the new objects so that the next run (once woken) goes straight to the probe too.
   * Otherwise the worker wakes, as before every status change.
   */
  statusChanged(): void {
    if (this.dormancy === undefined) return;
    const s = this.steady;
    if (this.waiting || s === undefined) return this.wakeUp();
    const status = this.host.getPodStatus(this.pod.metadata.uid!);
    if (status === undefined || status === s.status) {
      if (status === undefined) this.wakeUp();
      return;
    }
    if (status.phase === "Failed" || status.phase === "Succeeded" || status.podIP !== s.status.podIP) return this.wakeUp();
    let c = byName(status.containerStatuses, this.container.name);
    if (!c || !c.containerID) c = byName(status.initContainerStatuses, this.container.name);
    const running = c?.state?.running;
    if (!c || c.containerID !== s.containerID || running === undefined || running.startedAt !== (s.running as { startedAt?: unknown }).startedAt || c.started !== s.started) return this.wakeUp();
    s.status = status;
    s.cs = c;
    s.running = running;
  }

  /**
   * Issue #19: a new version of the pod (`ProberManager.updatePod`). A dormant worker stays asleep
   * when what `doProbe` reads of the pod is the same: its deletionTimestamp and restartPolicy (the
   * probed container is the one admitted). A successful run reads nothing else of it.
   */
  podUpdated(pod: Pod): void {
    const old = this.pod;
    if (this.dormancy !== undefined && (pod.metadata.deletionTimestamp !== old.metadata.deletionTimestamp || pod.spec?.restartPolicy !== old.spec?.restartPolicy || pod.metadata.uid !== old.metadata.uid)) this.wakeUp();
    this.pod = pod;
    const s = this.steady;
    if (this.dormancy !== undefined && s !== undefined && s.pod === old) s.pod = pod;
  }

  /** Runs skipped so far by a dormant worker (not yet in `runs`). */
  get skippedRuns(): number {
    return this.dormancy !== undefined && !this.waiting && this.ticker !== undefined ? this.ctx.clock.skipped(this.ticker) : 0;
  }

  private steadyHolds(s: NonNullable<Worker["steady"]>): boolean {
    return this.pod === s.pod && this.host.getPodStatus(s.pod.metadata.uid!) === s.status && s.cs.containerID === s.containerID && s.cs.state?.running === s.running && s.cs.started === s.started && this.containerID === s.containerID;
  }

  /** The continuation of a run (trigger's): stop, or run again if a trigger came meanwhile. */
  private readonly afterRun = (keepGoing: boolean): void => {
    if (!keepGoing) return this.finish();
    if (this.pendingTrigger) {
      this.pendingTrigger = false;
      this.trigger();
    }
  };

  get results(): ResultsManager {
    return this.host.resultsManager(this.probeType);
  }

  /** worker.run: an optional random wait (only when the kubelet started less than a period ago), a probe, then the ticker. */
  run(): void {
    const clock = this.ctx.clock;
    const period = this.spec.periodSeconds * 1000;
    const sinceStart = clock.now() - this.host.startedAt;
    const wait = period > sinceStart ? Math.floor(this.ctx.chance.float() * period) : 0;
    this.startTimer = clock.setTimeout(() => {
      this.startTimer = undefined;
      if (this.stopped) return;
      this.ticker = clock.setInterval(() => this.trigger(), period);
      this.trigger();
    }, wait);
  }

  /** A tick or a manual trigger: run now, or right after the run in progress. */
  trigger(): void {
    if (this.stopped) return;
    if (this.dormancy !== undefined) this.wakeUp();
    if (this.inFlight) {
      this.pendingTrigger = true;
      return;
    }
    const s = this.steady;
    if (s !== undefined && !this.onHold && this.steadyHolds(s)) {
      this.inFlight = true;
      this.runs++;
      this.host.probe(this.probeType, this.pod, s.status, this.container, s.containerID, this.steadyDone, this.keptEvents);
      return;
    }
    this.doProbe(this.afterRun);
  }

  /** The manager's non-blocking manual trigger (manualTriggerCh has room for one). */
  manualTrigger(): void {
    if (this.stopped || this.startTimer) return;
    if (this.inFlight) this.pendingTrigger = true;
    else this.ctx.clock.setTimeout(() => this.trigger(), 0);
  }

  /** worker.stop: ends the loop (cleanup as the deferred function in run does). */
  stop(): void {
    if (this.stopped) return;
    this.finish();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private finish(): void {
    this.wakeUp();
    this.stopped = true;
    this.ctx.clock.clear(this.ticker);
    this.ctx.clock.clear(this.startTimer);
    if (this.containerID) this.results.remove(this.containerID, this.pod.metadata.uid!);
    this.host.removeWorker(this);
  }

  /** worker.doProbe; calls `next(keepGoing)` when this run is over (at once, or when the probe answers). */
  doProbe(next: (keepGoing: boolean) => void): void {
    const status = this.host.getPodStatus(this.pod.metadata.uid!);
    if (!status) {
      this.sleepUntilContainer();
      return next(true);
    }
    if (status.phase === "Failed" || status.phase === "Succeeded") return next(false);

    let c = byName(status.containerStatuses, this.container.name);
    if (!c || !c.containerID) {
      c = byName(status.initContainerStatuses, this.container.name);
      if (!c || !c.containerID) {
        this.sleepUntilContainer();
        return next(true);
      }
    }

    if (this.containerID !== c.containerID) {
      if (this.containerID) this.results.remove(this.containerID, this.pod.metadata.uid!);
      this.containerID = c.containerID;
      this.results.set(this.containerID, this.initialValue, this.pod.metadata.uid!);
      this.onHold = false;
    }

    if (this.onHold) return next(true);

    if (!c.state?.running) {
      if (this.containerID) this.results.set(this.containerID, "Failure", this.pod.metadata.uid!);
      return next(!c.state?.terminated || this.pod.spec?.restartPolicy !== "Never");
    }

    if (this.pod.metadata.deletionTimestamp && (this.probeType === "Liveness" || this.probeType === "Startup")) {
      this.results.set(this.containerID, "Success", this.pod.metadata.uid!);
      return next(false);
    }

    const startedAtText = c.state.running.startedAt;
    if (startedAtText !== this.startedAtText) {
      this.startedAtText = startedAtText;
      this.startedAtMs = Date.parse(String(startedAtText));
    }
    const startedAt = this.startedAtMs;
    if (Math.trunc((this.ctx.clock.now() - startedAt) / 1000) < this.spec.initialDelaySeconds) {
      this.sleepUntilContainer(startedAt + this.spec.initialDelaySeconds * 1000);
      return next(true);
    }

    if (c.started === true) {
      if (this.probeType === "Startup") return next(true);
    } else if (this.probeType !== "Startup") {
      return next(true);
    }

    const containerID = this.containerID;
    this.steady = this.ctx.reference ? undefined : { status, cs: c, containerID, running: c.state.running, started: c.started, pod: this.pod };
    this.inFlight = true;
    this.runs++;
    this.host.probe(this.probeType, this.pod, status, this.container, containerID, (result, err) => this.fullDone(containerID, result, err, next), this.keptEvents);
  }

  /** The answer of a run that went through `doProbe`: as a steady run's, it may let the ticker sleep (issue #19). */
  private fullDone(containerID: string, result: Result, err: Error | undefined, next: (keepGoing: boolean) => void): void {
    this.finishRun(containerID, result, err, next);
    if (result === "Success" && !err && next === this.afterRun) this.maybeSleep();
  }

  /** A probe answered (or could not run): record its result unless the worker stopped or the container changed. */
  private finishRun(containerID: string, result: Result, err: Error | undefined, next: (keepGoing: boolean) => void): void {
    this.inFlight = false;
    if (this.stopped) return;
    // The container changed while the probe ran: the answer is about the old one.
    if (err || containerID !== this.containerID) return next(true);
    this.record(result);
    next(true);
  }

  private record(result: Result): void {
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    if ((result === "Failure" && this.resultRun < this.spec.failureThreshold) || (result === "Success" && this.resultRun < this.spec.successThreshold)) {
      return;
    }
    this.results.set(this.containerID, result, this.pod.metadata.uid!);
    if ((this.probeType === "Liveness" || this.probeType === "Startup") && result === "Failure") {
      this.onHold = true;
      this.resultRun = 0;
    }
  }
}
