/**
 * What the tables of real programs' behaviour share (testdata/bash52.json from GNU bash 5.2,
 * gnused49.json from GNU sed 4.9, mawk134.json from mawk 1.3.4): running a row in the simulated
 * shell, the tests every table has, and the record-or-compare loop of their scripts/*-record.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import type { ShellProcessOptions } from "./index.ts";
import { harness } from "./testutil.ts";

/** A row as recorded: what the real program printed and its exit code. */
export interface RecordedCase {
  name: string;
  stdout: string;
  stderr: string;
  code: number;
}

/** A run's outcome (the code undefined when it had not ended after a minute of simulated time). */
export interface Outcome {
  stdout: string;
  stderr: string;
  code: number | undefined;
}

/** Runs `argv` in a fresh simulated shell in `/w` (holding `files`) with only `env`, for up to a simulated minute. */
export function simulate(argv: string[], env: Record<string, string>, files: Record<string, string> = {}, opts?: ShellProcessOptions): Outcome {
  const h = harness();
  h.fs.mkdir("/w");
  for (const [name, text] of Object.entries(files)) h.fs.writeFile(`/w/${name}`, text);
  h.io.env = { ...env };
  h.io.cwd = "/w";
  const r = h.run(argv, opts);
  let waited = 0;
  while (r.exit() === undefined && waited < 60_000) {
    h.clock.advance(1000);
    waited += 1000;
  }
  return { stdout: h.stdout(), stderr: h.stderr(), code: r.exit() };
}

const same = (r: Outcome, c: RecordedCase) => r.stdout === c.stdout && r.stderr === c.stderr && r.code === c.code;

export interface TableSpec<C extends RecordedCase> {
  /** The program as the test names say it (`bash 5.2`, `GNU sed 4.9`, `mawk 1.3.4`). */
  program: string;
  cases: C[];
  /** The script that records the table (`scripts/bash-record.ts`). */
  recorder: string;
  /** The row through the simulation. */
  simulated(c: C): Outcome;
  /** The row through the real program on this machine. */
  real(c: C): Outcome;
  /** Why the real program cannot be run here, or false when it can. */
  missing: string | false;
  /** The variable that makes a missing real program a failure (.ci/run sets it: CI is Debian 12). */
  requireEnv: string;
  /** How an assertion names the row (its script or arguments). */
  describe(c: C): string;
}

/**
 * The tests of a recorded table: every row through the simulation prints what the real program
 * printed; no two rows share a name and every row is recorded; and the table is what this
 * machine's real program prints — skipped, visibly, where it is missing, unless `requireEnv` is 1.
 */
export function tableTests<C extends RecordedCase>(t: TableSpec<C>): void {
  for (const c of t.cases) {
    test(`${t.program}: ${c.name}`, () => {
      const r = t.simulated(c);
      assert.deepEqual([r.stdout, r.stderr, r.code], [c.stdout, c.stderr, c.code], t.describe(c));
    });
  }
  test(`the ${t.program} table has no two rows of one name, and every row a recorded result`, () => {
    const names = new Set<string>();
    for (const c of t.cases) {
      assert.ok(!names.has(c.name), `duplicate row ${c.name}`);
      names.add(c.name);
      assert.equal(typeof c.code, "number", `row ${c.name} not recorded (node --import tsx ${t.recorder} --record)`);
    }
  });
  test(`the table is what this machine's ${t.program} prints`, { skip: process.env[t.requireEnv] === "1" ? false : t.missing }, () => {
    if (t.missing) assert.fail(`${t.missing}; ${t.requireEnv}=1 makes its absence a failure`);
    const differ: string[] = [];
    for (const c of t.cases) {
      const r = t.real(c);
      if (!same(r, c)) differ.push(`${c.name}: ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
    }
    assert.deepEqual(differ, []);
  });
}

/**
 * scripts/*-record.ts: compares every row of the table file with the real program (exit 1 on a
 * difference) or, with `--record`, rewrites the recorded outputs (new rows too) and the version.
 */
export function recordTable<C extends RecordedCase>(o: { file: string; versionKey: string; version: string; tool: string; real(c: C): Outcome; describe(c: C): string }): void {
  const record = process.argv.includes("--record");
  const table = JSON.parse(readFileSync(o.file, "utf8")) as { cases: C[] } & Record<string, unknown>;
  let differ = 0;
  for (const c of table.cases) {
    const r = o.real(c);
    if (record) {
      c.stdout = r.stdout;
      c.stderr = r.stderr;
      c.code = r.code ?? -1;
      continue;
    }
    if (!same(r, c)) {
      differ++;
      console.log(`✖ ${c.name}\n  ${o.describe(c)}\n  table: ${JSON.stringify([c.stdout, c.stderr, c.code])}\n  ${o.tool}: ${JSON.stringify([r.stdout, r.stderr, r.code])}`);
    }
  }
  if (record) {
    table[o.versionKey] = o.version;
    writeFileSync(o.file, JSON.stringify(table, null, 1) + "\n");
    console.log(`recorded ${table.cases.length} rows with ${o.version}`);
  } else {
    console.log(`${table.cases.length - differ} of ${table.cases.length} rows as ${o.version} prints them`);
    if (differ) process.exit(1);
  }
}
