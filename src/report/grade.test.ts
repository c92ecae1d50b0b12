import { test } from "node:test";
import assert from "node:assert/strict";
import { readRun, tagValue } from "./run.ts";
import { gradeRun, gradingProblems, parsePassMark, pointsOf, scoreTable } from "./grade.ts";

/** A Cucumber message stream: scenarios as [name, tags, step statuses, line, language]. */
function stream(features: Array<{ uri: string; language?: string; scenarios: Array<{ name: string; tags: string[]; steps: Array<[string, string, string?]>; line: number; retried?: boolean }> }>): string {
  const out: unknown[] = [];
  let id = 0;
  const next = () => String(++id);
  for (const f of features) {
    const children: unknown[] = [];
    const pickles: unknown[] = [];
    for (const s of f.scenarios) {
      const scId = next();
      const steps = s.steps.map(([text], i) => ({ id: next(), keyword: i === 0 ? "When " : "Then ", text, location: { line: s.line + 1 + i } }));
      children.push({ scenario: { id: scId, location: { line: s.line }, keyword: "Scenario", name: s.name, steps } });
      pickles.push({ id: next(), uri: f.uri, name: s.name, language: f.language ?? "en", astNodeIds: [scId], tags: s.tags.map((name) => ({ name })), steps: steps.map((st) => ({ id: next(), text: st.text, astNodeIds: [st.id] })), _s: s });
    }
    out.push({ gherkinDocument: { uri: f.uri, feature: { language: f.language ?? "en", children } } });
    for (const p of pickles as any[]) {
      const { _s, ...pickle } = p;
      out.push({ pickle });
      const tcId = next();
      const testSteps = pickle.steps.map((ps: any) => ({ id: next(), pickleStepId: ps.id }));
      out.push({ testCase: { id: tcId, pickleId: pickle.id, testSteps } });
      const attempts = _s.retried ? [true, false] : [false];
      for (const retried of attempts) {
        const startedId = next();
        out.push({ testCaseStarted: { id: startedId, testCaseId: tcId, timestamp: { seconds: 1, nanos: Number(startedId) * 1e6 } } });
        testSteps.forEach((ts: any, i: number) => {
          const [, status, message] = _s.steps[i];
          out.push({ testStepFinished: { testCaseStartedId: startedId, testStepId: ts.id, testStepResult: { status: retried ? "FAILED" : status, message, exception: message ? { type: "Error", message } : undefined } } });
        });
        out.push({ testCaseFinished: { testCaseStartedId: startedId, willBeRetried: retried } });
      }
    }
  }
  return out.map((m) => JSON.stringify(m)).join("\n") + "\n";
}

const course = stream([
  {
    uri: "hidden/probes.feature",
    scenarios: [
      { name: "ready", tags: ["@points:1", "@exercise:probes", "@points:2"], steps: [["I apply", "PASSED"], ["pod is Ready", "PASSED"]], line: 5 },
      { name: "not ready", tags: ["@points:1", "@exercise:probes"], steps: [["I apply", "PASSED"], ['pod "x" is Ready', "FAILED", "expected Ready\n\n--- why ---\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7"]], line: 12 },
    ],
  },
  { uri: "hidden/qos.feature", scenarios: [{ name: "qos row", tags: ["@exercise:qos", "@points:1"], steps: [["x", "PASSED"]], line: 3, retried: true }] },
  { uri: "hidden/free.feature", scenarios: [{ name: "ungraded", tags: [], steps: [["x", "FAILED", "boom"]], line: 2 }] },
]);

test("readRun parses only the kinds it reads: other lines are passed over, a line written another way is parsed", () => {
  const lines = course.trimEnd().split("\n");
  // Lines of kinds readRun does not read, as the message formatter writes them, one not even JSON:
  // never parsed. The read kinds written with spaces, or as JSON with another first key, are parsed.
  const noise = [
    JSON.stringify({ attachment: { body: "x", mediaType: "text/plain" } }),
    JSON.stringify({ source: { uri: "hidden/probes.feature", data: "Feature: …" } }),
    '{"stepDefinition":{"id":"1", this is not JSON',
    JSON.stringify({ testStepStarted: { testCaseStartedId: "x", testStepId: "y" } }),
  ];
  const spaced = lines.map((l) => l.replace(/^\{"(\w+)":/, '{ "$1" :'));
  const mixed = lines.flatMap((l, i) => [...(i % 3 === 0 ? noise : []), i % 2 ? spaced[i] : l]);
  assert.deepEqual(readRun(mixed.join("\n") + "\n"), readRun(course));
  assert.deepEqual(readRun(spaced.join("\n")), readRun(course));
  // A read kind that is broken still fails, as before.
  assert.throws(() => readRun(course + '{"testCaseFinished":{"testCaseStartedId":\n'), SyntaxError);
});

test("the innermost tag wins: Examples over Scenario over Feature", () => {
  assert.equal(tagValue(["@points:1", "@exercise:a", "@points:3"], "points"), "3");
  assert.equal(tagValue(["@x"], "points"), undefined);
  assert.deepEqual(pointsOf(["@points:2"]), { points: 2 });
  assert.match(pointsOf(["@points:two"]).error!, /not a whole number/);
  assert.match(pointsOf(["@points:0"]).error!, /not a whole number/);
});

test("readRun: worst step status, the failing step and the first lines of its message, retries counted once", () => {
  const run = readRun(course);
  assert.equal(run.scenarios.length, 4);
  const failed = run.scenarios.find((s) => s.name === "not ready")!;
  assert.equal(failed.status, "failed");
  assert.equal(failed.failure?.step, 'Then pod "x" is Ready');
  assert.equal(failed.failure?.location, "hidden/probes.feature:14");
  assert.equal(failed.failure?.message.split("\n").length, 7, "six lines and an ellipsis");
  assert.equal(run.scenarios.find((s) => s.name === "qos row")!.status, "passed", "the retried attempt is not counted");
});

test("gradeRun: points per exercise, earned only when passed, the failure kept", () => {
  const g = gradeRun(readRun(course), { features: ["hidden/"], version: "1.2.3" });
  assert.deepEqual(g.exercises, { probes: { points: 3, earned: 2, scenarios: 2, passed: 1 }, qos: { points: 1, earned: 1, scenarios: 1, passed: 1 } });
  assert.equal(g.total, 4);
  assert.equal(g.earned, 3);
  assert.equal(g.valid, true);
  assert.equal(g.passed, false, "the default pass mark is every point");
  const s = g.scenarios.find((x) => x.scenario === "not ready")!;
  assert.equal(s.earned, 0);
  assert.match(s.failure!.message, /^expected Ready/);
  assert.equal(g.scenarios.find((x) => x.scenario === "ungraded")!.points, 0);
  assert.ok(!("ungraded" in g.exercises) && !("hidden/free.feature" in g.exercises), "ungraded scenarios are not an exercise");
});

test("pass marks: points, percentages and per exercise decide `passed`", () => {
  const run = readRun(course);
  const grade = (...specs: string[]) => gradeRun(run, { features: [], version: "0", passMarks: specs.map(parsePassMark) });
  assert.equal(grade("3").passed, true);
  assert.equal(grade("4").passed, false);
  assert.equal(grade("75%").passed, true);
  assert.equal(grade("76%").passed, false);
  assert.equal(grade("qos=100%").passed, true);
  assert.equal(grade("qos=100%", "probes=3").passed, false);
  assert.deepEqual(grade("probes=50%").passMarks[0], { spec: "probes=50%", exercise: "probes", required: 2, earned: 2, points: 3, met: true });
  assert.throws(() => grade("nope=1"), /no graded exercise "nope"/);
  assert.throws(() => parsePassMark("lots"), /expected points/);
  assert.throws(() => parsePassMark("120%"), /at most 100%/);
});

test("an undefined, pending or ambiguous step makes the grade invalid, named with its place", () => {
  const broken = readRun(
    stream([{ uri: "hidden/a.feature", scenarios: [{ name: "typo", tags: ["@points:2"], steps: [["I aply", "UNDEFINED"]], line: 4 }, { name: "wip", tags: ["@points:1"], steps: [["later", "PENDING"]], line: 9 }] }]),
  );
  const problems = gradingProblems(broken);
  assert.deepEqual(problems, ["undefined step `When I aply` at hidden/a.feature:5 (typo)", "pending step `When later` at hidden/a.feature:10 (wip)"]);
  const g = gradeRun(broken, { features: [], version: "0", passMarks: [parsePassMark("0")] });
  assert.equal(g.valid, false);
  assert.equal(g.passed, false, "an invalid grade never passes");
  assert.match(scoreTable(g), /INVALID/);
});

test("nothing graded, or nothing run, is a problem too", () => {
  assert.deepEqual(gradingProblems(readRun(stream([{ uri: "a.feature", scenarios: [{ name: "x", tags: [], steps: [["x", "PASSED"]], line: 1 }] }]))), ["no scenario has a @points:N tag: nothing is graded"]);
  assert.deepEqual(gradingProblems({ scenarios: [], parseErrors: [] }), ["no scenario ran: check the feature paths"]);
});

test("the score table: one row per exercise (natural order), the total, the pass mark and the verdict", () => {
  const table = scoreTable(gradeRun(readRun(course), { features: [], version: "0", passMarks: [parsePassMark("3")] }));
  assert.equal(
    table,
    [
      "exercise  points  earned  scenarios",
      'probes         3       2        1/2   failed: hidden/probes.feature:14 Then pod "x" is Ready',
      "qos            1       1        1/1",
      "total          4       3",
      "pass mark 3 (total): 3 of 4 point(s) needed, 3 earned: met",
      "grade: 3/4 points (75%), passed",
    ].join("\n"),
  );
});
