import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";
import type { Harness } from "./testutil.ts";
import { formatPrintf, parseSleep, strftime } from "./commands.ts";

test("echo: busybox options -n and -e, no escapes without -e", () => {
  const r = sh("echo -n a; echo b; echo 'x\\ty'; echo -e 'x\\ty\\n\\c'; echo -ne '\\x41\\0102'; echo -z");
  assert.equal(r.out, "ab\nx\\ty\nx\ty\nAB-z\n");
});

test("echo in dash (/bin/sh of Debian images): escapes always read, only -n is an option; bash and /bin/echo do not", () => {
  const dash = { binSh: "dash" as const };
  let h = harness();
  h.run(["/bin/sh", "-c", "echo 'a\\nb'; echo -n 'x\\ty'; echo; echo -e z; echo 'stop\\c here'; echo '\\0101\\x41'"], dash);
  assert.equal(h.stdout(), "a\nb\nx\ty\n-e z\nstop\\0101\\x41\n".replace("\\0101", "A"));
  h = harness();
  h.run(["bash", "-c", "echo 'a\\nb'; sh -c \"echo 'c\\nd'\"; /bin/echo 'e\\nf'"], dash);
  assert.equal(h.stdout(), "a\\nb\nc\nd\ne\\nf\n");
  h = harness();
  h.run(["sh", "-c", "echo 'a\\nb'"]);
  assert.equal(h.stdout(), "a\\nb\n");
});

test("printf formats", () => {
  const r = sh("printf '%s=%d|%5s|%-5s|%03d|%x|%c|%%\\n' a 42 r l 7 255 hello; printf '%s\\n' one two; printf 'no newline'");
  assert.equal(r.out, "a=42|    r|l    |007|ff|h|%\none\ntwo\nno newline");
  assert.equal(sh("printf '%d\\n' abc").err, "printf: invalid number 'abc'\n");
  assert.equal(formatPrintf(sh("true").h as never, "%.2f", ["3.14159"]).out, "3.14");
});

test("test / [: files, strings, integers, combinations and errors", () => {
  const r = sh(
    [
      "touch /tmp/f; mkdir /tmp/d",
      "[ -f /tmp/f ] && echo f1",
      "[ -f /tmp/d ] || echo f2",
      "[ -d /tmp/d ] && echo d",
      "[ -e /nope ] || echo e",
      "[ -s /tmp/f ] || echo s",
      '[ -z "" ] && [ -n x ] && echo zn',
      "[ abc = abc ] && [ abc != abd ] && echo eq",
      "[ 3 -lt 10 ] && [ 10 -ge 10 ] && [ 2 -ne 3 ] && echo ints",
      "[ ! -f /nope ] && echo not",
      "[ -f /tmp/f -a -d /tmp/d ] && echo and",
      "[ -f /nope -o -d /tmp/d ] && echo or",
      "test x && echo one-arg",
      '[ "" ] || echo empty',
      "[ \\( 1 -eq 1 \\) ] && echo paren",
    ].join("\n"),
  );
  assert.equal(r.out, "f1\nf2\nd\ne\ns\nzn\neq\nints\nnot\nand\nor\none-arg\nempty\nparen\n");
  assert.equal(r.err, "");
  const miss = sh("[ 1 = 1; echo $?");
  assert.equal(miss.err, "sh: missing ]\n");
  assert.equal(miss.out, "2\n");
  const num = sh("[ abc -eq 1 ]; echo $?");
  assert.equal(num.err, "sh: abc: bad number\n");
  assert.equal(num.out, "2\n");
});

test("cat, touch, mkdir, rm, rmdir, ls with busybox messages", () => {
  const r = sh(
    [
      "mkdir /a; mkdir /a; mkdir /x/y; mkdir -p /x/y/z && echo p",
      "touch /a/f /nodir/f",
      "echo data > /a/f; cat /a/f /nope; echo $?",
      "cat /a",
      "ls /a /nope; echo $?",
      "rm /a; rm /nope; rm -f /nope && echo quiet",
      "rm -rf /a && ls /",
      "rmdir /x",
    ].join("\n"),
  );
  assert.equal(r.out, "p\ndata\n1\n/a:\nf\n1\nquiet\netc\ntmp\nx\n");
  assert.equal(
    r.err,
    [
      "mkdir: can't create directory '/a': File exists",
      "mkdir: can't create directory '/x/y': No such file or directory",
      "touch: /nodir/f: No such file or directory",
      "cat: can't open '/nope': No such file or directory",
      "cat: read error: Is a directory",
      "ls: /nope: No such file or directory",
      "rm: '/a' is a directory",
      "rm: can't remove '/nope': No such file or directory",
      "rmdir: '/x': Directory not empty",
      "",
    ].join("\n"),
  );
});

test("ls -l and -a", () => {
  const r = sh("mkdir /d; echo hello > /d/file; ls -la /d");
  assert.equal(
    r.out,
    [
      "total 12",
      "drwxr-xr-x    2 root     root          4096 Jan  8 00:00 .",
      "drwxr-xr-x    2 root     root          4096 Jan  8 00:00 ..",
      "-rw-r--r--    1 root     root             6 Jan  8 00:00 file",
      "",
    ].join("\n"),
  );
});

test("read-only mounts give EROFS texts", async () => {
  const { MountedFs, MemFs } = await import("../vfs.ts");
  const r = sh("touch /cfg/x; echo a > /cfg/y; rm /cfg/z; cat /cfg/z", (h) => {
    const vol = new MemFs(h.clock, { "/z": "zz\n" });
    h.io.fs = new MountedFs(h.fs, [{ path: "/cfg", fs: vol, readOnly: true }]);
  });
  assert.equal(r.out, "zz\n");
  assert.equal(r.err, "touch: /cfg/x: Read-only file system\nsh: can't create /cfg/y: Read-only file system\nrm: can't remove '/cfg/z': Read-only file system\n");
});

test("wc, head, tail, grep, seq, expr, basename, dirname, tr, cut, sort, uniq", () => {
  const setup = (h: { fs: { writeFile(p: string, d: string): void } }) => h.fs.writeFile("/f", "alpha\nbeta\ngamma\ndelta\nepsilon\n");
  assert.equal(sh("wc -l /f; wc -l < /f; cat /f | wc -w; wc -c /f", setup).out, "5 /f\n5\n5\n31 /f\n");
  assert.equal(sh("head -n 2 /f; head -1 /f; tail -n 2 /f; tail -n +4 /f; tail -1 /f", setup).out, "alpha\nbeta\nalpha\ndelta\nepsilon\ndelta\nepsilon\nepsilon\n");
  assert.equal(sh("grep ta /f; grep -c a /f; grep -v a /f; grep -i BETA /f; grep -n ^g /f; grep -q zzz /f; echo $?", setup).out, "beta\ndelta\n4\nepsilon\nbeta\n3:gamma\n1\n");
  assert.equal(sh("grep -A1 beta /f; echo --; grep -B1 -A1 delta /f", setup).out, "beta\ngamma\n--\ngamma\ndelta\nepsilon\n");
  // Options after the pattern, as GNU getopt takes them (`kubectl get svc x -o yaml | grep nodePort -C 5`); `--` ends them.
  assert.equal(sh("grep gamma -C 1 /f; grep delta /f -n; grep -- -x /f; echo $?", setup).out, "beta\ngamma\ndelta\n4:delta\n1\n");
  assert.equal(sh("grep 'a\\(l\\|m\\)' /f; grep -E 'ps|lph' /f; grep -w gam /f; echo $?", setup).out, "alpha\ngamma\nalpha\nepsilon\n1\n");
  assert.equal(sh("grep x /nope; echo $?").out, "2\n");
  assert.equal(sh("grep x /nope").err, "grep: /nope: No such file or directory\n");
  assert.equal(sh("seq 3; seq 2 4; seq 10 -5 1; seq -s, 3").out, "1\n2\n3\n2\n3\n4\n10\n5\n1,2,3\n");
  assert.equal(sh("expr 1 + 2; expr 6 \\* 7; expr 5 / 2; expr abc : 'a\\(.*\\)'; expr length hello; expr 3 \\> 2; expr 0; echo $?").out, "3\n42\n2\nbc\n5\n1\n0\n1\n");
  assert.equal(sh("basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname c").out, "c\n/a/b\n.\n");
  assert.equal(sh("echo hello | tr a-z A-Z; echo a:b:c | cut -d: -f2; printf 'b\\na\\nb\\n' | sort | uniq -c").out, "HELLO\nb\n      1 a\n      2 b\n");
});

test("rev reverses each line, keeping a missing last newline missing", () => {
  const setup = (h: { fs: { writeFile(p: string, d: string): void } }) => {
    h.fs.writeFile("/f", "foo\nbar baz\n");
    h.fs.writeFile("/g", "qux");
  };
  assert.equal(sh("rev /f; rev /g; echo; echo abc | rev", setup).out, "oof\nzab rab\nxuq\ncba\n");
  assert.equal(sh("rev /nope; echo $?").out, "1\n");
  assert.equal(sh("rev /nope").err, "rev: /nope: No such file or directory\n");
});

test("env, export, hostname, id, pwd, cd", () => {
  const r = sh("export A=1; B=2; env | grep -E '^(A|B)='; B=3 env | grep ^B=; hostname; id; cd /tmp; pwd; cd /nope; echo $?");
  // Root, with no /etc/group in this filesystem: its primary group alone.
  assert.equal(r.out, "A=1\nB=3\npod1\nuid=0(root) gid=0(root) groups=0(root)\n/tmp\n2\n");
  assert.equal(r.err, "sh: cd: line 1: can't cd to /nope\n");
});

test("hostname -f/--fqdn, -d, -s, -i: gethostbyname's canonical name from the kubelet's /etc/hosts", () => {
  const hosts = (h: Harness) => h.fs.writeFile("/etc/hosts", "127.0.0.1\tlocalhost\n10.244.0.3\tbusybox-1.busybox-subdomain.my-namespace.svc.cluster.local\tbusybox-1\n");
  const r = sh("hostname; hostname -f; hostname --fqdn; hostname -d; hostname -s; hostname -i", (h) => {
    hosts(h);
    h.io.hostname = "busybox-1";
  });
  assert.equal(r.out, "busybox-1\nbusybox-1.busybox-subdomain.my-namespace.svc.cluster.local\nbusybox-1.busybox-subdomain.my-namespace.svc.cluster.local\nbusybox-subdomain.my-namespace.svc.cluster.local\nbusybox-1\n10.244.0.3\n");
  // setHostnameAsFQDN: the kernel's hostname is the FQDN; -s cuts it at the first dot.
  const fqdn = sh("hostname; hostname -s", (h) => {
    hosts(h);
    h.io.hostname = "busybox-1.busybox-subdomain.my-namespace.svc.cluster.local";
  });
  assert.equal(fqdn.out, "busybox-1.busybox-subdomain.my-namespace.svc.cluster.local\nbusybox-1\n");
  // A hostname nothing resolves: gethostbyname's error.
  const unknown = sh("hostname -f; echo $?");
  assert.equal(unknown.out, "1\n");
  assert.equal(unknown.err, "hostname: pod1: Unknown host\n");
  const bad = sh("hostname --long; hostname -x");
  assert.match(bad.err, /^hostname: unrecognized option '--long'\nBusyBox v1\.28\.4 .*\n\nUsage: hostname \[OPTIONS\] \[HOSTNAME \| -F FILE\]\n/);
  assert.match(bad.err, /hostname: invalid option -- 'x'\n/);
});

test("sleep parsing and date formats", () => {
  assert.equal(parseSleep(["1.5", "1m"]), 61_500);
  assert.equal(parseSleep(["infinity"]), Infinity);
  assert.equal(parseSleep(["x"]), "invalid number 'x'");
  const t = Date.parse("2024-03-05T07:08:09Z");
  assert.equal(strftime("%a %b %e %H:%M:%S %Z %Y", t), "Tue Mar  5 07:08:09 UTC 2024");
  assert.equal(strftime("%F %T %s %j", t), "2024-03-05 07:08:09 1709622489 065");
});

test("tail -f follows what is appended, checking once a second; sleep infinity blocks", () => {
  const r = sh("echo x > /tmp/l; tail -f /tmp/l", undefined, 5000);
  assert.equal(r.out, "x\n");
  assert.equal(r.code, undefined);
  // the logging sidecar of the Kubernetes docs: one container writes, the other tails
  const h = harness();
  h.run(["sh", "-c", 'i=0; while true; do echo "$i: tick" >> /tmp/1.log; i=$((i+1)); sleep 1; done']);
  h.clock.advance(2500);
  const t = h.run(["tail", "-n+1", "-F", "/tmp/1.log"]);
  assert.equal(h.stdout(), "0: tick\n1: tick\n2: tick\n");
  h.clock.advance(2000);
  assert.equal(h.stdout(), "0: tick\n1: tick\n2: tick\n3: tick\n4: tick\n");
  assert.equal(t.exit(), undefined);
  assert.equal(sh("sleep infinity", undefined, 5000).code, undefined);
});

test("ash's [[ ... ]] is test closed by ]]", () => {
  const r = sh("touch /tmp/f; if [[ -e /tmp/f ]]; then echo yes; fi; [[ -e /nope ]] || echo no; [[ -e /tmp/f ]");
  assert.equal(r.out, "yes\nno\n");
  assert.equal(r.err, "sh: missing ]]\n");
});

test("grep -e given several times matches any of the patterns (busybox)", () => {
  const r = sh("printf '1badkey=one\\nGOOD=1\\nother\\n' | grep -e bad -e GOOD; printf 'x\\ny\\n' | grep -c -e x -e y");
  assert.equal(r.out, "1badkey=one\nGOOD=1\n2\n");
});

test("id and whoami: the container's identity, named from /etc/passwd and /etc/group", () => {
  const files = (h: Harness) => {
    h.fs.mkdir("/etc", { recursive: true });
    h.fs.writeFile("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nuser-defined-in-image:x:1000:1000::/home/u:/bin/sh\n");
    h.fs.writeFile("/etc/group", "root:x:0:\nwheel:x:10:root\ngroup-defined-in-image:x:50000:user-defined-in-image\n");
  };
  assert.equal(sh("id", files).out, "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
  const as = (uid: number, gid: number, groups: number[]) => (h: Harness) => {
    files(h);
    h.io.user = { uid, gid, groups };
  };
  assert.equal(sh("id", as(1000, 3000, [3000, 4000, 50000])).out, "uid=1000(user-defined-in-image) gid=3000 groups=3000,4000,50000(group-defined-in-image)\n");
  assert.equal(sh("id -u; id -g; id -G; id -un", as(1000, 3000, [2000, 3000])).out, "1000\n3000\n2000 3000\nuser-defined-in-image\n");
  const r = sh("whoami", as(2000, 0, [0]));
  assert.equal(r.err, "whoami: unknown uid 2000\n");
  assert.equal(r.code, 1);
});

test("ls -l shows owners, groups and the setgid and sticky bits", () => {
  const r = sh("ls -l /", (h) => {
    h.fs.mkdir("/demo");
    h.fs.chown("/demo", -1, 2000);
    h.fs.chmod("/demo", 0o2777);
    h.fs.chmod("/tmp", 0o1777);
    h.fs.writeFile("/f", "hello\n", { owner: { uid: 1000, gid: 3000 } });
  });
  assert.equal(
    r.out,
    [
      "total 16",
      "drwxrwsrwx    2 root     2000          4096 Jan  8 00:00 demo",
      "drwxr-xr-x    2 root     root          4096 Jan  8 00:00 etc",
      "-rw-r--r--    1 1000     3000             6 Jan  8 00:00 f",
      "drwxrwxrwt    2 root     root          4096 Jan  8 00:00 tmp",
      "",
    ].join("\n"),
  );
});

test("ps lists the container's PID namespace, this ps included", () => {
  const r = sh("ps aux", (h) => {
    h.io.user = { uid: 1000, gid: 3000, groups: [3000] };
    h.io.container = { procs: { lastPid: 6, live: new Map([[1, { argv: ["sleep", "1h"], uid: 1000 }]]) } };
  });
  assert.equal(r.out, "PID   USER     TIME  COMMAND\n    1 1000      0:00 sleep 1h\n    7 1000      0:00 sh -c ps aux\n    8 1000      0:00 ps aux\n");
});
