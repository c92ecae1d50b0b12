/**
 * The step library's backend for a live cluster (`KUBE_SCENARIO_BACKEND=live`): the cluster of the
 * current kubeconfig, reached through `@kubernetes/client-node` and the real `kubectl` binary.
 *
 * Each scenario works in its own namespace, created when it starts and deleted when it ends; a
 * kubeconfig whose context names that namespace is written for it, so `I run "kubectl get pods"`
 * and applied manifests land there and print as they would in `default`. Changes to nodes (labels,
 * taints, cordons) are undone when the scenario ends, and nodes it created are deleted.
 *
 * Time: on kube-scenario's own API facade (detected by its response header), "N seconds pass"
 * advances the facade's simulated clock through its time control, so parity runs take seconds and
 * every instant is the simulation's; on any other cluster it really waits. Checks run once on the
 * facade (its state only changes when time is advanced) and are polled until they hold, or the
 * timeout, on a real cluster.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { parse as parseYAML } from "yaml";
import { AssertionFailure, type ClusterView } from "../api/reader.ts";
import type { KObject } from "../api/types.ts";
import { secs, SkipScenario, timedOut, type Backend, type BackendTarget, type Held, type Throughout, type Until } from "../backend.ts";
import type { KubectlResult } from "../kubectl/index.ts";
import { splitCommandLine } from "../kubectl/index.ts";
import { nodesFromTable } from "../nodetable.ts";
import { collectionPath, LiveApiError, resourceOf, type LiveConnection } from "./connection.ts";
import { LiveView, runOnView } from "./view.ts";


export interface LiveBackendOptions {
  /** Directory manifest files are read from (default: the working directory). */
  rootDir?: string;
  /** How long a check is polled on a real cluster before it fails (default 30 s; env KUBE_SCENARIO_LIVE_TIMEOUT in seconds). */
  timeoutMs?: number;
  /** Poll interval on a real cluster (default 1 s). */
  pollMs?: number;
  /** The kubectl binary (default: env KUBECTL or `kubectl` on the PATH). */
  kubectl?: string;
}

interface NodeMarks {
  labels: Record<string, string>;
  taints: unknown[] | undefined;
  unschedulable: boolean | undefined;
}

/** A DNS-1123 label for a scenario's namespace: ks-<scenario words>-<random>. */
export function namespaceFor(scenarioName: string): string {
  const slug = scenarioName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  return `ks-${slug ? `${slug}-` : ""}${randomBytes(3).toString("hex")}`;
}

/** The kubeconfig of the connection with its current context's namespace set to `namespace` (JSON, which kubectl reads). */
export function kubeconfigWithNamespace(exported: string, namespace: string): string {
  // client-node's exportConfig(): contexts as { name, context: { cluster, user, namespace } }.
  const config = JSON.parse(exported) as { "current-context"?: string; contexts?: Array<{ name: string; context?: Record<string, unknown> }> };
  const ctx = (config.contexts ?? []).find((c) => c.name === config["current-context"]);
  if (!ctx) throw new Error(`the kubeconfig has no current context ${JSON.stringify(config["current-context"])}`);
  ctx.context = { ...ctx.context, namespace };
  return JSON.stringify(config, null, 2);
}

export class LiveBackend implements Backend {
  readonly target: BackendTarget;
  private readonly createdNodes = new Set<string>();
  private readonly nodesBefore = new Map<string, NodeMarks>();
  private readonly rootDir: string;
  readonly timeoutMs: number;
  readonly pollMs: number;
  private readonly kubectlBin: string;
  private finished = false;
  /** The namespace steps default to (`default` stands for the scenario's own); follows `kubectl config set-context`. */
  private contextNamespace = "default";
  /** Namespaces the scenario's kubectl commands created (`namespace/x created`), deleted when it ends. */
  private readonly createdNamespaces = new Set<string>();

  private constructor(
    readonly conn: LiveConnection,
    readonly namespace: string,
    private readonly dir: string,
    readonly kubeconfigPath: string,
    opts: LiveBackendOptions,
  ) {
    this.target = conn.facade ? "facade" : "cluster";
    this.rootDir = opts.rootDir ?? process.cwd();
    const envTimeout = process.env.KUBE_SCENARIO_LIVE_TIMEOUT ? Number(process.env.KUBE_SCENARIO_LIVE_TIMEOUT) * 1000 : undefined;
    this.timeoutMs = opts.timeoutMs ?? envTimeout ?? 30_000;
    this.pollMs = opts.pollMs ?? 1000;
    this.kubectlBin = opts.kubectl ?? process.env.KUBECTL ?? "kubectl";
  }

  /**
   * Starts a scenario: a fresh simulated cluster when the facade allows it, the scenario's
   * namespace and kubeconfig, and a note of every node's labels, taints and cordon to restore.
   */
  static async start(conn: LiveConnection, scenarioName: string, opts: LiveBackendOptions = {}): Promise<LiveBackend> {
    if (conn.resettable) await conn.reset();
    const namespace = namespaceFor(scenarioName);
    await conn.core.createNamespace({ body: { metadata: { name: namespace, labels: { "app.kubernetes.io/managed-by": "kube-scenario" } } } });
    const dir = mkdtempSync(join(tmpdir(), "kube-scenario-live-"));
    const kubeconfigPath = join(dir, "kubeconfig.json");
    writeFileSync(kubeconfigPath, kubeconfigWithNamespace(conn.kc.exportConfig(), namespace), { mode: 0o600 });
    const b = new LiveBackend(conn, namespace, dir, kubeconfigPath, opts);
    for (const n of await conn.list("Node")) b.nodesBefore.set(n.metadata.name!, marksOf(n));
    return b;
  }

  /** Ends the scenario: deletes the nodes it created, restores the others, deletes its namespace. */
  async finish(): Promise<string[]> {
    if (this.finished) return [];
    this.finished = true;
    const problems: string[] = [];
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message}`);
      }
    };
    for (const name of this.createdNodes) await attempt(`deleting node ${name}`, () => this.conn.json("DELETE", `/api/v1/nodes/${name}`));
    let nodes: KObject[] = [];
    await attempt("listing nodes", async () => (nodes = await this.conn.list("Node")));
    for (const n of nodes) {
      const before = this.nodesBefore.get(n.metadata.name!);
      if (!before || this.createdNodes.has(n.metadata.name!)) continue;
      const patch = restorePatch(before, marksOf(n));
      if (patch) await attempt(`restoring node ${n.metadata.name}`, () => this.conn.json("PATCH", `/api/v1/nodes/${n.metadata.name}`, patch, "application/merge-patch+json"));
    }
    if (this.conn.facade && !this.conn.resettable) {
      // The simulation has no namespace controller: empty the namespace as it would (workloads
      // first, so nothing is recreated), so the next scenario's nodes do not inherit these pods.
      for (const kind of ["CronJob", "Deployment", "Job", "ReplicaSet", "Service", "Pod"]) {
        await attempt(`deleting the ${kind} objects of namespace ${this.namespace}`, () =>
          this.conn.json("DELETE", `${collectionPath(resourceOf(kind), this.namespace)}?gracePeriodSeconds=0`),
        );
      }
    }
    for (const ns of [...this.createdNamespaces, this.namespace]) {
      await attempt(`deleting namespace ${ns}`, () => this.conn.core.deleteNamespace({ name: ns }));
    }
    rmSync(this.dir, { recursive: true, force: true });
    return problems;
  }

  /**
   * The node table. On the facade the nodes are created (and deleted when the scenario ends). A real
   * cluster's nodes are its own: each named node must exist (else the scenario is skipped); the
   * table's labels and taints are added to it (and removed at the end); capacity and role columns
   * cannot be set, so a table that fills them skips the scenario.
   */
  async addNodes(rows: Record<string, string>[]): Promise<void> {
    const nodes = nodesFromTable(rows);
    const existing = new Map((await this.conn.list("Node")).map((n) => [n.metadata.name!, n]));
    if (this.conn.facade) {
      for (const n of nodes) if (existing.has(n.metadata.name!)) throw new Error(`node "${n.metadata.name}" already exists in this cluster`);
      for (const n of nodes) {
        await this.conn.json("POST", "/api/v1/nodes", n);
        this.createdNodes.add(n.metadata.name!);
      }
      return;
    }
    const fixed = ["cpu", "memory", "pods", "role"].filter((c) => rows.some((r) => (r[c] ?? "").trim() !== ""));
    if (fixed.length) throw new SkipScenario(`the node table sets ${fixed.join(", ")}, which only the simulation can give a node`);
    const missing = nodes.map((n) => n.metadata.name!).filter((name) => !existing.has(name));
    if (missing.length) {
      throw new SkipScenario(`the cluster has no node${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} (it has ${[...existing.keys()].join(", ")}); a live cluster's nodes are its own`);
    }
    for (const [i, n] of nodes.entries()) {
      const row = rows[i];
      const live = existing.get(n.metadata.name!)!;
      const labels = (row.labels ?? "").trim() ? Object.fromEntries(Object.entries(n.metadata.labels ?? {}).filter(([k]) => !k.startsWith("kubernetes.io/"))) : {};
      const taints = (row.taints ?? "").trim() ? [...(live.spec?.taints ?? []), ...(n.spec?.taints ?? [])] : undefined;
      if (Object.keys(labels).length || taints) {
        await this.conn.json("PATCH", `/api/v1/nodes/${n.metadata.name}`, { metadata: { labels }, ...(taints ? { spec: { taints } } : {}) }, "application/merge-patch+json");
      }
    }
  }

  /** Runs the real kubectl with the scenario's kubeconfig (its namespace is the scenario's). */
  kubectl(command: string | string[], stdin?: string): Promise<KubectlResult> {
    let words = typeof command === "string" ? splitCommandLine(command) : [...command];
    if (words[0] === "kubectl") words = words.slice(1);
    return new Promise((done, fail) => {
      const child = execFile(
        this.kubectlBin,
        words,
        { cwd: this.rootDir, env: { ...process.env, KUBECONFIG: this.kubeconfigPath }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== "number") {
            fail(new Error(`cannot run ${this.kubectlBin}: ${error.message} (set KUBECTL to the kubectl binary)`));
            return;
          }
          this.noteKubectl(stdout);
          done({ stdout, stderr, exitCode: error ? (error.code as number) : 0 });
        },
      );
      // kubectl may exit before it reads its standard input (most commands never do): a write to
      // the closed pipe is EPIPE, which is not the command's failure; its exit code says that.
      child.stdin?.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code !== "EPIPE") fail(err);
      });
      if (stdin === undefined) child.stdin?.end();
      else child.stdin?.end(stdin);
    });
  }

  /**
   * After a kubectl command: the namespace of the kubeconfig's current context (kubectl config
   * set-context/use-context change it; the scenario's namespace reads as `default`) and the
   * namespaces the command created.
   */
  private noteKubectl(stdout: string): void {
    for (const m of stdout.matchAll(/^namespace\/(\S+) created$/gm)) this.createdNamespaces.add(m[1]);
    try {
      this.contextNamespace = contextNamespaceOf(readFileSync(this.kubeconfigPath, "utf8"), this.namespace);
    } catch {
      // An unreadable kubeconfig leaves the namespace as it was; kubectl itself reports the problem.
    }
  }

  defaultNamespace(): string {
    return this.contextNamespace;
  }

  /** The real namespace a step's namespace means: `default` is the scenario's own. */
  realNamespace(ns: string | undefined): string {
    return ns === undefined || ns === "default" ? this.namespace : ns;
  }

  /** `kubectl apply -f`; without OpenAPI on the server (our facade), with --validate=false as kubectl itself advises. */
  async apply(text: string, source: string): Promise<KubectlResult> {
    const args = ["apply", "-f", source];
    if (!(await this.conn.servesOpenAPI())) args.push("--validate=false");
    return this.kubectl(args, source === "-" ? text : undefined);
  }

  readProjectFile(path: string): string {
    try {
      return readFileSync(resolve(this.rootDir, path), "utf8");
    } catch {
      throw new Error(`cannot read "${path}" (relative to ${this.rootDir}): no such file`);
    }
  }

  /** Advances the facade's clock; really waits on any other cluster. */
  async pass(ms: number): Promise<void> {
    if (this.conn.facade) await this.conn.advance(ms);
    else await sleep(ms);
  }

  /** A fresh view of the cluster's objects. */
  async view(): Promise<LiveView> {
    return new LiveView((kind, ns) => this.conn.list(kind, ns), this.namespace, await this.conn.now(), (ns) => this.conn.schedulingAttempts(ns));
  }

  /** Once on the facade; polled every pollMs until it holds or timeoutMs on a real cluster. */
  async check<T>(fn: (view: ClusterView) => T): Promise<T> {
    const deadline = performance.now() + (this.conn.facade ? 0 : this.timeoutMs);
    for (;;) {
      try {
        return await runOnView(await this.view(), fn);
      } catch (e) {
        if (e instanceof LiveApiError || performance.now() >= deadline) {
          if (!this.conn.facade && e instanceof Error) e.message = `still, after polling for ${this.timeoutMs / 1000} s: ${e.message}`;
          throw e;
        }
        await sleep(this.pollMs);
      }
    }
  }

  /**
   * "Within ms, until holds": on the facade, the simulated clock advances in `stepMs` steps with a
   * check after each (as the simulation's own assertions do); on a real cluster it is polled until
   * the deadline. Resolves to when it held; rejects with `until.timedOut` over the last view.
   */
  async within(ms: number, stepMs: number, until: Until): Promise<Held> {
    let last: { view: LiveView; problem: string } | undefined;
    try {
      const took = await this.withinAsync(ms, until.remoteStepMs ?? stepMs, async () => {
        const view = await this.view();
        const problem = await runOnView(view, (v) => until.check(v));
        if (problem !== undefined) {
          last = { view, problem };
          throw new AssertionFailure(problem);
        }
      });
      return { tookMs: took, instant: `${until.held} after ${secs(took)}` };
    } catch (e) {
      const l = last;
      if (l && e instanceof AssertionFailure) throw await runOnView(l.view, (v) => timedOut(until, v, ms, l.problem));
      throw e;
    }
  }

  /** Requires `t` at every step for `ms`: the facade's clock steps; a real cluster is sampled every poll. */
  async throughout(ms: number, stepMs: number, t: Throughout): Promise<void> {
    const facade = this.conn.facade;
    const start = facade ? await this.conn.now() : performance.now();
    for (;;) {
      const elapsed = facade ? (await this.conn.now()) - start : performance.now() - start;
      const view = await this.view();
      const problem = await runOnView(view, (v) => t.check(v));
      if (problem !== undefined) throw new AssertionFailure(await runOnView(view, (v) => t.broke(v, elapsed, ms, problem)));
      if (elapsed >= ms) return;
      if (facade) await this.conn.advance(Math.min(stepMs, ms - elapsed));
      else await sleep(Math.min(this.pollMs, ms - elapsed));
    }
  }

  /** As `within`, for any asynchronous attempt (a kubectl command, say) that rejects until it holds. */
  async withinAsync(ms: number, stepMs: number, attempt: () => Promise<unknown>): Promise<number> {
    const facade = this.conn.facade;
    const start = facade ? await this.conn.now() : performance.now();
    const elapsed = async () => (facade ? (await this.conn.now()) - start : performance.now() - start);
    for (;;) {
      try {
        await attempt();
        return await elapsed();
      } catch (e) {
        if (e instanceof LiveApiError) throw e;
        const spent = await elapsed();
        if (spent >= ms) throw e;
        if (facade) await this.conn.advance(Math.min(stepMs, ms - spent));
        else await sleep(Math.min(this.pollMs, ms - spent));
      }
    }
  }

  async logs(pod: string, container?: string, namespace?: string): Promise<string> {
    try {
      return await this.conn.core.readNamespacedPodLog({ name: pod, namespace: this.realNamespace(namespace), container });
    } catch (e) {
      const body = (e as { body?: unknown }).body; // client-node's ApiException carries the response body
      throw new Error(`cannot read the logs of pod "${pod}"${container ? ` container "${container}"` : ""}: ${typeof body === "string" ? body : (e as Error).message}`);
    }
  }
}

/**
 * The namespace of a kubeconfig's current context, with the scenario's namespace read as
 * `default` (as the live view shows it); `default` when the context names none.
 */
export function contextNamespaceOf(kubeconfigText: string, scenarioNamespace: string): string {
  const config = parseYAML(kubeconfigText) as { contexts?: Array<{ name: string; context?: { namespace?: string } }>; "current-context"?: string };
  const ctx = (config.contexts ?? []).find((c) => c.name === config["current-context"]);
  const ns = ctx?.context?.namespace || "default";
  return ns === scenarioNamespace ? "default" : ns;
}

function marksOf(n: KObject): NodeMarks {
  return { labels: { ...(n.metadata.labels ?? {}) }, taints: n.spec?.taints, unschedulable: n.spec?.unschedulable };
}

/** A JSON merge patch that brings a node's labels, taints and cordon back to `before`, or undefined when nothing changed. */
export function restorePatch(before: NodeMarks, now: NodeMarks): unknown | undefined {
  const labels: Record<string, string | null> = {};
  for (const k of Object.keys(now.labels)) if (!(k in before.labels)) labels[k] = null;
  for (const [k, v] of Object.entries(before.labels)) if (now.labels[k] !== v) labels[k] = v;
  const spec: Record<string, unknown> = {};
  if (JSON.stringify(before.taints ?? []) !== JSON.stringify(now.taints ?? [])) spec.taints = before.taints ?? null;
  if ((before.unschedulable ?? false) !== (now.unschedulable ?? false)) spec.unschedulable = before.unschedulable ?? null;
  if (!Object.keys(labels).length && !Object.keys(spec).length) return undefined;
  return { ...(Object.keys(labels).length ? { metadata: { labels } } : {}), ...(Object.keys(spec).length ? { spec } : {}) };
}
