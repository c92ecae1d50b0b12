/**
 * The sed table (src/runtime/shell/testdata/gnused49.json): every row a shell script using sed, with
 * what it prints (stdout, stderr, exit code) through the real GNU sed 4.9 and bash 5.2, which
 * src/runtime/shell/sedcases.test.ts runs through the simulated shell and its sed applet.
 *
 *   node --import tsx scripts/sed-record.ts            compares, exit 1 on a difference
 *   node --import tsx scripts/sed-record.ts --record   rewrites the recorded outputs (new rows too)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { realBash, realBashVersion } from "../src/runtime/shell/bashtable.ts";
import { realSedVersion, SED_TABLE, type SedCase } from "../src/runtime/shell/sedtable.ts";

const record = process.argv.includes("--record");
const version = realSedVersion();
if (version !== "sed (GNU sed) 4.9" || !realBashVersion()?.startsWith("GNU bash, version 5.2")) {
  console.error(`sed-record: needs GNU sed 4.9 at /bin/sed and bash 5.2 (found: ${version ?? "no sed"})`);
  process.exit(2);
}
const table = JSON.parse(readFileSync(SED_TABLE, "utf8")) as { about: string; sed: string; cases: SedCase[] };
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
    console.log(`✖ ${c.name}\n  script: ${JSON.stringify(c.script)}\n  table:  ${JSON.stringify([c.stdout, c.stderr, c.code])}\n  sed:    ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
  }
}
if (record) {
  table.sed = version;
  writeFileSync(SED_TABLE, JSON.stringify(table, null, 1) + "\n");
  console.log(`recorded ${table.cases.length} rows with ${version}`);
} else {
  console.log(`${table.cases.length - differ} of ${table.cases.length} rows as ${version} prints them`);
  if (differ) process.exit(1);
}
