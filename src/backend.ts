/**
 * What the step library asks of a cluster, whichever cluster it is:
 * - `SimBackend` (here): the in-process simulated cluster (`Cluster`); every call is synchronous
 *   and returns a plain value, so the simulated path stays as fast as it was;
 * - `LiveBackend` (`src/live/backend.ts`): the cluster of a kubeconfig, reached through
 *   `@kubernetes/client-node` and the real `kubectl`; its calls return promises.
 * Steps chain results with `then()` below, which stays synchronous for plain values.
 */
import { AssertionFailure, type ClusterView, type Problem } from "./api/reader.ts";
import type { Cluster } from "./cluster.ts";
import type { KubectlResult } from "./kubectl/index.ts";
import { podLogs } from "./kubelet/inspect.ts";
import type { ClusterContext } from "./context.ts";

export type MaybePromise<T> = T | Promise<T>;

/** Which cluster a backend drives: the in-process simulation, our API facade over HTTP, or any other API server. */
export type BackendTarget = "simulation" | "facade" | "cluster";

/**
 * What `within` waits for (src/assert builds these, e.g. `podPhaseWithin`): a check in src/assert's
 * convention, run after every step of time, and how to word its outcome.
 */
export interface Until {
  /** `undefined` once it holds, else what the cluster shows instead. */
  check(view: ClusterView): MaybePromise<Problem>;
  /** The failure when the span ran out without it holding; `after N s: <problem>` unless given. */
  timedOut?(view: ClusterView, ms: number, problem: string): string;
  /** What held, for the report ("pod \"web\" was Running"); `Held.instant` adds when. */
  held: string;
  /** The pod whose story explains a failure, and its namespace (default `default`). */
  pod?: string;
  namespace?: string;
  /** The step between tries on a live backend when each try is costly (a real kubectl process); `stepMs` unless given. */
  remoteStepMs?: number;
}

/** What `throughout` requires at every step of a span (src/assert builds these, e.g. `staysReadyThroughout`). */
export interface Throughout {
  /** `undefined` while it holds, else what the cluster shows instead. */
  check(view: ClusterView): MaybePromise<Problem>;
  /** The failure when it stopped holding `afterMs` into a span of `ms` (0: it does not hold now). */
  broke(view: ClusterView, afterMs: number, ms: number, problem: string): string;
  /** The pod whose story explains a failure, and its namespace (default `default`). */
  pod?: string;
  namespace?: string;
}

/** When an Until held. */
export interface Held {
  tookMs: number;
  /** `<held> after 4.0 s (at 2024-01-08T00:00:04Z)`, the line the report keeps. */
  instant: string;
}

/** A span in seconds as the assertions print it: `1.5 s`. */
export const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The failure of an Until whose span ran out. */
export function timedOut(until: Until, view: ClusterView, ms: number, problem: string): AssertionFailure {
  return new AssertionFailure(until.timedOut ? until.timedOut(view, ms, problem) : `after ${ms / 1000} s: ${problem}`);
}

export interface Backend {
  readonly target: BackendTarget;
  /** The contract's node table: creates the nodes (simulation, facade) or checks they exist (a real cluster). */
  addNodes(rows: Record<string, string>[]): MaybePromise<void>;
  /** One kubectl command line ("kubectl get pods" or its words); never throws for kubectl failures. */
  kubectl(command: string | string[], stdin?: string): MaybePromise<KubectlResult>;
  /** `kubectl apply -f` of manifest text (`source` "-") or of a project file (`source` its path). */
  apply(text: string, source: string): MaybePromise<KubectlResult>;
  readProjectFile(path: string): string;
  /** Lets `ms` of time pass: the simulated clock advances; a real cluster is waited for. */
  pass(ms: number): MaybePromise<void>;
  /**
   * Runs a read-only check (it throws when the cluster does not show what is expected): at once in
   * the simulation and on the facade, polled until it holds or the timeout on a real cluster.
   * `pod` (in `namespace`, default `default`) names the pod whose story explains a failure.
   */
  check<T>(fn: (view: ClusterView) => T, pod?: string, namespace?: string): MaybePromise<T>;
  /**
   * Waits at most `ms` until `until` holds, checking it now and after every `stepMs`: the
   * simulation advances its clock in those steps (so an instant is reported to the step); the
   * facade advances its clock likewise over HTTP; a real cluster is polled. Steps never branch on
   * which: waiting is the backend's business. Fails with `until.timedOut` (the pod's story added
   * when `until.pod` is set, in the simulation).
   */
  within(ms: number, stepMs: number, until: Until): MaybePromise<Held>;
  /**
   * Requires `t` now and after every `stepMs` for `ms`, letting that span pass: the simulation and
   * the facade step their clocks; a real cluster is sampled every poll for the span (it may miss
   * what happens between samples, which is why the steps using this are simulation-only).
   */
  throughout(ms: number, stepMs: number, t: Throughout): MaybePromise<void>;
  /** The logs as `kubectl logs` shows them (first container unless one is named). */
  logs(pod: string, container?: string, namespace?: string): MaybePromise<string>;
  /**
   * The namespace steps use when they name none: the kubeconfig context's, as kubectl's
   * (`default` until `kubectl config set-context --current --namespace=...` changes it).
   */
  defaultNamespace(): string;
}

/** Thrown by a step that cannot run against this cluster: the rest of the scenario is skipped with this reason. */
export class SkipScenario extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "SkipScenario";
  }
}

/** Calls `next` with the value at once, or after the promise resolves. */
export function then<T, U>(value: MaybePromise<T>, next: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * Runs a check about a pod and, when it throws, adds the pod's story to the error (the report
 * layer's `withExplanation`, src/report/explain.ts, given by whoever builds the backend: the report
 * sits above the backends in the layer order).
 */
export type Explainer = <T>(ctx: ClusterContext, pod: string, check: () => T, namespace?: string) => T;

export class SimBackend implements Backend {
  readonly target = "simulation" as const;

  /** Without `explain`, a failed check throws its own error unchanged. */
  constructor(readonly cluster: Cluster, private readonly explain?: Explainer) {}

  addNodes(rows: Record<string, string>[]): void {
    this.cluster.addNodesFromTable(rows);
  }

  kubectl(command: string | string[], stdin?: string): KubectlResult {
    return this.cluster.kubectlSync(command, stdin);
  }

  apply(text: string, source: string): KubectlResult {
    return source === "-" ? this.cluster.kubectlSync(["apply", "-f", "-"], text) : this.cluster.kubectlSync(["apply", "-f", source]);
  }

  readProjectFile(path: string): string {
    return this.cluster.readProjectFile(path);
  }

  pass(ms: number): void {
    this.cluster.advanceSync(ms);
  }

  check<T>(fn: (view: ClusterView) => T, pod?: string, namespace?: string): T {
    const ctx = this.cluster.ctx;
    return pod === undefined || !this.explain ? fn(ctx) : this.explain(ctx, pod, () => fn(ctx), namespace);
  }

  within(ms: number, stepMs: number, until: Until): Held {
    const ctx = this.cluster.ctx;
    const checkNow = (): Problem => this.syncCheck(until.check(ctx));
    const run = (): Held => {
      const start = ctx.clock.now();
      ctx.clock.settle();
      for (let problem = checkNow(); problem !== undefined; problem = checkNow()) {
        const elapsed = ctx.clock.now() - start;
        if (elapsed >= ms) throw timedOut(until, ctx, ms, problem);
        this.cluster.advanceSync(Math.min(stepMs, ms - elapsed));
      }
      const took = ctx.clock.now() - start;
      return { tookMs: took, instant: `${until.held} after ${secs(took)} (at ${ctx.clock.nowRFC3339()})` };
    };
    return until.pod === undefined || !this.explain ? run() : this.explain(ctx, until.pod, run, until.namespace);
  }

  throughout(ms: number, stepMs: number, t: Throughout): void {
    const ctx = this.cluster.ctx;
    const run = (): void => {
      const start = ctx.clock.now();
      ctx.clock.settle();
      for (;;) {
        const elapsed = ctx.clock.now() - start;
        const problem = this.syncCheck(t.check(ctx));
        if (problem !== undefined) throw new AssertionFailure(t.broke(ctx, elapsed, ms, problem));
        if (elapsed >= ms) return;
        this.cluster.advanceSync(Math.min(stepMs, ms - elapsed));
      }
    };
    if (t.pod === undefined || !this.explain) run();
    else this.explain(ctx, t.pod, run, t.namespace);
  }

  private syncCheck(p: MaybePromise<Problem>): Problem {
    if (p instanceof Promise) throw new Error("a check of the simulated cluster is synchronous; this one returned a promise");
    return p;
  }

  logs(pod: string, container?: string, namespace?: string): string {
    return podLogs(this.cluster.ctx, pod, container, namespace);
  }

  defaultNamespace(): string {
    return this.cluster.namespace;
  }
}
