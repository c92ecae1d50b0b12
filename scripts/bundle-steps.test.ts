/**
 * scripts/bundle-steps.mjs: the bundle is rebuilt when a file it was built from changes, is removed,
 * or a file is added beside one (its recorded inputs and their folders, inputs.json), and not when a
 * file it was not built from (a test, data read at run time) changes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A small project laid out as this one: the step library's entry, a src/ module it imports, the command line. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "ks-bundle-steps-"));
  mkdirSync(join(dir, "scripts"));
  for (const f of ["bundle-steps.mjs", "bundle-loader.cjs"]) cpSync(resolve("scripts", f), join(dir, "scripts", f));
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p", type: "module" }));
  writeFileSync(join(dir, "tsconfig.json"), "{}");
  mkdirSync(join(dir, "support"));
  mkdirSync(join(dir, "src", "cli"), { recursive: true });
  mkdirSync(join(dir, "src", "lib"));
  writeFileSync(join(dir, "support", "index.ts"), `import { a } from "../src/lib/a.ts";\nexport const b: number = a;\n`);
  writeFileSync(join(dir, "src", "lib", "a.ts"), `export const a: number = 1;\n`);
  writeFileSync(join(dir, "src", "lib", "a.test.ts"), `// a test: not bundled\n`);
  writeFileSync(join(dir, "src", "lib", "data.json"), `{}\n`);
  writeFileSync(join(dir, "src", "cli", "index.ts"), `export function main(): number {\n  return 0;\n}\n`);
  return dir;
}

/** Runs ensureBundle in `dir`; returns the bundle's mtime afterwards (a rebuild moves it). */
function ensure(dir: string): number {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const { ensureBundle } = await import(${JSON.stringify(join(dir, "scripts", "bundle-steps.mjs"))}); await ensureBundle();`], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return statSync(join(dir, ".cache", "bundle", "steps.cjs")).mtimeMs;
}

/** Sets a file's or folder's mtime to `ms` past the bundle's. */
function later(dir: string, path: string, ms = 5000): void {
  const t = (statSync(join(dir, ".cache", "bundle", "steps.cjs")).mtimeMs + ms) / 1000;
  utimesSync(join(dir, path), t, t);
}

test("the bundle is rebuilt for a change to what it was built from, not for a test or a data file", () => {
  const dir = project();
  try {
    let built = ensure(dir);
    const inputs = JSON.parse(readFileSync(join(dir, ".cache", "bundle", "inputs.json"), "utf8")) as { files: string[]; folders: string[] };
    assert.deepEqual(inputs.files, ["src/cli/index.ts", "src/lib/a.ts", "support/index.ts"]);
    assert.deepEqual(inputs.folders, ["src/cli", "src/lib", "support"]);
    assert.equal(ensure(dir), built, "fresh: not rebuilt");

    // A test and a data file beside an input (the folder itself unchanged): fresh.
    later(dir, "src/lib/a.test.ts");
    later(dir, "src/lib/data.json");
    assert.equal(ensure(dir), built);

    // An input changed.
    later(dir, "src/lib/a.ts");
    const afterInput = ensure(dir);
    assert.ok(afterInput > built, "an input newer than the bundle: rebuilt");
    built = afterInput;

    // A file added to an input's folder (the folder's mtime moves).
    writeFileSync(join(dir, "src", "lib", "b.ts"), "export const b = 2;\n");
    later(dir, "src/lib");
    const afterAdd = ensure(dir);
    assert.ok(afterAdd > built, "a file added beside an input: rebuilt");
    built = afterAdd;

    // An input moved away and back with its old mtime (the walk of every file missed this): its folder moved.
    renameSync(join(dir, "src", "lib", "a.ts"), join(dir, "a.ts.moved"));
    renameSync(join(dir, "a.ts.moved"), join(dir, "src", "lib", "a.ts"));
    later(dir, "src/lib/a.ts", -60_000);
    later(dir, "src/lib");
    const afterMove = ensure(dir);
    assert.ok(afterMove > built, "an input's folder changed: rebuilt");
    built = afterMove;

    // A build file changed, and a bundle without its record (an older bundle): rebuilt.
    later(dir, "scripts/bundle-loader.cjs");
    const afterLoader = ensure(dir);
    assert.ok(afterLoader > built);
    rmSync(join(dir, ".cache", "bundle", "inputs.json"));
    assert.ok(ensure(dir) > afterLoader, "no inputs.json: rebuilt");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
