/**
 * Minimal resource.Quantity parsing for the scheduler (private until src/api/quantity.ts lands):
 * cpu in millicores (rounded up, as MilliValue does), everything else in whole units (rounded up).
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const memo = new Map<string, number>();

/** The quantity as a number of base units (may be fractional). Throws on malformed input. */
export function parseQuantity(q: string | number): number {
  if (typeof q === "number") return q;
  const known = memo.get(q);
  if (known !== undefined) return known;
  const v = parse(q);
  if (memo.size < 10_000) memo.set(q, v);
  return v;
}

function parse(q: string): number {
  const m = RE.exec(String(q).trim());
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? "";
  return base * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Quantity.MilliValue(): thousandths, rounded up. */
export function milliValue(q: string | number | undefined): number {
  if (q === undefined || q === null) return 0;
  return Math.ceil(Math.round(parseQuantity(q) * 1000 * 1e6) / 1e6);
}

/** Quantity.Value(): whole units, rounded up. */
export function value(q: string | number | undefined): number {
  if (q === undefined || q === null) return 0;
  return Math.ceil(Math.round(parseQuantity(q) * 1e6) / 1e6);
}
