/**
 * `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`
 * (staging/src/k8s.io/kubectl/pkg/cmd/create/create_service.go): `--tcp=port[:targetPort]`
 * ports named `port-targetPort`, label and selector `app=NAME`, `--clusterip=None` for a headless
 * Service, `--node-port` for a NodePort one.
 */
import { IsDNS1123Subdomain, IsValidPortName, IsValidPortNum } from "../../../api/validation/names.ts";
import { KubectlError } from "../../command.ts";
import { enforcedNamespace, nameFromArgs, type Generator } from "./generator.ts";

type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";

/** utilsnet.ParsePort(port, allowZero) through strconv.ParseUint(port, 10, 16). */
function parsePort(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new KubectlError(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (n > 65535) throw new KubectlError(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

/** parsePorts: `port` or `port:targetPort`, the target a number or a port name. */
export function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(":");
  const port = parsePort(parts[0]);
  if (parts.length === 1) return { port, targetPort: port };
  const target = parts[1];
  if (!/^[+-]?[0-9]+$/.test(target)) {
    const errs = IsValidPortName(target);
    if (errs.length) throw new KubectlError(errs.join(","));
    return { port, targetPort: target };
  }
  const n = Number(target);
  const errs = IsValidPortNum(n);
  if (errs.length) throw new KubectlError(errs.join(","));
  return { port, targetPort: n };
}

function serviceGenerator(sub: string, type: ServiceType): Generator {
  const flags: Generator["flags"] = [];
  if (type !== "ExternalName") flags.push({ long: "tcp", type: "stringSlice" }, { long: "clusterip", type: "string" });
  if (type === "NodePort") flags.push({ long: "node-port", type: "int" });
  if (type === "ExternalName") flags.push({ long: "external-name", type: "string" });
  return {
    path: ["create", "service", sub],
    altPaths: [["create", "svc", sub]],
    flags,
    wrapError: `failed to create ${type} service`,
    build(inv, path) {
      const name = nameFromArgs(inv, path);
      const tcp: string[] = inv.flags.tcp ?? [];
      const clusterIP = String(inv.flags.clusterip ?? "");
      if (type !== "ExternalName" && tcp.length === 0 && clusterIP !== "None") throw new KubectlError("at least one tcp port specifier must be provided");
      if (type === "ExternalName") {
        const external = String(inv.flags["external-name"] ?? "");
        if (!external) throw new KubectlError("external name must be specified");
        if (IsDNS1123Subdomain(external).length) throw new KubectlError(`invalid service external name ${external}`);
      }
      if (clusterIP === "None" && type !== "ClusterIP") throw new KubectlError("ClusterIP=None can only be used with ClusterIP service type");
      const ports = tcp.map((spec) => {
        const { port, targetPort } = parsePorts(spec);
        return {
          name: spec.replace(/:/g, "-"),
          protocol: "TCP",
          port,
          targetPort,
          ...(type === "NodePort" && inv.flags["node-port"] ? { nodePort: inv.flags["node-port"] } : {}),
        };
      });
      const labels = { app: name };
      const ns = enforcedNamespace(inv);
      return {
        kind: "Service",
        apiVersion: "v1",
        metadata: { name, ...(ns ? { namespace: ns } : {}), labels },
        spec: {
          ...(ports.length ? { ports } : {}),
          selector: labels,
          ...(clusterIP ? { clusterIP } : {}),
          type,
          ...(type === "ExternalName" ? { externalName: inv.flags["external-name"] } : {}),
        },
        status: { loadBalancer: {} },
      };
    },
  };
}

export const SERVICE_GENERATORS: Generator[] = [
  serviceGenerator("clusterip", "ClusterIP"),
  serviceGenerator("nodeport", "NodePort"),
  serviceGenerator("loadbalancer", "LoadBalancer"),
  serviceGenerator("externalname", "ExternalName"),
];
