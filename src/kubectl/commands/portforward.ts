/**
 * `kubectl port-forward TYPE/NAME [--address …] [LOCAL_PORT:]REMOTE_PORT [...]`
 * (staging/src/k8s.io/kubectl/pkg/cmd/portforward/portforward.go and client-go
 * tools/portforward/portforward.go, v1.32): picks the pod (a bare name is a pod; deploy/, rs/,
 * svc/… the most active of their pods, as attachablePodForObject), maps a Service's port to the
 * pod's port (translateServicePortToTargetPort) or a named container port to its number, refuses
 * UDP ports, checks the pod runs, then listens on each local port on each address (`localhost`:
 * 127.0.0.1 and ::1) of the user's machine and prints `Forwarding from 127.0.0.1:28015 -> 27017`.
 *
 * Each connection to a local port prints `Handling connection for 28015` and goes through the API
 * server and the pod's kubelet to `localhost:<remote port>` inside the pod's network namespace
 * (src/api/kubeletclient.ts `portForward`). When the runtime writes an error on the connection's
 * error stream (nothing listens on the port, the sandbox is gone), kubectl logs it (client-go's
 * runtime.HandleError: `E… portforward.go:413] "Unhandled Error" err="an error occurred forwarding
 * 28015 -> 27017: …"`), closes the connection without an answer, and ends with `error: lost
 * connection to pod` (ForwardPorts returns ErrLostConnectionToPod), exit code 1.
 *
 * The command keeps running: in a terminal of its own (`When I run "…" in a second terminal`) or in
 * the background (`kubectl port-forward svc/web 8080:80 &`), whose later lines show on the terminal
 * with the command line that runs then. A port it is given as 0 (`:27017`) is the kernel's choice
 * (src/kubectl/localnet.ts: deterministic).
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import type { KObject } from "../../api/types.ts";
import { kubeletClient } from "../../api/kubeletclient.ts";
import { klogLine } from "../errors.ts";
import { joinHostPort } from "../localnet.ts";
import { localNetwork } from "../pipeline.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { podToExecIn } from "./exec.ts";

interface ServicePortLike {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

interface ContainerPortLike {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** The pod-side ports a Service's and a pod's lookups read (the fields of corev1.Service and corev1.Pod). */
export interface PortsOf {
  svc?: { name?: string; clusterIP?: string; ports: ServicePortLike[] };
  pod: { name?: string; containers: Array<{ ports?: ContainerPortLike[] }> };
}

/** portforward.go splitPort: `[LOCAL:]REMOTE`. */
export function splitPort(port: string): [string, string] {
  const parts = port.split(":");
  return parts.length === 2 ? [parts[0]!, parts[1]!] : [parts[0]!, parts[0]!];
}

/** Go's strconv.Atoi for the port strings: a decimal integer, else undefined. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** util.LookupContainerPortNumberByName. */
function containerPortByName(pod: PortsOf["pod"], name: string): number {
  for (const c of pod.containers) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new KubectlError(`Pod '${pod.name ?? ""}' does not have a named port '${name}'`);
}

/** util.LookupServicePortNumberByName. */
function servicePortByName(svc: NonNullable<PortsOf["svc"]>, name: string): number {
  for (const p of svc.ports) if (p.name === name) return p.port;
  throw new KubectlError(`Service '${svc.name ?? ""}' does not have a named port '${name}'`);
}

/** util.LookupContainerPortNumberByServicePort: a headless Service's port as it is; an omitted targetPort is the port. */
function containerPortByServicePort(svc: NonNullable<PortsOf["svc"]>, pod: PortsOf["pod"], port: number): number {
  for (const sp of svc.ports) {
    if (sp.port !== port) continue;
    if (svc.clusterIP === "None") return port;
    if (typeof sp.targetPort === "string") return containerPortByName(pod, sp.targetPort);
    return sp.targetPort ? sp.targetPort : sp.port;
  }
  throw new KubectlError(`Service ${svc.name ?? ""} does not have a service port ${port}`);
}

/** portforward.go translateServicePortToTargetPort. */
export function translateServicePortToTargetPort(ports: string[], svc: NonNullable<PortsOf["svc"]>, pod: PortsOf["pod"]): string[] {
  const out: string[] = [];
  for (const port of ports) {
    let [local, remote] = splitPort(port);
    let num = atoi(remote);
    if (num === undefined) {
      num = servicePortByName(svc, remote);
      if (local === remote) local = String(num);
    }
    remote = String(containerPortByServicePort(svc, pod, num));
    out.push(local !== remote ? `${local}:${remote}` : remote);
  }
  return out;
}

/** portforward.go convertPodNamedPortToNumber. */
export function convertPodNamedPortToNumber(ports: string[], pod: PortsOf["pod"]): string[] {
  const out: string[] = [];
  for (const port of ports) {
    const [local, remote] = splitPort(port);
    if (remote === "") throw new KubectlError("remote port cannot be empty");
    const number = atoi(remote) === undefined ? String(containerPortByName(pod, remote)) : remote;
    out.push(local !== remote ? `${local}:${number}` : number);
  }
  return out;
}

/** portforward.go checkUDPPorts over the UDP-only ports (checkUDPPortInService, checkUDPPortInPod). */
export function checkUDPPorts(ports: string[], of: PortsOf): void {
  const udp = new Set<number>();
  const tcp = new Set<number>();
  const declared: Array<{ port: number; protocol?: string }> = of.svc ? of.svc.ports : of.pod.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol })));
  for (const p of declared) {
    if (p.protocol === "UDP") udp.add(p.port);
    else if (p.protocol === "TCP") tcp.add(p.port);
  }
  for (const port of ports) {
    const remote = splitPort(port)[1];
    const num = atoi(remote) ?? (of.svc ? servicePortByName(of.svc, remote) : containerPortByName(of.pod, remote));
    if (udp.has(num) && !tcp.has(num)) throw new KubectlError(`UDP protocol is not supported for ${remote}`);
  }
}

/** A local:remote pair (client-go ForwardedPort). */
export interface ForwardedPort {
  local: number;
  remote: number;
}

/** Go's strconv.ParseUint(s, 10, 16)'s error text, as parsePorts wraps it. */
function parseUint16(s: string): number | string {
  if (!/^\d+$/.test(s)) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  return n > 65535 ? `strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range` : n;
}

/** client-go portforward.go parsePorts. */
export function parsePorts(ports: string[]): ForwardedPort[] {
  const out: ForwardedPort[] = [];
  for (const p of ports) {
    const parts = p.split(":");
    let local: string;
    let remote: string;
    if (parts.length === 1) local = remote = parts[0]!;
    else if (parts.length === 2) {
      local = parts[0] || "0";
      remote = parts[1]!;
    } else throw new KubectlError(`invalid port format '${p}'`);
    const l = parseUint16(local);
    if (typeof l === "string") throw new KubectlError(`error parsing local port '${local}': ${l}`);
    const r = parseUint16(remote);
    if (typeof r === "string") throw new KubectlError(`error parsing remote port '${remote}': ${r}`);
    if (r === 0) throw new KubectlError("remote port must be > 0");
    out.push({ local: l, remote: r });
  }
  return out;
}

interface ListenAddress {
  address: string;
  protocol: "tcp4" | "tcp6";
  failureMode: "all" | "any";
}

/** client-go portforward.go parseAddresses: `localhost` is 127.0.0.1 and ::1 (either may fail), an IP must bind; sorted. */
export function parseAddresses(addresses: string[]): ListenAddress[] {
  const parsed = new Map<string, ListenAddress>();
  for (const a of addresses) {
    if (a === "localhost") {
      if (!parsed.has("127.0.0.1")) parsed.set("127.0.0.1", { address: "127.0.0.1", protocol: "tcp4", failureMode: "all" });
      if (!parsed.has("::1")) parsed.set("::1", { address: "::1", protocol: "tcp6", failureMode: "all" });
    } else if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(a) && a.split(".").every((o) => Number(o) <= 255)) {
      parsed.set(a, { address: a, protocol: "tcp4", failureMode: "any" });
    } else if (a.includes(":") && /^[0-9a-fA-F:.]+$/.test(a)) {
      parsed.set(a, { address: a, protocol: "tcp6", failureMode: "any" });
    } else throw new KubectlError(`${a} is not a valid IP`);
  }
  return [...parsed.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

/** What a port-forward's klog error line says (client-go v1.32 handleConnection, runtime.HandleError). */
function unhandled(local: number, remote: number, message: string): string {
  const err = `an error occurred forwarding ${local} -> ${remote}: ${message}`;
  return `"Unhandled Error" err=${JSON.stringify(err)}`;
}

export const portForwardCommand: CommandDef = {
  path: ["port-forward"],
  flags: [
    { long: "address", type: "stringSlice", default: ["localhost"] },
    { long: "pod-running-timeout", type: "string", default: "1m0s" },
  ],
  run(inv) {
    const args = inv.args;
    // PortForwardOptions.Complete.
    if (args.length < 2) throw new KubectlError("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples", 1, true);
    const obj = resourceOf(inv, args[0]!);
    const pod = obj.kind === "Pod" ? obj : podToExecIn(inv, args[0]!);
    const podPorts: PortsOf["pod"] = { name: pod.metadata.name, containers: pod.spec?.containers ?? [] };
    let ports: string[];
    if (obj.kind === "Service") {
      const svc = { name: obj.metadata.name, clusterIP: obj.spec?.clusterIP, ports: (obj.spec?.ports ?? []) as ServicePortLike[] };
      checkUDPPorts(args.slice(1), { svc, pod: podPorts });
      ports = translateServicePortToTargetPort(args.slice(1), svc, podPorts);
    } else {
      checkUDPPorts(args.slice(1), { pod: podPorts });
      ports = convertPodNamedPortToNumber(args.slice(1), podPorts);
    }
    // RunPortForwardContext: the pod as the server has it now.
    const current = inv.ctx.api.getOrThrow("Pod", pod.metadata.namespace ?? inv.namespace, pod.metadata.name!);
    if (current.status?.phase !== "Running") throw new KubectlError(`unable to forward port because pod is not running. Current status=${current.status?.phase ?? ""}`);
    // NewOnAddresses.
    const addresses = parseAddresses((inv.flags.address as string[] | undefined) ?? ["localhost"]);
    const forwarded = parsePorts(ports);
    const background = inv.background;
    const machine = inv.ctx.machine;
    if (!background || !machine) {
      throw new KubectlError(
        'port-forward keeps kubectl running until it is stopped: run it in a terminal of its own (When I run "kubectl port-forward …" in a second terminal) or in the background (kubectl port-forward … &)',
      );
    }
    const net = localNetwork(machine);
    const out = (text: string) => (background.print ? background.print("stdout", text) : inv.write!(text));
    const err = (text: string) => (background.print ? background.print("stderr", text) : inv.writeErr!(text));
    const bound: Array<{ address: string; port: number }> = [];
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      for (const b of bound) net.close(b.address, b.port);
    };
    background.onStop(end);
    const client = kubeletClient(inv.ctx);
    let anyListens = false;
    for (const port of forwarded) {
      const errors: string[] = [];
      const failures = { all: 0, any: 0 };
      const successes = { all: 0, any: 0 };
      for (const addr of addresses) {
        const r = net.listen(addr.protocol, addr.address, port.local, (req, done) => {
          out(`Handling connection for ${port.local}\n`);
          const now = inv.ctx.api.get("Pod", current.metadata.namespace, current.metadata.name!);
          const target = now && now.metadata.uid === current.metadata.uid ? now : current;
          client.portForward(target, port.remote, { method: req.method, path: req.path, headers: req.headers, timeoutMs: req.timeoutMs }, (a) => {
            if (a.ok) return done({ ok: true, status: a.status, body: a.body, ...(a.headers ? { headers: a.headers } : {}) });
            // The error stream's text: logged, the connection closed unanswered, the stream connection closed.
            err(klogLine("E", inv.ctx.clock.now(), "portforward.go:413", unhandled(port.local, port.remote, a.error)) + "\n");
            done({ ok: false, kind: "empty", error: "empty reply" });
            if (!ended) {
              end();
              err("error: lost connection to pod\n");
            }
          });
        });
        if ("error" in r) {
          errors.push(`unable to create listener: Error ${r.error}`);
          failures[addr.failureMode]++;
          continue;
        }
        successes[addr.failureMode]++;
        port.local = r.port;
        bound.push({ address: addr.address, port: r.port });
        inv.write!(`Forwarding from ${joinHostPort(addr.address, r.port)} -> ${port.remote}\n`);
      }
      const failed = (successes.all === 0 && failures.all > 0) || failures.any > 0;
      if (failed) inv.writeErr!(`Unable to listen on port ${port.local}: Listeners failed to create with the following errors: [${errors.join(" ")}]\n`);
      else anyListens = true;
    }
    if (!anyListens) {
      end();
      throw new KubectlError(`unable to listen on any of the requested ports: [${forwarded.map((p) => `{${p.local} ${p.remote}}`).join(" ")}]`);
    }
    return 0;
  },
};

/** The object TYPE/NAME names (a bare name is a pod: builder.ResourceNames("pods", name)). */
function resourceOf(inv: Invocation, arg: string): KObject {
  if (!arg.includes("/")) return inv.ctx.api.getOrThrow("Pod", inv.namespace, arg);
  const found = fetch(inv, selectionsFromArgs(inv, [arg]), { namespace: inv.namespace });
  const missing = found.errors[0];
  if (missing) throw missing;
  return found.items[0]!.obj;
}
