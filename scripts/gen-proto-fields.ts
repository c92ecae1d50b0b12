/**
 * Generates src/server/protobuf/fields.json: what the protobuf decoder must know of each Go field
 * that protobuf alone does not say, read from the Go types of k8s.io/api and k8s.io/apimachinery
 * (the same release as the .proto files in src/server/protobuf/proto):
 *
 *   - `p`: the Go field is a pointer (`*bool`, `*int32`, `*string`, ...). Go's generated protobuf
 *     code writes every non-pointer scalar, zero or not, and a pointer one only when it is set; Go's
 *     JSON leaves the zero non-pointer ones out (`omitempty`) but keeps a set pointer's zero
 *     (`automountServiceAccountToken: false`, `runAsUser: 0`, `storageClassName: ""`).
 *   - `k`: a non-pointer field without `omitempty` (`PriorityClass.value`, `HTTPHeader.value`):
 *     Go's JSON writes it even when zero.
 *   - `n`: a pointer, slice or map field without `omitempty` (`DeploymentSpec.selector`,
 *     `PodSpec.containers`): Go's JSON writes it as `null` when it is nil (a watch BOOKMARK's
 *     object, src/server/handlers/bookmark.ts).
 *   - `i`: the Go field is an embedded struct (`json:",inline"`): its fields go into the parent.
 *   - `j=<name>`: the JSON name, where go-to-protobuf's name differs (`aPIVersion` → `apiVersion`).
 *
 *   node --import tsx scripts/gen-proto-fields.ts <kubernetes/api git dir> <kubernetes/apimachinery git dir> [tag]
 *
 * The git dirs may be bare (the files are read with `git show <tag>:<path>`).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const [apiDir, machineryDir, tag = "v0.32.0"] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  console.error("usage: gen-proto-fields.ts <kubernetes/api git dir> <kubernetes/apimachinery git dir> [tag]");
  process.exit(2);
}

/** The groups whose generated.proto files src/server/protobuf/proto keeps. */
const API_GROUPS = ["core/v1", "apps/v1", "batch/v1", "policy/v1", "rbac/v1", "networking/v1", "scheduling/v1", "autoscaling/v1", "autoscaling/v2", "coordination/v1", "discovery/v1", "authentication/v1", "authorization/v1", "certificates/v1"];

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });

function goFiles(dir: string, path: string): string[] {
  return git(dir, "ls-tree", "--name-only", `${tag}:${path}`)
    .split("\n")
    .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go") && !f.startsWith("zz_generated") && !f.startsWith("generated.") && !f.includes("swagger_doc"))
    .map((f) => git(dir, "show", `${tag}:${path}/${f}`));
}

const out: Record<string, Record<string, string>> = {};
const FIELD = /^\s+(?:(\w+)\s+)?(\*?[\w.[\]*]+)\s+`([^`]*)`/;

function scan(pkg: string, sources: string[]): void {
  for (const src of sources) {
    const lines = src.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const head = /^type (\w+) struct \{\s*$/.exec(lines[i]!);
      if (!head) continue;
      const fields: Record<string, string> = {};
      for (i++; i < lines.length && lines[i] !== "}"; i++) {
        const m = FIELD.exec(lines[i]!);
        if (!m) continue;
        const [, name, goType, tags] = m;
        const protoTag = /protobuf:"([^"]*)"/.exec(tags!)?.[1];
        if (!protoTag) continue;
        // go-to-protobuf names a field without `name=` after the Go field (an embedded one: its type).
        const goName = name ?? goType!.replace(/^\*/, "").replace(/^.*\./, "");
        const proto = /name=(\w+)/.exec(protoTag)?.[1] ?? goName[0]!.toLowerCase() + goName.slice(1);
        const json = /json:"([^"]*)"/.exec(tags!)?.[1] ?? "";
        const [jsonName = "", ...opts] = json.split(",");
        const flags: string[] = [];
        if (opts.includes("inline") || (!name && jsonName === "")) flags.push("i");
        else if (goType!.startsWith("*")) flags.push(...(opts.includes("omitempty") ? ["p"] : ["p", "n"]));
        else if (!opts.includes("omitempty") && !goType!.startsWith("[]") && !goType!.startsWith("map[")) flags.push("k");
        else if (!opts.includes("omitempty")) flags.push("n");
        if (jsonName && jsonName !== "-" && jsonName !== proto) flags.push(`j=${jsonName}`);
        if (flags.length) fields[proto] = flags.join(" ");
      }
      if (Object.keys(fields).length) out[`${pkg}.${head[1]}`] = fields;
    }
  }
}

for (const g of API_GROUPS) scan(`k8s.io.api.${g.replace("/", ".")}`, goFiles(apiDir, g));
scan("k8s.io.apimachinery.pkg.apis.meta.v1", goFiles(machineryDir, "pkg/apis/meta/v1"));

const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
const apiCommit = git(apiDir, "rev-parse", `${tag}^{commit}`).trim();
const machineryCommit = git(machineryDir, "rev-parse", `${tag}^{commit}`).trim();
const doc = {
  _source: `scripts/gen-proto-fields.ts from the Go types of github.com/kubernetes/api ${tag} (${apiCommit}) and github.com/kubernetes/apimachinery ${tag} (${machineryCommit}), pkg/apis/meta/v1; p: pointer field, k: non-pointer field without omitempty, n: pointer, slice or map without omitempty (null when nil), i: inline embedded struct, j=: JSON name`,
  ...sorted,
};
writeFileSync(new URL("../src/server/protobuf/fields.json", import.meta.url), JSON.stringify(doc, null, 0).replace(/\},"/g, '},\n"') + "\n");
console.log(`${Object.keys(sorted).length} messages`);
