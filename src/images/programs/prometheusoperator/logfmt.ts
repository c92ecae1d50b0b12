/**
 * The Prometheus Operator's log lines (internal/log/slog.go at v0.80.1): Go's slog TextHandler with
 * AddSource and the operator's ReplaceAttr — `ts` (UTC, RFC 3339 with nanoseconds, trailing zeros
 * dropped), `level` in lower case, `caller` (the source file's build path and line), `msg`, then the
 * attributes. A value is quoted (Go's strconv.Quote) when it is empty or holds a space, `=`, `"` or
 * a character that is not printable, as slog's text handler does (log/slog/text_handler.go needsQuoting).
 */

/** time.RFC3339Nano of a simulated instant: `2025-01-02T03:04:05.1Z`, `…05Z` for a whole second. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_, f: string) => (f === "000" ? "Z" : `.${f.replace(/0+$/, "")}Z`));
}

function needsQuoting(s: string): boolean {
  if (s === "") return true;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === " " || ch === "=" || ch === '"' || c < 0x21 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || ch === "\ufffd") return true;
  }
  return false;
}

/** One value as slog's text handler writes it. */
export function logfmtValue(v: string): string {
  return needsQuoting(v) ? JSON.stringify(v) : v;
}

/** One log line: `ts=… level=info caller=/workspace/<file> msg=… k=v …`. */
export function slogLine(now: number, level: "debug" | "info" | "warn" | "error", caller: string, msg: string, attrs: Array<[string, string]> = []): string {
  const parts = [`ts=${rfc3339Nano(now)}`, `level=${level}`, `caller=/workspace/${caller}`, `msg=${logfmtValue(msg)}`];
  for (const [k, v] of attrs) parts.push(`${k}=${logfmtValue(v)}`);
  return parts.join(" ");
}
