/**
 * One simulated cluster per scenario. The cluster is created lazily, so that `Given the time is`
 * and `Given the random seed is` can set it up before anything exists. Steps reach it through
 * `this.cluster`; the last kubectl result is kept for the output assertions.
 */
import { After, Before, setWorldConstructor, Status, World, type IWorldOptions } from "@cucumber/cucumber";
import { Cluster, type ClusterOptions } from "../src/cluster.ts";
import { SimBackend, type Backend } from "../src/backend.ts";
import type { LiveBackend } from "../src/live/backend.ts";
import type { KubectlResult, RunningKubectl } from "../src/kubectl/index.ts";
import { finalSnapshot } from "../src/report/snapshot.ts";
import { TimelineRecorder } from "../src/report/timeline.ts";
import { explainPods, withExplanation } from "../src/report/explain.ts";
import { parseUnknownImagePolicy } from "../src/images/registry.ts";
import { scenarioGC } from "./gc.ts";

export interface CommandResult extends KubectlResult {
  command: string;
}

export class KubeWorld extends World {
  private current?: Cluster;
  /** Records every pod's story for the report. */
  timeline?: TimelineRecorder;
  /**
   * Options of the scenario's cluster: KUBE_SCENARIO_SEED changes the default seed of every
   * scenario (determinism checks); KUBE_SCENARIO_EXERCISES reads `exercises/...` from a
   * submission's directory (`kube-scenario grade --exercises DIR`); the explanations of failures
   * are in the feature's language.
   */
  readonly options: ClusterOptions = {
    ...(process.env.KUBE_SCENARIO_SEED ? { seed: Number(process.env.KUBE_SCENARIO_SEED) } : {}),
    ...(process.env.KUBE_SCENARIO_EXERCISES ? { exercisesDir: process.env.KUBE_SCENARIO_EXERCISES } : {}),
  };
  /** The last command run by `I run` / `I try to run` / `I try to apply`. */
  last?: CommandResult;
  /** The command running in the second terminal (`I run "kubectl get pods -w" in a second terminal`). */
  terminal?: { command: string; running: RunningKubectl };
  /** In a live run (KUBE_SCENARIO_BACKEND=live), the scenario's live cluster (support/live.ts sets it). */
  live?: LiveBackend;
  /** Why a live run skipped this scenario. */
  skipReason?: string;
  private sim?: SimBackend;
  /** Steps of the scenario (Background included) and how many have run, to attach the story to the last one. */
  private stepCount = 0;
  private stepsRun = 0;
  /** Whether the cluster's story (explanation, snapshot, timeline) is in the report already. */
  private reported = false;

  constructor(opts: IWorldOptions) {
    super(opts);
    // The project-wide setting `worldParameters: { unknownImages: "absent" }` in the Cucumber
    // configuration (docs/images.md); KUBE_SCENARIO_UNKNOWN_IMAGES is read by the cluster itself.
    const unknown = (opts.parameters as Record<string, unknown> | undefined)?.unknownImages;
    if (unknown !== undefined) this.options.unknownImages = parseUnknownImagePolicy(unknown, "worldParameters.unknownImages");
  }

  /** What steps drive: the live cluster in a live run, else the simulated cluster. */
  get backend(): Backend {
    return this.live ?? (this.sim ??= new SimBackend(this.cluster, withExplanation));
  }

  get cluster(): Cluster {
    if (this.live) throw new Error("this step reads the simulated cluster and cannot run against a live cluster (mark it simOnly)");
    if (!this.current) {
      scenarioGC();
      this.current = new Cluster(this.options);
      this.timeline = new TimelineRecorder(this.current.api);
    }
    return this.current;
  }

  get hasCluster(): boolean {
    return this.current !== undefined;
  }

  /**
   * `Given the time is ...` (`ms` its instant): the simulated cluster starts then, or its clock
   * advances to it; a live cluster keeps its own clock, so only a note is logged (relative times,
   * such as AGE, are what is compared).
   */
  setTime(time: string, ms: number): void {
    if (this.live) {
      this.log(`the time is ${time} in the simulation; a live cluster keeps its own clock (only relative times are compared)`);
      return;
    }
    if (!this.hasCluster) {
      this.options.startTime = time;
      return;
    }
    const now = this.cluster.clock.now();
    if (ms < now) throw new Error(`the simulated clock is already at ${new Date(now).toISOString()}; time cannot go back to ${time}`);
    this.cluster.advanceSync(ms - now);
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

  /**
   * The cluster's story for the report: on a failure the explanation of every pod, then the final
   * `kubectl get` snapshot, the events and the timeline. Attached during the step that failed (or
   * the last step), so Allure shows them on that step rather than in a collapsed "Tear down".
   */
  private attachStory(failed: boolean): void {
    if (this.reported || !this.hasCluster) return;
    this.reported = true;
    if (failed) this.attachText("explanation.txt", explainPods(this.cluster.ctx));
    for (const s of finalSnapshot(this.cluster)) this.attachText(s.name, s.text);
    if (this.timeline) {
      this.attachText("timeline.txt", this.timeline.toText());
      this.attachText("timeline.svg", this.timeline.toSVG(), "image/svg+xml");
    }
  }

  /** Called by every step defined through support/define.ts when it ends (with its error if it failed). */
  stepEnded(err?: unknown): void {
    this.stepsRun++;
    if (err !== undefined) this.attachStory(true);
    else if (this.stepsRun === this.stepCount) this.attachStory(false);
  }

  /** Called before the scenario: its language and how many steps it has. */
  scenarioStarts(language: string, steps: number): void {
    this.options.language = language;
    this.stepCount = steps;
  }

  /**
   * Stops the second terminal's command and closes the cluster. Synchronous (nothing in a simulated
   * cluster's close waits), so that the After hook is too: Cucumber runs a hook or step that returns
   * a promise with a timeout timer, an uncaught-exception handler and a race (user_code_runner.js),
   * ~0.1 ms a scenario (docs/performance.md, branch suite19). A world that overrides it may return a
   * promise; the After hook then waits for it.
   */
  dispose(): void | Promise<void> {
    this.terminal?.running.stop();
    this.current?.closeSync();
  }

  /** After the scenario: the story if no step attached it (a failing hook, a step defined elsewhere), then the cluster closes. */
  scenarioEnded(failed: boolean): void | Promise<void> {
    this.attachStory(failed);
    return this.dispose();
  }
}

setWorldConstructor(KubeWorld);

Before(function (this: KubeWorld, { pickle }) {
  this.scenarioStarts(pickle.language, pickle.steps.length);
});

After(function (this: KubeWorld, { result }) {
  return this.scenarioEnded(result?.status === Status.FAILED);
});
