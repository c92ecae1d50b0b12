// @ts-check
// The report files on the other core. Cucumber runs its formatters in the thread that runs the
// scenarios: every envelope is serialised for the message stream and the HTML report, and Allure
// turns it into results and attachment files, between two steps (~0.5 s of CPU in the course
// pack). This formatter hands each envelope to a worker thread (support/reports-thread.mjs), which
// runs those same formatters, built as Cucumber builds them, on the same envelopes in the same
// order, while the scenarios go on; Cucumber's `finished` waits until the worker has written and
// closed every file. support/reports.mjs lists the formats it runs (`formatOptions.reports`).
import { Formatter, World } from "@cucumber/cucumber";
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const THREAD = new URL("./reports-thread.mjs", import.meta.url);

/** The structured-clone-safe part of the format options (Allure's writer is rebuilt in the thread). */
function cloneable(/** @type {Record<string, unknown>} */ options) {
  const { writer: _writer, reports: _reports, ...rest } = options;
  return rest;
}

export default class ReportsFormatter extends Formatter {
  /** @param {any} options Cucumber's formatter options (`any`: Cucumber's IFormatterOptions, whose support library type it does not export). */
  constructor(options) {
    super(options);
    /** @type {Array<[string, string]>} */
    const formats = options.parsedArgvOptions.reports ?? [];
    const library = options.supportCodeLibrary;
    const hooks = (/** @type {Array<{ id: string, name?: string }>} */ defs) => defs.map((h) => ({ id: h.id, name: h.name }));
    this.worker = new Worker(THREAD, {
      workerData: {
        // Whether the thread turns V8's allocation-site pretenuring off before it compiles its
        // modules (support/gc.ts: the step library turns it off for the scenarios; the thread then
        // compiles, and makes its code cache, under the flags of every run's scenarios).
        pretenuringOff: /** @type {(() => boolean) | undefined} */ (/** @type {any} */ (globalThis)[Symbol.for("kube-scenario.reportThreadGC")])?.() ?? false,
        formats,
        formatOptions: cloneable(options.parsedArgvOptions),
        cwd: options.cwd,
        cucumber: require.resolve("@cucumber/cucumber"),
        library: { beforeTestCaseHookDefinitions: hooks(library.beforeTestCaseHookDefinitions), afterTestCaseHookDefinitions: hooks(library.afterTestCaseHookDefinitions) },
      },
    });
    /** @type {string | undefined} */
    this.failure = undefined;
    this.done = new Promise((resolveDone, rejectDone) => {
      this.worker.on("message", (m) => {
        if (m.warn) console.error(m.warn);
        if (m.streamError) this.failure = m.streamError;
        if (m.failed) this.failure = m.failed;
        if (m.done) resolveDone(undefined);
      });
      this.worker.on("error", rejectDone);
      this.worker.on("exit", (code) => (code === 0 ? resolveDone(undefined) : rejectDone(new Error(`the report thread exited with code ${code}`))));
    });
    // The envelopes go to the thread in batches, one per test case (and one for everything before
    // the run starts), in their order: a message per envelope (~2,500 for the course pack) cost
    // Cucumber's thread a structured clone, a lock of the port's queue and a wake-up of the thread
    // each, 70-240 ms of its CPU and more of its wall time (docs/performance.md, suite23).
    /** @type {unknown[]} */
    this.batch = [];
    options.eventBroadcaster.on("envelope", (/** @type {Record<string, unknown>} */ envelope) => {
      this.batch.push(envelope);
      if (envelope.testCaseFinished || envelope.testRunStarted || envelope.testRunFinished) this.flush();
    });
    if (formats.some(([f]) => /allure/.test(f))) this.allureInProcess(library);
  }

  /**
   * What Allure's reporter does in Cucumber's thread besides reading envelopes: report an error of a
   * BeforeAll/AfterAll hook as a global error (forwarded to the thread's reporter), and give a
   * project without its own world Allure's (kube-scenario's step library always sets its own).
   * @param {any} library Cucumber's support code library (`any`: its type is not exported).
   */
  allureInProcess(library) {
    const forward = (/** @type {string} */ hook, /** @type {any} */ e) => {
      this.flush();
      this.worker.postMessage({ globalError: { hook, message: String(e?.message ?? e), stack: e?.stack, name: e?.name, actual: typeof e?.actual === "string" ? e.actual : undefined, expected: typeof e?.expected === "string" ? e.expected : undefined } });
    };
    for (const [defs, hook] of [[library.beforeTestRunHookDefinitions, "BeforeAll hook"], [library.afterTestRunHookDefinitions, "AfterAll hook"]]) {
      for (const def of defs) {
        const code = def.code;
        def.code =
          code.length > 0
            ? function (/** @type {(e?: unknown, r?: unknown) => void} */ callback) {
                let reported = false;
                // @ts-expect-error `this` is the hook's world, as Cucumber calls it
                return code.call(this, (/** @type {unknown} */ e, /** @type {unknown} */ r) => {
                  if (e && !reported) {
                    reported = true;
                    forward(hook, e);
                  }
                  callback(e, r);
                });
              }
            : function () {
                try {
                  // @ts-expect-error `this` is the hook's world, as Cucumber calls it
                  const r = code.call(this);
                  if (r && typeof r.then === "function") return r.then(undefined, (/** @type {unknown} */ e) => (forward(hook, e), Promise.reject(e)));
                  return r;
                } catch (e) {
                  forward(hook, e);
                  throw e;
                }
              };
      }
    }
    if (library.World === World) library.World = require("allure-cucumberjs").AllureCucumberWorld;
  }

  /**
   * Hands the envelopes not yet sent to the thread, in one message (before any other message, so
   * the thread sees everything in the order Cucumber emitted it).
   */
  flush() {
    if (this.batch.length === 0) return;
    this.worker.postMessage({ envelopes: this.batch });
    this.batch = [];
  }

  async finished() {
    this.flush();
    this.worker.postMessage({ end: true });
    // What the step bundle's cache needs measured at the run's end (scripts/bundle-loader.cjs), now,
    // while the thread writes its last files and this thread would only wait.
    /** @type {(() => void) | undefined} */ (/** @type {any} */ (globalThis)[Symbol.for("kube-scenario.noteBundleRunEnd")])?.();
    // The thread writes its last files, then its code cache, under the flags it compiled under.
    await this.done;
    // Then V8's default garbage collector flags back (support/gc.ts), under which the step bundle was
    // compiled, and the bundle's code cache entries, new or made again (scripts/bundle-loader.cjs),
    // made now rather than at this process's exit: a cache made under other flags than the next
    // run's is rejected by it.
    /** @type {(() => void) | undefined} */ (/** @type {any} */ (globalThis)[Symbol.for("kube-scenario.restoreDefaultGC")])?.();
    /** @type {(() => void) | undefined} */ (/** @type {any} */ (globalThis)[Symbol.for("kube-scenario.writeBundleCaches")])?.();
    await super.finished();
    if (this.failure) throw new Error(`writing the reports failed: ${this.failure}`);
  }
}
