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
// - an entry made by a run that compiled little (a dry run, one small feature: the first run after
//   a build) is made again by a later run that compiled much more (`refreshUsed`, below), so the
//   functions a course run calls are not compiled anew at every later run;
// - the file runs in Node's CommonJS wrapper (exports, require, module, __filename, __dirname,
//   plus `__ks_src`, src.cjs's exports for steps.cjs's stand-ins) with a `require` made by
//   Node's createRequire for the file, its positions in stack traces its own;
// - its source map is registered with Node as Node's own loader registers a CommonJS file's (a
//   module compiled from the file's map comment alone; vm.Script does not read maps), so stack
//   traces, failure messages and step locations name the TypeScript files as before. src.cjs's
//   (2.6 MB of JSON, ~45 ms of every start to read and parse) is registered when a stack first
//   passes through src.cjs (`deferMap`, below), from the bytes read at load.
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

/** Registers `file`'s map with Node, from the map comment `url` (Node's compile of this one line reads it, as for the file itself). */
function registerMap(/** @type {string} */ file, /** @type {string} */ url) {
  const holder = new Module(file, module);
  holder.filename = file;
  /** @type {any} Module#_compile: Node's own compile, which registers the map */ (holder)._compile(`//# sourceMappingURL=${url}`, file);
  holders.push(holder);
}

/**
 * Maps registered at first need: file -> its map's bytes, read when the file was loaded (so a bundle
 * rebuilt meanwhile cannot hand an old file a new map). A map is needed when a stack passes through
 * its file: Node formats every stack through `Error.prepareStackTrace` (Node's own,
 * ErrorPrepareStackTrace, unless someone replaced it), which `deferMap` wraps to register the maps of
 * the files on the stack before Node maps its frames; support/define.ts, which maps registration
 * stacks itself, asks `ensureSourceMap` first. The map Node then holds is the one the eager
 * registration read: the same JSON, its `sources` resolved against the same folder (a data: URL
 * resolves them against the file, which lies beside its map).
 * @type {Map<string, Buffer>}
 */
const deferred = new Map();

/** Registers `file`'s deferred map now, if it has one. */
function ensureSourceMap(/** @type {string} */ file) {
  const bytes = deferred.get(file);
  if (bytes === undefined) return;
  deferred.delete(file);
  try {
    registerMap(file, `data:application/json;base64,${bytes.toString("base64")}`);
  } catch {
    // Not registered: the file's frames stay unmapped, as with a map Node cannot read.
  }
}

const ENSURE_SOURCE_MAP = Symbol.for("kube-scenario.ensureSourceMap");

/**
 * Defers `file`'s map (its bytes read now). False when it cannot be deferred exactly: someone other
 * than Node formats stacks (Error.prepareStackTrace is not Node's own), or the map is unreadable
 * (then Node's registration reports it as it always did).
 * @param {string} file @param {string} url the map comment's URL
 */
function deferMap(file, url) {
  const nodeDefault = Error.prepareStackTrace;
  const wrapped = /** @type {any} */ (nodeDefault)?.[ENSURE_SOURCE_MAP] !== undefined;
  if (!wrapped && (typeof nodeDefault !== "function" || nodeDefault.name !== "ErrorPrepareStackTrace")) return false;
  if (url.startsWith("data:")) return false;
  let bytes;
  try {
    bytes = fs.readFileSync(path.resolve(path.dirname(file), decodeURIComponent(url)));
  } catch {
    return false;
  }
  deferred.set(file, bytes);
  if (!wrapped) {
    // Named as Node's, so that code which recognises Node's own formatter (support/define.ts) still does.
    const { ErrorPrepareStackTrace } = {
      ErrorPrepareStackTrace(/** @type {Error} */ error, /** @type {NodeJS.CallSite[]} */ trace) {
        if (deferred.size > 0) {
          for (const callSite of trace) {
            const name = callSite.getFileName();
            if (name !== undefined && name !== null && deferred.has(name)) ensureSourceMap(name);
          }
        }
        return /** @type {Function} */ (nodeDefault)(error, trace);
      },
    };
    Object.defineProperty(ErrorPrepareStackTrace, ENSURE_SOURCE_MAP, { value: ensureSourceMap });
    Error.prepareStackTrace = ErrorPrepareStackTrace;
    /** @type {any} */ (globalThis)[ENSURE_SOURCE_MAP] = ensureSourceMap;
  }
  return true;
}

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
 * The scripts compiled from an entry, with the entry's size. An entry holds the functions the run
 * that made it had compiled: the first run after a build is often a dry run or one small feature
 * (1.2 MB for src.cjs after a course dry run, 2.5 MB after a course run), and every later run then
 * compiled the rest lazily again (~150-200 ms of a course run's scenarios). `refreshUsed` makes the
 * entry again when this run compiled much more than it held.
 * @type {Array<{ file: string, key: string, script: vm.Script, size: number }>}
 */
const used = [];
/** V8's bytecode in the heap when the last file from an entry had run (what the run compiles later adds to it). */
let bytecodeAtLoad = 0;
/**
 * The entries are made again when the heap's bytecode grew by more than this share of their size
 * since the bundle loaded, and a new entry is then written only if it is larger than the one used by
 * more than REFRESH_GAIN. The heap's growth is a cheap signal (making an entry to compare costs
 * ~50 ms for src.cjs): it counts Cucumber's own lazily compiled functions too (~0.35 MB in a course
 * run from a complete entry, 14 % of it; 1.5 MB, 126 %, from a dry run's).
 */
const REFRESH_GROWTH = 0.5;
const REFRESH_GAIN = 1.1;

function bytecodeSize() {
  return require("node:v8").getHeapCodeStatistics().bytecode_and_metadata_size;
}

/**
 * V8's bytecode in the heap at the run's end, when `noteRunEnd` measured it: support/reports-formatter.mjs
 * asks for it as soon as Cucumber's run is over, while the report thread writes its last files and
 * Cucumber's thread only waits for it (the heap walk, ~10-15 ms, then costs the run no wall time).
 * @type {number | undefined}
 */
let bytecodeAtEnd;

/** Measures the heap's bytecode for `refreshUsed` now, when an entry was used (nothing compiles after the run's end). */
function noteRunEnd() {
  if (used.length > 0 && bytecodeAtEnd === undefined) bytecodeAtEnd = bytecodeSize();
}

/** Makes the used entries again if this run compiled much more than they hold (see `used`); once. */
function refreshUsed() {
  const scripts = used.splice(0);
  if (scripts.length === 0) return;
  const held = scripts.reduce((n, s) => n + s.size, 0);
  if ((bytecodeAtEnd ?? bytecodeSize()) - bytecodeAtLoad <= held * REFRESH_GROWTH) return;
  for (const { file, key, script, size } of scripts) {
    try {
      const data = script.createCachedData();
      if (data.length > size * REFRESH_GAIN) writeEntry(file, key, data);
    } catch {
      // The entry stays as it was.
    }
  }
}

/**
 * Writes what the run has to write to the cache (new entries, refreshed ones), once. Called at
 * exit, and earlier by support/reports-formatter.mjs once the report thread is done and V8's default
 * flags are back (support/gc.ts: the entries must be made under the flags the next run loads the
 * bundle under).
 */
function writeCaches() {
  writePending();
  refreshUsed();
}

/**
 * Compiles and runs one CommonJS file of the bundle.
 * @param {string} file @param {unknown} [ksSrc]
 * @returns {{ exports: any, cache: "used" | "made" | "off" }} its module.exports, and whether a cache entry was used
 */
function run(file, ksSrc, { lazyMap = false, last = true } = {}) {
  // Read as bytes, hashed as bytes (the SHA-1 of a string is that of its UTF-8 bytes: the same key)
  // and decoded once: for the ~4 MB src.cjs, ~10 ms less than reading it as text and hashing the
  // text. The build writes the files in ASCII (bundle-steps.mjs's asciiComments), so the text is a
  // one-byte string.
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
  if (process.sourceMapsEnabled && mapComment && !(lazyMap && deferMap(file, mapComment[1]))) registerMap(file, mapComment[1]);
  const script = new vm.Script(PREFIX + text + SUFFIX, { filename: file, cachedData, columnOffset: -PREFIX.length });
  const fromEntry = cachedData !== undefined && !script.cachedDataRejected;
  if (useCache) {
    if (pending.length === 0 && used.length === 0) {
      process.once("exit", writeCaches);
      /** @type {any} */ (globalThis)[WRITE_CACHES] = writeCaches;
      /** @type {any} */ (globalThis)[NOTE_RUN_END] = noteRunEnd;
    }
    if (fromEntry) used.push({ file: cacheFile, key, script, size: /** @type {Buffer} */ (cachedData).length });
    else pending.push({ file: cacheFile, key, script });
  }
  const wrapper = script.runInThisContext({ displayErrors: true });
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file), ksSrc);
  mod.loaded = true;
  // What the run compiles from here counts towards `refreshUsed`: measured once the last file of a
  // load has run (the heap walk costs ~5-8 ms; `load` runs src.cjs with `last: false`).
  if (last && used.length > 0) bytecodeAtLoad = bytecodeSize();
  return { exports: mod.exports, cache: !useCache ? "off" : fromEntry ? "used" : "made" };
}

/** Where support/reports-formatter.mjs (not part of the bundle) finds `writeCaches`. */
const WRITE_CACHES = Symbol.for("kube-scenario.writeBundleCaches");
/** Where support/reports-formatter.mjs finds `noteRunEnd`. */
const NOTE_RUN_END = Symbol.for("kube-scenario.noteBundleRunEnd");

/** Loads the bundle in `dir`: src.cjs, then steps.cjs (which registers the steps with Cucumber). */
function load(/** @type {string} */ dir) {
  // src.cjs's map only when a stack passes through src/ (a failure); steps.cjs's is read at once by
  // every step registration (Cucumber takes each step's location from a stack).
  const src = run(path.join(dir, "src.cjs"), undefined, { lazyMap: true, last: false });
  run(path.join(dir, "steps.cjs"), src.exports);
}

module.exports = { load, run, writePending, writeCaches, keyOf, ensureSourceMap };
