import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
// @ts-expect-error an ES module without declarations (support/reports-formatter.mjs, checked by its @ts-check)
import ReportsFormatter from "../reports-formatter.mjs";

/**
 * support/reports-formatter.mjs over the real report thread (support/reports-thread.mjs) and
 * Cucumber's own message formatter: envelopes emitted by a stand-in Cucumber, across a run of
 * three test cases, come out in the message stream in the order they were emitted, each as
 * `JSON.stringify` writes it (so the thread was given every one, once, in order), and they reach the
 * thread in one message per test case, one before the first test case and one at the end, instead
 * of one message per envelope.
 */
/** Allure's reporter, by URL (the thread imports it from a temporary folder's point of view). */
const ALLURE = pathToFileURL(createRequire(import.meta.url).resolve("allure-cucumberjs/reporter")).href;

function envelopes(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [{ meta: { protocolVersion: "x", implementation: { name: "stand-in" } } }];
  out.push({ source: { uri: "a.feature", data: "Feature: a — ünïcode", mediaType: "text/x.cucumber.gherkin+plain" } });
  for (let c = 0; c < 3; c++) out.push({ testCase: { id: `tc${c}`, pickleId: `p${c}`, testSteps: [{ id: `s${c}`, pickleStepId: `ps${c}` }] } });
  out.push({ testRunStarted: { timestamp: { seconds: 1, nanos: 0 } } });
  for (let c = 0; c < 3; c++) {
    out.push({ testCaseStarted: { id: `tcs${c}`, testCaseId: `tc${c}`, attempt: 0, timestamp: { seconds: 2, nanos: c } } });
    for (let s = 0; s < 5; s++) {
      out.push({ testStepStarted: { testCaseStartedId: `tcs${c}`, testStepId: `s${c}`, timestamp: { seconds: 3, nanos: s } } });
      out.push({ attachment: { body: `body ${c}.${s} ${"x".repeat(s * 100)}`, contentEncoding: "IDENTITY", mediaType: "text/plain", testStepId: `s${c}` } });
      out.push({ testStepFinished: { testCaseStartedId: `tcs${c}`, testStepId: `s${c}`, testStepResult: { status: "PASSED", duration: { seconds: 0, nanos: s } }, timestamp: { seconds: 4, nanos: s } } });
    }
    out.push({ testCaseFinished: { testCaseStartedId: `tcs${c}`, timestamp: { seconds: 5, nanos: c }, willBeRetried: false } });
  }
  out.push({ testRunFinished: { success: true, timestamp: { seconds: 6, nanos: 0 } } });
  return out;
}

test("the report thread is given every envelope, in order, one message per test case", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-reports-"));
  try {
    const target = join(dir, "messages.ndjson");
    const eventBroadcaster = new EventEmitter();
    const library = { beforeTestCaseHookDefinitions: [], afterTestCaseHookDefinitions: [], beforeTestRunHookDefinitions: [], afterTestRunHookDefinitions: [] };
    const formatter = new ReportsFormatter({
      cwd: dir,
      eventBroadcaster,
      log: () => {},
      cleanup: async () => {},
      supportCodeLibrary: library,
      parsedArgvOptions: { reports: [["message", target]] },
    });
    const posted: unknown[] = [];
    const post = formatter.worker.postMessage.bind(formatter.worker);
    formatter.worker.postMessage = (m: unknown) => {
      posted.push(m);
      post(m);
    };
    const sent = envelopes();
    for (const e of sent) eventBroadcaster.emit("envelope", e);
    await formatter.finished();
    const written = readFileSync(target, "utf8");
    assert.equal(written, sent.map((e) => JSON.stringify(e) + "\n").join(""));
    // Everything up to testRunStarted, then each test case, then testRunFinished; then the end.
    assert.deepEqual(
      posted.map((m) => Object.keys(m as object)[0]),
      ["envelopes", "envelopes", "envelopes", "envelopes", "envelopes", "end"],
    );
    const batches = posted.slice(0, -1).map((m) => (m as { envelopes: unknown[] }).envelopes.length);
    assert.deepEqual(batches, [6, 17, 17, 17, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a BeforeAll hook's error reaches the thread after the envelopes emitted before it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-reports-"));
  try {
    const target = join(dir, "messages.ndjson");
    const eventBroadcaster = new EventEmitter();
    const hook = {
      code() {
        throw new Error("no cluster today");
      },
    };
    const library = { beforeTestCaseHookDefinitions: [], afterTestCaseHookDefinitions: [], beforeTestRunHookDefinitions: [hook], afterTestRunHookDefinitions: [], World: null };
    const formatter = new ReportsFormatter({
      cwd: dir,
      eventBroadcaster,
      log: () => {},
      cleanup: async () => {},
      supportCodeLibrary: library,
      // With Allure among the reports the formatter wraps the run hooks (their errors go to the thread).
      parsedArgvOptions: { reports: [["message", target], [ALLURE, join(dir, "allure.log")]], resultsDir: join(dir, "allure-results") },
    });
    const posted: string[] = [];
    const post = formatter.worker.postMessage.bind(formatter.worker);
    formatter.worker.postMessage = (m: Record<string, unknown>) => {
      posted.push(Object.keys(m)[0]);
      post(m);
    };
    eventBroadcaster.emit("envelope", { testRunStarted: { timestamp: { seconds: 1, nanos: 0 } } });
    eventBroadcaster.emit("envelope", { testRunHookStarted: { id: "h1", hookId: "hook", testRunStartedId: "r", timestamp: { seconds: 1, nanos: 1 } } });
    assert.throws(() => (library.beforeTestRunHookDefinitions[0] as { code: () => void }).code.call({}), /no cluster today/);
    eventBroadcaster.emit("envelope", { testRunFinished: { success: false, timestamp: { seconds: 2, nanos: 0 } } });
    await formatter.finished();
    assert.deepEqual(posted, ["envelopes", "envelopes", "globalError", "envelopes", "end"]);
    assert.equal(readFileSync(target, "utf8").trim().split("\n").length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
