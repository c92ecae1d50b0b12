/**
 * Helpers for controller unit tests: a cluster whose nodes keep heartbeating (their leases are
 * renewed every 10 s) but whose kubelets do not run pods, so a test plays the kubelet's part and
 * sets pod statuses itself.
 */
import { Cluster } from "../cluster.ts";
import type { KObject } from "../api/types.ts";
import type { PodCondition } from "../api/types.gen.ts";
import { kubelets } from "../kubelet/manager.ts";

export function testCluster(nodes: string[] = ["k8s-node1", "k8s-node2"], opts: { reference?: boolean } = {}): Cluster {
  const c = new Cluster({ reference: opts.reference });
  if (nodes.length) {
    c.addNodesFromTable(nodes.map((name) => ({ name })));
    for (const k of kubelets(c.ctx).values()) k.stop();
    c.clock.setInterval(() => {
      for (const name of nodes) {
        if (c.api.get("Lease", "kube-node-lease", name)) {
          c.api.mutate("Lease", "kube-node-lease", name, (l) => (l.spec.renewTime = c.clock.nowMicroRFC3339()));
        }
      }
    }, 10_000);
  }
  return c;
}

/** Plays the kubelet's part: the pod is bound and Running (Ready unless told otherwise). */
export function setRunning(c: Cluster, pod: KObject, node = "k8s-node1", ready = true): void {
  if (!c.api.get("Pod", pod.metadata.namespace, pod.metadata.name!)?.spec?.nodeName) c.api.bind(pod.metadata.namespace!, pod.metadata.name!, node);
  const now = c.clock.nowRFC3339();
  c.api.mutate("Pod", pod.metadata.namespace, pod.metadata.name!, (p) => {
    p.status.phase = "Running";
    p.status.conditions = [
      ...(p.status.conditions ?? []).filter((x: PodCondition) => x.type !== "Ready"),
      { type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: now },
    ];
  }, { subresource: "status" });
}

/** Plays the kubelet's part: the pod's containers ended with `phase`. */
export function setTerminal(c: Cluster, pod: KObject, phase: "Succeeded" | "Failed", node = "k8s-node1"): void {
  if (!c.api.get("Pod", pod.metadata.namespace, pod.metadata.name!)?.spec?.nodeName) c.api.bind(pod.metadata.namespace!, pod.metadata.name!, node);
  c.api.mutate("Pod", pod.metadata.namespace, pod.metadata.name!, (p) => {
    p.status.phase = phase;
    p.status.conditions = [...(p.status.conditions ?? []).filter((x: PodCondition) => x.type !== "Ready"), { type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: c.clock.nowRFC3339(), reason: "PodCompleted" }];
  }, { subresource: "status" });
}

export function podsOf(c: Cluster, ownerKind: string, ownerName: string, namespace = "default"): KObject[] {
  return c.api.list("Pod", { namespace }).filter((p) => p.metadata.ownerReferences?.some((r) => r.kind === ownerKind && r.name === ownerName));
}

export function rsManifest(name: string, replicas: number, labels: Record<string, string> = { app: name }): KObject {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "kubetm/app" }] } },
    },
  };
}
