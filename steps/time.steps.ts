import { When } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";

When("{duration} pass(es)", function (this: KubeWorld, ms: number) {
  this.cluster.advanceSync(ms);
});

/** For features that show what a runaway span reports: records the refusal instead of failing. */
When("I try to let {duration} pass", function (this: KubeWorld, ms: number) {
  try {
    this.cluster.advanceSync(ms);
    this.last = { command: "time passes", stdout: "", stderr: "", exitCode: 0 };
  } catch (e) {
    this.last = { command: "time passes", stdout: "", stderr: (e as Error).message + "\n", exitCode: 1 };
  }
});
