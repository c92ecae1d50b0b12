/**
 * `Then the output is:` — stdout compared exactly, ignoring trailing spaces on each line and
 * trailing blank lines. Returns undefined when equal, else a line-by-line account of the difference.
 */
import { createRequire } from "node:module";
import type { KubectlResult } from "../kubectl/index.ts";
import { then, type MaybePromise, type Until } from "../backend.ts";

/**
 * jest-diff (with chalk, pretty-format and diff-sequences, ~30 ms to load) only when an output
 * differs: most runs never load it.
 */
let jestDiff: typeof import("jest-diff") | undefined;
const diff: typeof import("jest-diff").diff = (a, b, options) => (jestDiff ??= createRequire(import.meta.url)("jest-diff") as typeof import("jest-diff")).diff(a, b, options);

const plain = (s: string) => s;
/** jest-diff without terminal colours, so reports and logs show plain text. */
export const PLAIN = { aColor: plain, bColor: plain, changeColor: plain, commonColor: plain, patchColor: plain, changeLineTrailingSpaceColor: plain, commonLineTrailingSpaceColor: plain };

/** The step's doc string; Cucumber passes a DataTable (or nothing) when the step was given a table instead. */
export function docString(text: unknown): string {
  if (typeof text !== "string") throw new Error('this step takes the expected text as a doc string (between """ lines), not a table');
  return text;
}

export function normaliseOutput(text: string): string {
  return docString(text)
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/\n+$/, "");
}

export function compareOutput(actual: string, expected: string): string | undefined {
  const a = normaliseOutput(actual);
  const e = normaliseOutput(expected);
  if (a === e) return undefined;
  return diff(e, a, { ...PLAIN, aAnnotation: "Expected", bAnnotation: "Actual", expand: true }) ?? `expected:\n${e}\nactual:\n${a}`;
}

/**
 * "Within 30 s the output of `kubectl get pod web` contains: ...": an Until for the backend's
 * `within`, running the command (through `run`, which the step gives the backend's kubectl) at each
 * step until its stdout contains the text. `remoteStepMs` is the step between tries on a live
 * backend, where each try is a real kubectl process.
 */
export function outputUntil(command: string, expected: string, run: () => MaybePromise<KubectlResult>, remoteStepMs?: number): Until {
  let last: KubectlResult | undefined;
  return {
    check: () =>
      then(run(), (r) => {
        last = r;
        return r.stdout.includes(expected) ? undefined : `the output of "${command}" does not contain the text yet`;
      }),
    timedOut: (v, ms) => outputFailure(command, expected, ms, last!, v.clock.nowRFC3339()),
    held: `the output of "${command}" contained the text`,
    remoteStepMs,
  };
}

export const outputFailure = (command: string, expected: string, maxMs: number, last: KubectlResult, at?: string): string =>
  `the output of "${command}" did not contain within ${maxMs / 1000} s:\n${expected}\n\nits last output${at ? ` (at ${at})` : ""} was:\n${last.stdout}` +
  (last.stderr ? `\nstderr:\n${last.stderr}` : "");
