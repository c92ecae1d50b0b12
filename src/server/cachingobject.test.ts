import { test } from "node:test";
import assert from "node:assert/strict";
import { deepFreeze } from "../api/types.ts";
import { encodeBody, encodeBodyText, encodeObject } from "./cachingobject.ts";

test("encodings are JSON.stringify's bytes, kept per frozen object version and shared", () => {
  const pod = deepFreeze({ kind: "Pod", metadata: { name: "p", labels: { "한": "글" } }, spec: { x: [1, null, "\u2028"] } });
  assert.equal(encodeObject(pod).toString("utf8"), JSON.stringify(pod));
  assert.equal(encodeObject(pod), encodeObject(pod)); // the same Buffer: encoded once
  const mutable = { a: 1 };
  const first = encodeObject(mutable);
  mutable.a = 2;
  assert.equal(encodeObject(mutable).toString(), '{"a":2}'); // a mutable object is never cached
  assert.notEqual(first, encodeObject(mutable));
  for (const v of [null, 3, "s", [1, 2], true]) assert.equal(encodeObject(v).toString(), JSON.stringify(v));
});

test("a list's body is the list's JSON.stringify, its items taken from the cache", () => {
  const items = [1, 2, 3].map((i) => deepFreeze({ kind: "Pod", metadata: { name: `p${i}` } }));
  for (const body of [
    { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "7" }, items },
    { items, kind: "PodList", metadata: { note: '"\u0000items' } },
    { kind: "PodList", items: [] },
    { kind: "Table", rows: items },
  ]) {
    assert.equal(encodeBodyText(body), JSON.stringify(body));
  }
  assert.equal(encodeBody({ kind: "PodList", items })[2], encodeObject(items[0]));
});
