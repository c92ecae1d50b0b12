/**
 * What Kyverno's long-running controllers (admission, background, cleanup) share: their flags
 * (`--name=value`, the last one given wins), the namespace they run in (`KYVERNO_NAMESPACE`, else
 * their pod's), the in-cluster client each makes first (client-go's `rest.InClusterConfig`; without
 * one `setup.go` logs the error and the process exits 1), a queue of one reconcile per turn, the
 * watches they close at exit, and
 * SIGTERM ending them with status 0 (their signal handler cancels the context and returns).
 */
import type { ContainerLaunch } from "../../../runtime/types.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ApiServer } from "../../../api/store.ts";
import { ServerProcess } from "../server.ts";
import { inClusterClient } from "../../incluster.ts";
import { klogText } from "./common.ts";

export abstract class KyvernoProcess extends ServerProcess {
  protected client: ApiServer | undefined;
  protected readonly unwatch: Array<() => void> = [];
  protected readonly ns: string;
  private pending = false;

  constructor(
    l: ContainerLaunch,
    protected readonly flags: Map<string, string[]>,
    protected readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(l.io);
    this.onStop = { exitCode: 0 };
    this.ns = l.io.env.KYVERNO_NAMESPACE || pod.metadata?.namespace || "kyverno";
  }

  protected flag(name: string, def = ""): string {
    return this.flags.get(name)?.at(-1) ?? def;
  }

  /**
   * `--enableReporting` (pkg/utils/report/config.go reportingConfig): which rule types' results are
   * reported; Kyverno's default, and the release manifest's, is all five.
   */
  protected reportsEnabled(type: "validate" | "mutate" | "mutateExisting" | "imageVerify" | "generate"): boolean {
    return this.flag("enableReporting", "validate,mutate,mutateExisting,imageVerify,generate").split(",").includes(type);
  }

  /** The in-cluster client, kept as `client`; without one the process logs setup.go's error, exits 1 and gets undefined. */
  protected connect(now: number): ApiServer | undefined {
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logErr(klogText(now, "E", "setup.go:81", "failed to create kubernetes client", { err: client.message }));
      this.exit(1);
      return undefined;
    }
    this.client = client;
    return client;
  }

  /** A controller's queue: `work` once, at the next turn, for any number of calls before it runs (and not after the exit). */
  protected schedule(work: () => void): void {
    if (this.pending || !this.running) return;
    this.pending = true;
    this.after(0, () => {
      this.pending = false;
      if (this.running) work();
    });
  }

  override exit(code: number): void {
    for (const u of this.unwatch.splice(0)) u();
    super.exit(code);
  }
}
