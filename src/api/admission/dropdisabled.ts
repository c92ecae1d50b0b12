/**
 * The registries' PrepareForCreate/PrepareForUpdate drop of fields whose feature gate is off in
 * v1.32 (pkg/api/pod/util.go dropDisabledFields, called for Pods and for every pod template;
 * pkg/api/persistentvolumeclaim/util.go and persistentvolume/util.go DropDisabledSpecFields;
 * pkg/registry/apps/statefulset/strategy.go dropStatefulSetDisabledFields). The fields exist in
 * v1.32's API (so they are not unknown fields), but a cluster with its default gates does not keep
 * them: a manifest written for a later release is stored without them, and `kubectl apply` still
 * says `created`. As upstream, an update keeps a field the stored object already uses.
 *
 * The gates, off by default in v1.32 (pkg/features/kube_features.go):
 * - UserNamespacesSupport (beta, off): spec.hostUsers (a PodSpec field, not the security context's);
 * - SupplementalGroupsPolicy (alpha): spec.securityContext.supplementalGroupsPolicy;
 * - PodLevelResources (alpha): spec.resources;
 * - InPlacePodVerticalScaling (alpha): containers[].resizePolicy;
 * - ImageVolume (alpha): `image` volumes and the mounts of them (dropImageVolumes);
 * - ClusterTrustBundleProjection (alpha): projected volumes' clusterTrustBundle sources (each
 *   source stays, empty: dropDisabledClusterTrustBundleProjection);
 * - VolumeAttributesClass (beta, off): PVC and PV spec.volumeAttributesClassName;
 * - MaxUnavailableStatefulSet (alpha): spec.updateStrategy.rollingUpdate.maxUnavailable;
 * - DynamicResourceAllocation (beta, off): spec.resourceClaims and every container's
 *   resources.claims (dropDisabledDynamicResourceAllocationFields; "in use" is the old spec's
 *   resourceClaims, as upstream: containers cannot name a claim the pod does not have).
 */
import type { AdmissionPlugin } from "../store.ts";
import type { KObject } from "../types.ts";

/** A pod spec or part of one, as the store keeps it (KObject's kind-agnostic view). */
type Obj = NonNullable<KObject["spec"]>;

/** The pod spec of a Pod, or of the pod template of a workload kind; undefined for other kinds. */
function podSpecOf(obj: KObject | undefined): Obj | undefined {
  if (!obj) return undefined;
  switch (obj.kind) {
    case "Pod":
      return obj.spec;
    case "PodTemplate":
      return obj.template?.spec;
    case "CronJob":
      return obj.spec?.jobTemplate?.spec?.template?.spec;
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
    case "DaemonSet":
    case "Job":
    case "ReplicationController":
      return obj.spec?.template?.spec;
    default:
      return undefined;
  }
}

const containersOf = (spec: Obj | undefined, which: "containers" | "initContainers" | "ephemeralContainers"): Obj[] => (Array.isArray(spec?.[which]) ? spec![which] : []);

const hostUsersInUse = (spec: Obj | undefined) => spec?.hostUsers != null;
const supplementalGroupsPolicyInUse = (spec: Obj | undefined) => spec?.securityContext?.supplementalGroupsPolicy != null;
const podLevelResourcesInUse = (spec: Obj | undefined) => spec?.resources != null && (Object.keys(spec.resources.requests ?? {}).length > 0 || Object.keys(spec.resources.limits ?? {}).length > 0);
const resizePolicyInUse = (spec: Obj | undefined) => containersOf(spec, "containers").some((c) => Array.isArray(c.resizePolicy) && c.resizePolicy.length > 0);
const volumesOf = (spec: Obj | undefined): Obj[] => (Array.isArray(spec?.volumes) ? spec!.volumes : []);
const imageVolumesInUse = (spec: Obj | undefined) => volumesOf(spec).some((v: Obj) => v?.image != null);
const projectedSources = (spec: Obj | undefined): Obj[] => volumesOf(spec).flatMap((v: Obj) => (Array.isArray(v?.projected?.sources) ? v.projected.sources : []));
const clusterTrustBundleInUse = (spec: Obj | undefined) => projectedSources(spec).some((s: Obj) => s?.clusterTrustBundle != null);
const dynamicResourceAllocationInUse = (spec: Obj | undefined) => Array.isArray(spec?.resourceClaims) && spec!.resourceClaims.length > 0;

/** dropDisabledFields of pkg/api/pod/util.go, for the gates off in v1.32. */
export function dropDisabledPodSpecFields(spec: Obj | undefined, old: Obj | undefined): void {
  if (!spec || typeof spec !== "object") return;
  if (!hostUsersInUse(old)) delete spec.hostUsers;
  if (!supplementalGroupsPolicyInUse(old) && spec.securityContext && typeof spec.securityContext === "object") delete spec.securityContext.supplementalGroupsPolicy;
  if (!podLevelResourcesInUse(old)) delete spec.resources;
  // v1.32 drops the resize policy of regular containers only (init containers' came with v1.33).
  if (!resizePolicyInUse(old)) for (const c of containersOf(spec, "containers")) delete c.resizePolicy;
  if (!imageVolumesInUse(old)) dropImageVolumes(spec);
  if (!clusterTrustBundleInUse(old)) for (const s of projectedSources(spec)) if (s && typeof s === "object") delete s.clusterTrustBundle;
  if (!dynamicResourceAllocationInUse(old)) {
    // dropResourceClaimRequests: `Resources.Claims = nil`; the emptied resources stay `{}`.
    for (const which of ["containers", "initContainers", "ephemeralContainers"] as const) {
      for (const c of containersOf(spec, which)) if (c?.resources && typeof c.resources === "object") delete c.resources.claims;
    }
    delete spec.resourceClaims;
  }
}

/** dropImageVolumes: the volumes with an `image` source go, and every container's mounts of them. */
function dropImageVolumes(spec: Obj): void {
  if (!Array.isArray(spec.volumes)) return;
  const names = new Set<string>(spec.volumes.filter((v: Obj) => v?.image != null).map((v: Obj) => v.name));
  if (names.size === 0) return;
  // Go's `var newVolumes []api.Volume` stays nil when every volume goes: the field is then omitted.
  const kept = spec.volumes.filter((v: Obj) => v?.image == null);
  if (kept.length > 0) spec.volumes = kept;
  else delete spec.volumes;
  for (const which of ["containers", "initContainers", "ephemeralContainers"] as const) {
    for (const c of containersOf(spec, which)) {
      if (!Array.isArray(c.volumeMounts)) continue;
      const mounts = c.volumeMounts.filter((m: Obj) => !names.has(m?.name));
      if (mounts.length > 0) c.volumeMounts = mounts;
      else delete c.volumeMounts;
    }
  }
}

/** The kinds `dropDisabledFields` may change: those with a pod spec (`podSpecOf`), volumes and claims, StatefulSets. */
const DROP_KINDS = new Set(["Pod", "PodTemplate", "CronJob", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController", "PersistentVolumeClaim", "PersistentVolume"]);

export const dropDisabledFields: AdmissionPlugin = {
  name: "DropDisabledFields",
  inertFor: (kind) => !DROP_KINDS.has(kind),
  mutate(obj, op, old) {
    if (op !== "CREATE" && op !== "UPDATE") return;
    const prior = op === "UPDATE" ? old : undefined;
    const spec = podSpecOf(obj);
    if (spec) dropDisabledPodSpecFields(spec, podSpecOf(prior));
    if ((obj.kind === "PersistentVolumeClaim" || obj.kind === "PersistentVolume") && obj.spec && prior?.spec?.volumeAttributesClassName == null) {
      delete obj.spec.volumeAttributesClassName;
    }
    if (obj.kind === "StatefulSet" && prior?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable == null) {
      const ru = obj.spec?.updateStrategy?.rollingUpdate;
      if (ru && typeof ru === "object") delete ru.maxUnavailable;
    }
  },
};
