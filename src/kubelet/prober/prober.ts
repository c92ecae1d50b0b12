/**
 * pkg/kubelet/prober/prober.go: runs one probe of a container with its handler (exec, httpGet,
 * tcpSocket, grpc) and records the kubelet's events: Warning `Unhealthy`
 * `<Type> probe failed: <output>` on every failed run, Warning `ProbeWarning`
 * `<Type> probe warning: <output>` for a 3xx answer (which counts as success), and Warning
 * `Unhealthy` `<Type> probe errored and resulted in unknown state: <error>` when the probe could
 * not run (its result is then thrown away by the worker).
 */
import type { ClusterContext } from "../../context.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import type { Container, Pod, PodStatus, Probe } from "../../api/types.gen.ts";
import type { HttpOutcome, HttpRequestSpec, Process } from "../../runtime/types.ts";
import { clusterNetwork, type ClusterNetwork } from "../../network/network.ts";
import { findContainerPort } from "../../network/podutil.ts";
import type { Result } from "./results/results_manager.ts";
import { doExecProbe } from "./probe/exec.ts";
import { doGRPCProbe } from "./probe/grpc.ts";
import { doHTTPProbe, httpOutcomeToProbe, probeHeaders, probeURL } from "./probe/http.ts";
import { plainToTLS } from "../../runtime/tls.ts";
import type { ProbeOutcome } from "./probe/probe.ts";
import { doTCPProbe } from "./probe/tcp.ts";
import { recordKept, type KeptEvents } from "../util/kept_events.ts";

export type ProbeType = "Liveness" | "Readiness" | "Startup";

/** What the prober needs from its kubelet. */
export interface ProberHost {
  readonly nodeName: string;
  /** statusManager.GetPodStatus: the latest status the kubelet computed for the pod (undefined before the first). */
  getPodStatus(podUID: string): PodStatus | undefined;
  /**
   * The runtime's ExecSync: a process running argv in the container (the image's shell on the
   * container's filesystem, e.g. `createShellProcess(argv, io)`), with its stdout and stderr sent
   * to `output`; an Error when the container cannot run it.
   */
  execInContainer(pod: Pod, containerName: string, containerID: string, argv: string[], output: (text: string) => void): Process | Error;
}

export function probeSpecOf(container: Container, type: ProbeType): Probe | undefined {
  return type === "Liveness" ? container.livenessProbe : type === "Readiness" ? container.readinessProbe : container.startupProbe;
}

/** SetDefaults_Probe: timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3. */
export function probeDefaults(spec: Probe): { initialDelaySeconds: number; timeoutSeconds: number; periodSeconds: number; successThreshold: number; failureThreshold: number } {
  return {
    initialDelaySeconds: spec.initialDelaySeconds ?? 0,
    timeoutSeconds: spec.timeoutSeconds || 1,
    periodSeconds: spec.periodSeconds || 10,
    successThreshold: spec.successThreshold || 1,
    failureThreshold: spec.failureThreshold || 3,
  };
}

function isInit(pod: Pod, name: string): boolean {
  return (pod.spec?.initContainers ?? []).some((c) => c.name === name);
}

interface HttpProbeRequest {
  podIP: string;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  https: boolean;
  /** The request as sent (plain HTTP). */
  spec: HttpRequestSpec;
}

export class Prober {
  private readonly httpRequests = new WeakMap<object, HttpProbeRequest>();
  private readonly send: (req: HttpRequestSpec, cb: (o: HttpOutcome) => void) => void;
  private network: ClusterNetwork | undefined;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly host: ProberHost,
  ) {
    // The kubelet's own requests: from the node, where no NetworkPolicy applies.
    this.send = (req, cb) => this.net().httpFromNode(req, cb);
  }

  private net(): ClusterNetwork {
    return (this.network ??= clusterNetwork(this.ctx));
  }

  /**
   * Runs the probe; `done` receives the result for the worker (or an error: the run is discarded).
   * Called in tail position (the caller's callback does nothing after it returns), so an answer
   * due at once may be handed over directly (`ClusterNetwork.httpFromNode`'s `tail`).
   */
  probe(type: ProbeType, pod: Pod, status: PodStatus | undefined, container: Container, containerID: string, done: (result: Result, err?: Error) => void, kept?: KeptEvents): void {
    const spec = probeSpecOf(container, type);
    if (!spec) return void this.ctx.clock.setTimeout(() => done("Success"), 0);
    if (spec.httpGet && !this.ctx.reference) {
      // An HTTP GET (every period, for most probes): the request built once, one callback per run.
      const req = this.httpRequest(spec, container, status);
      if (!(req instanceof Error) && !req.https) {
        // In tail position: the worker runs probes as the last act of its callbacks (see Worker).
        // A 2xx answer is a success and records nothing: no ProbeOutcome is made for it.
        // A TLS port answers a plain request with Go's 400 (src/runtime/tls.ts).
        this.net().httpFromNode(req.spec, (o) => done(o.ok && !o.tls && o.status >= 200 && o.status < 300 ? "Success" : this.outcomeResult(type, pod, container, httpOutcomeToProbe(req.url, plainToTLS(o)), kept)), true);
        return;
      }
    }
    this.runProbe(spec, pod, status, container, containerID, (o, err) => {
      if (err) {
        this.event(pod, container, "Unhealthy", `${type} probe errored and resulted in ${o.result} state: ${err.message}`, kept);
        return done("Failure", err);
      }
      done(this.outcomeResult(type, pod, container, o, kept));
    });
  }

  /**
   * Issue #19: the HTTP probe that just answered (this instant) may stop ticking while its answer
   * cannot change (`ClusterNetwork.sleepNodeRequest`): `handle` is its dormant ticker. Returns the
   * cancel, or undefined when it must keep ticking.
   */
  sleep(type: ProbeType, container: Container, status: PodStatus | undefined, handle: TimerHandle, period: number, wake: () => void): (() => void) | undefined {
    if (this.ctx.reference) return undefined;
    const spec = probeSpecOf(container, type);
    if (!spec?.httpGet) return undefined;
    const req = this.httpRequest(spec, container, status);
    if (req instanceof Error || req.https) return undefined;
    return this.net().sleepNodeRequest(req.spec.url, handle, period, wake);
  }

  /** A probe's outcome as the worker's result, with the kubelet's events for warnings and failures. */
  private outcomeResult(type: ProbeType, pod: Pod, container: Container, o: ProbeOutcome, kept: KeptEvents | undefined): Result {
    switch (o.result) {
      case "success":
        return "Success";
      case "warning":
        this.event(pod, container, "ProbeWarning", `${type} probe warning: ${o.output}`, kept);
        return "Success";
      case "failure":
        this.event(pod, container, "Unhealthy", `${type} probe failed: ${o.output}`, kept);
        return "Failure";
      default:
        return "Unknown";
    }
  }

  /** The HTTP probe's request: the same every period, built once per probe spec and pod IP. */
  private httpRequest(spec: Probe, container: Container, status: PodStatus | undefined): HttpProbeRequest | Error {
    const podIP: string = status?.podIP ?? "";
    let req = this.httpRequests.get(spec);
    if (!req || req.podIP !== podIP) {
      const port = findContainerPort(container, spec.httpGet!.port);
      if (port instanceof Error) return port;
      const host = spec.httpGet!.host || podIP;
      const url = probeURL(spec.httpGet!.scheme ?? "HTTP", host, port, spec.httpGet!.path ?? "/");
      const headers = probeHeaders(spec.httpGet!.httpHeaders);
      const timeoutMs = probeDefaults(spec).timeoutSeconds * 1000;
      req = { podIP, url, headers, timeoutMs, https: url.startsWith("https://"), spec: { method: "GET", url, headers, timeoutMs } };
      this.httpRequests.set(spec, req);
    }
    return req;
  }

  private runProbe(spec: Probe, pod: Pod, status: PodStatus | undefined, container: Container, containerID: string, done: (o: ProbeOutcome, err?: Error) => void): void {
    const clock = this.ctx.clock;
    const podIP: string = status?.podIP ?? "";
    const net = this.net();
    if (spec.httpGet) {
      const req = this.httpRequest(spec, container, status);
      if (req instanceof Error) return void this.fail(done, req);
      return doHTTPProbe(this.send, req.url, req.headers, req.timeoutMs, done);
    }
    const timeoutMs = probeDefaults(spec).timeoutSeconds * 1000;
    if (spec.exec) {
      const argv: string[] = (spec.exec.command ?? []).map((a: string) => expandStatic(a, container.env));
      return doExecProbe(clock, (a, out) => this.host.execInContainer(pod, container.name, containerID, a, out), argv, timeoutMs, done);
    }
    if (spec.tcpSocket) {
      const port = findContainerPort(container, spec.tcpSocket.port);
      if (port instanceof Error) return void this.fail(done, port);
      const o = doTCPProbe((h, p) => net.dial(h, p), spec.tcpSocket.host || podIP, port);
      return void clock.setTimeout(() => done(o), 0);
    }
    if (spec.grpc) {
      return doGRPCProbe((req, cb) => net.http(req, cb), podIP, spec.grpc.port, spec.grpc.service ?? "", timeoutMs, done);
    }
    this.fail(done, new Error(`missing probe handler for ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid}):${container.name}`));
  }

  private fail(done: (o: ProbeOutcome, err?: Error) => void, err: Error): void {
    this.ctx.clock.setTimeout(() => done({ result: "unknown", output: "" }, err), 0);
  }

  /**
   * A Warning about the probed container. With `kept` (the worker's, on the fast engine) an event
   * equal to the one last recorded for that reason is correlated through its kept handle
   * (`recordKept`: the same keys, so the same count, timestamps and writes as a full record).
   */
  private event(pod: Pod, container: Container, reason: string, message: string, kept?: KeptEvents): void {
    recordKept(this.ctx, kept, pod, container.name, {
      type: "Warning",
      reason,
      message,
      source: { component: "kubelet", host: this.host.nodeName },
      fieldPath: `spec.${isInit(pod, container.name) ? "initContainers" : "containers"}{${container.name}}`,
    });
  }
}

/** ExpandContainerCommandOnlyStatic: `$(VAR)` from the container's literal env values; `$$` escapes. */
export function expandStatic(arg: string, env: Array<{ name: string; value?: string }> | undefined): string {
  const vars = new Map((env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name) => (m === "$$" ? "$" : vars.has(name) ? vars.get(name)! : m));
}
