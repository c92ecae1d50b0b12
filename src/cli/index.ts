/**
 * The `kube-scenario` command: `test`, `grade`, `report`, `init`, `steps`, `serve`, `advance`.
 * Every command answers `--help`. The commands' modules load on demand, so that `test` and
 * `grade` do not load the simulated cluster in this process (Cucumber's loads it).
 */
import { DEFAULT_GRADE_FILE, runFeatures } from "./run.ts";
import { parsePassMark, type PassMark } from "../report/grade.ts";
import { PACKAGE_ROOT, VERSION } from "./package.ts";
import { join } from "node:path";

export const HELP = `kube-scenario ${VERSION}: Cucumber scenarios for Kubernetes, run against a simulated v1.32 cluster

usage: kube-scenario <command> [options]     (kube-scenario <command> --help for its options)

  test [paths] [cucumber options]   run features (features/ by default) and write the reports
  grade <hidden paths> [options]    grade: run the instructor's features, write reports/grade.json,
                                    print the score per exercise, exit by the pass mark
  grade --check <hidden paths>      fail on any undefined, pending or ambiguous step before grading
  report                            build the Allure HTML report from the last run (needs Java)
  init [--lang ko] [dir]            scaffold a course repository
  steps [--out FILE]                the step catalogue of this project (kube-scenario's steps and yours)
  serve [options]                   serve a simulated cluster to kubectl and clients
  advance DURATION                  let simulated time pass on a served cluster
  --version                         print the version`;

export const TEST_HELP = `usage: kube-scenario test [paths] [cucumber-js options]

Runs the features (features/**/*.feature unless paths are given) with kube-scenario's steps and
the project's own (steps/**/*.{js,mjs}), through the project's Cucumber configuration
(cucumber.mjs, e.g. \`export { default } from "kube-scenario/cucumber"\`) or else kube-scenario's
preset. Any cucumber-js option passes through: --tags @smoke, --name "Readiness", --parallel 2,
--shard 1/2, --format summary, --dry-run...

Writes reports/cucumber.html, reports/junit.xml, reports/messages.ndjson and
reports/allure-results/ (\`kube-scenario report\` turns them into HTML). No grade file: grades are
written by \`kube-scenario grade\` only. The last line is \`N passed, N failed\`; the exit code is
Cucumber's (non-zero when a scenario fails or a step is undefined, pending or ambiguous).`;

export const GRADE_HELP = `usage: kube-scenario grade <paths> [--pass-mark N|N%|EXERCISE=N|EXERCISE=N%]... [--out FILE]
                          [--exercises DIR] [--check] [cucumber-js options]

Runs the graded features (typically the instructor's hidden ones: hidden/ or a separate checkout)
and scores them. A scenario tagged @points:N earns N points when it passes; @exercise:ID groups
scenarios into an exercise (default: the feature file). Feature-level tags are inherited; each
Examples row of a Scenario Outline counts as a scenario of its own. (docs/grading.md)

  --pass-mark SPEC  what passes: 12 (points), 60% (of the total), probes-1=2 or probes-1=100%
                    (an exercise's); repeatable, all must be met. Default: every point (100%).
  --out FILE        where to write the grade (default ${DEFAULT_GRADE_FILE}); it is written by this
                    command only, removed before the run and rewritten after it
  --exercises DIR   read the project's exercises/... paths from DIR (a student's submission checked
                    out elsewhere): grading then reads nothing else from the submission
  --check           check the graded features instead of grading: exit 1 on any undefined,
                    pending or ambiguous step, bad @points tag or when nothing is graded;
                    write no grade

The console ends with the score per exercise. Exit code: 0 every pass mark met, 1 below a pass
mark, 2 the graded features are broken (an undefined, pending or ambiguous step, a bad @points
tag: the grade then says nothing about the submission) or a usage error.`;

/** The preset Cucumber configuration (support/preset.mjs), used when the project has none. */
function presetPath(): string {
  return join(PACKAGE_ROOT, "support", "preset.mjs");
}

const wantsHelp = (args: string[]) => args.includes("--help") || args.includes("-h");

function gradeCommand(rest: string[], opts: { preset?: string }): Promise<number> {
  const passMarks: PassMark[] = [];
  let out: string | undefined;
  let exercisesDir: string | undefined;
  let check = false;
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (name: string) => {
      const eq = a.indexOf("=");
      if (a.startsWith(`${name}=`)) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    if (a === "--pass-mark" || a.startsWith("--pass-mark=")) passMarks.push(parsePassMark(value("--pass-mark")));
    else if (a === "--out" || a.startsWith("--out=")) out = value("--out");
    else if (a === "--exercises" || a.startsWith("--exercises=")) exercisesDir = value("--exercises");
    else if (a === "--check") check = true;
    else args.push(a);
  }
  return runFeatures({ mode: check ? "check" : "grade", args, out, passMarks, exercisesDir, preset: opts.preset });
}

export async function main(argv: string[], opts: { preset?: string } = {}): Promise<number> {
  const [cmd, ...rest] = argv;
  const preset = opts.preset ?? presetPath();
  try {
    switch (cmd) {
      case "test":
        if (wantsHelp(rest)) return help(TEST_HELP);
        return await runFeatures({ mode: "test", args: rest, preset });
      case "grade":
        if (wantsHelp(rest)) return help(GRADE_HELP);
        return await gradeCommand(rest, { preset });
      case "report": {
        const { REPORT_HELP, reportCommand } = await import("./report.ts");
        return wantsHelp(rest) ? help(REPORT_HELP) : reportCommand(rest);
      }
      case "init": {
        const { INIT_HELP, initCommand } = await import("./init.ts");
        return wantsHelp(rest) ? help(INIT_HELP) : initCommand(rest);
      }
      case "steps": {
        const { STEPS_HELP, stepsCommand } = await import("./steps.ts");
        return wantsHelp(rest) ? help(STEPS_HELP) : await stepsCommand(rest, { preset });
      }
      case "serve": {
        const { SERVE_HELP, serveCommand } = await import("./serve.ts");
        return wantsHelp(rest) ? help(SERVE_HELP) : await serveCommand(rest);
      }
      case "advance": {
        const { ADVANCE_HELP, advanceCommand } = await import("./serve.ts");
        return wantsHelp(rest) ? help(ADVANCE_HELP) : await advanceCommand(rest);
      }
      case "--version":
      case "-v":
        console.log(VERSION);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        return help(HELP);
      default:
        console.error(`kube-scenario: unknown command ${JSON.stringify(cmd)}\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    console.error(`kube-scenario ${cmd}: ${(err as Error).message}`);
    return 2;
  }
}

function help(text: string): number {
  console.log(text);
  return 0;
}
