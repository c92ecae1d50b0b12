/**
 * The aggregation layer's view of an APIService (k8s.io/kube-aggregator): whether requests to an
 * aggregated group version reach a server. kube-aggregator proxies `/apis/<group>/<version>/...`
 * to the APIService's Service only while its `Available` condition is True; otherwise its proxy
 * handler answers 503 (pkg/apiserver/handler_proxy.go, `proxyError(..., "service unavailable",
 * http.StatusServiceUnavailable)`), which client-go turns into
 * `the server is currently unable to handle the request (get <resource>.<group>)`
 * (apimachinery/pkg/api/errors NewGenericServerResponse).
 *
 * The APIService's status is written by src/controllers/apiservice/available.ts.
 */
import { ApiError } from "./errors.ts";
import type { APIServiceCondition } from "./types.gen.ts";

/** What the store holds of an APIService, enough to read its condition. */
interface Reader {
  get(kind: string, namespace: string | undefined, name: string): { status?: { conditions?: APIServiceCondition[] } } | undefined;
}

/**
 * The APIService registered for a group version (`<version>.<group>`): "absent" when none is (the
 * cluster's own built-in server answers, if it has one), "available" when its Available condition
 * is True, "unavailable" otherwise (no status yet included: the aggregator does not proxy then).
 */
export function aggregatedAPIState(api: Reader, group: string, version: string): "absent" | "available" | "unavailable" {
  const svc = api.get("APIService", undefined, `${version}.${group}`);
  if (!svc) return "absent";
  const cond = (svc.status?.conditions ?? []).find((c) => c.type === "Available");
  return cond?.status === "True" ? "available" : "unavailable";
}

/** The 503 a client gets for `verb` on `resource` of an aggregated group whose APIService is not Available. */
export function serviceUnavailable(verb: string, resource: string, group: string, name?: string): ApiError {
  const what = `${verb} ${resource}.${group}${name !== undefined ? ` ${name}` : ""}`;
  return new ApiError("ServiceUnavailable", `the server is currently unable to handle the request (${what})`, { kind: resource, group, name: name ?? "", causes: [] });
}
