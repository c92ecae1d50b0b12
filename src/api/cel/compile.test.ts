import { test } from "node:test";
import assert from "node:assert/strict";
import { compile, COST_EXCEEDED, CostBudget, PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET, formatError, variableBinding } from "./compile.ts";
import { toCel } from "./value.ts";

const names = new Set(["object", "oldObject", "request", "params", "namespaceObject", "variables"]);

function evaluate(expr: string, object: unknown, budget = new CostBudget(RUNTIME_CEL_COST_BUDGET)) {
  const p = compile(expr, { names });
  if ("error" in p) throw new Error(p.error);
  return p.evaluate({ object: toCel(object) }, budget);
}

test("cel-go's error display: the location, the line and a caret under the column", () => {
  assert.equal(formatError("object.replicas > 1", 6, "undefined field 'replicas'"), "ERROR: <input>:1:7: undefined field 'replicas'\n | object.replicas > 1\n | ......^");
});

test("compilation: undeclared identifiers and functions are errors, with cel-go's words and locations", () => {
  const call = compile("object.metadata.name.startWith('demo')", { names });
  assert.ok("error" in call);
  // cel-go locates a member call at its opening parenthesis.
  assert.equal(call.error, "ERROR: <input>:1:31: undeclared reference to 'startWith' (in container '')\n | object.metadata.name.startWith('demo')\n | ..............................^");
  const ident = compile("params.max > 1", { names: new Set(["object"]) });
  assert.ok("error" in ident);
  assert.equal(ident.error.split("\n")[0], "ERROR: <input>:1:1: undeclared reference to 'params' (in container '')");
  const syntax = compile("object.spec.replicas <=", { names });
  assert.ok("error" in syntax);
  assert.match(syntax.error, /^ERROR: <input>:1:\d+: Syntax error: /);
  // Comprehension variables and type names are declared where they are used.
  assert.ok(!("error" in compile("object.items.all(i, type(i) == string)", { names })));
});

test("variables: `variables.<name>` must name an earlier variable, and is bound per evaluation", () => {
  const unknown = compile("variables.foo", { names, variables: [] });
  assert.ok("error" in unknown);
  assert.equal(unknown.error.split("\n")[0], "ERROR: <input>:1:10: undefined field 'foo'");
  const p = compile("variables.env + '.'", { names, variables: ["env"] });
  assert.ok(!("error" in p));
  assert.deepEqual(p.usesVariables, ["env"]);
  assert.deepEqual(p.evaluate({ [variableBinding("env")]: "prod" }, new CostBudget(RUNTIME_CEL_COST_BUDGET)), { value: "prod." });
});

test("evaluation: values as unstructured JSON gives them; a missing key is cel-go's `no such key`", () => {
  assert.deepEqual(evaluate("object.spec.replicas <= 5", { spec: { replicas: 7 } }), { value: false });
  assert.deepEqual(evaluate("object.spec.replicas <= 5", { spec: { replicas: 5 } }), { value: true });
  assert.deepEqual(evaluate("object.spec.x == 1", { spec: {} }), { error: "no such key: x" });
  assert.deepEqual(evaluate("has(object.spec.x)", { spec: {} }), { value: false });
  assert.deepEqual(evaluate("'a' in object.metadata.labels", { metadata: { labels: { a: "1" } } }), { value: true });
  assert.deepEqual(evaluate("string(object.n) + '/' + string(object.f)", { n: 3, f: 0.5 }), { value: "3/0.5" });
});

test("cost: a hostile expression stops at the per-call limit instead of running", () => {
  const items = Array.from({ length: 200 }, (_, i) => i);
  // 200^3 iterations: far past the per-call limit of 1,000,000.
  const hostile = "object.l.map(a, object.l.map(b, object.l.map(c, a + b + c))).size() > 0";
  assert.deepEqual(evaluate(hostile, { l: items }), { error: COST_EXCEEDED });
  // The policy's budget runs out across expressions too.
  const budget = new CostBudget(PER_CALL_LIMIT / 10);
  assert.deepEqual(evaluate("object.l.all(a, object.l.all(b, a + b >= 0))", { l: items }, budget), { error: COST_EXCEEDED });
  assert.equal(budget.exceeded, true);
  assert.deepEqual(evaluate("true", {}, budget), { error: COST_EXCEEDED });
  // A reasonable expression is not stopped.
  assert.deepEqual(evaluate("object.l.all(a, a >= 0)", { l: items }), { value: true });
});
