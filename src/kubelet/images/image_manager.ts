/**
 * The kubelet's image manager (pkg/kubelet/images/image_manager.go) over the node's image store:
 * pull policy, the per-node cache, serialized pulls (the kubelet's default `serializeImagePulls`:
 * one pull at a time per node, so a pull may wait for earlier ones — the "including waiting" part
 * of the Pulled message), pull back-off per `<podUID>_<image>`, and the events:
 * `Pulling`, `Pulled`, `Failed`, `BackOff`, `ErrImageNeverPull`, `InspectFailed`.
 */
import type { ClusterContext } from "../../context.ts";
import type { Container, Pod, Secret } from "../../api/types.gen.ts";
import { imageRegistry, type ImageLookup } from "../../images/registry.ts";
import { defaultPullPolicy } from "../../images/reference.ts";
import type { ImageBehaviour } from "../../runtime/types.ts";
import { Backoff } from "../util/backoff.ts";
import { goDuration } from "../util/goduration.ts";
import { recordKept, type KeptEvents } from "../util/kept_events.ts";

export const ErrImagePull = "ErrImagePull";
export const ErrImagePullBackOff = "ImagePullBackOff";
export const ErrImageNeverPull = "ErrImageNeverPull";
export const ErrInvalidImageName = "InvalidImageName";

export interface StoredImage {
  /** Fully qualified names the image is known by (repo:tag, repo@digest). */
  names: string[];
  sizeBytes: number;
  imageID: string;
  behaviour: ImageBehaviour;
  fullName: string;
}

export type EnsureResult =
  | { ok: true; image: StoredImage }
  | { ok: false; reason: string; message: string };

/** A pull job's callback until its own is assigned (see `ensureImageExists`). */
function pullPending(): void {}

interface PullJob {
  image: string;
  credentials?: ReadonlySet<string>;
  queuedAt: number;
  done: (r: ImageLookup) => void;
}

export class ImageManager {
  /** Images present on the node, by fully qualified name. */
  private readonly store = new Map<string, StoredImage>();
  /** Counts changes of the node's images (the node status sync's inputs: issue #19). */
  version = 0;
  readonly backOff: Backoff;
  private readonly queue: PullJob[] = [];
  private pulling = false;
  private generation = 0;
  /** Called when the set of images on the node changes (node status). */
  onImagesChanged: () => void = () => {};

  constructor(
    private readonly ctx: ClusterContext,
    private readonly nodeName: string,
  ) {
    this.backOff = new Backoff(() => ctx.clock.now());
  }

  private record(pod: Pod, container: Container, fieldPath: string, type: "Normal" | "Warning", reason: string, message: string): void {
    void container;
    this.ctx.events.record(pod, { type, reason, message, fieldPath, source: { component: "kubelet", host: this.nodeName } });
  }

  /** Images on the node, biggest first, as node.status.images lists them. */
  nodeImages(): Array<{ names: string[]; sizeBytes: number }> {
    const seen = new Set<string>();
    const out: Array<{ names: string[]; sizeBytes: number }> = [];
    for (const img of this.store.values()) {
      if (seen.has(img.imageID)) continue;
      seen.add(img.imageID);
      out.push({ names: [...img.names], sizeBytes: img.sizeBytes });
    }
    return out.sort((a, b) => b.sizeBytes - a.sizeBytes || (a.names[0]! < b.names[0]! ? -1 : 1));
  }

  present(image: string): StoredImage | undefined {
    const l = imageRegistry(this.ctx).lookup(image);
    return l.ref ? this.store.get(l.ref.fullName) : undefined;
  }

  /** Puts an image on the node without pulling (e.g. pre-loaded images). */
  preload(image: string): void {
    const l = imageRegistry(this.ctx).lookup(image);
    if (l.ok) this.add(l);
  }

  private add(l: Extract<ImageLookup, { ok: true }>): StoredImage {
    const stored: StoredImage = {
      names: [l.imageID, l.ref.fullName],
      sizeBytes: l.sizeBytes,
      imageID: l.imageID,
      behaviour: l.behaviour,
      fullName: l.ref.fullName,
    };
    // Another tag of the same image shares its entry.
    for (const s of this.store.values()) {
      if (s.imageID === l.imageID) {
        if (!s.names.includes(l.ref.fullName)) s.names.push(l.ref.fullName);
        this.store.set(l.ref.fullName, s);
        this.version++;
        this.onImagesChanged();
        return s;
      }
    }
    this.store.set(l.ref.fullName, stored);
    this.version++;
    this.onImagesChanged();
    return stored;
  }

  /**
   * EnsureImageExists for one container; `done` is called once the image is there (possibly after
   * a pull that takes simulated time) or with the error the container's waiting state shows.
   */
  ensureImageExists(pod: Pod, container: Container, fieldPath: string, kept: KeptEvents | undefined, done: (r: EnsureResult) => void): void {
    // Validation requires every container to name its image.
    const image: string = container.image!;
    const policy: string = container.imagePullPolicy ?? defaultPullPolicy(image);
    const registry = imageRegistry(this.ctx);
    const secrets = pod.spec?.imagePullSecrets?.length ? this.pullSecrets(pod) : undefined;
    const lookup = registry.lookup(image, secrets?.hosts);
    if (!lookup.ok && lookup.invalidName) {
      const msg = `Failed to apply default image tag ${JSON.stringify(image)}: ${lookup.error}`;
      this.record(pod, container, fieldPath, "Warning", "InspectFailed", msg);
      done({ ok: false, reason: ErrInvalidImageName, message: msg });
      return;
    }
    // An image on the node is used as it is, whatever the registry holds now (IfNotPresent, Never).
    const present = lookup.ref ? this.store.get(lookup.ref.fullName) : undefined;
    if (policy !== "Always" && present) {
      // Recorded at every start of the container: through the kept handle (issue #19).
      const message = `Container image ${JSON.stringify(image)} already present on machine`;
      recordKept(this.ctx, kept, pod, container.name, { type: "Normal", reason: "Pulled", message, fieldPath, source: { component: "kubelet", host: this.nodeName } });
      done({ ok: true, image: present });
      return;
    }
    if (policy === "Never") {
      const msg = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      this.record(pod, container, fieldPath, "Warning", "ErrImageNeverPull", msg);
      done({ ok: false, reason: ErrImageNeverPull, message: msg });
      return;
    }
    const key = `${pod.metadata.uid}_${image}`;
    if (this.backOff.isInBackOffSinceUpdate(key, this.ctx.clock.now())) {
      const msg = `Back-off pulling image ${JSON.stringify(image)}`;
      this.record(pod, container, fieldPath, "Normal", "BackOff", msg);
      done({ ok: false, reason: ErrImagePullBackOff, message: msg });
      return;
    }
    this.record(pod, container, fieldPath, "Normal", "Pulling", `Pulling image ${JSON.stringify(image)}`);
    const queuedAt = this.ctx.clock.now();
    // The callback assigned, not written in the literal: no name defined on a new function at every pull (issue #19).
    const job: PullJob = { image, credentials: secrets?.hosts, queuedAt, done: pullPending };
    job.done = (result) => {
      if (!result.ok) {
        this.record(pod, container, fieldPath, "Warning", "Failed", `Failed to pull image ${JSON.stringify(image)}: ${result.error}`);
        this.backOff.next(key, this.ctx.clock.now());
        done({ ok: false, reason: ErrImagePull, message: result.error });
        return;
      }
      const stored = this.add(result);
      const total = this.ctx.clock.now() - queuedAt;
      this.record(
        pod,
        container,
        fieldPath,
        "Normal",
        "Pulled",
        `Successfully pulled image ${JSON.stringify(image)} in ${goDuration(result.pullMs)} (${goDuration(total)} including waiting). Image size: ${result.sizeBytes} bytes.`,
      );
      this.backOff.gc();
      done({ ok: true, image: stored });
    };
    this.enqueue(job);
  }

  /**
   * The registries the pod's pull secrets hold credentials for (getPullSecretsForPod in
   * pkg/kubelet/kubelet_pods.go, and the docker config keys of pkg/credentialprovider): Secrets
   * of type kubernetes.io/dockerconfigjson (`.dockerconfigjson` with `auths`) or
   * kubernetes.io/dockercfg. A secret that does not exist is a Warning event, and the pull goes on.
   */
  private pullSecrets(pod: Pod): { hosts: Set<string> } {
    const hosts = new Set<string>();
    const missing: string[] = [];
    const ns = pod.metadata.namespace ?? "default";
    for (const ref of pod.spec?.imagePullSecrets ?? []) {
      if (!ref?.name) continue;
      const secret = this.ctx.api.get("Secret", ns, ref.name);
      if (!secret) {
        missing.push(ref.name);
        continue;
      }
      for (const host of dockerConfigHosts(secret)) hosts.add(host);
    }
    if (missing.length) {
      this.ctx.events.record(pod, {
        type: "Warning",
        reason: "FailedToRetrieveImagePullSecret",
        message: `Unable to retrieve some image pull secrets (${missing.join(", ")}); attempting to pull the image may not succeed.`,
        source: { component: "kubelet", host: this.nodeName },
      });
    }
    return { hosts };
  }

  /** Serialized pulls: one at a time, in request order. */
  private enqueue(job: PullJob): void {
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    if (this.pulling) return;
    const job = this.queue.shift();
    if (!job) return;
    this.pulling = true;
    const lookup = imageRegistry(this.ctx).lookup(job.image, job.credentials);
    const gen = this.generation;
    this.ctx.clock.setTimeout(() => {
      if (gen !== this.generation) return;
      this.pulling = false;
      job.done(lookup);
      this.pump();
    }, lookup.pullMs);
  }

  /** Drops queued pulls (the kubelet stops). */
  clearQueue(): void {
    this.queue.length = 0;
    this.pulling = false;
    this.generation++;
  }
}

/** The registry hosts a docker config Secret holds credentials for (`https://index.docker.io/v1/` → `docker.io`). */
export function dockerConfigHosts(s: Secret): string[] {
  let text: string | undefined;
  let nested = false;
  if (s.type === "kubernetes.io/dockerconfigjson") {
    text = decode(s.data?.[".dockerconfigjson"]) ?? s.stringData?.[".dockerconfigjson"];
    nested = true;
  } else if (s.type === "kubernetes.io/dockercfg") {
    text = decode(s.data?.[".dockercfg"]) ?? s.stringData?.[".dockercfg"];
  }
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  // The docker config is JSON of any shape: only an object's keys (under `auths` when nested) are hosts.
  const auths = nested ? (typeof parsed === "object" && parsed !== null ? (parsed as { auths?: unknown }).auths : undefined) : parsed;
  if (!auths || typeof auths !== "object") return [];
  return Object.keys(auths).map(normaliseRegistryHost);
}

function decode(b64: unknown): string | undefined {
  if (typeof b64 !== "string") return undefined;
  try {
    return Buffer.from(b64, "base64").toString("utf8");
  } catch {
    return undefined;
  }
}

/** `https://index.docker.io/v1/`, `registry-1.docker.io`, `docker.io` → `docker.io`; `https://ghcr.io` → `ghcr.io`. */
export function normaliseRegistryHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//, "").replace(/\/.*$/, "");
  return host === "index.docker.io" || host === "registry-1.docker.io" ? "docker.io" : host;
}
