/**
 * Regression tests for the defects the fuzzing found (docs/reliability.md lists them). Each case is
 * the shrunk counterexample fast-check reported, kept so the defect cannot come back unnoticed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { goQuote } from "../api/errors.ts";
import { checkApply } from "./properties.ts";
import { Cluster } from "../cluster.ts";

test("defect 1: names and values are quoted as Go's %q (U+2028 no longer splits the error line)", () => {
  assert.equal(goQuote("a\u2028b"), '"a\\u2028b"');
  assert.equal(goQuote("\u0000"), '"\\x00"');
  assert.equal(goQuote('q"\\'), '"q\\"\\\\"');
  assert.equal(goQuote("é名😀 x\t"), '"é名😀 x\\t"');
  assert.equal(goQuote("\u00a0\u200b\ufeff"), '"\\u00a0\\u200b\\ufeff"');
  const c = new Cluster();
  const r = c.kubectlSync(["apply", "-f", "-"], "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"\\u2028\"\nspec:\n  selector:\n    app: x\n  type: ClusterIP\n  ports: []\n");
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /^The Service "\\u2028" is invalid: \n\* metadata\.name: Invalid value: "\\u2028": a DNS-1035 label/);
  checkApply("apiVersion: v1\nkind: Service\nmetadata:\n  name: \"\\u2028\"\nspec:\n  selector:\n    app: x\n  type: ClusterIP\n  ports: []\n");
});

test("defect 2: a null in a string list (metadata.finalizers: [null]) crashed validation with a TypeError", () => {
  const c = new Cluster();
  const r = c.kubectlSync(["apply", "-f", "-"], "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  finalizers:\n    - null\nspec:\n  selector:\n    app: x\n  ports: [{port: 80}]\n");
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /^The Service "s" is invalid: \n\* metadata\.finalizers: Invalid value: "": name part must be non-empty\n/);
  // encoding/json's zero values: "" for a string element or map value, {} for a struct element.
  const p = c.kubectlSync(["apply", "-f", "-"], "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: null}}\nspec:\n  containers: [null]\n");
  assert.equal(p.stderr, 'The Pod "p" is invalid: \n* spec.containers[0].name: Required value\n* spec.containers[0].image: Required value\n');
  checkApply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  finalizers: [null, null]\ndata: {k: null}\n");
});

test("defect 3: a command line a shell cannot read (`${`) threw shell-quote's Error past kubectl", () => {
  const c = new Cluster();
  assert.deepEqual(c.kubectlSync("${"), { stdout: "", stderr: 'error: cannot read the command line "${": bad substitution\n', exitCode: 1 });
  assert.equal(c.kubectlSync("get pods ${x").exitCode, 1);
});

test("defect 5: `Then the output is:` given a table instead of a doc string crashed with `text.split is not a function`", async () => {
  const { compareOutput } = await import("../assert/output.ts");
  const table = { rows: [["n1", "x"]] } as unknown as string;
  assert.throws(() => compareOutput("x", table), /^Error: this step takes the expected text as a doc string \(between """ lines\), not a table$/);
});
