/**
 * The in-flight limit of kube-apiserver's WithMaxInFlightLimit
 * (staging/src/k8s.io/apiserver/pkg/server/filters/maxinflight.go): at most
 * --max-requests-inflight (400) read-only and --max-mutating-requests-inflight (200) mutating
 * requests are served at once; one more is refused at once with `429 Too many requests, please try
 * again later.` and `Retry-After: 1` (client-go waits that long and retries), instead of queueing
 * without bound. Long-running requests (watch, exec, logs) are not counted. A request counts from
 * its arrival until its answer is written or its connection closes.
 *
 * v1.32 enables API Priority and Fairness in place of this filter; its rejections are the same 429
 * text and Retry-After, but it queues a little first and splits the budget between flow schemas.
 */
import type { ServerResponse } from "node:http";
import { isLongRunning, isMutating, type RequestInfo } from "./requestinfo.ts";

export const DEFAULT_MAX_REQUESTS_IN_FLIGHT = 400;
export const DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT = 200;
export const RETRY_AFTER_SECONDS = "1";

export class MaxInFlightLimit {
  private readOnly = 0;
  private mutating = 0;

  constructor(
    readonly nonMutatingLimit = DEFAULT_MAX_REQUESTS_IN_FLIGHT,
    readonly mutatingLimit = DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT,
  ) {}

  /** Requests now counted (read-only, mutating). */
  get inFlight(): { readOnly: number; mutating: number } {
    return { readOnly: this.readOnly, mutating: this.mutating };
  }

  /**
   * Admits the request (counted until `res` closes) and returns true, or answers 429 and returns
   * false. A limit of 0 means no limit, as upstream.
   */
  admit(info: RequestInfo, res: ServerResponse): boolean {
    if (isLongRunning(info)) return true;
    const mutating = isMutating(info);
    const limit = mutating ? this.mutatingLimit : this.nonMutatingLimit;
    if (limit === 0) return true;
    const current = mutating ? this.mutating : this.readOnly;
    if (current >= limit) {
      // (A body, if any, is read and dropped by Node after the answer.)
      tooManyRequests(res);
      return false;
    }
    if (mutating) this.mutating++;
    else this.readOnly++;
    let released = false;
    res.once("close", () => {
      if (released) return;
      released = true;
      if (mutating) this.mutating--;
      else this.readOnly--;
    });
    return true;
  }
}

/** The answer of tooManyRequests: Go's http.Error text with Retry-After. */
export function tooManyRequests(res: ServerResponse): void {
  const text = "Too many requests, please try again later.\n";
  res.writeHead(429, {
    "Retry-After": RETRY_AFTER_SECONDS,
    "Content-Type": "text/plain; charset=utf-8",
    "X-Content-Type-Options": "nosniff",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
