#!/usr/bin/env node
// Runs every unit test file (src/**/*.test.ts, support/**, scripts/**) in ONE node process with
// node's test runner: loading TypeScript once is much faster than a process per file.
// Arguments narrow the run to files whose path contains one of them.
import { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { Server } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join, relative } from "node:path";
import { after } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
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

// A test that times out is abandoned where it waits: its `finally` never runs, and a server or
// child process it opened would keep this process alive for ever once every test is done (CI
// waited out its 90 minutes). Every listening server and running child is noted with the test
// file that made it; after the last test, whatever is still open fails the run, named by its file,
// and is closed (tests close what they open also on a timeout: t.after, the testutil helpers'
// `t`). Should something else still hold the event loop, the run ends anyway, naming what it is.
const open = new Map();
const opener = () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const here = fileURLToPath(import.meta.url);
  const where = [];
  for (const l of stack.split("\n")) {
    const m = /\(((?:file:\/\/)?\/[^)]+?):(\d+):\d+\)$|at ((?:file:\/\/)?\/\S+?):(\d+):\d+$/.exec(l.trim());
    if (!m) continue;
    const path = m[1] ?? m[3];
    const file = path.startsWith("file:") ? fileURLToPath(path) : path;
    if (file !== here) where.push({ file: relative(process.cwd(), file), line: m[2] ?? m[4] });
  }
  const test = where.find((w) => w.file.endsWith(".test.ts")) ?? where[0] ?? { file: "(unknown)", line: "?" };
  return `${test.file}:${test.line}`;
};
const listen = Server.prototype.listen;
Server.prototype.listen = function (...args) {
  if (!open.has(this)) {
    open.set(this, { what: "a server", by: opener() });
    this.once("close", () => open.delete(this));
  }
  return listen.apply(this, args);
};
const spawnChild = ChildProcess.prototype.spawn;
ChildProcess.prototype.spawn = function (options) {
  const r = spawnChild.call(this, options);
  if (this.pid !== undefined && this.exitCode === null) {
    open.set(this, { what: `a child process (${options?.file ?? "?"})`, by: opener() });
    this.once("exit", () => open.delete(this));
  }
  return r;
};
const GRACE_MS = 10_000;
const leftOpen = () => {
  const left = [...open].filter(([h]) => (h instanceof Server ? h.listening : h.exitCode === null && h.signalCode === null));
  if (left.length === 0) return;
  process.exitCode = 1;
  console.error(`\nunit tests left ${left.length} open (each test must close what it opens, also when it fails or times out: t.after):`);
  for (const [h, { what, by }] of left) {
    console.error(`  ${what}${h instanceof Server && h.address() ? ` at ${JSON.stringify(h.address())}` : ""}, opened by ${by}`);
    if (h instanceof Server) {
      h.closeAllConnections?.();
      h.close();
      h.unref();
    } else h.kill("SIGKILL");
  }
};
for (const f of files) await import(pathToFileURL(f).href);
// Registered once every file is loaded: after any root hook a test file registers.
after(() => {
  leftOpen();
  // Only what holds the event loop may fire this; an empty loop ends the process first.
  globalThis.setTimeout(() => {
    const held = process.getActiveResourcesInfo().filter((r) => r !== "Timeout");
    console.error(`\nunit tests: the run still held ${held.join(", ") || "timers"} ${GRACE_MS / 1000} s after its last test; ended (exit code 1; node:test's summary, written when the event loop empties, is lost)`);
    process.exit(1);
  }, GRACE_MS).unref();
});
