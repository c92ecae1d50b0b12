import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLoop, compileStraight } from "./compiled.ts";
import { parseProgram } from "./parser.ts";
import { parseSleep } from "./applets.ts";
import { harness } from "./testutil.ts";
import type { LineWriter, ProcessIO, RepeatedLine } from "../types.ts";

function loopOf(src: string) {
  const list = parseProgram(src);
  const loop = list.items.map((i) => i.cmd).find((c) => c.t === "loop");
  assert.ok(loop && loop.t === "loop", `no loop in ${src}`);
  return compileLoop(loop, parseSleep);
}

test("compileLoop recognises loops that only echo literals and counters, count and sleep", () => {
  for (const src of [
    "n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done",
    'i=5; while :; do echo "count: $i of $HOSTNAME"; i=$(($i - 2)); sleep 3.5; true; done',
    "while true; do echo a; x=b; sleep 1m; :; done",
    "while true; do sleep 1 2; echo; done",
  ]) {
    assert.ok(loopOf(src), src);
  }
});

test("compileLoop leaves everything else to the interpreter", () => {
  for (const src of [
    "until false; do echo x; sleep 1; done",
    "n=0; while [ $n -lt 3 ]; do echo $n; n=$((n+1)); sleep 1; done",
    "while true; do echo x > /tmp/f; sleep 1; done",
    "while true; do echo x | cat; sleep 1; done",
    "while true; do echo x & sleep 1; done",
    "while true; do date; sleep 1; done",
    "while true; do echo x; done",
    "while true; do echo x; sleep 0; done",
    "while true; do echo x; sleep infinity; done",
    "while true; do echo x; sleep $T; done",
    "while true; do echo -n x; sleep 1; done",
    "while true; do echo $x; sleep 1; done",
    "while true; do echo *; sleep 1; done",
    "while true; do echo 'a\\tb'; sleep 1; done",
    "while true; do echo ~; sleep 1; done",
    "while true; do echo ${n:-0}; sleep 1; done",
    "while true; do echo $(date); sleep 1; done",
    "while true; do n=$((n*2)); sleep 1; done",
    "while true; do n=$((m+1)); sleep 1; done",
    "while true; do IFS=$((IFS+1)); sleep 1; done",
    "while true; do X=1 echo a; sleep 1; done",
    "while true; do n=x; n=$((n+1)); sleep 1; done",
    "while true; do echo $RANDOM; sleep 1; done",
    "while true; do if true; then echo a; fi; sleep 1; done",
  ]) {
    assert.equal(loopOf(src), undefined, src);
  }
});

/** `both`, asserting that the two runs wrote the same chunks at the same instants, exited alike at the same instant, and fired the same timer callbacks. */
function sameOnBoth(script: string, steps: Array<number | "TERM" | "KILL">, opts?: { pid1?: boolean }) {
  const runs = both(script, steps, opts);
  const { fast, reference } = runs;
  assert.deepEqual(fast.chunks, reference.chunks, script);
  assert.equal(fast.exit, reference.exit, script);
  assert.equal(fast.at, reference.at, script);
  assert.equal(fast.fired, reference.fired, `${script}: the same timer callbacks`);
  return runs;
}

/**
 * Runs a script on the compiled path and on the reference path with the same steps in between,
 * and returns both runs' stdout chunks with their instants, exit codes, and how many lines went
 * through the compiled writer.
 */
function both(script: string, steps: Array<number | "TERM" | "KILL">, opts: { pid1?: boolean } = { pid1: true }) {
  const runs = [false, true].map((reference) => {
    const h = harness();
    const chunks: string[] = [];
    let lines = 0;
    const stdout: ProcessIO["stdout"] & LineWriter = (t) => chunks.push(`${h.clock.now()} ${t}`);
    stdout.line = (_parts, _nums, t) => {
      lines++;
      chunks.push(`${h.clock.now()} ${t}`);
    };
    h.io = { ...h.io, stdout, reference };
    const r = h.run(["sh", "-c", script], opts);
    for (const s of steps) {
      if (s === "TERM") r.proc.kill("SIGTERM");
      else if (s === "KILL") r.proc.kill("SIGKILL");
      else h.clock.advance(s);
    }
    return { chunks, exit: r.exit(), at: r.exitedAt(), lines, fired: h.clock.fired };
  });
  return { fast: runs[0]!, reference: runs[1]! };
}

test("a compiled loop writes the same lines at the same instants and dies the same way as the interpreted one", () => {
  const cases: Array<[string, Array<number | "TERM" | "KILL">, { pid1?: boolean }?]> = [
    ["n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done", [999, 35_000, "TERM", 12_345, "KILL", 20_000]],
    ['i=5; export X=y; while :; do echo "count: $i of $X"; i=$(($i - 2)); sleep 3.5; true; done', [1, 60_000, "KILL"]],
    ["echo start; n=7; while true; do echo a $n; echo b; n=$((n+1)); x=q; sleep 1; done", [10_500, "TERM"], { pid1: false }],
    // the counter nears 2^52: the loop goes back to the interpreter at an iteration boundary
    ["n=4503599627369000; while true; do echo v $n; n=$((n+100)); sleep 1; done", [30_000, "KILL"]],
  ];
  for (const [script, steps, opts] of cases) {
    const { fast, reference } = sameOnBoth(script, steps, opts);
    assert.ok(fast.lines > 0, `${script}: compiled`);
    assert.equal(reference.lines, 0, `${script}: the reference engine interprets`);
  }
});

test("a loop is not compiled when a trap, set -x, a redefined command or an unsafe value could make it mean something else", () => {
  for (const script of [
    "trap 'echo bye' TERM; while true; do echo x; sleep 1; done",
    "set -x; while true; do echo x; sleep 1; done",
    "echo() { printf 'f\\n'; }; while true; do echo x; sleep 1; done",
    "n=010; while true; do echo $n; n=$((n+1)); sleep 1; done",
    "x='a b'; while true; do echo $x; sleep 1; done",
    "readonly n=1; while true; do echo $n; n=$((n+1)); sleep 1; done",
    "IFS=1; n=1; while true; do echo $n; n=$((n+1)); sleep 1; done",
    "while true; do echo x; sleep 1; done > /tmp/out",
  ]) {
    const { fast, reference } = both(script, [5_500, "TERM", 3_000, "KILL"]);
    assert.deepEqual(fast.chunks, reference.chunks, script);
    assert.equal(fast.exit, reference.exit, script);
    assert.equal(fast.lines, 0, `${script}: interpreted`);
  }
});

function straightOf(src: string) {
  return compileStraight({}, () => [parseProgram(src)], parseSleep);
}

test("compileStraight recognises straight-line programs of echo, sleep, true, constants and a last exit", () => {
  for (const src of [
    "echo start 3; sleep 15; echo crash; exit 1",
    "echo start\nsleep 2\necho crash\nexit 1\n",
    'x=a; echo "hello $x" of $HOSTNAME; sleep 1m 2; :; true; echo',
    "sleep 5",
    "exit",
    "echo bye; exit 300",
  ]) {
    assert.ok(straightOf(src), src);
  }
  assert.equal(straightOf("echo a; exit 3")!.body.at(-1)!.t, "exit");
});

test("compileStraight leaves everything else to the interpreter", () => {
  for (const src of [
    "",
    "echo a; exit 1; echo b",
    "exit $CODE",
    "exit -1",
    "exit 1 2",
    "echo a && exit 1",
    "echo a > /tmp/f; exit 1",
    "echo a | cat",
    "sleep 1 &",
    "n=0; n=$((n+1)); echo $n",
    "x=~/a; echo $x",
    "x='a\\b'; echo $x",
    "echo -n a",
    "echo $(date)",
    "date; exit 1",
    "sleep $T",
    "sleep 0",
    "sleep infinity",
    "echo a; sleep 1; if true; then echo b; fi",
    "echo 'unterminated",
    "trap 'echo bye' EXIT; exit 1",
  ]) {
    assert.equal(straightOf(src), undefined, src);
  }
});

test("a straight-line program writes the same lines at the same instants, exits and dies the same way as the interpreted one", () => {
  const cases: Array<[string, Array<number | "TERM" | "KILL">, { pid1?: boolean }?]> = [
    ["echo start 3; sleep 15; echo crash; exit 1", [14_999, 1, 10]],
    ["echo start 3; sleep 15; echo crash; exit 1", [7_000, "KILL", 10_000]],
    ["echo start 3; sleep 15; echo crash; exit 1", [7_000, "TERM", 10_000]],
    ["echo start 3; sleep 15; echo crash; exit 1", [7_000, "TERM", 10_000], { pid1: false }],
    ['x=q; echo "a $x" b$x; sleep 1.5; :; echo; sleep 2m; exit', [200_000]],
    ["echo unset $NOPE; exit 1", [1]],
    ["echo one\necho two; sleep 1\nexit 300", [5_000]],
    ["sleep 2; echo done", [1_000, 1_000, 1]],
    ["echo only", [1]],
    ["exit 7", [1]],
  ];
  for (const [script, steps, opts] of cases) {
    const { fast, reference } = sameOnBoth(script, steps, opts);
    if (script.includes("echo") && !script.includes("NOPE")) assert.ok(fast.lines > 0, `${script}: run by the driver`);
    assert.equal(reference.lines, 0, `${script}: the reference engine interprets`);
  }
});

test("a straight-line program is interpreted when set -x, a trap, a function or an unsafe value could make it mean something else", () => {
  for (const script of ["set -x; echo a; sleep 1; exit 2", "echo() { printf 'f\\n'; }; echo a; exit 1", "x='a b'; echo $x; exit 1", "readonly x=1; x=2; echo $x"]) {
    const { fast, reference } = both(script, [5_500]);
    assert.deepEqual(fast.chunks, reference.chunks, script);
    assert.equal(fast.exit, reference.exit, script);
    assert.equal(fast.lines, 0, `${script}: interpreted`);
  }
});

/**
 * Issue #19: a loop whose cycles differ only by their counters goes dormant (its chain keeps its
 * place in the clock's queue, no callback runs) once a whole cycle ran, and the writer replays the
 * skipped lines when read. A writer with `repeat` here keeps the lines it was told about, each at
 * its firing's instant, and a follower wakes the chain (the loop writes for real again, its
 * counters where the skipped cycles left them).
 */
function dormantRun(script: string, steps: Array<number | "read" | "follow" | "KILL">, reference: boolean) {
  const h = harness();
  const chunks: string[] = [];
  let rep: { r: RepeatedLine; done: number } | undefined;
  let repeats = 0;
  const catchUp = () => {
    if (!rep) return;
    const { r } = rep;
    for (let i = rep.done; i < r.skipped(); i++) {
      let text = r.parts[0]!;
      for (let j = 0; j < r.nums.length; j++) text += String(r.nums[j]! + i * r.steps[j]!) + r.parts[j + 1]!;
      chunks.push(`${r.firstAt + i * r.period} ${text}`);
    }
    rep.done = r.skipped();
  };
  let following = false;
  const stdout: ProcessIO["stdout"] & LineWriter = (t) => {
    catchUp();
    chunks.push(`${h.clock.now()} ${t}`);
  };
  stdout.line = (_parts, _nums, t) => stdout(t);
  stdout.repeat = (r) => {
    if (following || rep) return undefined;
    repeats++;
    const mine = { r, done: 0 };
    rep = mine;
    return () => {
      if (rep !== mine) return;
      catchUp();
      rep = undefined;
    };
  };
  h.io = { ...h.io, stdout, reference };
  const r = h.run(["sh", "-c", script], { pid1: true });
  const reads: string[] = [];
  for (const s of steps) {
    if (s === "KILL") r.proc.kill("SIGKILL");
    else if (s === "read") {
      catchUp();
      reads.push(chunks.join(""));
    } else if (s === "follow") {
      following = true;
      rep?.r.wake();
    } else h.clock.advance(s);
  }
  catchUp();
  return { chunks, reads, exit: r.exit(), at: r.exitedAt(), fired: h.clock.fired, repeats };
}

test("a dormant loop leaves the same lines, read at any instant, woken by a follower, killed mid-period, as the interpreted one", () => {
  const cases: Array<[string, Array<number | "read" | "follow" | "KILL">]> = [
    ["n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done", [999, "read", 35_000, "read", 10_000, "read", 5_000, "follow", 21_000, "read", 3_333, "KILL", 20_000]],
    ['i=5; export X=y; while :; do i=$(($i - 2)); echo "count: $i of $X"; true; sleep 3.5; done', [1, 60_000, "read", 7_000, "KILL"]],
    ["while true; do sleep 2; done", [10_000, "read", 1_000, "KILL"]],
    ["x=a; while true; do echo v $x $n; x=b; n=$((n+0)); sleep 1; done", [0, 6_000, "read", 2_000, "follow", 3_000, "KILL"]],
  ];
  for (const [script, steps] of cases) {
    const fast = dormantRun(script.includes("$n;") ? `n=3; ${script}` : script, steps, false);
    const reference = dormantRun(script.includes("$n;") ? `n=3; ${script}` : script, steps, true);
    assert.deepEqual(fast.reads, reference.reads, script);
    assert.deepEqual(fast.chunks, reference.chunks, script);
    assert.equal(fast.exit, reference.exit, script);
    assert.equal(fast.at, reference.at, script);
    assert.ok(fast.fired < reference.fired, `${script}: fewer timer callbacks (${fast.fired} vs ${reference.fired})`);
  }
});
