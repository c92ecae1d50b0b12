/**
 * From runtime state to the pod's API status, as pkg/kubelet/kubelet_pods.go does it (and, from
 * the same file, the pod's hostname and domain and its managed /etc/hosts):
 * getPhase, convertToAPIContainerStatuses (default waiting reasons, the two newest instances as
 * state / lastState, reasons from the reason cache for containers waiting to be restarted) and
 * generateAPIPodStatus (phase, sticky terminal phases, IPs, startTime, conditions).
 */
import { toRFC3339 } from "../sim/clock.ts";
import { clone, jsonEqual } from "../api/types.ts";
import { podStatusOf } from "../api/store.ts";
import type { Container, ContainerStateWaiting, ContainerStatus, Pod, PodSpec, PodStatus, VolumeMountStatus } from "../api/types.gen.ts";
import { findContainerStatusByName, shouldContainerBeRestarted, type RuntimeContainerStatus, type RuntimePodStatus } from "./container/runtime.ts";
import {
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  generatePodReadyToStartContainersCondition,
  hasAnyRegularContainerStarted,
  isRestartableInitContainer,
  type PodCondition,
} from "./status/generate.ts";

export const ContainerCreating = "ContainerCreating";
export const PodInitializing = "PodInitializing";

/** Why a container is waiting to be (re)started, from the last sync (kubelet reason cache). */
export interface WaitingReason {
  reason: string;
  message: string;
}

/** A container status before applyProbeResults sets its `started` and `ready`. */
export type UnprobedContainerStatus = Omit<ContainerStatus, "ready"> & { ready?: boolean };

/** What the prober says about a container (seam filled by src/kubelet/prober). */
export interface ProbeResults {
  /** prober_manager.UpdatePodStatus: sets `started`/`ready` of the container statuses (after the defaults). */
  updatePodStatus?(pod: Pod, status: PodStatus): void;
  /** startup probe result for a running container: true = passed; undefined = no startup probe. */
  started?(podUid: string, containerName: string, containerId: string): boolean | undefined;
  /** readiness result for a running, started container; undefined = no readiness probe. */
  ready?(podUid: string, containerName: string, containerId: string): boolean | undefined;
}

/** getPhase: the pod phase from its spec and all container statuses (init + regular). */
export function getPhase(pod: Pod, statuses: ContainerStatus[], podIsTerminal: boolean): string {
  const spec: PodSpec = pod.spec ?? { containers: [] };
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (isRestartableInitContainer(c)) {
      continue; // counted below, with the regular containers' rules
    }
    if (!s) {
      pendingInitialization++;
      continue;
    }
    if (s.state?.running) pendingInitialization++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else pendingInitialization++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isRestartableInitContainer(c)) continue;
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) {
      if (!s.started) pendingInitialization++;
      running++;
    } else if (s.state?.terminated) {
      // a terminated sidecar is ignored
    } else if (s.state?.waiting) {
      if (!s.lastState?.terminated) {
        pendingInitialization++;
        waiting++;
      }
    } else unknown++;
  }
  for (const c of spec.containers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = spec.restartPolicy ?? "Always";
  if (failedInitialization > 0 && policy === "Never") return "Failed";
  if ((pendingInitialization > 0 && !hasAnyRegularContainerStarted(spec, statuses)) || waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

/**
 * A container status's times as RFC 3339 text. A status holds several instants (now, each
 * container's start and finish) and is generated again at every change, so the texts of recent
 * seconds are kept (toRFC3339 keeps one); at most 4,096, all dropped when full (a node's statuses
 * hold the start and finish seconds of every container of the last minutes: more than 256 in a
 * crash-looping crowd, which emptied a smaller cache every few seconds).
 */
const timeTexts = new Map<number, string>();
function ms(t: number | undefined): string {
  if (t === undefined) return "";
  const second = Math.floor(t / 1000);
  let text = timeTexts.get(second);
  if (text === undefined) {
    if (timeTexts.size >= 4096) timeTexts.clear();
    timeTexts.set(second, (text = toRFC3339(t)));
  }
  return text;
}

function convertContainerStatus(cs: RuntimeContainerStatus): UnprobedContainerStatus {
  const out: UnprobedContainerStatus = { containerID: cs.id, image: cs.image, imageID: cs.imageRef, name: cs.name, restartCount: cs.restartCount };
  switch (cs.state) {
    case "running":
      out.state = { running: { startedAt: ms(cs.startedAt) } };
      break;
    case "exited":
      out.state = {
        terminated: {
          containerID: cs.id,
          exitCode: cs.exitCode ?? 0,
          finishedAt: ms(cs.finishedAt),
          ...(cs.message ? { message: cs.message } : {}),
          ...(cs.reason ? { reason: cs.reason } : {}),
          startedAt: ms(cs.startedAt),
        },
      };
      break;
    default:
      out.state = { waiting: {} };
  }
  return out;
}

/**
 * The volume mounts a container status lists (RecursiveReadOnlyMounts, beta and on since v1.31):
 * read-only mounts carry `recursiveReadOnly: Disabled` unless the spec asked for it.
 */
export function volumeMountStatuses(container: Container | undefined): VolumeMountStatus[] | undefined {
  const mounts = container?.volumeMounts ?? [];
  if (!mounts.length) return undefined;
  return mounts.map((m) => ({
    mountPath: m.mountPath,
    name: m.name,
    ...(m.readOnly ? { readOnly: true, recursiveReadOnly: m.recursiveReadOnly === "Enabled" ? "Enabled" : "Disabled" } : {}),
  }));
}

const keptMountStatuses = new WeakMap<Container, readonly VolumeMountStatus[] | undefined>();

/**
 * volumeMountStatuses of a stored (frozen) container, made once and frozen (issue #19: asked for
 * every container at every status generation; a pure function of the container's volumeMounts).
 */
function mountStatusesOf(container: Container): VolumeMountStatus[] | undefined {
  if (!Object.isFrozen(container)) return volumeMountStatuses(container);
  if (keptMountStatuses.has(container)) return keptMountStatuses.get(container) as VolumeMountStatus[] | undefined;
  const made = volumeMountStatuses(container);
  if (made) {
    for (const m of made) Object.freeze(m);
    Object.freeze(made);
  }
  keptMountStatuses.set(container, made);
  return made;
}

/**
 * convertToAPIContainerStatuses for one list (regular or init containers). `ready`/`started` are
 * left to applyProbeResults.
 */
export function convertToAPIContainerStatuses(
  pod: Pod,
  ps: RuntimePodStatus,
  previous: ContainerStatus[] | undefined,
  containers: Container[],
  hasInitContainers: boolean,
  isInitContainer: boolean,
  reasonCache: Map<string, WaitingReason>,
): UnprobedContainerStatus[] {
  const old = new Map<string, ContainerStatus>((previous ?? []).map((s) => [s.name, s]));
  const defaultWaiting = { waiting: { reason: hasInitContainers ? PodInitializing : ContainerCreating } };
  const statuses = new Map<string, UnprobedContainerStatus>();
  // The old statuses' parts are copied only for the containers the runtime does not report (issue
  // #19): the others' statuses are replaced below before anything reads or changes them. Until
  // then a status taken from an old one is that very object (`o`, never changed here), and a kept
  // lastState that very object too (replaced, never changed in place, by the vanished-container pass).
  let lazy: Map<string, ContainerStatus> | undefined;
  for (const c of containers) {
    // Validation requires every container to name its image.
    let status: UnprobedContainerStatus = { image: c.image!, imageID: "", lastState: {}, name: c.name, ready: false, restartCount: 0, state: defaultWaiting };
    const o = old.get(c.name);
    if (o) {
      (lazy ??= new Map()).set(c.name, o);
      if (o.state?.terminated) status = o as UnprobedContainerStatus;
      else {
        status.restartCount = o.restartCount ?? 0;
        if (o.lastState) status.lastState = o.lastState;
      }
    }
    statuses.set(c.name, status);
  }
  // A container that used to run and vanished from the runtime terminated with unknown status.
  for (const c of containers) {
    if (ps.containerStatuses.some((s) => s.name === c.name)) continue;
    const o = old.get(c.name);
    if (!o || o.state?.terminated || !o.state?.running) continue;
    const status = statuses.get(c.name)!;
    const w = status.state?.waiting;
    if (!(w && w.reason === (hasInitContainers ? PodInitializing : ContainerCreating))) continue;
    if (status.lastState?.terminated) continue;
    status.lastState = {
      terminated: {
        exitCode: 137,
        finishedAt: null,
        message: "The container could not be located when the pod was deleted.  The container used to be Running",
        reason: "ContainerStatusUnknown",
        startedAt: null,
      },
    };
    if (!pod.metadata?.deletionTimestamp) status.restartCount += 1;
  }
  const seen = new Map<string, number>();
  for (const cs of ps.containerStatuses) {
    if (!statuses.has(cs.name)) continue;
    const n = seen.get(cs.name) ?? 0;
    if (n >= 2) continue;
    const converted = convertContainerStatus(cs);
    if (n === 0) {
      converted.lastState = {};
      statuses.set(cs.name, converted);
    } else statuses.get(cs.name)!.lastState = converted.state;
    seen.set(cs.name, n + 1);
  }
  // The copies the old statuses' parts are owed (see above), now that the runtime's have replaced theirs.
  if (lazy) {
    for (const [name, o] of lazy) {
      const status = statuses.get(name)!;
      if (status === o) statuses.set(name, clone(o) as UnprobedContainerStatus);
      else if (o.lastState && status.lastState === o.lastState) status.lastState = clone(o.lastState);
    }
  }
  for (const c of containers) {
    if (isInitContainer && !isRestartableInitContainer(c)) {
      const s = findContainerStatusByName(ps, c.name);
      if (s && s.state === "exited" && s.exitCode === 0) continue;
    }
    if (!shouldContainerBeRestarted(c, pod, ps)) continue;
    const r = reasonCache.get(c.name);
    if (!r) continue;
    const status = statuses.get(c.name)!;
    if (status.state?.terminated) status.lastState = status.state;
    const waiting: ContainerStateWaiting = { message: r.message, reason: r.reason };
    if (!r.message) delete waiting.message;
    status.state = { waiting };
  }
  const out = containers.map((c) => {
    const st = statuses.get(c.name)!;
    const vm = mountStatusesOf(c);
    if (vm) st.volumeMounts = vm;
    else delete st.volumeMounts;
    return st;
  });
  if (!isInitContainer) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/**
 * prober_manager.UpdatePodStatus: `started` and `ready` of each container status, set in place;
 * returns the same statuses, now complete.
 */
export function applyProbeResults(
  pod: Pod,
  statuses: UnprobedContainerStatus[],
  initStatuses: UnprobedContainerStatus[],
  probes: ProbeResults | undefined,
): { containerStatuses: ContainerStatus[]; initContainerStatuses: ContainerStatus[] } {
  const uid = pod.metadata.uid!;
  // Plain loops and a module function rather than named closures: under tsx (esbuild's keepNames)
  // every named closure made costs a defineProperty of its name, at every status generation.
  const containerStatuses: ContainerStatus[] = [];
  for (const s of statuses) containerStatuses.push(probedRegular(s, uid, probes));
  const initContainerStatuses: ContainerStatus[] = [];
  for (const s of initStatuses) {
    const spec = (pod.spec!.initContainers ?? []).find((c) => c.name === s.name);
    if (isRestartableInitContainer(spec)) initContainerStatuses.push(probedRegular(s, uid, probes));
    else initContainerStatuses.push(Object.assign(s, { ready: !!s.state?.terminated && s.state.terminated.exitCode === 0, started: !!s.state?.running }));
  }
  return { containerStatuses, initContainerStatuses };
}

/** A regular container's (or a sidecar's) `started` and `ready`, set in place. */
function probedRegular(s: UnprobedContainerStatus, uid: string, probes: ProbeResults | undefined): ContainerStatus {
  const running = !!s.state?.running;
  let started = false;
  if (running) started = probes?.started?.(uid, s.name, s.containerID!) ?? true;
  let ready = false;
  if (started) ready = probes?.ready?.(uid, s.name, s.containerID!) ?? true;
  return Object.assign(s, { started, ready });
}

export interface StatusInputs {
  pod: Pod;
  runtime: RuntimePodStatus;
  reasonCache: Map<string, WaitingReason>;
  probes?: ProbeResults;
  /** The kubelet's last status for the pod (status manager cache), else the API's. */
  oldStatus: PodStatus | undefined;
  podIsTerminal: boolean;
  hostIP: string;
  now: number;
  /** Pod-level phase/reason/message forced by a sync handler (admission rejection, deadline, eviction). */
  forced?: { phase: string; reason: string; message: string };
}

/** The pod conditions the kubelet owns (others' are kept as the API server has them). */
const KUBELET_OWNED: ReadonlySet<string> = new Set(["PodScheduled", "Ready", "Initialized", "ContainersReady", "PodReadyToStartContainers"]);

/**
 * Whether two versions of a pod give generateAPIPodStatus the same inputs but for the status the
 * kubelet keeps itself (issue #19: the pod object that the kubelet's own status write produced,
 * seen again through its watch): the same spec and metadata objects but for the resourceVersion
 * (stored objects are frozen and a status write shares what it did not change), and the same
 * conditions of others (the only part of the API's status generation reads once the status
 * manager holds the kubelet's own).
 */
export function sameStatusInputs(a: Pod, b: Pod): boolean {
  if (a.spec !== b.spec) return false;
  const ma = a.metadata as Record<string, unknown>;
  const mb = b.metadata as Record<string, unknown>;
  const keys = Object.keys(ma);
  if (keys.length !== Object.keys(mb).length) return false;
  for (const k of keys) if (k !== "resourceVersion" && ma[k] !== mb[k]) return false;
  return jsonEqual(othersConditions(a), othersConditions(b));
}

/** The pod's conditions the kubelet does not own (readiness gates', DisruptionTarget). */
function othersConditions(p: Pod): PodCondition[] {
  const out: PodCondition[] = [];
  for (const c of podStatusOf(p)?.conditions ?? []) if (!KUBELET_OWNED.has(c.type)) out.push(c);
  return out;
}

/** generateAPIPodStatus: the whole status the kubelet would write now. */
export function generateAPIPodStatus(inp: StatusInputs): PodStatus {
  const { pod, runtime, oldStatus } = inp;
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const inits = spec.initContainers ?? [];
  const { containerStatuses, initContainerStatuses } = applyProbeResults(
    pod,
    convertToAPIContainerStatuses(pod, runtime, oldStatus?.containerStatuses, spec.containers ?? [], inits.length > 0, false, inp.reasonCache),
    inits.length ? convertToAPIContainerStatuses(pod, runtime, oldStatus?.initContainerStatuses, inits, inits.length > 0, true, inp.reasonCache) : [],
    inp.probes,
  );
  inp.probes?.updatePodStatus?.(pod, { containerStatuses, initContainerStatuses });
  // Ephemeral containers: converted as regular ones (sorted by name), never ready, no probes.
  const ecs = spec.ephemeralContainers ?? [];
  const ephemeralContainerStatuses: ContainerStatus[] = [];
  if (ecs.length) {
    for (const st of convertToAPIContainerStatuses(pod, runtime, oldStatus?.ephemeralContainerStatuses, ecs as Container[], inits.length > 0, false, inp.reasonCache)) {
      ephemeralContainerStatuses.push(Object.assign(st, { ready: false }));
    }
  }
  const all = [...initContainerStatuses, ...containerStatuses];
  let phase = getPhase(pod, all, inp.podIsTerminal);
  let reason = oldStatus?.reason;
  let message = oldStatus?.message;
  if (oldStatus?.phase !== phase) {
    reason = undefined;
    message = undefined;
  }
  // Terminal phases are sticky.
  if (oldStatus?.phase === "Failed" || oldStatus?.phase === "Succeeded") {
    phase = oldStatus.phase;
    reason = oldStatus.reason;
    message = oldStatus.message;
  }
  if (inp.forced) {
    phase = inp.forced.phase;
    reason = inp.forced.reason;
    message = inp.forced.message;
  }
  const conditions: PodCondition[] = [];
  // Conditions others own (readiness gates, DisruptionTarget) are kept as the API server has them.
  for (const c of podStatusOf(pod)?.conditions ?? []) if (!KUBELET_OWNED.has(c.type)) conditions.push(clone(c));
  const disruption = oldStatus?.conditions?.find((c) => c.type === "DisruptionTarget");
  if (disruption && !conditions.some((c) => c.type === "DisruptionTarget")) conditions.push(clone(disruption));
  conditions.push(generatePodReadyToStartContainersCondition(runtime.sandboxReady));
  conditions.push(generatePodInitializedCondition(spec, all, phase));
  // ContainersReady once: Ready copies it (a pure function of the spec, statuses and phase).
  const containersReady = generateContainersReadyCondition(spec, all, phase);
  conditions.push(generatePodReadyCondition(spec, conditions, all, phase, containersReady));
  conditions.push(containersReady);
  conditions.push({ type: "PodScheduled", status: "True" });
  const status: PodStatus = {
    conditions,
    ...(containerStatuses.length ? { containerStatuses } : {}),
    ...(ephemeralContainerStatuses.length ? { ephemeralContainerStatuses } : {}),
    hostIP: inp.hostIP,
    hostIPs: [{ ip: inp.hostIP }],
    ...(initContainerStatuses.length ? { initContainerStatuses } : {}),
    ...(message ? { message } : {}),
    phase,
    ...(runtime.ip ? { podIP: runtime.ip, podIPs: [{ ip: runtime.ip }] } : oldStatus?.podIP ? { podIP: oldStatus.podIP, podIPs: oldStatus.podIPs } : {}),
    ...(oldStatus?.qosClass ? { qosClass: oldStatus.qosClass } : {}),
    ...(reason ? { reason } : {}),
    startTime: oldStatus?.startTime ?? toRFC3339(inp.now),
  };
  return status;
}

/**
 * The status manager's merge: lastTransitionTime kept from the old condition when the status did
 * not change, `now` otherwise; lastProbeTime null as the kubelet writes it.
 */
export function mergeConditionTimes(conditions: PodCondition[], old: PodCondition[] | undefined, now: string): PodCondition[] {
  const out: PodCondition[] = [];
  for (const c of conditions) {
    let prev: PodCondition | undefined;
    if (old) {
      for (const o of old) {
        if (o.type === c.type) {
          prev = o;
          break;
        }
      }
    }
    const merged: PodCondition = {
      lastProbeTime: c.lastProbeTime ?? null,
      lastTransitionTime: c.lastTransitionTime ?? (prev && prev.status === c.status ? prev.lastTransitionTime : now),
    } as PodCondition;
    if (c.message) merged.message = c.message;
    if (c.reason) merged.reason = c.reason;
    merged.status = c.status;
    merged.type = c.type;
    out.push(merged);
  }
  return out;
}

/** truncatePodHostnameIfNeeded: at most 63 characters, never ending in `-` or `.`. */
export function truncatePodHostname(hostname: string): string {
  if (hostname.length <= 63) return hostname;
  return hostname.slice(0, 63).replace(/[-.]+$/, "");
}

/**
 * GeneratePodHostNameAndDomain: the pod's name (or `spec.hostname`), truncated to 63 characters,
 * and with `spec.subdomain` the domain `<subdomain>.<namespace>.svc.cluster.local`.
 */
export function podHostnameAndDomain(pod: { metadata: { name?: string; namespace?: string }; spec?: { hostname?: string; subdomain?: string } }): { hostname: string; domain: string } {
  const hostname = truncatePodHostname(pod.spec?.hostname || pod.metadata.name || "");
  const domain = pod.spec?.subdomain ? `${pod.spec.subdomain}.${pod.metadata.namespace ?? "default"}.svc.cluster.local` : "";
  return { hostname, domain };
}

/** managedHostsFileContent: the /etc/hosts the kubelet writes for a pod that is not on the host network. */
export function managedHostsFileContent(podIPs: string[], hostname: string, domain: string, hostAliases: Array<{ ip?: string; hostnames?: string[] }> | undefined): string {
  let out = "# Kubernetes-managed hosts file.\n";
  out += "127.0.0.1\tlocalhost\n";
  out += "::1\tlocalhost ip6-localhost ip6-loopback\n";
  out += "fe00::0\tip6-localnet\n";
  out += "fe00::0\tip6-mcastprefix\n";
  out += "fe00::1\tip6-allnodes\n";
  out += "fe00::2\tip6-allrouters\n";
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  if (hostAliases?.length) {
    out += "\n# Entries added by HostAliases.\n";
    for (const a of hostAliases) out += `${a.ip ?? ""}\t${(a.hostnames ?? []).join("\t")}\n`;
  }
  return out;
}

/**
 * The hostname a container sees (generatePodSandboxConfig): the node's on the host network, else
 * the pod's hostname, or its FQDN with `setHostnameAsFQDN` (GetNodenameForKernel).
 */
export function sandboxHostname(pod: { metadata: { name?: string; namespace?: string }; spec?: { hostname?: string; subdomain?: string; hostNetwork?: boolean; nodeName?: string; setHostnameAsFQDN?: boolean } }): string {
  if (pod.spec?.hostNetwork) return pod.spec.nodeName ?? "";
  const { hostname, domain } = podHostnameAndDomain(pod);
  return pod.spec?.setHostnameAsFQDN && domain ? `${hostname}.${domain}` : hostname;
}
