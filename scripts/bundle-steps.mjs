// Bundles the Cucumber support code (support/index.ts, the step files and src/ modules it imports)
// with esbuild (tsx's own dependency), so a feature run loads two cached CommonJS files (compiled
// with a V8 code cache by scripts/bundle-loader.cjs; see buildSupport) instead of ~200 TypeScript
// modules through tsx's loader thread; the runner's command line is an ES module bundle (cli.mjs). Packages stay external (one
// Cucumber instance), a source map points stack traces (failure messages, step locations in the
// reports) at the original files, and `import.meta.url` keeps each module's own URL.
// The bundle is rebuilt only when one of the files it was built from (or their folders) is newer
// than it (INPUTS); `--force` rebuilds anyway.
// Measured in docs/performance.md ("Scheduler and suite"): scripts/run-features.mjs and the
// framework's cucumber.js (so a plain `npx cucumber-js`) both load it; KUBE_SCENARIO_NO_BUNDLE=1
// loads the TypeScript through tsx instead.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

export const BUNDLE = ".cache/bundle/steps.cjs";
/**
 * What Cucumber imports: turns source maps on for this process, then loads the support code, two
 * CommonJS files (steps.cjs: support/ and steps/; src.cjs: the src/ modules they use) compiled
 * with a V8 code cache by scripts/bundle-loader.cjs. Node reads a module's source map when it
 * compiles the module, if maps are on by then: turned on here rather than by
 * `--enable-source-maps` at start-up, the ~130 maps of Cucumber's own modules (loaded before this)
 * are never read, while the bundle's are, so stack traces and step locations still name the
 * original files. The same in `--parallel` workers, which import this file too.
 */
export const ENTRY = ".cache/bundle/index.mjs";
/** The command line (src/cli/index.ts's `main`), for scripts/run-features.mjs: no TypeScript loader in the runner either. */
export const CLI_BUNDLE = ".cache/bundle/cli.mjs";
const ENTRY_SOURCE = `// scripts/bundle-steps.mjs (ENTRY)
import { createRequire } from "node:module";
process.setSourceMapsEnabled(true);
createRequire(import.meta.url)(${JSON.stringify(resolve("scripts/bundle-loader.cjs"))}).load(import.meta.dirname);
`;

/**
 * The support code as two CommonJS files, so that scripts/bundle-loader.cjs can compile them with a
 * V8 code cache (Node 20 compiles ES modules without one, and has no module compile cache):
 * - steps.cjs: support/index.ts and the support and step files it imports. Each src/ module they
 *   import is a one-line stand-in reading that module's namespace from src.cjs (`__ks_src`, an
 *   argument of the loader's wrapper), so the map Node parses when Cucumber reads a stack at each
 *   step registration is steps.cjs's small one; src.cjs's is only parsed when a stack passes
 *   through src/ (a failure).
 * - src.cjs: the src/ modules steps.cjs uses and what they import, evaluated in the order the ES
 *   modules were (the order the support files first import them), `modules` by path; a module
 *   support/ imports with `import()` (the live backend) stays unevaluated until asked (`lazy`).
 * Both strict, as ES modules are; `import()` becomes a `require` (Node 20.19+ requires ES modules).
 */
async function buildSupport(build, tmp, list, keepOwnUrl) {
  const root = resolve(".");
  const srcDir = resolve("src") + sep;
  const common = { bundle: true, platform: "node", format: "cjs", target: "node20", packages: "external", sourcemap: "linked", sourcesContent: false, logLevel: "warning", banner: { js: '"use strict";' }, supported: { "dynamic-import": false } };
  const lazy = new Set();
  const srcStandIn = {
    name: "src-stand-in",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace !== "file" || args.importer.startsWith(srcDir)) return undefined;
        const target = resolve(args.resolveDir, args.path);
        if (!target.startsWith(srcDir)) return undefined;
        const key = relative(root, target).split(sep).join("/");
        if (args.kind === "dynamic-import") lazy.add(key);
        return { path: key, namespace: args.kind === "dynamic-import" ? "ks-src-lazy" : "ks-src" };
      });
      b.onLoad({ filter: /.*/, namespace: "ks-src" }, (args) => ({ contents: `module.exports = __ks_src.modules[${JSON.stringify(args.path)}];\n`, loader: "js" }));
      b.onLoad({ filter: /.*/, namespace: "ks-src-lazy" }, (args) => ({ contents: `module.exports = __ks_src.lazy[${JSON.stringify(args.path)}]();\n`, loader: "js" }));
    },
  };
  writeFileSync(`${tmp}/steps.ts`, list.map((f) => `import "../../${f}";`).join("\n") + "\n");
  const steps = await build({ ...common, entryPoints: [`${tmp}/steps.ts`], outfile: `${tmp}/steps.cjs`, metafile: true, plugins: [srcStandIn, keepOwnUrl] });
  // The src/ modules in the order the support files first import them (depth first, each file's
  // imports in source order): ES modules evaluate a file's imports, in order, before the file.
  const inputs = steps.metafile.inputs;
  const order = [];
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    if (key.startsWith("ks-src:")) order.push(key.slice("ks-src:".length));
    for (const imp of inputs[key]?.imports ?? []) if (imp.kind === "import-statement" || imp.kind === "require-call") visit(imp.path);
  };
  visit(relative(root, `${tmp}/steps.ts`).split(sep).join("/"));
  const missing = Object.keys(inputs).filter((k) => k.startsWith("ks-src:") && !seen.has(k));
  if (missing.length) throw new Error(`src modules not reached in order: ${missing.join(", ")}`);
  const text = [
    ...order.map((key, i) => `import * as m${i} from ${JSON.stringify(`../../${key}`)};`),
    `export const modules = {${order.map((key, i) => `${JSON.stringify(key)}: m${i}`).join(", ")}};`,
    `export const lazy = {${[...lazy].sort().map((key) => `${JSON.stringify(key)}: () => require(${JSON.stringify(`../../${key}`)})`).join(", ")}};`,
  ].join("\n");
  writeFileSync(`${tmp}/src.ts`, text + "\n");
  const src = await build({ ...common, entryPoints: [`${tmp}/src.ts`], outfile: `${tmp}/src.cjs`, metafile: true, plugins: [keepOwnUrl] });
  return [steps.metafile, src.metafile];
}
/**
 * ASCII look-alikes for the non-ASCII characters of the sources' comments (the rest become "?").
 * None is `*` or `/`, which could end or open a comment.
 */
const LOOK_ALIKE = { "\u2014": "-", "\u2013": "-", "\u2192": ">", "\u2190": "<", "\u2194": "-", "\u2265": ">", "\u2264": "<", "\u2260": "!", "\u2248": "~", "\u2026": ".", "\u00d7": "x", "\u00b7": ".", "\u00b5": "u", "\u00e9": "e", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"' };
const NOT_ASCII = /[\u0080-\uffff]/g;

/**
 * A bundle file's text with every non-ASCII character of its comments replaced by an ASCII one, or
 * the text itself when it is ASCII already or any such character is not in a comment. Node decodes
 * an ASCII file into a one-byte string, which V8 compiles from, hashes and keeps at half the size:
 * src.cjs (~4 MB) held ~160 such characters, all in comments (em dashes, arrows), and was decoded
 * into a two-byte string at every run (~20 ms of a start, docs/performance.md, branch suite24).
 * Each UTF-16 unit becomes one character, so every line and column stays where the source map says.
 * Proved by esbuild, not by a tokenizer of our own: both texts with their whitespace and comments
 * minified away must give the same code (a character in a string, template or regular expression
 * would differ: esbuild writes it escaped in one and as "?" in the other).
 */
export async function asciiComments(text, transform) {
  NOT_ASCII.lastIndex = 0;
  if (!NOT_ASCII.test(text)) return text;
  const ascii = text.replace(NOT_ASCII, (c) => LOOK_ALIKE[c] ?? "?");
  const options = { loader: "js", minifyWhitespace: true, legalComments: "none", logLevel: "silent" };
  try {
    const [a, b] = await Promise.all([transform(text, options), transform(ascii, options)]);
    return a.code === b.code ? ascii : text;
  } catch {
    return text;
  }
}

/** Files besides the sources whose change rebuilds the bundle. */
const BUILD_FILES = ["package.json", "tsconfig.json", "scripts/bundle-steps.mjs", "scripts/bundle-loader.cjs"];

/**
 * What the bundle was built from (`inputs.json` beside it): every file esbuild read for it (its three
 * builds' metafiles: the sources, by path from here) and the folders that hold them. A later run
 * compares these instead of walking support/, steps/ and src/ as it did (1,113 files, of which
 * ~600 are inputs: the rest are tests and data read at run time): a changed or removed input, or a file
 * added to or removed from an input's folder (which a changed resolution needs), makes it stale.
 */
export const INPUTS = ".cache/bundle/inputs.json";

/** The build's inputs from esbuild's metafiles: files only (not a plugin's namespaced stand-ins), not the build's own entry files. */
function inputsOf(metafiles, tmp) {
  const files = new Set();
  for (const m of metafiles) {
    for (const key of Object.keys(m.inputs)) {
      if (/^[\w-]+:/.test(key) || key.startsWith(`${tmp}/`)) continue;
      files.add(key);
    }
  }
  const folders = new Set([...files].map((f) => dirname(f)));
  return { files: [...files].sort(), folders: [...folders].sort() };
}

/** The newest change among the recorded inputs, their folders and BUILD_FILES; Infinity when they cannot be read (a missing input, no record). */
function newestInput() {
  try {
    const { files, folders } = JSON.parse(readFileSync(INPUTS, "utf8"));
    if (!Array.isArray(files) || !Array.isArray(folders) || files.length === 0) return Infinity;
    let newest = 0;
    for (const f of files) newest = Math.max(newest, statSync(f).mtimeMs);
    for (const d of folders) newest = Math.max(newest, statSync(d).mtimeMs);
    for (const f of BUILD_FILES) if (existsSync(f)) newest = Math.max(newest, statSync(f).mtimeMs);
    return newest;
  } catch {
    return Infinity;
  }
}

/** The entry file, as cucumber.js lists it: the step library, which imports the rest by name. */
function entries() {
  return ["support/index.ts"];
}


/** Builds the bundle if it is missing or older than a source; returns its path. */
export async function ensureBundle({ force = false } = {}) {
  const list = entries();
  const listFile = `${BUNDLE}.entries`;
  const fresh = !force && existsSync(ENTRY) && existsSync(BUNDLE) && existsSync(CLI_BUNDLE) && existsSync(listFile) && readFileSync(listFile, "utf8") === list.join("\n") && statSync(BUNDLE).mtimeMs >= newestInput();
  if (fresh) return ENTRY;
  const { build, transform } = await import("esbuild");
  const { mkdirSync, rmSync, renameSync, readdirSync } = await import("node:fs");
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
  // The runner's command line (cli.mjs): ES modules, its commands' chunks loaded on demand.
  // Built next to the live bundle and swapped in at the end, so that a run loading the old one
  // meanwhile (another terminal, a parallel worker) never sees a half-written directory.
  const tmp = `.cache/bundle.${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(`${tmp}/cli.ts`, `export { main } from "../../src/cli/index.ts";\n`);
  try {
    const cli = await build({
      entryPoints: [`${tmp}/cli.ts`],
      metafile: true,
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
    const support = await buildSupport(build, tmp, list, keepOwnUrl);
    // The code files' comments in ASCII (asciiComments), before the entry (not built) is written.
    for (const f of readdirSync(tmp)) {
      if (!/\.(cjs|mjs)$/.test(f)) continue;
      const text = readFileSync(`${tmp}/${f}`, "utf8");
      const ascii = await asciiComments(text, transform);
      if (ascii !== text) writeFileSync(`${tmp}/${f}`, ascii);
    }
    writeFileSync(`${tmp}/inputs.json`, JSON.stringify(inputsOf([cli.metafile, ...support], tmp)));
    writeFileSync(`${tmp}/index.mjs`, ENTRY_SOURCE);
    writeFileSync(`${tmp}/steps.cjs.entries`, list.join("\n"));
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
