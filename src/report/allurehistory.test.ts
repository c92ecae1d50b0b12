import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keepHistory } from "./allurehistory.ts";

test("the previous report's history goes into fresh results, once", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-history-"));
  try {
    const report = join(dir, "allure-report");
    const results = join(dir, "allure-results");
    mkdirSync(results, { recursive: true });
    assert.equal(keepHistory(report, results), 0, "no previous report");
    mkdirSync(join(report, "history"), { recursive: true });
    writeFileSync(join(report, "history", "history-trend.json"), '[{"data":{"passed":3}}]');
    writeFileSync(join(report, "history", "history.json"), "{}");
    assert.equal(keepHistory(report, results), 2);
    assert.equal(readFileSync(join(results, "history", "history-trend.json"), "utf8"), '[{"data":{"passed":3}}]');
    writeFileSync(join(report, "history", "history-trend.json"), '[{"data":{"passed":3}},{"data":{"passed":3}}]');
    assert.equal(keepHistory(report, results), 0, "the same results again");
    assert.equal(readFileSync(join(results, "history", "history-trend.json"), "utf8"), '[{"data":{"passed":3}}]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
