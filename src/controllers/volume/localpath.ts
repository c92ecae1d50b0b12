/**
 * The dynamic provisioner kind ships: rancher/local-path-provisioner (provisioner.go, v0.0.30)
 * with kind's StorageClass `standard` (default class, `rancher.io/local-path`, reclaimPolicy
 * Delete, volumeBindingMode WaitForFirstConsumer), created when the cluster starts as kind
 * creates it.
 *
 * Once the scheduler has chosen a node for a claim's first pod (`volume.kubernetes.io/selected-node`)
 * and the PV controller has handed the claim to this provisioner
 * (`volume.kubernetes.io/storage-provisioner`), it creates the directory
 * `/var/local-path-provisioner/pvc-<uid>_<namespace>_<claim>` on that node and the PersistentVolume
 * `pvc-<claim uid>`: a hostPath volume (DirectoryOrCreate) pinned to the node by node affinity,
 * with the claim's size and access modes, pre-bound to the claim; events `Provisioning` and
 * `ProvisioningSucceeded` on the claim. A released volume with reclaimPolicy Delete has its
 * directory removed and is deleted. Only ReadWriteOnce (and ReadWriteOncePod) claims are
 * supported, as upstream's provisioner without a shared filesystem. The helper pods upstream runs
 * to create and delete the directories are not modelled: the directory appears at once.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import {
  ANN_DEFAULT_STORAGE_CLASS,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  ANN_BETA_STORAGE_PROVISIONER,
  getPersistentVolumeClaimClass,
} from "../../api/helper/pv_helpers.ts";
import { kubelets } from "../../kubelet/manager.ts";
import { Controller } from "../controller.ts";
import { objectKey, splitKey } from "../queue.ts";

export const LOCAL_PATH_PROVISIONER = "rancher.io/local-path";
export const LOCAL_PATH_STORAGE_CLASS = "standard";
export const LOCAL_PATH_ROOT = "/var/local-path-provisioner";
const ANN_PROVISIONER_SELECTED_NODE = "local.path.provisioner/selected-node";

/** kind's default StorageClass. */
export function localPathStorageClass(): KObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: LOCAL_PATH_STORAGE_CLASS, annotations: { [ANN_DEFAULT_STORAGE_CLASS]: "true" } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  };
}

/** The directory of a claim's volume on its node. */
export function volumeDirectory(claim: KObject): string {
  return `${LOCAL_PATH_ROOT}/pvc-${claim.metadata.uid}_${claim.metadata.namespace}_${claim.metadata.name}`;
}

export class LocalPathProvisioner extends Controller {
  readonly name = "local-path-provisioner";
  /** Claims are the main queue (syncHandler: syncClaim); volumes have their own. */
  private readonly claims = this.queue;
  private readonly volumes = this.newQueue((k) => this.syncVolume(k));
  /** The provisioner's identity, as its events name their source. */
  readonly identity: string;

  constructor(ctx: ClusterContext) {
    super(ctx);
    const r = ctx.api.identityOf("local-path-provisioner");
    this.identity = `${LOCAL_PATH_PROVISIONER}_local-path-provisioner-7577fdbbfb-${r.suffix(5)}_${r.uuid()}`;
  }

  start(): void {
    const api = this.ctx.api;
    if (!api.get("StorageClass", undefined, LOCAL_PATH_STORAGE_CLASS)) api.create(localPathStorageClass());
    this.watch("PersistentVolumeClaim", (ev) => {
      if (ev.type !== "DELETED") this.claims.add(objectKey(ev.object.metadata.namespace, ev.object.metadata.name!));
    });
    this.watch("PersistentVolume", (ev) => {
      if (ev.type !== "DELETED" && ev.object.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] === LOCAL_PATH_PROVISIONER) this.volumes.add(ev.object.metadata.name!);
    });
  }

  protected override syncHandler(key: string): void {
    this.syncClaim(key);
  }

  private event(obj: KObject, type: "Normal" | "Warning", reason: string, message: string): void {
    this.ctx.events.record(obj, { type, reason, message, source: { component: this.identity } });
  }

  /** shouldProvision + Provision: a claim handed to this provisioner, with a node, without a volume yet. */
  private syncClaim(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const claim = api.get("PersistentVolumeClaim", ns, name);
    if (!claim || claim.metadata.deletionTimestamp || claim.spec?.volumeName) return;
    const ann = claim.metadata.annotations ?? {};
    if ((ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER]) !== LOCAL_PATH_PROVISIONER) return;
    const sc = api.get("StorageClass", undefined, getPersistentVolumeClaimClass(claim));
    if (!sc || sc.provisioner !== LOCAL_PATH_PROVISIONER) return;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (api.get("PersistentVolume", undefined, pvName)) return;
    const node = ann[ANN_SELECTED_NODE];
    if (sc.volumeBindingMode === "WaitForFirstConsumer" && !node) return;
    this.event(claim, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${ns}/${name}"`);
    const modes: string[] = claim.spec?.accessModes ?? [];
    const bad = modes.find((m) => m !== "ReadWriteOnce" && m !== "ReadWriteOncePod");
    if (bad || !node) {
      const msg = !node ? "configuration error, no node was specified" : "NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes";
      this.event(claim, "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "${sc.metadata.name}": ${msg}`);
      return;
    }
    const path = volumeDirectory(claim);
    kubelets(this.ctx).get(node)?.nodeFs.mkdir(path, { recursive: true, mode: 0o777 });
    const pv: KObject = {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: {
        name: pvName,
        annotations: { [ANN_PROVISIONER_SELECTED_NODE]: node, [ANN_DYNAMICALLY_PROVISIONED]: LOCAL_PATH_PROVISIONER },
      },
      spec: {
        accessModes: [...modes],
        capacity: { storage: claim.spec?.resources?.requests?.storage ?? "0" },
        claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", name, namespace: ns, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid },
        hostPath: { path, type: "DirectoryOrCreate" },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }] } },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
        storageClassName: sc.metadata.name,
        volumeMode: claim.spec?.volumeMode ?? "Filesystem",
      },
    };
    try {
      api.create(pv);
      this.event(claim, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${pvName}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.event(claim, "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "${sc.metadata.name}": ${e.message}`);
    }
  }

  /** shouldDelete + Delete: a released volume with reclaimPolicy Delete goes, with its directory. */
  private syncVolume(name: string): void {
    const api = this.ctx.api;
    const pv = api.get("PersistentVolume", undefined, name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    if (pv.status?.phase !== "Released" || pv.spec?.persistentVolumeReclaimPolicy !== "Delete") return;
    const node = pv.metadata.annotations?.[ANN_PROVISIONER_SELECTED_NODE];
    const path: string | undefined = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
    const fs = node ? kubelets(this.ctx).get(node)?.nodeFs : undefined;
    if (fs && path && fs.stat(path)?.type === "dir") fs.rmdir(path, { recursive: true });
    try {
      api.delete("PersistentVolume", undefined, name);
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
    }
  }
}

export function localPathProvisioner(ctx: ClusterContext): Component {
  return new LocalPathProvisioner(ctx);
}
