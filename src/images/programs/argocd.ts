/**
 * `quay.io/argoproj/argocd` (argoproj/argo-cd, modelled on v3.3.0: Dockerfile `ENTRYPOINT
 * ["/usr/bin/tini", "--"]`, `USER 999` (argocd), `WORKDIR /home/argocd`, on Ubuntu; one binary,
 * `/usr/local/bin/argocd`, linked as `argocd-server`, `argocd-repo-server`, …), as its
 * `manifests/install.yaml` runs it (exercises/apps/argo-cd/install.yaml), and the Argo CD binary
 * when another image runs a copy of it (the Dex server's `/shared/argocd-dex rundex`).
 *
 * cmd/main.go picks the component by the name it was started as (`filepath.Base(os.Args[0])`, or
 * `$ARGOCD_BINARY_NAME`). What is modelled, from the source at v3.3.0:
 * - `argocd admin redis-initial-password` (the Redis pod's init container, as its service account):
 *   creates the Secret `argocd-redis` with a random 16-letter `auth` unless it exists, then checks
 *   the key (cmd/argocd/commands/admin/redis_initial_password.go, its three lines of output); a
 *   Forbidden create is `FATA[0000] …` and exit 1 (util/errors.CheckError). Until it has run, the
 *   other pods' `REDIS_PASSWORD` (secretKeyRef `argocd-redis`/`auth`) keeps their containers in
 *   CreateContainerConfigError, as on a real cluster.
 * - `argocd-dex rundex` (cmd/argocd-dex): without a Dex configuration in `argocd-cm` (the install's
 *   default: no `dex.config`, no `url`) it logs `dex is not configured` and waits; Dex itself does not
 *   run, so 5556–5558 stay closed.
 * - The servers' ports with their defaults (common/common.go; cmd/*): argocd-server 8080 (API and UI)
 *   and 8083 (metrics); argocd-repo-server 8081 (gRPC) and 8084 (metrics, `/healthz`);
 *   argocd-application-controller 8082 (metrics, `/healthz`); argocd-applicationset-controller 7000
 *   (webhook), 8080 (metrics) and 8081 (`/healthz`, `/readyz`); argocd-notifications 9001 (metrics);
 *   argocd-commit-server 8086 and 8087. Their behaviour beyond that is not modelled: they answer
 *   HTTP 200 on every path as the generic process does (docs/images.md), so the probes pass; they
 *   stop on SIGTERM and exit 0.
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { ApiServer } from "../../api/store.ts";
import type { ContainerProcess } from "../../runtime/types.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, type HttpAnswer } from "./server.ts";
import { inClusterClient } from "../incluster.ts";
import { keyedRandom } from "../../sim/random.ts";

/** What the image's `/usr/local/bin/argocd` holds: the model recognises a copy of it by this content. */
export const ARGOCD_BINARY = "\u007fELF argocd v3.3.0+fd6b7d5 linux/amd64 (kube-scenario image model: src/images/programs/argocd.ts)\n";

/** Each component's listening ports (defaults of v3.3.0). */
const COMPONENT_PORTS: Record<string, number[]> = {
  "argocd-server": [8080, 8083],
  "argocd-repo-server": [8081, 8084],
  "argocd-application-controller": [8082],
  "argocd-applicationset-controller": [7000, 8080, 8081],
  "argocd-notifications": [9001],
  "argocd-commit-server": [8086, 8087],
  "argocd-cmp-server": [],
};

/** logrus' text format, as Argo CD logs by default: `time="2024-01-08T00:00:03Z" level=info msg="…"`. */
function logrus(ms: number, level: string, msg: string): string {
  return `time="${new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")}" level=${level} msg=${JSON.stringify(msg)}`;
}

/** A server component: its ports open, every request answered as the generic process answers. */
class ArgoComponent extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly ports: number[],
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    for (const p of this.ports) this.listen(p, (req) => this.answer(req.path));
  }

  private answer(raw: string): HttpAnswer {
    const path = raw.split("?")[0];
    return { status: 200, body: path === "/healthz" || path === "/readyz" ? "ok" : "" };
  }
}

/** `argocd-dex rundex` with no Dex configuration: one log line, then it waits for argocd-cm to change. */
class RunDex extends ServerProcess {
  constructor(io: ProcessIO) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    this.logErr(logrus(this.io.clock.now(), "info", "dex is not configured"));
  }
}

/** `argocd admin redis-initial-password`: ensure the Secret argocd-redis (key auth), then exit. */
class RedisInitialPassword implements ContainerProcess {
  constructor(
    private readonly io: ProcessIO,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {}

  start(onExit: (code: number) => void): void {
    const ns = this.pod.metadata.namespace ?? "default";
    const out = (s: string) => this.io.stdout(s);
    const fatal = (msg: string) => {
      this.io.stderr(`${logrus(this.io.clock.now(), "fatal", msg)}\n`);
      onExit(1);
    };
    out(`Checking for initial Redis password in secret ${ns}/argocd-redis at key auth. \n`);
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) return fatal(client.message);
    // generateRandomPassword: 16 characters of [a-zA-Z0-9]; keyed by the pod so runs repeat.
    const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const rnd = keyedRandom(`argocd-redis-password/${ns}/${this.pod.metadata.uid ?? this.pod.metadata.name}`);
    let password = "";
    for (let i = 0; i < 16; i++) password += letters[rnd.int(letters.length)];
    try {
      client.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "argocd-redis", namespace: ns }, type: "Opaque", data: { auth: Buffer.from(password).toString("base64") } } as never);
    } catch (e) {
      const err = e as Error & { reason?: string; code?: number };
      if (err.reason !== "AlreadyExists" && !/already exists/.test(err.message)) return fatal(err.message);
    }
    out("Argo CD Redis secret state confirmed: secret name argocd-redis.\n");
    let secret: { data?: Record<string, string> } | undefined;
    try {
      secret = client.get("Secret", ns, "argocd-redis") as { data?: Record<string, string> } | undefined;
    } catch (e) {
      return fatal((e as Error).message);
    }
    if (!secret) return fatal(`secrets "argocd-redis" not found`);
    if (secret.data && Object.hasOwn(secret.data, "auth")) {
      out("Password secret is configured properly.\n");
      onExit(0);
      return;
    }
    fatal("key auth doesn't exist in secret argocd-redis. \n");
  }

  kill(signal: string): void {
    void signal;
  }
}

/** The Argo CD binary started as `name` with these arguments (cmd/main.go's switch). */
export function launchArgocd(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess | undefined {
  const name = l.io.env["ARGOCD_BINARY_NAME"] || (argv[0] ?? "").slice((argv[0] ?? "").lastIndexOf("/") + 1);
  const args = argv.slice(1);
  if (name === "argocd") {
    if (args[0] === "admin" && args[1] === "redis-initial-password") return new RedisInitialPassword(l.io, l.pod, ctx.api);
    return undefined;
  }
  if (name === "argocd-dex") return args[0] === "rundex" ? new RunDex(l.io) : undefined;
  const ports = COMPONENT_PORTS[name];
  return ports ? new ArgoComponent(l.io, ports) : undefined;
}

export const ARGOCD: ModelBehaviour = {
  // tini runs its command as its child (`--` ends its own options).
  entrypoints: { "/usr/bin/tini": (argv) => ({ exec: argv[1] === "--" ? argv.slice(2) : argv.slice(1) }) },
  programs: Object.fromEntries(["argocd", ...Object.keys(COMPONENT_PORTS), "argocd-dex"].map((n) => [n, launchArgocd])),
};

/**
 * `ghcr.io/dexidp/dex` as Argo CD runs it: the container's command is a copy of the Argo CD binary
 * in a shared emptyDir (`/shared/argocd-dex rundex`, copied there by the `copyutil` init
 * container); it runs as that binary when the file is one. Any other command runs as an unknown
 * image's does (the generic process).
 */
export const DEX_INTERCEPT = (argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess | undefined => {
  const path = argv[0] ?? "";
  if (!path.startsWith("/")) return undefined;
  const st = l.io.fs.stat(path);
  if (st?.type !== "file") return undefined;
  let content: string;
  try {
    content = l.io.fs.readFile(path);
  } catch {
    return undefined;
  }
  return content === ARGOCD_BINARY ? launchArgocd(argv, l, ctx) : undefined;
};
