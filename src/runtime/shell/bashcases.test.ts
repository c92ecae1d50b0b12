/**
 * The bash table (testdata/bash52.json, recorded from GNU bash 5.2 by scripts/bash-record.ts): each
 * row's script run by the simulated `bash -c` must print what bash printed, on stdout and stderr, and
 * exit with its code. When the machine has bash 5.2 (CI's Debian does), the table itself is checked
 * against it, so a row cannot drift from what bash does; where KUBE_SCENARIO_REQUIRE_BASH52=1 (.ci/run
 * sets it: CI is Debian 12, bash 5.2.15) a missing bash 5.2 is a failure.
 */
import { readFileSync } from "node:fs";
import { BASH_ENV, BASH_TABLE, realBash, realBashVersion, type BashCase } from "./bashtable.ts";
import { simulate, tableTests } from "./casetable.ts";

const table = JSON.parse(readFileSync(BASH_TABLE, "utf8")) as { bash: string; cases: BashCase[] };
const version = realBashVersion();

tableTests({
  program: "bash 5.2",
  cases: table.cases,
  recorder: "scripts/bash-record.ts",
  simulated: (c) => simulate(["bash", "-c", c.script], BASH_ENV),
  real: (c) => realBash(c.script),
  missing: version?.startsWith("GNU bash, version 5.2") ? false : `no GNU bash 5.2 at /bin/bash (${version ?? "none"}): the table is not re-checked here`,
  requireEnv: "KUBE_SCENARIO_REQUIRE_BASH52",
  describe: (c) => `script: ${JSON.stringify(c.script)}`,
});
