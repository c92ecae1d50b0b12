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
  "https://raw.githubusercontent.com/GoogleCloudPlatform/microservices-demo/34ffea9175946982c3088ed84994fe6019ad6e92/release/kubernetes-manifests.yaml": "exercises/apps/online-boutique/kubernetes-manifests.yaml",
};

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
