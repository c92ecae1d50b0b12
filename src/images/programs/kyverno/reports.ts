/**
 * Kyverno's reports (github.com/kyverno/kyverno at v1.14.5, pkg/utils/report and
 * pkg/controllers/report/aggregate): the results an engine response becomes
 * (ToPolicyReportResult), their order and summary (SortReportResults, CalculateSummary), the
 * EphemeralReports the admission controller (`source: admission`) and the background scan
 * (`source: background-scan`) write (NewAdmissionReport, NewBackgroundScanReport), the merge the
 * aggregate controller makes of them (mergeReports: the newest result per source, policy, rule and
 * resource, for policies and rules that still exist) and the per-resource PolicyReport
 * (NewPolicyReport: named by the resource's uid, `scope` the resource).
 */
import { createHash } from "node:crypto";
import type { EngineResponse, RuleResponse } from "./engine.ts";
import { computeRules, type Obj, type Policy } from "./policy.ts";

export const EPHEMERAL_REPORTS = "ephemeralreports.reports.kyverno.io";
export const CLUSTER_EPHEMERAL_REPORTS = "clusterephemeralreports.reports.kyverno.io";
export const POLICY_REPORTS = "policyreports.wgpolicyk8s.io";
export const CLUSTER_POLICY_REPORTS = "clusterpolicyreports.wgpolicyk8s.io";

export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
export const LABEL_RESOURCE_HASH = "audit.kyverno.io/resource.hash";
export const LABEL_RESOURCE_UID = "audit.kyverno.io/resource.uid";
export const LABEL_RESOURCE_GVR = "audit.kyverno.io/resource.gvr";
export const LABEL_RESOURCE_GROUP = "audit.kyverno.io/resource.group";
export const LABEL_RESOURCE_VERSION = "audit.kyverno.io/resource.version";
export const LABEL_RESOURCE_KIND = "audit.kyverno.io/resource.kind";
export const LABEL_SOURCE = "audit.kyverno.io/source";
export const ANNOTATION_RESOURCE_NAMESPACE = "audit.kyverno.io/resource.namespace";
export const ANNOTATION_RESOURCE_NAME = "audit.kyverno.io/resource.name";
export const ANNOTATION_LAST_SCAN_TIME = "audit.kyverno.io/last-scan-time";

export interface ReportResult {
  source: string;
  policy: string;
  rule?: string;
  message?: string;
  result?: "pass" | "fail" | "warn" | "error" | "skip";
  scored?: boolean;
  properties?: Record<string, string>;
  timestamp: { nanos: number; seconds: number };
  category?: string;
  severity?: string;
}

export interface Summary {
  error: number;
  fail: number;
  pass: number;
  skip: number;
  warn: number;
}

export interface GVKR {
  group: string;
  version: string;
  kind: string;
  resource: string;
}

/** cache.MetaNamespaceKeyFunc: `ns/name` for a Policy, `name` for a ClusterPolicy. */
export const policyKeyOf = (p: Policy): string => (p.metadata.namespace ? `${p.metadata.namespace}/${p.metadata.name}` : p.metadata.name);

/** PolicyLabel: `cpol.kyverno.io/<name>` or `pol.kyverno.io/<name>`, valued with the policy's resourceVersion. */
export const policyLabel = (p: Policy): string => `${p.kind === "Policy" ? "pol.kyverno.io" : "cpol.kyverno.io"}/${p.metadata.name}`;

const SEVERITIES = new Set(["critical", "high", "medium", "low", "info"]);

/** ToPolicyReportResult for a Kyverno policy's rule. */
export function toResult(policy: Policy, rule: RuleResponse, nowMs: number): ReportResult {
  const ann = policy.metadata.annotations ?? {};
  const scored = ann["policies.kyverno.io/scored"] !== "false";
  const background = policy.spec.background !== false;
  const admission = policy.spec.admission !== false;
  const process = background ? "background scan" : admission ? "admission review" : "";
  const out: ReportResult = {
    source: "kyverno",
    policy: policyKeyOf(policy),
    rule: rule.name,
    ...(rule.message ? { message: rule.message } : {}),
    result: rule.status === "fail" && !scored ? "warn" : rule.status,
    ...(scored ? { scored: true } : {}),
    properties: { ...(rule.properties ?? {}), process },
    timestamp: { nanos: 0, seconds: Math.floor(nowMs / 1000) },
  };
  const category = ann["policies.kyverno.io/category"];
  const severity = ann["policies.kyverno.io/severity"];
  if (category) out.category = category;
  if (severity && SEVERITIES.has(severity)) out.severity = severity;
  return out;
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** metav1.Timestamp's String(): its protobuf text form. */
const timestampString = (t: ReportResult["timestamp"]) => (t.seconds ? `seconds:${t.seconds}` : "") + (t.nanos ? ` nanos:${t.nanos}` : "");

/** SortReportResults: by policy, rule, source, then timestamp. */
export function sortResults(results: ReportResult[]): ReportResult[] {
  return results.sort((a, b) => cmp(a.policy, b.policy) || cmp(a.rule ?? "", b.rule ?? "") || cmp(a.source, b.source) || cmp(timestampString(a.timestamp), timestampString(b.timestamp)));
}

/** CalculateSummary. */
export function summarize(results: ReportResult[]): Summary {
  const s: Summary = { error: 0, fail: 0, pass: 0, skip: 0, warn: 0 };
  for (const r of results) if (r.result) s[r.result]++;
  return s;
}

/** The results of engine responses, with the policy labels the report carries (SetResponses). */
export function responsesToResults(responses: EngineResponse[], nowMs: number): { results: ReportResult[]; policyLabels: Record<string, string> } {
  const results: ReportResult[] = [];
  const policyLabels: Record<string, string> = {};
  for (const r of responses) {
    policyLabels[policyLabel(r.policy)] = r.policy.metadata.resourceVersion ?? "";
    for (const rule of r.rules) results.push(toResult(r.policy, rule, nowMs));
  }
  return { results: sortResults(results), policyLabels };
}

/** SetResourceGVR: `<resource>.<version>[.<group>]`, split in three labels when longer than 63 characters. */
export function gvrLabels(g: GVKR): Record<string, string> {
  const s = `${g.resource}.${g.version}.${g.group}`;
  if (s.length > 63) return { [LABEL_RESOURCE_GROUP]: g.group, [LABEL_RESOURCE_VERSION]: g.version, [ANNOTATION_RESOURCE_NAME]: g.resource };
  return { [LABEL_RESOURCE_GVR]: g.group ? s : `${g.resource}.${g.version}` };
}

/** GetResourceGVR. */
export function gvrOf(labels: Record<string, string>): { group: string; version: string; resource: string } {
  const group = labels[LABEL_RESOURCE_GROUP] ?? "";
  const version = labels[LABEL_RESOURCE_VERSION] ?? "";
  const resource = labels[ANNOTATION_RESOURCE_NAME] ?? "";
  if (group && version && resource && (group + version + resource).length > 63) return { group, version, resource };
  const c = labels[LABEL_RESOURCE_GVR] ?? "";
  const parts = c.split(".");
  if (parts.length >= 3) return { resource: parts[0]!, version: parts[1]!, group: parts.slice(2).join(".") };
  if (parts.length === 2) return { resource: parts[0]!, version: parts[1]!, group: "" };
  return { resource: c, version: "", group: "" };
}

/** An EphemeralReport (or ClusterEphemeralReport when `namespace` is empty) with its results and summary. */
function ephemeral(namespace: string, generateName: string, labels: Record<string, string>, annotations: Record<string, string>, results: ReportResult[], owner?: Obj): Obj {
  return {
    apiVersion: "reports.kyverno.io/v1",
    kind: namespace ? "EphemeralReport" : "ClusterEphemeralReport",
    metadata: { generateName, ...(namespace ? { namespace } : {}), labels, annotations, ...(owner ? { ownerReferences: [owner] } : {}) },
    spec: { owner: { apiVersion: "", kind: "", name: "", uid: "" }, results, summary: summarize(results) },
  };
}

/** BuildAdmissionReport: named `<request uid>-…`, labelled with the resource's uid, GVR and GVK. */
export function admissionReport(opts: { requestUid: string; resource: Obj; gvkr: GVKR; responses: EngineResponse[]; nowMs: number }): Obj | undefined {
  const meta = (opts.resource.metadata ?? {}) as { name?: string; namespace?: string; uid?: string };
  const { results, policyLabels } = responsesToResults(opts.responses, opts.nowMs);
  if (results.length === 0) return undefined;
  const labels: Record<string, string> = {
    ...policyLabels,
    [LABEL_MANAGED_BY]: "kyverno",
    [LABEL_RESOURCE_UID]: meta.uid ?? "",
    ...gvrLabels(opts.gvkr),
    [LABEL_RESOURCE_GROUP]: opts.gvkr.group,
    [LABEL_RESOURCE_VERSION]: opts.gvkr.version,
    [LABEL_RESOURCE_KIND]: opts.gvkr.kind,
    [LABEL_SOURCE]: "admission",
  };
  return ephemeral(meta.namespace ?? "", `${opts.requestUid}-`, labels, { [ANNOTATION_RESOURCE_NAMESPACE]: meta.namespace ?? "", [ANNOTATION_RESOURCE_NAME]: meta.name ?? "" }, results);
}

/** The background scan's report (NewBackgroundScanReport, then reconcileReport's labels and last-scan-time). */
export function backgroundReport(opts: { resource: Obj; gvkr: GVKR; policies: Policy[]; responses: EngineResponse[]; nowMs: number }): Obj | undefined {
  const meta = (opts.resource.metadata ?? {}) as { name?: string; namespace?: string; uid?: string };
  const { results } = responsesToResults(opts.responses, opts.nowMs);
  if (results.length === 0) return undefined;
  const uid = meta.uid ?? "";
  const labels: Record<string, string> = {};
  for (const p of opts.policies) labels[policyLabel(p)] = p.metadata.resourceVersion ?? "";
  Object.assign(labels, {
    [LABEL_MANAGED_BY]: "kyverno",
    [LABEL_RESOURCE_UID]: uid,
    [LABEL_RESOURCE_GROUP]: opts.gvkr.group,
    [LABEL_RESOURCE_VERSION]: opts.gvkr.version,
    [LABEL_RESOURCE_KIND]: opts.gvkr.kind,
    [LABEL_SOURCE]: "background-scan",
    [LABEL_RESOURCE_HASH]: resourceHash(opts.resource),
  });
  const apiVersion = opts.gvkr.group ? `${opts.gvkr.group}/${opts.gvkr.version}` : opts.gvkr.version;
  const annotations = { [ANNOTATION_RESOURCE_NAMESPACE]: meta.namespace ?? "", [ANNOTATION_RESOURCE_NAME]: meta.name ?? "", [ANNOTATION_LAST_SCAN_TIME]: new Date(opts.nowMs).toISOString().replace(/\.\d{3}Z$/, "Z") };
  return ephemeral(meta.namespace ?? "", `${uid}-`, labels, annotations, results, { apiVersion, kind: opts.gvkr.kind, name: meta.name ?? "", uid });
}

/**
 * BuildGenerateReport (NewBackgroundScanReport, SetGenerationResponses): the background
 * controller's report of a generate rule, on the trigger, owned by it, `source: background-scan`,
 * without the scan's hash and last-scan-time.
 */
export function generateReport(opts: { resource: Obj; gvk: { group: string; version: string; kind: string }; responses: EngineResponse[]; nowMs: number }): Obj | undefined {
  const meta = (opts.resource.metadata ?? {}) as { name?: string; namespace?: string; uid?: string };
  const { results, policyLabels } = responsesToResults(opts.responses, opts.nowMs);
  if (results.length === 0) return undefined;
  const uid = meta.uid ?? "";
  const labels: Record<string, string> = {
    ...policyLabels,
    [LABEL_MANAGED_BY]: "kyverno",
    [LABEL_RESOURCE_UID]: uid,
    [LABEL_RESOURCE_GROUP]: opts.gvk.group,
    [LABEL_RESOURCE_VERSION]: opts.gvk.version,
    [LABEL_RESOURCE_KIND]: opts.gvk.kind,
    [LABEL_SOURCE]: "background-scan",
  };
  const apiVersion = opts.gvk.group ? `${opts.gvk.group}/${opts.gvk.version}` : opts.gvk.version;
  return ephemeral(meta.namespace ?? "", `${uid}-`, labels, { [ANNOTATION_RESOURCE_NAMESPACE]: meta.namespace ?? "", [ANNOTATION_RESOURCE_NAME]: meta.name ?? "" }, results, { apiVersion, kind: opts.gvk.kind, name: meta.name ?? "", uid });
}

/** getResourceInfo: `<GroupVersionKind.String()> Name=<name>[ Namespace=<namespace>]`, as the `generated-resources` property lists them. */
export function resourceInfo(r: { apiVersion: string; kind: string; name: string; namespace?: string }): string {
  const [group, version] = r.apiVersion.includes("/") ? r.apiVersion.split("/") : ["", r.apiVersion];
  return `${group}/${version}, Kind=${r.kind} Name=${r.name}` + (r.namespace ? ` Namespace=${r.namespace}` : "");
}

/** encoding/json of a decoded object: keys sorted, `<`, `>` and `&` escaped. */
export function goJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJSON).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${goJSON(k)}:${goJSON(o[k])}`)
      .join(",")}}`;
  }
  if (typeof v === "string") return JSON.stringify(v).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
  return JSON.stringify(v) ?? "null";
}

/** CalculateResourceHash: md5 of `[labels, annotations, the object without metadata, status, scale and spec.nodeName]`. */
export function resourceHash(resource: Obj): string {
  const copy = structuredClone(resource);
  const meta = (copy.metadata ?? {}) as Obj;
  const labels = meta.labels ?? null;
  const annotations = meta.annotations ?? null;
  delete copy.metadata;
  delete copy.status;
  delete copy.scale;
  if (copy.spec && typeof copy.spec === "object") delete (copy.spec as Obj).nodeName;
  return createHash("md5").update(goJSON([labels, annotations, copy])).digest("hex");
}

/** createPolicyMap: each policy's key and its rules, autogen ones included. */
export function policyRuleMap(policies: Policy[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const p of policies) m.set(policyKeyOf(p), new Set(computeRules(p).map((r) => r.name)));
  return m;
}

/** mergeReports: the newest result per source, policy, rule and resource, for rules that still exist. */
export function mergeResults(policies: Map<string, Set<string>>, uid: string, reports: ReportResult[][]): ReportResult[] {
  const acc = new Map<string, ReportResult>();
  for (const results of reports) {
    for (const r of results) {
      if (r.source !== "kyverno") continue;
      if (!policies.get(r.policy)?.has(r.rule ?? "")) continue;
      const key = `${r.source}/${r.policy}/${r.rule ?? ""}/${uid}`;
      const have = acc.get(key);
      if (!have || have.timestamp.seconds < r.timestamp.seconds) acc.set(key, r);
    }
  }
  return sortResults([...acc.values()]);
}

/** NewPolicyReport: a PolicyReport (ClusterPolicyReport without a namespace) named by the resource's uid, owned by it. */
export function policyReport(namespace: string, owner: { apiVersion: string; kind: string; name: string; uid: string }, results: ReportResult[]): Obj {
  return {
    apiVersion: "wgpolicyk8s.io/v1alpha2",
    kind: namespace ? "PolicyReport" : "ClusterPolicyReport",
    metadata: { name: owner.uid, ...(namespace ? { namespace } : {}), labels: { [LABEL_MANAGED_BY]: "kyverno" }, ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid }] },
    scope: { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, ...(namespace ? { namespace } : {}), uid: owner.uid },
    results,
    summary: summarize(results),
  };
}
