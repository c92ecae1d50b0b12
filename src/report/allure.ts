/**
 * Puts the finishing touches on the Allure results of a run (reports/allure-results), from what the
 * run did (run.ts) and, when grading, its grade (grade.ts):
 * - status: a scenario that failed is `failed` (Allure's "broken" is kept for tests that cannot
 *   run: an undefined, pending or ambiguous step; allure-cucumberjs would report those as passed,
 *   allure-js #1358/#1353/#1083), so every mistake of a submission lands in one category;
 * - categories.json: "The submission does not do what the exercise asks" (failed) and "The test
 *   cannot run" (broken), replacing Allure's "Product defects" / "Test defects" split;
 * - labels: an exercise's scenarios form one suite named with its points
 *   (`probes-1 — 1/2 points`) under "Exercises"; other scenarios are grouped by feature. A
 *   `@feature:` tag replaces the feature name as the Behaviors feature (instead of listing the
 *   test twice). Points and earned points are also parameters of the test;
 * - a grade summary (the score table) attached to every graded test when grading;
 * - environment.properties: kube-scenario's own version, the project's name and version, Node.js,
 *   Cucumber, the seed, and the grade.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tagValue, type RunResult, type ScenarioResult } from "./run.ts";
import { pointsOf, scoreTable, type Grade } from "./grade.ts";

export const SUBMISSION_CATEGORY = "The submission does not do what the exercise asks";
export const BROKEN_CATEGORY = "The test cannot run (undefined, pending or ambiguous step)";

export const CATEGORIES = [
  { name: SUBMISSION_CATEGORY, matchedStatuses: ["failed"] },
  { name: BROKEN_CATEGORY, matchedStatuses: ["broken"] },
];

interface AllureStep {
  name?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  steps?: AllureStep[];
  attachments?: Array<{ name: string; source: string; type: string }>;
}

interface AllureResult extends AllureStep {
  uuid: string;
  fullName?: string;
  start?: number;
  labels?: Array<{ name: string; value: string }>;
  parameters?: Array<{ name: string; value: string; excluded?: boolean }>;
  titlePath?: string[];
}

/** Scenario results in the order their Allure results are matched: by `uri#name`, then by start. */
function scenarioKey(s: Pick<ScenarioResult, "uri" | "name">): string {
  return `${s.uri}#${s.name}`;
}

/** Failed (a defined step's check did not hold) becomes `failed` down the step tree. */
function markFailed(step: AllureStep): void {
  if (step.status === "broken") step.status = "failed";
  for (const s of step.steps ?? []) markFailed(s);
}

/** Sum of points and earned points per exercise, from the run (as grade.ts counts them). */
function exerciseTotals(run: RunResult): Map<string, { points: number; earned: number }> {
  const totals = new Map<string, { points: number; earned: number }>();
  for (const s of run.scenarios) {
    const { points } = pointsOf(s.tags);
    if (!points) continue;
    const id = tagValue(s.tags, "exercise") ?? s.uri;
    const t = totals.get(id) ?? { points: 0, earned: 0 };
    t.points += points;
    if (s.status === "passed") t.earned += points;
    totals.set(id, t);
  }
  return totals;
}

export function postProcessAllure(dir: string, run: RunResult, opts: { grade?: Grade; environment: Record<string, string> }): void {
  if (!existsSync(dir)) return;
  const files = readdirSync(dir).filter((f) => f.endsWith("-result.json"));
  const results = files.map((f) => ({ f, r: JSON.parse(readFileSync(join(dir, f), "utf8")) as AllureResult }));
  // Match each Allure result to its scenario: same `uri#name`, then in start order.
  const byKey = new Map<string, ScenarioResult[]>();
  for (const s of run.scenarios) byKey.set(scenarioKey(s), [...(byKey.get(scenarioKey(s)) ?? []), s]);
  for (const list of byKey.values()) list.sort((a, b) => a.startedAt - b.startedAt);
  const taken = new Map<string, number>();
  results.sort((a, b) => (a.r.start ?? 0) - (b.r.start ?? 0) || (a.f < b.f ? -1 : 1));
  const totals = exerciseTotals(run);
  let summary: string | undefined;
  if (opts.grade) {
    summary = "grade-summary-attachment.txt";
    writeFileSync(join(dir, summary), scoreTable(opts.grade) + "\n");
  }
  for (const { f, r } of results) {
    const full = String(r.fullName ?? "");
    const key = [...byKey.keys()].find((k) => full === k || full.endsWith(`:${k}`));
    if (!key) continue;
    const i = taken.get(key) ?? 0;
    taken.set(key, i + 1);
    const s = byKey.get(key)?.[i];
    if (!s) continue;
    // Status.
    if (s.status === "failed") markFailed(r);
    if (s.status === "failed" && r.status !== "failed") r.status = "failed";
    if (s.status === "undefined" || s.status === "pending" || s.status === "ambiguous") {
      r.status = "broken";
      r.statusDetails = { message: `This scenario has a step that is ${s.status}${s.failure ? ` (${s.failure.location}: ${s.failure.step})` : ""}: it did not run, so it cannot pass.` };
    }
    // Labels: Behaviors without duplicates, Suites by exercise.
    const labels = (r.labels ?? []).filter((l) => !["parentSuite", "suite", "subSuite"].includes(l.name));
    const featureTags = s.tags.filter((t) => t.startsWith("@feature:")).map((t) => t.slice("@feature:".length));
    const kept = featureTags.length ? labels.filter((l) => l.name !== "feature" || featureTags.includes(l.value)) : labels;
    const { points } = pointsOf(s.tags);
    const featureName = r.titlePath?.[r.titlePath.length - 1] ?? s.uri;
    if (points > 0) {
      const id = tagValue(s.tags, "exercise") ?? s.uri;
      const t = totals.get(id) ?? { points, earned: 0 };
      kept.push({ name: "parentSuite", value: "Exercises" }, { name: "suite", value: `${id} — ${t.earned}/${t.points} points` }, { name: "subSuite", value: featureName });
      const params = (r.parameters ?? []).filter((p) => !["exercise", "points", "earned"].includes(p.name));
      params.push({ name: "exercise", value: id, excluded: true }, { name: "points", value: String(points), excluded: true }, { name: "earned", value: String(s.status === "passed" ? points : 0), excluded: true });
      r.parameters = params;
      if (summary) r.attachments = [...(r.attachments ?? []).filter((a) => a.name !== "grade summary"), { name: "grade summary", source: summary, type: "text/plain" }];
    } else {
      const folder = s.uri.split("/").slice(0, -1).join("/") || ".";
      kept.push({ name: "parentSuite", value: folder }, { name: "suite", value: featureName });
    }
    r.labels = kept;
    writeFileSync(join(dir, f), JSON.stringify(r));
  }
  writeFileSync(join(dir, "categories.json"), JSON.stringify(CATEGORIES, null, 2) + "\n");
  const env = { ...opts.environment };
  if (opts.grade) {
    env.grade = `${opts.grade.earned}/${opts.grade.total} points${opts.grade.valid ? (opts.grade.passed ? " (passed)" : " (below the pass mark)") : " (INVALID: the graded features are broken)"}`;
    for (const [id, e] of Object.entries(opts.grade.exercises)) env[`grade.${id}`] = `${e.earned}/${e.points}`;
  }
  writeFileSync(join(dir, "environment.properties"), Object.entries(env).map(([k, v]) => `${k.replace(/[=:\s]/g, "_")}=${v.replace(/\n/g, " ")}`).join("\n") + "\n");
}
