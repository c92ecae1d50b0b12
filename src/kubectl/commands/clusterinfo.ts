/**
 * `kubectl cluster-info` (staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo.go): the
 * control plane's address (the current context's server), then every Service labelled
 * `kubernetes.io/cluster-service=true` in kube-system (or the namespace `-n` names: only the flag,
 * not the context's namespace), each as `<kubernetes.io/name label, else the name> is running at
 * <link>`. A Service with a load balancer ingress links `http://<ip>:<port> ` per port; otherwise
 * the API server's proxy path `…/api/v1/namespaces/<ns>/services/<scheme:name:port-name>/proxy`
 * (utilnet.JoinSchemeNamePort: `https` when the first port is named https or is 443). kubectl colours
 * the names and links only on a terminal; a captured run prints plain text, as here.
 * `cluster-info dump` is not simulated.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import type { KObject } from "../../api/types.ts";

const CLUSTER_SERVICE = "kubernetes.io/cluster-service";

/** The server of the kubeconfig context the command uses (`--context`, else the current one). */
export function contextServer(inv: Invocation): string {
  const k = inv.ctx.kubeconfig;
  const name = String(inv.flags.context ?? "") || k.currentContext;
  const context = k.contexts.get(name);
  const cluster = context ? k.clusters.get(context.cluster) : undefined;
  if (!cluster?.server) throw new KubectlError("invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable");
  return cluster.server;
}

/** utilnet.JoinSchemeNamePort: `name`, `scheme:name`, `name:port` or `scheme:name:port`. */
function joinSchemeNamePort(scheme: string, name: string, port: string): string {
  if (scheme !== "") return `${scheme}:${name}:${port}`;
  return port !== "" ? `${name}:${port}` : name;
}

export function serviceLink(host: string, svc: KObject): string {
  const spec = (svc.spec ?? {}) as { ports?: Array<{ name?: string; port?: number }> };
  const status = (svc.status ?? {}) as { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
  const ingress = status.loadBalancer?.ingress ?? [];
  const ports = spec.ports ?? [];
  if (ingress.length > 0) {
    const ip = ingress[0]!.ip || ingress[0]!.hostname || "";
    return ports.map((p) => `http://${ip}:${p.port ?? 0} `).join("");
  }
  let name = svc.metadata.name ?? "";
  if (ports.length > 0) {
    const port = ports[0]!;
    const scheme = port.name === "https" || port.port === 443 ? "https" : "";
    name = joinSchemeNamePort(scheme, name, port.name ?? "");
  }
  return `${host}/api/v1/namespaces/${svc.metadata.namespace ?? ""}/services/${name}/proxy`;
}

export const clusterInfoCommand: CommandDef = {
  path: ["cluster-info"],
  flags: [],
  run(inv) {
    if (inv.args.length > 0) throw new KubectlError(`unknown command "${inv.args[0]}" for "kubectl cluster-info"`);
    const host = contextServer(inv);
    const namespace = String(inv.flags.namespace ?? "") || "kube-system";
    const services = inv.ctx.api.list("Service", { namespace, labelSelector: (l) => l[CLUSTER_SERVICE] === "true" });
    inv.out(`Kubernetes control plane is running at ${host}`);
    for (const svc of services) inv.out(`${svc.metadata.labels?.["kubernetes.io/name"] || svc.metadata.name} is running at ${serviceLink(host, svc)}`);
    inv.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.");
    return 0;
  },
};
