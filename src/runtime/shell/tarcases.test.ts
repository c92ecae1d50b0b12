/**
 * The tar table (testdata/gnutar134.json, recorded from GNU tar 1.34 by scripts/tar-record.ts): each
 * row's script run by the simulated `bash -c` in a Debian image's shell (whose tar is GNU's) must
 * print what the real tar printed, on stdout and stderr, and exit with its code. Where the machine
 * has GNU tar 1.34 and bash 5.2 (CI's Debian 12 does), the table itself is re-checked against them;
 * where KUBE_SCENARIO_REQUIRE_GNUTAR=1 (.ci/run sets it) their absence is a failure.
 */
import { readFileSync } from "node:fs";
import { BASH_ENV, realBash, realBashVersion } from "./bashtable.ts";
import { simulate, tableTests } from "./casetable.ts";
import { realTarVersion, TAR_TABLE, type TarCase } from "./tartable.ts";

const table = JSON.parse(readFileSync(TAR_TABLE, "utf8")) as { tar: string; cases: TarCase[] };
const tarVersion = realTarVersion();

tableTests({
  program: "GNU tar 1.34",
  cases: table.cases,
  recorder: "scripts/tar-record.ts",
  simulated: (c) => simulate(["bash", "-c", c.script], BASH_ENV, {}, { binSh: "dash" }),
  real: (c) => realBash(c.script),
  missing: tarVersion === "tar (GNU tar) 1.34" && realBashVersion()?.startsWith("GNU bash, version 5.2") ? false : `no GNU tar 1.34 at /usr/bin/tar with bash 5.2 (${tarVersion ?? "none"}): the table is not re-checked here`,
  requireEnv: "KUBE_SCENARIO_REQUIRE_GNUTAR",
  describe: (c) => `script: ${JSON.stringify(c.script)}`,
});
