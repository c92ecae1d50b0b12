/**
 * Kyverno's Events (github.com/kyverno/kyverno at v1.14.5, pkg/event): what the admission
 * controller (source `kyverno-admission`, pkg/webhooks/utils/event.go GenerateEvents) and the
 * background scan (source `kyverno-scan`, pkg/controllers/report/utils/events.go) report of their
 * engine responses, written by the event generator (controller.go emitEvent) as events.k8s.io/v1
 * Events: named `<regarding name>.<unix nanoseconds in hex>` in the regarding object's namespace
 * (`default` for a cluster-scoped one), type Warning (Normal for PolicyApplied and PolicySkipped),
 * `reportingController` the source and `reportingInstance` `<source>-<hostname>`. The release's
 * `--omitEvents=PolicyApplied,PolicySkipped` leaves PolicyViolation and PolicyError.
 *
 * - NewPolicyFailEvent: regarding the policy, related the resource, PolicyViolation,
 *   `<Kind> <ns>/<name>: [<rule>] <status>[ (blocked)]; <message>`;
 * - NewResourceViolationEvent: regarding the resource, `policy <policy>/<rule> <status>: <message>`.
 */
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import type { EngineResponse, RuleResponse } from "./engine.ts";
import type { GVK, Obj, Policy } from "./policy.ts";

export interface EventSink {
  client(): ApiServer | undefined;
  now(): number;
  /** The event source: `kyverno-admission` or `kyverno-scan`. */
  source: string;
  /** The pod's hostname (the generator's os.Hostname()). */
  hostname?: string;
  /** `--omitEvents`. */
  omit: Set<string>;
  /** Events written so far: a tie-breaker in the names of Events of one instant. */
  seq?: number;
}

interface Ref {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

/** corev1.ObjectReference's JSON: empty fields are omitted. */
const refJSON = (r: Ref): Ref => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== "" && v !== undefined)) as unknown as Ref;

export interface EventInfo {
  regarding: Ref;
  related?: Ref;
  reason: "PolicyViolation" | "PolicyApplied" | "PolicyError" | "PolicySkipped";
  message: string;
  action: string;
}

const policyRef = (p: Policy): Ref => ({ apiVersion: "kyverno.io/v1", kind: p.kind === "Policy" ? "Policy" : "ClusterPolicy", name: p.metadata.name, ...(p.metadata.namespace ? { namespace: p.metadata.namespace } : {}), uid: p.metadata.uid ?? "" });

function resourceRef(resource: Obj, gvk: GVK): Ref {
  const m = (resource.metadata ?? {}) as { name?: string; namespace?: string; uid?: string };
  return { apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, kind: gvk.kind, name: m.name ?? "", ...(m.namespace ? { namespace: m.namespace } : {}), uid: m.uid ?? "" };
}

/** buildPolicyEventMessage. */
export function policyEventMessage(rule: RuleResponse, res: Ref, blocked: boolean): string {
  let s = res.namespace ? `${res.kind} ${res.namespace}/${res.name}` : `${res.kind} ${res.name}`;
  s += `: [${rule.name}] ${rule.status}`;
  if (blocked) s += " (blocked)";
  if (rule.message) s += `; ${rule.message}`;
  return s;
}

export function policyFailEvent(r: EngineResponse, rule: RuleResponse, res: Ref, blocked: boolean): EventInfo {
  return { regarding: policyRef(r.policy), related: res, reason: "PolicyViolation", message: policyEventMessage(rule, res, blocked), action: blocked ? "Resource Blocked" : "Resource Passed" };
}

export function resourceViolationEvent(r: EngineResponse, rule: RuleResponse, res: Ref): EventInfo {
  return { regarding: res, reason: "PolicyViolation", message: `policy ${r.policy.metadata.name}/${rule.name} ${rule.status}: ${rule.message}`, action: "Resource Passed" };
}

const failed = (r: EngineResponse) => r.rules.some((x) => x.status === "fail" || x.status === "error");

/** webhookutils.GenerateEvents: the admission controller's Events for its validate responses. */
export function admissionEvents(responses: EngineResponse[], resource: Obj, gvk: GVK, blocked: boolean): EventInfo[] {
  const out: EventInfo[] = [];
  const res = resourceRef(resource, gvk);
  if (!res.name) return out;
  for (const r of responses) {
    if (r.rules.length === 0 || !failed(r)) continue;
    for (const rule of r.rules) {
      if (rule.status === "fail" || rule.status === "error") out.push(policyFailEvent(r, rule, res, blocked));
      if (!blocked) out.push(resourceViolationEvent(r, rule, res));
    }
  }
  return out;
}

/** generateFailEvents: the background scan's Events for the rules that did not pass or skip. */
export function scanEventInfos(responses: EngineResponse[], resource: Obj, gvk: GVK): EventInfo[] {
  const out: EventInfo[] = [];
  const res = resourceRef(resource, gvk);
  for (const r of responses) {
    for (const rule of r.rules) {
      if (rule.status === "pass" || rule.status === "skip") continue;
      out.push(resourceViolationEvent(r, rule, res));
      out.push(policyFailEvent(r, rule, res, false));
    }
  }
  return out;
}

/** metav1.MicroTime as it is serialised. */
const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

/** emitEvent: the events.k8s.io/v1 Event of an EventInfo. */
export function eventObject(info: EventInfo, source: string, hostname: string, nowMs: number, seq: number): Obj {
  const type = info.reason === "PolicyApplied" || info.reason === "PolicySkipped" ? "Normal" : "Warning";
  const nanos = BigInt(nowMs) * 1_000_000n + BigInt(seq);
  const message = info.message.length > 1024 ? info.message.slice(0, 1021) + "..." : info.message;
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name: `${info.regarding.name}.${nanos.toString(16)}`, namespace: info.regarding.namespace || "default" },
    eventTime: micro(nowMs),
    reportingController: source,
    reportingInstance: `${source}-${hostname}`,
    action: info.action,
    reason: info.reason,
    regarding: refJSON(info.regarding),
    ...(info.related ? { related: refJSON(info.related) } : {}),
    note: message,
    type,
  };
}

/** The generator's queue: each Event created as the sink's client; a failure other than NotFound is logged by the caller's client and dropped here. */
export function emit(sink: EventSink, infos: EventInfo[]): void {
  const client = sink.client();
  if (!client) return;
  for (const info of infos) {
    if (sink.omit.has(info.reason)) continue;
    try {
      const seq = sink.seq ?? 0;
      sink.seq = seq + 1;
      client.create(eventObject(info, sink.source, sink.hostname ?? "", sink.now(), seq % 1000) as unknown as KObject);
    } catch {
      /* dropped, as the generator drops an event after its retries */
    }
  }
}

/** NewBackgroundFailedEvent: a generate rule the background controller could not carry out (source kyverno-generate). */
export function backgroundFailedEvent(policy: Policy, rule: string, trigger: { kind: string; namespace?: string; name: string }, err: string): EventInfo {
  return { regarding: policyRef(policy), related: { kind: trigger.kind, name: trigger.name, ...(trigger.namespace ? { namespace: trigger.namespace } : {}) }, reason: "PolicyError", message: rule ? `policy ${policy.metadata.name}/${rule} error: ${err}` : `policy ${policy.metadata.name} error: ${err}`, action: "None" };
}

export function scanEvents(sink: EventSink, responses: EngineResponse[], resource: Obj, gvk: GVK): void {
  emit(sink, scanEventInfos(responses, resource, gvk));
}
