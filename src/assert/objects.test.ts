// `Then <kind> "<name>" matches:`: undefined when the object matches, else the differing paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { checkObjectMatches } from "./objects.ts";

test("checkObjectMatches finds the object as kubectl names it and reports the differing paths", async () => {
  const c = new Cluster();
  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n");
  assert.equal(checkObjectMatches(c, "cm", "cfg", undefined, "data: {a: '1'}"), undefined);
  assert.match(checkObjectMatches(c, "configmap", "cfg", undefined, "data: {a: '2'}")!, /^configmap "cfg" does not match at .*:\n {2}data\.a: .*\n {4}expected: "2"\n {4}actual: {3}"1"/);
  assert.match(checkObjectMatches(c, "configmap", "nope", undefined, "data: {}")!, /^configmap "nope" not found in namespace "default" \(at .*\); existing: cfg/);
  assert.throws(() => checkObjectMatches(c, "gizmo", "cfg", undefined, "a: 1"), /"gizmo" is not a kind kubectl knows/);
  assert.throws(() => checkObjectMatches(c, "cm", "cfg", undefined, "a: [1"), /the expectation is not valid YAML/);
  await c.close();
});

test("checkObjectMatches answers the same when it reads the same expectation again (a poll), as the object changes", async () => {
  const c = new Cluster();
  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n");
  const want = "data: {a: '2', b: [x, y]}";
  const first = checkObjectMatches(c, "cm", "cfg", undefined, want);
  assert.equal(checkObjectMatches(c, "cm", "cfg", undefined, want), first);
  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '2', b: '[x, y]'}\n");
  assert.match(checkObjectMatches(c, "cm", "cfg", undefined, want)!, /data\.b: expected a list\n {4}expected: \["x","y"\]/);
  for (let i = 0; i < 2; i++) assert.throws(() => checkObjectMatches(c, "cm", "cfg", undefined, "a: [1"), /the expectation is not valid YAML/);
  await c.close();
});
