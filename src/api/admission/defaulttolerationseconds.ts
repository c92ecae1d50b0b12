/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * a pod that does not tolerate `node.kubernetes.io/not-ready` / `unreachable` NoExecute taints gets
 * tolerations for them of 300 s (--default-not-ready-toleration-seconds and
 * --default-unreachable-toleration-seconds), not-ready first.
 */
import type { AdmissionPlugin } from "../store.ts";
import type { Toleration } from "../types.gen.ts";

export const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY = "node.kubernetes.io/not-ready";
const UNREACHABLE = "node.kubernetes.io/unreachable";

export const defaultTolerationSeconds: AdmissionPlugin = {
  name: "DefaultTolerationSeconds",
  inertFor: (kind) => kind !== "Pod",
  mutate(pod, op) {
    if (pod.kind !== "Pod" || (op !== "CREATE" && op !== "UPDATE")) return;
    const spec = pod.spec ?? (pod.spec = {});
    // Before validation: entries may be anything a client sent, hence the optional chaining below.
    const tolerations: Array<Partial<Toleration> | null> = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    let notReady = false;
    let unreachable = false;
    for (const t of tolerations) {
      if ((t?.key === NOT_READY || !t?.key) && (t?.effect === "NoExecute" || !t?.effect)) notReady = true;
      if ((t?.key === UNREACHABLE || !t?.key) && (t?.effect === "NoExecute" || !t?.effect)) unreachable = true;
    }
    if (notReady && unreachable) return;
    const out = [...tolerations];
    if (!notReady) out.push({ key: NOT_READY, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    if (!unreachable) out.push({ key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    spec.tolerations = out;
  },
};
