// Tables ported from k8s.io/apimachinery/pkg/api/resource/quantity_test.go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalQuantity, ErrFormatWrong, ErrSuffix, parseQuantityString, Quantity, type QuantityFormat } from "./quantity.ts";

const q = (m: bigint | number, e: number, f: QuantityFormat) => Quantity.of(m, e, f);
const MAX = (1n << 63n) - 1n;

test("parseQuantityString splits sign, number and suffix", () => {
  const table: Array<[string, boolean, string, string, string, string]> = [
    ["0.025Ti", true, "0.025", "0", "025", "Ti"],
    ["1.025Ti", true, "1.025", "1", "025", "Ti"],
    ["-1.025Ti", false, "-1.025", "1", "025", "Ti"],
    [".", true, ".", "0", "", ""],
    ["-.", false, "-.", "0", "", ""],
    ["1E-3", true, "1", "1", "", "E-3"],
  ];
  for (const [input, positive, value, num, denom, suffix] of table) {
    assert.deepEqual(parseQuantityString(input), { positive, value, num, denom, suffix }, input);
  }
});

const PARSE_TABLE: Array<[string, Quantity]> = [
  ["0", q(0, 0, "DecimalSI")], ["0n", q(0, 0, "DecimalSI")], ["0u", q(0, 0, "DecimalSI")], ["0m", q(0, 0, "DecimalSI")],
  ["0Ki", q(0, 0, "BinarySI")], ["0k", q(0, 0, "DecimalSI")], ["0Mi", q(0, 0, "BinarySI")], ["0M", q(0, 0, "DecimalSI")],
  ["0Gi", q(0, 0, "BinarySI")], ["0G", q(0, 0, "DecimalSI")], ["0Ti", q(0, 0, "BinarySI")], ["0T", q(0, 0, "DecimalSI")],
  ["1", q(1, 0, "DecimalSI")],
  ["1Ki", q(1024, 0, "BinarySI")], ["8Ki", q(8 * 1024, 0, "BinarySI")], ["7Mi", q(7 * 1024 * 1024, 0, "BinarySI")],
  ["6Gi", q(6n * 1024n ** 3n, 0, "BinarySI")], ["5Ti", q(5n * 1024n ** 4n, 0, "BinarySI")], ["4Pi", q(4n * 1024n ** 5n, 0, "BinarySI")],
  ["3Ei", q(3n * 1024n ** 6n, 0, "BinarySI")], ["10Ti", q(10n * 1024n ** 4n, 0, "BinarySI")], ["100Ti", q(100n * 1024n ** 4n, 0, "BinarySI")],
  ["5n", q(5, -9, "DecimalSI")], ["4u", q(4, -6, "DecimalSI")], ["3m", q(3, -3, "DecimalSI")], ["9", q(9, 0, "DecimalSI")],
  ["8k", q(8, 3, "DecimalSI")], ["50k", q(5, 4, "DecimalSI")], ["7M", q(7, 6, "DecimalSI")], ["6G", q(6, 9, "DecimalSI")],
  ["5T", q(5, 12, "DecimalSI")], ["40T", q(4, 13, "DecimalSI")], ["300T", q(3, 14, "DecimalSI")], ["2P", q(2, 15, "DecimalSI")],
  ["1E", q(1, 18, "DecimalSI")],
  ["1E-3", q(1, -3, "DecimalExponent")], ["1e3", q(1, 3, "DecimalExponent")], ["1E6", q(1, 6, "DecimalExponent")],
  ["1e9", q(1, 9, "DecimalExponent")], ["1E12", q(1, 12, "DecimalExponent")], ["1e15", q(1, 15, "DecimalExponent")],
  ["1E18", q(1, 18, "DecimalExponent")], ["1e14", q(1, 14, "DecimalExponent")], ["1e13", q(1, 13, "DecimalExponent")],
  ["100.035k", q(100035, 0, "DecimalSI")],
  ["0.001", q(1, -3, "DecimalSI")], ["0.0005k", q(5, -1, "DecimalSI")], ["0.005", q(5, -3, "DecimalSI")], ["0.05", q(5, -2, "DecimalSI")],
  ["0.5", q(5, -1, "DecimalSI")], ["0.00050k", q(5, -1, "DecimalSI")], ["0.00500", q(5, -3, "DecimalSI")], ["0.05000", q(5, -2, "DecimalSI")],
  ["0.50000", q(5, -1, "DecimalSI")], ["0.5e0", q(5, -1, "DecimalExponent")], ["0.5e-1", q(5, -2, "DecimalExponent")],
  ["0.5e-2", q(5, -3, "DecimalExponent")], ["10.035M", q(10035, 3, "DecimalSI")],
  ["1.2e3", q(12, 2, "DecimalExponent")], ["1.3E+6", q(13, 5, "DecimalExponent")], ["1.40e9", q(14, 8, "DecimalExponent")],
  ["1.53E12", q(153, 10, "DecimalExponent")], ["1.6e15", q(16, 14, "DecimalExponent")], ["1.7E18", q(17, 17, "DecimalExponent")],
  ["9.01", q(901, -2, "DecimalSI")], ["8.1k", q(81, 2, "DecimalSI")], ["7.123456M", q(7123456, 0, "DecimalSI")],
  ["6.987654321G", q(6987654321, 0, "DecimalSI")], ["5.444T", q(5444, 9, "DecimalSI")], ["40.1T", q(401, 11, "DecimalSI")],
  ["300.2T", q(3002, 11, "DecimalSI")], ["2.5P", q(25, 14, "DecimalSI")], ["1.01E", q(101, 16, "DecimalSI")],
  ["3.001n", q(4, -9, "DecimalSI")], ["1.1E-9", q(2, -9, "DecimalExponent")], ["0.0000000001", q(1, -9, "DecimalSI")],
  ["0.0000000005", q(1, -9, "DecimalSI")], ["0.00000000050", q(1, -9, "DecimalSI")], ["0.5e-9", q(1, -9, "DecimalExponent")],
  ["0.9n", q(1, -9, "DecimalSI")], ["0.00000012345", q(124, -9, "DecimalSI")], ["0.00000012354", q(124, -9, "DecimalSI")],
  ["9Ei", q(MAX, 0, "BinarySI")], ["9223372036854775807Ki", q(MAX, 0, "BinarySI")], ["12E", q(12, 18, "DecimalSI")],
  ["100.035Ki", q(10243584, -2, "BinarySI")], ["0.5Mi", q(512 * 1024, 0, "BinarySI")], ["0.05Gi", q(536870912, -1, "BinarySI")],
  ["0.025Ti", q(274877906944, -1, "BinarySI")],
  ["0.000000000001Ki", q(2, -9, "DecimalSI")], [".001", q(1, -3, "DecimalSI")], [".0001k", q(100, -3, "DecimalSI")],
  ["1.", q(1, 0, "DecimalSI")], ["1.G", q(1, 9, "DecimalSI")],
];

test("ParseQuantity: values and formats (TestQuantityParse)", () => {
  assert.throws(() => Quantity.parse(""), { message: ErrFormatWrong });
  for (const [input, expect] of PARSE_TABLE) {
    for (const [prefix, sign] of [["", 1n], ["-", -1n], ["+", 1n]] as const) {
      const got = Quantity.parse(prefix + input);
      const want = Quantity.of(expect.mantissa * sign, expect.exponent, expect.format);
      assert.equal(got.cmp(want), 0, `${prefix}${input}: expected ${want}, got ${got}`);
      assert.equal(got.format, expect.format, `${prefix}${input} format`);
    }
  }
});

test("ParseQuantity rejects malformed text with upstream's errors", () => {
  const invalid = ["1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", "1e4294967297", " 1", "1 "];
  for (const s of invalid) assert.throws(() => Quantity.parse(s), Error, s);
  assert.throws(() => Quantity.parse("abc"), { message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
  assert.throws(() => Quantity.parse("1mi"), { message: ErrSuffix });
  assert.throws(() => Quantity.parse("1KiB"), { message: ErrFormatWrong });
});

test("Cmp (TestQuantityCmp)", () => {
  const table: Array<[string, string, number]> = [["0", "0", 0], ["100m", "50m", 1], ["50m", "100m", -1], ["10000T", "100Gi", 1]];
  for (const [x, y, want] of table) assert.equal(Quantity.parse(x).cmp(Quantity.parse(y)), want, `${x} vs ${y}`);
});

test("String: canonical forms (TestQuantityString)", () => {
  const table: Array<[Quantity, string, string]> = [
    [q(1024 * 1024 * 1024, 0, "BinarySI"), "1Gi", "1024Mi"],
    [q(300 * 1024 * 1024, 0, "BinarySI"), "300Mi", "307200Ki"],
    [q(6 * 1024, 0, "BinarySI"), "6Ki", ""],
    [q(1001n * 1024n ** 3n, 0, "BinarySI"), "1001Gi", "1025024Mi"],
    [q(1024n ** 4n, 0, "BinarySI"), "1Ti", "1024Gi"],
    [q(5, 0, "BinarySI"), "5", "5000m"],
    [q(500, -3, "BinarySI"), "500m", "0.5"],
    [q(1, 9, "DecimalSI"), "1G", "1000M"],
    [q(1000, 6, "DecimalSI"), "1G", "0.001T"],
    [q(1000000, 3, "DecimalSI"), "1G", ""],
    [q(1000000000, 0, "DecimalSI"), "1G", ""],
    [q(1, -3, "DecimalSI"), "1m", "1000u"],
    [q(80, -3, "DecimalSI"), "80m", ""],
    [q(1080, -3, "DecimalSI"), "1080m", "1.08"],
    [q(108, -2, "DecimalSI"), "1080m", "1080000000n"],
    [q(10800, -4, "DecimalSI"), "1080m", ""],
    [q(300, 6, "DecimalSI"), "300M", ""],
    [q(1, 12, "DecimalSI"), "1T", ""],
    [q(1, 18, "DecimalSI"), "1E", ""],
    [q(1, 21, "DecimalSI"), "1e21", "1000E"],
    [q(1234567, 6, "DecimalSI"), "1234567M", ""],
    [q(1234567, -3, "BinarySI"), "1234567m", ""],
    [q(3, 3, "DecimalSI"), "3k", ""],
    [q(1025, 0, "BinarySI"), "1025", ""],
    [q(0, 0, "DecimalSI"), "0", ""],
    [q(0, 0, "BinarySI"), "0", ""],
    [q(1, 9, "DecimalExponent"), "1e9", ".001e12"],
    [q(1, -3, "DecimalExponent"), "1e-3", "0.001e0"],
    [q(1, -9, "DecimalExponent"), "1e-9", "1000e-12"],
    [q(80, -3, "DecimalExponent"), "80e-3", ""],
    [q(300, 6, "DecimalExponent"), "300e6", ""],
    [q(1, 12, "DecimalExponent"), "1e12", ""],
    [q(3, 3, "DecimalExponent"), "3e3", ""],
    [q(0, 0, "DecimalExponent"), "0", "00"],
    [q(1, -9, "DecimalSI"), "1n", ""],
    [q(1080, -9, "DecimalSI"), "1080n", ""],
    [q(108, -8, "DecimalSI"), "1080n", ""],
    [q(10800, -10, "DecimalSI"), "1080n", ""],
    [q(1, -6, "DecimalSI"), "1u", ""],
    [q(1080, -6, "DecimalSI"), "1080u", ""],
  ];
  for (const [input, expect, alternate] of table) {
    assert.equal(input.toString(), expect, `${input.mantissa}e${input.exponent} ${input.format}`);
    assert.equal(Quantity.parse(expect).toString(), expect, `reparse ${expect}`);
    if (alternate) assert.equal(Quantity.parse(alternate).toString(), expect, `alternate ${alternate}`);
    if (!input.isZero()) assert.equal(input.neg().toString(), "-" + expect);
  }
});

test("parse then emit (TestQuantityParseEmit) and the API server's re-serialisation", () => {
  const table: Array<[string, string]> = [
    ["1Ki", "1Ki"], ["1Mi", "1Mi"], ["1Gi", "1Gi"], ["1024Mi", "1Gi"], ["1000M", "1G"], [".001Ki", "1024m"],
    [".000001Ki", "1024u"], [".000000001Ki", "1024n"], [".000000000001Ki", "2n"],
    // as kube-apiserver stores manifests' values
    ["0.5", "500m"], ["1.5", "1500m"], ["1000Mi", "1000Mi"], ["1000", "1k"], ["250m", "250m"], ["1500Mi", "1500Mi"],
    ["1.5Gi", "1536Mi"], ["128Mi", "128Mi"], ["1G", "1G"], ["1e3", "1e3"], ["2048Ki", "2Mi"],
  ];
  for (const [input, expect] of table) {
    assert.equal(Quantity.parse(input).toString(), expect, input);
    assert.equal(Quantity.parse("-" + input).toString(), "-" + expect, "-" + input);
  }
  assert.equal(canonicalQuantity(0.5), "500m");
  assert.equal(canonicalQuantity(2), "2");
  assert.equal(canonicalQuantity(1000), "1k");
});

test("milli and byte values round up", () => {
  assert.equal(Quantity.parse("500m").milliValue(), 500);
  assert.equal(Quantity.parse("1.5").milliValue(), 1500);
  assert.equal(Quantity.parse("0.1m").milliValue(), 1);
  assert.equal(Quantity.parse("128Mi").value(), 128 * 1024 * 1024);
  assert.equal(Quantity.parse("1G").value(), 1e9);
  assert.equal(Quantity.parse("1500m").value(), 2);
  assert.equal(Quantity.parse("100m").add(Quantity.parse("1")).toString(), "1100m");
  assert.equal(Quantity.parse("1Gi").sub(Quantity.parse("512Mi")).toString(), "512Mi");
});

test("Quantity.parse keeps its answers by text: the same text gives the same quantity, a bad one throws every time, and the memo stays bounded", () => {
  assert.equal(Quantity.parse("100m"), Quantity.parse("100m"));
  assert.equal(Quantity.parse("1.5Gi").toString(), "1536Mi");
  assert.equal(Quantity.parse("1.5Gi").toString(), "1536Mi", "the canonical text, worked out once, is the same");
  for (let i = 0; i < 2; i++) assert.throws(() => Quantity.parse("1.5.5"), /quantities must match the regular expression/);
  for (let i = 0; i < 10_000; i++) assert.equal(Quantity.parse(`${i}Mi`).value(), i * 2 ** 20);
  assert.equal(Quantity.parse("1024Mi").toString(), "1Gi");
  assert.equal(Quantity.parse("0.1").toString(), "100m");
  assert.equal(Quantity.parse("100m").milliValue(), 100);
});
