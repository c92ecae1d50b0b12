// Bundles the Cucumber support code (support/index.ts, the step files and src/ modules it imports)
// into one cached ES module with esbuild (tsx's own dependency), so a feature run loads one file
// instead of ~200 TypeScript modules through tsx's loader thread. Packages stay external (one
// Cucumber instance), a source map points stack traces (failure messages, step locations in the
// reports) at the original files, and `import.meta.url` keeps each module's own URL.
// The bundle is rebuilt only when a source is newer than it; `--force` rebuilds anyway.
// Measured in docs/performance.md ("Scheduler and suite"): scripts/run-features.mjs and the
// framework's cucumber.js (so a plain `npx cucumber-js`) both load it; KUBE_SCENARIO_NO_BUNDLE=1
// loads the TypeScript through tsx instead.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

export const BUNDLE = ".cache/bundle/steps.mjs";
/**
 * What Cucumber imports: turns source maps on for this process, then imports the bundle. Node
 * reads a module's source map when it compiles the module, if maps are on by then: turned on here
 * rather than by `--enable-source-maps` at start-up, the ~130 maps of Cucumber's own modules (loaded
 * before this) are never read, while the bundle's are, so stack traces and step locations still
 * name the original files. The same in `--parallel` workers, which import this file too.
 */
export const ENTRY = ".cache/bundle/index.mjs";
/** The command line (src/cli/index.ts's `main`), for scripts/run-features.mjs: no TypeScript loader in the runner either. */
export const CLI_BUNDLE = ".cache/bundle/cli.mjs";
const ROOTS = ["support", "steps", "src"];

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The entry file, as cucumber.js lists it: the step library, which imports the rest by name. */
function entries() {
  return ["support/index.ts"];
}

function newestSource() {
  let newest = 0;
  for (const root of ROOTS) for (const f of walk(root)) newest = Math.max(newest, statSync(f).mtimeMs);
  for (const f of ["package.json", "tsconfig.json", "scripts/bundle-steps.mjs"]) if (existsSync(f)) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}

/** Builds the bundle if it is missing or older than a source; returns its path. */
export async function ensureBundle({ force = false } = {}) {
  const list = entries();
  const listFile = `${BUNDLE}.entries`;
  const fresh = !force && existsSync(ENTRY) && existsSync(BUNDLE) && existsSync(CLI_BUNDLE) && existsSync(listFile) && readFileSync(listFile, "utf8") === list.join("\n") && statSync(BUNDLE).mtimeMs >= newestSource();
  if (fresh) return ENTRY;
  const { build } = await import("esbuild");
  const { writeFileSync, mkdirSync, rmSync, renameSync } = await import("node:fs");
  const keepOwnUrl = {
    name: "keep-import-meta-url",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta.url")) return undefined;
        return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
      });
    },
  };
  // Two entries: the support code, and every src module. src code, reached from both, goes to a
  // shared chunk; support/ and steps/ stay in steps.mjs with a small source map. Cucumber reads a
  // stack trace for every step it registers, and Node parses a file's source map the first time a
  // stack passes through it: one map for the whole bundle cost ~300 ms at every start-up, the
  // chunk's map is only read when a failure's stack goes through src/.
  // Built next to the live bundle and swapped in at the end, so that a run loading the old one
  // meanwhile (another terminal, a parallel worker) never sees a half-written directory.
  const tmp = `.cache/bundle.${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(`${tmp}/steps.ts`, list.map((f) => `import "../../${f}";`).join("\n") + "\n");
  const srcFiles = walk("src").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("/fuzz/")).sort();
  writeFileSync(`${tmp}/src.ts`, srcFiles.map((f) => `import "../../${f}";`).join("\n") + "\n");
  writeFileSync(`${tmp}/cli.ts`, `export { main } from "../../src/cli/index.ts";\n`);
  try {
    await build({
      entryPoints: [`${tmp}/steps.ts`, `${tmp}/src.ts`, `${tmp}/cli.ts`],
      outdir: tmp,
      outExtension: { ".js": ".mjs" },
      splitting: true,
      chunkNames: "chunk-[hash]",
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      sourcemap: "linked",
      // Stack traces need the mappings only; without the sources the map Node parses at load is a third the size.
      sourcesContent: false,
      logLevel: "warning",
      plugins: [keepOwnUrl],
    });
    writeFileSync(`${tmp}/index.mjs`, `// scripts/bundle-steps.mjs (ENTRY)\nprocess.setSourceMapsEnabled(true);\nawait import("./steps.mjs");\n`);
    writeFileSync(`${tmp}/steps.mjs.entries`, list.join("\n"));
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  rmSync(".cache/bundle", { recursive: true, force: true });
  renameSync(tmp, ".cache/bundle");
  return ENTRY;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const t0 = performance.now();
  const out = await ensureBundle({ force: process.argv.includes("--force") });
  console.log(`${out} ready in ${Math.round(performance.now() - t0)} ms`);
}
