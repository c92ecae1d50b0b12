/**
 * The background controller (./background.ts, pkg/background/generate at v1.14.5) on a cluster with
 * the release installed: a `data` and a `clone` generate rule carried out from their UpdateRequests
 * (the target's labels, variables, the clone source's label), the request deleted once Completed,
 * the generate result reported on the trigger (BuildGenerateReport, `generated-resources`), and a
 * generate rule the controller may not carry out: the request Failed, retried, and a PolicyError
 * Event on the policy.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { installed, run } from "./testutil.ts";
import { CLUSTER_EPHEMERAL_REPORTS, CLUSTER_POLICY_REPORTS, type ReportResult } from "./reports.ts";
import { UPDATE_REQUESTS } from "./common.ts";


// The Kyverno docs' generate example: a ConfigMap of the new Namespace's name in it.
const dataPolicy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: zk-kafka-address
spec:
  rules:
  - name: k-kafka-address
    match:
      any:
      - resources:
          kinds:
          - Namespace
    exclude:
      any:
      - resources:
          namespaces:
          - kube-system
          - default
          - kube-public
          - kyverno
    generate:
      synchronize: true
      apiVersion: v1
      kind: ConfigMap
      name: zk-kafka-address
      namespace: "{{request.object.metadata.name}}"
      data:
        kind: ConfigMap
        metadata:
          labels:
            somekey: somevalue
        data:
          ZK_ADDRESS: "192.168.10.10:2181,192.168.10.11:2181"
          KAFKA_ADDRESS: "192.168.10.13:9092,192.168.10.14:9092"
          NAMESPACE: "{{request.object.metadata.name}}"
`;

test("a data rule: the target made from the trigger, labelled as common.ManageLabels does; the UpdateRequest deleted", () => {
  const c = installed();
  run(c, ["create", "-f", "-"], dataPolicy);
  c.advanceSync(2_000);
  run(c, ["create", "namespace", "team-a"]);
  c.advanceSync(1_000);
  const cm = c.api.get("ConfigMap", "team-a", "zk-kafka-address");
  assert.ok(cm, "generated");
  assert.deepEqual((cm as unknown as { data: Record<string, string> }).data, { KAFKA_ADDRESS: "192.168.10.13:9092,192.168.10.14:9092", NAMESPACE: "team-a", ZK_ADDRESS: "192.168.10.10:2181,192.168.10.11:2181" });
  const ns = c.api.get("Namespace", undefined, "team-a")!;
  assert.deepEqual(cm.metadata.labels, {
    somekey: "somevalue",
    "app.kubernetes.io/managed-by": "kyverno",
    "generate.kyverno.io/policy-name": "zk-kafka-address",
    "generate.kyverno.io/policy-namespace": "",
    "generate.kyverno.io/rule-name": "k-kafka-address",
    "generate.kyverno.io/trigger-group": "",
    "generate.kyverno.io/trigger-kind": "Namespace",
    "generate.kyverno.io/trigger-namespace": "",
    "generate.kyverno.io/trigger-uid": ns.metadata.uid,
    "generate.kyverno.io/trigger-version": "v1",
  });
  assert.deepEqual(c.api.list(UPDATE_REQUESTS), [], "Completed requests are deleted");
  // A Namespace's update is no new trigger for a data rule: nothing more is made.
  run(c, ["label", "namespace", "team-a", "tier=gold"]);
  c.advanceSync(1_000);
  assert.equal(c.api.list("ConfigMap", { namespace: "team-a" }).filter((o) => o.metadata.name === "zk-kafka-address").length, 1);
});

test("the generate result is reported on the trigger, with the resources it generated (--enableReporting generate)", () => {
  const c = installed();
  run(c, ["create", "-f", "-"], dataPolicy);
  c.advanceSync(2_000);
  run(c, ["create", "namespace", "team-b"]);
  c.advanceSync(1_000);
  const ns = c.api.get("Namespace", undefined, "team-b")!;
  const eph = c.api.list(CLUSTER_EPHEMERAL_REPORTS).filter((r) => r.metadata.labels?.["audit.kyverno.io/resource.uid"] === ns.metadata.uid);
  assert.equal(eph.length, 1, "the background controller's report");
  assert.equal(eph[0]!.metadata.labels?.["audit.kyverno.io/source"], "background-scan");
  assert.equal(eph[0]!.metadata.labels?.["audit.kyverno.io/resource.kind"], "Namespace");
  assert.deepEqual(eph[0]!.metadata.ownerReferences?.map((o) => `${o.apiVersion}/${o.kind}/${o.name}`), ["v1/Namespace/team-b"]);
  c.advanceSync(15_000);
  const report = c.api.get(CLUSTER_POLICY_REPORTS, undefined, ns.metadata.uid!) as unknown as { results: ReportResult[]; summary: Record<string, number> } | undefined;
  assert.ok(report, "merged into the Namespace's ClusterPolicyReport");
  assert.deepEqual(
    report.results.map((r) => ({ policy: r.policy, rule: r.rule, result: r.result, message: r.message, properties: r.properties })),
    [{ policy: "zk-kafka-address", rule: "k-kafka-address", result: "pass", message: undefined, properties: { "generated-resources": "/v1, Kind=ConfigMap Name=zk-kafka-address Namespace=team-b", process: "background scan" } }],
  );
  assert.equal(report.summary.pass, 1);
});

test("a generate rule the controller may no longer carry out: Failed, retried, a PolicyError Event; nothing reported", () => {
  const c = installed();
  // The Quick Start's ClusterRoles let the policy in (the policy webhook checks both controllers' permissions) ...
  run(c, ["apply", "-f", "-"], `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kyverno:secrets:view
  labels:
    rbac.kyverno.io/aggregate-to-admission-controller: "true"
    rbac.kyverno.io/aggregate-to-background-controller: "true"
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kyverno:secrets:manage
  labels:
    rbac.kyverno.io/aggregate-to-background-controller: "true"
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [create, update, delete]
`);
  run(c, ["create", "secret", "generic", "regcred", "-n", "default", "--from-literal=k=v"]);
  c.advanceSync(1_000);
  run(c, ["create", "-f", "exercises/apps/kyverno/sync-secrets.yaml"]);
  c.advanceSync(2_000);
  // ... then the background controller's write permission goes.
  run(c, ["delete", "clusterrole", "kyverno:secrets:manage"]);
  c.advanceSync(1_000);
  run(c, ["create", "namespace", "team-c"]);
  c.advanceSync(1_000);
  assert.equal(c.api.get("Secret", "team-c", "regcred"), undefined);
  const urs = c.api.list(UPDATE_REQUESTS) as unknown as Array<{ status?: { state?: string; message?: string; retryCount?: number } }>;
  assert.equal(urs.length, 1);
  assert.equal(urs[0]!.status?.state, "Failed");
  assert.match(urs[0]!.status?.message ?? "", /forbidden/);
  c.advanceSync(35_000);
  const after = c.api.list(UPDATE_REQUESTS) as unknown as Array<{ status?: { retryCount?: number } }>;
  assert.equal(after[0]!.status?.retryCount, 3, "retried every 10 seconds, three times");
  // events.k8s.io/v1 Events, stored as core Events: regarding the policy, from kyverno-generate.
  const events = c.api.list("Event", { namespace: "default" }).map((e) => e as unknown as { reason: string; reportingComponent?: string; involvedObject: { kind: string; name: string } });
  const failed = events.filter((e) => e.reason === "PolicyError");
  assert.ok(failed.length >= 1);
  for (const e of failed) assert.deepEqual([e.reportingComponent, e.involvedObject.kind, e.involvedObject.name], ["kyverno-generate", "ClusterPolicy", "sync-secrets"]);
  const ns = c.api.get("Namespace", undefined, "team-c")!;
  assert.equal(c.api.list(CLUSTER_EPHEMERAL_REPORTS).filter((r) => r.metadata.labels?.["audit.kyverno.io/resource.uid"] === ns.metadata.uid).length, 0);
});
