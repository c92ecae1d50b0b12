import { test } from "node:test";
import assert from "node:assert/strict";
import type { CelInput, CelValue } from "@bufbuild/cel";
import { compile, CostBudget, RUNTIME_CEL_COST_BUDGET, variableBinding } from "./compile.ts";
import { isOptional, markOptionalSyntax, OPTIONAL_NONE, optionalOf } from "./optional.ts";
import { celRuntime } from "./runtime.ts";
import { toCel } from "./value.ts";

// cel-go cel/cel_test.go TestOptionalValuesEval's environment: m, l, z, and the optional x, y, optm, optl.
const names = new Set(["m", "l", "optm", "optl", "x", "y", "z"]);
const optional = new Set(["optm", "optl", "x", "y"]);

/** A CEL value as plain data: optionals as `{ optional: v }` or "optional.none()", ints as numbers. */
function plain(v: CelValue): unknown {
  const { isCelList, isCelMap } = celRuntime();
  if (isOptional(v)) return v.value === undefined ? "optional.none()" : { optional: plain(v.value) };
  if (typeof v === "bigint") return Number(v);
  if (isCelList(v)) return [...v].map(plain);
  if (isCelMap(v)) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  return v;
}

const opt = (v: unknown) => (v === undefined ? OPTIONAL_NONE : optionalOf(toCel(v) as CelValue)) as unknown as CelInput;

function run(expr: string, inputs: Record<string, CelInput> = {}): unknown {
  const p = compile(expr, { names, optional });
  if ("error" in p) return { compileError: p.error };
  const r = p.evaluate(inputs, new CostBudget(RUNTIME_CEL_COST_BUDGET));
  return "error" in r ? { error: r.error } : plain(r.value);
}

test("the optional syntax is blanked in place: offsets kept, strings, comments and ternaries untouched", () => {
  const a = markOptionalSyntax("object.?spec.replicas.orValue(1)");
  assert.equal(a.text, "object. spec.replicas.orValue(1)");
  assert.deepEqual([...a.marks.selects], [6]);
  const b = markOptionalSyntax("m[?'k'] + [?x, y, ?z] + {?'a': x, 'b': y}");
  assert.equal(b.text, "m[ 'k'] + [ x, y,  z] + { 'a': x, 'b': y}");
  assert.deepEqual([...b.marks.indexes], [1]);
  assert.deepEqual([...b.marks.listElements].map(([k, v]) => [k, [...v]]), [[10, [0, 2]]]);
  assert.deepEqual([...b.marks.mapEntries].map(([k, v]) => [k, [...v]]), [[24, [0]]]);
  const c = markOptionalSyntax("a ? 'x.?y' : r\"[?\" // b.?c\n + b'?'");
  assert.equal(c.marks.count, 0);
  assert.equal(c.text, "a ? 'x.?y' : r\"[?\" // b.?c\n + b'?'");
  assert.equal(markOptionalSyntax("x in [?a] ? 1 : 2").marks.listElements.size, 1);
  assert.equal(markOptionalSyntax("l[0].?x").marks.selects.size, 1);
});

// cel-go cel/cel_test.go TestOptionalValuesEval (v0.22.0), the cases without proto messages.
test("cel-go's TestOptionalValuesEval", () => {
  const goodbye = { c: { "dashed-index": "goodbye" } };
  const cases: Array<[string, Record<string, CelInput>, unknown]> = [
    ["{}.?invalid", {}, "optional.none()"],
    ["{'null_field': dyn(null)}.?null_field", {}, { optional: null }],
    ["{'null_field': dyn(null)}.?null_field.?nested", {}, "optional.none()"],
    ["{'zero_field': dyn(0)}.?zero_field.?invalid", {}, "optional.none()"],
    ["{0: dyn(0)}[?0].?invalid", {}, "optional.none()"],
    ["{true: dyn(0)}[?false].?invalid", {}, "optional.none()"],
    ["{true: dyn(0)}[?true].?invalid", {}, "optional.none()"],
    ["x.or(y).orValue(z)", { x: opt(undefined), y: opt(undefined), z: 42n }, 42],
    ["x.optMap(y, y + 1)", { x: opt(undefined) }, "optional.none()"],
    ["m.?key.optFlatMap(k, k.?subkey)", { m: toCel({}) }, "optional.none()"],
    ["m.?key.optFlatMap(k, k.?subkey)", { m: toCel({ key: {} }) }, "optional.none()"],
    ["m.?key.optFlatMap(k, k.?subkey)", { m: toCel({ key: { subkey: "subvalue" } }) }, { optional: "subvalue" }],
    ["m.?key.optFlatMap(k, k.?subkey)", { m: toCel({ key: { subkey: "" } }) }, { optional: "" }],
    ["m.?key.optFlatMap(k, optional.ofNonZeroValue(k.subkey))", { m: toCel({ key: { subkey: "" } }) }, "optional.none()"],
    ["x.optMap(y, y + 1)", { x: opt(42) }, { optional: 43 }],
    ["optional.ofNonZeroValue(z).or(optional.of(10)).value() == 42", { z: 42n }, true],
    ["(has(m.x) ? optional.of(m.x) : optional.none()).hasValue()", { m: toCel({}) }, false],
    ["m.?x.hasValue()", { m: toCel({}) }, false],
    ["has(m.?x.y)", { m: toCel({}) }, false],
    ["has(m.?x.y)", { m: toCel({ x: { y: "z" } }) }, true],
    ["type(optional.none()) == optional_type", {}, true],
    ["optional.ofNonZeroValue('').or(optional.of(m.c['dashed-index'])).orValue('default value')", { m: toCel(goodbye) }, "goodbye"],
    ["m.c[?'dashed-index'].orValue('default value')", { m: toCel(goodbye) }, "goodbye"],
    ["m.c[?'missing-index'].orValue('default value')", { m: toCel({ c: {} }) }, "default value"],
    ["optm.c.index.orValue('default value')", { optm: opt({ c: { index: "goodbye" } }) }, "goodbye"],
    ["optm.c.missing.or(optl[0]).orValue('default value')", { optm: opt({ c: {} }), optl: opt(undefined) }, "default value"],
    ["optm.c.missing.or(optl[0]).orValue('default value')", { optm: opt({ c: {} }), optl: opt(["list-value"]) }, "list-value"],
    ["optm.c['index'].orValue('default value')", { optm: opt({ c: { index: "goodbye" } }) }, "goodbye"],
    ["optm.c['missing'].orValue('default value')", { optm: opt({ c: {} }) }, "default value"],
    ["has(optm.c) && !has(optm.c.missing)", { optm: opt({ c: { entry: "hello world" } }) }, true],
    ["optional.ofNonZeroValue(m.a.z).orValue(m.c['dashed-index'])", { m: toCel(goodbye) }, { error: "no such key: a" }],
    ["m.?c.missing.or(m.?c['dashed-index']).orValue('').size()", { m: toCel(goodbye) }, 7],
    ["{?'nested_map': optional.ofNonZeroValue({?'map': m.?c})}", { m: toCel(goodbye) }, { nested_map: { map: { "dashed-index": "goodbye" } } }],
    ["{?'nested_map': optional.ofNonZeroValue({?'map': m.?c}), 'singleton': true}", { m: toCel({}) }, { singleton: true }],
    ["[?m.?c, ?x, ?y]", { m: toCel({}), x: opt(42), y: opt(undefined) }, [42]],
    ["[?optional.ofNonZeroValue(m.?c.orValue({}))]", { m: toCel({ c: [] }) }, []],
    ["optional.ofNonZeroValue({?'nested_map': optional.ofNonZeroValue({?'map': m.?c})})", { m: toCel({}) }, "optional.none()"],
  ];
  for (const [expr, inputs, want] of cases) assert.deepEqual(run(expr, inputs), want, expr);
});

test("cel-go's TestOptionalMacroError: optMap's and optFlatMap's variable must be an identifier", () => {
  for (const fn of ["optMap", "optFlatMap"]) {
    const r = run(`x.${fn}(y.z, y.z + 1)`);
    assert.match((r as { compileError: string }).compileError, /^ERROR: <input>:1:\d+: \w+\(\) variable name must be a simple identifier/);
  }
});

test("optional values: value() of none is an error, equality by value, or/orValue short-circuit", () => {
  assert.deepEqual(run("optional.none().value()"), { error: "optional.none() dereference" });
  assert.equal(run("optional.of(1) == optional.of(1)"), true);
  assert.equal(run("optional.of(1) == optional.of(2)"), false);
  assert.equal(run("optional.of(1) != optional.none()"), true);
  assert.equal(run("optional.none() == optional.none()"), true);
  assert.equal(run("optional.of(1) == 1"), false);
  assert.equal(run("[1, 2] == [1, 2] && {'a': 1} == {'a': 1}"), true, "the standard equality is kept");
  // The alternative is not evaluated when the target has a value (1/0 would be an error).
  assert.equal(run("optional.of(2).orValue(1 / 0)"), 2);
  assert.deepEqual(run("optional.of(2).or(optional.of(1 / 0))"), { optional: 2 });
  assert.match((run("optional.none().orValue(1 / 0)") as { error: string }).error, /divide by zero/);
  assert.deepEqual(run("l[?1]", { l: toCel(["a", "b"]) }), { optional: "b" });
  assert.deepEqual(run("l[?2]", { l: toCel(["a", "b"]) }), "optional.none()");
  assert.deepEqual(run("{'a': 1, ?'b': optional.none(), 'c': 3}"), { a: 1, c: 3 });
  assert.deepEqual(run("{?'a': optional.of(1), 'a': 2}"), { error: "map key conflict: a" });
});

test("Kubernetes expressions: a VAP variable that is optional makes selections on it optional", () => {
  // installer-csr-delegation-validatingadmissionpolicy.yaml of kubernetes.io's examples.
  const rules = compile("object.?rules.orValue([]).filter(rule, rule.apiGroups.exists(group, group == 'certificates.k8s.io'))", { names: new Set(["object", "variables"]), variables: [] });
  assert.ok(!("error" in rules), "error" in rules ? rules.error : "");
  const budget = () => new CostBudget(RUNTIME_CEL_COST_BUDGET);
  const cr = (r: unknown) => toCel({ kind: "ClusterRole", ...(r ? { rules: r } : {}) });
  const got = rules.evaluate({ object: cr([{ apiGroups: ["certificates.k8s.io"], resources: ["signers"] }, { apiGroups: [""], resources: ["pods"] }]) }, budget());
  assert.deepEqual("value" in got && plain(got.value), [{ apiGroups: ["certificates.k8s.io"], resources: ["signers"] }]);
  const none = rules.evaluate({ object: cr(undefined) }, budget());
  assert.deepEqual("value" in none && plain(none.value), []);
  // A variable holding an optional: `variables.spec.replicas` selects optionally.
  const spec = compile("object.?spec", { names: new Set(["object", "variables"]), variables: [] });
  assert.ok(!("error" in spec) && spec.optional);
  const replicas = compile("variables.spec.replicas.orValue(1)", { names: new Set(["object", "variables"]), variables: ["spec"], optionalVariables: new Set(["spec"]) });
  assert.ok(!("error" in replicas));
  const r = replicas.evaluate({ [variableBinding("spec")]: opt({}) }, budget());
  assert.deepEqual("value" in r && plain(r.value), 1);
});
