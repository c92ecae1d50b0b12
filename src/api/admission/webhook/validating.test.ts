import { test } from "node:test";
import assert from "node:assert/strict";
import { refusal, serverWith, type Seen } from "./testutil.ts";
import { CLUSTER_CA_PEM } from "../../../controllers/certificates/clusterca.ts";

const hook = (extra: Record<string, unknown> = {}) => ({
  apiVersion: "admissionregistration.k8s.io/v1",
  kind: "ValidatingWebhookConfiguration",
  metadata: { name: "hook" },
  webhooks: [{
    name: "validate.example.io",
    admissionReviewVersions: ["v1"],
    sideEffects: "None",
    clientConfig: { service: { name: "hook", namespace: "default", path: "/validate" }, caBundle: Buffer.from(CLUSTER_CA_PEM).toString("base64") },
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

test("a matching webhook is called (defaulted port 443) with the AdmissionReview of the object as it will be stored; other kinds and operations are not", () => {
  const seen: Seen[] = [];
  const api = serverWith(() => ({ response: { allowed: true } }), seen);
  api.create(hook());
  api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" } });
  assert.equal(seen.length, 0);
  api.create(ingress());
  assert.deepEqual(seen.map((s) => s.to), ["default/hook:443/validate"]);
  const r = seen[0]!.request;
  assert.deepEqual([r.kind, r.resource, r.name, r.namespace, r.operation, r.dryRun, r.oldObject, r.options], [
    { group: "networking.k8s.io", version: "v1", kind: "Ingress" },
    { group: "networking.k8s.io", version: "v1", resource: "ingresses" },
    "i",
    "default",
    "CREATE",
    false,
    null,
    { kind: "CreateOptions", apiVersion: "meta.k8s.io/v1" },
  ]);
  // Validating webhooks see the uid the registry gave.
  assert.match(String((r.object as { metadata: { uid?: string } }).metadata.uid), /^[0-9a-f-]{36}$/);
  api.mutate("Ingress", "default", "i", (o) => (o.metadata.labels = { a: "b" }));
  assert.equal(seen.length, 1);
});

test("failurePolicy Fail refuses with the call's error; Ignore admits", () => {
  const api = serverWith(() => ({ error: "dial tcp 10.96.0.50:443: connect: connection refused" }));
  api.create(hook());
  assert.equal(
    refusal(() => api.create(ingress())),
    'InternalError(500): Internal error occurred: failed calling webhook "validate.example.io": failed to call webhook: Post "https://hook.default.svc:443/validate?timeout=10s": dial tcp 10.96.0.50:443: connect: connection refused',
  );
  api.delete("ValidatingWebhookConfiguration", undefined, "hook");
  api.create(hook({ failurePolicy: "Ignore" }));
  assert.equal(refusal(() => api.create(ingress())), "admitted");
});

test("a caBundle that holds no PEM certificate: the REST client is not made, the call fails under failurePolicy", () => {
  const seen: Seen[] = [];
  const api = serverWith(() => ({ response: { allowed: true } }), seen);
  const h = hook();
  h.webhooks[0]!.clientConfig.caBundle = Buffer.from("<CABundle info>").toString("base64");
  api.create(h);
  assert.equal(
    refusal(() => api.create(ingress())),
    'InternalError(500): Internal error occurred: failed calling webhook "validate.example.io": could not get REST client: unable to load root certificates: unable to parse bytes as PEM block',
  );
  assert.equal(seen.length, 0);
});

test("a webhook that denies: its message, its reason and code (at least 400), or without explanation", () => {
  // ingress-nginx's answer, agnhost's always-deny, controller-runtime's Denied, agnhost's configmaps, none.
  const cases: Array<Record<string, unknown> | undefined> = [
    { code: 400, message: 'host "x" is already defined' },
    { message: "this webhook denies all requests" },
    { code: 403, reason: "Forbidden", message: "no" },
    { reason: "the configmap contains unwanted key and value" },
    undefined,
  ];
  const got = cases.map((status) => {
    const api = serverWith(() => ({ response: { allowed: false, ...(status ? { status } : {}) } }));
    api.create(hook());
    return refusal(() => api.create(ingress()));
  });
  assert.deepEqual(got, [
    '(400): admission webhook "validate.example.io" denied the request: host "x" is already defined',
    '(400): admission webhook "validate.example.io" denied the request: this webhook denies all requests',
    'Forbidden(403): admission webhook "validate.example.io" denied the request: no',
    'the configmap contains unwanted key and value(400): admission webhook "validate.example.io" denied the request: the configmap contains unwanted key and value',
    '(400): admission webhook "validate.example.io" denied the request without explanation',
  ]);
});

test("namespaceSelector and objectSelector limit the requests sent", () => {
  const seen: Seen[] = [];
  const api = serverWith(() => ({ response: { allowed: true } }), seen);
  api.create(hook({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } }, objectSelector: { matchExpressions: [{ key: "skip", operator: "DoesNotExist" }] } }));
  api.create(ingress("default"));
  api.create(ingress("web", { skip: "yes" }));
  assert.equal(seen.length, 0);
  api.delete("Ingress", "web", "i");
  api.create(ingress("web"));
  assert.equal(seen.length, 1);
});

test("a namespaceSelector matches a Namespace by its own labels; other cluster-scoped objects are never exempt", () => {
  const seen: Seen[] = [];
  const api = serverWith(() => ({ response: { allowed: true } }), seen);
  api.create(hook({ namespaceSelector: { matchExpressions: [{ key: "team", operator: "In", values: ["a"] }] }, rules: [{ apiGroups: ["", "rbac.authorization.k8s.io"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["namespaces", "clusterroles"] }] }));
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "b", labels: { team: "b" } } });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a", labels: { team: "a" } } });
  api.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" } });
  assert.deepEqual(seen.map((s) => [s.request.name, s.request.namespace]), [["a", "a"], ["r", undefined]]);
});

test("matchConditions: a false condition skips the webhook, an error refuses under Fail and skips under Ignore", () => {
  const seen: Seen[] = [];
  const api = serverWith(() => ({ response: { allowed: true } }), seen);
  api.create(hook({ matchConditions: [{ name: "labelled", expression: "has(object.metadata.labels) && 'check' in object.metadata.labels" }] }));
  api.create(ingress("default"));
  assert.equal(seen.length, 0);
  api.create(ingress("web", { check: "yes" }));
  assert.equal(seen.length, 1);
  api.delete("ValidatingWebhookConfiguration", undefined, "hook");
  api.create(hook({ matchConditions: [{ name: "bad", expression: "object.spec.nothing == 'x'" }] }));
  assert.equal(refusal(() => api.create({ ...ingress("default"), metadata: { name: "j", namespace: "default" } })), "Forbidden(403): ingresses.networking.k8s.io \"j\" is forbidden: expression 'object.spec.nothing == 'x'' resulted in error: no such key: nothing");
  api.delete("ValidatingWebhookConfiguration", undefined, "hook");
  api.create(hook({ failurePolicy: "Ignore", matchConditions: [{ name: "bad", expression: "object.spec.nothing == 'x'" }] }));
  assert.equal(refusal(() => api.create({ ...ingress("default"), metadata: { name: "j", namespace: "default" } })), "admitted");
  assert.equal(seen.length, 1);
});

test("the answer is verified: its uid, its kind, no patch from a validating webhook", () => {
  const answers: Array<[unknown, string]> = [
    [{ status: 200, body: '{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","response":{"uid":"other","allowed":true}}' }, 'received invalid webhook response: expected response.uid="UID", got "other"'],
    [{ response: { allowed: true, patch: "W10=", patchType: "JSONPatch" } }, "received invalid webhook response: validating webhook may not return response.patch"],
    [{ status: 200, body: '{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"}' }, "received invalid webhook response: webhook response was absent"],
    [{ status: 404, body: "404 page not found\n" }, "failed to call webhook: the server could not find the requested resource"],
    [{ status: 200, body: "ok" }, "failed to call webhook: couldn't get version/kind; json parse error: invalid character 'o' looking for beginning of value"],
  ];
  for (const [a, want] of answers) {
    let uid = "";
    const api = serverWith((req) => {
      uid = String(req.uid);
      return a as never;
    });
    api.create(hook());
    assert.equal(refusal(() => api.create(ingress())), `InternalError(500): Internal error occurred: failed calling webhook "validate.example.io": ${want.replace("UID", uid)}`);
  }
});

test("dry run: a webhook whose sideEffects are None or NoneOnDryRun is called with dryRun true; the configuration kinds are exempt", () => {
  const seen: Seen[] = [];
  const api = serverWith(() => ({ response: { allowed: true, warnings: ["checked"] } }), seen);
  api.create(hook({ sideEffects: "NoneOnDryRun", rules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }] }));
  const warnings: string[] = [];
  api.create(ingress(), { dryRun: true, warnings });
  assert.deepEqual([seen.length, seen[0]!.request.dryRun, (seen[0]!.request.options as { dryRun?: string[] }).dryRun, warnings], [1, true, ["All"], ["checked"]]);
  api.create({ ...hook(), metadata: { name: "other" } });
  assert.equal(seen.length, 1);
});
