/**
 * `kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]`
 * (staging/src/k8s.io/kubectl/pkg/cmd/create/create_ingress.go): the rules, TLS entries, default
 * backend, class and annotations built on the client as kubectl builds them, with its client-side
 * checks and messages; the API server validates the rest (`failed to create ingress: ...`).
 */
import type { KObject } from "../../../api/types.ts";
import { KubectlError } from "../../command.ts";
import { enforcedNamespace, nameFromArgs, type Generator } from "./generator.ts";

// kubectl v1.32's ruleRegex (create_ingress.go, as compiled into the v1.32.4 binary):
// `^(?P<host>[\w\*\-\.]*)(?P<path>/.*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)` followed by the
// optional `(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?`, unanchored at the end: MatchString only
// needs a prefix to match, so the TLS group never decides (`x/=s:80,tls=a=b` passes). Go's `\w` is
// ASCII [0-9A-Za-z_] as JavaScript's without the `u` flag; Go's `.` is anything but a newline.
const RULE = /^[\w*\-.]*\/[^\n]*=[\w-]+:[\w-]+/;

interface Backend {
  service: { name: string; port: { name?: string; number?: number } };
}

/**
 * parseServiceBackendPort over intstr.Parse: what strconv.Atoi takes (a decimal int64) is a number
 * port, truncated to int32 as FromInt does; anything else a port name. A zero number is omitted.
 */
function backendPort(port: string): { name?: string; number?: number } {
  if (/^[+-]?[0-9]+$/.test(port)) {
    const big = BigInt(port);
    if (big >= -(2n ** 63n) && big < 2n ** 63n) {
      const n = Number(BigInt.asIntN(32, big));
      return n === 0 ? {} : { number: n };
    }
  }
  return { name: port };
}

/** buildIngressBackendSvc: `svc:port`. */
function backendOf(service: string): Backend {
  const [name, port] = service.split(":");
  return { service: { name, port: backendPort(port) } };
}

/** buildHTTPIngressPath: a path ending in `*` is Prefix (the `*` dropped), else Exact. */
function pathOf(pathsvc: string): Record<string, unknown> {
  const [p, service] = pathsvc.split("=");
  let path = "/" + p;
  let pathType = "Exact";
  if (path.endsWith("*")) {
    pathType = "Prefix";
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backendOf(service) };
}

/** buildTLSRules: one entry per secret, each host once. */
function tlsOf(rules: string[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: { hosts?: string[]; secretName?: string }[] = [];
  for (const rule of rules) {
    const parts = rule.split(",");
    if (parts.length !== 2) continue;
    const host = rule.split("/")[0];
    const kv = parts[1].split("=");
    const secret = kv.length > 1 ? kv[1] : "";
    if (seen.has(host)) continue;
    const same = out.findIndex((t) => (t.secretName ?? "") === secret);
    seen.add(host);
    if (same > -1) {
      // Upstream appends to the entry with the same secret (Hosts may then hold "" for a rule without a host).
      out[same].hosts = [...(out[same].hosts ?? []), host];
      continue;
    }
    const entry: { hosts?: string[]; secretName?: string } = {};
    if (host !== "") entry.hosts = [host];
    if (secret !== "") entry.secretName = secret;
    if (entry.secretName || entry.hosts) out.push(entry);
  }
  return out;
}

/** buildIngressRules: one rule per host (the empty host included), paths in the order given. */
function rulesOf(rules: string[]): Record<string, unknown>[] {
  const out: { host?: string; http: { paths: Record<string, unknown>[] } }[] = [];
  for (const rule of rules) {
    const noTLS = rule.split(",")[0];
    const slash = noTLS.indexOf("/");
    const host = noTLS.slice(0, slash);
    const path = pathOf(noTLS.slice(slash + 1));
    const same = out.findIndex((r) => (r.host ?? "") === host);
    if (same > -1) {
      out[same].http.paths.push(path);
      continue;
    }
    out.push({ ...(host !== "" ? { host } : {}), http: { paths: [path] } });
  }
  return out;
}

export const ingressGenerator: Generator = {
  path: ["create", "ingress"],
  aliases: ["ing"],
  flags: [
    { long: "class", type: "string" },
    { long: "rule", type: "stringArray" },
    { long: "default-backend", type: "string" },
    { long: "annotation", type: "stringArray" },
  ],
  wrapError: "failed to create ingress",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const f = inv.flags;
    const rules = (f.rule as string[] | undefined) ?? [];
    const annotations = (f.annotation as string[] | undefined) ?? [];
    const defaultBackend = String(f["default-backend"] ?? "");
    const ingressClass = String(f.class ?? "");
    // Validate: in create_ingress.go's order.
    if (defaultBackend === "" && rules.length === 0) {
      throw new KubectlError("not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)");
    }
    for (const rule of rules) {
      if (!RULE.test(rule)) throw new KubectlError(`rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
    }
    for (const a of annotations) {
      if (!a.includes("=")) throw new KubectlError(`annotation ${a} is invalid and should be in format key=[value]`);
    }
    if (defaultBackend !== "" && defaultBackend.split(":").length !== 2) {
      throw new KubectlError("default-backend should be in format servicename:serviceport");
    }
    const annots: Record<string, string> = {};
    for (const a of annotations) {
      const eq = a.indexOf("=");
      annots[a.slice(0, eq)] = a.slice(eq + 1);
    }
    const ns = enforcedNamespace(inv);
    const tls = tlsOf(rules);
    const ingressRules = rulesOf(rules);
    const spec: Record<string, unknown> = {
      ...(ingressClass ? { ingressClassName: ingressClass } : {}),
      ...(defaultBackend ? { defaultBackend: backendOf(defaultBackend) } : {}),
      ...(tls.length ? { tls } : {}),
      ...(ingressRules.length ? { rules: ingressRules } : {}),
    };
    const obj: KObject = {
      kind: "Ingress",
      apiVersion: "networking.k8s.io/v1",
      metadata: { name, ...(ns ? { namespace: ns } : {}), ...(Object.keys(annots).length ? { annotations: annots } : {}) },
      spec,
      status: { loadBalancer: {} },
    };
    return obj;
  },
};
