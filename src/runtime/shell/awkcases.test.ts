/**
 * The mawk table (testdata/mawk134.json, recorded from mawk 1.3.4 by scripts/mawk-record.ts): each row's
 * awk run by the simulated shell in an image whose /bin/sh is dash (so its awk is mawk) must print
 * what mawk printed, on stdout and stderr, and exit with its code. When the machine has mawk 1.3.4 at
 * /usr/bin/awk (CI's Debian 12 does), the table itself is checked against it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { harness } from "./testutil.ts";
import { AWK_ENV, AWK_TABLE, realAwk, realAwkVersion, type AwkCase } from "./awktable.ts";

const table = JSON.parse(readFileSync(AWK_TABLE, "utf8")) as { awk: string; cases: AwkCase[] };

function simulated(c: AwkCase): { stdout: string; stderr: string; code: number | undefined } {
  const h = harness();
  h.fs.mkdir("/w");
  for (const [name, text] of Object.entries(c.files ?? {})) h.fs.writeFile(`/w/${name}`, text);
  h.io.env = { ...AWK_ENV };
  h.io.cwd = "/w";
  const r = h.run(["awk", ...c.args], { binSh: "dash", stdin: c.stdin });
  let waited = 0;
  while (r.exit() === undefined && waited < 60_000) {
    h.clock.advance(1000);
    waited += 1000;
  }
  return { stdout: h.stdout(), stderr: h.stderr(), code: r.exit() };
}

for (const c of table.cases) {
  test(`mawk 1.3.4: ${c.name}`, () => {
    const r = simulated(c);
    assert.deepEqual([r.stdout, r.stderr, r.code], [c.stdout, c.stderr, c.code], `awk ${JSON.stringify(c.args)}`);
  });
}

test("the table has no two rows of one name, and every row a recorded result", () => {
  const names = new Set<string>();
  for (const c of table.cases) {
    assert.ok(!names.has(c.name), `duplicate row ${c.name}`);
    names.add(c.name);
    assert.equal(typeof c.code, "number", `row ${c.name} not recorded (node --import tsx scripts/mawk-record.ts --record)`);
  }
});

const version = realAwkVersion();
// Skipped, visibly, on a machine without mawk 1.3.4; where KUBE_SCENARIO_REQUIRE_MAWK=1 (.ci/run sets
// it: CI is Debian 12, whose /usr/bin/awk is mawk 1.3.4) the test runs and fails without it.
const MAWK_MISSING = version?.startsWith("mawk 1.3.4") ? false : `no mawk 1.3.4 at /usr/bin/awk (${version ?? "none"}): the table is not re-checked here`;
test("the table is what this machine's mawk 1.3.4 prints", { skip: process.env.KUBE_SCENARIO_REQUIRE_MAWK === "1" ? false : MAWK_MISSING }, () => {
  if (MAWK_MISSING) assert.fail(`${MAWK_MISSING}; KUBE_SCENARIO_REQUIRE_MAWK=1 makes its absence a failure`);
  const differ: string[] = [];
  for (const c of table.cases) {
    const r = realAwk(c);
    if (r.stdout !== c.stdout || r.stderr !== c.stderr || r.code !== c.code) differ.push(`${c.name}: ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
  }
  assert.deepEqual(differ, []);
});
