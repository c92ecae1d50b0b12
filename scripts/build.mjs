#!/usr/bin/env node
// Builds the package a project installs (npm pack / npm publish run it as `prepack`):
//   dist/src/**      the programmatic API (`kube-scenario`) and the CLI, JavaScript + .d.ts
//   dist/support/**  the step library (`kube-scenario/steps`): world, parameter types, helpers
//   dist/steps/**    every step definition
// with tsc (tsconfig.build.json): the same compiler that type-checks the sources emits the code
// and its declarations, one module per source file (readable stack traces and step locations
// without source maps), `.ts` import paths rewritten to `.js` (rewriteRelativeImportExtensions).
// Data files beside the sources (src/**/*.json and .proto files read through `new URL(..., import.meta.url)`) are
// copied next to their modules (not test data: testdata/ folders). The framework's own runs never use dist/ (they load the sources).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

rmSync("dist", { recursive: true, force: true });
const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    // Every data file beside the sources (schemas, image files, .proto definitions): modules read them through import.meta.url.
    else if (!name.endsWith(".ts") && !p.includes("/fuzz/") && !p.includes("/testdata/")) {
      cpSync(p, join("dist", p));
      copied++;
    }
  }
};
walk("src");
for (const f of ["dist/src/index.js", "dist/src/index.d.ts", "dist/support/index.js", "dist/support/index.d.ts", "dist/src/cli/index.js"]) {
  if (!existsSync(f)) {
    console.error(`build: ${f} is missing`);
    process.exit(1);
  }
}
// Every step phrase for editors (templates/common/dot-vscode/settings.json points the Cucumber extension at it).
const glue = spawnSync(
  process.execPath,
  ["--input-type=module", "-e", `
    import { mkdirSync, writeFileSync } from "node:fs";
    import { resolve } from "node:path";
    const { editorGlue } = await import("./dist/src/cli/steps.js");
    mkdirSync("dist/editor", { recursive: true });
    writeFileSync("dist/editor/steps.mjs", await editorGlue(resolve("dist/support/index.js")));
  `],
  { stdio: "inherit" },
);
if (glue.status !== 0) process.exit(glue.status ?? 1);
console.log(`dist/ built (tsc; ${copied} data file(s) copied; dist/editor/steps.mjs for editors)`);
