/**
 * The tar table (src/runtime/shell/testdata/gnutar134.json): every row a shell script using tar, with
 * what it prints (stdout, stderr, exit code) through the real GNU tar 1.34 and bash 5.2, which
 * src/runtime/shell/tarcases.test.ts runs through the simulated shell and its tar applet.
 *
 *   node --import tsx scripts/tar-record.ts            compares, exit 1 on a difference
 *   node --import tsx scripts/tar-record.ts --record   rewrites the recorded outputs (new rows too)
 */
import { realBash, realBashVersion } from "../src/runtime/shell/bashtable.ts";
import { recordTable } from "../src/runtime/shell/casetable.ts";
import { realTarVersion, TAR_TABLE, type TarCase } from "../src/runtime/shell/tartable.ts";

const version = realTarVersion();
if (version !== "tar (GNU tar) 1.34" || !realBashVersion()?.startsWith("GNU bash, version 5.2")) {
  console.error(`tar-record: needs GNU tar 1.34 at /usr/bin/tar and bash 5.2 (found: ${version ?? "no tar"})`);
  process.exit(2);
}
recordTable<TarCase>({ file: TAR_TABLE, versionKey: "tar", version, tool: "tar", real: (c) => realBash(c.script), describe: (c) => `script: ${JSON.stringify(c.script)}` });
