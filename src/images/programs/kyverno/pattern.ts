/**
 * Kyverno's value patterns (github.com/kyverno/kyverno at v1.14.5): how one scalar of a policy's
 * `pattern` is checked against the resource's value.
 *
 * - ext/wildcard (github.com/IGLOU-EU/go-wildcard v1.0.3): `*` any run of characters, `?` exactly
 *   one character; nothing else is special.
 * - pkg/engine/operator: the operator a string pattern starts with (`>=`, `<=`, `>`, `<`, `!`) or
 *   its range form (`1-10`, `1!-10`).
 * - pkg/engine/pattern: `Validate` by the pattern's JSON type; a string pattern is alternatives
 *   split on `|`, each a conjunction split on `&`; each part compares as a Go duration when both
 *   sides parse as one, else as a Kubernetes quantity, else as a string with wildcards (only `=`
 *   and `!` apply to strings).
 */
import { Quantity } from "../../../api/quantity.ts";
import { parseGoDuration } from "../certmanager/common.ts";

/** go-wildcard v1.0.3 Match: `*` any sequence, `?` exactly one rune; an empty pattern matches only "". */
export function wildcardMatch(pattern: string, name: string): boolean {
  if (pattern === "") return name === "";
  if (pattern === "*") return true;
  const p = Array.from(pattern);
  const s = Array.from(name);
  // Iterative glob with one backtrack point (the classic two-pointer algorithm).
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    if (i < p.length && (p[i] === "?" || p[i] === s[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === "*") {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === "*") i++;
  return i === p.length;
}

/** ext/wildcard ContainsWildcard. */
export const containsWildcard = (v: string) => v.includes("*") || v.includes("?");

export type Operator = "" | ">=" | "<=" | "!" | ">" | "<" | "-" | "!-";

export const IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
export const NOT_IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

/** operator.GetOperatorFromStringPattern. */
export function operatorOf(pattern: string): Operator {
  if (pattern.length < 2) return "";
  for (const op of [">=", "<=", ">", "<", "!"] as const) if (pattern.startsWith(op)) return op;
  if (NOT_IN_RANGE.test(pattern)) return "!-";
  if (IN_RANGE.test(pattern)) return "-";
  return "";
}

/** A JSON value as the engine sees it (encoding/json: numbers are float64; YAML integers stay int64 in policies). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isMap = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** pattern.Validate: does `value` match the scalar (or map) `pattern`? */
export function validateValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === "boolean") return typeof value === "boolean" && value === pattern;
  if (typeof pattern === "number") return validateNumber(value, pattern);
  if (pattern === null || pattern === undefined) return validateNil(value);
  if (isMap(pattern)) return isMap(value);
  if (typeof pattern === "string") return validateStringPatterns(value, pattern);
  return false; // arrays are not supported as patterns
}

function validateNumber(value: unknown, pattern: number): boolean {
  if (typeof value === "number") return value === pattern;
  if (typeof value === "string") {
    // strconv.ParseInt for an integer pattern, ParseFloat for a fractional one.
    if (Number.isInteger(pattern)) return /^[+-]?\d+$/.test(value) && Number(value) === pattern;
    const f = Number(value);
    return value.trim() !== "" && !Number.isNaN(f) && f === pattern;
  }
  return false;
}

function validateNil(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "number") return value === 0;
  if (typeof value === "string") return value === "";
  if (typeof value === "boolean") return !value;
  return false;
}

function validateStringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  for (const alt of pattern.split("|")) {
    const cond = alt.trim();
    if (cond.split("&").every((c) => validateStringPattern(value, c.trim()))) return true;
  }
  return false;
}

export function validateStringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === "-") {
    const m = IN_RANGE.exec(pattern);
    return !!m && validateStringPattern(value, `>= ${m[1]}`) && validateStringPattern(value, `<= ${m[2]}`);
  }
  if (op === "!-") {
    const m = NOT_IN_RANGE.exec(pattern);
    return !!m && (validateStringPattern(value, `< ${m[1]}`) || validateStringPattern(value, `> ${m[2]}`));
  }
  return validateString(value, pattern.slice(op.length).trim(), op);
}

/** convertNumberToString: nil is "0", floats print with %f. */
function numberToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return "0";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function compare(result: number, op: Operator): boolean | undefined {
  switch (op) {
    case "":
      return result === 0;
    case "!":
      return result !== 0;
    case ">":
      return result > 0;
    case "<":
      return result < 0;
    case ">=":
      return result >= 0;
    case "<=":
      return result <= 0;
    default:
      return undefined;
  }
}

function parseQuantity(s: string): Quantity | undefined {
  try {
    return Quantity.parse(s);
  } catch {
    return undefined;
  }
}

export function validateString(value: unknown, pattern: string, op: Operator): boolean {
  const v = numberToString(value);
  // compareDuration: time.ParseDuration of both sides.
  const pd = parseGoDuration(pattern);
  if (pd !== undefined && v !== undefined) {
    const vd = parseGoDuration(v);
    if (vd !== undefined) {
      const r = compare(Math.sign(vd - pd), op);
      if (r !== undefined) return r;
    }
  }
  // compareQuantity.
  const pq = parseQuantity(pattern);
  if (pq && v !== undefined) {
    const vq = parseQuantity(v);
    if (vq) {
      const r = compare(vq.cmp(pq), op);
      if (r !== undefined) return r;
    }
  }
  // compareString: only = and ! apply.
  if (op !== "" && op !== "!") return false;
  let s: string;
  if (typeof value === "string") s = value;
  else if (typeof value === "boolean") s = String(value);
  else if (typeof value === "number") s = Number.isInteger(value) ? String(value) : goFloatE(value);
  else return false;
  const m = wildcardMatch(pattern, s);
  return op === "!" ? !m : m;
}

/** strconv.FormatFloat(v, 'E', -1, 64): `1.5E+00`. */
function goFloatE(v: number): string {
  const [mant, exp] = v.toExponential().toUpperCase().split("E");
  const e = Number(exp);
  return `${mant}E${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}
