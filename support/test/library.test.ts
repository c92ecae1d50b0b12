import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

test("the step library (support/index.ts) imports every step file under steps/", () => {
  const text = readFileSync(new URL("../index.ts", import.meta.url), "utf8");
  const imported = [...text.matchAll(/import "\.\.\/steps\/([^"]+)";/g)].map((m) => m[1]).sort();
  const files = readdirSync(new URL("../../steps/", import.meta.url)).filter((f) => f.endsWith(".ts")).sort();
  assert.deepEqual(imported, files, "add the missing step files to support/index.ts (kube-scenario/steps)");
});
