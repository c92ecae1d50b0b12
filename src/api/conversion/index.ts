/**
 * Conversion between the served versions of one resource and its storage version, for the
 * built-in resources served in more than one shape:
 *  - events.k8s.io/v1 Event ⇄ core v1 Event (pkg/apis/events/v1/conversion.go: note ⇄ message,
 *    regarding ⇄ involvedObject, reportingController ⇄ reportingComponent, deprecated* ⇄ the core
 *    fields);
 *  - autoscaling/v1 HorizontalPodAutoscaler ⇄ autoscaling/v2 (pkg/apis/autoscaling/v1/conversion.go:
 *    targetCPUUtilizationPercentage ⇄ a Resource metric on cpu with an Utilization target).
 * Objects keep their metadata object (the store holds on to it while converting).
 */
import { apiVersionOf, type ResourceType } from "../resources.ts";
import type { KObject } from "../types.ts";
import type { MetricSpec, MetricStatus } from "../types.gen.ts";

type Obj = Record<string, unknown>;
type Converter = (obj: KObject) => KObject;

const EVENT_FIELDS: Array<[string, string]> = [
  // [events.k8s.io/v1, core v1]
  ["regarding", "involvedObject"],
  ["note", "message"],
  ["reportingController", "reportingComponent"],
  ["reportingInstance", "reportingInstance"],
  ["deprecatedSource", "source"],
  ["deprecatedFirstTimestamp", "firstTimestamp"],
  ["deprecatedLastTimestamp", "lastTimestamp"],
  ["deprecatedCount", "count"],
  ["eventTime", "eventTime"],
  ["series", "series"],
  ["action", "action"],
  ["reason", "reason"],
  ["related", "related"],
  ["type", "type"],
];

function renameFields(obj: KObject, apiVersion: string, pairs: Array<[string, string]>, from: 0 | 1): KObject {
  const out: KObject = { apiVersion, kind: obj.kind, metadata: obj.metadata };
  for (const p of pairs) if (obj[p[from]] !== undefined) out[p[1 - from]] = obj[p[from]];
  return out;
}

/** The metrics of a decoded autoscaling/v2 object (a list of MetricSpec or MetricStatus). */
const metricList = <T>(v: unknown): Array<T | null> => (Array.isArray(v) ? v : []);

const cpuUtilization = (metrics: unknown): MetricSpec | undefined =>
  metricList<MetricSpec>(metrics).find((m) => m?.type === "Resource" && m.resource?.name === "cpu" && m.resource?.target?.type === "Utilization") ?? undefined;

function hpaV1ToV2(obj: KObject): KObject {
  const spec: Obj = obj.spec ?? {};
  const out: KObject = { apiVersion: "autoscaling/v2", kind: obj.kind, metadata: obj.metadata };
  const s2: Obj = {};
  if (spec.scaleTargetRef !== undefined) s2.scaleTargetRef = spec.scaleTargetRef;
  if (spec.minReplicas !== undefined) s2.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) s2.maxReplicas = spec.maxReplicas;
  if (typeof spec.targetCPUUtilizationPercentage === "number") {
    s2.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.targetCPUUtilizationPercentage } } }];
  }
  out.spec = s2;
  if (obj.status !== undefined) {
    const st: Obj = obj.status ?? {};
    const s: Obj = {};
    for (const f of ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"]) if (st[f] !== undefined) s[f] = st[f];
    if (typeof st.currentCPUUtilizationPercentage === "number") {
      s.currentMetrics = [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: st.currentCPUUtilizationPercentage } } }];
    }
    out.status = s;
  }
  return out;
}

function hpaV2ToV1(obj: KObject): KObject {
  const spec: Obj = obj.spec ?? {};
  const out: KObject = { apiVersion: "autoscaling/v1", kind: obj.kind, metadata: obj.metadata };
  const s1: Obj = {};
  if (spec.scaleTargetRef !== undefined) s1.scaleTargetRef = spec.scaleTargetRef;
  if (spec.minReplicas !== undefined) s1.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) s1.maxReplicas = spec.maxReplicas;
  const cpu = cpuUtilization(spec.metrics);
  if (cpu) s1.targetCPUUtilizationPercentage = cpu.resource!.target.averageUtilization;
  out.spec = s1;
  if (obj.status !== undefined) {
    const st: Obj = obj.status ?? {};
    const s: Obj = {};
    for (const f of ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"]) if (st[f] !== undefined) s[f] = st[f];
    const cur = metricList<MetricStatus>(st.currentMetrics).find((m) => m?.type === "Resource" && m.resource?.name === "cpu");
    if (typeof cur?.resource?.current?.averageUtilization === "number") s.currentCPUUtilizationPercentage = cur.resource.current.averageUtilization;
    out.status = s;
  }
  return out;
}

const CONVERTERS: Record<string, Converter> = {
  "events.k8s.io/v1/Event->v1": (o) => renameFields(o, "v1", EVENT_FIELDS, 0),
  "v1/Event->events.k8s.io/v1": (o) => renameFields(o, "events.k8s.io/v1", EVENT_FIELDS, 1),
  "autoscaling/v1/HorizontalPodAutoscaler->autoscaling/v2": hpaV1ToV2,
  "autoscaling/v2/HorizontalPodAutoscaler->autoscaling/v1": hpaV2ToV1,
};

function convert(obj: KObject, to: string): KObject {
  if (obj.apiVersion === to) return obj;
  const c = CONVERTERS[`${obj.apiVersion}/${obj.kind}->${to}`];
  if (!c) throw new Error(`no conversion of ${obj.apiVersion} ${obj.kind} to ${to}`);
  return c(obj);
}

/** An object sent in a served version, in the storage version of `storage` (a copy; metadata shared). */
export function convertToStorage(obj: KObject, storage: ResourceType): KObject {
  // Custom resources convert with the strategy None: only the apiVersion changes.
  if (storage.crd) return obj.apiVersion === storage.storageVersion ? obj : { ...obj, apiVersion: storage.storageVersion };
  return convert(obj, storage.storageVersion);
}

/** A stored object as the served version `r` shows it (the object itself when `r` is the storage version). */
export function convertFromStorage(obj: KObject, r: ResourceType): KObject {
  const to = apiVersionOf(r);
  if (obj.apiVersion === to || r.crd) return obj.apiVersion === to ? obj : { ...obj, apiVersion: to };
  return convert(obj, to);
}
