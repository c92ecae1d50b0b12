/**
 * awk's values and their conversions (POSIX awk "Expressions in awk"): numbers, strings, and the
 * "strnum" — input text (fields, getline, split, -v, ARGV, ENVIRON) that looks like a number and so
 * compares numerically. Number to string: an integral value prints as an integer (mawk: only within
 * ±2147483647, its `Max_Int`; busybox: any value a long long holds), any other through CONVFMT (or
 * OFMT for print), `%.6g` by default. Also C's printf conversions (%d %i %o %x %X %u %c %e %E %f %F
 * %g %G %s), which the shell's printf (printf.ts) does not do to C's rules (its %g is JavaScript's).
 * Strings here are byte strings (one char per byte, latin1), as mawk's and busybox's are: awk.ts
 * converts at its edges, so length("é") is 2 as there.
 */
import type { Flavour } from "./awkparse.ts";

export class StrNum {
  constructor(
    readonly s: string,
    readonly n: number,
  ) {}
}

export type Val = number | string | StrNum;

/** An uninitialised value: "" and 0 at once. */
export const UNINIT = new StrNum("", 0);

/** strtod's prefix of `s` (leading blanks, sign, decimal or hex digits, exponent; inf/nan), and its length. */
export function strtod(s: string): { n: number; len: number } {
  const m = /^[ \t\n\r\f\v]*([-+]?)(0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|inf(?:inity)?|nan)/i.exec(s);
  if (!m) return { n: 0, len: 0 };
  const body = m[2]!.toLowerCase();
  let n: number;
  if (body.startsWith("0x")) n = parseInt(body, 16);
  else if (body.startsWith("inf")) n = Infinity;
  else if (body === "nan") n = NaN;
  else n = Number(body);
  return { n: m[1] === "-" ? -n : n, len: m[0].length };
}

/** Input text as awk sees it: a strnum when all of it (but surrounding blanks) is a number. */
export function inputVal(s: string, flavour: Flavour): Val {
  const r = strtod(s);
  if (r.len === 0) return s;
  if (flavour === "busybox" && /^[ \t]*[-+]?(inf|nan)/i.test(s)) return s;
  if (!/^[ \t\n\r\f\v]*$/.test(s.slice(r.len))) return s;
  return new StrNum(s, r.n);
}

export function toNum(v: Val): number {
  if (typeof v === "number") return v;
  if (v instanceof StrNum) return v.n;
  return strtod(v).n;
}

export function isNumeric(v: Val): boolean {
  return typeof v === "number" || v instanceof StrNum;
}

export function truthy(v: Val): boolean {
  if (typeof v === "number") return v !== 0;
  if (v instanceof StrNum) return v.n !== 0;
  return v !== "";
}

const MAX_INT = 2147483647;

/** A number as a string: integral values as integers, others through `fmt` (CONVFMT or OFMT). */
export function numToStr(n: number, fmt: string, flavour: Flavour): string {
  if (Number.isInteger(n)) {
    if (flavour === "busybox" ? Math.abs(n) < 2 ** 63 : n >= -MAX_INT && n <= MAX_INT) return n === 0 ? "0" : BigInt(n).toString();
  }
  return sprintf(fmt, [n], flavour).out;
}

export function toStr(v: Val, convfmt: string, flavour: Flavour): string {
  if (typeof v === "string") return v;
  if (v instanceof StrNum) return v.s;
  return numToStr(v, convfmt, flavour);
}

function inf(n: number, upper: boolean): string | undefined {
  if (Number.isNaN(n)) return upper ? "NAN" : Object.is(n, NaN) ? "nan" : "nan";
  if (n === Infinity) return upper ? "INF" : "inf";
  if (n === -Infinity) return upper ? "-INF" : "-inf";
  return undefined;
}

/** C's %e body for |n| with `prec` digits: 1.234500e+05. */
function expForm(a: number, prec: number): string {
  const s = a.toExponential(Math.min(prec, 100));
  const [mant, ex] = s.split("e") as [string, string];
  const sign = ex.startsWith("-") ? "-" : "+";
  const digits = ex.replace(/^[-+]/, "");
  return `${mant}e${sign}${digits.padStart(2, "0")}`;
}

function fixedForm(a: number, prec: number): string {
  if (a < 1e21) return a.toFixed(Math.min(prec, 100));
  // toFixed switches to exponent form at 1e21: write the integer digits out
  const int = BigInt(Math.round(a)).toString();
  return prec > 0 ? `${int}.${"0".repeat(prec)}` : int;
}

/** C's %g of |a|. */
function gForm(a: number, prec: number, alt: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (a === 0) return alt ? `0.${"0".repeat(p - 1)}` : "0";
  const e = Number(a.toExponential(p - 1).split("e")[1]);
  let s = e < -4 || e >= p ? expForm(a, p - 1) : fixedForm(a, p - 1 - e);
  if (!alt) {
    if (s.includes("e")) s = s.replace(/\.?0+e/, "e");
    else if (s.includes(".")) s = s.replace(/\.?0+$/, "");
  }
  return s;
}

/** One C conversion of a number (flags, width and precision applied by the caller). */
function numConv(conv: string, n: number, prec: number | undefined, flags: string): string {
  const upper = conv === "E" || conv === "G" || conv === "X" || conv === "F";
  const special = inf(n, upper);
  const neg = n < 0 || Object.is(n, -0);
  const a = Math.abs(n);
  let body: string;
  if (special !== undefined) body = special.replace(/^-/, "");
  else
    switch (conv) {
      case "e":
      case "E":
        body = expForm(a, prec ?? 6);
        if (flags.includes("#") && prec === 0) body = body.replace("e", ".e");
        break;
      case "f":
      case "F":
        body = fixedForm(a, prec ?? 6);
        if (flags.includes("#") && prec === 0) body += ".";
        break;
      default:
        body = gForm(a, prec ?? 6, flags.includes("#"));
    }
  if (upper) body = body.toUpperCase();
  const sign = neg && !(special !== undefined && Number.isNaN(n)) ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  return sign + body;
}

function intConv(conv: string, n: number, prec: number | undefined, flags: string, flavour: Flavour): string {
  let v: bigint;
  // mawk converts to its Int (d_to_I: clamped to ±2147483647); busybox to a long long
  if (flavour === "mawk" && (conv === "d" || conv === "i")) n = Number.isNaN(n) ? MAX_INT : Math.max(-MAX_INT, Math.min(MAX_INT, n));
  if (Number.isNaN(n)) v = -(2n ** 63n);
  else if (n >= 2 ** 63) v = 2n ** 63n - 1n;
  else if (n <= -(2 ** 63)) v = -(2n ** 63n);
  else v = BigInt(Math.trunc(n));
  const signed = conv === "d" || conv === "i";
  let neg = false;
  if (signed) {
    neg = v < 0n;
    if (neg) v = -v;
  } else if (v < 0n) v = 2n ** 64n + v;
  const base = conv === "o" ? 8 : conv === "x" || conv === "X" ? 16 : 10;
  let digits = v.toString(base);
  if (conv === "X") digits = digits.toUpperCase();
  if (prec !== undefined) digits = prec === 0 && v === 0n ? "" : digits.padStart(prec, "0");
  if (flags.includes("#")) {
    if (conv === "o" && !digits.startsWith("0")) digits = "0" + digits;
    else if ((conv === "x" || conv === "X") && v !== 0n) digits = (conv === "x" ? "0x" : "0X") + digits;
  }
  const sign = neg ? "-" : signed && flags.includes("+") ? "+" : signed && flags.includes(" ") ? " " : "";
  return sign + digits;
}

function pad(s: string, width: number | undefined, flags: string, numeric: boolean, hasPrec: boolean, conv: string): string {
  if (width === undefined || s.length >= width) return s;
  if (flags.includes("-")) return s.padEnd(width);
  const zero = flags.includes("0") && numeric && !(hasPrec && "diouxX".includes(conv)) && !/inf|nan/i.test(s);
  if (zero) {
    const m = /^([-+ ]?(?:0[xX])?)(.*)$/.exec(s)!;
    return m[1]! + m[2]!.padStart(width - m[1]!.length, "0");
  }
  return s.padStart(width);
}

export interface SprintfResult {
  out: string;
  /** The format wanted more arguments than were given: mawk's run time error (busybox prints empty values). */
  missing?: boolean;
}

/**
 * awk's sprintf: C's conversions over awk values. A value's number or string is taken as the
 * conversion wants it (%d of "3x" is 3, %s of 0.1 is CONVFMT's "0.1"); %c of a number is that byte,
 * of a string its first character.
 */
export function sprintf(fmt: string, args: Val[], flavour: Flavour, convfmt = "%.6g"): SprintfResult {
  let out = "";
  let ai = 0;
  let missing = false;
  const next = (): Val => {
    if (ai < args.length) return args[ai++]!;
    missing = true;
    ai++;
    return UNINIT;
  };
  for (let i = 0; i < fmt.length; i++) {
    if (missing && flavour === "mawk") return { out, missing };
    const c = fmt[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?(hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGcs%])/.exec(fmt.slice(i));
    if (!m) {
      // an unknown conversion is copied as it is
      out += c;
      continue;
    }
    i += m[0].length - 1;
    let flags = m[1]!;
    const conv = m[5]!;
    if (conv === "%") {
      out += "%";
      continue;
    }
    let width = m[2] === "*" ? Math.trunc(toNum(next())) : m[2] !== undefined ? Number(m[2]) : undefined;
    if (width !== undefined && width < 0) {
      flags += "-";
      width = -width;
    }
    let prec = m[3] === "*" ? Math.trunc(toNum(next())) : m[3] !== undefined ? Number(m[3] || "0") : undefined;
    if (prec !== undefined && prec < 0) prec = undefined;
    const v = next();
    if (missing && flavour === "mawk") return { out, missing };
    let s: string;
    let numeric = true;
    switch (conv) {
      case "s":
        s = typeof v === "number" ? numToStr(v, convfmt, flavour) : v instanceof StrNum ? v.s : v;
        if (prec !== undefined) s = s.slice(0, prec);
        numeric = false;
        break;
      case "c":
        if (typeof v === "number") s = String.fromCharCode(Math.trunc(v) & 255);
        else s = (v instanceof StrNum ? v.s : v).slice(0, 1);
        numeric = false;
        break;
      case "d":
      case "i":
      case "o":
      case "u":
      case "x":
      case "X":
        s = intConv(conv, toNum(v), prec, flags, flavour);
        break;
      default:
        s = numConv(conv, toNum(v), prec, flags);
    }
    out += pad(s, width, flags, numeric, prec !== undefined, conv);
  }
  return { out, missing };
}
