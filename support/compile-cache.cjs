// @ts-check
// A V8 code cache for the CommonJS modules Cucumber's command line loads before the support code
// (Cucumber, Gherkin, its formatters and their dependencies: ~500 files, ~0.1 s of compiling at
// every start). Node 20 has no module compile cache of its own (module.enableCompileCache is Node
// 22), and v8-compile-cache compiles modules without a dynamic-import callback, so Cucumber's own
// `import()` of the configuration and the support code fails under it
// (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). `kube-scenario test` and `grade` preload this file in
// Cucumber's process (`node -r`, src/cli/run.ts); a plain `npx cucumber-js` does not.
//
// Correctness first:
// - a file's cache entry is used only when the file's content hashes (SHA-1) to the entry's hash;
//   V8 also rejects data from another V8 version or other flags (then the file is compiled anew);
// - files containing `import(` (they need Node's dynamic-import callback), the entry script, files
//   outside the node_modules folder of the script run (Cucumber's), and every file that names a
//   source map and is loaded once source maps are on (the support bundle's entry turns them on:
//   those files keep Node's own compile, which reads their maps) are compiled by Node as usual;
// - a compiled file gets exactly Node's module wrapper arguments (exports, require, module,
//   __filename, __dirname), with a `require` made as Node makes it, and its positions in stack
//   traces are the file's own.
// The cache lives beside the modules (node_modules/.cache/kube-scenario/), is written when a run
// compiled something anew (atomically: a temporary file renamed over it), and is never needed:
// KUBE_SCENARIO_COMPILE_CACHE=0, an unwritable folder or an unreadable cache only make the start
// slower. Measured in docs/performance.md ("Suite: the runner, Cucumber's start-up and the final snapshot").
"use strict";
const Module = require("node:module");
const vm = require("node:vm");
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");
const { isMainThread } = require("node:worker_threads");

/** The module wrapper's parameters, as Node's CommonJS loader passes them. */
const PARAMS = "exports, require, module, __filename, __dirname";
const PREFIX = `(function (${PARAMS}) { `;
const SUFFIX = "\n});";

/** @param {string} text */
const hashOf = (text) => crypto.createHash("sha1").update(text).digest("base64");

/** @param {string} file @returns {Map<string, { hash: string, data: Buffer }>} */
function readCache(file) {
  const entries = new Map();
  try {
    const buf = fs.readFileSync(file);
    const headerLength = buf.readUInt32LE(0);
    /** @type {Array<[string, string, number, number]>} */
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString("utf8"));
    const base = 4 + headerLength;
    for (const [name, hash, start, end] of header) entries.set(name, { hash, data: buf.subarray(base + start, base + end) });
  } catch {
    // No cache yet, or an unreadable one: everything compiles as usual (and a new cache is written).
  }
  return entries;
}

/** @param {string} file @param {Map<string, { hash: string, data: Buffer }>} entries */
function writeCache(file, entries) {
  /** @type {Array<[string, string, number, number]>} */
  const header = [];
  const blobs = [];
  let offset = 0;
  for (const [name, { hash, data }] of entries) {
    header.push([name, hash, offset, offset + data.length]);
    blobs.push(data);
    offset += data.length;
  }
  const head = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length, 0);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([length, head, ...blobs]));
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing written: the next run compiles as this one did.
    }
  }
}

/**
 * The `require` Node gives a module (its makeRequireFunction): require, resolve, resolve.paths,
 * main, extensions, cache.
 * @param {Module} mod
 */
function requireFor(mod) {
  const M = /** @type {any} Node's loader internals, as Node's own require uses them */ (Module);
  /** @param {string} id */
  const req = (id) => mod.require(id);
  req.resolve = (/** @type {string} */ request, /** @type {{ paths?: string[] } | undefined} */ options) => M._resolveFilename(request, mod, false, options);
  req.resolve.paths = (/** @type {string} */ request) => M._resolveLookupPaths(request, mod);
  req.main = process.mainModule;
  req.extensions = M._extensions;
  req.cache = M._cache;
  return req;
}

/**
 * Installs the hook in this process's main thread for the modules of the node_modules folder of
 * the script run (Cucumber's bin/cucumber.js, or a --parallel worker's run_worker.js).
 */
function install() {
  // (Coverage collection reads source maps whether or not they are on: Node compiles then.)
  if (!isMainThread || process.env.KUBE_SCENARIO_COMPILE_CACHE === "0" || process.env.NODE_V8_COVERAGE) return;
  const main = path.resolve(process.argv[1] ?? "");
  const at = main.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (at < 0) return;
  const modules = main.slice(0, at + `${path.sep}node_modules`.length);
  const script = path.basename(process.argv[1] ?? "node", ".js").replace(/[^\w.-]/g, "_");
  hook(modules, script);
}

/**
 * Installs the hook in a worker thread (the report formatters' thread, support/reports-thread.mjs)
 * for the modules of the node_modules folder that holds `anyModule`, with a cache file of its own
 * (`name`): each thread writes the entries of what it compiled. Returns the function that writes
 * the cache now (a worker may be ended with its process, before its `exit` handlers run).
 * @param {string} anyModule @param {string} name
 * @returns {() => void}
 */
function installInThread(anyModule, name) {
  if (isMainThread || process.env.KUBE_SCENARIO_COMPILE_CACHE === "0" || process.env.NODE_V8_COVERAGE) return () => {};
  const file = path.resolve(anyModule);
  const at = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (at < 0) return () => {};
  return hook(file.slice(0, at + `${path.sep}node_modules`.length), `thread-${name.replace(/[^\w.-]/g, "_")}`);
}

/**
 * The hook: modules under `modules` compiled through the cache file named for `script`.
 * @param {string} modules @param {string} script @returns {() => void} writes the cache now
 */
function hook(modules, script) {
  const inside = modules + path.sep;
  const file = path.join(modules, ".cache", "kube-scenario", `compile-${script}-${process.versions.v8}-${process.arch}.bin`);
  const cached = readCache(file);
  /** @type {Map<string, { hash: string, script: vm.Script }>} */
  const compiled = new Map();
  let changed = false;
  const original = Module.prototype._compile;

  /** @this {Module} @param {string} content @param {string} filename @param {string} [format] (Node 20.19+: "module" for an ES module required from CommonJS) */
  Module.prototype._compile = function (content, filename, format) {
    const plain = () => original.call(this, content, filename, format);
    // The entry script (id ".") keeps Node's compile, which also sets up the loader's per-tree state.
    if (format === "module" || this.id === "." || !filename.startsWith(inside) || filename.includes(`${path.sep}.cache${path.sep}`)) return plain();
    const first = content.charCodeAt(0);
    if (first === 0x23 /* #! */ || first === 0xfeff /* BOM */ || content.includes("import(")) return plain();
    // With source maps on, Node's compile reads a file's map when it names one (sourceMappingURL):
    // such a file keeps it; one without (yaml, fake-timers...) has nothing to lose.
    if (process.sourceMapsEnabled && content.includes("sourceMappingURL")) return plain();
    const hash = hashOf(content);
    const entry = cached.get(filename);
    const cachedData = entry && entry.hash === hash ? entry.data : undefined;
    let s;
    try {
      // The wrapper's prefix sits on the file's first line: columnOffset puts that line's positions back.
      s = new vm.Script(PREFIX + content + SUFFIX, { filename, cachedData, columnOffset: -PREFIX.length });
    } catch {
      // Not a CommonJS script (Node's own compile detects ES module syntax), or a syntax error
      // Node reports its own way.
      return plain();
    }
    if (!cachedData || s.cachedDataRejected) changed = true;
    compiled.set(filename, { hash, script: s });
    const wrapper = s.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };

  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    Module.prototype._compile = original;
    if (!changed) return;
    // After the run, so the data holds the functions compiled while it ran, not only each file's top level.
    const entries = new Map(cached);
    for (const [name, { hash, script: s }] of compiled) {
      try {
        entries.set(name, { hash, data: s.createCachedData() });
      } catch {
        entries.delete(name);
      }
    }
    writeCache(file, entries);
  };
  process.once("exit", write);
  return write;
}

install();

module.exports = { installInThread };
