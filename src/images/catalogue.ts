/**
 * What the simulated registries hold, read from the data files in ./data (each says where its
 * facts come from):
 *
 * - `official-images.txt`: Docker Hub's official images (`docker.io/library/<name>`) and every tag
 *   each has been published under (docker-library/official-images and its history);
 * - `repositories.json`: the other repositories kube-scenario knows, their tags, the registries and
 *   namespaces it knows completely, and registry aliases (`k8s.gcr.io` → `registry.k8s.io`);
 * - `models.json`: per image model, its config (ENTRYPOINT, CMD, ENV, …), shell, size and files.
 *
 * The files are read lazily, once per process. `official-images.txt` is 3.5 MB: a lookup reads only
 * its image's line, found through `official-images.index` (name, byte offset and length of each
 * line, written with it by scripts/images/official-images.mjs; a unit test checks they agree).
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import type { ImageConfig } from "./config.ts";

export type TagRule = "official" | "any" | string[];

export interface RepositoryEntry {
  /** The image model (models.json) that runs its containers. */
  model: string;
  tags: TagRule;
  /** The registry's digest of some tags (`sha256:<hex>`: the image index, what a pull by tag resolves to and the container's imageID shows). */
  digests?: Record<string, string>;
  source?: string;
}

export type ShellKind = "busybox" | "bash" | "dash" | "none";

export interface ImageModelData {
  source: string;
  config: ImageConfig;
  shell: ShellKind;
  /** What `/bin/sh` is when it is not busybox ash: Debian's and Ubuntu's dash (its `echo` reads backslash escapes). */
  binSh?: "dash";
  /** Compressed size in the registry (what the Pulled event and node.status.images report). */
  sizeBytes: number;
  /** Pull duration in ms; derived from the size when absent (see pullDurationMs). */
  pullMs?: number;
  /** The ENV variable that carries the version, and the pattern that finds it in a tag (`NGINX_VERSION`, `^(\d+\.\d+\.\d+)`). */
  tagVersion?: { env: string; pattern: string };
  /** ENV values of the tags a pattern matches, where their Dockerfile differs (`^5\\.7` → MYSQL_VERSION 5.7.44-1.el7). */
  tagEnv?: Array<{ pattern: string; env: Record<string, string> }>;
  /** Path → content, or `@<file>` under data/files/. */
  files?: Record<string, string>;
  /** Directories the image has and who owns them (`"1000:1000"`), everything under them included (its Dockerfile's `mkdir -p`, `chown -R`). */
  owners?: Record<string, string>;
}

interface RepositoriesFile {
  complete: string[];
  aliases: Record<string, string>;
  repositories: Record<string, RepositoryEntry>;
}

interface ModelsFile {
  models: Record<string, ImageModelData>;
}

const dataUrl = (name: string) => new URL(`./data/${name}`, import.meta.url);

let repositoriesFile: RepositoriesFile | undefined;
let modelsFile: ModelsFile | undefined;
let officialIndex: Map<string, { offset: number; length: number }> | undefined;
const officialCache = new Map<string, OfficialImage | null>();
const fileCache = new Map<string, string>();

function repositories(): RepositoriesFile {
  return (repositoriesFile ??= JSON.parse(readFileSync(dataUrl("repositories.json"), "utf8")) as RepositoriesFile);
}

function models(): ModelsFile {
  return (modelsFile ??= JSON.parse(readFileSync(dataUrl("models.json"), "utf8")) as ModelsFile);
}

/** Registry names that serve the same repositories: `k8s.gcr.io/pause` → `registry.k8s.io/pause`. */
export function canonicalRepository(fullRepository: string): string {
  for (const [from, to] of Object.entries(repositories().aliases)) {
    if (fullRepository.startsWith(from + "/")) return to + fullRepository.slice(from.length);
  }
  return fullRepository;
}

/** The catalogue's entry for a fully qualified repository (`docker.io/library/nginx`), aliases resolved. */
export function repositoryEntry(fullRepository: string): RepositoryEntry | undefined {
  return repositories().repositories[canonicalRepository(fullRepository)];
}

/** Whether the repository lies in a registry or namespace the catalogue knows completely. */
export function inCompleteNamespace(fullRepository: string): boolean {
  const repo = canonicalRepository(fullRepository);
  return repositories().complete.some((ns) => repo.startsWith(ns + "/"));
}

/** Every repository the catalogue lists by name (for near-miss checks), fully qualified. */
export function listedRepositories(): string[] {
  return Object.keys(repositories().repositories);
}

export interface OfficialImage {
  name: string;
  /** Still in docker-library/official-images (else deprecated, still on Docker Hub). */
  current: boolean;
  tags: ReadonlySet<string>;
}

/** official-images.index: `<name> TAB <byte offset> TAB <byte length>` of each line of official-images.txt. */
function officialLines(): Map<string, { offset: number; length: number }> {
  if (officialIndex) return officialIndex;
  const index = new Map<string, { offset: number; length: number }>();
  for (const line of readFileSync(dataUrl("official-images.index"), "utf8").split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const [name, offset, length] = line.split("\t");
    index.set(name!, { offset: Number(offset), length: Number(length) });
  }
  return (officialIndex = index);
}

/** One line of official-images.txt, read from its offset. */
function officialLine(at: { offset: number; length: number }): string {
  const fd = openSync(dataUrl("official-images.txt"), "r");
  try {
    const buf = Buffer.alloc(at.length);
    const n = readSync(fd, buf, 0, at.length, at.offset);
    return buf.toString("utf8", 0, n);
  } finally {
    closeSync(fd);
  }
}

/** A Docker Hub official image by its short name (`nginx`), with its tags; undefined if there is none. */
export function officialImage(name: string): OfficialImage | undefined {
  const cached = officialCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const at = officialLines().get(name);
  let found: OfficialImage | null = null;
  if (at) {
    const [lineName, status, tags] = officialLine(at).split("\t");
    if (lineName !== name) throw new Error(`src/images/data/official-images.index is out of date for ${JSON.stringify(name)}: regenerate it with scripts/images/official-images.mjs`);
    found = { name, current: status === "current", tags: new Set((tags ?? "").split(" ").filter(Boolean)) };
  }
  officialCache.set(name, found);
  return found ?? undefined;
}

/** Every official image's short name. */
export function officialImageNames(): string[] {
  return [...officialLines().keys()];
}

/** An image model's data by name; throws for a name models.json does not have (a catalogue bug). */
export function modelData(name: string): ImageModelData {
  const m = models().models[name];
  if (!m) throw new Error(`image model ${JSON.stringify(name)} is not in src/images/data/models.json`);
  return m;
}

export function modelNames(): string[] {
  return Object.keys(models().models);
}

/** The files a model's image brings, `@file` references read from data/files/. */
export function modelFiles(name: string): Record<string, string> | undefined {
  const files = modelData(name).files;
  if (!files) return undefined;
  const out: Record<string, string> = {};
  for (const [path, content] of Object.entries(files)) {
    if (!content.startsWith("@")) {
      out[path] = content;
      continue;
    }
    const file = content.slice(1);
    let text = fileCache.get(file);
    if (text === undefined) fileCache.set(file, (text = readFileSync(dataUrl(`files/${file}`), "utf8")));
    out[path] = text;
  }
  return out;
}

/** A data file of the catalogue (`data/files/<path>`), read once. */
export function dataFile(path: string): string {
  let text = fileCache.get(path);
  if (text === undefined) fileCache.set(path, (text = readFileSync(dataUrl(`files/${path}`), "utf8")));
  return text;
}

/** The directories a model's image has with their owners (`"uid:gid"` parsed); undefined when it names none. */
export function modelOwners(name: string): Record<string, { uid: number; gid: number }> | undefined {
  const owners = modelData(name).owners;
  if (!owners) return undefined;
  const out: Record<string, { uid: number; gid: number }> = {};
  for (const [path, owner] of Object.entries(owners)) {
    const m = /^(\d+):(\d+)$/.exec(owner);
    if (!m) throw new Error(`image model ${JSON.stringify(name)}: owner ${JSON.stringify(owner)} of ${path} is not uid:gid`);
    out[path] = { uid: Number(m[1]), gid: Number(m[2]) };
  }
  return out;
}

/** Whether a tag exists under a rule (`official` reads the official image's tags). */
export function tagExists(rule: TagRule, officialName: string | undefined, tag: string): boolean {
  if (rule === "any") return true;
  if (rule === "official") return officialName !== undefined && (officialImage(officialName)?.tags.has(tag) ?? false);
  return rule.includes(tag);
}

/**
 * How long a pull takes when the data gives no figure: a registry round trip and unpacking at
 * about 40 MB/s (a cloud node's pull of nginx, 72 MB, takes 2–4 s).
 */
export function pullDurationMs(sizeBytes: number): number {
  return Math.round(800 + sizeBytes / 40_000);
}
