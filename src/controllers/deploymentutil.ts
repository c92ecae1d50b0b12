/**
 * Helpers of pkg/controller/deployment/util/deployment_util.go: maxSurge/maxUnavailable
 * resolution (ResolveFenceposts), the new ReplicaSet's replica count during a rolling update
 * (NewRSNewReplicas), the pod-template-hash, revisions and the annotations the controller keeps.
 */
import type { KObject } from "../api/types.ts";
import type { PodTemplateSpec } from "../api/types.gen.ts";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";
export const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** intstr.GetScaledValueFromIntOrPercent: "25%" of total, rounded up or down; integers as they are. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  const parsed = parseIntOrPercent(v);
  if (!parsed.percent) return parsed.n;
  const x = (parsed.n * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** An IntOrString's text parsed once ("25%" → 25 percent, "3" → 3): a Deployment's every sync reads its maxSurge and maxUnavailable. */
const intOrPercent = new Map<string, { n: number; percent: boolean }>();
function parseIntOrPercent(v: string): { n: number; percent: boolean } {
  let p = intOrPercent.get(v);
  if (p) return p;
  const m = /^(\d+)%$/.exec(v);
  if (m) p = { n: Number(m[1]), percent: true };
  else if (/^\d+$/.test(v)) p = { n: Number(v), percent: false };
  else throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  if (intOrPercent.size < 1024) intOrPercent.set(v, p);
  return p;
}

/** ResolveFenceposts: [maxSurge, maxUnavailable] for `replicas`; both 0 makes maxUnavailable 1. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, replicas: number): [number, number] {
  const surge = scaledValue(maxSurge ?? "25%", replicas, true);
  let unavailable = scaledValue(maxUnavailable ?? "25%", replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function isRollingUpdate(d: KObject): boolean {
  return (d.spec?.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

/** MaxSurge of a Deployment (0 for Recreate). */
export function maxSurge(d: KObject): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, d.spec?.replicas ?? 1)[0];
}

/** MaxUnavailable of a Deployment: at most replicas; 0 for Recreate and for zero replicas. */
export function maxUnavailable(d: KObject): number {
  const replicas = d.spec?.replicas ?? 1;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const u = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicas)[1];
  return Math.min(u, replicas);
}

/** NewRSNewReplicas: how many replicas the new ReplicaSet may have now (rolling update). */
export function newRSNewReplicas(d: KObject, allRSs: KObject[], newRS: KObject): number {
  const replicas = d.spec?.replicas ?? 1;
  if (!isRollingUpdate(d)) return replicas;
  const current = allRSs.reduce((s, rs) => s + (rs.spec?.replicas ?? 0), 0);
  const maxTotal = replicas + maxSurge(d);
  const newReplicas = newRS.spec?.replicas ?? 0;
  if (current >= maxTotal) return newReplicas;
  const scaleUp = Math.min(maxTotal - current, replicas - newReplicas);
  return newReplicas + Math.max(0, scaleUp);
}

/** FNV-32a of text. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/** rand.SafeEncodeString: maps each character to the alphabet without vowels and lookalikes. */
export function safeEncodeString(s: string): string {
  const alphanums = "bcdfghjklmnpqrstvwxz2456789";
  let out = "";
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

/** Canonical JSON: object keys sorted at every depth (what the hashes and revision comparisons read). */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * ComputeHash: FNV-32a of the pod template (and the collision count), encoded as
 * SafeEncodeString(decimal). Upstream hashes Go's spew dump of the template; we hash its canonical
 * JSON, so the shape (e.g. `7d4b9c8f5`) is upstream's but the value differs.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let text = JSON.stringify(canonical(template));
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  return safeEncodeString(String(fnv32a(text)));
}

const templateKeys = new WeakMap<object, string>();

/** The template as canonical JSON without the pod-template-hash label (memoized per stored object). */
function templateKey(t: PodTemplateSpec | undefined): string {
  if (t && typeof t === "object") {
    const cached = templateKeys.get(t);
    if (cached !== undefined) return cached;
  }
  // canonical() builds new objects at every depth: the label is dropped from the copy it made.
  const c = canonical(t ?? {}) as PodTemplateSpec;
  if (c.metadata?.labels) {
    delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (!Object.keys(c.metadata.labels).length) delete c.metadata.labels;
  }
  const key = JSON.stringify(c);
  if (t && typeof t === "object") templateKeys.set(t, key);
  return key;
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is ignored. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return templateKey(a) === templateKey(b);
}

export function revisionOf(obj: KObject): number {
  const v = Number(obj.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** The annotations a Deployment passes to its ReplicaSets (all but kubectl's and the revision's). */
export function copyableAnnotations(d: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (k === LAST_APPLIED || k === REVISION_ANNOTATION || k === REVISION_HISTORY_ANNOTATION || k === DESIRED_REPLICAS_ANNOTATION || k === MAX_REPLICAS_ANNOTATION) continue;
    out[k] = v;
  }
  return out;
}
