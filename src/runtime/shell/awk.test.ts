import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";
import { ereToJs } from "./awk.ts";
import { parseProgram, AwkSyntaxError } from "./awkparse.ts";
import { sprintf, inputVal, StrNum, numToStr } from "./awkvalue.ts";

test("busybox's awk (the busybox images): the Online Boutique frontend-check pipeline's awk", () => {
  const r = sh(`printf 'Connecting to frontend:80 (10.96.0.12:80)\\n  HTTP/1.1 200 OK\\n  Content-Type: text/html\\n' | awk '/^  HTTP/{print $2}'`);
  assert.deepEqual([r.out, r.err, r.code], ["200\n", "", 0]);
});

test("busybox's awk: its messages, ** and integers printed to 2^63", () => {
  assert.deepEqual(sh(`awk 'BEGIN { x = 1 + }'`).err, "awk: cmd. line:1: Unexpected token\n");
  assert.equal(sh(`awk 'BEGIN { print 2**10, 2^31, substr("hello", -1, 3) }'`).out, "1024 2147483648 hel\n");
  const z = sh(`awk 'BEGIN { print 1/0 }'`);
  assert.deepEqual([z.err, z.code], ["awk: cmd. line:1: Division by zero\n", 2]);
});

test("mawk where /bin/sh is dash (Debian images): ** is not an operator, 2^31 prints through OFMT", () => {
  const h = harness();
  const r = h.run(["sh", "-c", `awk 'BEGIN { print 2^31 }'; awk 'BEGIN { print 2**3 }'`], { binSh: "dash" });
  h.clock.advance(1000);
  assert.deepEqual([h.stdout(), h.stderr(), r.exit()], ["2.14748e+09\n", "awk: line 1: syntax error at or near *\n", 2]);
});

test("a runaway awk loop yields to the simulated clock and is killable", () => {
  const h = harness();
  const r = h.run(["awk", "BEGIN { while (1) x++ }"]);
  h.clock.advance(5000);
  assert.equal(r.exit(), undefined, "still running after 5 simulated seconds, without hanging the simulation");
  r.proc.kill("SIGKILL");
  h.clock.advance(1000);
  assert.equal(r.exit(), 137);
});

test("awk reads a pipe as its writer writes it (blocking on the pipe like any applet)", () => {
  const r = sh(`(echo a; sleep 2; echo b) | awk '{ print NR ": " $0 }'`);
  assert.deepEqual([r.out, r.code], ["1: a\n2: b\n", 0]);
  assert.ok((r.ms ?? 0) >= 2000);
});

test("awk's print | cmd, system() and cmd | getline run through the shell", () => {
  const r = sh(`awk 'BEGIN { print "z\\ny" | "sort"; close("sort"); system("echo sys"); "echo piped" | getline v; print v }'`);
  assert.deepEqual([r.out, r.code], ["y\nz\nsys\npiped\n", 0]);
});

test("awk writes files relative to the working directory", () => {
  const r = sh(`cd /tmp && awk 'BEGIN { print "x" > "f" }' && cat /tmp/f`);
  assert.equal(r.out, "x\n");
});

test("ereToJs: brackets, classes, escapes and literal braces", () => {
  assert.equal(ereToJs("[[:digit:]]+"), "[0-9]+");
  assert.equal(ereToJs("[]a]"), "[\\]a]");
  assert.equal(ereToJs("a\\.b/c"), "a\\.b\\/c");
  assert.equal(ereToJs("{x}"), "\\{x\\}");
  assert.equal(ereToJs("a{2}"), "a{2}");
  assert.ok(new RegExp(ereToJs("[a\\]]"), "s").test("]"));
});

test("parser: syntax errors name the token as mawk does", () => {
  assert.throws(() => parseProgram("BEGIN { x = 1 + }", "mawk"), (e: unknown) => e instanceof AwkSyntaxError && e.text === "line 1: syntax error at or near }");
  assert.throws(() => parseProgram("{ print", "mawk"), (e: unknown) => e instanceof AwkSyntaxError && /missing } near end of file/.test(e.text));
  const p = parseProgram('/a/,/b/ { n++ } function f(x) { return x }\nEND { print n > "out" }', "mawk");
  assert.equal(p.items.length, 2);
  assert.ok(p.funcs.has("f"));
});

test("values: strnum input, C's %g/%e/%d, integers by range", () => {
  assert.ok(inputVal(" 12 ", "mawk") instanceof StrNum);
  assert.equal(typeof inputVal("12x", "mawk"), "string");
  assert.equal(sprintf("%g|%e|%5.2f|%-4d|%x|%c", [1e-5, 12345.678, 3.14159, 7, 255, 65], "mawk").out, "1e-05|1.234568e+04| 3.14|7   |ff|A");
  assert.equal(numToStr(2 ** 31, "%.6g", "mawk"), "2.14748e+09");
  assert.equal(numToStr(2 ** 31, "%.6g", "busybox"), "2147483648");
  assert.equal(numToStr(0.1 + 0.2, "%.6g", "mawk"), "0.3");
});
