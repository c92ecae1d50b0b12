import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs } from "../../runtime/vfs.ts";
import { emptyDirFs, refreshPodVolumes, setUpPodVolumes, snapshotSubtree, type VolumeHost } from "./volumes.ts";

function host(objects: Record<string, any> = {}): VolumeHost {
  const nodeFs = new MemFs(undefined, { "/etc/hostname": "n1\n" });
  const ctx: any = { clock: { now: () => 0 }, api: { get: (kind: string, _ns: string, name: string) => objects[`${kind}/${name}`] } };
  return { ctx, nodeFs, nodeAllocatable: { cpu: "4", memory: "8Gi" } };
}
const pod = (volumes: any[]) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", uid: "u1", labels: { app: "web", tier: "a" } }, spec: { volumes, containers: [{ name: "c", resources: { limits: { memory: "64Mi" } } }] } });

// pkg/volume/hostpath TestOSFileTypeChecker-like cases, on the node's filesystem.
test("hostPath types: DirectoryOrCreate creates, Directory/File require, mismatches fail with upstream's text", () => {
  const h = host();
  h.nodeFs.mkdir("/data", { recursive: true });
  h.nodeFs.writeFile("/data/f.txt", "x");
  const cases: Array<[any, string | undefined]> = [
    [{ path: "/new/dir", type: "DirectoryOrCreate" }, undefined],
    [{ path: "/data", type: "Directory" }, undefined],
    [{ path: "/missing", type: "Directory" }, "hostPath type check failed: /missing is not a directory"],
    [{ path: "/data/f.txt", type: "Directory" }, "hostPath type check failed: /data/f.txt is not a directory"],
    [{ path: "/data/f.txt", type: "DirectoryOrCreate" }, "hostPath type check failed: /data/f.txt is not a directory"],
    [{ path: "/data/f.txt", type: "File" }, undefined],
    [{ path: "/data", type: "File" }, "hostPath type check failed: /data is not a file"],
    [{ path: "/data/new.txt", type: "FileOrCreate" }, undefined],
    [{ path: "/sock", type: "Socket" }, "hostPath type check failed: /sock is not a socket file"],
    [{ path: "/x", type: "Weird" }, "Weird is an invalid volume type"],
    [{ path: "/untyped" }, undefined],
  ];
  for (const [hp, err] of cases) {
    const r = setUpPodVolumes(h, pod([{ name: "v", hostPath: hp }]) as any, new Map());
    if (err === undefined) assert.equal(r.ok, true, JSON.stringify(hp));
    else assert.deepEqual(r, { ok: false, volume: "v", message: err }, JSON.stringify(hp));
  }
  assert.equal(h.nodeFs.stat("/new/dir")?.type, "dir");
  assert.equal(h.nodeFs.stat("/data/new.txt")?.type, "file");
});

test("configMap and secret volumes: keys as files (items pick and rename), missing sources fail unless optional", () => {
  const h = host({ "ConfigMap/cfg": { data: { a: "1", b: "2" } }, "Secret/sec": { data: { pw: Buffer.from("s3cr3t").toString("base64") } } });
  const r = setUpPodVolumes(h, pod([
    { name: "c", configMap: { name: "cfg", items: [{ key: "b", path: "sub/bee" }] } },
    { name: "s", secret: { secretName: "sec" } },
    { name: "o", configMap: { name: "nope", optional: true } },
  ]) as any, new Map());
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.equal(r.volumes.get("c")!.fs.readFile("/sub/bee"), "2");
  assert.equal(r.volumes.get("c")!.fs.stat("/a"), undefined);
  assert.equal(r.volumes.get("c")!.readOnly, true);
  assert.equal(r.volumes.get("s")!.fs.readFile("/pw"), "s3cr3t");
  assert.deepEqual(setUpPodVolumes(h, pod([{ name: "m", configMap: { name: "nope" } }]) as any, new Map()), {
    ok: false, volume: "m", message: 'configmap "nope" not found',
  });
  assert.deepEqual(setUpPodVolumes(h, pod([{ name: "m", secret: { secretName: "gone" } }]) as any, new Map()), {
    ok: false, volume: "m", message: 'secret "gone" not found',
  });
});

test("emptyDir is kept across set-ups; downwardAPI writes fields and labels as the kubelet formats them", () => {
  const h = host();
  const existing = new Map();
  const first = setUpPodVolumes(h, pod([{ name: "e", emptyDir: {} }]) as any, existing);
  assert.equal(first.ok, true);
  if (!first.ok) return;
  first.volumes.get("e")!.fs.writeFile("/x", "kept");
  const again = setUpPodVolumes(h, pod([{ name: "e", emptyDir: {} }]) as any, first.volumes);
  assert.equal(again.ok && again.volumes.get("e")!.fs.readFile("/x"), "kept");
  const d = setUpPodVolumes(h, pod([{ name: "d", downwardAPI: { items: [
    { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
    { path: "app", fieldRef: { fieldPath: "metadata.labels['app']" } },
    { path: "name", fieldRef: { fieldPath: "metadata.name" } },
    { path: "mem", resourceFieldRef: { containerName: "c", resource: "limits.memory", divisor: "1Mi" } },
    { path: "cpu", resourceFieldRef: { containerName: "c", resource: "limits.cpu" } },
  ] } }]) as any, new Map());
  assert.equal(d.ok, true);
  if (!d.ok) return;
  const fs = d.volumes.get("d")!.fs;
  assert.deepEqual(["labels", "app", "name", "mem", "cpu"].map((f) => fs.readFile(`/${f}`)), ['app="web"\ntier="a"', "web", "p", "64", "4"]);
});

test("atomic-writer volumes follow their sources on a later sync: changed keys rewritten, removed ones gone", () => {
  const objects: Record<string, any> = { "ConfigMap/cfg": { metadata: { resourceVersion: "1" }, data: { a: "1", b: "2" } } };
  const h = host(objects);
  const p = pod([{ name: "c", configMap: { name: "cfg" } }, { name: "d", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } }]) as any;
  const r = setUpPodVolumes(h, p, new Map());
  assert.equal(r.ok, true);
  if (!r.ok) return;
  const c = r.volumes.get("c")!;
  const pinned = snapshotSubtree(c.fs, "/a", h.ctx.clock);
  objects["ConfigMap/cfg"] = { metadata: { resourceVersion: "2" }, data: { a: "one", c: "3" } };
  const relabelled = { ...p, metadata: { ...p.metadata, labels: { app: "web", tier: "b" } } };
  assert.deepEqual(refreshPodVolumes(h, relabelled, r.volumes), []);
  assert.equal(c.fs.readFile("/a"), "one");
  assert.equal(c.fs.readFile("/c"), "3");
  assert.equal(c.fs.stat("/b"), undefined);
  assert.equal(r.volumes.get("d")!.fs.readFile("/labels"), 'app="web"\ntier="b"');
  // A subPath mount keeps the file as it was when the container started.
  assert.equal(pinned.fs.readFile(pinned.subPath), "1");
  // A source that disappears keeps the files and reports the set-up failure.
  delete objects["ConfigMap/cfg"];
  assert.deepEqual(refreshPodVolumes(h, relabelled, r.volumes), [{ volume: "c", message: 'configmap "cfg" not found' }]);
  assert.equal(c.fs.readFile("/a"), "one");
});

test("a secret volume naming a key the Secret lacks fails with the secret plugin's text", () => {
  const h = host({ "Secret/sec": { data: { pw: "eA==" } } });
  assert.deepEqual(setUpPodVolumes(h, pod([{ name: "s", secret: { secretName: "sec", items: [{ key: "nope", path: "x" }] } }]) as any, new Map()), {
    ok: false, volume: "s", message: "references non-existent secret key: nope",
  });
});

test("emptyDir: mode 0777; with the pod's fsGroup its group and setgid (SetVolumeOwnership)", () => {
  const plain = emptyDirFs(undefined, undefined).stat("/")!;
  assert.deepEqual([plain.mode, plain.gid], [0o777, undefined]);
  const owned = emptyDirFs(undefined, 2000).stat("/")!;
  assert.deepEqual([owned.mode, owned.gid], [0o2777, 2000]);
});

test("projected volumes: every missing source in one aggregate error, one alone as it is; a missing key fails at once", () => {
  const proj = (...sources: any[]) => pod([{ name: "all-in-one", projected: { sources } }]) as any;
  const h = host({ "Secret/user": { data: { "username.txt": "YWRtaW4=" } } });
  assert.deepEqual(setUpPodVolumes(host(), proj({ secret: { name: "user" } }, { secret: { name: "pass" } }), new Map()), {
    ok: false, volume: "all-in-one", message: '[secret "user" not found, secret "pass" not found]',
  });
  assert.deepEqual(setUpPodVolumes(h, proj({ secret: { name: "user" } }, { configMap: { name: "cfg" } }), new Map()), {
    ok: false, volume: "all-in-one", message: 'configmap "cfg" not found',
  });
  assert.deepEqual(setUpPodVolumes(h, proj({ configMap: { name: "cfg" } }, { secret: { name: "user", items: [{ key: "nope", path: "x" }] } }), new Map()), {
    ok: false, volume: "all-in-one", message: "references non-existent secret key: nope",
  });
  const ok = setUpPodVolumes(h, proj({ secret: { name: "user" } }, { configMap: { name: "cfg", optional: true } }), new Map());
  assert.equal(ok.ok && ok.volumes.get("all-in-one")!.fs.readFile("/username.txt"), "admin");
});

test("the projected service account token is the API server's signed TokenRequest bound to the pod; a missing account fails the mount", async () => {
  const { Cluster } = await import("../../cluster.ts");
  const { decodeToken } = await import("../../api/serviceaccount/jwt.ts");
  const c = new Cluster();
  const p = c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } });
  const h: VolumeHost = { ctx: c.ctx, nodeFs: new MemFs(undefined, {}), nodeAllocatable: { cpu: "4", memory: "8Gi" } };
  const set = setUpPodVolumes(h, p as any, new Map());
  assert.ok(set.ok);
  const vol = set.volumes.get(p.spec.volumes[0].name)!;
  const token = vol.fs.readFile("/token");
  const { header, claims } = decodeToken(token)!;
  assert.equal(header.alg, "RS256");
  const now = Math.floor(c.clock.now() / 1000);
  assert.equal(claims.sub, "system:serviceaccount:default:default");
  assert.deepEqual(claims.aud, ["https://kubernetes.default.svc.cluster.local"]);
  assert.equal(claims.exp, now + 365 * 24 * 3600);
  assert.deepEqual((claims["kubernetes.io"] as any).pod, { name: "web", uid: p.metadata.uid });
  assert.equal((claims["kubernetes.io"] as any).warnafter, now + 3607);
  assert.equal(vol.fs.readFile("/namespace"), "default");
  assert.match(vol.fs.readFile("/ca.crt"), /^-----BEGIN CERTIFICATE-----/);
  c.api.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot", namespace: "default" } });
  const q = c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "q", namespace: "default" }, spec: { serviceAccountName: "robot", containers: [{ name: "c", image: "nginx" }] } });
  c.api.delete("ServiceAccount", "default", "robot");
  assert.deepEqual(setUpPodVolumes(h, q as any, new Map()), { ok: false, volume: q.spec.volumes[0].name, message: 'failed to fetch token: serviceaccounts "robot" not found' });
});
