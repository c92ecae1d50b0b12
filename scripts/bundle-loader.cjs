// @ts-check
// Loads the support code's CommonJS bundle (scripts/bundle-steps.mjs: src.cjs, then steps.cjs)
// with a V8 code cache. Node 20 compiles ES modules without one and has no module compile cache
// (module.enableCompileCache is Node 22), so every run compiled our ~2 MB of support code anew:
// here each file is compiled as a vm.Script with the cached data a previous run left, made after
// that run (so it holds the functions the run compiled, not only each file's top level).
//
// Safe and never needed:
// - an entry is used only for the same text (SHA-1 of the file, which V8's own check, the source
//   length, does not do), the same Node and V8 version and architecture; V8 also rejects data made
//   with other flags. Anything else compiles anew, and the run writes a fresh entry;
// - the cache is beside the bundle (`<file>.v8cache`, removed with it when it is rebuilt), written
//   at exit only when the run compiled without it, atomically (a temporary file renamed over it);
//   an unreadable or unwritable one only makes the start slower; KUBE_SCENARIO_COMPILE_CACHE=0
//   turns it off;
// - the file runs in Node's CommonJS wrapper (exports, require, module, __filename, __dirname,
//   plus `__ks_src`, src.cjs's exports for steps.cjs's stand-ins) with a `require` made by
//   Node's createRequire for the file, its positions in stack traces its own;
// - its source map is registered with Node as Node's own loader registers a CommonJS file's (a
//   module compiled from the file's map comment alone; vm.Script does not read maps), so stack
//   traces, failure messages and step locations name the TypeScript files as before.
"use strict";
const Module = require("node:module");
const vm = require("node:vm");
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");

const PARAMS = "exports, require, module, __filename, __dirname, __ks_src";
const PREFIX = `(function (${PARAMS}) { `;
const SUFFIX = "\n});";
const MAGIC = "kube-scenario-v8cache-1";

/** Modules that hold the registered source maps (Node keeps a CommonJS map while its module lives). */
const holders = [];

/** The key an entry must carry to be used for `text`: the text's hash, Node, V8, architecture. */
function keyOf(/** @type {string | Buffer} */ text) {
  return `${MAGIC} ${crypto.createHash("sha1").update(text).digest("hex")} ${process.version} ${process.versions.v8} ${process.arch}`;
}

/** @param {string} file @param {string} key @returns {Buffer | undefined} */
function readEntry(file, key) {
  try {
    const buf = fs.readFileSync(file);
    const end = buf.indexOf(10);
    if (end < 0 || buf.toString("utf8", 0, end) !== key) return undefined;
    return buf.subarray(end + 1);
  } catch {
    return undefined;
  }
}

/** @param {string} file @param {string} key @param {Buffer} data */
function writeEntry(file, key, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${key}\n`, "utf8"), data]));
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing written: the next run compiles as this one did.
    }
  }
}

/** Cache entries to write at exit: the scripts compiled without one, and where their entry goes. */
/** @type {Array<{ file: string, key: string, script: vm.Script }>} */
const pending = [];

/** Writes the entries of the scripts compiled anew (at exit, so the data holds the functions the run compiled). */
function writePending() {
  for (const { file, key, script } of pending.splice(0)) {
    try {
      writeEntry(file, key, script.createCachedData());
    } catch {
      // No cache: the next run compiles anew.
    }
  }
}

/**
 * Compiles and runs one CommonJS file of the bundle.
 * @param {string} file @param {unknown} [ksSrc]
 * @returns {{ exports: any, cache: "used" | "made" | "off" }} its module.exports, and whether a cache entry was used
 */
function run(file, ksSrc) {
  // Read as bytes, hashed as bytes (the SHA-1 of a string is that of its UTF-8 bytes: the same key)
  // and decoded once: for the ~3 MB src.cjs, whose comments are not all ASCII, ~10 ms less than
  // reading it as text and hashing the text.
  const bytes = fs.readFileSync(file);
  const text = bytes.toString("utf8");
  const useCache = process.env.KUBE_SCENARIO_COMPILE_CACHE !== "0";
  const cacheFile = `${file}.v8cache`;
  const key = keyOf(bytes);
  const cachedData = useCache ? readEntry(cacheFile, key) : undefined;
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = /** @type {any} Node's loader internals */ (Module)._nodeModulePaths(path.dirname(file));
  const mapComment = /\/\/# sourceMappingURL=([^\s]+)\s*$/.exec(text.slice(-512));
  if (process.sourceMapsEnabled && mapComment) {
    // Node's compile of this one line reads and caches the map for `file`, as it would for the file itself.
    const holder = new Module(file, module);
    holder.filename = file;
    /** @type {any} Module#_compile: Node's own compile, which registers the map */ (holder)._compile(`//# sourceMappingURL=${mapComment[1]}`, file);
    holders.push(holder);
  }
  const script = new vm.Script(PREFIX + text + SUFFIX, { filename: file, cachedData, columnOffset: -PREFIX.length });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  if (useCache && !used) {
    if (pending.length === 0) process.once("exit", writePending);
    pending.push({ file: cacheFile, key, script });
  }
  const wrapper = script.runInThisContext({ displayErrors: true });
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file), ksSrc);
  mod.loaded = true;
  return { exports: mod.exports, cache: !useCache ? "off" : used ? "used" : "made" };
}

/** Loads the bundle in `dir`: src.cjs, then steps.cjs (which registers the steps with Cucumber). */
function load(/** @type {string} */ dir) {
  const src = run(path.join(dir, "src.cjs"));
  run(path.join(dir, "steps.cjs"), src.exports);
}

module.exports = { load, run, writePending, keyOf };
