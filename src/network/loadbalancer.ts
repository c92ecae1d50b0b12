/**
 * A LoadBalancer Service's external address on the node network, as kube-proxy and a layer-2
 * load-balancer implementation (MetalLB's speakers, src/images/programs/metallb.ts) make it work:
 * - kube-proxy programs every address of `status.loadBalancer.ingress` whose `ipMode` is `VIP` (the
 *   default) on every node: a connection from a pod or a node to it goes to the Service's endpoints
 *   at once, whichever its externalTrafficPolicy (kube-proxy sends in-cluster traffic for a Local
 *   Service's external address to all its endpoints); `ipMode: Proxy` leaves it to the load balancer;
 * - from outside the nodes (the traffic steps' client on the node network, as a kind host's curl),
 *   the packet reaches the node whose speaker answers ARP for the address: the one its
 *   ServiceL2Status names (`metallb.io/v1beta1`, status.node), the API record MetalLB keeps of the
 *   node announcing a Service. No node announces it: no ARP answer, the connection times out.
 *   There, externalTrafficPolicy Local keeps the node's own endpoints.
 */
import type { ClusterContext } from "../context.ts";
import type { KObject } from "../api/types.ts";
import { ApiError } from "../api/errors.ts";

/** MetalLB's record of the node announcing a Service in layer 2 (servicel2statuses.metallb.io). */
const L2_STATUSES = "servicel2statuses.metallb.io";

/** The Service whose load-balancer address (as kube-proxy programs it, ipMode VIP) is `ip`. */
export function serviceByLoadBalancerIP(ctx: ClusterContext, ip: string): KObject | undefined {
  for (const s of ctx.api.list("Service")) {
    if (s.spec?.type !== "LoadBalancer") continue;
    for (const ing of s.status?.loadBalancer?.ingress ?? []) {
      if (ing.ip === ip && (ing.ipMode ?? "VIP") === "VIP") return s;
    }
  }
  return undefined;
}

/** The node that answers ARP for the Service's address (its layer-2 announcement), if any. */
export function announcingNode(ctx: ClusterContext, svc: KObject): string | undefined {
  let statuses: KObject[];
  try {
    statuses = ctx.api.list(L2_STATUSES);
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
  for (const st of statuses) {
    const s = st.status ?? {};
    if (s.serviceName === svc.metadata.name && s.serviceNamespace === svc.metadata.namespace && s.node && ctx.api.get("Node", undefined, s.node)) return s.node;
  }
  return undefined;
}
