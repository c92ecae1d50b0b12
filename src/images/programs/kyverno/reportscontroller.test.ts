import { test } from "node:test";
import assert from "node:assert/strict";
import type { Cluster } from "../../../cluster.ts";
import { installed, run } from "./testutil.ts";
import type { KObject } from "../../../api/types.ts";
import { CLUSTER_POLICY_REPORTS, EPHEMERAL_REPORTS, POLICY_REPORTS, type ReportResult } from "./reports.ts";


const reportOf = (c: Cluster, ns: string, name: string) => c.api.get(POLICY_REPORTS, ns, c.api.get("Pod", ns, name)?.metadata.uid ?? "") as unknown as { results: ReportResult[]; summary: Record<string, number>; scope: Record<string, string> } | undefined;

const auditPolicy = (background: boolean) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
  annotations:
    policies.kyverno.io/severity: medium
    policies.kyverno.io/category: Best Practices
spec:
  background: ${background}
  rules:
  - name: check-team
    match:
      any:
      - resources:
          kinds:
          - Pod
          namespaces:
          - default
    validate:
      failureAction: Audit
      message: "label 'team' is required"
      pattern:
        metadata:
          labels:
            team: "?*"
`;

test("admission: an Audit failure is let through and reported 20 seconds later; the EphemeralReport is gone once merged", () => {
  const c = installed();
  run(c, ["create", "-f", "-"], auditPolicy(false));
  c.advanceSync(2_000);
  run(c, ["run", "web", "--image", "nginx"]);
  const eph = () => c.api.list(EPHEMERAL_REPORTS, { namespace: "default" });
  assert.equal(eph().length, 1, "the admission report");
  assert.equal(eph()[0]!.metadata.labels?.["audit.kyverno.io/source"], "admission");
  c.advanceSync(10_000);
  assert.equal(reportOf(c, "default", "web"), undefined, "adopted, not yet merged");
  assert.deepEqual(eph()[0]!.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`), ["Pod/web"]);
  c.advanceSync(10_000);
  const r = reportOf(c, "default", "web")!;
  assert.deepEqual(r.summary, { error: 0, fail: 1, pass: 0, skip: 0, warn: 0 });
  assert.equal(r.results[0]!.severity, "medium");
  assert.equal(r.results[0]!.category, "Best Practices");
  assert.deepEqual(r.results[0]!.properties, { process: "admission review" });
  assert.equal(r.scope.name, "web");
  assert.equal(eph().length, 0);
  // background: false: no scan, so nothing else arrives.
  c.advanceSync(120_000);
  assert.equal(c.api.list(POLICY_REPORTS).length, 1);
  // The Events of the allowed failure: on the Pod, and on the policy (in default).
  const notes = c.api
    .list("Event", { namespace: "default" })
    .filter((e) => (e as unknown as { reason: string }).reason === "PolicyViolation")
    .map((e) => (e as unknown as { message?: string; note?: string }).message ?? (e as unknown as { note?: string }).note);
  assert.deepEqual(notes.sort(), ["Pod default/web: [check-team] fail; validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/", "policy require-team/check-team fail: validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/"]);
});

test("background scan: existing resources scanned when the policy arrives, after a change and every hour; a deleted policy's results go", () => {
  const c = installed();
  run(c, ["run", "old", "--image", "nginx"]);
  run(c, ["create", "-f", "-"], auditPolicy(true));
  c.advanceSync(15_000);
  const first = reportOf(c, "default", "old")!;
  assert.deepEqual(first.summary, { error: 0, fail: 1, pass: 0, skip: 0, warn: 0 });
  const t0 = first.results[0]!.timestamp.seconds;
  run(c, ["label", "pod", "old", "team=a"]);
  // The label's UPDATE is itself admitted and reported (20 s); the scan follows 30 s after the change.
  c.advanceSync(45_000);
  const second = reportOf(c, "default", "old")!;
  assert.equal(second.summary.pass, 1);
  const t1 = second.results[0]!.timestamp.seconds;
  assert.ok(t1 > t0);
  c.advanceSync(3_600_000);
  assert.ok(reportOf(c, "default", "old")!.results[0]!.timestamp.seconds >= t1 + 3600, "rescanned at --backgroundScanInterval");
  run(c, ["delete", "clusterpolicy", "require-team"]);
  c.advanceSync(15_000);
  assert.equal(reportOf(c, "default", "old"), undefined);
  assert.equal(c.api.list(CLUSTER_POLICY_REPORTS).length, 0);
});

test("aggregate: an admission report whose resource never appears is deleted after two minutes", () => {
  const c = installed();
  c.api.create({
    apiVersion: "reports.kyverno.io/v1",
    kind: "EphemeralReport",
    metadata: { name: "ghost-report", namespace: "default", labels: { "app.kubernetes.io/managed-by": "kyverno", "audit.kyverno.io/resource.gvr": "pods.v1", "audit.kyverno.io/source": "admission" }, annotations: { "audit.kyverno.io/resource.namespace": "default", "audit.kyverno.io/resource.name": "ghost" } },
    spec: { owner: { apiVersion: "", kind: "", name: "", uid: "" } },
  } as unknown as KObject);
  c.advanceSync(100_000);
  assert.ok(c.api.get(EPHEMERAL_REPORTS, "default", "ghost-report"), "kept while it may still be adopted");
  c.advanceSync(40_000);
  assert.equal(c.api.get(EPHEMERAL_REPORTS, "default", "ghost-report"), undefined);
});

test("admission: a mutate rule's result is reported too (--enableReporting mutate), adopted by name once the Pod exists", () => {
  const c = installed();
  run(c, ["create", "-f", "exercises/apps/kyverno/add-labels.yaml"]);
  c.advanceSync(2_000);
  run(c, ["run", "web", "--image", "nginx"]);
  const pod = c.api.get("Pod", "default", "web")!;
  assert.equal(pod.metadata.labels?.team, "bravo");
  // BuildMutationReport at the mutating webhook: the Pod has no uid yet, so the report names it only.
  const eph = c.api.list(EPHEMERAL_REPORTS, { namespace: "default" });
  assert.equal(eph.length, 1);
  assert.equal(eph[0]!.metadata.labels?.["audit.kyverno.io/resource.uid"], "");
  assert.equal(eph[0]!.metadata.annotations?.["audit.kyverno.io/resource.name"], "web");
  c.advanceSync(20_000);
  const r = reportOf(c, "default", "web")!;
  assert.ok(r, "adopted by name and merged into the Pod's PolicyReport");
  assert.deepEqual(
    r.results.map((x) => ({ policy: x.policy, rule: x.rule, result: x.result, message: x.message, properties: x.properties })),
    [{ policy: "add-labels", rule: "add-team", result: "pass", message: "mutated Pod/web in namespace default", properties: { process: "background scan" } }],
  );
  // A Pod that already has the label: the rule passes with nothing to patch, and is reported as well.
  run(c, ["run", "db", "--image", "nginx", "--labels", "team=alpha"]);
  c.advanceSync(20_000);
  assert.equal(reportOf(c, "default", "db")?.results[0]?.message, "mutated Pod/db in namespace default");
  // A dry run is not reported.
  run(c, ["run", "dry", "--image", "nginx", "--dry-run=server"]);
  assert.equal(c.api.list(EPHEMERAL_REPORTS, { namespace: "default" }).length, 0);
});
