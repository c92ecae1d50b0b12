/**
 * Image references as containerd names them: `busybox:1.28` → `docker.io/library/busybox:1.28`,
 * `kubetm/app` → `docker.io/kubetm/app:latest`; the repository as the catalogue keys it (`busybox`,
 * `kubetm/app`), the tag (default `latest`), and the pull policy Kubernetes defaults from it.
 */
export interface ImageReference {
  /** As written in the pod spec. */
  raw: string;
  /** Short repository, without docker.io/library/: `busybox`, `kubetm/app`, `registry.k8s.io/pause`. */
  repository: string;
  tag: string;
  digest?: string;
  /** Fully qualified: `docker.io/library/busybox:1.28`. */
  fullName: string;
  /** Fully qualified repository: `docker.io/library/busybox`. */
  fullRepository: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

export function parseImageReference(raw: string): ImageReference | undefined {
  const image = raw.trim();
  if (!image || /\s/.test(image)) return undefined;
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = "";
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest || /[A-Z]/.test(rest) || (tag && !/^[\w][\w.-]{0,127}$/.test(tag))) return undefined;
  const parts = rest.split("/");
  let domain = "docker.io";
  if (parts.length > 1 && (parts[0]!.includes(".") || parts[0]!.includes(":") || parts[0] === "localhost")) domain = parts.shift()!;
  // distribution/reference's grammar: each path component lower-case alphanumerics joined by
  // one separator (`.`, `_`, `__`, dashes); a domain of DNS labels with an optional port.
  if (!parts.every((c) => PATH_COMPONENT.test(c))) return undefined;
  if (domain !== "docker.io" && !DOMAIN.test(domain)) return undefined;
  let path = parts.join("/");
  if (domain === "docker.io" && parts.length === 1) path = `library/${path}`;
  const fullRepository = `${domain}/${path}`;
  let repository = fullRepository;
  if (repository.startsWith("docker.io/library/")) repository = repository.slice("docker.io/library/".length);
  else if (repository.startsWith("docker.io/")) repository = repository.slice("docker.io/".length);
  const effectiveTag = tag || (digest ? "" : "latest");
  return {
    raw,
    repository,
    tag: effectiveTag,
    digest,
    fullName: digest && !tag ? `${fullRepository}@${digest}` : `${fullRepository}:${effectiveTag}`,
    fullRepository,
  };
}

/** The pull policy the API server defaults: Always for `:latest` or no tag (and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  const ref = parseImageReference(image);
  if (!ref) return "IfNotPresent";
  if (ref.digest) return "IfNotPresent";
  return ref.tag === "latest" ? "Always" : "IfNotPresent";
}

/** A stable fake sha256 digest for an image name (64 hex chars). */
export function fakeDigest(text: string): string {
  let out = "";
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 64);
}
