/**
 * Kyverno's `validate.pattern` matching (github.com/kyverno/kyverno at v1.14.5, pkg/engine/validate
 * and pkg/engine/anchor, pkg/engine/wildcards): the pattern is walked beside the resource; maps
 * match key by key, a list pattern's first element says how a list matches (a map: every element of
 * the resource's list must match it; a scalar: every element must match the scalar), scalars match
 * with ./pattern.ts. Keys may carry anchors:
 *
 * - `(key)` conditional: when the key is there and its value does not match, the rule (or the
 *   enclosing list element) is skipped rather than failed; a missing key skips too.
 * - `<(key)` global: a mismatch skips the whole rule.
 * - `=(key)` equality: checked only when the key is there.
 * - `^(key)` existence: at least one element of the resource's list matches.
 * - `X(key)` negation: the key must not be there.
 * - `+(key)` is mutate's add-if-not-present; in a validate pattern it is an ordinary key.
 *
 * Paths are Kyverno's: `/spec/containers/0/image/`, with the trailing slash.
 */
import { containsWildcard, validateValue, wildcardMatch } from "./pattern.ts";

export type AnchorType = "" | "<" | "X" | "+" | "=" | "^";
export interface Anchor {
  type: AnchorType;
  key: string;
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/s;

/** anchor.Parse: `(key)`, `<(key)`, `X(key)`, `+(key)`, `=(key)`, `^(key)`; undefined for a plain key. */
export function parseAnchor(str: string): Anchor | undefined {
  const m = ANCHOR.exec(str.trim());
  if (!m || !m[2]) return undefined;
  return { type: (m[1] ?? "") as AnchorType, key: m[2] };
}

export const anchorString = (a: Anchor) => `${a.type}(${a.key})`;

type AnchorErrorKind = "conditional" | "global" | "negation";
const PREFIX: Record<AnchorErrorKind, string> = {
  negation: "negation anchor matched in resource",
  conditional: "conditional anchor mismatch",
  global: "global anchor mismatch",
};

/** anchor's validateAnchorError: `<prefix>: <msg>`. */
export class AnchorError extends Error {
  constructor(
    readonly kind: AnchorErrorKind,
    msg: string,
  ) {
    super(`${PREFIX[kind]}: ${msg}`);
  }
}

/** validate.PatternError: a skip, or a failure at a path ("" when keys the anchors name are missing). */
export class PatternError extends Error {
  constructor(
    readonly err: Error,
    readonly path: string,
    readonly skip: boolean,
  ) {
    super(err.message);
  }
}

/** multierr.Combine's text: the errors joined with "; ". */
class Combined extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}

/** anchor.isError: the error's kind, or for a combined/wrapped error, its text containing the prefix. */
function isAnchorError(err: Error, kind: AnchorErrorKind): boolean {
  if (err instanceof AnchorError) return err.kind === kind;
  return err.message.includes(PREFIX[kind]);
}
const isSkip = (err: Error) => isAnchorError(err, "conditional") || isAnchorError(err, "global");
const isFail = (err: Error) => isAnchorError(err, "negation");

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** anchor.AnchorMap: which anchored keys the resource has. */
class AnchorMap {
  readonly seen = new Map<string, boolean>();
  anchorError: AnchorError | undefined;
  keysAreMissing(): boolean {
    for (const [k, v] of this.seen) {
      if (!v && parseAnchor(k)?.type !== "X") return true;
    }
    return false;
  }
  check(pattern: Record<string, unknown>, resource: unknown): void {
    for (const key of Object.keys(pattern)) {
      const a = parseAnchor(key);
      if (!a || !(a.type === "" || a.type === "^" || a.type === "X")) continue;
      if (this.seen.get(key) === true) continue;
      if (!this.seen.has(key)) this.seen.set(key, false);
      if (hasKey(resource, a.key)) this.seen.set(key, true);
    }
  }
}

function hasKey(resource: unknown, key: string): boolean {
  if (isMap(resource)) return Object.hasOwn(resource, key);
  if (Array.isArray(resource)) return resource.some((v) => hasKey(v, key));
  return false;
}

type Result = { path: string; err?: Error };
const OK: Result = { path: "" };

/** Go's %v of a value in an error text. */
function goV(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goV).join(" ")}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goV(v[k])}`).join(" ")}]`;
  return String(v);
}

/** Go's %T of a decoded JSON value. */
function goT(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return "[]interface {}";
  if (isMap(v)) return "map[string]interface {}";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  return "string";
}

/** validate.MatchPattern: undefined when the resource matches, else the PatternError. */
export function matchPattern(resource: unknown, pattern: unknown): PatternError | undefined {
  const ac = new AnchorMap();
  const pat = structuredClone(pattern);
  const r = element(resource, pat, "/", ac);
  if (!r.err) return undefined;
  if (isSkip(r.err)) return new PatternError(r.err, "", true);
  if (isFail(r.err)) return new PatternError(r.err, r.path, false);
  if (ac.keysAreMissing()) return new PatternError(r.err, "", false);
  return new PatternError(r.err, r.path, false);
}

/** validateResourceElement from the root, as upstream's tests call it: the failing path ("" when it matched) and the error. */
export function validateElement(resource: unknown, pattern: unknown): { path: string; err?: Error } {
  return element(resource, structuredClone(pattern), "/", new AnchorMap());
}

function element(resource: unknown, pattern: unknown, path: string, ac: AnchorMap): Result {
  if (isMap(pattern)) {
    if (!isMap(resource)) return { path, err: new Error(`pattern and resource have different structures. Path: ${path}. Expected ${goT(pattern)}, found ${goT(resource)}`) };
    ac.check(pattern, resource);
    return validateMap(resource, pattern, path, ac);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) return { path, err: new Error(`validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`) };
    return validateArray(resource, pattern, path, ac);
  }
  if (pattern === null || ["string", "number", "boolean"].includes(typeof pattern)) {
    if (Array.isArray(resource)) {
      for (const res of resource) if (!validateValue(res, pattern)) return { path, err: new Error(`resource value '${goV(resource)}' does not match '${goV(pattern)}' at path ${path}`) };
      return OK;
    }
    if (!validateValue(resource, pattern)) return { path, err: new Error(`resource value '${goV(resource)}' does not match '${goV(pattern)}' at path ${path}`) };
    return OK;
  }
  return { path, err: new Error(`failed at '${path}', pattern contains unknown type`) };
}

/** wildcards.ExpandInMetadata: wildcard keys of metadata.labels / metadata.annotations become the resource's matching keys. */
export function expandInMetadata(pattern: Record<string, unknown>, resource: Record<string, unknown>): Record<string, unknown> {
  const pm = patternValue("metadata", pattern);
  if (!isMap(pm) || resource.metadata === undefined || resource.metadata === null) return pattern;
  for (const tag of ["labels", "annotations"]) {
    const key = patternKey(tag, pm);
    const pdata = stringMap(patternValue(tag, pm));
    const rdata = isMap(resource.metadata) ? stringMap(patternValue(tag, resource.metadata)) : undefined;
    if (!key || !pdata || !rdata) continue;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(pdata)) {
      if (!containsWildcard(k)) {
        out[k] = v;
        continue;
      }
      const a = parseAnchor(k);
      const bare = a ? a.key : k;
      // The first resource key the wildcard matches (Go ranges over the map in a random order; the
      // keys' order here: documented in docs/divergences.md).
      const hit = Object.keys(rdata).sort().find((k1) => wildcardMatch(bare, k1)) ?? bare;
      out[a ? anchorString({ type: a.type, key: hit }) : hit] = v;
    }
    pm[key] = out;
  }
  return pattern;
}

function patternKey(tag: string, m: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(m)) if (k === tag || parseAnchor(k)?.key === tag) return k;
  return undefined;
}
function patternValue(tag: string, m: Record<string, unknown>): unknown {
  const k = patternKey(tag, m);
  return k === undefined ? undefined : m[k];
}
function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isMap(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

function isValidateAnchor(a: Anchor | undefined): boolean {
  return !!a && (a.type === "" || a.type === "^" || a.type === "=" || a.type === "X");
}

function hasNestedAnchors(pattern: unknown): boolean {
  if (isMap(pattern)) {
    for (const k of Object.keys(pattern)) {
      const a = parseAnchor(k);
      if (a && a.type !== "+") return true;
    }
    return Object.values(pattern).some(hasNestedAnchors);
  }
  if (Array.isArray(pattern)) return pattern.some(hasNestedAnchors);
  return false;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function validateMap(resource: Record<string, unknown>, patternIn: Record<string, unknown>, path: string, ac: AnchorMap): Result {
  const pattern = expandInMetadata(patternIn, resource);
  const anchors: string[] = [];
  const plain: string[] = [];
  for (const k of Object.keys(pattern)) (isValidateAnchor(parseAnchor(k)) ? anchors : plain).push(k);
  anchors.sort(byteOrder);
  const skipErrors: Error[] = [];
  let applyCount = 0;
  for (const key of anchors) {
    const r = handle(key, pattern[key], path, resource, ac);
    if (r.err) {
      if (isSkip(r.err)) {
        skipErrors.push(r.err);
        continue;
      }
      if (!skipErrors.some((e) => !(e instanceof PatternError))) return r;
      continue;
    }
    applyCount++;
  }
  if (skipErrors.length > 0) {
    const sibling = skipErrors.some((e) => !(e instanceof PatternError));
    if (applyCount === 0 || sibling) return { path, err: new PatternError(new Combined(skipErrors), path, true) };
  }
  // getSortedNestedAnchorResource: keys in order, those holding anchors (or a global anchor) first, in reverse.
  plain.sort(byteOrder);
  const front: string[] = [];
  const back: string[] = [];
  for (const k of plain) {
    if (parseAnchor(k)?.type === "<" || hasNestedAnchors(pattern[k])) front.unshift(k);
    else back.push(k);
  }
  for (const key of [...front, ...back]) {
    const r = handle(key, pattern[key], path, resource, ac);
    if (r.err) return r;
  }
  return OK;
}

/** anchor.CreateElementHandler(...).Handle. */
function handle(key: string, pattern: unknown, path: string, resource: Record<string, unknown>, ac: AnchorMap): Result {
  const a = parseAnchor(key);
  if (a && a.type !== "+") {
    const cur = path + a.key + "/";
    const has = Object.hasOwn(resource, a.key);
    const value = resource[a.key];
    switch (a.type) {
      case "X":
        if (has) {
          ac.anchorError = new AnchorError("negation", `${cur} is not allowed`);
          return { path: cur, err: ac.anchorError };
        }
        return OK;
      case "=":
        if (has) {
          const r = element(value, pattern, cur, ac);
          if (r.err) return r;
        }
        return OK;
      case "": {
        if (!has) return { path: cur, err: new AnchorError("conditional", "conditional anchor key doesn't exist in the resource") };
        const r = element(value, pattern, cur, ac);
        if (r.err) {
          ac.anchorError = new AnchorError("conditional", r.err.message);
          return { path: r.path, err: ac.anchorError };
        }
        return OK;
      }
      case "<": {
        if (!has) return OK;
        const r = element(value, pattern, cur, ac);
        if (r.err) {
          ac.anchorError = new AnchorError("global", r.err.message);
          return { path: r.path, err: ac.anchorError };
        }
        return OK;
      }
      case "^": {
        if (!has) return OK;
        if (!Array.isArray(value)) return { path: cur, err: new Error(`invalid resource type ${goT(value)}: Existence ^ () anchor can be used only on list/array type resource`) };
        if (!Array.isArray(pattern)) return { path: cur, err: new Error(`invalid pattern type ${goT(pattern)}: Pattern has to be of list to compare against resource`) };
        let last: Result = OK;
        for (const pm of pattern) {
          if (!isMap(pm)) return { path: cur, err: new Error(`invalid pattern type ${goT(pattern)}: Pattern has to be of type map to compare against items in resource`) };
          const found = value.some((el, i) => !element(el, pm, `${cur}${i}/`, ac).err);
          last = found ? OK : { path: cur, err: new Error(`existence anchor validation failed at path ${cur}`) };
          if (last.err) return last;
        }
        return last;
      }
    }
  }
  // defaultHandler
  const cur = path + key + "/";
  const value = resource[key];
  if (pattern === "*") {
    if (value !== undefined && value !== null) return OK;
    return { path, err: new Error(`${path}/${key} not found`) };
  }
  const r = element(value, pattern, cur, ac);
  return r.err ? r : OK;
}

function validateArray(resource: unknown[], pattern: unknown[], path: string, ac: AnchorMap): Result {
  if (pattern.length === 0) return { path, err: new Error("pattern Array empty") };
  const first = pattern[0];
  if (isMap(first)) {
    let applyCount = 0;
    const skipErrors: Error[] = [];
    for (let i = 0; i < resource.length; i++) {
      const r = element(resource[i], first, `${path}${i}/`, ac);
      if (r.err) {
        if (isSkip(r.err)) {
          skipErrors.push(r.err);
          continue;
        }
        return r;
      }
      applyCount++;
    }
    if (applyCount === 0 && skipErrors.length > 0) return { path, err: new PatternError(new Combined(skipErrors), path, true) };
    return OK;
  }
  if (first === null || ["string", "number", "boolean"].includes(typeof first)) {
    const r = element(resource, first, path, ac);
    return r.err ? r : OK;
  }
  // A list of lists: element by element.
  if (resource.length < pattern.length) return { path: "", err: new Error(`validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`) };
  let applyCount = 0;
  const skipErrors: Error[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const r = element(resource[i], pattern[i], `${path}${i}/`, ac);
    if (r.err) {
      if (isSkip(r.err)) {
        skipErrors.push(r.err);
        continue;
      }
      return r;
    }
    applyCount++;
  }
  if (applyCount === 0 && skipErrors.length > 0) return { path, err: new PatternError(new Combined(skipErrors), path, true) };
  return OK;
}
