/**
 * `kubectl logs POD [-c CONTAINER] [-p] [--tail N] [--all-containers]`: the container's standard
 * output and error as the kubelet kept them, with kubectl's container defaulting and the API
 * server's errors.
 */
import { KubectlError, type CommandDef } from "../command.ts";
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
  run(inv) {
    const args = inv.args.filter((_, i) => inv.dashIndex < 0 || i < inv.dashIndex);
    if (args.length === 0) {
      throw new KubectlError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples", 1, true);
    }
    let name = args[0]!;
    if (name.includes("/")) {
      const [type, n] = name.split("/", 2) as [string, string];
      if (!["pod", "pods", "po"].includes(type.toLowerCase())) throw new KubectlError(`cannot get the logs from ${type}: only pods are simulated`);
      name = n;
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
