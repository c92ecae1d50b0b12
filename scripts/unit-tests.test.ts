/**
 * scripts/unit-tests.mjs ends a run whose tests leave something open: a test that times out is
 * abandoned where it waits (its `finally` never runs), and its server once kept the whole unit run
 * alive until CI's 90 minutes ran out. Each case runs the runner on a directory of its own holding
 * one test file, and reads its exit code and what it printed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNNER = join(import.meta.dirname, "unit-tests.mjs");

function runOn(source: string): Promise<{ code: number; out: string; err: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), "ks-unit-runner-"));
  for (const d of ["src", "support", "scripts"]) mkdirSync(join(dir, d));
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  writeFileSync(join(dir, "src", "case.test.ts"), source);
  const start = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ["--test-reporter=spec", RUNNER], { cwd: dir, timeout: 120_000 }, (error, out, err) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, out, err, ms: Date.now() - start });
    });
  });
}

const HEAD = `import { test } from "node:test";\nimport { createServer } from "node:http";\nimport { spawn } from "node:child_process";\n`;

test("unit-tests.mjs: a test that times out with its server open fails the run, which ends and names the file", { timeout: 150_000 }, async () => {
  const r = await runOn(
    HEAD +
      `test("abandoned", { timeout: 200 }, async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  await new Promise(() => undefined);
});
test("a later test", () => undefined);
`,
  );
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /unit tests left 1 open .*\n {2}a server at \{"address":"127\.0\.0\.1".*\}, opened by src\/case\.test\.ts:6\n/);
  assert.match(r.out, /test timed out after 200ms/);
});

test("unit-tests.mjs: a child process left running is named and killed", { timeout: 150_000 }, async () => {
  const r = await runOn(HEAD + `test("forgets its child", () => {\n  spawn("sleep", ["600"], { stdio: "ignore" });\n});\n`);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /a child process \(sleep\), opened by src\/case\.test\.ts:5\n/);
  assert.ok(r.ms < 60_000, `ended in ${r.ms} ms`);
});

test("unit-tests.mjs: anything else that holds the event loop ends the run after its grace, named", { timeout: 150_000 }, async () => {
  const r = await runOn(HEAD + `test("leaves an interval", () => {\n  setInterval(() => undefined, 1000);\n});\n`);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /the run still held .* 10 s after its last test; ended \(exit code 1;/);
  assert.match(r.out, /✔ leaves an interval/, "each test's result was written first");
});

test("unit-tests.mjs: a run that closes what it opens passes, at once", { timeout: 150_000 }, async () => {
  const r = await runOn(
    HEAD +
      `test("closes on a timeout too", { timeout: 30_000 }, async (t) => {
  const s = createServer();
  t.after(() => new Promise<void>((r) => s.close(() => r())));
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
});
`,
  );
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.err, "");
  assert.ok(r.ms < 60_000, `ended in ${r.ms} ms`);
});
