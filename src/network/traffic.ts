/**
 * Traffic as scenarios describe it (the steps in steps/traffic.steps.ts are one-line glue over
 * this): one request whose answer is awaited on the simulated clock, and clients sending a request
 * every interval for a while, with assertions phrased over what they saw.
 */
import type { ClusterContext } from "../context.ts";
import type { HttpOutcome } from "../runtime/types.ts";
import { parseDuration } from "../sim/duration.ts";
import { TrafficClient } from "./client.ts";
import { clusterNetwork, DEFAULT_HTTP_TIMEOUT_MS } from "./network.ts";

export interface Response {
  url: string;
  outcome: HttpOutcome;
  pod?: string;
  /** Simulated ms the answer took. */
  tookMs: number;
}

/**
 * Sends one GET from inside the cluster and lets simulated time pass until it is answered (at
 * most the client timeout, 10 s): an immediate answer takes no time at all.
 */
export function requestAndWait(ctx: ClusterContext, url: string, timeoutMs = DEFAULT_HTTP_TIMEOUT_MS): Response {
  let got: Response | undefined;
  const start = ctx.clock.now();
  clusterNetwork(ctx).send(
    { method: "GET", url, timeoutMs },
    (d) => (got = { url, outcome: d.outcome, pod: d.pod?.name, tookMs: ctx.clock.now() - start }),
    { podNames: true, source: "external" },
  );
  ctx.clock.settle();
  for (let i = 0; !got && i <= timeoutMs + 1; i++) ctx.clock.advance(1);
  if (!got) throw new Error(`no answer to ${url} within ${timeoutMs} ms of simulated time`);
  return got;
}

/** What the response step prints when an assertion fails. */
export function describeResponse(r: Response): string {
  if (!r.outcome.ok) return `GET ${r.url} failed: ${r.outcome.error}`;
  return `GET ${r.url} → ${r.outcome.status}${r.pod ? ` from pod ${r.pod}` : ""}: ${JSON.stringify(r.outcome.body.length > 200 ? r.outcome.body.slice(0, 200) + "…" : r.outcome.body)}`;
}

export function expectStatus(r: Response, status: number): void {
  if (!r.outcome.ok || r.outcome.status !== status) throw new Error(`expected status ${status}, but ${describeResponse(r)}`);
}

export function expectBody(r: Response, body: string): void {
  if (!r.outcome.ok || r.outcome.body !== body) throw new Error(`expected the body ${JSON.stringify(body)}, but ${describeResponse(r)}`);
}

/**
 * A client sending GET url every `every` for `span` (the first request at once, so "every 1
 * second for 60 seconds" sends 60), while the clock advances by `span`. Requests still
 * unanswered at the end count as failed.
 */
export function runClient(ctx: ClusterContext, url: string, every: number | string, span: number | string): TrafficClient {
  const everyMs = parseDuration(every);
  const spanMs = parseDuration(span);
  if (everyMs <= 0) throw new Error("the client's interval must be longer than 0 seconds");
  const client = new TrafficClient(ctx, url, everyMs, { podNames: true, source: "external" });
  client.start(Math.max(1, Math.ceil(spanMs / everyMs)));
  ctx.clock.advance(spanMs);
  client.finish();
  return client;
}

export function expectCounts(c: TrafficClient, successful: number, failed: number): void {
  if (c.successful !== successful || c.failed !== failed) {
    throw new Error(`expected ${successful} successful and ${failed} failed requests, but saw\n${c.summary()}`);
  }
}

export function expectFailedBetween(c: TrafficClient, min: number, max: number): void {
  if (c.failed < min || c.failed > max) throw new Error(`expected between ${min} and ${max} failed requests, but saw\n${c.summary()}`);
}

/** `50%` of failed requests, within ± `tolerance` percentage points. */
export function expectFailedRate(c: TrafficClient, percent: number, tolerance: number): void {
  const total = c.records.length;
  if (total === 0) throw new Error("the client sent no requests");
  const rate = (100 * c.failed) / total;
  if (Math.abs(rate - percent) > tolerance) {
    throw new Error(`expected ${percent}% failed requests (± ${tolerance}), but ${rate.toFixed(1)}% failed:\n${c.summary()}`);
  }
}

/** Splits `"pod1, pod-readiness-exec1"` (an empty string is no pod). */
export function nameList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function expectAnsweredBy(c: TrafficClient, pods: string): void {
  const want = nameList(pods).sort();
  const got = [...c.answeredBy()].sort();
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    throw new Error(`expected answers from pods ${want.join(", ") || "(none)"}, but they came from ${got.join(", ") || "no pod"}:\n${c.summary()}`);
  }
}
