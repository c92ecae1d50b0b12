import { test } from "node:test";
import assert from "node:assert/strict";
import { celRuntime } from "./runtime.ts";
import { compile, CostBudget, RUNTIME_CEL_COST_BUDGET } from "./compile.ts";

const names = new Set<string>();
function run(expr: string): unknown {
  const p = compile(expr, { names });
  if ("error" in p) throw new Error(p.error);
  const r = p.evaluate({}, new CostBudget(RUNTIME_CEL_COST_BUDGET));
  if ("error" in r) return { error: r.error };
  return celRuntime().isCelList(r.value) ? [...(r.value as Iterable<unknown>)] : r.value;
}

// The examples of k8s.io/apiserver/pkg/cel/library/lists.go (v1.32), its test table's cases.
test("lists library: isSorted, sum, min, max, indexOf, lastIndexOf", () => {
  const table: Array<[string, unknown]> = [
    ["[1, 2, 3].isSorted()", true],
    ["['a', 'b', 'b', 'c'].isSorted()", true],
    ["[2.0, 1.0].isSorted()", false],
    ["[1].isSorted()", true],
    ["[].isSorted()", true],
    ["[1, 3].sum()", 4n],
    ["[1.0, 3.0].sum()", 4],
    ["[].sum()", 0n],
    ["[1, 3].min()", 1n],
    ["[1, 3].max()", 3n],
    ["[].min()", { error: "min called on empty list" }],
    ["[].max()", { error: "max called on empty list" }],
    ["[1].min()", 1n],
    ["([0] + []).min()", 0n],
    ["['b', 'a', 'c'].max()", "c"],
    ["[1, 2, 2, 3].indexOf(2)", 1n],
    ["['a', 'b', 'b', 'c'].lastIndexOf('b')", 2n],
    ["[1.0].indexOf(1.1)", -1n],
    ["[].indexOf('string')", -1n],
  ];
  for (const [expr, want] of table) assert.deepEqual(run(expr), want, expr);
});

// regex.go's examples: RE2 syntax, Go's FindString / FindAllString.
test("regex library: find and findAll", () => {
  const table: Array<[string, unknown]> = [
    ["'abc 123'.find('[0-9]+')", "123"],
    ["'abc 123'.find('xyz')", ""],
    ["'123 abc 456'.findAll('[0-9]+')", ["123", "456"]],
    ["'123 abc 456'.findAll('[0-9]+', 0)", []],
    ["'123 abc 456'.findAll('[0-9]+', 1)", ["123"]],
    ["'123 abc 456'.findAll('xyz')", []],
    ["'123 abc 456'.findAll('[0-9]*')", ["123", "", "", "", "", "456"]],
    ["'ABC'.find('(?i)b')", "B"],
    ["'abc'.find('(')", { error: "error parsing regexp: missing closing ): `(`" }],
    ["'abc'.matches('^a.c$')", true],
  ];
  for (const [expr, want] of table) assert.deepEqual(run(expr), want, expr);
});

test("cel-go's string extensions are there", () => {
  assert.equal(run("'a,b'.split(',').size()"), 2n);
  assert.equal(run("'Hello'.lowerAscii()"), "hello");
  assert.equal(run("' x '.trim()"), "x");
  assert.equal(run("'abc'.substring(1)"), "bc");
  assert.equal(run("['a', 'b'].join('-')"), "a-b");
});
