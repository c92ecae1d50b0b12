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
import { readFileSync, writeFileSync } from "node:fs";
import { AWK_TABLE, realAwk, realAwkVersion, type AwkCase } from "../src/runtime/shell/awktable.ts";

const record = process.argv.includes("--record");
const version = realAwkVersion();
if (!version?.startsWith("mawk 1.3.4")) {
  console.error(`mawk-record: needs mawk 1.3.4 at /usr/bin/awk (found: ${version ?? "none"})`);
  process.exit(2);
}
const table = JSON.parse(readFileSync(AWK_TABLE, "utf8")) as { about: string; awk: string; cases: AwkCase[] };
let differ = 0;
for (const c of table.cases) {
  const r = realAwk(c);
  if (record) {
    c.stdout = r.stdout;
    c.stderr = r.stderr;
    c.code = r.code;
    continue;
  }
  if (r.stdout !== c.stdout || r.stderr !== c.stderr || r.code !== c.code) {
    differ++;
    console.log(`✖ ${c.name}\n  args:  ${JSON.stringify(c.args)}\n  table: ${JSON.stringify([c.stdout, c.stderr, c.code])}\n  mawk:  ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
  }
}
if (record) {
  table.awk = version;
  writeFileSync(AWK_TABLE, JSON.stringify(table, null, 1) + "\n");
  console.log(`recorded ${table.cases.length} rows with ${version}`);
} else {
  console.log(`${table.cases.length - differ} of ${table.cases.length} rows as ${version} prints them`);
  if (differ) process.exit(1);
}
