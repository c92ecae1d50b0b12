/**
 * Grading: points per scenario from its tags, totals per exercise, pass marks, and the problems
 * that make a grade unfair (a hidden feature with an undefined, pending or ambiguous step costs
 * every student its points, whatever they submitted).
 *
 * Rules (docs/grading.md):
 * - `@points:N` (a whole number, 1 or more) makes a scenario graded; `@exercise:ID` groups
 *   scenarios into an exercise (without it, the feature file is the exercise).
 * - Tags are inherited as Cucumber inherits them: a Feature's (or Rule's) tag applies to each of
 *   its scenarios; when several levels carry one, the innermost wins (Examples, Scenario, Rule,
 *   Feature).
 * - A Scenario Outline is one scenario per Examples row: `@points:2` on an Outline with three rows
 *   is worth 6 points, 2 per row, each earned on its own.
 * - A scenario earns its points when it passes; failed, skipped, undefined, pending and ambiguous
 *   earn nothing.
 */
import { BROKEN_TEST, tagValue, type RunResult, type ScenarioFailure, type ScenarioStatus } from "./run.ts";

export interface GradedScenario {
  exercise: string;
  feature: string;
  line: number;
  scenario: string;
  status: ScenarioStatus;
  points: number;
  earned: number;
  failure?: ScenarioFailure;
}

export interface ExerciseGrade {
  points: number;
  earned: number;
  scenarios: number;
  passed: number;
}

/** `--pass-mark` as given: `12` (points), `60%`, or per exercise `probes-1=2` / `probes-1=100%`. */
export interface PassMark {
  spec: string;
  exercise?: string;
  value: number;
  percent: boolean;
}

export interface PassMarkResult {
  spec: string;
  /** The exercise it applies to; absent for the total. */
  exercise?: string;
  required: number;
  earned: number;
  points: number;
  met: boolean;
}

export interface Grade {
  /** What graded it. */
  grader: { name: "kube-scenario"; version: string };
  /** The feature paths that were graded (the hidden features). */
  features: string[];
  /** False when the features themselves are broken (see problems): the grade then says nothing about the submission. */
  valid: boolean;
  problems: string[];
  total: number;
  earned: number;
  passMarks: PassMarkResult[];
  /** Every pass mark met and the grade valid. */
  passed: boolean;
  exercises: Record<string, ExerciseGrade>;
  scenarios: GradedScenario[];
}

/** Parses one `--pass-mark` value; throws a clear error on anything else. */
export function parsePassMark(spec: string): PassMark {
  const m = /^(?:(.+)=)?(\d+(?:\.\d+)?)(%?)$/.exec(spec.trim());
  if (!m) throw new Error(`--pass-mark ${JSON.stringify(spec)}: expected points (12), a percentage (60%), or an exercise's (probes-1=2, probes-1=100%)`);
  const value = Number(m[2]);
  if (m[3] && value > 100) throw new Error(`--pass-mark ${JSON.stringify(spec)}: a percentage is at most 100%`);
  return { spec, exercise: m[1]?.trim() || undefined, value, percent: m[3] === "%" };
}

/** The points of a scenario's tags, or an error saying what is wrong with its `@points:` tag. */
export function pointsOf(tags: readonly string[]): { points: number; error?: string } {
  const v = tagValue(tags, "points");
  if (v === undefined) return { points: 0 };
  if (!/^\d+$/.test(v) || Number(v) < 1) return { points: 0, error: `@points:${v} is not a whole number of points (1 or more)` };
  return { points: Number(v) };
}

/** Problems that make grading unfair: Gherkin errors, steps that cannot run, bad points tags, nothing graded. */
export function gradingProblems(run: RunResult): string[] {
  const problems = [...run.parseErrors.map((e) => `cannot parse ${e}`)];
  for (const s of run.scenarios) {
    const where = `${s.failure?.location ?? `${s.uri}:${s.line}`} (${s.name})`;
    if (BROKEN_TEST.has(s.status)) problems.push(`${s.status} step \`${s.failure?.step ?? "?"}\` at ${where}`);
    const { error } = pointsOf(s.tags);
    if (error) problems.push(`${error} at ${s.uri}:${s.line} (${s.name})`);
  }
  if (run.scenarios.length > 0 && !run.scenarios.some((s) => pointsOf(s.tags).points > 0)) problems.push("no scenario has a @points:N tag: nothing is graded");
  if (run.scenarios.length === 0 && run.parseErrors.length === 0) problems.push("no scenario ran: check the feature paths");
  return problems;
}

export function gradeRun(run: RunResult, opts: { features: string[]; passMarks?: PassMark[]; version: string }): Grade {
  const scenarios: GradedScenario[] = run.scenarios.map((s) => {
    const { points } = pointsOf(s.tags);
    const g: GradedScenario = {
      exercise: tagValue(s.tags, "exercise") ?? s.uri,
      feature: s.uri,
      line: s.line,
      scenario: s.name,
      status: s.status,
      points,
      earned: s.status === "passed" ? points : 0,
    };
    if (s.failure) g.failure = s.failure;
    return g;
  });
  scenarios.sort((a, b) => (a.feature === b.feature ? a.line - b.line : a.feature < b.feature ? -1 : 1));
  const exercises: Record<string, ExerciseGrade> = {};
  for (const s of scenarios) {
    if (s.points === 0) continue;
    const e = (exercises[s.exercise] ??= { points: 0, earned: 0, scenarios: 0, passed: 0 });
    e.points += s.points;
    e.earned += s.earned;
    e.scenarios++;
    if (s.status === "passed") e.passed++;
  }
  const total = Object.values(exercises).reduce((a, e) => a + e.points, 0);
  const earned = Object.values(exercises).reduce((a, e) => a + e.earned, 0);
  const problems = gradingProblems(run);
  const marks = opts.passMarks?.length ? opts.passMarks : [{ spec: "100%", value: 100, percent: true }];
  const passMarks = marks.map((m): PassMarkResult => {
    const scope = m.exercise === undefined ? { points: total, earned } : exercises[m.exercise];
    if (!scope) throw new Error(`--pass-mark ${m.spec}: no graded exercise "${m.exercise}" (exercises: ${Object.keys(exercises).join(", ") || "none"})`);
    const required = m.percent ? Math.ceil((scope.points * m.value) / 100 - 1e-9) : m.value;
    const r: PassMarkResult = { spec: m.spec, required, earned: scope.earned, points: scope.points, met: scope.earned >= required };
    return m.exercise === undefined ? r : { ...r, exercise: m.exercise };
  });
  const valid = problems.length === 0;
  return {
    grader: { name: "kube-scenario", version: opts.version },
    features: opts.features,
    valid,
    problems,
    total,
    earned,
    passMarks,
    passed: valid && passMarks.every((m) => m.met),
    exercises,
    scenarios,
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

/** The console's closing table: one row per exercise, the total, the pass marks and the verdict. */
export function scoreTable(grade: Grade): string {
  const ids = Object.keys(grade.exercises).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const w = Math.max(8, ...ids.map((i) => i.length));
  const out: string[] = [];
  const why = new Map<string, string>();
  for (const s of grade.scenarios) if (s.points > 0 && s.status !== "passed" && !why.has(s.exercise)) why.set(s.exercise, `${s.status}: ${s.failure ? `${s.failure.location} ${s.failure.step}` : `${s.feature}:${s.line}`}`);
  out.push(`${pad("exercise", w)}  points  earned  scenarios`);
  for (const id of ids) {
    const e = grade.exercises[id];
    const mark = e.earned === e.points ? "" : `   ${why.get(id) ?? ""}`;
    out.push(`${pad(id, w)}  ${lpad(String(e.points), 6)}  ${lpad(String(e.earned), 6)}  ${lpad(`${e.passed}/${e.scenarios}`, 9)}${mark}`);
  }
  out.push(`${pad("total", w)}  ${lpad(String(grade.total), 6)}  ${lpad(String(grade.earned), 6)}`);
  for (const p of grade.passMarks) out.push(`pass mark ${p.spec}${p.exercise ? "" : " (total)"}: ${p.required} of ${p.points} point(s) needed, ${p.earned} earned: ${p.met ? "met" : "NOT met"}`);
  if (!grade.valid) {
    out.push("", "The graded features are broken, so this grade says nothing about the submission:");
    for (const p of grade.problems) out.push(`  ${p}`);
  }
  const pct = grade.total ? Math.round((grade.earned / grade.total) * 1000) / 10 : 0;
  out.push(`grade: ${grade.earned}/${grade.total} points (${pct}%), ${!grade.valid ? "INVALID (the graded features are broken)" : grade.passed ? "passed" : "below the pass mark"}`);
  return out.join("\n");
}
