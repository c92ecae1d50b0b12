/**
 * The scale client the HPA controller uses (k8s.io/client-go/scale): reads and writes the
 * `autoscaling/v1` Scale of a workload through its scale subresource — Deployments, ReplicaSets,
 * StatefulSets, ReplicationControllers, and custom resources whose CRD declares
 * `subresources.scale` (specReplicasPath, statusReplicasPath, labelSelectorPath) — with the
 * errors the API server gives (`deployments/scale.apps "x" not found`).
 */
import type { ApiServer } from "../../api/store.ts";
import type { ResourceType } from "../../api/resources.ts";
import { clone, type KObject } from "../../api/types.ts";
import { labelSelectorAsSelector } from "../../api/labels.ts";

export interface Scale {
  specReplicas: number;
  statusReplicas: number;
  /** status.selector: the pods' label selector in its string form. */
  selector: string;
}

export interface ScaleTarget {
  r: ResourceType;
  namespace: string;
  name: string;
}

const BUILTIN_SCALABLE = new Set(["Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"]);

/** schema.ParseGroupVersion: `apps/v1`, `v1`; an error for more slashes. */
export function parseGroupVersion(gv: string): { group: string; version: string } | Error {
  if (gv === "" || gv === "/") return { group: "", version: "" };
  const parts = gv.split("/");
  if (parts.length === 1) return { group: "", version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return new Error(`unexpected GroupVersion string: ${gv}`);
}

/** The resource of a scaleTargetRef (the REST mapper's RESTMappings for its group and kind). */
export function resolveTarget(api: ApiServer, ref: { apiVersion?: string; kind?: string }): ResourceType | Error {
  const gv = parseGroupVersion(ref.apiVersion ?? "");
  if (gv instanceof Error) return gv;
  const cands = api.registry.forKind(ref.kind ?? "").filter((r) => r.group === gv.group);
  if (cands.length === 0) return new Error(`no matches for kind ${JSON.stringify(ref.kind ?? "")} in group ${JSON.stringify(gv.group)}`);
  return cands.find((r) => r.preferred) ?? cands[0];
}

function scaleNotFound(r: ResourceType, name: string): Error {
  const gr = `${r.plural}/scale${r.group ? "." + r.group : ""}`;
  return new Error(`${gr} ${JSON.stringify(name)} not found`);
}

/** A CRD's scale subresource paths (`.spec.replicas` style), when it has one. */
function crdScale(api: ApiServer, r: ResourceType): { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } | undefined {
  if (!r.crd) return undefined;
  const crd = api.get("CustomResourceDefinition", undefined, r.crd);
  const v = (crd?.spec?.versions ?? []).find((x: { name: string }) => x.name === r.version);
  return v?.subresources?.scale;
}

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.replace(/^\./, "").split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.replace(/^\./, "").split(".");
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== "object") cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}

/** GET .../<plural>/<name>/scale */
export function getScale(api: ApiServer, t: ScaleTarget): Scale | Error {
  const crd = crdScale(api, t.r);
  if (!BUILTIN_SCALABLE.has(t.r.kind) && !crd) return new Error("the server could not find the requested resource");
  const obj = api.get(t.r.key, t.namespace, t.name);
  if (!obj) return crd ? new Error(`${t.r.plural}.${t.r.group} ${JSON.stringify(t.name)} not found`) : scaleNotFound(t.r, t.name);
  if (crd) {
    const sel = crd.labelSelectorPath ? getPath(obj, crd.labelSelectorPath) : undefined;
    return {
      specReplicas: Number(getPath(obj, crd.specReplicasPath) ?? 0),
      statusReplicas: Number(getPath(obj, crd.statusReplicasPath) ?? 0),
      selector: typeof sel === "string" ? sel : "",
    };
  }
  const selector =
    t.r.kind === "ReplicationController"
      ? labelSelectorAsSelector({ matchLabels: obj.spec?.selector ?? {} }).toString()
      : labelSelectorAsSelector(obj.spec?.selector).toString();
  return { specReplicas: obj.spec?.replicas ?? 1, statusReplicas: obj.status?.replicas ?? 0, selector };
}

/** PUT .../scale: sets the workload's replicas. */
export function updateScale(api: ApiServer, t: ScaleTarget, replicas: number): void | Error {
  const crd = crdScale(api, t.r);
  const obj = api.get(t.r.key, t.namespace, t.name);
  if (!obj) return crd ? new Error(`${t.r.plural}.${t.r.group} ${JSON.stringify(t.name)} not found`) : scaleNotFound(t.r, t.name);
  const updated = clone(obj) as KObject & Record<string, unknown>;
  if (crd) setPath(updated, crd.specReplicasPath, replicas);
  else updated.spec = { ...updated.spec, replicas };
  try {
    // The controller writes through the scale subresource as kube-controller-manager (its
    // User-Agent's prefix): the API server records that manager's Update of .spec.replicas on
    // `scale`, which a later server-side apply of another replicas conflicts with (the
    // Server-Side Apply page's hand-over to the HPA). One write per rescale: cheap.
    api.update(updated, { fieldManager: "kube-controller-manager", fieldManagerSubresource: "scale" });
  } catch (e) {
    return e as Error;
  }
}
