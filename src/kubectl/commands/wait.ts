/**
 * How a blocking kubectl client waits in the simulation: simulated time runs forward, timer by
 * timer, until the condition holds (as kubectl's watch would notice at that instant) or a
 * simulated timeout passes.
 */
import { KubectlError, type KubectlContext } from "../command.ts";

/** A --timeout flag value as Go's time.ParseDuration reads it (`30s`, `5m`, `1h30m`, `500ms`). */
export function parseGoDuration(text: string, flag = "timeout"): number {
  if (/^0+$/.test(text)) return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
    consumed += m[0].length;
  }
  if (consumed !== text.length || text.length === 0) {
    throw new KubectlError(`Error: invalid argument ${JSON.stringify(text)} for "--${flag}" flag: time: invalid duration ${JSON.stringify(text)}`, 1, true);
  }
  return total;
}

export function waitUntil(ctx: KubectlContext, done: () => boolean, timeoutMs: number): boolean {
  ctx.clock.settle();
  const deadline = ctx.clock.now() + timeoutMs;
  while (!done()) {
    const remaining = deadline - ctx.clock.now();
    if (remaining <= 0) return false;
    const before = ctx.clock.now();
    if (!ctx.clock.runNext()) {
      ctx.clock.advance(remaining);
      return done();
    }
    if (ctx.clock.now() > deadline) return done();
    if (ctx.clock.now() === before && !done()) {
      // Only same-instant work was pending; let at least a millisecond pass.
      ctx.clock.advance(1);
    }
  }
  return true;
}

/** Whether the object with this uid is gone (deleted, or replaced by a new object of the same name). */
export function goneCheck(ctx: KubectlContext, kind: string, namespace: string | undefined, name: string, uid: string | undefined): () => boolean {
  return () => {
    const o = ctx.api.get(kind, namespace, name);
    return !o || (uid !== undefined && o.metadata.uid !== uid);
  };
}
