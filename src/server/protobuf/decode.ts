/**
 * Protobuf request bodies (`application/vnd.kubernetes.protobuf`), which kubectl's typed clients
 * send (`kubectl create namespace|configmap|secret|deployment|job|service|serviceaccount`...), read as
 * kube-apiserver's protobuf serializer does (apimachinery/pkg/runtime/serializer/protobuf): the
 * `k8s\0` magic, a runtime.Unknown envelope with the TypeMeta, and the object's message from
 * Kubernetes' own generated.proto files (kept in ./proto, see ./proto/README.md), decoded with
 * protobufjs and turned into the object's JSON form: metav1.Time as RFC 3339, Quantity and
 * IntOrString as their JSON values, RawExtension and FieldsV1 as the JSON they hold, bytes as base64.
 *
 * Go's generated protobuf code writes every non-pointer scalar, zero or not, and a pointer one only
 * when it is set; Go's JSON leaves out the zero non-pointer ones marked `omitempty` and keeps the
 * others. What protobuf does not say of a field — pointer, inline-embedded struct, JSON name — is
 * read from the Go types themselves, in ./fields.json (scripts/gen-proto-fields.ts): a set
 * `automountServiceAccountToken: false`, `runAsUser: 0` or `storageClassName: ""` is kept, a
 * `stdin: false` left out, as kube-apiserver's JSON would have them.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { ApiError } from "../../api/errors.ts";

const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), "proto");
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/** The groups whose generated.proto files are kept (package k8s.io.api.<name>.<version>). */
const API_FILES = ["core/v1", "apps/v1", "batch/v1", "policy/v1", "rbac/v1", "networking/v1", "scheduling/v1", "autoscaling/v1", "autoscaling/v2", "coordination/v1", "discovery/v1", "authentication/v1", "authorization/v1", "certificates/v1"];

/** Per message (full name, no leading dot), per protobuf field: `p` pointer, `k` kept when zero, `i` inline, `j=<json name>`. */
interface FieldFacts {
  pointer: boolean;
  keepZero: boolean;
  inline: boolean;
  json?: string;
}
let facts: Map<string, Map<string, FieldFacts>> | undefined;

function fieldFacts(message: string): Map<string, FieldFacts> | undefined {
  if (!facts) {
    facts = new Map();
    const doc = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "fields.json"), "utf8")) as Record<string, Record<string, string> | string>;
    for (const [msg, fields] of Object.entries(doc)) {
      if (typeof fields === "string") continue; // _source
      const m = new Map<string, FieldFacts>();
      for (const [name, flags] of Object.entries(fields)) {
        const words = flags.split(" ");
        const json = words.find((w) => w.startsWith("j="))?.slice(2);
        m.set(name, { pointer: words.includes("p"), keepZero: words.includes("k"), inline: words.includes("i"), ...(json ? { json } : {}) });
      }
      facts.set(msg, m);
    }
  }
  return facts.get(message);
}

let root: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin: string, target: string) => join(PROTO_DIR, target);
  r.loadSync(
    API_FILES.map((g) => `k8s.io/api/${g}/generated.proto`),
    { keepCase: true },
  );
  r.resolveAll();
  root = r;
  return r;
}

/** The protobuf package of a group version: `apps/v1` → k8s.io.api.apps.v1, `v1` → k8s.io.api.core.v1. */
function messageName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "meta.k8s.io" || (group === "" && ["DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions"].includes(kind))) {
    return `k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`;
  }
  const pkg = group ? group.replace(/\.k8s\.io$/, "").split(".")[0] : "core";
  return `k8s.io.api.${pkg}.${version}.${kind}`;
}

/** Decodes a protobuf request body into the object's JSON form. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ApiError("BadRequest", "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
  }
  const r = loadRoot();
  const Unknown = r.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    envelope = Unknown.toObject(Unknown.decode(body.subarray(MAGIC.length)), { defaults: false }) as typeof envelope;
  } catch (e) {
    throw new ApiError("BadRequest", `the body of the request could not be decoded as protobuf: ${(e as Error).message}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? "";
  const kind = envelope.typeMeta?.kind ?? "";
  let type: protobuf.Type;
  try {
    type = r.lookupType(messageName(apiVersion, kind));
  } catch {
    throw new ApiError("UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (no protobuf type for ${apiVersion}, Kind=${kind})`);
  }
  let obj: Record<string, unknown>;
  try {
    const message = type.decode(envelope.raw ?? new Uint8Array());
    obj = toJSON(type.toObject(message, { longs: Number, bytes: String, defaults: false, arrays: false, objects: false }), type) as Record<string, unknown>;
  } catch (e) {
    throw new ApiError("BadRequest", `the body of the request could not be decoded as protobuf: ${(e as Error).message}`);
  }
  return { apiVersion, kind, ...obj };
}

const META = ".k8s.io.apimachinery.pkg.apis.meta.v1.";

/**
 * A decoded message as toObject gives it (longs as numbers, bytes as base64 strings), with the
 * fields of the apimachinery messages toJSON writes in their JSON form.
 */
interface DecodedMessage {
  seconds?: number;
  nanos?: number;
  duration?: number;
  Raw?: string;
  raw?: string;
  items?: unknown[];
  string?: string;
  type?: number;
  strVal?: string;
  intVal?: number;
  [field: string]: unknown;
}

/** The JSON form of a decoded message (toObject's plain object) of `type`. */
function toJSON(v: unknown, type: protobuf.Type): unknown {
  const o = v as DecodedMessage;
  switch (type.fullName) {
    // An empty Time is Go's zero time, which JSON writes as null.
    case `${META}Time`:
      return o.seconds || o.nanos ? goTime(o.seconds ?? 0, 0) : null;
    case `${META}MicroTime`:
      return o.seconds || o.nanos ? goTime(o.seconds ?? 0, o.nanos ?? 0, true) : null;
    case `${META}Duration`:
      return goDuration(o.duration ?? 0);
    case `${META}FieldsV1`:
    case ".k8s.io.apimachinery.pkg.runtime.RawExtension":
    {
      const raw = o.Raw ?? o.raw;
      return raw ? JSON.parse(Buffer.from(raw, "base64").toString("utf8")) : {};
    }
    case `${META}Verbs`:
      return o.items ?? [];
    case ".k8s.io.apimachinery.pkg.api.resource.Quantity":
      return o.string ?? "0";
    case ".k8s.io.apimachinery.pkg.util.intstr.IntOrString":
      return Number(o.type ?? 0) === 1 ? o.strVal ?? "" : o.intVal ?? 0;
  }
  const out: Record<string, unknown> = {};
  const known = fieldFacts(type.fullName.slice(1));
  for (const field of type.fieldsArray) {
    const x = o[field.name];
    if (x === undefined || x === null) continue;
    const f = known?.get(field.name);
    const name = f?.json ?? field.name;
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (field.map) {
      const m: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x as Record<string, unknown>)) m[k] = sub ? toJSON(val, sub) : val;
      if (Object.keys(m).length) out[name] = m;
    } else if (field.repeated) {
      const arr = (x as unknown[]).map((e) => (sub ? toJSON(e, sub) : e));
      if (arr.length) out[name] = arr;
    } else if (sub && f?.inline) {
      Object.assign(out, toJSON(x, sub));
    } else if (sub) {
      out[name] = toJSON(x, sub);
    } else if ((x === "" || x === false || x === 0) && !f?.pointer && !f?.keepZero) {
      continue; // a non-pointer `omitempty` zero: Go's JSON leaves it out
    } else out[name] = x;
  }
  return out;
}

/** metav1.Time / MicroTime JSON: RFC 3339 in UTC, whole seconds or microseconds. */
function goTime(seconds: number, nanos: number, micro = false): string {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "");
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z` : `${iso}Z`;
}

/** Go's time.Duration.String() of nanoseconds (`1h0m0s`, `30s`, `1.5s`, `0s`). */
function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ["ns", 1] : n < 1e6 ? ["µs", 1e3] : ["ms", 1e6];
    out = `${n / div}${unit}`;
  } else {
    const h = Math.floor(n / 3.6e12);
    n -= h * 3.6e12;
    const m = Math.floor(n / 6e10);
    n -= m * 6e10;
    const s = n / 1e9;
    out = h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}
