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

const SCENARIOS = SMOKE ? 20 : 200;
const STEPS = 5;

writeFileSync(`${dir}/noop.steps.ts`, `import { Given } from "@cucumber/cucumber";\nGiven("a no-op step {int}", function (_n: number) {});\n`);
const feature = (step: (i: number) => string) =>
  `Feature: bench\n` + Array.from({ length: SCENARIOS }, (_, s) => `  Scenario: s${s}\n` + Array.from({ length: STEPS }, (_, i) => `    Given ${step(i)}\n`).join("")).join("");
writeFileSync(`${dir}/noop/noop.feature`, feature((i) => `a no-op step ${i}`));
// Cheap contract steps: set the seed, let a second pass (the cluster is created lazily, as in real features).
writeFileSync(`${dir}/real/real.feature`, feature((i) => (i % 2 ? "1 second passes" : `the random seed is ${i}`)));

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
// Start-up: loading Cucumber and all our TypeScript, running nothing.
const startup = cucumber(ours, [`${dir}/real/real.feature`], ["--dry-run"]);
const startupNoop = cucumber(noopImports, [`${dir}/noop/noop.feature`], ["--dry-run"]);
const noop = cucumber(noopImports, [`${dir}/noop/noop.feature`]) - startupNoop;
const real = cucumber(ours, [`${dir}/real/real.feature`]) - startup;
const steps = SCENARIOS * STEPS;
report({ name: "suite: Cucumber start-up with our TypeScript loaded (dry run)", value: startup, unit: "ms", better: "lower", against: `no-op project start-up ${Math.round(startupNoop)} ms` });
report({ name: "suite: no-op Cucumber step", value: (noop * 1000) / steps, unit: "µs/step", better: "lower" });
report({ name: "suite: our contract steps (seed, time passes; a cluster per scenario)", value: (real * 1000) / steps, unit: "µs/step", better: "lower", against: "aim: at most 2x the no-op step" });
report({ name: "suite: ratio of our step to a no-op step", value: real / Math.max(1, noop), unit: "x", better: "lower", aim: 2, against: "aim ≤ 2x" });

if (!SMOKE) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["scripts/run-features.mjs", "--format", "summary"], { encoding: "utf8" });
  const ms = performance.now() - t0;
  report({ name: "suite: whole feature pack (npm run test:features, all reports)", value: ms, unit: "ms", better: "lower", aim: 2000, against: `aim < 2 s on 2 cores; ${r.stdout.trim().split("\n").pop()}` });
}
rmSync(dir, { recursive: true, force: true });
