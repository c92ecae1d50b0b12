/**
 * The simulation's own endpoints on the API facade (no Kubernetes counterpart), at exact paths:
 *   GET  /kube-scenario/v1/now                       the simulated instant
 *   POST /kube-scenario/v1/advance?duration=30s      let simulated time pass (or ?ms=100)
 *   GET  /kube-scenario/v1/reset                     whether the server is resettable (403 if not)
 *   POST /kube-scenario/v1/reset                     a fresh simulated cluster (--resettable only)
 *   GET  /kube-scenario/v1/scheduling/<namespace>    the scheduler's last attempt per pod of the
 *                                                    namespace ({pod: results keyed as
 *                                                    kube-scheduler-simulator's annotations})
 * Any other path under /kube-scenario/ is 404 and another method 405. (The filters in front check
 * their Origin, so a web page cannot post to them.)
 *
 * An advance runs in slices of one simulated second and gives the event loop back between slices
 * once a slice has run for ADVANCE_SLICE_MS of wall time, so other clients are served while a long
 * span passes (they see the cluster as it is at that instant). The slices are the same whatever the
 * wall time, so the simulation's outcome is too. Advances run one after another.
 */
import { performance } from "node:perf_hooks";
import type { IncomingMessage } from "node:http";
import { ApiError } from "../api/errors.ts";
import type { Cluster } from "../cluster.ts";
import { goDuration, parseDuration } from "../sim/duration.ts";
import { RunawayError } from "../sim/clock.ts";

import { schedulerOf } from "../scheduler/scheduler.ts";

export const CONTROL_PREFIX = "/kube-scenario/";
/** Simulated milliseconds advanced at a time. */
export const ADVANCE_CHUNK_MS = 1000;
/** Wall milliseconds of advancing after which other requests get their turn. */
export const ADVANCE_SLICE_MS = 20;

export interface ControlState {
  /** The cluster served now. */
  current(): Cluster;
  /** Replaces the served cluster with a fresh one (--resettable); undefined when not resettable. */
  reset?: () => Cluster;
}

export interface ControlAnswer {
  code: number;
  body: unknown;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ControlEndpoints {
  /** The advance under way (advances queue behind it). */
  private advancing: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: ControlState) {}

  /** Answers a request whose path starts with CONTROL_PREFIX; throws ApiError for refusals. */
  async serve(req: IncomingMessage, path: string, query: URLSearchParams): Promise<ControlAnswer> {
    const method = req.method ?? "GET";
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource (${method} ${path}; allowed: ${methods.join(", ")})`);
    };
    switch (path) {
      case "/kube-scenario/v1/now":
        allow("GET", "HEAD");
        return { code: 200, body: { now: this.state.current().clock.nowRFC3339() } };
      case "/kube-scenario/v1/advance": {
        allow("POST");
        const ms = advanceSpan(query);
        // A span that would fire more timers than one advance may run is the client's mistake (400), refused before it queues.
        checkSpan(this.state.current(), ms);
        const run = this.advancing.then(() => this.advance(ms));
        this.advancing = run.catch(() => undefined);
        await run;
        return { code: 200, body: { now: this.state.current().clock.nowRFC3339() } };
      }
      case "/kube-scenario/v1/reset": {
        allow("GET", "HEAD", "POST");
        if (!this.state.reset) throw new ApiError("Forbidden", "this simulated cluster was not started with --resettable");
        if (method !== "POST") return { code: 200, body: { resettable: true } };
        const fresh = this.state.reset();
        return { code: 200, body: { now: fresh.clock.nowRFC3339() } };
      }
      default: {
        const scheduling = /^\/kube-scenario\/v1\/scheduling\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(path);
        if (scheduling) {
          allow("GET", "HEAD");
          const ctx = this.state.current().ctx;
          const scheduler = schedulerOf(ctx);
          const body: Record<string, Readonly<Record<string, string>>> = {};
          for (const pod of ctx.api.list("Pod", { namespace: scheduling[1] })) {
            const attempt = scheduler?.attemptOf(pod);
            if (attempt) body[pod.metadata.name!] = attempt;
          }
          return { code: 200, body };
        }
        throw new ApiError("NotFound", "the server could not find the requested resource");
      }
    }
  }

  /** Advances the current cluster by `ms` in slices, yielding between them. */
  private async advance(ms: number): Promise<void> {
    const cluster = this.state.current();
    checkSpan(cluster, ms);
    let left = ms;
    let sliceStart = performance.now();
    while (left > 0) {
      if (this.state.current() !== cluster) throw new ApiError("Conflict", "the simulated cluster was reset while time was passing");
      const step = Math.min(ADVANCE_CHUNK_MS, left);
      cluster.advanceSync(step);
      left -= step;
      if (left > 0 && performance.now() - sliceStart >= ADVANCE_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    if (ms === 0) cluster.advanceSync(0);
  }
}

/** The longest span one advance takes: 2562047h, the whole hours of Go's longest time.Duration. */
export const MAX_ADVANCE_MS = 2_562_047 * 3_600_000;

/**
 * `?ms=N` (a number of milliseconds) or `?duration=30s` (default 1s), checked: 400 when malformed
 * or longer than MAX_ADVANCE_MS.
 */
export function advanceSpan(query: URLSearchParams): number {
  const ms = query.get("ms");
  let span: number;
  try {
    if (ms !== null) {
      if (!/^\d+(\.\d+)?$/.test(ms.trim())) throw new Error(`invalid duration: ms=${JSON.stringify(ms)} is not a number of milliseconds`);
      span = parseDuration(Number(ms));
    } else span = parseDuration(query.get("duration") ?? "1s");
  } catch (e) {
    throw new ApiError("BadRequest", (e as Error).message);
  }
  if (span > MAX_ADVANCE_MS) {
    const asked = ms !== null ? `ms=${ms}` : JSON.stringify(query.get("duration"));
    throw new ApiError("BadRequest", `invalid duration: ${asked} is longer than the ${goDuration(MAX_ADVANCE_MS)} one advance may let pass`);
  }
  return span;
}

/** Cluster.checkAdvance's refusal of a span that would fire too many timers, as the client's 400 (it was a 500 "internal error"). */
function checkSpan(cluster: Cluster, ms: number): void {
  try {
    cluster.checkAdvance(ms);
  } catch (e) {
    if (e instanceof RunawayError) throw new ApiError("BadRequest", e.message);
    throw e;
  }
}
