/**
 * Generates src/api/schema/descriptions.json.gz: what kube-apiserver v1.32's OpenAPI says of each
 * type fields.json names, beyond the fields' types: the type's and each field's `description`, the
 * `required` fields, and the `enum` values of the fields whose Go type is a `+enum` string type.
 *
 * They come from the Go doc comments of k8s.io/api, k8s.io/apimachinery,
 * k8s.io/apiextensions-apiserver and k8s.io/kube-aggregator (v0.32.0), read as upstream's
 * generator reads them:
 *   - gengo v2 (k8s.io/gengo/v2/parser): a declaration's comment lines are the comment group that
 *     ends on the line before it (go/ast CommentGroup.Text(): `//` and the first space removed,
 *     trailing blanks trimmed, leading and trailing empty lines dropped, runs of empty lines
 *     reduced to one, `//go:` style directives dropped);
 *   - kube-openapi pkg/generators (openapi.go generateDescription): the lines up to a `---` line,
 *     without `TODO` and `+tag` lines, joined with a space; an empty line starts a paragraph
 *     (`\n\n`), an indented line stays a line of its own; trimmed. A field whose type is an enum
 *     gets, after its own lines, an empty line, `Possible enum values:` and one line per value
 *     (enum.go DescriptionLines: `` - `"Value"` <the constant's comment without its name>``,
 *     sorted);
 *   - required (openapi.go isOptional): `+required`, else not `+optional` and no `omitempty`;
 *     the fields of an inlined (`json:",inline"`) member are its parent's.
 *
 *   node --import tsx scripts/gen-openapi-descriptions.ts <mirrors dir> [tag]
 *
 * <mirrors dir> holds the git dirs (bare is fine) kubernetes+api/repo,
 * kubernetes+apimachinery/repo, kubernetes+apiextensions-apiserver/repo and
 * kubernetes+kube-aggregator/repo; files are read with `git show <tag>:<path>`.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { loadSchema } from "../src/api/schema/fields.ts";

const [mirrors, tag = "v0.32.0"] = process.argv.slice(2);
if (!mirrors) {
  console.error("usage: gen-openapi-descriptions.ts <mirrors dir> [tag]");
  process.exit(2);
}

interface Repo {
  dir: string;
  /** Go import path of the repository's root. */
  module: string;
  /** Folders of packages, relative to the root. */
  packages: string[];
}

const REPOS: Repo[] = [
  {
    dir: "kubernetes+api/repo",
    module: "k8s.io/api",
    packages: [
      "core/v1", "apps/v1", "batch/v1", "policy/v1", "rbac/v1", "networking/v1", "scheduling/v1", "autoscaling/v1", "autoscaling/v2",
      "coordination/v1", "discovery/v1", "authentication/v1", "authorization/v1", "admissionregistration/v1", "flowcontrol/v1",
      "storage/v1", "certificates/v1", "node/v1", "events/v1",
    ],
  },
  { dir: "kubernetes+apimachinery/repo", module: "k8s.io/apimachinery", packages: ["pkg/apis/meta/v1", "pkg/api/resource", "pkg/util/intstr", "pkg/runtime"] },
  { dir: "kubernetes+apiextensions-apiserver/repo", module: "k8s.io/apiextensions-apiserver", packages: ["pkg/apis/apiextensions/v1"] },
  { dir: "kubernetes+kube-aggregator/repo", module: "k8s.io/kube-aggregator", packages: ["pkg/apis/apiregistration/v1"] },
];

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 256 << 20 });

// ---------------------------------------------------------------------------------------------
// A Go lexer: enough of go/scanner for declarations and their comments.

interface Tok {
  kind: "ident" | "string" | "punct" | "number" | "comment";
  text: string;
  line: number;
  /** The line a comment ends on (a block comment may span lines). */
  endLine: number;
  /** A comment after code on its line (go/parser's line comment: a group of its own). */
  trailing?: boolean;
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  let lastCodeLine = 0;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      toks.push({ kind: "comment", text: src.slice(start, i), line: startLine, endLine: startLine, trailing: lastCodeLine === startLine });
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      i = src.indexOf("*/", i + 2);
      if (i < 0) throw new Error("unterminated block comment");
      i += 2;
      const text = src.slice(start, i);
      line += text.split("\n").length - 1;
      toks.push({ kind: "comment", text, line: startLine, endLine: line, trailing: lastCodeLine === startLine });
      continue;
    }
    lastCodeLine = line;
    if (c === '"' || c === "'") {
      i++;
      while (i < n && src[i] !== c) i += src[i] === "\\" ? 2 : 1;
      i++;
      toks.push({ kind: "string", text: src.slice(start, i), line: startLine, endLine: startLine });
      continue;
    }
    if (c === "`") {
      i = src.indexOf("`", i + 1) + 1;
      const text = src.slice(start, i);
      line += text.split("\n").length - 1;
      lastCodeLine = line;
      toks.push({ kind: "string", text, line: startLine, endLine: line });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < n && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      toks.push({ kind: "ident", text: src.slice(start, i), line: startLine, endLine: startLine });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < n && /[0-9A-Za-z_.]/.test(src[i]!)) i++;
      toks.push({ kind: "number", text: src.slice(start, i), line: startLine, endLine: startLine });
      continue;
    }
    i++;
    toks.push({ kind: "punct", text: c, line: startLine, endLine: startLine });
  }
  return toks;
}

/** go/ast CommentGroup.Text(), split into lines as gengo's splitLines does. */
function commentText(comments: string[]): string[] {
  const lines: string[] = [];
  for (let c of comments) {
    if (c[1] === "/") {
      c = c.slice(2);
      if (c.length > 0) {
        if (c[0] === " ") c = c.slice(1);
        // A directive (//go:generate, //line, //export): not part of the text.
        else if (/^(line |extern |export |[a-z0-9]+:[a-z0-9])/.test(c)) continue;
      }
    } else {
      c = c.slice(2, -2);
    }
    for (const l of c.split("\n")) lines.push(l.replace(/[ \t\n\r]+$/, ""));
  }
  const kept: string[] = [];
  for (const l of lines) if (l !== "" || (kept.length > 0 && kept[kept.length - 1] !== "")) kept.push(l);
  if (kept.length > 0 && kept[kept.length - 1] !== "") kept.push("");
  // strings.Split(strings.TrimRight(text, "\n"), "\n")
  return kept.join("\n").replace(/\n+$/, "").split("\n");
}

/** The comment groups of a file (go/parser's grouping), keyed by the line each ends on. */
function commentGroups(toks: Tok[]): Map<number, string[]> {
  const byEnd = new Map<number, string[]>();
  let group: Tok[] = [];
  const flush = () => {
    if (group.length) byEnd.set(group[group.length - 1]!.endLine, commentText(group.map((t) => t.text)));
    group = [];
  };
  let prev: Tok | undefined;
  for (const t of toks) {
    if (t.kind !== "comment") {
      flush();
      prev = t;
      continue;
    }
    const last = group[group.length - 1];
    // A line comment (after code on its line) is a group of its own; other comments join the
    // group before them when they start on the next line at the latest.
    if (t.trailing || !last || last.trailing || t.line > last.endLine + 1 || prev !== last) flush();
    group.push(t);
    prev = t;
  }
  flush();
  return byEnd;
}

// ---------------------------------------------------------------------------------------------
// Declarations: struct types with their members, string types, typed constants.

interface Member {
  name: string;
  embedded: boolean;
  /** The type expression's tokens, e.g. `*`, `metav1`, `.`, `Time`. */
  type: string[];
  tags: string;
  comments: string[];
}

interface GoType {
  pkg: string;
  name: string;
  comments: string[];
  /** Set for struct types. */
  members?: Member[];
  /** The underlying type's tokens for other types (`string`, `[]byte`, ...). */
  underlying?: string[];
  /** Import name → path, of the declaring file. */
  imports: Map<string, string>;
}

interface GoConst {
  pkg: string;
  name: string;
  /** The type (package path and name) or undefined when untyped. */
  type?: { pkg: string; name: string };
  value?: string;
  comments: string[];
}

const typesByKey = new Map<string, GoType>();
const constants: GoConst[] = [];

function unquote(s: string): string {
  if (s.startsWith("`")) return s.slice(1, -1);
  return JSON.parse(s.replace(/\\'/g, "'")) as string;
}

function structTag(tags: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${key}:"((?:[^"\\\\]|\\\\.)*)"`).exec(tags);
  return m ? m[1] : undefined;
}

/** Types whose OpenAPISchemaType method returns nil (apiextensions' JSON...): their schema has no `type`. */
const untyped = new Set<string>();

function parseFile(pkg: string, src: string): void {
  for (const m of src.matchAll(/func \(\w*\s*\*?(\w+)\) OpenAPISchemaType\(\) \[\]string \{\s*(?:\/\/[^\n]*\n\s*)*return nil/g)) untyped.add(`${pkg}.${m[1]}`);
  const toks = lex(src);
  const groups = commentGroups(toks);
  const doc = (line: number) => groups.get(line - 1) ?? [""];
  const code = toks.filter((t) => t.kind !== "comment");
  const imports = new Map<string, string>();
  let i = 0;
  const at = (k: number) => code[k];
  const importSpec = () => {
    let alias: string | undefined;
    if (at(i)!.kind === "ident" || at(i)!.text === "." || at(i)!.text === "_") alias = code[i++]!.text;
    const path = unquote(code[i++]!.text);
    imports.set(alias ?? path.split("/").pop()!, path);
  };
  /** Parses a type expression up to the end of its line (or a struct tag). */
  const typeExpr = (): string[] => {
    const out: string[] = [];
    const line = at(i)!.line;
    let depth = 0;
    while (i < code.length) {
      const t = code[i]!;
      if (depth === 0 && (t.line !== line || t.kind === "string" || t.text === ";" || t.text === "}" || t.text === ")" || t.text === "=")) break;
      if (t.text === "{" || t.text === "(") depth++;
      if (t.text === "}" || t.text === ")") depth--;
      out.push(t.text);
      i++;
    }
    return out;
  };
  const typeSpec = () => {
    const nameTok = code[i++]!;
    if (at(i)?.text === "[" && at(i + 1)?.text !== "]") return skipLine(); // generic types: none of the API's
    if (at(i)?.text === "=") i++; // an alias declaration
    const t: GoType = { pkg, name: nameTok.text, comments: doc(nameTok.line), imports };
    if (at(i)?.text === "struct" && at(i + 1)?.text === "{") {
      i += 2;
      t.members = [];
      while (at(i) && at(i)!.text !== "}") {
        if (at(i)!.text === ";") {
          i++;
          continue;
        }
        const first = code[i]!;
        const names: string[] = [];
        let embedded = false;
        // `A, B T`, `A T`, or an embedded `T`, `*T`, `pkg.T`.
        if (first.text === "*" || (first.kind === "ident" && (at(i + 1)?.text === "." || at(i + 1)?.line !== first.line || at(i + 1)?.kind === "string"))) {
          embedded = true;
        } else {
          names.push(code[i++]!.text);
          while (at(i)?.text === ",") {
            i++;
            names.push(code[i++]!.text);
          }
        }
        const type = typeExpr();
        const tags = at(i)?.kind === "string" && at(i)!.line === first.line ? unquote(code[i++]!.text) : "";
        const comments = doc(first.line);
        if (embedded) t.members.push({ name: type[type.length - 1]!, embedded, type, tags, comments });
        for (const name of names) t.members.push({ name, embedded, type, tags, comments });
      }
      i++;
    } else {
      t.underlying = typeExpr();
    }
    typesByKey.set(`${pkg}.${t.name}`, t);
  };
  const skipLine = () => {
    const line = at(i)!.line;
    let depth = 0;
    while (i < code.length) {
      const t = code[i]!;
      if (depth === 0 && t.line !== line) break;
      if (t.text === "{" || t.text === "(" || t.text === "[") depth++;
      if (t.text === "}" || t.text === ")" || t.text === "]") depth--;
      i++;
    }
  };
  const resolveType = (expr: string[]): { pkg: string; name: string } | undefined => {
    if (expr.length === 1 && /^\w+$/.test(expr[0]!)) return { pkg, name: expr[0]! };
    if (expr.length === 3 && expr[1] === ".") return { pkg: imports.get(expr[0]!) ?? expr[0]!, name: expr[2]! };
    return undefined;
  };
  const constSpec = (lastType: { type?: { pkg: string; name: string } }) => {
    const nameTok = code[i++]!;
    const names = [nameTok.text];
    while (at(i)?.text === ",") {
      i++;
      names.push(code[i++]!.text);
    }
    let type: { pkg: string; name: string } | undefined;
    let value: string | undefined;
    if (at(i)?.text !== "=" && at(i)?.line === nameTok.line) type = resolveType(typeExpr());
    if (at(i)?.text === "=") {
      i++;
      const start = i;
      skipLine();
      const expr = code.slice(start, i);
      if (expr.length === 1 && expr[0]!.kind === "string") value = unquote(expr[0]!.text);
      // `Name = Type("value")`: a typed constant too.
      else if (!type && expr.length >= 4 && expr[expr.length - 3]!.text === "(" && expr[expr.length - 2]!.kind === "string" && expr[expr.length - 1]!.text === ")") {
        type = resolveType(expr.slice(0, -3).map((t) => t.text));
        value = unquote(expr[expr.length - 2]!.text);
      }
      lastType.type = type;
    } else if (at(i)?.line !== nameTok.line || at(i)?.text === ";") {
      // Implicit repetition of the previous spec (iota lists): not a string constant here.
      type = undefined;
    }
    for (const name of names) constants.push({ pkg, name, type, value, comments: doc(nameTok.line) });
  };
  while (i < code.length) {
    const t = code[i]!;
    if (t.text === "import") {
      i++;
      if (at(i)!.text === "(") {
        i++;
        while (at(i)!.text !== ")") {
          if (at(i)!.text === ";") i++;
          else importSpec();
        }
        i++;
      } else importSpec();
    } else if (t.text === "type" && t.kind === "ident") {
      i++;
      if (at(i)!.text === "(") {
        i++;
        while (at(i)!.text !== ")") typeSpec();
        i++;
      } else typeSpec();
    } else if (t.text === "const" && t.kind === "ident") {
      i++;
      const last = {};
      if (at(i)!.text === "(") {
        i++;
        while (at(i)!.text !== ")") constSpec(last);
        i++;
      } else constSpec(last);
    } else if (t.text === "func" || t.text === "var") {
      // Skip the declaration: to the end of its body or line.
      i++;
      let depth = 0;
      const line = t.line;
      while (i < code.length) {
        const u = code[i]!;
        if (u.text === "{" || u.text === "(" || u.text === "[") depth++;
        else if (u.text === "}" || u.text === ")" || u.text === "]") {
          depth--;
          if (depth === 0 && u.text === "}") {
            i++;
            break;
          }
        } else if (depth === 0 && u.line !== line && t.text === "var") break;
        i++;
      }
    } else i++;
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

// ---------------------------------------------------------------------------------------------
// kube-openapi's reading of them.

const hasTag = (lines: string[], tagName: string) => lines.some((l) => new RegExp(`^\\+${tagName}(=|$|\\s)`).test(l.trim()));

/** openapi.go generateDescription. */
function description(lines: string[]): string {
  let buffer = "";
  const delPrevChar = () => {
    if (buffer.length > 0) buffer = buffer.slice(0, -1);
  };
  for (let line of lines) {
    if (line === "---") break;
    line = line.replace(/ +$/, "");
    const leading = line.replace(/^ +/, "");
    if (line.length === 0) {
      delPrevChar();
      buffer += "\n\n";
    } else if (leading.startsWith("TODO") || leading.startsWith("+")) {
      // dropped
    } else if (line.startsWith(" ") || line.startsWith("\t")) {
      delPrevChar();
      buffer += `\n${line}\n`;
    } else buffer += `${line} `;
  }
  return buffer.trim();
}

function isEnumType(t: GoType): boolean {
  return !t.members && t.underlying?.length === 1 && t.underlying[0] === "string" && hasTag(t.comments, "enum");
}

/** The enum values of a type (enum.go: the typed constants of the type, the longer comment where two share a value). */
const enumValues = new Map<string, { name: string; value: string; comment: string }[]>();
for (const c of constants) {
  if (!c.type || c.value === undefined) continue;
  const key = `${c.type.pkg}.${c.type.name}`;
  const t = typesByKey.get(key);
  if (!t || !isEnumType(t)) continue;
  const values = enumValues.get(key) ?? [];
  enumValues.set(key, values);
  const v = { name: c.name, value: c.value, comment: c.comments.join(" ") };
  const existing = values.findIndex((e) => e.value === v.value);
  if (existing < 0) values.push(v);
  else if (values[existing]!.comment.length < v.comment.length || (values[existing]!.comment.length === v.comment.length && values[existing]!.comment > v.comment)) values[existing] = v;
}

/** Go's %q of a string (the enum values are plain ASCII). */
const goQuote = (s: string) => JSON.stringify(s);
/** Go's sort.Strings: byte order. */
const byteSort = (a: string, b: string) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

function enumDescriptionLines(key: string): string[] {
  const values = enumValues.get(key);
  if (!values?.length) return [];
  const lines = values.map((v) => {
    let comment = v.comment.trim();
    if (comment.startsWith(v.name)) comment = comment.slice(v.name.length);
    comment = comment.trim().replace(/\s+/g, " ");
    return ` - \`${goQuote(v.value)}\` ${comment}`;
  });
  lines.sort(byteSort);
  return ["", "Possible enum values:", ...lines];
}

/** The type a member's type expression names, pointers resolved (`*corev1.PodSpec` → k8s.io/api/core/v1.PodSpec). */
function namedType(owner: GoType, expr: string[]): string | undefined {
  const e = expr[0] === "*" ? expr.slice(1) : expr;
  if (e.length === 1) return `${owner.pkg}.${e[0]}`;
  if (e.length === 3 && e[1] === ".") return `${owner.imports.get(e[0]!) ?? e[0]}.${e[2]}`;
  return undefined;
}

/** The innermost element type of a slice or map (for the enum of its items). */
function elementType(owner: GoType, expr: string[]): string | undefined {
  let e = expr;
  for (;;) {
    if (e[0] === "*") e = e.slice(1);
    else if (e[0] === "[" && e[1] === "]") e = e.slice(2);
    else if (e[0] === "map" && e[1] === "[") e = e.slice(e.indexOf("]") + 1);
    else break;
  }
  return e === expr ? undefined : namedType(owner, e);
}

interface Described {
  d?: string;
  f: Record<string, string>;
  r: string[];
  e: Record<string, string[]>;
}

function describe(t: GoType, out: Described): void {
  for (const m of t.members ?? []) {
    if (hasTag(m.comments, "k8s:openapi-gen=false")) continue;
    const json = structTag(m.tags, "json");
    const jsonTags = json ? json.split(",") : [];
    if (jsonTags.length > 1 && jsonTags[1] === "inline") {
      const inner = typesByKey.get(namedType(t, m.type) ?? "");
      if (!inner) throw new Error(`inline member ${t.name}.${m.name}: type ${m.type.join("")} not found`);
      describe(inner, out);
      continue;
    }
    const name = jsonTags.length ? jsonTags[0]! : m.name;
    if (name === "-" || name === "") continue;
    const optional = hasTag(m.comments, "required") ? false : hasTag(m.comments, "optional") ? true : (json ?? "").includes("omitempty");
    if (!optional) out.r.push(name);
    const direct = namedType(t, m.type);
    const isEnum = !!direct && !!typesByKey.get(direct) && isEnumType(typesByKey.get(direct)!);
    const d = description([...m.comments, ...(isEnum ? enumDescriptionLines(direct) : [])]);
    if (d) out.f[name] = d;
    const enumKey = isEnum ? direct : elementType(t, m.type);
    const values = enumKey && typesByKey.get(enumKey) && isEnumType(typesByKey.get(enumKey)!) ? enumValues.get(enumKey) : undefined;
    if (values?.length) out.e[name] = values.map((v) => v.value).sort((a, b) => byteSort(goQuote(a), goQuote(b)));
  }
}

/** OpenAPI name → Go type key (`io.k8s.api.core.v1.Pod` → `k8s.io/api/core/v1.Pod`). */
function goKey(openapiName: string): string {
  const m = /^io\.k8s\.(api|apimachinery|apiextensions-apiserver|kube-aggregator)\.(.*)\.(\w+)$/.exec(openapiName);
  if (!m) throw new Error(`unexpected OpenAPI name ${openapiName}`);
  return `k8s.io/${m[1]}/${m[2]!.replace(/\./g, "/")}.${m[3]}`;
}

// ---------------------------------------------------------------------------------------------
// fields.json's model names checked against the Go types: walk from each served kind's type
// through the Go members; where a model's upstream name differs from fields.json's (a type shared
// with the core group, named after the group that reached it first), the data says so.

function openapiName(goTypeKey: string): string {
  const dot = goTypeKey.lastIndexOf(".");
  const [pkg, name] = [goTypeKey.slice(0, dot), goTypeKey.slice(dot + 1)];
  const m = /^k8s\.io\/([^/]+)\/(.*)$/.exec(pkg)!;
  return `io.k8s.${m[1]}.${m[2]!.replace(/\//g, ".")}.${name}`;
}

/** The Go member behind a JSON field name, inlined members' included, with the struct declaring it. */
function memberOf(t: GoType, json: string): { owner: GoType; m: Member } | undefined {
  for (const m of t.members ?? []) {
    const tags = (structTag(m.tags, "json") ?? "").split(",");
    if (tags[1] === "inline") {
      const inner = typesByKey.get(namedType(t, m.type) ?? "");
      const found = inner && memberOf(inner, json);
      if (found) return found;
    } else if ((tags[0] || m.name) === json) return { owner: t, m };
  }
  return undefined;
}

const schema = loadSchema();
const renamed: Record<string, string> = {};
/** `model.field` → the upstream type of a field fields.json leaves untyped (`a`). */
const refs: Record<string, string> = {};
const seenModels = new Set<string>();
const walk = (model: string, goTypeKey: string) => {
  if (seenModels.has(model)) return;
  seenModels.add(model);
  const real = openapiName(goTypeKey);
  if (schema.names[model] !== real) renamed[model] = real;
  const t = typesByKey.get(goTypeKey);
  if (!t) throw new Error(`${model}: no Go type ${goTypeKey}`);
  for (const [field, code] of Object.entries(schema.types[model] ?? {})) {
    const inner = code.replace(/^[[{]+|[\]}]+$/g, "");
    if (!schema.types[inner] && inner !== "a") continue;
    const found = memberOf(t, field);
    if (!found) throw new Error(`${model}.${field}: no such Go field in ${goTypeKey}`);
    // Through pointers, slices, maps and named slice types (`ValidationRules []ValidationRule`).
    let [owner, e] = [found.owner, found.m.type];
    for (;;) {
      while (e[0] === "*" || e[0] === "[" || e[0] === "map") e = e[0] === "*" ? e.slice(1) : e[0] === "[" ? e.slice(2) : e.slice(e.indexOf("]") + 1);
      const named = typesByKey.get(namedType(owner, e) ?? "");
      if (!named?.underlying) break;
      [owner, e] = [named, named.underlying];
    }
    const key = namedType(owner, e);
    if (!key) throw new Error(`${model}.${field}: cannot name ${found.m.type.join("")}`);
    if (inner === "a") {
      // fields.json has no type for it (any JSON): upstream refers to a named struct.
      if (typesByKey.get(key)?.members) refs[`${model}.${field}`] = openapiName(key);
      continue;
    }
    walk(inner, key);
  }
};
for (const model of Object.values(schema.roots)) walk(model, goKey(schema.names[model]!));

const wanted = new Set([
  ...Object.values(loadSchema().names).map((n) => n),
  "io.k8s.apimachinery.pkg.api.resource.Quantity",
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
  "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
  "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
  "io.k8s.apimachinery.pkg.runtime.RawExtension",
]);
for (const name of Object.values(refs)) wanted.add(name);
for (const [model, real] of Object.entries(renamed)) {
  wanted.delete(schema.names[model]!);
  wanted.add(real);
}
const out: Record<string, Described> = {};
for (const name of [...wanted].sort()) {
  const t = typesByKey.get(goKey(name));
  if (!t) throw new Error(`${name}: no Go type ${goKey(name)}`);
  const entry: Described = { f: {}, r: [], e: {} };
  const d = description(t.comments);
  if (d) entry.d = d;
  describe(t, entry);
  const compact: Record<string, unknown> = {};
  // The schema of a type behind a ref (refs): an object, or untyped where its OpenAPISchemaType says nil.
  if (Object.values(refs).includes(name)) compact.t = untyped.has(goKey(name)) ? "" : "object";
  if (entry.d) compact.d = entry.d;
  if (Object.keys(entry.f).length) compact.f = entry.f;
  // A type with its own OpenAPI definition (OpenAPISchemaType) has no properties of its own.
  if (entry.r.length && compact.t !== "") compact.r = entry.r;
  if (Object.keys(entry.e).length) compact.e = entry.e;
  out[name] = compact as unknown as Described;
}

const commits = REPOS.map((r) => `github.com/kubernetes/${r.module.replace("k8s.io/", "")} ${git(`${mirrors}/${r.dir}`, "rev-parse", `${tag}^{commit}`).trim()}`);
const doc = {
  _source: `scripts/gen-openapi-descriptions.ts from the Go doc comments of ${tag}: ${commits.join(", ")}; read as k8s.io/gengo/v2 and k8s.io/kube-openapi's generator (v0.0.0-20241105132330-32ad38e42d3f, kube-apiserver v1.32's) read them. renamed: fields.json models whose upstream name differs from fields.json's; refs: the upstream type of the fields fields.json leaves untyped (t: that type's schema type); d: the type's description, f: each field's, r: required fields, e: enum values`,
  renamed,
  refs,
  types: out,
};
const json = JSON.stringify(doc);
const target = new URL("../src/api/schema/descriptions.json.gz", import.meta.url);
writeFileSync(target, gzipSync(json, { level: 9 }));
if (process.env.DESCRIPTIONS_JSON) writeFileSync(process.env.DESCRIPTIONS_JSON, JSON.stringify(doc, null, 1));
console.log(`${Object.keys(out).length} types, ${json.length} bytes of JSON`);
