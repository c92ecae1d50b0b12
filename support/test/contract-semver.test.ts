import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CONTRACT_STEPS } from "../contract.ts";

/** The step contract is the public API (CHANGELOG.md): removing or changing a phrase is a breaking change. */
test("every step of the released contract is still in the contract, or the version is a breaking one", () => {
  const released = JSON.parse(readFileSync(new URL("../contract.released.json", import.meta.url), "utf8")) as { version: string; steps: string[] };
  const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  const [rMajor, rMinor] = released.version.split(".").map(Number);
  const [major, minor] = version.split(".").map(Number);
  // Semantic versioning: a breaking change raises the major version; below 1.0.0 it raises the minor one.
  const breaking = rMajor === 0 ? major > 0 || minor > rMinor : major > rMajor;
  const current = new Set<string>(CONTRACT_STEPS);
  const gone = released.steps.filter((s) => !current.has(s));
  if (!breaking) assert.deepEqual(gone, [], `contract steps removed or changed since ${released.version}: a breaking change, so the next version is ${rMajor === 0 ? `0.${rMinor + 1}.0` : `${rMajor + 1}.0.0`} (package.json), with the change in CHANGELOG.md`);
});
