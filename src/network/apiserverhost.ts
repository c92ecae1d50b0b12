/**
 * kube-apiserver on the node network: its advertise address (172.18.0.2 on a kind-style network,
 * where the `kubernetes` Service's endpoints point: src/controllers/kubernetesservice/) and its
 * secure port, 6443. A pod reaches it through the `kubernetes` Service (10.96.0.1:443,
 * `https://kubernetes.default.svc`), as "Accessing the Kubernetes API from a Pod" does:
 *
 *     curl --cacert ${CACERT} --header "Authorization: Bearer ${TOKEN}" -X GET ${APISERVER}/api
 *
 * It speaks TLS only (a plain http request gets Go's `400 Client sent an HTTP request to an HTTPS
 * server.`). The request is authenticated as kube-apiserver's chain does: a bearer token the
 * service-account authenticator accepts is that account (`system:serviceaccount:<ns>:<name>`), a
 * token it refuses is `401 Unauthorized`, and no Authorization header is `system:anonymous`
 * (kubeadm's and kind's clusters allow anonymous requests). It is then authorized by RBAC: the
 * default service account may read the discovery paths (`/api`, `/apis`, `/version`: the
 * `system:discovery` and `system:public-info-viewer` ClusterRoles) and nothing else until a Role
 * grants it, anonymous the health paths and `/version` only. What it answers is the in-process
 * REST handler's (src/api/resthandler.ts).
 */
import { ApiError } from "../api/errors.ts";
import { checkAuthorized, storeReader } from "../api/authorization/rbac.ts";
import { escalationCheckedApi } from "../api/authorization/filter.ts";
import { authorizerAttributes, requestInfoFor } from "../api/endpoints/request/requestinfo.ts";
import { ALL_UNAUTHENTICATED, ANONYMOUS, type UserInfo } from "../api/authorization/user.ts";
import { authenticateServiceAccountToken } from "../api/serviceaccount/authenticator.ts";
import { goJSONText, isPrettyPrint, jsonAnswer, serveRest, statusOf } from "../api/resthandler.ts";
import type { ClusterContext } from "../context.ts";
import type { AppServer } from "../runtime/types.ts";

/** The API server's --advertise-address on the node network (the control-plane's place). */
export const APISERVER_ADDRESS = "172.18.0.2";
/** --secure-port. */
export const APISERVER_PORT = 6443;

/** The request's user, or undefined for a bearer token the authenticators refuse. */
function authenticate(ctx: ClusterContext, headers: Record<string, string>): UserInfo | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === "authorization");
  const value = key === undefined ? "" : headers[key]!.trim();
  if (value === "") return { name: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] };
  const m = /^Bearer\s+(\S+)$/i.exec(value);
  // A non-bearer Authorization (basic credentials) is no authenticator's: anonymous, as upstream.
  if (!m) return { name: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] };
  return authenticateServiceAccountToken(ctx.api, m[1]!);
}

/** The AppServer answering on APISERVER_ADDRESS:APISERVER_PORT. */
export function apiServerHost(ctx: ClusterContext): AppServer {
  return {
    listening: (port) => port === APISERVER_PORT,
    speaksTLS: (port) => port === APISERVER_PORT,
    handle(req) {
      const url = new URL(req.path, "https://kubernetes.invalid");
      const query = url.searchParams;
      const user = authenticate(ctx, req.headers);
      if (!user) {
        return { status: 401, body: goJSONText({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 }, isPrettyPrint(query, req.headers)) };
      }
      const rest = { method: req.method, path: url.pathname, query, headers: req.headers, body: req.body ?? "" };
      // WithAuthorization: one decision per request, on its attributes (a PATCH is `patch`, a
      // deletecollection `deletecollection`, pods/eviction `create` of the subresource), not one
      // per store call the handler makes; the 403 names the request's verb and resource.
      try {
        checkAuthorized(storeReader(ctx.api), authorizerAttributes(user, requestInfoFor(req.method, req.path)));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const a = jsonAnswer(e.code, statusOf(e), rest);
        return { status: a.status, body: a.body };
      }
      const a = serveRest(escalationCheckedApi(ctx.api, user), ctx.clock, rest, `${APISERVER_ADDRESS}:${APISERVER_PORT}`);
      if ("route" in a) {
        // pods/proxy and services/proxy through the API server: served through kubectl proxy only.
        const e = new ApiError("NotFound", "the server could not find the requested resource (the proxy subresource is served through kubectl proxy)");
        const s = jsonAnswer(e.code, statusOf(e), rest);
        return { status: s.status, body: s.body };
      }
      return { status: a.status, body: a.body };
    },
  };
}
