// @ts-check
// The report formatters' thread (support/reports-formatter.mjs starts it): Cucumber's HTML, JUnit
// and message formatters and Allure's reporter, built here as Cucumber builds them in its own
// thread (its resolveImplementation, a write stream per target opened as its createStream opens
// it, a plugin's `on("message")` handlers, a class formatter's `envelope` events), fed the same
// envelopes in the same order. Their output is the same; only the thread that does the work differs.
import { workerData, parentPort } from "node:worker_threads";
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { mkdirSync, openSync, createWriteStream } from "node:fs";
import { dirname, resolve } from "node:path";
import { promisify } from "node:util";
import { finished } from "node:stream";
import { PlainFileWriter } from "./allure-writer.mjs";

/** @typedef {{ formats: Array<[string, string]>, formatOptions: Record<string, unknown>, cwd: string, cucumber: string, library: Record<string, Array<{ id: string, name?: string }>> }} ThreadData */
const data = /** @type {ThreadData} */ (workerData);
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
const fromCucumber = createRequire(data.cucumber);
const { resolveImplementation } = fromCucumber("./formatter/resolve_implementation.js");
const { default: EventDataCollector } = fromCucumber("./formatter/helpers/event_data_collector.js");

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
const eventDataCollector = new EventDataCollector(eventBroadcaster);
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
  const implementation = await resolveImplementation(specifier, data.cwd);
  if (typeof implementation === "function") {
    const formatter = new implementation({
      env: process.env,
      cwd: data.cwd,
      eventBroadcaster: /allure/.test(specifier) ? allureBroadcaster : eventBroadcaster,
      eventDataCollector,
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

port.on("message", (m) => {
  if (m.envelope) {
    eventBroadcaster.emit("envelope", m.envelope);
    if (allureBroadcaster.listenerCount("envelope")) allureBroadcaster.emit("envelope", forAllure(m.envelope));
    for (const h of pluginHandlers) h(m.envelope);
  } else if (m.globalError) {
    const e = Object.assign(new Error(m.globalError.message), m.globalError);
    for (const f of classFormatters) f.emitTestRunHookGlobalError?.(m.globalError.hook, e);
  } else if (m.end) {
    void (async () => {
      for (const c of cleanups) await c();
      port.postMessage({ done: true });
      port.close();
    })().catch((e) => port.postMessage({ failed: String(e?.stack ?? e) }));
  }
});
port.postMessage({ ready: true });
