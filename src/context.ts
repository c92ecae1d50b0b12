/**
 * What every simulated component is given: the cluster's clock, its random sources, the API server
 * and the event recorder. Components meet only through the API (watches and writes).
 */
import type { EventRecorder } from "./api/events.ts";
import type { ApiServer } from "./api/store.ts";
import type { SimClock } from "./sim/clock.ts";
import type { Random } from "./sim/random.ts";

/**
 * The per-cluster services components offer each other outside the API, by key (the kubelets, the
 * image registry, the network, ...). Each module that registers one declares its key and type by
 * augmenting this interface, beside the code that owns it, e.g. in src/kubelet/manager.ts:
 *
 *     declare module "../context.ts" { interface ClusterServices { kubelets: Map<string, Kubelet> } }
 *
 * so this file (rank 1) names no higher layer, and every read is typed with no cast at the caller.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ClusterServices {}

/** The registry of `ClusterServices`: one value per key, typed by the key. */
export class ServiceRegistry {
  private readonly byKey = new Map<keyof ClusterServices, unknown>();

  get<K extends keyof ClusterServices>(key: K): ClusterServices[K] | undefined {
    // The only cast: set() below accepts only a ClusterServices[K] under key K.
    return this.byKey.get(key) as ClusterServices[K] | undefined;
  }

  set<K extends keyof ClusterServices>(key: K, value: ClusterServices[K]): void {
    this.byKey.set(key, value);
  }

  /** The service under `key`, made by `make` the first time it is asked for. */
  ensure<K extends keyof ClusterServices>(key: K, make: () => ClusterServices[K]): ClusterServices[K] {
    let v = this.get(key);
    if (v === undefined) this.set(key, (v = make()));
    return v;
  }
}

export interface ClusterContext {
  clock: SimClock;
  /** What the seed changes: tie-breaks, routing, jitter. */
  chance: Random;
  api: ApiServer;
  events: EventRecorder;
  /** The services components offer each other outside the API (e.g. node agents for `on node`), typed by key. */
  services: ServiceRegistry;
  /** Language of the explanations of failures for people (`en` unless set; `ko` for Korean features). */
  language?: string;
  /**
   * The reference engine (issue #19): every speed-up that must not change what anyone observes is
   * off — controllers rescan what they own on every sync instead of keeping counts from the watch.
   * The differential test (src/fuzz/differential.test.ts) runs scenarios both ways and compares
   * every object, event and kubectl output byte for byte. Off (the fast engine) unless asked.
   */
  reference?: boolean;
}

/** A control-plane or node component: starts by subscribing to watches, stops when the cluster closes. */
export interface Component {
  readonly name: string;
  start(): void;
  stop?(): void;
}

export type ComponentFactory = (ctx: ClusterContext) => Component;
