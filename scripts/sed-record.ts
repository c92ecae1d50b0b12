/**
 * The sed table (src/runtime/shell/testdata/gnused49.json): every row a shell script using sed, with
 * what it prints (stdout, stderr, exit code) through the real GNU sed 4.9 and bash 5.2, which
 * src/runtime/shell/sedcases.test.ts runs through the simulated shell and its sed applet.
 *
 *   node --import tsx scripts/sed-record.ts            compares, exit 1 on a difference
 *   node --import tsx scripts/sed-record.ts --record   rewrites the recorded outputs (new rows too)
 */
import { realBash, realBashVersion } from "../src/runtime/shell/bashtable.ts";
import { recordTable } from "../src/runtime/shell/casetable.ts";
import { realSedVersion, SED_TABLE, type SedCase } from "../src/runtime/shell/sedtable.ts";

const version = realSedVersion();
if (version !== "sed (GNU sed) 4.9" || !realBashVersion()?.startsWith("GNU bash, version 5.2")) {
  console.error(`sed-record: needs GNU sed 4.9 at /bin/sed and bash 5.2 (found: ${version ?? "no sed"})`);
  process.exit(2);
}
recordTable<SedCase>({ file: SED_TABLE, versionKey: "sed", version, tool: "sed", real: (c) => realBash(c.script), describe: (c) => `script: ${JSON.stringify(c.script)}` });
