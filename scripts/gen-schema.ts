/**
 * Generates src/api/schema/fields.json: the fields of every API type the simulated API server
 * serves, from @kubernetes/client-node's generated models (OpenAPI spec v1.32.0 in client-node
 * 1.0.0). Loading client-node at run time costs seconds; the compact JSON costs milliseconds.
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
import { RESOURCE_TYPES } from "../src/api/resources.ts";

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
]);

/** client-node's name for the model of each kind. */
const ROOT_MODEL: Record<string, string> = { Event: "CoreV1Event", EndpointSlice: "V1EndpointSlice" };

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

const roots: Record<string, string> = {};
for (const r of RESOURCE_TYPES) {
  const model = ROOT_MODEL[r.kind] ?? `V1${r.kind}`;
  if (!k8s[model]?.getAttributeTypeMap) throw new Error(`no model ${model} for ${r.kind}`);
  roots[r.kind] = model;
  pending.push(model);
}
while (pending.length) {
  const t = pending.pop()!;
  if (t in types) continue;
  const fields: Record<string, string> = {};
  types[t] = fields;
  for (const a of k8s[t].getAttributeTypeMap!()) fields[a.baseName] = code(a.type, t, a.name, a.format);
}

const out = resolve(import.meta.dirname, "../src/api/schema/fields.json");
const sorted = Object.fromEntries(Object.keys(types).sort().map((k) => [k, types[k]]));
writeFileSync(out, JSON.stringify({ source: "@kubernetes/client-node 1.0.0 (OpenAPI v1.32.0)", roots, types: sorted }) + "\n");
console.log(`wrote ${out}: ${Object.keys(types).length} types`);
