/** Small processes the image catalogue uses: one that runs until it is stopped, one that exits at once. */
import type { ContainerProcess, Signal } from "../runtime/types.ts";
import type { SimClock } from "../sim/clock.ts";

/** A main process that runs until signalled: SIGTERM ends it with 143 (default action), SIGKILL with 137. */
export class RunUntilStopped implements ContainerProcess {
  private onExit?: (code: number) => void;
  private done = false;

  constructor(private readonly clock: SimClock) {}

  start(onExit: (exitCode: number) => void): void {
    this.onExit = onExit;
  }

  kill(signal: Signal): void {
    if (this.done || !this.onExit) return;
    this.done = true;
    const cb = this.onExit;
    this.clock.setTimeout(() => cb(signal === "SIGKILL" ? 137 : 143), 0);
  }
}

/** A process that exits with `code` right after it starts (e.g. `sh` with no input). */
export class ExitAtOnce implements ContainerProcess {
  private done = false;
  constructor(
    private readonly clock: SimClock,
    private readonly code = 0,
  ) {}

  start(onExit: (exitCode: number) => void): void {
    this.clock.setTimeout(() => {
      if (this.done) return;
      this.done = true;
      onExit(this.code);
    }, 0);
  }

  kill(signal: Signal): void {
    void signal;
  }
}
