import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const GC = fileURLToPath(new URL("../gc.ts", import.meta.url));

/**
 * A process that loads a script with a V8 code cache, as scripts/bundle-loader.cjs does (an exit
 * handler registered at load makes the cache when the run compiled without one), makes its first
 * cluster's GC setting (`scenarioGC`), and prints whether V8 took the cache it found.
 */
const RUN = `
const vm = require("node:vm"), fs = require("node:fs");
const file = process.env.CACHE_FILE;
const source = "(function () { return [1, 2, 3].map((x) => x * 2).join(); })";
const cachedData = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
const script = new vm.Script(source, { filename: "cached.js", cachedData });
script.runInThisContext()();
process.once("exit", () => { if (!cachedData || script.cachedDataRejected) fs.writeFileSync(file, script.createCachedData()); });
import(process.env.GC_MODULE).then((gc) => {
  if (process.env.FIRST_CLUSTER === "1") gc.scenarioGC();
  console.log(cachedData === undefined ? "none" : script.cachedDataRejected ? "rejected" : "used");
});
`;

function run(cacheFile: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", RUN], {
    encoding: "utf8",
    env: { ...process.env, KUBE_SCENARIO_PRETENURING: "", CACHE_FILE: cacheFile, GC_MODULE: GC, FIRST_CLUSTER: "1", ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test("a code cache made at the exit of a run that turned pretenuring off is taken by the next run", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-gc-"));
  try {
    const file = join(dir, "cache.bin");
    assert.equal(run(file), "none");
    // Without restoreDefaultGC at exit, every run finds the cache made under the other flag: "rejected".
    assert.equal(run(file), "used");
    assert.equal(run(file), "used");
    // A run that makes no cluster keeps V8's default throughout and takes it too.
    assert.equal(run(file, { FIRST_CLUSTER: "0" }), "used");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the flag itself is in V8's cache check: data made with pretenuring off is rejected under the default", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-gc-"));
  try {
    const file = join(dir, "cache.bin");
    const r = spawnSync(process.execPath, ["--no-allocation-site-pretenuring", "--import", "tsx", "-e", RUN], {
      encoding: "utf8",
      env: { ...process.env, CACHE_FILE: file, GC_MODULE: GC, FIRST_CLUSTER: "0" },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(run(file, { FIRST_CLUSTER: "0" }), "rejected");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
