/**
 * A read-only view of a live cluster for the same checks the simulation runs (`ClusterView`):
 * objects are fetched on first use, a kind at a time. The checks are synchronous, so a read of a
 * kind not fetched yet throws `NotLoaded`; `runOnView` fetches it and runs the check again.
 *
 * The scenario's namespace stands in for `default`: reads of `default` go to it, and objects
 * read from it say `namespace: default`, so expectations written for the simulation hold as written.
 */
import type { ClusterView, ObjectReader } from "../api/reader.ts";
import type { ListOptions } from "../api/store.ts";
import type { KObject } from "../api/types.ts";
import { resourceOf } from "./connection.ts";
import { ResourceRegistry } from "../api/resources.ts";

export class NotLoaded extends Error {
  constructor(readonly kind: string, readonly namespace: string | undefined) {
    super(`${kind} objects${namespace ? ` of namespace ${namespace}` : ""} are not fetched yet`);
  }
}

/** Where objects come from: a LiveConnection's `list`. */
export type ListSource = (kind: string, namespace?: string) => Promise<KObject[]>;
/** Where the scheduler's last attempts come from: a LiveConnection's `schedulingAttempts`. */
export type AttemptSource = (namespace: string) => Promise<Record<string, Record<string, string>>>;
/** The pseudo-kind `NotLoaded` names when the scheduler's attempts of a namespace are not fetched yet. */
const ATTEMPTS = "SchedulingAttempt";

export class LiveView implements ClusterView {
  private readonly cache = new Map<string, KObject[]>();
  private readonly attempts = new Map<string, Record<string, Record<string, string>>>();
  readonly api: ObjectReader;
  readonly clock: { now(): number; nowRFC3339(): string };

  constructor(
    private readonly source: ListSource,
    /** The scenario's namespace, which stands in for `default`. */
    readonly namespace: string,
    nowMs: number,
    private readonly attemptSource: AttemptSource = async () => ({}),
  ) {
    this.clock = { now: () => nowMs, nowRFC3339: () => new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z") };
    this.api = {
      // The built-in resources (the live cluster's custom resources are not resolved by name here).
      registry: new ResourceRegistry(),
      get: (kind: string, ns: string | undefined, name: string) => this.objects(kind, ns).find((o) => o.metadata.name === name),
      list: (kind: string, opts: ListOptions = {}) =>
        this.objects(kind, opts.namespace).filter(
          (o) => (!opts.labelSelector || opts.labelSelector(o.metadata.labels ?? {})) && (!opts.fieldSelector || opts.fieldSelector(o)),
        ),
    };
  }

  /** The real namespace a read of `ns` means (undefined for cluster-scoped kinds). */
  private real(kind: string, ns: string | undefined): string | undefined {
    if (!resourceOf(kind).namespaced) return undefined;
    return ns === undefined || ns === "default" ? this.namespace : ns;
  }

  private objects(kind: string, ns: string | undefined): KObject[] {
    const real = this.real(kind, ns);
    const got = this.cache.get(`${kind}/${real ?? ""}`);
    if (!got) throw new NotLoaded(kind, real);
    return got;
  }

  /** The scheduler's last attempt for this pod (the facade's; none on a real cluster). */
  schedulingAttempt(pod: KObject): Readonly<Record<string, string>> | undefined {
    const real = this.real("Pod", pod.metadata.namespace);
    const got = this.attempts.get(real ?? "");
    if (!got) throw new NotLoaded(ATTEMPTS, real);
    return got[pod.metadata.name ?? ""];
  }

  async load(kind: string, namespace: string | undefined): Promise<void> {
    if (kind === ATTEMPTS) {
      this.attempts.set(namespace ?? "", await this.attemptSource(namespace ?? "default"));
      return;
    }
    const items = await this.source(kind, namespace);
    const shown = items.map((o) => (o.metadata.namespace === this.namespace ? { ...o, metadata: { ...o.metadata, namespace: "default" } } : o));
    this.cache.set(`${kind}/${namespace ?? ""}`, shown);
  }
}

/** Runs a synchronous check on the view, fetching what it reads until it has everything. */
export async function runOnView<T>(view: LiveView, fn: (v: ClusterView) => T): Promise<T> {
  for (let fetches = 0; ; fetches++) {
    try {
      return fn(view);
    } catch (e) {
      if (!(e instanceof NotLoaded) || fetches > 20) throw e;
      await view.load(e.kind, e.namespace);
    }
  }
}
