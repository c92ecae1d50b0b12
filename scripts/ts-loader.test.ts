/**
 * scripts/ts-loader.mjs: the project's TypeScript compiled without esbuild's `keepNames` gives every
 * function and class the name tsx gives it (JavaScript's own), the same stack frames (name, file and
 * line through the source map), and defines no name as functions are made.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { ownTypeScript } from "./ts-loader-hooks.mjs";

const FIXTURE = "scripts/testdata/ts-loader/names.ts";

function run(loader: string): { named: string[]; color: string; frame: string; defined: number } {
  const r = spawnSync(process.execPath, ["--import", loader, FIXTURE], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { named: string[]; color: string; frame: string; defined: number };
}

test("names, enums and stack frames as under tsx, without a name defined per function made", () => {
  const tsx = run("tsx");
  const ours = run("./scripts/ts-loader.mjs");
  // The fixture's forms: tsx (keepNames) defines their names; JavaScript gives the same ones.
  assert.ok(tsx.defined > 0, "tsx no longer defines names: this loader may be unneeded");
  assert.equal(ours.defined, 0);
  assert.deepEqual(ours.named, tsx.named);
  assert.deepEqual(ours.named.slice(0, 4), ["arrow", "fnExpr", "declared", "Plain"]);
  assert.equal(ours.color, "Red");
  assert.equal(ours.frame, tsx.frame);
  assert.match(ours.frame, /^at frame \(scripts\/testdata\/ts-loader\/names\.ts:\d+:\d+\)$/);
});

test("only the project's own TypeScript ES modules are compiled here", () => {
  const own = (p: string) => ownTypeScript(pathToFileURL(resolve(p)).href);
  assert.equal(own("src/cluster.ts"), true);
  assert.equal(own("bench/controllers.ts"), true);
  assert.equal(own("scripts/bench.mjs"), false);
  assert.equal(own("node_modules/x/index.ts"), false);
  assert.equal(own("/tmp/elsewhere.ts"), false);
  assert.equal(ownTypeScript(`${pathToFileURL(resolve("src/cluster.ts")).href}?x=1`), false);
  assert.equal(ownTypeScript("node:fs"), false);
});
