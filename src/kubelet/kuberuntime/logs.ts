/**
 * Reading a container's log as the kubelet does for the pods/log subresource
 * (pkg/kubelet/kuberuntime/logs/logs.go: ReadLogs): the log as timestamped lines (the CRI log
 * format keeps the time each line was written), then `tailLines`, `since`, `timestamps` and
 * `limitBytes`, in that order.
 */
import { logChunks, type ContainerInstance } from "./runtime_service.ts";
import type { LogOptions } from "../../api/kubeletclient.ts";

export type { LogOptions };

/** One line of a container's log: when it was written (simulated ms) and its text, newline included when complete. */
export interface LogRecord {
  time: number;
  line: string;
}

/** The instance's log as lines, each with the time its first character was written. */
export function logRecords(c: Pick<ContainerInstance, "log" | "logTimes" | "series">): LogRecord[] {
  const out: LogRecord[] = [];
  let partial: LogRecord | undefined;
  const { texts, times } = logChunks(c);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    const time = times[i] ?? 0;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf("\n", pos);
      const piece = nl < 0 ? text.slice(pos) : text.slice(pos, nl + 1);
      if (partial) partial.line += piece;
      else partial = { time, line: piece };
      if (nl < 0) break;
      out.push(partial);
      partial = undefined;
      pos = nl + 1;
    }
  }
  if (partial) out.push(partial);
  return out;
}

/** Go's time.RFC3339Nano of a UTC instant: `2024-01-08T00:00:05.1Z`, `2024-01-08T00:00:05Z`. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_, f: string) => (f ? `.${f}Z` : "Z"));
}

/** The records to send, after tail and since (limitBytes applies to the rendered bytes). */
export function selectRecords(records: LogRecord[], opts: LogOptions): LogRecord[] {
  let out = records;
  if (opts.tail !== undefined && opts.tail >= 0) out = opts.tail === 0 ? [] : out.slice(-opts.tail);
  if (opts.since !== undefined) out = out.filter((r) => r.time >= opts.since!);
  return out;
}

/** A line as sent: with its timestamp (moved by `delta` ms, the way the API facade presents times) when asked. */
export function renderRecord(r: LogRecord, timestamps: boolean | undefined, delta = 0): string {
  return timestamps ? `${rfc3339Nano(r.time + delta)} ${r.line}` : r.line;
}

/** ReadLogs for a finished read: the selected lines rendered and cut at limitBytes. */
export function readLogs(c: Pick<ContainerInstance, "log" | "logTimes" | "series">, opts: LogOptions): string {
  const text = selectRecords(logRecords(c), opts).map((r) => renderRecord(r, opts.timestamps)).join("");
  return opts.limitBytes !== undefined ? truncateBytes(text, opts.limitBytes) : text;
}

/** The first `limit` bytes of a UTF-8 text (a character cut in the middle is dropped). */
export function truncateBytes(text: string, limit: number): string {
  const b = Buffer.from(text, "utf8");
  if (b.length <= limit) return text;
  return b.subarray(0, limit).toString("utf8").replace(/\uFFFD$/, "");
}
