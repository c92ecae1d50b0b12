/**
 * Where kube-scenario itself is installed, whether it runs from its built JavaScript (`dist/`, as
 * a course repository installs it) or from its TypeScript sources (the framework's own checkout),
 * and what it depends on there.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory of kube-scenario's own package.json (not the project's that runs it). */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, "package.json");
    if (existsSync(p) && (JSON.parse(readFileSync(p, "utf8")) as { name?: string }).name === "kube-scenario") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`kube-scenario's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
})();

/** kube-scenario's version. */
export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

/** True when running from the built package (`dist/`), false from the TypeScript sources. */
export const BUILT: boolean = fileURLToPath(import.meta.url).endsWith(".js");

const require = createRequire(import.meta.url);

/** The file of a package's module as kube-scenario resolves it (so a course uses kube-scenario's Cucumber, Allure...). */
export function resolveFrom(specifier: string): string {
  return require.resolve(specifier);
}

/** The Cucumber command-line script (bin/cucumber.js of the Cucumber kube-scenario registers its steps with). */
export function cucumberBin(): string {
  return join(dirname(resolveFrom("@cucumber/cucumber/package.json")), "bin", "cucumber.js");
}

/** The version of a package kube-scenario depends on, or "?". */
export function dependencyVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(resolveFrom(`${name}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}
