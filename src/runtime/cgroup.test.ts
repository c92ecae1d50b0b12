import { test } from "node:test";
import assert from "node:assert/strict";
import { CfsCgroup, usageOf, type UsageRead, milliCPUToQuotaMs } from "./cgroup.ts";

function clock(t = 0) {
  return { t, now() { return this.t; } };
}

test("MilliCPUToQuota: the limit times the 100 ms period, at least 1 ms; no limit, no quota", () => {
  assert.equal(milliCPUToQuotaMs(500), 50);
  assert.equal(milliCPUToQuotaMs(2000), 200);
  assert.equal(milliCPUToQuotaMs(1), 1);
  assert.equal(milliCPUToQuotaMs(0), Infinity);
});

test("work runs at one core's speed; requests queue behind each other", () => {
  const c = clock(1000);
  const g = new CfsCgroup(c);
  assert.equal(g.run(20), 20);
  assert.equal(g.run(20), 40); // waits for the first
  c.t = 1010;
  assert.equal(g.usageMs(), 10);
  c.t = 1100;
  assert.equal(g.usageMs(), 40);
});

test("a quota throttles: 500m lets 50 ms run per 100 ms period", () => {
  const c = clock(0);
  const g = new CfsCgroup(c, 500);
  // 80 ms of work starting at 0: 50 ms in the first period, throttled until 100, 30 more.
  assert.equal(g.run(80), 130);
  c.t = 1000;
  assert.equal(g.usageMs(), 80);
  // A sustained load never uses more than the limit.
  const h = new CfsCgroup(c, 500);
  for (let i = 0; i < 100; i++) h.run(20);
  c.t = 1000 + 10_000;
  assert.ok(h.usageMs() <= 0.5 * 10_000 + 1e-6);
  assert.equal(h.usageMs(), 2000);
});

test("a spinning process uses its cores up to the limit, and leaves the rest of the quota to requests", () => {
  const c = clock(0);
  const g = new CfsCgroup(c, 1000);
  g.burn(4);
  c.t = 1000;
  assert.equal(g.usageMs(), 1000); // 1 core for 1 s
  g.burn(0.25);
  c.t = 2000;
  assert.equal(g.usageMs(), 1250);
  // 75 ms of each 100 ms period remain for requests
  assert.equal(g.run(75), 75);
  assert.equal(g.run(10), 110); // next period
});

test("a stopped cgroup uses nothing more; scheduled work past the stop is dropped", () => {
  const c = clock(0);
  const g = new CfsCgroup(c);
  g.burn(1);
  g.run(100);
  c.t = 50;
  g.stop();
  c.t = 500;
  assert.equal(g.usageMs(), 100); // 50 burned + 50 of the request
  assert.equal(g.run(10), 0);
});

test("chargePeriodic: the charges of dormant intervals, replayed for readers and other work, leave every usage and every delay bit for bit as charging at each firing (random schedules)", async () => {
  const { SimClock } = await import("../sim/clock.ts");
  let woken = 0;
  let slept = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const logs: string[][] = [];
    for (const lazy of [false, true]) {
      let s = seed;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const clock = new SimClock(0);
      const cg = new CfsCgroup(clock);
      const log: string[] = [];
      const pending = new Map<unknown, () => number>();
      // Three "probes" charging 0.2 ms each firing; lazily, each sleeps after a firing while the cgroup takes it.
      for (const [period, offset] of [[1000, 0], [3000, 0], [1000, 0]]) {
        clock.setTimeout(() => {
          const h = clock.setInterval(() => {
            const d = cg.run(0.2);
            log.push(`probe@${clock.now()} ${d}`);
            if (!lazy) return;
            clock.sleep(h);
            const cancel = cg.chargePeriodic({ cpuMs: 0.2, firstAt: clock.nextDue(h), period, skipped: () => clock.skipped(h), nextAt: () => clock.nextDue(h), wake });
            if (cancel === undefined) return void clock.wake(h);
            slept++;
            pending.set(h, () => (clock.isDormant(h) ? clock.skipped(h) : 0));
            function wake(): void {
              cancel!();
              const n = clock.wake(h);
              woken++;
              for (let i = 0; i < n; i++) log.push(`probe (skipped)`);
            }
          }, period);
        }, offset + Math.floor(rnd() * 50));
      }
      // Other work of random cost at random instants (some at the probes' instants), and readers.
      for (let i = 0; i < 120; i++) {
        const at = Math.floor(rnd() * 60_000);
        const cost = [0.1, 0.2, 0.35, 1.5, 40, 1200][Math.floor(rnd() * 6)];
        const read = rnd() < 0.4;
        clock.setTimeout(() => log.push(read ? `read@${clock.now()} ${cg.usageMs()}` : `run@${clock.now()} ${cg.run(cost)}`), at + (rnd() < 0.3 ? 1000 - (at % 1000) : 0));
      }
      for (let t = 0; t < 62_000; t += 777) {
        clock.advance(777);
        log.push(`step ${clock.now()} ${cg.usageMs()}`);
      }
      logs.push(log.filter((l) => !l.startsWith("probe")));
      const stillSkipped = [...pending.values()].reduce((n, f) => n + f(), 0);
      logs.push([...log.filter((l) => l.startsWith("probe")).map(() => "probe"), ...Array.from({ length: stillSkipped }, () => "probe")]);
    }
    assert.deepEqual(logs[2], logs[0], `seed ${seed}: usages and delays`);
    assert.equal(logs[3].length, logs[1].length, `seed ${seed}: probe firings`);
  }
  assert.ok(slept > 500 && woken > 50, `slept ${slept}, woken ${woken}`);
});

test("chargeRandom: a dormant client's requests, each landing on a drawn cgroup and replayed (draw, charge) before anything touches a cgroup, leave every usage and every delay bit for bit as sending at each firing (random schedules, with dormant probes)", async () => {
  const { SimClock } = await import("../sim/clock.ts");
  let slept = 0;
  let refused = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const logs: string[][] = [];
    for (const lazy of [false, true]) {
      let s = seed;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
      // The picks' own stream (the cluster's seeded source): drawn only when a request is made or replayed.
      let p = seed * 7919;
      const pick = () => ((p = (Math.imul(p, 22695477) + 1) >>> 0) % 3);
      const clock = new SimClock(0);
      const cgs = [new CfsCgroup(clock), new CfsCgroup(clock), new CfsCgroup(clock)];
      const log: string[] = [];
      // Two probes on cgroup 0 that may sleep too (their phases random: they meet the client, each other, or not).
      for (let k = 0; k < 2; k++) {
        const probeOffset = Math.floor(rnd() * 3) * 500 + Math.floor(rnd() * 2);
        clock.setTimeout(() => {
          const h = clock.setInterval(() => {
            log.push(`probe@${clock.now()} ${cgs[0].run(0.2)}`);
            if (!lazy) return;
            clock.sleep(h);
            const cancel = cgs[0].chargePeriodic({ cpuMs: 0.2, firstAt: clock.nextDue(h), period: 2000, skipped: () => clock.skipped(h), nextAt: () => clock.nextDue(h), wake });
            if (cancel === undefined) return void clock.wake(h);
            function wake(): void {
              cancel!();
              clock.wake(h);
            }
          }, 2000);
        }, probeOffset);
      }
      // The client: every second a request to a drawn cgroup; lazily it sleeps after each real one.
      const sleeper = { h: undefined as unknown as ReturnType<typeof clock.setInterval>, done: 0, firstAt: 0, cancels: [] as Array<() => void>, asleep: false };
      const settle = (): void => {
        if (!sleeper.asleep || settling) return;
        settling = true;
        for (const upTo = clock.skipped(sleeper.h); sleeper.done < upTo; sleeper.done++) {
          const at = sleeper.firstAt + sleeper.done * 1000;
          const i = pick();
          // What the network assumes of a replayed request: answered at once (no rounded delay).
          log.push(`client@${at} ${i} ${cgs[i].chargeAt(at, 0.2) >= 0 ? 0 : "?"}`);
        }
        settling = false;
      };
      let settling = false;
      const wakeClient = (): void => {
        if (!sleeper.asleep) return;
        settle();
        sleeper.asleep = false;
        for (const f of sleeper.cancels) f();
        clock.wake(sleeper.h);
      };
      clock.setTimeout(() => {
        sleeper.h = clock.setInterval(() => {
          const i = pick();
          log.push(`client@${clock.now()} ${i} ${Math.round(cgs[i].run(0.2))}`);
          if (!lazy) return;
          clock.sleep(sleeper.h);
          sleeper.firstAt = clock.nextDue(sleeper.h);
          sleeper.done = 0;
          sleeper.cancels = [];
          const charge = { cpuMs: 0.2, firstAt: sleeper.firstAt, period: 1000, nextAt: () => clock.nextDue(sleeper.h), wake: wakeClient, settle };
          for (const cg of cgs) {
            const cancel = cg.chargeRandom(charge);
            if (cancel === undefined) {
              for (const f of sleeper.cancels) f();
              refused++;
              return void clock.wake(sleeper.h);
            }
            sleeper.cancels.push(cancel);
          }
          sleeper.asleep = true;
          slept++;
        }, 1000);
      }, Math.floor(rnd() * 3));
      // Other work on random cgroups at random instants (some at the client's instants), and readers.
      for (let i = 0; i < 120; i++) {
        const at = Math.floor(rnd() * 60_000);
        const cost = [0.1, 0.2, 0.35, 1.5, 40, 1200][Math.floor(rnd() * 6)];
        const read = rnd() < 0.4;
        const g = Math.floor(rnd() * 3);
        clock.setTimeout(() => log.push(read ? `read${g}@${clock.now()} ${cgs[g].usageMs()}` : `run${g}@${clock.now()} ${cgs[g].run(cost)}`), at + (rnd() < 0.3 ? 1000 - (at % 1000) : 0));
      }
      // A scrape every 15 s: read at once (eager), or deferred and read at the end (lazy).
      const scrapes: Array<{ at: number; reads: Array<number | UsageRead> }> = [];
      clock.setInterval(() => scrapes.push({ at: clock.now(), reads: cgs.map((g) => (lazy ? g.readLater() : g.usageMs())) }), 15_000);
      for (let t = 0; t < 62_000; t += 777) {
        clock.advance(777);
        if ((t / 777) % 3 === 0) log.push(`step ${clock.now()} ${cgs.map((g) => g.usageMs()).join(" ")}`);
      }
      settle();
      for (const sc of scrapes) log.push(`scrape@${sc.at} ${sc.reads.map((r) => (typeof r === "number" ? r : usageOf(r))).join(" ")}`);
      // The client's lines sorted by instant within each stretch (replayed ones are logged late).
      logs.push(log.filter((l) => !l.startsWith("client") && !l.startsWith("probe")));
      logs.push(log.filter((l) => l.startsWith("client")).sort((a, b) => Number(a.split(/[@ ]/)[1]) - Number(b.split(/[@ ]/)[1])));
    }
    assert.deepEqual(logs[2], logs[0], `seed ${seed}: usages and delays`);
    assert.deepEqual(logs[3], logs[1], `seed ${seed}: the client's picks and delays`);
  }
  assert.ok(slept > 500 && refused > 0, `slept ${slept}, refused ${refused}`);
});
