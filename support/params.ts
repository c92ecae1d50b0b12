/** Cucumber parameter types of the step contract. */
import { defineParameterType } from "@cucumber/cucumber";
import { DURATION_PATTERN, parseDuration } from "../src/sim/duration.ts";

defineParameterType({
  name: "duration",
  regexp: new RegExp(DURATION_PATTERN),
  transformer: (text: string) => parseDuration(text),
  useForSnippets: false,
});
