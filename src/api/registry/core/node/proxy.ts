/**
 * nodes/proxy (pkg/registry/core/node/rest/proxy.go ProxyREST, with node/strategy.go's
 * ResourceLocation): `/api/v1/nodes/<name>[:<port>]/proxy[/<path>]` forwards the request to the
 * node's kubelet: `<name>` may carry a scheme and a port (`https:k8s-node1:10250`), the default
 * being the kubelet's port from the Node's status.daemonEndpoints; the kubelet's answer is passed
 * back as it is. A Node that does not exist is the registry's 404; a kubelet that does not run is
 * the proxy's 503 (`error trying to reach service: dial tcp …: connect: connection refused`).
 * Served by every front end: the facade, kubectl proxy and the in-process `kubectl get --raw`.
 */
import { ApiError } from "../../../errors.ts";
import { KUBELET_PORT, type KubeletClient } from "../../../kubeletclient.ts";
import type { ApiServer } from "../../../store.ts";
import type { Node } from "../../../types.gen.ts";

/** What the proxy answers (a Status error is thrown as an ApiError). */
export interface NodeProxyAnswer {
  status: number;
  body: string;
  contentType: string;
}

const PROXY_PATH = /^\/api\/v1\/nodes\/([^/]+)\/proxy(\/.*)?$/;

/**
 * The node and the path under it, for a node proxy path; undefined for any other path. The path is
 * read decoded, as Go's URL.Path is (the Python client's connect_get_node_proxy_with_path sends
 * `metrics%2Fresource`, which reaches the kubelet as /metrics/resource).
 */
export function parseNodeProxyPath(path: string): { id: string; rest: string } | undefined {
  const m = PROXY_PATH.exec(path);
  if (!m) return undefined;
  return { id: decoded(m[1]!), rest: decoded(m[2] ?? "/") };
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Answers a node proxy request. `id` is the path's `<name>[:<port>]` (or `<scheme>:<name>:<port>`),
 * `rest` the path after `/proxy`; `delta` shifts the instants of the answer (KubeletClient.nodeServer).
 */
export function serveNodeProxy(api: ApiServer, kubelets: KubeletClient, id: string, rest: string, delta = 0): NodeProxyAnswer {
  // net.SplitSchemeNamePort: name, port:name, scheme:name:port; a malformed one is a 400.
  const parts = id.split(":");
  let name = id;
  let port = "";
  let scheme = "";
  if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else if (parts.length > 3) throw new ApiError("BadRequest", `invalid node request ${JSON.stringify(id)}`);
  if (name === "" || (scheme !== "" && scheme !== "http" && scheme !== "https")) throw new ApiError("BadRequest", `invalid node request ${JSON.stringify(id)}`);
  // The registry's NotFound (`nodes "x" not found`, with the Status details).
  const node = api.getOrThrow("Node", undefined, name) as Node;
  const kubeletPort = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || KUBELET_PORT;
  const ip = node.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "";
  let answer: ReturnType<KubeletClient["nodeServer"]>;
  if (port !== "" && Number(port) !== kubeletPort) answer = { ok: false, error: `dial tcp ${ip}:${port}: connect: connection refused` };
  // The kubelet serves HTTPS only: a plain http request gets Go's answer to it.
  else if (scheme === "http") answer = { ok: true, status: 400, body: "Client sent an HTTP request to an HTTPS server.\n", contentType: "text/plain; charset=utf-8" };
  else answer = kubelets.nodeServer(node, rest, delta);
  if (!answer.ok) throw new ApiError("ServiceUnavailable", `error trying to reach service: ${answer.error}`);
  return { status: answer.status, body: answer.body, contentType: answer.contentType };
}
