import { test } from "node:test";
import assert from "node:assert/strict";
import { RunawayError, SimClock, toRFC3339, type TimerHandle } from "./clock.ts";

test("toRFC3339 keeps its last two answers: instants alternating, repeated and new give what Date gives", () => {
  const at = ["2024-01-08T00:00:00.000Z", "2024-01-08T00:00:02.500Z", "2024-01-08T00:00:00.999Z", "2024-01-08T00:00:02.000Z", "1969-12-31T23:59:59.500Z", "2024-01-08T00:00:00.001Z", "2024-01-08T00:00:03.000Z", "2024-01-08T00:00:02.999Z", "1969-12-31T23:59:59.000Z"];
  for (const t of [...at, ...at.reverse()]) assert.equal(toRFC3339(Date.parse(t)), new Date(Math.floor(Date.parse(t) / 1000) * 1000).toISOString().replace(".000Z", "Z"), t);
});

test("starts at the contract's instant and formats RFC 3339 with seconds", () => {
  const c = new SimClock();
  assert.equal(c.nowRFC3339(), "2024-01-08T00:00:00Z");
  assert.equal(toRFC3339(Date.parse("2024-01-08T00:00:01.999Z")), "2024-01-08T00:00:01Z");
  assert.equal(c.nowMicroRFC3339(), "2024-01-08T00:00:00.000000Z");
});

test("timers run in time order, ties in creation order, and only within the advance", () => {
  const c = new SimClock();
  const seen: string[] = [];
  c.setTimeout(() => seen.push("b@2s"), 2000);
  c.setTimeout(() => seen.push("a@1s"), 1000);
  c.setTimeout(() => seen.push("c@2s"), 2000);
  c.setTimeout(() => seen.push("late"), 5000);
  c.advance(2000);
  assert.deepEqual(seen, ["a@1s", "b@2s", "c@2s"]);
  assert.equal(c.now(), Date.parse("2024-01-08T00:00:02Z"));
});

test("intervals fire every period and clear stops them", () => {
  const c = new SimClock();
  let n = 0;
  const h = c.setInterval(() => n++, 10_000);
  c.advance(35_000);
  assert.equal(n, 3);
  c.clear(h);
  c.advance(60_000);
  assert.equal(n, 3);
});

test("work scheduled at the current instant runs on settle", () => {
  const c = new SimClock();
  let ran = false;
  c.setTimeout(() => c.setTimeout(() => (ran = true), 0), 0);
  c.settle();
  assert.ok(ran);
});

test("a loop that never lets time pass is stopped with a clear error", () => {
  const c = new SimClock();
  const spin = () => void c.setTimeout(spin, 0);
  spin();
  assert.throws(() => c.settle(), RunawayError);
});

test("bad inputs are rejected", () => {
  assert.throws(() => new SimClock("yesterday"), /invalid start time/);
  assert.throws(() => new SimClock().advance(-1), /cannot advance/);
});

test("zero-delay work scheduled by a timer runs at that same instant", () => {
  const c = new SimClock();
  const at: number[] = [];
  c.setTimeout(() => c.setTimeout(() => c.setTimeout(() => at.push(c.now()), 0), 0), 1000);
  c.advance(5000);
  assert.deepEqual(at, [Date.parse("2024-01-08T00:00:01Z")]);
});

test("zeroDelayIsNext: a tail-position zero-delay timer run directly keeps every firing's instant and order (random schedules)", () => {
  // Each callback does some work (logs, sets timers of several delays, clears one), then in tail
  // position hands its "answer" to a zero-delay timer — or, on the inline run, calls it directly
  // when the clock says it would be next. Both runs must log the same sequence.
  const runOnce = (seed: number, inline: boolean): string[] => {
    let x = seed;
    const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % n);
    const c = new SimClock(0);
    const log: string[] = [];
    let inlined = 0;
    let id = 0;
    const handles: TimerHandle[] = [];
    const answer = (name: string) => () => {
      log.push(`${c.now()} answer ${name}`);
      if (rnd(3) === 0) handles.push(c.setTimeout(body(`${name}.a`), rnd(3) * 5));
    };
    const body = (name: string): (() => void) => () => {
      log.push(`${c.now()} ${name}`);
      if (id > 400) return;
      const n = rnd(3);
      for (let i = 0; i < n; i++) handles.push(c.setTimeout(body(`t${id++}`), [0, 0, 1, 5, 10][rnd(5)]));
      if (rnd(4) === 0 && handles.length) c.clear(handles[rnd(handles.length)]);
      const tail = answer(name);
      if (inline && c.zeroDelayIsNext()) {
        inlined++;
        tail();
      } else c.setTimeout(tail, 0);
    };
    for (let i = 0; i < 5; i++) c.setInterval(body(`i${i}`), 3 + i * 2);
    c.setTimeout(body("outside"), 0); // set outside any callback: waits for the advance
    c.advance(60);
    for (let i = 0; i < 7; i++) c.advance(rnd(9));
    if (inline) assert.ok(inlined > 20, `only ${inlined} inlined`);
    return log;
  };
  for (let seed = 1; seed <= 30; seed++) assert.deepEqual(runOnce(seed, true), runOnce(seed, false), `seed ${seed}`);
  const c = new SimClock();
  assert.equal(c.zeroDelayIsNext(), false, "never outside a callback");
  const seen: boolean[] = [];
  c.setTimeout(() => {
    seen.push(c.zeroDelayIsNext());
    c.setTimeout(() => seen.push(c.zeroDelayIsNext()), 0);
    seen.push(c.zeroDelayIsNext());
  }, 10);
  c.advance(10);
  assert.deepEqual(seen, [true, false, true]);
  // A callback that settles the clock itself: the callbacks it runs are nested, never "next".
  seen.length = 0;
  c.setTimeout(() => {
    c.setTimeout(() => seen.push(c.zeroDelayIsNext()), 0);
    c.settle();
    seen.push(c.zeroDelayIsNext());
  }, 10);
  c.setTimeout(() => seen.push(c.zeroDelayIsNext()), 10);
  c.advance(10);
  assert.deepEqual(seen, [false, false, true]); // the second timer due at 10 ran inside the settle
});

test("a cancelled zero-delay timer does not run", () => {
  const c = new SimClock();
  let ran = false;
  const h = c.setTimeout(() => (ran = true), 0);
  c.clear(h);
  c.settle();
  assert.equal(ran, false);
});

test("the timer queue fires exactly as @sinonjs/fake-timers would (random schedules, nested scheduling, clears, throws)", async () => {
  const FakeTimers = (await import("@sinonjs/fake-timers")).default;
  const { TimerQueue } = await import("./clock.ts");
  for (let seed = 1; seed <= 60; seed++) {
    const logs: string[][] = [];
    for (const kind of ["fake-timers", "queue"] as const) {
      let s = seed;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const log: string[] = [];
      const ft = FakeTimers.createClock(1_700_000_000_000, 1_000_000);
      const q = new TimerQueue(1_700_000_000_000);
      const now = () => (kind === "queue" ? q.now : ft.now);
      const live: unknown[] = [];
      const delays = [0.4, 1, 1, 2, 5, 10, 10, 100, 1000, 1e-7, 2.5, 2 ** 31, 0];
      const schedule = (label: string, depth: number): void => {
        const delay = delays[Math.floor(rnd() * delays.length)];
        const periodic = rnd() < 0.3 && delay > 0;
        let fired = 0;
        const fn = () => {
          log.push(`${label}@${now()}`);
          fired++;
          if (depth < 3 && rnd() < 0.5) schedule(`${label}.${fired}`, depth + 1);
          if (live.length && rnd() < 0.2) clear(live[Math.floor(rnd() * live.length)]);
          if (periodic && fired >= 4) clear(id);
          if (rnd() < 0.05) throw new Error(`boom ${label}`);
        };
        const id: unknown = kind === "queue" ? q.add(fn, delay, periodic ? delay : undefined) : periodic ? ft.setInterval(fn, delay) : ft.setTimeout(fn, delay);
        live.push(id);
      };
      const clear = (id: unknown) => (kind === "queue" ? q.remove(id as never) : ft.clearTimeout(id as never));
      for (let i = 0; i < 30; i++) schedule(`t${i}`, 0);
      for (let step = 0; step < 60; step++) {
        const r = rnd();
        try {
          const by = [0, 0.5, 1, 3, 7, 50, 999.25][step % 7];
          if (r < 0.15) {
            if (kind === "queue") q.next();
            else if (ft.countTimers() > 0) ft.next();
          } else if (r < 0.3) schedule(`s${step}`, 1);
          else if (kind === "queue") q.tick(by);
          else ft.tick(by);
        } catch (e) {
          log.push(`threw ${(e as Error).message}`);
        }
        log.push(`step ${step} now ${now()} pending ${kind === "queue" ? q.size : ft.countTimers()}`);
      }
      logs.push(log);
    }
    assert.deepEqual(logs[1], logs[0], `seed ${seed}`);
  }
});

test("dormant intervals keep the reference order: random schedules with chains that sleep and wake, against @sinonjs/fake-timers' plain intervals", async () => {
  // On fake-timers every chain is a plain interval whose callback does nothing while its flag says
  // dormant; on the queue the chain sleeps (`sleep`) and runs no callback. Chains go dormant in
  // their own callback or in another's, and are woken by other callbacks, by steps between ticks,
  // and at instants where they are due themselves. Every firing that does something is logged
  // (and draws from the random stream, so a misplaced firing changes everything after it).
  const FakeTimers = (await import("@sinonjs/fake-timers")).default;
  const { TimerQueue } = await import("./clock.ts");
  let totalSkipped = 0;
  for (let seed = 1; seed <= 80; seed++) {
    const logs: string[][] = [];
    for (const kind of ["fake-timers", "queue"] as const) {
      let s = seed;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const log: string[] = [];
      const ft = FakeTimers.createClock(1_700_000_000_000, 1_000_000);
      const q = new TimerQueue(1_700_000_000_000);
      const now = () => (kind === "queue" ? q.now : ft.now);
      const live: unknown[] = [];
      const chains: Array<{ id: unknown; asleep: boolean; skippedRef: number; label: string }> = [];
      const sleep = (c: (typeof chains)[number]) => {
        if (c.asleep) return;
        c.asleep = true;
        c.skippedRef = 0;
        if (kind === "queue") q.sleep(c.id as never);
      };
      const wake = (c: (typeof chains)[number]) => {
        if (!c.asleep) return;
        c.asleep = false;
        // Both engines report the number of firings skipped (the queue's count against the flags').
        const n = kind === "queue" ? q.wake(c.id as never) : c.skippedRef;
        if (kind === "queue") totalSkipped += n;
        log.push(`wake ${c.label}@${now()} skipped ${n}`);
      };
      const poke = () => {
        if (!chains.length) return;
        const c = chains[Math.floor(rnd() * chains.length)];
        if (rnd() < 0.6) wake(c);
        else sleep(c);
      };
      const schedule = (label: string, depth: number): void => {
        const delay = [1, 2, 3, 5, 5, 10, 0.4][Math.floor(rnd() * 7)];
        const fn = () => {
          log.push(`${label}@${now()}`);
          if (depth < 3 && rnd() < 0.4) schedule(`${label}.${Math.floor(rnd() * 100)}`, depth + 1);
          if (rnd() < 0.5) poke();
          if (live.length && rnd() < 0.05) clear(live[Math.floor(rnd() * live.length)]);
        };
        live.push(kind === "queue" ? q.add(fn, delay) : ft.setTimeout(fn, delay));
      };
      const chain = (label: string): void => {
        const period = [2, 3, 5, 5, 10][Math.floor(rnd() * 5)];
        const c = { id: undefined as unknown, asleep: false, skippedRef: 0, label };
        let fired = 0;
        const fn = () => {
          if (c.asleep) {
            c.skippedRef++;
            return;
          }
          log.push(`${label}@${now()}`);
          fired++;
          if (rnd() < 0.4) schedule(`${label}.${fired}`, 1);
          if (rnd() < 0.45) sleep(c); // goes dormant after its own run
          else if (rnd() < 0.3) poke();
        };
        c.id = kind === "queue" ? q.add(fn, period, period) : ft.setInterval(fn, period);
        chains.push(c);
      };
      const clear = (id: unknown) => (kind === "queue" ? q.remove(id as never) : ft.clearTimeout(id as never));
      for (let i = 0; i < 12; i++) chain(`c${i}`);
      for (let i = 0; i < 10; i++) schedule(`t${i}`, 0);
      for (let step = 0; step < 80; step++) {
        const r = rnd();
        if (r < 0.25) poke(); // a step between ticks wakes or puts to sleep
        else if (r < 0.35) schedule(`s${step}`, 1);
        else if (r < 0.4) chain(`k${step}`);
        const by = [0, 1, 2, 3, 7, 10, 30][step % 7];
        if (kind === "queue") q.tick(by);
        else ft.tick(by);
        log.push(`step ${step} now ${now()} pending ${kind === "queue" ? q.size : ft.countTimers()}`);
      }
      for (const c of chains) wake(c);
      logs.push(log);
    }
    assert.deepEqual(logs[1], logs[0], `seed ${seed}`);
  }
  assert.ok(totalSkipped > 2000, `only ${totalSkipped} firings skipped in all`);
});

/**
 * The schedule both dormant-chain tests below drive, the same on the queue and on fake-timers: six
 * groups of chains and four timeouts, then 120 steps, each a random action (`act`), a new timeout
 * or a new group, then a `next()` or a tick of a random length, `afterTick` (the second test's
 * moments and comparisons) and the step's line in the log.
 */
function runSteps(
  o: {
    kind: "queue" | "fake-timers";
    q: { next(): unknown; tick(by: number): unknown; readonly size: number };
    ft: { next(): unknown; tick(by: number): unknown; countTimers(): number };
    rnd: () => number;
    pick: <T>(xs: readonly T[]) => T;
    act: () => void;
    schedule: (label: string, depth: number) => void;
    group: (label: string) => void;
    now: () => number;
    log: string[];
  },
  afterTick?: () => void,
): void {
  const { kind, q, ft, rnd, pick, log } = o;
  for (let i = 0; i < 6; i++) o.group(`g${i}`);
  for (let i = 0; i < 4; i++) o.schedule(`t${i}`, 0);
  for (let step = 0; step < 120; step++) {
    const r = rnd();
    if (r < 0.2) o.act();
    else if (r < 0.27) o.schedule(`s${step}`, 1);
    else if (r < 0.3) o.group(`k${step}`);
    if (rnd() < 0.2) {
      if (kind === "queue") log.push(`next ${q.next()}`);
      else log.push(`next ${ft.countTimers() > 0 ? (ft.next(), true) : false}`);
    } else {
      const by = pick([0, 1, 1, 2, 3, 5, 12, 24]);
      if (kind === "queue") q.tick(by);
      else ft.tick(by);
    }
    afterTick?.();
    log.push(`step ${step} now ${o.now()} pending ${kind === "queue" ? q.size : ft.countTimers()}`);
  }
}

test("dormant chains placed without firing: same-phase groups, wakes at shared instants, queries, next() and a compacted log, against @sinonjs/fake-timers", async () => {
  // Harder than the schedules above for the placing rule (TimerQueue.place): chains come in groups
  // made at one instant with one period (the same phase, adjacent order numbers: their skipped
  // firings fall in one gap, so their order is their bucket rank), periods meet at common
  // multiples, callbacks at those instants put several chains to sleep and wake others, and the
  // skipped count and next due instant of a chain are asked for at random moments (in callbacks
  // before or after its own turn, and between ticks). `next()` steps stop on dormant firings too.
  // The queue's log is compacted every 64 entries, so placing after a compaction is covered.
  const FakeTimers = (await import("@sinonjs/fake-timers")).default;
  const { TimerQueue } = await import("./clock.ts");
  let totalSkipped = 0;
  let queries = 0;
  for (let seed = 1; seed <= 120; seed++) {
    const logs: string[][] = [];
    for (const kind of ["fake-timers", "queue"] as const) {
      let s = seed * 7919;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const log: string[] = [];
      const ft = FakeTimers.createClock(1_700_000_000_000, 1_000_000);
      const q = new TimerQueue(1_700_000_000_000, 64);
      const now = () => (kind === "queue" ? q.now : ft.now);
      type Chain = { id: unknown; asleep: boolean; skippedRef: number; label: string };
      const chains: Chain[] = [];
      const sleep = (c: Chain) => {
        if (c.asleep) return;
        c.asleep = true;
        c.skippedRef = 0;
        if (kind === "queue") q.sleep(c.id as never);
      };
      const wake = (c: Chain) => {
        if (!c.asleep) return;
        c.asleep = false;
        const n = kind === "queue" ? q.wake(c.id as never) : c.skippedRef;
        if (kind === "queue") totalSkipped += n;
        log.push(`wake ${c.label}@${now()} skipped ${n}`);
      };
      const query = (c: Chain) => {
        const due = kind === "queue" ? q.nextDue(c.id as never) : ft.timers!.get(Number(c.id))!.callAt;
        const n = kind === "queue" ? q.skipped(c.id as never) : c.skippedRef;
        if (c.asleep) queries++;
        log.push(`ask ${c.label}@${now()} due ${due}${c.asleep ? ` skipped ${n}` : ""}`);
      };
      const act = () => {
        if (!chains.length) return;
        const r = rnd();
        if (r < 0.25) query(pick(chains));
        else if (r < 0.45) for (let i = 0, k = 1 + Math.floor(rnd() * 4); i < k; i++) sleep(pick(chains));
        else for (let i = 0, k = 1 + Math.floor(rnd() * 3); i < k; i++) wake(pick(chains));
      };
      const schedule = (label: string, depth: number): void => {
        const delay = pick([1, 2, 3, 4, 6, 12, 0.4]);
        const fn = () => {
          log.push(`${label}@${now()}`);
          if (depth < 2 && rnd() < 0.35) schedule(`${label}.${Math.floor(rnd() * 100)}`, depth + 1);
          if (rnd() < 0.7) act();
        };
        if (kind === "queue") q.add(fn, delay);
        else ft.setTimeout(fn, delay);
      };
      const group = (label: string): void => {
        const period = pick([2, 3, 4, 6, 6, 12]);
        for (let i = 0, k = 1 + Math.floor(rnd() * 4); i < k; i++) {
          const c: Chain = { id: undefined, asleep: false, skippedRef: 0, label: `${label}.${i}` };
          let fired = 0;
          const fn = () => {
            if (c.asleep) {
              c.skippedRef++;
              return;
            }
            log.push(`${c.label}@${now()}`);
            fired++;
            if (rnd() < 0.25) schedule(`${c.label}.${fired}`, 1);
            if (rnd() < 0.5) sleep(c);
            if (rnd() < 0.5) act();
          };
          c.id = kind === "queue" ? q.add(fn, period, period) : ft.setInterval(fn, period);
          chains.push(c);
        }
      };
      runSteps({ kind, q, ft, rnd, pick, act, schedule, group, now, log });
      for (const c of chains) query(c);
      for (const c of chains) wake(c);
      logs.push(log);
    }
    assert.deepEqual(logs[1], logs[0], `seed ${seed}`);
  }
  assert.ok(totalSkipped > 5000, `only ${totalSkipped} firings skipped in all`);
  assert.ok(queries > 1000, `only ${queries} queries of dormant chains`);
});

test("SimClock.sleep/wake: a dormant interval runs nothing, counts what it skipped, and fires at its own place again", () => {
  const c = new SimClock(0);
  const seen: string[] = [];
  const a = c.setInterval(() => seen.push(`a@${c.now()}`), 10);
  c.setInterval(() => seen.push(`b@${c.now()}`), 10);
  c.advance(10);
  c.sleep(a);
  assert.ok(c.isDormant(a));
  c.advance(30);
  assert.equal(c.skipped(a), 3);
  assert.equal(c.nextDue(a), 50);
  assert.equal(c.wake(a), 3);
  assert.equal(c.isDormant(a), false);
  c.advance(10);
  assert.deepEqual(seen, ["a@10", "b@10", "b@20", "b@30", "b@40", "a@50", "b@50"]);
  assert.equal(c.estimateFirings(100), 20);
  c.sleep(a);
  assert.equal(c.estimateFirings(100), 20, "a dormant interval counts as on the reference engine");
  c.clear(a);
  assert.throws(() => c.sleep(a), /only a live interval/);
  assert.throws(() => c.sleep(c.setTimeout(() => {}, 5)), /only a live interval/);
});

test("dormant chains with alarms and moments' keys: a chain sleeps until a given firing, and its last skipped firing is ordered against keys taken earlier, against @sinonjs/fake-timers", async () => {
  // The schedules of the test above, plus: a chain may sleep until one of its later firings
  // (`sleep(t, wakeAt)`: on fake-timers the flag drops at that firing, which then runs), and keys of
  // moments (`key()`, in callbacks and between steps) are kept; at random moments the last skipped
  // firing of a dormant chain (`lastSkipped`) is compared with kept keys (`keyBefore`) — on
  // fake-timers, with the sequence numbers of the firings and moments as they happened.
  const FakeTimers = (await import("@sinonjs/fake-timers")).default;
  const { TimerQueue, keyBefore } = await import("./clock.ts");
  let compared = 0;
  let alarms = 0;
  for (let seed = 1; seed <= 120; seed++) {
    const logs: string[][] = [];
    for (const kind of ["fake-timers", "queue"] as const) {
      let s = seed * 104729;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const log: string[] = [];
      const ft = FakeTimers.createClock(1_700_000_000_000, 1_000_000);
      const q = new TimerQueue(1_700_000_000_000, 64);
      const now = () => (kind === "queue" ? q.now : ft.now);
      let seq = 0;
      let momentNo = 0;
      type Moment = { no: number; seq: number; key: ReturnType<InstanceType<typeof TimerQueue>["key"]> | undefined };
      const moments: Moment[] = [];
      const moment = () => {
        moments.push({ no: momentNo++, seq: seq++, key: kind === "queue" ? q.key() : undefined });
        if (moments.length > 40) moments.shift();
      };
      type Chain = { id: unknown; asleep: boolean; skippedRef: number; lastRef: number; wakeAt: number; period: number; label: string };
      const chains: Chain[] = [];
      const sleep = (c: Chain) => {
        if (c.asleep) return;
        c.asleep = true;
        c.skippedRef = 0;
        c.lastRef = -1;
        c.wakeAt = NaN;
        const due = kind === "queue" ? q.nextDue(c.id as never) : ft.timers!.get(Number(c.id))!.callAt!;
        if (rnd() < 0.5) {
          c.wakeAt = due + c.period * (1 + Math.floor(rnd() * 4));
          alarms++;
        }
        if (kind === "queue") q.sleep(c.id as never, Number.isNaN(c.wakeAt) ? undefined : c.wakeAt);
      };
      const wake = (c: Chain, by = "") => {
        if (!c.asleep) return;
        c.asleep = false;
        // After its alarm rang (the chain is awake on the queue, its firing still to come), the count is `skipped`.
        const n = kind === "queue" ? (q.isDormant(c.id as never) ? q.wake(c.id as never) : q.skipped(c.id as never)) : c.skippedRef;
        log.push(`wake${by} ${c.label}@${now()} skipped ${n}`);
      };
      // Two dormant chains' last skipped firings, against each other (an instant with no real firing too).
      const compareChains = (c: Chain, d: Chain) => {
        if (!c.asleep || !d.asleep || c === d) return;
        let answer: string;
        if (kind === "queue") {
          const x = q.lastSkipped(c.id as never);
          const y = q.lastSkipped(d.id as never);
          answer = x === undefined || y === undefined ? "none" : keyBefore(x, y) ? "before" : keyBefore(y, x) ? "after" : "equal";
        } else answer = c.lastRef < 0 || d.lastRef < 0 ? "none" : c.lastRef < d.lastRef ? "before" : "after";
        compared++;
        log.push(`compare ${c.label} with ${d.label}: ${answer}`);
      };
      const compare = (c: Chain) => {
        if (rnd() < 0.3) return compareChains(c, pick(chains));
        if (!c.asleep || moments.length === 0) return;
        const m = pick(moments);
        let answer: string;
        if (kind === "queue") {
          const last = q.lastSkipped(c.id as never);
          // Equal keys: the moment was taken after `next()` stepped over that very firing.
          answer = last === undefined ? "none" : !keyBefore(m.key!, last) ? "before" : "after";
        } else answer = c.lastRef < 0 ? "none" : c.lastRef < m.seq ? "before" : "after";
        compared++;
        log.push(`compare ${c.label} with moment ${m.no}: ${answer}`);
      };
      const act = () => {
        if (!chains.length) return;
        const r = rnd();
        if (r < 0.3) compare(pick(chains));
        else if (r < 0.5) for (let i = 0, k = 1 + Math.floor(rnd() * 4); i < k; i++) sleep(pick(chains));
        else for (let i = 0, k = 1 + Math.floor(rnd() * 3); i < k; i++) wake(pick(chains));
      };
      const schedule = (label: string, depth: number): void => {
        const delay = pick([1, 2, 3, 4, 6, 12, 0.4]);
        const fn = () => {
          seq++;
          log.push(`${label}@${now()}`);
          if (rnd() < 0.5) moment();
          if (depth < 2 && rnd() < 0.35) schedule(`${label}.${Math.floor(rnd() * 100)}`, depth + 1);
          if (rnd() < 0.7) act();
        };
        if (kind === "queue") q.add(fn, delay);
        else ft.setTimeout(fn, delay);
      };
      const group = (label: string): void => {
        const period = pick([2, 3, 4, 6, 6, 12]);
        for (let i = 0, k = 1 + Math.floor(rnd() * 4); i < k; i++) {
          const c: Chain = { id: undefined, asleep: false, skippedRef: 0, lastRef: -1, wakeAt: NaN, period, label: `${label}.${i}` };
          let fired = 0;
          const fn = () => {
            const at = seq++;
            if (c.asleep) {
              if (kind === "queue" || now() === c.wakeAt) wake(c, " by alarm");
              else {
                c.skippedRef++;
                c.lastRef = at;
                return;
              }
            }
            log.push(`${c.label}@${now()}`);
            if (rnd() < 0.5) moment();
            fired++;
            if (rnd() < 0.25) schedule(`${c.label}.${fired}`, 1);
            if (rnd() < 0.5) sleep(c);
            if (rnd() < 0.5) act();
          };
          c.id = kind === "queue" ? q.add(fn, period, period) : ft.setInterval(fn, period);
          chains.push(c);
        }
      };
      runSteps({ kind, q, ft, rnd, pick, act, schedule, group, now, log }, () => {
        moment();
        for (const c of chains) if (rnd() < 0.1) compare(c);
      });
      for (const c of chains) wake(c);
      logs.push(log);
    }
    assert.deepEqual(logs[1], logs[0], `seed ${seed}`);
  }
  assert.ok(compared > 3000, `only ${compared} comparisons`);
  assert.ok(alarms > 1000, `only ${alarms} alarms`);
});
