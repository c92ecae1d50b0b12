/**
 * What the kubelet serves to `kubectl logs` and `kubectl exec` (pkg/kubelet/server and the API
 * server's pod log/exec subresources): container logs (current or previous instance) with the API
 * server's and kubelet's error texts, and running a command in a container until it ends, letting
 * simulated time pass (bounded). `kubeletServer` is the kubelet's side of the narrow interface
 * clients take (src/api/kubeletclient.ts); the kubelet manager registers it.
 */
import { runtimePodUid } from "./pod/mirror_client.ts";
import type { ClusterContext } from "../context.ts";
import type { ContainerStatus, Pod } from "../api/types.gen.ts";
import { ApiError } from "../api/errors.ts";
import type { Process } from "../runtime/types.ts";
import type { SimClock } from "../sim/clock.ts";
import type { Kubelet } from "./kubelet.ts";
import { logChunks, type ContainerInstance } from "./kuberuntime/runtime_service.ts";
import { readLogs } from "./kuberuntime/logs.ts";
import { AwaitingAttach } from "./kuberuntime/kuberuntime_manager.ts";
import { ContainerNotRunningError, ExecFailedError, KUBELET_PORT, type KubeletClient } from "../api/kubeletclient.ts";
import { serveKubeletPath, type KubeletMetricsSource } from "./metrics/endpoints.ts";
import { clusterNetwork } from "../network/network.ts";
import { fakeDigest } from "../images/reference.ts";

/** How long `kubectl exec` / `on node` commands may run in simulated time before giving up. */
export const EXEC_CAP_MS = 10 * 60_000;
const STEP_MS = 100;

export function kubeletFor(ctx: ClusterContext, nodeName: string | undefined): Kubelet | undefined {
  if (!nodeName) return undefined;
  return ctx.services.get("kubelets")?.get(nodeName);
}

function containerStatus(pod: Pod, name: string): ContainerStatus | undefined {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s) => s.name === name);
}

function logText(c: ContainerInstance): string {
  return logChunks(c).texts.join("");
}

/** The log of a container instance, as the API server's pods/log returns it. */
export function containerLogs(ctx: ClusterContext, pod: Pod, container: string, previous: boolean): string {
  const c = containerInstance(ctx, pod, container, previous);
  return c ? logChunks(c).texts.join("") : "";
}

/**
 * The container instance whose log pods/log reads (current or previous), with the API server's
 * errors; undefined for a pod not yet bound to a node: LogLocation (pkg/registry/core/pod/
 * strategy.go, v1.32) checks the container's name and then, when `spec.nodeName` is empty, returns
 * no location, which the log REST answers with an empty stream (200): `kubectl logs` of an
 * unscheduled pod prints nothing and exits 0 — unlike exec and attach, which are refused
 * (`pod x does not have a host assigned`).
 */
export function containerInstance(ctx: ClusterContext, pod: Pod, container: string, previous: boolean): ContainerInstance | undefined {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (!all.some((c) => c.name === container)) {
    throw new ApiError("BadRequest", `container ${container} is not valid for pod ${pod.metadata.name}`);
  }
  if (!pod.spec?.nodeName) return undefined;
  const kubelet = kubeletFor(ctx, pod.spec?.nodeName);
  const rt = kubelet?.runtime;
  const uid = runtimePodUid(pod);
  if (previous) {
    const prev = rt?.previous(uid, container);
    if (!prev) throw new ApiError("BadRequest", `previous terminated container ${JSON.stringify(container)} in pod ${JSON.stringify(pod.metadata.name)} not found`);
    return prev;
  }
  const latest = rt?.latest(uid, container);
  if (!latest) {
    const waiting = containerStatus(pod, container)?.state?.waiting;
    let reason = waiting?.reason ?? (pod.spec?.initContainers?.length ? "PodInitializing" : "ContainerCreating");
    if (reason === "ErrImagePull" || reason === "ImagePullBackOff") reason = "trying and failing to pull image";
    if (reason === "ErrImageNeverPull") reason = "image can't be pulled";
    throw new ApiError("BadRequest", `container ${JSON.stringify(container)} in pod ${JSON.stringify(pod.metadata.name)} is waiting to start: ${reason}`);
  }
  return latest;
}

/**
 * Starts `p` and lets simulated time pass until it exits (or `capMs` passes): the exit code, or
 * undefined when it was still running at the cap (it is then killed).
 */
export function runToCompletion(clock: SimClock, p: Process, capMs = EXEC_CAP_MS): number | undefined {
  let code: number | undefined;
  p.start((c) => (code = c));
  clock.settle();
  let waited = 0;
  while (code === undefined && waited < capMs) {
    clock.advance(STEP_MS);
    waited += STEP_MS;
  }
  if (code === undefined) {
    p.kill("SIGKILL");
    clock.settle();
  }
  return code;
}

/** The kubelets' server as the API server's kubelet client reaches it (src/api/kubeletclient.ts). */
export function kubeletServer(ctx: ClusterContext): KubeletClient {
  const running = (pod: Parameters<KubeletClient["exec"]>[0], container: string) => {
    const kubelet = kubeletFor(ctx, pod.spec?.nodeName);
    const inst = kubelet?.runtime.latest(runtimePodUid(pod), container);
    return kubelet && inst?.state === "running" ? { kubelet, inst } : undefined;
  };
  return {
    containerLogs(pod, container, previous, opts) {
      const c = containerInstance(ctx, pod, container, previous);
      if (!c) return { text: "", live: false };
      return { text: readLogs(c, opts), live: c.state === "running" || c.state === "created" };
    },
    containerRunning: (pod, container) => running(pod, container) !== undefined,
    exec(pod, container, command, stdout, streams) {
      // The API server's streamLocation (pkg/registry/core/pod/strategy.go) refuses a pod without a node.
      if (!pod.spec?.nodeName) throw new ApiError("BadRequest", `pod ${pod.metadata.name} does not have a host assigned`);
      const r = running(pod, container);
      if (!r) throw new ContainerNotRunningError(container);
      const p = r.kubelet.execInContainer(pod, container, r.inst.id, command, stdout, streams);
      if (p instanceof Error) throw new ExecFailedError(p.message);
      return runToCompletion(ctx.clock, p);
    },
    awaitsInput(pod, container) {
      const inst = running(pod, container)?.inst;
      const p = inst?.process;
      // An interactive shell not yet started, or a program blocked on standard input nobody has sent yet.
      return (p instanceof AwaitingAttach && p.waiting) || (!!inst?.stdinPipe && !inst.stdinPipe.writerClosed && inst.stdinPipe.buf === "" && inst.stdinPipe.awaited);
    },
    attach(pod, container, stdin, stdout) {
      const r = running(pod, container);
      if (!r) throw new ContainerNotRunningError(container);
      const inst = r.inst;
      const from = logText(inst).length;
      if (stdin !== undefined && inst.process instanceof AwaitingAttach) inst.process.attach(stdin);
      else if (stdin !== undefined && inst.stdinPipe && !inst.stdinPipe.writerClosed) {
        // The client's input, then end of file when the container's stdin is for one attach (stdinOnce).
        inst.stdinPipe.write(stdin);
        if (inst.spec.stdinOnce) inst.stdinPipe.closeWriter();
      }
      ctx.clock.settle();
      let waited = 0;
      while (inst.state === "running" && waited < EXEC_CAP_MS) {
        ctx.clock.advance(STEP_MS);
        waited += STEP_MS;
      }
      const text = logText(inst).slice(from);
      if (text) stdout(text);
      return inst.state === "running" ? undefined : inst.exitCode ?? 0;
    },
    portForward(pod, port, req, done) {
      if (!pod.spec?.nodeName) throw new ApiError("BadRequest", `pod ${pod.metadata.name} does not have a host assigned`);
      const sandbox = kubeletFor(ctx, pod.spec.nodeName)?.runtime.sandbox(runtimePodUid(pod));
      // containerd's PortForward (internal/cri/server/sandbox_portforward_linux.go): the sandbox by
      // id, then a dial of localhost:<port> inside its network namespace, IPv4 then IPv6.
      const fail = (why: string) => ctx.clock.setTimeout(() => done({ ok: false, error: `error forwarding port ${port} to pod ${sandbox?.id ?? ""}, uid : ${why}` }), 0);
      if (!sandbox || !sandbox.ready) return void fail(`failed to find sandbox ${JSON.stringify(sandbox?.id ?? "")} in store: not found`);
      const netns = `/var/run/netns/cni-${uuidOf(sandbox.id)}`;
      const namespace = pod.metadata.namespace ?? "default";
      clusterNetwork(ctx).http(
        { method: req.method, url: `http://localhost:${port}${req.path}`, headers: req.headers, timeoutMs: req.timeoutMs },
        (o) => {
          if (o.ok) done({ ok: true, status: o.status, body: o.body, ...(o.headers ? { headers: o.headers } : {}) });
          else if (o.kind === "refused") {
            done({ ok: false, error: `error forwarding port ${port} to pod ${sandbox.id}, uid : failed to execute portforward in network namespace ${JSON.stringify(netns)}: failed to connect to localhost:${port} inside namespace ${JSON.stringify(sandbox.id)}, IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6: address localhost: no suitable address found ` });
          } else done({ ok: false, error: `error forwarding port ${port} to pod ${sandbox.id}, uid : failed to execute portforward in network namespace ${JSON.stringify(netns)}: ${o.error}` });
        },
        { namespace, localPod: { namespace, name: pod.metadata.name! } },
      );
    },
    nodeServer(node, path, delta = 0) {
      const kubelet = kubeletFor(ctx, node.metadata.name);
      if (!kubelet?.isRunning) {
        // Nothing listens on the node's kubelet port: the API server's dial is refused.
        const ip = node.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? kubelet?.internalIP ?? "";
        return { ok: false, error: `dial tcp ${ip}:${KUBELET_PORT}: connect: connection refused` };
      }
      ctx.clock.settle();
      return { ok: true, ...serveKubeletPath(metricsSource(kubelet), path, delta) };
    },
  };
}

/** What the kubelet's metrics endpoints read of it (./metrics/endpoints.ts). */
function metricsSource(k: Kubelet): KubeletMetricsSource {
  return {
    runningPods: () => k.runtime.podUids().filter((uid) => k.runtime.sandbox(uid)?.ready).length,
    runningContainers: () => k.runtime.running().length,
    resourceMetrics: () => {
      const m = k.resourceMetrics();
      if (!m) throw new Error(`the kubelet of ${k.nodeName} does not run`);
      return m;
    },
    podCpuMs: (namespace, name) => {
      let ms = 0;
      for (const uid of k.runtime.podUids()) {
        const pod = k.podOf(uid);
        if (pod?.metadata.name !== name || (pod.metadata.namespace ?? "default") !== namespace) continue;
        for (const c of k.runtime.instances(uid)) ms += c.cpu.usageMs();
      }
      return ms;
    },
  };
}

/** The CNI network namespace's name part (`cni-<uuid>`) for a sandbox: a uuid made from its id. */
function uuidOf(sandboxId: string): string {
  const h = fakeDigest(`netns/${sandboxId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
