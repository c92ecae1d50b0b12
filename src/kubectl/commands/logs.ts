/**
 * `kubectl logs [-f] [-p] (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER]`
 * (staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go, polymorphichelpers/logsforobject.go): the
 * container's standard output and error as the kubelet kept them, read through the kubelet's
 * ReadLogs (through the kubelet client, src/api/kubeletclient.ts; the facade's pods/log reads the same) with `--tail`,
 * `--since`, `--since-time`, `--timestamps` (simulated instants) and `--limit-bytes`; `--previous`,
 * `--all-containers`, `--prefix`, `-l` (tail 10 unless given), `--all-pods`, and a workload
 * (`deployment/web`, `job/x`, `service/x`, ...) whose pods are ranked as podutils.ByLogging ranks
 * them. `-f` returns what the container printed up to now and says so on stderr: simulated time
 * does not pass while a command runs.
 */
import { ApiError, fieldErr, invalidError } from "../../api/errors.ts";
import { labelSelectorAsSelector, parseSelector, selectorFromSet, type Selector } from "../../api/labels.ts";
import type { KObject } from "../../api/types.ts";
import { isPodReady, podCondition } from "../../api/pod/util.ts";
import { timeOf } from "../../controllers/util/pod.ts";
import { kubeletClient, type LogOptions } from "../../api/kubeletclient.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { defaultContainer } from "../podcmd.ts";
import { apiErrorText, fetch, selectionsFromArgs } from "./builder.ts";

const USAGE = "See 'kubectl logs -h' for help and examples";
const LOGS_USAGE_ERR = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

export const logsCommand: CommandDef = {
  path: ["logs"],
  flags: [
    { long: "container", short: "c", type: "string" },
    { long: "previous", short: "p", type: "bool" },
    { long: "tail", type: "string", default: "-1" },
    { long: "all-containers", type: "bool" },
    { long: "all-pods", type: "bool" },
    { long: "timestamps", type: "bool" },
    { long: "follow", short: "f", type: "bool" },
    { long: "prefix", type: "bool" },
    { long: "selector", short: "l", type: "string" },
    { long: "since", type: "string", default: "0s" },
    { long: "since-time", type: "string" },
    { long: "limit-bytes", type: "string", default: "0" },
    { long: "max-log-requests", type: "string", default: "5" },
    { long: "ignore-errors", type: "bool" },
    { long: "insecure-skip-tls-verify-backend", type: "bool" },
    { long: "pod-running-timeout", type: "string", default: "20s" },
  ],
  run: runLogs,
};

const usageError = (msg: string) => new KubectlError(`error: ${msg}\n${USAGE}`, 1, true);

/** pflag's Int64 flag value, with its parse error. */
function int64Flag(inv: Invocation, name: string): number {
  const text = String(inv.flags[name]);
  if (!/^[+-]?\d+$/.test(text)) {
    throw new KubectlError(`Error: invalid argument ${JSON.stringify(text)} for "--${name}" flag: strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax\nSee 'kubectl logs --help' for usage.`, 1, true);
  }
  return Number(text);
}

/**
 * Go's time.ParseDuration (milliseconds; sub-millisecond parts kept as fractions), with its error
 * texts as pflag's DurationVar reports them.
 */
export function parseGoDuration(text: string, flag: string): number {
  const fail = (why: string) =>
    new KubectlError(`Error: invalid argument ${JSON.stringify(text)} for "--${flag}" flag: time: ${why}\nSee 'kubectl logs --help' for usage.`, 1, true);
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw fail(`invalid duration ${JSON.stringify(text)}`);
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  while (s !== "") {
    const num = /^(\d*)(\.\d*)?/.exec(s)!;
    if (!num[1] && (!num[2] || num[2] === ".")) throw fail(`invalid duration ${JSON.stringify(text)}`);
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (!unit) throw fail(`missing unit in duration ${JSON.stringify(text)}`);
    if (!(unit in units)) throw fail(`unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    total += Number(num[0]) * units[unit]!;
    s = s.slice(unit.length);
  }
  return sign * total;
}

/** util.ParseRFC3339: RFC 3339 with or without fractions, Go's parse error otherwise. */
function parseRFC3339(text: string): number {
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const ms = m ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new KubectlError(`parsing time ${JSON.stringify(text)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(text)} as "2006"`);
  return Math.floor(ms / 1000) * 1000; // metav1.Time keeps whole seconds
}

/** One log request: a pod's container. */
interface LogRequest {
  pod: KObject;
  container: string;
}

/** podutils.ByLogging: the pod whose logs are most telling first. */
export function byLogging(a: KObject, b: KObject): number {
  const na = a.spec?.nodeName ?? "";
  const nb = b.spec?.nodeName ?? "";
  if (na !== nb && (!na || !nb)) return na ? -1 : 1;
  const rank = (p: KObject) => ({ Running: 0, Unknown: 1, Pending: 2 })[String(p.status?.phase)] ?? 0;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? -1 : 1;
  if (ra && rb) {
    // Ready for longer first; a pod without a ready time after.
    const ta = timeOf(podCondition(a, "Ready")?.lastTransitionTime);
    const tb = timeOf(podCondition(b, "Ready")?.lastTransitionTime);
    if (ta !== tb) return afterOrZero(tb, ta) ? -1 : 1;
  }
  const restarts = (p: KObject) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s: { restartCount?: number }) => s.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const ca = timeOf(a.metadata.creationTimestamp);
  const cb = timeOf(b.metadata.creationTimestamp);
  if (ca !== cb) return afterOrZero(cb, ca) ? -1 : 1;
  return 0;
}

/** podutils' afterOrZero: t1 is after t2, or t1 is the zero time and t2 is not. */
function afterOrZero(t1: number, t2: number): boolean {
  if (!t1 || !t2) return !t1;
  return t1 > t2;
}

/**
 * polymorphichelpers.SelectorsForObject: the pods a workload or Service stands for; its errors are
 * wrapped as the caller words them (`cannot get the logs from %T`, exec's `cannot attach to %T`).
 */
export function selectorFor(obj: KObject, what = "get the logs from"): Selector {
  const goType = `*${obj.apiVersion?.includes("/") ? obj.apiVersion.split("/")[1] : "v1"}.${obj.kind}`;
  switch (obj.kind) {
    case "ReplicationController":
      return selectorFromSet(obj.spec?.selector);
    case "ReplicaSet":
    case "Deployment":
    case "DaemonSet":
    case "StatefulSet":
    case "Job":
      try {
        return labelSelectorAsSelector(obj.spec?.selector);
      } catch (e) {
        throw new KubectlError(`cannot ${what} ${goType}: invalid label selector: ${(e as Error).message}`);
      }
    case "Service":
      if (!obj.spec?.selector || Object.keys(obj.spec.selector).length === 0) {
        throw new KubectlError(`cannot ${what} ${goType}: invalid service '${obj.metadata.name}': Service is defined without a selector`);
      }
      return selectorFromSet(obj.spec.selector);
    default:
      throw new KubectlError(`cannot ${what} ${goType}: selector for ${goType} not implemented`);
  }
}

/** The pods of the namespace a selector matches, ByLogging first. */
function podsMatching(inv: Invocation, selector: Selector): KObject[] {
  return inv.ctx.api.list("Pod", { namespace: inv.namespace, labelSelector: (l) => selector.matches(l) }).sort(byLogging);
}

/** LogsForObject for one pod: its containers (all of them, or the chosen one). */
function requestsForPod(inv: Invocation, pod: KObject, container: string, allContainers: boolean, quiet: boolean): LogRequest[] {
  if (allContainers) {
    return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c: { name: string }) => ({ pod, container: c.name }));
  }
  const name = defaultContainer(pod, container, (t) => {
    if (!quiet || !t.startsWith("Defaulted")) inv.err(t);
  });
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (!all.some((c: { name: string }) => c.name === name)) {
    throw new KubectlError(`container ${name} is not valid for pod ${pod.metadata.name}`);
  }
  return [{ pod, container: name }];
}

function runLogs(inv: Invocation): number {
  const f = inv.flags;
  const args = inv.args.filter((_, i) => inv.dashIndex < 0 || i < inv.dashIndex);
  const selector = String(f.selector ?? "");
  // Complete: the arguments.
  if (args.length === 0 && !selector) throw usageError(LOGS_USAGE_ERR);
  if (args.length === 1 && selector) throw usageError("only a selector (-l) or a POD name is allowed");
  if (args.length > 2) throw usageError(LOGS_USAGE_ERR);
  let container = String(f.container ?? "");
  const containerFlag = container !== "";
  if (args.length === 2) container = args[1]!;
  // ToLogOptions.
  const opts: LogOptions = { timestamps: !!f.timestamps };
  const tail = int64Flag(inv, "tail");
  const limitBytes = int64Flag(inv, "limit-bytes");
  const sinceMs = parseGoDuration(String(f.since), "since");
  const sinceTime = f["since-time"] ? parseRFC3339(String(f["since-time"])) : undefined;
  let sinceSeconds: number | undefined;
  if (sinceMs !== 0) sinceSeconds = Math.sign(sinceMs) * Math.round(Math.abs(sinceMs) / 1000);
  const tailSpecified = inv.set.has("tail");
  if (selector && tail === -1 && !tailSpecified) opts.tail = 10;
  else if (tail !== -1) opts.tail = tail;
  if (limitBytes !== 0) opts.limitBytes = limitBytes;

  // The builder: the pod, the object named, or the pods a selector matches.
  let requests: LogRequest[];
  const allContainers = !!f["all-containers"];
  if (selector) {
    let sel: Selector;
    try {
      sel = parseSelector(selector);
    } catch (e) {
      throw new KubectlError((e as Error).message);
    }
    const pods = podsMatching(inv, sel).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    if (pods.length === 0) inv.err(`No resources found in ${inv.namespace} namespace.`);
    validate();
    requests = pods.flatMap((p) => requestsForPod(inv, p, container, allContainers, false));
  } else {
    const arg = args[0]!;
    const selections = arg.includes("/") ? selectionsFromArgs(inv, [arg]) : selectionsFromArgs(inv, ["pods", arg]);
    const found = fetch(inv, selections, { namespace: inv.namespace });
    // The builder's Infos() of a single named object words a missing one its own way.
    const missing = found.errors[0];
    if (missing) {
      const r = selections[0]!.r;
      const name = arg.includes("/") ? arg.split("/")[1]! : arg;
      if (missing.reason !== "NotFound") throw missing;
      throw new KubectlError(`error from server (NotFound): ${r.plural}${r.group ? `.${r.group}` : ""} ${JSON.stringify(name)} not found in namespace ${JSON.stringify(inv.namespace)}`);
    }
    const obj = found.items[0]!.obj;
    validate();
    if (obj.kind === "Pod") requests = requestsForPod(inv, obj, container, allContainers, false);
    else {
      const pods = podsMatching(inv, selectorFor(obj));
      if (pods.length === 0) throw new KubectlError("timed out waiting for the condition");
      if (pods.length > 1 && f["all-pods"]) requests = pods.flatMap((p) => requestsForPod(inv, p, container, allContainers, true));
      else {
        if (pods.length > 1) inv.err(`Found ${pods.length} pods, using pod/${pods[0]!.metadata.name}`);
        requests = requestsForPod(inv, pods[0]!, container, allContainers, false);
      }
    }
  }

  /** LogsOptions.Validate (after the builder, as kubectl runs it). */
  function validate(): void {
    if (sinceTime !== undefined && sinceMs !== 0) throw new KubectlError("at most one of `sinceTime` or `sinceSeconds` may be specified");
    if (allContainers && container) throw new KubectlError(`--all-containers=true should not be specified with container name ${container}`);
    if (containerFlag && args.length === 2) throw new KubectlError("only one of -c or an inline [CONTAINER] arg is allowed");
    if (limitBytes < 0) throw new KubectlError("--limit-bytes must be greater than 0");
    if (sinceSeconds !== undefined && sinceSeconds < 0) throw new KubectlError("--since must be greater than 0");
    if (opts.tail !== undefined && opts.tail < -1) throw new KubectlError("--tail must be greater than or equal to -1");
  }

  if (f.follow && requests.length > 1) {
    const max = int64Flag(inv, "max-log-requests");
    if (requests.length > max) {
      throw new KubectlError(`you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
    }
  }
  const now = inv.ctx.clock.now();
  let streaming = false;
  for (const req of requests) {
    // The API server's PodLogOptions validation, then the kubelet's ReadLogs.
    if (sinceSeconds === 0) throw invalidError("PodLogOptions", req.pod.metadata.name!, [fieldErr.invalid("sinceSeconds", 0, "must be greater than 0")]);
    let text: string;
    try {
      const log = kubeletClient(inv.ctx).containerLogs(req.pod, req.container, !!f.previous, { ...opts, since: sinceSeconds !== undefined ? now - sinceSeconds * 1000 : sinceTime });
      if (log.live) streaming = true;
      text = log.text;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (!f["ignore-errors"] || !f.follow) throw e;
      inv.write!(`error: ${apiErrorText(e)}\n`);
      continue;
    }
    if (f.prefix || f["all-pods"]) {
      // --all-pods implies --prefix (v1.32's Complete).
      const prefix = `[pod/${req.pod.metadata.name}/${req.container}] `;
      text = text.replace(/^(?=.)/gms, prefix);
    }
    if (text) inv.write!(text);
  }
  // A real kubectl would go on following a running container; this one has printed what there is.
  if (f.follow && streaming) inv.err("kube-scenario: kubectl logs -f printed the log up to now (simulated time does not pass while a command runs)");
  return 0;
}
