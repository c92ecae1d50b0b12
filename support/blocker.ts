/**
 * Which scenarios a live run skips: matches each step of a scenario against the step expressions
 * and the live mode they were registered with (`STEP_MODES`, support/define.ts), before the
 * scenario runs, so nothing is created on the cluster for a scenario that cannot finish there.
 */
import { CucumberExpression, ParameterType, ParameterTypeRegistry } from "@cucumber/cucumber-expressions";
import { DURATION_PATTERN } from "../src/sim/duration.ts";
import { STEP_MODES, type LiveMode } from "./define.ts";
import { PHASE_REGEXP } from "./patterns.ts";

let compiled: Array<[CucumberExpression, LiveMode]> | undefined;

/** Why a scenario cannot run against this target (facade or not), or undefined when it can. */
export function liveBlocker(steps: readonly { text: string }[], tags: readonly string[], facade: boolean): string | undefined {
  if (tags.includes("@sim-only")) return "the scenario is tagged @sim-only";
  if (!compiled) {
    const registry = new ParameterTypeRegistry();
    registry.defineParameterType(new ParameterType("duration", new RegExp(DURATION_PATTERN), null, (s: string) => s, false));
    registry.defineParameterType(new ParameterType("phase", PHASE_REGEXP, null, (s: string) => s, false));
    compiled = [...STEP_MODES].map(([expression, mode]) => [new CucumberExpression(expression, registry), mode]);
  }
  for (const step of steps) {
    const found = compiled.find(([e]) => e.match(step.text));
    if (!found) continue; // an undefined step: Cucumber reports it
    const mode = found[1];
    if (mode.mode === "both" || (mode.mode === "facade" && facade)) continue;
    return `step "${step.text}" is ${mode.mode === "sim" ? "sim-only" : "facade-only"}: ${mode.reason}`;
  }
  return undefined;
}
