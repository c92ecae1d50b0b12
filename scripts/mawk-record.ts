/**
 * The mawk table (src/runtime/shell/testdata/mawk134.json): every row awk's arguments, standard input
 * and files with what mawk 1.3.4 (Debian 12's /usr/bin/awk) prints for them, which
 * src/runtime/shell/awkcases.test.ts runs through the simulated awk. This script runs each row
 * through the real awk:
 *
 *   node --import tsx scripts/mawk-record.ts            compares, exit 1 on a difference
 *   node --import tsx scripts/mawk-record.ts --record   rewrites the recorded outputs (new rows too)
 *
 * A row runs as `awk ARGS` (argv[0] `awk`, as the alternatives link calls it) in a fresh directory
 * holding the row's files (its path reads `/w` in the outputs), with only HOME and PATH set.
 */
import { AWK_TABLE, realAwk, realAwkVersion, type AwkCase } from "../src/runtime/shell/awktable.ts";
import { recordTable } from "../src/runtime/shell/casetable.ts";

const version = realAwkVersion();
if (!version?.startsWith("mawk 1.3.4")) {
  console.error(`mawk-record: needs mawk 1.3.4 at /usr/bin/awk (found: ${version ?? "none"})`);
  process.exit(2);
}
recordTable<AwkCase>({ file: AWK_TABLE, versionKey: "awk", version, tool: "mawk", real: (c) => realAwk(c), describe: (c) => `args: ${JSON.stringify(c.args)}` });
