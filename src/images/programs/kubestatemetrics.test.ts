import { test } from "node:test";
import assert from "node:assert/strict";
import type { Deployment, Pod } from "../../api/types.gen.ts";
import { DEPLOYMENTS, PODS, mapToPrometheusLabels, writeResource } from "./ksmstore.ts";
import { formatFloat as formatGoFloat } from "../../api/componentbase/textformat.ts";
import { parseAllowlist } from "./kubestatemetrics.ts";

test("values as kube-state-metrics writes them: 1, 0, -1 spelled out, else Go's FormatFloat(v, 'g', -1, 64)", () => {
  const cases: Array<[number, string]> = [
    [1, "1"], [0, "0"], [-1, "-1"], [0.25, "0.25"], [4, "4"], [110, "110"], [123456, "123456"],
    [1e6, "1e+06"], [1500000000, "1.5e+09"], [1704672007, "1.704672007e+09"], [8589934592, "8.589934592e+09"],
    [0.0001, "0.0001"], [0.00001, "1e-05"], [-2.5, "-2.5"], [NaN, "NaN"], [Infinity, "+Inf"], [-Infinity, "-Inf"], [1e21, "1e+21"],
  ];
  for (const [v, want] of cases) assert.equal(formatGoFloat(v), want, String(v));
});

test("labels to Prometheus labels: sorted keys, snake case, _conflictN for collisions (utils_test.go)", () => {
  assert.deepEqual(mapToPrometheusLabels({ "app.kubernetes.io/name": "x", team: "y" }, "label"), [["label_app_kubernetes_io_name", "label_team"], ["x", "y"]]);
  assert.deepEqual(mapToPrometheusLabels({ "foo.bar": "a", foo_bar: "b", "foo-bar": "c" }, "label"), [["label_foo_bar_conflict1", "label_foo_bar_conflict2", "label_foo_bar_conflict3"], ["c", "a", "b"]]);
  assert.deepEqual(mapToPrometheusLabels({ camelCase: "v" }, "annotation"), [["annotation_camel_case"], ["v"]]);
  assert.deepEqual(parseAllowlist("pods=[app,team],deployments=[*]"), new Map([["pods", ["app", "team"]], ["deployments", ["*"]]]));
});

/** Samples without headers, each line's labels sorted (upstream's tests compare them so). */
const normalized = (text: string) =>
  text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.replace(/\{(.*)\}/, (_, inner: string) => `{${inner.split(/,(?=[a-z_]+=")/).sort().join(",")}}`))
    .sort();

test("deployment families: upstream's depl1 case (internal/store/deployment_test.go at v2.15.0)", () => {
  const d = {
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: { name: "depl1", namespace: "ns1", creationTimestamp: new Date(1500000000 * 1000).toISOString(), annotations: { "company.io/team": "my-brilliant-team" }, labels: { app: "example1" }, generation: 21 },
    spec: { replicas: 200, selector: {}, template: {}, strategy: { rollingUpdate: { maxUnavailable: 10, maxSurge: 10 } } },
    status: { replicas: 15, readyReplicas: 10, availableReplicas: 10, unavailableReplicas: 5, updatedReplicas: 2, observedGeneration: 111, conditions: [{ type: "Available", status: "True" }, { type: "Progressing", status: "True" }] },
  } as unknown as Deployment;
  const text = writeResource(DEPLOYMENTS, [d], { labels: [], annotations: ["company.io/team"] });
  const want = `
kube_deployment_annotations{annotation_company_io_team="my-brilliant-team",deployment="depl1",namespace="ns1"} 1
kube_deployment_created{deployment="depl1",namespace="ns1"} 1.5e+09
kube_deployment_metadata_generation{deployment="depl1",namespace="ns1"} 21
kube_deployment_spec_paused{deployment="depl1",namespace="ns1"} 0
kube_deployment_spec_replicas{deployment="depl1",namespace="ns1"} 200
kube_deployment_spec_strategy_rollingupdate_max_surge{deployment="depl1",namespace="ns1"} 10
kube_deployment_spec_strategy_rollingupdate_max_unavailable{deployment="depl1",namespace="ns1"} 10
kube_deployment_status_observed_generation{deployment="depl1",namespace="ns1"} 111
kube_deployment_status_replicas_available{deployment="depl1",namespace="ns1"} 10
kube_deployment_status_replicas_unavailable{deployment="depl1",namespace="ns1"} 5
kube_deployment_status_replicas_updated{deployment="depl1",namespace="ns1"} 2
kube_deployment_status_replicas{deployment="depl1",namespace="ns1"} 15
kube_deployment_status_replicas_ready{deployment="depl1",namespace="ns1"} 10
kube_deployment_status_condition{condition="Available",deployment="depl1",namespace="ns1",status="true"} 1
kube_deployment_status_condition{condition="Progressing",deployment="depl1",namespace="ns1",status="true"} 1
kube_deployment_status_condition{condition="Available",deployment="depl1",namespace="ns1",status="false"} 0
kube_deployment_status_condition{condition="Progressing",deployment="depl1",namespace="ns1",status="false"} 0
kube_deployment_status_condition{condition="Available",deployment="depl1",namespace="ns1",status="unknown"} 0
kube_deployment_status_condition{condition="Progressing",deployment="depl1",namespace="ns1",status="unknown"} 0`;
  assert.deepEqual(normalized(text), normalized(want));
  // The headers: once per family, in the generator list's order, STABLE ones marked; labels without an allowlist: a header, no sample.
  const headers = text.split("\n").filter((l) => l.startsWith("# HELP")).map((l) => l.split(" ")[2]);
  assert.equal(headers[0], "kube_deployment_created");
  assert.equal(headers.at(-1), "kube_deployment_labels");
  assert.match(text, /^# HELP kube_deployment_annotations Kubernetes annotations converted to Prometheus labels\.\n# TYPE kube_deployment_annotations gauge\n/m);
  assert.match(text, /^# HELP kube_deployment_labels \[STABLE\] Kubernetes labels converted to Prometheus labels\.\n# TYPE kube_deployment_labels gauge\n$/m);
  // No objects: nothing at all, not even headers.
  assert.equal(writeResource(DEPLOYMENTS, [], { labels: [], annotations: [] }), "");
});

test("pod families: phase, restarts, waiting reason and the last termination, labelled namespace, pod, uid first", () => {
  const p = {
    apiVersion: "v1", kind: "Pod",
    metadata: { name: "crash", namespace: "default", uid: "u1", creationTimestamp: "2024-01-08T00:00:07Z" },
    spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "250m", memory: "64Mi" } } }], nodeName: "n1", restartPolicy: "Always" },
    status: {
      phase: "Running", qosClass: "Burstable",
      containerStatuses: [{ name: "c", image: "docker.io/library/busybox:latest", imageID: "", ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: "2024-01-08T00:00:40Z" } } }],
    },
  } as unknown as Pod;
  const lines = writeResource(PODS, [p], { labels: [], annotations: [] }).split("\n");
  const pick = (name: string) => lines.filter((l) => l.startsWith(name + "{"));
  assert.deepEqual(pick("kube_pod_status_phase"), ["Pending", "Succeeded", "Failed", "Unknown", "Running"].map((ph) => `kube_pod_status_phase{namespace="default",pod="crash",uid="u1",phase="${ph}"} ${ph === "Running" ? 1 : 0}`));
  assert.deepEqual(pick("kube_pod_container_status_restarts_total"), ['kube_pod_container_status_restarts_total{namespace="default",pod="crash",uid="u1",container="c"} 3']);
  assert.deepEqual(pick("kube_pod_container_status_waiting_reason"), ['kube_pod_container_status_waiting_reason{namespace="default",pod="crash",uid="u1",container="c",reason="CrashLoopBackOff"} 1']);
  assert.deepEqual(pick("kube_pod_container_status_last_terminated_exitcode"), ['kube_pod_container_status_last_terminated_exitcode{namespace="default",pod="crash",uid="u1",container="c"} 1']);
  assert.deepEqual(pick("kube_pod_container_resource_requests"), [
    'kube_pod_container_resource_requests{namespace="default",pod="crash",uid="u1",container="c",node="n1",resource="cpu",unit="core"} 0.25',
    'kube_pod_container_resource_requests{namespace="default",pod="crash",uid="u1",container="c",node="n1",resource="memory",unit="byte"} 6.7108864e+07',
  ]);
  assert.deepEqual(pick("kube_pod_owner"), ['kube_pod_owner{namespace="default",pod="crash",uid="u1",owner_kind="",owner_name="",owner_is_controller=""} 1']);
  // Phase unset: no samples (the header stays); the opt-in nodeselectors family is not written.
  const pending = writeResource(PODS, [{ ...p, status: {} } as Pod], { labels: [], annotations: [] });
  assert.doesNotMatch(pending, /^kube_pod_status_phase\{/m);
  assert.match(pending, /^# TYPE kube_pod_status_phase gauge$/m);
  assert.doesNotMatch(pending, /kube_pod_nodeselectors/);
  assert.match(pending, /^# HELP kube_pod_container_status_restarts_total \[STABLE\] The number of container restarts per container\.\n# TYPE kube_pod_container_status_restarts_total counter$/m);
});
