/**
 * Generates src/api/schema/fields.json: the fields of every API type the simulated API server
 * serves, from @kubernetes/client-node's generated models (OpenAPI spec v1.32.0 in client-node
 * 1.0.0), for every built-in resource of src/api/registry/discovery-v1.32.json, with upstream's OpenAPI
 * name of each type. Loading client-node at run time costs seconds; the compact JSON costs milliseconds.
 *
 *   npm i --no-save @kubernetes/client-node@1.0.0   (or CLIENT_NODE=/path/to/@kubernetes/client-node)
 *   node --import tsx scripts/gen-schema.ts
 *
 * Type codes: s string, n:<int32|int64|double> number, b boolean, t time, q quantity,
 * i int-or-string, a any, [<code>] array, {<code>} map, or a type name.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { apiVersionOf, BUILTIN_RESOURCES } from "../src/api/resources.ts";

interface Attr {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
type Model = { getAttributeTypeMap?: () => Attr[] };

const where = process.env.CLIENT_NODE ? pathToFileURL(resolve(process.env.CLIENT_NODE, "dist/index.js")).href : "@kubernetes/client-node";
const k8s = (await import(where)) as Record<string, Model>;

/** Fields that are resource.Quantity upstream (client-node types them as plain strings). */
const QUANTITY_FIELDS = new Set([
  "V1ResourceRequirements.limits", "V1ResourceRequirements.requests", "V1VolumeResourceRequirements.limits",
  "V1VolumeResourceRequirements.requests", "V1NodeStatus.capacity", "V1NodeStatus.allocatable", "V1EmptyDirVolumeSource.sizeLimit",
  "V1ResourceFieldSelector.divisor", "V1PodSpec.overhead", "V1PersistentVolumeClaimStatus.capacity",
  "V1PersistentVolumeClaimStatus.allocatedResources", "V1ContainerStatus.allocatedResources", "V1LimitRangeItem.max",
  "V1LimitRangeItem.min", "V1LimitRangeItem._default", "V1LimitRangeItem.defaultRequest", "V1LimitRangeItem.maxLimitRequestRatio",
  "V1ResourceQuotaSpec.hard", "V1ResourceQuotaStatus.hard", "V1ResourceQuotaStatus.used", "V1PersistentVolumeSpec.capacity",
  "V1CSIStorageCapacity.capacity", "V1CSIStorageCapacity.maximumVolumeSize", "V2MetricTarget.averageValue", "V2MetricTarget.value",
  "V2MetricValueStatus.averageValue", "V2MetricValueStatus.value", "V1Overhead.podFixed",
]);

const types: Record<string, Record<string, string>> = {};
const pending: string[] = [];

function code(t: string, owner: string, field: string, format: string): string {
  const quantity = QUANTITY_FIELDS.has(`${owner}.${field}`);
  let m: RegExpMatchArray | null;
  if ((m = /^Array<(.*)>$/.exec(t))) return `[${code(m[1], owner, field, format)}]`;
  if ((m = /^\{ \[key: string\]: (.*); \}$/.exec(t))) return `{${code(m[1], owner, field, format)}}`;
  if (quantity) return "q";
  if (t === "string") return "s";
  if (t === "number") return `n:${format || "int32"}`;
  if (t === "boolean") return "b";
  if (t === "Date" || t === "V1MicroTime") return "t";
  if (t === "IntOrString") return "i";
  if (t === "any" || t === "object") return "a";
  if (k8s[t]?.getAttributeTypeMap) {
    if (!(t in types)) pending.push(t);
    return t;
  }
  return "a";
}


/** client-node's model name of a served group/version/kind (its generator prefixes clashing names). */
function modelName(group: string, version: string, kind: string): string {
  if (kind === "Event") return group === "" ? "CoreV1Event" : "EventsV1Event";
  if (kind === "TokenRequest") return "AuthenticationV1TokenRequest";
  return `${version[0].toUpperCase()}${version.slice(1)}${kind}`;
}

/** The Go package of each API group, as upstream's OpenAPI definitions name their types. */
const PACKAGES: Record<string, string> = {
  "": "io.k8s.api.core",
  "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
  "apiregistration.k8s.io": "io.k8s.kube-aggregator.pkg.apis.apiregistration",
  "rbac.authorization.k8s.io": "io.k8s.api.rbac",
  "flowcontrol.apiserver.k8s.io": "io.k8s.api.flowcontrol",
};
const pkgOf = (group: string) => PACKAGES[group] ?? `io.k8s.api.${group.replace(/\.k8s\.io$/, "")}`;
const META = new Set(["ObjectMeta", "OwnerReference", "ManagedFieldsEntry", "LabelSelector", "LabelSelectorRequirement", "Condition", "ListMeta", "Status", "StatusDetails", "StatusCause"]);

const roots: Record<string, string> = {};
/** Upstream's OpenAPI name of each model (`V1PodSpec` → `io.k8s.api.core.v1.PodSpec`). */
const names: Record<string, string> = {};
// The core group first, so types it shares with other groups are named in the core package.
const served = [...BUILTIN_RESOURCES].filter((r) => r.storable).sort((a, b) => (a.group === "" ? 0 : 1) - (b.group === "" ? 0 : 1));
for (const r of served) {
  const model = modelName(r.group, r.version, r.kind);
  if (!k8s[model]?.getAttributeTypeMap) throw new Error(`no model ${model} for ${r.group}/${r.version} ${r.kind}`);
  // Storage versions by kind (as the store keys objects); other served versions by apiVersion/kind.
  const key = r.storageVersion === apiVersionOf(r) ? r.kind : `${apiVersionOf(r)}/${r.kind}`;
  roots[key] = model;
  pending.push(model);
  while (pending.length) {
    const t = pending.pop()!;
    if (t in types) continue;
    const fields: Record<string, string> = {};
    types[t] = fields;
    const bare = t.replace(/^(V\d+(alpha\d+|beta\d+)?|[A-Z][a-z]+V\d+)/, "");
    names[t] = META.has(bare) ? `io.k8s.apimachinery.pkg.apis.meta.v1.${bare}` : `${pkgOf(r.group)}.${r.version}.${bare}`;
    for (const a of k8s[t].getAttributeTypeMap!()) fields[a.baseName] = code(a.type, t, a.name, a.format);
  }
}

const out = resolve(import.meta.dirname, "../src/api/schema/fields.json");
const sorted = Object.fromEntries(Object.keys(types).sort().map((k) => [k, types[k]]));
const sortedNames = Object.fromEntries(Object.keys(names).sort().map((k) => [k, names[k]]));
writeFileSync(out, JSON.stringify({ source: "@kubernetes/client-node 1.0.0 (OpenAPI v1.32.0)", roots, names: sortedNames, types: sorted }) + "\n");
console.log(`wrote ${out}: ${Object.keys(types).length} types`);
