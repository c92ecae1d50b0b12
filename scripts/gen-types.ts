/**
 * Generates src/api/types.gen.ts: a TypeScript interface for every API type the simulated API server
 * serves (the 399 types of src/api/schema/fields.json, i.e. Kubernetes v1.32's OpenAPI as
 * @kubernetes/client-node 1.0.0 models it), with upstream's OpenAPI name and the first sentence of
 * its description, and its required fields as the OpenAPI spec lists them. The field types come from
 * fields.json (checked in); which fields are required and the descriptions come from client-node
 * 1.0.0's model declarations, which are not installed (the project uses a later client-node), so
 * the package is unpacked beside:
 *
 *   (cd /tmp && npm pack @kubernetes/client-node@1.0.0 && tar xzf kubernetes-client-node-1.0.0.tgz)
 *   CLIENT_NODE=/tmp/package node --import tsx scripts/gen-types.ts
 *
 * Naming: upstream's Go name (`Pod`, `PodSpec`, `Container`, `Toleration`). Where two groups or
 * versions share a name, the core group's type, or else the one of the served storage version,
 * keeps it and the other takes client-node's prefixed name (`EventsV1Event`, `V1HorizontalPodAutoscaler`).
 * The top-level kinds have `apiVersion`, `kind` and `metadata` required, as the API server serves
 * every stored object with them; ObjectMeta and OwnerReference are src/api/types.ts's own.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

interface Fields {
  source: string;
  roots: Record<string, string>;
  names: Record<string, string>;
  types: Record<string, Record<string, string>>;
}

/** Types src/api/types.ts defines (the store's own view of every object's metadata). */
const OWN: Record<string, string> = { V1ObjectMeta: "ObjectMeta", V1OwnerReference: "OwnerReference" };

export interface ModelInfo {
  /** JSON names of the required fields. */
  required: Set<string>;
  /** The first sentence of the type's description. */
  doc: string;
}

/** Reads client-node's declaration and attribute map of one model (required fields, description). */
export function readModel(dir: string, model: string): ModelInfo {
  const dts = readFileSync(join(dir, "dist/gen/models", `${model}.d.ts`), "utf8");
  const js = readFileSync(join(dir, "dist/gen/models", `${model}.js`), "utf8");
  const baseName = new Map<string, string>();
  for (const m of js.matchAll(/"name": "([^"]+)",\s*"baseName": "([^"]+)"/g)) baseName.set(m[1], m[2]);
  const required = new Set<string>();
  for (const m of dts.matchAll(/^ {4}'([^']+)'(\??): /gm)) if (!m[2]) required.add(baseName.get(m[1]) ?? m[1]);
  const docMatch = /\/\*\*\n\* ([^\n]*)\n\*\/\nexport declare class/.exec(dts);
  return { required, doc: docMatch ? firstSentence(docMatch[1]) : "" };
}

function firstSentence(text: string): string {
  const clean = text.replace(/\\'/g, "'").replace(/\*\//g, "* /").trim();
  const m = /^(.+?\.)(\s|$)/.exec(clean);
  return m ? m[1] : clean;
}

/** The TypeScript name of every model: upstream's Go name where unambiguous (see the header). */
export function tsNames(f: Fields): Record<string, string> {
  const reachedFromStorage = new Set<string>();
  for (const [key, root] of Object.entries(f.roots)) {
    if (key.includes("/")) continue;
    const stack = [root];
    while (stack.length) {
      const t = stack.pop()!;
      if (reachedFromStorage.has(t) || !f.types[t]) continue;
      reachedFromStorage.add(t);
      for (const code of Object.values(f.types[t])) for (const ref of code.match(/[A-Z][A-Za-z0-9]+/g) ?? []) stack.push(ref);
    }
  }
  const byBare = new Map<string, string[]>();
  for (const t of Object.keys(f.types)) {
    const bare = f.names[t].split(".").pop()!;
    byBare.set(bare, [...(byBare.get(bare) ?? []), t]);
  }
  const out: Record<string, string> = {};
  for (const [bare, models] of byBare) {
    let primary: string | undefined = models.length === 1 ? models[0] : undefined;
    if (!primary) {
      const core = models.filter((t) => f.names[t].startsWith("io.k8s.api.core."));
      const storage = models.filter((t) => reachedFromStorage.has(t));
      primary = core.length === 1 ? core[0] : storage.length === 1 ? storage[0] : undefined;
    }
    for (const t of models) out[t] = OWN[t] ?? (t === primary ? bare : t);
  }
  return out;
}

function tsType(code: string, names: Record<string, string>): string {
  if (code.startsWith("[")) return `${wrap(tsType(code.slice(1, -1), names))}[]`;
  if (code.startsWith("{")) return `Record<string, ${tsType(code.slice(1, -1), names)}>`;
  switch (code) {
    case "s":
      return "string";
    case "b":
      return "boolean";
    case "t":
      return "Time";
    case "q":
      return "Quantity";
    case "i":
      return "IntOrString";
    case "a":
      return "unknown";
  }
  if (code.startsWith("n:")) return "number";
  const name = names[code];
  if (!name) throw new Error(`gen-types: unknown type code ${code}`);
  return name;
}

const wrap = (t: string) => (/[ |<]/.test(t) && !t.startsWith("Record<") ? `(${t})` : t);
const prop = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

/** The generated module's text. */
export function render(f: Fields, info: (model: string) => ModelInfo): string {
  const names = tsNames(f);
  const roots = new Set(Object.values(f.roots));
  const kindsOf = new Map<string, string[]>();
  for (const [key, model] of Object.entries(f.roots)) kindsOf.set(model, [...(kindsOf.get(model) ?? []), key]);
  let out = `// Generated by scripts/gen-types.ts; do not edit. Regenerate: see the header of scripts/gen-types.ts.
// Source: src/api/schema/fields.json (${f.source}) for the types and fields; the required fields and
// descriptions from @kubernetes/client-node 1.0.0's models (the OpenAPI spec of Kubernetes v1.32.0).
import type { ObjectMeta, OwnerReference } from "./types.ts";

export type { ObjectMeta, OwnerReference };
/** An RFC 3339 time as the API serves it (metav1.Time, metav1.MicroTime); null is the zero time (\`lastProbeTime: null\`). */
export type Time = string | null;
/** resource.Quantity: a string as the API serves it ("100m", "64Mi"); a manifest may give a number. */
export type Quantity = string | number;
/** intstr.IntOrString: a port number or name, a count or a percentage. */
export type IntOrString = number | string;
`;
  const models = Object.keys(f.types).filter((t) => !OWN[t]).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  for (const t of models) {
    const { required, doc } = info(t);
    const root = roots.has(t);
    const served = kindsOf.get(t);
    out += `\n/** ${f.names[t]}${doc ? `: ${doc}` : ""}${served ? ` Served as ${served.map((k) => (k.includes("/") ? k : `kind ${k}`)).join(", ")}.` : ""} */\n`;
    out += `export interface ${names[t]} {\n`;
    for (const field of Object.keys(f.types[t]).sort()) {
      const req = required.has(field) || (root && (field === "apiVersion" || field === "kind" || field === "metadata"));
      out += `  ${prop(field)}${req ? "" : "?"}: ${tsType(f.types[t][field], names)};\n`;
    }
    out += "}\n";
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.env.CLIENT_NODE;
  if (!dir) throw new Error("set CLIENT_NODE to an unpacked @kubernetes/client-node@1.0.0 (see the header of scripts/gen-types.ts)");
  const header = readFileSync(join(dir, "dist/gen/models/V1Pod.d.ts"), "utf8");
  if (!/OpenAPI spec version: v1\.32\.0/.test(header)) throw new Error(`${dir} is not @kubernetes/client-node 1.0.0 (OpenAPI v1.32.0)`);
  const f = JSON.parse(readFileSync(resolve(import.meta.dirname, "../src/api/schema/fields.json"), "utf8")) as Fields;
  const out = resolve(import.meta.dirname, "../src/api/types.gen.ts");
  writeFileSync(out, render(f, (m) => readModel(dir, m)));
  console.log(`wrote ${out}: ${Object.keys(f.types).length - Object.keys(OWN).length} interfaces`);
}
