/**
 * The kubelet's container runtime manager (pkg/kubelet/kuberuntime/kuberuntime_manager.go and
 * kuberuntime_container.go): computePodActions decides what a sync must do (create the sandbox,
 * start the next init container, start or restart containers, kill containers whose liveness or
 * startup probe failed or whose definition changed, or kill the whole pod); SyncPod does it, with
 * the crash-loop back-off (doBackOff), the image manager, and the events `Created`, `Started`,
 * `Killing`, `BackOff`, `Failed`.
 */
import type { ClusterContext } from "../../context.ts";
import type { EventHandle, RecordOptions } from "../../api/events.ts";
import type { Container, ContainerState, EphemeralContainer, LifecycleHandler, Pod } from "../../api/types.gen.ts";
import { findContainerStatusByName, shouldContainerBeRestarted, type RuntimePodStatus } from "../container/runtime.ts";
import type { ImageManager } from "../images/image_manager.ts";
import { managedHostsFileContent, podHostnameAndDomain, sandboxHostname, type WaitingReason } from "../kubelet_pods.ts";
import { isRestartableInitContainer } from "../status/generate.ts";
import { Backoff } from "../util/backoff.ts";
import { goDuration } from "../util/goduration.ts";
import type { ContainerProcess, LineWriter, ProcessCred, ProcessIO, Vfs } from "../../runtime/types.ts";
import { containerCred, procStatus, verifyRunAsNonRoot } from "./security_context.ts";
import { appArmorConfinement, confinedFs, seccompAtCreate, seccompAtStart, seccompNotCheckedMessage, writeAttrCurrent, type NodeAppArmor } from "../security/hooks.ts";
import { SECCOMP_NOT_CHECKED_REASON, type SeccompProfile } from "../security/seccomp.ts";
import { ExitAtOnce } from "../../images/processes.ts";
import { isShell, pid1Argv } from "../../runtime/shell/index.ts";
import { Pipe } from "../../runtime/shell/pipe.ts";
import { MemFs, MountedFs, type Mount } from "../../runtime/vfs.ts";
import { snapshotSubtree, type PodVolume } from "../volumemanager/volumes.ts";
import { makeEnvironmentVariables, type EnvResult, type EnvVar } from "../kubelet_env.ts";
import type { ObjectManager } from "../util/manager/manager.ts";
import { expandContainerCommandAndArgs, expandSubPathExpr } from "../container/expansion.ts";
import { ociProcessEnv, specHash, withHome, TERMINATION_LOG_FILE, type ContainerInstance, type RuntimeService } from "./runtime_service.ts";
import { clusterNetwork } from "../../network/network.ts";
import { resolvConfText } from "../../network/dnspolicy.ts";
import { GENERIC_IMAGE_REASON, GENERIC_IMAGE_SOURCE } from "../../images/generic.ts";
import { recordKept, type KeptEvents } from "../util/kept_events.ts";
import { TerminationOrdering } from "./termination_order.ts";

/** The reason of kube-scenario's event for a pod with `shareProcessNamespace: true`. */
export const SHARED_PIDS_REASON = "ShareProcessNamespaceNotSimulated";

/** The last component of a path (a process name from its argv[0]). */
function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

export const ErrCrashLoopBackOff = "CrashLoopBackOff";
export const ErrCreateContainerConfig = "CreateContainerConfigError";
/** The runtime's CreateContainer failed (pkg/kubelet/kuberuntime ErrCreateContainer). */
export const ErrCreateContainer = "CreateContainerError";
/** The kubelet never gives a container less than this between SIGTERM and SIGKILL. */
export const MINIMUM_GRACE_PERIOD_S = 2;

/** Optional streams of an exec (the API facade's pods/exec): standard input, a separate stderr. */
export interface ExecStreams {
  stdin?: string;
  stderr?: (text: string) => void;
  /** `kubectl exec -it`: the command's streams are a terminal. */
  tty?: boolean;
}

export interface ContainerToKill {
  instance: ContainerInstance;
  message: string;
}

export interface PodActions {
  killPod: boolean;
  createSandbox: boolean;
  initContainersToStart: Container[];
  containersToStart: Container[];
  /** Ephemeral containers without a status yet (never restarted), started before the others. */
  ephemeralContainersToStart?: EphemeralContainer[];
  containersToKill: ContainerToKill[];
}

/** What computePodActions asks the prober (seam for src/kubelet/prober). */
export interface ProbeKillReasons {
  /** Why a running container must be killed (liveness/startup failure), as the Killing event says it. */
  killReason?(pod: Pod, cs: { name: string; containerID: string; state: ContainerState }): string | undefined;
  /** Whether a running container has passed its startup probe (or has none). */
  isStarted?(pod: Pod, cs: { name: string; containerID: string; state: ContainerState }): boolean;
}

function asStatus(c: ContainerInstance): { name: string; containerID: string; state: ContainerState } {
  return { name: c.name, containerID: c.id, state: c.state === "running" ? { running: {} } : {} };
}

/** computeInitContainerActions: returns whether initialization is done. */
function computeInitContainerActions(pod: Pod, ps: RuntimePodStatus, instances: ContainerInstance[], changes: PodActions, probes?: ProbeKillReasons): boolean {
  const inits: Container[] = pod.spec?.initContainers ?? [];
  if (!inits.length) return true;
  const regularNames = new Set((pod.spec?.containers ?? []).map((c) => c.name));
  const previouslyInitialized = ps.containerStatuses.some((c) => regularNames.has(c.name));
  const restartOnFailure = (pod.spec?.restartPolicy ?? "Always") !== "Never";
  for (const c of inits) {
    const s = findContainerStatusByName(ps, c.name);
    const inst = instances.find((x) => x.name === c.name);
    if (isRestartableInitContainer(c)) {
      if (!s) {
        changes.initContainersToStart.push(c);
        if (!previouslyInitialized) return false;
        continue;
      }
      if (s.state === "running") {
        const why = probes?.killReason?.(pod, asStatus(inst!));
        if (why) {
          changes.containersToKill.push({ instance: inst!, message: why });
          changes.initContainersToStart.push(c);
          continue;
        }
        if (!previouslyInitialized && probes?.isStarted && !probes.isStarted(pod, asStatus(inst!))) return false;
        continue;
      }
      changes.initContainersToStart.push(c);
      if (!previouslyInitialized) return false;
      continue;
    }
    if (previouslyInitialized) continue;
    if (!s) {
      changes.initContainersToStart.push(c);
      return false;
    }
    if (s.state === "running") return false;
    if (s.state === "exited") {
      if (s.exitCode === 0) continue;
      if (!restartOnFailure) {
        changes.killPod = true;
        changes.initContainersToStart = [];
        return false;
      }
      changes.initContainersToStart.push(c);
      return false;
    }
    changes.initContainersToStart.push(c);
    return false;
  }
  return true;
}

export function computePodActions(pod: Pod, ps: RuntimePodStatus, instances: ContainerInstance[], probes?: ProbeKillReasons): PodActions {
  const changes: PodActions = { killPod: false, createSandbox: false, initContainersToStart: [], containersToStart: [], containersToKill: [] };
  const containers: Container[] = pod.spec?.containers ?? [];
  if (!ps.sandboxReady) {
    changes.createSandbox = true;
    changes.killPod = ps.containerStatuses.some((c) => c.state === "running");
    const policy = pod.spec?.restartPolicy ?? "Always";
    if (policy === "Never" && ps.containerStatuses.length > 0) {
      // A Never pod that already ran is not started again in a new sandbox.
      changes.createSandbox = false;
      changes.killPod = true;
      return changes;
    }
    const inits = pod.spec?.initContainers ?? [];
    if (inits.length) {
      changes.initContainersToStart = [inits[0]];
      return changes;
    }
    for (const c of containers) {
      const s = findContainerStatusByName(ps, c.name);
      if (policy === "OnFailure" && s?.state === "exited" && s.exitCode === 0) continue;
      changes.containersToStart.push(c);
    }
    if (!changes.containersToStart.length) {
      changes.killPod = true;
      changes.createSandbox = false;
    }
    return changes;
  }
  // Ephemeral containers may be started even if initialization is not yet complete; they are never restarted.
  for (const ec of pod.spec?.ephemeralContainers ?? []) {
    if (!findContainerStatusByName(ps, ec.name)) (changes.ephemeralContainersToStart ??= []).push(ec);
  }
  const initialized = computeInitContainerActions(pod, ps, instances, changes, probes);
  if (changes.killPod || !initialized) return changes;
  let keep = 0;
  for (const c of containers) {
    const s = findContainerStatusByName(ps, c.name);
    if (!s || s.state !== "running") {
      if (shouldContainerBeRestarted(c, pod, ps)) changes.containersToStart.push(c);
      continue;
    }
    const inst = instances.find((x) => x.name === c.name)!;
    let restart = (pod.spec?.restartPolicy ?? "Always") !== "Never";
    let message: string | undefined;
    if (inst.specHash !== specHash(c)) {
      message = `Container ${c.name} definition changed`;
      restart = true;
    } else {
      const why = probes?.killReason?.(pod, asStatus(inst));
      if (why) {
        changes.containersToKill.push({ instance: inst, message: why });
        if (restart) changes.containersToStart.push(c);
        continue;
      }
    }
    if (!message) {
      keep++;
      continue;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      changes.containersToStart.push(c);
    }
    changes.containersToKill.push({ instance: inst, message });
  }
  if (keep === 0 && changes.containersToStart.length === 0) {
    changes.killPod = true;
    changes.initContainersToStart = [];
  }
  return changes;
}

/** format.Pod: `name_namespace(uid)`. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** A container's stdout: its log, with the compiled shell loops' line writer (an unnamed function: see afterKills). */
function containerStdout(rt: RuntimeService, inst: ContainerInstance): ProcessIO["stdout"] & LineWriter {
  const stdout: ProcessIO["stdout"] & LineWriter = Object.assign((t: string) => rt.appendLog(inst, t), {});
  stdout.line = (parts, nums, text) => rt.appendLogLine(inst, parts, nums, text);
  stdout.repeat = (r) => rt.repeatLogLine(inst, r);
  return stdout;
}

/** The field path events name a container by: `spec.containers{app}` / `spec.initContainers{init}`. */
export function containerFieldPath(pod: Pod, name: string): string {
  const init = (pod.spec?.initContainers ?? []).some((c) => c.name === name);
  if (!init && (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === name)) return `spec.ephemeralContainers{${name}}`;
  return `spec.${init ? "initContainers" : "containers"}{${name}}`;
}

/** What the runtime manager needs from its kubelet. */
export interface RuntimeHost {
  ctx: ClusterContext;
  nodeName: string;
  runtime: RuntimeService;
  images: ImageManager;
  nodeAllocatable(): Record<string, string>;
  /** The node's IPs (`status.hostIP(s)` for the downward API). */
  hostIPs(): string[];
  /** The kubelet's ConfigMap/Secret manager. */
  objects?: ObjectManager;
  /** oom_score_adj for /proc/1/oom_score_adj (the QoS policy), or undefined while unknown. */
  oomScoreAdj(pod: Pod, container: Container): number | undefined;
  /** Runs argv in a container's filesystem with the image's shell. */
  shellProcess(argv: string[], io: ProcessIO, stdin?: string): ContainerProcess;
  /** The node kernel's AppArmor profiles (security/apparmor.ts); without it containers are not confined. */
  appArmor?: NodeAppArmor;
  /** The node's filesystem, where Localhost seccomp profiles are read; without it seccomp is not applied. */
  nodeFs?: Vfs;
}

/** Per-pod state the sync reads and updates. */
export interface PodSyncState {
  reasonCache: Map<string, WaitingReason>;
  volumes: Map<string, PodVolume>;
  /**
   * What the starts of this sync did, for the pod worker's back-off retries (issue #19): the
   * containers whose start stopped in crash-loop back-off, in order, and whether any start went
   * further (image, create, start, or a failure there). The pod worker clears both before a sync.
   */
  backOffs?: BackOffRecord[];
  startedPastBackOff?: boolean;
  /**
   * The events every start of a container records again (Pulled, Created, Started) with the
   * handles their records gave (issue #19, util/kept_events.ts); created at the first start.
   */
  keptEvents?: KeptEvents;
}

/** A start that stopped in back-off: what it recorded and what decided it. */
export interface BackOffRecord {
  container: Container;
  /** The BackOff event as recorded, and the Event it aggregates into. */
  event: RecordOptions;
  handle: EventHandle | undefined;
  /** The back-off entry and its fields when it was read (the decision holds while they are unchanged and until `expiry`). */
  key: string;
  entry: Readonly<{ backoff: number; lastUpdate: number }>;
  backoff: number;
  lastUpdate: number;
  /** The back-off's generation then (Backoff.generation). */
  generation: number;
}

export class KubeRuntimeManager {
  /** Crash-loop back-off, keyed `<name>_<namespace>_<uid>_<container>_<hash>`. */
  readonly backOff: Backoff;
  /** Pods and containers whose generic-process notice was recorded (`<podUID>/<container>`). */
  private readonly noticed = new Set<string>();
  /** Each stored container spec's last start (issue #19, kubelet22: `keptStart`); the fast engine's. */
  private readonly startMemos = new WeakMap<Container, StartMemo>();
  /** How many starts used a kept start (tests read it). */
  startMemoHits = 0;

  constructor(private readonly host: RuntimeHost) {
    this.backOff = new Backoff(() => host.ctx.clock.now());
  }

  private event(pod: Pod, name: string | undefined, type: "Normal" | "Warning", reason: string, message: string): void {
    this.host.ctx.events.record(pod, this.eventOptions(pod, name, type, reason, message));
  }

  private eventOptions(pod: Pod, name: string | undefined, type: "Normal" | "Warning", reason: string, message: string): RecordOptions {
    return {
      type,
      reason,
      message,
      ...(name ? { fieldPath: containerFieldPath(pod, name) } : {}),
      source: { component: "kubelet", host: this.host.nodeName },
    };
  }

  /** A Normal event of the kubelet about the container at `fieldPath` (what `event` records). */
  private keptOptions(fieldPath: string, reason: string, message: string): RecordOptions {
    return { type: "Normal", reason, message, fieldPath, source: { component: "kubelet", host: this.host.nodeName } };
  }

  backOffKey(pod: Pod, container: Container): string {
    // Asked on every sync of a waiting container: the key of a stored (frozen) container spec is kept.
    const cached = Object.isFrozen(container) ? backOffKeys.get(container) : undefined;
    if (cached && cached.pod === pod.metadata.uid && cached.name === pod.metadata.name && cached.namespace === pod.metadata.namespace) return cached.key;
    const key = `${pod.metadata.name}_${pod.metadata.namespace}_${pod.metadata.uid}_${container.name}_${hashString(specHash(container))}`;
    if (Object.isFrozen(container)) backOffKeys.set(container, { pod: pod.metadata.uid, name: pod.metadata.name, namespace: pod.metadata.namespace, key });
    return key;
  }

  /**
   * When the crash-loop back-off of a container that is waiting ends (finishedAt + delay), for the
   * pod worker to sync exactly then; undefined when not in back-off.
   */
  backOffExpiry(pod: Pod, container: Container, finishedAt: number): number | undefined {
    const key = this.backOffKey(pod, container);
    if (!this.backOff.isInBackOffSince(key, finishedAt)) return undefined;
    return finishedAt + this.backOff.get(key);
  }

  /** doBackOff: whether the container must wait; records BackOff and the CrashLoopBackOff reason. */
  private doBackOff(pod: Pod, container: Container, state: PodSyncState): boolean {
    const exited = this.host.runtime.instances(pod.metadata.uid!).find((c) => c.name === container.name && c.state === "exited");
    if (!exited) return false;
    const key = this.backOffKey(pod, container);
    const ts = exited.finishedAt!;
    if (this.backOff.isInBackOffSince(key, ts)) {
      const event = this.eventOptions(pod, container.name, "Warning", "BackOff", `Back-off restarting failed container ${container.name} in pod ${formatPod(pod)}`);
      // Through the handle kept for the container's BackOff (issue #19): a crash loop records the
      // same BackOff event at every restart (util/kept_events.ts; the reference engine records it in full).
      const handle = recordKept(this.host.ctx, this.host.ctx.reference ? undefined : (state.keptEvents ??= new Map()), pod, container.name, event);
      state.reasonCache.set(container.name, {
        reason: ErrCrashLoopBackOff,
        message: `back-off ${goDuration(this.backOff.get(key))} restarting failed container=${container.name} pod=${formatPod(pod)}`,
      });
      const entry = this.backOff.entry(key)!;
      (state.backOffs ??= []).push({ container, event, handle, key, entry, backoff: entry.backoff, lastUpdate: entry.lastUpdate, generation: this.backOff.generation });
      return true;
    }
    this.backOff.next(key, ts);
    return false;
  }

  /** Whether a start recorded in back-off would decide the same now (its entry unchanged; the caller checks the instant and the runtime). */
  backOffUnchanged(r: BackOffRecord): boolean {
    // No entry removed or replaced since: the recorded one is still the key's (no lookup needed).
    const e = this.backOff.generation === r.generation ? r.entry : this.backOff.entry(r.key);
    return e === r.entry && e.backoff === r.backoff && e.lastUpdate === r.lastUpdate;
  }

  /**
   * A start that stops in back-off again with everything it read unchanged (issue #19, the pod
   * worker's back-off retries): its one observable effect, the BackOff event repeat. The waiting
   * reason it would set is the one already in the reason cache (same reason and message).
   */
  repeatBackOff(pod: Pod, r: BackOffRecord): void {
    r.handle = this.host.ctx.events.repeat(pod, r.event, r.handle);
  }

  /**
   * SyncPod: carries out `actions`, calling `done(hadError)` when finished (image pulls and
   * container stops take simulated time).
   */
  syncPod(pod: Pod, actions: PodActions, state: PodSyncState, podIP: string, done: (hadError: boolean) => void): void {
    const uid = pod.metadata.uid!;
    const rt = this.host.runtime;
    if (actions.killPod) {
      this.killPod(pod, undefined, () => {
        if (actions.createSandbox) {
          rt.runPodSandbox(uid, podIP);
          this.startAll(pod, actions, state, podIP, done);
        } else done(false);
      });
      return;
    }
    if (!actions.containersToKill.length) return this.afterKills(pod, actions, state, podIP, done);
    let pending = actions.containersToKill.length;
    for (const k of actions.containersToKill) {
      this.killContainer(pod, k.instance, k.message, undefined, () => {
        if (--pending === 0) this.afterKills(pod, actions, state, podIP, done);
      });
    }
  }

  // The steps of a sync are methods, not named closures: under tsx (esbuild's keepNames) every named
  // closure made costs a defineProperty of its name, at every sync and start (issue #19).
  private afterKills(pod: Pod, actions: PodActions, state: PodSyncState, podIP: string, done: (hadError: boolean) => void): void {
    if (actions.createSandbox) this.host.runtime.runPodSandbox(pod.metadata.uid!, podIP);
    this.startAll(pod, actions, state, podIP, done);
  }

  private startAll(pod: Pod, actions: PodActions, state: PodSyncState, podIP: string, done: (hadError: boolean) => void): void {
    const queue: Array<{ c: Container; init: boolean }> = [];
    // Step 5 of SyncPod: ephemeral containers before init containers (they run even when an init container fails).
    for (const c of actions.ephemeralContainersToStart ?? []) queue.push({ c, init: false });
    for (const c of actions.initContainersToStart) queue.push({ c, init: true });
    for (const c of actions.containersToStart) queue.push({ c, init: false });
    this.startNext(pod, queue, 0, false, state, podIP, done);
  }

  /** Starts `queue[i]`, then the rest in order; `done(hadError)` after the last (or a regular init container that could not start). */
  private startNext(pod: Pod, queue: Array<{ c: Container; init: boolean }>, i: number, hadError: boolean, state: PodSyncState, podIP: string, done: (hadError: boolean) => void): void {
    const item = queue[i];
    if (!item) return done(hadError);
    this.start(pod, item.c, state, podIP, (ok) => {
      if (!ok) {
        // A regular init container that could not start stops this sync.
        if (item.init && !isRestartableInitContainer(item.c)) return done(true);
        return this.startNext(pod, queue, i + 1, true, state, podIP, done);
      }
      this.startNext(pod, queue, i + 1, hadError, state, podIP, done);
    });
  }

  /** The start closure of SyncPod: back-off, image, create, start. */
  private start(pod: Pod, container: Container, state: PodSyncState, podIP: string, done: (ok: boolean) => void): void {
    if (this.doBackOff(pod, container, state)) return done(false);
    state.startedPastBackOff = true;
    const fieldPath = containerFieldPath(pod, container.name);
    const kept = this.host.ctx.reference ? undefined : (state.keptEvents ??= new Map());
    this.host.images.ensureImageExists(pod, container, fieldPath, kept, (r) => {
      const uid = pod.metadata.uid!;
      if (!this.host.runtime.sandbox(uid)?.ready) return done(false); // the pod was stopped meanwhile
      if (!r.ok) {
        state.reasonCache.set(container.name, { reason: r.reason, message: r.message });
        this.event(pod, container.name, "Warning", "Failed", `Error: ${r.reason}`);
        return done(false);
      }
      const hostIPs = this.host.hostIPs();
      const nodeAllocatable = this.host.nodeAllocatable();
      // What this container's last start computed from the same inputs (issue #19, kubelet22): its
      // environment, subPaths, identity, process environment and argv are then the kept ones.
      let memo = this.host.ctx.reference ? undefined : this.keptStart(pod, container, r.image.behaviour, podIP, hostIPs, nodeAllocatable);
      let env: EnvResult;
      let subPaths: Array<string | undefined>;
      if (memo) {
        env = { ok: true, env: memo.env };
        subPaths = memo.subPaths;
      } else {
        env = makeEnvironmentVariables(this.host.ctx, pod, container, { podIPs: podIP ? [podIP] : [], hostIPs, nodeAllocatable, objects: this.host.objects });
        // makeMounts: each subPathExpr expanded from the environment (ExpandContainerVolumeMounts).
        subPaths = [];
        let configError = env.ok ? undefined : env.message;
        for (const m of env.ok ? (container.volumeMounts ?? []) : []) {
          const sp = m.subPathExpr ? expandSubPathExpr(String(m.subPathExpr), env.ok ? env.env : []) : m.subPath;
          if (sp instanceof Error) {
            configError = sp.message;
            break;
          }
          subPaths.push(sp || undefined);
        }
        configError ??= verifyRunAsNonRoot(pod, container, r.image.behaviour.user, formatPod(pod));
        if (!env.ok || configError !== undefined) {
          state.reasonCache.set(container.name, { reason: ErrCreateContainerConfig, message: configError! });
          this.event(pod, container.name, "Warning", "Failed", `Error: ${configError}`);
          return done(false);
        }
        if (!this.host.ctx.reference) memo = this.keepStart(pod, container, r.image.behaviour, podIP, hostIPs, nodeAllocatable, env.env, subPaths);
      }
      // containerd's CreateContainer: the AppArmor profile must be loaded (security/hooks.ts).
      const confinement = appArmorConfinement(this.host.appArmor, pod, container);
      const seccomp = typeof confinement === "string" ? confinement : seccompAtCreate(this.host.nodeFs, pod, container);
      if (typeof confinement === "string" || typeof seccomp === "string") {
        const message = typeof confinement === "string" ? confinement : (seccomp as string);
        state.reasonCache.set(container.name, { reason: ErrCreateContainer, message });
        this.event(pod, container.name, "Warning", "Failed", `Error: ${message}`);
        return done(false);
      }
      const latest = this.host.runtime.latest(uid, container.name);
      const before = this.host.runtime.previousAttempts.get(`${uid}/${container.name}`);
      const restartCount = latest ? latest.restartCount + 1 : before !== undefined ? before + 1 : 0;
      const inst = this.host.runtime.createContainer(uid, container, r.image.fullName, r.image.imageID, restartCount);
      const behaviour = r.image.behaviour;
      inst.behaviour = behaviour;
      const { fs: mounted, cred, root } = this.containerFs(pod, container, behaviour, state.volumes, inst, subPaths, podIP, memo);
      const fs = confinedFs(mounted, confinement);
      const net = clusterNetwork(this.host.ctx).forPod(pod);
      const hostname = sandboxHostname(pod);
      const rt = this.host.runtime;
      // containerd: PATH, HOSTNAME, the image config's ENV, then the kubelet's variables over them (oci.WithEnv).
      // runc's setupUser then sets HOME from the user's passwd entry when it is unset or empty.
      // Built at its first read (issue #19): see `ProcessEnvInputs`.
      const envInputs: ProcessEnvInputs = { hostname, imageEnv: Object.entries(behaviour.env ?? {}), envs: env.env, home: cred.home, built: undefined };
      const own: ContainerIOFields = {
        clock: this.host.ctx.clock,
        fs,
        envInputs,
        hostname,
        cwd: container.workingDir || behaviour.workingDir || undefined,
        container: { procs: { lastPid: 0, live: new Map() } },
        user: cred,
        stdout: containerStdout(rt, inst),
        // Method shorthand rather than arrows: no name defined on new functions at every start.
        stderr(t) {
          return rt.appendLog(inst, t);
        },
        resolve(name) {
          return net.resolve(name);
        },
        http(req, cb) {
          return net.http(req, cb);
        },
        echoes(ip) {
          return net.echoes(ip);
        },
        connect(host, port) {
          return net.connect(host, port);
        },
        cpu: inst.cpu,
        reference: this.host.ctx.reference,
        memoryChanged() {
          return rt.onMemoryInputs();
        },
      };
      // `env` comes from the prototype (CONTAINER_IO): an object literal with an accessor of its own
      // would be a slow (dictionary) object for every reader of the container's io.
      const io = Object.setPrototypeOf(own, CONTAINER_IO) as ProcessIO;
      // The reference engine, and a variable list that is not a kept (frozen) one, build it here, as
      // the literal did.
      if (this.host.ctx.reference || !Object.isFrozen(env.env)) void io.env;
      // `tty: true`: the container's standard streams are a terminal (programs that ask isatty format for one).
      if (container.tty) io.tty = true;
      // The runtime gets command and args with their `$(VAR)` references expanded (generateContainerConfig).
      let launched: Container;
      let argv: string[];
      if (memo?.argv) {
        launched = container;
        argv = memo.argv;
      } else {
        const expanded = expandContainerCommandAndArgs(container, env.env);
        const changed = (["command", "args"] as const).some((k) => expanded[k] && expanded[k]!.some((v, i) => v !== container[k]![i]));
        launched = changed ? { ...container, ...expanded } : container;
        argv = behaviour.argv?.(launched) ?? [...(launched.command ?? []), ...(launched.args ?? [])];
        // Kept only when nothing was expanded: the process then gets the container object itself.
        if (memo && !changed) {
          memo.argv = argv;
          memo.pid1 = pid1Argv(argv);
        }
      }
      // An ephemeral container with targetContainerName joins the target's PID namespace (the CRI's
      // NamespaceMode TARGET): its processes take the namespace's next PIDs, and `ps` lists the target's.
      const target = (container as EphemeralContainer).targetContainerName;
      const targetSpace = target ? this.host.runtime.latest(uid, target)?.io?.container : undefined;
      let ownPid = 1;
      if (targetSpace?.procs) {
        io.container = { procs: targetSpace.procs };
        ownPid = ++targetSpace.procs.lastPid;
        targetSpace.procs.live.set(ownPid, { argv: pid1Argv(argv), uid: cred.uid });
        const shared = targetSpace.procs;
        inst.onExited.push(() => shared.live.delete(ownPid));
      } else {
        // PID 1 of the container's PID namespace; the first exec takes PID 7.
        const procs = io.container!.procs!;
        procs.live.set(1, { argv: memo?.pid1 ?? pid1Argv(argv), uid: cred.uid });
        procs.lastPid = 6;
      }
      let proc: ContainerProcess;
      try {
        // A container with `stdin: true` running an interactive shell waits for a client to attach
        // (kubectl debug -it, kubectl run -it): the shell starts with what the client sends.
        // Any other process of such a container has its standard input open and empty until a
        // client attaches (`kubectl run -i … <<EOF`): a program that reads it waits for it.
        if (container.stdin && !isInteractiveShell(argv)) inst.stdinPipe = new Pipe();
        // The seccomp filter: runc's own init may be refused (thrown: StartError), or the process (security/hooks.ts).
        const filtered = seccompAtStart(seccomp, container, inst.id.replace(/^containerd:\/\//, ""));
        if (filtered?.kind === "runs" && !filtered.checkedImage) this.seccompNotice(pod, container, seccomp!);
        proc = filtered?.kind === "exits"
          ? new ExitAtOnce(this.host.ctx.clock, filtered.exitCode)
          : container.stdin && isInteractiveShell(argv)
          ? new AwaitingAttach((stdin) => r.image.behaviour.launch({ pod, container: launched, io, stdin }), this.host.ctx.clock)
          : r.image.behaviour.launch({ pod, container: launched, io, ...(inst.stdinPipe ? { stdinPipe: inst.stdinPipe } : {}) });
      } catch (e) {
        // startContainer's step 3 (kuberuntime_container.go): the runtime's StartContainer failed
        // after CreateContainer succeeded (its Created event is recorded); the container is left
        // exited (StartError, 128) and the next syncs back off from it as from any other exit.
        const msg = (e as Error).message;
        recordKept(this.host.ctx, kept, pod, container.name, this.keptOptions(fieldPath, "Created", `Created container: ${container.name}`));
        this.host.runtime.startFailed(inst, msg);
        state.reasonCache.set(container.name, { reason: "RunContainerError", message: msg });
        this.event(pod, container.name, "Warning", "Failed", `Error: ${msg}`);
        return done(false);
      }
      // /proc/1/status: who PID 1 is (its command and identity).
      const pid1 = io.container?.procs?.live.get(1);
      root.mkdir("/proc/1", { recursive: true });
      // The kept text is PID 1's own (this container's, no target's: `memo.pid1`) with the kept identity.
      const pid1Text = memo?.procStatus !== undefined && pid1?.argv === memo.pid1 && cred === memo.cred ? memo.procStatus : procStatus(basename(pid1?.argv[0] ?? "sh"), 1, 0, cred);
      if (memo && memo.pid1 !== undefined && pid1?.argv === memo.pid1 && cred === memo.cred) memo.procStatus = pid1Text;
      root.writeFile("/proc/1/status", pid1Text);
      writeAttrCurrent(root, confinement);
      recordKept(this.host.ctx, kept, pod, container.name, this.keptOptions(fieldPath, "Created", `Created container: ${container.name}`));
      this.host.runtime.startContainer(inst, proc, io, fs);
      if (proc.app && inst.state === "running") clusterNetwork(this.host.ctx).attach(pod, container.name, podIP, proc.app, inst.cpu);
      recordKept(this.host.ctx, kept, pod, container.name, this.keptOptions(fieldPath, "Started", `Started container ${container.name}`));
      this.noticeOnce(pod, container, behaviour);
      if (pod.spec?.shareProcessNamespace) this.noticeSharedPidsOnce(pod);
      state.reasonCache.delete(container.name);
      const postStart = container.lifecycle?.postStart;
      if (!postStart?.exec?.command || inst.state !== "running") return done(true);
      // The postStart hook runs before the sync goes on; a failure kills the container.
      const cmd: string[] = postStart.exec.command;
      let output = "";
      const p = this.exec(inst, cmd, (t) => (output += t));
      if (p instanceof Error) return done(true);
      p.start((code) => {
        if (code === 0 || inst.state !== "running") return done(true);
        this.event(pod, container.name, "Warning", "FailedPostStartHook", "PostStartHook failed");
        state.reasonCache.set(container.name, {
          reason: "PostStartHookError",
          message: `Exec lifecycle hook ([${cmd.join(" ")}]) for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(formatPod(pod))} failed - error: command '${cmd.join(" ")}' exited with ${code}: ${output}, message: ${JSON.stringify(output)}`,
        });
        this.killContainer(pod, inst, "FailedPostStartHook", undefined, () => done(false));
      });
    });
  }

  /**
   * The kept start of a container whose inputs are the ones it was computed from (issue #19,
   * kubelet22), else undefined. A crash loop starts the same container of the same pod again and
   * again: its environment (the spec, the namespace's Services, envFrom's and valueFrom's ConfigMaps
   * and Secrets, the downward API's fields), its subPaths, the runAsNonRoot check, its identity (the
   * image's /etc/passwd and /etc/group) and argv are each a function of inputs compared here by
   * identity or value: the stored container and pod spec (frozen: a change is a new object), the
   * pod's uid (its name and namespace cannot change), the image's behaviour, the sandbox's IP, the
   * node's IPs and allocatable, and the store's last change of Services, ConfigMaps and Secrets.
   */
  private keptStart(pod: Pod, container: Container, behaviour: StartMemo["behaviour"], podIP: string, hostIPs: string[], allocatable: object): StartMemo | undefined {
    const m = this.startMemos.get(container);
    if (m === undefined) return undefined;
    const api = this.host.ctx.api;
    if (m.uid !== pod.metadata.uid || m.spec !== pod.spec || m.behaviour !== behaviour || m.behaviourEnv !== behaviour.env || m.behaviourArgv !== behaviour.argv || m.user !== behaviour.user) return undefined;
    if (m.podIP !== podIP || m.allocatable !== allocatable || !sameStrings(m.hostIPs, hostIPs)) return undefined;
    if (m.services !== api.lastChangeOf("Service") || m.configMaps !== api.lastChangeOf("ConfigMap") || m.secrets !== api.lastChangeOf("Secret")) return undefined;
    this.startMemoHits++;
    return m;
  }

  /** Keeps what a start computed (see `keptStart`) when every input it read is one `keptStart` compares. */
  private keepStart(
    pod: Pod,
    container: Container,
    behaviour: StartMemo["behaviour"],
    podIP: string,
    hostIPs: string[],
    allocatable: object,
    env: EnvVar[],
    subPaths: Array<string | undefined>,
  ): StartMemo | undefined {
    if (!Object.isFrozen(container) || !pod.spec || !Object.isFrozen(pod.spec) || !memoableEnv(container)) {
      this.startMemos.delete(container);
      return undefined;
    }
    const api = this.host.ctx.api;
    const m: StartMemo = {
      uid: pod.metadata.uid,
      spec: pod.spec,
      behaviour,
      behaviourEnv: behaviour.env,
      behaviourArgv: behaviour.argv,
      user: behaviour.user,
      podIP,
      hostIPs,
      allocatable,
      services: api.lastChangeOf("Service"),
      configMaps: api.lastChangeOf("ConfigMap"),
      secrets: api.lastChangeOf("Secret"),
      env,
      subPaths,
    };
    this.startMemos.set(container, m);
    return m;
  }

  /** kube-scenario's own note about how a container runs (the generic process), once per pod and container. */
  private noticeOnce(pod: Pod, container: Container, behaviour: { notice?(container: Container): string | undefined }): void {
    if (!behaviour.notice) return;
    const key = `${pod.metadata.uid}/${container.name}`;
    if (this.noticed.has(key)) return;
    const message = behaviour.notice(container);
    if (!message) return;
    this.noticed.add(key);
    this.host.ctx.events.record(pod, {
      type: "Normal",
      reason: GENERIC_IMAGE_REASON,
      message,
      fieldPath: containerFieldPath(pod, container.name),
      source: { component: GENERIC_IMAGE_SOURCE, host: this.host.nodeName },
    });
  }

  /** kube-scenario's note that a seccomp profile was checked against runc's syscalls only, once per pod and container. */
  private seccompNotice(pod: Pod, container: Container, profile: SeccompProfile): void {
    const key = `${pod.metadata.uid}/${container.name}/seccomp`;
    if (this.noticed.has(key)) return;
    this.noticed.add(key);
    this.host.ctx.events.record(pod, {
      type: "Normal",
      reason: SECCOMP_NOT_CHECKED_REASON,
      message: seccompNotCheckedMessage(profile, container),
      fieldPath: containerFieldPath(pod, container.name),
      source: { component: GENERIC_IMAGE_SOURCE, host: this.host.nodeName },
    });
  }

  /**
   * kube-scenario's note that `shareProcessNamespace: true` is not simulated (docs/divergences.md):
   * each container keeps its own PID namespace, so `ps`, `kill` and `/proc/<pid>/root` in one
   * container do not see the others' processes. Once per pod, rather than a silent difference.
   */
  private noticeSharedPidsOnce(pod: Pod): void {
    const key = `${pod.metadata.uid}/shareProcessNamespace`;
    if (this.noticed.has(key)) return;
    this.noticed.add(key);
    this.host.ctx.events.record(pod, {
      type: "Warning",
      reason: SHARED_PIDS_REASON,
      message: "shareProcessNamespace is not simulated: each container has its own PID namespace (ps, kill and /proc/<pid>/root see only the container's own processes)",
      source: { component: GENERIC_IMAGE_SOURCE, host: this.host.nodeName },
    });
  }

  /** The container's filesystem: a fresh image root plus its volume mounts. */
  private containerFs(
    pod: Pod,
    container: Container,
    image: { files?: Record<string, string>; owners?: Record<string, { uid: number; gid: number }>; user?: string },
    volumes: Map<string, PodVolume>,
    inst: ContainerInstance,
    subPaths: Array<string | undefined>,
    podIP: string,
    memo?: StartMemo,
  ): { fs: Vfs; cred: ProcessCred; root: MemFs } {
    const imageFiles = image.files;
    const podFiles = this.host.ctx.reference ? podEtcFiles(pod, podIP) : keptPodEtcFiles(pod, podIP);
    const adj = this.host.oomScoreAdj(pod, container);
    const clock = this.host.ctx.clock;
    let root: MemFs;
    const base = this.host.ctx.reference ? undefined : imageRoot(imageFiles);
    if (base) {
      // The image's part built once (issue #19): copied now, then the pod's files where the image has none.
      root = MemFs.copyOf(base, clock);
      for (const path in podFiles) if (!imageFiles || !Object.hasOwn(imageFiles, path)) root.writeFile(path, podFiles[path]!);
      if (adj !== undefined) {
        root.mkdir("/proc/1", { recursive: true });
        root.writeFile("/proc/1/oom_score_adj", `${adj}\n`);
      }
    } else {
      const files: Record<string, string> = { ...podFiles, ...(imageFiles ?? {}) };
      if (adj !== undefined) files["/proc/1/oom_score_adj"] = `${adj}\n`;
      root = new MemFs(clock, files);
      imageSkeleton(root);
    }
    if (image.owners) ownImageTrees(root, image.owners);
    const mounts: Mount[] = [];
    (container.volumeMounts ?? []).forEach((m, i) => {
      const v = volumes.get(m.name);
      if (!v) return;
      let subPath = v.subPath;
      let fs = v.fs;
      const sub = subPaths[i];
      if (sub) {
        subPath = `${v.subPath}/${sub}`;
        if (v.projection) {
          // A subPath of a configMap/secret/downwardAPI/projected volume is bound as it is now and never updated.
          if (v.fs.stat(subPath)) ({ fs, subPath } = snapshotSubtree(v.fs, subPath, this.host.ctx.clock));
        } else if (!v.fs.stat(subPath)) v.fs.mkdir(subPath, { recursive: true });
      }
      mounts.push({ path: m.mountPath, fs, subPath, readOnly: !!m.readOnly || v.readOnly });
    });
    // makeMounts: an empty file of the kubelet's, bind-mounted at terminationMessagePath and read after the exit.
    const tmp: string | undefined = container.terminationMessagePath;
    if (tmp) {
      inst.terminationLog = new MemFs(this.host.ctx.clock, { [TERMINATION_LOG_FILE]: "" });
      mounts.push({ path: tmp, fs: inst.terminationLog, subPath: TERMINATION_LOG_FILE });
    }
    // The identity reads the image's /etc/passwd and /etc/group only (the pod's files are others):
    // kept with the image tree it was read from (`imageRoot` gives the same tree while the files are the same).
    let cred: ProcessCred;
    if (memo && base && memo.cred && memo.base === base) cred = memo.cred;
    else {
      cred = containerCred(pod, container, image.user, root);
      if (memo && base) {
        memo.base = base;
        memo.cred = freezeCred(cred);
        memo.procStatus = undefined;
      }
    }
    // readOnlyRootFilesystem: the image's root (and the files the runtime puts in it) is read-only; volumes are as mounted.
    return { fs: new MountedFs(root, mounts, !!container.securityContext?.readOnlyRootFilesystem, cred), cred, root };
  }

  /**
   * killContainer: `Killing` event, the preStop hook (within the grace period), then, in a pod with
   * sidecars, the wait for its turn (termination_order.ts: what it waited comes off the grace
   * period), SIGTERM, SIGKILL after what is left of the grace period (never under 2 s).
   */
  killContainer(pod: Pod, inst: ContainerInstance, message: string | undefined, graceOverrideS: number | undefined, done: () => void, ordering?: TerminationOrdering): void {
    if (inst.state !== "running") {
      this.host.runtime.stopContainer(inst, 0, done);
      return;
    }
    let grace = graceOverrideS ?? pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const probeGrace = /failed (liveness|startup) probe/.test(message ?? "")
      ? inst.spec?.[/liveness/.test(message!) ? "livenessProbe" : "startupProbe"]?.terminationGracePeriodSeconds
      : undefined;
    if (probeGrace !== undefined && graceOverrideS === undefined) grace = probeGrace;
    this.event(pod, inst.name, "Normal", "Killing", message ?? `Stopping container ${inst.name}`);
    const clock = this.host.ctx.clock;
    const startedAt = clock.now();
    const exited = ordering
      ? () => {
          ordering.containerTerminated(inst.name);
          done();
        }
      : done;
    const hook = inst.spec?.lifecycle?.preStop;
    if (!hook || grace <= 0) return this.stopKilled(inst, grace, startedAt, exited, ordering);
    this.runPreStopHook(pod, inst, hook, grace * 1000, () => this.stopKilled(inst, grace, startedAt, exited, ordering));
  }

  /**
   * killContainer's stop after the preStop hook (a method, not a named closure: see afterKills):
   * SIGTERM, SIGKILL after what is left of the grace period (never under 2 s); in a pod with
   * sidecars, after the wait for its turn.
   */
  private stopKilled(inst: ContainerInstance, grace: number, startedAt: number, exited: () => void, ordering: TerminationOrdering | undefined): void {
    const clock = this.host.ctx.clock;
    const left = grace - (clock.now() - startedAt) / 1000;
    if (!ordering || left <= 0) return this.host.runtime.stopContainer(inst, Math.max(MINIMUM_GRACE_PERIOD_S, left) * 1000, exited);
    // Its turn: the whole seconds waited come off what is left.
    ordering.waitForTurn(inst.name, left, clock, (waitedS) => {
      this.host.runtime.stopContainer(inst, Math.max(MINIMUM_GRACE_PERIOD_S, left - Math.trunc(waitedS)) * 1000, exited);
    });
  }

  private runPreStopHook(pod: Pod, inst: ContainerInstance, hook: LifecycleHandler, limitMs: number, done: () => void): void {
    const clock = this.host.ctx.clock;
    let finished = false;
    const finish = (failed?: string) => {
      if (finished) return;
      finished = true;
      clock.clear(timer);
      if (failed !== undefined) this.event(pod, inst.name, "Warning", "FailedPreStopHook", `PreStopHook failed`);
      done();
    };
    const timer = clock.setTimeout(() => finish(), limitMs);
    if (hook.exec?.command) {
      const p = this.exec(inst, hook.exec.command, () => {});
      if (p instanceof Error) return finish(p.message);
      p.start((code) => finish(code === 0 ? undefined : `exit ${code}`));
    } else if (hook.sleep) {
      clock.clear(timer);
      const t = clock.setTimeout(() => finish(), Math.min(limitMs, (hook.sleep.seconds ?? 0) * 1000));
      void t;
    } else if (hook.httpGet) {
      const h = hook.httpGet;
      const port = typeof h.port === "number" ? h.port : (inst.spec.ports ?? []).find((p) => p.name === h.port)?.containerPort ?? h.port;
      const host = h.host ?? this.host.runtime.sandbox(inst.podUid)?.ip ?? "";
      inst.io!.http({ method: "GET", url: `${(h.scheme ?? "HTTP").toLowerCase()}://${host}:${port}${h.path ?? "/"}`, timeoutMs: limitMs }, (o) =>
        finish(o.ok && o.status < 400 ? undefined : "http"),
      );
    } else finish();
  }

  /** Runs argv in a running container (exec probes, kubectl exec, hooks): the image's shell on its filesystem. */
  exec(inst: ContainerInstance, argv: string[], output: (text: string) => void, streams?: ExecStreams): ContainerProcess | Error {
    if (inst.state !== "running" || !inst.io) return new Error(`container not running (${inst.id.replace(/^containerd:\/\//, "")})`);
    const io: ProcessIO = { ...inst.io, env: inst.io.env, stdout: output, stderr: streams?.stderr ?? output, ...(streams?.tty ? { tty: true } : {}) };
    return inst.behaviour?.exec?.(argv, io, streams?.stdin) ?? this.host.shellProcess(argv, io, streams?.stdin);
  }

  /**
   * killPod (killContainersWithSyncResult): stops every running container at once and then the
   * sandbox; `done` once all have exited. In a pod with sidecars, a sidecar's SIGTERM waits until
   * the main containers and the sidecars after it have exited (termination_order.ts).
   */
  killPod(pod: Pod, graceOverrideS: number | undefined, done: () => void): void {
    const uid = pod.metadata.uid!;
    const rt = this.host.runtime;
    const live = rt.instances(uid).filter((c) => c.state === "running");
    // The kills start together; their events in a fixed order: the other containers, then the sidecars in reverse order.
    const sidecarNames = (pod.spec?.initContainers ?? []).filter(isRestartableInitContainer).map((c) => c.name);
    const sidecars = sidecarNames
      .slice()
      .reverse()
      .map((n: string) => live.find((c) => c.name === n))
      .filter(Boolean) as ContainerInstance[];
    const running = [...live.filter((c) => !sidecarNames.includes(c.name)), ...sidecars];
    const ordering = sidecarNames.length
      ? new TerminationOrdering(
          pod,
          running.map((c) => c.name),
        )
      : undefined;
    if (!running.length) return this.podKilled(rt, uid, done);
    let pending = running.length;
    for (const c of running) this.killContainer(pod, c, undefined, graceOverrideS, () => --pending === 0 && this.podKilled(rt, uid, done), ordering);
  }

  /** killPod's end, once every container stopped: the sandbox stops and the pod leaves the network (a method: see afterKills). */
  private podKilled(rt: RuntimeHost["runtime"], uid: string, done: () => void): void {
    rt.stopPodSandbox(uid);
    clusterNetwork(this.host.ctx).detach(uid);
    done();
  }
}

/** The image's directories and their owners (its Dockerfile's `mkdir -p` and `chown -R`): made, then owned with all under them. */
function ownImageTrees(root: MemFs, owners: Record<string, { uid: number; gid: number }>): void {
  const own = (path: string, o: { uid: number; gid: number }): void => {
    root.chown(path, o.uid, o.gid);
    if (root.stat(path)?.type === "dir") for (const name of root.readdir(path)) own(`${path}/${name}`, o);
  };
  for (const [path, o] of Object.entries(owners)) {
    if (!root.stat(path)) root.mkdir(path, { recursive: true });
    own(path, o);
  }
}

/** The directories every container's root has: /tmp world-writable and sticky, /root root's alone. */
function imageSkeleton(root: MemFs): void {
  for (const d of ["/tmp", "/bin", "/usr/bin", "/var", "/root", "/home"]) root.mkdir(d, { recursive: true });
  root.chmod("/tmp", 0o1777);
  root.chmod("/root", 0o700);
}

/**
 * The part of a container's root that only depends on its image (issue #19): the image's files and
 * the skeleton, with the pod's three files of /etc as empty placeholders where the full build
 * creates them (so the image's own, when it has them, win as they do there). Built once per image
 * files object and kept with the entries it was built from; a files object whose entries are no
 * longer those is built again. `MemFs.copyOf` then gives each start the tree at its instant.
 */
function imageRoot(files: Record<string, string> | undefined): MemFs | undefined {
  const key = files ?? NO_IMAGE_FILES;
  const kept = imageRoots.get(key);
  if (kept && sameEntries(key, kept.entries)) return kept.fs;
  const entries = Object.entries(key);
  let fs: MemFs;
  try {
    fs = new MemFs(undefined, { "/etc/hostname": "", "/etc/hosts": "", "/etc/resolv.conf": "", ...key });
    imageSkeleton(fs);
  } catch {
    // Image files that clash with the skeleton: the full build meets (and reports) it.
    return undefined;
  }
  imageRoots.set(key, { entries, fs });
  return fs;
}

function sameEntries(files: Record<string, string>, entries: Array<[string, string]>): boolean {
  let n = 0;
  for (const k in files) {
    const e = entries[n++];
    if (e === undefined || e[0] !== k || e[1] !== files[k]) return false;
  }
  return n === entries.length;
}

const NO_IMAGE_FILES: Record<string, string> = Object.freeze({}) as Record<string, string>;
const imageRoots = new WeakMap<object, { entries: Array<[string, string]>; fs: MemFs }>();

/**
 * What a container's process environment (`ProcessIO.env`) is built from, and the environment once
 * built (issue #19). `ociProcessEnv` and `withHome` are pure: the object they make is a function of
 * the hostname, the image config's ENV pairs (copied here at the start), the kubelet's variable list
 * and the user's home directory. On the fast engine, when that list is a kept one (frozen, its pairs
 * frozen: `serviceEnvList`'s), every input is fixed at the start, so the object built at the first
 * read of `io.env` has the same keys, values and order as the one the start would have built; until
 * then nothing reads it (an exec's io copies it, so builds it). An application model
 * (kubetm/app) never reads its environment: ~350 variables with 50 Services, an object per
 * container start that nobody looked at. Assigning `io.env` replaces it, as it replaced the data
 * property. The reference engine builds it at the start.
 */
interface ProcessEnvInputs {
  readonly hostname: string;
  readonly imageEnv: ReadonlyArray<readonly [string, string]>;
  readonly envs: ReadonlyArray<readonly [string, string]>;
  readonly home: string | undefined;
  built: Record<string, string> | undefined;
}

/** A container process's own io fields: ProcessIO's but `env`, which its prototype makes from `envInputs`. */
type ContainerIOFields = Omit<ProcessIO, "env"> & { envInputs: ProcessEnvInputs };

/**
 * The prototype of a container process's io (`ContainerIOFields`): `env` built at its first read
 * and kept; an assignment replaces it. Not an own property: a spread copy (`{ ...io }`) must name
 * `env: io.env` itself (the exec's io does).
 */
const CONTAINER_IO = {
  get env(): Record<string, string> {
    const i = (this as unknown as ContainerIOFields).envInputs;
    return (i.built ??= withHome(ociProcessEnv(i.hostname, i.imageEnv, i.envs), i.home));
  },
  set env(v: Record<string, string>) {
    (this as unknown as ContainerIOFields).envInputs.built = v;
  },
};

/** What a container's start computed from inputs a crash loop does not change, and those inputs (`keptStart`). */
interface StartMemo {
  uid: string | undefined;
  spec: object;
  behaviour: { env?: Record<string, string>; argv?: unknown; user?: string };
  behaviourEnv: unknown;
  behaviourArgv: unknown;
  user: string | undefined;
  podIP: string;
  hostIPs: string[];
  allocatable: object;
  services: number;
  configMaps: number;
  secrets: number;
  env: EnvVar[];
  subPaths: Array<string | undefined>;
  /** The image tree the identity was read from, and the identity (frozen). */
  base?: MemFs;
  cred?: ProcessCred;
  /** argv when nothing in command and args was expanded, and PID 1's argv from it. */
  argv?: string[];
  pid1?: string[];
  /** /proc/1/status of PID 1 `pid1` with identity `cred`. */
  procStatus?: string;
}

/** The downward API fields a start may keep: those of the spec, the pod's immutable names, and the IPs `keptStart` compares. */
const KEPT_FIELD_PATHS = new Set(["spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs", "metadata.name", "metadata.namespace", "metadata.uid"]);

/** Whether every input of the container's environment is one `keptStart` compares (no labels or annotations by fieldRef). */
function memoableEnv(container: Container): boolean {
  for (const e of container.env ?? []) {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    if (path !== undefined && !KEPT_FIELD_PATHS.has(path)) return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A kept identity, frozen with its lists (shared by the starts that use it: nothing may change it). */
function freezeCred(cred: ProcessCred): ProcessCred {
  Object.freeze(cred.groups);
  if (cred.caps) Object.freeze(cred.caps);
  return Object.freeze(cred);
}

const backOffKeys = new WeakMap<object, { pod?: string; name?: string; namespace?: string; key: string }>();

function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

/** A shell that reads its commands from standard input: `sh`, `/bin/bash`, `bash -i`, `sh -l` (no `-c`, no script). */
export function isInteractiveShell(argv: string[]): boolean {
  return isShell(argv) && argv.slice(1).every((a) => /^-[il]+$/.test(a));
}

/**
 * The main process of a container whose interactive shell waits for a client to attach (its
 * stdin open, nothing typed yet): it runs (as a shell blocked on its terminal) until `attach`
 * gives it its input, then the shell reads that input and the container ends when the shell does.
 */
export class AwaitingAttach implements ContainerProcess {
  private onExit: ((code: number) => void) | undefined;
  private real: ContainerProcess | undefined;
  private ended = false;

  constructor(
    private readonly launch: (stdin: string) => ContainerProcess,
    private readonly clock: { setTimeout(fn: () => void, ms: number): unknown },
  ) {}

  start(onExit: (code: number) => void): void {
    this.onExit = onExit;
  }

  /** Whether the shell still waits for its input (nothing attached yet). */
  get waiting(): boolean {
    return !this.real && !this.ended && !!this.onExit;
  }

  /** Gives the shell its input; false when it no longer waits for one. */
  attach(stdin: string): boolean {
    if (!this.waiting) return false;
    this.real = this.launch(stdin);
    this.real.start((code) => this.exit(code));
    return true;
  }

  kill(signal: Parameters<ContainerProcess["kill"]>[0]): void {
    if (this.real) return this.real.kill(signal);
    // A shell waiting on its terminal: PID 1 ignores SIGTERM (no handler), SIGKILL ends it.
    if (signal === "SIGKILL") this.exit(137);
  }

  private exit(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.onExit?.(code);
  }
}

/** The pod's own files of /etc: its hostname, hosts file and resolv.conf. */
function podEtcFiles(pod: Pod, podIP: string): Readonly<Record<string, string>> {
  const { hostname, domain } = podHostnameAndDomain(pod);
  return {
    "/etc/hostname": `${sandboxHostname(pod)}\n`,
    // A pod on the host network sees the node's own hosts file.
    "/etc/hosts": pod.spec?.hostNetwork
      ? "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
      : managedHostsFileContent(podIP ? [podIP] : [], hostname, domain, pod.spec?.hostAliases),
    "/etc/resolv.conf": resolvConfText(pod),
  };
}

/**
 * `podEtcFiles` kept per stored pod spec (issue #19: every start of a crash loop writes them): they
 * are a function of the spec, the pod's name and namespace (the hostname, the search domains) and
 * its IP alone, so the texts of a frozen spec are given again while those are the same.
 */
const etcFiles = new WeakMap<object, { name: string | undefined; namespace: string | undefined; podIP: string; files: Readonly<Record<string, string>> }>();
function keptPodEtcFiles(pod: Pod, podIP: string): Readonly<Record<string, string>> {
  const spec = pod.spec;
  if (!spec || !Object.isFrozen(spec)) return podEtcFiles(pod, podIP);
  const { name, namespace } = pod.metadata;
  const k = etcFiles.get(spec);
  if (k !== undefined && k.name === name && k.namespace === namespace && k.podIP === podIP) return k.files;
  const files = podEtcFiles(pod, podIP);
  etcFiles.set(spec, { name, namespace, podIP, files });
  return files;
}
