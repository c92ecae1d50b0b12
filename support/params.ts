/** Cucumber parameter types of the step contract. */
import { defineParameterType } from "@cucumber/cucumber";
import { DURATION_PATTERN, parseDuration } from "../src/sim/duration.ts";

defineParameterType({
  name: "duration",
  regexp: new RegExp(DURATION_PATTERN),
  transformer: (text: string) => parseDuration(text),
  useForSnippets: false,
});

/** A pod phase, as `{phase}` in steps (defined in steps/pods.steps.ts). */
export const PHASE_REGEXP = /Pending|Running|Succeeded|Failed|Unknown/;
