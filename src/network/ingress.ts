/**
 * The ingress controller's data path, as ingress-nginx (kubernetes/ingress-nginx, the controller
 * minikube's `ingress` addon and kind's ingress guide install) routes a request: it listens on
 * each node's ports 80 and 443 (hostPort), picks among the Ingresses of its class — `nginx`, and
 * Ingresses without a class, as the addon's default IngressClass gets them — the rule whose host
 * matches the request's Host (exact, or a `*.` wildcard of one label; no host matches any), then
 * the path as the Ingress concept page's table says (Exact, Prefix by `/`-separated elements,
 * ImplementationSpecific as Prefix; the longest path wins, Exact before Prefix on a tie), and
 * proxies to one ready endpoint of the backend Service. Answers of its own: 404 (no rule, nginx's
 * default backend) and 503 (a backend Service without endpoints).
 * `nginx.ingress.kubernetes.io/rewrite-target` replaces the path sent upstream.
 */
import type { KObject } from "../api/types.ts";
import type { IngressBackend as APIIngressBackend } from "../api/types.gen.ts";

export const INGRESS_CLASS = "nginx";
export const INGRESS_CONTROLLER = "k8s.io/ingress-nginx";
export const REWRITE_TARGET = "nginx.ingress.kubernetes.io/rewrite-target";

/** What ingress-nginx answers itself (its built-in pages, nginx/1.25 as controller v1.11 ships). */
export function nginxPage(status: 404 | 502 | 503 | 504): string {
  const title = status === 404 ? "404 Not Found" : status === 502 ? "502 Bad Gateway" : status === 504 ? "504 Gateway Time-out" : "503 Service Temporarily Unavailable";
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** Whether an Ingress is this controller's: its class, or no class (the addon's class is the default). */
export function handledBy(ing: KObject): boolean {
  const cls = ing.spec?.ingressClassName ?? ing.metadata.annotations?.["kubernetes.io/ingress.class"];
  return cls === undefined || cls === INGRESS_CLASS;
}

export interface IngressBackend {
  ingress: KObject;
  service: string;
  port: { number?: number; name?: string };
  /** The path to send upstream (after rewrite-target). */
  path: string;
}

/** Host matching (networking/v1 IngressRule.host): exact, or `*.foo.com` for one more label. */
export function hostMatches(ruleHost: string | undefined, host: string): boolean {
  if (!ruleHost) return true;
  const h = host.toLowerCase();
  if (ruleHost.startsWith("*.")) {
    const suffix = ruleHost.slice(1);
    if (!h.endsWith(suffix)) return false;
    const label = h.slice(0, h.length - suffix.length);
    return label.length > 0 && !label.includes(".");
  }
  return ruleHost.toLowerCase() === h;
}

/** Path matching (the concept page's "Examples" table): the match's length, or -1. */
export function pathMatch(pathType: string | undefined, rulePath: string | undefined, path: string): number {
  const p = rulePath || "/";
  if (pathType === "Exact") return path === p ? p.length : -1;
  // Prefix (and ImplementationSpecific, which ingress-nginx treats as a prefix): element-wise.
  if (p === "/") return 1;
  const want = p.replace(/\/+$/, "").split("/");
  const got = path.split("/");
  if (got.length < want.length) return -1;
  for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) return -1;
  return p.replace(/\/+$/, "").length;
}

/**
 * The backend a request goes to, or undefined (404). Rules with a host come before rules without
 * one; within the chosen host, the longest matching path (Exact first on a tie); `defaultBackend`
 * when nothing matches. `handles`: which Ingresses the controller takes (the built-in add-on's
 * `handledBy` by default; the installed controller passes its own class check).
 */
export function routeIngress(ingresses: KObject[], host: string, path: string, handles: (ing: KObject) => boolean = handledBy): IngressBackend | undefined {
  const mine = ingresses.filter(handles).sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  const pathOnly = path.split("?")[0] || "/";
  let best: { len: number; exact: boolean; specificHost: boolean; ing: KObject; backend: APIIngressBackend; rulePath: string } | undefined;
  for (const ing of mine) {
    for (const rule of ing.spec?.rules ?? []) {
      if (!hostMatches(rule.host, host)) continue;
      const specificHost = Boolean(rule.host);
      for (const p of rule.http?.paths ?? []) {
        const len = pathMatch(p.pathType, p.path, pathOnly);
        if (len < 0) continue;
        const exact = p.pathType === "Exact";
        const better =
          !best ||
          (specificHost && !best.specificHost) ||
          (specificHost === best.specificHost && (len > best.len || (len === best.len && exact && !best.exact)));
        if (better) best = { len, exact, specificHost, ing, backend: p.backend, rulePath: p.path || "/" };
      }
    }
  }
  if (best?.backend?.service) {
    const rewrite = best.ing.metadata.annotations?.[REWRITE_TARGET];
    let upstream = path;
    if (rewrite !== undefined) {
      // ingress-nginx: `rewrite ^<path>(.*) <target>` — capture groups in the path make $1 etc. usable.
      try {
        const re = new RegExp(`^${best.rulePath}`);
        upstream = path.replace(re, rewrite).replace(/\/\/+/g, "/") || "/";
      } catch {
        upstream = rewrite || "/";
      }
    }
    return { ingress: best.ing, service: best.backend.service.name, port: best.backend.service.port ?? {}, path: upstream };
  }
  if (best) return undefined;
  for (const ing of mine) {
    const d = ing.spec?.defaultBackend?.service;
    if (d) return { ingress: ing, service: d.name, port: d.port ?? {}, path };
  }
  return undefined;
}

/**
 * Whether a host names a server of the controller (a rule's host of one of its Ingresses): ingress-nginx
 * makes one nginx `server` per host (internal/ingress/controller/controller.go createServers); a
 * request for any other host goes to the catch-all server `_`.
 */
export function hasServerFor(ingresses: KObject[], host: string, handles: (ing: KObject) => boolean = handledBy): boolean {
  for (const ing of ingresses) {
    if (!handles(ing)) continue;
    for (const r of ing.spec?.rules ?? []) if (r.host && hostMatches(r.host, host)) return true;
  }
  return false;
}

/** ingress-nginx's upstream name for a backend (controller/util.go upstreamName): `<namespace>-<service>-<port number or name>`. */
export function upstreamName(namespace: string, backend: { service: string; port: { number?: number; name?: string } }): string {
  if (backend.port.number) return `${namespace}-${backend.service}-${backend.port.number}`;
  if (backend.port.name) return `${namespace}-${backend.service}-${backend.port.name}`;
  return `${namespace}-INVALID`;
}
