/**
 * π to any number of significant digits, as Perl's `bignum` `bpi(N)` prints it (Math::BigFloat's
 * bpi: π rounded to N significant digits, round half to even). Computed with Machin's formula
 * π = 16·atan(1/5) − 4·atan(1/239) in scaled integers, with guard digits.
 */

/** atan(1/x) · 10^scale as an integer (truncated). */
function arctanInv(x: bigint, scale: bigint): bigint {
  const one = 10n ** scale;
  const x2 = x * x;
  let term = one / x;
  let sum = term;
  let k = 1n;
  let sign = -1n;
  while (term !== 0n) {
    term /= x2;
    const t = term / (2n * k + 1n);
    sum += sign * t;
    sign = -sign;
    k++;
  }
  return sum;
}

/** π with `digits` significant digits (`bpi(5)` → `3.1416`). */
export function piDigits(digits: number): string {
  if (!Number.isInteger(digits) || digits < 1) throw new Error("bpi: the number of digits must be a positive integer");
  const guard = 10n;
  const scale = BigInt(digits) + guard; // digits after the point, with guard digits
  const pi = 16n * arctanInv(5n, scale) - 4n * arctanInv(239n, scale);
  // pi = π · 10^scale; keep `digits` significant digits (one before the point).
  const drop = scale - BigInt(digits - 1);
  const div = 10n ** drop;
  let q = pi / div;
  const r = pi % div;
  const half = div / 2n;
  if (r > half || (r === half && q % 2n === 1n)) q += 1n;
  const s = q.toString();
  return digits === 1 ? s : `${s[0]}.${s.slice(1)}`;
}
