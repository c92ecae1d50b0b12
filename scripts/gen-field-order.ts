/**
 * Writes src/api/schema/fieldorder.json: the order of the fields of every API type as Go declares
 * them, which is the order encoding/json writes a struct's fields in (what kube-apiserver answers).
 * The OpenAPI documents (src/api/schema/fields.json) list fields alphabetically; go-to-protobuf
 * writes each message's fields in the Go struct's order, so the order is read from Kubernetes' own
 * generated.proto files (src/server/protobuf/proto/, provenance in its README.md). A field is
 * `[jsonName, messageType]`, messageType "" for scalars (strings, numbers, Quantity, IntOrString,
 * Time: JSON strings or numbers), `{type` for a map (`{` when its values are scalars).
 *
 *   npx tsx scripts/gen-field-order.ts
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = "src/server/protobuf/proto";
/** Messages encoded as JSON scalars (custom marshalers). */
const SCALARS = new Set([
  "k8s.io.apimachinery.pkg.api.resource.Quantity",
  "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
  "k8s.io.apimachinery.pkg.apis.meta.v1.Time",
  "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime",
  "k8s.io.apimachinery.pkg.apis.meta.v1.Duration",
  "k8s.io.apimachinery.pkg.runtime.RawExtension",
  "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1",
]);
/**
 * What src/server/protobuf/fields.json (scripts/gen-proto-fields.ts, from the Go types) says of a
 * message's fields: `i` an inline embedded struct (its fields are the parent's in JSON, at its
 * place), `j=<name>` a JSON name other than the proto one (`uID` is `uid`).
 */
const GO_FIELDS = JSON.parse(readFileSync("src/server/protobuf/fields.json", "utf8")) as Record<string, Record<string, string> | string>;
const goField = (message: string, field: string): string => {
  const m = GO_FIELDS[message];
  return typeof m === "object" ? (m[field] ?? "") : "";
};

function protoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? protoFiles(p) : p.endsWith(".proto") ? [p] : [];
  });
}

const messages: Record<string, Array<[string, string]>> = {};
const raw: Array<{ pkg: string; name: string; fields: Array<{ type: string; name: string; map: boolean }> }> = [];
for (const file of protoFiles(ROOT).sort()) {
  const text = readFileSync(file, "utf8");
  const pkg = /^package\s+([\w.]+);/m.exec(text)![1]!;
  for (const m of text.matchAll(/^message\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const fields: Array<{ type: string; name: string; map: boolean }> = [];
    for (const f of m[2]!.matchAll(/^\s*(?:(?:optional|repeated)\s+([\w.]+)|map<\s*\w+\s*,\s*([\w.]+)\s*>)\s+(\w+)\s*=\s*\d+/gm)) {
      fields.push({ type: f[1] ?? f[2]!, name: f[3]!, map: f[2] !== undefined });
    }
    raw.push({ pkg, name: m[1]!, fields });
  }
}
const known = new Map(raw.map((m) => [`${m.pkg}.${m.name}`, m]));
function fieldsOf(m: (typeof raw)[number]): Array<[string, string]> {
  const own = `${m.pkg}.${m.name}`;
  return m.fields.flatMap((f): Array<[string, string]> => {
    const full = f.type.startsWith(".") ? f.type.slice(1) : known.has(`${m.pkg}.${f.type}`) ? `${m.pkg}.${f.type}` : f.type;
    const go = goField(own, f.name);
    const inner = known.get(full);
    if (/(^| )i( |$)/.test(go) && inner && !SCALARS.has(own)) return fieldsOf(inner);
    const type = inner && !SCALARS.has(full) ? full : "";
    const json = /j=(\S+)/.exec(go)?.[1] ?? f.name;
    return [[json, f.map ? `{${type}` : type]];
  });
}
for (const m of raw) messages[`${m.pkg}.${m.name}`] = fieldsOf(m);
const out = { _source: `scripts/gen-field-order.ts from ${relative(".", ROOT)} (Kubernetes v0.32.0 generated.proto: fields in Go struct order)`, messages };
writeFileSync("src/api/schema/fieldorder.json", JSON.stringify(out) + "\n");
console.log(`${Object.keys(messages).length} messages`);
