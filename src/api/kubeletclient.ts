/**
 * What a client reaches of a node's kubelet, and nothing more: the API server's client of the
 * kubelet (pkg/kubelet/client/kubelet_client.go) and the endpoints of the kubelet's server it
 * proxies the pod subresources to (pkg/kubelet/server/server.go: `/containerLogs` behind pods/log,
 * `/exec` behind pods/exec). kubectl takes this interface and never a kubelet module, as real
 * kubectl reaches the kubelet only through the API server; the kubelet implements it
 * (src/kubelet/server.ts) and registers it under `ctx.services` "kubelet-client".
 *
 * Node and pod stats reach kubectl the way they do upstream: the kubelet's resource metrics are
 * scraped by metrics-server (src/metrics/), and `kubectl top` reads metrics.k8s.io. What
 * `kubectl describe` shows comes from the API objects (upstream's describers read nothing else).
 */
import type { ClusterContext } from "../context.ts";
import type { Node, Pod } from "./types.gen.ts";

/** PodLogOptions as the kubelet's ReadLogs applies them (pkg/kubelet/kuberuntime/logs). */
export interface LogOptions {
  /** The last N lines only. */
  tail?: number;
  /** Lines written at or after this instant (simulated ms). */
  since?: number;
  /** Prefix each line with its RFC 3339 timestamp (nanosecond form, trailing zeros trimmed). */
  timestamps?: boolean;
  /** At most this many bytes of output. */
  limitBytes?: number;
}

/** A container's log as `/containerLogs` answers. */
export interface ContainerLog {
  text: string;
  /** The instance may still write (created or running): `kubectl logs -f` would keep streaming. */
  live: boolean;
}

/** The streams of an exec beside stdout. */
export interface ExecStreams {
  stdin?: string;
  stderr?: (text: string) => void;
  /** `kubectl exec -it`: the command's streams are a terminal. */
  tty?: boolean;
}

/**
 * The kubelet refuses the exec stream: the container has no running instance. The message is the
 * kubelet's (`container not found ("c")`); kubectl prefixes `unable to upgrade connection: `.
 */
export class ContainerNotRunningError extends Error {
  constructor(container: string) {
    super(`container not found (${JSON.stringify(container)})`);
    this.name = "ContainerNotRunningError";
  }
}

/** The runtime could not start the command (`rpc error: code = Unknown desc = failed to exec in container: ...`). */
export class ExecFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExecFailedError";
  }
}

export interface KubeletClient {
  /**
   * `/containerLogs`: the log of the container's current instance (or the previous one), through
   * ReadLogs with `opts`. Throws the API server's ApiError (BadRequest) when the container is not
   * the pod's, is still waiting, or has no previous instance.
   */
  containerLogs(pod: Pod, container: string, previous: boolean, opts: LogOptions): ContainerLog;
  /** Whether the container has a running instance that `/exec` would reach. */
  containerRunning(pod: Pod, container: string): boolean;
  /**
   * `/exec`: runs the command in the container's running instance, letting simulated time pass
   * until it exits; its exit code, or undefined when it still ran after the cap (then it is killed).
   * Throws ContainerNotRunningError or ExecFailedError.
   */
  exec(pod: Pod, container: string, command: string[], stdout: (text: string) => void, streams?: ExecStreams): number | undefined;
  /**
   * `/attach`: attaches to the main process of the container's running instance. `stdin` (the
   * client's standard input, `-i`) goes to a shell waiting for it (a container with `stdin: true`);
   * what the container writes from then on goes to `stdout`, letting simulated time pass until the
   * instance exits. Its exit code, or undefined when it still ran after the cap (left running).
   * Throws ContainerNotRunningError.
   */
  attach(pod: Pod, container: string, stdin: string | undefined, stdout: (text: string) => void): number | undefined;
  /** Whether the container's main process is an interactive shell waiting for a client's input (`stdin: true`, nothing attached yet). */
  awaitsInput(pod: Pod, container: string): boolean;
  /**
   * `/portForward`: one connection of a port-forward (a data stream and its error stream), which
   * the container runtime opens to `localhost:<port>` inside the pod's network namespace, here
   * carrying one HTTP request. `done` gets the answer, or `error` with the text the runtime writes
   * on the error stream (containerd's `error forwarding port 80 to pod <sandbox>, uid : failed to
   * execute portforward in network namespace …: … connection refused …`), later in simulated time.
   * Throws the API server's ApiError when the pod has no node.
   */
  portForward(pod: Pod, port: number, req: PortForwardRequest, done: (answer: PortForwardAnswer) => void): void;
  /**
   * A GET of `path` on the node's kubelet server (port 10250), as the API server's node proxy
   * (`/api/v1/nodes/<node>/proxy/<path>`, pkg/registry/core/node/rest/proxy.go) reaches it: the
   * kubelet's answer (its /metrics, /metrics/resource, /healthz: src/kubelet/metrics/endpoints.ts),
   * or the dial error when no kubelet runs on the node. Instants in the answer are shifted by
   * `delta` ms (the facade's wall-clock anchoring; 0 in-process).
   */
  nodeServer(node: Node, path: string, delta?: number): KubeletServerAnswer;
}

/** What the kubelet's server answered, or why it could not be reached. */
export type KubeletServerAnswer = { ok: true; status: number; body: string; contentType: string } | { ok: false; error: string };

/** The kubelet's port (KubeletConfiguration `port`, the Node's status.daemonEndpoints.kubeletEndpoint). */
export const KUBELET_PORT = 10250;

/** The HTTP request a port-forward connection carries. */
export interface PortForwardRequest {
  method: string;
  /** The path and query (`/`, `/api?x=1`). */
  path: string;
  headers: Record<string, string>;
  timeoutMs?: number;
}

/** What came back on a port-forward connection: the application's answer, or the error stream's text. */
export type PortForwardAnswer = { ok: true; status: number; body: string; headers?: Record<string, string> } | { ok: false; error: string };

declare module "../context.ts" {
  interface ClusterServices {
    /** The kubelets' server as clients reach it (src/api/kubeletclient.ts), registered by the kubelet manager. */
    "kubelet-client": KubeletClient;
  }
}

/** The cluster's kubelet client. Throws when the cluster runs no kubelets. */
export function kubeletClient(ctx: ClusterContext): KubeletClient {
  const c = ctx.services.get("kubelet-client");
  if (!c) throw new Error("this cluster runs no kubelet (no kubelet manager started): nothing serves container logs or exec");
  return c;
}
