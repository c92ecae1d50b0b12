import { When } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";

When("{duration} pass(es)", function (this: KubeWorld, ms: number) {
  this.cluster.advanceSync(ms);
});
