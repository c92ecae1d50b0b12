/**
 * The sed table (testdata/gnused49.json, recorded from GNU sed 4.9 by scripts/sed-record.ts): each
 * row's script run by the simulated `bash -c` (with the sed applet) must print what the real sed
 * printed, on stdout and stderr, and exit with its code. Where the machine has GNU sed 4.9 and bash
 * 5.2 (CI's Debian 12 does), the table itself is re-checked against them; where
 * KUBE_SCENARIO_REQUIRE_GNUSED=1 (.ci/run sets it) their absence is a failure.
 */
import { readFileSync } from "node:fs";
import { BASH_ENV, realBash, realBashVersion } from "./bashtable.ts";
import { simulate, tableTests } from "./casetable.ts";
import { realSedVersion, SED_TABLE, type SedCase } from "./sedtable.ts";

const table = JSON.parse(readFileSync(SED_TABLE, "utf8")) as { sed: string; cases: SedCase[] };
const sedVersion = realSedVersion();

tableTests({
  program: "GNU sed 4.9",
  cases: table.cases,
  recorder: "scripts/sed-record.ts",
  simulated: (c) => simulate(["bash", "-c", c.script], BASH_ENV),
  real: (c) => realBash(c.script),
  missing: sedVersion === "sed (GNU sed) 4.9" && realBashVersion()?.startsWith("GNU bash, version 5.2") ? false : `no GNU sed 4.9 at /bin/sed with bash 5.2 (${sedVersion ?? "none"}): the table is not re-checked here`,
  requireEnv: "KUBE_SCENARIO_REQUIRE_GNUSED",
  describe: (c) => `script: ${JSON.stringify(c.script)}`,
});
