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

/** clientcmd's Cluster (api/v1 Cluster's fields, in its order). */
export interface KubeconfigCluster {
  server: string;
  "tls-server-name"?: string;
  "insecure-skip-tls-verify"?: boolean;
  "certificate-authority"?: string;
  /** base64 of the PEM, as the v1 serialisation writes []byte. */
  "certificate-authority-data"?: string;
  "proxy-url"?: string;
  "disable-compression"?: boolean;
  /** Kept as read (a list of named extensions); the simulation does not look inside. */
  extensions?: unknown;
}

/** clientcmd's AuthInfo (api/v1 AuthInfo's fields, in its order). */
export interface KubeconfigUser {
  "client-certificate"?: string;
  /** base64 of the PEM, as the v1 serialisation writes []byte. */
  "client-certificate-data"?: string;
  "client-key"?: string;
  "client-key-data"?: string;
  token?: string;
  tokenFile?: string;
  as?: string;
  "as-uid"?: string;
  "as-groups"?: string[];
  "as-user-extra"?: Record<string, string[]>;
  username?: string;
  password?: string;
  /** Kept as read; the simulation does not run auth providers or exec plugins. */
  "auth-provider"?: unknown;
  exec?: unknown;
  extensions?: unknown;
}

/** The order of the v1 AuthInfo's fields (kubectl config view -o json keeps it). */
export const USER_FIELDS: (keyof KubeconfigUser)[] = ["client-certificate", "client-certificate-data", "client-key", "client-key-data", "token", "tokenFile", "as", "as-uid", "as-groups", "as-user-extra", "username", "password", "auth-provider", "exec", "extensions"];
export const CLUSTER_FIELDS: (keyof KubeconfigCluster)[] = ["server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority", "certificate-authority-data", "proxy-url", "disable-compression", "extensions"];
export const CONTEXT_FIELDS: (keyof KubeconfigContext)[] = ["cluster", "user", "namespace", "extensions"];

export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
  extensions?: unknown;
}

/** The server URL of the simulated kubeconfig: `kube-scenario serve`'s default address. */
export const SIMULATED_SERVER = "http://127.0.0.1:6443";
export const SIMULATED_NAME = "kube-scenario";
/** The file the simulated kubeconfig stands for: root's, as on a kubeadm course machine. */
export const SIMULATED_PATH = "/root/.kube/config";

export class Kubeconfig {
  readonly clusters = new Map<string, KubeconfigCluster>();
  readonly users = new Map<string, KubeconfigUser>();
  readonly contexts = new Map<string, KubeconfigContext>();
  currentContext = "";
  /** The config's preferences (`colors`, extensions), kept as read. */
  preferences: Record<string, unknown> = {};
  /** Where kubectl would have read it from (messages name the file). */
  path = SIMULATED_PATH;
  /**
   * clientcmd's LocationOfOrigin of each entry of a merged config (./kubeconfigfiles.ts): the file
   * that defined it, where a change to it is written. Empty for a config read from one file.
   */
  readonly origin = { clusters: new Map<string, string>(), users: new Map<string, string>(), contexts: new Map<string, string>() };

  /** A deep copy (entries copied; origins kept). */
  clone(): Kubeconfig {
    const k = new Kubeconfig();
    for (const [n, c] of this.clusters) k.clusters.set(n, structuredClone(c));
    for (const [n, u] of this.users) k.users.set(n, structuredClone(u));
    for (const [n, c] of this.contexts) k.contexts.set(n, structuredClone(c));
    k.currentContext = this.currentContext;
    k.preferences = structuredClone(this.preferences);
    k.path = this.path;
    for (const kind of ["clusters", "users", "contexts"] as const) for (const [n, o] of this.origin[kind]) k.origin[kind].set(n, o);
    return k;
  }

  /** Replaces this config's contents with another's (a kubeconfig file rewritten in place). */
  assign(from: Kubeconfig): void {
    for (const kind of ["clusters", "users", "contexts"] as const) {
      const m = this[kind] as Map<string, unknown>;
      m.clear();
      for (const [n, e] of from[kind] as Map<string, unknown>) m.set(n, structuredClone(e));
    }
    this.currentContext = from.currentContext;
    this.preferences = structuredClone(from.preferences);
  }

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
  toV1(opts: { minify?: boolean; raw?: boolean } = {}): Record<string, unknown> {
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
      preferences: this.preferences,
      clusters: list(clusters, (name) => ({ name, cluster: ordered(this.clusters.get(name)!, CLUSTER_FIELDS, opts.raw) })),
      users: list(users, (name) => ({ name, user: ordered(this.users.get(name)!, USER_FIELDS, opts.raw) })),
      contexts: list(contexts, (name) => ({ name, context: ordered(this.contexts.get(name)!, CONTEXT_FIELDS, true) })),
      "current-context": this.currentContext,
    };
  }
}

/** The fields the v1 types write even when empty (no `omitempty`): a cluster's server, a context's cluster and user. */
const ALWAYS = new Set(["server", "cluster", "user"]);

/**
 * An entry's fields in the struct's order, as the v1 types serialise them (`omitempty` leaves out
 * empty strings, false and empty lists); without `raw`, as clientcmdapi.ShortenConfig leaves them
 * for `kubectl config view`: certificate and key data `DATA+OMITTED`, a token and a password `REDACTED`.
 */
function ordered<T extends object>(entry: T, fields: (keyof T)[], raw = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = entry[f];
    const key = String(f);
    if (v === undefined || v === null || ((v === "" || v === false || (Array.isArray(v) && v.length === 0)) && !ALWAYS.has(key))) {
      if (ALWAYS.has(key)) out[key] = "";
      continue;
    }
    if (!raw && key.endsWith("-data")) out[key] = "DATA+OMITTED";
    else if (!raw && (key === "token" || key === "password")) out[key] = "REDACTED";
    else out[key] = v;
  }
  return out;
}
