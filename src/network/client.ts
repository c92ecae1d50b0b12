/**
 * Traffic from inside the cluster, as the course's `while true; do curl ...; sleep 1; done` loop
 * makes it: one request per interval, each counted as successful (a 2xx/3xx answer) or failed (a
 * 4xx/5xx answer, a refused connection, a timeout, an unknown host), with which pod answered.
 */
import type { ClusterContext } from "../context.ts";
import type { HttpOutcome, HttpRequestSpec } from "../runtime/types.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { clusterNetwork, type RequestOptions } from "./network.ts";

export interface RequestRecord {
  /** Simulated ms when the request was sent. */
  sentAt: number;
  /** Simulated ms when the answer (or the error) came; -1 while waiting. */
  doneAt: number;
  outcome: HttpOutcome;
  pod?: string;
}

const WAITING: HttpOutcome = { ok: false, kind: "timeout", error: "no answer yet" };
/** A request still unanswered when the client stopped watching (`finish`). */
export const NO_ANSWER: HttpOutcome = { ok: false, kind: "timeout", error: "no answer before the client stopped" };

export function isSuccess(outcome: HttpOutcome): boolean {
  return outcome.ok && outcome.status >= 200 && outcome.status < 400;
}

/** One line of what the client saw, as curl in the course's loop would show it. */
export function describeOutcome(o: HttpOutcome): string {
  return o.ok ? `${o.status} ${o.body.length > 60 ? o.body.slice(0, 57) + "..." : o.body}`.trim() : o.error;
}

export class TrafficClient {
  readonly records: RequestRecord[] = [];
  private timer: TimerHandle | undefined;
  private inFlight = 0;
  /** The request, the same every time (the network does not change it). */
  private request: HttpRequestSpec | undefined;

  constructor(
    private readonly ctx: ClusterContext,
    readonly url: string,
    readonly intervalMs: number,
    private readonly opts: RequestOptions & { timeoutMs?: number } = { podNames: true, source: "external" },
  ) {}

  /** Sends one request now, and then one every interval until `stop()` (or after `count` requests). */
  start(count = Infinity): void {
    let sent = 0;
    const fire = () => {
      if (sent >= count) return this.stop();
      sent++;
      // In tail position but for stop(), which only clears the interval and commutes with the
      // answer's record (it reads neither the record nor inFlight).
      this.sendOne(true);
      if (sent >= count) this.stop();
    };
    fire();
    if (sent < count) this.timer = this.ctx.clock.setInterval(fire, this.intervalMs);
  }

  stop(): void {
    this.ctx.clock.clear(this.timer);
    this.timer = undefined;
  }

  /** Requests still waiting for an answer. */
  get pending(): number {
    return this.inFlight;
  }

  /** `tail`: the caller's callback does nothing after this returns (see `ClusterNetwork.send`). */
  sendOne(tail = false): void {
    const record: RequestRecord = { sentAt: this.ctx.clock.now(), doneAt: -1, outcome: WAITING };
    this.records.push(record);
    this.inFlight++;
    clusterNetwork(this.ctx).send(
      (this.request ??= { method: "GET", url: this.url, timeoutMs: this.opts.timeoutMs }),
      (d) => {
        if (record.outcome !== WAITING) return;
        this.inFlight--;
        record.doneAt = this.ctx.clock.now();
        record.outcome = d.outcome;
        if (d.pod && d.outcome.ok) record.pod = d.pod.name;
      },
      this.opts,
      tail,
    );
  }

  /** Stops sending; requests still waiting count as failed (no answer while the client watched). */
  finish(): void {
    this.stop();
    for (const r of this.records) {
      if (r.outcome === WAITING) {
        r.outcome = NO_ANSWER;
        r.doneAt = this.ctx.clock.now();
      }
    }
    this.inFlight = 0;
  }

  get successful(): number {
    return this.records.filter((r) => isSuccess(r.outcome)).length;
  }

  get failed(): number {
    return this.records.length - this.successful;
  }

  /** Pods that answered (with any HTTP status), in order of first answer. */
  answeredBy(): string[] {
    const seen: string[] = [];
    for (const r of this.records) if (r.pod && !seen.includes(r.pod)) seen.push(r.pod);
    return seen;
  }

  /** A short account for failure messages: counts, then what was seen, runs of equal answers merged. */
  summary(maxLines = 20): string {
    const lines = [`${this.records.length} requests to ${this.url}: ${this.successful} successful, ${this.failed} failed`];
    const t0 = this.records[0]?.sentAt ?? 0;
    let last = "";
    let from = 0;
    let run = 0;
    const flush = () => {
      if (run) lines.push(`  +${from / 1000}s ${run}x ${last}`);
    };
    for (const r of this.records) {
      const line = `${r.pod ? r.pod + ": " : ""}${describeOutcome(r.outcome)}`;
      if (line === last) run++;
      else {
        flush();
        if (lines.length > maxLines) {
          run = 0;
          lines.push("  ...");
          break;
        }
        last = line;
        from = r.sentAt - t0;
        run = 1;
      }
    }
    flush();
    return lines.join("\n");
  }
}
