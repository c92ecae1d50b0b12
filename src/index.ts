/** kube-scenario's programmatic API. */
export { Cluster, KubectlFailure, type ClusterOptions } from "./cluster.ts";
export type { KubectlResult } from "./kubectl/index.ts";
export type { KObject } from "./api/types.ts";
export { parseDuration } from "./sim/duration.ts";
