/**
 * The pods/log subresource (pkg/registry/core/pod/rest/log.go, the container choice of
 * pkg/registry/core/pod/strategy.go's LogLocation, ValidatePodLogOptions, and the kubelet's
 * ReadLogs): a container's log as plain text with `tailLines`, `sinceSeconds`, `sinceTime`,
 * `timestamps`, `limitBytes` and `previous`; `follow` keeps the response open and sends each line as
 * the container writes it, as simulated time passes, until the container ends.
 */
import { ApiError, fieldErr, invalidError, type FieldError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import { logRecords, renderRecord, selectRecords, truncateBytes, type LogOptions } from "../../kubelet/kuberuntime/logs.ts";
import { containerInstance } from "../../kubelet/server.ts";
import { followLog } from "../../kubelet/kuberuntime/runtime_service.ts";
import { queryBool, queryInt64 } from "../../api/options.ts";
import type { RequestScope, Result } from "../handlers/rest.ts";

interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: number;
  tailLines?: number;
  limitBytes?: number;
}

/** metav1.Time's UnmarshalQueryParameter: RFC 3339, with Go's parse error. */
function parseTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const ms = m ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new ApiError("BadRequest", `parsing time ${JSON.stringify(text)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(text)} as "2006"`);
  // metav1.Time keeps whole seconds.
  return Math.floor(ms / 1000) * 1000;
}

function podLogOptions(q: URLSearchParams, name: string, delta: number): PodLogOptions {
  const o: PodLogOptions = {
    container: q.get("container") ?? "",
    follow: queryBool(q, "follow"),
    previous: queryBool(q, "previous"),
    timestamps: queryBool(q, "timestamps"),
    sinceSeconds: queryInt64(q, "sinceSeconds"),
    sinceTime: q.has("sinceTime") ? parseTime(q.get("sinceTime")!) - delta : undefined,
    tailLines: queryInt64(q, "tailLines"),
    limitBytes: queryInt64(q, "limitBytes"),
  };
  const errs: FieldError[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) errs.push(fieldErr.invalid("tailLines", o.tailLines, "must be greater than or equal to 0"));
  if (o.limitBytes !== undefined && o.limitBytes < 1) errs.push(fieldErr.invalid("limitBytes", o.limitBytes, "must be greater than 0"));
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) errs.push(fieldErr.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) errs.push(fieldErr.invalid("sinceSeconds", o.sinceSeconds, "must be greater than 0"));
  if (errs.length) throw invalidError("PodLogOptions", name, errs);
  return o;
}

/** LogLocation's choice: the named container, else the only one. */
function containerOf(pod: KObject, requested: string): string {
  if (requested) return requested;
  const names = (list: Array<{ name: string }> | undefined) => (list ?? []).map((c) => c.name).join(" ");
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 1) return containers[0].name;
  const name = pod.metadata.name;
  if (containers.length === 0) throw new ApiError("BadRequest", `a container name must be specified for pod ${name}`);
  let msg = `a container name must be specified for pod ${name}, choose one of: [${names(containers)}]`;
  if (pod.spec?.initContainers?.length) msg += ` or one of the init containers: [${names(pod.spec.initContainers)}]`;
  throw new ApiError("BadRequest", msg);
}

export function getLog(s: RequestScope, name: string): Result {
  const { cluster, res } = s;
  const o = podLogOptions(s.query, name, s.delta);
  const pod = cluster.api.getOrThrow("Pod", s.ns, name);
  const instance = containerInstance(cluster.ctx, pod, containerOf(pod, o.container), o.previous);
  if (!instance) {
    // No node yet: LogLocation has no location, and the stream is empty.
    res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
    res.end();
    return undefined;
  }
  const now = cluster.clock.now();
  const opts: LogOptions = {
    tail: o.tailLines,
    since: o.sinceSeconds !== undefined ? now - o.sinceSeconds * 1000 : o.sinceTime,
    timestamps: o.timestamps,
  };
  let left = o.limitBytes ?? Infinity;
  const send = (text: string) => {
    if (!text || left <= 0) return;
    const cut = left === Infinity ? text : truncateBytes(text, left);
    left -= Buffer.byteLength(cut);
    res.write(cut);
  };
  res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
  const running = () => instance.state === "running" || instance.state === "created";
  if (!o.follow || !running()) {
    send(selectRecords(logRecords(instance), opts).map((r) => renderRecord(r, o.timestamps, s.delta)).join(""));
    res.end();
    return undefined;
  }
  // Follow: whole lines as they are written; what is left (a last line without newline) when the container ends.
  const all = logRecords(instance);
  const complete = (rs: typeof all) => (rs.length && !rs[rs.length - 1]!.line.endsWith("\n") ? rs.length - 1 : rs.length);
  let sent = complete(all);
  send(selectRecords(all.slice(0, sent), opts).map((r) => renderRecord(r, o.timestamps, s.delta)).join(""));
  const since = opts.since;
  const flush = (final: boolean) => {
    const rs = logRecords(instance);
    const upto = final ? rs.length : complete(rs);
    for (const r of rs.slice(sent, upto)) if (since === undefined || r.time >= since) send(renderRecord(r, o.timestamps, s.delta));
    sent = Math.max(sent, upto);
    if (left <= 0) stop();
  };
  const onLog = () => flush(false);
  const onExit = () => {
    flush(true);
    stop();
  };
  const stop = () => {
    instance.onLog?.delete(onLog);
    const i = instance.onExited.indexOf(onExit);
    if (i >= 0) instance.onExited.splice(i, 1);
    s.watchers.delete(stop);
    res.end();
  };
  followLog(instance, onLog);
  instance.onExited.push(onExit);
  s.watchers.add(stop);
  res.on("close", stop);
  return undefined;
}
