/**
 * Generates docs/steps.md, the catalogue of every step phrase, from the step definitions
 * themselves (through Cucumber's own loader), with its parameters and where it is defined
 * (src/cli/steps.ts; `kube-scenario steps` makes the same for an installed package).
 *   npm run steps:catalogue   writes docs/steps.md
 *   npm run steps:check       fails when docs/steps.md is not current (CI runs it)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { buildCatalogue } from "../src/cli/steps.ts";

// The catalogue names the TypeScript file and line of every step: cucumber.js must load the
// sources (through tsx, as this script runs), not the cached bundle it loads for feature runs.
process.env.KUBE_SCENARIO_NO_BUNDLE = "1";
const text = await buildCatalogue({ requireKorean: true });
if (process.argv.includes("--check")) {
  const current = existsSync("docs/steps.md") ? readFileSync("docs/steps.md", "utf8") : "";
  if (current !== text) {
    console.error("docs/steps.md is not current: run `npm run steps:catalogue` and commit the result.");
    process.exit(1);
  }
  console.log("docs/steps.md is current.");
} else {
  writeFileSync("docs/steps.md", text);
  console.log(`docs/steps.md written.`);
}
