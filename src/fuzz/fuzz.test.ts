/**
 * Bounded fuzzing (CI): generated manifests and kubectl command lines against a simulated cluster.
 * Properties: nothing throws past the kubectl/API boundary; every failure is a kubectl-style error
 * on stderr with a non-zero exit; a rejected apply leaves the store exactly as it was.
 * FUZZ_RUNS raises the number of cases (`npm run fuzz` for a long run); FUZZ_SEED changes the seed.
 * Each test prints the number of cases it tried (`# fuzz <name>: N cases`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { KUBECTL_STYLE, checkApply, count, newCluster } from "./properties.ts";
import { anyManifestText, kubectlLine, manifestText, manyDocuments } from "./generators.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const seed = (fallback: number) => SEED ?? fallback;

test(`fuzz: ${RUNS} generated manifests never crash and a rejected apply changes nothing`, () => {
  let tried = 0;
  fc.assert(
    fc.property(manifestText, (text) => {
      tried++;
      checkApply(text);
    }),
    { numRuns: RUNS, seed: seed(42) },
  );
  count("lead manifests", tried);
  assert.equal(tried >= RUNS, true);
});

test(`fuzz: ${RUNS} broad manifests (every kind, wrong types, missing fields, huge values, odd unicode, deep nesting, duplicate keys)`, () => {
  let tried = 0;
  fc.assert(
    fc.property(anyManifestText, (text) => {
      tried++;
      checkApply(text);
    }),
    { numRuns: RUNS, seed: seed(11) },
  );
  count("broad manifests", tried);
});

test("fuzz: thousands of documents in one stream", () => {
  let tried = 0;
  fc.assert(
    fc.property(manyDocuments, (text) => {
      tried++;
      checkApply(text, 1000);
    }),
    { numRuns: Math.max(2, Math.ceil(RUNS / 30)), seed: seed(5) },
  );
  count("many documents", tried);
});

test(`fuzz: ${RUNS} generated kubectl command lines never crash`, () => {
  const c = newCluster();
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: p1, labels: {app: x}}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600']}]\n");
  let tried = 0;
  fc.assert(
    fc.property(kubectlLine, (line) => {
      tried++;
      const r = c.kubectlSync(line);
      assert.equal(typeof r.exitCode, "number");
      // A line with a `|` runs through the simulated local shell (pipelines): its errors are the shell's (a syntax error, a command not found).
      const style = line.includes("|") ? new RegExp(`${KUBECTL_STYLE.source}|^sh: `, "m") : KUBECTL_STYLE;
      if (r.exitCode !== 0) assert.match(r.stderr, style, `"kubectl ${line}" failed without a kubectl-style error:\n${r.stderr}`);
    }),
    { numRuns: RUNS * 5, seed: seed(7) },
  );
  count("kubectl lines", tried);
});
