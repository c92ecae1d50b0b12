/**
 * The API server's authorization filter (k8s.io/apiserver/pkg/endpoints/filters/authorization.go,
 * WithAuthorization) for one requester: the store as that user reaches it. Every read and write
 * is first authorized with the request's attributes (verb, API group, resource, subresource,
 * namespace, name, as pkg/endpoints/request/requestinfo.go derives them: a named read is `get`, an
 * unnamed one `list`, a watch `watch`, a merge of a change `patch`) and refused with upstream's 403
 * otherwise; writes of Roles, ClusterRoles and their bindings also go through escalation prevention
 * (rbac.ts, checkRBACWrite). Anything else the store offers passes through.
 *
 * Used for impersonated kubectl requests (`--as`) and the facade's service-account tokens; the
 * scenario's admin reaches the store directly, at no cost (its requests would all be allowed).
 */
import type { ApiServer, DeleteOptions, ListOptions, WriteOptions } from "../store.ts";
import type { KObject } from "../types.ts";
import type { PolicyRule, RoleRef } from "../types.gen.ts";
import { checkAuthorized, checkRBACWrite, storeReader, type Attributes, type RBACReader } from "./rbac.ts";
import type { UserInfo } from "./user.ts";
import { asRequester } from "./requester.ts";

const RBAC_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

/** The attributes of a request on a storage key. */
export function requestAttributes(api: ApiServer, user: UserInfo, verb: string, kind: string, namespace: string | undefined, name: string, subresource = ""): Attributes {
  const r = api.resource(kind);
  return { user, verb, resourceRequest: true, apiGroup: r.group, resource: r.plural, subresource, namespace: r.namespaced ? namespace ?? "" : "", name };
}

type RBACObject = { kind: string; metadata: { name?: string; namespace?: string }; rules?: PolicyRule[]; roleRef?: RoleRef; aggregationRule?: unknown };

/** The store behind each filtered one. */
const SERVERS = new WeakMap<object, ApiServer>();

/** The store itself, whether `api` is it or the store through the filter (the review registries authorize with it). */
export function serverOf(api: ApiServer): ApiServer {
  return SERVERS.get(api) ?? api;
}

/** The store as `user` reaches it through the authorization filter. */
export function authorizedApi(api: ApiServer, user: UserInfo): ApiServer {
  return filtered(api, user, true);
}

/**
 * The store behind a request the authorization filter has already allowed (a REST request is
 * authorized once, on its own attributes: a PATCH as `patch`, a pods/eviction as `create` of the
 * subresource, whatever the handler then reads and writes): only the RBAC registries' escalation
 * prevention stays, as it is the storage's (pkg/registry/rbac/*\/policybased).
 */
export function escalationCheckedApi(api: ApiServer, user: UserInfo): ApiServer {
  return filtered(api, user, false);
}

function filtered(api: ApiServer, user: UserInfo, authorize: boolean): ApiServer {
  const reader: RBACReader = storeReader(api);
  const check = (verb: string, kind: string, namespace: string | undefined, name: string, subresource = "") => {
    if (authorize) checkAuthorized(reader, requestAttributes(api, user, verb, kind, namespace, name, subresource));
  };
  const kindOf = (obj: KObject) => api.keyOf(obj);
  const guarded: Partial<ApiServer> = {
    get(kind: string, namespace: string | undefined, name: string) {
      check("get", kind, namespace, name);
      return api.get(kind, namespace, name);
    },
    getOrThrow(kind: string, namespace: string | undefined, name: string) {
      check("get", kind, namespace, name);
      return api.getOrThrow(kind, namespace, name);
    },
    list(kind: string, opts: ListOptions = {}) {
      check("list", kind, opts.namespace, "");
      return api.list(kind, opts);
    },
    listAt(kind: string, rv: number, opts: ListOptions = {}) {
      check("list", kind, opts.namespace, "");
      return api.listAt(kind, rv, opts);
    },
    podsOnNode(nodeName: string) {
      check("list", "Pod", undefined, "");
      return api.podsOnNode(nodeName);
    },
    create(input: KObject, opts: WriteOptions = {}) {
      const kind = kindOf(input);
      check("create", kind, input.metadata?.namespace, "");
      if (RBAC_KINDS.has(kind)) checkRBACWrite(reader, user, { ...(input as unknown as RBACObject), kind, metadata: { ...input.metadata, namespace: input.metadata?.namespace || "default" } });
      // The registry records who asked (a CertificateSigningRequest's spec.username), admission sees them (request.userInfo).
      return asRequester(user, () => api.create(input, opts));
    },
    update(input: KObject, opts: WriteOptions = {}) {
      const kind = kindOf(input);
      check("update", kind, input.metadata?.namespace, input.metadata?.name ?? "", opts.subresource ?? "");
      if (RBAC_KINDS.has(kind)) checkRBACWrite(reader, user, { ...(input as unknown as RBACObject), kind });
      return asRequester(user, () => api.update(input, opts));
    },
    mutate(kind: string, namespace: string | undefined, name: string, fn: (obj: KObject) => void, opts: WriteOptions = {}) {
      check("patch", kind, namespace, name, opts.subresource ?? "");
      const rbac = RBAC_KINDS.has(kind);
      return asRequester(user, () =>
        api.mutate(
          kind,
          namespace,
          name,
          (obj) => {
            fn(obj);
            if (rbac) checkRBACWrite(reader, user, { ...(obj as unknown as RBACObject), kind });
          },
          opts,
        ),
      );
    },
    delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}) {
      check("delete", kind, namespace, name);
      return asRequester(user, () => api.delete(kind, namespace, name, opts));
    },
    bind(namespace: string, name: string, nodeName: string) {
      check("create", "Pod", namespace, name, "binding");
      return asRequester(user, () => api.bind(namespace, name, nodeName));
    },
    watch(kind: string, handler, opts = {}) {
      if (kind !== "*") check("watch", kind, opts.namespace, "");
      return api.watch(kind, handler, opts);
    },
  };
  const proxy = new Proxy(api, {
    get(target, prop, receiver) {
      if (Object.prototype.hasOwnProperty.call(guarded, prop)) return guarded[prop as keyof ApiServer];
      const v = Reflect.get(target, prop, receiver === undefined ? target : target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  SERVERS.set(proxy, api);
  return proxy;
}
