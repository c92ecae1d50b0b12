/**
 * What an evaluating shell asks of its driver. The evaluator is a generator: every place where
 * a real shell would block (sleep, a network request, waiting for a background job) yields one
 * of these, and the driver (task.ts) resumes it later in simulated time. No promises, no wall time.
 */
import type { HttpOutcome, HttpRequestSpec } from "../types.ts";
import type { Pipe } from "./pipe.ts";
import type { LoopDriver } from "./compiled.ts";

export type Effect =
  /** Block for this many simulated ms (`sleep`). */
  | { k: "sleep"; ms: number }
  /** A CPU-bound pause: the step budget at this instant ran out (see task.ts). */
  | { k: "spin"; ms: number }
  /** An HTTP request; resumed with the HttpOutcome. */
  | { k: "http"; req: HttpRequestSpec }
  /**
   * Wait until these jobs end; resumed with "done", or "interrupted" when a trapped signal
   * arrives and the wait is `interruptible` (the `wait` builtin; not a foreground pipeline).
   */
  | { k: "wait"; jobs: JobHandle[]; interruptible?: boolean }
  /** Wait until a pipe can be read (data or end of file) or written (room, or no reader). */
  | { k: "pipe"; pipe: Pipe; dir: "read" | "write" }
  /** Block forever (`tail -f`, `sleep infinity`); only a signal ends it. */
  | { k: "forever" }
  /**
   * Run a compiled pure loop (compiled.ts) on the task's timers; resumed with "fallback" when the
   * loop goes back to the interpreter at an iteration boundary (it never ends otherwise).
   */
  | { k: "loop"; driver: LoopDriver };

export type Resume = undefined | HttpOutcome | "done" | "interrupted" | "fallback";

export type G<T> = Generator<Effect, T, Resume>;

/** A background job as the `wait` and `kill` builtins see it. */
export interface JobHandle {
  readonly pid: number;
  /** Exit status once ended. */
  readonly exitCode: number | undefined;
  onEnd(fn: () => void): void;
  kill(code: number): void;
}

/** Control flow carried by exceptions through the generator stack. */
export class ExitSignal {
  constructor(readonly code: number) {}
}
export class BreakSignal {
  constructor(public levels: number) {}
}
export class ContinueSignal {
  constructor(public levels: number) {}
}
export class ReturnSignal {
  constructor(readonly code: number) {}
}
/**
 * bash: an expansion error (`$((1/0))`, `${x*}`) abandons the command being run, the whole command
 * line read with it, and the shell reads on with status 1 (bash's jump_to_top_level(DISCARD)).
 */
export class AbortCommand {}
