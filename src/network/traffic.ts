/**
 * Traffic as scenarios describe it (the steps in steps/traffic.steps.ts are one-line glue over
 * this): one request whose answer is awaited on the simulated clock, and clients sending a request
 * every interval for a while. The checks over what they saw are src/assert/traffic.ts.
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
