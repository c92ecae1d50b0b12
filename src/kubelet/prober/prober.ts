/**
 * pkg/kubelet/prober/prober.go: runs one probe of a container with its handler (exec, httpGet,
 * tcpSocket, grpc) and records the kubelet's events: Warning `Unhealthy`
 * `<Type> probe failed: <output>` on every failed run, Warning `ProbeWarning`
 * `<Type> probe warning: <output>` for a 3xx answer (which counts as success), and Warning
 * `Unhealthy` `<Type> probe errored and resulted in unknown state: <error>` when the probe could
 * not run (its result is then thrown away by the worker).
 */
import type { ClusterContext } from "../../context.ts";
import type { Container, Pod, PodStatus, Probe } from "../../api/types.gen.ts";
import type { HttpOutcome, HttpRequestSpec, Process } from "../../runtime/types.ts";
import { clusterNetwork } from "../../network/network.ts";
import { findContainerPort } from "../../network/podutil.ts";
import type { Result } from "./results/results_manager.ts";
import { doExecProbe } from "./probe/exec.ts";
import { doGRPCProbe } from "./probe/grpc.ts";
import { doHTTPProbe, probeHeaders, probeURL } from "./probe/http.ts";
import type { ProbeOutcome } from "./probe/probe.ts";
import { doTCPProbe } from "./probe/tcp.ts";

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

export class Prober {
  private readonly httpRequests = new WeakMap<object, { podIP: string; url: string; headers: Record<string, string> }>();
  private readonly send: (req: HttpRequestSpec, cb: (o: HttpOutcome) => void) => void;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly host: ProberHost,
  ) {
    this.send = (req, cb) => clusterNetwork(this.ctx).http(req, cb);
  }

  /** Runs the probe; `done` receives the result for the worker (or an error: the run is discarded). */
  probe(type: ProbeType, pod: Pod, status: PodStatus | undefined, container: Container, containerID: string, done: (result: Result, err?: Error) => void): void {
    const spec = probeSpecOf(container, type);
    if (!spec) return void this.ctx.clock.setTimeout(() => done("Success"), 0);
    this.runProbe(spec, pod, status, container, containerID, (o, err) => {
      if (err) {
        this.event(pod, container, "Unhealthy", `${type} probe errored and resulted in ${o.result} state: ${err.message}`);
        return done("Failure", err);
      }
      switch (o.result) {
        case "success":
          return done("Success");
        case "warning":
          this.event(pod, container, "ProbeWarning", `${type} probe warning: ${o.output}`);
          return done("Success");
        case "failure":
          this.event(pod, container, "Unhealthy", `${type} probe failed: ${o.output}`);
          return done("Failure");
        default:
          return done("Unknown");
      }
    });
  }

  private runProbe(spec: Probe, pod: Pod, status: PodStatus | undefined, container: Container, containerID: string, done: (o: ProbeOutcome, err?: Error) => void): void {
    const clock = this.ctx.clock;
    const timeoutMs = probeDefaults(spec).timeoutSeconds * 1000;
    const net = clusterNetwork(this.ctx);
    const podIP: string = status?.podIP ?? "";
    if (spec.exec) {
      const argv: string[] = (spec.exec.command ?? []).map((a: string) => expandStatic(a, container.env));
      return doExecProbe(clock, (a, out) => this.host.execInContainer(pod, container.name, containerID, a, out), argv, timeoutMs, done);
    }
    if (spec.httpGet) {
      // The request is the same every period: built once per probe spec and pod IP.
      let req = this.httpRequests.get(spec);
      if (!req || req.podIP !== podIP) {
        const port = findContainerPort(container, spec.httpGet.port);
        if (port instanceof Error) return void this.fail(done, port);
        const host = spec.httpGet.host || podIP;
        req = { podIP, url: probeURL(spec.httpGet.scheme ?? "HTTP", host, port, spec.httpGet.path ?? "/"), headers: probeHeaders(spec.httpGet.httpHeaders) };
        this.httpRequests.set(spec, req);
      }
      return doHTTPProbe(this.send, req.url, req.headers, timeoutMs, done);
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

  private event(pod: Pod, container: Container, reason: string, message: string): void {
    this.ctx.events.record(pod, {
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
