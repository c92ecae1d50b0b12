/**
 * `gcr.io/k8s-staging-gateway-api/echo-basic` (kubernetes-sigs/gateway-api conformance/echo-basic,
 * echo-basic.go at v1.2.1; FROM gcr.io/distroless/static, ENTRYPOINT ["/echo-basic"]; no shell):
 * the Gateway API conformance backend the Envoy Gateway quickstart deploys.
 * - listens on `HTTP_PORT` (3000) and `H2C_PORT` (3001), printing "Starting server, listening on
 *   port N (http)" and "(h2c)" at start;
 * - `/health`: 200 `OK`; `/status/NNN`: that status with no body (400 for anything else under /status/);
 * - any other path: prints "Echoing back request made to <URI> to client (<addr>:<port>)" and
 *   answers 200 with the request as JSON (json.MarshalIndent with one space, keys in the struct's
 *   order: path, host, method, proto, headers — Go's canonical header names, each a list, sorted —
 *   then the context from `NAMESPACE`, `INGRESS_NAME`, `SERVICE_NAME`, `POD_NAME`).
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour } from "../launch.ts";
import { ServerProcess, type HttpAnswer, type HttpRequest } from "./server.ts";

/** Go's textproto.CanonicalMIMEHeaderKey: each dash-separated word capitalised. */
export function canonicalHeader(name: string): string {
  return name
    .split("-")
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1).toLowerCase() : w))
    .join("-");
}

/** json.MarshalIndent(v, "", " ") of the echo: Go's encoding (HTML characters escaped). */
function goJSON(v: unknown): string {
  return JSON.stringify(v, null, 1).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

export class EchoBasicProcess extends ServerProcess {
  protected run(): void {
    const http = Number(this.io.env.HTTP_PORT || 3000);
    const h2c = Number(this.io.env.H2C_PORT || 3001);
    this.log(`Starting server, listening on port ${http} (http)`);
    this.listen(http, (req) => this.serve(req));
    this.log(`Starting server, listening on port ${h2c} (h2c)`);
    this.listen(h2c, () => ({ status: 400, body: "Expected h2c request" }));
  }

  private serve(req: HttpRequest): HttpAnswer {
    const uri = req.path;
    const path = uri.split("?")[0]!.replaceAll("//", "/");
    if (path === "/health") return { status: 200, body: "OK" };
    if (path.startsWith("/status/")) {
      const m = /^\/status\/(\d\d\d)$/.exec(uri);
      return { status: m ? Number(m[1]) : 400, body: "" };
    }
    this.log(`Echoing back request made to ${uri} to client (${req.client ?? ""}:${40000 + (this.served++ % 20000)})`);
    const headers: Record<string, string[]> = {};
    let host = "";
    for (const [k, v] of Object.entries(req.headers)) {
      if (k.toLowerCase() === "host") {
        host = v;
        continue;
      }
      (headers[canonicalHeader(k)] ??= []).push(v);
    }
    const sorted: Record<string, string[]> = {};
    for (const k of Object.keys(headers).sort()) sorted[k] = headers[k]!;
    const body = goJSON({
      path: uri,
      host,
      method: req.method,
      proto: req.proto ?? "HTTP/1.1",
      headers: sorted,
      namespace: this.io.env.NAMESPACE ?? "",
      ingress: this.io.env.INGRESS_NAME ?? "",
      service: this.io.env.SERVICE_NAME ?? "",
      pod: this.io.env.POD_NAME ?? "",
    });
    return { status: 200, body };
  }

  private served = 0;
}

function launch(_argv: string[], l: ContainerLaunch): EchoBasicProcess {
  return new EchoBasicProcess(l.io as ProcessIO);
}

export const ECHO_BASIC: ModelBehaviour = { programs: { "/echo-basic": launch } };
