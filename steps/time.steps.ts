import { both, simOnly, When } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";

/** Advances the simulated clock; in a live run, advances the facade's clock or really waits on a real cluster. */
When("{duration} pass(es)", both(function (this: KubeWorld, ms: number) {
  return this.backend.pass(ms);
}));

/** For features that show what a runaway span reports: records the refusal instead of failing. */
When("I try to let {duration} pass", simOnly("it shows the simulation's limit on one advance of its clock", function (this: KubeWorld, ms: number) {
  try {
    this.cluster.advanceSync(ms);
    this.last = { command: "time passes", stdout: "", stderr: "", exitCode: 0 };
  } catch (e) {
    this.last = { command: "time passes", stdout: "", stderr: (e as Error).message + "\n", exitCode: 1 };
  }
}));
