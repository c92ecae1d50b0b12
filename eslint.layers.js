/**
 * The layer order of src/ (docs/architecture.md), enforced with ESLint's own `no-restricted-imports`:
 * for every folder under src/ this builds one config block that forbids relative imports of every
 * layer above the folder's own. An import may point down the list or within its own row.
 */
import fs from "node:fs";
import path from "node:path";

/** Lowest first. Each entry is a top-level name under src/ (a folder, or a file without `.ts`). */
export const LAYERS = [
  ["sim"],
  ["api", "context"],
  ["runtime"],
  ["images", "network", "scheduler"],
  ["kubelet"],
  ["controllers", "metrics"],
  ["kubectl"],
  ["cluster", "components", "nodetable", "nodeops"],
  ["server", "live", "backend", "fuzz", "index"],
  ["assert", "report"],
  ["cli"],
];

/**
 * Known violations, each to be removed (issue #20); a file listed here may import that layer.
 * Keep this list short and shrinking.
 */
export const EXCEPTIONS = {};

/**
 * Test code may import anything (the test runner's helpers assemble whole clusters): `*.test.ts`,
 * and `testutil.ts`, the one name of a folder's test helpers.
 */
const isTestFile = (name) => /\.test\.ts$|^testutil\.ts$/.test(name);

function rankOf(name) {
  const i = LAYERS.findIndex((row) => row.includes(name));
  if (i < 0) throw new Error(`eslint.layers.js: src/${name} is in no layer; add it to LAYERS (and docs/architecture.md)`);
  return i;
}

function forbiddenPatterns(fromDir, forbiddenLayers) {
  const patterns = [];
  for (const layer of forbiddenLayers) {
    let rel = path.relative(fromDir, path.join("src", layer)).split(path.sep).join("/");
    if (!rel.startsWith(".")) rel = `./${rel}`;
    patterns.push(`${rel}/**`, `${rel}.ts`);
  }
  return patterns;
}

/**
 * Layers that reach a lower one only through a narrow interface, never its modules: kubectl talks
 * to the kubelet as real kubectl does, through what the API server proxies (logs, exec), which is
 * `src/api/kubeletclient.ts`, not through `src/kubelet/**`.
 */
export const NARROW = {
  kubectl: { not: "kubelet", through: "src/api/kubeletclient.ts" },
};

/**
 * The Cucumber glue above src/: no file under src/ imports `support/` or `steps/`, except that the
 * `kube-scenario` command (src/cli) reads the step catalogue's two lists.
 */
export const GLUE = ["support", "steps"];
export const CLI_FROM_SUPPORT = ["support/contract.ts", "support/phrases.ko.ts"];

function gluePatterns(fromDir, rank) {
  const patterns = forbiddenPatterns(fromDir, GLUE.map((g) => path.join("..", g)));
  if (LAYERS[rank].includes("cli")) {
    for (const f of CLI_FROM_SUPPORT) patterns.push(`!${path.relative(fromDir, f).split(path.sep).join("/")}`);
  }
  return patterns;
}

function block(files, fromDir, ownRank, allowed = [], own = undefined) {
  const above = LAYERS.slice(ownRank + 1).flat().filter((l) => !allowed.includes(l));
  const order = LAYERS.map((row) => row.join(", ")).join(" → ");
  const patterns = [{ group: gluePatterns(fromDir, ownRank), message: "src/ does not import the Cucumber glue (support/, steps/): it sits above src/ in the layer order (docs/architecture.md)." }];
  const narrow = own && NARROW[own];
  if (narrow && !allowed.includes(narrow.not)) {
    patterns.push({ group: forbiddenPatterns(fromDir, [narrow.not]), message: `src/${own} reaches src/${narrow.not} only through ${narrow.through} (docs/architecture.md).` });
  }
  if (above.length) patterns.unshift({ group: forbiddenPatterns(fromDir, above), message: `Imports point down the layer order (docs/architecture.md): ${order}.` });
  return {
    files,
    rules: { "no-restricted-imports": ["error", { patterns }] },
  };
}

export function layerConfigs(root = ".", exceptions = EXCEPTIONS) {
  const out = [];
  const src = path.join(root, "src");
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const name = entry.name.replace(/\.ts$/, "");
    if (!entry.isDirectory() && (!entry.name.endsWith(".ts") || isTestFile(entry.name))) continue;
    const rank = rankOf(name);
    if (entry.isDirectory()) {
      const dirs = [path.join("src", entry.name)];
      for (let i = 0; i < dirs.length; i++) {
        for (const d of fs.readdirSync(path.join(root, dirs[i]), { withFileTypes: true })) if (d.isDirectory()) dirs.push(path.join(dirs[i], d.name));
      }
      for (const d of dirs) {
        out.push({ ...block([`${d.split(path.sep).join("/")}/*.ts`], d, rank, [], name), ignores: ["**/*.test.ts", "**/testutil.ts"] });
      }
    } else {
      out.push(block([`src/${entry.name}`], "src", rank));
    }
  }
  for (const [file, allowed] of Object.entries(exceptions)) {
    const top = file.split("/")[1].replace(/\.ts$/, "");
    out.push(block([file], path.dirname(file), rankOf(top), allowed, top));
  }
  return out;
}
