/**
 * How a blocking kubectl client waits in the simulation: simulated time runs forward, timer by
 * timer, until the condition holds (as kubectl's watch would notice at that instant) or a
 * simulated timeout passes.
 */
import type { KubectlContext } from "../command.ts";

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
