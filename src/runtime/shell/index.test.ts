import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";
import { createShellProcess, startError, INSTANT_BUDGET } from "./index.ts";

test("sleep 3600 takes one simulated hour and no wall time", () => {
  const h = harness();
  const wall = performance.now();
  const p = h.run(["sleep", "3600"]);
  h.clock.advance(3_599_999);
  assert.equal(p.exit(), undefined);
  h.clock.advance(1);
  assert.equal(p.exit(), 0);
  assert.equal(p.exitedAt(), Date.parse("2024-01-08T01:00:00Z"));
  assert.ok(performance.now() - wall < 1000);
});

test("`echo The app is running! && sleep 3600` logs at once and runs for an hour", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "echo The app is running! && sleep 3600"]);
  assert.deepEqual(h.out, ["The app is running!\n"]);
  h.clock.advance(3_600_000);
  assert.equal(p.exit(), 0);
});

test("until [ -f /x ]; do sleep 2; done ends at the first check after the file appears", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "until [ -f /x ]; do sleep 2; done; echo found"]);
  h.clock.advance(5000);
  h.fs.writeFile("/x", "");
  assert.equal(p.exit(), undefined);
  h.clock.advance(999);
  assert.equal(p.exit(), undefined);
  h.clock.advance(1);
  assert.equal(p.exit(), 0);
  assert.equal(p.exitedAt()! - Date.parse("2024-01-08T00:00:00Z"), 6000);
  assert.equal(h.stdout(), "found\n");
});

test("sleep accepts decimals, suffixes and sums its arguments like busybox", () => {
  for (const [args, ms] of [
    [["1.5"], 1500],
    [["1m"], 60_000],
    [["1h", "30"], 3_630_000],
    [["0.25s"], 250],
    [["2d"], 172_800_000],
  ] as Array<[string[], number]>) {
    const h = harness();
    const p = h.run(["sleep", ...args]);
    h.clock.advance(ms - 1);
    assert.equal(p.exit(), undefined, args.join(" "));
    h.clock.advance(1);
    assert.equal(p.exit(), 0, args.join(" "));
  }
  const bad = sh("sleep abc");
  assert.equal(bad.code, 1);
  assert.equal(bad.err, "sleep: invalid number 'abc'\n");
});

test("onExit is never called before start() returns, even for an instant exit", () => {
  const h = harness();
  let code: number | undefined;
  const p = createShellProcess(["sh", "-c", "exit 3"], h.io);
  p.start((c) => (code = c));
  assert.equal(code, undefined);
  h.clock.settle();
  assert.equal(code, 3);
});

test("SIGKILL ends the process at once with 137", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "while true; do sleep 1; done"]);
  h.clock.advance(10_500);
  p.proc.kill("SIGKILL");
  assert.equal(p.exit(), 137);
  h.clock.advance(10_000);
  p.proc.kill("SIGTERM");
  assert.equal(p.exit(), 137);
});

test("SIGTERM without a trap: 143 at once, but PID 1 ignores it (the kernel shields init)", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "sleep 3600"]);
  p.proc.kill("SIGTERM");
  assert.equal(p.exit(), 143);
  const init = h.run(["sh", "-c", "echo hi && sleep 3600"], { pid1: true });
  init.proc.kill("SIGTERM");
  h.clock.advance(30_000);
  assert.equal(init.exit(), undefined);
  init.proc.kill("SIGKILL");
  assert.equal(init.exit(), 137);
  const direct = h.run(["sleep", "3600"], { pid1: true });
  direct.proc.kill("SIGTERM");
  h.clock.advance(1000);
  assert.equal(direct.exit(), undefined);
});

test("a TERM trap runs after the foreground sleep ends, or at once during `wait`", () => {
  const h = harness();
  const fg = h.run(["sh", "-c", "trap 'echo got TERM; exit 0' TERM; sleep 60; echo after"], { pid1: true });
  h.clock.advance(10_000);
  fg.proc.kill("SIGTERM");
  h.clock.advance(49_999);
  assert.equal(fg.exit(), undefined);
  h.clock.advance(1);
  assert.equal(fg.exit(), 0);
  assert.equal(h.stdout(), "got TERM\n");

  const h2 = harness();
  const bg = h2.run(["sh", "-c", "trap 'echo bye; exit 0' TERM; sleep 3600 & wait; echo never"], { pid1: true });
  h2.clock.advance(10_000);
  bg.proc.kill("SIGTERM");
  h2.clock.settle();
  assert.equal(bg.exit(), 0);
  assert.equal(bg.exitedAt(), Date.parse("2024-01-08T00:00:10Z"));
  assert.equal(h2.stdout(), "bye\n");

  const h3 = harness();
  const ign = h3.run(["sh", "-c", "trap '' TERM; sleep 5; echo done"]);
  ign.proc.kill("SIGTERM");
  h3.clock.advance(5000);
  assert.equal(ign.exit(), 0);
  assert.equal(h3.stdout(), "done\n");
});

test("a trap that does not exit lets the script continue", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "trap 'echo term' TERM; i=0; while [ $i -lt 3 ]; do sleep 1; i=$((i+1)); done; echo end $i"]);
  h.clock.advance(500);
  p.proc.kill("SIGTERM");
  h.clock.advance(3000);
  assert.equal(p.exit(), 0);
  assert.equal(h.stdout(), "term\nend 3\n");
});

test("kill $$ from the script delivers TERM to itself", () => {
  const r = sh("trap 'echo trapped; exit 9' TERM; kill $$; echo not reached");
  assert.equal(r.out, "trapped\n");
  assert.equal(r.code, 9);
  assert.equal(sh("kill -9 $$; echo no").code, 137);
});

test("background jobs and wait", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "(sleep 2; echo bg) & echo fg; wait; echo waited $?"]);
  assert.equal(h.stdout(), "fg\n");
  h.clock.advance(2000);
  assert.equal(p.exit(), 0);
  assert.equal(h.stdout(), "fg\nbg\nwaited 0\n");
  const st = sh("(exit 3) & wait $!; echo $?");
  assert.equal(st.out, "3\n");
  assert.equal(sh("sleep 100 & kill $!; wait $!; echo $?").out, "143\n");
  assert.equal(sh("sleep 3 & sleep 1 & wait %2; echo $?; (exit 5) & wait; echo $?").out, "0\n0\n");
});

test("background jobs die with the process", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "(sleep 5; echo late) & sleep 1"]);
  h.clock.advance(1000);
  assert.equal(p.exit(), 0);
  h.clock.advance(10_000);
  assert.equal(h.stdout(), "");
});

test("a loop that never sleeps does not hang: it spins while simulated time advances", () => {
  const h = harness();
  const wall = performance.now();
  const p = h.run(["sh", "-c", "i=0; while true; do i=$((i+1)); done"]);
  assert.equal(p.exit(), undefined);
  h.clock.advance(1000);
  assert.equal(p.exit(), undefined);
  p.proc.kill("SIGKILL");
  assert.equal(p.exit(), 137);
  assert.ok(performance.now() - wall < 20_000, "bounded wall time");
});

test("a busy loop that eventually finishes finishes at the same instant when under the budget", () => {
  const r = sh("i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; echo $i");
  assert.equal(r.out, "2000\n");
  assert.equal(r.ms, 0);
  assert.ok(INSTANT_BUDGET >= 100_000);
});

test("exec form runs one command without a shell", () => {
  const h = harness();
  h.fs.mkdir("/readiness");
  h.fs.writeFile("/readiness/ready.txt", "ready\n");
  const ok = h.run(["cat", "/readiness/ready.txt"]);
  assert.equal(ok.exit(), 0);
  assert.equal(h.stdout(), "ready\n");
  const missing = h.run(["cat", "/readiness/nope.txt"]);
  assert.equal(missing.exit(), 1);
  assert.equal(h.stderr(), "cat: can't open '/readiness/nope.txt': No such file or directory\n");
  const literal = harness();
  literal.run(["echo", "$HOME", "*"]);
  assert.equal(literal.stdout(), "$HOME *\n", "no expansion in exec form");
});

test("exec form with an unknown program fails to start like containerd (exit 128)", () => {
  const h = harness();
  assert.match(startError(["xyz"], h.io)!, /exec: "xyz": executable file not found in \$PATH: unknown$/);
  assert.match(startError(["/app/run"], h.io)!, /exec: "\/app\/run": stat \/app\/run: no such file or directory: unknown$/);
  assert.equal(startError(["sleep", "1"], h.io), undefined);
  assert.equal(startError(["/bin/sh", "-c", "x"], h.io), undefined);
  assert.match(startError(["curl", "x"], h.io, { hasCommand: (n) => n !== "curl" })!, /"curl": executable file not found/);
  const p = h.run(["xyz"]);
  assert.equal(p.exit(), 128);
});

test("images without curl say `sh: curl: not found`", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "curl http://x"], { hasCommand: (n) => n !== "curl" });
  assert.equal(p.exit(), 127);
  assert.equal(h.stderr(), "sh: curl: not found\n");
});

test("the date follows the simulated clock", () => {
  const h = harness();
  h.run(["sh", "-c", "date; sleep 90061; date; date +%Y-%m-%dT%H:%M:%S; date -u +%s"]);
  h.clock.advance(90_061_000);
  assert.equal(h.stdout(), "Mon Jan  8 00:00:00 UTC 2024\nTue Jan  9 01:01:01 UTC 2024\n2024-01-09T01:01:01\n1704762061\n");
});

test("kill 1 from a command run in the container (kubectl exec) signals its main process: TERM reaches it, KILL never does", () => {
  const signals: string[] = [];
  const r = sh("kill 1; echo $?; kill -9 1; echo $?; kill -TERM 1", (h) => {
    h.io.container = { main: { start: () => {}, kill: (s) => void signals.push(s) } };
  });
  assert.equal(r.out, "0\n0\n");
  assert.equal(r.err, "");
  assert.deepEqual(signals, ["SIGTERM", "SIGTERM"]);
});
