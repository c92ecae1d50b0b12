/**
 * `kubectl logs POD|TYPE/NAME [-c CONTAINER] [-p] [--tail N] [--all-containers]`: the container's standard
 * output and error as the kubelet kept them, with kubectl's container defaulting and the API
 * server's errors.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { labelSelectorMatches } from "../../api/labels.ts";
import { containerLogs } from "../../kubelet/server.ts";
import { defaultContainer } from "../podcmd.ts";

export const logsCommand: CommandDef = {
  path: ["logs"],
  flags: [
    { long: "container", short: "c", type: "string" },
    { long: "previous", short: "p", type: "bool" },
    { long: "tail", type: "string", default: "-1" },
    { long: "all-containers", type: "bool" },
    { long: "timestamps", type: "bool" },
    { long: "follow", short: "f", type: "bool" },
    { long: "prefix", type: "bool" },
  ],
  run(inv: Invocation) {
    const args = inv.args.filter((_, i) => inv.dashIndex < 0 || i < inv.dashIndex);
    if (args.length === 0) {
      throw new KubectlError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples", 1, true);
    }
    let name = args[0]!;
    if (name.includes("/")) {
      const [type, n] = name.split("/", 2) as [string, string];
      const owner = LOGGABLE[type.toLowerCase()];
      if (!["pod", "pods", "po"].includes(type.toLowerCase())) {
        if (!owner) throw new KubectlError(`cannot get the logs from ${type}: only pods and the workloads that select them are simulated`);
        name = podForObject(inv, owner, n);
      } else name = n;
    }
    const pod = inv.ctx.api.getOrThrow("Pod", inv.namespace, name);
    const tail = Number(inv.flags.tail);
    const emit = (text: string) => {
      if (!text) return;
      let t = text;
      if (tail >= 0) {
        const lines = t.endsWith("\n") ? t.slice(0, -1).split("\n") : t.split("\n");
        t = tail === 0 ? "" : lines.slice(-tail).join("\n") + "\n";
      }
      if (t) inv.out(t);
    };
    if (inv.flags["all-containers"]) {
      const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c: any) => c.name);
      for (const c of names) emit(containerLogs(inv.ctx, pod, c, !!inv.flags.previous));
      return 0;
    }
    const container = defaultContainer(pod, inv.flags.container || args[1], (t) => inv.err(t));
    emit(containerLogs(inv.ctx, pod, container, !!inv.flags.previous));
    return 0;
  },
};

/** TYPE/NAME forms `kubectl logs` resolves to one of the object's pods (polymorphichelpers.LogsForObject). */
const LOGGABLE: Record<string, string> = {
  job: "Job", jobs: "Job",
  deployment: "Deployment", deployments: "Deployment", deploy: "Deployment",
  replicaset: "ReplicaSet", replicasets: "ReplicaSet", rs: "ReplicaSet",
  statefulset: "StatefulSet", statefulsets: "StatefulSet", sts: "StatefulSet",
  daemonset: "DaemonSet", daemonsets: "DaemonSet", ds: "DaemonSet",
};

/**
 * The pod `kubectl logs job/pi` reads: the object's selector picks its pods, sorted as
 * podutils.ByLogging sorts them (on a node first, then running, ready, more restarts, older),
 * and the first is used; with several, kubectl says which on stderr.
 */
function podForObject(inv: Invocation, kind: string, name: string): string {
  const obj = inv.ctx.api.getOrThrow(kind, inv.namespace, name);
  const selector = (obj as any).spec?.selector; // workload specs are untyped here: their selector is a LabelSelector
  const pods = inv.ctx.api.list("Pod", { namespace: inv.namespace }).filter((p) => labelSelectorMatches(selector, p.metadata.labels ?? {}));
  if (pods.length === 0) throw new KubectlError(`error: timed out waiting for the condition`);
  const rank = (p: any): number[] => [
    p.spec?.nodeName ? 0 : 1,
    p.status?.phase === "Running" ? 0 : p.status?.phase === "Unknown" ? 1 : p.status?.phase === "Pending" ? 2 : 3,
    (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True") ? 0 : 1,
    -Math.max(0, ...(p.status?.containerStatuses ?? []).map((c: any) => c.restartCount ?? 0)),
    Date.parse(p.metadata?.creationTimestamp ?? "") || 0,
  ];
  pods.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return a.metadata.name! < b.metadata.name! ? -1 : 1;
  });
  const chosen = pods[0]!.metadata.name!;
  if (pods.length > 1) inv.err(`Found ${pods.length} pods, using pod/${chosen}\n`);
  return chosen;
}
