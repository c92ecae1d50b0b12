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
  private readonly recorded: RequestRecord[] = [];
  private timer: TimerHandle | undefined;
  private inFlight = 0;
  /** The request, the same every time (the network does not change it). */
  private request: HttpRequestSpec | undefined;
  /** Requests sent since `start` (skipped firings of a dormant interval included once it wakes). */
  private sent = 0;
  /** While the interval is dormant (issue #19, `ClusterNetwork.sleepClient`): its cancel, which wakes it. */
  private dormant: (() => void) | undefined;
  /** A finite client's wake-up before its last firing (which must run for real: it stops the interval). */
  private lastWake: TimerHandle | undefined;

  constructor(
    private readonly ctx: ClusterContext,
    readonly url: string,
    readonly intervalMs: number,
    private readonly opts: RequestOptions & { timeoutMs?: number } = { podNames: true, source: "external" },
  ) {}

  /** Every request so far with what it got (the skipped requests of a dormant client made first). */
  get records(): RequestRecord[] {
    if (this.dormant !== undefined) clusterNetwork(this.ctx).settleClients();
    return this.recorded;
  }

  /** Sends one request now, and then one every interval until `stop()` (or after `count` requests). */
  start(count = Infinity): void {
    this.wake();
    this.sent = 0;
    const fire = () => {
      if (this.sent >= count) return this.stop();
      this.sent++;
      // In tail position but for stop(), which only clears the interval and commutes with the
      // answer's record (it reads neither the record nor inFlight), and for `maybeSleep`, which
      // changes nothing anyone sees.
      this.sendOne(true);
      if (this.sent >= count) this.stop();
      else if (this.timer !== undefined && !this.ctx.reference) this.maybeSleep(count);
    };
    fire();
    if (this.sent < count) this.timer = this.ctx.clock.setInterval(fire, this.intervalMs);
  }

  /**
   * Issue #19 (never on the reference engine): after a request answered at once, the interval
   * may sleep while the network says the next requests would take the same path
   * (`ClusterNetwork.sleepClient`); their records come from the network's replay. A client with
   * a count sleeps only when at least two requests are left, and wakes before its last firing
   * (a timer set now orders before that firing, whose order number is taken later), which then
   * runs for real and stops the interval.
   */
  private maybeSleep(count: number): void {
    const last = this.recorded[this.recorded.length - 1];
    if (last === undefined || last.outcome === WAITING || last.doneAt !== last.sentAt || this.inFlight !== 0) return;
    const left = count - this.sent;
    if (left < 2) return;
    const clock = this.ctx.clock;
    const handle = this.timer!;
    clock.sleep(handle);
    this.sleeping = handle;
    const cancel = clusterNetwork(this.ctx).sleepClient({ url: this.url, opts: this.opts, handle, period: this.intervalMs, record: this.recordReplayed, wake: this.woken });
    if (cancel === undefined) {
      clock.wake(handle);
      return;
    }
    this.dormant = cancel;
    if (left !== Infinity) this.lastWake = clock.setTimeout(() => this.wake(), left * this.intervalMs);
  }

  /** The interval made dormant by the last `maybeSleep`. */
  private sleeping: TimerHandle | undefined;

  /** A skipped request replayed by the network (made once per client: a closure per sleep costs its name under tsx). */
  private readonly recordReplayed = (sentAt: number, outcome: HttpOutcome, pod: string | undefined): void => {
    const r: RequestRecord = { sentAt, doneAt: sentAt, outcome };
    if (pod !== undefined) r.pod = pod;
    this.recorded.push(r);
  };

  /** The network ended the dormancy (after replaying what was due). */
  private readonly woken = (): void => {
    const clock = this.ctx.clock;
    this.dormant = undefined;
    if (this.lastWake !== undefined) clock.clear(this.lastWake);
    this.lastWake = undefined;
    this.sent += clock.wake(this.sleeping!);
  };

  /** Ends a dormant interval (its skipped requests made first); the next firing runs for real. */
  private wake(): void {
    this.dormant?.();
  }

  stop(): void {
    this.wake();
    this.ctx.clock.clear(this.timer);
    this.timer = undefined;
  }

  /** Requests still waiting for an answer. */
  get pending(): number {
    return this.inFlight;
  }

  /** `tail`: the caller's callback does nothing after this returns (see `ClusterNetwork.send`). */
  sendOne(tail = false): void {
    this.wake();
    const record: RequestRecord = { sentAt: this.ctx.clock.now(), doneAt: -1, outcome: WAITING };
    this.recorded.push(record);
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
    for (const r of this.recorded) {
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
