import { test } from "node:test";
import assert from "node:assert/strict";
import { ImageRegistry } from "./registry.ts";
import { defaultPullPolicy, parseImageReference } from "./reference.ts";

test("image references are fully qualified as containerd names them", () => {
  assert.equal(parseImageReference("busybox:1.28")!.fullName, "docker.io/library/busybox:1.28");
  assert.equal(parseImageReference("busybox")!.fullName, "docker.io/library/busybox:latest");
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
  const bad = r.lookup("nosuchimage:1.0");
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.error, /pull access denied, repository does not exist/);
  r.declare({ repository: "myorg/worker", sizeBytes: 10, pullMs: 100, hasShell: false, tags: ["v1"], launch: () => { throw new Error("x"); } });
  assert.equal(r.lookup("myorg/worker:v1").ok, true);
  const missingTag = r.lookup("myorg/worker:v2");
  assert.equal(missingTag.ok, false);
  if (!missingTag.ok) assert.match(missingTag.error, /code = NotFound.*docker\.io\/myorg\/worker:v2: not found$/);
});

test("pull and start durations can be overridden per cluster", () => {
  const r = new ImageRegistry({ services: new Map() } as any);
  r.setPullDuration("kubetm/app", 5_000);
  const l = r.lookup("kubetm/app:v1");
  assert.equal(l.ok && l.pullMs, 5_000);
  assert.equal(r.startDuration("kubetm/app:v2"), undefined);
  r.setStartDuration("kubetm/app", 20_000);
  assert.equal(r.startDuration("kubetm/app:v2"), 20_000);
  assert.equal(r.startDuration("docker.io/kubetm/app"), 20_000);
});
