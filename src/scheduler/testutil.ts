/** Builders for the scheduler's unit tests (pkg/scheduler/testing st.MakePod / st.MakeNode, in short). */
import type { KObject } from "../api/types.ts";
import { SchedulerCache } from "./cache.ts";
import { NodeInfo, PodInfo } from "./types.ts";

export function node(name: string, o: { labels?: Record<string, string>; taints?: any[]; allocatable?: Record<string, string>; unschedulable?: boolean; images?: any[] } = {}): KObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: o.labels ?? {} },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { allocatable: o.allocatable ?? { cpu: "4", memory: "8Gi", pods: "110" }, images: o.images },
  };
}

export function pod(name: string, spec: any = {}, meta: { labels?: Record<string, string>; namespace?: string } = {}): KObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: meta.namespace ?? "default", labels: meta.labels ?? {}, uid: `uid-${name}` },
    spec: { containers: [{ name: "c", image: "app" }], ...spec },
    status: {},
  };
}

/** A container with requests. */
export function c(requests: Record<string, string> = {}, extra: any = {}): any {
  return { name: "c", image: "app", resources: { requests }, ...extra };
}

export function nodeInfo(n: KObject, pods: KObject[] = []): NodeInfo {
  const ni = new NodeInfo(n);
  for (const p of pods) ni.addPod(new PodInfo({ ...p, spec: { ...p.spec, nodeName: n.metadata.name } }));
  return ni;
}

/** A cache holding these nodes and pods (pods carry spec.nodeName). */
export function snapshot(nodes: KObject[], pods: KObject[] = [], namespaces: Record<string, Record<string, string>> = { default: {} }): SchedulerCache {
  const cache = new SchedulerCache();
  for (const [ns, labels] of Object.entries(namespaces)) cache.setNamespace({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels } }, ns);
  for (const n of nodes) cache.addOrUpdateNode(n);
  for (const p of pods) cache.addOrUpdatePod(p);
  return cache;
}

export const onNode = (p: KObject, nodeName: string): KObject => ({ ...p, spec: { ...p.spec, nodeName } });
