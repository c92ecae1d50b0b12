/**
 * A container's CPU cgroup as the Linux scheduler accounts for it: CFS bandwidth control
 * (`cpu.cfs_period_us` 100 ms, `cpu.cfs_quota_us` = the container's CPU limit × the period, as the
 * kubelet's cm/helpers_linux.go MilliCPUToQuota sets it) and the cumulative usage counter
 * (`cpuacct.usage`, what cAdvisor and the kubelet's resource metrics report as
 * `container_cpu_usage_seconds_total`).
 *
 * The model: work arrives as CPU time to spend (an HTTP request costs its handler's CPU time;
 * a busy process keeps some cores busy), and runs at one core's speed until the period's quota is
 * spent, then waits for the next period (throttling). Requests of one container run one after the
 * other on one core (a container serves requests one at a time; see docs/divergences.md), so a
 * request's latency is its CPU time plus the time it waited behind earlier work and throttling.
 * A container without a CPU limit is never throttled. Contention between containers for the
 * node's cores is not modelled.
 */
import type { CpuCgroup, PeriodicCharge, RandomCharge } from "./types.ts";

/** A usage read deferred by `CfsCgroup.readLater`: `ms` is NaN until it is made. */
export interface UsageRead {
  readonly at: number;
  ms: number;
  readonly of: CfsCgroup;
}

/** The value of a deferred read (making it, and every read and charge due before it, if need be). */
export function usageOf(r: UsageRead): number {
  if (r.ms !== r.ms) r.of.flushReads();
  return r.ms;
}

/** The CFS period the kubelet configures (100 ms). */
export const CFS_PERIOD_MS = 100;

/** MilliCPUToQuota: the quota per period of a limit in millicores (minimum 1 ms, as the kernel's). */
export function milliCPUToQuotaMs(milliCPU: number): number {
  if (!(milliCPU > 0)) return Infinity;
  return Math.max(1, (milliCPU * CFS_PERIOD_MS) / 1000);
}

export class CfsCgroup implements CpuCgroup {
  /** CPU time the container may use per period; Infinity without a limit. */
  readonly quotaMs: number;
  private busyUntil = -Infinity;
  private periodStart = -Infinity;
  private usedInPeriod = 0;
  /**
   * Work scheduled at one core's speed, as [start, end) pairs in time order; those from `head` on
   * are not yet folded (the folded prefix is dropped now and then rather than at every fold).
   */
  private segments: number[] = [];
  private head = 0;
  /** CPU ms of work that ended before the last fold. */
  private foldedMs = 0;
  /** Cores a busy process keeps spinning, since `burnFrom`, and the CPU ms they used before it. */
  private burnCores = 0;
  private burnFrom = 0;
  private burnBaseMs = 0;
  private stoppedAt: number | undefined;

  constructor(
    private readonly clock: { now(): number },
    limitMilliCPU?: number,
  ) {
    this.quotaMs = milliCPUToQuotaMs(limitMilliCPU ?? 0);
  }

  /** The limit in cores (Infinity without one). */
  get limitCores(): number {
    return this.quotaMs / CFS_PERIOD_MS;
  }

  /** Cores a spinning process gets: what it asks, at most the limit. */
  private effectiveBurn(): number {
    return Math.min(this.burnCores, this.limitCores);
  }

  run(cpuMs: number): number {
    if (this.periodic.length > 0 || this.random.length > 0 || this.reads.length > 0) this.replay();
    const now = this.clock.now();
    const took = this.runAt(now, cpuMs);
    if (this.periodic.length > 0 || this.random.length > 0) this.wakeDelayed();
    return took;
  }

  /**
   * Dormant traffic clients that may charge here (issue #19; see `CpuCgroup.chargeRandom`). Their
   * charges come through `chargeAt` when the network replays their requests (`settle`), which
   * every operation here asks for first, so that they land in time order among this cgroup's
   * other work.
   */
  private random: RandomCharge[] = [];

  chargeRandom(c: RandomCharge): (() => void) | undefined {
    if (this.quotaMs !== Infinity || this.stoppedAt !== undefined || !(c.cpuMs > 0)) return undefined;
    this.replay();
    if (this.busyUntil > c.firstAt || !this.admits(c)) return undefined;
    this.random.push(c);
    return () => {
      const i = this.random.indexOf(c);
      if (i < 0) return;
      this.replay();
      this.random.splice(i, 1);
    };
  }

  chargeAt(at: number, cpuMs: number): number {
    this.replay(at);
    return this.runAt(at, cpuMs);
  }

  /**
   * Whether a new dormant charger keeps every dormant charge due at once and order-free: all of
   * equal amounts (same-instant charges then commute, float sums included), and at any instant
   * the charges that can fall there sum to under half a millisecond (the last one's computing
   * still rounds to no delay). Two chargers can share an instant only if their first instants
   * agree modulo the gcd of their periods; the count is taken per charger over those it can meet
   * (an upper bound of any instant's set: charges meeting at one instant all meet each of them).
   */
  private admits(c: { cpuMs: number; firstAt: number; period: number }): boolean {
    const all: Array<{ cpuMs: number; firstAt: number; period: number }> = [c];
    for (const p of this.periodic) all.push(p.c);
    for (const r of this.random) all.push(r);
    for (const x of all) if (x.cpuMs !== c.cpuMs) return false;
    for (const x of all) {
      let sum = x.cpuMs;
      for (const y of all) if (y !== x && mayMeet(x, y)) sum += y.cpuMs;
      if (sum >= 0.5) return false;
    }
    return true;
  }

  /**
   * Dormant probes' charges (issue #19; see `CpuCgroup.chargePeriodic`): each charger's skipped
   * firings are charged here, at their own instants and in time order, before anything else runs
   * on, reads or stops the cgroup — exactly the `run` calls they stand for, folds included (a fold
   * decides which segments merge, so the float sums come out bit for bit the same). Two chargers
   * due at one instant charge the same amount, so their mutual order there does not matter.
   */
  private periodic: Array<{ c: PeriodicCharge; done: number; upTo: number }> = [];

  chargePeriodic(c: PeriodicCharge): (() => void) | undefined {
    if (this.quotaMs !== Infinity || this.stoppedAt !== undefined || !(c.cpuMs > 0)) return undefined;
    this.replay();
    // Equal amounts only (see above), and all of them at one instant leave the last answer's
    // computing under half a millisecond (an answer due at once stays due at once): `admits`.
    if (this.busyUntil > c.firstAt || !this.admits(c)) return undefined;
    const entry = { c, done: 0, upTo: 0 };
    this.periodic.push(entry);
    return () => {
      const i = this.periodic.indexOf(entry);
      if (i < 0) return;
      this.replay();
      this.periodic.splice(i, 1);
    };
  }

  /**
   * Charges every skipped firing due so far (at or before `until`), in time order (a merge of the
   * chargers' sequences), after the dormant traffic's requests due so far (which come back here
   * through `chargeAt` with their own instants; a no-op while they are being replayed).
   */
  private replay(until = Infinity): void {
    if (this.random.length > 0) this.random[0].settle();
    const list = this.periodic;
    let due = 0;
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      p.upTo = p.c.skipped();
      if (until !== Infinity) p.upTo = Math.min(p.upTo, until < p.c.firstAt ? 0 : Math.floor((until - p.c.firstAt) / p.c.period) + 1);
      if (p.upTo < p.done) p.upTo = p.done;
      due += p.upTo - p.done;
    }
    const reads = this.reads.length > 0;
    if (due > 0 && list.length === 1 && !reads) {
      const p = list[0];
      const { firstAt, period, cpuMs } = p.c;
      while (p.done < p.upTo) this.runAt(firstAt + p.done++ * period, cpuMs);
    } else {
      for (; due > 0; due--) {
        let best = list[0];
        let at = Infinity;
        for (let i = 0; i < list.length; i++) {
          const p = list[i];
          if (p.done >= p.upTo) continue;
          const t = p.c.firstAt + p.done * p.c.period;
          if (t < at) {
            at = t;
            best = p;
          }
        }
        best.done++;
        // A deferred read comes before any charge at a later instant (at one instant they commute).
        if (reads && this.reads.length > 0 && this.reads[0].at < at) this.resolveReads(at);
        this.runAt(at, best.c.cpuMs);
      }
    }
    if (this.reads.length > 0) this.resolveReads(until === Infinity ? this.clock.now() : until);
  }

  /**
   * Reads of the usage deferred to later (issue #19: metrics-server's scrape, see `readLater`), in
   * time order; each is made (`ms` set) before anything at a later instant happens here.
   */
  private reads: UsageRead[] = [];

  /**
   * Issue #19 (never used by the reference engine): the usage as `usageMs()` would read it now,
   * made later — before anything at a later instant runs here, after everything due at or before
   * now, dormant charges included, so with the same folds in the same places. A read at instant T
   * commutes with whatever else happens here at T (work starting at T adds nothing before T; a
   * fold at T is idempotent; a burn changed at T reads the same at T), except a stop, which makes
   * the pending reads first. Read it with `usageOf`. Made at once when nothing is dormant here.
   */
  readLater(): UsageRead {
    const now = this.clock.now();
    if (this.stoppedAt !== undefined || (this.periodic.length === 0 && this.random.length === 0 && this.reads.length === 0)) return { at: now, ms: this.usageMs(), of: this };
    const last = this.reads[this.reads.length - 1];
    if (last !== undefined && last.at === now) return last;
    const r: UsageRead = { at: now, ms: NaN, of: this };
    this.reads.push(r);
    // Bounded: a cgroup nobody touches makes its reads now and then.
    if (this.reads.length >= 256) this.flushReads();
    return r;
  }

  /** Makes every deferred read (and replays every dormant charge due). */
  flushReads(): void {
    if (this.reads.length > 0) this.replay();
  }

  /** Makes the deferred reads at instants up to `upTo`, in order, each as `usageMs` would at its instant. */
  private resolveReads(upTo: number): void {
    const rs = this.reads;
    let i = 0;
    for (; i < rs.length && rs[i].at <= upTo; i++) {
      const r = rs[i];
      this.fold(r.at);
      r.ms = this.foldedMs + this.segmentMs(r.at) + this.burnedMs(r.at);
    }
    if (i === rs.length) rs.length = 0;
    else if (i > 0) rs.splice(0, i);
  }

  /** Work that would make a dormant charge wait behind it wakes its owner (the answer would come later). */
  private wakeDelayed(): void {
    for (const p of [...this.periodic]) if (this.busyUntil > p.c.nextAt()) p.c.wake();
    for (const r of [...this.random]) if (this.busyUntil > r.nextAt()) r.wake();
  }

  private runAt(now: number, cpuMs: number): number {
    if (this.stoppedAt !== undefined || !(cpuMs > 0)) return 0;
    this.fold(now);
    let t = Math.max(now, this.busyUntil);
    let left = cpuMs;
    if (this.quotaMs === Infinity) {
      this.push(t, t + left);
      t += left;
    } else {
      // The share of each period the spinning processes leave (they take theirs first; a tenth
      // of the quota always remains, as the scheduler never starves a runnable thread entirely).
      const quota = Math.max(this.quotaMs * 0.1, this.quotaMs - this.effectiveBurn() * CFS_PERIOD_MS);
      for (let guard = 0; left > 1e-9 && guard < 1_000_000; guard++) {
        const p = Math.floor(t / CFS_PERIOD_MS) * CFS_PERIOD_MS;
        if (p !== this.periodStart) {
          this.periodStart = p;
          this.usedInPeriod = 0;
        }
        const avail = quota - this.usedInPeriod;
        if (avail <= 1e-9) {
          t = p + CFS_PERIOD_MS; // throttled until the next period
          continue;
        }
        const slice = Math.min(left, avail, p + CFS_PERIOD_MS - t);
        this.push(t, t + slice);
        this.usedInPeriod += slice;
        left -= slice;
        t += slice;
      }
    }
    this.busyUntil = t;
    return t - now;
  }

  burn(cores: number): void {
    if (this.periodic.length > 0 || this.random.length > 0 || this.reads.length > 0) this.replay();
    const now = this.clock.now();
    if (this.stoppedAt !== undefined) return;
    this.burnBaseMs = this.burnedMs(now);
    this.burnFrom = now;
    this.burnCores = Math.max(0, cores);
  }

  /** The container stopped: nothing more is used from now on. */
  stop(): void {
    if (this.periodic.length > 0 || this.random.length > 0 || this.reads.length > 0) {
      this.replay();
      for (const p of [...this.periodic]) p.c.wake();
      for (const r of [...this.random]) r.wake();
    }
    const now = this.clock.now();
    if (this.stoppedAt !== undefined) return;
    this.burn(0);
    // Work scheduled past now never runs.
    this.foldedMs += this.segmentMs(now);
    this.segments = [];
    this.head = 0;
    this.stoppedAt = now;
  }

  usageMs(): number {
    if (this.periodic.length > 0 || this.random.length > 0 || this.reads.length > 0) this.replay();
    const now = this.clock.now();
    const at = this.stoppedAt ?? now;
    this.fold(at);
    return this.foldedMs + this.segmentMs(at) + this.burnedMs(at);
  }

  private burnedMs(at: number): number {
    return this.burnBaseMs + this.effectiveBurn() * Math.max(0, at - this.burnFrom);
  }

  private push(start: number, end: number): void {
    const s = this.segments;
    if (s.length > this.head && s[s.length - 1] === start) s[s.length - 1] = end;
    else s.push(start, end);
  }

  /** CPU ms of the unfolded segments up to `at`. */
  private segmentMs(at: number): number {
    let ms = 0;
    const s = this.segments;
    for (let i = this.head; i < s.length; i += 2) {
      if (s[i] >= at) break;
      ms += Math.min(s[i + 1], at) - s[i];
    }
    return ms;
  }

  /** Moves the segments that ended by `at` into the folded total (time only moves forward). */
  private fold(at: number): void {
    const s = this.segments;
    let i = this.head;
    while (i < s.length && s[i + 1] <= at) {
      this.foldedMs += s[i + 1] - s[i];
      i += 2;
    }
    if (i === s.length) {
      s.length = 0;
      this.head = 0;
    } else if (i > 64 && i * 2 > s.length) {
      this.segments = s.slice(i);
      this.head = 0;
    } else this.head = i;
  }
}

/** Whether two charge sequences (first instant + k × period) can share an instant. */
function mayMeet(x: { firstAt: number; period: number }, y: { firstAt: number; period: number }): boolean {
  if (!Number.isInteger(x.firstAt) || !Number.isInteger(y.firstAt) || !Number.isInteger(x.period) || !Number.isInteger(y.period)) return true;
  let a = x.period;
  let b = y.period;
  while (b !== 0) [a, b] = [b, a % b];
  const d = (x.firstAt - y.firstAt) % a;
  return d === 0;
}
