/**
 * The bash table (testdata/bash52.json, recorded from GNU bash 5.2 by scripts/bash-record.ts): each
 * row's script run by the simulated `bash -c` must print what bash printed, on stdout and stderr, and
 * exit with its code. When the machine has bash 5.2 (CI's Debian does), the table itself is checked
 * against it, so a row cannot drift from what bash does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { harness } from "./testutil.ts";
import { BASH_ENV, BASH_TABLE, realBash, realBashVersion, type BashCase } from "./bashtable.ts";

const table = JSON.parse(readFileSync(BASH_TABLE, "utf8")) as { bash: string; cases: BashCase[] };

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
  test(`bash 5.2: ${c.name}`, () => {
    const r = simulated(c.script);
    assert.deepEqual([r.stdout, r.stderr, r.code], [c.stdout, c.stderr, c.code], `script: ${JSON.stringify(c.script)}`);
  });
}

test("the table has no two rows of one name, and every row a recorded result", () => {
  const names = new Set<string>();
  for (const c of table.cases) {
    assert.ok(!names.has(c.name), `duplicate row ${c.name}`);
    names.add(c.name);
    assert.equal(typeof c.code, "number", `row ${c.name} not recorded (node --import tsx scripts/bash-record.ts --record)`);
  }
});

const version = realBashVersion();
// Skipped, visibly, on a machine without bash 5.2; where KUBE_SCENARIO_REQUIRE_BASH52=1 (.ci/run sets
// it: CI is Debian 12, bash 5.2.15) the test runs and fails without it.
const BASH52_MISSING = version?.startsWith("GNU bash, version 5.2") ? false : `no GNU bash 5.2 at /bin/bash (${version ?? "none"}): the table is not re-checked here`;
test("the table is what this machine's bash 5.2 prints", { skip: process.env.KUBE_SCENARIO_REQUIRE_BASH52 === "1" ? false : BASH52_MISSING }, () => {
  if (BASH52_MISSING) assert.fail(`${BASH52_MISSING}; KUBE_SCENARIO_REQUIRE_BASH52=1 makes its absence a failure`);
  const differ: string[] = [];
  for (const c of table.cases) {
    const r = realBash(c.script);
    if (r.stdout !== c.stdout || r.stderr !== c.stderr || r.code !== c.code) differ.push(`${c.name}: ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
  }
  assert.deepEqual(differ, []);
});
