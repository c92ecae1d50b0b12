import type { AdmissionPlugin } from "../store.ts";

/** The pod registry's PrepareForCreate: a new pod starts Pending, whatever status it was sent with. */
export const podStatusOnCreate: AdmissionPlugin = {
  name: "PodStatusOnCreate",
  mutate(obj, op) {
    if (obj.kind !== "Pod" || op !== "CREATE") return;
    obj.status = { phase: "Pending", ...(obj.status?.qosClass ? { qosClass: obj.status.qosClass } : {}) };
  },
};
