import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../store.ts";
import { SimClock } from "../../sim/clock.ts";
import { defaultAdmissionPlugins } from "./index.ts";
import { setWebhookCaller, type WebhookAnswer } from "./webhook.ts";
import { ApiError } from "../errors.ts";

function server(answer: () => WebhookAnswer, calls: string[]): ApiServer {
  const api = new ApiServer(new SimClock("2024-01-08T00:00:00Z"));
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  for (const ns of ["default", "web"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } } });
  setWebhookCaller(api, (h) => {
    calls.push(`${h.service.namespace}/${h.service.name}:${h.service.port}${h.service.path ?? ""}`);
    return answer();
  });
  return api;
}

const hook = (extra: Record<string, unknown> = {}) => ({
  apiVersion: "admissionregistration.k8s.io/v1",
  kind: "ValidatingWebhookConfiguration",
  metadata: { name: "hook" },
  webhooks: [{
    name: "validate.example.io",
    admissionReviewVersions: ["v1"],
    sideEffects: "None",
    clientConfig: { service: { name: "hook", namespace: "default", path: "/validate" }, caBundle: "Y2E=" },
    rules: [{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["ingresses"] }],
    ...extra,
  }],
});

const ingress = (ns = "default", labels: Record<string, string> = {}) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "i", namespace: ns, labels },
  spec: { defaultBackend: { service: { name: "s", port: { number: 80 } } } },
});

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError);
    return `${e.reason}: ${e.message}`;
  }
  return "admitted";
}

test("a matching webhook is called (defaulted port 443); other kinds and operations are not", () => {
  const calls: string[] = [];
  const api = server(() => ({ allowed: true }), calls);
  api.create(hook());
  api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" } });
  assert.deepEqual(calls, []);
  api.create(ingress());
  assert.deepEqual(calls, ["default/hook:443/validate"]);
  api.mutate("Ingress", "default", "i", (o) => (o.metadata.labels = { a: "b" }));
  assert.equal(calls.length, 1);
});

test("failurePolicy Fail refuses with the call's error; Ignore admits", () => {
  const calls: string[] = [];
  const api = server(() => ({ error: "dial tcp 10.96.0.50:443: connect: connection refused" }), calls);
  api.create(hook());
  assert.equal(
    refusal(() => api.create(ingress())),
    'InternalError: Internal error occurred: failed calling webhook "validate.example.io": failed to call webhook: Post "https://hook.default.svc:443/validate?timeout=10s": dial tcp 10.96.0.50:443: connect: connection refused',
  );
  api.delete("ValidatingWebhookConfiguration", undefined, "hook");
  api.create(hook({ failurePolicy: "Ignore" }));
  assert.equal(refusal(() => api.create(ingress())), "admitted");
});

test("a webhook that denies: its message and code", () => {
  const api = server(() => ({ allowed: false, code: 400, message: "host \"x\" is already defined" }), []);
  api.create(hook());
  assert.equal(refusal(() => api.create(ingress())), 'BadRequest: admission webhook "validate.example.io" denied the request: host "x" is already defined');
});

test("namespaceSelector and objectSelector limit the requests sent", () => {
  const calls: string[] = [];
  const api = server(() => ({ allowed: true }), calls);
  api.create(hook({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } }, objectSelector: { matchExpressions: [{ key: "skip", operator: "DoesNotExist" }] } }));
  api.create(ingress("default"));
  api.create(ingress("web", { skip: "yes" }));
  assert.equal(calls.length, 0);
  api.delete("Ingress", "web", "i");
  api.create(ingress("web"));
  assert.equal(calls.length, 1);
});
