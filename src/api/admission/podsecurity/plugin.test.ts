// The PodSecurity plugin in the API server's admission chain (plugin/pkg/admission/security/
// podsecurity): what a client sees, refusals and warnings, through a real ApiServer; and upstream's
// v1.32 fixtures created in namespaces enforcing their level, as upstream's integration test does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ApiError } from "../../errors.ts";
import { ApiServer } from "../../store.ts";
import { SimClock } from "../../../sim/clock.ts";
import type { KObject } from "../../types.ts";
import { defaultAdmissionPlugins } from "../index.ts";

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  return api;
}

function namespace(api: ApiServer, name: string, labels: Record<string, string> = {}): void {
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
  api.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: name } });
}

const pod = (ns: string, name: string, spec: object = {}): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: "c", image: "nginx" }], ...spec },
});

const deployment = (ns: string, name: string, podSpec: object = { containers: [{ name: "c", image: "nginx" }] }): KObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ns },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
});

const RESTRICTED_DETAIL =
  `allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ` +
  `unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ` +
  `runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ` +
  `seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`;

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail("expected the API server to refuse");
}

test("no labels: privileged, a privileged pod is created without a warning", () => {
  const api = server();
  namespace(api, "plain");
  const warnings: string[] = [];
  api.create(pod("plain", "p", { hostNetwork: true, containers: [{ name: "c", image: "nginx", securityContext: { privileged: true } }] }), { warnings });
  assert.deepEqual(warnings, []);
});

test("enforce=restricted: a pod without a securityContext is refused with upstream's text", () => {
  const api = server();
  namespace(api, "r", { "pod-security.kubernetes.io/enforce": "restricted" });
  const warnings: string[] = [];
  const e = refusal(() => api.create(pod("r", "x"), { warnings }));
  assert.equal(e.reason, "Forbidden");
  assert.equal(e.message, `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}`);
  assert.deepEqual(warnings, [], "no warnings on a refused request");
  // A dry run is refused the same way.
  assert.equal(refusal(() => api.create(pod("r", "x"), { dryRun: true })).message, e.message);
});

test("enforce=baseline with enforce-version: the version shows in the message; a restricted-compliant pod passes", () => {
  const api = server();
  namespace(api, "b", { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/enforce-version": "v1.24" });
  const e = refusal(() => api.create(pod("b", "h", { hostNetwork: true, hostPID: true })));
  assert.equal(e.message, `pods "h" is forbidden: violates PodSecurity "baseline:v1.24": host namespaces (hostNetwork=true, hostPID=true)`);
  const warnings: string[] = [];
  api.create(pod("b", "ok"), { warnings });
  assert.deepEqual(warnings, [], "warn follows enforce (baseline:v1.24), which the pod meets");
});

test("warn=restricted: the pod is created and the request carries the warning", () => {
  const api = server();
  namespace(api, "w", { "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" });
  const warnings: string[] = [];
  const created = api.create(pod("w", "x"), { warnings });
  assert.equal(created.metadata.name, "x");
  assert.deepEqual(warnings, [`would violate PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}`]);
});

test("workloads are warned about, never refused; their pods are refused (the ReplicaSet's FailedCreate)", () => {
  const api = server();
  namespace(api, "r", { "pod-security.kubernetes.io/enforce": "restricted" });
  const warnings: string[] = [];
  api.create(deployment("r", "web"), { warnings });
  assert.deepEqual(warnings, [`would violate PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}`]);
  // A pod with a generated name is named in full, as the ReplicaSet's event shows it.
  const e = refusal(() => api.create({ ...pod("r", ""), metadata: { generateName: "web-5d8f9-", namespace: "r" } }));
  assert.match(e.message, /^pods "web-5d8f9-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  // Updates of a workload are evaluated too; its scale and status are not.
  const more: string[] = [];
  api.mutate("Deployment", "r", "web", (d) => (d.spec.template.spec.containers[0].image = "nginx:1.27"), { warnings: more });
  assert.equal(more.length, 1);
});

test("namespace labels: invalid values are refused with upstream's text, on create and on update", () => {
  const api = server();
  let e = refusal(() => api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "bad", labels: { "pod-security.kubernetes.io/enforce": "strict" } } }));
  assert.equal(e.reason, "Invalid");
  assert.equal(e.message, `Namespace "bad" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted`);
  namespace(api, "good");
  e = refusal(() => api.mutate("Namespace", undefined, "good", (n) => (n.metadata.labels = { ...n.metadata.labels, "pod-security.kubernetes.io/warn-version": "1.32", "pod-security.kubernetes.io/warn": "x" })));
  assert.equal(
    e.message,
    `Namespace "good" is invalid: [metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "x": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.32": must be "latest" or "v1.x"]`,
  );
});

test("labelling a namespace: existing pods are checked against the new enforce level, dry run too", () => {
  const api = server();
  namespace(api, "app");
  api.create(pod("app", "web-1"));
  api.create(pod("app", "web-2"));
  api.create(pod("app", "net", { hostNetwork: true }));
  api.create(pod("app", "fine", { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [{ name: "c", image: "nginx", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }] }));
  const label = (labels: Record<string, string>, dryRun = false) => {
    const warnings: string[] = [];
    api.mutate("Namespace", undefined, "app", (n) => (n.metadata.labels = { ...n.metadata.labels, ...labels }), { warnings, dryRun });
    return warnings;
  };
  const expected = [
    `existing pods in namespace "app" violate the new PodSecurity enforce level "restricted:latest"`,
    `net: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile`,
    `web-1 (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile`,
  ];
  assert.deepEqual(label({ "pod-security.kubernetes.io/enforce": "restricted" }, true), expected);
  assert.equal(api.get("Namespace", undefined, "app")!.metadata.labels!["pod-security.kubernetes.io/enforce"], undefined, "a dry run changes nothing");
  assert.deepEqual(label({ "pod-security.kubernetes.io/enforce": "baseline" }), [`existing pods in namespace "app" violate the new PodSecurity enforce level "baseline:latest"`, `net: host namespaces`]);
  assert.deepEqual(label({ "pod-security.kubernetes.io/enforce": "restricted" }), expected);
  assert.deepEqual(label({ "pod-security.kubernetes.io/enforce": "baseline" }), [], "relaxing the level at the same version checks nothing");
  assert.deepEqual(label({ "pod-security.kubernetes.io/warn": "restricted" }), [], "only the enforce level is checked against existing pods");
});

test("pod updates: only an image change is evaluated", () => {
  const api = server();
  namespace(api, "app");
  api.create(pod("app", "p"));
  api.mutate("Namespace", undefined, "app", (n) => (n.metadata.labels = { ...n.metadata.labels, "pod-security.kubernetes.io/enforce": "restricted" }));
  api.mutate("Pod", "app", "p", (p) => (p.metadata.labels = { a: "b" }));
  const e = refusal(() => api.mutate("Pod", "app", "p", (p) => (p.spec.containers[0].image = "nginx:1.27")));
  assert.match(e.message, /^pods "p" is forbidden: violates PodSecurity "restricted:latest": /);
});

function fixtures(level: string, which: string): KObject[] {
  const text = readFileSync(join(import.meta.dirname, "testdata", level, "v1.32", `${which}.yaml`), "utf8");
  return parseAllDocuments(text).map((d) => d.toJS() as KObject);
}

for (const level of ["baseline", "restricted"]) {
  test(`fixtures through the API server: ${level} v1.32 and latest`, () => {
    const api = server();
    for (const [ns, version] of [[`${level}-latest`, undefined], [`${level}-132`, "v1.32"]] as const) {
      namespace(api, ns, { "pod-security.kubernetes.io/enforce": level, ...(version ? { "pod-security.kubernetes.io/enforce-version": version } : {}) });
      for (const p of fixtures(level, "pass")) {
        // Sent as upstream's run.go sends them: named "test", dry-run so the next can take the name.
        const created = api.create({ ...p, metadata: { ...p.metadata, name: "test", namespace: ns } }, { dryRun: true });
        assert.equal(created.metadata.name, "test", p.metadata.name);
      }
      for (const p of fixtures(level, "fail")) {
        const e = refusal(() => api.create({ ...p, metadata: { ...p.metadata, name: "test", namespace: ns } }, { dryRun: true }));
        assert.ok(e.reason === "Forbidden" && e.message.includes(`violates PodSecurity "${level}:${version ?? "latest"}"`), `${p.metadata.name}: ${e.message}`);
      }
    }
  });
}
