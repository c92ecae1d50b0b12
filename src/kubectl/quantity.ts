/**
 * Resource quantities as kubectl's describe prints them (apimachinery/pkg/api/resource): a value
 * keeps the text it was written with; a computed value (a sum) is printed in canonical form in the
 * format of its first term (BinarySI `Ki/Mi/Gi`, DecimalSI `m/k/M/G`).
 */
export type QuantityFormat = "BinarySI" | "DecimalSI" | "DecimalExponent";

export interface Quantity {
  /** Value in milli-units (exact for the quantities Kubernetes objects use). */
  milli: number;
  format: QuantityFormat;
  /** The original text, kept until the value changes. */
  text?: string;
}

const BIN: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DEC: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export const ZERO: Quantity = { milli: 0, format: "DecimalSI" };

export function parseQuantity(text: string | number | undefined): Quantity {
  if (text === undefined) return ZERO;
  const s = String(text).trim();
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(s);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const num = Number(m[1]);
  const suffix = m[2] ?? "";
  if (suffix in BIN) return { milli: Math.round(num * BIN[suffix] * 1000), format: "BinarySI", text: s };
  if (/^[eE]/.test(suffix)) return { milli: Math.round(num * 10 ** Number(suffix.slice(1)) * 1000), format: "DecimalExponent", text: s };
  return { milli: Math.round(num * DEC[suffix] * 1000), format: "DecimalSI", text: s };
}

export function addQuantity(a: Quantity, b: Quantity): Quantity {
  if (a === ZERO) return { ...b };
  return { milli: a.milli + b.milli, format: a.format };
}

/** Quantity.String(): the original text, or the canonical form of a computed value. */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.milli === 0) return "0";
  const neg = q.milli < 0 ? "-" : "";
  const milli = Math.abs(q.milli);
  if (q.format === "BinarySI" && milli % 1000 === 0 && milli / 1000 >= 1024) {
    let v = milli / 1000;
    const units = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let i = 0;
    while (v % 1024 === 0 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${neg}${v}${units[i]}`;
  }
  // DecimalSI: the largest power of 1000 that keeps the mantissa an integer.
  if (milli % 1000 !== 0) return `${neg}${milli}m`;
  let v = milli / 1000;
  const units = ["", "k", "M", "G", "T", "P", "E"];
  let i = 0;
  while (v % 1000 === 0 && v !== 0 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${neg}${v}${units[i]}`;
}

/** Pod requests and limits as resourcehelper.PodRequestsAndLimits sums them (max with init containers). */
export function podRequestsAndLimits(pod: any): { requests: Record<string, Quantity>; limits: Record<string, Quantity> } {
  const sum = (containers: any[], field: "requests" | "limits") => {
    const out: Record<string, Quantity> = {};
    for (const c of containers ?? []) {
      for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) out[k] = addQuantity(out[k] ?? ZERO, parseQuantity(v as string));
    }
    return out;
  };
  const maxInit = (base: Record<string, Quantity>, field: "requests" | "limits") => {
    for (const c of pod.spec?.initContainers ?? []) {
      for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) {
        const q = parseQuantity(v as string);
        if (!base[k] || q.milli > base[k].milli) base[k] = q;
      }
    }
    return base;
  };
  const requests = maxInit(sum(pod.spec?.containers, "requests"), "requests");
  const limits = maxInit(sum(pod.spec?.containers, "limits"), "limits");
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) {
    requests[k] = addQuantity(requests[k] ?? ZERO, parseQuantity(v as string));
    if (limits[k]) limits[k] = addQuantity(limits[k], parseQuantity(v as string));
  }
  return { requests, limits };
}
