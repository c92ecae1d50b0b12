/**
 * Label selectors (`-l`, apimachinery/pkg/labels.Parse) and field selectors (`--field-selector`,
 * apimachinery/pkg/fields.ParseSelector plus each kind's supported field labels), as the API
 * server applies them to a list.
 *
 * A private, minimal parser: the API package may later offer a shared one (src/api/labels.ts).
 */
import type { KObject } from "../api/types.ts";

export class SelectorError extends Error {}

export type LabelRequirement =
  | { key: string; op: "=" | "!="; values: [string] }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!" ; values: [] }
  | { key: string; op: "gt" | "lt"; values: [string] };

export type LabelMatcher = (labels: Record<string, string>) => boolean;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function parseLabelSelector(text: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  const src = text.trim();
  if (src === "") return reqs;
  for (const part of splitRequirements(src)) {
    const p = part.trim();
    if (p === "") throw new SelectorError(`found '', expected: !, identifier, or 'end of string'`);
    let m: RegExpExecArray | null;
    if ((m = /^!\s*(\S+)$/.exec(p))) {
      reqs.push({ key: checkKey(m[1]), op: "!", values: [] });
    } else if ((m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(p))) {
      const values = m[3].split(",").map((v) => checkValue(v.trim()));
      reqs.push({ key: checkKey(m[1]), op: m[2] as "in" | "notin", values });
    } else if ((m = /^([^=!<>\s]+)\s*(==|=|!=)\s*(.*)$/.exec(p))) {
      reqs.push({ key: checkKey(m[1]), op: m[2] === "!=" ? "!=" : "=", values: [checkValue(m[3].trim())] });
    } else if ((m = /^([^=!<>\s]+)\s*([<>])\s*(.*)$/.exec(p))) {
      if (!/^-?\d+$/.test(m[3].trim())) throw new SelectorError(`for 'Gt', 'Lt' operators, the value must be an integer`);
      reqs.push({ key: checkKey(m[1]), op: m[2] === ">" ? "gt" : "lt", values: [m[3].trim()] });
    } else if ((m = /^(\S+)$/.exec(p))) {
      reqs.push({ key: checkKey(m[1]), op: "exists", values: [] });
    } else {
      throw new SelectorError(`unable to parse requirement: found '${p}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

function splitRequirements(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function checkKey(k: string): string {
  const name = k.includes("/") ? k.slice(k.indexOf("/") + 1) : k;
  if (!KEY.test(k) || name.length > 63) {
    throw new SelectorError(
      `unable to parse requirement: values[0][${k}]: Invalid value: ${JSON.stringify(k)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
  return k;
}

function checkValue(v: string): string {
  if (!VALUE.test(v) || v.length > 63) {
    throw new SelectorError(
      `unable to parse requirement: values[0][${v}]: Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
  return v;
}

export function labelMatcher(text: string): LabelMatcher {
  const reqs = parseLabelSelector(text);
  return (labels) =>
    reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case "=":
          return has && v === r.values[0];
        case "!=":
          return !has || v !== r.values[0];
        case "in":
          return has && r.values.includes(v);
        case "notin":
          return !has || !r.values.includes(v);
        case "exists":
          return has;
        case "!":
          return !has;
        case "gt":
          return has && /^-?\d+$/.test(v) && Number(v) > Number(r.values[0]);
        case "lt":
          return has && /^-?\d+$/.test(v) && Number(v) < Number(r.values[0]);
      }
    });
}

// ---- field selectors ----------------------------------------------------------------------

const COMMON_FIELDS = ["metadata.name", "metadata.namespace"];

/** Field labels each kind's registry strategy supports (GetAttrs / AddFieldLabelConversionFunc). */
const FIELDS: Record<string, Record<string, (o: KObject) => string>> = {
  Pod: {
    "spec.nodeName": (o) => o.spec?.nodeName ?? "",
    "spec.restartPolicy": (o) => o.spec?.restartPolicy ?? "",
    "spec.schedulerName": (o) => o.spec?.schedulerName ?? "",
    "spec.serviceAccountName": (o) => o.spec?.serviceAccountName ?? "",
    "spec.hostNetwork": (o) => String(!!o.spec?.hostNetwork),
    "status.phase": (o) => o.status?.phase ?? "",
    "status.podIP": (o) => o.status?.podIP ?? "",
    "status.nominatedNodeName": (o) => o.status?.nominatedNodeName ?? "",
  },
  Node: { "spec.unschedulable": (o) => String(!!o.spec?.unschedulable) },
  Namespace: { "status.phase": (o) => o.status?.phase ?? "" },
  Secret: { type: (o) => o.type ?? "" },
  Event: {
    "involvedObject.kind": (o) => o.involvedObject?.kind ?? "",
    "involvedObject.namespace": (o) => o.involvedObject?.namespace ?? "",
    "involvedObject.name": (o) => o.involvedObject?.name ?? "",
    "involvedObject.uid": (o) => o.involvedObject?.uid ?? "",
    "involvedObject.apiVersion": (o) => o.involvedObject?.apiVersion ?? "",
    "involvedObject.resourceVersion": (o) => o.involvedObject?.resourceVersion ?? "",
    "involvedObject.fieldPath": (o) => o.involvedObject?.fieldPath ?? "",
    reason: (o) => o.reason ?? "",
    reportingComponent: (o) => o.reportingComponent ?? "",
    source: (o) => o.source?.component || o.reportingComponent || "",
    type: (o) => o.type ?? "",
  },
  ReplicaSet: { "status.replicas": (o) => String(o.status?.replicas ?? 0) },
  Job: { "status.successful": (o) => String(o.status?.succeeded ?? 0) },
};

export function fieldMatcher(kind: string, text: string): (o: KObject) => boolean {
  const reqs: Array<{ field: string; neg: boolean; value: string }> = [];
  for (const part of text.split(",")) {
    const p = part.trim();
    if (p === "") continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(p);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${p}'`);
    const field = m[1].trim();
    if (!COMMON_FIELDS.includes(field) && !FIELDS[kind]?.[field]) throw new SelectorError(`field label not supported: ${field}`);
    reqs.push({ field, neg: m[2] === "!=", value: m[3] });
  }
  return (o) =>
    reqs.every((r) => {
      const v = r.field === "metadata.name" ? o.metadata.name ?? "" : r.field === "metadata.namespace" ? o.metadata.namespace ?? "" : FIELDS[kind][r.field](o);
      return r.neg ? v !== r.value : v === r.value;
    });
}
