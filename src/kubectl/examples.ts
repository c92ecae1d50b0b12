/**
 * `kubectl apply -f https://k8s.io/examples/...`: kubectl reads a URL over HTTP (the builder's
 * URLVisitor, staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go). The simulation has no
 * network; it serves the kubernetes.io examples it carries instead: `https://k8s.io/examples/<p>`
 * and `https://kubernetes.io/examples/<p>` (what the documentation pages' commands fetch, the
 * files of kubernetes/website's `content/en/examples/<p>`) are read from the project's
 * `exercises/docs/<p>`, where the copies of those files live; so is the same file fetched from the
 * repository's main branch (`https://raw.githubusercontent.com/kubernetes/website/main/content/en/
 * examples/<p>`, as "Configuring Redis using a ConfigMap" does). The install manifests real projects
 * publish at a pinned release (`PROJECT_MANIFESTS`: metrics-server's release asset, ingress-nginx's
 * deploy.yaml at its controller tag) are read from their verbatim copies under `exercises/apps/`
 * (exercises/apps/SOURCES says where each came from). Any other URL, or an example with no copy
 * there, is refused with a message saying that fetching URLs is not simulated.
 */
const EXAMPLES = /^https?:\/\/(?:(?:www\.)?(?:k8s\.io|kubernetes\.io)\/examples|raw\.githubusercontent\.com\/kubernetes\/website\/main\/content\/en\/examples)\/([A-Za-z0-9._/-]+)$/;

/**
 * The projects' own URLs of the manifests `exercises/apps/` carries verbatim, each pinned to one
 * release (a `latest` URL is not served: its content changes with every release). The same list,
 * with the repository, path and commit of each copy, is exercises/apps/SOURCES (a test checks both agree).
 */
export const PROJECT_MANIFESTS: Readonly<Record<string, string>> = {
  "https://github.com/kubernetes-sigs/metrics-server/releases/download/v0.7.2/components.yaml": "exercises/apps/metrics-server/components.yaml",
  "https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.0/deploy/static/provider/cloud/deploy.yaml": "exercises/apps/ingress-nginx/deploy.yaml",
  "https://raw.githubusercontent.com/metallb/metallb/v0.14.9/config/manifests/metallb-native.yaml": "exercises/apps/metallb/metallb-native.yaml",
  "https://raw.githubusercontent.com/GoogleCloudPlatform/microservices-demo/34ffea9175946982c3088ed84994fe6019ad6e92/release/kubernetes-manifests.yaml": "exercises/apps/online-boutique/kubernetes-manifests.yaml",
  "https://raw.githubusercontent.com/istio/istio/1.29.6/samples/bookinfo/platform/kube/bookinfo.yaml": "exercises/apps/bookinfo/bookinfo.yaml",
  "https://raw.githubusercontent.com/argoproj/argo-cd/v3.3.0/manifests/install.yaml": "exercises/apps/argo-cd/install.yaml",
  "https://github.com/cert-manager/cert-manager/releases/download/v1.16.1/cert-manager.yaml": "exercises/apps/cert-manager/cert-manager.yaml",
  "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml": "exercises/apps/gateway-api/standard-install.yaml",
  "https://github.com/envoyproxy/gateway/releases/download/v1.3.3/install.yaml": "exercises/apps/envoy-gateway/install.yaml",
  "https://github.com/envoyproxy/gateway/releases/download/v1.3.3/quickstart.yaml": "exercises/apps/envoy-gateway/quickstart.yaml",
  "https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml": "exercises/apps/kyverno/install.yaml",
  "https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml": "exercises/apps/prometheus-operator/bundle.yaml",
};

/**
 * The remote kustomizations real projects tell users to apply (`kubectl apply -k
 * github.com/stefanprodan/podinfo//kustomize`), each at one pinned ref, and the verbatim copy of the
 * directory under `exercises/apps/` that kustomize's clone would build (exercises/apps/SOURCES lists
 * the same, with the repository, path and commit). Keys are the canonical spec
 * `github.com/<owner>/<repo>//<path>?ref=<ref>`; any spelling kustomize accepts for it
 * (`https://github.com/…`, `git@github.com:…`, `.git`, one slash after the repository, `?version=`)
 * is read as that key.
 */
export const PROJECT_KUSTOMIZATIONS: Readonly<Record<string, string>> = {
  "github.com/stefanprodan/podinfo//kustomize?ref=6.14.1": "exercises/apps/podinfo/kustomize",
  "github.com/kubernetes/kube-state-metrics//examples/standard?ref=v2.15.0": "exercises/apps/kube-state-metrics/examples/standard",
};

/**
 * A spec without a ref builds the repository's default branch. It is served only for a repository
 * whose default branch was at a pinned copy's commit when the copy was taken (podinfo's `master` was
 * the tag 6.14.1's merge commit, eec06d1): that is what the README's command built then. The branch
 * moves on upstream; the copy does not (docs/divergences.md).
 */
const DEFAULT_BRANCH_AT: Readonly<Record<string, string>> = {
  "github.com/stefanprodan/podinfo": "6.14.1",
};

/** A remote kustomization spec as kustomize's RepoSpec parses a GitHub one: repository, path in it, ref. */
export function parseRemoteSpec(spec: string): { repo: string; path: string; ref: string | undefined } | undefined {
  let s = spec.trim().replace(/^git::/, "").replace(/^(?:https?|ssh|git):\/\//, "").replace(/^git@github\.com:/, "github.com/");
  let ref: string | undefined;
  const q = s.indexOf("?");
  if (q >= 0) {
    for (const part of s.slice(q + 1).split("&")) {
      const [k, v = ""] = part.split("=");
      if (k === "ref" || k === "version") ref = v;
    }
    s = s.slice(0, q);
  }
  const m = /^github\.com\/([^/]+)\/([^/]+?)(?:\.git)?(?:\/+(.*))?$/.exec(s);
  if (!m) return undefined;
  const path = (m[3] ?? "").replace(/\/+$/, "") || ".";
  return { repo: `github.com/${m[1]}/${m[2]}`, path, ref: ref || undefined };
}

/** The project path of the copy a remote kustomization spec builds (PROJECT_KUSTOMIZATIONS), or undefined. */
export function remoteKustomizationCopy(spec: string): string | undefined {
  const r = parseRemoteSpec(spec);
  if (!r) return undefined;
  const ref = r.ref ?? (Object.hasOwn(DEFAULT_BRANCH_AT, r.repo) ? DEFAULT_BRANCH_AT[r.repo] : undefined);
  if (ref === undefined) return undefined;
  const key = `${r.repo}//${r.path}?ref=${ref}`;
  return Object.hasOwn(PROJECT_KUSTOMIZATIONS, key) ? PROJECT_KUSTOMIZATIONS[key] : undefined;
}

/** Whether kubectl would read this `-f` argument as a URL (it checks for the http:// and https:// prefixes). */
export function isUrl(arg: string): boolean {
  return arg.startsWith("http://") || arg.startsWith("https://");
}

/** The project path of the copy of an example URL (`exercises/docs/<path>`, or a project's manifest under `exercises/apps/`), or undefined. */
export function exampleCopyPath(url: string): string | undefined {
  const project = Object.hasOwn(PROJECT_MANIFESTS, url) ? PROJECT_MANIFESTS[url] : undefined;
  if (project) return project;
  const m = EXAMPLES.exec(url);
  if (!m || m[1]!.split("/").some((s) => s === ".." || s === ".")) return undefined;
  return `exercises/docs/${m[1]}`;
}

/** Reads a URL as the simulation can: an example from its copy, else an error that says why not. */
export function readUrl(url: string, readFile: (path: string) => string): string {
  const copy = exampleCopyPath(url);
  if (!copy) throw new Error(`unable to read URL ${JSON.stringify(url)}: fetching URLs is not simulated (only https://k8s.io/examples/<path> is served, from exercises/docs/<path>, and the project manifests listed in exercises/apps/SOURCES)`);
  try {
    return readFile(copy);
  } catch {
    throw new Error(`unable to read URL ${JSON.stringify(url)}: fetching URLs is not simulated, and this example has no copy at ${copy}`);
  }
}
