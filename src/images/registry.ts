/**
 * The registries a simulated cluster pulls from: which images exist, their tags and sizes, how long
 * a pull takes, what a failing pull says (containerd's text as the kubelet prints it), and what the
 * image's containers run.
 *
 * What exists (first match wins):
 * 1. the scenario's word: `Given the image "x" does not exist` / `… exists` (by repository, or by
 *    exact `repo:tag`); an image declared private needs a pull secret for its registry;
 * 2. images declared by the scenario or the support code (`Given the image "x" behaves as:`,
 *    `declareImage`), and the course's `kubetm/app`;
 * 3. the catalogue (data/repositories.json: busybox under every registry name, nginx, agnhost, …)
 *    with the tags each really has;
 * 4. Docker Hub's official images (data/official-images.txt) with their tags; a one-word name that
 *    is not one of them (`ngnix`) does not exist;
 * 5. registries and namespaces the catalogue knows completely (`kubetm/…`, `registry.k8s.io/…`,
 *    `gcr.io/google-samples/…`): what they do not list does not exist; nor does a near miss of a
 *    known repository (`kubetm/ap`, `polinux/stres`);
 * 6. anything else is the user's own image: it exists (with any tag) and runs as the generic
 *    process — unless the project treats unknown images as missing (`unknownImages: "absent"`).
 *
 * Per-cluster overrides (the contract's `Given the image "x" takes 5 seconds to pull / to start`)
 * live here too: the kubelet reads the pull duration, the image's programs the start duration.
 */
import type { ClusterContext } from "../context.ts";
import type { ImageBehaviour } from "../runtime/types.ts";
import type { Container } from "../api/types.gen.ts";
import { launchShell } from "./busybox.ts";
import { isShell, startError } from "../runtime/shell/index.ts";
import { appCatalogue, appImage } from "./apps/catalogue.ts";
import { fakeDigest, parseImageReference, type ImageReference } from "./reference.ts";
import { canonicalRepository, inCompleteNamespace, officialImage, repositoryEntry, tagExists } from "./catalogue.ts";
import { nearMissOf, editDistance } from "./nearmiss.ts";
import { modelImage, type Exchange } from "./launch.ts";
import { clusterNetwork } from "../network/network.ts";
import { modelBehaviour } from "./programs/index.ts";
import { genericNotice } from "./generic.ts";
import { officialBehaviour, officialConfigs, officialModelData, officialNotice, officialVariant } from "./official.ts";
import { imagePrograms } from "./commandsets.ts";

declare module "../context.ts" {
  interface ClusterServices {
    /** The cluster's image registry (src/images/registry.ts). */
    images: ImageRegistry;
  }
}

export interface ImageDeclaration extends ImageBehaviour {
  /** Tags that exist; any tag when omitted. */
  tags?: string[];
}

/** Why a pull finds no image (for `--- why ---` and explanation.txt). */
export type MissingReason =
  /** The repository does not exist (an unknown one-word name, or a name a completely known namespace does not list). */
  | "unknown-name"
  /** One or two edits from a repository that exists. */
  | "near-miss"
  /** The repository exists, the tag does not. */
  | "missing-tag"
  /** `Given the image "x" does not exist`. */
  | "declared-absent"
  /** The project (or scenario) treats images outside the catalogue as missing. */
  | "unknown-absent"
  /** A private image pulled without a pull secret for its registry. */
  | "unauthorized";

/** A pull outcome as the runtime (containerd) reports it. */
export type ImageLookup =
  | { ok: true; ref: ImageReference; behaviour: ImageDeclaration; sizeBytes: number; pullMs: number; imageID: string }
  /** `error` is containerd's error text as the kubelet prints it after `Failed to pull image "x": `. */
  | { ok: false; ref?: ImageReference; error: string; pullMs: number; invalidName?: boolean; why?: MissingReason; similar?: string };

/** How long a failing pull takes to fail (a registry round trip). */
export const FAILED_PULL_MS = 1_000;

/** What unknown images (outside the catalogue, not declared) do: run as the generic process, or not exist. */
export type UnknownImagePolicy = "generic" | "absent";

/** Reads `KUBE_SCENARIO_UNKNOWN_IMAGES` (generic | absent). */
export function unknownImagePolicyFromEnv(): UnknownImagePolicy | undefined {
  const v = process.env.KUBE_SCENARIO_UNKNOWN_IMAGES;
  if (v === undefined || v === "") return undefined;
  return parseUnknownImagePolicy(v, "KUBE_SCENARIO_UNKNOWN_IMAGES");
}

export function parseUnknownImagePolicy(v: unknown, where: string): UnknownImagePolicy {
  if (v === "generic" || v === "absent") return v;
  throw new Error(`${where} must be "generic" (unknown images run as a generic process) or "absent" (unknown images do not exist), not ${JSON.stringify(v)}`);
}

const DENIED = "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed";

/** containerd's text for a repository the registry does not have (Docker Hub answers 401 for those). */
function repositoryMissing(ref: ImageReference): string {
  if (ref.fullRepository.startsWith("docker.io/")) {
    return `rpc error: code = Unknown desc = failed to pull and unpack image ${JSON.stringify(ref.fullName)}: failed to resolve reference ${JSON.stringify(ref.fullName)}: ${DENIED}`;
  }
  return tagMissing(ref);
}

/** containerd's text for a reference the registry answers 404 for. */
function tagMissing(ref: ImageReference): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image ${JSON.stringify(ref.fullName)}: failed to resolve reference ${JSON.stringify(ref.fullName)}: ${ref.fullName}: not found`;
}

/** containerd's text for a private repository pulled without credentials. */
function unauthorized(ref: ImageReference): string {
  if (ref.fullRepository.startsWith("docker.io/")) return repositoryMissing(ref);
  return `rpc error: code = Unknown desc = failed to pull and unpack image ${JSON.stringify(ref.fullName)}: failed to resolve reference ${JSON.stringify(ref.fullName)}: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized`;
}

/** The registry host a pull secret must name for an image (`docker.io`, `ghcr.io`). */
export function registryHost(ref: ImageReference): string {
  return ref.fullRepository.slice(0, ref.fullRepository.indexOf("/"));
}

interface Found {
  behaviour: ImageDeclaration;
  /** The tag rule: a list, or any tag. */
  tagOk: (tag: string) => boolean;
}

/** The digest the catalogue's data records for a tag (hex, without `sha256:`), if any. */
function knownDigest(ref: ImageReference): string | undefined {
  const d = repositoryEntry(canonicalRepository(ref.fullRepository))?.digests?.[ref.tag];
  return d?.replace(/^sha256:/, "");
}

export class ImageRegistry {
  private readonly images = new Map<string, ImageDeclaration>();
  private readonly pullOverrides = new Map<string, number>();
  private readonly startOverrides = new Map<string, number>();
  /** `Given the image "x" exists / does not exist`, by canonical repository or `repository:tag`. */
  private readonly existence = new Map<string, boolean>();
  /** Images that need a pull secret for their registry. */
  private readonly privateImages = new Set<string>();
  private readonly behaviours = new Map<string, ImageDeclaration>();
  private readonly cache = new Map<string, ImageLookup>();
  unknownImages: UnknownImagePolicy;

  constructor(
    private readonly ctx?: ClusterContext,
    opts: { unknownImages?: UnknownImagePolicy } = {},
  ) {
    this.unknownImages = opts.unknownImages ?? unknownImagePolicyFromEnv() ?? "generic";
  }

  /** A program's request from its pod, answered at once (ProgramContext.exchange); none without a cluster. */
  private exchange(): Exchange | undefined {
    const ctx = this.ctx;
    if (!ctx) return undefined;
    return (req, from) => {
      const pod = ctx.api.get("Pod", from.namespace, from.name);
      return clusterNetwork(ctx).exchange(req, { namespace: from.namespace, localPod: from, ...(pod ? { source: pod } : {}) });
    };
  }

  /** Declares (or replaces) an image by repository (`kubetm/app`, `myorg/worker`). */
  declare(b: ImageDeclaration): void {
    this.images.set(canonicalKey(b.repository), b);
    this.changed();
  }

  /** `Given the image "x" exists` (true) / `does not exist` (false): `repo` for every tag, `repo:tag` for one. */
  setExists(image: string, exists: boolean): void {
    this.existence.set(imageKey(image), exists);
    this.changed();
  }

  /** `Given the image "x" is private`: pulling it needs a pull secret for its registry. */
  setPrivate(image: string): void {
    this.privateImages.add(imageKey(image));
    this.changed();
  }

  setUnknownImages(policy: UnknownImagePolicy): void {
    this.unknownImages = policy;
    this.changed();
  }

  private changed(): void {
    this.cache.clear();
  }

  has(repository: string): boolean {
    return this.lookup(repository.includes(":") || repository.includes("@") ? repository : `${repository}:latest`).ok;
  }

  /** `Given the image "x" takes 5 seconds to pull`: by repository, or by exact `repo:tag`. */
  setPullDuration(image: string, ms: number): void {
    this.pullOverrides.set(imageKey(image), ms);
    this.changed();
  }

  /**
   * `Given the image "x" takes 20 seconds to start`: application images (src/images/apps) and the
   * catalogue's servers start serving after that long.
   */
  setStartDuration(image: string, ms: number): void {
    if (this.ctx && appCatalogue(this.ctx).get(image)) appCatalogue(this.ctx).setStartup(image, ms);
    this.startOverrides.set(imageKey(image), ms);
  }

  /** The start duration set for an image (exact tag first, then repository), if any. */
  startDuration(image: string): number | undefined {
    // Asked at every container start: without any duration set there is nothing to parse for (issue #19).
    if (this.startOverrides.size === 0) return undefined;
    const ref = parseImageReference(image);
    if (!ref) return undefined;
    const repo = canonicalRepository(ref.fullRepository);
    return this.startOverrides.get(`${repo}:${ref.tag}`) ?? this.startOverrides.get(repo);
  }

  private isPrivate(ref: ImageReference): boolean {
    if (this.privateImages.size === 0) return false;
    const repo = canonicalRepository(ref.fullRepository);
    return this.privateImages.has(`${repo}:${ref.tag}`) || this.privateImages.has(repo);
  }

  /** Whether pulling `image` needs credentials (`Given the image "x" is private`). */
  needsCredentials(image: string): boolean {
    const ref = parseImageReference(image);
    return !!ref && this.isPrivate(ref);
  }

  private override<T>(map: Map<string, T>, ref: ImageReference): T | undefined {
    const repo = canonicalRepository(ref.fullRepository);
    return map.get(`${repo}:${ref.tag}`) ?? map.get(repo);
  }

  /**
   * What a pull of `image` gives: the image, or containerd's error. `credentials` are the registry
   * hosts the pod's pull secrets hold credentials for.
   */
  lookup(image: string, credentials?: ReadonlySet<string>): ImageLookup {
    const cacheable = !credentials || credentials.size === 0;
    if (cacheable) {
      const hit = this.cache.get(image);
      if (hit) return hit;
    }
    const r = this.resolve(image, credentials);
    if (cacheable) this.cache.set(image, r);
    return r;
  }

  private resolve(image: string, credentials?: ReadonlySet<string>): ImageLookup {
    const ref = parseImageReference(image);
    if (!ref) {
      return { ok: false, error: `couldn't parse image name ${JSON.stringify(image)}: invalid reference format`, pullMs: 0, invalidName: true };
    }
    const pullOverride = this.override(this.pullOverrides, ref);
    const fail = (why: MissingReason, error: string, similar?: string): ImageLookup => ({ ok: false, ref, pullMs: pullOverride ?? FAILED_PULL_MS, error, why, similar });
    const declared = this.override(this.existence, ref);
    if (declared === false) return fail("declared-absent", repositoryMissing(ref));
    if (this.isPrivate(ref) && !credentials?.has(registryHost(ref))) {
      return fail("unauthorized", unauthorized(ref));
    }
    const found = this.find(ref);
    if (found) {
      if (!ref.digest && !found.tagOk(ref.tag) && declared !== true) return fail("missing-tag", tagMissing(ref), this.similarTag(ref));
      return this.success(ref, found.behaviour, pullOverride);
    }
    const repo = canonicalRepository(ref.fullRepository);
    if (declared !== true) {
      if (repo.startsWith("docker.io/library/")) return fail("unknown-name", repositoryMissing(ref), nearMissOf(repo));
      if (inCompleteNamespace(repo)) return fail("unknown-name", repositoryMissing(ref), nearMissOf(repo));
      const near = nearMissOf(repo);
      if (near) return fail("near-miss", repositoryMissing(ref), near);
      if (this.unknownImages === "absent") return fail("unknown-absent", repositoryMissing(ref));
    }
    return this.success(ref, this.model("generic", ref), pullOverride);
  }

  private success(ref: ImageReference, behaviour: ImageDeclaration, pullOverride: number | undefined): ImageLookup {
    return {
      ok: true,
      ref,
      behaviour,
      sizeBytes: behaviour.sizeBytes,
      pullMs: pullOverride ?? behaviour.pullMs,
      imageID: `${ref.fullRepository}@sha256:${ref.digest?.replace(/^sha256:/, "") ?? knownDigest(ref) ?? fakeDigest(ref.fullName)}`,
    };
  }

  /** The image a reference names, by declaration, application model, catalogue or official image. */
  private find(ref: ImageReference): Found | undefined {
    const repo = canonicalRepository(ref.fullRepository);
    const own = this.images.get(repo);
    if (own) return { behaviour: own, tagOk: (t) => !own.tags || own.tags.includes(t) };
    const cluster = this.ctx;
    const app = cluster ? appImage(cluster, ref.repository) : undefined;
    if (app && cluster) {
      // A container that sets `command` replaces the entrypoint: a program of the image runs the
      // declared model; a shell or a command the shell knows runs in the image's shell.
      const behaviour: ImageDeclaration = {
        ...app,
        launch: (l) => {
          const command: string[] | undefined = l.container.command;
          if (!command?.length) return app.launch(l);
          const binaries = appCatalogue(cluster).get(ref.repository)?.spec.binaries;
          const name = command[0]!;
          const runsModel = binaries ? binaries.includes(name) || binaries.includes(name.slice(name.lastIndexOf("/") + 1)) : !isShell(command) && !!startError(command, l.io);
          return runsModel ? app.launch(l) : launchShell(l);
        },
      };
      const entry = repositoryEntry(repo);
      return { behaviour, tagOk: (t) => !entry || tagExists(entry.tags, officialName(repo), t) };
    }
    const entry = repositoryEntry(repo);
    if (entry) return { behaviour: this.model(entry.model, ref), tagOk: (t) => tagExists(entry.tags, officialName(repo), t) };
    const name = officialName(repo);
    const official = name !== undefined ? officialImage(name) : undefined;
    if (official) return { behaviour: this.official(official.name, ref), tagOk: (t) => official.tags.has(t) };
    return undefined;
  }

  /** The behaviour of a catalogue model for one image (cached per image). */
  private model(model: string, ref: ImageReference): ImageDeclaration {
    const key = `${model}\n${ref.fullName}`;
    let b = this.behaviours.get(key);
    if (!b) {
      const base = modelImage(model, modelBehaviour(model), { repository: ref.repository, fullName: ref.fullName, tag: ref.tag }, () => this.startDuration(ref.raw) ?? 0, this.ctx?.api, this.exchange(), undefined, this.ctx);
      b = model === "generic" ? { ...base, notice: (container: Container) => genericNotice(ref.raw, ref.repository, container) } : base;
      this.behaviours.set(key, b);
    }
    return b;
  }

  /**
   * An official image outside the catalogue: as its image config says when the data has it
   * (./official.ts, data/official-configs.json), else the generic process.
   */
  private official(name: string, ref: ImageReference): ImageDeclaration {
    const variant = officialVariant(name, ref.tag);
    if (!variant) return this.model("generic", ref);
    const key = `official\n${ref.fullName}`;
    let b = this.behaviours.get(key);
    if (!b) {
      const data = officialModelData(name, variant, officialConfigs().images[name]?.tagVersion);
      const base = modelImage(`official:${name}`, officialBehaviour(name, variant, imagePrograms(`official:${name}`, ref.tag, ref.repository)), { repository: ref.repository, fullName: ref.fullName, tag: ref.tag }, () => this.startDuration(ref.raw) ?? 0, this.ctx?.api, this.exchange(), data);
      const config = { ...variant.config, ...(base.env ? { env: base.env } : {}) };
      b = { ...base, notice: (container: Container) => officialNotice(ref.raw, name, variant, config, container) };
      this.behaviours.set(key, b);
    }
    return b;
  }

  /** The existing tag closest to a missing one (`1.16.1` for `1.161`). */
  private similarTag(ref: ImageReference): string | undefined {
    const repo = canonicalRepository(ref.fullRepository);
    const entry = repositoryEntry(repo);
    const name = officialName(repo);
    const tags: Iterable<string> | undefined = Array.isArray(entry?.tags) ? entry.tags : name !== undefined ? officialImage(name)?.tags : undefined;
    // Closest first by digits and letters alone (`1.161` is `1.16.1` with a dot lost), then as written.
    const bare = (t: string) => t.replace(/[.\-_]/g, "");
    const want = bare(ref.tag);
    let best: string | undefined;
    let bestD = 6;
    for (const t of tags ?? []) {
      const d = editDistance(want, bare(t), 2) * 3 + editDistance(ref.tag, t, 2);
      if (d < bestD) {
        bestD = d;
        best = t;
      }
    }
    return best;
  }

  /** Why `image` cannot be pulled, in words (undefined when it can be). */
  explainMissing(image: string): string | undefined {
    const l = this.lookup(image);
    if (l.ok) return undefined;
    return describeMissing(image, l);
  }
}

/** `docker.io/library/nginx` → `nginx`; undefined for other repositories. */
function officialName(repo: string): string | undefined {
  return repo.startsWith("docker.io/library/") ? repo.slice("docker.io/library/".length) : undefined;
}

/** The key of an image as a step names it: the canonical repository, with `:tag` when one is written. */
function imageKey(image: string): string {
  const ref = parseImageReference(image);
  if (!ref) throw new Error(`${JSON.stringify(image)} is not a valid image reference (write e.g. "myorg/shop:2.0" or "nginx")`);
  const repo = canonicalRepository(ref.fullRepository);
  return /:[^/]+$/.test(image.replace(/@.*$/, "")) ? `${repo}:${ref.tag}` : repo;
}

function canonicalKey(repository: string): string {
  const ref = parseImageReference(repository);
  return ref ? canonicalRepository(ref.fullRepository) : repository;
}

/** A failed lookup in words. */
export function describeMissing(image: string, l: Extract<ImageLookup, { ok: false }>): string {
  const ref = l.ref;
  const name = JSON.stringify(image);
  switch (l.why) {
    case "missing-tag":
      return `the image ${name} does not exist: the repository ${ref?.fullRepository} exists but has no tag ${JSON.stringify(ref?.tag)}${l.similar ? ` (did you mean ${JSON.stringify(l.similar)}?)` : ""}`;
    case "unknown-name":
      return ref?.fullRepository.startsWith("docker.io/library/")
        ? `the image ${name} does not exist: a one-word name means Docker Hub's official image docker.io/library/${ref.repository}, and there is none of that name${l.similar ? ` (did you mean ${JSON.stringify(shortName(l.similar))}?)` : ""}`
        : `the image ${name} does not exist: the registry has no repository ${ref?.fullRepository}${l.similar ? ` (did you mean ${JSON.stringify(shortName(l.similar))}?)` : ""}`;
    case "near-miss":
      return `the image ${name} does not exist: ${ref?.fullRepository} is not a repository the registry has; it is a near miss of ${JSON.stringify(shortName(l.similar ?? ""))}`;
    case "declared-absent":
      return `the image ${name} does not exist because the scenario says so (Given the image "…" does not exist)`;
    case "unknown-absent":
      return `the image ${name} is not in kube-scenario's catalogue, and unknown images do not exist in this project (unknownImages: "absent"); declare it with Given the image ${JSON.stringify(ref?.repository ?? image)} exists`;
    case "unauthorized":
      return `the image ${name} is private: the pod needs an imagePullSecret with credentials for ${ref ? registryHost(ref) : "its registry"} (spec.imagePullSecrets)`;
    default:
      return l.invalidName ? `the image name ${name} is not a valid reference` : `the image ${name} cannot be pulled: ${l.error}`;
  }
}

/** `docker.io/library/nginx` → `nginx`, `docker.io/kubetm/app` → `kubetm/app`. */
function shortName(full: string): string {
  return full.replace(/^docker\.io\/library\//, "").replace(/^docker\.io\//, "");
}

/** The cluster's registry (one per cluster). */
export function imageRegistry(ctx: ClusterContext): ImageRegistry {
  return ctx.services.ensure("images", () => new ImageRegistry(ctx));
}

/** Declares an image for one cluster (support code, features). */
export function declareImage(ctx: ClusterContext, b: ImageDeclaration): void {
  imageRegistry(ctx).declare(b);
}
