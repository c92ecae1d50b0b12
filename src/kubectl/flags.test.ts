import { test } from "node:test";
import assert from "node:assert/strict";
import { FlagError, GLOBAL_FLAGS, parseFlags, type FlagSpec, type FlagValues } from "./flags.ts";
import { COMMANDS } from "./commands/index.ts";

/** The defaults as parseFlags filled them before its compiled literal: property by property, in the list's order. */
function reference(specs: FlagSpec[]): FlagValues {
  const flags: FlagValues = {};
  for (const s of specs) {
    const d = s.default ?? (s.type === "bool" ? false : s.type === "stringArray" || s.type === "stringSlice" ? undefined : s.type === "int" ? 0 : "");
    flags[s.long] = d === undefined ? [] : d;
  }
  return flags;
}

test("every command's defaults: the same keys in the same order and the same values as filled one by one", () => {
  for (const def of COMMANDS) {
    const specs = [...GLOBAL_FLAGS, ...def.flags];
    const { flags } = parseFlags([], specs);
    const want = reference(specs);
    assert.deepEqual(Object.keys(flags), Object.keys(want), def.path.join(" "));
    assert.deepEqual(flags, want, def.path.join(" "));
  }
});

test("a list flag's empty default is a fresh array at every parse; a given default is the spec's own value", () => {
  const shared = ["a"];
  const specs: FlagSpec[] = [
    { long: "label", type: "stringArray" },
    { long: "cols", type: "stringSlice" },
    { long: "given", type: "stringArray", default: shared },
  ];
  const a = parseFlags([], specs).flags;
  const b = parseFlags([], specs).flags;
  assert.deepEqual(a.label, []);
  assert.notEqual(a.label, b.label);
  assert.notEqual(a.cols, b.cols);
  (a.label as string[]).push("x");
  assert.deepEqual(parseFlags([], specs).flags.label, []);
  assert.equal(a.given, shared);
});

test("a name listed twice keeps its first place and its last default", () => {
  const specs: FlagSpec[] = [
    { long: "a", type: "string", default: "first" },
    { long: "b", type: "bool" },
    { long: "a", type: "stringArray" },
    { long: "c", type: "int" },
    { long: "c", type: "string", default: "later" },
  ];
  const { flags } = parseFlags([], specs);
  assert.deepEqual(Object.keys(flags), ["a", "b", "c"]);
  assert.deepEqual(flags, { a: [], b: false, c: "later" });
  assert.deepEqual(flags, reference(specs));
});

test("names a literal would misread: quotes, backslashes, `__proto__` (built property by property)", () => {
  const specs: FlagSpec[] = [
    { long: 'we"ird', type: "string", default: "q" },
    { long: "back\\slash", type: "bool" },
    { long: "__proto__", type: "string", default: "p" },
    { long: "constructor", type: "int" },
  ];
  const { flags } = parseFlags(["--constructor=3"], specs);
  const want = reference(specs);
  want["constructor"] = 3;
  assert.equal(Object.getPrototypeOf(flags), Object.getPrototypeOf(want));
  assert.deepEqual(Object.keys(flags), Object.keys(want));
  assert.deepEqual(Object.keys(flags), ['we"ird', "back\\slash", "constructor"]);
  assert.equal(flags['we"ird'], "q");
  assert.equal(flags["back\\slash"], false);
  assert.equal(flags.constructor, 3);
});

test("values given override the defaults; errors as pflag's", () => {
  const specs: FlagSpec[] = [
    { long: "output", short: "o", type: "string" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "label", short: "l", type: "stringArray" },
  ];
  const { flags, args, set } = parseFlags(["all", "-A", "-o", "wide", "--label=a", "-l", "b"], specs);
  assert.deepEqual(args, ["all"]);
  assert.deepEqual(flags, { output: "wide", "all-namespaces": true, label: ["a", "b"] });
  assert.deepEqual([...set], ["all-namespaces", "output", "label"]);
  assert.deepEqual(parseFlags([], specs).flags, { output: "", "all-namespaces": false, label: [] });
  assert.throws(() => parseFlags(["--nope"], specs), (e) => e instanceof FlagError && e.message === "unknown flag: --nope");
});
