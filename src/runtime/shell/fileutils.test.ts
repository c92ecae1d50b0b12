// cp, mv, ln, chmod, tee and the checksum commands. The GNU cases' outputs are what this machine's
// GNU coreutils 9.1 (Debian 12, as in Debian-based images) prints with LC_ALL=C for the same
// commands; the busybox cases follow busybox 1.28.4's sources (coreutils/cp.c, mv.c, ln.c, chmod.c,
// tee.c, md5_sha1_sum.c; libbb/copy_file.c), as the other applets' tests do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";
import { applyMode } from "./fileutils.ts";

/** Runs a script where /bin/sh is dash (GNU coreutils), returning stdout, stderr and the status. */
function gnu(script: string, setup?: (h: ReturnType<typeof harness>) => void): { out: string; err: string; code: number | undefined; h: ReturnType<typeof harness> } {
  const h = harness();
  setup?.(h);
  const r = h.run(["sh", "-c", script], { binSh: "dash" });
  return { out: h.stdout(), err: h.stderr(), code: r.exit(), h };
}

test("GNU cp: operands, missing sources, directories without -r, targets, the same file", () => {
  const r = gnu("mkdir /w /w/dir; cd /w; echo hi > a; cp; echo rc=$?; cp a; cp nope b; cp dir d2; cp a b c; cp a b nodir/; cp -z a b; cp --bogus a b; cp a a");
  assert.equal(r.out, "rc=1\n");
  assert.equal(
    r.err,
    [
      "cp: missing file operand",
      "Try 'cp --help' for more information.",
      "cp: missing destination file operand after 'a'",
      "Try 'cp --help' for more information.",
      "cp: cannot stat 'nope': No such file or directory",
      "cp: -r not specified; omitting directory 'dir'",
      "cp: target 'c': No such file or directory",
      "cp: target 'nodir/': No such file or directory",
      "cp: invalid option -- 'z'",
      "Try 'cp --help' for more information.",
      "cp: unrecognized option '--bogus'",
      "Try 'cp --help' for more information.",
      "cp: 'a' and 'a' are the same file",
      "",
    ].join("\n"),
  );
});

test("cp copies content and mode less the umask; into a directory; -r trees; -n keeps; -p keeps the mode", () => {
  const r = sh(
    "mkdir -p /w/src/sub /w/out; cd /w; printf 'one\\n' > src/f; printf 'two\\n' > src/sub/g; chmod 777 src/f; " +
      "cp src/f copy; cat copy; ls -l copy | cut -c1-10; cp src/f out; cat out/f; cp -r src tree; cat tree/sub/g; ls tree; " +
      "echo keep > k; cp -n src/f k; cat k; cp -p src/f kept; ls -l kept | cut -c1-10; cp src/f src/sub/g out/ && ls out; cp -a src arch && cat arch/sub/g",
  );
  assert.equal(r.err, "");
  assert.equal(r.out, "one\n-rwxr-xr-x\none\ntwo\nf\nsub\nkeep\n-rwxrwxrwx\nf\ng\ntwo\n");
});

test("busybox cp: usage without operands, can't stat, omitting directory, can't create", () => {
  const r = sh("mkdir /w /w/dir; cd /w; echo hi > a; cp a; echo rc=$?; cp nope b; cp dir d2; cp a nodir/x; cp a a");
  assert.equal(r.out, "rc=1\n");
  assert.match(r.err, /^BusyBox v1\.28\.4 \(2018-05-22 17:00:17 UTC\) multi-call binary\.\n\nUsage: cp \[OPTIONS\] SOURCE\.\.\. DEST\n/);
  assert.ok(
    r.err.endsWith("cp: can't stat 'nope': No such file or directory\ncp: omitting directory 'dir'\ncp: can't create 'nodir/x': No such file or directory\ncp: 'a' and 'a' are the same file\n"),
    r.err,
  );
});

test("cp -r refuses to copy a directory into itself", () => {
  assert.equal(gnu("mkdir -p /t/u; cd /; cp -r t t/u").err, "cp: cannot copy a directory, 't', into itself, 't/u/t'\n");
  assert.equal(sh("mkdir -p /t/u; cd /; cp -r t t/u").err, "cp: recursion detected, omitting directory 't'\n");
});

test("cp to /dev/null reads and writes nothing; a file over a directory is refused", () => {
  assert.deepEqual({ ...sh("echo x > /f; cp /f /dev/null; echo $?"), h: undefined, ms: undefined }, { code: 0, out: "0\n", err: "", h: undefined, ms: undefined });
  assert.equal(gnu("mkdir -p /d /x/d; echo > /x/f; cd /x; cp -r /d f").err, "cp: cannot overwrite non-directory 'f' with directory '/d'\n");
});

test("mv renames files and trees, into directories, and refuses as GNU mv does", () => {
  const r = gnu("mkdir -p /w/t/u /w/dir; cd /w; echo hi > a; chmod 640 a; mv a b; cat b; ls -l b | cut -c1-10; mv b dir; ls dir; mv dir moved; ls moved; mv nope x; mv; mv a; mv t t/u; touch f; mkdir dd; mv dd f; mv -v f dd; ls dd");
  assert.equal(r.out, "hi\n-rw-r-----\nb\nb\nrenamed 'f' -> 'dd/f'\nf\n");
  assert.equal(
    r.err,
    [
      "mv: cannot stat 'nope': No such file or directory",
      "mv: missing file operand",
      "Try 'mv --help' for more information.",
      "mv: missing destination file operand after 'a'",
      "Try 'mv --help' for more information.",
      "mv: cannot move 't' to a subdirectory of itself, 't/u/t'",
      "mv: cannot overwrite non-directory 'f' with directory 'dd'",
      "",
    ].join("\n"),
  );
});

test("busybox mv: can't rename a missing source", () => {
  const r = sh("cd /tmp; mv nope x; echo rc=$?; echo a > a; mv a b; cat b; ls");
  assert.equal(r.err, "mv: can't rename 'nope': No such file or directory\n");
  assert.equal(r.out, "rc=1\na\nb\n");
});

test("chmod: octal and symbolic modes, -v and -c, and GNU's texts for its errors", () => {
  const r = gnu("cd /tmp; echo hi > a; chmod 640 a; chmod u+x,g-r a; ls -l a | cut -c1-10; chmod -v 600 a; chmod -c 600 a; chmod -c 644 a; chmod +x a; ls -l a | cut -c1-10; chmod g=u a; ls -l a | cut -c1-10; chmod; chmod 755; chmod zz a; chmod 755 nope");
  assert.equal(
    r.out,
    [
      "-rwx------",
      "mode of 'a' changed from 0700 (rwx------) to 0600 (rw-------)",
      "mode of 'a' changed from 0600 (rw-------) to 0644 (rw-r--r--)",
      "-rwxr-xr-x",
      "-rwxrwxr-x",
      "",
    ].join("\n"),
  );
  assert.equal(
    r.err,
    [
      "chmod: missing operand",
      "Try 'chmod --help' for more information.",
      "chmod: missing operand after '755'",
      "Try 'chmod --help' for more information.",
      "chmod: invalid mode: 'zz'",
      "Try 'chmod --help' for more information.",
      "chmod: cannot access 'nope': No such file or directory",
      "",
    ].join("\n"),
  );
});

test("chmod -R, busybox's texts, and only the owner may change a mode", () => {
  const r = sh("mkdir -p /d/e; echo > /d/e/f; chmod -R 700 /d; ls -l /d/e/f | cut -c1-10; chmod 755 /nope; chmod zz /d; echo rc=$?");
  assert.equal(r.out, "-rwx------\nrc=1\n");
  assert.equal(r.err, "chmod: /nope: No such file or directory\nchmod: invalid mode 'zz'\n");
  const h = harness();
  h.fs.writeFile("/tmp/root-owned", "x");
  h.io.user = { uid: 1000, gid: 1000, groups: [1000] };
  h.run(["sh", "-c", "chmod 777 /tmp/root-owned; echo rc=$?"], { binSh: "dash" });
  assert.equal(h.stderr(), "chmod: changing permissions of '/tmp/root-owned': Operation not permitted\n");
  assert.equal(h.stdout(), "rc=1\n");
});

test("applyMode: the symbolic mode table", () => {
  const rows: Array<[string, number, boolean, boolean, number | undefined]> = [
    ["755", 0o644, false, true, 0o755],
    ["u+x", 0o644, false, true, 0o744],
    ["+x", 0o644, false, true, 0o755],
    ["+w", 0o444, false, true, 0o644], // GNU: the umask's bits (022) are left alone without ugoa
    ["+w", 0o444, false, false, 0o666], // busybox applies it to all
    ["a+w", 0o444, false, true, 0o666],
    ["go-rwx", 0o755, false, true, 0o700],
    ["u=rw,go=r", 0o777, false, true, 0o644],
    ["g=u", 0o750, false, true, 0o770],
    ["a+X", 0o644, true, true, 0o755],
    ["a+X", 0o644, false, true, 0o644],
    ["a+X", 0o744, false, true, 0o755],
    ["u+s", 0o755, false, true, 0o4755],
    ["+t", 0o777, true, false, 0o1777],
    ["o=", 0o777, false, true, 0o770],
    ["zz", 0o644, false, true, undefined],
    ["u+q", 0o644, false, true, undefined],
    ["77777", 0o644, false, true, undefined],
  ];
  for (const [spec, mode, dir, gnuRules, want] of rows) assert.equal(applyMode(spec, mode, dir, gnuRules), want, `${spec} on ${mode.toString(8)}`);
});

test("tee: stdout and every file, -a appends, a file it cannot open is reported and the rest still written", () => {
  const r = gnu("cd /tmp; echo x | tee nodir/x one two; echo rc=$?; echo y | tee -a one >/dev/null; cat one two; echo z | tee /dev/null");
  assert.equal(r.err, "tee: nodir/x: No such file or directory\n");
  assert.equal(r.out, "x\nrc=1\nx\ny\nx\nz\n");
  assert.equal(gnu("echo | tee -x").err, "tee: invalid option -- 'x'\nTry 'tee --help' for more information.\n");
});

test("ln: a copy at the link, GNU's and busybox's refusals", () => {
  const r = gnu("cd /tmp; mkdir dir; echo hi > a; ln a b; cat b; ln -s a b; ln -s a c; cat c; ln -s nope d; cat d; ln nope e; ln dir f; ln a dir; ls dir; ln -s a; ln -sf a b; echo rc=$?");
  assert.equal(r.out, "hi\nhi\na\nrc=0\n");
  assert.equal(
    r.err,
    [
      "ln: failed to create symbolic link 'b': File exists",
      "ln: failed to access 'nope': No such file or directory",
      "ln: dir: hard link not allowed for directory",
      "ln: failed to create symbolic link './a': File exists",
      "",
    ].join("\n"),
  );
  assert.equal(sh("cd /tmp; echo > a; ln -s a b; ln -s a b").err, "ln: b: File exists\n");
});

test("md5sum, sha256sum: the digests of files and stdin, -c with OK and FAILED", () => {
  const r = gnu("cd /tmp; echo hi > a; md5sum a nope; echo hi | sha256sum; sha256sum a > s; sha256sum -c s; echo bad > a; sha256sum -c s; echo rc=$?");
  assert.equal(r.out, "764efa883dda1e11db47671c4a3bbd9e  a\n98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  -\na: OK\na: FAILED\nrc=1\n");
  assert.equal(r.err, "md5sum: nope: No such file or directory\nsha256sum: WARNING: 1 computed checksum did NOT match\n");
  const b = sh("cd /tmp; md5sum nope; echo hi > a; md5sum a > s; echo no > a; md5sum -c s");
  assert.equal(b.err, "md5sum: can't open 'nope': No such file or directory\nmd5sum: WARNING: 1 of 1 computed checksums did NOT match\n");
  assert.equal(b.out, "a: FAILED\n");
});
