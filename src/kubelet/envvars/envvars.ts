/**
 * Service environment variables (pkg/kubelet/envvars/envvars.go FromServices): for each Service
 * with a cluster IP, `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT` (the first port),
 * `<NAME>_SERVICE_PORT_<PORTNAME>` for each named port, and the Docker-link variables
 * `<NAME>_PORT` (the first port) and `<NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`.
 */
import type { Service, ServiceSpec } from "../../api/types.gen.ts";

export type EnvVar = readonly [name: string, value: string];

/** A Service with a cluster IP. */
type ServiceWithIP = Service & { spec: ServiceSpec & { clusterIP: string } };

/** IsServiceIPSet: a cluster IP that is neither empty nor `None`. */
export function isServiceIPSet(svc: Service): svc is ServiceWithIP {
  const ip = svc.spec?.clusterIP;
  return typeof ip === "string" && ip !== "" && ip !== "None";
}

/** makeEnvVariableName: upper case with `-` as `_` (Service and port names are DNS labels). */
export function makeEnvVariableName(s: string): string {
  return s.replace(/-/g, "_").toUpperCase();
}

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

function makeLinkVariables(svc: ServiceWithIP): EnvVar[] {
  const prefix = makeEnvVariableName(svc.metadata.name!);
  const ip: string = svc.spec.clusterIP;
  const out: EnvVar[] = [];
  const ports: ServicePort[] = svc.spec?.ports ?? [];
  ports.forEach((sp, i) => {
    const protocol = sp.protocol || "TCP";
    const url = `${protocol.toLowerCase()}://${ip}:${sp.port}`;
    // Docker special-cases the first port.
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, protocol.toLowerCase()], [`${portPrefix}_PORT`, String(sp.port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/** FromServices: the variables for these Services, in their order. */
export function fromServices(services: readonly Service[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const ports: ServicePort[] = svc.spec?.ports ?? [];
    if (!ports.length) continue; // validation requires a port for a Service with a cluster IP
    const host = `${makeEnvVariableName(svc.metadata.name!)}_SERVICE_HOST`;
    out.push([host, svc.spec.clusterIP]);
    const name = `${makeEnvVariableName(svc.metadata.name!)}_SERVICE_PORT`;
    out.push([name, String(ports[0]!.port)]);
    // All named ports (only the first may be unnamed, checked in validation).
    for (const sp of ports) if (sp.name) out.push([`${name}_${makeEnvVariableName(sp.name)}`, String(sp.port)]);
    out.push(...makeLinkVariables(svc));
  }
  return out;
}
