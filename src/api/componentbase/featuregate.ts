/**
 * The feature gates of Kubernetes v1.32's components as `/metrics` reports them: k8s.io/component-base
 * featuregate's AddMetrics (feature_gate.go) records, for each gate GetAll returns at the emulation
 * version (1.32), `kubernetes_feature_enabled{name, stage}` (metrics/prometheus/feature/metrics.go:
 * a BETA gauge, 1 when enabled), stage being the gate's prerelease (`ALPHA`, `BETA`, `DEPRECATED`,
 * or empty for GA). kube-apiserver (cmd/kube-apiserver/app/server.go) and the kubelet
 * (cmd/kubelet/app/server.go) both call it on utilfeature.DefaultMutableFeatureGate, which holds
 * pkg/features' gates with the generic API server's, apiextensions', component-base's and
 * client-go's. The data is ./featuregates.json (its `sources` say where each gate comes from).
 */
import { readFileSync } from "node:fs";
import { help, type MetricFamily } from "./textformat.ts";

/** A gate's prerelease as featuregate writes it (GA is the empty string). */
export type Stage = "" | "ALPHA" | "BETA" | "DEPRECATED";

export interface FeatureGate {
  name: string;
  stage: Stage;
  enabled: boolean;
}

const STAGES: readonly string[] = ["", "ALPHA", "BETA", "DEPRECATED"];

let gates: FeatureGate[] | undefined;

/** Every gate at 1.32 with its default, by name (the data file's order). Throws on a malformed data file. */
export function featureGates(): readonly FeatureGate[] {
  if (gates) return gates;
  const doc = JSON.parse(readFileSync(new URL("./featuregates.json", import.meta.url), "utf8")) as { gates?: unknown };
  if (!Array.isArray(doc.gates)) throw new Error("featuregates.json: no gates");
  gates = doc.gates.map((g: unknown, i) => {
    if (!Array.isArray(g) || g.length !== 3 || typeof g[0] !== "string" || !STAGES.includes(g[1] as string) || (g[2] !== 0 && g[2] !== 1)) {
      throw new Error(`featuregates.json: gate ${i} is not [name, stage, 0|1]: ${JSON.stringify(g)}`);
    }
    return { name: g[0], stage: g[1] as Stage, enabled: g[2] === 1 };
  });
  return gates;
}

/** Whether a gate is on in the simulated cluster (its v1.32 default). Throws for a gate v1.32 does not know. */
export function featureEnabled(name: string): boolean {
  const g = featureGates().find((x) => x.name === name);
  if (!g) throw new Error(`unrecognized feature gate: ${name}`);
  return g.enabled;
}

/** `kubernetes_feature_enabled`, one sample a gate (featuregate.AddMetrics). */
export function featureEnabledFamily(): MetricFamily {
  return {
    name: "kubernetes_feature_enabled",
    help: help("BETA", "This metric records the data about the stage and enablement of a k8s feature."),
    type: "gauge",
    samples: featureGates().map((g) => ({ labels: { name: g.name, stage: g.stage }, value: g.enabled ? 1 : 0 })),
  };
}
