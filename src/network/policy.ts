/**
 * NetworkPolicy enforcement as a policy-enforcing CNI gives it (the semantics of
 * k8s.io/api/networking/v1 types.go, as sigs.k8s.io/kube-network-policies pkg/networkpolicy
 * evaluates them; Calico and Cilium agree on these):
 *
 * - A pod is isolated for ingress (egress) when some policy of its namespace selects it by
 *   `podSelector` and lists `Ingress` (`Egress`) in `policyTypes`; an isolated pod accepts
 *   (sends) only what one of those policies' rules allows, the union of them. A pod no policy
 *   selects is not isolated.
 * - A rule with no `from`/`to` allows every peer; with peers, one must match: `podSelector`
 *   (pods of the policy's namespace), `namespaceSelector` (every pod of the namespaces it
 *   selects), both (those pods of those namespaces), or `ipBlock` (`cidr` minus `except`, against
 *   the peer's IP). A rule with no `ports` allows every port; else one must match: its protocol
 *   (TCP by default), its `port` — a number, or a name resolved against the destination pod's
 *   container ports — and `endPort`.
 * - Both ends decide: the source pod's egress and the destination pod's ingress. Traffic to a
 *   Service is judged after kube-proxy chose the endpoint: the pod and its target port.
 * - Traffic from a node (kubelet probes, a node's shell) and hostNetwork pods is not subject to
 *   pod policies (as in Kubernetes: probes are not blocked); as a peer it matches only `ipBlock`.
 * - DNS: an egress-isolated pod resolves names only when a rule lets it reach the cluster DNS
 *   (the kube-dns pods: namespace kube-system, label `k8s-app: kube-dns`, port 53).
 *
 * A dropped connection is silently discarded: the client sees a connect timeout.
 */
import type { ClusterContext } from "../context.ts";
import type { NetworkPolicy, NetworkPolicySpec, Pod } from "../api/types.gen.ts";
import { labelSelectorMatches, type LabelSelector } from "../api/labels.ts";
import { podIP } from "./podutil.ts";
import { KUBE_DNS_IP } from "../api/registry/core/service/ipallocator.ts";

/** One end of a connection: a pod (with its namespace's labels), or an address outside the pods. */
export interface Peer {
  ip: string;
  pod?: Pod;
  /** The pod's namespace's labels. */
  namespaceLabels?: Record<string, string>;
}

interface PolicyPeer {
  podSelector?: LabelSelector | null;
  namespaceSelector?: LabelSelector | null;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface Rule {
  peers?: PolicyPeer[];
  ports?: PolicyPort[];
}

/** An IPv4 address as a number (undefined for anything else). */
function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** Whether an IPv4 address lies in a CIDR (`10.0.0.0/16`); IPv6 CIDRs match no IPv4 address. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const a = ipv4(ip);
  const b = ipv4(base ?? "");
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** The kube-dns pods as a peer (CoreDNS in kube-system, reached at the kube-dns Service). */
const DNS_PEER: Peer = {
  ip: KUBE_DNS_IP,
  pod: { apiVersion: "v1", kind: "Pod", metadata: { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }, spec: { containers: [{ name: "coredns", ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }, { name: "dns-tcp", containerPort: 53, protocol: "TCP" }] }] } },
  namespaceLabels: { "kubernetes.io/metadata.name": "kube-system" },
};

export class NetworkPolicies {
  private cache: { seen: number; byNamespace: Map<string, NetworkPolicy[]> } | undefined;

  constructor(private readonly ctx: ClusterContext) {
    ctx.api.watch("NetworkPolicy", () => (this.cache = undefined));
  }

  private policies(namespace: string): NetworkPolicy[] {
    const count = this.ctx.api.count("NetworkPolicy");
    if (!this.cache || this.cache.seen !== count) {
      const byNamespace = new Map<string, NetworkPolicy[]>();
      for (const p of this.ctx.api.list("NetworkPolicy")) {
        const ns = p.metadata.namespace ?? "default";
        byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), p]);
      }
      this.cache = { seen: count, byNamespace };
    }
    return this.cache.byNamespace.get(namespace) ?? [];
  }

  /** Whether any policy exists (the fast path: without one nothing is isolated). */
  any(): boolean {
    return this.ctx.api.count("NetworkPolicy") > 0;
  }

  /** A pod as a peer, with its namespace's labels. */
  peerOf(pod: Pod): Peer {
    const name = pod.metadata.namespace ?? "default";
    const ns = this.ctx.api.get("Namespace", undefined, name);
    // A namespace always carries its name label (the add-ons' namespaces, not stored here, too).
    return { ip: podIP(pod) ?? "", pod, namespaceLabels: ns?.metadata.labels ?? { "kubernetes.io/metadata.name": name } };
  }

  /** Whether a connection from `src` to `dst` on `port`/`protocol` gets through both ends' policies. */
  allowed(src: Peer | undefined, dst: Peer, port: number, protocol = "TCP"): boolean {
    if (!this.any()) return true;
    if (src?.pod && !src.pod.spec?.hostNetwork && !this.allowedBy(src.pod, "Egress", dst, port, protocol, dst)) return false;
    if (dst.pod && !dst.pod.spec?.hostNetwork && !this.allowedBy(dst.pod, "Ingress", src ?? { ip: "" }, port, protocol, dst)) return false;
    return true;
  }

  /** Whether the pod may reach the cluster DNS (name resolution under egress isolation). */
  dnsAllowed(pod: Pod): boolean {
    if (!this.any() || pod.spec?.hostNetwork) return true;
    return this.allowedBy(pod, "Egress", DNS_PEER, 53, "UDP", DNS_PEER) || this.allowedBy(pod, "Egress", DNS_PEER, 53, "TCP", DNS_PEER);
  }

  /**
   * The selecting policies of one direction allow the peer: true when none selects the pod
   * (not isolated), else when one of their rules matches the peer and the port.
   */
  private allowedBy(pod: Pod, direction: "Ingress" | "Egress", peer: Peer, port: number, protocol: string, dst: Peer): boolean {
    const ns = pod.metadata.namespace ?? "default";
    let isolated = false;
    for (const p of this.policies(ns)) {
      const spec: Partial<NetworkPolicySpec> = p.spec ?? {};
      const types: string[] = spec.policyTypes ?? (spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
      if (!types.includes(direction)) continue;
      if (!labelSelectorMatches(spec.podSelector ?? {}, pod.metadata.labels ?? {})) continue;
      isolated = true;
      const rules: Rule[] = ((direction === "Ingress" ? spec.ingress : spec.egress) ?? []).map((r: { from?: PolicyPeer[]; to?: PolicyPeer[]; ports?: PolicyPort[] }) => ({
        peers: direction === "Ingress" ? r.from : r.to,
        ports: r.ports,
      }));
      for (const r of rules) {
        if (this.peersMatch(r.peers, ns, peer) && portsMatch(r.ports, port, protocol, dst.pod)) return true;
      }
    }
    return !isolated;
  }

  private peersMatch(peers: PolicyPeer[] | undefined, policyNamespace: string, peer: Peer): boolean {
    if (!peers || peers.length === 0) return true;
    return peers.some((p) => this.peerMatches(p, policyNamespace, peer));
  }

  private peerMatches(p: PolicyPeer, policyNamespace: string, peer: Peer): boolean {
    if (p.ipBlock) {
      if (!peer.ip || !cidrContains(p.ipBlock.cidr, peer.ip)) return false;
      return !(p.ipBlock.except ?? []).some((e) => cidrContains(e, peer.ip));
    }
    // Selectors match pods only (not nodes nor hostNetwork pods).
    if (!peer.pod || peer.pod.spec?.hostNetwork) return false;
    const podNs = peer.pod.metadata.namespace ?? "default";
    const podLabels = peer.pod.metadata.labels ?? {};
    if (p.namespaceSelector !== undefined && p.namespaceSelector !== null) {
      if (!labelSelectorMatches(p.namespaceSelector, peer.namespaceLabels ?? {})) return false;
      return p.podSelector === undefined || p.podSelector === null || labelSelectorMatches(p.podSelector, podLabels);
    }
    if (p.podSelector !== undefined && p.podSelector !== null) return podNs === policyNamespace && labelSelectorMatches(p.podSelector, podLabels);
    return false;
  }
}

/** A rule's ports: none means all; a named port is the destination pod's container port of that name. */
function portsMatch(ports: PolicyPort[] | undefined, port: number, protocol: string, dstPod: Pod | undefined): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined || p.port === null) return true;
    if (typeof p.port === "number") return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    const named = namedPort(dstPod, p.port, protocol);
    return named !== undefined && named === port;
  });
}

function namedPort(pod: Pod | undefined, name: string, protocol: string): number | undefined {
  for (const c of [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.name === name && (p.protocol ?? "TCP") === protocol) return p.containerPort;
  }
  return undefined;
}
