/**
 * What cert-manager's three programs share (github.com/cert-manager/cert-manager at v1.16.1): Go
 * durations as its API writes them, conditions, klog's text lines, the event recorder each process
 * owns (pkg/controller/context.go: one broadcaster per process, its source the user agent's prefix,
 * `cert-manager-<controller>`), and the flags as the binaries read them (repeated ones kept).
 */
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import { EventRecorder } from "../../../api/events.ts";
import { serverOf } from "../../../api/authorization/filter.ts";
import { glogPrefix } from "../goflags.ts";

/** The API group of cert-manager's resources. */
export const GROUP = "cert-manager.io";

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration: `2160h`, `1h30m`, `90s` → ms; undefined when it is not one. */
export function parseGoDuration(s: string): number | undefined {
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  let sign = 1;
  if (s[0] === "-" || s[0] === "+") {
    sign = s[0] === "-" ? -1 : 1;
    i = 1;
  }
  if (i >= s.length) return undefined;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += parseFloat(m[1]!) * UNITS[m[2]!]!;
    i = re.lastIndex;
  }
  return sign * total;
}

/** time.Duration.String for whole milliseconds: `2160h0m0s`, `1h0m0s`, `5m0s`, `1.5s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  let out: string;
  if (h > 0) out = `${h}h${m}m${s}s`;
  else if (m > 0) out = `${m}m${s}s`;
  else if (s >= 1) out = `${s}s`;
  else out = `${rest}ms`;
  return (neg ? "-" : "") + out;
}

/** metav1.Time as it is serialised: RFC 3339 in seconds. */
export const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * apiutil.SetCertificateCondition (and its Issuer and CertificateRequest twins): the condition
 * replaces the one of its type, its lastTransitionTime kept unless the status changed; a new type
 * is appended. Returns the list.
 */
export function setCondition(list: Condition[] | undefined, c: Omit<Condition, "lastTransitionTime">, now: number, withGeneration: boolean): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? out[i] : undefined;
  const next: Condition = {
    lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now),
    message: c.message ?? "",
    ...(withGeneration && c.observedGeneration !== undefined ? { observedGeneration: c.observedGeneration } : {}),
    reason: c.reason ?? "",
    status: c.status,
    type: c.type,
  };
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out;
}

export const conditionOf = (obj: KObject | undefined, type: string): Condition | undefined => ((obj?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === type);

/** klog's text header: `I0108 00:00:05.000000       1 file.go:123] ` (pid 1 in a container). */
export function klog(ms: number, level: "I" | "W" | "E", where: string, text: string): string {
  return glogPrefix(ms, level, where) + text;
}

const RECORDERS = new WeakMap<object, EventRecorder>();

/**
 * The recorder cert-manager's processes write Events through: one per cluster (its correlator is
 * keyed by the event source, so each controller's events aggregate on their own, as each
 * `cert-manager-<controller>` source does upstream).
 */
export function recorderFor(api: ApiServer): EventRecorder {
  const store = serverOf(api);
  let r = RECORDERS.get(store);
  if (!r) RECORDERS.set(store, (r = new EventRecorder(store)));
  return r;
}

/** Go flag values, repeated flags kept in order (`--dynamic-serving-dns-names=a --dynamic-serving-dns-names=b`). */
export function flagValues(args: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("-")) continue;
    const body = a.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const [k, v] = eq >= 0 ? [body.slice(0, eq), body.slice(eq + 1)] : [body, args[i + 1] !== undefined && !args[i + 1]!.startsWith("-") ? args[++i]! : "true"];
    const list = out.get(k) ?? [];
    list.push(v);
    out.set(k, list);
  }
  return out;
}

export const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
export const unb64 = (s: string | undefined) => (s ? Buffer.from(s, "base64").toString("utf8") : "");

/** The storage keys of cert-manager's custom resources (`<plural>.<group>`, as the API server keys a CRD's objects). */
export const KEYS: Record<string, string> = {
  Certificate: "certificates.cert-manager.io",
  CertificateRequest: "certificaterequests.cert-manager.io",
  Issuer: "issuers.cert-manager.io",
  ClusterIssuer: "clusterissuers.cert-manager.io",
};

/** The storage key of a kind (cert-manager's, or a built-in kind's own name). */
export const keyOfKind = (kind: string) => KEYS[kind] ?? kind;
