/**
 * `gcr.io/google-samples/hello-go-gke`, the "hello greeter" backend of "Connect a Frontend to a
 * Backend Using Services". Its source is not published with the image: GoogleCloudPlatform/
 * kubernetes-engine-samples (at 2b50365) has no hello-go-gke in its history, and kubernetes/website
 * issue #14017's guess (quickstarts/hello-app) answers "Hello, world!" on 8080, not the page's
 * `{"message":"Hello"}` on 80. What the page shows is what kelseyhightower/app's `hello` service
 * (49bd641, the Google codelab "Orchestrating the Cloud with Kubernetes"'s `hello` image) does, and
 * it is modelled from that source:
 *
 * - hello/main.go: flags `-http` (0.0.0.0:80) and `-health` (0.0.0.0:81); logs "Starting server...",
 *   the two addresses (Go's log: stderr, `2006/01/02 15:04:05 ` prefix); SIGTERM or SIGINT log
 *   "Captured <signal>. Exiting..." and exit 0 once the HTTP server closed.
 * - handlers/hello.go: `/` (every path the mux does not route elsewhere) answers
 *   `{"message":"Hello"}` and a newline (json.Encoder); `/version` `{"version":"1.0.0"}`;
 *   `/secure` wants a JWT signed with "secret": without one, 401 `authorization failed`.
 * - health/health.go on the health port: `/healthz`, `/readiness` answer 200 with an empty body;
 *   `/healthz/status`, `/readiness/status` flip them between 200 and 503.
 * - handlers/logging.go: each request logged on stdout,
 *   `<remote addr> - - [<RFC1123 time>] "<method> <path> <proto>" <user agent>` (only when the
 *   network says who the client is; its source port is drawn from the Linux ephemeral range; the
 *   simulation's wget sends no User-Agent, so its line ends with an empty one).
 */
import { createHmac } from "node:crypto";
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { keyedRandom } from "../../sim/random.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { goLogPrefix, parseGoFlags } from "./goflags.ts";

const VERSION = "1.0.0";

/** Go's time.RFC1123 (`Mon, 02 Jan 2006 15:04:05 UTC`). */
export function rfc1123(ms: number): string {
  const d = new Date(ms);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** The port of a Go listen address (`0.0.0.0:80`, `:8080`), or undefined. */
function portOf(addr: string): number | undefined {
  const m = /:(\d+)$/.exec(addr);
  return m ? Number(m[1]) : undefined;
}

/**
 * jwt-go's ParseFromRequest with the key "secret": a token from `Authorization: Bearer <token>` or
 * the `access_token` query field, signed HS256 with that key, its `exp` (if any) not passed.
 */
export function validJWT(req: HttpRequest, nowMs: number): boolean {
  const auth = req.headers.Authorization ?? req.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? parseRequestPath(req.path).query.get("access_token");
  const parts = token?.split(".");
  if (!parts || parts.length !== 3) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as { alg?: string };
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { exp?: number };
    if (header.alg !== "HS256") return false;
    const sig = createHmac("sha256", "secret").update(`${parts[0]}.${parts[1]}`).digest("base64url");
    if (sig !== parts[2]!.replace(/=+$/, "")) return false;
    return typeof claims.exp !== "number" || claims.exp * 1000 > nowMs;
  } catch {
    return false;
  }
}

export class HelloGoProcess extends ServerProcess {
  private healthz = 200;
  private readiness = 200;
  private requests = 0;

  constructor(
    io: ProcessIO,
    private readonly argv: string[],
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const f = parseGoFlags(this.argv.slice(1), { value: ["http", "health"] });
    const t = goLogPrefix(this.io.clock.now());
    if (f.unknown.length) {
      // flag.Parse with ExitOnError: the message, the usage, exit 2.
      const name = f.unknown[0]!.replace(/^--?/, "").replace(/=.*$/, "");
      this.logErr(`flag provided but not defined: -${name}\nUsage of ${this.argv[0]}:\n  -health string\n    \tHealth service address. (default "0.0.0.0:81")\n  -http string\n    \tHTTP service address. (default "0.0.0.0:80")`);
      this.after(0, () => this.exit(2));
      return;
    }
    const httpAddr = f.values.get("http") ?? "0.0.0.0:80";
    const healthAddr = f.values.get("health") ?? "0.0.0.0:81";
    this.logErr(`${t}Starting server...`);
    this.logErr(`${t}Health service listening on ${healthAddr}`);
    this.logErr(`${t}HTTP service listening on ${httpAddr}`);
    const hp = portOf(healthAddr);
    const ap = portOf(httpAddr);
    if (hp !== undefined) this.listen(hp, (req) => this.logged(req, () => this.health(req)), this.startMs);
    if (ap !== undefined) this.listen(ap, (req) => this.logged(req, () => this.hello(req)), this.startMs);
  }

  override stopSignal(b = this.onStop): void {
    if (!this.running) return;
    this.logErr(`${goLogPrefix(this.io.clock.now())}Captured terminated. Exiting...`);
    this.readiness = 503;
    super.stopSignal(b);
  }

  /** handlers.LoggingHandler: the request's line on stdout, then the handler. */
  private logged(req: HttpRequest, h: () => HttpAnswer): HttpAnswer {
    this.requests++;
    if (req.client !== undefined) {
      const port = 32768 + keyedRandom(`${this.io.hostname}/${req.client}#${this.requests}`).int(60999 - 32768 + 1);
      const ua = req.headers["User-Agent"] ?? req.headers["user-agent"] ?? "";
      const { path } = parseRequestPath(req.path);
      this.log(`${req.client}:${port} - - [${rfc1123(this.io.clock.now())}] "${req.method} ${path} ${req.proto ?? "HTTP/1.1"}" ${ua}`);
    }
    return h();
  }

  private hello(req: HttpRequest): HttpAnswer {
    const { path } = parseRequestPath(req.path);
    if (path === "/version") return { status: 200, body: `{"version":"${VERSION}"}\n` };
    if (path === "/secure" && !validJWT(req, this.io.clock.now())) return { status: 401, body: "authorization failed\n" };
    return { status: 200, body: '{"message":"Hello"}\n' };
  }

  private health(req: HttpRequest): HttpAnswer {
    const { path } = parseRequestPath(req.path);
    switch (path) {
      case "/healthz":
        return { status: this.healthz, body: "" };
      case "/readiness":
        return { status: this.readiness, body: "" };
      case "/healthz/status":
        this.healthz = this.healthz === 200 ? 503 : 200;
        return { status: 200, body: "" };
      case "/readiness/status":
        this.readiness = this.readiness === 200 ? 503 : 200;
        return { status: 200, body: "" };
      default:
        return { status: 404, body: "404 page not found\n" };
    }
  }
}

const launch = (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => new HelloGoProcess(l.io, argv, ctx.startMs);

export const HELLO_GO: ModelBehaviour = { programs: { hello: launch, "/usr/bin/hello": launch } };
