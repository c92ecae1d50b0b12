import { test } from "node:test";
import assert from "node:assert/strict";
import { ServerProcess } from "./server.ts";
import type { ProcessIO } from "../../runtime/types.ts";

/** A clock of its own: timers fire in due order when the test moves time. */
function fakeIO() {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const io = {
    clock: {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        timers.set(++next, { at: now + ms, fn });
        return next;
      },
      clear: (h: number) => void timers.delete(h),
    },
    stdout: () => {},
    stderr: () => {},
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  return { io: io as unknown as ProcessIO, advance, pending: () => timers.size };
}

/** A program that re-arms a timer every second, as a controller's resync does. */
class Ticker extends ServerProcess {
  ticks = 0;
  protected run(): void {
    const tick = () => {
      this.ticks++;
      this.after(1000, tick);
    };
    this.after(1000, tick);
  }
  armed(): number {
    return (this as unknown as { timers: Set<unknown> }).timers.size;
  }
}

test("after: a fired timer is forgotten (a program that re-arms keeps one), and the exit clears the rest", () => {
  const { io, advance, pending } = fakeIO();
  const p = new Ticker(io);
  let exited: number | undefined;
  p.start((code) => (exited = code));
  advance(10_000);
  assert.equal(p.ticks, 10);
  assert.equal(p.armed(), 1, "only the timer not yet fired is kept");
  p.exit(0);
  assert.equal(exited, 0);
  assert.equal(pending(), 0, "the exit cleared the armed timer");
  advance(10_000);
  assert.equal(p.ticks, 10, "nothing runs after the exit");
});

test("a stop signal's delayed exit is a timer too: the process exits when it fires", () => {
  const { io, advance } = fakeIO();
  const p = new Ticker(io);
  let exited: number | undefined;
  p.start((code) => (exited = code));
  p.stopSignal({ exitCode: 0, afterMs: 2500 });
  advance(2000);
  assert.equal(exited, undefined);
  advance(1000);
  assert.equal(exited, 0);
  assert.equal(p.ticks, 2);
  assert.equal(p.armed(), 0);
});
