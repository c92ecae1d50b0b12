/**
 * `quay.io/prometheus-operator/prometheus-config-reloader` (cmd/prometheus-config-reloader and
 * github.com/thanos-io/thanos pkg/reloader at v0.80.1; Dockerfile: `/bin/prometheus-config-reloader`
 * on quay.io/prometheus/busybox, USER nobody), as the operator's StatefulSet runs it:
 *
 * - `--config-file` (the Secret's `prometheus.yaml.gz`) is gunzipped, its `$(VAR)` references
 *   replaced by the environment's values (envsubst: `$(POD_NAME)`, `$(SHARD)`; an unknown one stays
 *   as written), and written to `--config-envsubst-file`;
 * - with `--watch-interval=0` (the init container) it does that once and exits 0;
 * - otherwise it serves `/healthz` and `/metrics` on `--listen-address`, looks at the file every
 *   `--watch-interval` (3m by default; the kubelet's update of the Secret volume is what it waits for)
 *   and, when the output changed, writes it and POSTs `--reload-url` (Prometheus's `/-/reload`),
 *   logging "Reload triggered"; SIGTERM exits 0.
 *
 * The simulated filesystem holds text, so the gzipped bytes of the Secret volume's file are read
 * from the Secret the volume maps (what the kubelet wrote), not from the file (docs/divergences.md).
 */
import { gunzipSync } from "node:zlib";
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { ApiServer } from "../../../api/store.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ProgramContext } from "../../launch.ts";
import { ServerProcess, parseRequestPath } from "../server.ts";
import { parseGoFlags } from "../goflags.ts";
import { parseGoDuration } from "./duration.ts";
import { slogLine } from "./logfmt.ts";

/** envsubst as the reloader does it: `$(NAME)` from the environment, others left alone. */
export function envsubst(text: string, env: Record<string, string>): string {
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name: string) => (name in env ? env[name]! : all));
}

/** The bytes of a file under a Secret volume of the pod: the volume's Secret key (an items mapping honoured). */
export function secretVolumeBytes(pod: Pod, containerName: string, api: ApiServer | undefined, file: string): Buffer | undefined {
  if (!api) return undefined;
  const c = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === containerName);
  for (const m of c?.volumeMounts ?? []) {
    const dir = m.mountPath.replace(/\/$/, "");
    if (!file.startsWith(`${dir}/`)) continue;
    const rel = file.slice(dir.length + 1);
    const vol = (pod.spec?.volumes ?? []).find((v) => v.name === m.name);
    if (!vol?.secret?.secretName) return undefined;
    const key = vol.secret.items?.find((i) => i.path === rel)?.key ?? rel;
    const s = api.get("Secret", pod.metadata?.namespace, vol.secret.secretName) as { data?: Record<string, string> } | undefined;
    const b64 = s?.data?.[key];
    return b64 === undefined ? undefined : Buffer.from(b64, "base64");
  }
  return undefined;
}

export class ConfigReloader extends ServerProcess {
  private last: string | undefined;

  constructor(
    l: ContainerLaunch,
    private readonly flags: Map<string, string>,
    private readonly pod: Pod,
    private readonly containerName: string,
    private readonly api: ApiServer | undefined,
  ) {
    super(l.io);
    this.onStop = { exitCode: 0 };
  }

  private logAt(level: "info" | "error", caller: string, msg: string, attrs: Array<[string, string]> = []): void {
    (level === "error" ? this.logErr.bind(this) : this.log.bind(this))(slogLine(this.io.clock.now(), level, caller, msg, attrs).replace("caller=/workspace/", "caller="));
  }

  protected run(): void {
    const interval = this.flags.get("watch-interval") ?? "3m";
    const ms = parseGoDuration(interval);
    if (ms === undefined) {
      this.logErr(`invalid value "${interval}" for flag -watch-interval: parse error`);
      return this.exit(2);
    }
    this.logAt("info", "main.go:158", "Starting prometheus-config-reloader", [["version", "(version=0.80.1, branch=, revision=4126d60d8a8ae99be866cdd0d15546a4d3e9fe8b)"]]);
    const out = this.flags.get("config-envsubst-file") ?? "";
    if (ms === 0) {
      const err = this.apply(out);
      if (err) {
        this.logAt("error", "main.go:243", "Failed to run", [["err", err]]);
        return this.exit(1);
      }
      return this.exit(0);
    }
    const listen = this.flags.get("listen-address") ?? ":8080";
    this.listen(Number(listen.slice(listen.lastIndexOf(":") + 1)), (req) => {
      const p = parseRequestPath(req.path).path;
      if (p === "/healthz") return { status: 200, body: "OK" };
      if (p === "/metrics") return { status: 200, body: "# HELP reloader_reloads_total Total number of reload requests.\n# TYPE reloader_reloads_total counter\n" };
      return { status: 404, body: "404 page not found\n" };
    });
    const tick = () => {
      if (!this.running) return;
      const before = this.last;
      const err = this.apply(out);
      if (err) this.logAt("error", "reloader.go:338", "Failed to reload", [["err", err]]);
      else if (before !== undefined && before !== this.last) this.reload();
      this.after(Math.min(ms, 1000), tick);
    };
    tick();
  }

  /** Reads the config file, writes the substituted output when it changed; an error's text, or "". */
  private apply(out: string): string {
    const file = this.flags.get("config-file") ?? "";
    if (!file) return "";
    if (!this.io.fs.stat(file)) return `open ${file}: no such file or directory`;
    const bytes = secretVolumeBytes(this.pod, this.containerName, this.api, file) ?? Buffer.from(this.io.fs.readFile(file), "utf8");
    let text = "";
    if (bytes.length) {
      try {
        text = gunzipSync(bytes).toString("utf8");
      } catch {
        return `expand: create gzip reader: gzip: invalid header`;
      }
    }
    const result = envsubst(text, this.io.env);
    if (result === this.last) return "";
    try {
      this.io.fs.writeFile(out, result);
    } catch (e) {
      return `write file: ${(e as Error).message}`;
    }
    this.last = result;
    return "";
  }

  private reload(): void {
    const url = this.flags.get("reload-url");
    if (!url) return;
    this.io.http({ method: "POST", url, timeoutMs: 30_000 }, (outcome) => {
      if (outcome.ok && outcome.status >= 200 && outcome.status < 300) this.logAt("info", "reloader.go:544", "Reload triggered", [["cfg_in", this.flags.get("config-file") ?? ""], ["cfg_out", this.flags.get("config-envsubst-file") ?? ""]]);
      else this.logAt("error", "reloader.go:338", "Failed to trigger reload. Retrying.", [["err", `trigger reload: received non-200 response`]]);
    });
  }
}

const VALUE = ["listen-address", "watch-interval", "reload-url", "config-file", "config-envsubst-file", "watched-dir", "log-level", "log-format", "web-config-file", "reload-method", "runtimeinfo-url", "delay-interval", "reload-timeout"];

export function launchReloader(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess {
  const f = parseGoFlags(argv.slice(1), { value: VALUE });
  const flags = new Map(f.values);
  if (f.unknown.length) {
    return new (class extends ServerProcess {
      protected run(): void {
        this.logErr(`prometheus-config-reloader: error: unknown long flag '${f.unknown[0]!.split("=")[0]}', try --help\n`);
        this.exit(1);
      }
    })(l.io);
  }
  return new ConfigReloader(l, flags, l.pod, l.container.name, ctx.api);
}
