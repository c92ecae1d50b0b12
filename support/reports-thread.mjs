// @ts-check
// The report formatters' thread (support/reports-formatter.mjs starts it): Cucumber's HTML, JUnit
// and message formatters and Allure's reporter, built here as Cucumber builds them in its own
// thread (its resolveImplementation, a write stream per target opened as its createStream opens
// it, a plugin's `on("message")` handlers, a class formatter's `envelope` events), fed the same
// envelopes in the same order. Their output is the same; only the thread that does the work differs.
import { workerData, parentPort } from "node:worker_threads";
import { EventEmitter } from "node:events";
import { createRequire, Module } from "node:module";
import { mkdirSync, openSync, createWriteStream } from "node:fs";
import { dirname, resolve } from "node:path";
import { promisify } from "node:util";
import { finished } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { PlainFileWriter } from "./allure-writer.mjs";

/** @typedef {{ pretenuringOff: boolean, formats: Array<[string, string]>, formatOptions: Record<string, unknown>, cwd: string, cucumber: string, library: Record<string, Array<{ id: string, name?: string }>> }} ThreadData */
const data = /** @type {ThreadData} */ (workerData);
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
const fromCucumber = createRequire(data.cucumber);
// V8's allocation-site pretenuring off before this thread compiles its modules, when the step
// library turns it off for the scenarios (support/gc.ts; the flag is the process's): the modules
// are then compiled, and their code cache made at the end, under the same flags at every run,
// whenever the main thread makes its first cluster. The main thread puts the default back once
// this thread is done.
if (data.pretenuringOff) setFlagsFromString("--no-allocation-site-pretenuring");
// A V8 code cache for the CommonJS modules this thread loads (Cucumber's formatters and what they
// require), in a cache file of its own beside the main thread's (support/compile-cache.cjs);
// written when the reports are done, before this thread says so.
const writeCompileCache = createRequire(import.meta.url)("./compile-cache.cjs").installInThread(data.cucumber, "reports");

// Cucumber's own formatters, by their modules (its formatter/builtin/index.js loads every legacy
// formatter too); any other name or module through Cucumber's resolveImplementation.
/** @type {Record<string, () => unknown>} */
const BUILTIN = {
  html: () => fromCucumber("./formatter/builtin/html.js").default,
  message: () => fromCucumber("./formatter/builtin/message.js").default,
  junit: () => imported("@cucumber/junit-xml-formatter"),
};
/** As Cucumber's resolveImplementation for a module: imported from Cucumber's folder, its formatter class or plugin. */
async function imported(/** @type {string} */ specifier) {
  const found = fromCucumber("./formatter/find_class_or_plugin.js").findClassOrPlugin(await fromCucumber("./formatter/import_code.js").importCode(specifier, data.cwd));
  if (!found) throw new Error(`${specifier} does not export a function/class`);
  return found;
}
/** @param {string} specifier */
async function implementationOf(specifier) {
  if (BUILTIN[specifier]) return BUILTIN[specifier]();
  if (!/^[a-z-]+$/.test(specifier)) return imported(specifier); // a module, not one of Cucumber's names
  return fromCucumber("./formatter/resolve_implementation.js").resolveImplementation(specifier, data.cwd);
}

// Allure's reporter imports `Formatter` and `World` from "@cucumber/cucumber", which would load
// all of Cucumber (~500 modules) a second time in this thread for two classes. This thread runs
// no step and builds no support code: "@cucumber/cucumber" here is those two, from their own
// modules (Node's ESM import of a CommonJS module takes it from the require cache).
{
  const index = fromCucumber.resolve("./index.js");
  if (!fromCucumber.cache[index]) {
    const m = new Module(index);
    m.filename = index;
    m.loaded = true;
    m.exports = { Formatter: fromCucumber("./formatter/index.js").default, World: fromCucumber("./support_code_library_builder/world.js").default };
    fromCucumber.cache[index] = m;
  }
}

const logger = {
  debug: () => {},
  info: (/** @type {unknown[]} */ ...a) => port.postMessage({ warn: a.map(String).join(" ") }),
  warn: (/** @type {unknown[]} */ ...a) => port.postMessage({ warn: a.map(String).join(" ") }),
  error: (/** @type {unknown[]} */ ...a) => port.postMessage({ warn: a.map(String).join(" ") }),
};

const formatOptions = { ...data.formatOptions };
// Allure's writer (support/allure-writer.mjs) is an object with methods: made here, where it writes.
if (typeof formatOptions.resultsDir === "string") formatOptions.writer = new PlainFileWriter({ resultsDir: formatOptions.resultsDir });

const eventBroadcaster = new EventEmitter();
// The event data collector Cucumber gives class formatters; Allure's does not read it.
/** @type {unknown} */
let eventDataCollector;
const collector = () => (eventDataCollector ??= new (fromCucumber("./formatter/helpers/event_data_collector.js").default)(eventBroadcaster));
// Allure labels each result with its thread: a --parallel worker's id (testCaseStarted.workerId),
// else `pid-<pid>-worker-main` in Cucumber's main thread, but `-worker-<threadId>` when it runs
// here (allure-js-commons getThreadLabel, from worker_threads.isMainThread). Allure's envelopes
// carry the label the main thread would have given, so the results are the same.
const allureBroadcaster = new EventEmitter();
const MAIN_THREAD = `pid-${process.pid}-worker-main`;
/** @param {any} envelope (`any`: a Cucumber message) */
const forAllure = (envelope) => (envelope.testCaseStarted && envelope.testCaseStarted.workerId === undefined ? { ...envelope, testCaseStarted: { ...envelope.testCaseStarted, workerId: MAIN_THREAD } } : envelope);
/** @type {Array<(m: unknown) => void>} */
const pluginHandlers = [];
/** @type {Array<() => Promise<unknown>>} */
const cleanups = [];
/** @type {Array<{ emitTestRunHookGlobalError?: (name: string, e: unknown) => void }>} */
const classFormatters = [];
// What a class formatter reads of the support code library: the hooks' ids and names (Allure names
// its fixtures by them). Allure also wraps BeforeAll/AfterAll code here; the real hooks are wrapped
// in Cucumber's thread, which forwards their errors (support/reports-formatter.mjs).
const library = {
  beforeTestCaseHookDefinitions: data.library.beforeTestCaseHookDefinitions,
  afterTestCaseHookDefinitions: data.library.afterTestCaseHookDefinitions,
  beforeTestRunHookDefinitions: [],
  afterTestRunHookDefinitions: [],
  World: null,
};

for (const [specifier, target] of data.formats) {
  const absolute = resolve(data.cwd, target);
  const directory = dirname(absolute);
  mkdirSync(directory, { recursive: true });
  const stream = createWriteStream("", { fd: openSync(absolute, "w") });
  stream.on("error", (e) => port.postMessage({ streamError: `${target}: ${e.message}` }));
  const write = stream.write.bind(stream);
  const end = promisify(stream.end.bind(stream));
  const implementation = await implementationOf(specifier);
  if (typeof implementation === "function") {
    const formatter = new implementation({
      env: process.env,
      cwd: data.cwd,
      eventBroadcaster: /allure/.test(specifier) ? allureBroadcaster : eventBroadcaster,
      eventDataCollector: /allure/.test(specifier) ? undefined : collector(),
      log: write,
      parsedArgvOptions: formatOptions,
      stream,
      cleanup: end,
      supportCodeLibrary: library,
    });
    classFormatters.push(formatter);
    cleanups.push(async () => formatter.finished());
  } else {
    const cleanup = await implementation.formatter({
      on: (/** @type {string} */ key, /** @type {(m: unknown) => void} */ handler) => {
        if (key === "message") pluginHandlers.push(handler);
      },
      options: implementation.optionsKey ? (formatOptions[implementation.optionsKey] ?? {}) : formatOptions,
      logger,
      stream,
      write,
      directory,
    });
    // As Cucumber: the plugin's own cleanup (after every class formatter's), then the stream's end.
    cleanups.push(async () => {
      if (typeof cleanup === "function") await cleanup();
      await end();
      await promisify(finished)(stream);
    });
  }
}

/** Hands one envelope to every formatter, as Cucumber's event broadcaster would. @param {any} envelope */
function dispatch(envelope) {
  eventBroadcaster.emit("envelope", envelope);
  if (allureBroadcaster.listenerCount("envelope")) allureBroadcaster.emit("envelope", forAllure(envelope));
  for (const h of pluginHandlers) h(envelope);
}

port.on("message", (m) => {
  // The envelopes come in batches (support/reports-formatter.mjs), in Cucumber's order.
  if (m.envelopes) {
    for (const envelope of m.envelopes) dispatch(envelope);
  } else if (m.globalError) {
    const e = Object.assign(new Error(m.globalError.message), m.globalError);
    for (const f of classFormatters) f.emitTestRunHookGlobalError?.(m.globalError.hook, e);
  } else if (m.end) {
    void (async () => {
      for (const c of cleanups) await c();
      writeCompileCache();
      port.postMessage({ done: true });
      port.close();
    })().catch((e) => port.postMessage({ failed: String(e?.stack ?? e) }));
  }
});
port.postMessage({ ready: true });
