/**
 * What read-only checks need of a cluster: its objects and the current instant. The simulated
 * cluster's context satisfies it directly (ApiServer, SimClock); the live backend
 * (`src/live/view.ts`) satisfies it with objects fetched from a real API server, so the same
 * assertions (`expectPodPhase`, `assertObjectMatches`...) serve both.
 */
import type { ApiServer } from "./store.ts";

/** Objects by storage key, and the registry that resolves kubectl's resource names to those keys. */
export type ObjectReader = Pick<ApiServer, "get" | "list" | "registry">;

export interface ClusterView {
  api: ObjectReader;
  clock: { now(): number; nowRFC3339(): string };
}
