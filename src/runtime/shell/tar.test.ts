/**
 * The tar applet beyond the GNU table (tarcases.test.ts): busybox 1.28's tar (messages from
 * archival/tar.c and libarchive at 1_28_4), the archive bytes against the real GNU tar, and the
 * archives Go's archive/tar writes for kubectl cp.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { simulate } from "./casetable.ts";
import { archiveBytes, decodeArchive, encodeArchive, type TarEntry } from "./tarformat.ts";
import { realTarVersion } from "./tartable.ts";

const ENV = { HOME: "/root", PATH: "/bin" };
const busybox = (script: string, files: Record<string, string> = {}) => simulate(["sh", "-c", script], ENV, files);
const gnu = (script: string, files: Record<string, string> = {}) => simulate(["sh", "-c", script], ENV, files, { binSh: "dash" });

test("the image's userland picks the tar: GNU's messages where /bin/sh is dash, busybox's elsewhere", () => {
  assert.equal(gnu("tar cf - /nope > /dev/null").stderr, "tar: Removing leading `/' from member names\ntar: /nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n");
  assert.equal(busybox("tar cf - /nope > /dev/null").stderr, "tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n");
});

const entry = (over: Partial<TarEntry>): TarEntry => ({ name: "a.txt", type: "file", mode: 0o644, uid: 0, gid: 0, uname: "root", gname: "root", mtime: 1_700_000_000, data: "hi\n", linkname: "", ...over });

test("busybox tar: create and list, names on stdout, two zero blocks and no record padding", () => {
  const r = busybox("tar cf - a.txt | wc -c; tar cf x.tar a.txt; tar tf x.tar; tar tvf x.tar | cut -c1-30", { "a.txt": "hi\n" });
  assert.deepEqual([r.stdout, r.stderr, r.code], ["2048\na.txt\n-rw-r--r-- root/root         3\n", "", 0]);
});

test("busybox tar: the leading slash warning, lower case, once", () => {
  const r = busybox("tar cf - /w/a.txt /w/b | tar tf -", { "a.txt": "hi\n", b: "" });
  assert.deepEqual([r.stdout, r.stderr, r.code], ["w/a.txt\nw/b\n", "tar: removing leading '/' from member names\n", 0]);
});

test("busybox tar: a missing file, and the delayed exit", () => {
  const r = busybox("tar cf - /nope > /dev/null");
    // busybox's recursive_action fails on lstat before the member is named: no warning about the slash.
  assert.deepEqual([r.stderr, r.code], ["tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n", 1]);
});

test("busybox tar: extract errors (short read, invalid magic, not found, can't open, can't change directory)", () => {
  assert.deepEqual(busybox("tar xf - < /dev/null").stderr, "tar: short read\n");
  const magic = busybox("printf '%0600d' 0 | tar xf -");
  assert.deepEqual([magic.stderr, magic.code], ["tar: invalid tar magic\n", 1]);
  const missing = busybox("tar cf x.tar a.txt; tar xf x.tar zz", { "a.txt": "hi\n" });
  assert.deepEqual([missing.stderr, missing.code], ["tar: zz: not found in archive\n", 1]);
  assert.deepEqual(busybox("tar xf nope.tar").stderr, "tar: can't open 'nope.tar': No such file or directory\n");
  assert.deepEqual(busybox("tar cf - a.txt | tar xf - -C /nope", { "a.txt": "hi\n" }).stderr, "tar: can't change directory to '/nope': No such file or directory\n");
  const empty = busybox("tar c");
  assert.deepEqual([empty.stderr, empty.code], ["tar: empty archive\n", 1]);
  const none = busybox("tar");
  assert.match(none.stderr, /^BusyBox v1\.28\.4 .*\n\nUsage: tar c\|x\|t \[-ZzJjahmvO\]/);
  assert.equal(none.code, 1);
});

test("busybox tar: kubectl cp's commands (tar cf - PATH; tar -xmf - -C DIR; --no-same-permissions --no-same-owner)", () => {
  const r = busybox("mkdir -p /tmp/in /tmp/out; echo data > /tmp/in/f; tar cf - /tmp/in/f | tar -xmf - -C /tmp/out; cat /tmp/out/tmp/in/f; tar cf - /tmp/in/f 2>/dev/null | tar --no-same-permissions --no-same-owner -xmf - -C /tmp/out; ls /tmp/out/tmp/in");
  assert.deepEqual([r.stdout, r.stderr, r.code], ["data\nf\n", "tar: removing leading '/' from member names\n", 0]);
});

test("tar tv: the long listing of GNU tar (ugswidth) and busybox (seconds shown)", () => {
  const owned = (name: string, uname: string, size: number) => entry({ name, uname, gname: uname, data: "x".repeat(size) });
  const archive = encodeArchive([owned("a", "root", 3), owned("b", "averyveryverylongname", 12345)], "gnu");
  const g = simulate(["tar", "tvf", "-"], ENV, {}, { binSh: "dash", stdin: archive });
  assert.equal(g.stdout, "-rw-r--r-- root/root         3 2023-11-14 22:13 a\n-rw-r--r-- averyveryverylongname/averyveryverylongname 12345 2023-11-14 22:13 b\n");
  const b = simulate(["tar", "tvf", "-"], ENV, {}, { stdin: archive });
  assert.equal(b.stdout, "-rw-r--r-- root/root         3 2023-11-14 22:13:20 a\n-rw-r--r-- averyveryverylongname/averyveryverylongname     12345 2023-11-14 22:13:20 b\n");
});

test("archives round-trip through the format: long names, directories, UTF-8 content", () => {
  const long = "d/" + "n".repeat(120);
  const entries = [entry({ name: "d/", type: "dir", mode: 0o755, data: "" }), entry({ name: long, data: "héllo wörld\n" })];
  for (const style of ["gnu", "busybox", "go"] as const) {
    const read = decodeArchive(encodeArchive(entries, style));
    assert.deepEqual(read.problems, [], style);
    assert.deepEqual(read.entries.map((e) => [e.name, e.type, e.data]), [["d/", "dir", ""], [long, "file", "héllo wörld\n"]], style);
  }
});

const tarVersion = realTarVersion();
const noTar = tarVersion === "tar (GNU tar) 1.34" ? false : `no GNU tar 1.34 at /usr/bin/tar (${tarVersion ?? "none"})`;
const tarSkip = process.env.KUBE_SCENARIO_REQUIRE_GNUTAR === "1" ? false : noTar;

test("GNU style headers are the bytes GNU tar 1.34 writes", { skip: tarSkip }, () => {
  if (noTar) assert.fail(`${noTar}; KUBE_SCENARIO_REQUIRE_GNUTAR=1 makes its absence a failure`);
  const dir = spawnSync("mktemp", ["-d"], { encoding: "utf8" }).stdout.trim();
  spawnSync("bash", ["-c", `cd ${dir} && mkdir d && printf 'hi\\n' > d/a.txt && chmod 644 d/a.txt && chmod 755 d`], { stdio: "ignore" });
  const real = spawnSync("/usr/bin/tar", ["cf", "-", "--owner=root:0", "--group=root:0", "--mtime=@1700000000", "-C", dir, "d"]);
  spawnSync("rm", ["-rf", dir]);
  const ours = archiveBytes([entry({ name: "d/", type: "dir", mode: 0o755, data: "" }), entry({ name: "d/a.txt" })], "gnu");
  assert.equal(ours.length, real.stdout.length);
  assert.ok(ours.equals(real.stdout), "the archives differ");
});

test("GNU tar 1.34 reads the archives kubectl's Go writer makes, and ours", { skip: tarSkip }, () => {
  if (noTar) assert.fail(`${noTar}; KUBE_SCENARIO_REQUIRE_GNUTAR=1 makes its absence a failure`);
  for (const style of ["go", "busybox", "gnu"] as const) {
    const dir = style === "go" ? "dir" : "dir/";
    const archive = archiveBytes([entry({ name: dir, type: "dir", mode: 0o755, data: "" }), entry({ name: "dir/" + "x".repeat(130), data: "héllo\n" })], style);
    const r = spawnSync("/usr/bin/tar", ["tvf", "-", "--utc"], { input: archive, encoding: "utf8" });
    assert.equal(r.stderr, "", style);
    assert.equal(r.stdout, `drwxr-xr-x root/root         0 2023-11-14 22:13 ${dir}\n-rw-r--r-- root/root         7 2023-11-14 22:13 dir/${"x".repeat(130)}\n`, style);
  }
});
