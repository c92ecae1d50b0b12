import { test } from "node:test";
import assert from "node:assert/strict";
import { goTimeParseError, RFC3339, RFC3339_MICRO } from "./gotime.ts";

// Go's own table (src/time/format_test.go parseErrorTests, Go 1.23), the RFC3339 rows.
test("time.Parse(RFC3339)'s errors: Go's parseErrorTests", () => {
  const rows: Array<[string, string]> = [
    ["2006-01-02T15:04:05Z_abc", 'parsing time "2006-01-02T15:04:05Z_abc": extra text: "_abc"'],
    ["2010-02-04T21:00:67.012345678-08:00", 'parsing time "2010-02-04T21:00:67.012345678-08:00": second out of range'],
    ["0000-01-01T00:00:.0+00:00", 'parsing time "0000-01-01T00:00:.0+00:00" as "2006-01-02T15:04:05Z07:00": cannot parse ".0+00:00" as "05"'],
    ['"', 'parsing time "\\"" as "2006-01-02T15:04:05Z07:00": cannot parse "\\"" as "2006"'],
    ["0000-01-01T00:00:00+00:+0", 'parsing time "0000-01-01T00:00:00+00:+0" as "2006-01-02T15:04:05Z07:00": cannot parse "+00:+0" as "Z07:00"'],
    ["0000-01-01T00:00:00+-0:00", 'parsing time "0000-01-01T00:00:00+-0:00" as "2006-01-02T15:04:05Z07:00": cannot parse "+-0:00" as "Z07:00"'],
  ];
  for (const [value, want] of rows) assert.equal(goTimeParseError(RFC3339, value), want, value);
});

test("time.Parse(RFC3339): what parses, and each element's error", () => {
  for (const ok of ["2024-01-08T00:00:00Z", "2024-02-29T23:59:59.999999999+05:30", "2024-01-08T1:02:03Z", "2000-02-29T00:00:00-24:00", "2024-01-08T00:00:00,5Z"]) assert.equal(goTimeParseError(RFC3339, ok), undefined, ok);
  const rows: Array<[string, string]> = [
    ["yesterday", 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'],
    ["2024/01/08", 'parsing time "2024/01/08" as "2006-01-02T15:04:05Z07:00": cannot parse "/01/08" as "-"'],
    ["2024-13-01T00:00:00Z", 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ["2024-1-01T00:00:00Z", 'parsing time "2024-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01"'],
    ["2023-02-29T00:00:00Z", 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ["2024-01-08", 'parsing time "2024-01-08" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'],
    ["2024-01-08 00:00:00Z", 'parsing time "2024-01-08 00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00Z" as "T"'],
    ["2024-01-08T24:00:00Z", 'parsing time "2024-01-08T24:00:00Z": hour out of range'],
    ["2024-01-08T00:60:00Z", 'parsing time "2024-01-08T00:60:00Z": minute out of range'],
    ["2024-01-08T00:00:00", 'parsing time "2024-01-08T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    ["2024-01-08T00:00:00+25:00", 'parsing time "2024-01-08T00:00:00+25:00": time zone offset hour out of range'],
    ["2024-01-08T00:00:00z", 'parsing time "2024-01-08T00:00:00z" as "2006-01-02T15:04:05Z07:00": cannot parse "z" as "Z07:00"'],
    ["2024-01-08T00:00:00Zé", 'parsing time "2024-01-08T00:00:00Z\\xc3\\xa9": extra text: "\\xc3\\xa9"'],
    ["", 'parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006"'],
  ];
  for (const [value, want] of rows) assert.equal(goTimeParseError(RFC3339, value), want, value);
});

test("time.Parse(RFC3339Micro), metav1.MicroTime's layout: six digits of fraction, exactly", () => {
  assert.equal(goTimeParseError(RFC3339_MICRO, "2024-01-08T00:00:00.123456Z"), undefined);
  assert.equal(goTimeParseError(RFC3339_MICRO, "2024-01-08T00:00:00Z"), 'parsing time "2024-01-08T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"');
  assert.equal(goTimeParseError(RFC3339_MICRO, "2024-01-08T00:00:00.123Z"), 'parsing time "2024-01-08T00:00:00.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"');
  assert.equal(goTimeParseError(RFC3339_MICRO, "2024-01-08T00:00:00.1234567Z"), 'parsing time "2024-01-08T00:00:00.1234567Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "7Z" as "Z07:00"');
});

test("a hostile time string costs time in proportion to its length", () => {
  const long = "2024-01-08T00:00:00Z" + "é".repeat(1 << 19);
  const t0 = process.cpuUsage();
  const err = goTimeParseError(RFC3339, long)!;
  const ms = (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1000;
  assert.ok(err.startsWith('parsing time "2024-01-08T00:00:00Z\\xc3\\xa9'), err.slice(0, 60));
  assert.ok(err.endsWith('\\xc3\\xa9"'));
  assert.ok(ms < 2_000, `${ms} ms`);
});
