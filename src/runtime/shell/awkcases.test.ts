/**
 * The mawk table (testdata/mawk134.json, recorded from mawk 1.3.4 by scripts/mawk-record.ts): each row's
 * awk run by the simulated shell in an image whose /bin/sh is dash (so its awk is mawk) must print
 * what mawk printed, on stdout and stderr, and exit with its code. When the machine has mawk 1.3.4 at
 * /usr/bin/awk (CI's Debian 12 does), the table itself is checked against it; where
 * KUBE_SCENARIO_REQUIRE_MAWK=1 (.ci/run sets it) its absence is a failure.
 */
import { readFileSync } from "node:fs";
import { AWK_ENV, AWK_TABLE, realAwk, realAwkVersion, type AwkCase } from "./awktable.ts";
import { simulate, tableTests } from "./casetable.ts";

const table = JSON.parse(readFileSync(AWK_TABLE, "utf8")) as { awk: string; cases: AwkCase[] };
const version = realAwkVersion();

tableTests({
  program: "mawk 1.3.4",
  cases: table.cases,
  recorder: "scripts/mawk-record.ts",
  simulated: (c) => simulate(["awk", ...c.args], AWK_ENV, c.files, { binSh: "dash", stdin: c.stdin }),
  real: (c) => realAwk(c),
  missing: version?.startsWith("mawk 1.3.4") ? false : `no mawk 1.3.4 at /usr/bin/awk (${version ?? "none"}): the table is not re-checked here`,
  requireEnv: "KUBE_SCENARIO_REQUIRE_MAWK",
  describe: (c) => `awk ${JSON.stringify(c.args)}`,
});
