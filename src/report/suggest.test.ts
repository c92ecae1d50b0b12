import { test } from "node:test";
import assert from "node:assert/strict";
import { closest, shapeOfText, suggestUndefined } from "./suggest.ts";

const PHRASES = [
  "pod {string} is {phase}",
  "within {duration} pod {string} becomes Ready",
  "pod {string} stays Ready for {duration}",
  "pod {string} stays {phase} for {duration}",
  "pod {string} never restarts during {duration}",
  "{duration} pass(es)",
];

test("a step text takes the shape of an expression", () => {
  assert.equal(shapeOfText('within 1 minute pod "x" is Running'), "within {duration} pod {string} is Running");
  assert.equal(shapeOfText('pod "a" has restarted 2 times'), "pod {string} has restarted {int} times");
});

test("the closest phrase wins; ties are broken alphabetically", () => {
  assert.deepEqual(closest('within 1 minute the pod "x" becomes ready', PHRASES), ["within {duration} pod {string} becomes Ready"]);
  assert.deepEqual(closest('pod "x" stay Running for 5 minutes', PHRASES), ["pod {string} stays {phase} for {duration}"]);
  assert.deepEqual(closest('pod "x" never restart during 10 minutes', PHRASES), ["pod {string} never restarts during {duration}"]);
  assert.deepEqual(closest('pod "x" is Runing', PHRASES, 2), ["pod {string} is {phase}", "pod {string} stays {phase} for {duration}"]);
});

test("undefined steps in a message stream get one suggestion each", () => {
  const msgs = [
    { stepDefinition: { id: "d1", pattern: { source: "pod {string} is {phase}", type: "CUCUMBER_EXPRESSION" } } },
    { gherkinDocument: { uri: "f.feature", feature: { children: [{ scenario: { steps: [{ id: "a1", keyword: "Then ", text: 'the pod "x" is Running', location: { line: 4 } }] } }] } } },
    { pickle: { id: "p1", uri: "f.feature", steps: [{ id: "s1", text: 'the pod "x" is Running', astNodeIds: ["a1"] }] } },
    { testCase: { id: "c1", pickleId: "p1", testSteps: [{ id: "t1", pickleStepId: "s1", stepDefinitionIds: [] }] } },
    { testStepFinished: { testStepId: "t1", testStepResult: { status: "UNDEFINED" } } },
  ];
  assert.deepEqual(suggestUndefined(msgs.map((m) => JSON.stringify(m)).join("\n")), [
    'Undefined step: `the pod "x" is Running` (f.feature:4) — did you mean `pod {string} is {phase}`?',
  ]);
});
