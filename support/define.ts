/**
 * Step definition helpers shared by every steps/*.ts file:
 * - `Given`, `When`, `Then` register a step and, when the phrase catalogue (`phrases.ko.ts`) has
 *   a Korean phrase for it, the same step in Korean, so one definition serves both languages;
 * - `action(...)` defines a When-step that may also be written with a trailing
 *   `and <duration> pass(es)`, as the course phrases its exercises:
 *     When "/tmp/readiness/ready.txt" is touched on node "k8s-node1" and 30 seconds pass
 *   The action runs first, then the simulated clock advances.
 */
import * as cucumber from "@cucumber/cucumber";
import { KO, KO_AND_PASS } from "./phrases.ko.ts";
import type { KubeWorld } from "./world.ts";
import { SkipScenario, then } from "../src/backend.ts";

type StepFn = (this: KubeWorld, ...args: any[]) => unknown;
/**
 * Defines a step. `ko` gives its Korean phrase when the catalogue (phrases.ko.ts) has none (a
 * project's own steps); `depth`: how many stack frames up the step was written (for the
 * catalogue's locations).
 */
type Definer = (expression: string, fn: StepFn, ko?: string, depth?: number) => void;

/**
 * Where a step can run (`KUBE_SCENARIO_BACKEND=live` runs the features against a real cluster):
 * - `both`: it goes through `this.backend`, so it runs on the simulation and on any live cluster;
 * - `facade`: it also needs something only kube-scenario's API facade serves (the scheduler's
 *   simulator annotations, for instance);
 * - `sim`: only the simulation can do it (time travel, nodes going down, files on a node, memory
 *   use, image timings, seeds...). A scenario that uses a step its target cannot run is skipped
 *   with the step and this reason.
 * Steps are `sim` unless marked with `both()` or `facadeOnly()`: a step that reads the
 * simulation's internals cannot run elsewhere by accident.
 */
export type LiveMode = { mode: "both" } | { mode: "facade" | "sim"; reason: string };
const MODE = Symbol.for("kube-scenario.liveMode");
const DEFAULT_MODE: LiveMode = { mode: "sim", reason: "it reads the simulated cluster's internals (no live implementation)" };

/** Every step expression (English, Korean, `and <duration> pass(es)` forms) and where it can run. */
export const STEP_MODES: Map<string, LiveMode> = ((globalThis as any).__ksStepModes ??= new Map());

/** Marks a step that runs through `this.backend`, on the simulation and on live clusters alike. */
export function both<F extends StepFn>(fn: F): F {
  return Object.assign(fn, { [MODE]: { mode: "both" } as LiveMode });
}

/** Marks a step that needs kube-scenario's simulation or its API facade, with the reason. */
export function facadeOnly<F extends StepFn>(reason: string, fn: F): F {
  return Object.assign(fn, { [MODE]: { mode: "facade", reason } as LiveMode });
}

/** Marks a step only the simulation can run, with the reason (steps are sim-only by default; this names why). */
export function simOnly<F extends StepFn>(reason: string, fn: F): F {
  return Object.assign(fn, { [MODE]: { mode: "sim", reason } as LiveMode });
}

const modeOf = (fn: StepFn): LiveMode => (fn as any)[MODE] ?? DEFAULT_MODE;

const LIVE_RUN = process.env.KUBE_SCENARIO_BACKEND === "live";

/** In a live run, a step that finds the cluster unsuited (SkipScenario) skips the rest of its scenario with the reason. */
function skippable(fn: StepFn): StepFn {
  if (!LIVE_RUN) return fn;
  const wrapped = function (this: KubeWorld, ...args: any[]) {
    const skip = (e: unknown) => {
      if (!(e instanceof SkipScenario)) throw e;
      this.skipReason = e.message;
      this.log(`skipped: ${e.message}`);
      return "skipped";
    };
    try {
      const r = fn.apply(this, args);
      return r instanceof Promise ? r.catch(skip) : r;
    } catch (e) {
      return skip(e);
    }
  };
  Object.defineProperty(wrapped, "length", { value: fn.length });
  return wrapped;
}

/**
 * Tells the world when a step ends and whether it failed, so that the report's explanation and
 * timeline go on the failing step (support/world.ts). Sync steps stay sync.
 */
function reporting(fn: StepFn): StepFn {
  const wrapped = function (this: KubeWorld, ...args: any[]) {
    let r: unknown;
    try {
      r = fn.apply(this, args);
    } catch (e) {
      this.stepEnded(e ?? new Error("step failed"));
      throw e;
    }
    if (r instanceof Promise) {
      return r.then(
        (v) => {
          this.stepEnded();
          return v;
        },
        (e) => {
          this.stepEnded(e ?? new Error("step failed"));
          throw e;
        },
      );
    }
    this.stepEnded();
    return r;
  };
  Object.defineProperty(wrapped, "length", { value: fn.length });
  return wrapped;
}

/** The Korean phrase of each English expression, the catalogue's and a project's own (for the step catalogue). */
export const STEP_KOREAN: Map<string, string> = ((globalThis as any).__ksStepKorean ??= new Map());

/** Where each step was written, for the step catalogue (Cucumber would record this file instead). */
export const STEP_LOCATIONS: Map<string, { uri: string; line: number }> = ((globalThis as any).__ksStepLocations ??= new Map());

function callerLocation(depth: number): { uri: string; line: number } | undefined {
  const frame = frameLine(depth); // (frameLine's own frame is the first, 0)
  const m = /\((?:file:\/\/)?([^():]+):(\d+):\d+\)/.exec(frame) ?? /at (?:file:\/\/)?([^():\s]+):(\d+):\d+/.exec(frame);
  return m ? { uri: m[1], line: Number(m[2]) } : undefined;
}

function bilingual(define: Definer): Definer {
  return (expression, fn, koPhrase, depth = 3) => {
    const at = callerLocation(depth);
    const mode = modeOf(fn);
    const step = reporting(skippable(fn));
    shortStacks(() => define(expression, step));
    STEP_MODES.set(expression, mode);
    if (at) STEP_LOCATIONS.set(expression, at);
    const ko = KO[expression] ?? koPhrase;
    if (ko) {
      STEP_KOREAN.set(expression, ko);
      shortStacks(() => define(ko, step));
      STEP_MODES.set(ko, mode);
      if (at) STEP_LOCATIONS.set(ko, at);
    }
  };
}

export const Given: Definer = bilingual(cucumber.Given as Definer);
export const When: Definer = bilingual(cucumber.When as Definer);
export const Then: Definer = bilingual(cucumber.Then as Definer);

export function action(expression: string, fn: StepFn, koPhrase?: string, depth = 3): void {
  const at = callerLocation(depth);
  const withTime = function (this: KubeWorld, ...args: any[]) {
    // Cucumber appends its callback to every step's arguments (user_code_runner), after ours.
    if (typeof args[args.length - 1] === "function") args.pop();
    const ms = args.pop() as number;
    return then(fn.apply(this, args), () => this.backend.pass(ms));
  };
  Object.defineProperty(withTime, "length", { value: fn.length + 1 });
  const variants: Array<[string, StepFn]> = [
    [expression, fn],
    [`${expression} and {duration} pass(es)`, withTime],
  ];
  const ko = KO[expression] ?? koPhrase;
  if (ko) STEP_KOREAN.set(expression, ko);
  if (ko) variants.push([ko, fn], [`${ko}${KO_AND_PASS}`, withTime]);
  const mode = modeOf(fn);
  for (const [e, f] of variants) {
    shortStacks(() => cucumber.When(e, reporting(skippable(f))));
    STEP_MODES.set(e, mode);
    if (at) STEP_LOCATIONS.set(e, at);
  }
}

const POD_NAME = "pod {string}";
const IN_NAMESPACE = " in namespace {string}";

/**
 * A pod step and its namespace form: registers `expression` as written and with
 * ` in namespace {string}` right after its `pod {string}` (`pod "x" in namespace "y" is Running`).
 * The step function takes the namespace right after the pod's name: the one written, or undefined
 * in the plain form (`this.ns(namespace)` then gives the kubeconfig context's namespace).
 */
export function podStep(define: Definer | typeof action, expression: string, fn: StepFn): void {
  const at = expression.indexOf(POD_NAME);
  if (at < 0) throw new Error(`podStep: ${JSON.stringify(expression)} has no ${JSON.stringify(POD_NAME)}`);
  const cut = at + POD_NAME.length;
  const namespaced = expression.slice(0, cut) + IN_NAMESPACE + expression.slice(cut);
  // The namespace's position among the step's arguments: after every parameter up to the pod's name.
  const index = (expression.slice(0, cut).match(/\{[^}]*\}/g) ?? []).length;
  const plain = function (this: KubeWorld, ...args: any[]) {
    args.splice(index, 0, undefined);
    return fn.apply(this, args);
  };
  Object.defineProperty(plain, "length", { value: fn.length - 1 });
  if (MODE in fn) Object.assign(plain, { [MODE]: (fn as any)[MODE] });
  // The step file's line is one frame further up than when it calls the definer itself.
  define(expression, plain, undefined, 4);
  define(namespaced, fn, undefined, 4);
}

/**
 * Stack frames a registration needs: Cucumber finds where a step was defined in the stack of an
 * Error it creates (getDefinitionLineAndUri: its own frames, getDefinitionLineAndUri, defineStep's
 * closure and the method proxy, then ours in this file), and `callerLocation` reads the step file's
 * frame at most four frames up (podStep). With source maps on, Node maps every frame of every
 * such stack (findSourceMap and a pathToFileURL per frame): with Node's default of ten frames that
 * was ~0.1 s of every start-up for our ~350 registrations. Frames past these are never read.
 */
const REGISTRATION_FRAMES = 6;

/**
 * Runs `f` (a registration) with stacks of at most REGISTRATION_FRAMES frames, written by
 * `registrationStack`. Cucumber takes a step's location from the first frame not in Cucumber
 * (getDefinitionLineAndUri), which in a registration is always one in this file (the closure
 * `shortStacks` runs).
 */
function shortStacks<T>(f: () => T): T {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  const mine = nodeDefault(prepare) && process.sourceMapsEnabled;
  if (!(limit > REGISTRATION_FRAMES) && !mine) return f();
  if (limit > REGISTRATION_FRAMES) Error.stackTraceLimit = REGISTRATION_FRAMES;
  if (mine) Error.prepareStackTrace = registrationStack;
  try {
    return f();
  } finally {
    Error.stackTraceLimit = limit;
    if (mine) Error.prepareStackTrace = prepare;
  }
}

/** The stack here, of at most REGISTRATION_FRAMES frames besides this function's own. */
function shortStack(): string {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  const mine = nodeDefault(prepare) && process.sourceMapsEnabled;
  if (limit > REGISTRATION_FRAMES) Error.stackTraceLimit = REGISTRATION_FRAMES + 1;
  if (mine) Error.prepareStackTrace = mappedStack;
  try {
    return new Error().stack ?? "";
  } finally {
    Error.stackTraceLimit = limit;
    if (mine) Error.prepareStackTrace = prepare;
  }
}

/**
 * The line of frame `index` of the stack here (0 is frameLine's own frame), as `shortStack()` writes
 * it, "" past its end: with maps on and Node's own stacks, only that frame is mapped (`frameText`),
 * not the seven `shortStack` maps to read one.
 */
function frameLine(index: number): string {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  if (!(nodeDefault(prepare) && process.sourceMapsEnabled)) return shortStack().split("\n")[index + 1] ?? "";
  let trace: NodeJS.CallSite[] = [];
  if (limit > REGISTRATION_FRAMES) Error.stackTraceLimit = REGISTRATION_FRAMES + 1;
  Error.prepareStackTrace = (_error: Error, t: NodeJS.CallSite[]) => {
    trace = t;
    return "";
  };
  try {
    void new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
  return index < trace.length ? `    at ${frameText(trace, index)}` : "";
}

/** Whether `prepare` is Node's own `Error.prepareStackTrace` (a function since Node 20.?, formerly none): nobody else's. */
function nodeDefault(prepare: unknown): boolean {
  return prepare === undefined || (typeof prepare === "function" && prepare.name === "ErrorPrepareStackTrace");
}

/**
 * Each file's source map (or none), as Node's `findSourceMap` answers: looked up once per file.
 * Node's own source-mapped stacks look every frame's file up anew (a `pathToFileURL` each, ~0.1 s of
 * a start-up's ~350 registrations with their two stacks). A file's map is registered when the file is
 * compiled, before any of its frames can be on a stack, and stays while the module lives.
 */
// (Node's modules taken with getBuiltinModule, not imported: an import line above would move every
// registration's line, which the reports carry as each step's location.)
type SourceMap = NonNullable<ReturnType<(typeof import("node:module"))["findSourceMap"]>>;
const { findSourceMap } = process.getBuiltinModule("node:module");
const { fileURLToPath } = process.getBuiltinModule("node:url");
const sourceMaps = new Map<string, SourceMap | undefined>();
const ENSURE_SOURCE_MAP = Symbol.for("kube-scenario.ensureSourceMap");
function sourceMapOf(fileName: string): SourceMap | undefined {
  if (sourceMaps.has(fileName)) return sourceMaps.get(fileName);
  let sm: SourceMap | undefined;
  try {
    // The step bundle's loader registers src.cjs's map at its first use (scripts/bundle-loader.cjs).
    (globalThis as { [k: symbol]: ((file: string) => void) | undefined })[ENSURE_SOURCE_MAP]?.(fileName);
    sm = findSourceMap(fileName);
  } catch {
    sm = undefined;
  }
  sourceMaps.set(fileName, sm);
  return sm;
}

/**
 * The stack text Node writes with source maps on (Node 20's lib/internal/source_map/prepare_stack_trace.js,
 * `prepareStackTraceWithSourceMaps` and `serializeJSStackFrame`, step for step), with each file's map
 * looked up once (`sourceMapOf`). Set as `Error.prepareStackTrace` only while a registration runs
 * (Cucumber reads where a step was defined from a stack, `callerLocation` the step file's line), and
 * only when maps are on and no one else set a `prepareStackTrace`; `support/test/define.test.ts`
 * compares its texts with Node's.
 */
export function mappedStack(error: Error, trace: NodeJS.CallSite[]): string {
  // Node's own errors (an internal kIsNodeError mark) are headed with their code.
  const head = isNodeError(error) ? `${error.name} [${(error as { code?: unknown }).code}]: ${error.message}` : Error.prototype.toString.call(error);
  if (trace.length === 0) return head;
  let out = head;
  for (let i = 0; i < trace.length; i++) out += `\n    at ${frameText(trace, i)}`;
  return out;
}

/** Frame `i` of `trace` as Node's source-mapped stack writes it (after "    at "). */
function frameText(trace: NodeJS.CallSite[], i: number): string {
  const callSite = trace[i];
  let text: string | undefined;
  try {
    let fileName: string | undefined = callSite.getFileName() ?? undefined;
    if (fileName === undefined) fileName = callSite.getEvalOrigin();
    const sm = typeof fileName === "string" ? sourceMapOf(fileName) : undefined;
    if (sm) text = serializeFrame(sm, callSite, trace[i + 1]);
  } catch {
    text = undefined;
  }
  return text ?? String(callSite);
}

/** The generated file this module runs from (the step bundle, or this file through tsx): its frames end a registration's stack. */
export const OWN_FILE: string | undefined = (() => {
  const prepare = Error.prepareStackTrace;
  let file: string | undefined;
  Error.prepareStackTrace = (_error: Error, trace: NodeJS.CallSite[]) => {
    file = trace[0]?.getFileName() ?? undefined;
    return "";
  };
  try {
    void new Error().stack;
  } finally {
    Error.prepareStackTrace = prepare;
  }
  return file;
})();

/**
 * A registration's stack. Cucumber's own `new Error()` (getDefinitionLineAndUri: no message) keeps
 * only the first frame in this file (`OWN_FILE`), the one Cucumber reads the step's location from:
 * the frames before it are Cucumber's, which it skips, and the ones after it are never read, so
 * neither is mapped nor parsed. Any other error (one with a message) gets `mappedStack`'s whole text.
 */
export function registrationStack(error: Error, trace: NodeJS.CallSite[]): string {
  const own = OWN_FILE === undefined || error.message !== "" ? -1 : trace.findIndex((c) => c.getFileName() === OWN_FILE);
  if (own < 0) return mappedStack(error, trace);
  return `${Error.prototype.toString.call(error)}\n    at ${frameText(trace, own)}`;
}

/** `kIsNodeError in error`: the mark is a symbol of Node's errors' prototype. */
function isNodeError(error: object): boolean {
  for (let o: object | null = error; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.getOwnPropertySymbols(o).some((s) => s.description === "kIsNodeError")) return true;
  }
  return false;
}

function serializeFrame(sm: SourceMap, callSite: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string {
  const { originalLine, originalColumn, originalSource } = sm.findEntry(Number(callSite.getLineNumber()) - 1, Number(callSite.getColumnNumber()) - 1) as { originalLine?: number; originalColumn?: number; originalSource?: string };
  if (originalSource === undefined || originalLine === undefined || originalColumn === undefined) return String(callSite);
  const name = originalSymbolName(sm, callSite, caller);
  const source = originalSource.startsWith("file://") ? fileURLToPath(originalSource) : originalSource;
  const fnName = callSite.getFunctionName() ?? callSite.getMethodName();
  const prefix = callSite.isAsync() ? "async " : callSite.isConstructor() ? "new " : "";
  const typeName = callSite.getTypeName();
  const namePrefix = typeName !== null && typeName !== "global" ? `${typeName}.` : "";
  const originalName = `${namePrefix}${fnName || "<anonymous>"}`;
  const mappedName = name && name !== originalName ? `${name}` : `${originalName}`;
  const hasName = !!(name || originalName);
  return `${prefix}${mappedName}${hasName ? " (" : ""}${source}:${originalLine + 1}:${originalColumn + 1}${hasName ? ")" : ""}`;
}

function originalSymbolName(sm: SourceMap, callSite: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string | undefined {
  // (null - 1 is -1 in Node's JavaScript, as Number(null) - 1 is here)
  const enclosing = sm.findEntry(Number(callSite.getEnclosingLineNumber()) - 1, Number(callSite.getEnclosingColumnNumber()) - 1) as { name?: string };
  if (enclosing.name) return enclosing.name;
  if (caller && callSite.getFileName() === caller.getFileName()) return (sm.findEntry(Number(caller.getLineNumber()) - 1, Number(caller.getColumnNumber()) - 1) as { name?: string }).name;
  return undefined;
}
