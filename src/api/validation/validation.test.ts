// Validation through the admission chain, asserting the API server's exact texts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../store.ts";
import { SimClock } from "../../sim/clock.ts";
import type { KObject } from "../types.ts";
import { defaultAdmissionPlugins } from "../admission/index.ts";

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return api;
}

const pod = (spec: object, name = "p", labels?: Record<string, string>): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, ...(labels ? { labels } : {}) }, spec });
const ctr = (extra: object = {}) => ({ name: "app", image: "nginx", ...extra });

function fails(api: ApiServer, obj: KObject): string {
  try {
    api.create(obj);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`${obj.kind} ${obj.metadata.name} was accepted`);
}

const RFC1123_SUB = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const RFC1123_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test("pod names, container names and images", () => {
  const api = server();
  assert.equal(fails(api, pod({ containers: [ctr()] }, "My_Pod")), `Pod "My_Pod" is invalid: metadata.name: Invalid value: "My_Pod": ${RFC1123_SUB}`);
  assert.equal(fails(api, pod({ containers: [] })), 'Pod "p" is invalid: spec.containers: Required value');
  assert.equal(
    fails(api, pod({ containers: [{ name: "App_1", image: "" }] })),
    `Pod "p" is invalid: [spec.containers[0].name: Invalid value: "App_1": ${RFC1123_LABEL}, spec.containers[0].image: Required value]`,
  );
  assert.equal(fails(api, pod({ containers: [ctr(), ctr()] })), 'Pod "p" is invalid: spec.containers[1].name: Duplicate value: "app"');
  assert.equal(
    fails(api, pod({ restartPolicy: "Sometimes", containers: [ctr()] })),
    'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ ports: [{ containerPort: 70000 }] })] })),
    'Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  );
});

test("labels and annotations", () => {
  const api = server();
  assert.equal(
    fails(api, pod({ containers: [ctr()] }, "p", { app: "-web" })),
    `Pod "p" is invalid: metadata.labels: Invalid value: "-web": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  );
  assert.match(fails(api, pod({ containers: [ctr()] }, "p", { "a/b/c": "x" })), /^Pod "p" is invalid: metadata.labels: Invalid value: "a\/b\/c": a qualified name must consist of/);
  const big: KObject = { ...pod({ containers: [ctr()] }), metadata: { name: "p", annotations: { a: "x".repeat(262144) } } };
  assert.equal(fails(api, big), 'Pod "p" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes');
});

test("resources: valid quantities, requests not above limits", () => {
  const api = server();
  assert.equal(
    fails(api, pod({ containers: [ctr({ resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } })] })),
    'Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ resources: { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } } })] })),
    'Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ resources: { requests: { gpu: "1" } } })] })),
    'Pod "p" is invalid: spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource for containers',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ resources: { requests: { cpu: "-1" } } })] })),
    'Pod "p" is invalid: spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
  );
});

test("probes", () => {
  const api = server();
  assert.equal(
    fails(api, pod({ containers: [ctr({ livenessProbe: { httpGet: { port: 80 }, successThreshold: 2 } })] })),
    'Pod "p" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ startupProbe: { exec: { command: ["true"] }, successThreshold: 3 } })] })),
    'Pod "p" is invalid: spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ readinessProbe: { tcpSocket: { port: 80 }, terminationGracePeriodSeconds: 10 } })] })),
    'Pod "p" is invalid: spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ readinessProbe: { periodSeconds: 5 } })] })),
    'Pod "p" is invalid: spec.containers[0].readinessProbe: Required value: must specify a handler type',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ livenessProbe: { exec: { command: ["x"] }, tcpSocket: { port: 80 } } })] })),
    'Pod "p" is invalid: spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ readinessProbe: { httpGet: { port: 80 }, initialDelaySeconds: -5 } })] })),
    'Pod "p" is invalid: spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -5: must be greater than or equal to 0',
  );
});

test("tolerations and node affinity", () => {
  const api = server();
  assert.equal(
    fails(api, pod({ containers: [ctr()], tolerations: [{ key: "k", operator: "Exists", value: "v", effect: "NoSchedule" }] })),
    'Pod "p" is invalid: spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr()], tolerations: [{ key: "k", operator: "Equal", value: "v", effect: "NoSched" }] })),
    'Pod "p" is invalid: spec.tolerations[0].effect: Unsupported value: "NoSched": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr()], tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 30 }] })),
    'Pod "p" is invalid: spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
  );
  const aff = (operator: string, values?: string[]) => ({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "cpu", operator, ...(values ? { values } : {}) }] }] } },
  });
  assert.equal(
    fails(api, pod({ containers: [ctr()], affinity: aff("Gt", ["1", "2"]) })),
    "Pod \"p\" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
  );
  assert.equal(
    fails(api, pod({ containers: [ctr()], affinity: aff("In") })),
    "Pod \"p\" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
  );
  assert.match(fails(api, pod({ containers: [ctr()], nodeSelector: { "disk type": "ssd" } })), /^Pod "p" is invalid: spec.nodeSelector: Invalid value: "disk type": name part must consist of/);
});

test("volumes", () => {
  const api = server();
  assert.equal(
    fails(api, pod({ containers: [ctr()], volumes: [{ name: "v", hostPath: { path: "/x", type: "Dir" } }] })),
    'Pod "p" is invalid: spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr()], volumes: [{ name: "v", emptyDir: {}, configMap: { name: "c" } }] })),
    'Pod "p" is invalid: spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type',
  );
  assert.equal(
    fails(api, pod({ containers: [ctr({ volumeMounts: [{ name: "nope", mountPath: "/d" }] })] })),
    'Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "nope"',
  );
});

test("pod updates: only images, activeDeadlineSeconds, added tolerations", () => {
  const api = server();
  api.create(pod({ containers: [ctr({ image: "nginx:1.25" })] }));
  const img = api.mutate("Pod", "default", "p", (p) => (p.spec.containers[0].image = "nginx:1.26"));
  assert.equal(img.spec.containers[0].image, "nginx:1.26");
  assert.throws(
    () => api.mutate("Pod", "default", "p", (p) => (p.spec.containers[0].ports = [{ containerPort: 80, protocol: "TCP" }])),
    (e: Error) => e.message.startsWith(
      'Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{',
    ),
  );
  assert.throws(() => api.mutate("Pod", "default", "p", (p) => p.spec.containers.push(ctr({ name: "b" }))), {
    message: 'Pod "p" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers',
  });
  // DefaultTolerationSeconds puts the default tolerations back on update, so removing them changes nothing.
  assert.equal(api.mutate("Pod", "default", "p", (p) => (p.spec.tolerations = [])).spec.tolerations.length, 2);
  api.create(pod({ containers: [ctr()], tolerations: [{ key: "x", operator: "Exists", effect: "NoSchedule" }] }, "t"));
  assert.throws(() => api.mutate("Pod", "default", "t", (p) => (p.spec.tolerations[0].key = "y")), {
    message: 'Pod "t" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
  });
  const added = api.mutate("Pod", "default", "p", (p) => p.spec.tolerations.push({ key: "x", operator: "Exists" }));
  assert.equal(added.spec.tolerations.length, 3);
});

test("Service", () => {
  const api = server();
  const svc = (spec: object, name = "web"): KObject => ({ apiVersion: "v1", kind: "Service", metadata: { name }, spec });
  assert.equal(fails(api, svc({ selector: { app: "w" } })), 'Service "web" is invalid: spec.ports: Required value');
  // targetPort defaults to port, so both are reported (as upstream).
  assert.equal(
    fails(api, svc({ ports: [{ port: 0 }] })),
    'Service "web" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]',
  );
  assert.equal(
    fails(api, svc({ ports: [{ port: 80 }] }, "1web")),
    `Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
  );
  assert.equal(fails(api, svc({ ports: [{ port: 80 }, { port: 81 }] })), 'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]');
  assert.equal(fails(api, svc({ type: "Fancy", ports: [{ port: 80 }] })), 'Service "web" is invalid: spec.type: Unsupported value: "Fancy": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
  // ValidateService's ExternalName case: no cluster IPs or family fields; a DNS subdomain, a trailing dot allowed.
  assert.equal(
    fails(api, svc({ type: "ExternalName", externalName: "db.example.com", clusterIP: "10.96.0.50", ipFamilyPolicy: "SingleStack", ipFamilies: ["IPv4"] }, "ext")),
    'Service "ext" is invalid: [spec.clusterIPs: Forbidden: may not be set for ExternalName services, spec.ipFamilies: Forbidden: may not be set for ExternalName services, spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services]',
  );
  assert.equal(fails(api, svc({ type: "ExternalName" }, "ext")), 'Service "ext" is invalid: spec.externalName: Required value');
  assert.equal(fails(api, svc({ type: "ExternalName", externalName: "." }, "ext")), 'Service "ext" is invalid: spec.externalName: Required value');
  assert.match(fails(api, svc({ type: "ExternalName", externalName: "My_DB." }, "ext")), /^Service "ext" is invalid: spec\.externalName: Invalid value: "My_DB": a lowercase RFC 1123 subdomain must consist of/);
  assert.equal(api.create(svc({ type: "ExternalName", externalName: "db.example.com." }, "ok")).spec.externalName, "db.example.com.");
});

test("Node taints", () => {
  const api = server();
  const node = (taints: object[]): KObject => ({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: { taints } });
  assert.equal(
    fails(api, node([{ key: "k", effect: "NoSched" }])),
    'Node "n1" is invalid: spec.taints[0].effect: Unsupported value: "NoSched": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  );
  assert.equal(fails(api, node([{ key: "k" }])), 'Node "n1" is invalid: spec.taints[0].effect: Required value');
  assert.equal(
    fails(api, node([{ key: "k", value: "a", effect: "NoSchedule" }, { key: "k", value: "b", effect: "NoSchedule" }])),
    'Node "n1" is invalid: spec.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"b", Effect:"NoSchedule", TimeAdded:<nil>}: taints must be unique by key and effect pair',
  );
});

test("ReplicaSet and Deployment selectors must match the template", () => {
  const api = server();
  const tpl = { metadata: { labels: { app: "web" } }, spec: { containers: [ctr()] } };
  assert.equal(
    fails(api, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { selector: { matchLabels: { app: "api" } }, template: tpl } }),
    'Deployment.apps "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  );
  assert.equal(
    fails(api, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r" }, spec: { template: tpl } }),
    'ReplicaSet.apps "r" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
  );
  assert.equal(
    fails(api, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { selector: { matchLabels: { app: "web" } }, template: { ...tpl, spec: { ...tpl.spec, restartPolicy: "Never" } } } }),
    'Deployment.apps "d" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  );
  api.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ok" }, spec: { selector: { matchLabels: { app: "web" } }, template: tpl } });
  assert.throws(() => api.mutate("Deployment", "default", "ok", (d) => (d.spec.selector = { matchLabels: { app: "x" } })), /spec.selector: Invalid value: .*field is immutable/);
});

test("Job and CronJob", () => {
  const api = server();
  const job = (restartPolicy?: string): KObject => ({
    apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" },
    spec: { template: { spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [ctr()] } } },
  });
  assert.equal(fails(api, job()), 'Job.batch "j" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
  // The pod template's own check and the Job's both report it, as upstream.
  assert.equal(
    fails(api, job("Sometimes")),
    'Job.batch "j" is invalid: [spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never", spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"]',
  );
  api.create(job("Never"));
  const cj = (schedule: string): KObject => ({
    apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" },
    spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [ctr()] } } } } },
  });
  assert.equal(fails(api, cj("every minute")), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]');
  assert.equal(fails(api, cj("61 * * * *")), 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  api.create(cj("*/1 * * * *"));
});

test("a frozen selector (shared with the stored version) is checked as a copy of it would be: valid ones kept, invalid ones reported every time", async () => {
  const { validateCreate } = await import("./index.ts");
  const { deepFreeze } = await import("../types.ts");
  const rs = (selector: unknown): KObject =>
    ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r", namespace: "default" }, spec: { replicas: 1, selector, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx", imagePullPolicy: "Always", terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File" }], restartPolicy: "Always", dnsPolicy: "ClusterFirst" } } } }) as KObject;
  const text = (errs: unknown) => JSON.stringify(errs);
  for (const sel of [{ matchLabels: { app: "web" } }, { matchLabels: { app: "other" } }, {}, { matchExpressions: [{ key: "app", operator: "Bogus" }] }]) {
    const plain = text(validateCreate(rs(structuredClone(sel))));
    const frozen = deepFreeze(structuredClone(sel));
    for (let i = 0; i < 2; i++) assert.equal(text(validateCreate(rs(frozen))), plain, JSON.stringify(sel));
  }
});
