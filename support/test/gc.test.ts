import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * The report thread (support/reports-thread.mjs, the real file) over a stand-in Cucumber whose
 * message formatter it compiles through its code cache (support/compile-cache.cjs), driven as
 * support/reports-formatter.mjs drives it: `reportThreadGC` asked before the thread starts, the
 * run's first cluster (`scenarioGC`) made at once, before the thread has compiled anything, or only
 * once it has loaded its formatters (the two ends of the race), an envelope, the end, and V8's
 * default put back only once the thread is done.
 * Prints the thread's cache file's inode (a rewrite renames a new file over it) and the report.
 */
const THREAD = fileURLToPath(new URL("../reports-thread.mjs", import.meta.url));
const DRIVE = `
import { Worker } from "node:worker_threads";
import { statSync, readFileSync } from "node:fs";
const gc = await import(process.env.GC_MODULE);
const d = JSON.parse(process.env.DRIVE);
const pretenuringOff = d.threadTurnsOff ? globalThis[Symbol.for("kube-scenario.reportThreadGC")]() : false;
const worker = new Worker(d.thread, { workerData: { pretenuringOff, formats: [["message", d.target]], formatOptions: {}, cwd: d.dir, cucumber: d.cucumber, library: { beforeTestCaseHookDefinitions: [], afterTestCaseHookDefinitions: [] } }, execArgv: [] });
// The run's first cluster: at once (before the thread compiles) or once the thread has loaded.
if (d.clusterLate) await new Promise((res) => worker.once("message", (m) => m.ready && res()));
gc.scenarioGC();
worker.postMessage({ envelopes: [{ meta: { n: 1 } }] });
if (d.restoreFirst) gc.restoreDefaultGC();
worker.postMessage({ end: true });
await new Promise((res) => worker.on("message", (m) => m.done && res()));
await new Promise((res) => worker.on("exit", res));
gc.restoreDefaultGC();
console.log(JSON.stringify({ ino: statSync(d.cache).ino, report: readFileSync(d.target, "utf8") }));
`;

function standInCucumber(dir: string): string {
  const pkg = join(dir, "node_modules", "@cucumber", "cucumber");
  mkdirSync(join(pkg, "formatter", "builtin"), { recursive: true });
  mkdirSync(join(pkg, "support_code_library_builder"), { recursive: true });
  mkdirSync(join(pkg, "formatter", "helpers"), { recursive: true });
  writeFileSync(join(pkg, "formatter", "helpers", "event_data_collector.js"), "exports.default = class EventDataCollector { constructor(b) { this.b = b; } };\n");
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@cucumber/cucumber", version: "0.0.0", main: "index.js" }));
  writeFileSync(join(pkg, "index.js"), "module.exports = {};\n");
  writeFileSync(join(pkg, "formatter", "index.js"), "exports.default = class Formatter {};\n");
  writeFileSync(join(pkg, "support_code_library_builder", "world.js"), "exports.default = class World {};\n");
  // Enough code that the thread compiles several functions, all in one module of the cache.
  writeFileSync(
    join(pkg, "formatter", "builtin", "message.js"),
    "const line = (e) => JSON.stringify(e) + '\\n';\n" +
      "exports.default = class MessageFormatter {\n" +
      "  constructor(o) { this.o = o; o.eventBroadcaster.on('envelope', (e) => o.log(line(e))); }\n" +
      "  finished() { return new Promise((res) => this.o.cleanup().then(res)); }\n" +
      "};\n",
  );
  return join(pkg, "index.js");
}

function drive(dir: string, cucumber: string, options: { threadTurnsOff: boolean; clusterLate: boolean; restoreFirst?: boolean }): { ino: number; report: string } {
  const d = { ...options, dir, cucumber, thread: THREAD, target: join(dir, "messages.ndjson"), cache: join(dir, "node_modules", ".cache", "kube-scenario", `compile-thread-reports-${process.versions.v8}-${process.arch}.bin`) };
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", DRIVE], {
    encoding: "utf8",
    env: { ...process.env, KUBE_SCENARIO_PRETENURING: "", KUBE_SCENARIO_COMPILE_CACHE: "", NODE_V8_COVERAGE: "", GC_MODULE: GC, DRIVE: JSON.stringify(d) },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { ino: number; report: string };
}

test("the report thread's code cache, made under the flags it is read under, is taken by the next run whenever the first cluster comes", () => {
  for (const clusterLate of [false, true]) {
    const dir = mkdtempSync(join(tmpdir(), "ks-gc-thread-"));
    try {
      const cucumber = standInCucumber(dir);
      const first = drive(dir, cucumber, { threadTurnsOff: true, clusterLate });
      assert.equal(first.report, '{"meta":{"n":1}}\n');
      // Every module found its entry: nothing compiled anew, the cache not written again.
      assert.equal(drive(dir, cucumber, { threadTurnsOff: true, clusterLate }).ino, first.ino);
      assert.equal(drive(dir, cucumber, { threadTurnsOff: true, clusterLate: !clusterLate }).ino, first.ino);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("without the thread's own change, or with the default put back before the thread is done, the thread's cache is rejected and written again at every run", () => {
  for (const mode of [
    // The thread compiles before the first cluster's change, and makes its cache after it.
    { threadTurnsOff: false, clusterLate: true },
    // The thread compiles under its own change, but the default is back before it makes its cache.
    { threadTurnsOff: true, clusterLate: true, restoreFirst: true },
  ]) {
    const dir = mkdtempSync(join(tmpdir(), "ks-gc-thread-"));
    try {
      const cucumber = standInCucumber(dir);
      let last = drive(dir, cucumber, mode).ino;
      for (let i = 0; i < 2; i++) {
        const next = drive(dir, cucumber, mode).ino;
        assert.notEqual(next, last, JSON.stringify(mode));
        last = next;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
