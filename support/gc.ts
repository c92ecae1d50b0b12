/**
 * The garbage collector of the Cucumber process: V8's allocation-site pretenuring off (issue #19 §5).
 * A scenario's cluster lives for one scenario, yet V8 came to allocate some of its objects directly
 * in the old generation ("pretenured"); every closed cluster reached from such an object then
 * survived the young generation's collections (a fifth of each collection's objects, copied and
 * promoted) until the next full one. Off, a closed cluster is freed by the first collection after
 * it; a scenario's CPU time fell by about a third (docs/performance.md, branch suite18). Only the
 * collector's timing changes, never what a scenario does. KUBE_SCENARIO_PRETENURING=1 keeps V8's
 * default.
 */
import { setFlagsFromString } from "node:v8";

let done = process.env.KUBE_SCENARIO_PRETENURING === "1";

/** Called when the run's first cluster is made (after Cucumber's and our start-up, which keep V8's default). */
export function scenarioGC(): void {
  if (done) return;
  done = true;
  setFlagsFromString("--no-allocation-site-pretenuring");
}
