/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource/quantity.go): parsing with
 * upstream's scanner and error texts, exact comparison, and the canonical form the API server
 * re-serialises (`0.5` → `500m`, `1024Mi` → `1Gi`, `1000` → `1k`).
 *
 * Upstream keeps an int64 fast path and an inf.Dec slow path; both are exact decimals, so one
 * exact representation serves here: `mantissa × 10^exponent` with a BigInt mantissa. Parsed
 * values are rounded up (away from zero) to nano precision, as upstream does.
 */

export type QuantityFormat = "DecimalExponent" | "BinarySI" | "DecimalSI";

export const SPLIT_RE_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuantityError";
  }
}

export const ErrFormatWrong = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
export const ErrNumeric = "unable to parse numeric part of quantity";
export const ErrSuffix = "unable to parse quantity's suffix";

const DEC_SUFFIXES: Array<[string, number]> = [
  ["n", -9], ["u", -6], ["m", -3], ["", 0], ["k", 3], ["M", 6], ["G", 9], ["T", 12], ["P", 15], ["E", 18],
];
const BIN_SUFFIXES: Array<[string, number]> = [["Ki", 10], ["Mi", 20], ["Gi", 30], ["Ti", 40], ["Pi", 50], ["Ei", 60]];
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_INT32 = 2147483647;
/** maxInt64Factors: the number of decimal digits an int64 always holds. */
const MAX_INT64_FACTORS = 18;
const NANO = -9;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** The suffix's base, exponent and format (suffixHandler.interpret), or undefined. */
export function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  for (const [suf, e] of DEC_SUFFIXES) if (suf === s) return { base: 10, exponent: e, format: "DecimalSI" };
  for (const [suf, e] of BIN_SUFFIXES) if (suf === s) return { base: 2, exponent: e, format: "BinarySI" };
  if (s.length > 1 && (s[0] === "E" || s[0] === "e")) {
    const rest = s.slice(1);
    // strconv.ParseInt: optional sign, then decimal digits only.
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const n = Number(rest);
    if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_INT32) return undefined;
    return { base: 10, exponent: n, format: "DecimalExponent" };
  }
  return undefined;
}

export interface ScannedQuantity {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** A decimal digit (a module function: parseQuantityString runs for every quantity of every write). */
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/** parseQuantityString: upstream's fast scanner, splitting sign, number and suffix. */
export function parseQuantityString(str: string): ScannedQuantity {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === "-") {
      positive = false;
      pos++;
    } else if (str[0] === "+") pos++;
  }
  // strip leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: "0", num: "0", denom: "", suffix: "" };
    if (str[i] === "0") pos++;
    else break;
  }
  let num = "";
  let denom = "";
  // the numerator
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: str.slice(0, end), num: str.slice(pos, end), denom: "", suffix: "" };
    if (!isDigit(str[i])) {
      num = str.slice(pos, i);
      pos = i;
      break;
    }
  }
  if (num.length === 0) num = "0";
  // the denominator
  if (pos < end && str[pos] === ".") {
    pos++;
    for (let i = pos; ; i++) {
      if (i >= end) return { positive, value: str.slice(0, end), num, denom: str.slice(pos, end), suffix: "" };
      if (!isDigit(str[i])) {
        denom = str.slice(pos, i);
        pos = i;
        break;
      }
    }
  }
  const value = str.slice(0, pos);
  // the suffix
  const suffixStart = pos;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!"eEinumkKMGTP".includes(str[i])) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] === "-" || str[pos] === "+")) pos++;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!isDigit(str[i])) break;
  }
  throw new QuantityError(ErrFormatWrong);
}

/** Ceiling division of a non-negative numerator by a positive denominator. */
function divCeil(n: bigint, d: bigint): bigint {
  return (n + d - 1n) / d;
}

/** Quantity.parse's answers by text, bounded: cleared when full (texts are few and repeat). */
const parsedTexts = new Map<string, Quantity>();
const PARSED_TEXTS_MAX = 4096;

export class Quantity {
  /** value = mantissa × 10^exponent */
  private constructor(
    readonly mantissa: bigint,
    readonly exponent: number,
    readonly format: QuantityFormat,
    /** The input string, kept when it already was in canonical form (as upstream's `s`). */
    private readonly cached?: string,
  ) {}

  /** An exact quantity `mantissa × 10^exponent` in a given format (for callers and tests). */
  static of(mantissa: bigint | number, exponent = 0, format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(BigInt(mantissa), exponent, format);
  }

  /**
   * ParseQuantity: throws QuantityError with upstream's text. A Quantity is immutable and parsing
   * is a pure function of the text, so the answers for the texts seen most (a pod's "100m", a
   * node's "4") are kept; invalid texts are not kept and throw every time.
   */
  static parse(str: string): Quantity {
    const hit = parsedTexts.get(str);
    if (hit !== undefined) return hit;
    const q = Quantity.parseText(str);
    if (parsedTexts.size >= PARSED_TEXTS_MAX) parsedTexts.clear();
    parsedTexts.set(str, q);
    return q;
  }

  private static parseText(str: string): Quantity {
    if (str.length === 0) throw new QuantityError(ErrFormatWrong);
    if (str === "0") return new Quantity(0n, 0, "DecimalSI", "0");
    const { positive, num, denom, suffix } = parseQuantityString(str);
    const suf = interpretSuffix(suffix);
    if (!suf) throw new QuantityError(ErrSuffix);
    let { format } = suf;
    const sign = positive ? 1n : -1n;
    const digits = BigInt(num + denom);

    // Upstream's int64 fast path decides whether the input string is kept as the canonical text.
    let cached: string | undefined;
    if (suf.base === 10) {
      const precision = MAX_INT64_FACTORS - (num.length + denom.length);
      const scale = suf.exponent - denom.length;
      const shifted = num + denom;
      if (precision >= 0 && scale >= NANO && digits <= MAX_INT64) {
        if (scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0") cached = str;
      }
    } else if (denom.length === 0) {
      const precision = 15 - num.length - Math.trunc((suf.exponent * 3) / 10) - 1;
      if (precision >= 0 && digits <= MAX_INT64 && digits << BigInt(suf.exponent) <= MAX_INT64) {
        if (suf.exponent % 10 === 0 && (digits & 7n) !== 0n) cached = str;
      }
    }

    // Exact value in nano units, rounded up (away from zero) when finer than a nano.
    let nanos: bigint;
    if (suf.base === 10) {
      const e = suf.exponent - denom.length + 9;
      nanos = e >= 0 ? digits * pow10(e) : divCeil(digits, pow10(-e));
    } else {
      const scaled = digits << BigInt(suf.exponent);
      const e = 9 - denom.length;
      nanos = e >= 0 ? scaled * pow10(e) : divCeil(scaled, pow10(-e));
    }
    if (format === "BinarySI") {
      const max = MAX_INT64 * pow10(9);
      if (nanos > max) nanos = max;
      if (nanos > 0n && nanos < pow10(9)) format = "DecimalSI";
    }
    if (cached !== undefined) {
      const q = new Quantity(sign * nanos, -9, format);
      // Keep the text only where the fast path would have (no rounding happened).
      return new Quantity(q.mantissa, q.exponent, format, cached);
    }
    return new Quantity(sign * nanos, -9, format);
  }

  sign(): number {
    return this.mantissa > 0n ? 1 : this.mantissa < 0n ? -1 : 0;
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  /** -1, 0 or 1 as this is smaller, equal or larger than `other`. */
  cmp(other: Quantity): number {
    const e = Math.min(this.exponent, other.exponent);
    const a = this.mantissa * pow10(this.exponent - e);
    const b = other.mantissa * pow10(other.exponent - e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    const e = Math.min(this.exponent, other.exponent);
    const sum = this.mantissa * pow10(this.exponent - e) + other.mantissa * pow10(other.exponent - e);
    return new Quantity(sum, e, this.isZero() ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    return this.add(new Quantity(-other.mantissa, other.exponent, other.format));
  }

  neg(): Quantity {
    return new Quantity(-this.mantissa, this.exponent, this.format);
  }

  /** The value at a decimal scale (10^scale units), rounded up away from zero (ScaledValue). */
  scaledValue(scale: number): bigint {
    const e = this.exponent - scale;
    if (e >= 0) return this.mantissa * pow10(e);
    const d = pow10(-e);
    const abs = this.mantissa < 0n ? -this.mantissa : this.mantissa;
    const r = divCeil(abs, d);
    return this.mantissa < 0n ? -r : r;
  }

  /** Value(): the integer value, rounded up (bytes for memory). */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** MilliValue(): thousandths, rounded up (millicores for cpu). */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** An approximate floating-point value. */
  toNumber(): number {
    return Number(this.mantissa) * 10 ** this.exponent;
  }

  /** The canonical text (String / MarshalJSON), worked out once per quantity. */
  toString(): string {
    if (this.cached !== undefined) return this.cached;
    return (this.text ??= this.canonicalText());
  }

  private text?: string;

  private canonicalText(): string {
    if (this.isZero()) return "0";
    let format = this.format;
    let rounded: bigint | undefined;
    if (format === "BinarySI") {
      if (this.cmp(Quantity.of(-1024)) > 0 && this.cmp(Quantity.of(1024)) < 0) format = "DecimalSI";
      else {
        rounded = this.scaledValue(0);
        if (this.cmp(Quantity.of(rounded)) !== 0) format = "DecimalSI";
      }
    }
    if (format === "BinarySI") {
      let amount = rounded!;
      let times = 0;
      while (amount !== 0n && amount % 1024n === 0n) {
        amount /= 1024n;
        times++;
      }
      const suffix = times === 0 ? "" : BIN_SUFFIXES[times - 1]?.[0];
      if (suffix !== undefined) return `${amount}${suffix}`;
      return new Quantity(this.mantissa, this.exponent, "DecimalExponent").toString();
    }
    // AsCanonicalBytes: move factors of ten into the exponent, then lower it to a multiple of three.
    let amount = this.mantissa;
    let exponent = this.exponent;
    while (amount % 10n === 0n) {
      amount /= 10n;
      exponent++;
    }
    while (exponent % 3 !== 0) {
      amount *= 10n;
      exponent--;
    }
    if (format === "DecimalSI") {
      const suf = DEC_SUFFIXES.find(([, e]) => e === exponent);
      if (suf) return `${amount}${suf[0]}`;
    }
    return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Parses a quantity as it arrives in JSON: a string, or a bare number (UnmarshalJSON). */
export function parseQuantity(value: unknown): Quantity {
  if (typeof value === "number") return Quantity.parse(jsonNumberText(value));
  if (typeof value === "string") return Quantity.parse(value.trim());
  throw new QuantityError(ErrFormatWrong);
}

/** The canonical text of a quantity value from a manifest; throws QuantityError when invalid. */
export function canonicalQuantity(value: unknown): string {
  return parseQuantity(value).toString();
}

/** A number as JSON writes it (no exponent for integers JavaScript would print with one). */
function jsonNumberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  const s = String(n);
  return s.replace("e+", "e");
}
