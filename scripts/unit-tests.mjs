#!/usr/bin/env node
// Runs every unit test file (src/**/*.test.ts, support/**, scripts/**) in ONE node process with
// node's test runner: loading TypeScript once is much faster than a process per file.
// Arguments narrow the run to files whose path contains one of them.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
// tsx, with the project's own TypeScript compiled without esbuild's keepNames (scripts/ts-loader.mjs).
import "./ts-loader.mjs";

const roots = ["src", "support", "scripts"];
const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "node_modules") walk(p);
    } else if (name.endsWith(".test.ts") && (filters.length === 0 || filters.some((f) => p.includes(f)))) files.push(p);
  }
};
for (const r of roots) walk(r);
if (files.length === 0) {
  console.error("no unit test files found");
  process.exit(1);
}
// Every test removes what it makes, also when it fails: the run gets a temporary directory of its
// own (TMPDIR, which node's tmpdir(), kubectl, Python and the shells read), and fails if it is not
// empty at the end (a shared /tmp gathered thousands of ks-kubectl-*, allure-* ... directories).
const tmp = mkdtempSync(join(tmpdir(), "ks-unit-tests-"));
// Child processes that load TypeScript through tsx (the CLI's tests) keep using tsx's compile cache
// (tmpdir()/tsx-<uid>, kept between runs on purpose): a fresh one made each child compile the tree.
// The same for scripts/ts-loader.mjs's cache (ks-ts-<uid>: children started with that loader).
const user = process.geteuid?.() ?? userInfo().username;
const caches = [`tsx-${user}`, `ks-ts-${user}`];
for (const cache of caches) {
  mkdirSync(join(tmpdir(), cache), { recursive: true });
  symlinkSync(join(tmpdir(), cache), join(tmp, cache));
}
process.env.TMPDIR = tmp;
process.on("exit", () => {
  const left = readdirSync(tmp).filter((name) => !caches.includes(name));
  rmSync(tmp, { recursive: true, force: true });
  if (left.length > 0) {
    console.error(`\nunit tests left ${left.length} entries in the temporary directory (each test must remove what it makes): ${left.slice(0, 20).join(", ")}${left.length > 20 ? ", ..." : ""}`);
    process.exitCode = 1;
  }
});
for (const f of files) await import(pathToFileURL(f).href);
