import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { kubelets } from "../manager.ts";
import type { ProbeType } from "./prober.ts";

// Issue #19: probe workers asleep while their pod has no container (the image is pulled) or within
// their initial delay, and steady probes kept asleep across status changes and pod updates that
// leave their runs' inputs as they were. Every worker's runs (those it made and those it skipped) must be those of the reference
// engine at every instant, where every tick runs.

const POD = (name: string, probes: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  terminationGracePeriodSeconds: 20
  containers:
  - name: app
    image: kubetm/app
    ports: [{containerPort: 8080}]
${probes}`;

const YAML =
  // A startup probe: once it succeeds the status says started, and its later ticks probe nothing.
  POD(
    "starter",
    `    startupProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 2, failureThreshold: 30}
    livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 3}
    readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 4}
`,
  ) +
  // Initial delays of several periods: the ticks within them probe nothing.
  POD(
    "delayed",
    `    livenessProbe: {httpGet: {path: /health, port: 8080}, initialDelaySeconds: 12, periodSeconds: 2}
    readinessProbe: {httpGet: {path: /health, port: 8080}, initialDelaySeconds: 9, periodSeconds: 3}
`,
  ) +
  // Readiness and liveness: the Ready status and label updates come while the liveness probe sleeps.
  // Six of them: the node pulls one image at a time, so the last ones wait for their container
  // through several periods.
  [1, 2, 3, 4, 5, 6]
    .map((i) =>
      POD(
        i === 1 ? "plain" : `plain-${i}`,
        `    livenessProbe: {httpGet: {path: /health, port: 8080}, initialDelaySeconds: 1, periodSeconds: ${i + 1}}
    readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: ${i + 4}}
`,
      ),
    )
    .join("");

const TYPES: ProbeType[] = ["Startup", "Liveness", "Readiness"];

function trace(reference: boolean): { samples: string[]; fired: number } {
  const c = new Cluster({ seed: 5, reference });
  c.addNodesFromTable([{ name: "n1", pods: "110", cpu: "4", memory: "8Gi" }]);
  c.applySync(YAML);
  const samples: string[] = [];
  const sample = (label: string): void => {
    const pm = kubelets(c.ctx).get("n1")!.proberManager!;
    const parts: string[] = [];
    for (const pod of c.api.list("Pod")) {
      for (const type of TYPES) {
        const w = pm.getWorker(pod.metadata.uid!, "app", type);
        if (w) parts.push(`${pod.metadata.name}/${type}: ${w.runs + w.skippedRuns} runs, last ${w.lastResult}`);
      }
    }
    samples.push(`${label}: ${parts.join("; ")}`);
  };
  const fired0 = c.clock.fired;
  for (let i = 0; i < 12; i++) {
    c.advanceSync(2_500);
    sample(`start +${(i + 1) * 2.5}s`);
  }
  c.advanceSync(61_000);
  sample("a minute on");
  c.api.mutate("Pod", "default", "plain", (p) => (p.metadata.labels = { ...p.metadata.labels, x: "y" }));
  for (let i = 0; i < 4; i++) {
    c.advanceSync(3_100);
    sample(`after a label +${(i + 1) * 3.1}s`);
  }
  c.api.delete("Pod", "default", "starter");
  c.advanceSync(1_000);
  sample("starter deleted");
  c.advanceSync(30_000);
  sample("later");
  return { samples, fired: c.clock.fired - fired0 };
}



test("probe workers asleep (waiting for their container or their initial delay, steady across status changes and pod updates) count the reference engine's runs at every instant", () => {
  const fast = trace(false);
  const reference = trace(true);
  assert.deepEqual(fast.samples, reference.samples);
  // The fast engine's workers slept: fewer timer callbacks than the reference engine's.
  assert.ok(fast.fired < reference.fired, `fast ${fast.fired} timer callbacks, reference ${reference.fired}`);
  // The startup probe stopped counting once the container started (its ticks probe nothing then).
  const starter = fast.samples.at(-5)!;
  assert.match(starter, /starter\/Startup: \d+ runs, last Success/);
});
