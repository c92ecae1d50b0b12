/**
 * `kubectl exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [args...]`: runs the command in the
 * container's filesystem with the image's shell, letting simulated time pass until it ends; a
 * non-zero exit is kubectl's `command terminated with exit code N` (and its exit code).
 */
import { KubectlError, type CommandDef } from "../command.ts";
import { ContainerNotRunningError, ExecFailedError, kubeletClient } from "../../api/kubeletclient.ts";
import { defaultContainer } from "../podcmd.ts";

export const execCommand: CommandDef = {
  path: ["exec"],
  flags: [
    { long: "container", short: "c", type: "string" },
    { long: "stdin", short: "i", type: "bool" },
    { long: "tty", short: "t", type: "bool" },
    { long: "quiet", short: "q", type: "bool" },
    { long: "filename", short: "f", type: "stringArray" },
    { long: "pod-running-timeout", type: "string", default: "1m0s" },
  ],
  run(inv) {
    const before = inv.dashIndex < 0 ? inv.args : inv.args.slice(0, inv.dashIndex);
    const command = inv.dashIndex < 0 ? inv.args.slice(1) : inv.args.slice(inv.dashIndex);
    if (before.length === 0) throw new KubectlError("error: pod, type/name or --filename must be specified\nSee 'kubectl exec -h' for help and examples", 1, true);
    if (command.length === 0) throw new KubectlError("error: you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples", 1, true);
    let name = before[0]!;
    if (name.includes("/")) name = name.split("/", 2)[1]!;
    const pod = inv.ctx.api.getOrThrow("Pod", inv.namespace, name);
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") {
      throw new KubectlError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    }
    const quiet = !!inv.flags.quiet;
    const container = defaultContainer(pod, inv.flags.container, (t) => !quiet && inv.err(t));
    const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
    if (!all.some((c: { name: string }) => c.name === container)) {
      throw new KubectlError(`Error from server (BadRequest): container ${container} is not valid for pod ${pod.metadata.name}`, 1, true);
    }
    let output = "";
    // The command's stderr is a stream of its own, as over the real exec connection: `the output is`
    // (stdout) never sees what a real kubectl prints on stderr.
    let errput = "";
    let code: number | undefined;
    try {
      // -i: kubectl's standard input becomes the command's (`kubectl exec -i pod -- sh` reads a script from it).
      const stdin = inv.flags.stdin ? inv.ctx.stdin : undefined;
      code = kubeletClient(inv.ctx).exec(pod, container, command, (t) => (output += t), { stderr: (t) => (errput += t), ...(stdin !== undefined ? { stdin } : {}) });
    } catch (e) {
      if (e instanceof ContainerNotRunningError) throw new KubectlError(`unable to upgrade connection: ${e.message}`);
      // The API server wraps the runtime's exec error (`rpc error: code = Unknown desc = failed to exec in container: …`).
      if (e instanceof ExecFailedError) throw new KubectlError(e.message.replace(/^rpc error: code = \w+ desc = (failed to exec in container: .*)$/s, "Internal error occurred: error executing command in container: $1"));
      throw e;
    }
    if (output) inv.out(output);
    if (errput) inv.err(errput.replace(/\n$/, ""));
    if (code === undefined) throw new KubectlError("command did not finish within 10 minutes of simulated time and was killed", 1);
    if (code !== 0) {
      inv.err(`command terminated with exit code ${code}`);
      return code;
    }
    return 0;
  },
};
