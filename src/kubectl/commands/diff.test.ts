import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { maskSecrets } from "./diff.ts";

const secret = (data?: Record<string, string>) => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, ...(data ? { data } : {}) }) as KObject;

// The cases of diff_test.go's TestMasker, on the Masker's rules.
test("Masker: equal values '***', differing ones '*** (before)' / '*** (after)', one-sided ones '***'", () => {
  const cases: { name: string; from?: Record<string, string>; to?: Record<string, string>; wantFrom?: Record<string, string>; wantTo?: Record<string, string> }[] = [
    { name: "no changes", from: { a: "x", b: "y" }, to: { a: "x", b: "y" }, wantFrom: { a: "***", b: "***" }, wantTo: { a: "***", b: "***" } },
    { name: "object created", to: { a: "x" }, wantTo: { a: "***" } },
    { name: "object removed", from: { a: "x" }, wantFrom: { a: "***" } },
    { name: "data key added", from: { a: "x" }, to: { a: "x", b: "y" }, wantFrom: { a: "***" }, wantTo: { a: "***", b: "***" } },
    { name: "data key changed", from: { a: "x", b: "y" }, to: { a: "x", b: "z" }, wantFrom: { a: "***", b: "*** (before)" }, wantTo: { a: "***", b: "*** (after)" } },
    { name: "data key removed", from: { a: "x", b: "y" }, to: { a: "x" }, wantFrom: { a: "***", b: "***" }, wantTo: { a: "***" } },
  ];
  for (const c of cases) {
    const from = c.from ? secret(c.from) : undefined;
    const to = c.to ? secret(c.to) : undefined;
    maskSecrets(from, to);
    assert.deepEqual(from?.data, c.wantFrom, c.name);
    assert.deepEqual(to?.data, c.wantTo, c.name);
  }
});

test("kubectl diff: exit 1 with diff -u -N's output for a change, 0 and nothing when applied, 2 for kubectl's errors", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  k: "${v}"\n`;
  const created = await c.kubectl("diff -f -", cm("1"));
  assert.equal(created.exitCode, 1);
  const lines = created.stdout.split("\n");
  assert.match(lines[0]!, /^diff -u -N \/tmp\/LIVE-\d+\/v1\.ConfigMap\.default\.cfg \/tmp\/MERGED-\d+\/v1\.ConfigMap\.default\.cfg$/);
  assert.match(lines[1]!, /^--- \/tmp\/LIVE-\d+\/v1\.ConfigMap\.default\.cfg\t2024-01-08 00:00:00\.000000000 \+0000$/);
  assert.equal(lines[3], "@@ -0,0 +1,9 @@");
  assert.equal(c.api.get("ConfigMap", "default", "cfg"), undefined, "a diff creates nothing");
  await c.kubectl("apply -f -", cm("1"));
  assert.deepEqual(await c.kubectl("diff -f -", cm("1")), { stdout: "", stderr: "", exitCode: 0 });
  const changed = await c.kubectl("diff -f -", cm("2"));
  assert.equal(changed.exitCode, 1);
  assert.ok(changed.stdout.includes('-  k: "1"\n+  k: "2"\n'), changed.stdout);
  assert.equal(c.api.get("ConfigMap", "default", "cfg")!.data.k, "1");
  assert.deepEqual(await c.kubectl("diff"), { stdout: "", stderr: "error: must specify one of -f and -k\n", exitCode: 2 });
  const invalid = await c.kubectl("diff -f -", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n");
  assert.deepEqual(invalid, { stdout: "", stderr: 'The Pod "p" is invalid: spec.containers: Required value\n', exitCode: 2 });
  // --server-side: the apply patch's dry run (here the live object has no managed fields: no conflict).
  const ssa = await c.kubectl("diff --server-side -f -", cm("3"));
  assert.equal(ssa.exitCode, 1);
  assert.ok(ssa.stdout.includes('-  k: "1"\n+  k: "3"\n'), ssa.stdout);
  assert.equal((await c.kubectl("diff --force-conflicts -f -", cm("3"))).exitCode, 2);
});
