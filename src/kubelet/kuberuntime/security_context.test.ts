import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs } from "../../runtime/vfs.ts";
import type { Container, Pod } from "../../api/types.gen.ts";
import { capabilitySet, containerCred, procStatus, readGroups, readPasswd, verifyRunAsNonRoot } from "./security_context.ts";

const busybox = () =>
  new MemFs(undefined, {
    "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
    "/etc/group": "root:x:0:\nwheel:x:10:root\nnogroup:x:65534:\n",
  });
const pod = (sc: NonNullable<Pod["spec"]>["securityContext"], c: Partial<Container> = {}): [Pod, Container] => {
  const container = { name: "c", image: "busybox", ...c } as Container;
  return [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { securityContext: sc, containers: [container] } }, container];
};
const hex = (b: bigint) => b.toString(16).padStart(16, "0");

test("root by default: the image's groups of root, the default capabilities", () => {
  const [p, c] = pod(undefined);
  const cred = containerCred(p, c, undefined, busybox());
  assert.deepEqual([cred.uid, cred.gid, cred.groups], [0, 0, [0, 10]]);
  assert.equal(hex(cred.caps!.effective), "00000000a80425fb");
  assert.equal(hex(cred.caps!.bounding), "00000000a80425fb");
});

test("the security-context page: runAsUser, runAsGroup, fsGroup and supplementalGroups", () => {
  const [p, c] = pod({ runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] }, { securityContext: { allowPrivilegeEscalation: false } });
  const cred = containerCred(p, c, undefined, busybox());
  assert.deepEqual([cred.uid, cred.gid, cred.groups], [1000, 3000, [2000, 3000, 4000]]);
  // Non-root: no permitted or effective capabilities, the bounding set stays.
  assert.equal(hex(cred.caps!.effective), "0000000000000000");
  assert.equal(hex(cred.caps!.bounding), "00000000a80425fb");
  assert.equal(cred.noNewPrivs, true);
});

test("a container's runAsUser overrides the pod's; a uid without passwd entry runs with gid 0; the image's USER and its groups", () => {
  const [p, c] = pod({ runAsUser: 1000 }, { securityContext: { runAsUser: 2000 } });
  assert.deepEqual(containerCred(p, c, undefined, busybox()).uid, 2000);
  assert.deepEqual(containerCred(p, c, undefined, busybox()).gid, 0);
  const img = new MemFs(undefined, {
    "/etc/passwd": "root:x:0:0::/root:/bin/sh\nuser-defined-in-image:x:1000:1000::/home/u:/bin/sh\n",
    "/etc/group": "root:x:0:\nuser-defined-in-image:x:1000:\ngroup-defined-in-image:x:50000:user-defined-in-image\n",
  });
  const [p2, c2] = pod({ runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000] });
  assert.deepEqual(containerCred(p2, c2, undefined, img).groups, [3000, 4000, 50000]);
  const [p3, c3] = pod(undefined);
  const byImage = containerCred(p3, c3, "user-defined-in-image", img);
  assert.deepEqual([byImage.uid, byImage.gid, byImage.groups], [1000, 1000, [1000, 50000]]);
  assert.deepEqual(containerCred(p3, c3, "65534:65534", busybox()).gid, 65534);
});

test("capabilities: add, drop, ALL, privileged", () => {
  const set = (caps: { add?: string[]; drop?: string[] }, privileged?: boolean) => hex(capabilitySet({ name: "c", securityContext: { capabilities: caps, privileged } } as Container));
  assert.equal(set({ add: ["NET_ADMIN", "SYS_TIME"] }), "00000000aa0435fb");
  assert.equal(set({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] }), "0000000000000400");
  assert.equal(set({ drop: ["NET_RAW", "CAP_KILL"] }), "00000000a80405db");
  assert.equal(set({}, true), "000001ffffffffff");
  assert.equal(set({ add: ["ALL"] }), "000001ffffffffff");
});

test("/proc/<pid>/status carries the identity and the capability sets", () => {
  const [p, c] = pod(undefined, { securityContext: { capabilities: { add: ["NET_ADMIN", "SYS_TIME"] } } });
  const text = procStatus("hello-app", 1, 0, containerCred(p, c, undefined, busybox()));
  assert.match(text, /^Name:\thello-app\n/);
  assert.match(text, /\nUid:\t0\t0\t0\t0\n/);
  assert.match(text, /\nCapPrm:\t00000000aa0435fb\nCapEff:\t00000000aa0435fb\nCapBnd:\t00000000aa0435fb\n/);
  assert.match(text, /\nNoNewPrivs:\t0\nSeccomp:\t0\n/);
});

test("verifyRunAsNonRoot: the kubelet's texts", () => {
  const name = "p_default(u1)";
  const [p, c] = pod({ runAsNonRoot: true });
  assert.equal(verifyRunAsNonRoot(p, c, undefined, name), `container has runAsNonRoot and image will run as root (pod: "p_default(u1)", container: c)`);
  assert.equal(verifyRunAsNonRoot(p, c, "nginx", name), `container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root (pod: "p_default(u1)", container: c)`);
  assert.equal(verifyRunAsNonRoot(p, c, "101:101", name), undefined);
  const [p2, c2] = pod({ runAsNonRoot: true, runAsUser: 0 });
  assert.equal(verifyRunAsNonRoot(p2, c2, undefined, name), `container's runAsUser breaks non-root policy (pod: "p_default(u1)", container: c)`);
  const [p3, c3] = pod({ runAsUser: 1000 }, { securityContext: { runAsNonRoot: true } });
  assert.equal(verifyRunAsNonRoot(p3, c3, undefined, name), undefined);
  const [p4, c4] = pod(undefined);
  assert.equal(verifyRunAsNonRoot(p4, c4, undefined, name), undefined);
});

test("the user's home for runc's HOME: the passwd entry's, / without one; root's /root when the model has no passwd", () => {
  const [p, c] = pod(undefined);
  assert.equal(containerCred(p, c, undefined, busybox()).home, "/root");
  const [p2, c2] = pod({ runAsUser: 65534 });
  assert.equal(containerCred(p2, c2, undefined, busybox()).home, "/home");
  const [p3, c3] = pod({ runAsUser: 1000 });
  assert.equal(containerCred(p3, c3, undefined, busybox()).home, "/");
  assert.equal(containerCred(p, c, undefined, new MemFs(undefined, {})).home, "/root");
  assert.equal(containerCred(p3, c3, undefined, new MemFs(undefined, {})).home, "/");
});

test("passwd and group are read per text (kept parses, issue #19): each text its own entries; none, a directory or a file in the way read as no entries", () => {
  const a = new MemFs(undefined, { "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "/etc/group": "root:x:0:\nwheel:x:10:root\n" });
  const b = new MemFs(undefined, { "/etc/passwd": "app:x:1000:1000::/srv:/bin/sh\n# comment\nroot:x:0:0:root:/root:/bin/sh\n", "/etc/group": "app:x:1000:root,app\n" });
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(readPasswd(a), [{ name: "root", uid: 0, gid: 0, home: "/root" }]);
    assert.deepEqual(readPasswd(b), [
      { name: "app", uid: 1000, gid: 1000, home: "/srv" },
      { name: "root", uid: 0, gid: 0, home: "/root" },
    ]);
    assert.deepEqual(readGroups(a), [
      { name: "root", gid: 0, members: [] },
      { name: "wheel", gid: 10, members: ["root"] },
    ]);
    assert.deepEqual(readGroups(b), [{ name: "app", gid: 1000, members: ["root", "app"] }]);
  }
  // The same text in another filesystem gives the same (shared, frozen) entries.
  const a2 = new MemFs(undefined, { "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\n" });
  assert.equal(readPasswd(a2), readPasswd(a));
  assert.ok(Object.isFrozen(readPasswd(a)[0]));
  // A file written later is read as it is now.
  a2.writeFile("/etc/passwd", "toor:x:0:0::/:/bin/sh\n");
  assert.deepEqual(readPasswd(a2), [{ name: "toor", uid: 0, gid: 0, home: "/" }]);
  assert.deepEqual(readPasswd(new MemFs(undefined, {})), []);
  const dir = new MemFs(undefined, {});
  dir.mkdir("/etc/passwd", { recursive: true });
  assert.deepEqual(readPasswd(dir), []);
  assert.deepEqual(readGroups(new MemFs(undefined, { "/etc": "a file" })), []);
});
