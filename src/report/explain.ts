/**
 * Diagnostics for people: when an assertion about a pod fails, say why in plain words, from what
 * the cluster recorded — the probe spec and the kubelet's `Unhealthy` events for a pod that is not
 * Ready, the restart back-off for a container that keeps crashing, the scheduler's per-node
 * reasons for a Pending pod, the pod's recent events and the object as it stands. Pure reads of
 * the API: explaining never changes the simulation.
 */
import type { ClusterContext } from "../context.ts";
import type { KObject } from "../api/types.ts";
import { explainScheduling } from "../scheduler/explain.ts";
import { goYAML } from "../kubectl/printers/goyaml.ts";
import { imageRegistry } from "../images/registry.ts";

/** How many of the pod's latest events the explanation lists. */
const RECENT_EVENTS = 10;
/** The kubelet's container restart back-off: 10 s doubling up to 300 s (pkg/kubelet/kubelet.go). */
const BACKOFF_INITIAL_S = 10;
const BACKOFF_MAX_S = 300;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function eventsOf(ctx: ClusterContext, pod: KObject): KObject[] {
  const ns = pod.metadata.namespace ?? "default";
  return ctx.api
    .list("Event", { namespace: ns })
    .filter((e: any) => e.involvedObject?.kind === "Pod" && e.involvedObject?.name === pod.metadata.name && (!e.involvedObject?.uid || e.involvedObject.uid === pod.metadata.uid))
    .sort((a: any, b: any) => eventTime(a) - eventTime(b));
}

function eventTime(e: any): number {
  return Date.parse(e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? 0) || 0;
}

/** `exec [cat /tmp/ready]`, `httpGet http://:8080/health`, `tcpSocket :8080`, `grpc :9090`. */
export function describeHandler(probe: any): string {
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(" ")}]`;
  if (probe.httpGet) return `httpGet ${(probe.httpGet.scheme ?? "HTTP").toLowerCase()}://${probe.httpGet.host ?? ""}:${probe.httpGet.port}${probe.httpGet.path ?? "/"}`;
  if (probe.tcpSocket) return `tcpSocket ${probe.tcpSocket.host ?? ""}:${probe.tcpSocket.port}`;
  if (probe.grpc) return `grpc :${probe.grpc.port}`;
  return "(no handler)";
}

/** One probe in words, with the defaults the API server fills in (periodSeconds 10, thresholds 1 and 3). */
export function describeProbe(kind: "readiness" | "liveness" | "startup", probe: any): string {
  const period = probe.periodSeconds ?? 10;
  const delay = probe.initialDelaySeconds ?? 0;
  const success = probe.successThreshold ?? 1;
  const failure = probe.failureThreshold ?? 3;
  const timeout = probe.timeoutSeconds ?? 1;
  return `${kind} probe ${describeHandler(probe)} every ${period}s after ${delay}s delay, timeout ${timeout}s, successThreshold ${success}, failureThreshold ${failure}`;
}

/** The `Unhealthy` events of one probe type for one container: how many failures and the last message. */
function probeFailures(events: KObject[], container: string, type: string): { count: number; last?: string; at?: number } {
  let count = 0;
  let last: string | undefined;
  let at: number | undefined;
  const prefix = `${type} probe `;
  for (const e of events as any[]) {
    if (e.reason !== "Unhealthy" || !String(e.message ?? "").startsWith(prefix)) continue;
    if (e.involvedObject?.fieldPath && e.involvedObject.fieldPath !== `spec.containers{${container}}`) continue;
    count += e.count ?? e.series?.count ?? 1;
    last = String(e.message ?? "").trimEnd();
    at = eventTime(e);
  }
  return { count, last, at };
}

function condition(pod: KObject, type: string): any {
  return (pod.status?.conditions ?? []).find((c: any) => c.type === type);
}

function sinceCreation(pod: KObject, at: string | number | undefined): string {
  const created = Date.parse(pod.metadata.creationTimestamp ?? "");
  const t = typeof at === "number" ? at : Date.parse(at ?? "");
  if (Number.isNaN(created) || Number.isNaN(t)) return "at an unknown time";
  return `at ${seconds(t - created)} after the pod was created`;
}

/** Readiness in words: Ready or not, since when, and each container's probes with their history. */
export function explainReadiness(ctx: ClusterContext, pod: KObject, events = eventsOf(ctx, pod)): string[] {
  const lines: string[] = [];
  const ready = condition(pod, "Ready");
  if (ready?.status === "True") lines.push(`pod "${pod.metadata.name}" became Ready ${sinceCreation(pod, ready.lastTransitionTime)} because ${whyReady(pod, events)}`);
  else if (ready) lines.push(`pod "${pod.metadata.name}" is not Ready${ready.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ""})` : ""} since ${sinceCreation(pod, ready.lastTransitionTime).replace(/^at /, "")}`);
  else lines.push(`pod "${pod.metadata.name}" has no Ready condition yet (phase ${pod.status?.phase ?? "unknown"})`);
  for (const c of pod.spec?.containers ?? []) {
    const st = (pod.status?.containerStatuses ?? []).find((s: any) => s.name === c.name);
    const started = st?.state?.running?.startedAt;
    const head = `  container "${c.name}": ${st ? `ready=${st.ready}, ${started ? `running since ${sinceCreation(pod, started).replace(/^at /, "")}` : `state ${Object.keys(st.state ?? {})[0] ?? "unknown"}`}` : "no status yet"}`;
    lines.push(head);
    const probes: Array<["readiness" | "liveness" | "startup", string, any]> = [
      ["startup", "Startup", c.startupProbe],
      ["readiness", "Readiness", c.readinessProbe],
      ["liveness", "Liveness", c.livenessProbe],
    ];
    let any = false;
    for (const [kind, type, probe] of probes) {
      if (!probe) continue;
      any = true;
      const f = probeFailures(events, c.name, type);
      const history = f.count ? `failed ${f.count} time(s) (last ${f.at ? sinceCreation(pod, f.at) : ""}: ${f.last})` : "no failure recorded";
      lines.push(`    ${describeProbe(kind, probe)}: ${history}`);
      if (kind === "readiness") {
        const period = probe.periodSeconds ?? 10;
        const delay = probe.initialDelaySeconds ?? 0;
        const success = probe.successThreshold ?? 1;
        lines.push(`      => Ready needs ${success} success(es) in a row after the ${delay}s delay, one every ${period}s: at the earliest ${delay + (success - 1) * period}s after the container starts`);
      }
      if (kind === "liveness") {
        const failure = probe.failureThreshold ?? 3;
        lines.push(`      => the kubelet restarts the container after ${failure} failure(s) in a row (failureThreshold ${failure} x periodSeconds ${probe.periodSeconds ?? 10})`);
      }
    }
    if (!any) lines.push("    no probes: the container counts as ready as soon as it runs");
  }
  return lines;
}

/** Why a Ready pod is Ready: its readiness probes' thresholds met, or no probe at all. */
function whyReady(pod: KObject, events: KObject[]): string {
  const reasons: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    const probe = c.readinessProbe;
    if (!probe) {
      reasons.push(`container "${c.name}" has no readiness probe and is running`);
      continue;
    }
    const f = probeFailures(events, c.name, "Readiness");
    const success = probe.successThreshold ?? 1;
    reasons.push(
      `container "${c.name}"'s readiness probe succeeded ${success} time(s) in a row (successThreshold ${success} x periodSeconds ${probe.periodSeconds ?? 10}, initialDelaySeconds ${probe.initialDelaySeconds ?? 0})` +
        (f.count ? ` after ${f.count} failure(s), the last ${f.at ? sinceCreation(pod, f.at) : "at an unknown time"}` : ""),
    );
  }
  return reasons.join("; ") || "it has no containers";
}

/** The restart back-off in words: restartCount, the last termination and when the next start is due. */
export function explainRestarts(pod: KObject): string[] {
  const lines: string[] = [];
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of all) {
    const waiting = s.state?.waiting;
    const last = s.lastState?.terminated;
    if (!s.restartCount && !last && waiting?.reason !== "CrashLoopBackOff") continue;
    lines.push(`container "${s.name}": restartCount ${s.restartCount ?? 0}, now ${Object.keys(s.state ?? {})[0] ?? "unknown"}${waiting?.reason ? ` (${waiting.reason})` : ""}`);
    if (last) lines.push(`  last terminated: reason ${last.reason ?? "?"}, exit code ${last.exitCode}, finished ${sinceCreation(pod, last.finishedAt)}`);
    const m = /back-off (\S+) restarting/.exec(waiting?.message ?? "");
    if (m) {
      const delay = goDurationSeconds(m[1]);
      const finished = Date.parse(last?.finishedAt ?? "");
      const next = Number.isNaN(finished) ? "" : `; next start due ${sinceCreation(pod, finished + delay * 1000)}`;
      lines.push(`  back-off ${m[1]}: the kubelet waits 10s, doubling after each crash up to 5m0s${next}`);
    } else if (s.restartCount) {
      const delay = Math.min(BACKOFF_INITIAL_S * 2 ** (s.restartCount - 1), BACKOFF_MAX_S);
      lines.push(`  a further crash would wait ${delay}s before the next start (10s doubling up to 5m0s)`);
    }
  }
  return lines;
}

function goDurationSeconds(text: string): number {
  let s = 0;
  for (const [, n, u] of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) s += Number(n) * (u === "h" ? 3600 : u === "m" ? 60 : 1);
  return s;
}

function describeEvent(pod: KObject, e: any): string {
  const count = (e.count ?? e.series?.count ?? 1) > 1 ? ` (x${e.count ?? e.series?.count})` : "";
  return `  ${sinceCreation(pod, eventTime(e)).replace(/ after the pod was created$/, "").padEnd(10)} ${e.type} ${e.reason}: ${String(e.message ?? "").trimEnd()}${count}`;
}

const IMAGE_WAIT_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName"]);

/** Containers waiting for their image, and why the image cannot be had: unknown name, missing tag, declared absent, private. */
export function explainImages(ctx: ClusterContext, pod: KObject): string[] {
  const lines: string[] = [];
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const reason = s.state?.waiting?.reason;
    if (!IMAGE_WAIT_REASONS.has(reason)) continue;
    const image: string = specs.find((c: any) => c.name === s.name)?.image ?? s.image;
    lines.push(`container "${s.name}" is waiting (${reason}) for the image ${JSON.stringify(image)}`);
    if (reason === "ErrImageNeverPull") {
      lines.push(`  imagePullPolicy is Never and the image is not on node "${pod.spec?.nodeName}": the kubelet never pulls it`);
      continue;
    }
    const why = imageRegistry(ctx).explainMissing(image);
    lines.push(`  ${why ?? "the image exists now: the kubelet pulls it again when its back-off ends"}`);
  }
  return lines;
}

/**
 * Everything worth knowing about a pod, in words: readiness and probes, restarts and back-off,
 * scheduling when it has no node, recent events and the object as it stands.
 */
export function explainPod(ctx: ClusterContext, name: string, namespace = "default"): string {
  const pod = ctx.api.get("Pod", namespace, name);
  if (!pod) {
    const others = ctx.api.list("Pod", { namespace }).map((p) => p.metadata.name);
    return `pod "${name}" does not exist in namespace "${namespace}"${others.length ? ` (pods there: ${others.join(", ")})` : " (there are no pods there)"}`;
  }
  const events = eventsOf(ctx, pod);
  const out: string[] = [`pod "${name}": phase ${pod.status?.phase ?? "unknown"}${pod.spec?.nodeName ? ` on node "${pod.spec.nodeName}"` : ""}${pod.metadata.deletionTimestamp ? ", being deleted" : ""}`];
  if (!pod.spec?.nodeName) out.push("", "Scheduling:", explainScheduling(pod, name));
  const images = explainImages(ctx, pod);
  if (images.length) out.push("", "Images:", ...images);
  out.push("", "Readiness:", ...explainReadiness(ctx, pod, events));
  const restarts = explainRestarts(pod);
  if (restarts.length) out.push("", "Restarts:", ...restarts);
  out.push("", `Recent events (last ${RECENT_EVENTS}):`, ...(events.length ? events.slice(-RECENT_EVENTS).map((e) => describeEvent(pod, e)) : ["  (none)"]));
  out.push("", "The pod as it stands:", goYAML(pod).trimEnd());
  return out.join("\n");
}

/** Runs a check about a pod; when it fails, the error message is followed by the pod's explanation. */
export function withExplanation<T>(ctx: ClusterContext, pod: string, check: () => T, namespace = "default"): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof Error && !(err as any).explained) {
      err.message = `${err.message}\n\n--- why ---\n${explainPod(ctx, pod, namespace)}`;
      (err as any).explained = true;
    }
    throw err;
  }
}

/** Every pod outside the system namespaces explained (for a failed scenario's report), at most `max`. */
export function explainPods(ctx: ClusterContext, max = 20): string {
  const pods = ctx.api.list("Pod").filter((p) => !["kube-system", "kube-node-lease", "kube-public"].includes(p.metadata.namespace ?? "default"));
  if (pods.length === 0) return "there are no pods in this cluster";
  const shown = pods.slice(0, max).map((p) => explainPod(ctx, p.metadata.name ?? "", p.metadata.namespace ?? "default"));
  if (pods.length > max) shown.push(`(${pods.length - max} more pod(s) not shown)`);
  return shown.join("\n\n" + "=".repeat(72) + "\n\n");
}
