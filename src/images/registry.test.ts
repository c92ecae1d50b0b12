import { test } from "node:test";
import assert from "node:assert/strict";
import { ImageRegistry } from "./registry.ts";
import { ServiceRegistry, type ClusterContext } from "../context.ts";
import { defaultPullPolicy, parseImageReference } from "./reference.ts";

test("image references are fully qualified as containerd names them", () => {
  assert.equal(parseImageReference("busybox:1.28")!.fullName, "docker.io/library/busybox:1.28");
  assert.equal(parseImageReference("busybox")!.fullName, "docker.io/library/busybox:latest");
  // distribution/reference's grammar: the page's placeholder and other malformed names do not parse.
  for (const bad of ["<your-private-image>", "my_image__x_", "a--", "-a", "nginx/", "reg.io:port/x", "a..b/c"]) assert.equal(parseImageReference(bad), undefined, bad);
  for (const good of ["my-org/my_app", "a__b", "a---b", "localhost:5000/x", "your.private.registry.example.com/janedoe/jdoe-private:v1", "[::1]:5000/x"]) assert.ok(parseImageReference(good), good);
  assert.equal(parseImageReference("kubetm/app")!.fullName, "docker.io/kubetm/app:latest");
  assert.equal(parseImageReference("docker.io/library/nginx:1.27")!.repository, "nginx");
  assert.equal(parseImageReference("registry.k8s.io/pause:3.10")!.repository, "registry.k8s.io/pause");
  assert.equal(parseImageReference("localhost:5000/x:1")!.fullName, "localhost:5000/x:1");
  assert.equal(parseImageReference("Busybox"), undefined);
});

test("default pull policy: Always for latest or no tag, else IfNotPresent", () => {
  assert.equal(defaultPullPolicy("busybox"), "Always");
  assert.equal(defaultPullPolicy("busybox:latest"), "Always");
  assert.equal(defaultPullPolicy("busybox:1.28"), "IfNotPresent");
  assert.equal(defaultPullPolicy("busybox@sha256:abc"), "IfNotPresent");
});

test("known images pull, unknown ones fail with containerd's error", () => {
  const r = new ImageRegistry();
  const ok = r.lookup("busybox:1.28");
  assert.equal(ok.ok, true);
  if (ok.ok) assert.match(ok.imageID, /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  r.declare({ repository: "myorg/worker", sizeBytes: 10, pullMs: 100, hasShell: false, tags: ["v1"], launch: () => { throw new Error("x"); } });
  assert.equal(r.lookup("myorg/worker:v1").ok, true);
  const missingTag = r.lookup("myorg/worker:v2");
  assert.equal(missingTag.ok, false);
  if (!missingTag.ok) assert.match(missingTag.error, /code = NotFound.*docker\.io\/myorg\/worker:v2: not found$/);
});

const DENIED = (full: string) =>
  `rpc error: code = Unknown desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
const NOT_FOUND = (full: string) => `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`;

test("what exists: the catalogue, official images and their real tags, complete namespaces, near misses, the user's own", () => {
  const r = new ImageRegistry();
  const table: Array<[string, true | { why: string; error: string; similar?: string }]> = [
    ["nginx:1.14.2", true],
    ["nginx:1.16.1", true],
    ["nginx", true],
    ["docker.io/library/busybox:1.36", true],
    ["registry.k8s.io/busybox", true],
    ["registry.k8s.io/busybox:1.27.2", true],
    ["gcr.io/google-containers/busybox:1.24", true],
    ["k8s.gcr.io/pause:3.9", true],
    ["registry.k8s.io/e2e-test-images/agnhost:2.40", true],
    ["registry.k8s.io/goproxy:0.1", true],
    ["registry.k8s.io/etcd:3.5.1-0", true],
    ["polinux/stress", true],
    ["vish/stress", true],
    ["perl:5.34.0", true],
    ["python:3.12", true],
    ["kubetm/app:v7", true],
    ["myorg/shop:1.4", true],
    ["ghcr.io/acme/api", true],
    ["123456789012.dkr.ecr.us-east-1.amazonaws.com/svc:2.0", true],
    ["ngnix", { why: "unknown-name", error: DENIED("docker.io/library/ngnix:latest"), similar: "docker.io/library/nginx" }],
    ["kubetm/ap", { why: "unknown-name", error: DENIED("docker.io/kubetm/ap:latest"), similar: "docker.io/kubetm/app" }],
    ["nginx:1.161", { why: "missing-tag", error: NOT_FOUND("docker.io/library/nginx:1.161"), similar: "1.16.1" }],
    ["nginx:sometag", { why: "missing-tag", error: NOT_FOUND("docker.io/library/nginx:sometag") }],
    ["registry.k8s.io/busybox:1.28", { why: "missing-tag", error: NOT_FOUND("registry.k8s.io/busybox:1.28") }],
    ["registry.k8s.io/no-such-image:1.0", { why: "unknown-name", error: NOT_FOUND("registry.k8s.io/no-such-image:1.0") }],
    ["polinux/stres", { why: "near-miss", error: DENIED("docker.io/polinux/stres:latest"), similar: "docker.io/polinux/stress" }],
    ["gcr.io/google-sample/hello-app:1.0", { why: "near-miss", error: NOT_FOUND("gcr.io/google-sample/hello-app:1.0"), similar: "gcr.io/google-samples/hello-app" }],
  ];
  for (const [image, want] of table) {
    const l = r.lookup(image);
    if (want === true) {
      assert.equal(l.ok, true, `${image} exists`);
      continue;
    }
    assert.equal(l.ok, false, `${image} does not exist`);
    if (l.ok) continue;
    assert.equal(l.why, want.why, image);
    assert.equal(l.error, want.error, image);
    if (want.similar) assert.equal(l.similar, want.similar, image);
  }
});

test("digests are accepted and name the image", () => {
  const r = new ImageRegistry();
  const d = "sha256:" + "ab".repeat(32);
  const l = r.lookup(`nginx@${d}`);
  assert.equal(l.ok, true);
  if (l.ok) {
    assert.equal(l.imageID, `docker.io/library/nginx@${d}`);
    assert.equal(l.ref.fullName, `docker.io/library/nginx@${d}`);
  }
  assert.equal(r.lookup(`nginx:1.14.2@${d}`).ok, true);
});

test("the scenario's word, the project setting and private images", () => {
  const r = new ImageRegistry();
  r.setExists("myorg/shop:2.0", false);
  const absent = r.lookup("myorg/shop:2.0");
  assert.equal(!absent.ok && absent.why, "declared-absent");
  assert.equal(!absent.ok && absent.error, DENIED("docker.io/myorg/shop:2.0"));
  assert.equal(r.lookup("myorg/shop:1.9").ok, true, "only that tag");
  r.setExists("nginx:9.9.9", true);
  assert.equal(r.lookup("nginx:9.9.9").ok, true, "a tag the data does not list, declared to exist");
  r.setUnknownImages("absent");
  const unknown = r.lookup("ghcr.io/acme/api:1.0");
  assert.equal(!unknown.ok && unknown.why, "unknown-absent");
  assert.equal(!unknown.ok && unknown.error, NOT_FOUND("ghcr.io/acme/api:1.0"));
  assert.equal(r.lookup("busybox").ok, true, "catalogue images still exist");
  r.setExists("ghcr.io/acme/api", true);
  assert.equal(r.lookup("ghcr.io/acme/api:1.0").ok, true);
  r.setPrivate("ghcr.io/acme/api");
  const denied = r.lookup("ghcr.io/acme/api:1.0");
  assert.equal(!denied.ok && denied.why, "unauthorized");
  assert.match(!denied.ok ? denied.error : "", /failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized$/);
  assert.equal(r.lookup("ghcr.io/acme/api:1.0", new Set(["ghcr.io"])).ok, true);
  assert.match(r.explainMissing("ghcr.io/acme/api:1.0") ?? "", /private: the pod needs an imagePullSecret with credentials for ghcr.io/);
  assert.match(r.explainMissing("nginx:1.161") ?? "", /repository docker\.io\/library\/nginx exists but has no tag "1\.161" \(did you mean "1\.16\.1"\?\)/);
  assert.match(r.explainMissing("ngnix") ?? "", /one-word name means Docker Hub's official image docker\.io\/library\/ngnix, and there is none of that name \(did you mean "nginx"\?\)/);
  assert.equal(r.explainMissing("busybox"), undefined);
});

test("sizes and pull times come from the model data", () => {
  const r = new ImageRegistry();
  const b = r.lookup("busybox:1.28");
  assert.equal(b.ok && b.sizeBytes, 2_155_365);
  assert.equal(b.ok && b.pullMs, 1_200);
  const perl = r.lookup("perl:5.34.0");
  assert.ok(perl.ok && perl.sizeBytes > 300_000_000 && perl.pullMs > 8_000, "perl is big and slow to pull");
  const generic = r.lookup("myorg/shop:1.0");
  assert.ok(generic.ok && generic.behaviour.notice, "a generic image carries its notice");
});

test("pull and start durations can be overridden per cluster", () => {
  const r = new ImageRegistry({ services: new ServiceRegistry() } as unknown as ClusterContext);
  r.setPullDuration("kubetm/app", 5_000);
  const l = r.lookup("kubetm/app:v1");
  assert.equal(l.ok && l.pullMs, 5_000);
  assert.equal(r.startDuration("kubetm/app:v2"), undefined);
  r.setStartDuration("kubetm/app", 20_000);
  assert.equal(r.startDuration("kubetm/app:v2"), 20_000);
  assert.equal(r.startDuration("docker.io/kubetm/app"), 20_000);
});

test("the release images of metrics-server and ingress-nginx: their real tags and the digests their projects published", () => {
  const r = new ImageRegistry();
  const ms = r.lookup("registry.k8s.io/metrics-server/metrics-server:v0.7.2");
  assert.ok(ms.ok);
  // kubernetes/minikube pkg/minikube/assets/addons.go pins v0.7.2 at this digest.
  assert.equal(ms.imageID, "registry.k8s.io/metrics-server/metrics-server@sha256:ffcb2bf004d6aa0a17d90e0247cf94f2865c8901dcab4427034c341951c239f9");
  assert.ok(r.lookup("k8s.gcr.io/metrics-server/metrics-server:v0.3.7").ok);
  const missing = r.lookup("registry.k8s.io/metrics-server/metrics-server:v0.7.3");
  assert.equal(missing.ok, false);
  assert.match(missing.error, /registry\.k8s\.io\/metrics-server\/metrics-server:v0\.7\.3: not found/);
  // ingress-nginx's deploy.yaml at controller-v1.12.0 pins its images by digest.
  const ctrl = r.lookup("registry.k8s.io/ingress-nginx/controller:v1.12.0");
  assert.ok(ctrl.ok);
  assert.equal(ctrl.imageID, "registry.k8s.io/ingress-nginx/controller@sha256:e6b8de175acda6ca913891f0f727bca4527e797d52688cbe9fec9040d6f6b6fa");
  const pinned = r.lookup("registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.0@sha256:aaafd456bda110628b2d4ca6296f38731a3aaf0bf7581efae824a41c770a8fc4");
  assert.ok(pinned.ok);
  assert.equal(pinned.imageID, "registry.k8s.io/ingress-nginx/kube-webhook-certgen@sha256:aaafd456bda110628b2d4ca6296f38731a3aaf0bf7581efae824a41c770a8fc4");
});
