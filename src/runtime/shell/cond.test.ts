/**
 * `[[ =~ ]]`'s POSIX extended regular expressions as JavaScript ones (cond.ts ereToRegExp); the whole
 * of `[[ … ]]` is checked against real bash in the bash table (bashcases.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ereToRegExp } from "./cond.ts";

test("bracket expressions: classes, a leading ], a backslash taken literally", () => {
  const cases: Array<[string, string, boolean]> = [
    ["^[[:alpha:]]+[[:digit:]]$", "abc1", true],
    ["^[[:alpha:]]+$", "ab1", false],
    ["[]]", "a]b", true],
    ["[\\]", "a\\b", true],
    ["[\\]", "ab", false],
    ["^[^a-w]$", "x", true],
    ["^[[:space:][:punct:]]+$", " ,.", true],
  ];
  for (const [ere, s, want] of cases) assert.equal(ereToRegExp(ere)?.test(s), want, `${ere} on ${s}`);
});

test("intervals, groups, word boundaries, and what regcomp refuses", () => {
  assert.equal(ereToRegExp("^([0-9]{1,3}\\.){3}[0-9]{1,3}$")?.test("10.0.0.1"), true);
  assert.equal(ereToRegExp("\\<ab\\>")?.test("x ab y"), true);
  assert.equal(ereToRegExp("\\<ab\\>")?.test("xab"), false);
  assert.equal(ereToRegExp("a.c")?.test("a\nc"), true, "a dot matches a newline (no REG_NEWLINE)");
  for (const bad of ["[", "a{", "(", "a)", "+a", "(?=a)", "[[:nope:]]", "a\\"]) assert.equal(ereToRegExp(bad), undefined, bad);
  assert.equal(ereToRegExp("*a")?.test("*a"), true, "a leading * is literal");
});
