/**
 * pods/exec over WebSocket, as kube-apiserver (proxying the kubelet's streaming server) speaks it
 * to kubectl v1.32: subprotocol `v5.channel.k8s.io` (or v4), each binary message prefixed with its
 * channel (0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, 255 close in v5). The command
 * runs in the simulated container once standard input has been closed by the client (the
 * simulated shell reads its whole input at start); simulated time passes until it ends, as with
 * the in-process `kubectl exec`. Its status goes on channel 3 as a metav1.Status: `Success`, or
 * `NonZeroExitCode` with the code, which kubectl turns into `command terminated with exit code N`.
 */
import { queryBool } from "../api/options.ts";
import { setTimeout as delay } from "node:timers/promises";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { ApiError } from "../api/errors.ts";
import type { Cluster } from "../cluster.ts";
import type { Pod } from "../api/types.gen.ts";
import { kubeletFor, runToCompletion } from "../kubelet/server.ts";
import { followLog, logChunks } from "../kubelet/kuberuntime/runtime_service.ts";
import { AwaitingAttach } from "../kubelet/kuberuntime/kuberuntime_manager.ts";
import { detached } from "./panicrecovery.ts";
import { acceptWebSocket, CLOSE_INTERNAL_ERROR } from "./websocket.ts";

export const STREAM_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

/**
 * The most standard input one exec takes. The simulated shell reads its whole input at start, so it
 * is held in memory (a real exec streams it to the process and has no such limit); past it the
 * exec fails with a Status saying so.
 */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

/**
 * The kubelet's refusal of a stream: a plain-text 500 the API server passes through, which kubectl
 * prints as `unable to upgrade connection: <text>`.
 */
export class KubeletStreamError extends Error {
  constructor(
    message: string,
    /** The kubelet's status code (500 for a missing container, 400 for a request it refuses). */
    readonly code = 500,
  ) {
    super(message);
  }
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** PodAttachOptions from the query: an attach is an exec without a command. */
export function parseAttachRequest(namespace: string, pod: string, q: URLSearchParams): ExecRequest {
  return { ...parseExecRequest(namespace, pod, q), command: [] };
}

export function parseExecRequest(namespace: string, pod: string, q: URLSearchParams): ExecRequest {
  const flag = (k: string) => queryBool(q, k);
  return { namespace, pod, container: q.get("container") ?? undefined, command: q.getAll("command"), stdin: flag("stdin"), stdout: flag("stdout"), stderr: flag("stderr"), tty: flag("tty") };
}

/**
 * What the API server and kubelet check before upgrading: the pod exists, runs the container, and
 * a command is given. Throws the ApiError sent back as the (non-101) response.
 */
export function checkExec(cluster: Cluster, r: ExecRequest, attach = false, upgrade = true): { container: string } {
  const pod = cluster.api.getOrThrow("Pod", r.namespace, r.pod) as Pod;
  if (!attach && r.command.length === 0) throw new ApiError("BadRequest", "you must specify at least one command for the container");
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  let container = r.container;
  if (!container) {
    if ((pod.spec?.containers?.length ?? 0) !== 1) throw new ApiError("BadRequest", `a container name must be specified for pod ${r.pod}, choose one of: [${(pod.spec?.containers ?? []).map((c) => c.name).join(" ")}]`);
    container = pod.spec!.containers[0].name;
  }
  if (!containers.some((c) => c.name === container)) throw new ApiError("BadRequest", `container ${container} is not valid for pod ${r.pod}`);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") throw new ApiError("BadRequest", `cannot ${attach ? "attach to" : "exec into"} a container in a completed pod; current phase is ${phase}`);
  if (!pod.spec?.nodeName) throw new ApiError("BadRequest", `pod ${r.pod} does not have a host assigned`);
  // Without an Upgrade header the API server's proxy answers before it reaches the kubelet (UpgradeAwareHandler's UpgradeRequired).
  if (!upgrade) throw new ApiError("BadRequest", "Upgrade request required");
  // The kubelet reads the streams first (remotecommand.NewOptions, kubelet/pkg/cri/streaming/
  // remotecommand/httpstream.go): a stream with none of them is its plain-text 400, passed through.
  if (!r.stdin && !r.stdout && !r.stderr) throw new KubeletStreamError("you must specify at least 1 of stdin, stdout, stderr", 400);
  // The kubelet refuses the stream when the container has no running instance (kubectl then says
  // `unable to upgrade connection: container not found ("c")`).
  const kubelet = kubeletFor(cluster.ctx, pod.spec.nodeName);
  const inst = kubelet?.runtime.latest(pod.metadata.uid!, container);
  if (!inst || inst.state !== "running") throw new KubeletStreamError(`container not found (${JSON.stringify(container)})`);
  return { container };
}

/** Upgrades the connection and runs the command, streaming its output and status. */
/** How long the facade lets a client set up its streams before it sends output (wall-clock ms). */
const STREAM_SETUP_MS = 150;

export function serveExec(cluster: Cluster, r: ExecRequest, container: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const ws = acceptWebSocket(req, socket, head, STREAM_PROTOCOLS);
  if (!ws) return;
  const v5 = ws.protocol === "v5.channel.k8s.io";
  const send = (channel: number, text: string) => {
    if (text) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text, "utf8")]));
  };
  const status = (s: object) => {
    send(ERROR, JSON.stringify({ metadata: {}, ...s }));
    ws.close();
  };
  const input: Buffer[] = [];
  let inputBytes = 0;
  let started = false;
  const run = () => {
    if (started) return;
    started = true;
    cluster.clock.settle();
    const pod = cluster.api.get("Pod", r.namespace, r.pod);
    const kubelet = pod ? kubeletFor(cluster.ctx, pod.spec?.nodeName) : undefined;
    const inst = pod && kubelet?.runtime.latest(pod.metadata.uid!, container);
    if (!pod || !kubelet || !inst || inst.state !== "running") {
      return status({ status: "Failure", message: `container not found (${JSON.stringify(container)})`, reason: "InternalError", code: 500 });
    }
    // The output in the order the command wrote it, stdout and stderr interleaved as the kubelet
    // streams them (`tar cf -` warns on stderr before its archive on stdout).
    const frames: Array<[number, string]> = [];
    const emit = (channel: number) => (t: string) => {
      const last = frames[frames.length - 1];
      if (last && last[0] === channel) last[1] += t;
      else frames.push([channel, t]);
    };
    // With a TTY, stderr shares the terminal with stdout.
    const toErr = r.tty || !r.stderr ? emit(STDOUT) : emit(STDERR);
    const stdin = r.stdin ? Buffer.concat(input, inputBytes).toString("utf8") : undefined;
    input.length = 0;
    const p = kubelet.execInContainer(pod, container, inst.id, r.command, emit(STDOUT), { stdin, stderr: toErr });
    // The kubelet's streaming server wraps the runtime's error (remotecommand's NewInternalError of
    // "error executing command in container: …"), as the in-process kubectl exec says it.
    if (p instanceof Error) return status({ status: "Failure", message: p.message.replace(/^rpc error: code = \w+ desc = (failed to exec in container: .*)$/s, "Internal error occurred: error executing command in container: $1"), reason: "InternalError", code: 500 });
    const code = runToCompletion(cluster.clock, p);
    cluster.clock.settle();
    for (const [channel, text] of frames) if (channel === STDERR ? r.stderr && !r.tty : r.stdout || r.tty) send(channel, text);
    if (code === undefined) return status({ status: "Failure", message: "command did not finish within 10 minutes of simulated time and was killed", reason: "InternalError", code: 500 });
    if (code === 0) return status({ status: "Success" });
    status({
      status: "Failure",
      message: `command terminated with non-zero exit code: error executing command [${r.command.join(" ")}], exit code ${code}`,
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: String(code) }] },
    });
  };
  ws.onMessage((data) => {
    if (data.length === 0) return;
    const channel = data[0];
    if (channel === STDIN) {
      if (started) return;
      inputBytes += data.length - 1;
      if (inputBytes > MAX_STDIN_BYTES) {
        started = true;
        input.length = 0;
        return status({ status: "Failure", message: `standard input over ${MAX_STDIN_BYTES} bytes: the simulated API server holds an exec's whole input in memory and takes at most that much`, reason: "RequestEntityTooLarge", code: 413 });
      }
      input.push(data.subarray(1));
    } else if (channel === CLOSE && data[1] === STDIN) run();
  });
  ws.onClose(() => {
    started = true;
  });
  // Without stdin (or before v5, which cannot signal its end) the command runs without waiting for
  // input, but not at once: client-go creates its streams only after the handshake and discards
  // frames for a stream it has not created yet ("Unknown stream id 1, discarding message", then
  // "error: closed all streams"). A real exec reaches the client after the kubelet's round trip;
  // this wall-clock pause of the HTTP layer stands in for it (simulated time does not move).
  if (!r.stdin || !v5) detached("exec", delay(STREAM_SETUP_MS).then(run), () => ws.close(CLOSE_INTERNAL_ERROR));
}

/**
 * pods/attach over WebSocket (the kubelet's ServeAttach behind the API server's proxy): what the
 * container's main process writes from the attach on goes to stdout (the simulated runtime keeps
 * one log, so stderr's lines come on stdout too), as simulated time passes, until the instance
 * ends; then a `Success` status (the kubelet reports no exit code for an attach: `kubectl run`
 * reads it from the pod). With `stdin`, what the client sends until it closes standard input (v5)
 * starts a shell that waits for its input (`stdin: true`); other containers' input goes nowhere.
 */
export function serveAttach(cluster: Cluster, r: ExecRequest, container: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const ws = acceptWebSocket(req, socket, head, STREAM_PROTOCOLS);
  if (!ws) return;
  const pod = cluster.api.get("Pod", r.namespace, r.pod);
  const kubelet = pod ? kubeletFor(cluster.ctx, pod.spec?.nodeName) : undefined;
  const inst = pod && kubelet?.runtime.latest(pod.metadata.uid!, container);
  let closed = false;
  const status = (s: object) => {
    if (closed) return;
    closed = true;
    ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify({ metadata: {}, ...s }), "utf8")]));
    ws.close();
  };
  if (!inst || inst.state !== "running") return status({ status: "Failure", message: `container not found (${JSON.stringify(container)})`, reason: "InternalError", code: 500 });
  const text = () => logChunks(inst).texts.join("");
  let sent = text().length;
  // Output waits until the client has set its streams up (see STREAM_SETUP_MS).
  let ready = false;
  let exited = false;
  const flush = () => {
    if (!ready || closed) return;
    const all = text();
    if (all.length > sent && (r.stdout || r.tty)) ws.send(Buffer.concat([Buffer.from([STDOUT]), Buffer.from(all.slice(sent), "utf8")]));
    sent = all.length;
    if (exited) status({ status: "Success" });
  };
  const onLog = () => flush();
  const onExit = () => {
    exited = true;
    stop();
    flush();
  };
  const stop = () => {
    inst.onLog?.delete(onLog);
    const i = inst.onExited.indexOf(onExit);
    if (i >= 0) inst.onExited.splice(i, 1);
  };
  followLog(inst, onLog);
  inst.onExited.push(onExit);
  const input: Buffer[] = [];
  let inputBytes = 0;
  ws.onMessage((data) => {
    if (data.length === 0 || !r.stdin) return;
    if (data[0] === STDIN) {
      inputBytes += data.length - 1;
      if (inputBytes > MAX_STDIN_BYTES) return status({ status: "Failure", message: `standard input over ${MAX_STDIN_BYTES} bytes: the simulated API server holds an attach's whole input in memory and takes at most that much`, reason: "RequestEntityTooLarge", code: 413 });
      input.push(data.subarray(1));
    } else if (data[0] === CLOSE && data[1] === STDIN && inst.process instanceof AwaitingAttach) {
      inst.process.attach(Buffer.concat(input).toString("utf8"));
      input.length = 0;
      cluster.clock.settle();
    }
  });
  ws.onClose(() => {
    closed = true;
    stop();
  });
  detached(
    "attach",
    delay(STREAM_SETUP_MS).then(() => {
      ready = true;
      flush();
    }),
    () => ws.close(CLOSE_INTERNAL_ERROR),
  );
}
