/**
 * The simulated user's kubeconfig: what client-go's clientcmd keeps of it (clusters, users and
 * contexts by name, the current context) and the namespace a command works in when it gives no
 * `-n` (clientcmd's DeferredLoadingClientConfig.Namespace: the context's namespace, else
 * `default`). Ports the data model of staging/src/k8s.io/client-go/tools/clientcmd/api/types.go
 * and its v1 serialisation (api/v1/types.go) as `kubectl config view` prints it.
 *
 * The in-process kubectl starts with the kubeconfig `kube-scenario serve` writes (one cluster, user
 * and context named `kube-scenario`, namespace `default`), so `kubectl config view` prints what
 * the real kubectl prints against the facade on its default port. `kubectl config` commands change
 * it for the rest of the scenario, as they would change a user's ~/.kube/config.
 */

export interface KubeconfigCluster {
  server: string;
  "insecure-skip-tls-verify"?: boolean;
}

export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
}

/** The server URL of the simulated kubeconfig: `kube-scenario serve`'s default address. */
export const SIMULATED_SERVER = "http://127.0.0.1:6443";
export const SIMULATED_NAME = "kube-scenario";
/** The file the simulated kubeconfig stands for: root's, as on a kubeadm course machine. */
export const SIMULATED_PATH = "/root/.kube/config";

export class Kubeconfig {
  readonly clusters = new Map<string, KubeconfigCluster>();
  readonly users = new Map<string, Record<string, never>>();
  readonly contexts = new Map<string, KubeconfigContext>();
  currentContext = "";
  /** Where kubectl would have read it from (messages name the file). */
  path = SIMULATED_PATH;

  /** The kubeconfig `kube-scenario serve` writes (src/server/kubeconfig.ts), for its default port. */
  static simulated(): Kubeconfig {
    const k = new Kubeconfig();
    k.clusters.set(SIMULATED_NAME, { server: SIMULATED_SERVER, "insecure-skip-tls-verify": true });
    k.users.set(SIMULATED_NAME, {});
    k.contexts.set(SIMULATED_NAME, { cluster: SIMULATED_NAME, user: SIMULATED_NAME, namespace: "default" });
    k.currentContext = SIMULATED_NAME;
    return k;
  }

  /**
   * The namespace of a context (the current one unless `--context` names another): its
   * `namespace`, or `default` when it sets none. Undefined when the named context does not exist.
   */
  namespaceOf(contextName = this.currentContext): string | undefined {
    if (contextName === "") return "default";
    const c = this.contexts.get(contextName);
    return c ? c.namespace || "default" : undefined;
  }

  /** The config as clientcmd's v1 types serialise it, in their field order (for `config view`). */
  toV1(opts: { minify?: boolean } = {}): Record<string, unknown> {
    let contexts = [...this.contexts.keys()];
    let clusters = [...this.clusters.keys()];
    let users = [...this.users.keys()];
    if (opts.minify) {
      const c = this.contexts.get(this.currentContext);
      contexts = c ? [this.currentContext] : [];
      clusters = c && this.clusters.has(c.cluster) ? [c.cluster] : [];
      users = c && this.users.has(c.user) ? [c.user] : [];
    }
    const sorted = (names: string[]) => [...names].sort();
    const list = <T>(names: string[], entry: (n: string) => T) => (names.length ? sorted(names).map(entry) : null);
    return {
      kind: "Config",
      apiVersion: "v1",
      preferences: {},
      clusters: list(clusters, (name) => ({ name, cluster: { ...this.clusters.get(name)! } })),
      users: list(users, (name) => ({ name, user: { ...this.users.get(name)! } })),
      contexts: list(contexts, (name) => {
        const c = this.contexts.get(name)!;
        return { name, context: { cluster: c.cluster, user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}) } };
      }),
      "current-context": this.currentContext,
    };
  }
}
