/**
 * Generated feature texts for the contract steps (docs/steps.md, rows marked **contract**): each
 * scenario sets up a small cluster, then runs random contract steps with parameters drawn from
 * valid and odd values (unknown names, huge or negative numbers, odd durations and unicode),
 * doc strings with generated manifests and random tables.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { anyManifestText, kubectlLine } from "./generators.ts";

export function contractSteps(catalogue = "docs/steps.md"): string[] {
  const out: string[] = [];
  for (const line of readFileSync(catalogue, "utf8").split("\n")) {
    const m = /^\| `([^`]+)` \|.*\*\*contract\*\*/.exec(line);
    if (m && !m[1].startsWith("a cluster with nodes")) out.push(m[1]);
  }
  return out;
}

const quoted = (s: string) => `"${s.replace(/["\\\n\r]/g, "")}"`;
const stringParam = fc.oneof(
  fc.constantFrom("p1", "web", "app", "pod1", "n1", "nginx", "kubetm/app", "Running", "default", "", "nope", "名前", "a b", "\u00a0", "x".repeat(300)),
  kubectlLine,
  fc.string({ maxLength: 12 }),
);
const param: Record<string, fc.Arbitrary<string>> = {
  string: stringParam.map(quoted),
  int: fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(0, 2 ** 31, 2 ** 53, 1e21)).map((n) => String(n)),
  duration: fc.constantFrom("30 seconds", "0 seconds", "1 second", "1 minute 30 seconds", "90s", "1h30m", "2 minutes", "240000 hours", "1e9 seconds", "5 fortnights", "-1 seconds"),
  word: fc.constantFrom("pod", "Pod", "p1", "node", "deployment", "x", "Ready", "3"),
  phase: fc.constantFrom("Pending", "Running", "Succeeded", "Failed", "Unknown"),
};

// Doc strings are kept under 20 KB: Cucumber itself takes minutes on a feature file of megabytes
// (300 KB annotations in hundreds of scenarios), which is no defect of ours.
const docString = fc.oneof(anyManifestText.filter((t) => t.length < 20_000), fc.string({ maxLength: 40 }), kubectlLine);
const table = fc.array(fc.array(fc.constantFrom("name", "n1", "p1", "Running", "labels", "kr=az-1", "", "x", "1", "phase", "status"), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 3 });

function indent(text: string, by: string): string {
  return text.split("\n").map((l) => by + l.replace(/"""/g, "'''")).join("\n");
}

/** One step line (with its doc string or table when the expression ends with a colon). */
export function stepText(expressions: string[]): fc.Arbitrary<string> {
  return fc.constantFrom(...expressions).chain((expr) => {
    const slots = [...expr.matchAll(/\{(\w+)\}/g)].map((m) => param[m[1]] ?? param.string);
    return fc.tuple(fc.tuple(...slots), docString, table, fc.boolean()).map(([values, doc, rows, useTable]) => {
      let i = 0;
      const line = expr.replace(/\{(\w+)\}/g, () => values[i++]).replace(/\(es\)|\(s\)/g, "");
      if (!line.endsWith(":")) return `    When ${line}`;
      const arg = useTable ? rows.map((r) => `      | ${r.map((c) => c.replace(/\|/g, "")).join(" | ")} |`).join("\n") : `      """\n${indent(doc, "      ")}\n      """`;
      return `    When ${line}\n${arg}`;
    });
  });
}

export function featureText(expressions: string[], scenarios: number): fc.Arbitrary<string> {
  const scenario = fc.array(stepText(expressions), { minLength: 1, maxLength: 5 });
  return fc.array(scenario, { minLength: scenarios, maxLength: scenarios }).map((list) =>
    [
      "Feature: fuzz",
      ...list.map((steps, i) =>
        [`  Scenario: generated ${i + 1}`, "    Given a cluster with nodes:", "      | name | labels  |", "      | n1   |         |", "      | n2   | kr=az-1 |", ...steps].join("\n"),
      ),
    ].join("\n\n") + "\n",
  );
}
