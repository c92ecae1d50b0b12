import { test } from "node:test";
import assert from "node:assert/strict";
import { KubectlError } from "../command.ts";
import { parseTaints, reorganizeTaints, taintToString } from "./taint.ts";

// Ported from k8s.io/kubectl/pkg/cmd/taint/utils_test.go TestParseTaints.
const invalid: Array<[string, string[]]> = [
  ["invalid empty spec format", [""]],
  ["invalid spec format without effect", ["foo=abc"]],
  ["invalid spec format with multiple '=' separators", ["foo=abc=xyz:NoSchedule"]],
  ["invalid spec format with multiple ':' separators", ["foo=abc:xyz:NoSchedule"]],
  ["invalid spec taint value without separator", ["foo"]],
  ["invalid spec effect for adding taint", ["foo=abc:invalid_effect"]],
  ["invalid spec effect for deleting taint", ["foo:invalid_effect-"]],
  ["invalid taint key", ["nospecialchars^@=banana:NoSchedule"]],
  ["duplicated taints with the same key and effect", ["foo=bar:NoSchedule", "foo=baz:NoSchedule"]],
];
for (const [name, spec] of invalid) test(`parseTaints rejects: ${name}`, () => assert.throws(() => parseTaints(spec), KubectlError));

test("parseTaints: add new taints", () => {
  const { add, remove } = parseTaints(["foo=abc:NoSchedule", "bar=abc:NoSchedule", "baz:NoSchedule", "qux:NoSchedule", "foobar=:NoSchedule"]);
  assert.deepEqual(add, [
    { key: "foo", value: "abc", effect: "NoSchedule" },
    { key: "bar", value: "abc", effect: "NoSchedule" },
    { key: "baz", effect: "NoSchedule" },
    { key: "qux", effect: "NoSchedule" },
    { key: "foobar", effect: "NoSchedule" },
  ]);
  assert.deepEqual(remove, []);
});

test("parseTaints: delete taints (value ignored; key alone removes every effect)", () => {
  const { add, remove } = parseTaints(["foo:NoSchedule-", "bar:NoSchedule-", "qux=:NoSchedule-", "dedicated-"]);
  assert.deepEqual(add, []);
  assert.deepEqual(remove, [
    { key: "foo", effect: "NoSchedule" },
    { key: "bar", effect: "NoSchedule" },
    { key: "qux", effect: "NoSchedule" },
    { key: "dedicated" },
  ]);
});

test("parseTaints: add and delete in one command", () => {
  const { add, remove } = parseTaints(["foo=abc:NoSchedule", "bar=abc:NoSchedule", "foo:NoSchedule-", "dedicated-"]);
  assert.equal(add.length, 2);
  assert.deepEqual(remove, [{ key: "foo", effect: "NoSchedule" }, { key: "dedicated" }]);
});

test("kubectl's exact messages for bad taints", () => {
  assert.throws(() => parseTaints(["hw=gpu:NoSched"]), { message: "error: invalid taint effect: NoSched, unsupported taint effect\nSee 'kubectl taint -h' for help and examples" });
  assert.throws(() => parseTaints(["hw:NoSchedule", "hw:NoSchedule"]), { message: /duplicated taints with the same key and effect: \{hw {2}NoSchedule <nil>\}/ });
  assert.throws(() => parseTaints(["a:b:c"]), { message: /invalid taint spec: a:b:c\n/ });
  assert.throws(() => parseTaints(["hw=gpu"]), { message: /invalid taint spec: hw=gpu, name part must consist of alphanumeric characters/ });
});

// Behaviour of k8s.io/kubectl/pkg/cmd/taint/taint_test.go TestTaint, at the level of reorganizeTaints.
test("taint: add to a node without taints is 'tainted'", () => {
  const r = reorganizeTaints([], false, [{ key: "foo", value: "bar", effect: "NoSchedule" }], []);
  assert.equal(r.operation, "tainted");
  assert.deepEqual(r.taints, [{ key: "foo", value: "bar", effect: "NoSchedule" }]);
});

test("taint: update an existing taint with --overwrite is 'modified'", () => {
  const r = reorganizeTaints([{ key: "foo", value: "bar", effect: "NoSchedule" }], true, [{ key: "foo", value: "barz", effect: "NoSchedule" }], []);
  assert.equal(r.operation, "modified");
  assert.deepEqual(r.taints, [{ key: "foo", value: "barz", effect: "NoSchedule" }]);
});

test("taint: same key with two effects, remove one of them", () => {
  const old = [{ key: "dedicated", value: "foo", effect: "NoSchedule" }, { key: "dedicated", value: "foo", effect: "PreferNoSchedule" }];
  const r = reorganizeTaints(old, false, [], [{ key: "dedicated", effect: "NoSchedule" }]);
  assert.equal(r.operation, "untainted");
  assert.deepEqual(r.taints, [{ key: "dedicated", value: "foo", effect: "PreferNoSchedule" }]);
});

test("taint: same key with two effects, remove all of them by key", () => {
  const old = [{ key: "dedicated", value: "foo", effect: "NoSchedule" }, { key: "dedicated", value: "foo", effect: "PreferNoSchedule" }];
  const r = reorganizeTaints(old, false, [], [{ key: "dedicated" }]);
  assert.equal(r.operation, "untainted");
  assert.deepEqual(r.taints, []);
});

test("taint: update one taint and remove another is 'modified'", () => {
  const old = [{ key: "dedicated", value: "foo", effect: "NoSchedule" }, { key: "bar", value: "foo", effect: "NoExecute" }];
  const r = reorganizeTaints(old, false, [{ key: "new", value: "x", effect: "NoSchedule" }], [{ key: "bar", effect: "NoExecute" }]);
  assert.equal(r.operation, "modified");
  assert.deepEqual(r.taints.map(taintToString), ["new=x:NoSchedule", "dedicated=foo:NoSchedule"]);
});

test("taint: removing a taint the node does not have is an error naming it", () => {
  const r = reorganizeTaints([], false, [], [{ key: "hw", effect: "NoSchedule" }]);
  assert.deepEqual(r.errors, ['taint "hw:NoSchedule" not found']);
});
