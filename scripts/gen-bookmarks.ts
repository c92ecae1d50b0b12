/**
 * Writes src/server/handlers/bookmarks.json: the object of a watch BOOKMARK event of each built-in
 * kind as kube-apiserver v1.32 writes it. The cacher sends a new, empty object of the watched type
 * with only its resourceVersion set (cacher.go, getBookmarkObject: `c.newFunc()`), and Go's
 * encoding/json writes its zero values: a struct is never left out (`omitempty` does not apply to
 * structs), a pointer, slice or map without `omitempty` is `null`, a non-pointer scalar without
 * `omitempty` its zero, custom marshalers theirs (metav1.Time `null`, Quantity `"0"`, IntOrString
 * `0`, Duration `"0s"`). A Pod's: `{"metadata":{"creationTimestamp":null},"spec":{"containers":null},"status":{}}`.
 *
 * Read from the Go types' facts (src/server/protobuf/fields.json, scripts/gen-proto-fields.ts: `p`
 * pointer, `k` non-pointer without omitempty, `n` nil written as null, `i` inline, `j=` JSON name)
 * and the field order and types of Kubernetes' generated.proto files (src/server/protobuf/proto).
 *
 *   node --import tsx scripts/gen-bookmarks.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";

const PROTO_DIR = "src/server/protobuf/proto";
const API_FILES = ["core/v1", "apps/v1", "batch/v1", "policy/v1", "rbac/v1", "networking/v1", "scheduling/v1", "autoscaling/v1", "autoscaling/v2", "coordination/v1", "discovery/v1", "authentication/v1", "authorization/v1"];
const META = "k8s.io.apimachinery.pkg.apis.meta.v1";

/** Messages with their own MarshalJSON: the JSON of their zero value. */
const CUSTOM: Record<string, unknown> = {
  [`${META}.Time`]: null,
  [`${META}.MicroTime`]: null,
  [`${META}.Duration`]: "0s",
  [`${META}.FieldsV1`]: null,
  "k8s.io.apimachinery.pkg.api.resource.Quantity": "0",
  "k8s.io.apimachinery.pkg.util.intstr.IntOrString": 0,
  "k8s.io.apimachinery.pkg.runtime.RawExtension": null,
};

const facts = JSON.parse(readFileSync("src/server/protobuf/fields.json", "utf8")) as Record<string, Record<string, string> | string>;
const flagsOf = (message: string, field: string): string[] => {
  const m = facts[message];
  return typeof m === "object" ? (m[field] ?? "").split(" ").filter(Boolean) : [];
};

const root = new protobuf.Root();
root.resolvePath = (_origin: string, target: string) => join(PROTO_DIR, target);
root.loadSync(
  API_FILES.map((g) => `k8s.io/api/${g}/generated.proto`),
  { keepCase: true },
);
root.resolveAll();

const fullName = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, "");

/** The zero value of a scalar protobuf type, as Go writes a non-pointer field of it. */
function scalarZero(type: string): unknown {
  if (type === "string") return "";
  if (type === "bool") return false;
  if (type === "bytes") return null;
  return 0;
}

/** The JSON of a Go struct's zero value (a non-pointer field of it, or a new object). */
function zeroOf(type: protobuf.Type, into: Record<string, unknown> = {}): Record<string, unknown> {
  const name = fullName(type);
  for (const field of type.fieldsArray) {
    const flags = flagsOf(name, field.name);
    const json = flags.find((f) => f.startsWith("j="))?.slice(2) ?? field.name;
    const message = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (flags.includes("i")) {
      if (!message) throw new Error(`${name}.${field.name}: an inline field that is no message`);
      // TypeMeta's kind and apiVersion are the encoder's (set on every object it writes).
      if (fullName(message) !== `${META}.TypeMeta`) zeroOf(message, into);
      continue;
    }
    if (flags.includes("p") || field.repeated || field instanceof protobuf.MapField) {
      // nil: null unless omitempty.
      if (flags.includes("n")) into[json] = null;
      continue;
    }
    if (message) {
      // A struct is written whatever its tag says.
      const custom = fullName(message);
      into[json] = custom in CUSTOM ? CUSTOM[custom] : zeroOf(message);
      continue;
    }
    if (flags.includes("k")) into[json] = scalarZero(field.type);
  }
  return into;
}

const kinds: Record<string, Record<string, unknown>> = {};
const visit = (ns: protobuf.NamespaceBase) => {
  for (const o of ns.nestedArray) {
    if (o instanceof protobuf.Type) {
      const metadata = o.fields.metadata?.resolvedType;
      // A kind: ObjectMeta as metadata (lists carry ListMeta; go-to-protobuf leaves TypeMeta out).
      // Templates (PodTemplateSpec...) match too and are never looked up as kinds.
      if (metadata && fullName(metadata) === `${META}.ObjectMeta`) kinds[fullName(o)] = zeroOf(o);
    } else if (o instanceof protobuf.Namespace) visit(o);
  }
};
visit(root);

const sorted = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : 1)));
const doc = { _source: "scripts/gen-bookmarks.ts from src/server/protobuf/fields.json and the generated.proto files of src/server/protobuf/proto (v0.32.0): the zero object of each kind as Go's encoding/json writes it, kind and apiVersion left to the encoder", kinds: sorted };
writeFileSync("src/server/handlers/bookmarks.json", JSON.stringify(doc, null, 0).replace(/\},"k8s/g, '},\n"k8s') + "\n");
console.log(`${Object.keys(sorted).length} kinds`);
