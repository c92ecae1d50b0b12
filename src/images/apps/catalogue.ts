/**
 * The applications a cluster knows: the course's `kubetm/app` built in, plus those a feature or the
 * support code declares. Per cluster (in `ctx.services` under "apps"), so a scenario's
 * `Given the image "kubetm/app" takes 20 seconds to start` changes only that scenario.
 *
 * The kubelet's image registry asks `appImage(ctx, repository)` for an image's behaviour; its
 * `launch` reads the declaration at the moment the container starts. A container that sets
 * `command` replaces the image's entrypoint: the kubelet runs that command in the image's shell
 * instead of the application.
 */
import type { ClusterContext } from "../../context.ts";
import type { ContainerLaunch, ImageBehaviour } from "../../runtime/types.ts";
import { parseDuration } from "../../sim/duration.ts";
import { kubetmAppSpec } from "./kubetm-app.ts";
import { AppProcess, validateAppSpec, type AppSpec } from "./model.ts";

declare module "../../context.ts" {
  interface ClusterServices {
    /** The applications the scenario declared (src/images/apps/catalogue.ts). */
    apps: AppCatalogue;
  }
}

export interface AppImage {
  spec: AppSpec;
  sizeBytes: number;
  pullMs: number;
  hasShell: boolean;
}

/** Normalises `docker.io/library/nginx:1.27` → `nginx`, `kubetm/app:v1` → `kubetm/app`. */
export function imageRepository(image: string): string {
  let s = image.trim();
  const at = s.indexOf("@");
  if (at >= 0) s = s.slice(0, at);
  const lastSlash = s.lastIndexOf("/");
  const colon = s.lastIndexOf(":");
  if (colon > lastSlash) s = s.slice(0, colon);
  s = s.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "");
  s = s.replace(/^library\//, "");
  return s;
}

export class AppCatalogue {
  private readonly images = new Map<string, AppImage>([
    ["kubetm/app", { spec: kubetmAppSpec(), sizeBytes: 83_620_000, pullMs: 3_000, hasShell: true }],
  ]);

  /** Declares (or replaces) an application image. */
  declare(image: string, spec: AppSpec, opts: Partial<Omit<AppImage, "spec">> = {}): void {
    const repo = imageRepository(image);
    validateAppSpec(spec, `image ${JSON.stringify(repo)}`);
    const prev = this.images.get(repo);
    this.images.set(repo, { spec, sizeBytes: opts.sizeBytes ?? prev?.sizeBytes ?? 50_000_000, pullMs: opts.pullMs ?? prev?.pullMs ?? 3_000, hasShell: opts.hasShell ?? prev?.hasShell ?? true });
  }

  /** `Given the image "kubetm/app" takes 20 seconds to start`. */
  setStartup(image: string, duration: string | number): void {
    const a = this.get(image);
    if (!a) throw new Error(`image ${JSON.stringify(image)} is not an application image (known: ${this.repositories().join(", ")})`);
    a.spec = { ...a.spec, startup: parseDuration(duration) };
  }

  get(image: string): AppImage | undefined {
    return this.images.get(imageRepository(image));
  }

  repositories(): string[] {
    return [...this.images.keys()].sort();
  }
}

export function appCatalogue(ctx: ClusterContext): AppCatalogue {
  return ctx.services.ensure("apps", () => new AppCatalogue());
}

/** The image behaviour of a known application image, or undefined for other images. */
export function appImage(ctx: ClusterContext, image: string): ImageBehaviour | undefined {
  const catalogue = appCatalogue(ctx);
  const found = catalogue.get(image);
  if (!found) return undefined;
  const repository = imageRepository(image);
  return {
    repository,
    sizeBytes: found.sizeBytes,
    pullMs: found.pullMs,
    hasShell: found.hasShell,
    launch(l: ContainerLaunch): AppProcess {
      // Read at launch: a declaration made after the pod was created still counts.
      return new AppProcess(catalogue.get(repository)!.spec, l.io);
    },
  };
}

/** Declares an application image for one cluster (features: `Given the image "x" behaves as:`). */
export function declareApplication(ctx: ClusterContext, image: string, spec: AppSpec, opts: Partial<Omit<AppImage, "spec">> = {}): void {
  if (!spec || typeof spec !== "object") throw new Error(`image ${JSON.stringify(image)}: the behaviour must be a YAML mapping (ports, startup, routes, …: docs/applications.md)`);
  appCatalogue(ctx).declare(image, spec, opts);
}
