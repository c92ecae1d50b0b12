/**
 * The Service REST storage's ClusterIP handling on create and update (ports
 * pkg/registry/core/service/storage/alloc.go: allocClusterIPs, and the immutability of
 * spec.clusterIP), run as an admission step before validation: `None` for a headless Service,
 * nothing for ExternalName, a requested address checked against the range and the allocated ones,
 * otherwise one from the allocator (./ipallocator.ts).
 */
import { ApiError } from "../../../errors.ts";
import type { AdmissionPlugin } from "../../../store.ts";
import type { KObject } from "../../../types.ts";
import { allocateClusterIP, inServiceCIDR, isIPv4, SERVICE_CIDR, usedIPs } from "./ipallocator.ts";

function invalid(svc: KObject, field: string, value: string, detail: string): ApiError {
  const msg = `Service "${svc.metadata.name}" is invalid: ${field}: Invalid value: ${value}: ${detail}`;
  return new ApiError("Invalid", msg, { kind: "Service", name: svc.metadata.name ?? "", causes: [{ field, detail: `Invalid value: ${value}: ${detail}` }] });
}

/** The Service registry's IP handling as an admission step (runs on create and update). */
export const serviceClusterIPAllocation: AdmissionPlugin = {
  name: "ServiceClusterIPAllocation",
  mutate(obj, op, old, api) {
    if (obj.kind !== "Service") return;
    const spec = (obj.spec = obj.spec ?? {});
    if (op === "UPDATE" && old) {
      // clusterIP is immutable; an update that leaves it out keeps the allocated one (as apply's patch does).
      if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
      if (!spec.clusterIPs && old.spec?.clusterIPs) spec.clusterIPs = [...old.spec.clusterIPs];
      if (!spec.ipFamilies && old.spec?.ipFamilies) spec.ipFamilies = [...old.spec.ipFamilies];
      if (!spec.ipFamilyPolicy && old.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      if (old.spec?.clusterIP && spec.clusterIP !== old.spec.clusterIP) {
        throw invalid(obj, "spec.clusterIPs[0]", JSON.stringify(spec.clusterIP), "may not change once set");
      }
      return;
    }
    if (op !== "CREATE") return;
    if ((spec.type ?? "ClusterIP") === "ExternalName") return;
    if (spec.clusterIP === "None" || spec.clusterIPs?.[0] === "None") {
      spec.clusterIP = "None";
      spec.clusterIPs = ["None"];
    } else if (spec.clusterIP || spec.clusterIPs?.[0]) {
      const ip = spec.clusterIP || spec.clusterIPs[0];
      const value = `[]string{${JSON.stringify(ip)}}`;
      if (!isIPv4(ip)) throw invalid(obj, "spec.clusterIPs[0]", JSON.stringify(ip), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
      if (!inServiceCIDR(ip)) {
        throw invalid(obj, "spec.clusterIPs", value, `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`);
      }
      if (usedIPs(api).has(ip)) throw invalid(obj, "spec.clusterIPs", value, `failed to allocate IP ${ip}: provided IP is already allocated`);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    } else {
      const ip = allocateClusterIP(api);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    }
    spec.ipFamilies = spec.ipFamilies ?? ["IPv4"];
    spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? "SingleStack";
    // SetDefaults_Service (kept here when the defaulting plugin has not set them already).
    spec.type = spec.type ?? "ClusterIP";
    spec.sessionAffinity = spec.sessionAffinity ?? "None";
    spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? "Cluster";
    for (const p of spec.ports ?? []) {
      p.protocol = p.protocol ?? "TCP";
      if (p.targetPort === undefined) p.targetPort = p.port;
    }
  },
};
