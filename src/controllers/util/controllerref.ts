/**
 * ControllerRefManager.ClaimPods / ClaimControllerRevisions (pkg/controller/controller_ref_manager.go):
 * a controller adopts the matching orphans and releases the objects it owns that no longer match
 * its selector; objects owned by another controller are left alone. Adoption stops while the
 * controller is being deleted.
 */
import type { ApiServer } from "../../api/store.ts";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import { controllerRef, newControllerRef } from "./pod.ts";

/**
 * Claims `candidates` (objects the owner may own: its own and the orphans of its namespace) for
 * `owner`. `onWrite` sees every adopted or released version. Returns the objects it owns afterwards.
 */
export function claimObjects(
  api: ApiServer,
  owner: KObject,
  candidates: KObject[],
  matches: (obj: KObject) => boolean,
  onWrite: (obj: KObject) => void = () => {},
): KObject[] {
  const out: KObject[] = [];
  const uid = owner.metadata.uid;
  const deleting = !!owner.metadata.deletionTimestamp;
  for (const obj of candidates) {
    const ref = controllerRef(obj);
    const m = matches(obj);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (m || deleting) {
        out.push(obj);
        continue;
      }
      try {
        const released = api.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name!, (p) => {
          p.metadata.ownerReferences = (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (!p.metadata.ownerReferences!.length) delete p.metadata.ownerReferences;
        });
        onWrite(released);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
      continue;
    }
    if (!m || deleting || obj.metadata.deletionTimestamp) continue;
    try {
      const adopted = api.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name!, (p) => {
        p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), newControllerRef(owner)];
      });
      onWrite(adopted);
      out.push(adopted);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
  return out;
}
