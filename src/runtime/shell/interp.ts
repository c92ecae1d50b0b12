/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * The evaluator: walks the syntax tree as a generator (see effects.ts), with ash's expansion
 * order (parameters, command substitution, arithmetic, field splitting, pathname expansion,
 * quote removal), redirections onto the Vfs, functions, traps and background jobs.
 */
import type { CommandNode, ListNode, Redir, Word, WordPart } from "./ast.ts";
import { isName, parseHeredocBody, parsedSource, Parser, parseProgram, ShellSyntaxError } from "./parser.ts";
import { AbortCommand, BreakSignal, ContinueSignal, ExitSignal, ReturnSignal, type G } from "./effects.ts";
import { Task } from "./task.ts";
import { Pipe } from "./pipe.ts";
import { evalArith } from "./arith.ts";
import { evalCond } from "./cond.ts";
import { globMatch, globToRegExp, expandGlob, hasGlobChars } from "./glob.ts";
import { APPLETS, BUILTINS, SPECIAL_BUILTINS } from "./commands.ts";
import { compileLoop, LoopDriver, planApplies, type LoopPlan } from "./compiled.ts";
import { parseSleep } from "./applets.ts";
import { signalNumber, vfsErrorText, type CommandFn } from "./util.ts";
export { signalName, signalNumber } from "./util.ts";
import { resolvePath } from "../vfs.ts";
import { VfsError, type LineWriter, type ProcessIO, type RepeatedLine } from "../types.ts";

export interface Out {
  write(s: string): void;
}

/** A command's standard input: fixed text (files, here-documents) or the read end of a pipe. */
export class Input {
  constructor(
    public data: string,
    public pos = 0,
    readonly pipe?: Pipe,
  ) {}

  /** Everything left, without waiting (fixed text only; a pipe gives what is buffered). */
  readAll(): string {
    if (this.pipe) this.data += this.pipe.take();
    const s = this.data.slice(this.pos);
    this.pos = this.data.length;
    return s;
  }

  /** Waits for a pipe to have data or reach end of file; false when nothing more will come. */
  private *fill(): G<boolean> {
    if (!this.pipe) return false;
    if (!this.pipe.readable()) yield { k: "pipe", pipe: this.pipe, dir: "read" };
    const more = this.pipe.take();
    this.data = this.data.slice(this.pos) + more;
    this.pos = 0;
    return more.length > 0;
  }

  /** Everything until end of file (waits on a pipe until its writer is done). */
  *readAllG(): G<string> {
    while (yield* this.fill());
    return this.readAll();
  }

  /** The next piece of input as it arrives, or undefined at end of file. */
  *readChunkG(): G<string | undefined> {
    if (this.pos >= this.data.length && !(yield* this.fill())) return undefined;
    return this.readAll();
  }

  /** One line without its newline, waiting for it on a pipe; undefined at end of input. */
  *readLineG(): G<string | undefined> {
    while (this.data.indexOf("\n", this.pos) < 0 && (yield* this.fill()));
    return this.readLine();
  }

  /** One line without its newline, or undefined at end of the buffered input. */
  readLine(): string | undefined {
    if (this.pos >= this.data.length) return undefined;
    let end = this.data.indexOf("\n", this.pos);
    if (end < 0) end = this.data.length;
    const line = this.data.slice(this.pos, end);
    this.pos = end + 1;
    return line;
  }
}

/** The write end of a pipe. */
export class PipeOut implements Out {
  constructor(readonly pipe: Pipe) {}
  write(s: string): void {
    this.pipe.write(s);
  }
}

export class Capture implements Out {
  text = "";
  write(s: string): void {
    this.text += s;
  }
}

const NULL_OUT: Out = { write: () => {} };

interface Var {
  value: string;
  exported: boolean;
  readonly?: boolean;
  /** bash: the elements of an indexed array (`value` is element 0, as `$a` reads it); never mutated in place. */
  array?: readonly string[];
}

/** Options for a shell and what the process around it provides. */
export interface ShellEnv {
  io: ProcessIO;
  /** The name errors are prefixed with (`sh`, `/bin/sh`). */
  arg0: string;
  /** Set when running a script file: errors then read `arg0: line N: …`. */
  commandName?: string;
  /** Whether a command name exists in this image (default: every applet). */
  hasCommand?: (name: string) => boolean;
  /** The image's own programs, by name or full path (they come before the applets). */
  commands?: Record<string, CommandFn>;
  /** What /bin/sh is in this image when it is not busybox ash (Debian's dash). */
  binSh?: "dash";
  /** This shell is dash: `echo` reads backslash escapes and knows only `-n` (dash's bltin/printf.c echocmd). */
  dashEcho?: boolean;
  /** Pid counter shared by the process tree. */
  nextPid: () => number;
  /** Delivers a signal to the main process (for `kill $$`/`kill 1`). */
  signalSelf: (sig: "TERM" | "KILL" | "INT" | "HUP" | "USR1" | "USR2") => void;
  /** Pure loops run compiled (compiled.ts; issue #19). Off on the reference engine. */
  compileLoops?: boolean;
  /** Source texts parsed once per cluster and shared (parser.ts ParsedSource; issue #19). Off on the reference engine. */
  shareParses?: boolean;
  /** This shell is bash: bash's syntax parses (`[[ ]]`, arrays, …) and its messages read as bash's. */
  bash?: boolean;
  /** The program text came from `-c` (bash's syntax errors then read `bash: -c: line N: …`). */
  minusC?: boolean;
  /**
   * The process is a program exec'd directly, not a shell: the shell's own exported `PWD` is not in
   * its environment (a shell exports PWD at start; runc passes only the spec's variables and HOME).
   */
  plainExec?: boolean;
}

/** The shell's own writers to the process's stdout, with that stdout (what a compiled loop may write to). */
const IO_OUTS = new WeakMap<Out, ProcessIO["stdout"] & LineWriter>();

/** Function nesting limit (ash has none and eventually crashes; see docs/divergences.md). */
const MAX_DEPTH = 200;

export class Shell {
  vars = new Map<string, Var>();
  positional: string[] = [];
  funcs = new Map<string, CommandNode>();
  cwd = "/";
  status = 0;
  errexit = false;
  nounset = false;
  xtrace = false;
  pipefail = false;
  /** Saved variables of `local` declarations, one frame per function call. */
  localFrames: Array<Map<string, Var | undefined>> = [];
  /** State of $RANDOM (a deterministic generator: no wall-clock or global randomness). */
  randomState = 0;
  traps = new Map<string, string>();
  lastBgPid: number | undefined;
  jobs: Task[] = [];
  /** Nesting of contexts where `set -e` does not apply (conditions, `!`, non-final `&&`/`||`). */
  condDepth = 0;
  loopDepth = 0;
  funcDepth = 0;
  /** A subshell does not run the parent's traps. */
  subshell = false;
  stdin = new Input("");
  stdout: Out;
  stderr: Out;
  currentLine = 1;
  /** Status of the last command substitution in the words being expanded. */
  cmdSubStatus: number | undefined;
  /** How many program texts this shell is reading (runSource): bash's expansion errors return to it. */
  private sourceDepth = 0;

  constructor(
    readonly env: ShellEnv,
    public task: Task,
    readonly pid: number,
  ) {
    this.stdout = { write: (s) => env.io.stdout(s) };
    this.stderr = { write: (s) => env.io.stderr(s) };
    IO_OUTS.set(this.stdout, env.io.stdout);
    for (const [k, v] of Object.entries(env.io.env)) this.vars.set(k, { value: v, exported: true });
    if (!this.vars.has("PATH")) this.vars.set("PATH", { value: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", exported: true });
    if (!this.vars.has("IFS")) this.vars.set("IFS", { value: " \t\n", exported: false });
    const pwd = env.io.cwd ?? env.io.env["PWD"];
    if (pwd && env.io.fs.stat(pwd)?.type === "dir") this.cwd = pwd;
    this.vars.set("PWD", { value: this.cwd, exported: !env.plainExec || "PWD" in env.io.env });
  }

  get io(): ProcessIO {
    return this.env.io;
  }

  /** A copy for a subshell (`( … )`, pipeline element, command substitution, `&`). */
  clone(task = this.task): Shell {
    const s = new Shell(this.env, task, this.pid);
    s.vars = new Map([...this.vars].map(([k, v]) => [k, { ...v }]));
    s.positional = [...this.positional];
    s.funcs = new Map(this.funcs);
    s.cwd = this.cwd;
    s.status = this.status;
    s.errexit = this.errexit;
    s.nounset = this.nounset;
    s.xtrace = this.xtrace;
    s.pipefail = this.pipefail;
    s.randomState = this.randomState;
    s.lastBgPid = this.lastBgPid;
    s.subshell = true;
    s.stdin = this.stdin;
    s.stdout = this.stdout;
    s.stderr = this.stderr;
    s.funcDepth = this.funcDepth;
    s.currentLine = this.currentLine;
    // traps are reset in subshells, except ignored ones
    for (const [k, v] of this.traps) if (v === "") s.traps.set(k, "");
    return s;
  }

  // ---- messages ----------------------------------------------------------------------------

  /** `sh: msg` (or `script: line N: msg` when running a script), as ash prints errors; bash always names the line. */
  error(msg: string): void {
    const where = this.env.commandName || this.env.bash ? `line ${this.currentLine}: ` : "";
    this.stderr.write(`${this.env.arg0}: ${where}${msg}\n`);
  }

  /**
   * A syntax error: ash's `sh: syntax error: …`; bash's `bash: -c: line N: …` and, after an unexpected
   * token, the source line (`bash: -c: line 1: \`fi'`).
   */
  syntaxError(e: ShellSyntaxError): void {
    if (!this.env.bash) {
      this.error(e.message);
      return;
    }
    const prefix = `${this.env.arg0}: ${this.env.minusC ? "-c: " : ""}line ${e.line}: `;
    if (e.message) this.stderr.write(prefix + e.message + "\n");
    if (e.echo !== undefined) this.stderr.write(`${prefix}\`${e.echo}'\n`);
  }

  /**
   * An error raised inside a builtin: ash names the builtin and the line, since it sets
   * `commandname` while a builtin runs (`sh: cd: line 1: can't cd to /x`).
   */
  builtinError(name: string, msg: string): void {
    this.stderr.write(`${this.env.arg0}: ${name}: line ${this.currentLine}: ${msg}\n`);
  }

  // ---- variables ---------------------------------------------------------------------------

  getVar(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  setVar(name: string, value: string, opts?: { exported?: boolean }): void {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.error(`${name}: is read only`);
      throw new ExitSignal(2);
    }
    if (v) {
      v.value = value;
      // bash: assigning an array's name sets its element 0.
      if (v.array) v.array = [value, ...v.array.slice(1)];
      if (opts?.exported) v.exported = true;
    } else this.vars.set(name, { value, exported: !!opts?.exported });
    if (name === "PWD") this.cwd = value;
  }

  exportedEnv(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) out[k] = v.value;
    return out;
  }

  resolve(path: string): string {
    return resolvePath(this.cwd, path);
  }

  // ---- running -----------------------------------------------------------------------------

  /** Runs a program text, one complete command at a time, as ash does. */
  *runSource(src: string): G<number> {
    // The fast engine reads the lists of a text parsed once per cluster (ParsedSource); the reference parses anew.
    const shared = this.env.shareParses ? parsedSource(this.task.clock, src, !!this.env.bash) : undefined;
    const parser = shared ? undefined : new Parser(src, 0, false, !!this.env.bash);
    for (let i = 0; ; i++) {
      let list: ListNode | undefined;
      try {
        list = shared ? shared.at(i) : parser!.nextCommand();
      } catch (e) {
        if (!(e instanceof ShellSyntaxError)) throw e;
        this.currentLine = e.line;
        this.syntaxError(e);
        throw new ExitSignal(e.keepStatus ? this.status : 2);
      }
      if (!list) break;
      if (!this.env.bash) {
        yield* this.evalList(list);
        continue;
      }
      this.sourceDepth++;
      try {
        yield* this.evalList(list);
      } catch (e) {
        if (!(e instanceof AbortCommand)) throw e;
        this.status = 1;
      } finally {
        this.sourceDepth--;
      }
    }
    return this.status;
  }

  /**
   * bash's expansion errors (`$((1/0))`, `${x*}`): the message, then the command line is abandoned with
   * status 1 (a subshell, which reads no more commands, exits 1); ash's shell exits with 2.
   */
  expansionError(msg: string, withLine = true): never {
    if (!this.env.bash) {
      this.error(msg);
      throw new ExitSignal(2);
    }
    if (withLine) this.error(msg);
    else this.stderr.write(`${this.env.arg0}: ${msg}\n`);
    if (this.sourceDepth > 0) throw new AbortCommand();
    throw new ExitSignal(1);
  }

  /** Runs pending traps (signals that arrived while a command ran). */
  *runTraps(): G<void> {
    if (this.subshell) return;
    for (;;) {
      const sig = this.task.pendingSignals.shift();
      if (!sig) return;
      const action = this.traps.get(sig);
      if (action === undefined) {
        // default action: the process ends (128 + signal number)
        throw new ExitSignal(128 + (signalNumber(sig) ?? 15));
      }
      if (action === "") continue;
      const saved = this.status;
      yield* this.runSource(action);
      this.status = saved;
    }
  }

  *evalList(list: ListNode): G<number> {
    for (const item of list.items) {
      if (item.background) {
        this.startBackground(item.cmd);
        this.status = 0;
      } else {
        yield* this.evalCommand(item.cmd);
      }
    }
    return this.status;
  }

  private startBackground(cmd: CommandNode): void {
    const pid = this.env.nextPid();
    const task = new Task(this.task.clock, this.io, pid);
    const sub = this.clone(task);
    sub.stdin = new Input("");
    // forget jobs that ended long ago (a loop starting `cmd &` must not grow without bound)
    const kids = this.task.children;
    for (let i = kids.length - 1; i >= 0; i--) if (kids[i]!.ended) kids.splice(i, 1);
    if (this.jobs.length > 32) this.jobs = this.jobs.filter((j, i) => !j.ended || i >= this.jobs.length - 32);
    kids.push(task);
    this.jobs.push(task);
    this.lastBgPid = pid;
    task.start(
      (function* () {
        try {
          yield* sub.evalCommand(cmd);
          return sub.status;
        } catch (e) {
          if (e instanceof ExitSignal) return e.code;
          throw e;
        }
      })(),
    );
  }

  /** Evaluates a command, setting and returning `$?`; applies `set -e`. */
  *evalCommand(cmd: CommandNode): G<number> {
    const st = yield* this.evalInner(cmd);
    this.status = st;
    if (this.errexit && st !== 0 && this.condDepth === 0 && cmd.t !== "andor" && !(cmd.t === "pipeline" && cmd.bang)) {
      throw new ExitSignal(st);
    }
    return st;
  }

  private *cond(list: ListNode): G<number> {
    this.condDepth++;
    try {
      return yield* this.evalList(list);
    } finally {
      this.condDepth--;
    }
  }

  private *evalInner(cmd: CommandNode): G<number> {
    switch (cmd.t) {
      case "simple":
        return yield* this.evalSimple(cmd);
      case "pipeline":
        return yield* this.evalPipeline(cmd);
      case "andor": {
        this.condDepth++;
        let st: number;
        try {
          st = yield* this.evalCommand(cmd.first);
        } finally {
          this.condDepth--;
        }
        for (let i = 0; i < cmd.rest.length; i++) {
          const r = cmd.rest[i]!;
          if ((r.op === "&&") !== (st === 0)) continue;
          const last = i === cmd.rest.length - 1;
          if (!last) this.condDepth++;
          try {
            st = yield* this.evalCommand(r.cmd);
          } finally {
            if (!last) this.condDepth--;
          }
        }
        return st;
      }
      case "subshell":
        return yield* this.withRedirs(cmd.redirs, () => this.runSubshell(cmd.body));
      case "group":
        return yield* this.withRedirs(cmd.redirs, () => this.evalList(cmd.body));
      case "if":
        return yield* this.withRedirs(cmd.redirs, () => this.evalIf(cmd));
      case "loop":
        return yield* this.withRedirs(cmd.redirs, () => this.evalLoop(cmd));
      case "for":
        return yield* this.withRedirs(cmd.redirs, () => this.evalFor(cmd));
      case "case":
        return yield* this.withRedirs(cmd.redirs, () => this.evalCase(cmd));
      case "func":
        this.funcs.set(cmd.name, cmd.body);
        return 0;
      case "cond":
        return yield* this.withRedirs(cmd.redirs, () => this.evalCondCommand(cmd));
      case "arithcmd":
        return yield* this.withRedirs(cmd.redirs, () => this.evalArithCommand(cmd));
      case "cfor":
        return yield* this.withRedirs(cmd.redirs, () => this.evalArithFor(cmd));
    }
  }

  private *evalCondCommand(cmd: Extract<CommandNode, { t: "cond" }>): G<number> {
    this.currentLine = cmd.line;
    yield* this.task.tick();
    yield* this.runTraps();
    return yield* evalCond(this, cmd.expr);
  }

  /** bash's `(( expr ))` and the parts of `for (( ; ; ))`: the value, or undefined after an error (printed). */
  private *arithValue(w: Word, empty: number): G<number | undefined> {
    const text = yield* this.expandString(w);
    if (text.trim() === "") return empty;
    const v = evalArith(text, this, true);
    if (typeof v === "string") {
      this.error(`((: ${v}`);
      return undefined;
    }
    return v;
  }

  private *evalArithCommand(cmd: Extract<CommandNode, { t: "arithcmd" }>): G<number> {
    this.currentLine = cmd.line;
    yield* this.task.tick();
    yield* this.runTraps();
    const v = yield* this.arithValue(cmd.expr, 0);
    return v === undefined || v === 0 ? 1 : 0;
  }

  private *evalArithFor(cmd: Extract<CommandNode, { t: "cfor" }>): G<number> {
    this.currentLine = cmd.line;
    let st = 0;
    this.loopDepth++;
    try {
      if ((yield* this.arithValue(cmd.init, 0)) === undefined) return 1;
      for (;;) {
        yield* this.task.tick();
        const c = yield* this.arithValue(cmd.cond, 1);
        if (c === undefined) return 1;
        if (c === 0) break;
        const r = yield* this.loopBody(cmd.body);
        st = this.status;
        if (r === "break") break;
        if ((yield* this.arithValue(cmd.step, 0)) === undefined) return 1;
      }
    } finally {
      this.loopDepth--;
    }
    return st;
  }

  /** bash's `-v name` (`[[ -v a[1] ]]`): whether a variable, or an element, is set. */
  isSetName(ref: string): boolean {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/.exec(ref);
    if (!m) return /^[0-9]+$/.test(ref) ? Number(ref) <= this.positional.length : false;
    const v = this.vars.get(m[1]!);
    if (!v || (v as { unsetButExported?: boolean }).unsetButExported) return false;
    if (m[2] === undefined) return !v.array || v.array.length > 0;
    if (m[2] === "@" || m[2] === "*") return (v.array ?? [v.value]).length > 0;
    const n = evalArith(m[2], this, true);
    if (typeof n === "string") return false;
    const elements = v.array ?? [v.value];
    const i = n < 0 ? n + elements.length : n;
    return i >= 0 && i < elements.length;
  }

  /** bash's `-o name`: whether a `set -o` option is on. */
  optionOn(name: string): boolean {
    switch (name) {
      case "errexit":
        return this.errexit;
      case "nounset":
        return this.nounset;
      case "xtrace":
        return this.xtrace;
      case "pipefail":
        return this.pipefail;
    }
    return false;
  }

  /** Sets an indexed array (bash). */
  setArray(name: string, elements: string[]): void {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.error(`${name}: readonly variable`);
      return;
    }
    this.vars.set(name, { value: elements[0] ?? "", exported: v?.exported ?? false, array: elements });
  }

  private *runSubshell(body: ListNode): G<number> {
    const sub = this.clone();
    try {
      yield* sub.evalList(body);
      return sub.status;
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  private *evalIf(cmd: Extract<CommandNode, { t: "if" }>): G<number> {
    for (const c of cmd.clauses) {
      if ((yield* this.cond(c.cond)) === 0) return yield* this.evalList(c.body);
    }
    if (cmd.elseBody) return yield* this.evalList(cmd.elseBody);
    return 0;
  }

  /** Runs a loop body; returns "break"/"continue" for this level, rethrows outer levels. */
  private *loopBody(body: ListNode): G<"break" | "continue" | undefined> {
    try {
      yield* this.evalList(body);
      return undefined;
    } catch (e) {
      if (e instanceof BreakSignal) {
        if (e.levels > 1) {
          e.levels--;
          throw e;
        }
        return "break";
      }
      if (e instanceof ContinueSignal) {
        if (e.levels > 1) {
          e.levels--;
          throw e;
        }
        return "continue";
      }
      throw e;
    }
  }

  private *evalLoop(cmd: Extract<CommandNode, { t: "loop" }>): G<number> {
    let st = 0;
    this.loopDepth++;
    try {
      const plan = this.env.compileLoops ? compileLoop(cmd, parseSleep) : undefined;
      if (plan && this.loopApplies(plan)) {
        // Runs on the task's timers until handed back at an iteration boundary (compiled.ts).
        yield { k: "loop", driver: new LoopDriver(plan, this) };
        st = this.status;
      }
      for (;;) {
        yield* this.task.tick();
        const c = yield* this.cond(cmd.cond);
        if ((c === 0) === cmd.until) break;
        const r = yield* this.loopBody(cmd.body);
        st = this.status;
        if (r === "break") break;
      }
    } finally {
      this.loopDepth--;
    }
    this.status = st;
    return st;
  }

  /** Whether a compiled loop means here exactly what interpreting it would (compiled.ts). */
  private loopApplies(plan: LoopPlan): boolean {
    if (this.traps.size || this.task.pendingSignals.length || this.xtrace || !IO_OUTS.has(this.stdout)) return false;
    if (this.task.stepsLeft() < plan.body.length + 2) return false;
    for (const n of ["echo", "sleep", "true", ":"]) if (this.funcs.has(n)) return false;
    if (plan.body.some((s) => s.t === "sleep") && this.findApplet("sleep") !== APPLETS.sleep) return false;
    return planApplies(plan, this, this.getVar("IFS") ?? " \t\n", (name) => !this.vars.get(name)?.readonly);
  }

  // LoopShell (compiled.ts): what a compiled loop does to the shell.
  writeLine(parts: string[], nums: number[], text: string): void {
    // loopApplies made sure stdout is the process's own: its line() writes text as stdout(text) would.
    const out = IO_OUTS.get(this.stdout);
    if (out?.line) out.line(parts, nums, text);
    else this.stdout.write(text);
  }

  countStep(): void {
    this.task.countStep();
  }

  repeatLine(r: RepeatedLine): (() => void) | undefined {
    return IO_OUTS.get(this.stdout)?.repeat?.(r);
  }

  private *evalFor(cmd: Extract<CommandNode, { t: "for" }>): G<number> {
    const items = cmd.words ? yield* this.expandWords(cmd.words) : [...this.positional];
    let st = 0;
    this.loopDepth++;
    try {
      for (const v of items) {
        yield* this.task.tick();
        this.setVar(cmd.name, v);
        const r = yield* this.loopBody(cmd.body);
        st = this.status;
        if (r === "break") break;
      }
    } finally {
      this.loopDepth--;
    }
    return st;
  }

  private *evalCase(cmd: Extract<CommandNode, { t: "case" }>): G<number> {
    const subject = yield* this.expandString(cmd.word);
    for (const item of cmd.items) {
      for (const p of item.patterns) {
        const pat = yield* this.expandPattern(p);
        if (globMatch(pat, subject)) {
          return item.body ? yield* this.evalList(item.body) : 0;
        }
      }
    }
    return 0;
  }

  private *evalPipeline(cmd: Extract<CommandNode, { t: "pipeline" }>): G<number> {
    let st = 0;
    if (cmd.cmds.length === 1) {
      if (cmd.bang) this.condDepth++;
      try {
        st = yield* this.evalCommand(cmd.cmds[0]!);
      } finally {
        if (cmd.bang) this.condDepth--;
      }
    } else {
      // Each element runs in its own task (a forked subshell), connected by pipes.
      const stages: Task[] = [];
      let input = this.stdin;
      for (let i = 0; i < cmd.cmds.length; i++) {
        const last = i === cmd.cmds.length - 1;
        const out = last ? undefined : new Pipe();
        const task = new Task(this.task.clock, this.io, this.env.nextPid());
        const sub = this.clone(task);
        sub.stdin = input;
        if (out) sub.stdout = new PipeOut(out);
        const inPipe = input.pipe;
        this.task.children.push(task);
        stages.push(task);
        task.onEnd(() => {
          out?.closeWriter();
          inPipe?.closeReader();
        });
        const node = cmd.cmds[i]!;
        task.start(
          (function* () {
            try {
              return yield* sub.evalCommand(node);
            } catch (e) {
              if (e instanceof ExitSignal) return e.code;
              throw e;
            }
          })(),
        );
        if (out) input = new Input("", 0, out);
      }
      yield { k: "wait", jobs: stages };
      const codes = stages.map((t) => t.exitCode ?? 0);
      st = codes[codes.length - 1]!;
      if (this.pipefail && st === 0) st = [...codes].reverse().find((c) => c !== 0) ?? 0;
      const kids = this.task.children;
      for (const t of stages) kids.splice(kids.indexOf(t), 1);
    }
    return cmd.bang ? (st === 0 ? 1 : 0) : st;
  }

  // ---- simple commands ---------------------------------------------------------------------

  private *evalSimple(cmd: Extract<CommandNode, { t: "simple" }>): G<number> {
    this.currentLine = cmd.line;
    yield* this.task.tick();
    if (this.stdout instanceof PipeOut && !this.stdout.pipe.writable()) yield { k: "pipe", pipe: this.stdout.pipe, dir: "write" };
    yield* this.runTraps();
    this.cmdSubStatus = undefined;
    const argv = yield* this.expandWords(cmd.words);
    const assigns: Array<[string, string]> = [];
    const arrays = new Map<string, string[]>();
    for (const a of cmd.assigns) {
      if (a.array) {
        // bash: each word expanded, split and globbed as a command's arguments are.
        const elements = yield* this.expandWords(a.array);
        arrays.set(a.name, elements);
        assigns.push([a.name, elements[0] ?? ""]);
      } else assigns.push([a.name, yield* this.expandString(a.value)]);
    }
    if (this.xtrace) {
      const parts = [...assigns.map(([k, v]) => (arrays.has(k) ? `${k}=(${arrays.get(k)!.join(" ")})` : `${k}=${v}`)), ...argv];
      this.stderr.write(`+ ${parts.join(" ")}\n`);
    }
    if (argv.length === 0) {
      const st = this.cmdSubStatus ?? 0; // the last command substitution's status, else 0
      for (const [k, v] of assigns) {
        this.setVar(k, v);
        const elements = arrays.get(k);
        if (elements) this.vars.get(k)!.array = elements;
      }
      return yield* this.withRedirs(cmd.redirs, function* () {
        return st;
      });
    }
    const name = argv[0]!;
    const special = SPECIAL_BUILTINS.has(name);
    // Prefix assignments persist for special builtins; otherwise only the command sees them.
    const saved: Array<[string, Var | undefined]> = [];
    for (const [k, v] of assigns) {
      if (!special) saved.push([k, this.vars.get(k) ? { ...this.vars.get(k)! } : undefined]);
      this.setVar(k, v, { exported: !special && !this.funcs.has(name) });
    }
    try {
      return yield* this.withRedirs(cmd.redirs, () => this.runCommand(argv));
    } finally {
      for (const [k, v] of saved) {
        if (v) this.vars.set(k, v);
        else this.vars.delete(k);
      }
    }
  }

  /** Finds and runs a command: function, builtin, applet, or a file path. */
  *runCommand(argv: string[]): G<number> {
    const name = argv[0]!;
    const fn = this.funcs.get(name);
    if (fn) return yield* this.callFunction(name, fn, argv.slice(1));
    const builtin = BUILTINS[name];
    if (builtin) return yield* builtin(this, argv);
    const applet = this.findApplet(name);
    if (applet) return yield* applet(this, argv);
    const bash = this.env.bash;
    if (name.includes("/")) {
      const st = this.io.fs.stat(this.resolve(name));
      if (!st) {
        this.error(`${name}: ${bash ? "No such file or directory" : "not found"}`);
        return 127;
      }
      if (st.type === "dir" || !(st.mode & 0o111)) {
        this.error(`${name}: ${bash && st.type === "dir" ? "Is a directory" : "Permission denied"}`);
        return 126;
      }
      // An executable file: a shell script run by a new sh (`#!/bin/sh`).
      return yield* runNestedShell(this, ["sh", name, ...argv.slice(1)]);
    }
    this.error(`${name}: ${bash ? "command not found" : "not found"}`);
    return 127;
  }

  /** An applet by name or by its path under /bin, /sbin, /usr/bin, /usr/sbin. */
  findApplet(name: string): CommandFn | undefined {
    const own = this.env.commands;
    if (own) {
      const fn = own[name] ?? (name.includes("/") ? own[name.slice(name.lastIndexOf("/") + 1)] : undefined);
      if (fn && (!name.includes("/") || own[name] || /^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(name))) return fn;
    }
    const base = /^\/(usr\/)?s?bin\/[^/]+$/.test(name) ? name.slice(name.lastIndexOf("/") + 1) : name;
    if (base.includes("/")) return undefined;
    const has = this.env.hasCommand ?? (() => true);
    if (!has(base)) return undefined;
    if (base === "sh" || base === "ash") return runNestedShell;
    return APPLETS[base] ?? (base in BUILTINS ? BUILTINS[base] : undefined);
  }

  *callFunction(name: string, body: CommandNode, args: string[]): G<number> {
    if (this.funcDepth >= MAX_DEPTH) {
      this.error(`${name}: function nesting too deep`);
      throw new ExitSignal(2);
    }
    const savedPos = this.positional;
    this.positional = args;
    this.funcDepth++;
    this.localFrames.push(new Map());
    try {
      return yield* this.evalCommand(body);
    } catch (e) {
      if (e instanceof ReturnSignal) {
        this.status = e.code;
        return e.code;
      }
      throw e;
    } finally {
      this.funcDepth--;
      this.positional = savedPos;
      for (const [k, v] of this.localFrames.pop()!) {
        if (v) this.vars.set(k, v);
        else this.vars.delete(k);
      }
    }
  }

  /** Runs `body` in a command substitution and returns its output without trailing newlines. */
  *captureOutput(body: ListNode): G<string> {
    const sub = this.clone();
    const cap = new Capture();
    sub.stdout = cap;
    let st: number;
    try {
      st = yield* sub.evalList(body);
    } catch (e) {
      if (!(e instanceof ExitSignal)) throw e;
      st = e.code;
    }
    this.cmdSubStatus = st;
    return cap.text.replace(/\n+$/, "");
  }

  // ---- redirections ------------------------------------------------------------------------

  *withRedirs(redirs: Redir[], body: () => G<number>): G<number> {
    if (redirs.length === 0) return yield* body();
    const saved = { stdin: this.stdin, stdout: this.stdout, stderr: this.stderr };
    try {
      for (const r of redirs) {
        const ok = yield* this.applyRedir(r);
        if (!ok) return 1;
      }
      return yield* body();
    } finally {
      this.stdin = saved.stdin;
      this.stdout = saved.stdout;
      this.stderr = saved.stderr;
    }
  }

  private getFd(fd: number): Out | Input | undefined {
    if (fd === 0) return this.stdin;
    if (fd === 1) return this.stdout;
    if (fd === 2) return this.stderr;
    return undefined;
  }

  private setFd(fd: number, v: Out | Input): void {
    if (fd === 0 && v instanceof Input) this.stdin = v;
    else if (fd === 1 && !(v instanceof Input)) this.stdout = v;
    else if (fd === 2 && !(v instanceof Input)) this.stderr = v;
  }

  private *applyRedir(r: Redir): G<boolean> {
    if (r.op === "<<<") {
      // bash's here-string: the word expanded (not split), and a newline
      this.setFd(r.fd, new Input((yield* this.expandString(r.target)) + "\n"));
      return true;
    }
    if (r.op === "<<" || r.op === "<<-") {
      const doc = r.heredoc ?? { body: "", expand: false };
      const text = doc.expand ? yield* this.expandString(parseHeredocBody(doc.body)) : doc.body;
      this.setFd(r.fd, new Input(text));
      return true;
    }
    const target = yield* this.expandString(r.target);
    if (r.op === ">&" || r.op === "<&") {
      if (target === "-") {
        if (r.fd === 0) this.stdin = new Input("");
        else this.setFd(r.fd, NULL_OUT);
        return true;
      }
      if (/^[0-9]+$/.test(target)) {
        const src = this.getFd(Number(target));
        if (src === undefined) {
          this.error(`${target}: Bad file descriptor`);
          return false;
        }
        this.setFd(r.fd, src);
        return true;
      }
      if (r.op === "<&") {
        this.error(`${target}: Bad file descriptor`);
        return false;
      }
    }
    const path = this.resolve(target);
    const fs = this.io.fs;
    if (r.op === "<" || r.op === "<>") {
      if (path === "/dev/null") {
        this.setFd(r.fd, new Input(""));
        return true;
      }
      try {
        this.setFd(r.fd, new Input(fs.readFile(path)));
        return true;
      } catch (e) {
        if (r.op === "<>" && e instanceof VfsError && e.code === "ENOENT") {
          this.setFd(r.fd, new Input(""));
          return true;
        }
        this.error(`can't open ${target}: ${e instanceof VfsError && e.code === "ENOENT" ? "no such file" : vfsErrorText(e)}`);
        return false;
      }
    }
    // > >> >| >&file
    const both = r.op === "&>" || r.op === "&>>";
    if (path === "/dev/null") {
      this.setFd(r.fd, NULL_OUT);
      if (both) this.setFd(2, NULL_OUT);
      return true;
    }
    if (path === "/dev/stdout" || path === "/dev/stderr") {
      const to = path === "/dev/stdout" ? this.stdout : this.stderr;
      this.setFd(r.fd, to);
      if (both) this.setFd(2, to);
      return true;
    }
    try {
      if (r.op === ">>" || r.op === "&>>") {
        if (!fs.stat(path)) fs.writeFile(path, "");
      } else fs.writeFile(path, "");
    } catch (e) {
      this.error(`can't create ${target}: ${e instanceof VfsError && e.code === "ENOENT" ? "nonexistent directory" : vfsErrorText(e)}`);
      return false;
    }
    const out: Out = {
      write: (s) => {
        try {
          fs.writeFile(path, s, { append: true });
        } catch {
          // the file vanished (its directory was removed): writes are lost, as to an unlinked file
        }
      },
    };
    this.setFd(r.fd, out);
    if (r.op === ">&" || r.op === "&>" || r.op === "&>>") this.setFd(2, out);
    return true;
  }

  // ---- expansion ---------------------------------------------------------------------------

  /** Expands words into fields (splitting and globbing). */
  *expandWords(words: Word[]): G<string[]> {
    const out: string[] = [];
    for (const w of words) {
      const fields = yield* this.expandFields(w);
      for (const f of fields) {
        if (f.glob && hasGlobChars(f.pat)) {
          const matches = expandGlob(this.io.fs, this.cwd, f.pat);
          if (matches.length) {
            out.push(...matches);
            continue;
          }
        }
        out.push(f.s);
      }
    }
    return out;
  }

  /** Expands a word to one string, without field splitting or globbing (assignments, redirections). */
  *expandString(w: Word): G<string> {
    let s = "";
    for (const p of w.parts) {
      const pieces = yield* this.expandPart(p, true);
      s += pieces.map((x) => (x === BREAK ? " " : x.text)).join("");
    }
    return s;
  }

  /** Expands a word into a glob pattern: quoted characters are escaped (by `escape`: bash's `=~` escapes a regular expression's). */
  *expandPattern(w: Word, escape: (s: string) => string = escapeGlob): G<string> {
    let s = "";
    for (const p of w.parts) {
      const pieces = yield* this.expandPart(p, true);
      for (const x of pieces) {
        if (x === BREAK) s += " ";
        else s += p.quoted || (p.t === "lit" && x.quoted) ? escape(x.text) : x.text;
      }
    }
    return s;
  }

  private *expandFields(w: Word): G<Field[]> {
    const ifs = this.getVar("IFS") ?? " \t\n";
    const fields: Field[] = [];
    let cur: Field | undefined;
    for (let i = 0; i < w.parts.length; i++) {
      let p = w.parts[i]!;
      if (i === 0 && p.t === "lit" && !p.quoted && (p.v === "~" || p.v.startsWith("~/"))) {
        p = { ...p, v: (this.getVar("HOME") ?? "/root") + p.v.slice(1), quoted: true };
      }
      // fast path: a literal part needs no generator round trip
      const pieces: Piece[] = p.t === "lit" ? [{ text: p.v, quoted: p.quoted, split: false }] : yield* this.expandPart(p, false);
      for (const piece of pieces) {
        if (piece === BREAK) {
          if (cur) fields.push(cur);
          cur = { s: "", pat: "", glob: false };
          continue;
        }
        if (!piece.split) {
          cur ??= { s: "", pat: "", glob: false };
          cur.s += piece.text;
          cur.pat += piece.quoted ? escapeGlob(piece.text) : piece.text;
          if (!piece.quoted) cur.glob = true;
          continue;
        }
        // field splitting on IFS
        for (const ch of piece.text) {
          if (ifs.includes(ch)) {
            if (cur) {
              fields.push(cur);
              cur = undefined;
            } else if (!" \t\n".includes(ch)) fields.push({ s: "", pat: "", glob: false });
          } else {
            cur ??= { s: "", pat: "", glob: false };
            cur.s += ch;
            cur.pat += ch;
            cur.glob = true;
          }
        }
      }
    }
    if (cur) fields.push(cur);
    return fields;
  }

  private *expandPart(p: WordPart, noSplit: boolean): G<Piece[]> {
    switch (p.t) {
      case "lit":
        return [{ text: p.v, quoted: p.quoted, split: false }];
      case "cmdsub": {
        const text = yield* this.captureOutput(p.body);
        return [{ text, quoted: p.quoted, split: !p.quoted && !noSplit }];
      }
      case "arith": {
        const expr = yield* this.expandString(p.expr);
        const v = evalArith(expr, this, this.env.bash);
        if (typeof v === "string") this.expansionError(v);
        return [{ text: String(v), quoted: p.quoted, split: !p.quoted && !noSplit }];
      }
      case "param":
        return yield* this.expandParam(p, noSplit);
    }
  }

  private *expandParam(p: Extract<WordPart, { t: "param" }>, noSplit: boolean): G<Piece[]> {
    const split = !p.quoted && !noSplit;
    if (p.bad !== undefined) this.expansionError(`${p.bad}: bad substitution`, false);
    if (p.index !== undefined) return yield* this.expandElement(p, noSplit);
    if ((p.name === "@" || p.name === "*") && !p.op) return this.listPieces(this.positional, p.name === "@", p.quoted, noSplit);
    const value = this.paramValue(p.name);
    const piece = (text: string): Piece[] => [{ text, quoted: p.quoted, split }];
    switch (p.op) {
      case undefined:
        if (value === undefined && this.nounset) this.unbound(p.name);
        return piece(value ?? "");
      case "len":
        return piece(String((value ?? "").length));
      case "-":
      case ":-": {
        const use = value === undefined || (p.op === ":-" && value === "");
        return use ? piece(yield* this.expandString(p.arg!)) : piece(value);
      }
      case "=":
      case ":=": {
        if (value === undefined || (p.op === ":=" && value === "")) {
          const v = yield* this.expandString(p.arg!);
          if (!isName(p.name)) {
            this.error(`${p.name}: bad variable name`);
            throw new ExitSignal(2);
          }
          this.setVar(p.name, v);
          return piece(v);
        }
        return piece(value);
      }
      case "+":
      case ":+": {
        const set = value !== undefined && (p.op === "+" || value !== "");
        return set ? piece(yield* this.expandString(p.arg!)) : [];
      }
      case "?":
      case ":?": {
        if (value === undefined || (p.op === ":?" && value === "")) {
          const msg = p.arg && p.arg.parts.length ? yield* this.expandString(p.arg) : p.op === "?" ? "parameter not set" : "parameter not set or null";
          this.error(`${p.name}: ${msg}`);
          throw new ExitSignal(2);
        }
        return piece(value);
      }
      case "#":
      case "##":
      case "%":
      case "%%": {
        const v = value ?? "";
        const pat = yield* this.expandPattern(p.arg!);
        return piece(removePattern(v, pat, p.op));
      }
    }
  }

  /**
   * `$@`/`$*` and bash's `${a[@]}`/`${a[*]}` over a list of words: `@` quoted gives a field per word,
   * otherwise the words are joined (quoted `*` with IFS's first character) and split if unquoted.
   */
  private listPieces(words: readonly string[], at: boolean, quoted: boolean, noSplit: boolean): Piece[] {
    if (at && quoted && !noSplit) {
      const out: Piece[] = [];
      words.forEach((w, i) => {
        if (i > 0) out.push(BREAK);
        out.push({ text: w, quoted: true, split: false });
      });
      return out;
    }
    const sep = quoted ? (this.getVar("IFS") ?? " ")[0] ?? "" : " ";
    return [{ text: words.join(sep), quoted, split: !quoted && !noSplit }];
  }

  /**
   * bash's `${a[@]}`, `${a[*]}`, `${#a[@]}`, `${a[i]}`, `${#a[i]}` (a scalar is an array of one
   * element): `@` quoted gives a field per element, `*` quoted joins them with IFS's first character;
   * an index is arithmetic, negative counting from the end, and an element past the end is unset.
   */
  private *expandElement(p: Extract<WordPart, { t: "param" }>, noSplit: boolean): G<Piece[]> {
    const split = !p.quoted && !noSplit;
    const v = this.vars.get(p.name);
    const elements: readonly string[] = v?.array ?? (v ? [v.value] : []);
    if (p.index === "@" || p.index === "*") {
      if (p.op === "len") return [{ text: String(elements.length), quoted: p.quoted, split }];
      if (p.op) {
        this.error(`\${${p.name}[${p.index}]${p.op}…}: bad substitution`);
        throw new ExitSignal(1);
      }
      return this.listPieces(elements, p.index === "@", p.quoted, noSplit);
    }
    const index = p.index as Word;
    const text = yield* this.expandString(index);
    const n = evalArith(text.trim() === "" ? "0" : text, this);
    if (typeof n === "string") {
      this.error(`${text}: ${n}`);
      throw new ExitSignal(1);
    }
    const i = n < 0 ? n + elements.length : n;
    const value = i >= 0 && i < elements.length ? elements[i] : undefined;
    if (p.op === "len") return [{ text: String((value ?? "").length), quoted: p.quoted, split }];
    if (p.op === undefined) {
      if (value === undefined && this.nounset) this.unbound(`${p.name}[${index.raw}]`);
      return [{ text: value ?? "", quoted: p.quoted, split }];
    }
    if ((p.op === ":-" && !value) || (p.op === "-" && value === undefined)) return [{ text: yield* this.expandString(p.arg!), quoted: p.quoted, split }];
    if (p.op === ":-" || p.op === "-") return [{ text: value ?? "", quoted: p.quoted, split }];
    this.error(`\${${p.name}[${index.raw}]${p.op}…}: element operators other than - and :- are not simulated`);
    throw new ExitSignal(1);
  }

  /** `set -u` and an unset parameter: ash's `x: parameter not set` (exit 2), bash's `x: unbound variable` (exit 127). */
  unbound(name: string): never {
    this.error(`${name}: ${this.env.bash ? "unbound variable" : "parameter not set"}`);
    throw new ExitSignal(this.env.bash ? 127 : 2);
  }

  paramValue(name: string): string | undefined {
    switch (name) {
      case "?":
        return String(this.status);
      case "$":
        return String(this.pid);
      case "#":
        return String(this.positional.length);
      case "!":
        return this.lastBgPid === undefined ? "" : String(this.lastBgPid);
      case "-":
        return (this.errexit ? "e" : "") + (this.nounset ? "u" : "") + (this.xtrace ? "x" : "");
      case "RANDOM":
        if (this.vars.has("RANDOM")) return this.getVar(name);
        // ash's $RANDOM: 0..32767, here from a generator seeded by the pid and the simulated time
        if (this.randomState === 0) this.randomState = (this.pid * 2654435761 + this.io.clock.now()) >>> 0 || 1;
        this.randomState = (Math.imul(this.randomState, 1103515245) + 12345) >>> 0;
        return String((this.randomState >>> 16) & 0x7fff);
      case "LINENO":
        return String(this.currentLine);
      case "PPID":
        return this.getVar("PPID") ?? (this.pid === 1 ? "0" : "1");
      case "0":
        return this.env.commandName ?? this.env.arg0;
      case "@":
      case "*":
        return this.positional.join(" ");
    }
    if (/^[0-9]+$/.test(name)) return this.positional[Number(name) - 1];
    return this.getVar(name);
  }

  /** `eval`/`.`: parses and runs text in this shell. */
  *evalText(text: string): G<number> {
    let list: ListNode;
    try {
      list = parseProgram(text, !!this.env.bash);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.error(e.message);
      throw new ExitSignal(2);
    }
    this.status = 0;
    return yield* this.evalList(list);
  }
}

interface Field {
  s: string;
  pat: string;
  glob: boolean;
}

const BREAK = Symbol("field break");
type Piece = { text: string; quoted: boolean; split: boolean } | typeof BREAK;

function escapeGlob(s: string): string {
  return s.replace(/[\\*?[\]]/g, (c) => "\\" + c);
}

function removePattern(v: string, pat: string, op: "#" | "##" | "%" | "%%"): string {
  const re = globToRegExp(pat);
  if (op === "#" || op === "##") {
    const lens = [...Array(v.length + 1).keys()];
    if (op === "##") lens.reverse();
    for (const n of lens) if (re.test(v.slice(0, n))) return v.slice(n);
    return v;
  }
  const starts = [...Array(v.length + 1).keys()];
  if (op === "%") starts.reverse();
  for (const s of starts) if (re.test(v.slice(s))) return v.slice(0, s);
  return v;
}

/**
 * `sh [-eux] [-c script [name args…] | file args… ]`: runs a shell's command line in `shell`
 * (the process's main shell, or a nested `sh` started by a script). Without a script, the
 * commands come from standard input (empty for a container, so `sh` alone exits 0).
 */
export function* runShellMain(shell: Shell, env: ShellEnv, argv: string[]): G<number> {
  const args = argv.slice(1);
  let i = 0;
  let minusC = false;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    const on = a[0] === "-";
    for (const c of a.slice(1)) {
      if (c === "c") minusC = true;
      else if (c === "e") shell.errexit = on;
      else if (c === "u") shell.nounset = on;
      else if (c === "x") shell.xtrace = on;
      else if (!"silvnm".includes(c)) {
        shell.error(`Illegal option ${a[0]}${c}`);
        return 2;
      }
    }
  }
  const rest = args.slice(i);
  if (minusC) {
    env.minusC = true;
    const script = rest[0];
    if (script === undefined) {
      shell.error("-c requires an argument");
      return 2;
    }
    if (rest.length > 1) {
      env.arg0 = rest[1]!;
      env.commandName = rest[1]!;
    }
    shell.positional = rest.slice(2);
    return yield* shell.runSource(script);
  }
  if (rest.length > 0) {
    const file = rest[0]!;
    let src: string;
    try {
      src = shell.io.fs.readFile(shell.resolve(file));
    } catch {
      shell.error(`can't open '${file}': No such file or directory`);
      return 2;
    }
    env.arg0 = file;
    env.commandName = file;
    shell.positional = rest.slice(1);
    return yield* shell.runSource(src.replace(/^#!.*/, ""));
  }
  return yield* shell.runSource(yield* shell.stdin.readAllG());
}

/** A shell started by a script (`sh -c …`, `sh script.sh`): a new process that inherits exported variables. */
export function* runNestedShell(parent: Shell, argv: string[]): G<number> {
  const b = argv[0]!.slice(argv[0]!.lastIndexOf("/") + 1);
  const env: ShellEnv = { ...parent.env, arg0: argv[0]!, commandName: undefined, dashEcho: b === "dash" || (b === "sh" && parent.env.binSh === "dash"), bash: b === "bash" };
  const child = new Shell(env, parent.task, env.nextPid());
  child.vars = new Map([...parent.vars].filter(([, v]) => v.exported).map(([k, v]) => [k, { ...v }]));
  if (!child.vars.has("IFS")) child.vars.set("IFS", { value: " \t\n", exported: false });
  child.cwd = parent.cwd;
  child.subshell = true;
  child.stdin = parent.stdin;
  child.stdout = parent.stdout;
  child.stderr = parent.stderr;
  try {
    const code = yield* runShellMain(child, env, argv);
    return code;
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
}
