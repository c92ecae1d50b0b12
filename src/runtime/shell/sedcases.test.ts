/**
 * The sed table (testdata/gnused49.json, recorded from GNU sed 4.9 by scripts/sed-record.ts): each
 * row's script run by the simulated `bash -c` (with the sed applet) must print what the real sed
 * printed, on stdout and stderr, and exit with its code. Where the machine has GNU sed 4.9 and bash
 * 5.2 (CI's Debian 12 does), the table itself is re-checked against them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { harness } from "./testutil.ts";
import { BASH_ENV, realBash, realBashVersion } from "./bashtable.ts";
import { realSedVersion, SED_TABLE, type SedCase } from "./sedtable.ts";

const table = JSON.parse(readFileSync(SED_TABLE, "utf8")) as { sed: string; cases: SedCase[] };

function simulated(script: string): { stdout: string; stderr: string; code: number | undefined } {
  const h = harness();
  h.fs.mkdir("/w");
  h.io.env = { ...BASH_ENV };
  h.io.cwd = "/w";
  const r = h.run(["bash", "-c", script]);
  let waited = 0;
  while (r.exit() === undefined && waited < 60_000) {
    h.clock.advance(1000);
    waited += 1000;
  }
  return { stdout: h.stdout(), stderr: h.stderr(), code: r.exit() };
}

for (const c of table.cases) {
  test(`GNU sed 4.9: ${c.name}`, () => {
    const r = simulated(c.script);
    assert.deepEqual([r.stdout, r.stderr, r.code], [c.stdout, c.stderr, c.code], `script: ${JSON.stringify(c.script)}`);
  });
}

test("the sed table has no two rows of one name, and every row a recorded result", () => {
  const names = new Set<string>();
  for (const c of table.cases) {
    assert.ok(!names.has(c.name), `duplicate row ${c.name}`);
    names.add(c.name);
    assert.equal(typeof c.code, "number", `row ${c.name} not recorded (node --import tsx scripts/sed-record.ts --record)`);
  }
});

// Skipped, visibly, on a machine without GNU sed 4.9 and bash 5.2; where KUBE_SCENARIO_REQUIRE_GNUSED=1
// (.ci/run sets it: CI is Debian 12) the test runs and fails without them.
const sedVersion = realSedVersion();
const GNUSED_MISSING =
  sedVersion === "sed (GNU sed) 4.9" && realBashVersion()?.startsWith("GNU bash, version 5.2") ? false : `no GNU sed 4.9 at /bin/sed with bash 5.2 (${sedVersion ?? "none"}): the table is not re-checked here`;
test("the sed table is what this machine's GNU sed 4.9 prints", { skip: process.env.KUBE_SCENARIO_REQUIRE_GNUSED === "1" ? false : GNUSED_MISSING }, () => {
  if (GNUSED_MISSING) assert.fail(`${GNUSED_MISSING}; KUBE_SCENARIO_REQUIRE_GNUSED=1 makes its absence a failure`);
  const differ: string[] = [];
  for (const c of table.cases) {
    const r = realBash(c.script);
    if (r.stdout !== c.stdout || r.stderr !== c.stderr || r.code !== c.code) differ.push(`${c.name}: ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
  }
  assert.deepEqual(differ, []);
});
