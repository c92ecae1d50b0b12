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

test("the bundle's comments are written in ASCII, the code left as it was; a file with other non-ASCII code is left whole", async (t) => {
  const { asciiComments } = await import("./bundle-steps.mjs");
  const { transform, stop } = await import("esbuild");
  // esbuild's asynchronous API starts a service process (unref'd, yet a child this process opened):
  // stopped with the test, as scripts/unit-tests.mjs requires of every child a test starts.
  t.after(() => stop());
  const min = async (t: string) => (await transform(t, { loader: "js", minifyWhitespace: true })).code;
  const commented = `"use strict";\n/** a \u2014 b \u2192 c, 2\u00b3\u00b9 \u{1F600} */\nconst x = "\\u2014"; // 3 \u00d7 4\nmodule.exports = { x, re: /(ns|\\u00b5s)/ };\n`;
  const ascii = await asciiComments(commented, transform);
  assert.doesNotMatch(ascii, /[\u0080-\uffff]/);
  assert.equal(ascii.length, commented.length);
  assert.deepEqual(ascii.split("\n").map((l: string) => l.length), commented.split("\n").map((l) => l.length));
  assert.ok(ascii.includes("a - b > c, 2?? ?? */") && ascii.includes("// 3 x 4"), ascii);
  assert.equal(await min(ascii), await min(commented));
  // Built from source: the same in the bundle (a project with the characters in a comment esbuild keeps, a string and a template).
  const dir = project();
  try {
    writeFileSync(join(dir, "src", "lib", "a.ts"), `export const a: number = 1;\nexport class C {\n  /** one \u2014 two */\n  f(): number {\n    return a;\n  }\n}\nexport const k = "\uC77C" + \`\u00b5\${a}\`;\n`);
    ensure(dir);
    const src = readFileSync(join(dir, ".cache", "bundle", "src.cjs"), "utf8");
    assert.doesNotMatch(src, /[\u0080-\uffff]/);
    assert.ok(src.includes("/** one - two */"), src);
    const r = spawnSync(process.execPath, ["-e", `process.stdout.write(require(${JSON.stringify(join(dir, ".cache", "bundle", "src.cjs"))}).modules["src/lib/a.ts"].k)`], { cwd: dir, encoding: "utf8" });
    assert.equal(r.stdout, "\uC77C\u00b51", r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // A character a raw template keeps (or a regular expression literal) cannot be rewritten: the file stays as it was.
  for (const code of ["const u = String.raw`\uC77C`; // \u2014\n", "const r = /\u00b5s/; // \u2014\n"]) assert.equal(await asciiComments(code, transform), code);
});
