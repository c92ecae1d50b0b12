import { test } from "node:test";
import assert from "node:assert/strict";
import { formatFloat, help, TEXT_CONTENT_TYPE, writeText } from "./textformat.ts";

// Go's strconv.FormatFloat(f, 'g', -1, 64) as expfmt's writeFloat uses it (outputs from Go 1.23).
const FLOATS: Array<[number, string]> = [
  [1, "1"],
  [0, "0"],
  [-0, "0"],
  [-1, "-1"],
  [NaN, "NaN"],
  [Infinity, "+Inf"],
  [-Infinity, "-Inf"],
  [2, "2"],
  [123456, "123456"],
  [1234567, "1.234567e+06"],
  [1e6, "1e+06"],
  [16252928, "1.6252928e+07"],
  [1733937860, "1.73393786e+09"],
  [0.5, "0.5"],
  [0.012345, "0.012345"],
  [0.0001, "0.0001"],
  [0.00001234, "1.234e-05"],
  [-2.5, "-2.5"],
  [1e21, "1e+21"],
  [1.7976931348623157e308, "1.7976931348623157e+308"],
  [5e-324, "5e-324"],
  [0.1 + 0.2, "0.30000000000000004"],
];

test("values are written as expfmt's writeFloat writes them (Go's shortest 'g')", () => {
  for (const [f, want] of FLOATS) assert.equal(formatFloat(f), want, String(f));
});

test("a family is its HELP and TYPE lines and its samples sorted by label values; families by name", () => {
  const text = writeText([
    { name: "zz_total", help: help("ALPHA", "Last."), type: "counter", samples: [{ value: 3 }] },
    {
      name: "kubelet_running_containers",
      help: help("ALPHA", "Number of containers currently running"),
      type: "gauge",
      samples: [
        { labels: { container_state: "running" }, value: 2 },
        { labels: { container_state: "exited" }, value: 1 },
      ],
    },
    { name: "empty", help: "none", type: "gauge", samples: [] },
  ]);
  assert.equal(
    text,
    [
      "# HELP kubelet_running_containers [ALPHA] Number of containers currently running",
      "# TYPE kubelet_running_containers gauge",
      'kubelet_running_containers{container_state="exited"} 1',
      'kubelet_running_containers{container_state="running"} 2',
      "# HELP zz_total [ALPHA] Last.",
      "# TYPE zz_total counter",
      "zz_total 3",
      "",
    ].join("\n"),
  );
});

test("labels are written in name order; values and help escaped as the format says; timestamps in ms", () => {
  const text = writeText([
    {
      name: "m",
      help: "a \\ b\nc",
      type: "gauge",
      samples: [
        { labels: { b: 'say "hi"', a: "x\\y\nz" }, value: 0.25, timestampMs: 1733937860123 },
        { labels: { b: "", a: "" }, value: 1 },
      ],
    },
  ]);
  assert.equal(text, ["# HELP m a \\\\ b\\nc", "# TYPE m gauge", 'm{a="",b=""} 1', 'm{a="x\\\\y\\nz",b="say \\"hi\\""} 0.25 1733937860123', ""].join("\n"));
});

test("the registry's refusals: bad names, a family twice, two samples with the same labels, fractional timestamps", () => {
  assert.throws(() => writeText([{ name: "1bad", help: "", type: "gauge", samples: [{ value: 1 }] }]), /invalid metric name "1bad"/);
  assert.throws(() => writeText([{ name: "m", help: "", type: "gauge", samples: [{ labels: { "a-b": "x" }, value: 1 }] }]), /invalid label name "a-b"/);
  assert.throws(() => writeText([{ name: "m", help: "", type: "gauge", samples: [{ labels: { __name: "x" }, value: 1 }] }]), /invalid label name "__name"/);
  assert.throws(() => writeText([{ name: "m", help: "", type: "gauge", samples: [{ value: 1 }] }, { name: "m", help: "", type: "gauge", samples: [{ value: 2 }] }]), /registered twice/);
  assert.throws(() => writeText([{ name: "m", help: "", type: "gauge", samples: [{ labels: { a: "1" }, value: 1 }, { labels: { a: "1" }, value: 2 }] }]), /two samples with the same labels/);
  assert.throws(() => writeText([{ name: "m", help: "", type: "gauge", samples: [{ value: 1, timestampMs: 1.5 }] }]), /not whole milliseconds/);
});

test("the Content-Type is expfmt.Negotiate's for a client asking for nothing else (prometheus/common v0.55.0)", () => {
  assert.equal(TEXT_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8; escaping=values");
});
