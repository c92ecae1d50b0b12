import { test } from "node:test";
import assert from "node:assert/strict";
import { admissionEvents, backgroundFailedEvent, emit, eventObject, policyEventMessage, scanEventInfos } from "./events.ts";
import type { EngineResponse } from "./engine.ts";
import type { Policy } from "./policy.ts";
import type { ApiServer } from "../../../api/store.ts";

const policy = { apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", metadata: { name: "require-labels", uid: "pol-uid" }, spec: {} } as unknown as Policy;
const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nginx", namespace: "default", uid: "dep-uid" } };
const gvk = { group: "apps", version: "v1", kind: "Deployment" };
const fail: EngineResponse = { policy, rules: [{ name: "autogen-check-team", type: "Validation", status: "fail", message: "validation error: label 'team' is required.", action: "Enforce" }] };
const passing: EngineResponse = { policy, rules: [{ name: "check-team", type: "Validation", status: "pass", message: "validation rule 'check-team' passed.", action: "Enforce" }] };

test("policyEventMessage: buildPolicyEventMessage's form, namespaced or not, blocked or not", () => {
  const rule = fail.rules[0]!;
  assert.equal(policyEventMessage(rule, { apiVersion: "apps/v1", kind: "Deployment", name: "nginx", namespace: "default", uid: "" }, true), "Deployment default/nginx: [autogen-check-team] fail (blocked); validation error: label 'team' is required.");
  assert.equal(policyEventMessage({ ...rule, message: "" }, { apiVersion: "v1", kind: "Namespace", name: "a", uid: "" }, false), "Namespace a: [autogen-check-team] fail");
});

test("admissionEvents: a blocked request gives the policy's event only", () => {
  const ev = admissionEvents([fail, passing], deployment, gvk, true);
  assert.deepEqual(ev, [
    {
      regarding: { apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", name: "require-labels", uid: "pol-uid" },
      related: { apiVersion: "apps/v1", kind: "Deployment", name: "nginx", namespace: "default", uid: "dep-uid" },
      reason: "PolicyViolation",
      message: "Deployment default/nginx: [autogen-check-team] fail (blocked); validation error: label 'team' is required.",
      action: "Resource Blocked",
    },
  ]);
});

test("admissionEvents: an allowed failure (Audit) gives the policy's and the resource's events; passes and unnamed resources none", () => {
  const ev = admissionEvents([fail], deployment, gvk, false);
  assert.deepEqual(
    ev.map((e) => [e.regarding.kind, e.action, e.message]),
    [
      ["ClusterPolicy", "Resource Passed", "Deployment default/nginx: [autogen-check-team] fail; validation error: label 'team' is required."],
      ["Deployment", "Resource Passed", "policy require-labels/autogen-check-team fail: validation error: label 'team' is required."],
    ],
  );
  assert.deepEqual(admissionEvents([passing], deployment, gvk, false), []);
  assert.deepEqual(admissionEvents([fail], { metadata: { generateName: "x-" } }, gvk, false), []);
});

test("scanEventInfos: the resource's event, then the policy's, for each rule that fails or errs", () => {
  const ev = scanEventInfos([fail, passing], deployment, gvk);
  assert.deepEqual(
    ev.map((e) => e.regarding.kind),
    ["Deployment", "ClusterPolicy"],
  );
});

test("eventObject: events.k8s.io/v1, named by the regarding object and the time, in default for a cluster-scoped one", () => {
  const [info] = admissionEvents([fail], deployment, gvk, true);
  const e = eventObject(info!, "kyverno-admission", "kyverno-admission-controller-abc", Date.parse("2024-01-08T00:01:00.250Z"), 3) as Record<string, unknown>;
  assert.deepEqual(e, {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name: `require-labels.${(BigInt(Date.parse("2024-01-08T00:01:00.250Z")) * 1_000_000n + 3n).toString(16)}`, namespace: "default" },
    eventTime: "2024-01-08T00:01:00.250000Z",
    reportingController: "kyverno-admission",
    reportingInstance: "kyverno-admission-kyverno-admission-controller-abc",
    action: "Resource Blocked",
    reason: "PolicyViolation",
    regarding: info!.regarding,
    related: info!.related,
    note: info!.message,
    type: "Warning",
  });
  const long = eventObject({ ...info!, message: "x".repeat(2000), reason: "PolicyApplied" }, "s", "h", 0, 0) as { note: string; type: string };
  assert.equal(long.note.length, 1024);
  assert.ok(long.note.endsWith("..."));
  assert.equal(long.type, "Normal");
});

test("emit: --omitEvents drops a reason; each event is created through the sink's client", () => {
  const created: Array<Record<string, unknown>> = [];
  const client = { create: (o: Record<string, unknown>) => (created.push(o), o) } as unknown as ApiServer;
  const sink = { client: () => client, now: () => 0, source: "kyverno-scan", hostname: "h", omit: new Set(["PolicyApplied"]) };
  const infos = scanEventInfos([fail], deployment, gvk);
  emit(sink, [...infos, { ...infos[0]!, reason: "PolicyApplied" }]);
  assert.equal(created.length, 2);
  assert.notEqual((created[0]!.metadata as { name: string }).name, (created[1]!.metadata as { name: string }).name);
  emit({ ...sink, client: () => undefined }, infos);
  assert.equal(created.length, 2);
});

test("backgroundFailedEvent: PolicyError on the policy, the trigger related by kind, namespace and name only", () => {
  const info = backgroundFailedEvent(policy, "sync-image-pull-secret", { kind: "Namespace", namespace: "", name: "mytestns" }, "secrets is forbidden");
  assert.deepEqual(info, {
    regarding: { apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", name: "require-labels", uid: "pol-uid" },
    related: { kind: "Namespace", name: "mytestns" },
    reason: "PolicyError",
    message: "policy require-labels/sync-image-pull-secret error: secrets is forbidden",
    action: "None",
  });
  assert.equal(backgroundFailedEvent(policy, "", { kind: "Pod", name: "p" }, "e").message, "policy require-labels error: e");
  const e = eventObject(info, "kyverno-generate", "h", 0, 0) as { related: unknown; type: string; metadata: { namespace: string } };
  assert.deepEqual(e.related, { kind: "Namespace", name: "mytestns" });
  assert.equal(e.type, "Warning");
  assert.equal(e.metadata.namespace, "default");
});
