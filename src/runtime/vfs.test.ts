import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs, MountedFs, mayAccess, normalizePath, resolvePath } from "./vfs.ts";
import { VfsError } from "./types.ts";
import { SimClock } from "../sim/clock.ts";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof VfsError) return `${e.code} ${e.path}`;
    throw e;
  }
  return undefined;
}

test("normalizePath and resolvePath", () => {
  assert.equal(normalizePath("//a/./b/../c/"), "/a/c");
  assert.equal(normalizePath("/../.."), "/");
  assert.equal(resolvePath("/work", "x/../y"), "/work/y");
  assert.equal(resolvePath("/work", "/abs"), "/abs");
});

test("MemFs files and directories", () => {
  const clock = new SimClock();
  const fs = new MemFs(clock, { "/etc/hostname": "pod1\n" });
  assert.equal(fs.readFile("/etc/hostname"), "pod1\n");
  assert.equal(code(() => fs.readFile("/nope")), "ENOENT /nope");
  assert.equal(code(() => fs.readFile("/etc")), "EISDIR /etc");
  assert.equal(code(() => fs.writeFile("/a/b", "x")), "ENOENT /a/b");
  assert.equal(code(() => fs.readFile("/etc/hostname/x")), "ENOTDIR /etc/hostname/x");
  fs.mkdir("/a/b/c", { recursive: true });
  assert.equal(code(() => fs.mkdir("/a")), "EEXIST /a");
  fs.writeFile("/a/b/f", "1");
  fs.writeFile("/a/b/f", "2", { append: true });
  assert.equal(fs.readFile("/a/b/f"), "12");
  assert.deepEqual(fs.readdir("/a/b"), ["c", "f"]);
  assert.equal(code(() => fs.rmdir("/a")), "ENOTEMPTY /a");
  assert.equal(code(() => fs.unlink("/a")), "EISDIR /a");
  clock.advance(5000);
  fs.touch("/a/b/f");
  assert.equal(fs.stat("/a/b/f")?.mtimeMs, clock.now());
  fs.touch("/a/new");
  assert.equal(fs.readFile("/a/new"), "");
  fs.rmdir("/a", { recursive: true });
  assert.equal(fs.stat("/a"), undefined);
  assert.equal(fs.stat("/etc/hostname/x"), undefined);
});

test("MountedFs routes to the longest mount, with subPath", () => {
  const node = new MemFs(undefined, { "/tmp/readiness/ready.txt": "ok" });
  const root = new MemFs(undefined, { "/bin/sh": "" });
  const fs = new MountedFs(root, [{ path: "/readiness", fs: node, subPath: "/tmp/readiness" }]);
  assert.equal(fs.readFile("/readiness/ready.txt"), "ok");
  assert.deepEqual(fs.readdir("/"), ["bin", "readiness"]);
  assert.equal(fs.stat("/readiness")?.type, "dir");
  fs.writeFile("/readiness/new", "n");
  assert.equal(node.readFile("/tmp/readiness/new"), "n");
  node.unlink("/tmp/readiness/ready.txt");
  assert.equal(code(() => fs.readFile("/readiness/ready.txt")), "ENOENT /readiness/ready.txt");
  assert.equal(code(() => fs.rmdir("/readiness", { recursive: true })), "EACCES /readiness");
  fs.mkdir("/readiness", { recursive: true });
});

test("MountedFs read-only mounts throw EROFS on writes but allow reads", () => {
  const vol = new MemFs(undefined, { "/cfg": "a=1" });
  const fs = new MountedFs(new MemFs(), [{ path: "/etc/config", fs: vol, readOnly: true }]);
  assert.equal(fs.readFile("/etc/config/cfg"), "a=1");
  assert.equal(fs.stat("/etc")?.type, "dir", "a directory that only holds a mount point exists");
  assert.deepEqual(fs.readdir("/etc"), ["config"]);
  assert.equal(code(() => fs.writeFile("/etc/config/cfg", "x")), "EROFS /etc/config/cfg");
  assert.equal(code(() => fs.touch("/etc/config/new")), "EROFS /etc/config/new");
  assert.equal(code(() => fs.unlink("/etc/config/cfg")), "EROFS /etc/config/cfg");
  assert.equal(code(() => fs.mkdir("/etc/config/d")), "EROFS /etc/config/d");
});

test("ownership: files take their creator's uid and gid, or a setgid directory's group", () => {
  const fs = new MemFs();
  fs.mkdir("/demo");
  fs.chown("/demo", -1, 2000);
  fs.chmod("/demo", 0o2777);
  fs.writeFile("/demo/testfile", "hello\n", { owner: { uid: 1000, gid: 3000 } });
  fs.mkdir("/demo/sub", { owner: { uid: 1000, gid: 3000 } });
  fs.writeFile("/plain", "x", { owner: { uid: 1000, gid: 3000 } });
  assert.deepEqual([fs.stat("/demo/testfile")!.uid, fs.stat("/demo/testfile")!.gid], [1000, 2000]);
  // A directory made in a setgid directory is setgid too.
  assert.equal(fs.stat("/demo/sub")!.mode, 0o2755);
  assert.equal(fs.stat("/demo/sub")!.gid, 2000);
  assert.deepEqual([fs.stat("/plain")!.uid, fs.stat("/plain")!.gid], [1000, 3000]);
  assert.equal(fs.stat("/")!.uid, undefined);
});

test("mayAccess: owner, group (primary or supplementary), others; CAP_DAC_OVERRIDE passes", () => {
  const st = { mode: 0o750, uid: 1000, gid: 2000 };
  const user = (uid: number, gid: number, groups: number[]) => ({ uid, gid, groups });
  assert.equal(mayAccess(st, user(1000, 0, [0]), 2), true);
  assert.equal(mayAccess(st, user(5, 2000, [2000]), 4), true);
  assert.equal(mayAccess(st, user(5, 2000, [2000]), 2), false);
  assert.equal(mayAccess(st, user(5, 3000, [2000, 3000]), 5), true);
  assert.equal(mayAccess(st, user(5, 3000, [3000]), 4), false);
  assert.equal(mayAccess(st, user(0, 0, [0]), 7), true);
  // Root without CAP_DAC_OVERRIDE (capabilities dropped) is checked like anyone.
  assert.equal(mayAccess(st, { ...user(0, 0, [0]), caps: { inheritable: 0n, permitted: 0n, effective: 0n, bounding: 0n, ambient: 0n } }, 4), false);
  assert.equal(mayAccess(st, undefined, 7), true);
});

test("MountedFs with an identity: creates files as it, and refuses what its permissions do not allow", () => {
  const root = new MemFs(undefined, { "/etc/x": "secret" });
  root.chmod("/etc/x", 0o600);
  root.mkdir("/tmp");
  root.chmod("/tmp", 0o1777);
  const vol = new MemFs();
  vol.chmod("/", 0o2777);
  vol.chown("/", -1, 2000);
  const fs = new MountedFs(root, [{ path: "/data", fs: vol }], false, { uid: 1000, gid: 3000, groups: [2000, 3000] });
  fs.writeFile("/data/f", "hello\n");
  assert.deepEqual([vol.stat("/f")!.uid, vol.stat("/f")!.gid], [1000, 2000]);
  fs.writeFile("/tmp/t", "x");
  assert.deepEqual([root.stat("/tmp/t")!.uid, root.stat("/tmp/t")!.gid], [1000, 3000]);
  assert.throws(() => fs.writeFile("/nope", "x"), (e: unknown) => e instanceof VfsError && e.code === "EACCES" && e.path === "/nope");
  assert.throws(() => fs.mkdir("/etc/d"), (e: unknown) => e instanceof VfsError && e.code === "EACCES");
  assert.throws(() => fs.readFile("/etc/x"), (e: unknown) => e instanceof VfsError && e.code === "EACCES");
  assert.throws(() => fs.unlink("/etc/x"), (e: unknown) => e instanceof VfsError && e.code === "EACCES");
  // Root (no identity given, or uid 0 with the default capabilities) is not checked.
  new MountedFs(root, []).writeFile("/ok", "x");
  assert.equal(root.stat("/ok")!.uid, undefined);
});

test("writeFileLazy: the content is made once, when the file is first read or stat'ed; a write replaces it", () => {
  const fs = new MemFs();
  let made = 0;
  fs.writeFileLazy("/token", () => {
    made++;
    return "abc";
  });
  assert.equal(made, 0);
  assert.equal(fs.stat("/token")?.size, 3);
  assert.equal(fs.readFile("/token"), "abc");
  assert.equal(made, 1);
  fs.writeFileLazy("/t2", () => {
    made++;
    return "never";
  });
  fs.writeFile("/t2", "x", { append: true });
  assert.equal(fs.readFile("/t2"), "neverx");
  fs.writeFileLazy("/t3", () => {
    made += 10;
    return "gone";
  });
  fs.writeFile("/t3", "new");
  assert.equal(fs.readFile("/t3"), "new");
  assert.equal(made, 2);
});

/** Every path of a tree with what `stat` and `readFile` say of it (mtimes, modes, owners, data). */
function walkFs(fs: MemFs, dir = "/"): string[] {
  const out: string[] = [];
  for (const name of fs.readdir(dir)) {
    const p = dir === "/" ? `/${name}` : `${dir}/${name}`;
    const st = fs.stat(p)!;
    out.push(`${p} ${JSON.stringify(st)}${st.type === "file" ? ` ${JSON.stringify(fs.readFile(p))}` : ""}`);
    if (st.type === "dir") out.push(...walkFs(fs, p));
  }
  return out;
}

test("MemFs.copyOf: a tree built at one instant, copied later, is the tree the same operations build then", () => {
  const build = (clock: SimClock) => {
    const fs = new MemFs(clock, { "/etc/passwd": "root:x:0:0::/root:/bin/sh\n", "/etc/os-release": "x\n", "/opt/app/run": "#!/bin/sh\n" });
    fs.mkdir("/tmp", { recursive: true });
    fs.chmod("/tmp", 0o1777);
    fs.mkdir("/srv/data", { recursive: true, owner: { uid: 1000, gid: 2000 } });
    fs.chmod("/srv/data", 0o2775);
    fs.writeFile("/srv/data/f", "y", { owner: { uid: 1000, gid: 2000 } });
    return fs;
  };
  const early = new SimClock();
  const template = build(early);
  const later = new SimClock();
  later.advance(93_250);
  const copy = MemFs.copyOf(template, later);
  assert.deepEqual(walkFs(copy), walkFs(build(later)));
  assert.deepEqual(copy.stat("/"), build(later).stat("/"));
  // The copy is its own tree: writes to one do not show in the other.
  copy.writeFile("/etc/passwd", "changed\n");
  copy.mkdir("/tmp/x");
  assert.equal(template.readFile("/etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
  assert.deepEqual(template.readdir("/tmp"), []);
});

test("a lazily written file is made when read or when its size is read, not by a stat that asks whether it is there", () => {
  const fs = new MemFs(new SimClock());
  fs.mkdir("/v");
  let made = 0;
  fs.writeFileLazy("/v/token", () => (made++, "header.payload.signature"));
  const st = fs.stat("/v/token")!;
  assert.equal(st.type, "file");
  assert.equal(made, 0);
  assert.equal(st.size, 24);
  assert.equal(made, 1);
  assert.equal(fs.readFile("/v/token"), "header.payload.signature");
  assert.equal(made, 1);
  assert.equal(fs.stat("/v/token")!.size, 24);
});

test("watchDir: inotify on a directory's entries and on the directory itself, until unwatched", () => {
  const fs = new MemFs(undefined, { "/etc/x": "" });
  const seen: string[] = [];
  const unwatch = fs.watchDir("/etc/kubernetes/manifests/", () => seen.push("m"));
  fs.mkdir("/etc/kubernetes/manifests", { recursive: true });
  fs.writeFile("/etc/kubernetes/manifests/a.yaml", "x");
  fs.writeFile("/etc/kubernetes/manifests/a.yaml", "y", { append: true });
  fs.touch("/etc/kubernetes/manifests/a.yaml");
  fs.writeFile("/etc/x", "elsewhere");
  fs.mkdir("/etc/kubernetes/manifests/sub");
  fs.writeFile("/etc/kubernetes/manifests/sub/deeper", "not an entry of the directory");
  fs.rmdir("/etc/kubernetes/manifests/sub", { recursive: true });
  fs.unlink("/etc/kubernetes/manifests/a.yaml");
  assert.equal(seen.length, 7);
  unwatch();
  fs.writeFile("/etc/kubernetes/manifests/b.yaml", "x");
  assert.equal(seen.length, 7);
});
