/**
 * The Kubernetes CEL extension libraries (k8s.io/apiserver/pkg/cel/library, v1.32) that this
 * simulation carries, as @bufbuild/cel functions: lists (isSorted, sum, min, max, indexOf,
 * lastIndexOf) and regex (find, findAll). Kubernetes also enables cel-go's string extensions
 * (charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join),
 * which @bufbuild/cel/ext brings. The url, quantity, ip, cidr, format, semver and authz
 * libraries return opaque types @bufbuild/cel cannot carry: they are not declared, so an
 * expression that uses them fails to compile with `undeclared reference` (docs/divergences.md).
 */
import type { CelFunc, CelValue } from "@bufbuild/cel";
import type { RE2JS } from "@bufbuild/re2";
import { celExt, celRuntime, re2Runtime } from "./runtime.ts";

const celError = (message: string) => celRuntime().celError(message);
const isCelList = (v: unknown) => celRuntime().isCelList(v);
const isCelMap = (v: unknown) => celRuntime().isCelMap(v);
const isCelUint = (v: unknown) => celRuntime().isCelUint(v);

/** Compare of two CEL values of one comparable type (int, uint, double, bool, string), or undefined. */
function compare(a: CelValue, b: CelValue): number | undefined {
  const num = (x: CelValue): number | bigint | undefined => (typeof x === "bigint" || typeof x === "number" ? x : isCelUint(x) ? (x as { value: bigint }).value : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  return undefined;
}

function typeName(v: CelValue): string {
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "double";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (v === null) return "null_type";
  if (isCelUint(v)) return "uint";
  if (isCelList(v)) return "list";
  if (isCelMap(v)) return "map";
  return "dyn";
}

const noSuchOverload = (fn: string, v: CelValue) => celError(`no such overload: ${fn}(${typeName(v)})`);

function equal(a: CelValue, b: CelValue): boolean {
  const c = compare(a, b);
  if (c !== undefined) return c === 0;
  if (isCelList(a) && isCelList(b)) {
    if (a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) if (!equal(a.get(i)!, b.get(i)!)) return false;
    return true;
  }
  if (isCelMap(a) && isCelMap(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const w = b.get(k);
      if (w === undefined || !equal(v, w)) return false;
    }
    return true;
  }
  return a === b;
}

function extremum(name: "min" | "max"): CelFunc {
  const { celMethod, CelScalar, listType } = celRuntime();
  return celMethod(name, listType(CelScalar.DYN), [], CelScalar.DYN, function () {
    let result: CelValue | undefined;
    for (const x of this) {
      if (result === undefined) {
        result = x;
        continue;
      }
      const c = compare(result, x);
      if (c === undefined) throw noSuchOverload(name, x);
      if ((name === "min" && c === 1) || (name === "max" && c === -1)) result = x;
    }
    if (result === undefined) throw celError(`${name} called on empty list`);
    return result;
  });
}

/** lists.go. */
function listsLibrary(): CelFunc[] {
  const { celMethod, CelScalar, listType } = celRuntime();
  const DYN = CelScalar.DYN;
  const LIST = listType(DYN);
  return [
  celMethod("isSorted", LIST, [], CelScalar.BOOL, function () {
    let prev: CelValue | undefined;
    for (const x of this) {
      if (prev !== undefined) {
        const c = compare(prev, x);
        if (c === undefined) throw noSuchOverload("isSorted", x);
        if (c === 1) return false;
      }
      prev = x;
    }
    return true;
  }),
  celMethod("sum", LIST, [], DYN, function () {
    let acc: bigint | number | undefined;
    for (const x of this) {
      if (typeof x === "bigint") acc = acc === undefined ? x : typeof acc === "bigint" ? acc + x : undefined;
      else if (typeof x === "number") acc = acc === undefined ? x : typeof acc === "number" ? acc + x : undefined;
      else throw noSuchOverload("sum", x);
      if (acc === undefined) throw noSuchOverload("_+_", x);
    }
    return acc ?? 0n;
  }),
  extremum("min"),
  extremum("max"),
  celMethod("indexOf", LIST, [DYN], CelScalar.INT, function (item) {
    for (let i = 0; i < this.size; i++) if (equal(this.get(i)!, item)) return BigInt(i);
    return -1n;
  }),
  celMethod("lastIndexOf", LIST, [DYN], CelScalar.INT, function (item) {
    for (let i = this.size - 1; i >= 0; i--) if (equal(this.get(i)!, item)) return BigInt(i);
    return -1n;
  }),
  ];
}

const compiled = new Map<string, RE2JS>();

/** An RE2 pattern, compiled once: a syntax error is cel-go's `error parsing regexp: ...`. */
function re2(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    try {
      re = re2Runtime().RE2JS.compile(pattern);
    } catch (e) {
      // RE2JS words it as Go's regexp/syntax does: `error parsing regexp: missing closing ): ...`.
      throw celError((e as Error).message);
    }
    compiled.set(pattern, re);
  }
  return re;
}

/**
 * The match positions: RE2 decides whether the pattern matches at all (linear time, no
 * backtracking); only then does a JavaScript RegExp of the same (RE2-validated) pattern find
 * the leftmost-first matches, which RE2JS's boolean engine does not report.
 */
function matchesOf(s: string, pattern: string, limit: number): string[] {
  if (limit === 0 || !re2(pattern).test(s)) return [];
  // RE2's leading flag groups ((?i), (?s), (?m), (?U) aside) become the RegExp's flags.
  let flags = "gu";
  let body = pattern;
  const lead = /^\(\?([ims]+)\)/.exec(pattern);
  if (lead) {
    body = pattern.slice(lead[0].length);
    flags += lead[1]!;
  }
  let js: RegExp;
  try {
    js = new RegExp(body, flags);
  } catch (e) {
    throw celError(`error parsing regexp: ${(e as Error).message}`);
  }
  // Go's FindAllString: an empty match right after the previous match is not reported.
  const out: string[] = [];
  let prevEnd = -1;
  for (const m of s.matchAll(js)) {
    if (m[0] === "" && m.index === prevEnd) continue;
    out.push(m[0]);
    prevEnd = m.index + m[0].length;
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

/** regex.go. */
function regexLibrary(): CelFunc[] {
  const { celMethod, CelScalar, listType } = celRuntime();
  return [
  celMethod("find", CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return matchesOf(this, pattern, 1)[0] ?? "";
  }),
  celMethod("findAll", CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (pattern) {
    return matchesOf(this, pattern, -1);
  }),
  celMethod("findAll", CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (pattern, n) {
    return matchesOf(this, pattern, Number(n));
  }),
  ];
}

let libraries: CelFunc[] | undefined;

/** Every function the Kubernetes environment adds to CEL's standard ones (built on first use). */
export function kubernetesLibraries(): CelFunc[] {
  return (libraries ??= [...celExt().strings, ...listsLibrary(), ...regexLibrary()]);
}

