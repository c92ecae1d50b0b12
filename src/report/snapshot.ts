/**
 * What a scenario leaves in its report when it ends: the cluster as `kubectl get` shows it and the
 * events, at the final simulated instant.
 */
import type { Cluster } from "../cluster.ts";

export interface Snapshot {
  name: string;
  text: string;
}

export function finalSnapshot(cluster: Cluster): Snapshot[] {
  const at = cluster.clock.nowRFC3339();
  const run = (cmd: string) => {
    // Plain words, no quoting: passed as arguments, so every scenario's After hook skips the shell parse.
    const r = cluster.kubectlSync(cmd.split(" "));
    return `$ kubectl ${cmd}\n${r.stdout}${r.stderr}`;
  };
  return [
    { name: `cluster at ${at}`, text: [run("get nodes -o wide"), run("get all -A -o wide")].join("\n") },
    { name: `events at ${at}`, text: run("get events -A") },
  ];
}
