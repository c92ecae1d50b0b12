/**
 * A connection to the API server of a kubeconfig's current context, through
 * `@kubernetes/client-node`: the kubeconfig, its credentials and TLS come from client-node, typed
 * calls (namespaces, pod logs) use its CoreV1Api, and objects are read as raw JSON (client-node's
 * model classes turn timestamps into Date objects, which would change what assertions compare).
 *
 * client-node is imported lazily (it costs about a second), only when a live run starts.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type * as K8s from "@kubernetes/client-node";
import { RESOURCE_TYPES, apiVersionOf, type ResourceType } from "../api/resources.ts";
import type { KObject } from "../api/types.ts";

/** The response header our API facade (`src/server/apiserver.ts`) puts on every answer. */
export const FACADE_HEADER = "x-kube-scenario";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export class LiveApiError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    let message = body;
    try {
      message = JSON.parse(body).message ?? body;
    } catch {
      // not a Status object: keep the text
    }
    super(`${what}: ${status} ${message}`);
    this.name = "LiveApiError";
  }
}

export class LiveConnection {
  private openapi?: boolean;

  private constructor(
    readonly k8s: typeof K8s,
    readonly kc: K8s.KubeConfig,
    readonly server: URL,
    /** The target is kube-scenario's simulated API server (it advertises itself with FACADE_HEADER). */
    readonly facade: boolean,
    /** The facade was started with --resettable: every scenario may start on a fresh simulated cluster. */
    readonly resettable: boolean,
    readonly core: K8s.CoreV1Api,
  ) {}

  /** Connects to the current context of `kubeconfigPath` (default: $KUBECONFIG or ~/.kube/config). */
  static async connect(kubeconfigPath?: string): Promise<LiveConnection> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`the kubeconfig${kubeconfigPath ? ` ${kubeconfigPath}` : ""} has no current cluster: set KUBECONFIG or use kubectl config use-context`);
    const server = new URL(cluster.server);
    const probe = new LiveConnection(k8s, kc, server, false, false, kc.makeApiClient(k8s.CoreV1Api));
    let version: RawResponse;
    try {
      version = await probe.raw("GET", "/version");
    } catch (e) {
      throw new Error(`cannot reach the API server ${cluster.server} of context "${kc.getCurrentContext()}": ${(e as Error).message}`);
    }
    const facade = version.headers[FACADE_HEADER] === "simulated";
    const resettable = facade && (await probe.raw("GET", "/kube-scenario/v1/reset")).status !== 403;
    return new LiveConnection(k8s, kc, server, facade, resettable, probe.core);
  }

  /** One request with the kubeconfig's credentials; resolves whatever the status. */
  async raw(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<RawResponse> {
    // The facade presents times on the wall clock unless asked for its simulated instants, which this
    // backend compares with /kube-scenario/v1/now (a real API server ignores the header).
    const opts: RequestOptions = { method, headers: { accept: "application/json", "x-kube-scenario-time": "simulated" } };
    await this.kc.applyToHTTPSOptions(opts);
    const url = new URL(path, this.server);
    const isHttps = url.protocol === "https:";
    if (!isHttps) delete opts.agent;
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    if (payload !== undefined) (opts.headers as Record<string, string>)["content-type"] = contentType;
    return new Promise((resolve, reject) => {
      const req = (isHttps ? httpsRequest : httpRequest)(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** A request that must succeed; resolves to its JSON body, as the caller says the API serves it (T). */
  async json<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await this.raw(method, path, body, contentType);
    if (r.status < 200 || r.status >= 300) throw new LiveApiError(r.status, r.text, `${method} ${path}`);
    return (r.text ? JSON.parse(r.text) : undefined) as T;
  }

  /** The objects of a kind, in one namespace (namespaced kinds) or cluster-wide. */
  async list(kind: string, namespace?: string): Promise<KObject[]> {
    const r = resourceOf(kind);
    const list = await this.json<{ items?: KObject[] }>("GET", collectionPath(r, namespace));
    return (list.items ?? []).map((o: KObject) => ({ ...o, apiVersion: o.apiVersion ?? apiVersionOf(r), kind: o.kind ?? r.kind }));
  }

  /** Whether the server serves OpenAPI (kubectl apply validates against it unless --validate=false). */
  async servesOpenAPI(): Promise<boolean> {
    if (this.openapi === undefined) {
      const v3 = await this.raw("GET", "/openapi/v3");
      this.openapi = v3.status === 200 || (await this.raw("GET", "/openapi/v2")).status === 200;
    }
    return this.openapi;
  }

  /** The facade's simulated instant (ms); the wall clock for other clusters. */
  async now(): Promise<number> {
    if (!this.facade) return new Date().getTime();
    return Date.parse((await this.json<{ now: string }>("GET", "/kube-scenario/v1/now")).now);
  }

  /**
   * The facade's scheduler's last attempt per pod of a namespace (its per-node filter and score
   * results); a real cluster keeps none that an API shows, so it answers no attempts.
   */
  async schedulingAttempts(namespace: string): Promise<Record<string, Record<string, string>>> {
    if (!this.facade) return {};
    return this.json<Record<string, Record<string, string>>>("GET", `/kube-scenario/v1/scheduling/${encodeURIComponent(namespace)}`);
  }

  /** Advances the facade's simulated clock (only the facade has one). */
  async advance(ms: number): Promise<void> {
    if (!this.facade) throw new Error("only kube-scenario's simulated API server has a clock to advance");
    await this.json("POST", `/kube-scenario/v1/advance?ms=${Math.round(ms)}`);
  }

  /** Replaces the facade's simulated cluster with a fresh one (facade started with --resettable). */
  async reset(): Promise<void> {
    await this.json("POST", "/kube-scenario/v1/reset");
  }
}

export function resourceOf(kind: string): ResourceType {
  const r = RESOURCE_TYPES.find((t) => t.kind === kind);
  if (!r) throw new Error(`unknown kind ${JSON.stringify(kind)}`);
  return r;
}

/** The REST path of a kind's collection: /api/v1/namespaces/ns/pods, /apis/apps/v1/replicasets, /api/v1/nodes. */
export function collectionPath(r: ResourceType, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return r.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${base}/${r.plural}`;
}
