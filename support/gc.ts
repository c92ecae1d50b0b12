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
 * formatter once the report thread is done), or every run would find them made under the other
 * flag, compile the bundle anew and write them again (docs/performance.md, branch suite19).
 *
 * The report thread (support/reports-thread.mjs) compiles Cucumber's formatters and Allure from a
 * cache of its own while the first scenarios run. With the flag changed only at the first cluster,
 * the modules it compiled after the change found their entries (made under the default) rejected,
 * and it made and wrote its whole cache again at the run's end, while Cucumber waited for it. Now
 * the thread turns pretenuring off itself before it compiles any of them (the report formatter asks
 * `reportThreadGC` whether it is to), and the default is put back only after it has written its
 * cache: the thread compiles, and makes its cache, under one set of flags at every run. It does so
 * after its own start (Node's built-in modules, which Node compiles from a code cache of its own,
 * also checked against the flags), and the support code has loaded before, under the default
 * (docs/performance.md, branch suite22).
 */
import { setFlagsFromString } from "node:v8";

/** KUBE_SCENARIO_PRETENURING=1: V8's default throughout. */
const keepDefault = process.env.KUBE_SCENARIO_PRETENURING === "1";
/** Pretenuring turned off in this process (by `scenarioGC`, or by the report thread), so to be put back. */
let off = false;
let setHere = false;
let restored = false;

/** Where support/reports-formatter.mjs (not part of the bundle) finds `restoreDefaultGC` and `reportThreadGC`. */
const RESTORE = Symbol.for("kube-scenario.restoreDefaultGC");
const REPORT_THREAD = Symbol.for("kube-scenario.reportThreadGC");

/** V8's default back (pretenuring on), if it was turned off; once. */
export function restoreDefaultGC(): void {
  if (!off || restored) return;
  restored = true;
  setFlagsFromString("--allocation-site-pretenuring");
}

function turnedOff(): void {
  if (off) return;
  off = true;
  // Before the exit handlers that write the code caches (registered earlier, at load).
  process.prependOnceListener("exit", restoreDefaultGC);
  (globalThis as Record<symbol, unknown>)[RESTORE] = restoreDefaultGC;
}

/** Called when the run's first cluster is made (after Cucumber's and our start-up, which keep V8's default). */
export function scenarioGC(): void {
  if (keepDefault || setHere || restored) return;
  setHere = true;
  turnedOff();
  setFlagsFromString("--no-allocation-site-pretenuring");
}

/**
 * Asked by the report formatter before it starts the report thread: whether the thread is to turn
 * pretenuring off before it compiles its modules (the flag is the process's). If so, the default is
 * put back here, by `restoreDefaultGC`, which the formatter calls once the thread has written its
 * code cache.
 */
export function reportThreadGC(): boolean {
  if (keepDefault || restored) return false;
  turnedOff();
  return true;
}
(globalThis as Record<symbol, unknown>)[REPORT_THREAD] = reportThreadGC;
