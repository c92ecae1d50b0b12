/**
 * The file loader of a kustomization (api/internal/loader/fileloader.go, restricted to the root as
 * kubectl's `-k` and `kubectl kustomize` are by default, LoadRestrictionsRootOnly): files are read
 * relative to the kustomization's directory and must lie in or below it; other kustomization
 * directories (bases) may lie anywhere; URLs and git repositories are not simulated, except the
 * pinned projects' remote kustomizations whose copies exercises/apps/ carries (../examples.ts).
 *
 * Paths are the user's project paths (relative to the project root, as `-f` reads them); where
 * kustomize prints an absolute path, the simulation prints this one.
 */
import { posix } from "node:path";
import type { LocalFiles } from "../command.ts";
import { remoteKustomizationCopy } from "../examples.ts";

export class KustomizeError extends Error {}

/** Whether kustomize would take a path as remote (a URL or a git repository spec). */
export function isRemote(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || /^git@/.test(path) || /^github\.com\//.test(path) || /\.git(\/|\?|$)/.test(path) || path.includes("?ref=");
}

/** How deep kustomizations may nest: a bound against cycles kustomize's own check does not see (a → b → a). */
const MAX_DEPTH = 64;

export class Loader {
  constructor(
    readonly files: LocalFiles,
    /** The kustomization's directory, normalized (`.` for the project root). */
    readonly root: string,
    /** The loaders of the kustomizations that led here. */
    readonly parents: readonly string[] = [],
  ) {}

  /** A path relative to the root, normalized. */
  resolve(path: string): string {
    return posix.normalize(posix.isAbsolute(path) ? path : posix.join(this.root, path));
  }

  private inRoot(p: string): boolean {
    if (this.root === ".") return !p.startsWith("../") && p !== "..";
    return p === this.root || p.startsWith(this.root.endsWith("/") ? this.root : this.root + "/");
  }

  /** Loader.Load: a file's bytes, refused when it lies outside the root. */
  load(path: string): Buffer {
    if (isRemote(path)) throw new KustomizeError(`loading remote files (${path}) is not simulated`);
    const p = this.resolve(path);
    if (!this.inRoot(p)) throw new KustomizeError(`security; file '${p}' is not in or below '${this.root}'`);
    const kind = this.files.kind(p);
    if (kind === undefined) throw new KustomizeError(`open ${p}: no such file or directory`);
    if (kind === "dir") throw new KustomizeError(`read ${p}: is a directory`);
    return this.files.read(p);
  }

  kind(path: string): "file" | "dir" | undefined {
    return this.files.kind(this.resolve(path));
  }

  /** Loader.New: a loader rooted at another kustomization directory. */
  child(path: string): Loader {
    if (isRemote(path)) {
      // A pinned project's remote base: its verbatim copy, as kustomize's clone (a root of its own).
      const copy = remoteKustomizationCopy(path);
      if (copy === undefined) throw new KustomizeError(`remote resource ${path} is not simulated: kustomize would clone it with git (only the pinned projects of exercises/apps/SOURCES are served)`);
      const chain = [...this.parents, this.root];
      if (chain.includes(copy) || chain.length >= MAX_DEPTH) throw new KustomizeError(`cycle detected: '${path}' is already being built`);
      return new Loader(this.files, copy, chain);
    }
    const p = this.resolve(path);
    const kind = this.files.kind(p);
    if (kind === undefined) throw new KustomizeError(`must build at directory: not a valid directory: evalsymlink failure on '${p}' : lstat ${p}: no such file or directory`);
    if (kind !== "dir") throw new KustomizeError(`must build at directory: '${p}': file is not directory`);
    // errIfArgEqualOrHigher: a base may not be this directory or one above it.
    const above = p === "." ? true : this.root === p || this.root.startsWith(p + "/");
    if (above) throw new KustomizeError(`cycle detected: candidate root '${p}' contains visited root '${this.root}'`);
    const chain = [...this.parents, this.root];
    if (chain.includes(p) || chain.length >= MAX_DEPTH) throw new KustomizeError(`cycle detected: '${p}' is already being built (${[...chain, p].join(" -> ")})`);
    return new Loader(this.files, p, chain);
  }
}
