/** NodeUnschedulable (plugins/nodeunschedulable): cordoned nodes take only pods tolerating the unschedulable taint. */
import { Status, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo } from "../types.ts";
import { tolerationsTolerateTaint } from "../../api/helper/toleration.ts";

export const NAME = "NodeUnschedulable";
export const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };

export class NodeUnschedulable implements FilterPlugin {
  readonly name = NAME;
  filter(_s: unknown, pod: PodInfo, node: NodeInfo): MaybeStatus {
    if (!node.unschedulable) return null;
    if (tolerationsTolerateTaint(pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return null;
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }
}
