/**
 * `action(...)` defines a When-step that may also be written with a trailing
 * `and <duration> pass(es)`, as the course phrases its exercises:
 *   When "/tmp/readiness/ready.txt" is touched on node "k8s-node1" and 30 seconds pass
 * The action runs first, then the simulated clock advances.
 */
import { When } from "@cucumber/cucumber";
import type { KubeWorld } from "./world.ts";

type StepFn = (this: KubeWorld, ...args: any[]) => unknown;

/** Where each action step was written (Cucumber would record this file), for the step catalogue. */
export const ACTION_LOCATIONS: Map<string, { uri: string; line: number }> = ((globalThis as any).__ksActionLocations ??= new Map());

export function action(expression: string, fn: StepFn): void {
  const caller = /\((?:file:\/\/)?([^():]+):(\d+):\d+\)/.exec(new Error().stack?.split("\n")[2] ?? "");
  if (caller) {
    const loc = { uri: caller[1], line: Number(caller[2]) };
    ACTION_LOCATIONS.set(expression, loc);
    ACTION_LOCATIONS.set(`${expression} and {duration} pass(es)`, loc);
  }
  When(expression, fn);
  const withTime = function (this: KubeWorld, ...args: any[]) {
    const ms = args.pop() as number;
    fn.apply(this, args);
    this.cluster.advanceSync(ms);
  };
  Object.defineProperty(withTime, "length", { value: fn.length + 1 });
  When(`${expression} and {duration} pass(es)`, withTime);
}
