#!/usr/bin/env node
// The long fuzz run: the properties of src/fuzz/fuzz.test.ts with FUZZ_RUNS cases each (default
// 5000; FUZZ_SEED picks the seed, default random so repeated runs explore new inputs). Prints the
// number of cases each property tried and the seed, so a failure can be replayed with FUZZ_SEED.
import { spawnSync } from "node:child_process";

const runs = process.env.FUZZ_RUNS ?? process.argv[2] ?? "5000";
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzz: FUZZ_RUNS=${runs} FUZZ_SEED=${seed}`);
const r = spawnSync(process.execPath, ["--test-reporter=spec", "scripts/unit-tests.mjs", "src/fuzz/"], {
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
  encoding: "utf8",
  maxBuffer: 1 << 28,
});
const out = (r.stdout ?? "") + (r.stderr ?? "");
let total = 0;
for (const m of out.matchAll(/^# fuzz (.+): (\d+) cases$/gm)) {
  console.log(`  ${m[1]}: ${m[2]} cases`);
  total += Number(m[2]);
}
const failed = /^ℹ fail (\d+)/m.exec(out)?.[1] ?? "?";
console.log(`fuzz: ${total} cases tried, ${failed} failing properties (seed ${seed})`);
if (r.status !== 0) {
  console.log(out.split("\n").filter((l) => !/^\s+at /.test(l)).join("\n"));
  process.exit(1);
}
