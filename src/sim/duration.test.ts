import { test } from "node:test";
import assert from "node:assert/strict";
import { goDuration, parseDuration } from "./duration.ts";

test("the contract's duration forms", () => {
  const cases: Array<[string, number]> = [
    ["1 second", 1000], ["30 seconds", 30_000], ["1 minute", 60_000], ["5 minutes", 300_000], ["2 hours", 7_200_000],
    ["1 minute 30 seconds", 90_000], ["30s", 30_000], ["2m", 120_000], ["1h30m", 5_400_000], ["1m30s", 90_000],
    ["10초", 10_000], ["1분 30초", 90_000], ["2시간", 7_200_000],
    ["1 day", 86_400_000], ["10000 days", 864_000_000_000], ["2d3h", 183_600_000], ["3일", 259_200_000],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test("anything else is an error, never zero", () => {
  for (const bad of ["", "soon", "30", "1.5 minutes", "30 secs", "1m 1m", "-5s", "1 minute and 30 seconds", "1분 1m"]) {
    assert.throws(() => parseDuration(bad), /invalid duration/, bad);
  }
});

test("Go's Duration.String for back-off messages", () => {
  assert.equal(goDuration(10_000), "10s");
  assert.equal(goDuration(80_000), "1m20s");
  assert.equal(goDuration(160_000), "2m40s");
  assert.equal(goDuration(300_000), "5m0s");
  assert.equal(goDuration(3_600_000), "1h0m0s");
  assert.equal(goDuration(1_200), "1.2s");
  assert.equal(goDuration(0), "0s");
});
