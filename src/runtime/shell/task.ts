/**
 * Drives an evaluator generator on the simulated clock: each yielded Effect becomes a timer, an
 * HTTP callback or a wait on other tasks, and the generator resumes when it is due. A task is
 * one process of the shell (the main shell, or a background job `cmd &`).
 *
 * Runaway loops: a script that loops without sleeping would never yield, so `tick()` (called
 * at every command) counts commands per simulated instant. Past INSTANT_BUDGET commands at one
 * instant the task is a CPU spinner: from then on it yields SPIN_SLICE_MS of simulated time
 * after every SPIN_BATCH commands, so the simulation never hangs and time still advances
 * (the loop keeps "running", as a busy process would). A real sleep or wait ends spinner mode.
 */
import type { SimClock, TimerHandle } from "../../sim/clock.ts";
import type { HttpOutcome, ProcessIO } from "../types.ts";
import { ExitSignal, type Effect, type G, type JobHandle, type Resume } from "./effects.ts";
import type { LoopDriver } from "./compiled.ts";

/** Commands allowed at one simulated instant before a task counts as spinning. */
export const INSTANT_BUDGET = 100_000;
/** Commands per slice once spinning. */
export const SPIN_BATCH = 100;
/** Simulated ms each spinning slice takes. */
export const SPIN_SLICE_MS = 100;

export class Task implements JobHandle {
  exitCode: number | undefined;
  private gen: G<number> | undefined;
  private timer: TimerHandle | undefined;
  private cancelWait: (() => void) | undefined;
  private waitingJobs = false;
  private running = false;
  private readonly endFns: Array<(code: number) => void> = [];
  private steps = 0;
  private instant = -1;
  private spinner = false;
  /** Signals (`TERM`, …) delivered to a shell with a trap, run at the next command boundary. */
  readonly pendingSignals: string[] = [];
  /** Children started with `&`; they die with this task when it is killed. */
  readonly children: Task[] = [];
  /**
   * A compiled loop left to a dormant chain (issue #19, `armLoop`): the chain (also `timer`), the
   * driver, the line writer's cancel, the commands of one cycle, the first skipped firing.
   */
  private dormant: { drv: LoopDriver; chain: TimerHandle; cancelLine: (() => void) | undefined; commands: number; firstAt: number; period: number } | undefined;

  constructor(
    readonly clock: SimClock,
    readonly io: ProcessIO,
    readonly pid: number,
  ) {}

  get ended(): boolean {
    return this.exitCode !== undefined;
  }

  /** Whether the task spins (ran out of its per-instant command budget and has not slept since). */
  get spinning(): boolean {
    return this.spinner;
  }

  start(gen: G<number>): void {
    this.gen = gen;
    this.resume(undefined);
  }

  onEnd(fn: (code: number) => void): void {
    if (this.exitCode !== undefined) fn(this.exitCode);
    else this.endFns.push(fn);
  }

  /** Called by the evaluator before each command: counts steps, yields when spinning. */
  *tick(): G<void> {
    const now = this.clock.now();
    if (now !== this.instant) {
      this.instant = now;
      this.steps = 0;
    }
    if (++this.steps > (this.spinner ? SPIN_BATCH : INSTANT_BUDGET)) {
      this.spinner = true;
      yield { k: "spin", ms: SPIN_SLICE_MS };
    }
  }

  /** Counts one command at the current instant, as `tick()` does (for compiled loops: they never spin, see stepsLeft). */
  countStep(): void {
    const now = this.clock.now();
    if (now !== this.instant) {
      this.instant = now;
      this.steps = 0;
    }
    this.steps++;
  }

  /** How many commands may still run at the current instant before the task spins. */
  stepsLeft(): number {
    if (this.spinner) return 0;
    return this.clock.now() !== this.instant ? INSTANT_BUDGET : INSTANT_BUDGET - this.steps;
  }

  /** Ends the task now with `code` (signals); its background children end too. */
  kill(code: number): void {
    if (this.exitCode !== undefined) return;
    this.settleDormant();
    for (const c of this.children) c.kill(code);
    this.clearBlock();
    if (!this.running && this.gen) {
      try {
        this.gen.return(code);
      } catch {
        // finally blocks of a killed script do not matter
      }
    }
    this.finish(code);
  }

  /** A trapped signal arrived: a `wait` in progress returns at once (status 128+n). */
  interrupt(): void {
    if (this.waitingJobs && this.exitCode === undefined) {
      this.clearBlock();
      this.timer = this.clock.setTimeout(() => this.resume("interrupted"), 0);
    }
  }

  private clearBlock(): void {
    this.clock.clear(this.timer);
    this.timer = undefined;
    this.cancelWait?.();
    this.cancelWait = undefined;
    this.waitingJobs = false;
  }

  private finish(code: number): void {
    if (this.exitCode !== undefined && this.endFns.length === 0) return;
    this.exitCode = code;
    const fns = this.endFns.splice(0);
    for (const fn of fns) fn(code);
  }

  /** Runs a compiled loop up to its next sleep (as inside the generator: a kill meanwhile does not unwind it). */
  private advanceLoop(drv: LoopDriver): number {
    this.running = true;
    try {
      return drv.advance();
    } finally {
      this.running = false;
    }
  }

  /** A compiled loop's sleep ended: what resume() does when a `sleep` effect's timer fires. */
  private loopStep(drv: LoopDriver): void {
    if (this.exitCode !== undefined || !this.gen) return;
    this.timer = undefined;
    this.cancelWait = undefined;
    this.waitingJobs = false;
    const ms = this.advanceLoop(drv);
    if (this.exitCode !== undefined) return;
    if (ms < 0) return this.resume("fallback");
    this.armLoop(drv, ms);
  }

  /**
   * The compiled loop sleeps `ms` now: a timer whose callback runs the next cycle — or, when every
   * later cycle does the same but for its counters (`LoopDriver.periodic`) and its line can be
   * left to the writer (`LineWriter.repeat`), a dormant chain (issue #19). The chain is created
   * where the timer would be (the same order number), and each of its dormant firings takes the
   * next number where the cycle's own timer would have been set, for nothing in a cycle takes one
   * (no follower: the writer refuses while one is there); so every timer keeps its place. What the
   * skipped cycles leave behind — their lines, the counters, the command count at the instant of
   * the last — is settled when the task is killed or the chain is woken (a follower), and the
   * lines also whenever the log is read or written (the writer's catch-up). The reference engine
   * never compiles a loop; `io.reference` is checked too.
   */
  private armLoop(drv: LoopDriver, ms: number): void {
    const cycle = this.io.reference ? undefined : drv.periodic(ms);
    if (cycle) {
      const firstAt = this.clock.now() + ms;
      let chain: TimerHandle | undefined;
      let cancelLine: (() => void) | undefined;
      const line = cycle.line;
      if (line) {
        cancelLine = drv.repeatLine({
          parts: line.parts,
          nums: line.nums,
          steps: line.steps,
          firstAt,
          period: ms,
          skipped: () => (chain ? this.clock.skipped(chain) : 0),
          wake: () => {
            if (chain) this.clock.wake(chain);
          },
        });
      }
      if (!line || cancelLine) {
        chain = this.clock.setChain(() => this.loopWoken(drv), ms);
        this.clock.sleep(chain);
        this.timer = chain;
        this.dormant = { drv, chain, cancelLine, commands: cycle.commands, firstAt, period: ms };
        return;
      }
    }
    this.timer = this.clock.setTimeout(() => this.loopStep(drv), ms);
  }

  /** A dormant loop's chain fired with its callback (woken): settle the skipped cycles, run this one. */
  private loopWoken(drv: LoopDriver): void {
    this.settleDormant();
    this.loopStep(drv);
  }

  /** Applies what a dormant loop's skipped cycles did (lines, counters, command count) and ends the chain. */
  private settleDormant(): void {
    const d = this.dormant;
    if (!d) return;
    this.dormant = undefined;
    const k = this.clock.skipped(d.chain);
    d.cancelLine?.();
    d.drv.skip(k);
    const last = d.firstAt + (k - 1) * d.period;
    if (k > 0 && last === this.clock.now()) {
      // the last skipped cycle ran at this very instant: its commands count here (tick's budget)
      this.instant = last;
      this.steps = d.commands;
    }
    this.clock.clear(d.chain);
    if (this.timer === d.chain) this.timer = undefined;
  }

  private resume(value: Resume): void {
    if (this.exitCode !== undefined || !this.gen) return;
    this.timer = undefined;
    this.cancelWait = undefined;
    this.waitingJobs = false;
    let input = value;
    for (;;) {
      let r: IteratorResult<Effect, number>;
      this.running = true;
      try {
        r = this.gen.next(input);
      } catch (e) {
        // A JavaScript stack overflow is what a real shell's unbounded recursion ends in: SIGSEGV.
        if (e instanceof RangeError) r = { done: true, value: 139 };
        else if (!(e instanceof ExitSignal)) throw e;
        else r = { done: true, value: e.code };
      } finally {
        this.running = false;
      }
      if (this.exitCode !== undefined) return;
      if (r.done) {
        this.finish(r.value);
        return;
      }
      const eff = r.value;
      if (eff.k !== "spin") this.spinner = false;
      switch (eff.k) {
        case "sleep":
        case "spin":
          this.timer = this.clock.setTimeout(() => this.resume(undefined), eff.ms);
          return;
        case "forever":
          return;
        case "loop": {
          const ms = this.advanceLoop(eff.driver);
          if (this.exitCode !== undefined) return;
          if (ms < 0) {
            input = "fallback";
            continue;
          }
          this.armLoop(eff.driver, ms);
          return;
        }
        case "http": {
          let live = true;
          this.cancelWait = () => {
            live = false;
          };
          this.io.http(eff.req, (outcome: HttpOutcome) => {
            if (!live || this.exitCode !== undefined) return;
            live = false;
            this.resume(outcome);
          });
          return;
        }
        case "pipe": {
          const pipe = eff.pipe;
          const ready = () => (eff.dir === "read" ? pipe.readable() : pipe.writable());
          if (ready()) {
            input = undefined;
            continue;
          }
          let live = true;
          this.cancelWait = () => {
            live = false;
          };
          const arm = () =>
            pipe.onChange(() => {
              if (!live || this.exitCode !== undefined) return;
              if (!ready()) return arm();
              live = false;
              this.timer = this.clock.setTimeout(() => this.resume(undefined), 0);
            });
          arm();
          return;
        }
        case "wait": {
          const pending = eff.jobs.filter((j) => j.exitCode === undefined);
          if (pending.length === 0) {
            input = "done";
            continue;
          }
          let live = true;
          this.waitingJobs = !!eff.interruptible;
          this.cancelWait = () => {
            live = false;
          };
          for (const j of pending) {
            j.onEnd(() => {
              if (!live || eff.jobs.some((x) => x.exitCode === undefined)) return;
              live = false;
              this.timer = this.clock.setTimeout(() => this.resume("done"), 0);
            });
          }
          return;
        }
      }
    }
  }
}
