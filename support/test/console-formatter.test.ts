/**
 * What a failed scenario prints on the console (support/console-formatter.mjs): runs the failing
 * fixtures through Cucumber and checks each account stays under 80 lines with its reason in the
 * first lines, while KUBE_SCENARIO_VERBOSE=1 prints everything.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
// @ts-expect-error: plain JavaScript modules without type declarations
import { compactMessage, DETAILS, HEAD_LINES, WHY, WHY_LINES } from "../console-formatter.mjs";
import { DETAILS_MARKER, SUMMARY_LINES, WHY_MARKER } from "../../src/report/explain.ts";
import { ensureBundle } from "../../scripts/bundle-steps.mjs";

test("the formatter cuts at the markers the explanations write", () => {
  assert.equal(WHY, WHY_MARKER);
  assert.equal(DETAILS, DETAILS_MARKER);
  assert.ok(WHY_LINES >= SUMMARY_LINES);
});

test("compactMessage drops stack frames and the details, and caps the message and the summary", () => {
  const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
  const why = Array.from({ length: 30 }, (_, i) => `why ${i}`).join("\n");
  const m = compactMessage(`Error: failed\n${long}\n\n${WHY}\n${why}\n\n${DETAILS}\nthe pod as it stands\n    at KubeWorld.<anonymous> (steps/x.ts:1:2)`);
  assert.equal(m.hasDetails, true);
  assert.equal(m.lines[0], "Error: failed");
  assert.equal(m.lines[HEAD_LINES], `… ${101 - HEAD_LINES} more line(s) of the message in the report`);
  assert.ok(!m.lines.some((l: string) => l.includes("as it stands") || l.includes("    at ")));
  assert.equal(m.lines.length, HEAD_LINES + 1 + 1 + WHY_LINES + 1);
});


test("each failed scenario takes under 80 console lines and says why in its first lines; verbose prints everything", async () => {
  assert.equal(await ensureBundle(), ".cache/bundle/index.mjs");
  {
    const config = "support/test/fixtures/cucumber.mjs";
    const cucumber = (verbose: boolean) =>
      spawnSync(process.execPath, ["node_modules/@cucumber/cucumber/bin/cucumber.js", "--config", config, "support/test/fixtures/failures.feature"], {
        encoding: "utf8",
        env: { ...process.env, FORCE_COLOR: "0", KUBE_SCENARIO_VERBOSE: verbose ? "1" : "0" },
      });
    const r = cucumber(false);
    assert.equal(r.status, 1, r.stderr);
    const blocks = r.stdout.split(/\n(?=\d+\) Scenario: )/).slice(1).map((b) => b.split(/\n\n\d+ scenarios? \(/)[0].trimEnd().split("\n"));
    assert.equal(blocks.length, 4, r.stdout);
    const reasons: Record<string, RegExp> = {
      "A pod that never becomes Ready": /readiness probe failed \d+ time\(s\).*Readiness probe failed: cat: can't open/,
      "A pod no node can take": /not scheduled: Unschedulable: 0\/30 nodes are available: 30 node\(s\) didn't match Pod's node affinity\/selector/,
      "A container that keeps crashing": /container "app" waiting: CrashLoopBackOff: back-off/,
      "A long table that differs": /the output of "kubectl get pods" differs/,
    };
    for (const lines of blocks) {
      const name = Object.keys(reasons).find((n) => lines[0].includes(n));
      assert.ok(name, lines[0]);
      assert.ok(lines.length < 80, `"${name}" takes ${lines.length} lines:\n${lines.join("\n")}`);
      const at = lines.findIndex((l) => reasons[name].test(l));
      assert.ok(at >= 0 && at < 15, `"${name}": the reason is at line ${at + 1}:\n${lines.join("\n")}`);
      assert.match(lines[lines.length - 1], /Full diagnostics .*reports\/cucumber\.html and the Allure report/);
      assert.ok(!lines.some((l) => /apiVersion: v1|kube-scheduler-simulator|NOMINATED NODE|TIME +POD/.test(l)), `"${name}" prints report-only diagnostics`);
    }
    const verbose = cucumber(true);
    // The pods' YAML (report-only above) is printed.
    assert.match(verbose.stdout, /apiVersion: v1\n\s+kind: Pod/);
    assert.match(verbose.stdout, /Attachment \(text\/plain\): \$ kubectl get nodes -o wide/);
    assert.ok(verbose.stdout.split("\n").length > 4 * r.stdout.split("\n").length);
  }
});
