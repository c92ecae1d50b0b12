/**
 * The `metrics.k8s.io` API group as kube-apiserver serves it through the aggregation layer from
 * metrics-server (sigs.k8s.io/metrics-server pkg/api/install.go, pod.go, node.go): group and
 * version discovery, and read-only PodMetrics and NodeMetrics (get and list, with a label
 * selector), answered from the simulated metrics-server (src/metrics/api.ts). Without a
 * metrics-server the group is not served at all, as on a cluster without the add-on.
 */
import type { ServerResponse } from "node:http";
import { ApiError } from "../api/errors.ts";
import type { Cluster } from "../cluster.ts";
import { getNodeMetrics, getPodMetrics, listNodeMetrics, listPodMetrics, METRICS_API_VERSION } from "../metrics/api.ts";
import { metricsServer } from "../metrics/server.ts";
import { labelPredicate } from "./handlers/rest.ts";
import { send } from "./handlers/responsewriters.ts";

export const METRICS_GROUP = "metrics.k8s.io";
const GV = { groupVersion: METRICS_API_VERSION, version: "v1beta1" };

/** The group's entry in `/apis` (aggregated groups follow the built-in ones), when served. */
export function metricsAPIGroup(cluster: Cluster): { name: string; versions: Array<typeof GV>; preferredVersion: typeof GV } | undefined {
  return metricsServer(cluster.ctx) ? { name: METRICS_GROUP, versions: [GV], preferredVersion: GV } : undefined;
}

const RESOURCES = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: METRICS_API_VERSION,
  resources: [
    { name: "nodes", singularName: "", namespaced: false, kind: "NodeMetrics", verbs: ["get", "list"] },
    { name: "pods", singularName: "", namespaced: true, kind: "PodMetrics", verbs: ["get", "list"] },
  ],
};

/** Serves a request under `/apis/metrics.k8s.io`; false when the path is not the group's. */
export function serveMetricsAPI(cluster: Cluster, method: string, path: string, query: URLSearchParams, res: ServerResponse): boolean {
  if (path !== `/apis/${METRICS_GROUP}` && !path.startsWith(`/apis/${METRICS_GROUP}/`)) return false;
  const group = metricsAPIGroup(cluster);
  if (!group) throw new ApiError("NotFound", "the server could not find the requested resource");
  if (path === `/apis/${METRICS_GROUP}`) {
    send(res, 200, { kind: "APIGroup", apiVersion: "v1", ...group });
    return true;
  }
  const rest = path.slice(`/apis/${METRICS_API_VERSION}`.length);
  if (!path.startsWith(`/apis/${METRICS_API_VERSION}`) || (rest !== "" && !rest.startsWith("/"))) {
    throw new ApiError("NotFound", "the server could not find the requested resource");
  }
  if (rest === "") {
    send(res, 200, RESOURCES);
    return true;
  }
  const m = /^(?:\/namespaces\/([^/]+))?\/(pods|nodes)(?:\/([^/]+))?$/.exec(rest);
  if (!m || (m[2] === "nodes" && m[1] !== undefined)) throw new ApiError("NotFound", "the server could not find the requested resource");
  if (method !== "GET") {
    throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource`);
  }
  const namespace = m[1] !== undefined ? decodeURIComponent(m[1]) : undefined;
  const name = m[3] !== undefined ? decodeURIComponent(m[3]) : undefined;
  const ctx = cluster.ctx;
  cluster.clock.settle();
  if (m[2] === "pods") {
    if (name !== undefined) {
      if (namespace === undefined) throw new ApiError("NotFound", "the server could not find the requested resource");
      send(res, 200, getPodMetrics(ctx, namespace, name));
      return true;
    }
    const items = listPodMetrics(ctx, { namespace, labelSelector: labelPredicate(query.get("labelSelector")) });
    send(res, 200, { kind: "PodMetricsList", apiVersion: METRICS_API_VERSION, metadata: {}, items });
    return true;
  }
  if (name !== undefined) {
    send(res, 200, getNodeMetrics(ctx, name));
    return true;
  }
  const items = listNodeMetrics(ctx, { labelSelector: labelPredicate(query.get("labelSelector")) });
  send(res, 200, { kind: "NodeMetricsList", apiVersion: METRICS_API_VERSION, metadata: {}, items });
  return true;
}
