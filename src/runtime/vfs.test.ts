import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs, MountedFs, normalizePath, resolvePath } from "./vfs.ts";
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
