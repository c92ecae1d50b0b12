/** NodePorts (plugins/nodeports): a host port (ip, protocol, port) may be used once per node; 0.0.0.0 clashes with every IP. */
import { Status, type ContainerPort, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreFilterPlugin } from "../types.ts";

export const NAME = "NodePorts";
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

export function fitsPorts(want: ContainerPort[], used: ContainerPort[]): boolean {
  for (const w of want) {
    for (const u of used) {
      if (u.hostPort !== w.hostPort || u.protocol !== w.protocol) continue;
      if (u.hostIP === w.hostIP || u.hostIP === "0.0.0.0" || w.hostIP === "0.0.0.0") return false;
    }
  }
  return true;
}

export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;
  preFilter(_s: CycleState, pod: PodInfo): { status: MaybeStatus } {
    return { status: pod.hostPorts.length === 0 ? Status.skip() : null };
  }
  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    if (pod.hostPorts.length === 0 || node.usedPorts.length === 0) return null;
    return fitsPorts(pod.hostPorts, node.usedPorts) ? null : Status.unschedulable(ERR_REASON);
  }
}
