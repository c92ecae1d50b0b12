/**
 * configMapGenerator and secretGenerator (api/internal/generators/{configmap,secret,utils}.go and
 * api/kv/kv.go, kustomize v5.5.0): key-value pairs from env files, then literals, then files (each
 * optionally `key=path`); a repeated key is an error; a ConfigMap keeps UTF-8 values in `data` and
 * others base64 in `binaryData`; a Secret base64-encodes everything into `data` and is `Opaque`
 * unless a `type` is given. generatorOptions' labels and annotations are copied on, and the name
 * gets a content-hash suffix later (hasher.ts) unless disableNameSuffixHash.
 */
import { posix } from "node:path";
import type { JSONObject } from "../../api/types.ts";
import { KustomizeError, type Loader } from "./loader.ts";
import { Resource, type Behavior } from "./resource.ts";

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

/** types.MergeGlobalOptionsIntoLocal: the generator's own options win, labels and annotations merge. */
export function mergeOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions | undefined {
  if (!global) return local;
  if (!local) return { ...global };
  return {
    labels: { ...(global.labels ?? {}), ...(local.labels ?? {}) },
    annotations: { ...(global.annotations ?? {}), ...(local.annotations ?? {}) },
    disableNameSuffixHash: local.disableNameSuffixHash || global.disableNameSuffixHash,
    immutable: local.immutable || global.immutable,
  };
}

interface Pair {
  key: string;
  value: string;
  binary?: Buffer;
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

function literalPair(source: string): Pair {
  const eq = source.indexOf("=");
  if (eq <= 0) throw new KustomizeError(`invalid literal source ${source}, expected key=value`);
  return { key: source.slice(0, eq), value: removeQuotes(source.slice(eq + 1)) };
}

/** generators.ParseFileSource. */
export function parseFileSource(source: string): { key: string; path: string } {
  const n = source.split("=").length - 1;
  if (n === 0) return { key: posix.basename(source), path: source };
  if (n === 1 && source.startsWith("=")) throw new KustomizeError(`missing key name for file path ${JSON.stringify(source.slice(1))} in source ${JSON.stringify(source)}`);
  if (n === 1 && source.endsWith("=")) throw new KustomizeError(`missing file path for key name ${JSON.stringify(source.slice(0, -1))} in source ${JSON.stringify(source)}`);
  if (n > 1) throw new KustomizeError(`source ${JSON.stringify(source)} key name or file path contains '='`);
  const [key, path] = source.split("=");
  return { key, path };
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

function envPairs(text: Buffer): Pair[] {
  const out: Pair[] = [];
  const lines = text.toString("utf8").split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    let line = i === 0 ? raw.replace(/^\uFEFF/, "") : raw;
    line = line.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!ENV_NAME.test(key) || /^\d/.test(key)) {
      throw new KustomizeError(`"${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnv1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`);
    }
    out.push({ key, value: eq < 0 ? "" : line.slice(eq + 1) });
  });
  return out;
}

function loadPairs(ldr: Loader, args: GeneratorArgs): Pair[] {
  const all: Pair[] = [];
  const envs = [...(args.envs ?? []), ...(args.env ? [args.env] : [])];
  for (const p of envs) all.push(...envPairs(ldr.load(p)));
  for (const l of args.literals ?? []) all.push(literalPair(l));
  for (const f of args.files ?? []) {
    const { key, path } = parseFileSource(f);
    const content = ldr.load(path);
    all.push({ key, value: content.toString("utf8"), binary: content });
  }
  return all;
}

function validatedMap(ldr: Loader, args: GeneratorArgs): Map<string, Pair> {
  const known = new Map<string, Pair>();
  for (const p of loadPairs(ldr, args)) {
    if (!CONFIG_KEY.test(p.key)) {
      throw new KustomizeError(`"${p.key}" is not a valid key name: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`);
    }
    if (known.has(p.key)) throw new KustomizeError(`configmap ${args.name ?? ""} illegally repeats the key \`${p.key}\``);
    known.set(p.key, p);
  }
  return known;
}

function baseNode(kind: string, args: GeneratorArgs): JSONObject {
  if (!args.name) throw new KustomizeError("a configmap must have a name");
  const metadata: JSONObject = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  return { apiVersion: "v1", kind, metadata };
}

function finish(obj: JSONObject, args: GeneratorArgs, options: GeneratorOptions | undefined): Resource {
  const md = obj.metadata as JSONObject;
  if (options?.labels && Object.keys(options.labels).length) md.labels = { ...options.labels };
  if (options?.annotations && Object.keys(options.annotations).length) md.annotations = { ...options.annotations };
  if (options?.immutable) obj.immutable = true;
  const r = new Resource(obj);
  r.needsHashSuffix = !options?.disableNameSuffixHash;
  const behavior = args.behavior || "create";
  if (behavior !== "create" && behavior !== "merge" && behavior !== "replace") {
    throw new KustomizeError(`unknown generation behavior: ${behavior}`);
  }
  r.behavior = behavior as Behavior;
  return r;
}

/** MakeConfigMap. */
export function makeConfigMap(ldr: Loader, args: GeneratorArgs, options: GeneratorOptions | undefined): Resource {
  const obj = baseNode("ConfigMap", args);
  const m = validatedMap(ldr, args);
  const dataMap: Record<string, string> = {};
  const binary: Record<string, string> = {};
  for (const [k, p] of m) {
    // LoadMapIntoConfigMapData: values that are not valid UTF-8 go to binaryData.
    if (p.binary && !isUtf8(p.binary)) binary[k] = encodeBase64(p.binary);
    else dataMap[k] = p.value;
  }
  if (Object.keys(dataMap).length) obj.data = dataMap;
  if (Object.keys(binary).length) obj.binaryData = binary;
  return finish(obj, args, options);
}

/** MakeSecret. */
export function makeSecret(ldr: Loader, args: GeneratorArgs, options: GeneratorOptions | undefined): Resource {
  const obj = baseNode("Secret", args);
  obj.type = args.type || "Opaque";
  const m = validatedMap(ldr, args);
  // LoadMapIntoSecretData creates `data` even when there is nothing to put in it.
  const dataMap: Record<string, string> = {};
  for (const [k, p] of m) dataMap[k] = encodeBase64(p.binary ?? Buffer.from(p.value, "utf8"));
  obj.data = dataMap;
  return finish(obj, args, options);
}

/** kyaml's encodeBase64: base64 of 70 characters or more is cut into lines of 70, each ending in a newline. */
export function encodeBase64(b: Buffer): string {
  const enc = b.toString("base64");
  if (enc.length < 70) return enc;
  let out = "";
  for (let i = 0; i < enc.length; i += 70) out += enc.slice(i, i + 70) + "\n";
  return out;
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
