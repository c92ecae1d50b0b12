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

test("TestIssue3489Simplified (namereference_test.go): one base twice, a suffix on one copy", () => {
  const files = {
    ...K("app", "\nnamespace: kube-system\nresources:\n- aa\n- bb\n"),
    ...K("app/aa", "\nresources:\n- ../base\n"),
    ...K("app/bb", "\nresources:\n- ../base\nnameSuffix: -private\n"),
    ...K("app/base", "\nresources:\n- deployment.yaml\n- serviceAccount.yaml\n"),
    "app/base/deployment.yaml": "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: myDep\nspec:\n  template:\n    spec:\n      serviceAccountName: mySvcAcct\n      containers:\n      - name: whatever\n        image: registry.k8s.io/governmentCheese\n",
    "app/base/serviceAccount.yaml": "\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: mySvcAcct\n",
  };
  assert.equal(run(files, "app"), trimLead(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: myDep
  namespace: kube-system
spec:
  template:
    spec:
      containers:
      - image: registry.k8s.io/governmentCheese
        name: whatever
      serviceAccountName: mySvcAcct
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: mySvcAcct
  namespace: kube-system
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: myDep-private
  namespace: kube-system
spec:
  template:
    spec:
      containers:
      - image: registry.k8s.io/governmentCheese
        name: whatever
      serviceAccountName: mySvcAcct-private
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: mySvcAcct-private
  namespace: kube-system
`));
});

test("TestUnrelatedNameReferenceReplacement_Issue4254_Issue3418 (namereference_test.go): upstream's known over-eager resourceNames rewrite", () => {
  const files = {
    "app/role.yaml": '\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cluster-autoscaler\nrules:\n- apiGroups: ["coordination.k8s.io"]\n  resources: ["leases"]\n  resourceNames: ["cluster-autoscaler"]\n  verbs: ["get","update"]\n',
    ...K("app", '\nresources:\n- role.yaml\nconfigMapGenerator:\n- name: cluster-autoscaler\n  namespace: kube-system\n  literals:\n  - AWS_REGION="us-east-1"\n'),
  };
  assert.equal(run(files, "app"), trimLead(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-autoscaler
rules:
- apiGroups:
  - coordination.k8s.io
  resourceNames:
  - cluster-autoscaler-h8mmcct52k
  resources:
  - leases
  verbs:
  - get
  - update
---
apiVersion: v1
data:
  AWS_REGION: us-east-1
kind: ConfigMap
metadata:
  name: cluster-autoscaler-h8mmcct52k
  namespace: kube-system
`));
});

test("TestIssue4388 (legacy_order_test.go): same kind sorted by name", () => {
  const files = {
    ...K("app", "\nresources:\n- resources.yaml\n"),
    "app/resources.yaml": ["testing", "testing-one", "testing-two"].map((n) => `\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\ndata:\n  key: value\n`).join("---"),
  };
  assert.equal(run(files, "app", "legacy"), trimLead(["testing", "testing-one", "testing-two"].map((n) => `apiVersion: v1\ndata:\n  key: value\nkind: ConfigMap\nmetadata:\n  name: ${n}\n`).join("---\n")));
});

test("TestNamePrefixSuffixPatch (nameprefixsuffixpatch_test.go): a targeted patch's references follow a merged generator", () => {
  const files = {
    "app/handlers/kustomization.yaml": "\nnameSuffix: -suffix\nresources:\n- deployment.yaml\n",
    "app/handlers/deployment.yaml": "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: short\nspec:\n  template:\n    spec:\n      containers:\n      - name: handler\n",
    "app/mysql/kustomization.yaml": "\nconfigMapGenerator:\n- name: mysql\n  literals:\n  - MYSQL_USER=default\n  - MYSQL_DATABASE=default\n  - HOST=everest\n",
    ...K("app", `
resources:
- mysql
- handlers

configMapGenerator:
- name: mysql
  behavior: merge
  literals:
  - MYSQL_DATABASE=db
  - MYSQL_USER=my-user
  - MYSQL_PASSWORD='correct horse battery staple'

patches:
- target:
    kind: Deployment
    name: s.*
  patch: |-
    kind: Deployment
    metadata:
      name: ignored
    spec:
      template:
        spec:
          containers:
          - name: handler
            envFrom:
            - configMapRef:
                name: mysql
            env:
            - valueFrom:
                configMapKeyRef:
                  name: mysql
                  key: MYSQL_DATABASE
`),
  };
  assert.equal(run(files, "app"), trimLead(`
apiVersion: v1
data:
  HOST: everest
  MYSQL_DATABASE: db
  MYSQL_PASSWORD: correct horse battery staple
  MYSQL_USER: my-user
kind: ConfigMap
metadata:
  name: mysql-t7tt4cdbmf
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: short-suffix
spec:
  template:
    spec:
      containers:
      - env:
        - valueFrom:
            configMapKeyRef:
              key: MYSQL_DATABASE
              name: mysql-t7tt4cdbmf
        envFrom:
        - configMapRef:
            name: mysql-t7tt4cdbmf
        name: handler
`));
});

test("TestTransfomersImageDefaultConfig (transformersimage_test.go): images in any containers list, new names, tags and digests", () => {
  const files = {
    ...K("base", String.raw`
resources:
- deploy1.yaml
- random.yaml
images:
- name: nginx
  newTag: v2
- name: my-nginx
  newTag: previous
- name: myprivaterepohostname:1234/my/image
  newTag: v1.0.1
- name: foobar
  digest: sha256:24a0c4b4
- name: alpine
  newName: myprivaterepohostname:1234/my/cool-alpine
- name: gcr.io:8080/my-project/my-cool-app
  newName: my-cool-app
- name: postgres
  newName: my-postgres
  newTag: v3
- name: docker
  newName: my-docker
  digest: sha256:25a0d4b4
`),
    "base/deploy1.yaml": String.raw`
group: apps
apiVersion: v1
kind: Deployment
metadata:
  name: deploy1
spec:
  template:
    spec:
      initContainers:
      - name: nginx2
        image: my-nginx:1.8.0
      - name: init-alpine
        image: alpine:1.8.0
      containers:
      - name: ngnix
        image: nginx:1.7.9
      - name: repliaced-with-digest
        image: foobar:1
      - name: postgresdb
        image: postgres:1.8.0
`,
    "base/random.yaml": String.raw`
kind: randomKind
metadata:
  name: random
spec:
  template:
    spec:
      containers:
      - name: ngnix1
        image: nginx
spec2:
  template:
    spec:
      containers:
      - name: nginx3
        image: nginx:v1
      - name: nginx4
        image: my-nginx:latest
spec3:
  template:
    spec:
      initContainers:
      - name: postgresdb
        image: postgres:alpine-9
      - name: init-docker
        image: docker:17-git
      - name: myImage
        image: myprivaterepohostname:1234/my/image:latest
      - name: myImage2
        image: myprivaterepohostname:1234/my/image
      - name: my-app
        image: my-app-image:v1
      - name: my-cool-app
        image: gcr.io:8080/my-project/my-cool-app:latest
`,
  };
  assert.equal(run(files, "base"), trimLead(String.raw`
apiVersion: v1
group: apps
kind: Deployment
metadata:
  name: deploy1
spec:
  template:
    spec:
      containers:
      - image: nginx:v2
        name: ngnix
      - image: foobar@sha256:24a0c4b4
        name: repliaced-with-digest
      - image: my-postgres:v3
        name: postgresdb
      initContainers:
      - image: my-nginx:previous
        name: nginx2
      - image: myprivaterepohostname:1234/my/cool-alpine:1.8.0
        name: init-alpine
---
kind: randomKind
metadata:
  name: random
spec:
  template:
    spec:
      containers:
      - image: nginx:v2
        name: ngnix1
spec2:
  template:
    spec:
      containers:
      - image: nginx:v2
        name: nginx3
      - image: my-nginx:previous
        name: nginx4
spec3:
  template:
    spec:
      initContainers:
      - image: my-postgres:v3
        name: postgresdb
      - image: my-docker@sha256:25a0d4b4
        name: init-docker
      - image: myprivaterepohostname:1234/my/image:v1.0.1
        name: myImage
      - image: myprivaterepohostname:1234/my/image:v1.0.1
        name: myImage2
      - image: my-app-image:v1
        name: my-app
      - image: my-cool-app:latest
        name: my-cool-app
`));
});

test("TestNamespacedSecrets (namespaces_test.go): same name in two namespaces, a ClusterRole naming it", () => {
  const files = {
    "app/secrets.yaml": String.raw`
apiVersion: v1
kind: Secret
metadata:
  name: dummy
  namespace: default
type: Opaque
data:
  dummy: ""
---
apiVersion: v1
kind: Secret
metadata:
  name: dummy
  namespace: kube-system
type: Opaque
data:
  dummy: ""
`,
    "app/role.yaml": String.raw`
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: dummy
rules:
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["dummy"]
  verbs: ["get"]
`,
    ...K("app", String.raw`
resources:
- secrets.yaml
- role.yaml
`),
  };
  assert.equal(run(files, "app"), trimLead(String.raw`
apiVersion: v1
data:
  dummy: ""
kind: Secret
metadata:
  name: dummy
  namespace: default
type: Opaque
---
apiVersion: v1
data:
  dummy: ""
kind: Secret
metadata:
  name: dummy
  namespace: kube-system
type: Opaque
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: dummy
rules:
- apiGroups:
  - ""
  resourceNames:
  - dummy
  resources:
  - secrets
  verbs:
  - get
`));
});

test("TestNumericCommonLabels (numericcommonlabels_test.go): selectors and templates are created; a number is refused", () => {
  const files = {
    "default/deployment.yaml": "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: the-deployment\n",
    ...K("default", '\ncommonLabels:\n  version: "1"\nresources:\n- deployment.yaml\n'),
  };
  assert.equal(run(files, "default"), trimLead(`
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    version: "1"
  name: the-deployment
spec:
  selector:
    matchLabels:
      version: "1"
  template:
    metadata:
      labels:
        version: "1"
`));
  assert.throws(() => run({ ...files, ...K("default", "commonLabels:\n  version: 1\nresources:\n- deployment.yaml\n") }, "default"), /invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.commonLabels of type string/);
});

test("TestPatchDeleteOfNotExistingAttributesShouldNotAddExtraElements (patchdelete_test.go)", () => {
  const files = { "app/resource.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: whatever
spec:
  template:
    spec:
      containers:
      - env:
        - name: EXISTING
          value: EXISTING_VALUE
        - name: FOR_REMOVAL
          value: FOR_REMOVAL_VALUE
        name: whatever
        image: helloworld
`, "app/patch.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: whatever
spec:
  template:
    spec:
      containers:
      - name: whatever
        env:
        - name: FOR_REMOVAL
          $patch: delete
        - name: NOT_EXISTING_FOR_REMOVAL
          $patch: delete
`, ...K("app", String.raw`
resources:
- resource.yaml
patches:
- path: patch.yaml
  target:
    kind: Deployment
`) };
  assert.equal(run(files, "app"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: whatever
spec:
  template:
    spec:
      containers:
      - env:
        - name: EXISTING
          value: EXISTING_VALUE
        image: helloworld
        name: whatever
`));
});

test("TestMergeAndReplaceGenerators (generatormergeandreplace_test.go): replace and merge across a base, patches, labels, prefixes", () => {
  const files = {
    ...K("gm/app", String.raw`
namePrefix: team-foo-
commonLabels:
  app: mynginx
  org: example.com
  team: foo
commonAnnotations:
  note: This is a test annotation
resources:
  - deployment.yaml
  - service.yaml
configMapGenerator:
- name: configmap-in-base
  literals:
  - foo=bar
secretGenerator:
- name: secret-in-base
  literals:
  - username=admin
  - password=somepw
`),
    "gm/app/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      volumes:
      - name: nginx-persistent-storage
        emptyDir: {}
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
    "gm/app/service.yaml": String.raw`
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
    - port: 80
  selector:
    app: nginx
`,
    "gm/overlay/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      volumes:
      - name: nginx-persistent-storage
        emptyDir: null
        gcePersistentDisk:
          pdName: nginx-persistent-storage
      - configMap:
          name: configmap-in-overlay
        name: configmap-in-overlay
`,
    ...K("gm/overlay", String.raw`
namePrefix: staging-
commonLabels:
  env: staging
  team: override-foo
patchesStrategicMerge:
- deployment.yaml
resources:
- ../app
configMapGenerator:
- name: configmap-in-overlay
  literals:
  - hello=world
- name: configmap-in-base
  behavior: replace
  literals:
  - foo=override-bar
secretGenerator:
- name: secret-in-base
  behavior: merge
  literals:
  - proxy=haproxy
`),
  };
  assert.equal(run(files, "gm/overlay"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    note: This is a test annotation
  labels:
    app: mynginx
    env: staging
    org: example.com
    team: override-foo
  name: staging-team-foo-nginx
spec:
  selector:
    matchLabels:
      app: mynginx
      env: staging
      org: example.com
      team: override-foo
  template:
    metadata:
      annotations:
        note: This is a test annotation
      labels:
        app: mynginx
        env: staging
        org: example.com
        team: override-foo
    spec:
      containers:
      - image: nginx
        name: nginx
        volumeMounts:
        - mountPath: /tmp/ps
          name: nginx-persistent-storage
      volumes:
      - gcePersistentDisk:
          pdName: nginx-persistent-storage
        name: nginx-persistent-storage
      - configMap:
          name: staging-configmap-in-overlay-dc6fm46dhm
        name: configmap-in-overlay
      - configMap:
          name: staging-team-foo-configmap-in-base-hc6g9dk6g9
        name: configmap-in-base
---
apiVersion: v1
kind: Service
metadata:
  annotations:
    note: This is a test annotation
  labels:
    app: mynginx
    env: staging
    org: example.com
    team: override-foo
  name: staging-team-foo-nginx
spec:
  ports:
  - port: 80
  selector:
    app: mynginx
    env: staging
    org: example.com
    team: override-foo
---
apiVersion: v1
data:
  foo: override-bar
kind: ConfigMap
metadata:
  annotations:
    note: This is a test annotation
  labels:
    app: mynginx
    env: staging
    org: example.com
    team: override-foo
  name: staging-team-foo-configmap-in-base-hc6g9dk6g9
---
apiVersion: v1
data:
  password: c29tZXB3
  proxy: aGFwcm94eQ==
  username: YWRtaW4=
kind: Secret
metadata:
  annotations:
    note: This is a test annotation
  labels:
    app: mynginx
    env: staging
    org: example.com
    team: override-foo
  name: staging-team-foo-secret-in-base-k2k4692t9g
type: Opaque
---
apiVersion: v1
data:
  hello: world
kind: ConfigMap
metadata:
  labels:
    env: staging
    team: override-foo
  name: staging-configmap-in-overlay-dc6fm46dhm
`));
});

test("TestStrategicMergePatchInline (inlinepatch_test.go)", () => {
  const files = {
    "t99668/base/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      volumes:
      - name: nginx-persistent-storage
        emptyDir: {}
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
    ...K("t99668/base", String.raw`
resources:
- deployment.yaml

patchesStrategicMerge:
- |-
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: nginx
  spec:
    template:
      spec:
        containers:
          - name: nginx
            image: image1
`),
  };
  assert.equal(run(files, "t99668/base", "none"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: nginx
  name: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - image: image1
        name: nginx
        volumeMounts:
        - mountPath: /tmp/ps
          name: nginx-persistent-storage
      volumes:
      - emptyDir: {}
        name: nginx-persistent-storage
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`));
});

test("TestJSONPatchInline (inlinepatch_test.go)", () => {
  const files = {
    "t5636/base/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      volumes:
      - name: nginx-persistent-storage
        emptyDir: {}
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
    ...K("t5636/base", String.raw`
resources:
- deployment.yaml

patchesJson6902:
- target:
    group: apps
    version: v1
    kind: Deployment
    name: nginx
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/image
      value: image1
`),
  };
  assert.equal(run(files, "t5636/base", "none"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: nginx
  name: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - image: image1
        name: nginx
        volumeMounts:
        - mountPath: /tmp/ps
          name: nginx-persistent-storage
      volumes:
      - emptyDir: {}
        name: nginx-persistent-storage
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`));
});

test("TestExtendedPatchInlineJSON (inlinepatch_test.go)", () => {
  const files = {
    "t19069/base/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      volumes:
      - name: nginx-persistent-storage
        emptyDir: {}
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
    ...K("t19069/base", String.raw`
resources:
- deployment.yaml

patches:
- target:
    kind: Deployment
    name: nginx
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/image
      value: image1
`),
  };
  assert.equal(run(files, "t19069/base", "none"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: nginx
  name: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - image: image1
        name: nginx
        volumeMounts:
        - mountPath: /tmp/ps
          name: nginx-persistent-storage
      volumes:
      - emptyDir: {}
        name: nginx-persistent-storage
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`));
});

test("TestExtendedPatchInlineYAML (inlinepatch_test.go)", () => {
  const files = {
    "t25922/base/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      volumes:
      - name: nginx-persistent-storage
        emptyDir: {}
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
    ...K("t25922/base", String.raw`
resources:
- deployment.yaml

patches:
- target:
    kind: Deployment
    name: nginx
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: nginx
    spec:
      template:
        spec:
          containers:
            - name: nginx
              image: image1
`),
  };
  assert.equal(run(files, "t25922/base", "none"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: nginx
  name: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - image: image1
        name: nginx
        volumeMounts:
        - mountPath: /tmp/ps
          name: nginx-persistent-storage
      volumes:
      - emptyDir: {}
        name: nginx-persistent-storage
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`));
});

test("TestRemoveEmptyDirWithNullFieldInSmp (multiplepatch_test.go)", () => {
  const files = {
    ...K("t40201", String.raw`
resources:
- deployment.yaml
patchesStrategicMerge:
- patch.yaml
`),
    "t40201/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      volumes:
      - name: fancyDisk
        emptyDir: {}
`,
    "t40201/patch.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      volumes:
      - name: fancyDisk
        emptyDir: null
`,
  };
  assert.equal(run(files, "t40201", "none"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      volumes:
      - name: fancyDisk
`));
});

test("TestSimpleMultiplePatches (multiplepatch_test.go)", () => {
  const files = {
    ...K("t28337/base", String.raw`
namePrefix: b-
commonLabels:
  team: foo
resources:
- deployment.yaml
- service.yaml
configMapGenerator:
- name: configmap-in-base
  literals:
  - foo=bar
`),
    "t28337/base/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      - name: sidecar
        image: sidecar:latest
      volumes:
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
    "t28337/base/service.yaml": String.raw`
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  ports:
  - port: 80
`,
    ...K("t28337/overlay", String.raw`
namePrefix: a-
commonLabels:
  env: staging
patchesStrategicMerge:
- deployment-patch1.yaml
- deployment-patch2.yaml
resources:
- ../base
configMapGenerator:
- name: configmap-in-overlay
  literals:
  - hello=world
`),
    "t28337/overlay/deployment-patch1.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        env:
        - name: ENVKEY
          value: ENVVALUE
      volumes:
      - name: nginx-persistent-storage
        gcePersistentDisk:
          pdName: nginx-persistent-storage
      - configMap:
          name: configmap-in-overlay
        name: configmap-in-overlay
`,
    "t28337/overlay/deployment-patch2.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        env:
        - name: ANOTHERENV
          value: FOO
`,
  };
  assert.equal(run(files, "t28337/overlay", "none"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    env: staging
    team: foo
  name: a-b-nginx
spec:
  selector:
    matchLabels:
      env: staging
      team: foo
  template:
    metadata:
      labels:
        env: staging
        team: foo
    spec:
      containers:
      - env:
        - name: ANOTHERENV
          value: FOO
        - name: ENVKEY
          value: ENVVALUE
        image: nginx:latest
        name: nginx
        volumeMounts:
        - mountPath: /tmp/ps
          name: nginx-persistent-storage
      - image: sidecar:latest
        name: sidecar
      volumes:
      - gcePersistentDisk:
          pdName: nginx-persistent-storage
        name: nginx-persistent-storage
      - configMap:
          name: a-configmap-in-overlay-dc6fm46dhm
        name: configmap-in-overlay
      - configMap:
          name: a-b-configmap-in-base-798k5k7g9f
        name: configmap-in-base
---
apiVersion: v1
kind: Service
metadata:
  labels:
    env: staging
    team: foo
  name: a-b-nginx
spec:
  ports:
  - port: 80
  selector:
    env: staging
    team: foo
---
apiVersion: v1
data:
  foo: bar
kind: ConfigMap
metadata:
  labels:
    env: staging
    team: foo
  name: a-b-configmap-in-base-798k5k7g9f
---
apiVersion: v1
data:
  hello: world
kind: ConfigMap
metadata:
  labels:
    env: staging
  name: a-configmap-in-overlay-dc6fm46dhm
`));
});

test("TestNonCommutablePatches (multiplepatch_test.go)", () => {
  const files = {
    ...K("t75821/base", String.raw`
namePrefix: team-foo-
commonLabels:
  app: mynginx
  org: example.com
  team: foo
commonAnnotations:
  note: This is a test annotation
resources:
  - deployment.yaml
  - service.yaml
configMapGenerator:
- name: configmap-in-base
  literals:
  - foo=bar
`),
    "t75821/base/deployment.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      - name: sidecar
        image: sidecar:latest
      volumes:
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
    "t75821/base/service.yaml": String.raw`
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
    - port: 80
  selector:
    app: nginx
`,
    ...K("t75821/overlay/staging", String.raw`
namePrefix: staging-
commonLabels:
  env: staging
patchesStrategicMerge:
  - deployment-patch1.yaml
  - deployment-patch2.yaml
resources:
  - ../../base
configMapGenerator:
- name: configmap-in-overlay
  literals:
  - hello=world
`),
    "t75821/overlay/staging/deployment-patch1.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        env:
        - name: ENABLE_FEATURE_FOO
          value: TRUE
      volumes:
      - name: nginx-persistent-storage
        gcePersistentDisk:
          pdName: nginx-persistent-storage
      - configMap:
          name: configmap-in-overlay
        name: configmap-in-overlay
`,
    "t75821/overlay/staging/deployment-patch2.yaml": String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        env:
        - name: ENABLE_FEATURE_FOO
          value: FALSE
`,
  };
  assert.equal(run(files, "t75821/overlay/staging", "none"), trimLead(String.raw`
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    note: This is a test annotation
  labels:
    app: mynginx
    env: staging
    org: example.com
    team: foo
  name: staging-team-foo-nginx
spec:
  selector:
    matchLabels:
      app: mynginx
      env: staging
      org: example.com
      team: foo
  template:
    metadata:
      annotations:
        note: This is a test annotation
      labels:
        app: mynginx
        env: staging
        org: example.com
        team: foo
    spec:
      containers:
      - env:
        - name: ENABLE_FEATURE_FOO
          value: false
        image: nginx
        name: nginx
        volumeMounts:
        - mountPath: /tmp/ps
          name: nginx-persistent-storage
      - image: sidecar:latest
        name: sidecar
      volumes:
      - gcePersistentDisk:
          pdName: nginx-persistent-storage
        name: nginx-persistent-storage
      - configMap:
          name: staging-configmap-in-overlay-dc6fm46dhm
        name: configmap-in-overlay
      - configMap:
          name: staging-team-foo-configmap-in-base-798k5k7g9f
        name: configmap-in-base
---
apiVersion: v1
kind: Service
metadata:
  annotations:
    note: This is a test annotation
  labels:
    app: mynginx
    env: staging
    org: example.com
    team: foo
  name: staging-team-foo-nginx
spec:
  ports:
  - port: 80
  selector:
    app: mynginx
    env: staging
    org: example.com
    team: foo
---
apiVersion: v1
data:
  foo: bar
kind: ConfigMap
metadata:
  annotations:
    note: This is a test annotation
  labels:
    app: mynginx
    env: staging
    org: example.com
    team: foo
  name: staging-team-foo-configmap-in-base-798k5k7g9f
---
apiVersion: v1
data:
  hello: world
kind: ConfigMap
metadata:
  labels:
    env: staging
  name: staging-configmap-in-overlay-dc6fm46dhm
`));
});


test("TestRoleBindingAcrossNamespace (rolebindingacrossnamespace_test.go)", () => {
  const files = {
    ...K("t1080", String.raw`
resources:
- resource.yaml
nameSuffix: -ns2
`),
    "t1080/resource.yaml": String.raw`
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa1
  namespace: ns1
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa2
  namespace: ns2
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa3
  namespace: ns3
---
apiVersion: v1
kind: NotServiceAccount
metadata:
  name: my-nsa
  namespace: ns1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: my-role
  namespace: ns2
rules:
  - apiGroups:
      - '*'
    resources:
      - '*'
    verbs:
      - '*'
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: my-role-binding
  namespace: ns2
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: my-role
subjects:
  - kind: ServiceAccount
    name: my-sa1
    namespace: ns1
  - kind: ServiceAccount
    name: my-sa2
    namespace: ns2
  - kind: ServiceAccount
    name: my-sa3
    namespace: ns3
  - kind: NotServiceAccount
    name: my-nsa
    namespace: ns1
`,
  };
  assert.equal(run(files, "t1080", "none"), trimLead(String.raw`
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa1-ns2
  namespace: ns1
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa2-ns2
  namespace: ns2
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa3-ns2
  namespace: ns3
---
apiVersion: v1
kind: NotServiceAccount
metadata:
  name: my-nsa-ns2
  namespace: ns1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: my-role-ns2
  namespace: ns2
rules:
- apiGroups:
  - '*'
  resources:
  - '*'
  verbs:
  - '*'
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: my-role-binding-ns2
  namespace: ns2
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: my-role-ns2
subjects:
- kind: ServiceAccount
  name: my-sa1-ns2
  namespace: ns1
- kind: ServiceAccount
  name: my-sa2-ns2
  namespace: ns2
- kind: ServiceAccount
  name: my-sa3-ns2
  namespace: ns3
- kind: NotServiceAccount
  name: my-nsa
  namespace: ns1
`));
});

test("TestRoleBindingAcrossNamespaceWoSubjects (rolebindingacrossnamespace_test.go)", () => {
  const files = {
    ...K("t31978", String.raw`
resources:
- resource.yaml
nameSuffix: -ns2
`),
    "t31978/resource.yaml": String.raw`
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa1
  namespace: ns1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: my-role
  namespace: ns2
rules:
  - apiGroups:
      - '*'
    resources:
      - '*'
    verbs:
      - '*'
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: my-role-binding
  namespace: ns2
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: my-role
`,
  };
  assert.equal(run(files, "t31978", "none"), trimLead(String.raw`
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-sa1-ns2
  namespace: ns1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: my-role-ns2
  namespace: ns2
rules:
- apiGroups:
  - '*'
  resources:
  - '*'
  verbs:
  - '*'
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: my-role-binding-ns2
  namespace: ns2
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: my-role-ns2
`));
});

test("TestRoleBindingWhenSubjectsAcrossNamespace (rolebindingacrossnamespace_test.go)", () => {
  const files = {
    ...K("t68697", String.raw`
resources:
- ./ns1
- ./ns2
`),
    ...K("t68697/ns1", String.raw`
namespace: namespace-1
resources:
- role-ns1.yaml
- rolebinding-ns1.yaml
`),
    "t68697/ns1/role-ns1.yaml": String.raw`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: testRole
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
`,
    "t68697/ns1/rolebinding-ns1.yaml": String.raw`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: testRoleBinding
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: testRole
subjects:
  - kind: ServiceAccount
    name: testAccount
    namespace: namespace-2
`,
    ...K("t68697/ns2", String.raw`
namespace: namespace-2
resources:
- role-ns2.yaml
- rolebinding-ns2.yaml
`),
    "t68697/ns2/role-ns2.yaml": String.raw`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: testRole
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
`,
    "t68697/ns2/rolebinding-ns2.yaml": String.raw`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: testRoleBinding
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: testRole
subjects:
  - kind: ServiceAccount
    name: testAccount
    namespace: namespace-1
`,
  };
  assert.equal(run(files, "t68697", "none"), trimLead(String.raw`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: testRole
  namespace: namespace-1
rules:
- apiGroups:
  - ""
  resources:
  - pods
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: testRoleBinding
  namespace: namespace-1
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: testRole
subjects:
- kind: ServiceAccount
  name: testAccount
  namespace: namespace-2
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: testRole
  namespace: namespace-2
rules:
- apiGroups:
  - ""
  resources:
  - pods
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: testRoleBinding
  namespace: namespace-2
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: testRole
subjects:
- kind: ServiceAccount
  name: testAccount
  namespace: namespace-1
`));
});

test("TestNameAndNsTransformation (namespaces_test.go)", () => {
  const files = {
    ...K("t57947", String.raw`
namePrefix: p1-
nameSuffix: -s1
namespace: newnamespace
resources:
- resources.yaml
`),
    "t57947/resources.yaml": String.raw`
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm2
  namespace: ns1
---
apiVersion: v1
kind: Service
metadata:
  name: svc1
  namespace: ns1
---
apiVersion: v1
kind: Service
metadata:
  name: svc2
  namespace: ns1
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa1
  namespace: ns1
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa2
  namespace: ns1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: manager-rolebinding
subjects:
- kind: ServiceAccount
  name: sa1
  namespace: ns1
- kind: ServiceAccount
  name: sa2
  namespace: ns1
- kind: ServiceAccount
  name: sa3
  namespace: random
- kind: ServiceAccount
  name: default
  namespace: irrelevant
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: example
webhooks:
  - name: example1
    clientConfig:
      service:
        name: svc1
        namespace: ns1
  - name: example2
    clientConfig:
      service:
        name: svc2
        namespace: ns1
  - name: example3
    clientConfig:
      service:
        name: svc3
        namespace: random
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crds.my.org
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: namespace.crds.my.org
spec:
  conversion:
    strategy: Webhook
    webhook:
      clientConfig:
        service:
          name: crd-svc
          namespace: random
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb1
subjects:
- kind: ServiceAccount
  name: default
  namespace: irrelevant
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv1
`,
  };
  assert.equal(run(files, "t57947", "none"), trimLead(String.raw`
apiVersion: v1
kind: ConfigMap
metadata:
  name: p1-cm1-s1
  namespace: newnamespace
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: p1-cm2-s1
  namespace: newnamespace
---
apiVersion: v1
kind: Service
metadata:
  name: p1-svc1-s1
  namespace: newnamespace
---
apiVersion: v1
kind: Service
metadata:
  name: p1-svc2-s1
  namespace: newnamespace
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: p1-sa1-s1
  namespace: newnamespace
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: p1-sa2-s1
  namespace: newnamespace
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: p1-manager-rolebinding-s1
subjects:
- kind: ServiceAccount
  name: p1-sa1-s1
  namespace: newnamespace
- kind: ServiceAccount
  name: p1-sa2-s1
  namespace: newnamespace
- kind: ServiceAccount
  name: sa3
  namespace: random
- kind: ServiceAccount
  name: default
  namespace: newnamespace
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: p1-example-s1
webhooks:
- clientConfig:
    service:
      name: p1-svc1-s1
      namespace: newnamespace
  name: example1
- clientConfig:
    service:
      name: p1-svc2-s1
      namespace: newnamespace
  name: example2
- clientConfig:
    service:
      name: svc3
      namespace: random
  name: example3
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crds.my.org
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: namespace.crds.my.org
spec:
  conversion:
    strategy: Webhook
    webhook:
      clientConfig:
        service:
          name: crd-svc
          namespace: newnamespace
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: p1-cr1-s1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: p1-crb1-s1
subjects:
- kind: ServiceAccount
  name: default
  namespace: newnamespace
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: p1-pv1-s1
`));
});

test("TestAddNamePrefixWithNamespace (namespaces_test.go)", () => {
  const files = {
    "t99626/serviceaccount.yaml": String.raw`
apiVersion: v1
kind: ServiceAccount
metadata:
  name: prometheus
`,
    "t99626/clusterrolebinding.yaml": String.raw`
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: ClusterRoleBinding
metadata:
  name: prometheus
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: prometheus
subjects:
- kind: ServiceAccount
  name: prometheus
  namespace: iter8-monitoring
`,
    ...K("t99626", String.raw`
namePrefix: iter8-
namespace: iter8-monitoring
resources:
- clusterrolebinding.yaml
- serviceaccount.yaml
`),
  };
  assert.equal(run(files, "t99626", "none"), trimLead(String.raw`
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: ClusterRoleBinding
metadata:
  name: iter8-prometheus
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: prometheus
subjects:
- kind: ServiceAccount
  name: iter8-prometheus
  namespace: iter8-monitoring
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: iter8-prometheus
  namespace: iter8-monitoring
`));
});

test("TestNameNotOveriddenForNonCoreApiVersionOnANamespaceKind (namespaces_test.go)", () => {
  const files = {
    "t94843/azure-servicebus.yaml": String.raw`
apiVersion: servicebus.azure.com/v1beta20210101preview
kind: Namespace
metadata:
  name: core-sb-99
  namespace: without-podinfo
`,
    ...K("t94843", String.raw`
namespace: podinfo
resources:
  - azure-servicebus.yaml
`),
  };
  assert.equal(run(files, "t94843", "none"), trimLead(String.raw`
apiVersion: servicebus.azure.com/v1beta20210101preview
kind: Namespace
metadata:
  name: core-sb-99
  namespace: podinfo
`));
});

test("cycles between kustomizations are errors, not endless recursion", () => {
  assert.throws(() => kustomize(mem(K("x", "resources: [.]\n")), "x"), /cycle detected: candidate root 'x' contains visited root 'x'/);
  assert.throws(() => kustomize(mem({ ...K("x/a", "resources: [..]\n"), ...K("x", "resources: [a]\n") }), "x/a"), /cycle detected: candidate root 'x' contains visited root 'x\/a'/);
  assert.throws(() => kustomize(mem({ ...K("a", "resources: [../b]\n"), ...K("b", "resources: [../a]\n") }), "a"), /cycle detected: 'a' is already being built \(a -> b -> a\)/);
});
