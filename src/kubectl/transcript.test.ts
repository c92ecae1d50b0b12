import { test } from "node:test";
import assert from "node:assert/strict";
import { blank } from "./transcript.ts";

test("blank masks resourceVersion values (YAML and JSON) and the given patterns, nothing else", () => {
  assert.equal(blank('metadata:\n  resourceVersion: "1054"\n  uid: abc\n', undefined), 'metadata:\n  resourceVersion: "<rv>"\n  uid: abc\n');
  assert.equal(blank('{\n    "resourceVersion": "7",\n    "name": "x"\n}', undefined), '{\n    "resourceVersion": "<rv>",\n    "name": "x"\n}');
  assert.equal(blank("age 5s\n", ["\\d+s$"]), "age <ignored>\n");
  assert.equal(blank("generation: 1054\n", undefined), "generation: 1054\n");
});
