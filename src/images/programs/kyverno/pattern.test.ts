/**
 * Tables ported from kyverno/kyverno at v1.14.5: ext/wildcard/match_test.go TestMatch and
 * pkg/engine/pattern/pattern_test.go (TestValidateValueWithStringPattern_Ranges,
 * TestValidateNumberWithStr_LessFloatAndInt, TestValidateQuantity_*, TestValidateDuration,
 * TestGetOperatorFromStringPattern_*).
 */
import test from "node:test";
import assert from "node:assert/strict";
import { operatorOf, validateString, validateStringPattern, validateValue, wildcardMatch, type Operator } from "./pattern.ts";

const WILDCARD: Array<[string, string, boolean]> = [
  ["*", "s3:GetObject", true],
  ["", "s3:GetObject", false],
  ["", "", true],
  ["s3:*", "s3:ListMultipartUploadParts", true],
  ["s3:ListBucketMultipartUploads", "s3:ListBucket", false],
  ["s3:ListBucket", "s3:ListBucket", true],
  ["s3:ListBucketMultipartUploads", "s3:ListBucketMultipartUploads", true],
  ["my-bucket/oo*", "my-bucket/oo", true],
  ["my-bucket/In*", "my-bucket/India/Karnataka/", true],
  ["my-bucket/In*", "my-bucket/Karnataka/India/", false],
  ["my-bucket/In*/Ka*/Ban", "my-bucket/India/Karnataka/Ban", true],
  ["my-bucket/In*/Ka*/Ban", "my-bucket/India/Karnataka/Ban/Ban/Ban/Ban/Ban", true],
  ["my-bucket/In*/Ka*/Ban", "my-bucket/India/Karnataka/Area1/Area2/Area3/Ban", true],
  ["my-bucket/In*/Ka*/Ban", "my-bucket/India/State1/State2/Karnataka/Area1/Area2/Area3/Ban", true],
  ["my-bucket/In*/Ka*/Ban", "my-bucket/India/Karnataka/Bangalore", false],
  ["my-bucket/In*/Ka*/Ban*", "my-bucket/India/Karnataka/Bangalore", true],
  ["my-bucket/*", "my-bucket/India", true],
  ["my-bucket/oo*", "my-bucket/odo", false],
  ["my-bucket?/abc*", "mybucket/abc", false],
  ["my-bucket?/abc*", "my-bucket1/abc", true],
  ["my-?-bucket/abc*", "my--bucket/abc", false],
  ["my-?-bucket/abc*", "my-1-bucket/abc", true],
  ["my-?-bucket/abc*", "my-k-bucket/abc", true],
  ["my??bucket/abc*", "mybucket/abc", false],
  ["my??bucket/abc*", "my4abucket/abc", true],
  ["my-bucket?abc*", "my-bucket/abc", true],
  ["my-bucket/abc?efg", "my-bucket/abcdefg", true],
  ["my-bucket/abc?efg", "my-bucket/abc/efg", true],
  ["my-bucket/abc????", "my-bucket/abc", false],
  ["my-bucket/abc????", "my-bucket/abcde", false],
  ["my-bucket/abc????", "my-bucket/abcdefg", true],
  ["my-bucket/abc?", "my-bucket/abc", false],
  ["my-bucket/abc?", "my-bucket/abcd", true],
  ["my-bucket/abc?", "my-bucket/abcde", false],
  ["my-bucket/mnop*?", "my-bucket/mnop", false],
  ["my-bucket/mnop*?", "my-bucket/mnopqrst/mnopqr", true],
  ["my-bucket/mnop*?", "my-bucket/mnopqrst/mnopqrs", true],
  ["my-bucket/mnop*?", "my-bucket/mnop", false],
  ["my-bucket/mnop*?", "my-bucket/mnopq", true],
  ["my-bucket/mnop*?", "my-bucket/mnopqr", true],
  ["my-bucket/mnop*?and", "my-bucket/mnopqand", true],
  ["my-bucket/mnop*?and", "my-bucket/mnopand", false],
  ["my-bucket/mnop*?and", "my-bucket/mnopqand", true],
  ["my-bucket/mnop*?", "my-bucket/mn", false],
  ["my-bucket/mnop*?", "my-bucket/mnopqrst/mnopqrs", true],
  ["my-bucket/mnop*??", "my-bucket/mnopqrst", true],
  ["my-bucket/mnop*qrst", "my-bucket/mnopabcdegqrst", true],
  ["my-bucket/mnop*?and", "my-bucket/mnopqand", true],
  ["my-bucket/mnop*?and", "my-bucket/mnopand", false],
  ["my-bucket/mnop*?and?", "my-bucket/mnopqanda", true],
  ["my-bucket/mnop*?and", "my-bucket/mnopqanda", false],
  ["my-?-bucket/abc*", "my-bucket/mnopqanda", false],
];

test("wildcard.Match: TestMatch's table", () => {
  for (const [pattern, text, matched] of WILDCARD) assert.equal(wildcardMatch(pattern, text), matched, `${pattern} ~ ${text}`);
});

const STRING_PATTERNS: Array<[unknown, string, boolean]> = [
  [4, ">= 3", true],
  [0, "0-2", true],
  [1, "0-2", true],
  [2, "0-2", true],
  [3, "0-2", false],
  [0, "10!-20", true],
  [15, "10!-20", false],
  [25, "10!-20", true],
  [0, "0.00001-2.00001", false],
  [1, "0.00001-2.00001", true],
  [2, "0.00001-2.00001", true],
  [2.0001, "0.00001-2.00001", false],
  [0, "0.00001!-2.00001", true],
  [1, "0.00001!-2.00001", false],
  [2, "0.00001!-2.00001", false],
  [2.0001, "0.00001!-2.00001", true],
  [2, "2-2", true],
  [2, "2!-2", false],
  [2.99999, "2.99998-3", true],
  [2.99997, "2.99998!-3", true],
  [3.00001, "2.99998!-3", true],
  ["256Mi", "128Mi-512Mi", true],
  ["1024Mi", "128Mi-512Mi", false],
  ["64Mi", "128Mi-512Mi", false],
  ["256Mi", "128Mi!-512Mi", false],
  ["1024Mi", "128Mi!-512Mi", true],
  ["64Mi", "128Mi!-512Mi", true],
  [-9, "-10-8", true],
  [9, "-10--8", false],
  [9, "-10!--8", true],
  ["9Mi", "-10Mi!--8Mi", true],
  [-9, "-10!--8", false],
  ["-9Mi", "-10Mi-8Mi", true],
  ["9Mi", "-10Mi!-8Mi", true],
  [0, "-10-+8", true],
  ["7Mi", "-10Mi-+8Mi", true],
  [10, "-10!-+8", true],
  ["10Mi", "-10Mi!-+8Mi", true],
  [0, "+0-+1", true],
  ["10Mi", "+0Mi-+1024Mi", true],
  [10, "+0!-+1", true],
  ["1025Mi", "+0Mi!-+1024Mi", true],
];

test("validateStringPattern: ranges and quantities (TestValidateValueWithStringPattern_*)", () => {
  for (const [value, pattern, want] of STRING_PATTERNS) assert.equal(validateStringPattern(value, pattern), want, `${String(value)} vs ${pattern}`);
});

const STRINGS: Array<[unknown, string, Operator, boolean]> = [
  [7.00001, "7.000001", ">", true],
  [7.00001, "7", "!", true],
  [7.0000, "7", "", true],
  [6.000000001, "6", "<", false],
  ["1024Gi", "", "", false],
  ["gii", "1024Gi", "", false],
  ["12s", "12s", "", true],
  ["12s", "15s", "!", true],
  ["12s", "15s", "<", true],
  ["12s", "15s", "<=", true],
  ["12s", "12s", "<=", true],
  ["15s", "12s", "<", false],
  ["15s", "12s", "<=", false],
  ["15s", "12s", ">", true],
  ["15s", "12s", ">=", true],
  ["12s", "12s", ">=", true],
  ["12s", "15s", ">", false],
  ["12s", "15s", ">=", false],
  ["1024Gi", "1024Gi", "", true],
  ["1024Mi", "1Gi", "", true],
  ["0.2", "200m", "", true],
  ["500", "500", "", true],
  ["2048", "1024", "", false],
  [1024, "1024", "", true],
  ["1Gi", "1000Mi", ">", true],
  ["1G", "1Gi", "<", true],
  ["500m", "0.5", ">=", true],
  ["1", "500m", ">=", true],
  ["0.5", ".5", "<=", true],
  ["0.2", ".5", "<=", true],
  ["0.2", ".5", "!", true],
];

test("validateString: numbers, durations and quantities by operator", () => {
  for (const [value, pattern, op, want] of STRINGS) assert.equal(validateString(value, pattern, op), want, `${String(value)} ${op} ${pattern}`);
});

test("GetOperatorFromStringPattern: one character and empty patterns are equality", () => {
  assert.equal(operatorOf("f"), "");
  assert.equal(operatorOf(""), "");
  assert.equal(operatorOf(">=1"), ">=");
  assert.equal(operatorOf("1-2"), "-");
  assert.equal(operatorOf("1!-2"), "!-");
});

test("validateValue: the quick start's `?*` needs a non-empty string", () => {
  assert.equal(validateValue("backend", "?*"), true);
  assert.equal(validateValue("", "?*"), false);
  assert.equal(validateValue(undefined, "?*"), false);
  assert.equal(validateValue("web", "web|db"), true);
  assert.equal(validateValue(3, ">2 & <4"), true);
  assert.equal(validateValue(null, null), true);
  assert.equal(validateValue(false, null), true);
  assert.equal(validateValue(true, true), true);
});
