/**
 * What a request is about, read from its method and path before any handler runs, as
 * kube-apiserver's RequestInfoFactory does (staging/src/k8s.io/apiserver/pkg/endpoints/request/
 * requestinfo.go), and which requests are long-running (BasicLongRunningRequestCheck in
 * staging/src/k8s.io/apiserver/pkg/server/filters/longrunning.go, with kube-apiserver's sets:
 * verbs watch and proxy; subresources attach, exec, proxy, log and portforward). The filters in
 * front of the handlers use it: the in-flight limit skips long-running requests and tells
 * mutating requests from read-only ones, and authorization decides once per request on its
 * attributes (the facade's handler chain, and the in-pod API server: src/network/apiserverhost.ts).
 */
import type { UserInfo } from "../../authorization/user.ts";
import type { Attributes } from "../../authorization/rbac.ts";

export interface RequestInfo {
  /** Whether the path is under /api or /apis and names a resource (not discovery). */
  isResourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection; the lower-case method otherwise. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The user a service account's token authenticated (set by the chain); undefined for the server's own token (the admin). */
  user?: UserInfo;
}

const API_PREFIXES = new Set(["api", "apis"]);
const GROUPLESS_PREFIXES = new Set(["api"]);
const SPECIAL_VERBS = new Set(["proxy", "watch"]);
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(["proxy"]);
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

const LONG_RUNNING_VERBS = new Set(["watch", "proxy"]);
const LONG_RUNNING_SUBRESOURCES = new Set(["attach", "exec", "proxy", "log", "portforward"]);
const READ_ONLY_VERBS = new Set(["get", "list", "watch"]);

/** Go's strconv.ParseBool. */
export function parseBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

export function requestInfoFor(method: string | undefined, rawUrl: string | undefined): RequestInfo {
  let url: URL;
  try {
    url = new URL(rawUrl ?? "/", "http://localhost");
  } catch {
    url = new URL("http://localhost/");
  }
  const path = url.pathname;
  const info: RequestInfo = { isResourceRequest: false, path, verb: (method ?? "").toLowerCase(), apiPrefix: "", apiGroup: "", apiVersion: "", namespace: "", resource: "", subresource: "", name: "" };
  let parts = path.replace(/^\/+|\/+$/g, "").split("/");
  if (parts.length === 1 && parts[0] === "") parts = [];
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return info;
  info.apiPrefix = parts.shift()!;
  if (!GROUPLESS_PREFIXES.has(info.apiPrefix)) {
    if (parts.length < 3) return info; // /apis/group/version: discovery
    info.apiGroup = parts.shift()!;
  }
  info.apiVersion = parts.shift()!;
  if (SPECIAL_VERBS.has(parts[0]!)) {
    if (parts.length < 2) return info;
    info.verb = parts.shift()!;
  } else {
    info.verb = ({ POST: "create", GET: "get", HEAD: "get", PUT: "update", PATCH: "patch", DELETE: "delete" } as Record<string, string>)[method ?? ""] ?? "";
  }
  info.isResourceRequest = true;
  if (parts[0] === "namespaces") {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      // /namespaces/{name}/status and /finalize are subresources of the Namespace itself.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  info.resource = parts[0] ?? "";
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb)) info.subresource = parts[2]!;
  // A GET without a name is a list; a list with watch=true (strconv.ParseBool) is a watch.
  if (!info.name && info.verb === "get") {
    const watch = url.searchParams.getAll("watch");
    info.verb = watch.length > 0 && parseBool(watch[0]!) === true ? "watch" : "list";
  }
  if (!info.name && info.verb === "delete") info.verb = "deletecollection";
  return info;
}

/** BasicLongRunningRequestCheck with kube-apiserver's verbs and subresources. */
export function isLongRunning(info: RequestInfo): boolean {
  if (LONG_RUNNING_VERBS.has(info.verb)) return true;
  return info.isResourceRequest && LONG_RUNNING_SUBRESOURCES.has(info.subresource);
}

/** Everything but get, list and watch counts against the mutating in-flight limit. */
export function isMutating(info: RequestInfo): boolean {
  return !READ_ONLY_VERBS.has(info.verb);
}

/** The authorizer's attributes of a request (authorizer.AttributesRecord from the RequestInfo, filters/authorization.go's GetAuthorizerAttributes). */
export function authorizerAttributes(user: UserInfo, info: RequestInfo): Attributes {
  if (!info.isResourceRequest) return { user, verb: info.verb, resourceRequest: false, path: info.path };
  return { user, verb: info.verb, resourceRequest: true, apiGroup: info.apiGroup, resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name };
}
