/**
 * OpenAPI v3 as kube-apiserver serves it (/openapi/v3 and one document per group version), small
 * and generated at run time from the project's own field schema (src/api/schema/fields.json), so
 * that the real kubectl v1.32 can:
 *  - see that PATCH of each kind takes `fieldValidation` (cli-runtime's QueryParamVerifierV3), so
 *    `kubectl apply`/`create` leave field validation to the server (`?fieldValidation=Strict`)
 *    instead of failing with "failed to download openapi";
 *  - run `kubectl explain` over the types' fields (no descriptions: fields.json has none).
 * Schema names follow upstream (`io.k8s.api.core.v1.PodSpec`), fields carry the strategic merge
 * patch metadata (`x-kubernetes-patch-merge-key`, `x-kubernetes-patch-strategy`).
 * /openapi/v2 is protobuf-only in kubectl's client and stays unserved (kubectl falls back to its
 * compiled-in types for apply's patch computation).
 */
import { createHash } from "node:crypto";
import { loadSchema } from "../api/schema/fields.ts";
import { patchMetaOf } from "../api/schema/strategicmerge.ts";
import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from "../api/resources.ts";

type Json = Record<string, unknown>;

const META_TYPES = new Set(["ObjectMeta", "OwnerReference", "ManagedFieldsEntry", "LabelSelector", "LabelSelectorRequirement", "Condition"]);
const PKG_BY_PREFIX: [RegExp, string][] = [
  [/^(Deployment|ReplicaSet|DaemonSet|StatefulSet|RollingUpdateDeployment|RollingUpdateDaemonSet)/, "io.k8s.api.apps.v1"],
  [/^(Job|CronJob|PodFailurePolicy|SuccessPolicy|UncountedTerminatedPods)/, "io.k8s.api.batch.v1"],
  [/^(EndpointSlice|EndpointConditions|EndpointHints|ForZone)$/, "io.k8s.api.discovery.v1"],
  [/^PodDisruptionBudget/, "io.k8s.api.policy.v1"],
  [/^PriorityClass$/, "io.k8s.api.scheduling.v1"],
  [/^Lease/, "io.k8s.api.coordination.v1"],
];

/** Upstream's OpenAPI name of a client-node model (`V1PodSpec` → `io.k8s.api.core.v1.PodSpec`). */
export function schemaName(model: string): string {
  if (model === "DiscoveryV1EndpointPort") return "io.k8s.api.discovery.v1.EndpointPort";
  if (model === "V1Endpoint") return "io.k8s.api.discovery.v1.Endpoint";
  const name = model.replace(/^(CoreV1|V1)/, "");
  if (META_TYPES.has(name)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;
  for (const [re, pkg] of PKG_BY_PREFIX) if (re.test(name)) return `${pkg}.${name}`;
  return `io.k8s.api.core.v1.${name}`;
}

const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
const ref = (name: string): Json => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });

function property(code: string, owner: string, field: string, uses: Set<string>): Json {
  const out = propertyType(code, uses);
  const meta = patchMetaOf(owner, field);
  if (meta?.mergeKey) out["x-kubernetes-patch-merge-key"] = meta.mergeKey;
  if (meta?.strategy) out["x-kubernetes-patch-strategy"] = meta.strategy;
  return out;
}

function propertyType(code: string, uses: Set<string>): Json {
  if (code.startsWith("[")) return { type: "array", items: propertyType(code.slice(1, -1), uses) };
  if (code.startsWith("{")) return { type: "object", additionalProperties: propertyType(code.slice(1, -1), uses) };
  switch (code) {
    case "s":
      return { type: "string" };
    case "b":
      return { type: "boolean" };
    case "n:int32":
    case "n:int64":
      return { type: "integer", format: code.slice(2) };
    case "n:double":
      return { type: "number", format: "double" };
    case "t":
      uses.add(TIME);
      return ref(TIME);
    case "q":
      uses.add(QUANTITY);
      return ref(QUANTITY);
    case "i":
      uses.add(INT_OR_STRING);
      return ref(INT_OR_STRING);
    case "a":
      return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  }
  uses.add(code);
  return ref(schemaName(code));
}

const PRIMITIVE_SCHEMAS: Record<string, Json> = {
  [QUANTITY]: { oneOf: [{ type: "string" }, { type: "number" }] },
  [INT_OR_STRING]: { type: "string", format: "int-or-string", "x-kubernetes-int-or-string": true },
  [TIME]: { type: "string", format: "date-time" },
};

/** The schemas of the types a group version's kinds use, keyed by upstream name. */
function schemasFor(kinds: ResourceType[]): Record<string, Json> {
  const { types, roots } = loadSchema();
  const out: Record<string, Json> = {};
  const gvkOf = new Map(kinds.map((r) => [roots[r.kind], r]));
  const pending = kinds.map((r) => roots[r.kind]).filter((t): t is string => !!t);
  const seen = new Set<string>();
  while (pending.length) {
    const t = pending.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (PRIMITIVE_SCHEMAS[t]) {
      out[t] = PRIMITIVE_SCHEMAS[t];
      continue;
    }
    const fields = types[t];
    if (!fields) continue;
    const uses = new Set<string>();
    const properties: Json = {};
    for (const f of Object.keys(fields).sort()) properties[f] = property(fields[f]!, t, f, uses);
    const schema: Json = { type: "object", properties };
    const r = gvkOf.get(t);
    if (r) schema["x-kubernetes-group-version-kind"] = [{ group: r.group, kind: r.kind, version: r.version }];
    out[schemaName(t)] = schema;
    pending.push(...uses);
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

const QUERY = (name: string): Json => ({ name, in: "query", schema: { type: "string", uniqueItems: true } });

/** The paths of one kind: the item path with get/put/patch/delete, tagged with its group-version-kind. */
function pathsFor(r: ResourceType): Json {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const name = schemaName(loadSchema().roots[r.kind] ?? `V1${r.kind}`);
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const body = (types: string[]) => ({ content: Object.fromEntries(types.map((t) => [t, { schema: { $ref: `#/components/schemas/${name}` } }])), required: true });
  const ok = { "200": { description: "OK", content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } } };
  const op = (action: string, extra: Json = {}) => ({ "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, responses: ok, ...extra });
  const write = [QUERY("dryRun"), QUERY("fieldManager"), QUERY("fieldValidation")];
  const params = [{ name: "name", in: "path", required: true, schema: { type: "string", uniqueItems: true } }, ...(r.namespaced ? [{ name: "namespace", in: "path", required: true, schema: { type: "string", uniqueItems: true } }] : [])];
  return {
    [base]: {
      get: op("list"),
      post: op("post", { parameters: write, requestBody: body(["*/*"]) }),
      parameters: params.slice(1),
    },
    [`${base}/{name}`]: {
      get: op("get"),
      put: op("put", { parameters: write, requestBody: body(["*/*"]) }),
      patch: op("patch", {
        parameters: [...write, QUERY("force")],
        requestBody: body(["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]),
      }),
      delete: op("delete"),
      parameters: params,
    },
  };
}

interface Documents {
  root: Json;
  byPath: Map<string, { text: string; hash: string }>;
}

let documents: Documents | undefined;

function build(): Documents {
  const byGV = new Map<string, ResourceType[]>();
  for (const r of RESOURCE_TYPES) byGV.set(apiVersionOf(r), [...(byGV.get(apiVersionOf(r)) ?? []), r]);
  const byPath = new Map<string, { text: string; hash: string }>();
  const paths: Json = {};
  for (const [gv, kinds] of byGV) {
    const path = gv === "v1" ? "api/v1" : `apis/${gv}`;
    const doc = {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version: "v1.32.0" },
      paths: Object.assign({}, ...kinds.map(pathsFor)),
      components: { schemas: schemasFor(kinds) },
    };
    const text = JSON.stringify(doc);
    const hash = createHash("sha512").update(text).digest("hex").slice(0, 128).toUpperCase();
    byPath.set(path, { text, hash });
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { root: { paths }, byPath };
}

/** `/openapi/v3`: where each group version's document is. */
export function openAPIV3Root(): Json {
  documents ??= build();
  return documents.root;
}

/** The document of `api/v1`, `apis/apps/v1`, ... as JSON text, or undefined when not served. */
export function openAPIV3Document(path: string): { text: string; hash: string } | undefined {
  documents ??= build();
  return documents.byPath.get(path);
}
