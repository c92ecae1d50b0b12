/**
 * support/compile-cache.cjs: a module compiled through the cache behaves as Node's own compile
 * (exports, require, __filename, stack positions), a changed file is never run from a stale entry
 * (even with the same length, which V8's own check does not see), and the cache is only rewritten
 * when something was compiled anew.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const PRELOAD = resolve("support/compile-cache.cjs");

/** A project whose node_modules holds a stand-in for Cucumber and a module `lib` it requires. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "ks-compile-cache-"));
  const cucumber = join(dir, "node_modules", "@cucumber", "cucumber");
  mkdirSync(join(cucumber, "bin"), { recursive: true });
  writeFileSync(join(cucumber, "package.json"), JSON.stringify({ name: "@cucumber/cucumber", version: "0.0.0", main: "lib.js" }));
  writeFileSync(
    join(cucumber, "bin", "cucumber.js"),
    "#!/usr/bin/env node\nconst lib = require('../lib.js');\nconsole.log(JSON.stringify(lib.describe()));\n",
  );
  lib(dir, "A");
  return dir;
}

/** `lib.js`: reports what the wrapper gave it, and the position of an error thrown on its first line. */
function lib(dir: string, tag: string): void {
  writeFileSync(
    join(dir, "node_modules", "@cucumber", "cucumber", "lib.js"),
    `const where = () => { try { null.x; } catch (e) { return e.stack.split("\\n")[1].trim(); } }; exports.tag = "${tag}";\n` +
      `exports.describe = () => ({ tag: exports.tag, where: where(), file: __filename.endsWith("lib.js"), dir: typeof __dirname, resolved: require.resolve("./package.json").endsWith("package.json"), self: require("./lib.js") === exports, main: require.main === module ? "self" : typeof require.main, thisIsExports: this === exports });\n`,
  );
}

/**
 * `mapped.js`, which names a source map (its first line from `orig.ts` line 10), and `unmapped.js`,
 * which names none; the entry script turns source maps on and then requires both, as our bundle's
 * entry turns them on before the packages it loads.
 */
function withMaps(dir: string): void {
  const pkg = join(dir, "node_modules", "@cucumber", "cucumber");
  const thrower = `exports.where = () => { try { null.x; } catch (e) { return e.stack.split("\\n")[1].trim(); } };\n`;
  writeFileSync(join(pkg, "mapped.js"), thrower + "//# sourceMappingURL=mapped.js.map\n");
  writeFileSync(join(pkg, "mapped.js.map"), JSON.stringify({ version: 3, file: "mapped.js", sources: ["orig.ts"], names: [], mappings: "AASA" }));
  writeFileSync(join(pkg, "unmapped.js"), thrower);
  writeFileSync(
    join(pkg, "bin", "maps.js"),
    "#!/usr/bin/env node\nprocess.setSourceMapsEnabled(true);\nconsole.log(JSON.stringify({ mapped: require('../mapped.js').where(), unmapped: require('../unmapped.js').where() }));\n",
  );
}

function run(dir: string, preload: boolean, script = "cucumber.js"): { out: Record<string, unknown>; cache: string[] } {
  const args = [...(preload ? ["--require", PRELOAD] : []), join(dir, "node_modules", "@cucumber", "cucumber", "bin", script)];
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  const cacheDir = join(dir, "node_modules", ".cache", "kube-scenario");
  let cache: string[] = [];
  try {
    cache = readdirSync(cacheDir).map((f) => join(cacheDir, f));
  } catch {
    // no cache written
  }
  return { out: JSON.parse(r.stdout) as Record<string, unknown>, cache };
}

test("a module compiled through the cache sees what Node's compile gives it, and a changed file is compiled anew", () => {
  const dir = project();
  try {
    const plain = run(dir, false);
    const first = run(dir, true);
    assert.deepEqual(first.out, plain.out);
    assert.equal(first.cache.length, 1, "the first run writes the cache");
    const written = statSync(first.cache[0]).mtimeMs;

    const second = run(dir, true);
    assert.deepEqual(second.out, plain.out, "run from the cache: same exports, require, positions");
    assert.equal(statSync(second.cache[0]).mtimeMs, written, "nothing compiled anew: the cache is not rewritten");

    // Same length, other content: V8 alone would accept the stale data.
    lib(dir, "B");
    const third = run(dir, true);
    assert.equal(third.out.tag, "B");
    assert.deepEqual({ ...third.out, tag: "A" }, plain.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a broken or foreign cache file only means compiling as usual", () => {
  const dir = project();
  try {
    const plain = run(dir, false);
    const cacheDir = join(dir, "node_modules", ".cache", "kube-scenario");
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `compile-cucumber-${process.versions.v8}-${process.arch}.bin`), "not a cache");
    assert.deepEqual(run(dir, true).out, plain.out);
    assert.deepEqual(run(dir, true).out, plain.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("with source maps on, a file that names a map keeps Node's compile (its stack positions mapped); one that names none is cached", () => {
  const dir = project();
  try {
    withMaps(dir);
    const plain = run(dir, false, "maps.js");
    assert.match(String(plain.out.mapped), /orig\.ts:10:1/);
    const first = run(dir, true, "maps.js");
    assert.deepEqual(first.out, plain.out);
    assert.equal(first.cache.length, 1, "unmapped.js went through the cache");
    assert.deepEqual(run(dir, true, "maps.js").out, plain.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a worker thread (the report formatters') caches its modules in a file of its own, written when it asks", () => {
  const dir = project();
  try {
    const pkg = join(dir, "node_modules", "@cucumber", "cucumber");
    // The thread installs the hook for the node_modules folder of a module it names, loads lib.js,
    // writes its cache and reports; the main thread (no preload) loads nothing through the hook.
    writeFileSync(
      join(pkg, "bin", "thread.js"),
      "#!/usr/bin/env node\nconst { Worker } = require('node:worker_threads');\n" +
        `const w = new Worker(${JSON.stringify(
          `const { parentPort } = require('node:worker_threads');\n` +
            `const write = require(${JSON.stringify(PRELOAD)}).installInThread(${JSON.stringify(join(pkg, "package.json"))}, 'reports');\n` +
            `const lib = require(${JSON.stringify(join(pkg, "lib.js"))});\n` +
            `const out = lib.describe(); write(); parentPort.postMessage({ ...out, main: typeof out.main });`,
        )}, { eval: true });\n` +
        "w.on('message', (m) => console.log(JSON.stringify({ ...m, mainThreadNoop: require(" +
        JSON.stringify(PRELOAD) +
        ").installInThread(__filename, 'x').toString() === '() => {}' })));\n",
    );
    const first = run(dir, false, "thread.js");
    assert.equal(first.out.tag, "A");
    assert.equal(first.out.self, true);
    assert.equal(first.out.mainThreadNoop, true, "in the main thread installInThread does nothing");
    assert.deepEqual(first.cache.map((f) => f.split("/").pop()), [`compile-thread-reports-${process.versions.v8}-${process.arch}.bin`]);
    const written = statSync(first.cache[0]).mtimeMs;
    const second = run(dir, false, "thread.js");
    assert.deepEqual(second.out, first.out, "run from the thread's cache: the same");
    assert.equal(statSync(second.cache[0]).mtimeMs, written, "nothing compiled anew: not rewritten");
    lib(dir, "B");
    assert.equal(run(dir, false, "thread.js").out.tag, "B", "a same-length change is compiled anew");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
