/**
 * `registry.k8s.io/coredns/coredns` (coredns/coredns Dockerfile: distroless static base,
 * `ENTRYPOINT ["/coredns"]`, EXPOSE 53 53/udp; no shell), as kubeadm runs it: `/coredns -conf
 * /etc/coredns/Corefile` with the Corefile of its `coredns` ConfigMap.
 *
 * At start it prints what CoreDNS prints on stdout: the server block it serves (`.:53`), the reload
 * plugin's `[INFO] plugin/reload: Running configuration SHA512 = <sha512 of the Corefile>` (computed
 * from the file it reads), then its version banner (`CoreDNS-1.11.3`, `linux/amd64, go1.21.11,
 * a6338e9`: the Go version and git revision the release's build prints, per tag below). It serves
 * the health plugin's `/health` on 8080 and the ready plugin's `/ready` on 8181 (200 "OK"), the
 * prometheus plugin's `/metrics` on 9153 (the build-info metric), and accepts connections on 53.
 * On SIGTERM it goes into lame-duck mode for the health plugin's `lameduck 5s`, then exits 0.
 *
 * Not modelled: answering DNS queries itself (the simulated cluster's DNS answers every pod, from
 * src/network, whether CoreDNS pods run or not), the other plugins' effects (log, errors, cache,
 * reload of a changed Corefile), the Corefile's syntax.
 */
import { createHash } from "node:crypto";
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer } from "./server.ts";

/** What each release's binary prints after its version: `<os/arch>, <go version>, <git revision>`. */
const BUILDS: Record<string, { go: string; revision: string }> = {
  "1.11.1": { go: "go1.20.7", revision: "ae2bbc2" },
  "1.11.3": { go: "go1.21.11", revision: "a6338e9" },
};

export class CoreDNSProcess extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly argv: string[],
    private readonly version: string,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0, afterMs: 5000 };
  }

  protected run(): void {
    const i = this.argv.indexOf("-conf");
    const conf = i >= 0 ? this.argv[i + 1] ?? "" : "Corefile";
    let corefile: string;
    try {
      corefile = this.io.fs.readFile(conf);
    } catch {
      this.logErr(`[FATAL] open ${conf}: no such file or directory`);
      this.exit(1);
      return;
    }
    const build = BUILDS[this.version] ?? BUILDS["1.11.3"]!;
    const sha = createHash("sha512").update(corefile).digest("hex");
    this.log(".:53");
    this.log(`[INFO] plugin/reload: Running configuration SHA512 = ${sha}`);
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
}

function launch(argv: string[], l: ContainerLaunch, ctx: ProgramContext): CoreDNSProcess {
  const version = /^v?(\d+\.\d+\.\d+)/.exec(ctx.tag)?.[1] ?? "1.11.3";
  return new CoreDNSProcess(l.io, argv, version, ctx.startMs);
}

export const COREDNS: ModelBehaviour = { programs: { "/coredns": launch, coredns: launch } };
