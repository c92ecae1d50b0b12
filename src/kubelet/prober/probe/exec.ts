/**
 * pkg/probe/exec/exec.go with the runtime's ExecSync: runs the command in the container with the
 * probe's timeout. Exit 0 is success, another exit code a failure whose output is the command's
 * combined stdout and stderr; past the timeout the command is killed and the probe fails with
 * `command "<cmd>" timed out` (ExecProbeTimeout, GA).
 */
import type { Process } from "../../../runtime/types.ts";
import type { SimClock } from "../../../sim/clock.ts";
import type { ProbeOutcome } from "./probe.ts";

/** Starts argv in the container, collecting its output; undefined when the container cannot exec (no shell). */
export type ExecInContainer = (argv: string[], output: (text: string) => void) => Process | Error;

export function doExecProbe(clock: SimClock, exec: ExecInContainer, argv: string[], timeoutMs: number, done: (o: ProbeOutcome, err?: Error) => void): void {
  let output = "";
  const proc = exec(argv, (t) => (output += t));
  if (proc instanceof Error) return void clock.setTimeout(() => done({ result: "unknown", output: "" }, proc), 0);
  let finished = false;
  const timer = clock.setTimeout(() => {
    if (finished) return;
    finished = true;
    proc.kill("SIGKILL");
    done({ result: "failure", output: `command ${JSON.stringify(argv.join(" "))} timed out` });
  }, timeoutMs);
  proc.start((code) => {
    if (finished) return;
    finished = true;
    clock.clear(timer);
    // Deliver after the exit, never inside the process' own call stack.
    clock.setTimeout(() => done({ result: code === 0 ? "success" : "failure", output }), 0);
  });
}
