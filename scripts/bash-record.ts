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
import { readFileSync, writeFileSync } from "node:fs";
import { BASH_TABLE, realBash, realBashVersion, type BashCase } from "../src/runtime/shell/bashtable.ts";

const record = process.argv.includes("--record");
const version = realBashVersion();
if (!version?.startsWith("GNU bash, version 5.2")) {
  console.error(`bash-record: needs GNU bash 5.2 at /bin/bash (found: ${version ?? "none"})`);
  process.exit(2);
}
const table = JSON.parse(readFileSync(BASH_TABLE, "utf8")) as { about: string; bash: string; cases: BashCase[] };
let differ = 0;
for (const c of table.cases) {
  const r = realBash(c.script);
  if (record) {
    c.stdout = r.stdout;
    c.stderr = r.stderr;
    c.code = r.code;
    continue;
  }
  if (r.stdout !== c.stdout || r.stderr !== c.stderr || r.code !== c.code) {
    differ++;
    console.log(`✖ ${c.name}\n  script: ${JSON.stringify(c.script)}\n  table:  ${JSON.stringify([c.stdout, c.stderr, c.code])}\n  bash:   ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
  }
}
if (record) {
  table.bash = version;
  writeFileSync(BASH_TABLE, JSON.stringify(table, null, 1) + "\n");
  console.log(`recorded ${table.cases.length} rows with ${version}`);
} else {
  console.log(`${table.cases.length - differ} of ${table.cases.length} rows as ${version} prints them`);
  if (differ) process.exit(1);
}
