/**
 * `kubectl attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] [-q]` (staging/src/k8s.io/kubectl/pkg/
 * cmd/attach/attach.go): attaches to the main process of a running container. What the container
 * writes from then on is printed, letting simulated time pass until it ends (or 10 simulated
 * minutes, when the simulation stops following and says so). With `-i`, the step's standard input
 * goes to a container that reads it (`stdin: true`: its shell starts on it). A scenario has no
 * terminal, so `-t` is dropped with kubectl's notice, and "Session ended, resume using …" (printed
 * only after a raw terminal session) never appears. The exit code is kubectl's: 0 once the stream
 * ends, whatever the container's own exit code (`kubectl run -it` reports that one).
 */
import { KubectlError, type CommandDef } from "../command.ts";
import { ContainerNotRunningError, kubeletClient } from "../../api/kubeletclient.ts";
import type { Pod } from "../../api/types.gen.ts";
import { defaultContainer } from "../podcmd.ts";
import { podToExecIn } from "./exec.ts";
import { parseGoDuration } from "./logs.ts";

export const attachCommand: CommandDef = {
  path: ["attach"],
  flags: [
    { long: "container", short: "c", type: "string" },
    { long: "stdin", short: "i", type: "bool" },
    { long: "tty", short: "t", type: "bool" },
    { long: "quiet", short: "q", type: "bool" },
    { long: "pod-running-timeout", type: "string", default: "1m0s" },
  ],
  run(inv) {
    const f = inv.flags;
    // AttachOptions.Validate.
    if (inv.args.length === 0) throw new KubectlError("at least 1 argument is required for attach");
    if (inv.args.length > 2) throw new KubectlError(`expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${inv.args.length}: [${inv.args.join(" ")}]`);
    if (parseGoDuration(String(f["pod-running-timeout"]), "pod-running-timeout") <= 0) throw new KubectlError("--pod-running-timeout must be higher than zero");
    const pod = podToExecIn(inv, inv.args.length === 2 ? `${inv.args[0]}/${inv.args[1]}` : inv.args[0]!) as Pod;
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") throw new KubectlError(`cannot attach a container in a completed pod; current phase is ${phase}`);
    const quiet = !!f.quiet;
    const name = defaultContainer(pod, f.container || undefined, (t) => !quiet && inv.err(t));
    const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
    const container = all.find((c) => c.name === name);
    if (!container) throw new KubectlError(`cannot attach to the container: container ${name} not found in pod ${pod.metadata.name}`);
    let tty = !!f.tty;
    if (tty && !container.tty) {
      tty = false;
      if (!quiet) inv.err(`error: Unable to use a TTY - container ${name} did not allocate one`);
    } else if (!tty && container.tty) tty = true;
    // SetupTTY: without -i there is no terminal to set up; with it, the scenario's input is no terminal.
    if (f.stdin && tty && !quiet) inv.err("Unable to use a TTY - input is not a terminal or the right kind of file");
    if (!quiet) inv.err("If you don't see a command prompt, try pressing enter.");
    let output = "";
    let code: number | undefined;
    try {
      const client = kubeletClient(inv.ctx);
      const stdin = f.stdin && container.stdin ? (inv.ctx.stdin ?? "") : undefined;
      code = client.attach(pod, name, stdin, (t) => (output += t));
    } catch (e) {
      // The kubelet refuses to attach to a container that does not run (kubectl: `unable to upgrade connection: …`).
      if (e instanceof ContainerNotRunningError) throw new KubectlError(`unable to upgrade connection: ${e.message}`);
      throw e;
    }
    if (output) inv.write!(output);
    if (code === undefined) {
      throw new KubectlError(
        `kube-scenario: kubectl attach stopped following pod/${pod.metadata.name} after 10m of simulated time: its container still runs (a real kubectl stays attached until it ends or is interrupted)`,
        1,
        true,
      );
    }
    return 0;
  },
};
