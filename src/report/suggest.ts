// For every undefined step of the last run, names the closest existing phrase:
//   Undefined step: `X` — did you mean `Y`?
// Reads Cucumber's message stream (reports/messages.ndjson): `stepDefinition` messages carry the
// phrases, `pickle` messages the step texts, `testCase` + `testStepFinished` tell which steps were
// UNDEFINED. Ranking: edit distance between the step text and each phrase after both are put in the
// same shape ("quoted" -> {string}, numbers -> {int}, durations -> {duration}); ties go to the
// alphabetically first phrase, so the answer is deterministic.

import type { Envelope } from "@cucumber/messages";
import { walkAst } from "./run.ts";

const HANGUL = /[\u3131-\uD79D]/;

/** A step text in the shape of a Cucumber expression. */
export function shapeOfText(text: string): string {
  return text
    .replace(/"[^"]*"/g, "{string}")
    .replace(/\b\d+(?:\.\d+)?\s*(?:ms|milliseconds?|seconds?|minutes?|hours?|days?|[smhd])\b/g, "{duration}")
    .replace(/-?\b\d+(?:\.\d+)?\b/g, "{int}")
    .replace(/\s+/g, " ")
    .trim();
}

/** A Cucumber expression without its optional text and alternatives (first one kept). */
export function shapeOfExpression(source: string): string {
  return source
    .replace(/\\\(/g, "(")
    .replace(/\([^)]*\)/g, "")
    .replace(/(\S+)\/\S+/g, "$1")
    .replace(/\{(?:float|number)\}/g, "{int}")
    .replace(/\s+/g, " ")
    .trim();
}

const WILDCARD = new Set(["{word}", "{phase}"]);

/** Cost of putting phrase word `b` where the step has word `a`: 0 to 1 (a {word} matches any plain word). */
function wordCost(a: string, b: string): number {
  if (a === b) return 0;
  if (WILDCARD.has(b) && !a.startsWith("{")) return 0.1;
  return charDistance(a.toLowerCase(), b.toLowerCase()) / Math.max(a.length, b.length);
}

/** Word-level edit distance, each substitution costing how different the two words are. */
export function distance(a: string, b: string): number {
  const x = a.split(" ");
  const y = b.split(" ");
  const prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + wordCost(x[i - 1], y[j - 1]));
      diag = up;
    }
  }
  return prev[y.length];
}

function charDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest phrases to a step text, best first (same script: Korean steps get Korean phrases). */
export function closest(text: string, phrases: string[], n = 1): string[] {
  const korean = HANGUL.test(text);
  const shape = shapeOfText(text);
  return [...new Set(phrases)]
    .filter((p) => HANGUL.test(p) === korean)
    .map((p) => ({ p, d: distance(shape, shapeOfExpression(p)) }))
    .sort((x, y) => x.d - y.d || (x.p < y.p ? -1 : x.p > y.p ? 1 : 0))
    .slice(0, n)
    .map((x) => x.p);
}

/** `Undefined step: ...` lines for the undefined steps in a message stream. */
export function suggestUndefined(ndjson: string): string[] {
  // Most runs have no undefined step: then the stream (1.9 MB for the course pack) is not parsed.
  if (!ndjson.includes("UNDEFINED")) return [];
  const phrases: string[] = [];
  const pickleSteps = new Map<string, { text: string; uri: string; line?: number }>();
  const testSteps = new Map<string, string>(); // testStepId -> pickleStepId
  const astLines = new Map<string, number>(); // astNodeId -> line
  const undefinedIds: string[] = [];
  for (const line of ndjson.split("\n")) {
    if (!line) continue;
    const m = JSON.parse(line) as Envelope;
    if (m.stepDefinition) phrases.push(m.stepDefinition.pattern.source);
    else if (m.gherkinDocument) {
      walkAst(m.gherkinDocument, (o) => {
        if (typeof o.id === "string" && o.id && o.location && o.keyword !== undefined && o.text !== undefined) astLines.set(o.id, o.location.line);
      });
    } else if (m.pickle) {
      for (const s of m.pickle.steps) pickleSteps.set(s.id, { text: s.text, uri: m.pickle.uri, line: astLines.get(s.astNodeIds?.[0]) });
    } else if (m.testCase) {
      for (const s of m.testCase.testSteps) if (s.pickleStepId) testSteps.set(s.id, s.pickleStepId);
    } else if (String(m.testStepFinished?.testStepResult?.status) === "UNDEFINED") {
      undefinedIds.push(m.testStepFinished!.testStepId);
    }
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of undefinedIds) {
    const step = pickleSteps.get(testSteps.get(id) ?? "");
    if (!step) continue;
    const key = `${step.uri}:${step.line}:${step.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [best] = closest(step.text, phrases);
    const where = step.uri ? ` (${step.uri}${step.line ? `:${step.line}` : ""})` : "";
    out.push(best ? `Undefined step: \`${step.text}\`${where} — did you mean \`${best}\`?` : `Undefined step: \`${step.text}\`${where}`);
  }
  return out;
}
