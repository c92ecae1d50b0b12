/**
 * `registry.k8s.io/coredns/coredns` (coredns/coredns Dockerfile: distroless static base,
 * `ENTRYPOINT ["/coredns"]`, EXPOSE 53 53/udp; no shell), as kubeadm runs it: `/coredns -conf
 * /etc/coredns/Corefile` with the Corefile of its `coredns` ConfigMap.
 *
 * At start it parses the Corefile (src/network/corefile.ts: caddy's parser, CoreDNS's plugin list);
 * one that does not parse ends it at once with caddy's message on stderr and exit code 1
 * (coremain/run.go mustLogFatal: log.Fatal, no prefix). Otherwise it prints what CoreDNS prints on
 * stdout: the zones it serves (`.:53`, `consul.local.:53`: dnsserver startUpZones, sorted), with the
 * reload plugin the `[INFO] plugin/reload: Running configuration SHA512 = <hex>` of the parsed
 * server blocks, then its version banner (`CoreDNS-1.11.3`, `linux/amd64, go1.21.11, a6338e9`: the
 * Go version and git revision the release's build prints, per tag below). It serves the health
 * plugin's `/health` on 8080 and the ready plugin's `/ready` on 8181 (200 "OK"), the prometheus
 * plugin's `/metrics` on 9153 (the build-info metric), and accepts connections on 53. On SIGTERM it
 * goes into lame-duck mode for the health plugin's `lameduck 5s`, then exits 0.
 *
 * The Corefile it loaded routes the cluster DNS's answers for names outside the cluster (stub
 * domains, upstreams, hosts: src/network/network.ts `fromCorefile`) while it runs. The reload
 * plugin (plugin/reload: every `reload` interval, 30 s by default, give or take half its jitter of
 * 15 s, drawn once per load; here from the pod's name, not a random source) reads the file again
 * and, when the parsed blocks' SHA512 changed, restarts with it: `[INFO] Reloading`, the new
 * SHA512, `[INFO] Reloading complete`; a file that does not parse is a `[WARNING] plugin/reload:
 * Corefile parse failed: …` and the old configuration stays, as it does after a restart that fails
 * (`[ERROR] Restart failed: …`, `[ERROR] plugin/reload: Corefile changed but reload failed: …`).
 *
 * Not modelled: answering DNS packets itself (the cluster network answers), the other plugins'
 * effects (log, errors, cache, loop), a query's own log lines.
 */
import { createHash } from "node:crypto";
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer } from "./server.ts";
import { clusterNetwork } from "../../network/network.ts";
import { CorefileError, loadCorefile, parseCorefile, serverBlocksJSON, type CoreDNSConfig, type ServerBlock } from "../../network/corefile.ts";

/** What each release's binary prints after its version: `<os/arch>, <go version>, <git revision>`. */
const BUILDS: Record<string, { go: string; revision: string }> = {
  "1.11.1": { go: "go1.20.7", revision: "ae2bbc2" },
  "1.11.3": { go: "go1.21.11", revision: "a6338e9" },
};

/** Where the Corefile a process loaded is served from (the cluster network), if anywhere. */
export interface CorefileSink {
  setCorefile(owner: object, cfg: CoreDNSConfig | undefined): void;
}

/** Go's time.ParseDuration for the reload plugin's arguments (`30s`, `1m`, `500ms`), in ms. */
function goDuration(s: string): number | undefined {
  const m = /^((?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(s);
  if (!m) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  for (const p of s.matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(p[1]) * unit[p[2]!]!;
  return ms;
}

/** FNV-1a of a text: the stand-in for the reload plugin's rand.Int63n, fixed per pod. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class CoreDNSProcess extends ServerProcess {
  private sha = "";
  private conf = "";

  constructor(
    io: ProcessIO,
    private readonly argv: string[],
    private readonly version: string,
    private readonly startMs = 0,
    private readonly sink?: CorefileSink,
    /** What the reload plugin's jitter is drawn from (the pod's name). */
    private readonly seed = "",
  ) {
    super(io);
    this.onStop = { exitCode: 0, afterMs: 5000 };
  }

  protected run(): void {
    const i = this.argv.indexOf("-conf");
    this.conf = i >= 0 ? this.argv[i + 1] ?? "" : "Corefile";
    let corefile: string;
    try {
      corefile = this.io.fs.readFile(this.conf);
    } catch {
      this.logErr(`open ${this.conf}: no such file or directory`);
      this.exit(1);
      return;
    }
    let blocks: ServerBlock[];
    let cfg: CoreDNSConfig;
    try {
      blocks = parseCorefile(corefile, this.conf);
      cfg = loadCorefile(corefile, this.conf);
    } catch (e) {
      if (!(e instanceof CorefileError)) throw e;
      this.logErr(e.message);
      this.exit(1);
      return;
    }
    const build = BUILDS[this.version] ?? BUILDS["1.11.3"]!;
    for (const z of cfg.startup) this.log(z);
    this.loaded(blocks, cfg);
    this.log(`CoreDNS-${this.version}`);
    this.log(`linux/amd64, ${build.go}, ${build.revision}`);
    const metrics =
      "# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n" +
      "# TYPE coredns_build_info gauge\n" +
      `coredns_build_info{goversion="${build.go}",revision="${build.revision}",version="${this.version}"} 1\n`;
    const serve = (path: string, body: string) => (req: { path: string }): HttpAnswer =>
      parseRequestPath(req.path).path === path ? { status: 200, body } : { status: 404, body: "404 page not found\n" };
    this.listen(53, () => ({ status: 400, body: "" }), this.startMs);
    this.listen(8080, serve("/health", "OK"), this.startMs);
    this.listen(8181, serve("/ready", "OK"), this.startMs);
    this.listen(9153, serve("/metrics", metrics), this.startMs);
  }

  /** An instance started with these blocks: serve them, and with the reload plugin, watch the file. */
  private loaded(blocks: ServerBlock[], cfg: CoreDNSConfig): void {
    this.sink?.setCorefile(this, cfg);
    const reload = blocks.map((b) => b.tokens.get("reload")).find((t) => t !== undefined);
    if (!reload) return;
    this.sha = createHash("sha512").update(serverBlocksJSON(blocks)).digest("hex");
    this.log(`[INFO] plugin/reload: Running configuration SHA512 = ${this.sha}`);
    const args = reload.filter((t) => t.line === reload[0]!.line).slice(1).map((t) => t.text);
    const interval = (args[0] !== undefined ? goDuration(args[0]) : undefined) ?? 30_000;
    const jitter = Math.min((args[1] !== undefined ? goDuration(args[1]) : undefined) ?? 15_000, interval / 2);
    const every = jitter > 0 ? interval + (fnv(`${this.seed}/${this.sha}`) % jitter) - jitter / 2 : interval;
    const tick = () => {
      if (!this.check()) this.after(every, tick);
    };
    this.after(every, tick);
  }

  /** One tick of the reload plugin: true when a new instance took over (it watches from then on). */
  private check(): boolean {
    let text: string;
    try {
      text = this.io.fs.readFile(this.conf);
    } catch {
      return false;
    }
    let blocks: ServerBlock[];
    try {
      blocks = parseCorefile(text, this.conf, null);
    } catch (e) {
      if (!(e instanceof CorefileError)) throw e;
      this.log(`[WARNING] plugin/reload: Corefile parse failed: ${e.message}`);
      return false;
    }
    const sha = createHash("sha512").update(serverBlocksJSON(blocks)).digest("hex");
    if (sha === this.sha) return false;
    this.sha = sha;
    this.log("[INFO] Reloading");
    let cfg: CoreDNSConfig;
    try {
      blocks = parseCorefile(text, this.conf);
      cfg = loadCorefile(text, this.conf);
    } catch (e) {
      if (!(e instanceof CorefileError)) throw e;
      this.log(`[ERROR] Restart failed: ${e.message}`);
      this.log(`[ERROR] plugin/reload: Corefile changed but reload failed: ${e.message}`);
      return false;
    }
    this.loaded(blocks, cfg);
    this.log("[INFO] Reloading complete");
    return true;
  }

  override exit(code: number): void {
    this.sink?.setCorefile(this, undefined);
    super.exit(code);
  }
}

function launch(argv: string[], l: ContainerLaunch, ctx: ProgramContext): CoreDNSProcess {
  const version = /^v?(\d+\.\d+\.\d+)/.exec(ctx.tag)?.[1] ?? "1.11.3";
  const sink = ctx.cluster ? clusterNetwork(ctx.cluster) : undefined;
  return new CoreDNSProcess(l.io, argv, version, ctx.startMs, sink, `${l.pod.metadata.namespace}/${l.pod.metadata.name}`);
}

export const COREDNS: ModelBehaviour = { programs: { "/coredns": launch, coredns: launch } };
