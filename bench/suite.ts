/**
 * Suite speed: wall time of the feature run split into Cucumber start-up with TypeScript loading
 * and scenarios, and the cost per step of our steps against a no-op Cucumber step measured in the
 * same run (aim: at most 2x), plus the whole feature pack's wall time (aim: under 2 s).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { report, SMOKE } from "./lib.ts";

const dir = "reports/bench-suite";
rmSync(dir, { recursive: true, force: true });
mkdirSync(`${dir}/noop`, { recursive: true });
mkdirSync(`${dir}/real`, { recursive: true });

// Per-step cost is the slope between a small and a large run of the same feature shape, so that
// start-up (which varies by tens of milliseconds between runs) cancels out.
const SIZES = SMOKE ? [20, 120] : [100, 1100];
const STEPS = 5;

writeFileSync(`${dir}/noop.steps.ts`, `import { Given } from "@cucumber/cucumber";\nGiven("a no-op step {int}", function (_n: number) {});\n`);
const feature = (scenarios: number, step: (i: number) => string) =>
  `Feature: bench\n` + Array.from({ length: scenarios }, (_, s) => `  Scenario: s${s}\n` + Array.from({ length: STEPS }, (_, i) => `    Given ${step(i)}\n`).join("")).join("");
for (const n of SIZES) {
  writeFileSync(`${dir}/noop/noop-${n}.feature`, feature(n, (i) => `a no-op step ${i}`));
  // Cheap contract steps: set the seed, let a second pass (a cluster per scenario, created lazily).
  writeFileSync(`${dir}/real/real-${n}.feature`, feature(n, (i) => (i % 2 ? "1 second passes" : `the random seed is ${i}`)));
}

function cucumber(imports: string[], paths: string[], extra: string[] = []): number {
  writeFileSync(`${dir}/cucumber.mjs`, `export default ${JSON.stringify({ import: imports, format: [], strict: true })};\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["node_modules/@cucumber/cucumber/bin/cucumber.js", "--config", `${dir}/cucumber.mjs`, ...extra, ...paths], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`cucumber failed:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

const ours = ["support/register.mjs", "support/*.ts", "steps/**/*.ts"];
const noopImports = ["support/register.mjs", `${dir}/noop.steps.ts`];
const best = (f: () => number) => Math.min(f(), f());
const startup = best(() => cucumber(ours, [`${dir}/real/real-${SIZES[0]}.feature`], ["--dry-run"]));
const startupNoop = best(() => cucumber(noopImports, [`${dir}/noop/noop-${SIZES[0]}.feature`], ["--dry-run"]));
const extraSteps = (SIZES[1] - SIZES[0]) * STEPS;
const noopSlope = (best(() => cucumber(noopImports, [`${dir}/noop/noop-${SIZES[1]}.feature`])) - best(() => cucumber(noopImports, [`${dir}/noop/noop-${SIZES[0]}.feature`]))) / extraSteps;
const realSlope = (best(() => cucumber(ours, [`${dir}/real/real-${SIZES[1]}.feature`])) - best(() => cucumber(ours, [`${dir}/real/real-${SIZES[0]}.feature`]))) / extraSteps;
report({ name: "suite: Cucumber start-up with our TypeScript loaded (dry run)", value: startup, unit: "ms", better: "lower", against: `no-op project start-up ${Math.round(startupNoop)} ms` });
if (noopSlope > 0 && realSlope > 0) {
  report({ name: "suite: no-op Cucumber step", value: noopSlope * 1000, unit: "µs/step", better: "lower" });
  report({ name: "suite: our contract steps (seed, time passes; a cluster per scenario)", value: realSlope * 1000, unit: "µs/step", better: "lower" });
  report({ name: "suite: ratio of our step to a no-op step", value: realSlope / noopSlope, unit: "x", better: "lower", aim: 2, against: "aim ≤ 2x the no-op step" });
} else {
  console.error(`per-step cost not measurable in this run (slopes ${noopSlope.toFixed(4)} and ${realSlope.toFixed(4)} ms/step): machine too noisy`);
}

if (!SMOKE) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["scripts/run-features.mjs", "--format", "summary"], { encoding: "utf8" });
  const ms = performance.now() - t0;
  report({ name: "suite: whole feature pack (npm run test:features, all reports)", value: ms, unit: "ms", better: "lower", aim: 2000, against: `aim < 2 s on 2 cores; ${r.stdout.trim().split("\n").pop()}` });
}
rmSync(dir, { recursive: true, force: true });
