/**
 * Step definition helpers shared by every steps/*.ts file:
 * - `Given`, `When`, `Then` register a step and, when the phrase catalogue (`phrases.ko.ts`) has
 *   a Korean phrase for it, the same step in Korean, so one definition serves both languages;
 * - `action(...)` defines a When-step that may also be written with a trailing
 *   `and <duration> pass(es)`, as the course phrases its exercises:
 *     When "/tmp/readiness/ready.txt" is touched on node "k8s-node1" and 30 seconds pass
 *   The action runs first, then the simulated clock advances.
 */
import * as cucumber from "@cucumber/cucumber";
import { KO, KO_AND_PASS } from "./phrases.ko.ts";
import type { KubeWorld } from "./world.ts";

type StepFn = (this: KubeWorld, ...args: any[]) => unknown;
type Definer = (expression: string, fn: StepFn) => void;

/** Where each step was written, for the step catalogue (Cucumber would record this file instead). */
export const STEP_LOCATIONS: Map<string, { uri: string; line: number }> = ((globalThis as any).__ksStepLocations ??= new Map());

function callerLocation(depth: number): { uri: string; line: number } | undefined {
  const frame = new Error().stack?.split("\n")[depth] ?? "";
  const m = /\((?:file:\/\/)?([^():]+):(\d+):\d+\)/.exec(frame) ?? /at (?:file:\/\/)?([^():\s]+):(\d+):\d+/.exec(frame);
  return m ? { uri: m[1], line: Number(m[2]) } : undefined;
}

function bilingual(define: Definer): Definer {
  return (expression, fn) => {
    const at = callerLocation(3);
    define(expression, fn);
    if (at) STEP_LOCATIONS.set(expression, at);
    const ko = KO[expression];
    if (ko) {
      define(ko, fn);
      if (at) STEP_LOCATIONS.set(ko, at);
    }
  };
}

export const Given: Definer = bilingual(cucumber.Given as Definer);
export const When: Definer = bilingual(cucumber.When as Definer);
export const Then: Definer = bilingual(cucumber.Then as Definer);

export function action(expression: string, fn: StepFn): void {
  const at = callerLocation(3);
  const withTime = function (this: KubeWorld, ...args: any[]) {
    // Cucumber appends its callback to every step's arguments (user_code_runner), after ours.
    if (typeof args[args.length - 1] === "function") args.pop();
    const ms = args.pop() as number;
    fn.apply(this, args);
    this.cluster.advanceSync(ms);
  };
  Object.defineProperty(withTime, "length", { value: fn.length + 1 });
  const variants: Array<[string, StepFn]> = [
    [expression, fn],
    [`${expression} and {duration} pass(es)`, withTime],
  ];
  const ko = KO[expression];
  if (ko) variants.push([ko, fn], [`${ko}${KO_AND_PASS}`, withTime]);
  for (const [e, f] of variants) {
    cucumber.When(e, f);
    if (at) STEP_LOCATIONS.set(e, at);
  }
}
