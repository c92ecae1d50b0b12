/**
 * Diagnostics for people: when an assertion about a pod fails, say why in plain words, from what
 * the cluster recorded — the probe spec and the kubelet's `Unhealthy` events for a pod that is not
 * Ready, the restart back-off for a container that keeps crashing, the scheduler's per-node
 * reasons for a Pending pod, the pod's recent events and the object as it stands. Pure reads of
 * the API: explaining never changes the simulation.
 *
 * The words follow the cluster's language (`ClusterContext.language`: `ko` for a Korean feature,
 * English otherwise); what Kubernetes itself says (event messages, reasons, the scheduler's
 * per-node reasons, the YAML) stays as Kubernetes writes it, since that is what kubectl shows.
 */
import type { ClusterContext } from "../context.ts";
import type { Event, Pod, PodCondition, Probe } from "../api/types.gen.ts";

/** An Error whose message already carries the pod's explanation. */
type ExplainedError = Error & { explained?: boolean };
import { attemptIn, explainScheduling } from "../scheduler/explain.ts";
import { goYAML } from "../kubectl/printers/goyaml.ts";
import { imageRegistry } from "../images/registry.ts";


/** The explanation's own words, per language (Kubernetes' texts are quoted as they are). */
interface Words {
  atAfterCreation(s: string): string;
  unknownTime: string;
  seconds(ms: number): string;
  probe(kind: string, handler: string, period: number, delay: number, timeout: number, success: number, failure: number): string;
  failedTimes(count: number, at: string, last: string): string;
  noFailure: string;
  readyNeeds(success: number, delay: number, period: number, earliest: number): string;
  livenessRestarts(failure: number, period: number): string;
  noProbes: string;
  becameReady(pod: string, at: string, because: string): string;
  notReady(pod: string, why: string, since: string): string;
  noReadyCondition(pod: string, phase: string): string;
  container(name: string, state: string): string;
  readyState(ready: boolean, running: string | undefined, state: string): string;
  noStatus: string;
  noReadinessProbe(c: string): string;
  readinessMet(c: string, success: number, period: number, delay: number): string;
  afterFailures(count: number, at: string): string;
  noContainers: string;
  restartLine(c: string, count: number, now: string, reason: string): string;
  lastTerminated(reason: string, code: string, at: string): string;
  nextStart(at: string): string;
  backoff(d: string, next: string): string;
  furtherCrash(delay: number): string;
  missingPod(name: string, ns: string, others: string[]): string;
  podHead(name: string, phase: string, node: string | undefined, deleting: boolean): string;
  scheduling: string;
  images: string;
  imageWaiting(c: string, reason: string, image: string): string;
  neverPull(node: string): string;
  imageExistsNow: string;
  readiness: string;
  restarts: string;
  recentEvents(n: number): string;
  none: string;
  asItStands: string;
  noPods: string;
  morePods(n: number): string;
  // The short summary (summarizePod)
  sumPod(name: string, ns: string | undefined, parts: string[]): string;
  sumPhase(phase: string): string;
  sumNode(node: string | undefined): string;
  sumReady(at: string): string;
  sumNotReady(reason: string | undefined, since: string): string;
  sumRestarts(n: number): string;
  sumReason(reason: string, message: string | undefined): string;
  sumDeleting: string;
  sumNotScheduled(reason: string | undefined, message: string | undefined): string;
  sumWaiting(c: string, reason: string, message: string | undefined): string;
  sumTerminated(c: string, now: boolean, reason: string, code: string, at: string): string;
  sumProbeFailed(c: string, kind: string, count: number, at: string, last: string | undefined): string;
  sumLastEvents(total: number): string;
}

const EN: Words = {
  atAfterCreation: (s) => `at ${s} after the pod was created`,
  unknownTime: "at an unknown time",
  seconds: (ms) => `${Math.round(ms / 100) / 10} s`,
  probe: (kind, handler, period, delay, timeout, success, failure) => `${kind} probe ${handler} every ${period}s after ${delay}s delay, timeout ${timeout}s, successThreshold ${success}, failureThreshold ${failure}`,
  failedTimes: (count, at, last) => `failed ${count} time(s) (last ${at}: ${last})`,
  noFailure: "no failure recorded",
  readyNeeds: (success, delay, period, earliest) => `      => Ready needs ${success} success(es) in a row after the ${delay}s delay, one every ${period}s: at the earliest ${earliest}s after the container starts`,
  livenessRestarts: (failure, period) => `      => the kubelet restarts the container after ${failure} failure(s) in a row (failureThreshold ${failure} x periodSeconds ${period})`,
  noProbes: "    no probes: the container counts as ready as soon as it runs",
  becameReady: (pod, at, because) => `pod "${pod}" became Ready ${at} because ${because}`,
  notReady: (pod, why, since) => `pod "${pod}" is not Ready${why} since ${since}`,
  noReadyCondition: (pod, phase) => `pod "${pod}" has no Ready condition yet (phase ${phase})`,
  container: (name, state) => `  container "${name}": ${state}`,
  readyState: (ready, running, state) => `ready=${ready}, ${running ? `running since ${running}` : `state ${state}`}`,
  noStatus: "no status yet",
  noReadinessProbe: (c) => `container "${c}" has no readiness probe and is running`,
  readinessMet: (c, success, period, delay) => `container "${c}"'s readiness probe succeeded ${success} time(s) in a row (successThreshold ${success} x periodSeconds ${period}, initialDelaySeconds ${delay})`,
  afterFailures: (count, at) => ` after ${count} failure(s), the last ${at}`,
  noContainers: "it has no containers",
  restartLine: (c, count, now, reason) => `container "${c}": restartCount ${count}, now ${now}${reason}`,
  lastTerminated: (reason, code, at) => `  last terminated: reason ${reason}, exit code ${code}, finished ${at}`,
  nextStart: (at) => `; next start due ${at}`,
  backoff: (d, next) => `  back-off ${d}: the kubelet waits 10s, doubling after each crash up to 5m0s${next}`,
  furtherCrash: (delay) => `  a further crash would wait ${delay}s before the next start (10s doubling up to 5m0s)`,
  missingPod: (name, ns, others) => `pod "${name}" does not exist in namespace "${ns}"${others.length ? ` (pods there: ${others.join(", ")})` : " (there are no pods there)"}`,
  podHead: (name, phase, node, deleting) => `pod "${name}": phase ${phase}${node ? ` on node "${node}"` : ""}${deleting ? ", being deleted" : ""}`,
  scheduling: "Scheduling:",
  images: "Images:",
  imageWaiting: (c, reason, image) => `container "${c}" is waiting (${reason}) for the image ${JSON.stringify(image)}`,
  neverPull: (node) => `  imagePullPolicy is Never and the image is not on node "${node}": the kubelet never pulls it`,
  imageExistsNow: "the image exists now: the kubelet pulls it again when its back-off ends",
  readiness: "Readiness:",
  restarts: "Restarts:",
  recentEvents: (n) => `Recent events (last ${n}):`,
  none: "  (none)",
  asItStands: "The pod as it stands:",
  noPods: "there are no pods in this cluster",
  morePods: (n) => `(${n} more pod(s) not shown)`,
  sumPod: (name, ns, parts) => `pod "${name}"${ns ? ` (namespace ${ns})` : ""}: ${parts.join(", ")}`,
  sumPhase: (phase) => `phase ${phase}`,
  sumNode: (node) => (node ? `on node "${node}"` : "no node"),
  sumReady: (at) => `Ready ${at}`,
  sumNotReady: (reason, since) => `not Ready${reason ? ` (${reason})` : ""} since ${since.replace(/^at /, "")}`,
  sumRestarts: (n) => `${n} restart(s)`,
  sumReason: (reason, message) => `reason ${reason}${message ? `: ${message}` : ""}`,
  sumDeleting: "being deleted",
  sumNotScheduled: (reason, message) => `not scheduled: ${reason}: ${message}`,
  sumWaiting: (c, reason, message) => `container "${c}" waiting: ${reason}${message ? `: ${message}` : ""}`,
  sumTerminated: (c, now, reason, code, at) => `container "${c}" ${now ? "terminated" : "last terminated"}: ${reason}, exit code ${code} ${at}`,
  sumProbeFailed: (c, kind, count, at, last) => `container "${c}" ${kind} probe failed ${count} time(s), last ${at}: ${last ?? ""}`,
  sumLastEvents: (total) => `last events (of ${total}):`,
};

const KO: Words = {
  atAfterCreation: (s) => `파드 생성 ${s} 후`,
  unknownTime: "알 수 없는 시각",
  seconds: (ms) => `${Math.round(ms / 100) / 10}초`,
  probe: (kind, handler, period, delay, timeout, success, failure) =>
    `${kind === "readiness" ? "readiness" : kind === "liveness" ? "liveness" : "startup"} 프로브 ${handler}: ${delay}초 지연 뒤 ${period}초마다, 타임아웃 ${timeout}초, successThreshold ${success}, failureThreshold ${failure}`,
  failedTimes: (count, at, last) => `${count}번 실패 (마지막: ${at}, ${last})`,
  noFailure: "기록된 실패 없음",
  readyNeeds: (success, delay, period, earliest) => `      => Ready 가 되려면 ${delay}초 지연 뒤 ${period}초마다 한 번씩 ${success}번 연속 성공해야 한다: 빨라도 컨테이너 시작 ${earliest}초 후`,
  livenessRestarts: (failure, period) => `      => kubelet 은 ${failure}번 연속 실패하면 컨테이너를 다시 시작한다 (failureThreshold ${failure} x periodSeconds ${period})`,
  noProbes: "    프로브 없음: 컨테이너가 실행되자마자 ready 로 친다",
  becameReady: (pod, at, because) => `파드 "${pod}" 는 ${at} Ready 가 되었다. 이유: ${because}`,
  notReady: (pod, why, since) => `파드 "${pod}" 는 ${since}부터 Ready 가 아니다${why}`,
  noReadyCondition: (pod, phase) => `파드 "${pod}" 에는 아직 Ready 조건이 없다 (phase ${phase})`,
  container: (name, state) => `  컨테이너 "${name}": ${state}`,
  readyState: (ready, running, state) => `ready=${ready}, ${running ? `${running}부터 실행 중` : `상태 ${state}`}`,
  noStatus: "아직 상태 없음",
  noReadinessProbe: (c) => `컨테이너 "${c}" 는 readiness 프로브가 없고 실행 중이다`,
  readinessMet: (c, success, period, delay) => `컨테이너 "${c}" 의 readiness 프로브가 ${success}번 연속 성공했다 (successThreshold ${success} x periodSeconds ${period}, initialDelaySeconds ${delay})`,
  afterFailures: (count, at) => ` (그 전에 ${count}번 실패, 마지막은 ${at})`,
  noContainers: "컨테이너가 없다",
  restartLine: (c, count, now, reason) => `컨테이너 "${c}": restartCount ${count}, 지금 ${now}${reason}`,
  lastTerminated: (reason, code, at) => `  마지막 종료: reason ${reason}, exit code ${code}, ${at}에 끝남`,
  nextStart: (at) => `; 다음 시작 예정: ${at}`,
  backoff: (d, next) => `  back-off ${d}: kubelet 은 10초부터 충돌할 때마다 두 배로, 최대 5m0s 까지 기다린다${next}`,
  furtherCrash: (delay) => `  한 번 더 충돌하면 다음 시작까지 ${delay}초를 기다린다 (10초부터 두 배씩, 최대 5m0s)`,
  missingPod: (name, ns, others) => `네임스페이스 "${ns}" 에 파드 "${name}" 가 없다${others.length ? ` (있는 파드: ${others.join(", ")})` : " (파드가 하나도 없다)"}`,
  podHead: (name, phase, node, deleting) => `파드 "${name}": phase ${phase}${node ? `, 노드 "${node}"` : ""}${deleting ? ", 삭제 중" : ""}`,
  scheduling: "스케줄링:",
  images: "이미지:",
  imageWaiting: (c, reason, image) => `컨테이너 "${c}" 는 이미지 ${JSON.stringify(image)} 를 기다리고 있다 (${reason})`,
  neverPull: (node) => `  imagePullPolicy 가 Never 인데 노드 "${node}" 에 이미지가 없다: kubelet 은 절대 받지 않는다`,
  imageExistsNow: "이제는 이미지가 있다: back-off 가 끝나면 kubelet 이 다시 받는다",
  readiness: "준비 상태 (Readiness):",
  restarts: "재시작:",
  recentEvents: (n) => `최근 이벤트 (마지막 ${n}개):`,
  none: "  (없음)",
  asItStands: "지금의 파드:",
  noPods: "이 클러스터에는 파드가 없다",
  morePods: (n) => `(보이지 않은 파드 ${n}개 더)`,
  sumPod: (name, ns, parts) => `파드 "${name}"${ns ? ` (네임스페이스 ${ns})` : ""}: ${parts.join(", ")}`,
  sumPhase: (phase) => `phase ${phase}`,
  sumNode: (node) => (node ? `노드 "${node}"` : "노드 없음"),
  sumReady: (at) => `${at} Ready`,
  sumNotReady: (reason, since) => `${since}부터 Ready 아님${reason ? ` (${reason})` : ""}`,
  sumRestarts: (n) => `${n}번 재시작`,
  sumReason: (reason, message) => `사유 ${reason}${message ? `: ${message}` : ""}`,
  sumDeleting: "삭제 중",
  sumNotScheduled: (reason, message) => `배치되지 않음: ${reason}: ${message}`,
  sumWaiting: (c, reason, message) => `컨테이너 "${c}" 대기 중: ${reason}${message ? `: ${message}` : ""}`,
  sumTerminated: (c, now, reason, code, at) => `컨테이너 "${c}" ${now ? "종료됨" : "마지막 종료"}: ${reason}, 종료 코드 ${code}, ${at}`,
  sumProbeFailed: (c, kind, count, at, last) => `컨테이너 "${c}" 의 ${kind} 프로브가 ${count}번 실패 (마지막: ${at}): ${last ?? ""}`,
  sumLastEvents: (total) => `최근 이벤트 (전체 ${total}개 중):`,
};

/** The words for a language (`ko`, else English). */
export function wordsFor(language: string | undefined): Words {
  return language === "ko" ? KO : EN;
}

/** How many of the pod's latest events the explanation lists. */
const RECENT_EVENTS = 10;
/** The kubelet's container restart back-off: 10 s doubling up to 300 s (pkg/kubelet/kubelet.go). */
const BACKOFF_INITIAL_S = 10;
const BACKOFF_MAX_S = 300;

function eventsOf(ctx: ClusterContext, pod: Pod): Event[] {
  const ns = pod.metadata.namespace ?? "default";
  return (ctx.api.list("Event", { namespace: ns }) as Event[])
    .filter((e) => e.involvedObject?.kind === "Pod" && e.involvedObject?.name === pod.metadata.name && (!e.involvedObject?.uid || e.involvedObject.uid === pod.metadata.uid))
    .sort((a, b) => eventTime(a) - eventTime(b));
}

function eventTime(e: Event): number {
  return Date.parse(String(e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? 0)) || 0;
}

/** `exec [cat /tmp/ready]`, `httpGet http://:8080/health`, `tcpSocket :8080`, `grpc :9090`. */
export function describeHandler(probe: Probe): string {
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(" ")}]`;
  if (probe.httpGet) return `httpGet ${(probe.httpGet.scheme ?? "HTTP").toLowerCase()}://${probe.httpGet.host ?? ""}:${probe.httpGet.port}${probe.httpGet.path ?? "/"}`;
  if (probe.tcpSocket) return `tcpSocket ${probe.tcpSocket.host ?? ""}:${probe.tcpSocket.port}`;
  if (probe.grpc) return `grpc :${probe.grpc.port}`;
  return "(no handler)";
}

/** One probe in words, with the defaults the API server fills in (periodSeconds 10, thresholds 1 and 3). */
export function describeProbe(kind: "readiness" | "liveness" | "startup", probe: Probe, w: Words = EN): string {
  const period = probe.periodSeconds ?? 10;
  const delay = probe.initialDelaySeconds ?? 0;
  const success = probe.successThreshold ?? 1;
  const failure = probe.failureThreshold ?? 3;
  const timeout = probe.timeoutSeconds ?? 1;
  return w.probe(kind, describeHandler(probe), period, delay, timeout, success, failure);
}

/** The `Unhealthy` events of one probe type for one container: how many failures and the last message. */
function probeFailures(events: Event[], container: string, type: string): { count: number; last?: string; at?: number } {
  let count = 0;
  let last: string | undefined;
  let at: number | undefined;
  const prefix = `${type} probe `;
  for (const e of events) {
    if (e.reason !== "Unhealthy" || !String(e.message ?? "").startsWith(prefix)) continue;
    if (e.involvedObject?.fieldPath && e.involvedObject.fieldPath !== `spec.containers{${container}}`) continue;
    count += e.count ?? e.series?.count ?? 1;
    last = String(e.message ?? "").trimEnd();
    at = eventTime(e);
  }
  return { count, last, at };
}

function condition(pod: Pod, type: string): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === type);
}

function sinceCreation(pod: Pod, at: string | number | null | undefined, w: Words = EN): string {
  const created = Date.parse(pod.metadata.creationTimestamp ?? "");
  const t = typeof at === "number" ? at : Date.parse(at ?? "");
  if (Number.isNaN(created) || Number.isNaN(t)) return w.unknownTime;
  return w.atAfterCreation(w.seconds(t - created));
}

/** The same instant without the leading "at" (English) for "since ..." and event columns. */
function sinceText(pod: Pod, at: string | number | null | undefined, w: Words): string {
  return sinceCreation(pod, at, w).replace(/^at /, "");
}

/** Readiness in words: Ready or not, since when, and each container's probes with their history. */
export function explainReadiness(ctx: ClusterContext, pod: Pod, events = eventsOf(ctx, pod)): string[] {
  const w = wordsFor(ctx.language);
  const lines: string[] = [];
  const ready = condition(pod, "Ready");
  const name = pod.metadata.name ?? "";
  if (ready?.status === "True") lines.push(w.becameReady(name, sinceCreation(pod, ready.lastTransitionTime, w), whyReady(pod, events, w)));
  else if (ready) lines.push(w.notReady(name, ready.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ""})` : "", sinceText(pod, ready.lastTransitionTime, w)));
  else lines.push(w.noReadyCondition(name, pod.status?.phase ?? "unknown"));
  for (const c of pod.spec?.containers ?? []) {
    const st = (pod.status?.containerStatuses ?? []).find((s) => s.name === c.name);
    const started = st?.state?.running?.startedAt;
    lines.push(w.container(c.name, st ? w.readyState(st.ready, started ? sinceText(pod, started, w) : undefined, Object.keys(st.state ?? {})[0] ?? "unknown") : w.noStatus));
    const probes: Array<["readiness" | "liveness" | "startup", string, Probe | undefined]> = [
      ["startup", "Startup", c.startupProbe],
      ["readiness", "Readiness", c.readinessProbe],
      ["liveness", "Liveness", c.livenessProbe],
    ];
    let any = false;
    for (const [kind, type, probe] of probes) {
      if (!probe) continue;
      any = true;
      const f = probeFailures(events, c.name, type);
      const history = f.count ? w.failedTimes(f.count, f.at ? sinceCreation(pod, f.at, w) : "", f.last ?? "") : w.noFailure;
      lines.push(`    ${describeProbe(kind, probe, w)}: ${history}`);
      if (kind === "readiness") {
        const period = probe.periodSeconds ?? 10;
        const delay = probe.initialDelaySeconds ?? 0;
        const success = probe.successThreshold ?? 1;
        lines.push(w.readyNeeds(success, delay, period, delay + (success - 1) * period));
      }
      if (kind === "liveness") lines.push(w.livenessRestarts(probe.failureThreshold ?? 3, probe.periodSeconds ?? 10));
    }
    if (!any) lines.push(w.noProbes);
  }
  return lines;
}

/** Why a Ready pod is Ready: its readiness probes' thresholds met, or no probe at all. */
function whyReady(pod: Pod, events: Event[], w: Words): string {
  const reasons: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    const probe = c.readinessProbe;
    if (!probe) {
      reasons.push(w.noReadinessProbe(c.name));
      continue;
    }
    const f = probeFailures(events, c.name, "Readiness");
    const success = probe.successThreshold ?? 1;
    reasons.push(w.readinessMet(c.name, success, probe.periodSeconds ?? 10, probe.initialDelaySeconds ?? 0) + (f.count ? w.afterFailures(f.count, f.at ? sinceCreation(pod, f.at, w) : w.unknownTime) : ""));
  }
  return reasons.join("; ") || w.noContainers;
}

/** The restart back-off in words: restartCount, the last termination and when the next start is due. */
export function explainRestarts(pod: Pod, w: Words = EN): string[] {
  const lines: string[] = [];
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of all) {
    const waiting = s.state?.waiting;
    const last = s.lastState?.terminated;
    if (!s.restartCount && !last && waiting?.reason !== "CrashLoopBackOff") continue;
    lines.push(w.restartLine(s.name, s.restartCount ?? 0, Object.keys(s.state ?? {})[0] ?? "unknown", waiting?.reason ? ` (${waiting.reason})` : ""));
    if (last) lines.push(w.lastTerminated(last.reason ?? "?", String(last.exitCode), sinceCreation(pod, last.finishedAt, w)));
    const m = /back-off (\S+) restarting/.exec(waiting?.message ?? "");
    if (m) {
      const delay = goDurationSeconds(m[1]);
      const finished = Date.parse(last?.finishedAt ?? "");
      const next = Number.isNaN(finished) ? "" : w.nextStart(sinceCreation(pod, finished + delay * 1000, w));
      lines.push(w.backoff(m[1], next));
    } else if (s.restartCount) {
      lines.push(w.furtherCrash(Math.min(BACKOFF_INITIAL_S * 2 ** (s.restartCount - 1), BACKOFF_MAX_S)));
    }
  }
  return lines;
}

function goDurationSeconds(text: string): number {
  let s = 0;
  for (const [, n, u] of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) s += Number(n) * (u === "h" ? 3600 : u === "m" ? 60 : 1);
  return s;
}

function describeEvent(pod: Pod, e: Event, w: Words): string {
  const count = (e.count ?? e.series?.count ?? 1) > 1 ? ` (x${e.count ?? e.series?.count})` : "";
  const created = Date.parse(pod.metadata.creationTimestamp ?? "");
  const t = eventTime(e);
  const at = Number.isNaN(created) || !t ? w.unknownTime : `${w === EN ? "at " : ""}${w.seconds(t - created)}`;
  return `  ${at.padEnd(10)} ${e.type} ${e.reason}: ${String(e.message ?? "").trimEnd()}${count}`;
}

const IMAGE_WAIT_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName"]);

/** Containers waiting for their image, and why the image cannot be had: unknown name, missing tag, declared absent, private. */
export function explainImages(ctx: ClusterContext, pod: Pod): string[] {
  const w = wordsFor(ctx.language);
  const lines: string[] = [];
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const reason = s.state?.waiting?.reason;
    if (!reason || !IMAGE_WAIT_REASONS.has(reason)) continue;
    const image: string = specs.find((c) => c.name === s.name)?.image ?? s.image;
    lines.push(w.imageWaiting(s.name, reason, image));
    if (reason === "ErrImageNeverPull") {
      lines.push(w.neverPull(pod.spec?.nodeName ?? ""));
      continue;
    }
    const why = imageRegistry(ctx).explainMissing(image);
    lines.push(`  ${why ?? w.imageExistsNow}`);
  }
  return lines;
}

/**
 * Everything worth knowing about a pod, in words: readiness and probes, restarts and back-off,
 * scheduling when it has no node, recent events and the object as it stands.
 */
export function explainPod(ctx: ClusterContext, name: string, namespace = "default"): string {
  const w = wordsFor(ctx.language);
  const pod = ctx.api.get("Pod", namespace, name);
  if (!pod) return w.missingPod(name, namespace, ctx.api.list("Pod", { namespace }).map((p) => p.metadata.name ?? ""));
  const events = eventsOf(ctx, pod);
  const out: string[] = [w.podHead(name, pod.status?.phase ?? "unknown", pod.spec?.nodeName, Boolean(pod.metadata.deletionTimestamp))];
  if (!pod.spec?.nodeName) out.push("", w.scheduling, explainScheduling(pod, name, attemptIn(ctx, pod)));
  const images = explainImages(ctx, pod);
  if (images.length) out.push("", w.images, ...images);
  out.push("", w.readiness, ...explainReadiness(ctx, pod, events));
  const restarts = explainRestarts(pod, w);
  if (restarts.length) out.push("", w.restarts, ...restarts);
  out.push("", w.recentEvents(RECENT_EVENTS), ...(events.length ? events.slice(-RECENT_EVENTS).map((e) => describeEvent(pod, e, w)) : [w.none]));
  out.push("", w.asItStands, goYAML(pod).trimEnd());
  return out.join("\n");
}

/**
 * What follows a failed pod assertion's message: `--- why ---` and the short summary (the console
 * prints it), then `--- details ---` and the full explanation (the report keeps it; the console
 * leaves it out unless KUBE_SCENARIO_VERBOSE=1). support/console-formatter.mjs cuts at the markers.
 */
export const WHY_MARKER = "--- why ---";
export const DETAILS_MARKER = "--- details ---";

export function explanationOf(ctx: ClusterContext, pod: string, namespace = "default"): string {
  const details = ctx.api.get("Pod", namespace, pod) ? `\n\n${DETAILS_MARKER}\n${explainPod(ctx, pod, namespace)}` : "";
  return `\n\n${WHY_MARKER}\n${summarizePod(ctx, pod, namespace)}${details}`;
}

/** An Error whose message is followed by the pod's explanation (marked, so it is not explained twice). */
export function explainedError(ctx: ClusterContext, pod: string, namespace: string, message: string): Error {
  const err = new Error(message + explanationOf(ctx, pod, namespace));
  (err as ExplainedError).explained = true;
  return err;
}

/** Runs a check about a pod; when it fails, the error message is followed by the pod's explanation. */
export function withExplanation<T>(ctx: ClusterContext, pod: string, check: () => T, namespace = "default"): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof Error && !(err as ExplainedError).explained) {
      const details = err.message.indexOf(`\n\n${DETAILS_MARKER}\n`);
      // An assertion that put its own details (the object as it stands) after the marker keeps them, after the pod's summary.
      const [head, own] = details >= 0 ? [err.message.slice(0, details), err.message.slice(details + DETAILS_MARKER.length + 3)] : [err.message, ""];
      const exists = ctx.api.get("Pod", namespace, pod) !== undefined;
      const full = [own, exists ? explainPod(ctx, pod, namespace) : ""].filter(Boolean).join("\n\n");
      err.message = `${head}\n\n${WHY_MARKER}\n${summarizePod(ctx, pod, namespace)}${full ? `\n\n${DETAILS_MARKER}\n${full}` : ""}`;
      (err as ExplainedError).explained = true;
    }
    throw err;
  }
}

/** At most this many lines in a pod's summary (the console's `--- why ---`). */
export const SUMMARY_LINES = 15;
const SUMMARY_EVENTS = 5;
const LINE_WIDTH = 200;

const clip = (s: string) => (s.length > LINE_WIDTH ? `${s.slice(0, LINE_WIDTH - 1)}…` : s);

/** The pod in one line: phase, node, readiness and since when, restarts, deletion. */
function stateLine(pod: Pod, w: Words): string {
  const parts: string[] = [w.sumPhase(pod.status?.phase ?? "unknown"), w.sumNode(pod.spec?.nodeName)];
  const ready = condition(pod, "Ready");
  if (ready) parts.push(ready.status === "True" ? w.sumReady(sinceCreation(pod, ready.lastTransitionTime, w)) : w.sumNotReady(ready.reason, sinceCreation(pod, ready.lastTransitionTime, w)));
  const restarts = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].reduce((n: number, s) => n + (s.restartCount ?? 0), 0);
  if (restarts) parts.push(w.sumRestarts(restarts));
  if (pod.status?.reason) parts.push(w.sumReason(pod.status.reason, pod.status.message));
  if (pod.metadata.deletionTimestamp) parts.push(w.sumDeleting);
  const ns = pod.metadata.namespace && pod.metadata.namespace !== "default" ? pod.metadata.namespace : undefined;
  return w.sumPod(pod.metadata.name ?? "", ns, parts);
}

/** What the engine gives as the reason: the scheduler's message, containers' waiting/terminated states, failing probes, missing images. */
function reasonLines(ctx: ClusterContext, pod: Pod, events: Event[], w: Words): string[] {
  const lines: string[] = [];
  const images = explainImages(ctx, pod);
  const scheduled = condition(pod, "PodScheduled");
  if (!pod.spec?.nodeName && scheduled?.status === "False") lines.push(w.sumNotScheduled(scheduled.reason, scheduled.message));
  for (const st of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = st.state?.waiting;
    if (IMAGE_WAIT_REASONS.has(waiting?.reason ?? "") && images.length) continue; // said below, with why the image cannot be had
    if (waiting?.reason && waiting.reason !== "ContainerCreating" && waiting.reason !== "PodInitializing") lines.push(w.sumWaiting(st.name, waiting.reason, waiting.message));
    const term = st.state?.terminated ?? st.lastState?.terminated;
    if (term) lines.push(w.sumTerminated(st.name, Boolean(st.state?.terminated), term.reason ?? "?", String(term.exitCode), sinceCreation(pod, term.finishedAt, w)));
  }
  for (const c of pod.spec?.containers ?? []) {
    for (const [type, probe] of [["Startup", c.startupProbe], ["Readiness", c.readinessProbe], ["Liveness", c.livenessProbe]] as const) {
      if (!probe) continue;
      const f = probeFailures(events, c.name, type);
      if (f.count) lines.push(w.sumProbeFailed(c.name, type.toLowerCase(), f.count, f.at ? sinceCreation(pod, f.at, w) : w.unknownTime, f.last));
    }
  }
  lines.push(...images);
  return lines;
}

/**
 * A failing pod in at most SUMMARY_LINES lines, for the console: its state in one line, the
 * reason the engine gives (scheduler, container states, probes, images) and its last events.
 */
export function summarizePod(ctx: ClusterContext, name: string, namespace = "default"): string {
  const w = wordsFor(ctx.language);
  const pod = ctx.api.get("Pod", namespace, name);
  if (!pod) return clip(w.missingPod(name, namespace, ctx.api.list("Pod", { namespace }).map((p) => p.metadata.name ?? "")));
  const events = eventsOf(ctx, pod);
  const reasons = reasonLines(ctx, pod, events, w);
  const room = SUMMARY_LINES - 2 - Math.min(events.length, SUMMARY_EVENTS);
  const out = [stateLine(pod, w), ...reasons.slice(0, Math.max(1, room))];
  const recent = events.slice(-Math.min(SUMMARY_EVENTS, SUMMARY_LINES - out.length - 1));
  if (recent.length) out.push(w.sumLastEvents(events.length), ...recent.map((e) => describeEvent(pod, e, w)));
  return out.slice(0, SUMMARY_LINES).map(clip).join("\n");
}

/** Every pod outside the system namespaces explained (for a failed scenario's report), at most `max`. */
export function explainPods(ctx: ClusterContext, max = 20): string {
  const pods = ctx.api.list("Pod").filter((p) => !["kube-system", "kube-node-lease", "kube-public"].includes(p.metadata.namespace ?? "default"));
  const w = wordsFor(ctx.language);
  if (pods.length === 0) return w.noPods;
  const shown = pods.slice(0, max).map((p) => explainPod(ctx, p.metadata.name ?? "", p.metadata.namespace ?? "default"));
  if (pods.length > max) shown.push(w.morePods(pods.length - max));
  return shown.join("\n\n" + "=".repeat(72) + "\n\n");
}
