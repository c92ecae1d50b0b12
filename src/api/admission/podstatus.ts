import type { AdmissionPlugin } from "../store.ts";
import { getPodQOS } from "../helper/qos.ts";

/**
 * The pod registry's PrepareForCreate: a new pod starts Pending, whatever status it was sent
 * with, and gets its QoS class.
 */
export const podStatusOnCreate: AdmissionPlugin = {
  name: "PodStatusOnCreate",
  inertFor: (kind) => kind !== "Pod",
  mutate(obj, op) {
    if (obj.kind !== "Pod" || op !== "CREATE") return;
    // GetPodQOS returns a qosClass already in the status (as upstream, where it is read before the reset).
    obj.status = { phase: "Pending", qosClass: getPodQOS({ spec: obj.spec, status: obj.status }) };
  },
};
