/**
 * The kubelet's ConfigMap and Secret managers (pkg/kubelet/util/manager/watch_based_manager.go,
 * the default `Watch` change-detection strategy): what a pod's env and volumes read is the API
 * server's current object, except for an immutable one: once the kubelet has seen an object with
 * `immutable: true` it stops watching it and keeps that copy for as long as it runs, even if the
 * object is deleted and created again with other data (the tutorial's advice: new name, or restart
 * the kubelet).
 */
import type { ClusterContext } from "../../../context.ts";
import type { KObject } from "../../../api/types.ts";

export type ManagedKind = "ConfigMap" | "Secret";

export class ObjectManager {
  private readonly immutable = new Map<string, KObject>();

  constructor(private readonly ctx: ClusterContext) {}

  get(kind: ManagedKind, namespace: string | undefined, name: string): KObject | undefined {
    const key = `${kind}/${namespace ?? ""}/${name}`;
    const kept = this.immutable.get(key);
    if (kept) return kept;
    const obj = this.ctx.api.get(kind, namespace, name);
    if (obj && (obj as { immutable?: boolean }).immutable === true) this.immutable.set(key, obj);
    return obj;
  }
}
