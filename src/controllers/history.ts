/**
 * Controller history (pkg/controller/history/controller_history.go, v1.32): ControllerRevisions
 * of a StatefulSet — named `<parent>-<hash>`, labelled with the template's labels and
 * `controller-revision-hash: <hash>`, owned by their parent — compared by their data, sorted by
 * revision number, renumbered on rollback and created with collision handling.
 */
import type { ApiServer } from "../api/store.ts";
import { ApiError } from "../api/errors.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import { canonical, computeHash } from "./deploymentutil.ts";
import { newControllerRef } from "./util/pod.ts";

export const CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash";

/**
 * HashControllerRevision: FNV-32a of the revision's data (and the collision count), written as
 * SafeEncodeString of the decimal value. Upstream hashes the raw JSON bytes; this hashes the
 * canonical JSON, so the value differs from a real cluster's while the shape is the same.
 */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  // The same FNV-32a of canonical JSON as the Deployment's pod-template-hash (deploymentutil.ts).
  return computeHash(data, collisionCount);
}

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** NewControllerRevision: the revision object (not stored) for parent's data. */
export function newControllerRevision(parent: KObject, templateLabels: Record<string, string> | undefined, data: unknown, revision: number, collisionCount: number): KObject {
  const hash = hashControllerRevision(data, collisionCount);
  const labels: Record<string, string> = { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash };
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: controllerRevisionName(parent.metadata.name!, hash),
      namespace: parent.metadata.namespace,
      labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      ownerReferences: [newControllerRef(parent)],
    },
    data,
    revision,
  };
}

/** SortControllerRevisions: by revision, then creation time, then name. */
export function sortControllerRevisions(revisions: KObject[]): KObject[] {
  return revisions.sort((a, b) => {
    const ra = a.revision ?? 0;
    const rb = b.revision ?? 0;
    if (ra !== rb) return ra - rb;
    const ca = a.metadata.creationTimestamp ?? "";
    const cb = b.metadata.creationTimestamp ?? "";
    if (ca !== cb) return ca < cb ? -1 : 1;
    return (a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1;
  });
}

/** EqualRevision: same data (the hash label is compared first when both carry it). */
export function equalRevision(a: KObject | undefined, b: KObject | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha && hb && ha !== hb) return false;
  return jsonEqual(canonical(a.data), canonical(b.data));
}

/** FindEqualRevisions: the revisions equal to `needle`. */
export function findEqualRevisions(revisions: KObject[], needle: KObject): KObject[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/**
 * CreateControllerRevision: stores the revision; a name taken by a different revision bumps the
 * collision count and retries with the new hash. Returns the stored revision and the count.
 */
export function createControllerRevision(api: ApiServer, parent: KObject, revision: KObject, collisionCount: number): { revision: KObject; collisionCount: number } {
  let count = collisionCount;
  for (;;) {
    const hash = hashControllerRevision(revision.data, count);
    const candidate = structuredClone(revision);
    candidate.metadata.name = controllerRevisionName(parent.metadata.name!, hash);
    candidate.metadata.labels = { ...(candidate.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash };
    try {
      return { revision: api.create(candidate), collisionCount: count };
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "AlreadyExists") throw e;
      const existing = api.get("ControllerRevision", parent.metadata.namespace, candidate.metadata.name!);
      if (existing && equalRevision(existing, candidate)) return { revision: existing, collisionCount: count };
      count++;
    }
  }
}

/** UpdateControllerRevision: gives the revision a new number. */
export function updateControllerRevision(api: ApiServer, revision: KObject, newRevision: number): KObject {
  if ((revision.revision ?? 0) === newRevision) return revision;
  return api.mutate("ControllerRevision", revision.metadata.namespace, revision.metadata.name!, (r) => (r.revision = newRevision));
}

/** nextRevision: one more than the highest revision (1 for none). */
export function nextRevision(revisions: KObject[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
}
