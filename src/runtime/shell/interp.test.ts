import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";

function out(script: string): string {
  const r = sh(script);
  assert.equal(r.code, 0, `exit code of ${script}: stderr ${r.err}`);
  return r.out;
}

test("lists, and-or lists and exit statuses", () => {
  assert.equal(out("true && echo a || echo b; false && echo c || echo d"), "a\nd\n");
  assert.equal(out("false; echo $?; true; echo $?; ! true; echo $?"), "1\n0\n1\n");
  assert.equal(sh("exit 3").code, 3);
  assert.equal(sh("exit 300").code, 44);
  assert.equal(sh("false").code, 1);
  assert.equal(sh("echo a; exit").code, 0);
  assert.equal(sh("false; exit").code, 1);
});

test("unknown commands: `sh: xyz: not found`, exit 127; scripts keep going", () => {
  const r = sh("xyz; echo after $?");
  assert.equal(r.err, "sh: xyz: not found\n");
  assert.equal(r.out, "after 127\n");
  const last = sh("echo before; mslookup mydb");
  assert.equal(last.code, 127);
});

test("a non-executable file is `Permission denied`, exit 126; an executable one runs as a script", () => {
  const r = sh("/tmp/s.sh; echo $?; chmodless=1", (h) => h.fs.writeFile("/tmp/s.sh", "echo hi"));
  assert.equal(r.out, "126\n");
  assert.equal(r.err, "sh: /tmp/s.sh: Permission denied\n");
  const ok = sh("/tmp/s.sh a b; echo $?", (h) => h.fs.writeFile("/tmp/s.sh", "#!/bin/sh\necho \"$0 got $1 $2\"\nexit 5\n", { mode: 0o755 }));
  assert.equal(ok.out, "/tmp/s.sh got a b\n5\n");
});

test("variables, parameter expansion and special parameters", () => {
  assert.equal(out('x=hello; echo "$x ${x}!" ${#x} ${y:-dflt} ${y-unset} ${x:+set} "${z:=zz}" $z'), "hello hello! 5 dflt unset set zz zz\n");
  assert.equal(out('p=/a/b/c.txt; echo ${p##*/} ${p%/*} ${p#/} ${p%%.*}'), "c.txt /a/b a/b/c.txt /a/b/c\n");
  assert.equal(out("echo $$ $# $0"), "7 0 sh\n");
  const r = sh('echo ${missing:?is required}; echo not reached');
  assert.equal(r.code, 2);
  assert.equal(r.err, "sh: missing: is required\n");
  assert.equal(sh("set -u; echo $nope").err, "sh: nope: parameter not set\n");
});

test("positional parameters from `sh -c script name args`", () => {
  const h = sh("true").h;
  const r = h.run(["sh", "-c", 'echo "$0 $# $1 $2"; for a in "$@"; do echo "[$a]"; done; shift; echo $1', "myname", "a", "b c"]);
  assert.equal(r.exit(), 0);
  assert.equal(h.stdout(), "myname 2 a b c\n[a]\n[b c]\nb c\n");
});

test("field splitting and quoting", () => {
  assert.equal(out('x="a  b"; for w in $x; do echo "[$w]"; done; for w in "$x"; do echo "[$w]"; done'), "[a]\n[b]\n[a  b]\n");
  assert.equal(out("IFS=:; x=a:b:c; for w in $x; do echo $w; done"), "a\nb\nc\n");
  assert.equal(out("echo 'a $x' \"b \\$x \\\\\" c\\ d"), "a $x b $x \\ c d\n");
  assert.equal(out('e=""; set -- $e; echo $#; set -- "$e"; echo $#'), "0\n1\n");
});

test("command substitution and arithmetic", () => {
  assert.equal(out('x=$(echo hi; echo there); echo "$x"; echo `echo back`'), "hi\nthere\nback\n");
  assert.equal(out("i=5; echo $((i * 2 + 1)) $((i / 2)) $((i % 2)) $((-i)) $((i > 3 && i < 10)) $((i == 5 ? 7 : 8)) $((0x10 + 010))"), "11 2 1 -5 1 7 24\n");
  assert.equal(out("i=0; : $((i += 3)); : $((i++)); echo $i"), "4\n");
  const r = sh("echo $((1 / 0))");
  assert.equal(r.code, 2);
  assert.equal(r.err, "sh: divide by zero\n");
  assert.equal(sh("echo $((1 +))").err, "sh: arithmetic syntax error\n");
});

test("if, while, until, for, case, break and continue", () => {
  assert.equal(out("if false; then echo a; elif true; then echo b; else echo c; fi"), "b\n");
  assert.equal(out("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done"), "0\n1\n2\n");
  assert.equal(out("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i"), "2\n");
  assert.equal(out("for i in a b c d; do [ $i = b ] && continue; [ $i = d ] && break; echo $i; done"), "a\nc\n");
  assert.equal(out("for i in 1 2; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done"), "11\n21\n");
  assert.equal(out('for f in x.txt y.sh z; do case $f in *.txt) echo text;; *.sh|*.bash) echo script;; *) echo "other $f";; esac; done'), "text\nscript\nother z\n");
  assert.equal(out('case "a b" in "a b") echo quoted;; esac; case x in [a-z]) echo class;; esac'), "quoted\nclass\n");
});

test("functions, return and local", () => {
  assert.equal(out('greet() { echo "hi $1"; return 4; }; greet bob; echo $?'), "hi bob\n4\n");
  assert.equal(out("f() { echo in $#; }; f a b c; echo out $#"), "in 3\nout 0\n");
  const deep = sh("f() { f; }; f");
  assert.equal(deep.code, 2);
  assert.match(deep.err, /f: function nesting too deep/);
});

test("local variables are restored when the function returns", () => {
  assert.equal(out('f() { local x=inner y; y=2; echo "$x $y"; g; }; g() { echo "g sees $x"; }; x=outer; f; echo "$x [$y]"'), "inner 2\ng sees inner\nouter []\n");
  assert.equal(sh("local x=1").err, "sh: local: line 1: not in a function\n");
});

test("set -o pipefail, let, $RANDOM, $LINENO", () => {
  assert.equal(out("false | true; echo $?; set -o pipefail; false | true; echo $?; true | true; echo $?"), "0\n1\n0\n");
  assert.equal(out('let "a = 2 + 3" "b = a * 2"; echo $a $b; let 0; echo $?'), "5 10\n1\n");
  const r = out("a=$RANDOM; b=$RANDOM; [ $a -ge 0 ] && [ $a -le 32767 ] && [ $a != $b ] && echo ok");
  assert.equal(r, "ok\n");
  assert.equal(out("echo $RANDOM"), out("echo $RANDOM"), "deterministic for the same pid and simulated time");
  assert.equal(out("echo $LINENO\necho $LINENO"), "1\n2\n");
});

test("subshells and groups", () => {
  assert.equal(out("x=1; (x=2; echo $x); echo $x; { x=3; }; echo $x"), "2\n1\n3\n");
  assert.equal(out("(exit 7); echo $?; (cd /tmp; pwd); pwd"), "7\n/tmp\n/\n");
});

test("pipelines pass output along; the status is the last command's", () => {
  assert.equal(out("printf 'a\\nb\\nc\\n' | grep -v b | wc -l"), "2\n");
  assert.equal(out("echo x | false; echo $?; false | true; echo $?"), "1\n0\n");
  assert.equal(out("echo hi | read v; echo \"[$v]\""), "[]\n");
  assert.equal(out("echo 'a b' | { read x y; echo $y $x; }"), "b a\n");
});

test("pipeline elements run concurrently: readers wait, writers get SIGPIPE when the reader is gone", () => {
  assert.equal(out('while true; do echo y; done | head -2; echo "st $?"'), "y\ny\nst 0\n");
  assert.equal(out("set -o pipefail; while true; do echo y; done | head -1; echo $?"), "y\n141\n");
  const slow = sh("sleep 3 | echo hi");
  assert.equal(slow.out, "hi\n");
  assert.equal(slow.ms, 3000, "the pipeline ends when its last element and the others have ended");
  assert.equal(out("echo a | { sleep 1; cat; }; seq 100000 | tail -1"), "a\n100000\n");
});

test("a reader sees lines as they are written: tail -f | grep streams", () => {
  const h = harness();
  h.fs.writeFile("/tmp/app.log", "");
  h.run(["sh", "-c", "i=0; while true; do i=$((i+1)); echo \"line $i $([ $((i % 2)) = 0 ] && echo even || echo odd)\" >> /tmp/app.log; sleep 1; done"]);
  const g = h.run(["sh", "-c", "tail -f /tmp/app.log | grep even"]);
  h.clock.advance(4500);
  assert.equal(h.stdout(), "line 2 even\nline 4 even\n");
  g.proc.kill("SIGKILL");
  assert.equal(g.exit(), 137);
});

test("redirections write to the container filesystem", () => {
  const r = sh("echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f; ls /nope 2>/dev/null; echo err >&2; ls /nope 2>/tmp/e; cat /tmp/e");
  assert.equal(r.out, "one\ntwo\nls: /nope: No such file or directory\n");
  assert.equal(r.err, "err\n");
  assert.equal(r.h.fs.readFile("/tmp/f"), "one\ntwo\n");
  const both = sh("{ echo o; echo e >&2; } > /tmp/all 2>&1");
  assert.equal(both.h.fs.readFile("/tmp/all"), "o\ne\n");
  assert.equal(both.out + both.err, "");
  const bad = sh("echo x > /no/dir/f; echo $?; cat < /missing; echo $?");
  assert.equal(bad.err, "sh: can't create /no/dir/f: nonexistent directory\nsh: can't open /missing: no such file\n");
  assert.equal(bad.out, "1\n1\n");
});

test("here-documents expand unless the delimiter is quoted", () => {
  assert.equal(out("x=v; cat <<EOF\nval=$x\n$(echo sub)\nEOF\ncat <<'EOF'\nraw $x\nEOF"), "val=v\nsub\nraw $x\n");
});

test("set -e ends the script at the first failing command outside conditions", () => {
  const r = sh("set -e; echo a; if false; then :; fi; false || echo b; ! true; false && true; echo c; false; echo d");
  assert.equal(r.out, "a\nb\nc\n");
  assert.equal(r.code, 1);
  assert.equal(sh("set -e; (false); echo no").code, 1);
  assert.equal(sh("sh_unused=1", undefined).code, 0);
  const h = sh("true").h;
  const p = h.run(["sh", "-ec", "false; echo no"]);
  assert.equal(p.exit(), 1);
});

test("errors in builtins name the builtin and line; special builtins end the script", () => {
  const r = sh("echo a\ncd /nope; echo after $?");
  assert.equal(r.err, "sh: cd: line 2: can't cd to /nope\n");
  assert.equal(r.out, "a\nafter 2\n");
  const s = sh("shift 3; echo never");
  assert.equal(s.err, "sh: shift: line 1: can't shift that many\n");
  assert.equal(s.code, 2);
  assert.equal(s.out, "");
  assert.equal(sh("exit foo").err, "sh: exit: line 1: Illegal number: foo\n");
  assert.equal(sh("trap 'x' NOSIG; echo never").code, 2);
});

test("set -x traces commands to stderr", () => {
  assert.equal(sh("set -x; x=1 echo hi").err, "+ x=1 echo hi\n");
});

test("globbing over the filesystem; no match keeps the word", () => {
  const r = sh("touch /tmp/a.txt /tmp/b.txt /tmp/c.log; echo /tmp/*.txt; echo /tmp/*.none; cd /tmp && echo *.log", (h) => h.fs.mkdir("/tmp/d"));
  assert.equal(r.out, "/tmp/a.txt /tmp/b.txt\n/tmp/*.none\nc.log\n");
  assert.equal(out("echo '/tmp/*'"), "/tmp/*\n");
});

test("nested shells: sh -c, sh script, piped stdin, busybox APPLET", () => {
  const r = sh('export A=1; B=2; sh -c \'echo "$A [$B] $0 $1"; exit 3\' name arg; echo $?; echo "echo piped" | sh; busybox echo via busybox');
  assert.equal(r.out, "1 [] name arg\n3\npiped\nvia busybox\n");
  const e = sh("sh -c 'nope'; sh /tmp/none.sh; echo $?");
  assert.equal(e.err, "sh: nope: not found\nsh: can't open '/tmp/none.sh': No such file or directory\n");
  assert.equal(e.out, "2\n");
});

test("eval, ., exec and command", () => {
  assert.equal(out("cmd='echo evaluated'; eval $cmd"), "evaluated\n");
  const r = sh(". /tmp/lib; libfn", (h) => h.fs.writeFile("/tmp/lib", "libfn() { echo from lib; }\n"));
  assert.equal(r.out, "from lib\n");
  assert.equal(sh("exec false; echo not reached").code, 1);
  assert.equal(out("command -v echo sleep; type cat"), "echo\n/bin/sleep\ncat is /bin/cat\n");
});

test("scripts run one line at a time: earlier lines run before a later syntax error", () => {
  const r = sh("echo first\necho second; fi\necho third");
  assert.equal(r.out, "first\n");
  assert.equal(r.err, 'sh: syntax error: unexpected "fi"\n');
  assert.equal(r.code, 2);
});

test("a script file reports errors with its name and line", () => {
  const h = sh("true").h;
  h.fs.writeFile("/tmp/run.sh", "echo ok\nnope\n");
  const p = h.run(["sh", "/tmp/run.sh"]);
  assert.equal(p.exit(), 127);
  assert.equal(h.stderr(), "/tmp/run.sh: line 2: nope: not found\n");
  const missing = h.run(["sh", "/tmp/none.sh"]);
  assert.equal(missing.exit(), 2);
});

test("`sh` with no script reads empty stdin and exits 0 at once", () => {
  const h = sh("true").h;
  assert.equal(h.run(["sh"]).exit(), 0);
  assert.equal(h.run(["/bin/sh"], { stdin: "echo from stdin; exit 4" }).exit(), 4);
  assert.equal(h.stdout(), "from stdin\n");
});

test("error prefix is argv[0] as given", () => {
  const h = sh("true").h;
  h.run(["/bin/sh", "-c", "nope"]);
  assert.equal(h.stderr(), "/bin/sh: nope: not found\n");
});

test("set -x in busybox ash quotes words as ash.c's maybe_single_quote does", async () => {
  const { maybeSingleQuote } = await import("./interp.ts");
  assert.equal(sh(`set -x; X='a b'; echo 'Attempt 1: x' "[" done; [ -n "" ]`).err, "+ X='a b'\n+ echo 'Attempt 1: x' '[' done\n+ '[' -n  ]\n");
  assert.deepEqual(["it's", "'", "", "/^  HTTP/{print $2}", "a,b.c/d:e@f+g-_]"].map(maybeSingleQuote), [`'it'"'"'s'`, `''"'"`, "", "'/^  HTTP/{print $2}'", "a,b.c/d:e@f+g-_]"]);
});

test("busybox test's syntax errors carry the applet name (sh), not ash's arg0 (/bin/sh)", () => {
  const h = harness();
  const r = h.run(["/bin/sh", "-c", "[ -eq 200 ]; echo $?; cd /nope"]);
  assert.deepEqual([h.stdout(), r.exit()], ["2\n", 2]);
  const [testLine, cdLine] = h.stderr().split("\n");
  assert.equal(testLine, "sh: -eq: unknown operand");
  assert.match(cdLine!, /^\/bin\/sh: cd: /);
});

test("an assignment's tilde prefix is $HOME (POSIX 2.6.1), a quoted one is not", () => {
  assert.equal(out('HOME=/root; A=~/.kube/config; B="~/x"; C=~; echo "$A $B $C"'), "/root/.kube/config ~/x /root\n");
  assert.equal(out('HOME=/home/u; E=~/e sh -c \'echo "$E"\''), "/home/u/e\n");
});

test("tilde expansion as GNU bash 5.2 does it: after each `:` of an assignment, ~user, ~+ and ~-, assignment-like arguments (export D=~/d)", () => {
  const h = harness();

  h.fs.writeFile("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
  for (const d of ["/tmp", "/root"]) if (!h.fs.stat(d)) h.fs.mkdir(d);
  const script =
    "HOME=/root; cd /tmp; export D=~/d; echo $D; D2=~/e:~/f; echo $D2; X=a~/g; echo $X; echo ~root ~/h ~nosuch/x ~nobody; " +
    "export E=x:~/k; echo $E; v=~; echo $v; echo a=~/b c:~/d; Q=\"~/q\"; echo $Q; echo ~+; cd /; echo ~-; " +
    "P=~/x:\"~/y\":~root/z; echo $P; declare -x F=~/f1:~/f2; echo $F; ls -d ~/../tm*";
  const r = h.run(["bash", "-c", script]);
  assert.equal(h.stderr(), "");
  assert.equal(r.exit(), 0);
  assert.equal(
    h.stdout(),
    "/root/d\n/root/e:/root/f\na~/g\n/root /root/h ~nosuch/x /nonexistent\nx:/root/k\n/root\na=/root/b c:~/d\n~/q\n/tmp\n/tmp\n/root/x:~/y:/root/z\n/root/f1:/root/f2\n/root/../tmp\n",
  );
  // sh (busybox ash): an assignment's colons too; an argument is only a word.
  const a = harness();
  const ra = a.run(["sh", "-c", "HOME=/root; D2=~/e:~/f; echo $D2; echo a=~/b"]);
  assert.equal(ra.exit(), 0);
  assert.equal(a.stdout(), "/root/e:/root/f\na=~/b\n");
});
