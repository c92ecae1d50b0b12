/**
 * The Prometheus text exposition format, version 0.0.4, as the Kubernetes components write it at
 * `/metrics`: k8s.io/component-base/metrics/legacyregistry serves its registry through
 * client_golang's promhttp.HandlerFor (v1.19.1), which gathers (prometheus.Registry.Gather: the
 * families sorted by name, each family's metrics by their label values, label pairs by name) and
 * encodes with prometheus/common v0.55.0's expfmt.MetricFamilyToText (text_create.go):
 *
 *     # HELP <name> <help, `\` and newline escaped>
 *     # TYPE <name> <counter|gauge|untyped>
 *     <name>{<label>="<value, `\` `"` newline escaped>",...} <value>[ <timestamp ms>]
 *
 * Values are written as writeFloat writes them: `1`, `0`, `-1`, `NaN`, `+Inf`, `-Inf`, else Go's
 * strconv.AppendFloat(f, 'g', -1, 64) (the shortest digits; exponent form from 1e+06 up and
 * below 1e-04: `1.6252928e+07`). Timestamps are integer milliseconds. The answer's Content-Type is
 * what expfmt.Negotiate gives a client that asks for nothing else (kubectl, curl): the text format
 * with the default escaping scheme of prometheus/common v0.55.0's model.NameEscapingScheme.
 *
 * Written from the format's specification and those sources (no library writes these bytes).
 */

/** `text/plain; version=0.0.4; charset=utf-8; escaping=values` (expfmt.Negotiate, v0.55.0). */
export const TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8; escaping=values";

export type MetricType = "counter" | "gauge" | "untyped";

/** One sample of a family: its labels (any order: written sorted by name), value, optional timestamp (ms). */
export interface Sample {
  labels?: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** A metric family as a registry gathers it. */
export interface MetricFamily {
  name: string;
  /** The help text as registered, with component-base's stability prefix already on it (see `help`). */
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** The stability levels of component-base's metrics (metrics/opts.go). */
export type StabilityLevel = "INTERNAL" | "ALPHA" | "BETA" | "STABLE";

/**
 * A help text as component-base registers it: annotateStabilityLevel prefixes `[<LEVEL>] `
 * (opts.go: `fmt.Sprintf("[%v] %v", o.StabilityLevel, o.Help)`).
 */
export function help(level: StabilityLevel, text: string): string {
  return `[${level}] ${text}`;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `\` → `\\`, newline → `\n` (expfmt's escapeString for HELP). */
function escapeHelp(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** `\` → `\\`, newline → `\n`, `"` → `\"` (expfmt's escapeString with quotes, for label values). */
export function escapeLabelValue(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/**
 * A float as expfmt's writeFloat writes it: the special values by name, else Go's shortest 'g'
 * formatting (strconv ftoa.go: `%e` when the decimal exponent is below -4 or at least 6, with at
 * least two exponent digits; otherwise `%f` with the shortest digits).
 */
export function formatFloat(f: number): string {
  if (f === 1) return "1";
  if (f === 0) return "0"; // -0 too: Go's f == 0 holds for it
  if (f === -1) return "-1";
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  // toExponential() without digits gives the shortest digits that read back as f, as Go's shortest does.
  const e = f.toExponential();
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-])(\d+)$/.exec(e);
  if (!m) throw new Error(`cannot format ${f}`);
  const [, sign, lead, frac = "", expSign, expDigits] = m;
  const exp = (expSign === "-" ? -1 : 1) * Number(expDigits);
  const digits = lead! + frac;
  if (exp < -4 || exp >= 6) {
    const mant = frac ? `${lead}.${frac}` : lead!;
    return `${sign}${mant}e${expSign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  // %f with the shortest digits: the decimal point placed after exp+1 digits.
  const point = exp + 1;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Compares label values as the gatherer's metricSorter does (label pairs in name order, then the timestamp). */
function compareSamples(a: { pairs: Array<[string, string]>; ts: number | undefined }, b: { pairs: Array<[string, string]>; ts: number | undefined }): number {
  const n = Math.min(a.pairs.length, b.pairs.length);
  for (let i = 0; i < n; i++) {
    const va = a.pairs[i]![1];
    const vb = b.pairs[i]![1];
    if (va !== vb) return va < vb ? -1 : 1;
  }
  if (a.pairs.length !== b.pairs.length) return a.pairs.length - b.pairs.length;
  // metricSorter: a metric without a timestamp first, then by timestamp.
  if (a.ts === b.ts) return 0;
  if (a.ts === undefined) return -1;
  if (b.ts === undefined) return 1;
  return a.ts - b.ts;
}

/** Go's byte-wise string order (sort.Strings): code units compare as bytes for the ASCII names used here. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The exposition of the families: sorted by name, each family's samples by label values, families
 * with no samples left out (Gather drops them). Throws on a name the format does not allow or a
 * family name given twice (the registry refuses both at registration).
 */
export function writeText(families: MetricFamily[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const fam of [...families].sort((a, b) => byName(a.name, b.name))) {
    if (!METRIC_NAME.test(fam.name)) throw new Error(`invalid metric name ${JSON.stringify(fam.name)}`);
    if (seen.has(fam.name)) throw new Error(`metric family ${fam.name} registered twice`);
    seen.add(fam.name);
    if (fam.samples.length === 0) continue;
    const rows = fam.samples.map((s) => {
      const pairs = Object.entries(s.labels ?? {}).sort((a, b) => byName(a[0], b[0]));
      for (const [k] of pairs) if (!LABEL_NAME.test(k) || k.startsWith("__")) throw new Error(`invalid label name ${JSON.stringify(k)} in ${fam.name}`);
      return { pairs, ts: s.timestampMs, value: s.value };
    });
    rows.sort(compareSamples);
    for (let i = 1; i < rows.length; i++) {
      if (compareSamples(rows[i - 1]!, rows[i]!) === 0) throw new Error(`${fam.name} has two samples with the same labels`);
    }
    out.push(`# HELP ${fam.name} ${escapeHelp(fam.help)}\n# TYPE ${fam.name} ${fam.type}\n`);
    for (const r of rows) {
      const labels = r.pairs.length ? `{${r.pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}` : "";
      if (r.ts !== undefined && !Number.isInteger(r.ts)) throw new Error(`timestamp ${r.ts} of ${fam.name} is not whole milliseconds`);
      out.push(`${fam.name}${labels} ${formatFloat(r.value)}${r.ts !== undefined ? ` ${r.ts}` : ""}\n`);
    }
  }
  return out.join("");
}
