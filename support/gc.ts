/**
 * The garbage collector of the Cucumber process: V8's allocation-site pretenuring off (issue #19 §5).
 * A scenario's cluster lives for one scenario, yet V8 came to allocate some of its objects directly
 * in the old generation ("pretenured"); every closed cluster reached from such an object then
 * survived the young generation's collections (a fifth of each collection's objects, copied and
 * promoted) until the next full one. Off, a closed cluster is freed by the first collection after
 * it; a scenario's CPU time fell by about a third (docs/performance.md, branch suite18). Only the
 * collector's timing changes, never what a scenario does. KUBE_SCENARIO_PRETENURING=1 keeps V8's
 * default.
 *
 * V8 keeps a hash of its flags in every code cache it makes and rejects a cache made under other
 * flags. The run's code caches (the step bundle's, scripts/bundle-loader.cjs; Cucumber's modules',
 * support/compile-cache.cjs, in this thread and the report thread) are made at the run's end, so
 * the default is put back first (`restoreDefaultGC`: at this thread's exit, and by the report
 * formatter before it ends the report thread), or every run would find them made under the other
 * flag, compile the bundle anew and write them again (docs/performance.md, branch suite19).
 */
import { setFlagsFromString } from "node:v8";

let done = process.env.KUBE_SCENARIO_PRETENURING === "1";

/** Where support/reports-formatter.mjs (not part of the bundle) finds `restoreDefaultGC`. */
const RESTORE = Symbol.for("kube-scenario.restoreDefaultGC");

let restored = false;
/** V8's default back (pretenuring on), if `scenarioGC` turned it off; once. */
export function restoreDefaultGC(): void {
  if (!done || restored || !flipped) return;
  restored = true;
  setFlagsFromString("--allocation-site-pretenuring");
}
let flipped = false;

/** Called when the run's first cluster is made (after Cucumber's and our start-up, which keep V8's default). */
export function scenarioGC(): void {
  if (done) return;
  done = true;
  flipped = true;
  setFlagsFromString("--no-allocation-site-pretenuring");
  // Before the exit handlers that write the code caches (registered earlier, at load).
  process.prependOnceListener("exit", restoreDefaultGC);
  (globalThis as Record<symbol, unknown>)[RESTORE] = restoreDefaultGC;
}
