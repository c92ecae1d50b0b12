import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSchedule } from "./cron.ts";

const at = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? "none" : new Date(ms).toISOString().replace(".000Z", "Z"));

// Cases in the manner of robfig/cron spec_test.go TestNext.
test("next activation", () => {
  const cases: Array<[string, string, string]> = [
    ["2012-07-09T14:45:00Z", "0/15 * * * *", "2012-07-09T15:00:00Z"],
    ["2012-07-09T14:59:59Z", "0/15 * * * *", "2012-07-09T15:00:00Z"],
    ["2012-07-09T14:59:00Z", "*/1 * * * *", "2012-07-09T15:00:00Z"],
    ["2012-07-09T23:46:00Z", "*/15 * * * *", "2012-07-10T00:00:00Z"],
    ["2012-07-09T23:45:00Z", "20-35/15 * * * *", "2012-07-10T00:20:00Z"],
    ["2012-07-10T00:20:00Z", "20-35/15 * * * *", "2012-07-10T00:35:00Z"],
    ["2012-07-09T23:35:00Z", "15/35 20-23/2 * * *", "2012-07-10T20:15:00Z"],
    ["2012-07-10T20:15:00Z", "15/35 20-23/2 * jul *", "2012-07-10T20:50:00Z"],
    ["2012-07-31T23:35:00Z", "15/35 20-23/2 * jul *", "2013-07-01T20:15:00Z"],
    ["2012-07-09T23:35:00Z", "0 0 * aug *", "2012-08-01T00:00:00Z"],
    ["2012-12-31T23:59:00Z", "0 0 1 1 *", "2013-01-01T00:00:00Z"],
    ["2012-07-09T14:45:00Z", "0 0 * * mon", "2012-07-16T00:00:00Z"],
    ["2012-07-09T14:45:00Z", "0 0 1 * mon", "2012-07-16T00:00:00Z"], // day fields OR
    ["2012-02-28T00:00:00Z", "0 0 29 2 *", "2012-02-29T00:00:00Z"],
    ["2024-01-08T00:00:30Z", "* * * * *", "2024-01-08T00:01:00Z"],
    ["2024-01-08T00:00:00Z", "@hourly", "2024-01-08T01:00:00Z"],
  ];
  for (const [from, spec, want] of cases) assert.equal(iso(parseSchedule(spec).next(at(from))), want, `${spec} after ${from}`);
});

test("bad schedules fail with cron's messages", () => {
  assert.throws(() => parseSchedule("* * * *"), /expected exactly 5 fields, found 4/);
  assert.throws(() => parseSchedule("61 * * * *"), /end of range \(61\) above maximum \(59\)/);
  assert.throws(() => parseSchedule("@sometimes"), /unrecognized descriptor/);
  assert.throws(() => parseSchedule("0 0 * * 7"), /end of range \(7\) above maximum \(6\)/);
  assert.throws(() => parseSchedule("a * * * *"), /failed to parse int from a/);
});
