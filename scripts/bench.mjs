#!/usr/bin/env node
// `npm run bench`: runs every bench/*.ts script several times (BENCH_RUNS, default 3), collects the
// `BENCH {json}` figures they print, and writes BENCHMARKS.md with the machine, Node version and,
// per figure, the median with min and max, next to what it is held against.
// `npm run bench -- --smoke` runs each once in its small version (BENCH_SMOKE=1) and writes nothing.
// `npm run bench -- scheduler` runs only the scripts whose name contains "scheduler".
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";

const smoke = process.argv.includes("--smoke");
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const runs = smoke ? 1 : Number(process.env.BENCH_RUNS ?? 3);
const LONG = smoke ? [] : ["scale.ts"];
const scripts = readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && f !== "lib.ts" && !f.endsWith(".test.ts"))
  // scale.ts (5,000 nodes, 30,000 pods) takes most of an hour: only when named (`npm run bench -- scale`).
  .filter((f) => (only.length === 0 ? !LONG.includes(f) : only.some((o) => f.includes(o))))
  .sort();

const loadBefore = os.loadavg()[0];
// Which commit was measured, and whether the work tree had changes (a fresh clone has none).
const git = (...a) => spawnSync("git", a, { encoding: "utf8" });
const commit = git("rev-parse", "--short", "HEAD").stdout.trim() || "unknown";
// (BENCHMARKS.md/.json themselves don't count: an earlier `npm run bench` in the same clone rewrote them.)
const clean = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md", ":!BENCHMARKS.json").stdout.trim() === "";
/** script -> how its rows were measured this time */
const runInfo = new Map();
const figures = new Map(); // name -> {meta, values[]}
let failed = false;
for (const script of scripts) {
  const load0 = os.loadavg()[0];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`bench/${script} run ${i + 1}/${runs}\n`);
    const r = spawnSync(process.execPath, ["--import", "./scripts/ts-loader.mjs", "--expose-gc", `bench/${script}`], {
      encoding: "utf8",
      // Benchmarks run large clusters on purpose: lift the per-advance wall-time budget and timer
      // cap that protect a Cucumber run from runaway scenarios.
      env: { KUBE_SCENARIO_ADVANCE_BUDGET_MS: "0", KUBE_SCENARIO_MAX_TIMERS_PER_ADVANCE: "1000000000", ...process.env, BENCH_SMOKE: smoke ? "1" : "0" },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      failed = true;
      process.stderr.write(`bench/${script} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout.slice(-2000)}\n`);
      break;
    }
    for (const line of r.stdout.split("\n")) {
      if (!line.startsWith("BENCH ")) continue;
      const f = JSON.parse(line.slice(6));
      const e = figures.get(f.name) ?? { meta: { ...f, script }, values: [] };
      e.values.push(f.value);
      figures.set(f.name, e);
    }
  }
  runInfo.set(script, { runs, commit, clean, load: [load0, os.loadavg()[0]].map((l) => Math.round(l * 10) / 10), env: benchEnv() });
}

// Figures of scripts not run this time are kept from the previous BENCHMARKS.json, so that
// `npm run bench -- suite` refreshes one script's rows without dropping the others.
if (!smoke && only.length > 0 && existsSync("BENCHMARKS.json")) {
  const previous = JSON.parse(readFileSync("BENCHMARKS.json", "utf8"));
  for (const [name, e] of Object.entries(previous.figures)) {
    if (!scripts.includes(e.meta.script) && !figures.has(name)) figures.set(name, e);
  }
  for (const [script, info] of Object.entries(previous.scripts ?? {})) if (!runInfo.has(script)) runInfo.set(script, info);
}

/** Size overrides the scripts read (SCALE_*, SIM_MIN, BENCH_*), shown beside each script's runs. */
function benchEnv() {
  return Object.entries(process.env)
    .filter(([k]) => /^(SCALE_|SIM_|BENCH_(?!RUNS|SMOKE))/.test(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(" ");
}

const fmt = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en-US") : String(Math.round(v * 100) / 100));
const rows = [];
for (const [name, { meta, values }] of figures) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const met = meta.aim === undefined ? "" : (meta.better === "higher" ? median >= meta.aim : median <= meta.aim) ? "met" : "not met";
  rows.push(`| ${name} | **${fmt(median)}** ${meta.unit} | ${fmt(sorted[0])} – ${fmt(sorted[sorted.length - 1])} | ${meta.against ?? ""} | ${met} |`);
  console.log(`${name}: ${fmt(median)} ${meta.unit} (min ${fmt(sorted[0])}, max ${fmt(sorted[sorted.length - 1])})${meta.against ? ` — ${meta.against}` : ""}`);
}
if (!smoke) {
  const cpu = os.cpus();
  const md = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (do not edit by hand, except the section \"Measured by hand\" at the end, which it keeps). Each figure is the median of the runs, with min – max.",
    "",
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB memory, ${os.type()} ${os.release()}`,
    `- Node.js ${process.version}; this run: ${runs} run(s) per script, load average ${loadBefore.toFixed(1)} at start and ${os.loadavg()[0].toFixed(1)} at end (other work on the machine slows wall-clock figures)`,
    `- Scripts run this time: ${scripts.map((s) => "`bench/" + s + "`").join(", ")}${only.length ? " (rows of other scripts are kept from their last run)" : ""}`,
    "",
    "How each script's rows were measured (commit, whether the work tree was clean as in a fresh clone, runs, load average before and after, size overrides):",
    "",
    "| script | commit | clean tree | runs | load average | overrides |",
    "| --- | --- | --- | --- | --- | --- |",
    ...[...runInfo].sort().map(([script, i]) => `| \`bench/${script}\` | ${i.commit} | ${i.clean ? "yes" : "no"} | ${i.runs} | ${i.load[0]} → ${i.load[1]} | ${i.env || "none"} |`),
    "",
    "| figure | median | min – max | held against | aim |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
  // Comparisons measured by hand (before/after figures of a change, with the machine's load) are
  // kept: everything from the heading "## Measured by hand" on.
  const previous = existsSync("BENCHMARKS.md") ? readFileSync("BENCHMARKS.md", "utf8") : "";
  const kept = previous.indexOf("\n## Measured by hand");
  writeFileSync("BENCHMARKS.md", kept >= 0 ? `${md}${previous.slice(kept)}` : md);
  writeFileSync("BENCHMARKS.json", JSON.stringify({ runs, scripts: Object.fromEntries([...runInfo].sort()), figures: Object.fromEntries([...figures].sort()) }, null, 1) + "\n");
  console.log("BENCHMARKS.md written.");
}
process.exit(failed ? 1 : 0);
