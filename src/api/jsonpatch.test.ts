/**
 * applyJSONPatch against RFC 6902's Appendix A examples (as evanphx/json-patch's patch_test.go
 * carries them) and the library's own error texts (checked against the real kubectl's
 * `patch --local`/`--dry-run=client`, src/kubectl/testdata/patch.yaml).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyJSONPatch, decodeJSONPatch, JSONPatchError } from "./jsonpatch.ts";

const apply = (doc: unknown, ops: unknown) => applyJSONPatch(structuredClone(doc) as Record<string, unknown>, decodeJSONPatch(ops));

const good: Array<[string, unknown, unknown, unknown]> = [
  ["A.1 add an object member", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }], { foo: "bar", baz: "qux" }],
  ["A.2 add an array element", { foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }], { foo: ["bar", "qux", "baz"] }],
  ["A.3 remove an object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], { foo: "bar" }],
  ["A.4 remove an array element", { foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }], { foo: ["bar", "baz"] }],
  ["A.5 replace a value", { baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }], { baz: "boo", foo: "bar" }],
  [
    "A.6 move a value",
    { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
    [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
    { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
  ],
  ["A.7 move an array element", { foo: ["all", "grass", "cows", "eat"] }, [{ op: "move", from: "/foo/1", path: "/foo/3" }], { foo: ["all", "cows", "eat", "grass"] }],
  ["A.8 test a value: success", { baz: "qux", foo: ["a", 2, "c"] }, [{ op: "test", path: "/baz", value: "qux" }, { op: "test", path: "/foo/1", value: 2 }], { baz: "qux", foo: ["a", 2, "c"] }],
  ["A.10 add a nested member object", { foo: "bar" }, [{ op: "add", path: "/child", value: { grandchild: {} } }], { foo: "bar", child: { grandchild: {} } }],
  ["A.14 ~ escape ordering", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }], { "/": 9, "~1": 10 }],
  ["A.16 add an array value", { foo: ["bar"] }, [{ op: "add", path: "/foo/-", value: ["abc", "def"] }], { foo: ["bar", ["abc", "def"]] }],
  ["copy", { a: { b: 1 } }, [{ op: "copy", from: "/a", path: "/c" }], { a: { b: 1 }, c: { b: 1 } }],
  ["a negative index counts from the end", { foo: [1, 2, 3] }, [{ op: "remove", path: "/foo/-1" }], { foo: [1, 2] }],
  ["replace of a missing map key adds it (v4)", { a: 1 }, [{ op: "replace", path: "/b", value: 2 }], { a: 1, b: 2 }],
  ["a missing value tests equal to null", { a: 1 }, [{ op: "test", path: "/b", value: null }], { a: 1 }],
];
for (const [name, doc, ops, want] of good) {
  test(`JSON patch: ${name}`, () => assert.deepEqual(apply(doc, ops), want));
}

const bad: Array<[string, unknown, unknown, string]> = [
  ["A.9 test a value: error", { baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }], "testing value /baz failed: test failed"],
  ["A.12 adding to a nonexistent target", { foo: "bar" }, [{ op: "add", path: "/baz/bat", value: "qux" }], 'add operation does not apply: doc is missing path: "/baz/bat": missing value'],
  ["remove of a missing key", { a: {} }, [{ op: "remove", path: "/a/x" }], "error in remove for path: '/a/x': Unable to remove nonexistent key: x: missing value"],
  ["remove under a missing path", { a: {} }, [{ op: "remove", path: "/b/x" }], 'remove operation does not apply: doc is missing path: "/b/x": missing value'],
  ["replace past the end of a list", { a: [1] }, [{ op: "replace", path: "/a/3", value: 0 }], "replace operation does not apply: doc is missing key: /a/3: missing value"],
  ["add past the end of a list", { a: [1] }, [{ op: "add", path: "/a/5", value: 0 }], "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced"],
  ["add at a word in a list", { a: [1] }, [{ op: "add", path: "/a/x", value: 0 }], "error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"],
  ["move from a missing key", { a: {} }, [{ op: "move", from: "/a/n", path: "/a/m" }], "error in move for path: 'n': Unable to remove nonexistent key: n: missing value"],
  ["an unknown operation", {}, [{ op: "frobnicate", path: "/a" }], "Unexpected kind: frobnicate"],
  ["no operation", {}, [{}], "Unexpected kind: unknown"],
  ["no path", {}, [{ op: "add", value: 1 }], "add operation failed to decode path: missing value"],
  ["no path to replace", {}, [{ op: "replace", value: 1 }], "replace operation failed to decode path: operation missing path field: missing value"],
  ["the whole document", {}, [{ op: "add", path: "", value: 1 }], 'add operation does not apply: doc is missing path: "": missing value'],
];
for (const [name, doc, ops, msg] of bad) {
  test(`JSON patch fails: ${name}`, () => assert.throws(() => apply(doc, ops), (e: unknown) => e instanceof JSONPatchError && e.message === msg));
}

test("decodeJSONPatch: the strict decode into []jsonPatchOp", () => {
  assert.throws(() => decodeJSONPatch({ op: "add" }), /cannot unmarshal object into Go value of type \[\]handlers\.jsonPatchOp/);
  assert.throws(() => decodeJSONPatch([1]), /cannot unmarshal number into Go value of type handlers\.jsonPatchOp/);
  assert.throws(() => decodeJSONPatch([{ op: "add", path: 5 }]), /cannot unmarshal number into Go struct field jsonPatchOp\.path of type string/);
  assert.deepEqual(decodeJSONPatch(null), []);
});

test("operations apply in order and the values are copies", () => {
  const value = { x: 1 };
  const out = apply({ a: [] }, [{ op: "add", path: "/a/-", value }, { op: "copy", from: "/a/0", path: "/b" }]) as { a: unknown[]; b: { x: number } };
  out.b.x = 2;
  assert.deepEqual(out.a, [{ x: 1 }]);
  assert.equal(value.x, 1);
});
