import { test } from "node:test";
import assert from "node:assert/strict";
import { b64, refusal, serverWith, type Seen } from "./testutil.ts";
import type { KObject } from "../../types.ts";
import { callHook, hookRequest, webhookCallerOf } from "./generic.ts";
import { CLUSTER_CA_PEM } from "../../../controllers/certificates/clusterca.ts";

const conf = (name: string, hooks: Array<Record<string, unknown>>) => ({
  apiVersion: "admissionregistration.k8s.io/v1",
  kind: "MutatingWebhookConfiguration",
  metadata: { name },
  webhooks: hooks.map((h) => ({
    admissionReviewVersions: ["v1"],
    sideEffects: "None",
    clientConfig: { service: { name: "hook", namespace: "default", path: `/${String(h.name)}` }, caBundle: Buffer.from(CLUSTER_CA_PEM).toString("base64") },
    rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "configmaps"] }],
    ...h,
  })),
});

const pod = (name = "web", labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", labels }, spec: { containers: [{ name: "c", image: "nginx" }] } });
const objectOf = (r: Record<string, unknown>) => r.object as KObject;

test("a JSONPatch answer is applied and the object defaulted again (agnhost's mutating-pods init container)", () => {
  const seen: Seen[] = [];
  const patch = [{ op: "add", path: "/spec/initContainers", value: [{ image: "webhook-added-image", name: "webhook-added-init-container", resources: {} }] }];
  const api = serverWith(() => ({ response: { allowed: true, patch: b64(patch), patchType: "JSONPatch" } }), seen);
  api.create(conf("m", [{ name: "add-init.example.io" }]));
  const p = api.create(pod());
  const init = p.spec.initContainers[0];
  // Defaulted after the patch: the pull policy (Always: an image without a tag is :latest), the termination message fields.
  assert.deepEqual([init.name, init.image, init.imagePullPolicy, init.terminationMessagePolicy], ["webhook-added-init-container", "webhook-added-image", "Always", "File"]);
  // Mutating webhooks see the object before the registry gives it a uid.
  assert.equal(objectOf(seen[0]!.request).metadata.uid, undefined);
  assert.match(String(p.metadata.uid), /^[0-9a-f-]{36}$/);
});

test("configurations in name order, each one seeing what the ones before made; warnings reach the client once", () => {
  const seen: Seen[] = [];
  const api = serverWith((req) => {
    const labels = objectOf(req).metadata.labels ?? {};
    const n = Object.keys(labels).length;
    return { response: { allowed: true, warnings: ["labels are added"], patch: b64([{ op: "add", path: "/metadata/labels", value: { ...labels, [`l${n}`]: "x" } }]), patchType: "JSONPatch" } };
  }, seen);
  api.create(conf("b", [{ name: "second.example.io" }]));
  api.create(conf("a", [{ name: "first.example.io" }, { name: "first-again.example.io" }]));
  const warnings: string[] = [];
  const p = api.create(pod(), { warnings });
  assert.deepEqual(seen.map((s) => s.to), ["default/hook:443/first.example.io", "default/hook:443/first-again.example.io", "default/hook:443/second.example.io"]);
  assert.deepEqual(p.metadata.labels, { l0: "x", l1: "x", l2: "x" });
  assert.deepEqual(warnings, ["labels are added"]);
});

test("reinvocationPolicy IfNeeded: a webhook is called again when a later one changed the object; Never is not", () => {
  for (const policy of ["IfNeeded", "Never"]) {
    const seen: Seen[] = [];
    // add-label (agnhost's addlabel.go) first, then one that adds a second label.
    const api = serverWith((req) => {
      const labels = objectOf(req).metadata.labels ?? {};
      if (String(seen[seen.length - 1]!.to).endsWith("/add-label.example.io")) {
        if (labels["added-label"] === "yes") return { response: { allowed: true } };
        return { response: { allowed: true, patch: b64([{ op: "add", path: "/metadata/labels/added-label", value: "yes" }]), patchType: "JSONPatch" } };
      }
      if (labels.late) return { response: { allowed: true } };
      return { response: { allowed: true, patch: b64([{ op: "replace", path: "/metadata/labels", value: { late: "1" } }]), patchType: "JSONPatch" } };
    }, seen);
    api.create(conf("a", [{ name: "add-label.example.io", reinvocationPolicy: policy }]));
    api.create(conf("b", [{ name: "late.example.io" }]));
    const p = api.create(pod("web", { app: "web" }));
    if (policy === "IfNeeded") {
      assert.deepEqual(seen.map((s) => s.to.replace("default/hook:443/", "").replace(".example.io", "")), ["add-label", "late", "add-label"]);
      assert.deepEqual(p.metadata.labels, { late: "1", "added-label": "yes" });
    } else {
      assert.deepEqual(seen.map((s) => s.to.replace("default/hook:443/", "").replace(".example.io", "")), ["add-label", "late"]);
      assert.deepEqual(p.metadata.labels, { late: "1" });
    }
  }
});

test("the reinvocation runs the in-tree plugins again: a sidecar added by a webhook gets the service account token mount", () => {
  const api = serverWith(() => ({ response: { allowed: true, patch: b64([{ op: "add", path: "/spec/containers/-", value: { image: "busybox", name: "webhook-added-sidecar", resources: {} } }]), patchType: "JSONPatch" } }));
  api.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default" } });
  // The sidecar webhook (agnhost's mutating-pods-sidecar) would add one each time: it checks first.
  api.create(conf("m", [{ name: "sidecar.example.io", objectSelector: { matchExpressions: [{ key: "injected", operator: "DoesNotExist" }] } }]));
  const p = api.create(pod());
  assert.deepEqual(p.spec.containers.map((c: { name: string; volumeMounts?: Array<{ mountPath: string }> }) => [c.name, c.volumeMounts?.map((m) => m.mountPath)]), [
    ["c", ["/var/run/secrets/kubernetes.io/serviceaccount"]],
    ["webhook-added-sidecar", ["/var/run/secrets/kubernetes.io/serviceaccount"]],
  ]);
});

test("a denial, a failing call under Fail and Ignore, the patch errors", () => {
  const cases: Array<[unknown, string, string?]> = [
    [{ response: { allowed: false, status: { message: "the pod contains unwanted label;" } } }, '(400): admission webhook "m.example.io" denied the request: the pod contains unwanted label;'],
    [{ error: "context deadline exceeded" }, 'InternalError(500): Internal error occurred: failed calling webhook "m.example.io": failed to call webhook: Post "https://hook.default.svc:443/m.example.io?timeout=10s": context deadline exceeded'],
    [{ error: "context deadline exceeded" }, "admitted", "Ignore"],
    [{ response: { allowed: true, patch: b64([]) } }, 'InternalError(500): Internal error occurred: failed calling webhook "m.example.io": received invalid webhook response: webhook returned response.patch but not response.patchType'],
    [{ response: { allowed: true, patchType: "JSONPatch" } }, 'InternalError(500): Internal error occurred: failed calling webhook "m.example.io": received invalid webhook response: webhook returned response.patchType but not response.patch'],
    [{ response: { allowed: true, patch: b64({ op: "add" }), patchType: "JSONPatch" } }, 'InternalError(500): Internal error occurred: failed calling webhook "m.example.io": received undecodable patch in webhook response: json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    [{ response: { allowed: true, patch: b64([{ op: "add", path: "/x" }]), patchType: "MergePatch" } }, 'InternalError(500): Internal error occurred: failed calling webhook "m.example.io": unsupported patch type "MergePatch"'],
    [{ response: { allowed: true, patch: b64([{ op: "remove", path: "/spec/nothing" }]), patchType: "JSONPatch" } }, `InternalError(500): Internal error occurred: error in remove for path: '/spec/nothing': Unable to remove nonexistent key: nothing: missing value`],
    [{ response: { allowed: true, patch: b64([{ op: "remove", path: "/spec/nothing" }]), patchType: "JSONPatch" } }, `InternalError(500): Internal error occurred: error in remove for path: '/spec/nothing': Unable to remove nonexistent key: nothing: missing value`, "Ignore"],
  ];
  for (const [answer, want, failurePolicy] of cases) {
    const api = serverWith(() => answer as never);
    api.create(conf("m", [{ name: "m.example.io", ...(failurePolicy ? { failurePolicy } : {}) }]));
    assert.equal(refusal(() => api.create(pod())), want, JSON.stringify(answer));
  }
});

test("dry run: sideEffects None is called with dryRun; Some and Unknown refuse a dry run without calling", () => {
  const seen: Seen[] = [];
  const api = serverWith(() => ({ response: { allowed: true } }), seen);
  api.create(conf("m", [{ name: "m.example.io", sideEffects: "None" }]));
  assert.equal(refusal(() => api.create(pod(), { dryRun: true })), "admitted");
  assert.equal(seen[0]!.request.dryRun, true);
  // v1 refuses to store Some or Unknown (./validation.ts); a configuration stored by an older
  // version kept them, and the dispatcher still refuses dry runs for it.
  assert.match(refusal(() => api.create(conf("s", [{ name: "s.example.io", sideEffects: "Some" }]))), /webhooks\[0\]\.sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"/);
  const caller = webhookCallerOf(api)!;
  const stored = api.get("MutatingWebhookConfiguration", undefined, "m")!;
  const old = { uid: "m/s.example.io/0", configuration: "m", hook: { ...stored.webhooks[0], name: "s.example.io", sideEffects: "Some" } };
  const p = pod("other") as unknown as KObject;
  const attrs = { dryRun: true, resource: api.resource("Pod"), name: "other" };
  assert.equal(refusal(() => callHook(api, caller, old, hookRequest(p, "CREATE", undefined, attrs), true)), 'BadRequest(400): admission webhook "s.example.io" does not support dry run');
  assert.equal(seen.length, 1);
});
