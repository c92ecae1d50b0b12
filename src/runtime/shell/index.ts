/**
 * The simulated busybox `sh`: `createShellProcess(argv, io)` runs a container's command (or an
 * exec probe / `kubectl exec` command) in simulated time.
 *
 * - argv[0] `sh`/`/bin/sh`/`ash`/`bash`/`dash`: a POSIX shell (`-c script [name args…]`, a
 *   script file, or stdin, which is empty, so `sh` alone exits 0 at once).
 * - anything else: exec form, one command run directly (`["cat", "/ready.txt"]`, `["sleep", "3600"]`).
 *
 * Signals: SIGKILL ends the process at once (137). SIGTERM runs a `trap … TERM` handler (after
 * the foreground command ends, as sh waits for its child; at once during `wait`); without a
 * handler the process ends with 143 — unless it is the container's PID 1 (`pid1: true`), which
 * the kernel shields from signals it has no handler for, so SIGTERM is ignored and the kubelet's
 * SIGKILL after the grace period ends it (why deleting a `sleep 3600` pod takes 30 s).
 */
import type { Process, ProcessIO, Signal } from "../types.ts";
import { ExitSignal, type G } from "./effects.ts";
import { Input, Shell, runShellMain, type ShellEnv } from "./interp.ts";
import { Task } from "./task.ts";
import { APPLETS, type CommandFn } from "./commands.ts";
import type { Pipe } from "./pipe.ts";

export { ShellSyntaxError, Parser } from "./parser.ts";
export { INSTANT_BUDGET, SPIN_BATCH, SPIN_SLICE_MS } from "./task.ts";

export interface ShellProcessOptions {
  /** The process is the container's PID 1 (its main process): unhandled SIGTERM is ignored. */
  pid1?: boolean;
  /** `$$`; default 1 for PID 1, else 7. */
  pid?: number;
  /** Which commands the image has (default: every applet, `curl` included). */
  hasCommand?: (name: string) => boolean;
  /** The image's own programs run as commands (`perl`, `redis-cli`, `nginx -s quit`), by name or full path. */
  commands?: Record<string, CommandFn>;
  /** Standard input (`kubectl exec -i`); default empty. */
  stdin?: string;
  /** Standard input that arrives later (a container's, attached to: ContainerLaunch.stdinPipe); wins over `stdin`. */
  stdinPipe?: Pipe;
  /** What the image's `/bin/sh` is when it is not busybox ash: Debian's dash. */
  binSh?: "dash";
  /** The image's /bin is /usr/bin (Debian 12, Ubuntu 22.04): `which`/`command -v` find programs in /usr/bin. */
  usrMerged?: boolean;
}

const SHELLS = new Set(["sh", "ash", "bash", "dash"]);

function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** Whether a shell started as `name` is dash (`dash`, or `sh` where /bin/sh is dash): its `echo` reads escapes. */
export function isDash(name: string, binSh: "dash" | undefined): boolean {
  const b = baseName(name);
  return b === "dash" || (b === "sh" && binSh === "dash");
}

/** Whether argv runs the shell interpreter (rather than one command in exec form). */
export function isShell(argv: string[]): boolean {
  return argv.length > 0 && SHELLS.has(baseName(argv[0]!));
}

/**
 * Why the container runtime could not start this command, as containerd reports it (the
 * kubelet turns it into a `StartError` with exit code 128), or undefined when it can start.
 */
export function startError(argv: string[], io: ProcessIO, opts?: Pick<ShellProcessOptions, "hasCommand" | "commands">): string | undefined {
  const name = argv[0];
  if (name === undefined || name === "") return undefined;
  if (opts?.commands && (opts.commands[name] || (!name.includes("/") && opts.commands[baseName(name)]))) return undefined;
  if (isShell(argv) && (opts?.hasCommand ?? (() => true))(baseName(name))) return undefined;
  const prefix = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";
  const base = /^\/(usr\/)?s?bin\/[^/]+$/.test(name) || !name.includes("/") ? baseName(name) : undefined;
  const has = opts?.hasCommand ?? (() => true);
  if (base !== undefined && has(base) && (APPLETS[base] || base === "sh" || base === "ash")) return undefined;
  if (name.includes("/")) {
    const st = io.fs.stat(name.startsWith("/") ? name : `/${name}`);
    if (!st) return `${prefix}exec: "${name}": stat ${name}: no such file or directory: unknown`;
    if (st.type === "dir" || !(st.mode & 0o111)) return `${prefix}exec: "${name}": permission denied: unknown`;
    return undefined;
  }
  return `${prefix}exec: "${name}": executable file not found in $PATH: unknown`;
}

class ShellProcess implements Process {
  private task: Task | undefined;
  private shell: Shell | undefined;
  private starting = false;
  private exited = false;
  private pid: number;
  private pidCounter: number;

  constructor(
    private readonly argv: string[],
    private readonly io: ProcessIO,
    private readonly opts: ShellProcessOptions,
  ) {
    this.pid = opts.pid ?? (opts.pid1 ? 1 : 7);
    this.pidCounter = this.pid;
  }

  /** An exec takes the next PID of the container's PID namespace, and shows in its `ps` while it runs. */
  private register(): (() => void) | undefined {
    const procs = this.io.container?.procs;
    if (!procs || this.opts.pid1 || this.opts.pid !== undefined) return undefined;
    const pid = ++procs.lastPid;
    this.pid = pid;
    this.pidCounter = pid;
    procs.live.set(pid, { argv: this.argv, uid: this.io.user?.uid ?? 0 });
    return () => procs.live.delete(pid);
  }

  start(onExit: (exitCode: number) => void): void {
    if (this.task) throw new Error("process already started");
    const argv = this.argv;
    const unregister = this.register();
    const shellMode = isShell(argv);
    const env: ShellEnv = {
      io: this.io,
      arg0: shellMode ? argv[0]! : "sh",
      hasCommand: this.opts.hasCommand,
      commands: this.opts.commands,
      binSh: this.opts.binSh,
      usrMerged: this.opts.usrMerged,
      dashEcho: shellMode && isDash(argv[0]!, this.opts.binSh),
      bash: shellMode && baseName(argv[0]!) === "bash",
      nextPid: () => ++this.pidCounter,
      signalSelf: (sig) => this.signalSelf(sig),
      compileLoops: !this.io.reference,
      shareParses: !this.io.reference,
      plainExec: !shellMode,
    };
    const task = new Task(this.io.clock, this.io, this.pid);
    this.task = task;
    const shell = new Shell(env, task, this.pid);
    this.shell = shell;
    shell.subshell = false;
    shell.stdin = this.opts.stdinPipe ? new Input("", 0, this.opts.stdinPipe) : new Input(this.opts.stdin ?? "");
    task.onEnd((code) => {
      // The process's background jobs end with it (the container's processes die with PID 1).
      for (const c of task.children) c.kill(137);
      unregister?.();
      if (this.exited) return;
      this.exited = true;
      if (this.starting) this.io.clock.setTimeout(() => onExit(code), 0);
      else onExit(code);
    });
    this.starting = true;
    try {
      task.start(this.main(shell, env, shellMode));
    } finally {
      this.starting = false;
    }
  }

  private *main(shell: Shell, env: ShellEnv, shellMode: boolean): G<number> {
    let code: number;
    try {
      code = shellMode ? yield* this.runShell(shell, env) : yield* this.runExec(shell);
    } catch (e) {
      if (!(e instanceof ExitSignal)) throw e;
      code = e.code;
    }
    const exitTrap = shell.traps.get("EXIT");
    if (exitTrap) {
      shell.traps.delete("EXIT");
      shell.status = code;
      try {
        yield* shell.evalText(exitTrap);
      } catch (e) {
        if (!(e instanceof ExitSignal)) throw e;
        code = e.code;
      }
    }
    return code;
  }

  private *runExec(shell: Shell): G<number> {
    const err = startError(this.argv, this.io, this.opts);
    if (err) {
      this.io.stderr(err + "\n");
      return 128;
    }
    if (this.argv.length === 0) return 0;
    return yield* shell.runCommand(this.argv);
  }

  private *runShell(shell: Shell, env: ShellEnv): G<number> {
    return yield* runShellMain(shell, env, this.argv);
  }

  /** A signal sent by the script to itself (`kill $$`): true when it ends the process now. */
  private signalSelf(sig: string): void {
    const code = this.deliver(sig === "KILL" ? "SIGKILL" : "SIGTERM", sig);
    if (code !== undefined) throw new ExitSignal(code);
  }

  kill(signal: Signal): void {
    if (!this.task || this.task.ended) return;
    const code = this.deliver(signal, signal === "SIGKILL" ? "KILL" : "TERM");
    if (code !== undefined) this.task.kill(code);
  }

  /** Applies a signal; returns the exit code when the process dies of it now. */
  private deliver(signal: Signal, name: string): number | undefined {
    if (signal === "SIGKILL") return 137;
    const action = this.shell?.traps.get(name);
    if (action === undefined) return this.opts.pid1 ? undefined : 143;
    if (action === "") return undefined;
    this.task!.pendingSignals.push(name);
    this.task!.interrupt();
    return undefined;
  }
}

/**
 * The command line PID 1 shows in `ps` for a container's argv: a shell given one simple command
 * with `-c` (`sh -c "sleep 1h"`) execs it in its own place (ash, bash and dash all do), so the
 * process is that command; any other script keeps the shell.
 */
export function pid1Argv(argv: string[]): string[] {
  if (isShell(argv) && argv[1] === "-c" && argv.length === 3 && /^[\w\s./=:,@%+-]+$/.test(argv[2]!) && argv[2]!.trim()) {
    return argv[2]!.trim().split(/\s+/);
  }
  return argv;
}

/** Creates a process running `argv` in simulated time (see the module comment). */
export function createShellProcess(argv: string[], io: ProcessIO, opts: ShellProcessOptions = {}): Process {
  return new ShellProcess(argv, io, opts);
}

export type { CommandFn } from "./commands.ts";
export type { Shell } from "./interp.ts";
export type { G } from "./effects.ts";
