/**
 * A container's environment (kubelet_pods.go makeEnvironmentVariables): service links of the
 * namespace's Services (FOO_SERVICE_HOST ...), envFrom, env with `$(VAR)` expansion and valueFrom
 * (fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef). A missing source is the error text
 * of CreateContainerConfigError (`configmap "x" not found`).
 */
import type { ClusterContext } from "../context.ts";
import type { KObject } from "../api/types.ts";
import { fieldRefValue, resourceFieldValue } from "./volumemanager/volumes.ts";

export type EnvResult = { ok: true; env: Record<string, string> } | { ok: false; message: string };

/** `$(VAR)` expansion as expansion.Expand: `$$` escapes, unknown references stay as written. */
export function expandEnv(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name) => {
    if (m === "$$") return "$";
    return name in env ? env[name]! : m;
  });
}

function serviceEnv(ctx: ClusterContext, pod: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (svc: KObject) => {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === "None") return;
    const n = svc.metadata.name!.toUpperCase().replace(/-/g, "_");
    const ports: any[] = svc.spec?.ports ?? [];
    if (!ports.length) return;
    out[`${n}_SERVICE_HOST`] = ip;
    out[`${n}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) out[`${n}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, "_")}`] = String(p.port);
    const first = ports[0];
    out[`${n}_PORT`] = `${(first.protocol ?? "TCP").toLowerCase()}://${ip}:${first.port}`;
    for (const p of ports) {
      const proto = (p.protocol ?? "TCP").toUpperCase();
      const base = `${n}_PORT_${p.port}_${proto}`;
      out[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
      out[`${base}_PROTO`] = proto.toLowerCase();
      out[`${base}_PORT`] = String(p.port);
      out[`${base}_ADDR`] = ip;
    }
  };
  const kube = ctx.api.get("Service", "default", "kubernetes");
  if (kube) add(kube);
  else {
    Object.assign(out, {
      KUBERNETES_SERVICE_HOST: "10.96.0.1",
      KUBERNETES_SERVICE_PORT: "443",
      KUBERNETES_SERVICE_PORT_HTTPS: "443",
      KUBERNETES_PORT: "tcp://10.96.0.1:443",
      KUBERNETES_PORT_443_TCP: "tcp://10.96.0.1:443",
      KUBERNETES_PORT_443_TCP_PROTO: "tcp",
      KUBERNETES_PORT_443_TCP_PORT: "443",
      KUBERNETES_PORT_443_TCP_ADDR: "10.96.0.1",
    });
  }
  if (pod.spec?.enableServiceLinks !== false) {
    for (const svc of ctx.api.list("Service", { namespace: pod.metadata.namespace })) if (svc.metadata.name !== "kubernetes") add(svc);
  }
  return out;
}

export function makeEnvironmentVariables(ctx: ClusterContext, pod: KObject, container: any, nodeAllocatable: Record<string, string>): EnvResult {
  const env: Record<string, string> = {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOSTNAME: pod.spec?.hostname ?? pod.metadata.name!,
    ...serviceEnv(ctx, pod),
  };
  const ns = pod.metadata.namespace;
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? "ConfigMap" : "Secret";
    const obj = ctx.api.get(kind, ns, ref?.name);
    if (!obj) {
      if (ref?.optional) continue;
      return { ok: false, message: `${kind === "ConfigMap" ? "configmap" : "secret"} ${JSON.stringify(ref?.name)} not found` };
    }
    for (const [k, v] of Object.entries((obj as any).data ?? {})) {
      env[`${from.prefix ?? ""}${k}`] = kind === "Secret" ? Buffer.from(String(v), "base64").toString("utf8") : String(v);
    }
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom) {
      const vf = e.valueFrom;
      if (vf.fieldRef) env[e.name] = fieldRefValue(pod, vf.fieldRef.fieldPath) ?? "";
      else if (vf.resourceFieldRef) env[e.name] = resourceFieldValue(pod, container.name, vf.resourceFieldRef, nodeAllocatable);
      else if (vf.configMapKeyRef || vf.secretKeyRef) {
        const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
        const kind = vf.configMapKeyRef ? "ConfigMap" : "Secret";
        const word = kind === "ConfigMap" ? "configmap" : "secret";
        const obj = ctx.api.get(kind, ns, ref.name);
        if (!obj) {
          if (ref.optional) continue;
          return { ok: false, message: `${word} ${JSON.stringify(ref.name)} not found` };
        }
        const data = (obj as any).data ?? {};
        if (!(ref.key in data)) {
          if (ref.optional) continue;
          return { ok: false, message: `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}` };
        }
        env[e.name] = kind === "Secret" ? Buffer.from(String(data[ref.key]), "base64").toString("utf8") : String(data[ref.key]);
      }
    } else env[e.name] = expandEnv(String(e.value ?? ""), env);
  }
  return { ok: true, env };
}
