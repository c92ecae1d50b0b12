/**
 * `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]`: runs the command in
 * the container's filesystem with the image's shell, letting simulated time pass until it ends; a
 * non-zero exit is kubectl's `command terminated with exit code N` (and its exit code). TYPE/NAME
 * (`deploy/web`) execs in the first of its pods as polymorphichelpers.attachablePodForObject picks
 * it (sort.Reverse(podutils.ActivePods)).
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import type { KObject } from "../../api/types.ts";
import { isPodReady, podCondition } from "../../api/pod/util.ts";
import { timeOf } from "../../controllers/util/pod.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { selectorFor } from "./logs.ts";
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
    // ExecOptions.Complete (kubectl v1.32): a command without `--` is refused before anything is asked of the server.
    if (inv.dashIndex < 0 && inv.args.length > 1) throw new KubectlError("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples", 1, true);
    if (before.length === 0) throw new KubectlError("error: pod, type/name or --filename must be specified\nSee 'kubectl exec -h' for help and examples", 1, true);
    if (command.length === 0) throw new KubectlError("error: you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples", 1, true);
    const pod = podToExecIn(inv, before[0]!);
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
      // -t with -i: a terminal (kubectl's SetupTTY drops -t without -i).
      const tty = !!inv.flags.tty && !!inv.flags.stdin;
      code = kubeletClient(inv.ctx).exec(pod, container, command, (t) => (output += t), { stderr: (t) => (errput += t), ...(stdin !== undefined ? { stdin } : {}), ...(tty ? { tty } : {}) });
    } catch (e) {
      if (e instanceof ContainerNotRunningError) throw new KubectlError(`unable to upgrade connection: ${e.message}`);
      // The API server wraps the runtime's exec error (`rpc error: code = Unknown desc = failed to exec in container: …`).
      if (e instanceof ExecFailedError) throw new KubectlError(e.message.replace(/^rpc error: code = \w+ desc = (failed to exec in container: .*)$/s, "Internal error occurred: error executing command in container: $1"));
      throw e;
    }
    // The command's output exactly as it wrote it: kubectl copies the streams and adds nothing
    // (`kubectl exec p -- printf hello` prints `hello` without a newline).
    if (output) (inv.write ?? inv.out)(output);
    if (errput) (inv.writeErr ?? ((t: string) => inv.err(t.replace(/\n$/, ""))))(errput);
    if (code === undefined) throw new KubectlError("command did not finish within 10 minutes of simulated time and was killed", 1);
    if (code !== 0) {
      inv.err(`command terminated with exit code ${code}`);
      return code;
    }
    return 0;
  },
};

/** The pod a POD or TYPE/NAME argument stands for (exec's builder, then attachablePodForObject). */
export function podToExecIn(inv: Invocation, arg: string): KObject {
  if (!arg.includes("/")) return inv.ctx.api.getOrThrow("Pod", inv.namespace, arg);
  const found = fetch(inv, selectionsFromArgs(inv, [arg]), { namespace: inv.namespace });
  const missing = found.errors[0];
  if (missing) throw missing;
  const obj = found.items[0]!.obj;
  if (obj.kind === "Pod") return obj;
  const selector = selectorFor(obj, "attach to");
  const pods = inv.ctx.api.list("Pod", { namespace: inv.namespace, labelSelector: (l) => selector.matches(l) });
  // GetFirstPod sorts with sort.Reverse(ActivePods): the most active pod first.
  const first = pods.sort((a, b) => activePodsLess(b, a) ? -1 : activePodsLess(a, b) ? 1 : 0)[0];
  // kubectl would watch for a pod until --pod-running-timeout; simulated time does not pass here.
  if (!first) throw new KubectlError("timed out waiting for the condition");
  return first;
}

/**
 * podutils.ActivePods' Less (staging/src/k8s.io/kubectl/pkg/util/podutils/podutils.go): unassigned
 * < assigned, Pending < Unknown < Running, not ready < ready, ready for less time < more time, more
 * restarts < fewer, newer < older.
 */
export function activePodsLess(a: KObject, b: KObject): boolean {
  const na = a.spec?.nodeName ?? "";
  const nb = b.spec?.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na === "";
  const rank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const pa = rank[String(a.status?.phase)] ?? 0;
  const pb = rank[String(b.status?.phase)] ?? 0;
  if (pa !== pb) return pa < pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return !ra;
  if (ra && rb) {
    // Ready for less time first: a later ready time is less.
    const ta = timeOf(podCondition(a, "Ready")?.lastTransitionTime);
    const tb = timeOf(podCondition(b, "Ready")?.lastTransitionTime);
    if (ta !== tb) return ta > tb;
  }
  const restarts = (p: KObject) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s: { restartCount?: number }) => s.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(a) > restarts(b);
  const ca = timeOf(a.metadata.creationTimestamp);
  const cb = timeOf(b.metadata.creationTimestamp);
  if (ca !== cb) return ca > cb;
  return false;
}
