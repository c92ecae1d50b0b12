/**
 * kube-apiserver's own `/metrics` (k8s.io/apiserver/pkg/server/routes/metrics.go, served from
 * component-base's legacyregistry): of its families, those whose values the simulation determines
 * exactly. `kubernetes_build_info` (RegisterBuildInfo) and `kubernetes_feature_enabled` (the
 * server's DefaultMutableFeatureGate.AddMetrics at start). The families a real API server would
 * show with values of its own process and traffic (request counts and latency histograms, etcd
 * and watch cache sizes, process and Go runtime figures) are left out: docs/divergences.md.
 * `/metrics/slis` (the health checks' SLI gauges) is not served.
 */
import { buildInfoFamily } from "./buildinfo.ts";
import { featureEnabledFamily } from "./featuregate.ts";
import { TEXT_CONTENT_TYPE, writeText } from "./textformat.ts";

/** The path (a non-resource URL: RBAC's `nonResourceURLs: ["/metrics"]`, system:monitoring's). */
export const METRICS_PATH = "/metrics";

/** The body and Content-Type of GET /metrics. */
export function apiserverMetrics(): { body: string; contentType: string } {
  return { body: (text ??= writeText([buildInfoFamily(), featureEnabledFamily()])), contentType: TEXT_CONTENT_TYPE };
}

/** The exposition never changes in a run (build and gates are fixed): written once. */
let text: string | undefined;
