/**
 * `Then the output is:` — stdout compared exactly, ignoring trailing spaces on each line and
 * trailing blank lines. Returns undefined when equal, else a line-by-line account of the difference.
 */
import { diff } from "jest-diff";

const plain = (s: string) => s;
/** jest-diff without terminal colours, so reports and logs show plain text. */
export const PLAIN = { aColor: plain, bColor: plain, changeColor: plain, commonColor: plain, patchColor: plain, changeLineTrailingSpaceColor: plain, commonLineTrailingSpaceColor: plain };

export function normaliseOutput(text: string): string {
  // Cucumber passes a DataTable when the step is given a table instead of a doc string.
  if (typeof text !== "string") throw new Error('this step takes the expected text as a doc string (between """ lines), not a table');
  return text
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
