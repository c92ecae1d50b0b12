/**
 * Test helpers for the network and the endpoint controllers: pods placed by hand with the status a
 * kubelet would write (IP, phase, Ready condition), without a scheduler or kubelet.
 */
import type { Cluster } from "../cluster.ts";
import type { KObject } from "../api/types.ts";

export function createRunningPod(cluster: Cluster, name: string, opts: { labels?: Record<string, string>; ip: string; ready: boolean; node?: string; ports?: any[]; namespace?: string }): KObject {
  const api = cluster.api;
  api.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: opts.namespace ?? "default", labels: opts.labels ?? {} },
    spec: { containers: [{ name: "app", image: "kubetm/app", ports: opts.ports ?? [{ containerPort: 8080 }] }], nodeName: opts.node ?? "k8s-node1" },
  });
  return setPodReady(cluster, name, opts.ready, opts.ip, opts.namespace);
}

export function setPodReady(cluster: Cluster, name: string, ready: boolean, ip?: string, namespace = "default"): KObject {
  const now = cluster.clock.nowRFC3339();
  const obj = cluster.api.mutate(
    "Pod",
    namespace,
    name,
    (p) => {
      const podIP = ip ?? p.status?.podIP;
      const prev = (p.status?.conditions ?? []).find((c: any) => c.type === "Ready");
      const ts = prev && prev.status === (ready ? "True" : "False") ? prev.lastTransitionTime : now;
      p.status = {
        ...p.status,
        phase: "Running",
        podIP,
        podIPs: [{ ip: podIP }],
        conditions: [{ type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: ts }],
      };
    },
    { subresource: "status" },
  );
  // Watch events and the controllers' queues each take a timer tick (nested zero-delay timers run 1 ms later).
  cluster.clock.advance(10);
  return obj;
}
