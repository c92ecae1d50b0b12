/**
 * JSON as Go's encoding/json writes an unstructured object (what kubectl prints): map keys
 * sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, compact or MarshalIndent-ed.
 */
export function goJSON(value: unknown, indent = "", opts: { sortKeys?: boolean } = {}): string {
  return enc(value, indent, "", opts.sortKeys ?? true);
}

/** `sorted`: map keys in byte order (a map); false keeps the object's own key order (a Go struct's fields). */
function enc(v: unknown, indent: string, prefix: string, sorted = true): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return quote(v);
  if (typeof v === "number") return Number.isFinite(v) ? formatNumber(v) : "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  const inner = prefix + indent;
  const nl = indent ? "\n" : "";
  const sep = indent ? ": " : ":";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[" + nl + v.map((x) => inner + enc(x, indent, inner, sorted)).join("," + nl) + nl + prefix + "]";
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (sorted) keys.sort(byteOrder);
  if (keys.length === 0) return "{}";
  return "{" + nl + keys.map((k) => inner + quote(k) + sep + enc(obj[k], indent, inner, sorted)).join("," + nl) + nl + prefix + "}";
}

/** Go sorts map keys by byte order (UTF-8); for our keys this is code unit order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function quote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Go's float64 formatting in encoding/json: shortest repr, exponent only beyond 1e21 / below 1e-6. */
function formatNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go: 1e-07 style with at least two exponent digits
    return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return String(n);
}
