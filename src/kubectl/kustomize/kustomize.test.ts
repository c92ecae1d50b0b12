// Builds of kustomize v5.5.0 (api/krusty/*_test.go): the kustomization files of upstream's tests
// and their expected output, byte for byte. krusty's tests run with its default options (no final
// reordering), so these use `reorder: "none"`; kubectl's own order is tested below.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LocalFiles } from "../command.ts";
import { kustomize, KustomizeError } from "./index.ts";

/** An in-memory project: paths relative to the project root. */
function mem(files: Record<string, string>): LocalFiles {
  const isDir = (p: string) => p === "." || Object.keys(files).some((f) => f.startsWith(p + "/"));
  return {
    read: (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
      return Buffer.from(files[p]);
    },
    kind: (p) => (p in files ? "file" : isDir(p) ? "dir" : undefined),
    list: (d) => [...new Set(Object.keys(files).filter((f) => f.startsWith(d + "/")).map((f) => f.slice(d.length + 1).split("/")[0]))].sort(),
  };
}

/** th.WriteK: a kustomization.yaml in a directory. */
const K = (dir: string, text: string) => ({ [`${dir}/kustomization.yaml`]: text });

function run(files: Record<string, string>, dir: string, reorder: "legacy" | "none" = "none"): string {
  return kustomize(mem(files), dir, { reorder }).yaml;
}

const trimLead = (s: string) => s.replace(/^\n/, "");

test("TestGeneratorIntVsStringNoMerge: numbers and booleans are quoted", () => {
  const files = {
    ...K("app", "\nresources:\n- service.yaml\nconfigMapGenerator:\n- name: bob\n  literals:\n  - fruit=Indian Gooseberry\n  - year=2020\n  - crisis=true\n"),
    "app/service.yaml": "\napiVersion: v1\nkind: Service\nmetadata:\n  name: demo\nspec:\n  clusterIP: None\n",
  };
  assert.equal(run(files, "app"), trimLead(`
apiVersion: v1
kind: Service
metadata:
  name: demo
spec:
  clusterIP: None
---
apiVersion: v1
data:
  crisis: "true"
  fruit: Indian Gooseberry
  year: "2020"
kind: ConfigMap
metadata:
  name: bob-79t79mt227
`));
});

test("TestGeneratorIntVsStringWithMerge: an overlay merges into its base's generated ConfigMap", () => {
  const files = {
    ...K("base", "\nconfigMapGenerator:\n- name: bob\n  literals:\n  - fruit=Indian Gooseberry\n  - year=2020\n  - crisis=true\n"),
    ...K("overlay", "\nresources:\n- ../base\nconfigMapGenerator:\n- name: bob\n  behavior: merge\n  literals:\n  - month=12\n"),
  };
  assert.equal(run(files, "overlay"), `apiVersion: v1
data:
  crisis: "true"
  fruit: Indian Gooseberry
  month: "12"
  year: "2020"
kind: ConfigMap
metadata:
  name: bob-bk46gm59c6
`);
});

test("TestGeneratorFromProperties: env files merged across layers", () => {
  const files = {
    ...K("base", "\nconfigMapGenerator:\n  - name: test-configmap\n    behavior: create\n    envs:\n    - properties\n"),
    "base/properties": "\nVAR1=100\n",
    ...K("overlay", '\nresources:\n- ../base\nconfigMapGenerator:\n- name: test-configmap\n  behavior: "merge"\n  envs:\n  - properties\n'),
    "overlay/properties": "\nVAR2=200\n",
  };
  assert.equal(run(files, "overlay"), `apiVersion: v1
data:
  VAR1: "100"
  VAR2: "200"
kind: ConfigMap
metadata:
  name: test-configmap-hdghb5ddkg
`);
});

test("TestGeneratorBasics: a Secret and a ConfigMap from the same sources", () => {
  const files = {
    ...K("app", `
namePrefix: blah-
configMapGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  env: bar.env
  files:
  - passphrase=phrase.dat
  - forces.txt
- name: json
  literals:
  - 'v2=[{"path": "var/druid/segment-cache"}]'
  - >-
    druid_segmentCache_locations=[{"path":
    "var/druid/segment-cache",
    "maxSize": 32000000000,
    "freeSpacePercent": 1.0}]
secretGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  files:
  - passphrase=phrase.dat
  - forces.txt
  env: bar.env
`),
    "app/foo.env": "\nMOUNTAIN=everest\nOCEAN=pacific\n",
    "app/bar.env": "\nBIRD=falcon\n",
    "app/phrase.dat": "\nLife is short.\nBut the years are long.\nNot while the evil days come not.\n",
    "app/forces.txt": "\ngravitational\nelectromagnetic\nstrong nuclear\nweak nuclear\n",
  };
  assert.equal(run(files, "app"), trimLead(`
apiVersion: v1
data:
  BIRD: falcon
  MOUNTAIN: everest
  OCEAN: pacific
  forces.txt: |2

    gravitational
    electromagnetic
    strong nuclear
    weak nuclear
  fruit: apple
  passphrase: |2

    Life is short.
    But the years are long.
    Not while the evil days come not.
  vegetable: broccoli
kind: ConfigMap
metadata:
  name: blah-bob-g9df72cd5b
---
apiVersion: v1
data:
  druid_segmentCache_locations: '[{"path": "var/druid/segment-cache", "maxSize": 32000000000,
    "freeSpacePercent": 1.0}]'
  v2: '[{"path": "var/druid/segment-cache"}]'
kind: ConfigMap
metadata:
  name: blah-json-m8529t979f
---
apiVersion: v1
data:
  BIRD: ZmFsY29u
  MOUNTAIN: ZXZlcmVzdA==
  OCEAN: cGFjaWZpYw==
  forces.txt: |
    CmdyYXZpdGF0aW9uYWwKZWxlY3Ryb21hZ25ldGljCnN0cm9uZyBudWNsZWFyCndlYWsgbn
    VjbGVhcgo=
  fruit: YXBwbGU=
  passphrase: |
    CkxpZmUgaXMgc2hvcnQuCkJ1dCB0aGUgeWVhcnMgYXJlIGxvbmcuCk5vdCB3aGlsZSB0aG
    UgZXZpbCBkYXlzIGNvbWUgbm90Lgo=
  vegetable: YnJvY2NvbGk=
kind: Secret
metadata:
  name: blah-bob-58g62h555c
type: Opaque
`));
});

test("TestIssue3393: merging into a ConfigMap that was not generated keeps its name", () => {
  const files = {
    ...K("app", '\nresources:\n- cm.yaml\nconfigMapGenerator:\n  - name: project\n    behavior: merge\n    literals:\n    - ANOTHER_ENV_VARIABLE="bar"\n'),
    "app/cm.yaml": '\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: project\ndata:\n  A_FIRST_ENV_VARIABLE: "foo"\n',
  };
  assert.equal(run(files, "app"), trimLead(`
apiVersion: v1
data:
  A_FIRST_ENV_VARIABLE: foo
  ANOTHER_ENV_VARIABLE: bar
kind: ConfigMap
metadata:
  name: project
`));
});

test("name references follow prefixes and hash suffixes (namereference field specs)", () => {
  const files = {
    ...K("app", `
namePrefix: p-
resources:
- pod.yaml
- sa.yaml
- pvc.yaml
- ing.yaml
configMapGenerator:
- name: cm
  literals: [a=b]
secretGenerator:
- name: sec
  literals: [c=d]
`),
    "app/pod.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: sa
      imagePullSecrets: [{name: sec}]
      containers:
      - name: c
        image: nginx
        envFrom: [{configMapRef: {name: cm}}, {secretRef: {name: sec}}]
        env:
        - {name: X, valueFrom: {configMapKeyRef: {name: cm, key: a}}}
        - {name: Y, valueFrom: {secretKeyRef: {name: other, key: a}}}
      volumes:
      - {name: v1, configMap: {name: cm}}
      - {name: v2, secret: {secretName: sec}}
      - {name: v3, persistentVolumeClaim: {claimName: data}}
      - name: v4
        projected: {sources: [{configMap: {name: cm}}, {secret: {name: sec}}]}
`,
    "app/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n",
    "app/pvc.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
    "app/ing.yaml": `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: svc, port: {number: 80}}}}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {ports: [{port: 80}]}
`,
  };
  const k = kustomize(mem(files), "app");
  const byKind = Object.fromEntries(k.objects.map((o) => [String(o.kind), o]));
  const cm = (byKind.ConfigMap.metadata as { name: string }).name;
  const sec = (byKind.Secret.metadata as { name: string }).name;
  assert.match(cm, /^p-cm-[a-z0-9]{10}$/);
  assert.match(sec, /^p-sec-[a-z0-9]{10}$/);
  const y = k.yaml.replace(/\s+/g, " ");
  for (const want of [
    "serviceAccountName: p-sa",
    `imagePullSecrets: - name: ${sec}`,
    `envFrom: - configMapRef: name: ${cm} - secretRef: name: ${sec}`,
    `configMapKeyRef: key: a name: ${cm}`,
    "secretKeyRef: key: a name: other", // a name no resource had stays
    "claimName: p-data",
    `sources: - configMap: name: ${cm} - secret: name: ${sec}`,
    `secretName: ${sec}`,
    "service: name: p-svc",
    `- configMap: name: ${cm} name: v1`,
  ]) assert.ok(y.includes(want), `missing ${want} in ${k.yaml}`);
  // kubectl's legacy order: ServiceAccount, ConfigMap, Secret, Service, PVC, Deployment, then the rest by GVK.
  assert.deepEqual(k.objects.map((o) => o.kind), ["ServiceAccount", "ConfigMap", "Secret", "Service", "PersistentVolumeClaim", "Deployment", "Ingress"]);
});

test("labels: without includeSelectors only metadata; includeTemplates adds templates; commonLabels adds selectors", () => {
  const dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec: {containers: [{name: c, image: nginx}]}\n";
  const only = kustomize(mem({ ...K("a", "resources: [d.yaml]\nlabels:\n- pairs: {team: x}\n"), "a/d.yaml": dep }), "a").objects[0] as { metadata: { labels: unknown }; spec: { selector: { matchLabels: unknown }; template: { metadata: { labels: unknown } } } };
  assert.deepEqual(only.metadata.labels, { team: "x" });
  assert.deepEqual(only.spec.selector.matchLabels, { app: "d" });
  assert.deepEqual(only.spec.template.metadata.labels, { app: "d" });
  const tmpl = kustomize(mem({ ...K("a", "resources: [d.yaml]\nlabels:\n- pairs: {team: x}\n  includeTemplates: true\n"), "a/d.yaml": dep }), "a").objects[0] as typeof only;
  assert.deepEqual(tmpl.spec.template.metadata.labels, { app: "d", team: "x" });
  assert.deepEqual(tmpl.spec.selector.matchLabels, { app: "d" });
  const sel = kustomize(mem({ ...K("a", "resources: [d.yaml]\nlabels:\n- pairs: {team: x}\n  includeSelectors: true\n"), "a/d.yaml": dep }), "a").objects[0] as typeof only;
  assert.deepEqual(sel.spec.selector.matchLabels, { app: "d", team: "x" });
  assert.throws(() => kustomize(mem({ ...K("a", "resources: [d.yaml]\ncommonLabels: {team: y}\nlabels:\n- pairs: {team: x}\n"), "a/d.yaml": dep }), "a"), /label name 'team' exists in both commonLabels and labels/);
});

test("images, replicas and patches with targets", () => {
  const dep = (n: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}, labels: {tier: web}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${n}}}\n  template:\n    metadata: {labels: {app: ${n}}}\n    spec:\n      initContainers: [{name: i, image: busybox:1.36}]\n      containers: [{name: c, image: "nginx:1.25@sha256:abc"}]\n`;
  const files = {
    ...K("a", `resources: [a.yaml, b.yaml]
images:
- {name: nginx, newTag: "1.27"}
- {name: busybox, digest: "sha256:def"}
replicas:
- {name: a, count: 5}
patches:
- target: {kind: Deployment, name: "b"}
  patch: |-
    - op: add
      path: /metadata/annotations
      value: {patched: json}
- target: {labelSelector: "tier=web"}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: any}
    spec: {minReadySeconds: 7}
`),
    "a/a.yaml": dep("a"),
    "a/b.yaml": dep("b"),
  };
  const [a, b] = kustomize(mem(files), "a").objects as Array<{ metadata: { annotations?: unknown; name: string }; spec: { replicas: number; minReadySeconds: number; template: { spec: { containers: Array<{ image: string }>; initContainers: Array<{ image: string }> } } } }>;
  assert.equal(a.metadata.name, "a");
  assert.equal(a.spec.replicas, 5);
  assert.equal(b.spec.replicas, 1);
  assert.equal(a.spec.template.spec.containers[0].image, "nginx:1.27");
  assert.equal(a.spec.template.spec.initContainers[0].image, "busybox@sha256:def");
  assert.deepEqual(b.metadata.annotations, { patched: "json" });
  assert.equal(a.metadata.annotations, undefined);
  assert.equal(a.spec.minReadySeconds, 7);
  assert.equal(b.spec.minReadySeconds, 7);
  assert.throws(() => kustomize(mem({ ...files, ...K("a", "resources: [a.yaml]\nreplicas:\n- {name: nope, count: 2}\n") }), "a"), /resource with name nope does not match a config with the following GVK \[Deployment\.\[noVer\]\.\[noGrp\] ReplicationController/);
});

test("errors: no kustomization, unknown field, duplicate ids, files outside the root, remote resources", () => {
  assert.throws(() => kustomize(mem({ "x/a.yaml": "" }), "x"), (e: Error) => e instanceof KustomizeError && e.message === "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory 'x'");
  assert.throws(() => kustomize(mem(K("x", "resourcez: []\n")), "x"), /invalid Kustomization: json: unknown field "resourcez"/);
  const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
  assert.throws(() => kustomize(mem({ ...K("x", "resources: [a.yaml, b.yaml]\n"), "x/a.yaml": cm, "x/b.yaml": cm }), "x"), /may not add resource with an already registered id: ConfigMap\.v1\.\[noGrp\]\/c\.\[noNs\]/);
  assert.throws(() => kustomize(mem({ ...K("x", "resources: [../a.yaml]\n"), "a.yaml": cm }), "x"), /security; file 'a.yaml' is not in or below 'x'/);
  assert.throws(() => kustomize(mem(K("x", "resources: [https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0]\n")), "x"), /is not simulated/);
  assert.throws(() => kustomize(mem(K("x", "components: [../c]\n")), "x"), /kustomization field 'components' \(components\) is not simulated/);
  assert.throws(() => kustomize(mem(K("x", "configMapGenerator:\n- name: c\n  literals: [a=1, a=2]\n")), "x"), /configmap c illegally repeats the key `a`/);
  assert.throws(() => kustomize(mem({ ...K("x", "resources: [a.yaml]\nconfigMapGenerator:\n- name: c\n  literals: [a=1]\n"), "x/a.yaml": cm }), "x"), /exists; behavior must be merge or replace/);
});

test("kubectl's legacy order: Namespace first, webhooks last, the rest by group (core last: \"~G\"), version and kind", () => {
  const docs = ["v1 Pod p", "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration w", "apps/v1 Deployment d", "v1 Namespace n", "rbac.authorization.k8s.io/v1 Role r", "batch/v1 Job j", "v1 Service s2", "v1 Service s1"]
    .map((s) => s.split(" "))
    .map(([v, k, n]) => `apiVersion: ${v}\nkind: ${k}\nmetadata: {name: ${n}}\n`)
    .join("---\n");
  const k = kustomize(mem({ ...K("x", "resources: [all.yaml]\n"), "x/all.yaml": docs }), "x", { reorder: "legacy" });
  assert.deepEqual(k.objects.map((o) => `${String(o.kind)}/${String((o.metadata as { name: string }).name)}`), [
    "Namespace/n", "Role/r", "Service/s1", "Service/s2", "Deployment/d", "Job/j", "Pod/p", "ValidatingWebhookConfiguration/w",
  ]);
});
