/**
 * scripts/bundle-loader.cjs: a bundle file loaded through the V8 code cache behaves as Node's own
 * CommonJS load (exports, require, strict mode, the extra `__ks_src` argument, stack positions
 * mapped to the original file through its source map), its entry is used by a later run, and a
 * changed file is never run from a stale entry, even with the same length (V8's own check).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const LOADER = resolve("scripts/bundle-loader.cjs");

/**
 * `lib.cjs`, as esbuild writes the bundle (strict, a map comment at the end), whose first
 * generated lines come from `orig.ts` line 10; and a driver that turns maps on, runs it through the
 * loader and prints what it saw.
 */
function project(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ks-bundle-loader-"));
  lib(dir, tag);
  writeFileSync(join(dir, "lib.cjs.map"), JSON.stringify({ version: 3, file: "lib.cjs", sources: ["orig.ts"], names: [], mappings: ";AASA;AACA" }));
  writeFileSync(
    join(dir, "driver.cjs"),
    `process.setSourceMapsEnabled(true);\nconst { run } = require(${JSON.stringify(LOADER)});\n` +
      `const r = run(require("node:path").join(__dirname, "lib.cjs"), { from: "src" });\n` +
      `const native = require("./lib.cjs").describe();\n` +
      `console.log(JSON.stringify({ cache: r.cache, ...r.exports.describe(), nativeWhere: native.where }));\n`,
  );
  return dir;
}

function lib(dir: string, tag: string): void {
  writeFileSync(
    join(dir, "lib.cjs"),
    `"use strict";\n` +
      `const where = () => { try { null.x; } catch (e) { return e.stack.split("\\n")[1].trim(); } }; exports.tag = "${tag}";\n` +
      `exports.describe = () => { let strict = false; try { undefined_global_x = 1; } catch { strict = true; } return { tag: exports.tag, where: where(), file: __filename.endsWith("lib.cjs"), resolved: require.resolve("./lib.cjs") === __filename, thisIsExports: this === exports, ksSrc: typeof __ks_src === "undefined" ? null : __ks_src, strict }; };\n` +
      `//# sourceMappingURL=lib.cjs.map\n`,
  );
}

function run(dir: string, env: Record<string, string> = {}): Record<string, unknown> {
  const r = spawnSync(process.execPath, [join(dir, "driver.cjs")], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  return JSON.parse(r.stdout);
}

test("a file runs as Node's CommonJS load would, with its map, and its cache entry is made once and then used", () => {
  const dir = project("A");
  try {
    const first = run(dir);
    const where = `at where (${join(dir, "orig.ts")}:10:1)`;
    const expected = { tag: "A", where, nativeWhere: where, file: true, resolved: true, thisIsExports: true, ksSrc: { from: "src" }, strict: true };
    assert.deepEqual(first, { cache: "made", ...expected });
    assert.ok(existsSync(join(dir, "lib.cjs.v8cache")));
    const written = readFileSync(join(dir, "lib.cjs.v8cache"));
    assert.deepEqual(run(dir), { cache: "used", ...expected });
    assert.deepEqual(readFileSync(join(dir, "lib.cjs.v8cache")), written, "an entry that was used is not rewritten");
    assert.deepEqual(run(dir, { KUBE_SCENARIO_COMPILE_CACHE: "0" }), { cache: "off", ...expected });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an entry made by a run that compiled little is made again by a run that compiled much more, and only then", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-bundle-loader-"));
  try {
    // 400 functions, compiled lazily: only those a run calls are in the entry it makes.
    const fns = Array.from({ length: 400 }, (_, i) => `function f${i}(x) { let s = 0; for (let k = 0; k < x; k++) s += (k * ${i + 1}) % 7; return s + ${i}; }`);
    writeFileSync(join(dir, "lib.cjs"), `"use strict";\n${fns.join("\n")}\nexports.all = [${fns.map((_, i) => `f${i}`).join(", ")}];\n`);
    writeFileSync(
      join(dir, "driver.cjs"),
      `const { run, writeCaches } = require(${JSON.stringify(LOADER)});\n` +
        `const r = run(require("node:path").join(__dirname, "lib.cjs"));\n` +
        `const n = Number(process.argv[2]); let sum = 0;\n` +
        `for (const f of r.exports.all.slice(0, n)) sum += f(3);\n` +
        // support/reports-formatter.mjs's early call; the exit handler then writes nothing again.
        `if (process.argv[3] === "early") globalThis[Symbol.for("kube-scenario.writeBundleCaches")]();\n` +
        `console.log(JSON.stringify({ cache: r.cache, sum }));\n`,
    );
    const go = (n: number, early = "") => {
      const r = spawnSync(process.execPath, [join(dir, "driver.cjs"), String(n), early], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { cache: string; sum: number };
    };
    const entry = () => readFileSync(join(dir, "lib.cjs.v8cache"));
    assert.equal(go(0).cache, "made"); // a dry run: the top level only
    const small = entry();
    assert.equal(go(0).cache, "used");
    assert.deepEqual(entry(), small, "nothing more compiled: not made again");
    const all = go(400, "early");
    assert.equal(all.cache, "used");
    const large = entry();
    assert.ok(large.length > small.length * 1.5, `made again with the functions this run compiled (${small.length} -> ${large.length} bytes)`);
    assert.equal(large.subarray(0, large.indexOf(10)).toString(), small.subarray(0, small.indexOf(10)).toString(), "the same key");
    assert.deepEqual(go(400), { cache: "used", sum: all.sum });
    assert.deepEqual(entry(), large, "an entry that holds what the run compiled is not made again");
    assert.deepEqual(go(0), { cache: "used", sum: 0 });
    assert.deepEqual(entry(), large, "never replaced by a smaller one");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the run's end measured early (the report formatter's call) is the measure the refresh decides by", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-bundle-loader-"));
  try {
    const fns = Array.from({ length: 400 }, (_, i) => `function f${i}(x) { let s = 0; for (let k = 0; k < x; k++) s += (k * ${i + 1}) % 7; return s + ${i}; }`);
    writeFileSync(join(dir, "lib.cjs"), `"use strict";\n${fns.join("\n")}\nexports.all = [${fns.map((_, i) => `f${i}`).join(", ")}];\n`);
    // argv[2]: "before" notes the run's end before calling the 400 functions, "after" once they ran.
    writeFileSync(
      join(dir, "driver.cjs"),
      `const { run } = require(${JSON.stringify(LOADER)});\n` +
        `const r = run(require("node:path").join(__dirname, "lib.cjs"));\n` +
        `const note = () => globalThis[Symbol.for("kube-scenario.noteBundleRunEnd")]();\n` +
        `if (process.argv[2] === "before") note();\n` +
        `for (const f of r.exports.all) f(3);\n` +
        `if (process.argv[2] === "after") note();\n` +
        `globalThis[Symbol.for("kube-scenario.writeBundleCaches")]();\n` +
        `console.log(r.cache);\n`,
    );
    const go = (when: string) => {
      const r = spawnSync(process.execPath, [join(dir, "driver.cjs"), when], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    const entry = () => readFileSync(join(dir, "lib.cjs.v8cache"));
    // The entry made by a dry run (the top level only).
    writeFileSync(join(dir, "dry.cjs"), `require(${JSON.stringify(LOADER)}).run(require("node:path").join(__dirname, "lib.cjs"));\n`);
    assert.equal(spawnSync(process.execPath, [join(dir, "dry.cjs")]).status, 0);
    const small = entry();
    assert.equal(go("before"), "used");
    assert.deepEqual(entry(), small, "noted before the functions compiled: no growth seen, not made again");
    assert.equal(go("after"), "used");
    assert.ok(entry().length > small.length * 1.5, "noted after: the growth is seen and the entry made again");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a changed file of the same length never runs from the stale entry", () => {
  const dir = project("A");
  try {
    assert.equal(run(dir).tag, "A");
    lib(dir, "B"); // same length, other text
    const after = run(dir);
    assert.equal(after.tag, "B");
    assert.equal(after.cache, "made");
    assert.equal(run(dir).cache, "used");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unreadable or foreign cache file only means compiling anew", () => {
  const dir = project("A");
  try {
    writeFileSync(join(dir, "lib.cjs.v8cache"), "not a cache\n\u0000\u0001");
    assert.equal(run(dir).cache, "made");
    assert.equal(run(dir).cache, "used");
    const { keyOf } = createRequire(import.meta.url)(LOADER) as { keyOf: (text: string | Buffer) => string };
    // The loader hashes a file's bytes: the key of its text, so entries made either way are used.
    const text = "// 2³¹ — 일|시간\nmodule.exports = 1;\n";
    assert.equal(keyOf(Buffer.from(text, "utf8")), keyOf(text));
    assert.match(keyOf("x"), new RegExp(`${process.version.replaceAll(".", "\\.")} ${process.versions.v8.replaceAll(".", "\\.")} ${process.arch}$`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a deferred map (src.cjs's) is registered when a stack first passes through its file, the same map as at load", () => {
  const dir = project("A");
  try {
    writeFileSync(
      join(dir, "lazy.cjs"),
      `process.setSourceMapsEnabled(true);\n` +
        `const { findSourceMap } = require("node:module");\nconst path = require("node:path");\n` +
        `const { run } = require(${JSON.stringify(LOADER)});\n` +
        `const file = path.join(__dirname, "lib.cjs");\n` +
        `const r = run(file, undefined, { lazyMap: process.argv[2] === "lazy" });\n` +
        `const before = findSourceMap(file) !== undefined;\n` +
        `const named = Error.prepareStackTrace.name;\n` +
        `const via = process.argv[3];\n` +
        // define.ts's path: it asks the loader before looking a file's map up; or Node's own, a stack through the file.
        `let where;\n` +
        `if (via === "define") { globalThis[Symbol.for("kube-scenario.ensureSourceMap")]?.(file); where = r.exports.describe().where; }\n` +
        `else where = r.exports.describe().where;\n` +
        `const sm = findSourceMap(file);\n` +
        `console.log(JSON.stringify({ before, named, where, payload: sm && sm.payload, entry: sm && sm.findEntry(1, 0) }));\n`,
    );
    const go = (...args: string[]) => {
      const r = spawnSync(process.execPath, [join(dir, "lazy.cjs"), ...args], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { before: boolean; named: string; where: string; payload: unknown; entry: unknown };
    };
    const eager = go("eager");
    const lazy = go("lazy");
    const viaDefine = go("lazy", "define");
    assert.equal(eager.before, true);
    assert.equal(lazy.before, false, "not registered at load");
    assert.equal(viaDefine.before, false);
    assert.equal(lazy.named, "ErrorPrepareStackTrace", "still recognised as Node's own formatter (support/define.ts)");
    const where = `at where (${join(dir, "orig.ts")}:10:1)`;
    for (const r of [eager, lazy, viaDefine]) assert.equal(r.where, where);
    assert.deepEqual(lazy.payload, eager.payload, "the same map, its sources resolved against the same folder");
    assert.deepEqual(viaDefine.payload, eager.payload);
    assert.deepEqual(lazy.entry, eager.entry);
    // A bundle rebuilt meanwhile: the map the file was loaded with, not the new one.
    const swapped = spawnSync(process.execPath, ["-e", `
      process.setSourceMapsEnabled(true);
      const fs = require("node:fs"), path = require("node:path");
      const { run } = require(${JSON.stringify(LOADER)});
      const file = path.join(${JSON.stringify(dir)}, "lib.cjs");
      const r = run(file, undefined, { lazyMap: true });
      fs.writeFileSync(file + ".map", JSON.stringify({ version: 3, file: "lib.cjs", sources: ["other.ts"], names: [], mappings: ";AAAA;AACA" }));
      console.log(r.exports.describe().where);`], { cwd: dir, encoding: "utf8" });
    assert.equal(swapped.status, 0, swapped.stderr);
    assert.equal(swapped.stdout.trim(), where);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
