/**
 * The managedFields the in-process kubectl's writes record are the ones the real kubectl v1.32
 * records through `kube-scenario serve` for the same commands (the manager each command sends as
 * `?fieldManager=`, else its User-Agent's `kubectl`; the operation, subresource and fields): the
 * same command lines run against the facade with /usr/bin/kubectl and against a Cluster's own
 * kubectl, and every object's entries compared (all but their time).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import type { KObject } from "../api/types.ts";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm1, labels: {app: cm1}}\ndata: {a: b}\n";
const CM2 = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm1, labels: {app: cm1}}\ndata: {a: c, d: e}\n";
const CM3 = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm3}\ndata: {x: z1}\n";
const DEPLOY = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx-deployment, labels: {app: nginx}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: "nginx:1.14.2", ports: [{containerPort: 80}]}]
`;

/** Each step: the command line, the manifest it reads as `-f -` (standard input), and its exit code when not 0. */
const STEPS: Array<[string, string?, number?]> = [
  ["create -f -", CM],
  ["apply -f -", CM2],
  ["label cm cm1 tier=web"],
  ["annotate cm cm1 note=x"],
  ["patch cm cm1 -p {\"data\":{\"p\":\"q\"}}"],
  ["apply -f -", CM3],
  ["replace -f -", CM3.replace("z1", "z2")],
  ["create deployment web --image=nginx"],
  ["scale deployment web --replicas=3"],
  ["set image deployment/web nginx=nginx:1.27"],
  ["set env deployment/web A=1"],
  ["rollout restart deployment/web"],
  ["rollout pause deployment/web"],
  ["rollout resume deployment/web"],
  ["patch deployment web --subresource=scale -p {\"spec\":{\"replicas\":4}}"],
  ["apply --server-side -f -", DEPLOY(3)],
  ["scale deployment nginx-deployment --replicas=5"],
  // The scale took .spec.replicas: applying 3 again conflicts with its manager.
  ["apply --server-side -f -", DEPLOY(3), 1],
  ["autoscale deployment nginx-deployment --max=4"],
  ["expose deployment nginx-deployment --port=80"],
  ["taint node k8s-node1 a=b:NoSchedule"],
  ["cordon k8s-node2"],
  ["create configmap cm4 --from-literal=k=v"],
  // The upgrade from client-side apply: kubectl moves the client-side apply's fields to its Apply entry.
  ["apply -f -", DEPLOY(2).replace("nginx-deployment", "up")],
  ["apply --server-side -f -", DEPLOY(2).replace("nginx-deployment", "up").replace("1.14.2", "1.16.1")],
];

type Entry = { manager: string; operation: string; apiVersion: string; subresource?: string; fieldsV1: unknown };
const entries = (o: KObject) => ((o.metadata.managedFields ?? []) as Entry[]).map(({ manager, operation, apiVersion, subresource, fieldsV1 }) => ({ manager, operation, apiVersion, subresource, fieldsV1 }));

function snapshot(c: Cluster): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [kind, ns, name] of [["ConfigMap", "default", "cm1"], ["ConfigMap", "default", "cm3"], ["ConfigMap", "default", "cm4"], ["Deployment", "default", "web"], ["Deployment", "default", "nginx-deployment"], ["Deployment", "default", "up"], ["HorizontalPodAutoscaler", "default", "nginx-deployment"], ["Service", "default", "nginx-deployment"], ["Node", undefined, "k8s-node1"], ["Node", undefined, "k8s-node2"]] as const) {
    const o = c.api.get(kind, ns, name);
    out[`${kind}/${name}`] = o && entries(o);
  }
  return out;
}

const CONFLICT = 'error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas\nPlease review the fields above--they currently have other managers.';

test("the in-process kubectl records the managedFields the real kubectl v1.32.4 records through the facade", { skip: NO_KUBECTL, timeout: 120_000 }, async (t) => {
  let viaFacade: Record<string, unknown> = {};
  await withKubectl(t, async ({ kubectl, cluster }) => {
    for (const [line, stdin, code = 0] of STEPS) {
      const r = await kubectl(line.split(" "), stdin);
      assert.equal(r.code, code, `${line}: ${r.err}`);
      if (code) assert.ok(r.err.startsWith(CONFLICT), r.err);
    }
    viaFacade = snapshot(cluster);
  });
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
  for (const [line, stdin, code = 0] of STEPS) {
    const r = await c.kubectl(line.split(" "), stdin);
    assert.equal(r.exitCode, code, `${line}: ${r.stderr}`);
    if (code) assert.ok(r.stderr.startsWith(CONFLICT), r.stderr);
  }
  const inProcess = snapshot(c);
  for (const key of Object.keys(viaFacade)) assert.deepEqual(inProcess[key], viaFacade[key], key);
  const managers = (key: string) => (inProcess[key] as Entry[]).map((e) => `${e.manager}/${e.operation}${e.subresource ? "/" + e.subresource : ""}`);
  assert.deepEqual(managers("ConfigMap/cm1"), ["kubectl-create/Update", "kubectl-client-side-apply/Update", "kubectl-label/Update", "kubectl-annotate/Update", "kubectl-patch/Update"]);
  // The replace sent data.x changed and no last-applied annotation: it took or removed all the apply had.
  assert.deepEqual(managers("ConfigMap/cm3"), ["kubectl-replace/Update"]);
  // The scale patch took .spec.replicas from kubectl scale, which then owned nothing.
  assert.deepEqual(managers("Deployment/web"), ["kubectl-create/Update", "kubectl-set/Update", "kubectl-rollout/Update", "kubectl-patch/Update/scale"]);
  assert.deepEqual(managers("Deployment/nginx-deployment"), ["kubectl/Apply", "kubectl/Update/scale"]);
  assert.deepEqual(managers("HorizontalPodAutoscaler/nginx-deployment"), ["kubectl-autoscale/Update"]);
  assert.deepEqual(managers("Service/nginx-deployment"), ["kubectl-expose/Update"]);
  assert.deepEqual(managers("Node/k8s-node1"), ["kubectl-taint/Update"]);
  assert.deepEqual(managers("Node/k8s-node2"), ["kubectl/Update"]);
  assert.deepEqual(managers("Deployment/up"), ["kubectl/Apply", "kubectl-last-applied/Apply"]);
});

/** What each output format prints of managedFields: the same command lines with the real kubectl through the facade and in process. */
const PRINTS: string[][] = [
  ["get", "cm", "cm1", "-o", "jsonpath={.metadata.managedFields[*].manager}"],
  ["get", "cm", "cm1", "-o", "go-template={{range .metadata.managedFields}}{{.manager}} {{end}}"],
  ["get", "cm", "cm1", "-o", "custom-columns=M:.metadata.managedFields[0].manager"],
  ["get", "cm", "-o", "jsonpath={.items[0].metadata.managedFields[0].operation}"],
  // JSON and YAML leave them out (OmitManagedFieldsPrinter) unless asked.
  ["get", "cm", "cm1", "-o", "yaml"],
  ["get", "cm", "cm1", "-o", "json", "--show-managed-fields"],
  ["create", "configmap", "cm5", "--from-literal=k=v", "-o", "jsonpath={.metadata.managedFields[0].manager}"],
];

test("JSONPath, Go templates and custom columns print managedFields as the real kubectl does; JSON and YAML leave them out", { skip: NO_KUBECTL, timeout: 120_000 }, async (t) => {
  const viaFacade: string[] = [];
  await withKubectl(t, async ({ kubectl }) => {
    assert.equal((await kubectl(["create", "-f", "-"], CM)).code, 0);
    for (const line of PRINTS) {
      const r = await kubectl(line);
      assert.equal(r.code, 0, `${line.join(" ")}: ${r.err}`);
      viaFacade.push(r.out);
    }
  });
  const c = new Cluster();
  assert.equal((await c.kubectl(["create", "-f", "-"], CM)).exitCode, 0);
  const inProcess: string[] = [];
  for (const line of PRINTS) {
    const r = await c.kubectl(line);
    assert.equal(r.exitCode, 0, `${line.join(" ")}: ${r.stderr}`);
    inProcess.push(r.stdout);
  }
  // Times and uids differ between the two clusters; managers and operations do not.
  const norm = (s: string) => s.replace(/"?(time|creationTimestamp|uid|resourceVersion)"?: ?"?[^",\n]*"?/g, "$1");
  for (let i = 0; i < PRINTS.length; i++) assert.equal(norm(inProcess[i]!), norm(viaFacade[i]!), PRINTS[i]!.join(" "));
  assert.equal(inProcess[0], "kubectl-create");
  assert.equal(inProcess[1], "kubectl-create ");
  assert.doesNotMatch(inProcess[4]!, /managedFields/);
  assert.match(inProcess[5]!, /"managedFields"/);
  assert.equal(inProcess[6], "kubectl-create");
});
