/**
 * Checks over traffic (src/assert's convention, expect.ts: each returns undefined or the problem):
 * one request's answer (src/network/traffic.ts `requestAndWait`) and what a client sending a
 * request every interval saw (`runClient`, src/network/client.ts).
 */
import type { TrafficClient } from "../network/client.ts";
import { describeResponse, type Response } from "../network/traffic.ts";
import type { Problem } from "./expect.ts";

export function checkStatus(r: Response, status: number): Problem {
  return r.outcome.ok && r.outcome.status === status ? undefined : `expected status ${status}, but ${describeResponse(r)}`;
}

export function checkBody(r: Response, body: string): Problem {
  return r.outcome.ok && r.outcome.body === body ? undefined : `expected the body ${JSON.stringify(body)}, but ${describeResponse(r)}`;
}

export function checkCounts(c: TrafficClient, successful: number, failed: number): Problem {
  if (c.successful === successful && c.failed === failed) return undefined;
  return `expected ${successful} successful and ${failed} failed requests, but saw\n${c.summary()}`;
}

export function checkFailedBetween(c: TrafficClient, min: number, max: number): Problem {
  return c.failed >= min && c.failed <= max ? undefined : `expected between ${min} and ${max} failed requests, but saw\n${c.summary()}`;
}

/** `50%` of failed requests, within ± `tolerance` percentage points. */
export function checkFailedRate(c: TrafficClient, percent: number, tolerance: number): Problem {
  const total = c.records.length;
  if (total === 0) return "the client sent no requests";
  const rate = (100 * c.failed) / total;
  if (Math.abs(rate - percent) <= tolerance) return undefined;
  return `expected ${percent}% failed requests (± ${tolerance}), but ${rate.toFixed(1)}% failed:\n${c.summary()}`;
}

/** Splits `"pod1, pod-readiness-exec1"` (an empty string is no pod). */
export function nameList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function checkAnsweredBy(c: TrafficClient, pods: string): Problem {
  const want = nameList(pods).sort();
  const got = [...c.answeredBy()].sort();
  if (JSON.stringify(want) === JSON.stringify(got)) return undefined;
  return `expected answers from pods ${want.join(", ") || "(none)"}, but they came from ${got.join(", ") || "no pod"}:\n${c.summary()}`;
}
