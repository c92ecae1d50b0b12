/**
 * The image catalogue of a simulated cluster: which images exist in the (simulated) registries,
 * their sizes, how long they take to pull and to start, and what their containers run.
 *
 * Built in: `busybox` and `alpine` (shell images), `kubetm/app` and `nginx` (HTTP servers), and the
 * course's `tmkube/init` / `kubetm/init`. Support code and features declare more with
 * `declareImage(ctx, behaviour)`; anything else fails to pull as a missing repository does.
 * Per-cluster overrides (the contract's `Given the image "x" takes 5 seconds to pull / to start`)
 * live here too: the kubelet reads the pull duration, the app models read the start duration.
 */
import type { ClusterContext } from "../context.ts";
import type { ContainerLaunch, ContainerProcess, ImageBehaviour } from "../runtime/types.ts";
import { alpine, busybox, launchShell, shellImage } from "./busybox.ts";
import { RunUntilStopped } from "./processes.ts";
import { appCatalogue, appImage } from "./apps/catalogue.ts";
import { fakeDigest, parseImageReference, type ImageReference } from "./reference.ts";

export interface ImageDeclaration extends ImageBehaviour {
  /** Tags that exist; any tag when omitted. */
  tags?: string[];
}

/** A pull outcome as the runtime (containerd) reports it. */
export type ImageLookup =
  | { ok: true; ref: ImageReference; behaviour: ImageDeclaration; sizeBytes: number; pullMs: number; imageID: string }
  /** `error` is containerd's error text as the kubelet prints it after `Failed to pull image "x": `. */
  | { ok: false; ref?: ImageReference; error: string; pullMs: number; invalidName?: boolean };

/** How long a failing pull takes to fail (a registry round trip). */
export const FAILED_PULL_MS = 1_000;

/** An init-style image: runs its command in a shell; with none it waits until stopped. */
function launchInitImage(l: ContainerLaunch): ContainerProcess {
  if (l.container.command?.length || l.container.args?.length) return launchShell(l);
  return new RunUntilStopped(l.io.clock);
}

export function builtinImages(): ImageDeclaration[] {
  return [
    busybox,
    alpine,
    { ...shellImage("tmkube/init", 4_416_190, 2_000), launch: launchInitImage },
    { ...shellImage("kubetm/init", 4_416_190, 2_000), launch: launchInitImage },
  ];
}

export class ImageRegistry {
  private readonly images = new Map<string, ImageDeclaration>();
  private readonly pullOverrides = new Map<string, number>();
  private readonly startOverrides = new Map<string, number>();

  constructor(private readonly ctx?: ClusterContext) {
    for (const b of builtinImages()) this.declare(b);
  }

  /** An image declared here, or an application image of src/images/apps (kubetm/app, nginx, declared apps). */
  private find(repository: string): ImageDeclaration | undefined {
    const own = this.images.get(repository);
    if (own) return own;
    const app = this.ctx ? appImage(this.ctx, repository) : undefined;
    if (!app) return undefined;
    // A container that sets `command` replaces the entrypoint: the command runs in the image's shell.
    return { ...app, launch: (l) => (l.container.command?.length ? launchShell(l) : app.launch(l)) };
  }

  /** Declares (or replaces) an image by repository (`kubetm/app`, `myorg/worker`). */
  declare(b: ImageDeclaration): void {
    this.images.set(normaliseRepository(b.repository), b);
  }

  has(repository: string): boolean {
    return this.find(normaliseRepository(repository)) !== undefined;
  }

  /** `Given the image "x" takes 5 seconds to pull`: by repository, or by exact `repo:tag`. */
  setPullDuration(image: string, ms: number): void {
    this.pullOverrides.set(normaliseImageKey(image), ms);
  }

  /**
   * `Given the image "x" takes 20 seconds to start`: application images (src/images/apps) start
   * serving after that long; for other images it is recorded and readable with startDuration.
   */
  setStartDuration(image: string, ms: number): void {
    if (this.ctx && appCatalogue(this.ctx).get(image)) appCatalogue(this.ctx).setStartup(image, ms);
    this.startOverrides.set(normaliseImageKey(image), ms);
  }

  /** The start duration set for an image (exact tag first, then repository), if any. */
  startDuration(image: string): number | undefined {
    const ref = parseImageReference(image);
    if (!ref) return undefined;
    return this.startOverrides.get(`${ref.repository}:${ref.tag}`) ?? this.startOverrides.get(ref.repository);
  }

  /** What a pull of `image` gives: the image, or containerd's error. */
  lookup(image: string): ImageLookup {
    const ref = parseImageReference(image);
    if (!ref) {
      return { ok: false, error: `couldn't parse image name ${JSON.stringify(image)}: invalid reference format`, pullMs: 0, invalidName: true };
    }
    const b = this.find(ref.repository);
    const pullOverride = this.pullOverrides.get(`${ref.repository}:${ref.tag}`) ?? this.pullOverrides.get(ref.repository);
    if (!b) {
      return {
        ok: false,
        ref,
        pullMs: pullOverride ?? FAILED_PULL_MS,
        error:
          `rpc error: code = Unknown desc = failed to pull and unpack image ${JSON.stringify(ref.fullName)}: ` +
          `failed to resolve reference ${JSON.stringify(ref.fullName)}: pull access denied, repository does not exist or may require authorization: ` +
          `server message: insufficient_scope: authorization failed`,
      };
    }
    if (b.tags && !ref.digest && !b.tags.includes(ref.tag)) {
      return {
        ok: false,
        ref,
        pullMs: pullOverride ?? FAILED_PULL_MS,
        error: `rpc error: code = NotFound desc = failed to pull and unpack image ${JSON.stringify(ref.fullName)}: failed to resolve reference ${JSON.stringify(ref.fullName)}: ${ref.fullName}: not found`,
      };
    }
    return {
      ok: true,
      ref,
      behaviour: b,
      sizeBytes: b.sizeBytes,
      pullMs: pullOverride ?? b.pullMs,
      imageID: `${ref.fullRepository}@sha256:${ref.digest?.replace(/^sha256:/, "") ?? fakeDigest(ref.fullName)}`,
    };
  }
}

function normaliseRepository(repo: string): string {
  return parseImageReference(repo)?.repository ?? repo;
}

/** `repo` or `repo:tag` as written in a step. */
function normaliseImageKey(image: string): string {
  const ref = parseImageReference(image);
  if (!ref) return image;
  return /:[^/]+$/.test(image) ? `${ref.repository}:${ref.tag}` : ref.repository;
}

/** The cluster's catalogue (one per cluster). */
export function imageRegistry(ctx: ClusterContext): ImageRegistry {
  let r = ctx.services.get("images") as ImageRegistry | undefined;
  if (!r) ctx.services.set("images", (r = new ImageRegistry(ctx)));
  return r;
}

/** Declares an image for one cluster (support code, features). */
export function declareImage(ctx: ClusterContext, b: ImageDeclaration): void {
  imageRegistry(ctx).declare(b);
}
