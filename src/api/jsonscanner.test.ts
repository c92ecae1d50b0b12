import { test } from "node:test";
import assert from "node:assert/strict";
import { checkValid, findDuplicateFields, jsonKind, quoteChar } from "./jsonscanner.ts";

// Go's encoding/json texts (scanner.go; the cases of scanner_test.go's TestValid and of
// decode_test.go's syntax errors, with the messages Go prints).
const cases: Array<[string, string | undefined]> = [
  ["{}", undefined],
  [' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ', undefined],
  ["", "unexpected end of JSON input"],
  ['{"metadata": {', "unexpected end of JSON input"],
  ['{"a":1', "unexpected end of JSON input"],
  ["{x}", "invalid character 'x' looking for beginning of object key string"],
  ['{"a" "b"}', "invalid character '\"' after object key"],
  ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
  ["[1 2]", "invalid character '2' after array element"],
  ["{}}", "invalid character '}' after top-level value"],
  ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
  ["nul", "unexpected end of JSON input"],
  ["fals e", "invalid character ' ' in literal false (expecting 'e')"],
  ["[-]", "invalid character ']' in numeric literal"],
  ["[1.]", "invalid character ']' after decimal point in numeric literal"],
  ["[1e]", "invalid character ']' in exponent of numeric literal"],
  ['["\\x"]', "invalid character 'x' in string escape code"],
  ['["\\u12g4"]', "invalid character 'g' in \\u hexadecimal character escape"],
  ['["a\nb"]', "invalid character '\\n' in string literal"],
  ["'a'", "invalid character '\\'' looking for beginning of value"],
  ["[01]", "invalid character '1' after array element"],
];
for (const [text, want] of cases) {
  test(`checkValid(${JSON.stringify(text)})`, () => assert.equal(checkValid(text), want));
}

test("checkValid agrees with JSON.parse on what is valid", () => {
  for (const [text, want] of cases) {
    let ok = true;
    try {
      JSON.parse(text);
    } catch {
      ok = false;
    }
    assert.equal(ok, want === undefined, text);
  }
});

test("quoteChar and jsonKind", () => {
  assert.equal(quoteChar("\t"), "'\\t'");
  assert.equal(quoteChar("\u0001"), "'\\x01'");
  assert.deepEqual([[], {}, null, true, 1, "s"].map(jsonKind), ["array", "object", "null", "bool", "number", "string"]);
});

test("nesting: 10000 levels are valid, the 10001st opening is `exceeded max depth` (maxNestingDepth); half a million levels do not overflow the stack", () => {
  assert.equal(checkValid("[".repeat(10000) + "]".repeat(10000)), undefined);
  assert.equal(checkValid('{"a":'.repeat(10000) + "1" + "}".repeat(10000)), undefined);
  assert.equal(checkValid("[".repeat(10001) + "]".repeat(10001)), "invalid character '[' exceeded max depth");
  assert.equal(checkValid('{"a":'.repeat(10000) + "{}" + "}".repeat(10000)), "invalid character '{' exceeded max depth");
  assert.equal(checkValid("[".repeat(500000) + "]".repeat(500000)), "invalid character '[' exceeded max depth");
  assert.equal(checkValid("[".repeat(500000)), "invalid character '[' exceeded max depth");
  assert.equal(checkValid("[".repeat(5000)), "unexpected end of JSON input");
  assert.equal(checkValid('[{"a":[1,{"b":[]}]},2]'), undefined);
});

test("findDuplicateFields: the keys met twice in one object, with the strict decoder's paths, in the order they occur", () => {
  const text = '{"metadata":{"name":"a","name":"b","labels":{"x":"1"}},"spec":{"paused":true,"paused":false,"containers":[{"name":"c"},{"image":"i","image":"j","s":"\\"name\\":"}]},"data":{"k:":"1","k:":"2"}}';
  const { duplicates, firstAt } = findDuplicateFields(text);
  assert.deepEqual(
    duplicates.map((d) => d.path),
    ["metadata.name", "spec.paused", "spec.containers[1].image", "data.k:"],
  );
  assert.ok(duplicates.every((d, i) => i === 0 || d.at > duplicates[i - 1]!.at));
  assert.ok(firstAt.get("metadata.labels.x")! < firstAt.get("spec.paused")!);
  assert.equal(firstAt.get("spec.containers[1].s") !== undefined, true);
  assert.deepEqual(findDuplicateFields('[{"a":1},{"a":2}]').duplicates, []);
});
