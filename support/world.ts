/**
 * One simulated cluster per scenario. The cluster is created lazily, so that `Given the time is`
 * and `Given the random seed is` can set it up before anything exists. Steps reach it through
 * `this.cluster`; the last kubectl result is kept for the output assertions.
 */
import { After, setWorldConstructor, Status, World, type IWorldOptions } from "@cucumber/cucumber";
import { Cluster, type ClusterOptions } from "../src/cluster.ts";
import { SimBackend, type Backend } from "../src/backend.ts";
import type { LiveBackend } from "../src/live/backend.ts";
import type { KubectlResult } from "../src/kubectl/index.ts";
import { finalSnapshot } from "../src/report/snapshot.ts";
import { TimelineRecorder } from "../src/report/timeline.ts";
import { explainPods } from "../src/report/explain.ts";
import { parseUnknownImagePolicy } from "../src/images/registry.ts";

export interface CommandResult extends KubectlResult {
  command: string;
}

export class KubeWorld extends World {
  private current?: Cluster;
  /** Records every pod's story for the report. */
  timeline?: TimelineRecorder;
  /** KUBE_SCENARIO_SEED changes the default seed of every scenario (determinism checks). */
  readonly options: ClusterOptions = process.env.KUBE_SCENARIO_SEED ? { seed: Number(process.env.KUBE_SCENARIO_SEED) } : {};
  /** The last command run by `I run` / `I try to run` / `I try to apply`. */
  last?: CommandResult;
  /** In a live run (KUBE_SCENARIO_BACKEND=live), the scenario's live cluster (support/live.ts sets it). */
  live?: LiveBackend;
  /** Why a live run skipped this scenario. */
  skipReason?: string;
  private sim?: SimBackend;

  constructor(opts: IWorldOptions) {
    super(opts);
    // The project-wide setting `worldParameters: { unknownImages: "absent" }` in the Cucumber
    // configuration (docs/images.md); KUBE_SCENARIO_UNKNOWN_IMAGES is read by the cluster itself.
    const unknown = (opts.parameters as Record<string, unknown> | undefined)?.unknownImages;
    if (unknown !== undefined) this.options.unknownImages = parseUnknownImagePolicy(unknown, "worldParameters.unknownImages");
  }

  /** What steps drive: the live cluster in a live run, else the simulated cluster. */
  get backend(): Backend {
    return this.live ?? (this.sim ??= new SimBackend(this.cluster));
  }

  get cluster(): Cluster {
    if (this.live) throw new Error("this step reads the simulated cluster and cannot run against a live cluster (mark it simOnly)");
    if (!this.current) {
      this.current = new Cluster(this.options);
      this.timeline = new TimelineRecorder(this.current.api);
    }
    return this.current;
  }

  get hasCluster(): boolean {
    return this.current !== undefined;
  }

  /** The namespace a step means: the one it names, else the kubeconfig context's (`default` unless changed). */
  ns(given?: string): string {
    return given ?? this.backend.defaultNamespace();
  }

  /** The last command's result; fails clearly when no command ran yet. */
  lastResult(): CommandResult {
    if (!this.last) throw new Error('no command has run yet in this scenario: use `When I run "kubectl ..."` first');
    return this.last;
  }

  /** Attaches text to the report (Cucumber HTML and Allure). */
  attachText(name: string, text: string, mediaType = "text/plain"): void {
    void this.attach(text, { mediaType, fileName: name });
  }

  async dispose(): Promise<void> {
    await this.current?.close();
  }
}

setWorldConstructor(KubeWorld);

After(async function (this: KubeWorld, { result }) {
  if (this.hasCluster) {
    if (result?.status === Status.FAILED) this.attachText("explanation.txt", explainPods(this.cluster.ctx));
    for (const s of finalSnapshot(this.cluster)) this.attachText(s.name, s.text);
    if (this.timeline) {
      this.attachText("timeline.txt", this.timeline.toText());
      this.attachText("timeline.svg", this.timeline.toSVG(), "image/svg+xml");
    }
  }
  await this.dispose();
});
