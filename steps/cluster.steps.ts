import type { DataTable } from "@cucumber/cucumber";
import { Given } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";

Given("a cluster with nodes:", function (this: KubeWorld, table: DataTable) {
  this.cluster.addNodesFromTable(table.hashes());
});

Given("the time is {string}", function (this: KubeWorld, time: string) {
  const ms = Date.parse(time);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(time) || Number.isNaN(ms)) {
    throw new Error(`"${time}" is not an RFC 3339 time such as 2019-09-26T22:07:56Z`);
  }
  if (!this.hasCluster) {
    this.options.startTime = time;
    return;
  }
  const now = this.cluster.clock.now();
  if (ms < now) throw new Error(`the simulated clock is already at ${new Date(now).toISOString()}; time cannot go back to ${time}`);
  this.cluster.advanceSync(ms - now);
});

Given("the random seed is {int}", function (this: KubeWorld, seed: number) {
  if (!this.hasCluster) this.options.seed = seed;
  else this.cluster.reseed(seed);
});

/** For features that show what a bad cluster table reports: records the error instead of failing. */
Given("I try to set up a cluster with nodes:", function (this: KubeWorld, table: DataTable) {
  try {
    this.cluster.addNodesFromTable(table.hashes());
    this.last = { command: "cluster table", stdout: "", stderr: "", exitCode: 0 };
  } catch (e) {
    this.last = { command: "cluster table", stdout: "", stderr: (e as Error).message + "\n", exitCode: 1 };
  }
});
