/**
 * What every simulated component is given: the cluster's clock, its random sources, the API server
 * and the event recorder. Components meet only through the API (watches and writes).
 */
import type { EventRecorder } from "./api/events.ts";
import type { ApiServer } from "./api/store.ts";
import type { SimClock } from "./sim/clock.ts";
import type { Random } from "./sim/random.ts";

export interface ClusterContext {
  clock: SimClock;
  /** What the seed changes: tie-breaks, routing, jitter. */
  chance: Random;
  api: ApiServer;
  events: EventRecorder;
  /** Registry of per-cluster services components offer each other outside the API (e.g. node agents for `on node`). */
  services: Map<string, unknown>;
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
