import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";
import { loadSchedulerConfig } from "./kubescheduler.ts";

const IMAGE = "gcr.io/my-gcp-project/my-kube-scheduler:1.0";

test("loadSchedulerConfig: v1 only, v1's defaults, the flags over the file", () => {
  const cases: Array<[string, ReturnType<typeof loadSchedulerConfig>]> = [
    ["apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n", { schedulerNames: ["default-scheduler"], leaderElect: true, resourceNamespace: "kube-system", resourceName: "kube-scheduler" }],
    [
      "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: my-scheduler\n  - schedulerName: other\nleaderElection:\n  leaderElect: false\n",
      { schedulerNames: ["my-scheduler", "other"], leaderElect: false, resourceNamespace: "kube-system", resourceName: "kube-scheduler" },
    ],
    [
      "apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration\n",
      'no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io/v1beta2" in scheme "pkg/scheduler/apis/config/scheme/scheme.go:29"',
    ],
    [
      "apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n",
      'no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io/v1beta3" in scheme "pkg/scheduler/apis/config/scheme/scheme.go:29"',
    ],
    ["apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: a\n  - schedulerName: a\n", 'profiles[1].schedulerName: Duplicate value: "a"'],
  ];
  for (const [text, want] of cases) assert.deepEqual(loadSchedulerConfig(text), want, text);
  assert.deepEqual(
    loadSchedulerConfig("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nleaderElection:\n  leaderElect: false\n", { leaderElect: "true", resourceName: "mine" }),
    { schedulerNames: ["default-scheduler"], leaderElect: true, resourceNamespace: "kube-system", resourceName: "mine" },
  );
  assert.match(loadSchedulerConfig("profiles: [] \n") as string, /^Object 'Kind' is missing in /);
});

/** The page's ServiceAccount and bindings, a ConfigMap of this configuration and a pod of the page's image that mounts it. */
function deploy(c: Cluster, config: string, args: string[] = []): void {
  const indented = config.replace(/^/gm, "    ");
  c.applySync(`apiVersion: v1
kind: ServiceAccount
metadata: {name: my-scheduler, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: my-scheduler-as-kube-scheduler}
subjects: [{kind: ServiceAccount, name: my-scheduler, namespace: kube-system}]
roleRef: {kind: ClusterRole, name: "system:kube-scheduler", apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: my-scheduler-as-volume-scheduler}
subjects: [{kind: ServiceAccount, name: my-scheduler, namespace: kube-system}]
roleRef: {kind: ClusterRole, name: "system:volume-scheduler", apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: my-scheduler-config, namespace: kube-system}
data:
  my-scheduler-config.yaml: |
${indented}
---
apiVersion: v1
kind: Pod
metadata: {name: my-scheduler, namespace: kube-system}
spec:
  serviceAccountName: my-scheduler
  containers:
  - name: kube-second-scheduler
    image: ${IMAGE}
    command: ${JSON.stringify(["/usr/local/bin/kube-scheduler", "--bind-address=0.0.0.0", "--config=/etc/kubernetes/my-scheduler/my-scheduler-config.yaml", ...args])}
    volumeMounts: [{name: config-volume, mountPath: /etc/kubernetes/my-scheduler}]
  volumes: [{name: config-volume, configMap: {name: my-scheduler-config}}]
`);
}

function pod(c: Cluster, name: string, schedulerName: string): void {
  c.applySync(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  schedulerName: ${schedulerName}\n  containers: [{name: c, image: registry.k8s.io/pause:3.8}]\n`);
}

const logs = (c: Cluster) => c.kubectlSync("logs -n kube-system my-scheduler").stdout;
const nodeOf = (c: Cluster, name: string) => c.api.get("Pod", "default", name)!.spec?.nodeName;

test("a v1 configuration: it serves /healthz on 10259 over HTTPS, not 10251, and schedules the pods of its profile", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  pod(c, "early", "my-scheduler");
  deploy(c, "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: my-scheduler\nleaderElection:\n  leaderElect: false\n");
  c.advanceSync(10_000);
  assert.equal(nodeOf(c, "early"), "node1");
  pod(c, "later", "my-scheduler");
  pod(c, "nobody", "absent");
  c.advanceSync(1_000);
  assert.equal(nodeOf(c, "later"), "node1");
  assert.equal(nodeOf(c, "nobody"), undefined);
  const ip = c.api.get("Pod", "kube-system", "my-scheduler")!.status!.podIP;
  const healthz = requestAndWait(c.ctx, `http://${ip}:10259/healthz`).outcome;
  assert.ok(healthz.ok && healthz.tls && healthz.status === 200 && healthz.body === "ok");
  const insecure = requestAndWait(c.ctx, `http://${ip}:10251/healthz`).outcome;
  assert.ok(!insecure.ok);
  const l = logs(c);
  assert.match(l, /^I\d{4} [\d:.]+ {7}1 serving\.go:386\] Generated self-signed cert in-memory\n/);
  // The page's bindings do not let it read the authentication ConfigMap: the warnings, and it goes on.
  assert.match(l, /authentication\.go:397\] Error looking up in-cluster authentication configuration: configmaps "extension-apiserver-authentication" is forbidden: User "system:serviceaccount:kube-system:my-scheduler" cannot get resource "configmaps" in API group "" in the namespace "kube-system"\n/);
  assert.match(l, /secure_serving\.go:213\] Serving securely on \[::\]:10259\n/);
  assert.doesNotMatch(l, /leaderelection/);
  const scheduled = c.api.list("Event").find((e) => e.involvedObject.name === "later" && e.reason === "Scheduled")!;
  assert.equal(scheduled.reportingComponent, "my-scheduler");
});

test("the scheduler's pod deleted: its pods stay Pending until another runs", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  deploy(c, "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: my-scheduler\nleaderElection:\n  leaderElect: false\n");
  c.advanceSync(10_000);
  c.kubectlSync("delete pod -n kube-system my-scheduler");
  c.advanceSync(1_000);
  pod(c, "orphan", "my-scheduler");
  c.advanceSync(60_000);
  assert.equal(nodeOf(c, "orphan"), undefined);
});

test("without RBAC for pods and nodes: the reflector's errors, retried, and nothing scheduled", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  deploy(c, "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: my-scheduler\nleaderElection:\n  leaderElect: false\n");
  c.kubectlSync("delete clusterrolebinding my-scheduler-as-kube-scheduler");
  c.kubectlSync("delete pod -n kube-system my-scheduler");
  c.applySync(`apiVersion: v1\nkind: Pod\nmetadata: {name: my-scheduler, namespace: kube-system}\nspec:\n  serviceAccountName: my-scheduler\n  containers:\n  - name: kube-second-scheduler\n    image: ${IMAGE}\n    command: ["/usr/local/bin/kube-scheduler", "--leader-elect=false"]\n`);
  pod(c, "mine", "my-scheduler");
  c.advanceSync(10_000);
  const l = logs(c);
  assert.match(l, /W\d{4} [\d:.]+ {7}1 reflector\.go:569\] k8s\.io\/client-go\/informers\/factory\.go:160: failed to list \*v1\.Pod: pods is forbidden: User "system:serviceaccount:kube-system:my-scheduler" cannot list resource "pods" in API group "" at the cluster scope\n/);
  assert.match(l, /E\d{4} [\d:.]+ {7}1 reflector\.go:166\] "Unhandled Error" err="k8s\.io\/client-go\/informers\/factory\.go:160: Failed to watch \*v1\.Node: failed to list \*v1\.Node: nodes is forbidden: /);
  // 0, 1, 3, 7 s: four attempts in 10 s.
  assert.equal(l.split("\n").filter((x) => x.includes("reflector.go:569] k8s.io/client-go/informers/factory.go:160: failed to list *v1.Pod")).length, 4);
  assert.equal(nodeOf(c, "mine"), undefined);
});

test("the page's v1beta2 configuration and the removed --address flag end the command", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  deploy(c, "apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: my-scheduler\n");
  c.advanceSync(5_000);
  assert.match(logs(c), /E\d{4} [\d:.]+ {7}1 run\.go:72\] "command failed" err="no kind \\"KubeSchedulerConfiguration\\" is registered for version \\"kubescheduler\.config\.k8s\.io\/v1beta2\\" in scheme \\"pkg\/scheduler\/apis\/config\/scheme\/scheme\.go:29\\""\n$/);
  const st = c.api.get("Pod", "kube-system", "my-scheduler")!.status!.containerStatuses![0]!;
  assert.equal(st.lastState?.terminated?.exitCode ?? st.state?.terminated?.exitCode, 1);

  const d = new Cluster();
  d.addNodesFromTable([{ name: "node1" }]);
  deploy(d, "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n", ["--address=0.0.0.0"]);
  d.advanceSync(5_000);
  assert.equal(logs(d), "Error: unknown flag: --address\n");
});
