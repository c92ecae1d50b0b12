/**
 * Pure loops without the interpreter (issue #19, "shell loops"). A container such as
 * `n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done` spends its life in one loop whose
 * body only prints, counts and sleeps. Interpreting that body walks ~18 nested generators and the
 * whole expansion machinery at every iteration, for an outcome that is a pure function of the
 * loop's counters. `compileLoop` recognises such a loop once (the plan is kept per syntax node)
 * and `LoopDriver` runs its iterations as plain code, driven by the task's timers (task.ts,
 * effect `loop`).
 *
 * Why it is exact. The driver does, in the same order, every observable thing the interpreter
 * does: the same log writes (same text, through the same `stdout`, at the same instants, so log
 * followers are called at the same moments), the same variable assignments, the same `sleep`
 * timers created at the same point of the same callback (so the clock's order of timers due at
 * the same instant is unchanged), the same `$?` and `LINENO`, and the same per-instant command
 * count the runaway guard keeps. A kill (SIGKILL, SIGTERM to a process that is not PID 1, the pod
 * deleted) clears the pending timer and ends the task exactly as it does while the interpreter
 * sleeps. What is recognised is narrow on purpose:
 *
 * - `while true` / `while :` with no redirections, whose body is simple commands only (no
 *   redirections, pipes, background jobs, prefix assignments): `echo` of literal words and plain
 *   `$var` expansions (first argument a literal not starting with `-`; no glob characters, no
 *   backslashes, no `~`), `NAME=$((NAME+K))` / `NAME=$(($NAME-K))` (a counter), `NAME=literal`,
 *   `true`, `:` and `sleep` of constant positive durations — at least one `sleep`, so every
 *   iteration lets time pass;
 * - and, each time the loop is entered, a shell in a state where these commands mean only that:
 *   no traps and no pending signals, no `set -x`, output not redirected, `echo`/`sleep`/`true`/`:`
 *   not redefined as functions, `sleep` busybox's applet, counters holding canonical decimal
 *   integers, variables echoed unquoted holding text that neither splits on IFS nor globs.
 *
 * Anything else runs in the interpreter as before; the driver also hands the loop back to the
 * interpreter at an iteration boundary when a counter nears 2^52. The reference engine
 * (`ctx.reference`, ProcessIO.reference) never compiles.
 */
import type { ListNode, Word } from "./ast.ts";
import type { RepeatedLine } from "../types.ts";

/** Literal text, or the value of a variable. */
type Piece = string | { v: string };

type Stmt =
  | { t: "echo"; line: number; words: Piece[][] }
  | { t: "sleep"; line: number; ms: number }
  | { t: "true"; line: number }
  | { t: "add"; line: number; name: string; k: number }
  | { t: "set"; line: number; name: string; value: string }
  /** A straight-line program's last command (`exit`, `exit N`): the code, or the status when none is given. */
  | { t: "exit"; line: number; code: number | undefined };

export interface LoopPlan {
  /** Line of the condition's `true`. */
  condLine: number;
  body: Stmt[];
  /** Variables the body assigns (counters and constants). */
  assigned: Set<string>;
  /** Variables the body echoes. */
  read: Set<string>;
  /** Counters: variables the body only changes by `NAME=$((NAME±K))` (or sets to integers). */
  counters: Set<string>;
  /** A straight-line program run once (compileStraight), not a loop. */
  once?: true;
  /** A straight-line program's variables set to a constant before any echo reads them (their values need no check). */
  setFirst?: Set<string>;
}

/** What the driver needs of the shell (interp.ts's Shell; an interface to keep the import one-way). */
export interface LoopShell {
  status: number;
  currentLine: number;
  getVar(name: string): string | undefined;
  setVar(name: string, value: string): void;
  /** Writes a line to stdout: text = parts[0] + nums[0] + parts[1] + … (see LineWriter). */
  writeLine(parts: string[], nums: number[], text: string): void;
  /** Counts one command at the current instant (Task.tick without the spin: guarded at entry). */
  countStep(): void;
  /** The line writer's `repeat` (LineWriter.repeat) for stdout: undefined when refused. */
  repeatLine(r: RepeatedLine): (() => void) | undefined;
}

/**
 * One cycle of a loop whose every iteration does the same thing but for its counters (issue #19:
 * `LoopDriver.periodic`): what a dormant chain stands for.
 */
export interface LoopCycle {
  /** The line each cycle writes (parts and the next cycle's numbers), if it writes one. */
  line?: { parts: string[]; nums: number[]; steps: number[] };
  /** Commands counted per cycle (the runaway guard's count at the instant of a cycle). */
  commands: number;
}

/** A dormant loop must not reach the counters' limit within this much simulated time (~557 years). */
const DORMANT_HORIZON_MS = 2 ** 44;

const plans = new WeakMap<object, LoopPlan | null>();
/** Names with a meaning of their own to the shell: never compiled. */
const SPECIAL_NAMES = new Set(["IFS", "PWD", "OLDPWD", "HOME", "PATH", "RANDOM", "LINENO", "PPID", "OPTIND", "OPTARG", "SECONDS", "PS1", "PS2", "PS4", "ENV", "CDPATH"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CANONICAL_INT = /^(0|-?[1-9][0-9]{0,15})$/;
const LIMIT = 2 ** 52;

function isLit(w: Word, text: string): boolean {
  return w.parts.length === 1 && w.parts[0]!.t === "lit" && !w.parts[0]!.quoted && w.parts[0]!.v === text;
}

/** A word that always expands to exactly one field: literals and `$name`s (values checked when run). */
function planWord(w: Word): Piece[] | undefined {
  const out: Piece[] = [];
  for (let i = 0; i < w.parts.length; i++) {
    const p = w.parts[i]!;
    if (p.t === "lit") {
      if (/[*?[\\]/.test(p.v)) return undefined;
      // A tilde-prefix (at the start; after `=` or `:` in bash's assignment-like words) is the interpreter's.
      if (!p.quoted && p.v.includes("~")) return undefined;
      out.push(p.v);
    } else if (p.t === "param") {
      if (p.op !== undefined || p.index !== undefined || !NAME.test(p.name) || SPECIAL_NAMES.has(p.name)) return undefined;
      out.push({ v: p.name });
    } else return undefined;
  }
  return out.length ? out : undefined;
}

/** `$((NAME+K))`, `$(( NAME - K ))`, `$(($NAME+K))` assigned to NAME: the step, else undefined. */
function planCounter(name: string, w: Word): number | undefined {
  if (w.parts.length !== 1) return undefined;
  const p = w.parts[0]!;
  if (p.t !== "arith") return undefined;
  let text = "";
  for (const e of p.expr.parts) {
    if (e.t === "lit") text += e.v;
    else if (e.t === "param" && e.op === undefined && e.index === undefined && e.name === name) text += e.name;
    else return undefined;
  }
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*([+-])\s*(0|[1-9][0-9]{0,8})\s*$/.exec(text);
  if (!m || m[1] !== name) return undefined;
  return (m[2] === "-" ? -1 : 1) * Number(m[3]);
}

/** The loop's plan when it is one of the recognised pure loops (see the module comment). */
export function compileLoop(cmd: { t: "loop"; until: boolean; cond: ListNode; body: ListNode; redirs: unknown[] }, parseSleep: (args: string[]) => number | string): LoopPlan | undefined {
  const known = plans.get(cmd);
  if (known !== undefined) return known ?? undefined;
  const plan = build(cmd, parseSleep);
  plans.set(cmd, plan ?? null);
  return plan;
}

function build(cmd: { until: boolean; cond: ListNode; body: ListNode; redirs: unknown[] }, parseSleep: (args: string[]) => number | string): LoopPlan | undefined {
  if (cmd.until || cmd.redirs.length) return undefined;
  const c = cmd.cond.items;
  if (c.length !== 1 || c[0]!.background) return undefined;
  const cc = c[0]!.cmd;
  if (cc.t !== "simple" || cc.assigns.length || cc.redirs.length || cc.words.length !== 1) return undefined;
  if (!isLit(cc.words[0]!, "true") && !isLit(cc.words[0]!, ":")) return undefined;
  if (cmd.body.items.length === 0 || cmd.body.items.length > 32) return undefined;
  const b = planBody(cmd.body.items, parseSleep, false);
  if (!b || !b.body.some((s) => s.t === "sleep")) return undefined;
  const { body, setValues } = b;
  // A counter also set to a constant must stay a canonical integer.
  for (const st of body) if (st.t === "add" && (setValues.get(st.name) ?? []).some((v) => !CANONICAL_INT.test(v))) return undefined;
  const counters = new Set<string>();
  for (const st of body) if (st.t === "add") counters.add(st.name);
  return { condLine: cc.line, body, assigned: b.assigned, read: b.read, counters };
}

/**
 * The statements of a loop body, or of a straight-line program (`straight`: no counters, and an
 * `exit` allowed as the very last command); undefined when some command is not one of them.
 */
function planBody(items: ListNode["items"], parseSleep: (args: string[]) => number | string, straight: boolean) {
  const body: Stmt[] = [];
  const assigned = new Set<string>();
  const read = new Set<string>();
  const setValues = new Map<string, string[]>();
  for (let n = 0; n < items.length; n++) {
    const item = items[n]!;
    const s = item.cmd;
    if (item.background || s.t !== "simple" || s.redirs.length) return undefined;
    if (s.words.length === 0) {
      if (s.assigns.length !== 1) return undefined;
      const { name, value, array, index, append } = s.assigns[0]!;
      if (SPECIAL_NAMES.has(name) || array || index || append) return undefined;
      const k = straight ? undefined : planCounter(name, value);
      if (k !== undefined) body.push({ t: "add", line: s.line, name, k });
      else if (value.parts.every((p) => p.t === "lit")) {
        // Constants: no tilde (expanded in assignments, also after `:`); a straight program's, no backslash.
        if (value.parts.some((p) => p.t === "lit" && !p.quoted && p.v.includes("~"))) return undefined;
        if (straight && value.parts.some((p) => p.t === "lit" && /[~\\]/.test(p.v))) return undefined;
        const text = value.parts.map((p) => (p.t === "lit" ? p.v : "")).join("");
        body.push({ t: "set", line: s.line, name, value: text });
        setValues.set(name, [...(setValues.get(name) ?? []), text]);
      } else return undefined;
      assigned.add(name);
      continue;
    }
    if (s.assigns.length) return undefined;
    const w0 = s.words[0]!;
    if (isLit(w0, "echo")) {
      const words: Piece[][] = [];
      for (const w of s.words.slice(1)) {
        const pw = planWord(w);
        if (!pw) return undefined;
        words.push(pw);
      }
      const first = words[0]?.[0];
      if (first !== undefined && (typeof first !== "string" || first === "" || first.startsWith("-"))) return undefined;
      for (const w of words) for (const p of w) if (typeof p !== "string") read.add(p.v);
      body.push({ t: "echo", line: s.line, words });
    } else if (isLit(w0, "sleep")) {
      const args: string[] = [];
      for (const w of s.words.slice(1)) {
        if (w.parts.length !== 1 || w.parts[0]!.t !== "lit") return undefined;
        args.push(w.parts[0]!.v);
      }
      const ms = args.length ? parseSleep(args) : "";
      if (typeof ms !== "number" || !(ms > 0) || !Number.isFinite(ms)) return undefined;
      body.push({ t: "sleep", line: s.line, ms });
    } else if ((isLit(w0, "true") || isLit(w0, ":")) && s.words.length === 1) {
      body.push({ t: "true", line: s.line });
    } else if (straight && isLit(w0, "exit") && n === items.length - 1 && s.words.length <= 2) {
      const a = s.words[1];
      if (a && (a.parts.length !== 1 || a.parts[0]!.t !== "lit" || !/^[0-9]{1,9}$/.test(a.parts[0]!.v))) return undefined;
      body.push({ t: "exit", line: s.line, code: a ? Number((a.parts[0] as { v: string }).v) & 255 : undefined });
    } else return undefined;
  }
  return { body, assigned, read, setValues };
}

const straightPlans = new WeakMap<object, LoopPlan | null>();
/** A straight program has no counters (never changed: the driver only reads it). */
const NO_COUNTERS: Set<string> = new Set();

/**
 * A straight-line program (issue #19 §1, "a crash script's commands without the generator
 * machinery"): `echo start; sleep 15; echo crash; exit 1`, one or more command lists of the
 * statements a compiled loop knows (`echo` of literal words and plain `$var`s, `sleep` of a
 * constant positive duration, `true`, `:`, `NAME=literal`) and, last, `exit` or `exit N` — run once
 * by a LoopDriver, on the task's timers, with the same writes, timers, `$?`, `LINENO` and command
 * counts as the interpreter's. `key` is the program's shared parse (parser.ts ParsedSource), which
 * the plan is kept by; `lists` gives the program's command lists (it throws on a syntax error, or
 * anything else: then there is no plan, and the interpreter meets the error where it meets it).
 */
export function compileStraight(key: object, lists: () => ListNode[], parseSleep: (args: string[]) => number | string): LoopPlan | undefined {
  const known = straightPlans.get(key);
  if (known !== undefined) return known ?? undefined;
  let plan: LoopPlan | undefined;
  try {
    const items = lists().flatMap((l) => l.items);
    const b = items.length > 0 && items.length <= 64 ? planBody(items, parseSleep, true) : undefined;
    if (b) {
      const setFirst = new Set<string>();
      const echoed = new Set<string>();
      for (const st of b.body) {
        if (st.t === "set" && !echoed.has(st.name)) setFirst.add(st.name);
        else if (st.t === "echo") for (const w of st.words) for (const p of w) if (typeof p !== "string") echoed.add(p.v);
      }
      plan = { condLine: 0, body: b.body, assigned: b.assigned, read: b.read, counters: NO_COUNTERS, once: true, setFirst };
    }
  } catch {
    plan = undefined;
  }
  straightPlans.set(key, plan ?? null);
  return plan;
}

/**
 * Whether the shell's state lets the plan mean exactly what the interpreter would do (checked at
 * every entry into the loop; nothing in a compiled body can change what is checked).
 */
export function planApplies(plan: LoopPlan, sh: LoopShell, ifs: string, counters: (name: string) => boolean): boolean {
  for (const name of plan.assigned) if (!counters(name)) return false;
  for (const s of plan.body) {
    if (s.t === "add") {
      const v = sh.getVar(s.name);
      if (v === undefined || !CANONICAL_INT.test(v)) return false;
    }
  }
  if (/[0-9-]/.test(ifs)) return false;
  for (const name of plan.read) {
    // set to a constant before it is echoed: the constant is checked below
    if (plan.setFirst?.has(name)) continue;
    if (plan.assigned.has(name)) {
      // assigned before its first echo? A constant or counter: checked by value below when set now.
      const v = sh.getVar(name);
      if (v === undefined) return false;
      if (!safeUnquoted(v, ifs)) return false;
      continue;
    }
    const v = sh.getVar(name);
    if (v === undefined || !safeUnquoted(v, ifs)) return false;
  }
  // constants assigned by the body must also be safe to echo unquoted
  for (const s of plan.body) if (s.t === "set" && plan.read.has(s.name) && !safeUnquoted(s.value, ifs)) return false;
  return true;
}

/** Text that expands to itself as one field, quoted or not, and that echo prints as it is. */
function safeUnquoted(v: string, ifs: string): boolean {
  if (v === "" || /[*?[\\]/.test(v)) return false;
  for (const ch of v) if (ifs.includes(ch)) return false;
  return true;
}

/** Runs a compiled loop's iterations; `advance` is called at entry and after each sleep. */
export class LoopDriver {
  /** Index of the next statement to run; -1: at the top of an iteration. */
  private pc = -1;
  /** Sleeps reached since the loop was entered (from the second on, a whole cycle ran here). */
  private sleeps = 0;
  /** The last line written: its parts, numbers and the counters they are. */
  private last: { parts: string[]; nums: number[]; names: string[] } | undefined;
  /** A straight-line program's `exit`: the code it exits with (the driver handed back). */
  exitCode: number | undefined;
  /** The plan's per-cycle facts (periodic), computed once. */
  private cycleInfo: { steps: Map<string, number>; commands: number } | null | undefined;

  constructor(
    private readonly plan: LoopPlan,
    private readonly sh: LoopShell,
  ) {}

  /**
   * Runs until the next `sleep` and returns its duration, or returns -1 at an iteration boundary
   * when the loop must go back to the interpreter (a counter near 2^52) — for a straight-line
   * program (`once`), -1 at its end or its `exit` (then `exitCode` is set).
   */
  advance(): number {
    const sh = this.sh;
    const body = this.plan.body;
    if (this.pc >= 0) sh.status = 0; // the sleep that ended
    for (;;) {
      if (this.plan.once && (this.pc < 0 || this.pc >= body.length)) {
        // A straight-line program: no iteration; at its end, back to the interpreter (runSource).
        if (this.pc >= 0) return -1;
        this.pc = 0;
      } else if (this.pc < 0 || this.pc >= body.length) {
        // a new iteration: evalLoop's tick, then the condition (`true`: status 0)
        for (const s of body) if (s.t === "add" && Math.abs(Number(sh.getVar(s.name))) >= LIMIT) return -1;
        sh.countStep();
        sh.currentLine = this.plan.condLine;
        sh.countStep();
        sh.status = 0;
        this.pc = 0;
      }
      const s = body[this.pc++]!;
      sh.currentLine = s.line;
      sh.countStep();
      switch (s.t) {
        case "sleep":
          this.sleeps++;
          return s.ms;
        case "true":
          sh.status = 0;
          break;
        case "exit":
          // exitBuiltin: the code given, or `$?`; the interpreter throws it where the driver hands back.
          this.exitCode = s.code ?? sh.status;
          this.pc = body.length;
          return -1;
        case "set":
          sh.setVar(s.name, s.value);
          sh.status = 0;
          break;
        case "add":
          sh.setVar(s.name, String(Number(sh.getVar(s.name)) + s.k));
          sh.status = 0;
          break;
        case "echo": {
          // echo's output: its words joined by spaces, and a newline (no option, no backslash: see compileLoop)
          let text = "";
          let lit = "";
          const parts: string[] = [];
          const nums: number[] = [];
          const names: string[] = [];
          const counters = this.plan.counters;
          for (let i = 0; i < s.words.length; i++) {
            if (i > 0) lit += " ";
            for (const p of s.words[i]!) {
              if (typeof p === "string") lit += p;
              else {
                const v = sh.getVar(p.v)!;
                if (counters.has(p.v)) {
                  parts.push(lit);
                  nums.push(Number(v));
                  names.push(p.v);
                  text += lit + v;
                  lit = "";
                } else lit += v;
              }
            }
          }
          lit += "\n";
          parts.push(lit);
          this.last = { parts, nums, names };
          sh.writeLine(parts, nums, text + lit);
          sh.status = 0;
          break;
        }
      }
    }
  }

  /**
   * Issue #19: called right after `advance` returned `ms` (the loop sleeps now), whether every
   * later cycle — from this sleep's end to the next sleep — does the same as the one that just
   * ran but for its counters, each advanced by the same step: then the cycles can be left to a
   * dormant chain and their effects computed (the line they write, the counters). True when the
   * body has exactly one `sleep` (of a whole number of ms, so the chain's period and the sleep's
   * delay are truncated alike), at most one `echo`, no counter that is also set to a constant,
   * a whole cycle ran since the loop was entered (so every constant the body sets holds its value,
   * and the echoed text but for the counters is the same in every cycle), and no counter can near
   * the 2^52 hand-back (`advance`'s check at each iteration) within DORMANT_HORIZON_MS.
   */
  periodic(ms: number): LoopCycle | undefined {
    if (this.plan.once || this.sleeps < 2 || !Number.isInteger(ms) || ms < 1 || ms > 2 ** 31 - 1) return undefined;
    const info = this.cycle();
    if (!info) return undefined;
    const cycles = Math.ceil(DORMANT_HORIZON_MS / ms);
    for (const [name, k] of info.steps) {
      if (k !== 0 && Math.abs(Number(this.sh.getVar(name))) + Math.abs(k) * cycles >= LIMIT) return undefined;
    }
    if (!this.plan.body.some((s) => s.t === "echo")) return { commands: info.commands };
    const last = this.last;
    if (!last) return undefined;
    const steps = last.names.map((n) => info.steps.get(n) ?? 0);
    return { line: { parts: last.parts, nums: last.nums.map((v, j) => v + steps[j]!), steps }, commands: info.commands };
  }

  /** The line writer's repeat for the loop's line (LineWriter.repeat), undefined when refused. */
  repeatLine(r: RepeatedLine): (() => void) | undefined {
    return this.sh.repeatLine(r);
  }

  /** The effect of `k` cycles a dormant chain skipped on the shell (periodic): the counters. */
  skip(k: number): void {
    if (k <= 0) return;
    for (const [name, step] of this.cycle()!.steps) if (step !== 0) this.sh.setVar(name, String(Number(this.sh.getVar(name)) + k * step));
  }

  private cycle(): { steps: Map<string, number>; commands: number } | undefined {
    if (this.cycleInfo !== undefined) return this.cycleInfo ?? undefined;
    const body = this.plan.body;
    let sleeps = 0;
    let echoes = 0;
    const steps = new Map<string, number>();
    const set = new Set<string>();
    for (const s of body) {
      if (s.t === "sleep") sleeps++;
      else if (s.t === "echo") echoes++;
      else if (s.t === "add") steps.set(s.name, (steps.get(s.name) ?? 0) + s.k);
      else if (s.t === "set") set.add(s.name);
    }
    const ok = sleeps === 1 && echoes <= 1 && ![...steps.keys()].some((n) => set.has(n));
    // Commands per cycle: the iteration's two (evalLoop's tick, the condition) and one per statement.
    this.cycleInfo = ok ? { steps, commands: body.length + 2 } : null;
    return this.cycleInfo ?? undefined;
  }
}
