/**
 * Runs features with Cucumber and reads back what happened: `kube-scenario test`, `grade` and
 * `grade --check` (and the framework's own `npm test`, through scripts/run-features.mjs).
 *
 * Cucumber runs in a child process (its own command line, so every cucumber-js option works)
 * with the project's Cucumber configuration (cucumber.{js,mjs,cjs,json,yaml,yml}) or else
 * kube-scenario's preset. Afterwards the run is read from its message stream
 * (`reports/messages.ndjson`): undefined steps are named with the closest existing phrase, the
 * Allure results get their labels, categories and environment (src/report/allure.ts), and
 * - `test` ends with `N passed, N failed` and Cucumber's exit code; it writes no grade file (and
 *   removes a stale `reports/grade.json`, so reports/ never holds a grade of another run);
 * - `grade` writes the grade file (reports/grade.json unless --out), ends with the score table
 *   and exits 0 when every pass mark is met, 1 when one is not, 2 when the graded features are
 *   broken (an undefined, pending or ambiguous step, a bad @points tag, nothing graded);
 * - `grade --check` writes no grade: it exits 1 when the features have an undefined, pending or
 *   ambiguous step or a bad @points tag, so an instructor finds a typo before students are graded.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { readRun, type RunResult } from "../report/run.ts";
import { gradeRun, gradingProblems, scoreTable, type PassMark } from "../report/grade.ts";
import { postProcessAllure } from "../report/allure.ts";
import { suggestUndefined } from "../report/suggest.ts";
import { cucumberBin, dependencyVersion, PACKAGE_ROOT, VERSION } from "./package.ts";

export const REPORTS = "reports";
export const MESSAGES = "reports/messages.ndjson";
export const ALLURE_RESULTS = "reports/allure-results";
export const DEFAULT_GRADE_FILE = "reports/grade.json";

/** The configuration files Cucumber looks for in the working directory. */
const CUCUMBER_CONFIGS = ["cucumber.js", "cucumber.mjs", "cucumber.cjs", "cucumber.json", "cucumber.yaml", "cucumber.yml"];

export interface RunOptions {
  mode: "test" | "grade" | "check";
  /** Arguments for cucumber-js: feature paths and options. */
  args: string[];
  /** Cucumber configuration to use when the project has none and the arguments name none. */
  preset?: string;
  /** Where `grade` writes the grade (default reports/grade.json). */
  out?: string;
  passMarks?: PassMark[];
  /** Read the project's `exercises/...` paths from this directory (a student's submission). */
  exercisesDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** The feature paths among cucumber-js arguments (what is not an option or an option's value). */
export function featurePaths(args: string[]): string[] {
  const withValue = new Set(["-c", "--config", "-p", "--profile", "-f", "--format", "--format-options", "-i", "--import", "-r", "--require", "-t", "--tags", "--name", "--order", "--parallel", "--retry", "--retry-tag-filter", "--shard", "-l", "--language", "--world-parameters", "--loader", "--require-module", "--plugin", "--plugin-options"]);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (withValue.has(a)) i++;
    else if (!a.startsWith("-")) out.push(a);
  }
  return out;
}

function hasConfig(args: string[], cwd: string): boolean {
  if (args.some((a) => a === "-c" || a === "--config" || a.startsWith("--config="))) return true;
  return CUCUMBER_CONFIGS.some((f) => existsSync(resolve(cwd, f)));
}

function projectEnvironment(cwd: string): Record<string, string> {
  const env: Record<string, string> = { "kube-scenario": VERSION };
  const pj = resolve(cwd, "package.json");
  if (existsSync(pj)) {
    try {
      const p = JSON.parse(readFileSync(pj, "utf8")) as { name?: string; version?: string };
      if (p.name && p.name !== "kube-scenario") env.project = `${p.name}${p.version ? `@${p.version}` : ""}`;
    } catch {
      // A project without a readable package.json is still tested.
    }
  }
  env["Kubernetes.simulated"] = "v1.32";
  env["Node.js"] = process.version;
  env.Cucumber = dependencyVersion("@cucumber/cucumber");
  env.seed = process.env.KUBE_SCENARIO_SEED ?? "1 (default)";
  env["clock.start"] = "2024-01-08T00:00:00Z (unless a scenario sets it)";
  return env;
}

function counts(run: RunResult): string {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const s of run.scenarios) {
    if (s.status === "passed") passed++;
    else if (s.status === "skipped") skipped++;
    else failed++;
  }
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}

/** Where the last run's Allure results wait to be deleted (`reports/.allure-results.old-XXXXXX/`). */
const OLD_RESULTS_PREFIX = ".allure-results.old-";

/**
 * Clears the last run's Allure results (one file per result, container and attachment: ~650 for
 * the course pack, a quarter of a second to unlink on a slow disk) without making the run wait:
 * the directory is renamed out of the way at once, and deleted, with any left by a run that was
 * killed meanwhile, while Cucumber runs. Resolves when they are gone.
 */
function clearAllureResults(): Promise<void> {
  const trash: string[] = [];
  for (const e of readdirSync(REPORTS)) if (e.startsWith(OLD_RESULTS_PREFIX)) trash.push(join(REPORTS, e));
  if (existsSync(ALLURE_RESULTS)) {
    try {
      const dir = mkdtempSync(join(REPORTS, OLD_RESULTS_PREFIX));
      trash.push(dir);
      renameSync(ALLURE_RESULTS, join(dir, "allure-results"));
    } catch {
      // Not movable (a file in it held open elsewhere): deleted now, as before.
      rmSync(ALLURE_RESULTS, { recursive: true, force: true });
    }
  }
  return Promise.all(trash.map((d) => rm(d, { recursive: true, force: true, maxRetries: 2 }).catch(() => undefined))).then(() => undefined);
}

/** Preloaded in Cucumber's process: a code cache for the CommonJS modules of Cucumber's start (support/compile-cache.cjs). */
const COMPILE_CACHE = join(PACKAGE_ROOT, "support", "compile-cache.cjs");

/** Runs cucumber-js in a child process with the terminal; resolves to its exit code (null if it could not start or was killed). */
function runCucumber(args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--require", COMPILE_CACHE, cucumberBin(), ...args], { stdio: "inherit", env });
    child.on("error", (err) => {
      console.error(`could not run cucumber-js: ${err.message}`);
      done(null);
    });
    child.on("close", (code) => done(code));
  });
}

/** Runs the features; resolves to the process exit code. */
export async function runFeatures(o: RunOptions): Promise<number> {
  const cwd = process.cwd();
  mkdirSync(REPORTS, { recursive: true });
  const cleared = clearAllureResults();
  rmSync(MESSAGES, { force: true });
  const out = o.out ?? DEFAULT_GRADE_FILE;
  // A grade file is only ever the grade of the run that wrote it.
  if (o.mode === "grade") rmSync(out, { force: true });
  if (o.mode === "test") rmSync(DEFAULT_GRADE_FILE, { force: true });

  const env = { ...process.env, ...o.env };
  if (o.exercisesDir) {
    const dir = resolve(o.exercisesDir);
    if (!existsSync(dir)) {
      console.error(`--exercises ${o.exercisesDir}: no such directory`);
      return 2;
    }
    env.KUBE_SCENARIO_EXERCISES = dir;
  }
  const args = [...o.args];
  if (o.preset && !hasConfig(args, cwd)) args.unshift("--config", o.preset);
  const status = await runCucumber(args, env);
  await cleared;

  const messages = existsSync(MESSAGES) ? readFileSync(MESSAGES, "utf8") : undefined;
  const run: RunResult = messages !== undefined ? readRun(messages) : { scenarios: [], parseErrors: [] };
  if (messages !== undefined) for (const l of suggestUndefined(messages)) console.log(l);
  const features = featurePaths(o.args);

  if (o.mode === "check") {
    postProcessAllure(ALLURE_RESULTS, run, { environment: projectEnvironment(cwd) });
    const problems = gradingProblems(run);
    console.log(counts(run));
    const failing = run.scenarios.filter((s) => s.status === "failed").length;
    if (failing) console.log(`(${failing} scenario(s) fail against the exercises in this checkout: fine when it holds no solution)`);
    if (problems.length) {
      console.log(`grade --check: ${problems.length} problem(s) would cost students points they cannot earn:`);
      for (const p of problems) console.log(`  ${p}`);
      return 1;
    }
    const graded = run.scenarios.filter((s) => s.tags.some((t) => t.startsWith("@points:"))).length;
    console.log(`grade --check: every step of ${run.scenarios.length} scenario(s) is defined, none pending or ambiguous; ${graded} graded`);
    return 0;
  }

  if (o.mode === "grade") {
    let grade;
    try {
      grade = gradeRun(run, { features, passMarks: o.passMarks, version: VERSION });
    } catch (err) {
      console.error((err as Error).message);
      return 2;
    }
    postProcessAllure(ALLURE_RESULTS, run, { grade, environment: projectEnvironment(cwd) });
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileSync(out, JSON.stringify(grade, null, 2) + "\n");
    console.log(counts(run));
    console.log("");
    console.log(scoreTable(grade));
    console.log(`grade written to ${out}`);
    return !grade.valid ? 2 : grade.passed ? 0 : 1;
  }

  postProcessAllure(ALLURE_RESULTS, run, { environment: projectEnvironment(cwd) });
  console.log(counts(run));
  return status ?? 1;
}
