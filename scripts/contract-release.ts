/**
 * Records the step contract as released (support/contract.released.json), at each release, with
 * the version in package.json. support/test/contract-semver.test.ts then fails on any later change
 * that removes or rewords one of these phrases without a breaking version (CHANGELOG.md).
 *   npm run contract:release
 */
import { readFileSync, writeFileSync } from "node:fs";
import { CONTRACT_STEPS } from "../support/contract.ts";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
const note =
  "The step contract as released in this version (CHANGELOG.md). A phrase missing from support/contract.ts is a breaking change: the next version must be a major one (for 0.x, a minor one). Rewrite this file at each release: npm run contract:release.";
writeFileSync("support/contract.released.json", JSON.stringify({ version, note, steps: [...CONTRACT_STEPS] }, null, 2) + "\n");
console.log(`support/contract.released.json: ${CONTRACT_STEPS.length} contract steps as of ${version}`);
