/**
 * Defaulting, as kube-apiserver applies it when it decodes a request body (the generated
 * SetObjectDefaults_* calling pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go,
 * pkg/apis/batch/v1/defaults.go, ...). It runs on every create and update of the main resource,
 * before the admission plugins.
 *
 * Also here: the canonical re-serialisation of resource quantities (`cpu: 0.5` is stored and
 * served as `500m`), and the zero values Go serialises for non-pointer structs (`resources: {}`,
 * a template's `creationTimestamp: null`), so that `-o yaml` reads as a real cluster's.
 */
import type { AdmissionPlugin } from "../store.ts";
import type { KObject } from "../types.ts";
import { canonicalQuantity } from "../quantity.ts";
import { groupDefaults } from "./groupdefaults.ts";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The tag of an image reference as the kubelet's parsers.ParseImageName reads it ("latest" when none). */
export function imageTag(image: string): string {
  if (!image) return "";
  let ref = image;
  const at = ref.indexOf("@");
  const hasDigest = at >= 0;
  if (hasDigest) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  const tag = colon > lastSlash ? ref.slice(colon + 1) : "";
  const repo = colon > lastSlash ? ref.slice(0, colon) : ref;
  // An invalid reference (upper case in the repository path, empty parts) yields no tag.
  const path = lastSlash >= 0 && /[.:]|^localhost$/.test(repo.slice(0, repo.indexOf("/"))) ? repo.slice(repo.indexOf("/") + 1) : repo;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path)) return "";
  if (tag && !/^[\w][\w.-]{0,127}$/.test(tag)) return "";
  if (!tag && !hasDigest) return "latest";
  return tag;
}

/** SetDefaults_Container: imagePullPolicy, terminationMessagePath and terminationMessagePolicy. */
function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(typeof c.image === "string" ? c.image : "") === "latest" ? "Always" : "IfNotPresent";
  if (!c.terminationMessagePath) c.terminationMessagePath = "/dev/termination-log";
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = "File";
  if (c.resources === undefined || c.resources === null) c.resources = {};
  for (const p of arr(c.ports)) if (isObj(p) && !p.protocol) p.protocol = "TCP";
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (isObj(probe)) defaultProbe(probe);
  if (isObj(c.lifecycle)) {
    for (const h of [c.lifecycle.postStart, c.lifecycle.preStop]) if (isObj(h) && isObj(h.httpGet)) defaultHTTPGet(h.httpGet);
  }
  for (const e of arr(c.env)) {
    if (isObj(e) && isObj(e.valueFrom)) {
      if (isObj(e.valueFrom.fieldRef) && !e.valueFrom.fieldRef.apiVersion) e.valueFrom.fieldRef.apiVersion = "v1";
      if (isObj(e.valueFrom.resourceFieldRef)) defaultResourceFieldRef(e.valueFrom.resourceFieldRef);
    }
  }
  canonicalizeResources(c.resources);
}

function defaultResourceFieldRef(r: Obj): void {
  r.divisor = r.divisor === undefined || r.divisor === null ? "0" : quantityText(r.divisor);
}

/** SetDefaults_Probe and SetDefaults_HTTPGetAction. */
function defaultProbe(p: Obj): void {
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (isObj(p.httpGet)) defaultHTTPGet(p.httpGet);
}

function defaultHTTPGet(h: Obj): void {
  if (!h.path) h.path = "/";
  if (!h.scheme) h.scheme = "HTTP";
}

/** SetDefaults_Volume and the sources' defaults (defaultMode 0644 = 420, hostPath type ""). */
function defaultVolume(v: Obj): void {
  const sources = ["hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs",
    "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
    "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
    "ephemeral", "image"];
  if (!sources.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  if (isObj(v.secret) && v.secret.defaultMode === undefined) v.secret.defaultMode = 420;
  if (isObj(v.configMap) && v.configMap.defaultMode === undefined) v.configMap.defaultMode = 420;
  if (isObj(v.downwardAPI)) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = 420;
    defaultDownwardAPIItems(v.downwardAPI.items);
  }
  if (isObj(v.projected)) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = 420;
    for (const s of arr(v.projected.sources)) {
      if (isObj(s) && isObj(s.downwardAPI)) defaultDownwardAPIItems(s.downwardAPI.items);
      if (isObj(s) && isObj(s.serviceAccountToken) && s.serviceAccountToken.expirationSeconds === undefined) s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = "";
  if (isObj(v.emptyDir) && v.emptyDir.sizeLimit !== undefined) v.emptyDir.sizeLimit = quantityText(v.emptyDir.sizeLimit);
  if (isObj(v.iscsi) && !v.iscsi.iscsiInterface) v.iscsi.iscsiInterface = "default";
}

function defaultDownwardAPIItems(items: unknown): void {
  for (const it of arr(items)) {
    if (!isObj(it)) continue;
    if (isObj(it.fieldRef) && !it.fieldRef.apiVersion) it.fieldRef.apiVersion = "v1";
    if (isObj(it.resourceFieldRef)) defaultResourceFieldRef(it.resourceFieldRef);
  }
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function quantityText(v: unknown): unknown {
  try {
    return canonicalQuantity(v);
  } catch {
    return v; // left for the decoder to reject
  }
}

function canonicalizeResources(r: unknown): void {
  if (!isObj(r)) return;
  for (const k of ["limits", "requests"]) {
    if (!isObj(r[k])) continue;
    for (const name of Object.keys(r[k])) r[k][name] = quantityText(r[k][name]);
  }
}

/**
 * SetDefaults_PodSpec (and, with `pod`, SetDefaults_Pod: requests from limits, enableServiceLinks,
 * and host ports under hostNetwork), plus the defaults of everything inside the spec.
 */
export function defaultPodSpec(spec: Obj, pod: boolean): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = "ClusterFirst";
  if (!spec.restartPolicy) spec.restartPolicy = "Always";
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = "default-scheduler";
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
    if (!isObj(c)) continue;
    defaultContainer(c);
    const res = c.resources as Obj; // defaultContainer made it an object
    if (pod && isObj(res.limits)) {
      // SetDefaults_Pod: a resource with a limit but no request gets the limit as its request.
      const requests: Obj = (res.requests = isObj(res.requests) ? res.requests : {});
      for (const [name, value] of Object.entries(res.limits)) {
        if (!(name in requests)) requests[name] = value;
      }
    }
    if (pod && spec.hostNetwork === true) {
      for (const p of arr(c.ports)) if (isObj(p) && (p.hostPort === undefined || p.hostPort === 0)) p.hostPort = p.containerPort;
    }
  }
  for (const c of arr(spec.ephemeralContainers)) if (isObj(c)) defaultContainer(c);
  for (const v of arr(spec.volumes)) if (isObj(v)) defaultVolume(v);
  if (pod && (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null)) spec.enableServiceLinks = true;
  if (isObj(spec.overhead)) for (const k of Object.keys(spec.overhead)) spec.overhead[k] = quantityText(spec.overhead[k]);
}

/** A pod template (ReplicaSet, Deployment, DaemonSet, Job, CronJob): PodSpec defaults, not Pod ones. */
function defaultTemplate(t: unknown): void {
  // A frozen template is a stored object's (shared by a component's write, issue #19 §3: the
  // Deployment scaling its ReplicaSet): defaulted when it was stored, and defaulting again changes
  // nothing. (Only the fast engine's writes share frozen parts; a frozen object cannot be written to.)
  if (!isObj(t) || Object.isFrozen(t)) return;
  const meta: Obj = (t.metadata = isObj(t.metadata) ? t.metadata : {});
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  const spec: Obj = (t.spec = isObj(t.spec) ? t.spec : {});
  defaultPodSpec(spec, false);
}

/** SetDefaults_Service (ClusterIP allocation is left to the network helper: spec.clusterIP stays unset). */
function defaultService(obj: KObject): void {
  const s: Obj = (obj.spec = isObj(obj.spec) ? obj.spec : {});
  if (!s.sessionAffinity) s.sessionAffinity = "None";
  if (s.sessionAffinity === "None") delete s.sessionAffinityConfig;
  const clientIP = isObj(s.sessionAffinityConfig) && isObj(s.sessionAffinityConfig.clientIP) ? s.sessionAffinityConfig.clientIP : undefined;
  if (s.sessionAffinity === "ClientIP" && !clientIP?.timeoutSeconds) {
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!s.type) s.type = "ClusterIP";
  for (const p of arr(s.ports)) {
    if (!isObj(p)) continue;
    if (!p.protocol) p.protocol = "TCP";
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === "") p.targetPort = p.port;
  }
  if ((s.type === "NodePort" || s.type === "LoadBalancer") && !s.externalTrafficPolicy) s.externalTrafficPolicy = "Cluster";
  if (!s.internalTrafficPolicy && ["NodePort", "LoadBalancer", "ClusterIP"].includes(String(s.type))) s.internalTrafficPolicy = "Cluster";
  if (s.type === "LoadBalancer" && s.allocateLoadBalancerNodePorts === undefined) s.allocateLoadBalancerNodePorts = true;
  // The service REST's IP family defaults on a single-stack IPv4 cluster.
  if (s.type !== "ExternalName") {
    const headlessNoSelector = s.clusterIP === "None" && !(isObj(s.selector) && Object.keys(s.selector).length > 0);
    if (!s.ipFamilyPolicy) s.ipFamilyPolicy = headlessNoSelector ? "RequireDualStack" : "SingleStack";
    if (!Array.isArray(s.ipFamilies) || s.ipFamilies.length === 0) s.ipFamilies = ["IPv4"];
  }
}

function defaultDeployment(obj: KObject): void {
  const s: Obj = (obj.spec = isObj(obj.spec) ? obj.spec : {});
  if (s.replicas === undefined || s.replicas === null) s.replicas = 1;
  const strategy: Obj = (s.strategy = isObj(s.strategy) ? s.strategy : {});
  if (!strategy.type) strategy.type = "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const ru: Obj = (strategy.rollingUpdate = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : {});
    if (ru.maxUnavailable === undefined) ru.maxUnavailable = "25%";
    if (ru.maxSurge === undefined) ru.maxSurge = "25%";
  }
  if (s.revisionHistoryLimit === undefined || s.revisionHistoryLimit === null) s.revisionHistoryLimit = 10;
  if (s.progressDeadlineSeconds === undefined || s.progressDeadlineSeconds === null) s.progressDeadlineSeconds = 600;
  defaultTemplate(s.template);
}

function defaultReplicaSet(obj: KObject): void {
  const s: Obj = (obj.spec = isObj(obj.spec) ? obj.spec : {});
  if (s.replicas === undefined || s.replicas === null) s.replicas = 1;
  defaultTemplate(s.template);
}

function defaultDaemonSet(obj: KObject): void {
  const s: Obj = (obj.spec = isObj(obj.spec) ? obj.spec : {});
  const strategy: Obj = (s.updateStrategy = isObj(s.updateStrategy) ? s.updateStrategy : {});
  if (!strategy.type) strategy.type = "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const ru: Obj = (strategy.rollingUpdate = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : {});
    if (ru.maxUnavailable === undefined) ru.maxUnavailable = 1;
    if (ru.maxSurge === undefined) ru.maxSurge = 0;
  }
  if (s.revisionHistoryLimit === undefined || s.revisionHistoryLimit === null) s.revisionHistoryLimit = 10;
  defaultTemplate(s.template);
}

/** Marks a Job whose metadata.labels alias its template's labels (Go shares the map; see jobs.ts). */
export const JOB_LABELS_ALIASED = Symbol("jobLabelsAliased");
/** An object that may carry the JOB_LABELS_ALIASED mark. */
export type JobLabelsMark = { [JOB_LABELS_ALIASED]?: boolean };

/** SetDefaults_Job */
function defaultJob(obj: KObject): void {
  const s: Obj = (obj.spec = isObj(obj.spec) ? obj.spec : {});
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  if (s.parallelism === undefined || s.parallelism === null) s.parallelism = 1;
  if (s.backoffLimit === undefined || s.backoffLimit === null) s.backoffLimit = s.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const tplLabels = isObj(s.template) && isObj(s.template.metadata) ? s.template.metadata.labels : undefined;
  if (isObj(tplLabels) && Object.keys(obj.metadata.labels ?? {}).length === 0) {
    obj.metadata.labels = { ...tplLabels } as Record<string, string>;
    (obj as JobLabelsMark)[JOB_LABELS_ALIASED] = true;
  }
  if (!s.completionMode) s.completionMode = "NonIndexed";
  if (s.suspend === undefined || s.suspend === null) s.suspend = false;
  if (isObj(s.podFailurePolicy)) {
    for (const rule of arr(s.podFailurePolicy.rules)) {
      for (const c of arr(isObj(rule) ? rule.onPodConditions : undefined)) if (isObj(c) && !c.status) c.status = "True";
    }
  }
  if (!s.podReplacementPolicy) s.podReplacementPolicy = isObj(s.podFailurePolicy) ? "Failed" : "TerminatingOrFailed";
  if (s.manualSelector === undefined || s.manualSelector === null) s.manualSelector = false;
  defaultTemplate(s.template);
}

/** SetDefaults_CronJob; the job template gets pod-template defaults only. */
function defaultCronJob(obj: KObject): void {
  const s: Obj = (obj.spec = isObj(obj.spec) ? obj.spec : {});
  if (!s.concurrencyPolicy) s.concurrencyPolicy = "Allow";
  if (s.suspend === undefined || s.suspend === null) s.suspend = false;
  if (s.successfulJobsHistoryLimit === undefined || s.successfulJobsHistoryLimit === null) s.successfulJobsHistoryLimit = 3;
  if (s.failedJobsHistoryLimit === undefined || s.failedJobsHistoryLimit === null) s.failedJobsHistoryLimit = 1;
  if (isObj(s.jobTemplate)) {
    const meta: Obj = (s.jobTemplate.metadata = isObj(s.jobTemplate.metadata) ? s.jobTemplate.metadata : {});
    if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
    if (isObj(s.jobTemplate.spec)) defaultTemplate(s.jobTemplate.spec.template);
  }
}

/** SetDefaults_Namespace (the name label) and SetDefaults_NamespaceStatus. */
function defaultNamespace(obj: KObject): void {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), "kubernetes.io/metadata.name": obj.metadata.name! };
  obj.status = isObj(obj.status) ? obj.status : {};
  if (!obj.status.phase) obj.status.phase = "Active";
}

function defaultNode(obj: KObject): void {
  if (!isObj(obj.status)) return;
  for (const k of ["capacity", "allocatable"]) {
    if (isObj(obj.status[k])) for (const r of Object.keys(obj.status[k])) obj.status[k][r] = quantityText(obj.status[k][r]);
  }
  if (isObj(obj.status.capacity) && !isObj(obj.status.allocatable)) obj.status.allocatable = { ...obj.status.capacity };
}

const BY_KIND: Record<string, (obj: KObject) => void> = {
  Pod: (obj) => {
    obj.spec = isObj(obj.spec) ? obj.spec : {};
    defaultPodSpec(obj.spec, true);
  },
  Service: defaultService,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  DaemonSet: defaultDaemonSet,
  Job: defaultJob,
  CronJob: defaultCronJob,
  Namespace: defaultNamespace,
  Node: defaultNode,
  Secret: (obj) => {
    if (!obj.type) obj.type = "Opaque";
    // Conversion from v1 folds the write-only stringData into data (base64), stringData winning.
    if (isObj(obj.stringData)) {
      obj.data = isObj(obj.data) ? obj.data : {};
      for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v), "utf8").toString("base64");
      delete obj.stringData;
    }
  },
  PriorityClass: (obj) => {
    if (!obj.preemptionPolicy) obj.preemptionPolicy = "PreemptLowerPriority";
  },
  Endpoints: (obj) => {
    for (const ss of arr(obj.subsets)) for (const p of arr(isObj(ss) ? ss.ports : undefined)) if (isObj(p) && !p.protocol) p.protocol = "TCP";
  },
};

const GROUPS = groupDefaults(defaultTemplate);

/** Applies the defaults of the object's kind in place. */
export function applyDefaults(obj: KObject): void {
  (BY_KIND[obj.kind] ?? GROUPS[obj.kind])?.(obj);
}

export const defaulting: AdmissionPlugin = {
  name: "Defaulting",
  inertFor: (kind) => !Object.hasOwn(BY_KIND, kind) && !Object.hasOwn(GROUPS, kind),
  // A pod's new ephemeral containers are defaulted as the request body is decoded.
  subresources: ["", "ephemeralcontainers"],
  mutate(obj) {
    applyDefaults(obj);
  },
};
