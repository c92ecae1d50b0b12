// Module hooks (node:module `register`, run on Node's loader thread) in front of tsx's: the project's
// own TypeScript ES modules (.ts and .mts files outside node_modules) are compiled here, with the
// options tsx compiles them with (its `transform`: target the running Node, minified whitespace, an
// inline source map, the tsconfig's compiler options) but without esbuild's `keepNames`. tsx sets
// `keepNames`, which wraps every named function, arrow and class in `__name(…, "name")`, an
// `Object.defineProperty` of the name each time one is made: ~40,900 per rolling-update part of
// bench/controllers.ts, ~1 % of its CPU. What users run never has it (the package's dist/ is tsc's
// output; the course pack runs the step bundle, scripts/bundle-steps.mjs, built without it), and
// tsx renames nothing (one file at a time, no minified identifiers), so every function keeps the
// name JavaScript itself gives it (`const f = () => …` is "f"). Resolution, CommonJS, JSON and every
// other file stay tsx's. See scripts/ts-loader.mjs.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform, version } from "esbuild";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const compilerOptions = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")).compilerOptions;
/** tsx's options (its `transform` for ES modules) less `keepNames`. */
const OPTIONS = { target: `node${process.versions.node}`, loader: "ts", format: "esm", sourcemap: "inline", sourcesContent: false, minifyWhitespace: true, keepNames: false, tsconfigRaw: { compilerOptions } };
/** Compiled files by the hash of their text and the options (as tsx keeps its own), so a run compiles only what changed. */
const CACHE = join(tmpdir(), `ks-ts-${process.geteuid?.() ?? userInfo().username}`);
const KEY = JSON.stringify({ ...OPTIONS, esbuild: version, hooks: 1 });
let cacheMade = false;

/** Whether `url` is one of the project's own TypeScript ES modules (not a package's, not CommonJS TypeScript). */
export function ownTypeScript(url) {
  if (!url.startsWith("file:") || url.includes("?") || url.includes("#")) return false;
  if (!(url.endsWith(".ts") || url.endsWith(".mts")) || url.includes("/node_modules/")) return false;
  return fileURLToPath(url).startsWith(ROOT);
}

export async function load(url, context, nextLoad) {
  if (!ownTypeScript(url) || (context.format !== undefined && context.format !== "module" && context.format !== "module-typescript")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const text = await readFile(path, "utf8");
  const hash = createHash("sha1").update(KEY).update("\0").update(path).update("\0").update(text).digest("hex");
  const file = join(CACHE, `${hash}.mjs`);
  let source;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    source = (await transform(text, { ...OPTIONS, sourcefile: path })).code;
    try {
      if (!cacheMade) mkdirSync(CACHE, { recursive: true });
      cacheMade = true;
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, source);
      renameSync(tmp, file);
    } catch {
      // (no cache: compiled again next time)
    }
  }
  return { format: "module", source, shortCircuit: true };
}
