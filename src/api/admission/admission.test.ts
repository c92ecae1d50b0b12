// The admission chain through a real ApiServer: defaults, plugins and PrepareForCreate as a created object shows them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../store.ts";
import { SimClock } from "../../sim/clock.ts";
import { ApiError } from "../errors.ts";
import type { KObject } from "../types.ts";
import { defaultAdmissionPlugins } from "./index.ts";
import { imageTag } from "./defaults.ts";

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return api;
}

const pod = (spec: object, name = "p"): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec });

test("Pod defaults (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container, probes)", () => {
  const api = server();
  const p = api.create(
    pod({
      containers: [
        {
          name: "app",
          image: "nginx:1.25",
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: 0.5, memory: "128Mi" }, requests: { memory: "64Mi" } },
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
        },
      ],
      volumes: [{ name: "cfg", configMap: { name: "c" } }, { name: "scratch" }, { name: "host", hostPath: { path: "/tmp" } }],
    }),
  );
  const s = p.spec;
  assert.equal(s.restartPolicy, "Always");
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.equal(s.dnsPolicy, "ClusterFirst");
  assert.equal(s.schedulerName, "default-scheduler");
  assert.deepEqual(s.securityContext, {});
  assert.equal(s.enableServiceLinks, true);
  const c = s.containers[0];
  assert.equal(c.imagePullPolicy, "IfNotPresent");
  assert.equal(c.terminationMessagePath, "/dev/termination-log");
  assert.equal(c.terminationMessagePolicy, "File");
  assert.equal(c.ports[0].protocol, "TCP");
  assert.deepEqual(c.resources, { limits: { cpu: "500m", memory: "128Mi" }, requests: { memory: "64Mi", cpu: "500m" } });
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: "/", scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.readinessProbe.periodSeconds, 5);
  assert.equal(s.volumes[0].configMap.defaultMode, 420);
  assert.deepEqual(s.volumes[1].emptyDir, {});
  assert.equal(s.volumes[2].hostPath.type, "");
  assert.deepEqual(p.status, { phase: "Pending", qosClass: "Burstable" });
});

test("imagePullPolicy: Always for :latest or no tag, else IfNotPresent", () => {
  const table: Array<[string, string]> = [
    ["nginx", "latest"], ["nginx:latest", "latest"], ["nginx:1.25", "1.25"], ["registry.k8s.io/pause:3.10", "3.10"],
    ["localhost:5000/app", "latest"], ["localhost:5000/app:v1", "v1"], ["nginx@sha256:" + "a".repeat(64), ""],
    ["nginx:1.2@sha256:" + "a".repeat(64), "1.2"], ["Nginx", ""],
  ];
  for (const [image, tag] of table) assert.equal(imageTag(image), tag, image);
  const api = server();
  const p = api.create(pod({ containers: [{ name: "a", image: "busybox" }, { name: "b", image: "busybox:1.36" }] }));
  assert.deepEqual(p.spec.containers.map((c: any) => c.imagePullPolicy), ["Always", "IfNotPresent"]);
});

test("ServiceAccount admission: serviceAccountName and the projected token volume", () => {
  const api = server();
  const p = api.create(pod({ containers: [{ name: "a", image: "x" }], initContainers: [{ name: "i", image: "x" }] }));
  assert.equal(p.spec.serviceAccountName, "default");
  assert.equal(p.spec.serviceAccount, "default");
  const vol = p.spec.volumes.at(-1);
  assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(vol.projected.defaultMode, 420);
  assert.deepEqual(vol.projected.sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: "token" } });
  for (const c of [...p.spec.containers, ...p.spec.initContainers]) {
    assert.deepEqual(c.volumeMounts, [{ mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", name: vol.name, readOnly: true }]);
  }
  const off = api.create(pod({ automountServiceAccountToken: false, containers: [{ name: "a", image: "x" }] }, "q"));
  assert.equal(off.spec.volumes, undefined);
  assert.throws(() => api.create(pod({ serviceAccountName: "robot", containers: [{ name: "a", image: "x" }] }, "r")), {
    message: 'pods "r" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
  });
});

test("Priority admission: class value, global default, unknown class forbidden", () => {
  const api = server();
  const p = api.create(pod({ containers: [{ name: "a", image: "x" }] }));
  assert.equal(p.spec.priority, 0);
  assert.equal(p.spec.preemptionPolicy, "PreemptLowerPriority");
  assert.equal(p.spec.priorityClassName, undefined);
  api.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000, preemptionPolicy: "Never" } as KObject);
  api.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "base" }, value: 10, globalDefault: true } as KObject);
  const hi = api.create(pod({ priorityClassName: "high", containers: [{ name: "a", image: "x" }] }, "hi"));
  assert.deepEqual([hi.spec.priority, hi.spec.preemptionPolicy], [1000, "Never"]);
  const d = api.create(pod({ containers: [{ name: "a", image: "x" }] }, "d"));
  assert.deepEqual([d.spec.priorityClassName, d.spec.priority, d.spec.preemptionPolicy], ["base", 10, "PreemptLowerPriority"]);
  assert.throws(() => api.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "other" }, value: 5, globalDefault: true } as KObject), {
    message: 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass base is already marked as default. Only one default can exist',
  });
  const sys = api.create(pod({ priorityClassName: "system-node-critical", containers: [{ name: "a", image: "x" }] }, "sys"));
  assert.equal(sys.spec.priority, 2000001000);
  const err = (() => {
    try {
      api.create(pod({ priorityClassName: "foo", containers: [{ name: "a", image: "x" }] }, "x"));
    } catch (e) {
      return e as ApiError;
    }
  })();
  assert.equal(err?.reason, "Forbidden");
  assert.equal(err?.message, 'pods "x" is forbidden: no PriorityClass with name foo was found');
  assert.throws(() => api.create(pod({ priorityClassName: "high", priority: 5, containers: [{ name: "a", image: "x" }] }, "y")), {
    message: 'pods "y" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
  });
});

test("DefaultTolerationSeconds: not-ready then unreachable, unless already tolerated", () => {
  const api = server();
  const p = api.create(pod({ containers: [{ name: "a", image: "x" }], tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }] }));
  assert.deepEqual(p.spec.tolerations, [
    { key: "k", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  ]);
  const q = api.create(pod({ containers: [{ name: "a", image: "x" }], tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }] }, "q"));
  assert.deepEqual(q.spec.tolerations.map((t: any) => [t.key, t.tolerationSeconds]), [["node.kubernetes.io/unreachable", 10], ["node.kubernetes.io/not-ready", 300]]);
  const all = api.create(pod({ containers: [{ name: "a", image: "x" }], tolerations: [{ operator: "Exists" }] }, "all"));
  assert.deepEqual(all.spec.tolerations, [{ operator: "Exists" }]);
});

test("Service defaults (the ClusterIP itself comes from the allocator)", () => {
  const api = server();
  const s = api.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
  const { clusterIP, clusterIPs, ...rest } = s.spec;
  assert.ok(clusterIP && clusterIPs?.[0] === clusterIP, "allocated by src/api/registry/core/service/alloc.ts");
  assert.deepEqual(rest, {
    selector: { app: "web" },
    ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
    sessionAffinity: "None",
    type: "ClusterIP",
    internalTrafficPolicy: "Cluster",
    ipFamilyPolicy: "SingleStack",
    ipFamilies: ["IPv4"],
  });
  const np = api.create({ apiVersion: "v1", kind: "Service", metadata: { name: "np" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, targetPort: "http" }] } });
  assert.equal(np.spec.externalTrafficPolicy, "Cluster");
  assert.equal(np.spec.ports[0].targetPort, "http");
});

test("Deployment, ReplicaSet, CronJob, Namespace defaults", () => {
  const api = server();
  const tpl = { metadata: { labels: { app: "w" } }, spec: { containers: [{ name: "a", image: "x" }] } };
  const d = api.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "w" }, spec: { selector: { matchLabels: { app: "w" } }, template: tpl } });
  assert.deepEqual([d.spec.replicas, d.spec.strategy, d.spec.revisionHistoryLimit, d.spec.progressDeadlineSeconds], [
    1, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } }, 10, 600,
  ]);
  assert.equal(d.spec.template.metadata.creationTimestamp, null);
  assert.equal(d.spec.template.spec.restartPolicy, "Always");
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined, "templates do not get Pod-only defaults");
  const rs = api.create({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r" }, spec: { selector: { matchLabels: { app: "w" } }, template: tpl } });
  assert.equal(rs.spec.replicas, 1);
  const cj = api.create({
    apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" },
    spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "a", image: "x" }] } } } } },
  });
  assert.deepEqual([cj.spec.concurrencyPolicy, cj.spec.suspend, cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit], ["Allow", false, 3, 1]);
  const ns = api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
  assert.deepEqual(ns.metadata.labels, { "kubernetes.io/metadata.name": "team" });
  assert.deepEqual(ns.spec, { finalizers: ["kubernetes"] });
  assert.deepEqual(ns.status, { phase: "Active" });
});

test("Job defaults and the generated selector and labels", () => {
  const api = server();
  const j = api.create({
    apiVersion: "batch/v1", kind: "Job", metadata: { name: "pi" },
    spec: { template: { metadata: { labels: { app: "pi" } }, spec: { restartPolicy: "Never", containers: [{ name: "a", image: "perl" }] } } },
  });
  const uid = j.metadata.uid;
  assert.deepEqual(
    [j.spec.completions, j.spec.parallelism, j.spec.backoffLimit, j.spec.completionMode, j.spec.suspend, j.spec.manualSelector, j.spec.podReplacementPolicy],
    [1, 1, 6, "NonIndexed", false, false, "TerminatingOrFailed"],
  );
  assert.deepEqual(j.spec.selector, { matchLabels: { "batch.kubernetes.io/controller-uid": uid } });
  const labels = { app: "pi", "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi", "controller-uid": uid, "job-name": "pi" };
  assert.deepEqual(j.spec.template.metadata.labels, labels);
  assert.deepEqual(j.metadata.labels, labels, "the Job's labels alias its template's (as Go's shared map)");
  const k = api.create({
    apiVersion: "batch/v1", kind: "Job", metadata: { name: "k", labels: { team: "a" } },
    spec: { parallelism: 3, template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "a", image: "perl" }] } } },
  });
  assert.deepEqual(k.metadata.labels, { team: "a" });
  assert.equal(k.spec.completions, undefined);
  assert.equal(k.spec.parallelism, 3);
});

test("Secret: type Opaque, stringData folded into data", () => {
  const api = server();
  const s = api.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: "eA==" }, stringData: { b: "pass" } } as KObject);
  assert.equal(s.type, "Opaque");
  assert.deepEqual(s.data, { a: "eA==", b: "cGFzcw==" });
  assert.equal(s.stringData, undefined);
});

test("the default plugins: a new list each time, of the same objects, whose inert checks read the server they are given", () => {
  const a = defaultAdmissionPlugins();
  const b = defaultAdmissionPlugins();
  assert.notEqual(a, b);
  assert.deepEqual(a.map((p) => p.name), b.map((p) => p.name));
  a.forEach((p, i) => assert.equal(p, b[i]));
  a.pop();
  assert.equal(defaultAdmissionPlugins().length, b.length);
  // The webhooks and ValidatingAdmissionPolicy are inert while their kind has no object, per server.
  const vap = b.find((p) => p.name === "ValidatingAdmissionPolicy")!;
  const empty = server();
  const other = server();
  other.create({
    apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name: "p" },
    spec: { failurePolicy: "Fail", matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"] }] }, validations: [{ expression: "true" }] },
  } as KObject);
  assert.equal(vap.inertFor!("ConfigMap", empty), true);
  assert.equal(vap.inertFor!("ConfigMap", other), false);
  assert.equal(vap.inertFor!("ConfigMap", empty), true);
});
