/**
 * Writes src/api/authorization/bootstrappolicy/policy.json, the RBAC default policy's YAML data
 * files (bootstrappolicy/*.yaml, where they come from is said in each) as JSON, which a cluster's
 * start reads (JSON parses in a fraction of YAML's time). Run after editing a YAML file:
 *   node --import tsx scripts/gen-bootstrappolicy.ts           writes policy.json
 *   node --import tsx scripts/gen-bootstrappolicy.ts --check   exits 1 unless it is current
 * src/api/authorization/bootstrappolicy.test.ts checks it too.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parsePolicyFiles, policyJsonText } from "../src/api/authorization/bootstrappolicy.ts";

const file = new URL("../src/api/authorization/bootstrappolicy/policy.json", import.meta.url);
const text = policyJsonText(parsePolicyFiles());
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // missing: not current
  }
  if (current !== text) {
    console.error("src/api/authorization/bootstrappolicy/policy.json is not what the YAML files beside it give: run node --import tsx scripts/gen-bootstrappolicy.ts");
    process.exit(1);
  }
} else writeFileSync(file, text);
