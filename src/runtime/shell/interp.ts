/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * The evaluator: walks the syntax tree as a generator (see effects.ts), with ash's expansion
 * order (parameters, command substitution, arithmetic, field splitting, pathname expansion,
 * quote removal), redirections onto the Vfs, functions, traps and background jobs.
 */
import type { ArrayItem, Assignment, CommandNode, ListNode, Redir, Word, WordPart } from "./ast.ts";
import { isName, parseHeredocBody, parsedSource, Parser, parseProgram, ShellSyntaxError } from "./parser.ts";
import { AbortCommand, BreakSignal, ContinueSignal, ExitSignal, ReturnSignal, type G } from "./effects.ts";
import { Task } from "./task.ts";
import { Pipe } from "./pipe.ts";
import { evalArith } from "./arith.ts";
import { evalCond } from "./cond.ts";
import { globMatch, globToRegExp, expandGlob, hasGlobChars } from "./glob.ts";
import { APPLETS, BUILTINS, SPECIAL_BUILTINS } from "./commands.ts";
import { BASH_BUILTINS } from "./bashbuiltins.ts";
import { compileLoop, compileStraight, LoopDriver, planApplies, type LoopPlan } from "./compiled.ts";
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
  /**
   * bash: the elements of an indexed array by index, sparse (`value` is element 0, as `$a` reads it);
   * never mutated in place.
   */
  array?: ReadonlyArray<string | undefined>;
  /** bash: an associative array (`declare -A`); never mutated in place. */
  assoc?: ReadonlyMap<string, string>;
}

/** Indexes of bash's indexed arrays above this are not simulated. */
const MAX_INDEX = 1 << 20;

/** bash's hash_string (hashlib.c, FNV-1): the order of an associative array's keys is its buckets'. */
function bashHash(s: string): number {
  let h = 2166136261;
  for (const b of Buffer.from(s, "utf8")) {
    h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) >>> 0;
    h = (h ^ (b >= 0x80 ? b | 0xffffff00 : b)) >>> 0;
  }
  return h;
}

/** An associative array's keys in bash's order: by bucket of 1024, the newest first within one. */
function assocKeys(m: ReadonlyMap<string, string>): string[] {
  const keys = [...m.keys()].map((k, i) => ({ k, i, b: bashHash(k) & 1023 }));
  keys.sort((x, y) => x.b - y.b || y.i - x.i);
  return keys.map((x) => x.k);
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
  /** The image's /bin is /usr/bin: a program is found at /usr/bin/<name> (commands.ts `commandPath`). */
  usrMerged?: boolean;
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

/**
 * busybox ash's xtrace quoting (ash.c maybe_single_quote): a word with a control character, a space,
 * one of !"#$%&'()*;<=>?`[\\{|}~ or a byte above `z` is single-quoted, a run of `'` as "'" between
 * quoted parts (single_quote: the first part is quoted even when empty); an empty word prints nothing.
 */
export function maybeSingleQuote(w: string): string {
  let plain = true;
  for (let i = 0; i < w.length && plain; i++) {
    const c = w.charCodeAt(i);
    plain = c >= 0x2b && c <= 0x7a && !(c >= 0x3b && c <= 0x3f) && c !== 0x60 && c !== 0x5b && c !== 0x5c;
  }
  if (plain) return w;
  return w
    .split(/('+)/)
    .map((part, i) => (i % 2 ? `"${part}"` : part === "" && i > 0 ? "" : `'${part}'`))
    .join("");
}

/**
 * bash's xtrace quoting (print_cmd.c xtrace_print_word_list): an empty word is `''`, a word with a
 * shell metacharacter (general.c sh_contains_shell_metas: blanks, quotes, `|&;()<>!{}*[?]^$\``, `~`
 * at the start or after `=`/`:`, `#` at the start) is single-quoted, each `'` as `'\''`.
 */
export function bashXtraceQuote(w: string): string {
  if (w === "") return "''";
  let metas = false;
  for (let i = 0; i < w.length && !metas; i++) {
    const c = w[i]!;
    if (" \t\n'\"\\|&;()<>!{}*[?]^$`".includes(c)) metas = true;
    else if (c === "~" && (i === 0 || w[i - 1] === "=" || w[i - 1] === ":")) metas = true;
    else if (c === "#" && i === 0) metas = true;
  }
  if (!metas) return w;
  return `'${w.replace(/'/g, "'\\''")}'`;
}

/** An assignment's value as bash's xtrace prints it (xtrace_print_assignment): nothing for an empty one. */
function assignTraceValue(v: string): string {
  return v === "" ? "" : bashXtraceQuote(v);
}

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
  /** bash: how many command substitutions deep this shell runs (xtrace repeats PS4's `+` once more for each). */
  traceDepth = 1;
  pipefail = false;
  /** bash: `shopt` options set or unset (the others keep bash's defaults). */
  shopts = new Map<string, boolean>();
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
    s.traceDepth = this.traceDepth;
    s.pipefail = this.pipefail;
    s.shopts = new Map(this.shopts);
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
      if (this.env.bash) this.expansionError(`${name}: readonly variable`);
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
    let shared = this.env.shareParses ? parsedSource(this.task.clock, src, !!this.env.bash) : undefined;
    if (shared && this.env.compileLoops && !this.env.bash) {
      // A straight-line program runs on a driver, without the generators (compiled.ts compileStraight).
      const plan = compileStraight(shared, () => shared!.all(), parseSleep);
      // Something other than a syntax error broke the shared parse while the plan read it ahead: this
      // run reads its own parse, meeting it where the interpreter meets it.
      if (shared.broken) shared = undefined;
      else if (plan && this.straightApplies(plan)) {
        const drv = new LoopDriver(plan, this);
        yield { k: "loop", driver: drv };
        this.cmdSubStatus = undefined;
        if (drv.exitCode !== undefined) throw new ExitSignal(drv.exitCode);
        return this.status;
      }
    }
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
    const entries = this.entries(m[1]!);
    if (m[2] === undefined) return entries.some(([k]) => k === "0");
    if (m[2] === "@" || m[2] === "*") return entries.length > 0;
    if (v.assoc) return v.assoc.has(m[2]);
    const n = evalArith(m[2], this, true);
    if (typeof n === "string") return false;
    const i = n < 0 ? n + (v.array?.length ?? 1) : n;
    return entries.some(([k]) => k === String(i));
  }

  /** bash's arithmetic on an element (`$(( a[i] + 1 ))`, `(( m[k]++ ))`). */
  getRef(ref: string): string | undefined {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(ref);
    if (!m) return this.getVar(ref);
    const key = this.refKey(m[1]!, m[2]!);
    if (key === undefined) return undefined;
    const e = this.entries(m[1]!).find(([k]) => k === String(key));
    return e?.[1];
  }

  setRef(ref: string, value: string): void {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(ref);
    if (!m) return this.setVar(ref, value);
    const key = this.refKey(m[1]!, m[2]!);
    if (key !== undefined) this.setElement(m[1]!, key, value);
  }

  private refKey(name: string, sub: string): string | number | undefined {
    const v = this.vars.get(name);
    if (v?.assoc) return sub;
    const n = evalArith(sub.trim() === "" ? "0" : sub, this, true);
    if (typeof n === "string") return undefined;
    return n < 0 ? n + (v?.array?.length ?? 1) : n;
  }

  /** Makes a variable local to the running function (its value restored when the function returns). */
  declareLocal(name: string): void {
    const frame = this.localFrames[this.localFrames.length - 1];
    if (!frame || frame.has(name)) return;
    const v = this.vars.get(name);
    frame.set(name, v ? { ...v } : undefined);
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
  setArray(name: string, elements: ReadonlyArray<string | undefined>): void {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.error(`${name}: readonly variable`);
      return;
    }
    this.vars.set(name, { value: elements[0] ?? "", exported: v?.exported ?? false, array: elements });
  }

  /** Sets an associative array (bash). */
  setAssoc(name: string, m: ReadonlyMap<string, string>): void {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.error(`${name}: readonly variable`);
      return;
    }
    this.vars.set(name, { value: m.get("0") ?? "", exported: v?.exported ?? false, assoc: m });
  }

  /** bash: a variable's elements with their keys in bash's order (a scalar is element 0; unset, none). */
  entries(name: string): Array<[string, string]> {
    const v = this.vars.get(name);
    if (!v || (v as { unsetButExported?: boolean }).unsetButExported) return [];
    if (v.assoc) return assocKeys(v.assoc).map((k) => [k, v.assoc!.get(k)!]);
    if (v.array) {
      const out: Array<[string, string]> = [];
      v.array.forEach((e, i) => {
        if (e !== undefined) out.push([String(i), e]);
      });
      return out;
    }
    return [["0", v.value]];
  }

  /** bash: an element's key: an associative array's expanded text, an indexed array's arithmetic index (undefined: out of range, reported). */
  *elementKey(name: string, index: Word, forSet: boolean): G<string | number | undefined> {
    const text = yield* this.expandString(index);
    if (this.vars.get(name)?.assoc) return text;
    const n = evalArith(text.trim() === "" ? "0" : text, this, true);
    if (typeof n === "string") this.expansionError(n);
    if (n >= 0) {
      if (n > MAX_INDEX) this.expansionError(`${name}[${text}]: indexes above ${MAX_INDEX} are not simulated`);
      return n;
    }
    const v = this.vars.get(name);
    const len = v?.array ? v.array.length : v ? 1 : 0;
    if (n + len >= 0) return n + len;
    this.error(forSet ? `${name}[${text}]: bad array subscript` : `${name}: bad array subscript`);
    return undefined;
  }

  /** bash: `name[key]=value` (`+=` appends to the element). */
  setElement(name: string, key: string | number, value: string, append = false): void {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.error(`${name}: readonly variable`);
      return;
    }
    if (v?.assoc) {
      const m = new Map(v.assoc);
      m.set(String(key), append ? (m.get(String(key)) ?? "") + value : value);
      this.setAssoc(name, m);
      return;
    }
    const arr: Array<string | undefined> = v?.array ? [...v.array] : v && !(v as { unsetButExported?: boolean }).unsetButExported ? [v.value] : [];
    const i = Number(key);
    arr[i] = append ? (arr[i] ?? "") + value : value;
    this.setArray(name, arr);
    if (v?.exported) this.vars.get(name)!.exported = true;
  }

  /** bash: `unset 'name[key]'`. */
  *unsetElement(name: string, index: Word): G<void> {
    const v = this.vars.get(name);
    if (!v) return;
    const key = yield* this.elementKey(name, index, true);
    if (key === undefined) return;
    if (v.assoc) {
      const m = new Map(v.assoc);
      m.delete(String(key));
      this.setAssoc(name, m);
      return;
    }
    const arr: Array<string | undefined> = v.array ? [...v.array] : [v.value];
    delete arr[Number(key)];
    while (arr.length && arr[arr.length - 1] === undefined) arr.length--;
    this.setArray(name, arr);
  }

  /** bash: an assignment with an array, an index or `+=` (`a=(…)`, `a[i]=v`, `s+=v`, `a+=(…)`). */
  *assignBash(a: Assignment): G<void> {
    const v = this.vars.get(a.name);
    if (a.array) {
      yield* this.assignArrayItems(a.name, a.array, !!a.append);
      return;
    }
    const value = yield* this.expandAssignment(a.value);
    if (a.index) {
      const key = yield* this.elementKey(a.name, a.index, true);
      if (key !== undefined) this.setElement(a.name, key, value, a.append);
      return;
    }
    if (a.append && v?.assoc) this.setElement(a.name, "0", value, true);
    else if (a.append && v?.array) this.setElement(a.name, 0, value, true);
    else this.setVar(a.name, a.append ? (v?.value ?? "") + value : value);
  }

  /** bash: `name=(items)` or `name+=(items)`, into an associative array when the name is one. */
  *assignArrayItems(name: string, items: ArrayItem[], append: boolean): G<void> {
    const v = this.vars.get(name);
    if (v?.assoc) {
      const m = new Map(append ? v.assoc : []);
      const loose: string[] = [];
      for (const it of items) {
        if ("key" in it) {
          const k = yield* this.expandString(it.key);
          const val = yield* this.expandString(it.value);
          m.set(k, it.append ? (m.get(k) ?? "") + val : val);
        } else loose.push(...(yield* this.expandWords([it])));
      }
      // bash 5.1+: `m=(k1 v1 k2 v2)` pairs keys and values
      for (let i = 0; i < loose.length; i += 2) m.set(loose[i]!, loose[i + 1] ?? "");
      this.setAssoc(name, m);
      return;
    }
    const arr: Array<string | undefined> = append ? (v?.array ? [...v.array] : v ? [v.value] : []) : [];
    let next = arr.length;
    for (const it of items) {
      if ("key" in it) {
        const text = yield* this.expandString(it.key);
        const n = evalArith(text.trim() === "" ? "0" : text, this, true);
        if (typeof n === "string") this.expansionError(n);
        const i = n < 0 ? n + arr.length : n;
        if (i < 0 || i > MAX_INDEX) {
          this.error(`${name}[${text}]: bad array subscript`);
          continue;
        }
        const val = yield* this.expandString(it.value);
        arr[i] = it.append ? (arr[i] ?? "") + val : val;
        next = i + 1;
      } else for (const w of yield* this.expandWords([it])) arr[next++] = w;
    }
    const exported = v?.exported;
    this.setArray(name, arr);
    if (exported) this.vars.get(name)!.exported = true;
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

  /** Whether a straight-line program's plan means here exactly what interpreting it would (compiled.ts compileStraight). */
  private straightApplies(plan: LoopPlan): boolean {
    if (this.traps.size || this.task.pendingSignals.length || this.xtrace || !IO_OUTS.has(this.stdout)) return false;
    // Its commands before the first sleep run at one instant, and each sleep lets time pass.
    if (this.task.stepsLeft() < plan.body.length) return false;
    for (const n of ["echo", "sleep", "true", ":", "exit"]) if (this.funcs.has(n)) return false;
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
    const argv = cmd.decl ? yield* this.expandDeclWords(cmd.words) : yield* this.expandWords(cmd.words);
    const assigns: Array<[string, string]> = [];
    const arrays = new Map<string, string[]>();
    if (this.env.bash && argv.length === 0) {
      // bash: each assignment in turn (`a=1 b=$a`), arrays and elements included
      for (const a of cmd.assigns) yield* this.assignBash(a);
      if (this.xtrace) this.stderr.write(`${this.tracePrefix()}${cmd.assigns.map((a) => a.name + (a.append ? "+=" : "=") + (a.array ? "(…)" : assignTraceValue(this.getVar(a.name) ?? ""))).join(" ")}\n`);
      const st = this.cmdSubStatus ?? 0;
      return yield* this.withRedirs(cmd.redirs, function* () {
        return st;
      });
    }
    for (const a of cmd.assigns) {
      if (a.array) {
        // bash: each word expanded, split and globbed as a command's arguments are.
        const elements = yield* this.expandWords(a.array.filter((x): x is Word => !("key" in x)));
        arrays.set(a.name, elements);
        assigns.push([a.name, elements[0] ?? ""]);
      } else assigns.push([a.name, yield* this.expandAssignment(a.value)]);
    }
    if (this.xtrace) {
      // busybox ash quotes what needs it (ash.c maybe_single_quote), bash too (bashXtraceQuote); dash does not
      const q = this.env.bash ? bashXtraceQuote : this.env.dashEcho ? (w: string) => w : maybeSingleQuote;
      const qa = this.env.bash ? assignTraceValue : q;
      const parts = [...assigns.map(([k, v]) => (arrays.has(k) ? `${k}=(${arrays.get(k)!.join(" ")})` : `${k}=${qa(v)}`)), ...argv.map(q)];
      this.stderr.write(`${this.tracePrefix()}${parts.join(" ")}\n`);
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
    const builtin = (this.env.bash ? BASH_BUILTINS[name] : undefined) ?? BUILTINS[name];
    if (builtin) return yield* builtin(this, argv);
    const applet = this.findApplet(name);
    if (applet) return yield* applet(this, argv);
    const bash = this.env.bash;
    if (name.includes("/")) {
      const st = this.io.fs.stat(this.resolve(name));
      if (!st) {
        this.commandError(`${name}: ${bash ? "No such file or directory" : "not found"}`);
        return 127;
      }
      if (st.type === "dir" || !(st.mode & 0o111)) {
        this.commandError(`${name}: ${bash && st.type === "dir" ? "Is a directory" : "Permission denied"}`);
        return 126;
      }
      // An executable file: a shell script run by a new sh (`#!/bin/sh`).
      return yield* runNestedShell(this, ["sh", name, ...argv.slice(1)]);
    }
    this.commandError(`${name}: ${bash ? "command not found" : "not found"}`);
    return 127;
  }

  /**
   * A command that cannot run: bash's `bash: line 1: curl: command not found`, busybox ash's
   * `sh: curl: not found`, dash's `sh: 1: curl: not found` (dash's error.c prefixes the line number).
   */
  private commandError(msg: string): void {
    if (this.env.dashEcho && !this.env.bash) this.stderr.write(`${this.env.arg0}: ${this.currentLine}: ${msg}\n`);
    else this.error(msg);
  }

  /** An applet by name or by its path under /bin, /sbin, /usr/bin, /usr/sbin. */
  findApplet(name: string): CommandFn | undefined {
    const own = this.env.commands;
    if (own) {
      const fn = own[name] ?? (name.includes("/") ? own[name.slice(name.lastIndexOf("/") + 1)] : undefined);
      // A command of a package (`installedAt`: apt-get install put its file there) exists only once installed.
      const at = (fn as { installedAt?: string } | undefined)?.installedAt;
      if (fn && (!name.includes("/") || own[name] || /^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(name)) && (at === undefined || this.io.fs.stat(at)?.type === "file")) return fn;
    }
    const base = /^\/(usr\/)?s?bin\/[^/]+$/.test(name) ? name.slice(name.lastIndexOf("/") + 1) : name;
    if (base.includes("/")) return undefined;
    const has = this.env.hasCommand ?? (() => true);
    if (!has(base)) return undefined;
    if (base === "sh" || base === "ash") return runNestedShell;
    // An image whose programs are known (hasCommand) and include bash or dash: the shell runs them too.
    if ((base === "bash" || base === "dash") && this.env.hasCommand) return runNestedShell;
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
  /** What xtrace writes before a command: PS4's `+ `, its `+` repeated per command substitution in bash. */
  tracePrefix(): string {
    return this.env.bash ? `${"+".repeat(this.traceDepth)} ` : "+ ";
  }

  *captureOutput(body: ListNode): G<string> {
    // bash's `$(< file)`: the file's contents, as `$(cat file)` without running cat.
    const only = body.items.length === 1 && !body.items[0]!.background ? body.items[0]!.cmd : undefined;
    if (this.env.bash && only?.t === "simple" && only.words.length === 0 && only.assigns.length === 0 && only.redirs.length === 1 && only.redirs[0]!.op === "<" && only.redirs[0]!.fd === 0) {
      const name = yield* this.expandString(only.redirs[0]!.target);
      const path = this.resolve(name);
      const st = this.io.fs.stat(path);
      if (!st || st.type !== "file") {
        this.error(`${name}: ${st ? "Is a directory" : "No such file or directory"}`);
        this.cmdSubStatus = 1;
        return "";
      }
      this.cmdSubStatus = 0;
      return this.io.fs.readFile(path).replace(/\n+$/, "");
    }
    const sub = this.clone();
    if (this.env.bash) sub.traceDepth = this.traceDepth + 1;
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

  /** bash's declaration commands: a `name=value` argument is one field, neither split nor globbed. */
  private *expandDeclWords(words: Word[]): G<string[]> {
    const out: string[] = [];
    for (const w of words) {
      const first = w.parts[0];
      if (first?.t === "lit" && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(first.v) && !first.quoted) out.push(yield* this.expandString(this.tildeWord(w, false)));
      else out.push(...(yield* this.expandWords([w])));
    }
    return out;
  }

  /** Expands words into fields (splitting and globbing). */
  *expandWords(words: Word[]): G<string[]> {
    const out: string[] = [];
    for (const w of words) {
      const fields = yield* this.expandFields(w);
      for (const f of fields) {
        if (f.glob && hasGlobChars(f.pat)) {
          const matches = expandGlob(this.io.fs, this.cwd, f.pat, this.env.bash && this.shopts.get("dotglob"));
          if (matches.length) {
            out.push(...matches);
            continue;
          }
          if (this.env.bash && this.shopts.get("nullglob")) continue;
        }
        out.push(f.s);
      }
    }
    return out;
  }

  /**
   * An assignment's value: expandString after its tilde-prefixes, at the start and after each
   * unquoted `:` (POSIX 2.6.1: `NAME=~/x` is $HOME/x, `PATH=~/bin:~/sbin` both).
   */
  *expandAssignment(w: Word): G<string> {
    return yield* this.expandString(this.tildeWord(w, true));
  }

  /**
   * A word after tilde expansion (bash subst.c, POSIX 2.6.1): a tilde-prefix at the word's start;
   * in an assignment's value (`assignment`) also one after each unquoted `:`. bash (not in POSIX
   * mode) treats an argument that looks like an assignment (`name=~/x`, as `export D=~/d` has)
   * the same way after its first `=`. The homes are quoted text (neither split nor globbed).
   */
  tildeWord(w: Word, assignment: boolean): Word {
    const p = w.parts[0];
    if (!p || p.t !== "lit" || p.quoted) return w;
    let parts: WordPart[] | undefined;
    if (assignment) parts = this.tildeParts(p, true, true);
    else if (this.env.bash && /^[A-Za-z_][A-Za-z0-9_]*=/.test(p.v)) {
      const eq = p.v.indexOf("=") + 1;
      parts = [{ ...p, v: p.v.slice(0, eq) }, ...this.tildeParts({ ...p, v: p.v.slice(eq) }, true, true)].filter((x) => x.t !== "lit" || x.v !== "");
      assignment = true;
    } else if (p.v.startsWith("~")) parts = this.tildeParts(p, true, false);
    if (!parts) return w;
    let changed = parts.length !== 1 || parts[0] !== p;
    for (const q of w.parts.slice(1)) {
      const more = assignment && q.t === "lit" && !q.quoted ? this.tildeParts(q, false, true) : [q];
      if (more.length !== 1 || more[0] !== q) changed = true;
      parts.push(...more);
    }
    return changed ? { ...w, parts } : w;
  }

  /** An unquoted literal split at its tilde-prefixes (at its start; after each `:`), each home a quoted part. */
  private tildeParts(p: Extract<WordPart, { t: "lit" }>, atStart: boolean, afterColons: boolean): WordPart[] {
    const v = p.v;
    const starts: number[] = [];
    if (atStart && v.startsWith("~")) starts.push(0);
    if (afterColons) for (let k = v.indexOf(":~"); k >= 0; k = v.indexOf(":~", k + 1)) starts.push(k + 1);
    if (starts.length === 0) return [p];
    const out: WordPart[] = [];
    let done = 0;
    for (const at of starts) {
      let end = at + 1;
      while (end < v.length && v[end] !== "/" && !(afterColons && v[end] === ":")) end++;
      const home = this.tildeHome(v.slice(at + 1, end));
      if (home === undefined) continue;
      if (at > done) out.push({ ...p, v: v.slice(done, at) });
      out.push({ t: "lit", v: home, quoted: true });
      done = end;
    }
    if (out.length === 0) return [p];
    if (done < v.length) out.push({ ...p, v: v.slice(done) });
    return out;
  }

  /**
   * What a tilde-prefix names (bash's tilde.c): `~` $HOME, `~+` $PWD, `~-` $OLDPWD, `~user` the
   * user's home in /etc/passwd; undefined (the text stays) for an unknown user or an unset OLDPWD.
   */
  private tildeHome(name: string): string | undefined {
    if (name === "") return this.getVar("HOME") ?? "/root";
    if (name === "+") return this.getVar("PWD") ?? this.cwd;
    if (name === "-") return this.getVar("OLDPWD");
    if (!/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(name)) return undefined;
    let passwd = "";
    try {
      passwd = this.io.fs.readFile("/etc/passwd");
    } catch {
      return undefined;
    }
    for (const line of passwd.split("\n")) {
      const f = line.split(":");
      if (f[0] === name && f.length >= 6) return f[5];
    }
    return undefined;
  }

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
    const first = w.parts[0];
    const parts = first && first.t === "lit" && !first.quoted && (first.v.startsWith("~") || (this.env.bash && first.v.includes("="))) ? this.tildeWord(w, false).parts : w.parts;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
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
    if (p.bad !== undefined) this.expansionError(`${p.bad}: bad substitution`, false);
    if (p.index !== undefined || p.bang || p.op === "names") return yield* this.expandBashParam(p, noSplit);
    if (p.name === "@" || p.name === "*") {
      if (!p.op) return this.listPieces(this.positional, p.name === "@", p.quoted, noSplit);
      if (p.op === "substr") return yield* this.expandList(p, [this.paramValue("0")!, ...this.positional], noSplit, true);
    }
    return yield* this.applyOp(p, this.paramValue(p.name), p.name, noSplit);
  }

  /** A parameter's operator (`${x:-w}`, `${x#p}`, bash's `${x/p/r}` …) applied to its value. */
  private *applyOp(p: Extract<WordPart, { t: "param" }>, value: string | undefined, label: string, noSplit: boolean, assign?: (v: string) => void): G<Piece[]> {
    const split = !p.quoted && !noSplit;
    const piece = (text: string): Piece[] => [{ text, quoted: p.quoted, split }];
    switch (p.op) {
      case undefined:
        if (value === undefined && this.nounset) this.unbound(label);
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
          if (assign) assign(v);
          else if (!isName(p.name)) {
            this.error(`${p.name}: bad variable name`);
            throw new ExitSignal(2);
          } else this.setVar(p.name, v);
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
          const msg = p.arg && p.arg.parts.length ? yield* this.expandString(p.arg) : this.env.bash ? (p.op === "?" ? "parameter not set" : "parameter null or not set") : p.op === "?" ? "parameter not set" : "parameter not set or null";
          this.error(`${label}: ${msg}`);
          throw new ExitSignal(this.env.bash ? 127 : 2);
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
      case "/":
      case "//":
      case "/#":
      case "/%":
      case "^":
      case "^^":
      case ",":
      case ",,":
      case "substr":
        if (value === undefined && this.nounset) this.unbound(label);
        return piece(yield* this.transform(p, value ?? ""));
      case "names":
        return piece("");
    }
  }

  /** bash's operators that rewrite a value: replacement, case modification, substring. */
  private *transform(p: Extract<WordPart, { t: "param" }>, v: string): G<string> {
    switch (p.op) {
      case "substr": {
        const [off, len] = yield* this.substrBounds(p, v.length);
        return off === undefined ? "" : v.slice(off, len === undefined ? undefined : off + len);
      }
      case "^":
      case "^^":
      case ",":
      case ",,": {
        const pat = p.arg && p.arg.parts.length ? yield* this.expandPattern(p.arg) : "?";
        const re = globToRegExp(pat);
        const up = p.op[0] === "^";
        const all = p.op.length === 2;
        let out = "";
        for (let i = 0; i < v.length; i++) {
          const c = v[i]!;
          out += (all || i === 0) && re.test(c) ? (up ? c.toUpperCase() : c.toLowerCase()) : c;
        }
        return out;
      }
      default: {
        const pat = yield* this.expandPattern(p.arg!);
        const rep = p.arg2 ? yield* this.expandPattern(p.arg2, (s) => s.replace(/[\\&]/g, "\\$&")) : "";
        return replacePattern(v, pat, rep, p.op as "/" | "//" | "/#" | "/%");
      }
    }
  }

  /** `${v:offset:length}`'s offset and length over `n` characters or elements (offset undefined: nothing). */
  private *substrBounds(p: Extract<WordPart, { t: "param" }>, n: number): G<[number | undefined, number | undefined]> {
    const num = (text: string): number => {
      const r = evalArith(text.trim() === "" ? "0" : text, this, true);
      if (typeof r === "string") this.expansionError(r);
      return r;
    };
    let off = num(yield* this.expandString(p.arg!));
    if (off < 0) off += n;
    if (off < 0 || off > n) return [undefined, undefined];
    if (!p.arg2) return [off, undefined];
    const lenText = yield* this.expandString(p.arg2);
    let len = num(lenText);
    if (len < 0) {
      len = n + len - off;
      if (len < 0) this.expansionError(`${lenText.trim()}: substring expression < 0`);
    }
    return [off, len];
  }

  /**
   * bash's `${a[@]…}`, `${a[i]…}`, `${!name}`, `${!a[@]}`, `${!prefix*}`: an array's elements (a
   * scalar is one of one element), in index order (an associative array's in bash's order).
   */
  private *expandBashParam(p: Extract<WordPart, { t: "param" }>, noSplit: boolean): G<Piece[]> {
    if (p.op === "names") {
      const names = [...this.vars.keys()].filter((k) => k.startsWith(p.name) && !(this.vars.get(k) as { unsetButExported?: boolean }).unsetButExported).sort();
      return this.listPieces(names, p.arg?.raw === "@", p.quoted, noSplit);
    }
    if (p.index === "@" || p.index === "*") {
      const entries = this.entries(p.name);
      if (p.bang) return this.listPieces(entries.map(([k]) => k), p.index === "@", p.quoted, noSplit);
      return yield* this.expandList(p, entries.map(([, v]) => v), noSplit, false);
    }
    if (p.bang) {
      // ${!name}: the value of the parameter name holds (`x`, `a[2]`, `1`)
      const ref = p.index ? yield* this.elementValue(p.name, p.index) : this.paramValue(p.name);
      if (ref === undefined || ref === "") {
        if (this.nounset) this.unbound(p.name);
        this.expansionError(`${p.name}: invalid indirect expansion`);
      }
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(ref);
      if (m) {
        const index = { parts: [{ t: "lit" as const, v: m[2]!, quoted: true }], raw: m[2]! };
        if (m[2] === "@" || m[2] === "*") return yield* this.expandList(p, this.entries(m[1]!).map(([, v]) => v), noSplit, false);
        return yield* this.applyOp(p, yield* this.elementValue(m[1]!, index), ref, noSplit);
      }
      if (!isName(ref) && !/^([0-9]+|[?$#!@*-])$/.test(ref)) this.expansionError(`${ref}: invalid variable name`);
      if (ref === "@" || ref === "*") return yield* this.expandList(p, this.positional, noSplit, false);
      return yield* this.applyOp(p, this.paramValue(ref), ref, noSplit);
    }
    const index = p.index as Word;
    const value = yield* this.elementValue(p.name, index);
    const name = p.name;
    return yield* this.applyOp(p, value, `${p.name}[${index.raw}]`, noSplit, (v) => {
      const key = this.vars.get(name)?.assoc ? index.raw : Number(evalArith(index.raw, this, true));
      this.setElement(name, key, v);
    });
  }

  /** An element's value (undefined when unset). */
  private *elementValue(name: string, index: Word): G<string | undefined> {
    const key = yield* this.elementKey(name, index, false);
    if (key === undefined) return undefined;
    const v = this.vars.get(name);
    if (!v || (v as { unsetButExported?: boolean }).unsetButExported) return undefined;
    if (v.assoc) return v.assoc.get(String(key));
    if (v.array) return v.array[Number(key)];
    return key === 0 ? v.value : undefined;
  }

  /** An operator over a list (`${a[@]#x}`, `${a[@]:1:2}`, `${@:2}`): slices it, or applies to each element. */
  private *expandList(p: Extract<WordPart, { t: "param" }>, elements: string[], noSplit: boolean, positional: boolean): G<Piece[]> {
    const at = p.index === "@" || p.name === "@" || (p.bang === true && p.index === undefined);
    const split = !p.quoted && !noSplit;
    switch (p.op) {
      case undefined:
        return this.listPieces(elements, at, p.quoted, noSplit);
      case "len":
        return [{ text: String(elements.length), quoted: p.quoted, split }];
      case "substr": {
        // ${@:o:l} counts $0 as 0 (and a negative offset from the end of the positional parameters)
        const list = positional ? elements : elements;
        const [off, len] = yield* this.substrBounds(p, list.length);
        if (off === undefined) return this.listPieces([], at, p.quoted, noSplit);
        return this.listPieces(list.slice(off, len === undefined ? undefined : off + len), at, p.quoted, noSplit);
      }
      case "#":
      case "##":
      case "%":
      case "%%": {
        const pat = yield* this.expandPattern(p.arg!);
        return this.listPieces(
          elements.map((e) => removePattern(e, pat, p.op as "#")),
          at,
          p.quoted,
          noSplit,
        );
      }
      case "/":
      case "//":
      case "/#":
      case "/%":
      case "^":
      case "^^":
      case ",":
      case ",,": {
        const out: string[] = [];
        for (const e of elements) out.push(yield* this.transform(p, e));
        return this.listPieces(out, at, p.quoted, noSplit);
      }
      default: {
        // ${a[@]:-w} …: the list as one value ("set" when it has elements)
        const joined = elements.length ? elements.join(" ") : undefined;
        const isNull = joined === undefined || (elements.length === 1 && elements[0] === "");
        if (p.op === "-" || p.op === ":-") return joined === undefined || (p.op === ":-" && isNull) ? [{ text: yield* this.expandString(p.arg!), quoted: p.quoted, split }] : this.listPieces(elements, at, p.quoted, noSplit);
        if (p.op === "+" || p.op === ":+") return joined === undefined || (p.op === ":+" && isNull) ? [] : [{ text: yield* this.expandString(p.arg!), quoted: p.quoted, split }];
        return yield* this.applyOp(p, joined, p.name, noSplit);
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

  /** `set -u` and an unset parameter: ash's `x: parameter not set` (exit 2), bash's `x: unbound variable` (exit 127). */
  unbound(name: string): never {
    this.error(`${name}: ${this.env.bash ? "unbound variable" : "parameter not set"}`);
    // bash exits 127, or 1 under set -e
    throw new ExitSignal(this.env.bash ? (this.errexit ? 1 : 127) : 2);
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

/**
 * bash's `${v/p/r}` (first), `//` (every), `/#` (at the start), `/%` (at the end): the longest match of
 * the pattern at the leftmost place; in the replacement an unquoted `&` is the matched text (bash 5.2's
 * patsub_replacement), `\x` the character x.
 */
function replacePattern(v: string, pat: string, rep: string, op: "/" | "//" | "/#" | "/%"): string {
  const re = globToRegExp(pat);
  const sub = (m: string) => rep.replace(/\\([\s\S])|&/g, (_x, c: string | undefined) => (c !== undefined ? c : m));
  if (op === "/#") {
    for (let n = v.length; n >= 0; n--) if (re.test(v.slice(0, n))) return sub(v.slice(0, n)) + v.slice(n);
    return v;
  }
  if (op === "/%") {
    for (let i = 0; i <= v.length; i++) if (re.test(v.slice(i))) return v.slice(0, i) + sub(v.slice(i));
    return v;
  }
  if (pat === "") return v;
  let out = "";
  let i = 0;
  while (i < v.length) {
    let end = -1;
    for (let e = v.length; e > i; e--) {
      if (re.test(v.slice(i, e))) {
        end = e;
        break;
      }
    }
    if (end < 0) {
      out += v[i];
      i++;
      continue;
    }
    out += sub(v.slice(i, end));
    i = end;
    if (op === "/") return out + v.slice(i);
  }
  return out;
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
