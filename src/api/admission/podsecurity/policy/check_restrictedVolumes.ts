/**
 * Restricted: inline volumes limited to configMap, csi, downwardAPI, emptyDir, ephemeral,
 * persistentVolumeClaim, projected and secret (replaces baseline's hostPathVolumes)
 * (k8s.io/pod-security-admission/policy/check_restrictedVolumes.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec, Volume } from "../../../types.gen.ts";
import { LEVEL_RESTRICTED, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { CHECK_HOST_PATH_VOLUMES_ID } from "./check_hostPathVolumes.ts";
import { joinQuote, pluralize, sortedSet } from "./helpers.ts";

export function checkRestrictedVolumes(): Check {
  return {
    id: "restrictedVolumes",
    level: LEVEL_RESTRICTED,
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: restrictedVolumes_1_0, overrideCheckIDs: [CHECK_HOST_PATH_VOLUMES_ID] }],
  };
}

const ALLOWED_SOURCES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"] as const;
/** The restricted sources in the order upstream's switch tests them. */
const RESTRICTED_SOURCES = [
  "hostPath",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "nfs",
  "iscsi",
  "glusterfs",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "fc",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
] as const;

const set = (v: Volume, k: string) => (v as unknown as Record<string, unknown>)[k] != null;

export function restrictedVolumes_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const bad: string[] = [];
  const types: string[] = [];
  for (const v of podSpec.volumes ?? []) {
    if (ALLOWED_SOURCES.some((k) => set(v, k))) continue;
    bad.push(v.name);
    types.push(RESTRICTED_SOURCES.find((k) => set(v, k)) ?? "unknown");
  }
  if (bad.length === 0) return ALLOWED;
  const badTypes = sortedSet(types);
  return {
    allowed: false,
    forbiddenReason: "restricted volume types",
    forbiddenDetail: `${pluralize("volume", "volumes", bad.length)} ${joinQuote(bad)} ${pluralize("uses", "use", bad.length)} ${pluralize("restricted volume type", "restricted volume types", badTypes.length)} ${joinQuote(badTypes)}`,
  };
}
