/**
 * Generates src/api/schema/gotypes.json: the Go type of each fields.json field whose Go type is a
 * named type over a simple kind (`imagePullPolicy` is a `v1.PullPolicy`, a string) or metav1's
 * Time and MicroTime, as reflect's Type.String() names it (the package's name, a dot, the type's
 * name). runtime.DefaultUnstructuredConverter words its errors with it (`cannot convert int64 to
 * v1.PullPolicy`), and Time and MicroTime parse with different layouts (src/api/schema/unstructured.ts).
 * A list's or map's field names the type of its items (`capabilities.add` items are
 * `v1.Capability`).
 *
 * They come from the Go sources of k8s.io/api and k8s.io/apimachinery's meta/v1 (v0.32.0):
 *
 *   node --import tsx scripts/gen-go-types.ts <mirrors dir> [tag]
 *
 * <mirrors dir> holds the git dirs kubernetes+api/repo and kubernetes+apimachinery/repo; files are
 * read with `git show <tag>:<path>`. Kinds of other modules (apiextensions, apiregistration) are
 * not read: their named string fields are named `string` (docs/divergences.md).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadSchema } from "../src/api/schema/fields.ts";

const [mirrors, tag = "v0.32.0"] = process.argv.slice(2);
if (!mirrors) {
  console.error("usage: gen-go-types.ts <mirrors dir> [tag]");
  process.exit(2);
}

const REPOS = [
  {
    dir: "kubernetes+api/repo",
    module: "k8s.io/api",
    packages: [
      "core/v1", "apps/v1", "batch/v1", "policy/v1", "rbac/v1", "networking/v1", "scheduling/v1", "autoscaling/v1", "autoscaling/v2",
      "coordination/v1", "discovery/v1", "authentication/v1", "authorization/v1", "admissionregistration/v1", "flowcontrol/v1",
      "storage/v1", "certificates/v1", "node/v1", "events/v1",
    ],
  },
  { dir: "kubernetes+apimachinery/repo", module: "k8s.io/apimachinery", packages: ["pkg/apis/meta/v1"] },
];

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 256 << 20 });

interface Member {
  json: string;
  inline: boolean;
  /** The type expression, e.g. `*PullPolicy`, `[]Capability`, `metav1.Time`. */
  type: string;
}
interface Struct {
  pkg: string;
  members: Member[];
  imports: Map<string, string>;
}

/** Package path → its Go name (the `package` clause). */
const pkgNames = new Map<string, string>();
/** `pkg.Type` → the simple kind under a named type (`string`, `int32`...). */
const simpleTypes = new Map<string, string>();
const structs = new Map<string, Struct>();

const SIMPLE = new Set(["string", "bool", "int", "int32", "int64", "float32", "float64", "uint", "uint32", "uint64"]);

function parseFile(pkg: string, src: string): void {
  // Comments out (the API types' files have no `//` inside strings or struct tags that matters here).
  const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const pkgName = /^package (\w+)/m.exec(code)?.[1];
  if (pkgName) pkgNames.set(pkg, pkgName);
  const imports = new Map<string, string>();
  for (const block of code.matchAll(/^import\s*\(([\s\S]*?)^\)/gm)) {
    for (const m of block[1]!.matchAll(/^\s*(\w+\s+)?"([^"]+)"/gm)) imports.set(m[1]?.trim() ?? m[2]!.split("/").pop()!, m[2]!);
  }
  for (const m of code.matchAll(/^import\s+(\w+\s+)?"([^"]+)"/gm)) imports.set(m[1]?.trim() ?? m[2]!.split("/").pop()!, m[2]!);
  for (const m of code.matchAll(/^type (\w+) (\w+)\s*$/gm)) if (SIMPLE.has(m[2]!)) simpleTypes.set(`${pkg}.${m[1]}`, m[2]!);
  // Inside a `type ( … )` block too.
  for (const block of code.matchAll(/^type \(([\s\S]*?)^\)/gm)) for (const m of block[1]!.matchAll(/^\s+(\w+) (\w+)\s*$/gm)) if (SIMPLE.has(m[2]!)) simpleTypes.set(`${pkg}.${m[1]}`, m[2]!);
  for (const m of code.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const members: Member[] = [];
    for (const line of m[2]!.split("\n")) {
      const named = /^\s+(\w+)\s+([^\s`]+)\s+`[^`]*json:"([^"]*)"/.exec(line);
      const embedded = /^\s+([\w.*]+)\s+`[^`]*json:"([^"]*)"/.exec(line);
      if (named) {
        const [json = "", ...opts] = named[3]!.split(",");
        members.push({ json: json || named[1]!, inline: opts.includes("inline"), type: named[2]! });
      } else if (embedded) {
        const [json = "", ...opts] = embedded[2]!.split(",");
        members.push({ json: json || embedded[1]!.replace(/^.*\./, ""), inline: opts.includes("inline"), type: embedded[1]! });
      }
    }
    structs.set(`${pkg}.${m[1]}`, { pkg, members, imports });
  }
}

for (const repo of REPOS) {
  const dir = `${mirrors}/${repo.dir}`;
  for (const p of repo.packages) {
    const files = git(dir, "ls-tree", "--name-only", `${tag}:${p}`)
      .split("\n")
      .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go") && !f.startsWith("zz_generated") && !f.startsWith("generated.") && !f.includes("swagger_doc") && !f.endsWith(".pb.go"));
    for (const f of files) parseFile(`${repo.module}/${p}`, git(dir, "show", `${tag}:${p}/${f}`));
  }
}

/** The package and name a type expression names once pointers, slices and maps are taken off. */
function elementKey(s: Struct, type: string): string {
  let e = type;
  for (;;) {
    if (e.startsWith("*")) e = e.slice(1);
    else if (e.startsWith("[]")) e = e.slice(2);
    else if (e.startsWith("map[")) e = e.slice(e.indexOf("]") + 1);
    else break;
  }
  const dot = e.indexOf(".");
  return dot < 0 ? `${s.pkg}.${e}` : `${s.imports.get(e.slice(0, dot)) ?? e.slice(0, dot)}.${e.slice(dot + 1)}`;
}

function member(s: Struct, json: string): { owner: Struct; m: Member } | undefined {
  for (const m of s.members) {
    if (m.inline) {
      const inner = structs.get(elementKey(s, m.type));
      const found = inner && member(inner, json);
      if (found) return found;
    } else if (m.json === json) return { owner: s, m };
  }
  return undefined;
}

/** `io.k8s.api.core.v1.Container` → `k8s.io/api/core/v1.Container`. */
function goKey(openapiName: string): string | undefined {
  const m = /^io\.k8s\.(api|apimachinery)\.(.*)\.(\w+)$/.exec(openapiName);
  return m ? `k8s.io/${m[1]}/${m[2]!.replace(/\./g, "/")}.${m[3]}` : undefined;
}

const schema = loadSchema();
const out: Record<string, string> = {};
let models = 0;
for (const [model, fields] of Object.entries(schema.types)) {
  const key = goKey(schema.names[model] ?? "");
  const s = key && structs.get(key);
  if (!s) continue;
  models++;
  for (const [field, code] of Object.entries(fields)) {
    const inner = code.replace(/^[[{]+|[\]}]+$/g, "");
    if (inner !== "s" && inner !== "b" && inner !== "t" && !inner.startsWith("n:")) continue;
    const found = member(s, field);
    if (!found) throw new Error(`${model}.${field}: no such Go field in ${key}`);
    const el = elementKey(found.owner, found.m.type);
    const dot = el.lastIndexOf(".");
    const [pkg, name] = [el.slice(0, dot), el.slice(dot + 1)];
    if (inner === "t") {
      if (el !== "k8s.io/apimachinery/pkg/apis/meta/v1.Time" && el !== "k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime") throw new Error(`${model}.${field}: a time field of type ${el}`);
      if (name === "MicroTime") out[`${model}.${field}`] = "v1.MicroTime";
      continue;
    }
    if (!simpleTypes.has(el)) continue;
    out[`${model}.${field}`] = `${pkgNames.get(pkg)}.${name}`;
  }
}
const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const commits = REPOS.map((r) => `github.com/kubernetes/${r.module.replace("k8s.io/", "")} ${git(`${mirrors}/${r.dir}`, "rev-parse", `${tag}^{commit}`).trim()}`);
const doc = {
  _source: `scripts/gen-go-types.ts from the Go sources of ${tag}: ${commits.join(", ")}. fields: Model.field → reflect's name of the field's Go type (of its items for a list or map) where it is a named type over a simple kind, or v1.MicroTime (other time fields are v1.Time)`,
  fields: sorted,
};
writeFileSync(new URL("../src/api/schema/gotypes.json", import.meta.url), JSON.stringify(doc, null, 1) + "\n");
console.log(`${models} models read, ${Object.keys(sorted).length} fields of named types`);
