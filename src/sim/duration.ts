/**
 * The contract's {duration}: `1 second`, `30 seconds`, `1 minute 30 seconds`, `2 hours`, and the
 * short forms `30s`, `2m`, `1h30m`, `1m30s`, days (`3 days`, `2d`, beyond the contract), and in Korean `30초`, `1분 30초`, `2시간`. Anything
 * else is rejected, never read as zero.
 */
// A plain string, not String.raw: the bundle (scripts/bundle-steps.mjs) escapes its Korean units, so the
// bundle's text stays ASCII (a raw template's characters cannot be escaped without changing its value).
const UNIT = "(?:days?|hours?|minutes?|seconds?|d|h|m|s|일|시간|분|초)";
const PART = String.raw`\d+\s*${UNIT}`;
/** Regular expression source for Cucumber's {duration} parameter type. */
export const DURATION_PATTERN = String.raw`\d+\s*${UNIT}(?:\s*\d+\s*${UNIT})*`;
const WHOLE = new RegExp(`^\\s*${PART}(?:\\s*${PART})*\\s*$`);
const EACH = new RegExp(`(\\d+)\\s*(${UNIT})`, "g");

const MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, 일: 86_400_000, 시: 3_600_000, 분: 60_000, 초: 1000 };
/** Korean units count as their English letters, so `1분 1m` is a repeated unit. */
const SAME: Record<string, string> = { 일: "d", 시: "h", 분: "m", 초: "s" };

/** Parses a duration into milliseconds; throws on anything that is not a duration. */
export function parseDuration(text: string | number): number {
  if (typeof text === "number") {
    if (!Number.isFinite(text) || text < 0) throw new Error(`invalid duration: ${text} ms`);
    return text;
  }
  if (!WHOLE.test(text)) {
    throw new Error(`invalid duration ${JSON.stringify(text)}: write e.g. "30 seconds", "1 minute 30 seconds", "90s" or "1h30m"`);
  }
  let total = 0;
  const seen = new Set<string>();
  for (const m of text.matchAll(EACH)) {
    const unit = SAME[m[2][0]] ?? m[2][0];
    if (seen.has(unit)) throw new Error(`invalid duration ${JSON.stringify(text)}: the unit "${m[2]}" appears twice`);
    seen.add(unit);
    total += Number(m[1]) * MS[m[2][0]];
  }
  return total;
}

/** Formats milliseconds as Go's time.Duration.String() does for whole seconds: 10s, 1m20s, 5m0s, 1h0m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const neg = ms < 0;
  let s = Math.abs(ms) / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = Number.isInteger(s) ? String(s) : String(Number(s.toFixed(9)));
  let out = "";
  if (h > 0) out = `${h}h${m}m${sec}s`;
  else if (m > 0) out = `${m}m${sec}s`;
  else if (Math.abs(ms) < 1000) out = `${Math.abs(ms)}ms`;
  else out = `${sec}s`;
  return (neg ? "-" : "") + out;
}
