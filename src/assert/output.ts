/**
 * `Then the output is:` — stdout compared exactly, ignoring trailing spaces on each line and
 * trailing blank lines. Returns undefined when equal, else a line-by-line account of the difference.
 */
import { diff } from "jest-diff";
import type { ClusterContext } from "../context.ts";
import type { KubectlResult } from "../kubectl/index.ts";
import { advanceUntil } from "./eventually.ts";

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
 * `within <duration> the output of "<command>" contains:` in the simulation: runs the command now
 * and after each step of the clock until its stdout contains `expected`; returns the ms it took,
 * or throws with the last output when the time is up. `seen` receives every result.
 */
export function outputWithin(
  ctx: ClusterContext,
  run: () => KubectlResult,
  command: string,
  expected: string,
  maxMs: number,
  seen: (r: KubectlResult) => void = () => {},
): number {
  let last: KubectlResult | undefined;
  const took = advanceUntil(ctx, () => {
    last = run();
    seen(last);
    return last.stdout.includes(expected);
  }, maxMs);
  if (took === undefined) throw new Error(outputWithin.failure(command, expected, maxMs, last!, ctx.clock.nowRFC3339()));
  return took;
}

outputWithin.failure = (command: string, expected: string, maxMs: number, last: KubectlResult, at?: string): string =>
  `the output of "${command}" did not contain within ${maxMs / 1000} s:\n${expected}\n\nits last output${at ? ` (at ${at})` : ""} was:\n${last.stdout}` +
  (last.stderr ? `\nstderr:\n${last.stderr}` : "");
