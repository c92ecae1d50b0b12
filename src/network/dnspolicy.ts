/**
 * A pod's DNS configuration as the kubelet writes it into /etc/resolv.conf
 * (pkg/kubelet/network/dns/dns.go GetPodDNS / getPodDNSType):
 *
 * - `ClusterFirst` (the default): the cluster DNS Service, search `<ns>.svc.cluster.local
 *   svc.cluster.local cluster.local`, `options ndots:5`; Service names resolve, other names go
 *   upstream (only the scenario's declared external hosts exist there);
 * - `Default`, and `ClusterFirst` with `hostNetwork`: the node's own resolver configuration
 *   (the simulated node's is a kind node's: Docker's resolv.conf for its embedded DNS, `options
 *   ndots:0`, with kind's entrypoint (enable_network_magic) putting the network's gateway
 *   `nameserver 172.18.0.1` in place of 127.0.0.11; a host without search domains or options of
 *   its own), so cluster names do not resolve, external ones do;
 * - `ClusterFirstWithHostNet`: as ClusterFirst;
 * - `None`: only what `dnsConfig` gives.
 *
 * `dnsConfig` nameservers, searches and options are merged in (at most 3 nameservers, 32 search
 * domains, options by name with the pod's value winning).
 */
import type { Pod } from "../api/types.gen.ts";
import { KUBE_DNS_IP } from "../api/registry/core/service/ipallocator.ts";

export const CLUSTER_DOMAIN = "cluster.local";

/** The resolver of a simulated node (what the kubelet's --resolv-conf holds). */
export const HOST_NAMESERVER = "172.18.0.1";

export type PodDNSType = "cluster" | "host" | "none";

/** getPodDNSType. */
export function podDNSType(pod: Pod): PodDNSType {
  switch (pod.spec?.dnsPolicy ?? "ClusterFirst") {
    case "ClusterFirstWithHostNet":
      return "cluster";
    case "ClusterFirst":
      return pod.spec?.hostNetwork ? "host" : "cluster";
    case "Default":
      return "host";
    case "None":
      return "none";
    default:
      return "cluster";
  }
}

interface DNSConfig {
  nameservers: string[];
  searches: string[];
  options: Array<{ name: string; value?: string }>;
}

/** The resolver configuration of a pod (GetPodDNS with appendDNSConfig). */
export function podDNSConfig(pod: Pod): DNSConfig {
  const ns = pod.metadata.namespace ?? "default";
  let cfg: DNSConfig;
  switch (podDNSType(pod)) {
    case "cluster":
      cfg = {
        nameservers: [KUBE_DNS_IP],
        searches: [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN],
        options: [{ name: "ndots", value: "5" }],
      };
      break;
    case "host":
      cfg = { nameservers: [HOST_NAMESERVER], searches: [], options: [{ name: "ndots", value: "0" }] };
      break;
    default:
      cfg = { nameservers: [], searches: [], options: [] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    cfg.nameservers = [...new Set([...cfg.nameservers, ...(extra.nameservers ?? [])])].slice(0, 3);
    cfg.searches = [...new Set([...cfg.searches, ...(extra.searches ?? [])])].slice(0, 32);
    const opts = new Map(cfg.options.map((o) => [o.name, o]));
    // mergeDNSOptions: the pod's option replaces the one of the same name; an empty value prints the name alone.
    for (const o of extra.options ?? []) if (o?.name) opts.set(o.name, { name: o.name, ...(o.value !== undefined && o.value !== null && o.value !== "" ? { value: String(o.value) } : {}) });
    cfg.options = [...opts.values()];
  }
  return cfg;
}

/** /etc/resolv.conf as the kubelet writes it. */
export function resolvConfText(pod: Pod): string {
  const c = podDNSConfig(pod);
  let out = "";
  if (c.searches.length) out += `search ${c.searches.join(" ")}\n`;
  for (const n of c.nameservers) out += `nameserver ${n}\n`;
  if (c.options.length) out += `options ${c.options.map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name)).join(" ")}\n`;
  return out;
}
