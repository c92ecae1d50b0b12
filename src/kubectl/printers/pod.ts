/**
 * The pod row of `kubectl get pods` (pkg/printers/internalversion/printers.go printPod): READY,
 * STATUS and RESTARTS computed from the pod's status exactly as kubectl v1.32 computes them.
 */
import type { Container, ContainerStatus, Pod, PodSpec, PodStatus } from "../../api/types.gen.ts";
import { translateTimestampSince } from "../humanduration.ts";

export interface PodRow {
  name: string;
  ready: string;
  status: string;
  restarts: string;
  age: string;
  ip: string;
  node: string;
  nominatedNode: string;
  readinessGates: string;
}

const isRestartable = (c: Container | undefined) => c?.restartPolicy === "Always";

export function printPod(pod: Pod, nowMs: number): PodRow {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const status: PodStatus = pod.status ?? {};
  const containers = spec.containers ?? [];
  const initSpecs = spec.initContainers ?? [];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestartDate = 0;
  let lastRestartableInitDate = 0;

  const podPhase: string = status.phase ?? "";
  let reason: string = status.reason || podPhase;
  for (const c of status.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  const initByName = new Map<string, Container>();
  for (const ic of initSpecs) {
    initByName.set(ic.name, ic);
    if (isRestartable(ic)) totalContainers++;
  }

  const finishedAt = (cs: ContainerStatus): number => {
    const t = cs.lastState?.terminated?.finishedAt;
    return t ? Math.floor(Date.parse(t) / 1000) * 1000 : 0;
  };

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += cs.restartCount ?? 0;
    if (cs.lastState?.terminated) lastRestartDate = Math.max(lastRestartDate, finishedAt(cs));
    const restartable = isRestartable(initByName.get(cs.name));
    if (restartable) {
      restartableInitRestarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastRestartableInitDate = Math.max(lastRestartableInitDate, finishedAt(cs));
    }
    const term = cs.state?.terminated;
    const wait = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = "Init:" + term.reason;
    } else if (wait && wait.reason && wait.reason !== "PodInitializing") {
      reason = "Init:" + wait.reason;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const conditionTrue = (type: string) => (status.conditions ?? []).some((c) => c.type === type && c.status === "True");
  const initializedCondition = (status.conditions ?? []).find((c) => c.type === "Initialized");

  if (!initializing || initializedCondition?.status === "True") {
    restarts = restartableInitRestarts;
    lastRestartDate = lastRestartableInitDate;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastRestartDate = Math.max(lastRestartDate, finishedAt(cs));
      const wait = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (wait && wait.reason) reason = wait.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term && !term.reason) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = conditionTrue("Ready") ? "Running" : "NotReady";
  }

  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && podPhase !== "Succeeded" && podPhase !== "Failed") reason = "Terminating";

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestartDate !== 0) {
    restartsStr = `${restarts} (${translateTimestampSince(new Date(lastRestartDate).toISOString(), nowMs)} ago)`;
  }

  const podIPs = status.podIPs ?? [];
  const ip = podIPs[0]?.ip || status.podIP || "<none>";
  const gates = spec.readinessGates ?? [];
  let readinessGates = "<none>";
  if (gates.length > 0) {
    let trueGates = 0;
    for (const g of gates) if (conditionTrue(g.conditionType)) trueGates++;
    readinessGates = `${trueGates}/${gates.length}`;
  }
  return {
    name: pod.metadata.name ?? "",
    ready: `${readyContainers}/${totalContainers}`,
    status: reason,
    restarts: restartsStr,
    age: translateTimestampSince(pod.metadata.creationTimestamp, nowMs),
    ip,
    node: spec.nodeName || "<none>",
    nominatedNode: status.nominatedNodeName || "<none>",
    readinessGates,
  };
}
