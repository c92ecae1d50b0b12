/**
 * `kubectl describe` of ResourceQuotas and LimitRanges (k8s.io/kubectl/pkg/describe/describe.go
 * describeQuota, describeLimitRange): neither prints events, labels or annotations.
 */
import { parseQuantity, Quantity } from "../../api/quantity.ts";
import type { KObject } from "../../api/types.ts";
import { annotationsMultiline, labelsMultiline, PrefixWriter, rfc1123z } from "./describe.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function qty(v: unknown): Quantity | undefined {
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

const SCOPE_HELP: Record<string, string> = {
  Terminating: "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
  NotTerminating: "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
  BestEffort: "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
  NotBestEffort: "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
};

/** describeQuota: scopes with their help text, then Resource/Used/Hard from the status, used shown in hard's format. */
export function describeQuota(q: KObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${q.metadata.name}\n`);
  w.write(0, `Namespace:\t${q.metadata.namespace}\n`);
  const scopes = [...(Array.isArray(q.spec?.scopes) ? q.spec.scopes : [])].map(String).sort();
  if (scopes.length) {
    w.write(0, `Scopes:\t${scopes.join(", ")}\n`);
    for (const s of scopes) if (SCOPE_HELP[s]) w.write(0, ` * ${SCOPE_HELP[s]}\n`);
  }
  w.write(0, "Resource\tUsed\tHard\n");
  w.write(0, "--------\t----\t----\n");
  const hard: Obj = isObj(q.status?.hard) ? q.status.hard : {};
  const used: Obj = isObj(q.status?.used) ? q.status.used : {};
  for (const r of Object.keys(hard).sort()) {
    const h = qty(hard[r]) ?? Quantity.of(0);
    let u = qty(used[r]) ?? Quantity.of(0);
    // A used value in another format than the hard one is shown in the hard one's.
    if (u.format !== h.format) u = Quantity.of(u.value(), 0, h.format);
    w.write(0, `${r}\t${u.toString()}\t${h.toString()}\n`);
  }
  return w.toString();
}

/** describeLimitRange: one row per item and resource, `-` where the item sets nothing. */
export function describeLimitRange(lr: KObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${lr.metadata.name}\n`);
  w.write(0, `Namespace:\t${lr.metadata.namespace}\n`);
  w.write(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
  w.write(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
  limitRangeRows(w, lr, "");
  return w.toString();
}

/** describeLimitRangeSpec: the rows of one LimitRange, each line starting with `prefix`. */
function limitRangeRows(w: PrefixWriter, lr: KObject, prefix: string): void {
  for (const item of Array.isArray(lr.spec?.limits) ? lr.spec.limits : []) {
    if (!isObj(item)) continue;
    const fields = ["min", "max", "defaultRequest", "default", "maxLimitRequestRatio"];
    const names = new Set<string>();
    for (const f of fields) {
      const list = item[f];
      if (isObj(list)) for (const k of Object.keys(list)) names.add(k);
    }
    // Upstream iterates a Go map here (random order); sorted by resource name.
    for (const k of [...names].sort()) {
      const cell = (f: string) => {
        const list = item[f];
        const v = isObj(list) ? list[k] : undefined;
        if (v === undefined) return "-";
        return qty(v)?.toString() ?? String(v);
      };
      w.write(0, `${prefix}${String(item.type ?? "")}\t${k}\t${fields.map(cell).join("\t")}\n`);
    }
  }
}

const byName = (a: KObject, b: KObject) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0);

/**
 * describeNamespace (NamespaceDescriber): name, labels, annotations and phase, the conditions of a
 * terminating namespace, then its ResourceQuotas (DescribeResourceQuotas) and LimitRanges
 * (DescribeLimitRanges), or `No resource quota.` / `No LimitRange resource.`; no events.
 */
export function describeNamespace(ns: KObject, quotas: KObject[], limitRanges: KObject[]): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labelsMultiline(w, "Labels", ns.metadata.labels);
  annotationsMultiline(w, "Annotations", ns.metadata.annotations);
  w.write(0, `Status:\t${String(ns.status?.phase ?? "")}\n`);
  const conditions: Obj[] = Array.isArray(ns.status?.conditions) ? ns.status.conditions.filter(isObj) : [];
  if (conditions.length) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t------------------\t------\t-------\n");
    for (const c of conditions) w.write(1, `${String(c.type ?? "")}\t${String(c.status ?? "")}\t${rfc1123z(c.lastTransitionTime as string | undefined)}\t${String(c.reason ?? "")}\t${String(c.message ?? "")}\n`);
  }
  w.write(0, "\n");
  if (quotas.length === 0) w.write(0, "No resource quota.\n");
  else {
    w.write(0, "Resource Quotas\n");
    for (const q of [...quotas].sort(byName)) {
      w.write(1, `Name:\t${q.metadata.name}\n`);
      const scopes = [...(Array.isArray(q.spec?.scopes) ? q.spec.scopes : [])].map(String).sort();
      if (scopes.length) {
        w.write(1, `Scopes:\t${scopes.join(", ")}\n`);
        for (const sc of scopes) if (SCOPE_HELP[sc]) w.write(1, `* ${SCOPE_HELP[sc]}\n`);
      }
      w.write(1, "Resource\tUsed\tHard\n");
      w.write(1, "--------\t---\t---\n");
      const hard: Obj = isObj(q.status?.hard) ? q.status.hard : {};
      const used: Obj = isObj(q.status?.used) ? q.status.used : {};
      for (const r of Object.keys(hard).sort()) w.write(1, `${r}\t${(qty(used[r]) ?? Quantity.of(0)).toString()}\t${(qty(hard[r]) ?? Quantity.of(0)).toString()}\n`);
    }
  }
  w.write(0, "\n");
  if (limitRanges.length === 0) w.write(0, "No LimitRange resource.\n");
  else {
    w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
    w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
    for (const lr of limitRanges) limitRangeRows(w, lr, " ");
  }
  return w.toString();
}
