import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { eventInterval, eventTime } from "./events.ts";

const now = Date.parse("2024-01-08T00:10:00Z");
const ev = (e: Record<string, unknown>) => ({ metadata: { name: "e" }, ...e }) as unknown as KObject;

test("eventInterval: one occurrence, repeats, a series, no time", () => {
  assert.equal(eventInterval(ev({ firstTimestamp: "2024-01-08T00:09:55Z", lastTimestamp: "2024-01-08T00:09:55Z", count: 1 }), now), "5s");
  assert.equal(eventInterval(ev({ firstTimestamp: "2024-01-08T00:08:00Z", lastTimestamp: "2024-01-08T00:09:30Z", count: 4 }), now), "30s (x4 over 2m)");
  assert.equal(
    eventInterval(ev({ eventTime: "2024-01-08T00:05:00.000000Z", series: { count: 3, lastObservedTime: "2024-01-08T00:09:00.000000Z" } }), now),
    "60s (x3 over 5m)",
  );
  assert.equal(eventInterval(ev({}), now), "<unknown>");
});

test("eventTime: the series' last observation, else the last timestamp, else the event time", () => {
  assert.equal(eventTime(ev({ series: { lastObservedTime: "2024-01-08T00:09:00Z" }, lastTimestamp: "2024-01-08T00:01:00Z" })), Date.parse("2024-01-08T00:09:00Z"));
  assert.equal(eventTime(ev({ lastTimestamp: "2024-01-08T00:01:00Z", eventTime: "2024-01-08T00:02:00Z" })), Date.parse("2024-01-08T00:01:00Z"));
  assert.equal(eventTime(ev({ eventTime: "2024-01-08T00:02:00Z" })), Date.parse("2024-01-08T00:02:00Z"));
});
