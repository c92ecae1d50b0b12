/**
 * OpenAPI v3 as kube-apiserver serves it (/openapi/v3 and one document per group version), small
 * and generated at run time from the project's own field schema (src/api/schema/fields.json), so
 * that the real kubectl v1.32 can:
 *  - see that PATCH of each kind takes `fieldValidation` (cli-runtime's QueryParamVerifierV3), so
 *    `kubectl apply`/`create` leave field validation to the server (`?fieldValidation=Strict`)
 *    instead of failing with "failed to download openapi";
 *  - run `kubectl explain` over the types' fields as against a real v1.32 cluster: each type's
 *    and field's `description`, the `required` fields and the `enum` values come from
 *    src/api/schema/descriptions.json.gz (the Go doc comments of k8s.io/api v0.32.0, as
 *    upstream's OpenAPI generator reads them).
 * Schema names follow upstream (`io.k8s.api.core.v1.PodSpec`), fields carry the strategic merge
 * patch metadata (`x-kubernetes-patch-merge-key`, `x-kubernetes-patch-strategy`); a field that
 * refers to another type is upstream's `allOf: [{$ref}]` beside its description.
 * /openapi/v2 is protobuf-only in kubectl's client and stays unserved (kubectl falls back to its
 * compiled-in types for apply's patch computation).
 */
import { createHash } from "node:crypto";
import { loadSchema } from "../api/schema/fields.ts";
import { loadDescriptions } from "../api/schema/descriptions.ts";
import { patchMetaOf } from "../api/schema/strategicmerge.ts";
import { apiVersionOf, BUILTIN_RESOURCES, type ResourceRegistry, type ResourceType } from "../api/resources.ts";

type Json = Record<string, unknown>;

/** Upstream's OpenAPI name of a client-node model (`V1PodSpec` → `io.k8s.api.core.v1.PodSpec`), from fields.json. */
export function schemaName(model: string): string {
  const name = loadDescriptions().renamed[model] ?? loadSchema().names?.[model];
  if (name) return name;
  return `io.k8s.api.core.v1.${model.replace(/^(CoreV1|V1)/, "")}`;
}

/** The schema type (fields.json root) of a served built-in resource. */
function rootOf(r: ResourceType): string | undefined {
  const { roots } = loadSchema();
  return apiVersionOf(r) === r.storageVersion ? roots[r.kind] : roots[`${apiVersionOf(r)}/${r.kind}`];
}

/** Upstream's OpenAPI name of a custom resource's schema (`com.example.stable.v1.CronTab`). */
export function customSchemaName(r: ResourceType): string {
  return `${r.group.split(".").reverse().join(".")}.${r.version}.${r.kind}`;
}

const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
const ref = (name: string): Json => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });

function property(code: string, owner: string, field: string, uses: Set<string>): Json {
  const descriptions = loadDescriptions();
  const described = descriptions.types[schemaName(owner)];
  const out = propertyType(code, uses, descriptions.refs[`${owner}.${field}`], described?.e?.[field]);
  const description = described?.f?.[field];
  if (description) out.description = description;
  const meta = patchMetaOf(owner, field);
  if (meta?.mergeKey) out["x-kubernetes-patch-merge-key"] = meta.mergeKey;
  if (meta?.strategy) out["x-kubernetes-patch-strategy"] = meta.strategy;
  return out;
}

/** The schema of a field's type; `anyRef` names the type of an untyped (`a`) one, `values` an enum's values. */
function propertyType(code: string, uses: Set<string>, anyRef?: string, values?: string[]): Json {
  if (code.startsWith("[")) return { type: "array", items: propertyType(code.slice(1, -1), uses, anyRef, values) };
  if (code.startsWith("{")) return { type: "object", additionalProperties: propertyType(code.slice(1, -1), uses, anyRef, values) };
  if (code === "a" && anyRef) {
    uses.add(anyRef);
    return ref(anyRef);
  }
  switch (code) {
    case "s":
      return values ? { type: "string", enum: values } : { type: "string" };
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

/** The schema of a type fields.json does not describe: a primitive, or the type behind a `refs` field. */
function namedSchema(name: string): Json | undefined {
  const described = loadDescriptions().types[name];
  const primitive = PRIMITIVE_SCHEMAS[name];
  if (primitive) return described?.d ? { description: described.d, ...primitive } : primitive;
  if (described?.t === undefined) return undefined;
  return { ...(described.d ? { description: described.d } : {}), ...(described.t ? { type: described.t } : {}) };
}

/** The schemas of the types a group version's kinds use, keyed by upstream name. */
function schemasFor(kinds: ResourceType[]): Record<string, Json> {
  const { types } = loadSchema();
  const descriptions = loadDescriptions().types;
  const out: Record<string, Json> = {};
  const gvkOf = new Map(kinds.map((r) => [rootOf(r), r]));
  const pending = kinds.map(rootOf).filter((t): t is string => !!t);
  for (const r of kinds) {
    if (!r.crd) continue;
    // A custom resource's schema is its CRD version's openAPIV3Schema, with its group-version-kind.
    const schema: Json = { ...((r.schema as Json | undefined) ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true }) };
    schema["x-kubernetes-group-version-kind"] = [{ group: r.group, kind: r.kind, version: r.version }];
    out[customSchemaName(r)] = schema;
  }
  const seen = new Set<string>();
  while (pending.length) {
    const t = pending.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const named = namedSchema(t);
    if (named) {
      out[t] = named;
      continue;
    }
    const fields = types[t];
    if (!fields) continue;
    const uses = new Set<string>();
    const properties: Json = {};
    for (const f of Object.keys(fields).sort()) properties[f] = property(fields[f]!, t, f, uses);
    const described = descriptions[schemaName(t)];
    const schema: Json = { ...(described?.d ? { description: described.d } : {}), type: "object", properties };
    const required = described?.r?.filter((f) => f in properties);
    if (required?.length) schema.required = required;
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
  const name = r.crd ? customSchemaName(r) : schemaName(rootOf(r) ?? `V1${r.kind}`);
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

/** The built-in documents (the same for every cluster) and, per registry, its documents with custom resources. */
let builtin: Documents | undefined;
const perRegistry = new WeakMap<ResourceRegistry, { generation: number; docs: Documents }>();

function build(resources: readonly ResourceType[]): Documents {
  const byGV = new Map<string, ResourceType[]>();
  for (const r of resources) if (r.storable) byGV.set(apiVersionOf(r), [...(byGV.get(apiVersionOf(r)) ?? []), r]);
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

function documentsOf(registry?: ResourceRegistry): Documents {
  builtin ??= build(BUILTIN_RESOURCES);
  if (!registry || !registry.resources().some((r) => r.crd)) return builtin;
  const cached = perRegistry.get(registry);
  if (cached && cached.generation === registry.generation) return cached.docs;
  const docs = build(registry.resources());
  perRegistry.set(registry, { generation: registry.generation, docs });
  return docs;
}

/** `/openapi/v3`: where each group version's document is (the registry's custom resources included). */
export function openAPIV3Root(registry?: ResourceRegistry): Json {
  return documentsOf(registry).root;
}

/** The document of `api/v1`, `apis/apps/v1`, ... as JSON text, or undefined when not served. */
export function openAPIV3Document(registry: ResourceRegistry | undefined, path: string): { text: string; hash: string } | undefined {
  return documentsOf(registry).byPath.get(path);
}
