/**
 * The cost of the simulated clock itself: N periodic timers (as N probe workers would set) run for
 * one simulated hour on SimClock (fake-timers underneath) and on an ideal event queue (a binary
 * heap), reporting timer callbacks per wall second for each.
 */
import { SimClock } from "../src/sim/clock.ts";
import { PeakMemory, report, SMOKE, timeIt } from "./lib.ts";

class HeapQueue {
  private heap: Array<{ at: number; seq: number; fn: () => void; period: number }> = [];
  private seq = 0;
  now = 0;
  every(period: number, fn: () => void): void {
    this.push({ at: this.now + period, seq: this.seq++, fn, period });
  }
  run(until: number): number {
    let n = 0;
    while (this.heap.length && this.heap[0].at <= until) {
      const t = this.pop();
      this.now = t.at;
      t.fn();
      n++;
      this.push({ ...t, at: t.at + t.period, seq: this.seq++ });
    }
    this.now = until;
    return n;
  }
  private less(a: { at: number; seq: number }, b: { at: number; seq: number }) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  private push(x: (typeof this.heap)[number]) {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  private pop() {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

const mem = new PeakMemory();
for (const n of SMOKE ? [100] : [100, 1000]) {
  const hour = SMOKE ? 600_000 : 3_600_000;
  let fired = 0;
  const clock = new SimClock();
  for (let i = 0; i < n; i++) {
    clock.setTimeout(() => clock.setInterval(() => fired++, 10_000), (i * 10_000) / n);
  }
  const sim = timeIt(() => clock.advance(hour));
  mem.sample();
  const simRate = fired / (sim.ms / 1000);
  report({ name: `clock: ${n} periodic timers, SimClock`, value: simRate, unit: "callbacks/s", better: "higher", against: "ideal heap queue below" });

  const q = new HeapQueue();
  let qfired = 0;
  for (let i = 0; i < n; i++) q.every(10_000, () => qfired++);
  const ideal = timeIt(() => q.run(hour));
  report({ name: `clock: ${n} periodic timers, ideal heap`, value: qfired / (ideal.ms / 1000), unit: "callbacks/s", better: "higher" });
}
report({ name: "clock: peak memory", value: mem.mib, unit: "MiB", better: "lower" });
