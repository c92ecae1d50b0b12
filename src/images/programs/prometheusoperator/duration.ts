/**
 * Durations as Go's time.ParseDuration and Prometheus's model.ParseDuration read them: `0`,
 * `30s`, `1m30s`, `500ms`, `1h`, `2d`, `1w` (Prometheus also accepts `d`, `w`, `y`). Undefined for
 * anything else.
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

export function parseGoDuration(s: string): number | undefined {
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/y;
  let i = 0;
  let total = 0;
  if (!s) return undefined;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    i = re.lastIndex;
  }
  return total;
}
