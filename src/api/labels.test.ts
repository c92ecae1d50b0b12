// Tables ported from k8s.io/apimachinery/pkg/labels/selector_test.go, plus upstream's error texts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  fieldSelectorFor,
  labelSelectorAsSelector,
  newRequirement,
  nodeSelectorRequirementsAsSelector,
  parseFieldSelector,
  parseSelector,
  selectorFromSet,
  Selector,
  type Operator,
} from "./labels.ts";
import type { KObject } from "./types.ts";

test("TestSelectorParse: good strings re-string without spaces, bad strings fail", () => {
  for (const s of ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"]) {
    assert.equal(parseSelector(s).toString(), s.replaceAll(" ", ""), s);
  }
  for (const s of ["x=a||y=b", "x==a==b", "!x=a", "x<a"]) assert.throws(() => parseSelector(s), Error, s);
});

test("TestDeterministicParse", () => {
  assert.equal(parseSelector("x=a,a=x").toString(), parseSelector("a=x,x=a").toString());
});

test("TestSelectorMatches", () => {
  const yes: Array<[string, Record<string, string>]> = [
    ["", { x: "y" }], ["x=y", { x: "y" }], ["x=y,z=w", { x: "y", z: "w" }], ["x!=y,z!=w", { x: "z", z: "a" }],
    ["notin=in", { notin: "in" }], ["x", { x: "z" }], ["!x", { y: "z" }], ["x>1", { x: "2" }], ["x<1", { x: "0" }],
    ["foo=bar", { foo: "bar", baz: "blah" }], ["baz=blah", { foo: "bar", baz: "blah" }], ["foo=bar,baz=blah", { foo: "bar", baz: "blah" }],
    ["x in (a,b)", { x: "b" }], ["x notin (a)", {}], ["x==y", { x: "y" }],
  ];
  const no: Array<[string, Record<string, string>]> = [
    ["x=z", {}], ["x=y", { x: "z" }], ["x=y,z=w", { x: "w", z: "w" }], ["x!=y,z!=w", { x: "z", z: "w" }], ["x", { y: "z" }],
    ["!x", { x: "z" }], ["x>1", { x: "0" }], ["x<1", { x: "2" }], ["foo=blah", { foo: "bar", baz: "blah" }],
    ["baz=bar", { foo: "bar", baz: "blah" }], ["foo=bar,foobar=bar,baz=blah", { foo: "bar", baz: "blah" }], ["x notin (a)", { x: "a" }],
  ];
  for (const [s, l] of yes) assert.ok(parseSelector(s).matches(l), `${s} should match ${JSON.stringify(l)}`);
  for (const [s, l] of no) assert.ok(!parseSelector(s).matches(l), `${s} should not match ${JSON.stringify(l)}`);
});

test("TestSetMatches / TestEverything", () => {
  const set = { foo: "bar", baz: "blah" };
  for (const sel of [{}, { foo: "bar" }, { baz: "blah" }, { foo: "bar", baz: "blah" }] as Array<Record<string, string>>) assert.ok(selectorFromSet(sel).matches(set));
  assert.ok(!selectorFromSet({ foo: "x" }).matches(set));
  assert.ok(Selector.everything().matches({ x: "y" }) && Selector.everything().empty());
  assert.ok(selectorFromSet(undefined).empty());
});

test("TestRequirementConstructor", () => {
  const table: Array<[string, Operator, string[], boolean]> = [
    ["x", "in", [], false], ["x", "notin", [], false], ["x", "in", ["foo"], true], ["x", "notin", ["foo"], true],
    ["x", "exists", [], true], ["x", "!", [], true], ["1foo", "in", ["bar"], true], ["1234", "in", ["bar"], true],
    ["y", "gt", ["1"], true], ["z", "lt", ["6"], true], ["foo", "gt", ["bar"], false], ["barz", "lt", ["blah"], false],
    ["a".repeat(254), "exists", [], false],
  ];
  for (const [k, op, vals, ok] of table) {
    if (ok) assert.doesNotThrow(() => newRequirement(k, op, vals), `${k} ${op}`);
    else assert.throws(() => newRequirement(k, op, vals), Error, `${k} ${op}`);
  }
});

test("TestToString", () => {
  const sel = (...r: Array<[string, Operator, string[]]>) => new Selector(r.map(([k, o, v]) => newRequirement(k, o, v)));
  assert.equal(sel(["x", "in", ["abc", "def"]], ["y", "notin", ["jkl"]], ["z", "exists", []]).toString(), "x in (abc,def),y notin (jkl),z");
  assert.equal(sel(["x", "notin", ["abc", "def"]], ["y", "!=", ["jkl"]], ["z", "!", []]).toString(), "x notin (abc,def),y!=jkl,!z");
  assert.equal(sel(["x", "notin", ["abc"]], ["y", "in", ["jkl", "mno"]], ["z", "notin", [""]]).toString(), "x notin (abc),y in (jkl,mno),z notin ()");
  assert.equal(sel(["x", "=", ["abc"]], ["y", "==", ["jkl"]], ["z", "!=", ["a"]], ["z", "exists", []]).toString(), "x=abc,y==jkl,z!=a,z");
  assert.equal(sel(["x", "gt", ["2"]], ["y", "lt", ["8"]], ["z", "exists", []]).toString(), "x>2,y<8,z");
});

test("TestRequirementSelectorMatching", () => {
  const sel = (...r: Array<[string, Operator, string[]]>) => new Selector(r.map(([k, o, v]) => newRequirement(k, o, v)));
  assert.ok(sel(["x", "in", ["foo"]], ["y", "notin", ["alpha"]]).matches({ x: "foo", y: "baz" }));
  assert.ok(!sel(["x", "in", ["foo"]], ["y", "in", ["alpha"]]).matches({ x: "foo", y: "baz" }));
  assert.ok(sel(["x", "notin", [""]], ["y", "exists", []]).matches({ y: "" }));
  assert.ok(sel(["x", "!", []], ["y", "exists", []]).matches({ y: "" }));
  assert.ok(!sel(["x", "notin", [""]], ["y", "!", []]).matches({ y: "" }));
  assert.ok(!sel(["x", "in", [""]]).matches({ y: "baz" }));
  assert.ok(sel(["z", "gt", ["1"]]).matches({ z: "2" }));
  assert.ok(!sel(["z", "gt", ["1"]]).matches({ z: "v2" }));
});

test("TestSetSelectorParser", () => {
  const table: Array<[string, string]> = [
    ["", ""],
    ["\rx", "x"],
    ["this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"],
    ["this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)"],
    ["0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"],
    ["foo  in\t (abc)", "foo in (abc)"],
    ["x notin\n (abc)", "x notin (abc)"],
    ["x  notin\t\t\t(abc,def)", "x notin (abc,def)"],
    ["x in (abc,def)", "x in (abc,def)"],
    ["x in (abc,)", "x in (,abc)"],
    ["x in ()", "x in ()"],
    ["x notin (abc,def),bar,z in (),w", "bar,w,x notin (abc,def),z in ()"],
    ["x,y in (a)", "x,y in (a)"],
    ["x=a", "x=a"],
    ["x>1", "x>1"],
    ["x<7", "x<7"],
    ["x=a,y!=b", "x=a,y!=b"],
    ["x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"],
  ];
  for (const [input, out] of table) assert.equal(parseSelector(input).toString(), out, JSON.stringify(input));
  for (const bad of ["x=a||y=b", "x==a==b", "!x=a", "x<a", "x in (a", "x in a)", "x,,y", "x notin ( a b )"]) {
    assert.throws(() => parseSelector(bad), Error, bad);
  }
});

test("parser error texts", () => {
  const cases: Array<[string, string]> = [
    ["x in a", "unable to parse requirement: found 'a' expected: '('"],
    ["x in (a", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["x=a,", "found '', expected: identifier after ','"],
    ["x=a b", "found 'b', expected: ',' or 'end of string'"],
    [",x", "found ',', expected: !, identifier, or 'end of string'"],
    ["x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      "x=a b!c",
      "found 'b', expected: ',' or 'end of string'",
    ],
    [
      "a_=b",
      "unable to parse requirement: <nil>: Invalid value: \"a_\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
    [
      "app=-x",
      "unable to parse requirement: values[0][app]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  ];
  for (const [input, message] of cases) assert.throws(() => parseSelector(input), { message }, input);
});

test("metav1.LabelSelector: nil matches nothing, empty everything, expressions", () => {
  assert.ok(!labelSelectorAsSelector(undefined).matches({ a: "b" }));
  assert.ok(labelSelectorAsSelector({}).matches({ a: "b" }));
  const s = labelSelectorAsSelector({
    matchLabels: { app: "web" },
    matchExpressions: [
      { key: "tier", operator: "In", values: ["a", "b"] },
      { key: "canary", operator: "DoesNotExist" },
      { key: "zone", operator: "NotIn", values: ["z1"] },
      { key: "team", operator: "Exists" },
    ],
  });
  assert.equal(s.toString(), "app=web,!canary,team,tier in (a,b),zone notin (z1)");
  assert.ok(s.matches({ app: "web", tier: "a", team: "x" }));
  assert.ok(!s.matches({ app: "web", tier: "a", team: "x", canary: "1" }));
  assert.ok(!s.matches({ app: "web", tier: "c", team: "x" }));
  assert.throws(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] }), {
    message: '"Gt" is not a valid label selector operator',
  });
  assert.throws(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }), {
    message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
  });
});

test("node selector requirements: Gt/Lt compare integers", () => {
  const s = nodeSelectorRequirementsAsSelector([{ key: "cpu-count", operator: "Gt", values: ["4"] }]);
  assert.ok(s.matches({ "cpu-count": "8" }));
  assert.ok(!s.matches({ "cpu-count": "4" }));
  assert.ok(!s.matches({ "cpu-count": "many" }));
  assert.throws(() => nodeSelectorRequirementsAsSelector([{ key: "a", operator: "Lt", values: ["1", "2"] }]), {
    message: "values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required",
  });
  assert.throws(() => nodeSelectorRequirementsAsSelector([{ key: "a", operator: "Near", values: [] }]), {
    message: '"Near" is not a valid node selector operator',
  });
});

test("field selectors", () => {
  assert.deepEqual(parseFieldSelector("status.phase!=Running,metadata.name=x"), [
    { field: "metadata.name", operator: "=", value: "x" },
    { field: "status.phase", operator: "!=", value: "Running" },
  ]);
  assert.throws(() => parseFieldSelector("foo"), { message: "invalid selector: 'foo'; can't understand 'foo'" });
  const pod = (name: string, node: string | undefined, phase: string) =>
    ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: node }, status: { phase } }) as KObject;
  const pods = [pod("a", "n1", "Running"), pod("b", undefined, "Pending"), pod("c", "n2", "Succeeded")];
  const names = (sel: string) => pods.filter(fieldSelectorFor("Pod", sel)).map((p) => p.metadata.name);
  assert.deepEqual(names("spec.nodeName="), ["b"]);
  assert.deepEqual(names("status.phase!=Running"), ["b", "c"]);
  assert.deepEqual(names("metadata.name=c"), ["c"]);
  assert.deepEqual(names("metadata.namespace==default,spec.nodeName=n1"), ["a"]);
  assert.deepEqual(names(""), ["a", "b", "c"]);
  assert.throws(() => fieldSelectorFor("Pod", "spec.foo=bar"), { message: "field label not supported: spec.foo" });
  // Kinds without field label conversions of their own: the scheme's default conversion's text.
  assert.throws(() => fieldSelectorFor("ConfigMap", "data.a=b"), { message: '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"' });
});
