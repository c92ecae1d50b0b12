/**
 * kustomize v5.5.0's build, as bundled in kubectl v1.32 (`kubectl kustomize DIR`, `kubectl apply -k
 * DIR`): see kusttarget.ts for what it builds. Only produces manifests; kubectl's commands apply
 * them through their usual paths.
 */
import { posix } from "node:path";
import type { LocalFiles } from "../command.ts";
import { goYAML, yamlV2KeyOrder } from "../printers/goyaml.ts";
import type { JSONObject } from "../../api/types.ts";
import { build } from "./kusttarget.ts";
import { isRemote, KustomizeError, Loader } from "./loader.ts";
import { remoteKustomizationCopy } from "../examples.ts";

export { KustomizeError } from "./loader.ts";

export interface Kustomized {
  objects: JSONObject[];
  /** The build as `kubectl kustomize` prints it (ResMap.AsYaml). */
  yaml: string;
  /** Deprecation warnings kustomize writes to stderr. */
  warnings: string[];
}

/** Normalizes a `-k` argument to a project path (`./` and `` are the project root, `.`). */
export function normalizeDir(dir: string): string {
  const n = posix.normalize(dir === "" ? "." : dir);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** Builds the kustomization in `dir` (a project path). Throws KustomizeError with kustomize's message. */
export function kustomize(files: LocalFiles, dir: string, opts: { reorder?: "legacy" | "none" } = {}): Kustomized {
  if (isRemote(dir)) {
    // A project's pinned remote kustomization builds its verbatim copy (what kustomize's clone holds).
    const copy = remoteKustomizationCopy(dir);
    if (copy === undefined) throw new KustomizeError(`remote kustomization ${JSON.stringify(dir)} is not simulated (kustomize would clone it with git; only the pinned projects of exercises/apps/SOURCES are served)`);
    dir = copy;
  }
  const root = normalizeDir(dir);
  const kind = files.kind(root);
  if (kind === undefined) throw new KustomizeError(`must build at directory: not a valid directory: evalsymlink failure on '${root}' : lstat ${root}: no such file or directory`);
  if (kind !== "dir") throw new KustomizeError(`must build at directory: '${root}': file is not directory`);
  const { resources, warnings } = build(new Loader(files, root), opts);
  const objects = resources.map((r) => r.obj);
  return { objects, yaml: objects.map((o) => goYAML(o, yamlV2KeyOrder)).join("---\n"), warnings };
}
