/**
 * The facade of one simulated cluster, and the package's programmatic API:
 *
 *   const cluster = new Cluster({ seed: 7, startTime: "2024-01-08T00:00:00Z" });
 *   await cluster.apply(yamlText);      // as `kubectl apply -f -`; throws kubectl's error text
 *   await cluster.advance("30s");       // any {duration} form, or milliseconds
 *   const r = await cluster.kubectl("get pods -o json"); // { stdout, stderr, exitCode }
 *   await cluster.close();
 *
 * Internally everything is synchronous on the cluster's own fake clock; the async signatures
 * leave room for backends that really wait (a real cluster).
 */
import { ingressNginxController } from "./controllers/ingress/nginx.ts";
import { setWebhookCaller } from "./api/admission/webhook/generic.ts";
import { webhookCaller } from "./controllers/admissionwebhook/caller.ts";
import { setClusterSigningCA, type SigningCA } from "./controllers/certificates/signer.ts";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { defaultAdmissionPlugins } from "./api/admission/index.ts";
import { createBootstrapPolicy } from "./api/authorization/bootstrappolicy.ts";
import { createSystemPriorityClasses } from "./api/registry/scheduling/priorityclass.ts";
import { installCustomResourceHandler } from "./api/apiextensions/handler.ts";
import { EventRecorder } from "./api/events.ts";
import { strictDecoder } from "./api/schema/decoder.ts";
import { ApiServer, type StartCreateHook, type StartState, type WatchSlot, type WriteOptions } from "./api/store.ts";
import type { KObject } from "./api/types.ts";
import { COMPONENTS, LATE_START } from "./components.ts";
import { ServiceRegistry, type ClusterContext, type Component } from "./context.ts";
import { runKubectl, startKubectl, type KubectlResult, type RunningKubectl } from "./kubectl/index.ts";
import type { KubectlContext } from "./kubectl/command.ts";
import type { LocalMachine } from "./kubectl/pipeline.ts";
import { MemFs, resolvePath } from "./runtime/vfs.ts";
import { Kubeconfig } from "./kubectl/kubeconfig.ts";
import { DEFAULT_START, RunawayError, SimClock } from "./sim/clock.ts";
import { parseDuration } from "./sim/duration.ts";
import { DEFAULT_SEED, Random } from "./sim/random.ts";
import { nodesFromTable } from "./nodetable.ts";
import { imageRegistry, parseUnknownImagePolicy, type UnknownImagePolicy } from "./images/registry.ts";

export interface ClusterOptions {
  seed?: number;
  /** RFC 3339 start instant of the simulated clock. */
  startTime?: string;
  /** Directory that relative manifest paths are read from (default: the working directory). */
  rootDir?: string;
  /**
   * Where paths under `exercises/` are read from instead of `<rootDir>/exercises` (grading reads a
   * student's submission from another checkout: `kube-scenario grade --exercises DIR`).
   */
  exercisesDir?: string;
  /** Language of the explanations of failures (`en` or `ko`; default `en`). */
  language?: string;
  /**
   * Refuse an advance whose periodic timers alone would fire more than this many callbacks
   * (default 2,000,000: about half a minute of wall time; env KUBE_SCENARIO_MAX_TIMERS_PER_ADVANCE).
   */
  maxTimersPerAdvance?: number;
  /**
   * Wall-time budget of one advance or kubectl command in ms (default 30,000; env
   * KUBE_SCENARIO_ADVANCE_BUDGET_MS; 0 = none): past it the simulation stops with a RunawayError
   * naming the busiest timers, so a runaway scenario fails instead of hanging the test run.
   */
  advanceBudgetMs?: number;
  /**
   * What an image outside the catalogue does (docs/images.md): "generic" (default) runs it as a
   * generic process, "absent" makes it fail to pull as a missing repository. Env
   * KUBE_SCENARIO_UNKNOWN_IMAGES; Cucumber: `worldParameters: { unknownImages: "absent" }`.
   */
  unknownImages?: UnknownImagePolicy;
  /**
   * Run the reference engine: the speed-ups of issue #19 off (docs/performance.md, "The reference
   * engine"). Only the differential tests need it; what a scenario observes is the same either way.
   * Env KUBE_SCENARIO_REFERENCE_ENGINE=1.
   */
  reference?: boolean;
  /**
   * Whether the built-in ingress-nginx add-on runs (default true; src/controllers/ingress/nginx.ts):
   * false is a cluster without an ingress controller, as a new kind cluster, where a team installs
   * one from its manifest (exercises/apps/ingress-nginx).
   */
  builtInIngressController?: boolean;
  /**
   * The cluster's CA (kubeadm's ca.crt and ca.key) in place of the simulated one
   * (src/controllers/certificates/clusterca.ts): the CSR signer signs with it and the
   * `kube-root-ca.crt` ConfigMaps and token Secrets carry it from the start. `kube-scenario serve`
   * gives the facade's, so that what the cluster publishes verifies the server clients talk to.
   */
  signingCA?: SigningCA;
}

export const DEFAULT_MAX_TIMERS_PER_ADVANCE = 2_000_000;
export const DEFAULT_ADVANCE_BUDGET_MS = 30_000;

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

/** A span for messages: "10000 days", "3 hours", "90 seconds". */
function describeSpan(ms: number): string {
  const units: Array<[number, string]> = [[86_400_000, "day"], [3_600_000, "hour"], [60_000, "minute"], [1000, "second"]];
  for (const [size, unit] of units) {
    if (ms >= size) {
      const n = Math.round((ms / size) * 10) / 10;
      return `${n} ${unit}${n === 1 ? "" : "s"}`;
    }
  }
  return `${ms} ms`;
}

/** Thrown by `apply` when kubectl would fail; the message is kubectl's stderr. */
export class KubectlFailure extends Error {
  constructor(readonly result: KubectlResult) {
    super(result.stderr.trimEnd());
    this.name = "KubectlFailure";
  }
}

/** The working directory of the user's machine: the project root as its shell sees it. */
const MACHINE_CWD = "/root";

/**
 * The files of a user's machine nobody wrote to yet (`Cluster.newKubectlContext`): its working
 * directory, /tmp, /dev and an empty /dev/null. Only read (stat, readFile, readdir: none of them
 * changes a MemFs), so one serves every cluster; times are not read from it.
 */
let freshFiles: MemFs | undefined;
function freshMachineFiles(): MemFs {
  return (freshFiles ??= furnish(new MemFs()));
}

/**
 * The user's machine (src/kubectl/pipeline.ts LocalMachine): the files this cluster's session
 * wrote (a shell's commands, kubectl's `> path`), never on the disk, in a working directory that
 * stands for the project root: kubectl's relative paths name the files written there first, then
 * the project's. Its files are made when first reached (issue #19 §5: most scenarios only run
 * kubectl, whose reads of the session's files find none), with the time of the machine's making on
 * its first directories and /dev/null, as if made then, and the clock's on every later write.
 */
class UserMachine implements LocalMachine {
  readonly cwd = MACHINE_CWD;
  readonly env: Record<string, string> = {};
  private readonly at: number;
  private files: MemFs | undefined;

  constructor(
    private readonly clock: SimClock,
    readonly readExample: (path: string) => string,
  ) {
    this.at = clock.now();
  }

  get fs(): MemFs {
    if (!this.files) {
      let making = true;
      const clock = this.clock;
      const at = this.at;
      this.files = furnish(new MemFs({ now: () => (making ? at : clock.now()) }));
      making = false;
    }
    return this.files;
  }

  /** The files, when made already. */
  get built(): MemFs | undefined {
    return this.files;
  }
}

/** A user's machine's first files, in `fs`: its working directory, /tmp, /dev and /dev/null. */
function furnish(fs: MemFs): MemFs {
  for (const dir of [MACHINE_CWD, "/tmp", "/dev"]) fs.mkdir(dir, { recursive: true });
  fs.writeFile("/dev/null", "");
  return fs;
}

export const SYSTEM_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];

/**
 * What a cluster's start writes, by start instant: the system namespaces, the default
 * StorageClass and IngressClass the add-ons create, and whatever else the components create while
 * the cluster starts, in order (each create's request as JSON and the object it stored). A later
 * cluster started at the same instant whose start makes the same requests in the same order stores
 * those same frozen objects (`ApiServer.adoptCreated`: same resourceVersions, uids, creation time,
 * ADDED events) instead of admitting, validating and copying each again. See `StartReplay`. The
 * reference engine creates them every time. Bounded: a process rarely starts clusters at more than
 * a few instants, and a start writes a few objects.
 */
export interface StartWrite {
  request: string;
  /** The request object when it was frozen (the bootstrap policy's): the same object is the same request, unserialised. */
  input?: KObject;
  /** `request` parsed (made at the first replay): a new request is compared with it by `sameAsJson` instead of being serialised. */
  value?: unknown;
  stored: KObject;
}

/**
 * Whether `JSON.stringify(v)` would give the text `j` was parsed from (`j` a value of `JSON.parse`),
 * without writing it: the same keys in the same order (those JSON leaves out, undefined, functions
 * and symbols, left out), the same strings, numbers (a non-finite one is `null`) and booleans.
 * Answers false for anything it does not follow exactly (a `toJSON` method, an object that is not
 * plain, a bigint): the caller then treats the request as another one, which is never wrong.
 */
export function sameAsJson(v: unknown, j: unknown): boolean {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v === j;
    case "number":
      return Number.isFinite(v) ? v === j : j === null;
    case "object": {
      if (v === null) return j === null;
      if (typeof j !== "object" || j === null || typeof (v as { toJSON?: unknown }).toJSON === "function") return false;
      if (Array.isArray(v)) {
        if (!Array.isArray(j) || v.length !== j.length) return false;
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (x === undefined || typeof x === "function" || typeof x === "symbol" ? j[i] !== null : !sameAsJson(x, j[i])) return false;
        }
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if ((proto !== Object.prototype && proto !== null) || Array.isArray(j)) return false;
      const keys = Object.keys(j);
      let k = 0;
      for (const key of Object.keys(v)) {
        const x: unknown = (v as Record<string, unknown>)[key];
        if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
        if (keys[k] !== key || !sameAsJson(x, (j as Record<string, unknown>)[key])) return false;
        k++;
      }
      return k === keys.length;
    }
    default:
      return false;
  }
}
const startWrites = new Map<string, StartWrite[]>();
/**
 * Per record, the server's state after its first `steps` creates, the start's fixed prefix (the
 * system namespaces and the bootstrap policy: constant requests, made before any component runs),
 * captured from a cluster that started pristine: `StartReplay.restorePrefix`.
 */
const startPrefixes = new WeakMap<StartWrite[], { steps: number; state: StartState }>();
const START_INSTANTS = 64;
const START_WRITES = 128;
/**
 * The kinds whose create is replayed: what a create of them stores depends only on the request, the
 * instant and what the server stored before (their admission reads the store and keeps nothing of
 * its own). A Service is among them only when it asks for its ClusterIP and is of type ClusterIP
 * (the API server's `kubernetes` Service): otherwise its ClusterIP and NodePort allocators would
 * draw from the random source they keep per server.
 */
const REPLAYED_KINDS = new Set(["Namespace", "PriorityClass", "StorageClass", "IngressClass", "ConfigMap", "ServiceAccount", "Endpoints", "EndpointSlice", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);

function replayable(input: KObject): boolean {
  if (REPLAYED_KINDS.has(input?.kind)) return true;
  return input?.kind === "Service" && typeof input.spec?.clusterIP === "string" && input.spec.clusterIP !== "" && input.spec.type === "ClusterIP";
}

/**
 * `ApiServer.startReplay` while a cluster starts. Exact because a server's state after a sequence
 * of writes depends only on those writes and their instants: step i is answered from the record
 * only when every write of this server so far was one of the record's first i creates (every write
 * takes a resourceVersion, so `resourceVersion` is 1000 + i), the instant is the recorded one (the
 * record is by instant and the clock has not moved: `adoptCreated` checks the creation time), the
 * request is the same text, and `adoptCreated` takes the object (next resourceVersion, the
 * uid's identity unused, the name free: `tryAdoptCreated`). Anything else (another write, another request, options,
 * a generated name, a failed create) ends the replay for this cluster: from there it creates as
 * usual. A create past the end of the record is recorded under the same conditions. (Exported for its test.)
 */
export class StartReplay implements StartCreateHook {
  private step = 0;
  private off = false;

  constructor(
    private readonly api: ApiServer,
    private readonly writes: StartWrite[],
  ) {}

  /** Whether the server was pristine when the prefix began (`restorePrefix`): only then is its state after the prefix captured. */
  private pristineStart = false;

  /**
   * Before the start's fixed prefix (`Cluster`: the system namespaces, the bootstrap policy): when
   * another cluster's prefix at this instant was captured, puts its state in this pristine server
   * (`ApiServer.restoreStart`) and answers true: the prefix's creates are then not made. Exact
   * because those creates are the same constant requests in every cluster, so from a pristine server
   * at the same instant each would be replayed (`create`, `tryAdoptCreated`) from the same record
   * entries, leaving exactly that state: the same objects, maps, uid counts, last changes and queued
   * ADDED events, the dispatch scheduled at the same point (no timer is set between).
   */
  restorePrefix(): boolean {
    this.pristineStart = this.step === 0 && !this.off && this.api.isPristine();
    if (!this.pristineStart) return false;
    const prefix = startPrefixes.get(this.writes);
    if (!prefix || !this.api.restoreStart(prefix.state)) return false;
    this.step = prefix.steps;
    return true;
  }

  /** After the fixed prefix was made: keeps the server's state for `restorePrefix` of later clusters (once per record). */
  capturePrefix(): void {
    if (!this.pristineStart || this.off || startPrefixes.has(this.writes) || this.api.resourceVersion !== 1000 + this.step) return;
    const state = this.api.captureStart();
    if (state) startPrefixes.set(this.writes, { steps: this.step, state });
  }

  create(input: KObject, opts: WriteOptions, create: () => KObject): KObject {
    if (this.off) return create();
    const api = this.api;
    const base = 1000 + this.step;
    const meta = input?.metadata;
    if (api.resourceVersion !== base || Object.keys(opts).length > 0 || !replayable(input) || !meta?.name || meta.generateName !== undefined) {
      this.off = true;
      return create();
    }
    const known = this.writes[this.step];
    if (known) {
      // A frozen request object cannot have changed since it was recorded; another is compared with
      // the recorded request's value, as its text would be.
      const same = known.input === input || sameAsJson(input, (known.value ??= JSON.parse(known.request)));
      const adopted = same ? api.tryAdoptCreated(known.stored) : undefined;
      if (!adopted) {
        this.off = true;
        return create();
      }
      this.step++;
      return adopted;
    }
    this.off = true; // until this create is known to be a plain one
    const request = JSON.stringify(input);
    const stored = create();
    if (this.writes.length < START_WRITES && api.resourceVersion === base + 1 && stored.metadata.resourceVersion === String(base + 1) && Object.isFrozen(stored)) {
      this.writes.push({ request, stored, ...(Object.isFrozen(input) ? { input } : {}) });
      this.step++;
      this.off = false;
    }
    return stored;
  }
}

/** The replay of the start writes at this server's instant, or undefined (reference engine, too many instants). */
function startReplay(api: ApiServer, reference: boolean): StartReplay | undefined {
  if (reference || api.resourceVersion !== 1000) return undefined;
  const at = api.clock.nowRFC3339();
  let writes = startWrites.get(at);
  if (!writes) {
    if (startWrites.size >= START_INSTANTS) return undefined;
    startWrites.set(at, (writes = []));
  }
  return new StartReplay(api, writes);
}

function createSystemNamespaces(api: ApiServer): void {
  for (const ns of SYSTEM_NAMESPACES) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } } });
}

export class Cluster {
  readonly ctx: ClusterContext;
  private readonly components: Component[] = [];
  private readonly rootDir: string;
  private readonly exercisesDir?: string;
  private closed = false;
  private readonly maxTimersPerAdvance: number;
  /** The wall-time budget of one advance or kubectl command in ms (the `advanceBudgetMs` option; 0 = none); may be changed between steps. */
  advanceBudgetMs: number;
  /** The kubeconfig of the in-process kubectl (`kubectl config ...` changes it; commands without -n use its namespace). */
  readonly kubeconfig = Kubeconfig.simulated();

  constructor(opts: ClusterOptions = {}) {
    const clock = new SimClock(opts.startTime ?? DEFAULT_START);
    const api = new ApiServer(clock);
    for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
    api.setDecoder(strictDecoder);
    // apiextensions-apiserver's CRD handling (establishing, the registry of custom resources).
    installCustomResourceHandler(api);
    this.ctx = {
      clock,
      chance: new Random(opts.seed ?? DEFAULT_SEED),
      api,
      events: new EventRecorder(api),
      services: new ServiceRegistry(),
      language: opts.language,
      reference: opts.reference ?? process.env.KUBE_SCENARIO_REFERENCE_ENGINE === "1",
    };
    api.reference = this.ctx.reference ?? false;
    // kube-apiserver calls admission webhooks' Services over the cluster network.
    setWebhookCaller(api, webhookCaller(this.ctx));
    if (opts.signingCA) setClusterSigningCA(this.ctx, opts.signingCA);
    this.rootDir = opts.rootDir ?? process.cwd();
    this.exercisesDir = opts.exercisesDir;
    this.maxTimersPerAdvance = opts.maxTimersPerAdvance ?? envNumber("KUBE_SCENARIO_MAX_TIMERS_PER_ADVANCE") ?? DEFAULT_MAX_TIMERS_PER_ADVANCE;
    this.advanceBudgetMs = opts.advanceBudgetMs ?? envNumber("KUBE_SCENARIO_ADVANCE_BUDGET_MS") ?? DEFAULT_ADVANCE_BUDGET_MS;
    // Through the first settle: the components' reactions to the first ADDED events are part of the start.
    const replay = startReplay(api, this.ctx.reference ?? false);
    api.startReplay = replay;
    try {
      if (!replay?.restorePrefix()) {
        createSystemNamespaces(api);
        // The API server's rbac/bootstrap-roles hook (and kubeadm's admin binding).
        createBootstrapPolicy(api);
        // Its scheduling/bootstrap-system-priority-classes hook.
        createSystemPriorityClasses(api);
        replay?.capturePrefix();
      }
      // The registry reads KUBE_SCENARIO_UNKNOWN_IMAGES itself when it is first used.
      if (opts.unknownImages !== undefined) imageRegistry(this.ctx).setUnknownImages(parseUnknownImagePolicy(opts.unknownImages, "ClusterOptions.unknownImages"));
      const late = !this.ctx.reference;
      for (const make of COMPONENTS) {
        if (make === ingressNginxController && opts.builtInIngressController === false) continue;
        const spec = late ? LATE_START.get(make) : undefined;
        if (spec) {
          const slot = api.reserveWatchSlot();
          api.beforeFirstObject(spec.kinds, () => this.startLate(make, slot, spec));
          continue;
        }
        const c = make(this.ctx);
        this.components.push(c);
        c.start();
      }
      clock.settle();
    } finally {
      api.startReplay = undefined;
    }
  }

  /**
   * Constructs and starts a component of LATE_START (src/components.ts) right before the first object
   * of a kind it follows is stored: its watches take the place reserved for them at the cluster's
   * start. Throws if it watched a kind it did not declare or set a timer (it could then have missed
   * events, or its timers would take other order numbers than at the cluster's start).
   */
  private startLate(make: (ctx: ClusterContext) => Component, slot: WatchSlot, spec: { kinds: readonly string[]; quiet?: readonly string[] }): void {
    if (this.closed) return;
    const clock = this.ctx.clock;
    // Started at its place in the start order when objects of its kinds exist already (a cluster
    // whose start creates one, e.g. the `kubernetes` Service): as if it were not late at all.
    const onTime = spec.kinds.some((k) => this.ctx.api.lastChangeOf(k) > 0);
    const timers = clock.timersSet;
    const c = this.ctx.api.watchInSlot(slot, () => {
      const c = make(this.ctx);
      c.start();
      return c;
    });
    this.components.push(c);
    const undeclared = slot.kinds.filter((k) => !spec.kinds.includes(k) && !spec.quiet?.includes(k));
    if (undeclared.length > 0) throw new Error(`${c.name} watches ${undeclared.join(", ")}, not among the kinds it starts late on (src/components.ts, LATE_START)`);
    if (!onTime && clock.timersSet !== timers) throw new Error(`${c.name} set a timer while starting: it cannot start late (src/components.ts, LATE_START)`);
  }

  get clock(): SimClock {
    return this.ctx.clock;
  }

  get api(): ApiServer {
    return this.ctx.api;
  }

  /** Applies YAML as `kubectl apply -f -`. Resolves to kubectl's output; rejects with its error. */
  async apply(yamlText: string): Promise<string> {
    return this.applySync(yamlText);
  }

  applySync(yamlText: string, source = "-"): string {
    const r = source === "-" ? this.kubectlSync(["apply", "-f", "-"], yamlText) : this.kubectlSync(["apply", "-f", source]);
    if (r.exitCode !== 0) throw new KubectlFailure(r);
    return r.stdout;
  }

  /**
   * Registers nodes described by the contract's cluster table (rows of column → cell). Each node's
   * kubelet starts and reports it Ready. Throws with the row and cell of any bad input.
   */
  addNodesFromTable(rows: Record<string, string>[]): void {
    this.assertOpen();
    const nodes = nodesFromTable(rows);
    for (const n of nodes) {
      if (this.ctx.api.get("Node", undefined, n.metadata.name!)) throw new Error(`node "${n.metadata.name}" already exists in this cluster`);
    }
    for (const n of nodes) this.ctx.api.create(n);
    this.ctx.clock.settle();
  }

  /** Re-seeds the source of chance (tie-breaks, routing, jitter) from now on. */
  reseed(seed: number): void {
    this.ctx.chance.reseed(seed);
  }

  /** Lets simulated time pass: every component acts at the instants it would in a real cluster. */
  async advance(duration: string | number): Promise<void> {
    this.advanceSync(duration);
  }

  advanceSync(duration: string | number): void {
    this.assertOpen();
    const ms = parseDuration(duration);
    this.checkAdvance(ms);
    this.guarded(() => `advancing by ${describeSpan(ms)}`, () => this.ctx.clock.advance(ms));
  }

  /**
   * Throws the RunawayError advanceSync would for a span that would fire more periodic timers than
   * one advance may run (the API facade checks a whole span before it advances in slices).
   */
  checkAdvance(ms: number): void {
    const clock = this.ctx.clock;
    const estimate = clock.estimateFirings(ms);
    if (estimate > this.maxTimersPerAdvance) {
      const perMs = estimate / ms;
      throw new RunawayError(
        `advancing by ${describeSpan(ms)} would fire about ${estimate.toLocaleString("en-US")} periodic timers ` +
          `(${clock.describeIntervals()}), more than the ${this.maxTimersPerAdvance.toLocaleString("en-US")} one advance may run: ` +
          `let at most about ${describeSpan(Math.floor(this.maxTimersPerAdvance / perMs))} pass at a time in this cluster ` +
          `(or raise maxTimersPerAdvance / KUBE_SCENARIO_MAX_TIMERS_PER_ADVANCE)`,
      );
    }
  }

  /**
   * Runs simulation work under the wall-time budget: past it, stops with a RunawayError that says
   * how far simulated time got and which timers fired most.
   */
  private guarded<T>(what: () => string, work: () => T): T {
    const clock = this.ctx.clock;
    if (this.advanceBudgetMs <= 0 || clock.watchdog) return work();
    // Wall time only decides when a runaway is given up on, never what the simulation does.
    const start = performance.now();
    const from = clock.now();
    const firedBefore = clock.fired;
    clock.resetSamples();
    clock.watchdog = () => {
      if (performance.now() - start <= this.advanceBudgetMs) return;
      throw new RunawayError(
        `${what()} took more than ${this.advanceBudgetMs / 1000} s of wall time: stopped after ${describeSpan(clock.now() - from)} of simulated time ` +
          `and ${(clock.fired - firedBefore).toLocaleString("en-US")} timer callbacks; busiest: ${clock.busiestTimers()}. ` +
          `Something loops without letting time pass usefully (a container script without sleep, a tight probe or controller loop)`,
      );
    };
    try {
      return work();
    } finally {
      clock.watchdog = undefined;
    }
  }

  /** Runs one kubectl command line; never throws for kubectl failures. */
  async kubectl(commandLine: string | string[], stdin?: string): Promise<KubectlResult> {
    return this.kubectlSync(commandLine, stdin);
  }

  kubectlSync(commandLine: string | string[], stdin?: string): KubectlResult {
    this.assertOpen();
    // One context per cluster (its fields never change), with this command's stdin while it runs.
    const kctx = (this.kubectlContext ??= this.newKubectlContext());
    const outer = kctx.stdin;
    kctx.stdin = stdin;
    try {
      return this.guarded(() => `kubectl ${Array.isArray(commandLine) ? commandLine.join(" ") : commandLine}`, () => {
        const result = runKubectl(kctx, commandLine);
        this.ctx.clock.settle();
        return result;
      });
    } finally {
      kctx.stdin = outer;
    }
  }

  /**
   * Starts a kubectl command in a terminal of its own (`kubectl get pods -w`): it prints as
   * simulated time passes, until stopped; see `RunningKubectl`.
   */
  startKubectl(commandLine: string | string[]): RunningKubectl {
    this.assertOpen();
    const kctx = (this.kubectlContext ??= this.newKubectlContext());
    return this.guarded(() => `kubectl ${Array.isArray(commandLine) ? commandLine.join(" ") : commandLine}`, () => {
      const running = startKubectl(kctx, commandLine);
      this.ctx.clock.settle();
      return running;
    });
  }

  private kubectlContext: KubectlContext | undefined;

  /**
   * kubectl's context for this cluster, made at its first command, with the user's machine
   * (`UserMachine`: its files made on first use).
   */
  private newKubectlContext(): KubectlContext {
    const machine = new UserMachine(this.ctx.clock, (p) => readFileSync(this.projectPath(p), "utf8"));
    if (this.ctx.reference) void machine.fs;
    // Until something is written, the fresh machine's files answer (the same in every cluster).
    const files = (): MemFs => machine.built ?? freshMachineFiles();
    const written = (p: string): string => resolvePath(MACHINE_CWD, p.replace(/\\/g, "/"));
    const writtenFile = (p: string): string | undefined => {
      const fs = files();
      return fs.stat(written(p))?.type === "file" ? fs.readFile(written(p)) : undefined;
    };
    // Object.assign rather than `{ ...ctx, more }`: Node 20's V8 takes a slow path for a spread
    // followed by properties (docs/performance.md, suite5).
    return Object.assign({}, this.ctx, {
      stdin: undefined,
      kubeconfig: this.kubeconfig,
      machine,
      readFile: (p: string) => writtenFile(p) ?? readFileSync(this.projectPath(p), "utf8"),
      files: {
        read: (p: string) => {
          const w = writtenFile(p);
          return w !== undefined ? Buffer.from(w, "utf8") : readFileSync(this.projectPath(p));
        },
        kind: (p: string) => {
          const w = files().stat(written(p))?.type;
          if (w === "file" || w === "dir") return w;
          const st = statSync(this.projectPath(p), { throwIfNoEntry: false });
          return st === undefined ? undefined : st.isDirectory() ? "dir" : "file";
        },
        list: (d: string) => {
          const dir = this.projectPath(d);
          const names = new Set(statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? readdirSync(dir) : []);
          const fs = files();
          if (fs.stat(written(d))?.type === "dir") for (const n of fs.readdir(written(d))) names.add(n);
          return [...names].sort();
        },
        write: (p: string, data: string) => {
          const fs = machine.fs;
          fs.mkdir(dirname(written(p)), { recursive: true });
          fs.writeFile(written(p), data);
        },
      },
    });
  }

  /** A project path on disk: relative to the project root, `exercises/...` from `exercisesDir` when set. */
  projectPath(path: string): string {
    const m = /^(?:\.\/)?exercises(?:\/(.*))?$/.exec(path.replace(/\\/g, "/"));
    if (this.exercisesDir && m) return resolve(this.exercisesDir, m[1] ?? ".");
    return resolve(this.rootDir, path);
  }

  /** The namespace kubectl commands and steps use when they name none: the current kubeconfig context's. */
  get namespace(): string {
    return this.kubeconfig.namespaceOf() ?? "default";
  }

  /** Reads a file relative to the project root (manifest files of features and exercises). */
  readProjectFile(path: string): string {
    try {
      return readFileSync(this.projectPath(path), "utf8");
    } catch {
      const where = this.projectPath(path);
      throw new Error(`cannot read "${path}" (${where === resolve(this.rootDir, path) ? `relative to ${this.rootDir}` : `read from ${where}`}): no such file`);
    }
  }

  /** The object as the API server holds it now (read-only), or undefined. */
  get(kind: string, name: string, namespace = "default"): KObject | undefined {
    return this.ctx.api.get(kind, namespace, name);
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  /** What `close` does, synchronously (nothing in it waits): the scenario's After hook closes the cluster so. */
  closeSync(): void {
    if (this.closed) return;
    for (let i = this.components.length - 1; i >= 0; i--) this.components[i].stop?.();
    // A closed cluster is garbage once its owner lets go: the components are dropped now rather
    // than left reachable from the cluster (see docs/performance.md, "the cluster per scenario").
    this.components.length = 0;
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("this cluster is closed");
  }
}
