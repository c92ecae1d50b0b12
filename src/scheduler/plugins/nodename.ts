/** NodeName (plugins/nodename): a pod naming a node fits only that node. */
import { Status, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo } from "../types.ts";

export const NAME = "NodeName";
export const ERR_REASON = "node(s) didn't match the requested node name";

export function fits(pod: PodInfo, node: NodeInfo): boolean {
  return pod.nodeName === "" || pod.nodeName === node.name;
}

export class NodeName implements FilterPlugin {
  readonly name = NAME;
  filter(_s: unknown, pod: PodInfo, node: NodeInfo): MaybeStatus {
    return fits(pod, node) ? null : Status.unresolvable(ERR_REASON);
  }
}
