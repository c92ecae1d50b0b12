/**
 * A container's environment as the kubelet computes it (pkg/kubelet/kubelet_pods.go
 * makeEnvironmentVariables, getServiceEnvVarMap, podFieldSelectorRuntimeValue):
 *
 * 1. envFrom (ConfigMaps, Secrets, with their prefix), then each `env` entry in order: a `value`
 *    with its `$(VAR)` references expanded from the variables declared so far and the service
 *    variables, or a `valueFrom` source (fieldRef, resourceFieldRef, configMapKeyRef,
 *    secretKeyRef); an entry overrides an earlier one of the same name;
 * 2. then the service variables not already declared: those of the `kubernetes` Service of the
 *    default namespace always (the object kube-apiserver keeps, src/controllers/kubernetesservice;
 *    while a user has it deleted, none), and those of every Service of the pod's namespace that has a
 *    cluster IP when `enableServiceLinks` is true (the default).
 *
 * Upstream ranges over Go maps for both lists, so their order in a real container is random; the
 * simulation keeps declaration order, then the Services in name order (docs/divergences.md).
 * PATH and HOSTNAME are the runtime's (kuberuntime_manager.ts containerEnv). A missing source gives
 * the error text of CreateContainerConfigError (`configmap "x" not found`).
 */
import type { ClusterContext } from "../context.ts";
import type { Container, Pod, Service } from "../api/types.gen.ts";
import { extractFieldPathAsString } from "../api/fieldpath.ts";
import { extractContainerResourceValue, findContainerInPod, mergeContainerResourceLimits, type ResourceFieldSelector } from "../api/resource/helpers.ts";
import { expand, mappingFuncFor } from "./container/expansion.ts";
import { fromServices, isServiceIPSet, type EnvVar } from "./envvars/envvars.ts";
import type { ObjectManager } from "./util/manager/manager.ts";

export type { EnvVar } from "./envvars/envvars.ts";
export type EnvResult = { ok: true; env: EnvVar[] } | { ok: false; message: string };

/** What the kubelet knows of the pod's sandbox and node when it starts a container. */
export interface EnvContext {
  /** The sandbox's IPs (the first is `status.podIP`), known before the pod's status says so. */
  podIPs: string[];
  /** The node's IPs (`status.hostIP(s)`). */
  hostIPs: string[];
  /** The node's allocatable, the limit of a container that sets none (resourceFieldRef). */
  nodeAllocatable: Readonly<Record<string, string>>;
  /** The kubelet's ConfigMap/Secret manager; the API server when absent. */
  objects?: ObjectManager;
}

/** The Services of the master namespace whose variables every pod gets (masterServices). */
const MASTER_SERVICES = new Set(["kubernetes"]);
const MASTER_NAMESPACE = "default";

/** getServiceEnvVarMap: the service variables for a pod of namespace `ns`. */
export function getServiceEnvVarMap(services: readonly Service[], ns: string, enableServiceLinks: boolean): Map<string, string> {
  const serviceMap = new Map<string, Service>();
  const byName = [...services].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
  for (const svc of byName) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata.name!;
    // The master services of the default namespace always; others of the pod's namespace with links on.
    if (svc.metadata.namespace === MASTER_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!serviceMap.has(name)) serviceMap.set(name, svc);
    } else if (svc.metadata.namespace === ns && enableServiceLinks) {
      serviceMap.set(name, svc);
    }
  }
  return new Map(fromServices([...serviceMap.values()]));
}

function namespaceServices(ctx: ClusterContext, ns: string): Service[] {
  const out: Service[] = ctx.api.list("Service", { namespace: ns });
  if (ns !== MASTER_NAMESPACE) {
    const kube = ctx.api.get("Service", MASTER_NAMESPACE, "kubernetes");
    if (kube) out.push(kube);
  }
  return out;
}

/** podFieldSelectorRuntimeValue: a fieldRef of an env var. */
export function podFieldSelectorRuntimeValue(fieldPath: string, pod: Pod, ec: EnvContext): string | Error {
  switch (fieldPath) {
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
      return ec.hostIPs[0] ?? "";
    case "status.hostIPs":
      return ec.hostIPs.join(",");
    case "status.podIP":
      return ec.podIPs[0] ?? "";
    case "status.podIPs":
      return ec.podIPs.join(",");
  }
  return extractFieldPathAsString(pod, fieldPath);
}

/** containerResourceRuntimeValue over the pod defaulted with the node's allocatable (defaultPodLimitsForDownwardAPI). */
function containerResourceRuntimeValue(fs: ResourceFieldSelector, pod: Pod, container: Container, allocatable: Readonly<Record<string, string>>): string | Error {
  if (!fs.containerName) return extractContainerResourceValue(fs, mergeContainerResourceLimits(container, allocatable));
  const c = findContainerInPod(pod, fs.containerName);
  if (c instanceof Error) return c;
  return extractContainerResourceValue(fs, mergeContainerResourceLimits(c, allocatable));
}

const decodeSecret = (v: unknown) => Buffer.from(String(v), "base64").toString("utf8");

/**
 * The service variables of a namespace, kept per API server while no Service changed anywhere
 * (issue #19: every container start of a namespace with 50 Services built ~400 variables anew,
 * and the process environment then took each new name string as a new property key). The store's
 * last change of the kind moves at every Service write and delete, so a kept map is the one
 * getServiceEnvVarMap would build now. Callers only read it.
 */
const serviceEnvMemo = new WeakMap<object, { rv: number; byKey: Map<string, Map<string, string>> }>();

function serviceEnvFor(ctx: ClusterContext, ns: string, enableServiceLinks: boolean): Map<string, string> {
  if (ctx.reference) return getServiceEnvVarMap(namespaceServices(ctx, ns), ns, enableServiceLinks);
  const rv = ctx.api.lastChangeOf("Service");
  let memo = serviceEnvMemo.get(ctx.api);
  if (!memo || memo.rv !== rv) serviceEnvMemo.set(ctx.api, (memo = { rv, byKey: new Map() }));
  const key = enableServiceLinks ? ns : `${ns}\u0000nolinks`;
  let env = memo.byKey.get(key);
  if (!env) memo.byKey.set(key, (env = getServiceEnvVarMap(namespaceServices(ctx, ns), ns, enableServiceLinks)));
  return env;
}

/** A failed environment (module functions, not named closures made at every container start). */
function envFailure(message: string): EnvResult {
  return { ok: false, message };
}

/** The ConfigMap or Secret an env source names: the kubelet's object manager, else the API server. */
function envSource(ctx: ClusterContext, ec: EnvContext, kind: "ConfigMap" | "Secret", ns: string, name: string) {
  return ec.objects ? ec.objects.get(kind, ns, name) : ctx.api.get(kind, ns, name);
}

export function makeEnvironmentVariables(ctx: ClusterContext, pod: Pod, container: Container, ec: EnvContext): EnvResult {
  const ns = pod.metadata.namespace ?? "default";
  const serviceEnv = serviceEnvFor(ctx, ns, pod.spec?.enableServiceLinks !== false);
  const tmpEnv = new Map<string, string>();
  // Env overrides envFrom: envFrom first.
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? "ConfigMap" : "Secret";
    // Validation requires the name of a configMapRef/secretRef.
    const obj = envSource(ctx, ec, kind, ns, ref.name!);
    if (!obj) {
      if (ref.optional) continue;
      return envFailure(`${kind === "ConfigMap" ? "configmap" : "secret"} ${JSON.stringify(ref.name)} not found`);
    }
    const data: Record<string, string> = obj.data ?? {};
    for (const [k, v] of Object.entries(data)) tmpEnv.set(`${from.prefix ?? ""}${k}`, kind === "Secret" ? decodeSecret(v) : String(v));
  }
  const mapping = mappingFuncFor(tmpEnv, serviceEnv);
  for (const e of container.env ?? []) {
    let value = e.value === undefined || e.value === null ? "" : String(e.value);
    if (value !== "") value = expand(value, mapping);
    else if (e.valueFrom) {
      const vf = e.valueFrom;
      if (vf.fieldRef) {
        const v = podFieldSelectorRuntimeValue(vf.fieldRef.fieldPath, pod, ec);
        if (v instanceof Error) return envFailure(v.message);
        value = v;
      } else if (vf.resourceFieldRef) {
        const v = containerResourceRuntimeValue(vf.resourceFieldRef, pod, container, ec.nodeAllocatable);
        if (v instanceof Error) return envFailure(v.message);
        value = v;
      } else if (vf.configMapKeyRef || vf.secretKeyRef) {
        const ref = (vf.configMapKeyRef ?? vf.secretKeyRef)!;
        const kind = vf.configMapKeyRef ? "ConfigMap" : "Secret";
        // Validation requires the name of a configMapKeyRef/secretKeyRef.
        const obj = envSource(ctx, ec, kind, ns, ref.name!);
        if (!obj) {
          if (ref.optional) continue;
          return envFailure(`${kind === "ConfigMap" ? "configmap" : "secret"} ${JSON.stringify(ref.name)} not found`);
        }
        const data: Record<string, string> = obj.data ?? {};
        if (!Object.prototype.hasOwnProperty.call(data, ref.key)) {
          if (ref.optional) continue;
          return envFailure(`couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`);
        }
        value = kind === "Secret" ? decodeSecret(data[ref.key]) : String(data[ref.key]);
      }
    }
    tmpEnv.set(e.name, value);
  }
  // Nothing declared (no env, no envFrom data): the service variables alone, as a list kept with
  // the kept map they come from (the fast engine; callers only read it). The same entries in the
  // same order as the loop below builds them.
  if (tmpEnv.size === 0 && !ctx.reference) return { ok: true, env: serviceEnvList(serviceEnv) };
  const result: EnvVar[] = [...tmpEnv];
  for (const [k, v] of serviceEnv) if (!tmpEnv.has(k)) result.push([k, v]);
  return { ok: true, env: result };
}

/**
 * The service variables as an environment list (issue #19): a container that declares no variable
 * of its own gets exactly these, in the map's order; kept per kept map (`serviceEnvFor`: one per
 * namespace while no Service changes), frozen, so a container start of such a pod builds no list of
 * ~400 pairs. Only the fast engine asks (the reference engine's maps are not kept).
 */
const serviceEnvLists = new WeakMap<Map<string, string>, readonly EnvVar[]>();

function serviceEnvList(serviceEnv: Map<string, string>): EnvVar[] {
  let list = serviceEnvLists.get(serviceEnv);
  if (list === undefined) {
    const out: EnvVar[] = [];
    for (const [k, v] of serviceEnv) out.push(Object.freeze([k, v]) as EnvVar);
    serviceEnvLists.set(serviceEnv, (list = Object.freeze(out)));
  }
  return list as EnvVar[];
}
