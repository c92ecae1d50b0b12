/**
 * The bash table (src/runtime/shell/testdata/bash52.json): every row a script with what GNU bash 5.2
 * prints for it (stdout, stderr, exit code), which src/runtime/shell/bashcases.test.ts runs through the
 * simulated shell. This script runs each row through the real /bin/bash:
 *
 *   node --import tsx scripts/bash-record.ts            compares, exit 1 on a difference
 *   node --import tsx scripts/bash-record.ts --record   rewrites the recorded outputs (new rows too)
 *
 * A row is recorded as `bash -c SCRIPT` in a fresh empty directory (its path reads `/w` in the outputs),
 * with only HOME and PATH in the environment (the C locale of a container without LANG).
 */
import { BASH_TABLE, realBash, realBashVersion, type BashCase } from "../src/runtime/shell/bashtable.ts";
import { recordTable } from "../src/runtime/shell/casetable.ts";

const version = realBashVersion();
if (!version?.startsWith("GNU bash, version 5.2")) {
  console.error(`bash-record: needs GNU bash 5.2 at /bin/bash (found: ${version ?? "none"})`);
  process.exit(2);
}
recordTable<BashCase>({ file: BASH_TABLE, versionKey: "bash", version, tool: "bash", real: (c) => realBash(c.script), describe: (c) => `script: ${JSON.stringify(c.script)}` });
