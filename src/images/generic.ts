/**
 * The generic process: how an image outside the catalogue runs (a team's own `myorg/shop:1.4`,
 * `ghcr.io/acme/api`, an ECR image). The simulation cannot know what the program does, so it
 * models what most services share:
 *
 * - it keeps running until it is stopped, and exits 0 on SIGTERM (a graceful shutdown);
 * - it listens on every TCP `containerPort` the container declares: TCP connections are accepted
 *   (tcpSocket probes pass, Services route), HTTP answers 200 with an empty body on any path
 *   (httpGet probes pass), and the gRPC health check answers SERVING (grpc probes pass);
 * - a `command:` that runs a shell (`sh -c`, `bash -c`) or a command the shell model knows
 *   (`sleep`, `echo`, `cat`, …) runs in the shell instead, as it would in a shell-based image.
 *
 * The pod gets one Normal event (reason `GenericImage`, from `kube-scenario`, not a kubelet event:
 * docs/divergences.md) saying so and how to give the image behaviour.
 */
import type { ContainerLaunch, ProcessIO } from "../runtime/types.ts";
import type { Container } from "../api/types.gen.ts";
import { ServerProcess } from "./programs/server.ts";

/** The event reason of the generic-process notice (no kubelet event has it: pkg/kubelet/events/event.go). */
export const GENERIC_IMAGE_REASON = "GenericImage";
export const GENERIC_IMAGE_SOURCE = "kube-scenario";

/** The TCP containerPorts a container declares. */
export function declaredTcpPorts(container: Pick<Container, "ports"> | undefined): number[] {
  const out: number[] = [];
  for (const p of container?.ports ?? []) {
    if ((p.protocol ?? "TCP") !== "TCP") continue;
    if (Number.isInteger(p.containerPort) && !out.includes(p.containerPort)) out.push(p.containerPort);
  }
  return out;
}

export class GenericProcess extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly declaredPorts: number[],
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    for (const port of this.declaredPorts) this.listen(port, () => ({ status: 200, body: "" }), this.startMs);
  }
}

export function launchGeneric(l: ContainerLaunch, startMs = 0): GenericProcess {
  return new GenericProcess(l.io, declaredTcpPorts(l.container), startMs);
}

/** The event message for a container of an image that runs as the generic process. */
export function genericNotice(image: string, repository: string, container: Pick<Container, "ports">): string {
  const ports = declaredTcpPorts(container);
  const listens = ports.length
    ? `listens on its containerPorts ${ports.join(", ")} (TCP accepts, HTTP answers 200 on any path, gRPC health answers SERVING)`
    : "declares no containerPorts, so it listens on none";
  return (
    `Image ${JSON.stringify(image)} is not in kube-scenario's image catalogue: its container runs as a generic process that ` +
    `${listens}, runs until stopped and exits 0 on SIGTERM. To give it behaviour, declare it in the scenario: ` +
    `Given the image ${JSON.stringify(repository)} behaves as: (docs/images.md)`
  );
}
