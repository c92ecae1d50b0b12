/**
 * pkg/probe/grpc/grpc.go: the standard gRPC health check (grpc.health.v1.Health/Check). The
 * application model answers it as the path `/grpc.health.v1.Health/Check` with the service in the
 * `grpc-service` header: 200 → SERVING, 404 → Unimplemented, other codes → NOT_SERVING.
 */
import type { HttpOutcome, HttpRequestSpec } from "../../../runtime/types.ts";
import type { ProbeOutcome } from "./probe.ts";

export function doGRPCProbe(
  send: (req: HttpRequestSpec, done: (o: HttpOutcome) => void) => void,
  host: string,
  port: number,
  service: string,
  timeoutMs: number,
  done: (o: ProbeOutcome) => void,
): void {
  const addr = `${host}:${port}`;
  const secs = `${timeoutMs / 1000}s`;
  send({ method: "POST", url: `http://${addr}/grpc.health.v1.Health/Check`, headers: { "grpc-service": service, "User-Agent": "kube-probe/1.32" }, timeoutMs }, (o) => {
    if (!o.ok) {
      if (o.kind === "timeout" && /awaiting headers/.test(o.error)) return done({ result: "failure", output: `timeout: health rpc did not complete within ${secs}` });
      // grpc.DialContext with WithBlock keeps retrying a refused connection until the deadline.
      return done({ result: "failure", output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${secs}: context deadline exceeded` });
    }
    if (o.status === 404) {
      return done({ result: "failure", output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health` });
    }
    if (o.status !== 200) return done({ result: "failure", output: `service unhealthy (responded with "NOT_SERVING")` });
    done({ result: "success", output: "service is serving" });
  });
}
