/**
 * `awk` in the container shell: POSIX awk as Debian's mawk 1.3.4 (the awk of the Debian-based
 * images, where /bin/sh is dash) and busybox's awk (every busybox image) run it. The program is
 * parsed by awkparse.ts and run here on the shell's generators, so it blocks on a pipe like any
 * applet and a runaway loop (`while (1)`) counts against the task's budget (task.ts `tick`) and
 * so is killable by the kubelet like a shell loop.
 *
 * Checked against mawk 1.3.4 20200120 (testdata/mawk134.json, recorded by scripts/mawk-record.ts).
 * Where busybox's awk differs (messages, `**`, integers printed to 2^63, substr of a start below 1,
 * unknown escapes), the flavour follows the image: mawk where /bin/sh is dash, else busybox.
 *
 * `for (k in a)` walks mawk's hash table as mawk does (awkarray.ts); busybox's arrays iterate in
 * insertion order. Not modelled (docs/divergences.md): regular expressions are JavaScript's
 * (leftmost-first, not leftmost-longest, for alternations); `printf > "/dev/tty"`.
 */
import { VfsError } from "../types.ts";
import type { G } from "./effects.ts";
import { ExitSignal } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { vfsErrorText } from "./util.ts";
import { AwkSyntaxError, parseProgram, unescapeAwk, type Expr, type Flavour, type Func, type Item, type Program, type Stmt } from "./awkparse.ts";
import { MawkArray, OrderedArray, type AwkArray } from "./awkarray.ts";
import { inputVal, isNumeric, numToStr, sprintf, toNum, toStr, truthy, UNINIT, type Val } from "./awkvalue.ts";

/** Loop iterations and calls per task tick: each counts as one shell command against the task's budget (task.ts). */
const STEPS_PER_TICK = 1;

type Arr = AwkArray;
interface Cell {
  v: Val;
  arr?: Arr;
  /** A function parameter passed an untyped variable: used as an array, it is the caller's. */
  link?: Cell;
}

class NextSig {}
class NextFileSig {}
class BreakSig {}
class ContinueSig {}
class ReturnSig {
  constructor(readonly v: Val) {}
}
class ExitSig {
  constructor(readonly code: number | undefined) {}
}
class AwkRuntimeError {
  constructor(readonly msg: string) {}
}
/** An error mawk reports without its run-time trailer (`awk: cannot open "x" for output (…)`). */
class AwkFatal {
  constructor(readonly msg: string) {}
}

/** Byte strings inside, UTF-8 outside. */
const dec = (s: string): string => Buffer.from(s, "utf8").toString("latin1");
const enc = (s: string): string => Buffer.from(s, "latin1").toString("utf8");

const CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
};

/** A POSIX ERE (awk's dialect: escapes as in strings, `.` matching newline) as a JavaScript RegExp source. */
export function ereToJs(re: string): string {
  let out = "";
  const lit = (ch: string) => (/[\\^$.*+?()[\]{}|/-]/.test(ch) ? "\\" + ch : ch === "\n" ? "\\n" : ch);
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === "\\") {
      const n = re[++i];
      if (n === undefined) {
        out += "\\\\";
        break;
      }
      const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", a: "\x07", b: "\b" };
      if (n in simple) out += lit(simple[n]!);
      else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(re.slice(i))![0];
        out += lit(String.fromCharCode(parseInt(m, 8)));
        i += m.length - 1;
      } else out += lit(n);
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      let cls = "[";
      if (re[j] === "^") {
        cls += "^";
        j++;
      }
      if (re[j] === "]") {
        cls += "\\]";
        j++;
      }
      let closed = false;
      for (; j < re.length; j++) {
        const d = re[j]!;
        if (d === "]") {
          closed = true;
          break;
        }
        if (d === "[" && re[j + 1] === ":") {
          const end = re.indexOf(":]", j + 2);
          const name = end > 0 ? re.slice(j + 2, end) : "";
          if (name in CLASSES) {
            cls += CLASSES[name];
            j = end + 1;
            continue;
          }
        }
        if (d === "\\" && j + 1 < re.length) {
          const n = re[++j]!;
          const simple: Record<string, string> = { n: "\\n", t: "\\t", r: "\\r", f: "\\f", v: "\\v" };
          cls += simple[n] ?? "\\" + n;
          continue;
        }
        cls += d === "[" || d === "\\" ? "\\" + d : d;
      }
      if (!closed) throw new AwkRuntimeError(`regular expression compile failed (bad class -- [], [^] or [)\n${re}`);
      out += cls + "]";
      i = j;
      continue;
    }
    if (c === "{") {
      // an interval (`a{2,3}`) where it is one; otherwise a brace is literal
      const m = /^\{[0-9]+(,[0-9]*)?\}/.exec(re.slice(i));
      if (m && out !== "" && !/[(|]$/.test(out)) {
        out += m[0];
        i += m[0].length - 1;
      } else out += "\\{";
      continue;
    }
    if (c === "}") out += "\\}";
    else if (c === "/") out += "\\/";
    else if (c === "\n") out += "\\n";
    else out += c;
  }
  return out;
}

function isName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

/** glibc's random() (TYPE_3 additive feedback), which mawk's rand() is on Debian: rand() = random() / RAND_MAX. */
class GlibcRandom {
  private r: number[] = [];
  private f = 3;
  private b = 0;

  constructor(seed: number) {
    this.seed(seed);
  }

  seed(seed: number): void {
    let s = seed | 0;
    if (s === 0) s = 1;
    const r = [s];
    for (let i = 1; i < 31; i++) {
      const hi = Math.trunc(r[i - 1]! / 127773);
      const lo = r[i - 1]! % 127773;
      let w = 16807 * lo - 2836 * hi;
      if (w < 0) w += 2147483647;
      r.push(w);
    }
    this.r = r;
    this.f = 3;
    this.b = 0;
    for (let i = 0; i < 310; i++) this.next();
  }

  next(): number {
    const r = this.r;
    r[this.f] = (r[this.f]! + r[this.b]!) | 0;
    const out = (r[this.f]! >>> 1) & 0x7fffffff;
    this.f = (this.f + 1) % 31;
    this.b = (this.b + 1) % 31;
    return out;
  }
}

/** A source of records: stdin (read as it arrives) or a whole file. */
class Reader {
  buf = "";
  eof: boolean;
  constructor(
    private readonly sh: Shell | undefined,
    text?: string,
  ) {
    if (text !== undefined) this.buf = text;
    this.eof = text !== undefined;
  }

  private *fill(): G<boolean> {
    if (this.eof || !this.sh) return false;
    const chunk = yield* this.sh.stdin.readChunkG();
    if (chunk === undefined) {
      this.eof = true;
      return false;
    }
    this.buf += dec(chunk);
    return true;
  }

  /** The next record by RS (a character, "" for paragraphs, or a regular expression). */
  *read(rs: string, rsRe: () => RegExp): G<string | undefined> {
    for (;;) {
      if (rs === "") {
        const start = /^\n*/.exec(this.buf)![0].length;
        if (start === this.buf.length && !this.eof) {
          if (!(yield* this.fill())) continue;
          continue;
        }
        const rest = this.buf.slice(start);
        const m = /\n\n+/.exec(rest);
        if (m && (m.index + m[0].length < rest.length || this.eof)) {
          this.buf = rest.slice(m.index + m[0].length);
          return rest.slice(0, m.index);
        }
        if (this.eof) {
          this.buf = "";
          const rec = rest.replace(/\n+$/, "");
          return rest === "" ? undefined : rec;
        }
        yield* this.fill();
        continue;
      }
      if (rs.length === 1) {
        const k = this.buf.indexOf(rs);
        if (k >= 0) {
          const rec = this.buf.slice(0, k);
          this.buf = this.buf.slice(k + 1);
          return rec;
        }
      } else {
        const re = rsRe();
        re.lastIndex = 0;
        const m = re.exec(this.buf);
        if (m && m[0].length > 0 && (m.index + m[0].length < this.buf.length || this.eof)) {
          const rec = this.buf.slice(0, m.index);
          this.buf = this.buf.slice(m.index + m[0].length);
          return rec;
        }
      }
      if (this.eof) {
        if (this.buf === "") return undefined;
        const rec = this.buf;
        this.buf = "";
        return rec;
      }
      yield* this.fill();
    }
  }
}

type OutStream = { kind: "file"; path: string } | { kind: "pipe"; cmd: string; text: string } | { kind: "stdout" } | { kind: "stderr" };

export class AwkRuntime {
  readonly globals = new Map<string, Cell>();
  private frames: Map<string, Cell>[] = [];
  private record = "";
  private fields: Val[] | undefined;
  private recordStale = false;
  private readonly reCache = new Map<string, RegExp>();
  private readonly rangeOn = new Map<Item, boolean>();
  private readonly outputs = new Map<string, OutStream>();
  private readonly inputs = new Map<string, Reader>();
  private main: Reader | undefined;
  private argIndex = 1;
  private sawFile = false;
  private steps = 0;
  private rng: GlibcRandom;
  private seedVal: Val;
  private inEnd = false;
  private exitCode = 0;

  constructor(
    private readonly sh: Shell,
    private readonly prog: Program,
    readonly flavour: Flavour,
  ) {
    const set = (k: string, v: Val) => this.globals.set(k, { v });
    set("FS", " ");
    set("OFS", " ");
    set("ORS", "\n");
    set("RS", "\n");
    set("NR", 0);
    set("FNR", 0);
    set("SUBSEP", "\x1c");
    set("CONVFMT", "%.6g");
    set("OFMT", "%.6g");
    set("RSTART", 0);
    set("RLENGTH", -1);
    set("FILENAME", "");
    const env = this.newArray();
    for (const [k, v] of Object.entries(sh.exportedEnv())) env.set(dec(k), inputVal(dec(v), flavour));
    this.globals.set("ENVIRON", { v: UNINIT, arr: env });
    // mawk seeds from the clock at start (srand() then returns that seed): the simulated clock's seconds
    const secs = Math.floor(sh.io.clock.now() / 1000);
    this.seedVal = secs;
    this.rng = new GlibcRandom(secs % 4294967295);
  }

  // ---- variables ---------------------------------------------------------------------------

  private cell(name: string): Cell {
    const frame = this.frames[this.frames.length - 1];
    const local = frame?.get(name);
    if (local) return local;
    let c = this.globals.get(name);
    if (!c) {
      c = { v: UNINIT };
      this.globals.set(name, c);
    }
    return c;
  }

  private arr(name: string): Arr {
    let c = this.cell(name);
    while (c.link) c = c.link;
    if (!c.arr) {
      if (c.v !== UNINIT) throw new AwkRuntimeError(`can't use scalar ${name} as array`);
      c.arr = this.newArray();
    }
    return c.arr;
  }

  getVar(name: string): Val {
    if (name === "NF" && !this.frames[this.frames.length - 1]?.has(name)) {
      return this.splitFields().length;
    }
    const c = this.cell(name);
    if (c.arr || c.link?.arr) throw new AwkRuntimeError(`can't use array ${name} in scalar context`);
    return c.v;
  }

  setVar(name: string, v: Val): void {
    if (name === "NF" && !this.frames[this.frames.length - 1]?.has(name)) {
      const f = this.splitFields();
      const n = Math.trunc(toNum(v));
      f.length = Math.max(0, n);
      for (let i = 0; i < f.length; i++) if (f[i] === undefined) f[i] = UNINIT;
      this.recordStale = true;
      return;
    }
    const c = this.cell(name);
    if (c.arr) throw new AwkRuntimeError(`can't assign to ${name}; it's an array name.`);
    c.v = v;
    c.link = undefined;
  }

  private str(v: Val): string {
    return toStr(v, toStr(this.globals.get("CONVFMT")!.v, "%.6g", this.flavour), this.flavour);
  }

  private outStr(v: Val): string {
    if (typeof v === "number") return numToStr(v, toStr(this.globals.get("OFMT")!.v, "%.6g", this.flavour), this.flavour);
    return this.str(v);
  }

  private gstr(name: string): string {
    return this.str(this.globals.get(name)!.v);
  }

  /** A new array: mawk's (its iteration order) or busybox's (insertion order here). */
  newArray(): AwkArray {
    const fmt = (n: number) => numToStr(n, this.gstr("CONVFMT"), this.flavour);
    return this.flavour === "mawk" ? new MawkArray(fmt) : new OrderedArray(fmt);
  }

  /** An array subscript: the value itself (the array converts it), several joined by SUBSEP. */
  private *subscript(subs: Expr[]): G<Val> {
    if (subs.length === 1) return yield* this.eval(subs[0]!);
    const parts: string[] = [];
    for (const s of subs) parts.push(this.str(yield* this.eval(s)));
    return parts.join(parts.length > 1 ? this.gstr("SUBSEP") : "");
  }

  // ---- records and fields ------------------------------------------------------------------

  setRecord(s: string): void {
    this.record = s;
    this.fields = undefined;
    this.recordStale = false;
  }

  private splitFields(): Val[] {
    if (!this.fields) this.fields = this.split(this.record, this.globals.get("FS")!.v, this.gstr("RS") === "").map((s) => inputVal(s, this.flavour));
    return this.fields;
  }

  /** Splits `s` by a field separator value (" ": runs of blanks; one other character: itself; else an ERE). */
  private split(s: string, fsv: Val, paragraph: boolean): string[] {
    const fs = fsv instanceof RegExp ? fsv : this.str(fsv);
    if (s === "") return [];
    if (fs === " ") {
      const t = s.replace(/^[ \t\n]+|[ \t\n]+$/g, "");
      return t === "" ? [] : t.split(/[ \t\n]+/);
    }
    if (fs === "") return [...s];
    let parts: string[];
    if (typeof fs === "string" && fs.length === 1 && fs !== "\\") {
      parts = paragraph ? s.split(new RegExp(`${fs === "\n" ? "\\n" : ereToJs(/[\\^$.*+?()[\]{}|]/.test(fs) ? "\\" + fs : fs)}|\\n`)) : s.split(fs);
      if (fs === "\t" || fs === "\n" || !/[\\^$.*+?()[\]{}|]/.test(fs)) return parts;
      return parts;
    }
    const re = typeof fs === "string" ? this.regex(fs) : fs;
    const src = paragraph ? new RegExp(`(?:${re.source})|\\n`, "gs") : new RegExp(re.source, "gs");
    parts = [];
    let last = 0;
    src.lastIndex = 0;
    for (let m = src.exec(s); m; m = src.exec(s)) {
      if (m[0] === "") {
        src.lastIndex++;
        continue;
      }
      parts.push(s.slice(last, m.index));
      last = m.index + m[0].length;
    }
    parts.push(s.slice(last));
    return parts;
  }

  private getField(i: number): Val {
    if (i < 0) throw new AwkRuntimeError(`negative field index $${i}`);
    if (i === 0) {
      if (this.recordStale) this.rebuild();
      return inputVal(this.record, this.flavour);
    }
    const f = this.splitFields();
    return f[i - 1] ?? UNINIT;
  }

  private setField(i: number, v: Val): void {
    if (i < 0) throw new AwkRuntimeError(`negative field index $${i}`);
    if (i === 0) {
      this.setRecord(this.str(v));
      return;
    }
    const f = this.splitFields();
    while (f.length < i) f.push(UNINIT);
    f[i - 1] = v;
    this.recordStale = true;
  }

  private rebuild(): void {
    const ofs = this.gstr("OFS");
    this.record = (this.fields ?? []).map((v) => this.outStr(v)).join(ofs);
    this.recordStale = false;
  }

  // ---- regular expressions -----------------------------------------------------------------

  regex(src: string): RegExp {
    let re = this.reCache.get(src);
    if (!re) {
      try {
        re = new RegExp(ereToJs(src), "s");
      } catch {
        throw new AwkRuntimeError(`regular expression compile failed (missing operand)\n${src}`);
      }
      this.reCache.set(src, re);
    }
    return re;
  }

  private *toRegex(e: Expr): G<RegExp> {
    if (e.t === "re") return this.regex(e.src);
    return this.regex(this.str(yield* this.eval(e)));
  }

  // ---- output ------------------------------------------------------------------------------

  private *write(text: string, redir: Stmt & { t: "print" }): G<void> {
    if (!redir.redir) {
      this.sh.stdout.write(enc(text));
      return;
    }
    const name = this.str(yield* this.eval(redir.redir.e));
    const kind = redir.redir.kind;
    let o = this.outputs.get(name);
    if (!o) {
      if (kind === "|") o = { kind: "pipe", cmd: name, text: "" };
      else if (name === "/dev/stdout" || name === "-") o = { kind: "stdout" };
      else if (name === "/dev/stderr") o = { kind: "stderr" };
      else {
        const path = this.sh.resolve(enc(name));
        try {
          this.sh.io.fs.writeFile(path, "", { append: kind === ">>" });
        } catch (e) {
          throw new AwkFatal(`cannot open "${name}" for output (${vfsErrorText(e)})`);
        }
        o = { kind: "file", path };
      }
      this.outputs.set(name, o);
    }
    switch (o.kind) {
      case "stdout":
        this.sh.stdout.write(enc(text));
        break;
      case "stderr":
        this.sh.stderr.write(enc(text));
        break;
      case "pipe":
        o.text += text;
        break;
      case "file":
        try {
          this.sh.io.fs.writeFile(o.path, enc(text), { append: true });
        } catch (e) {
          throw new AwkRuntimeError(`write failure (${vfsErrorText(e)})`);
        }
    }
  }

  /** Runs a shell command (`system`, `| cmd`, `cmd | getline`) with `stdin`; its output to `out` or awk's stdout. */
  private *runCommand(cmd: string, stdin: string | undefined, out?: { text: string }): G<number> {
    const sub = this.sh.clone();
    sub.subshell = true;
    if (stdin !== undefined) {
      const r = this.sh.stdin.constructor as new (data: string) => Shell["stdin"];
      sub.stdin = new r(enc(stdin));
    }
    if (out) sub.stdout = { write: (s: string) => (out.text += dec(s)) };
    const shFn = this.sh.findApplet("sh");
    if (!shFn) return 127;
    try {
      return yield* shFn(sub, ["sh", "-c", enc(cmd)]);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  private *close(name: string): G<number> {
    const o = this.outputs.get(name);
    const input = this.inputs.delete(name);
    if (o) {
      this.outputs.delete(name);
      if (o.kind === "pipe") return yield* this.runCommand(o.cmd, o.text);
      return 0;
    }
    return input ? 0 : -1;
  }

  private *closeAll(): G<void> {
    for (const name of [...this.outputs.keys()]) yield* this.close(name);
  }

  // ---- input -------------------------------------------------------------------------------

  private rsRegex = (): RegExp => new RegExp(ereToJs(this.gstr("RS")), "gs");

  /** The next record of the main input (the operands in ARGV, stdin without any), or undefined at the end. */
  private *nextMain(): G<string | undefined> {
    for (;;) {
      if (this.main) {
        const rec = yield* this.main.read(this.gstr("RS"), this.rsRegex);
        if (rec !== undefined) return rec;
        this.main = undefined;
      }
      const argc = Math.trunc(toNum(this.globals.get("ARGC")!.v));
      const argv = this.arr("ARGV");
      let opened = false;
      while (this.argIndex < argc) {
        const a = argv.get(this.argIndex++);
        if (a === undefined) continue;
        const s = this.str(a);
        if (s === "") continue;
        const eq = s.indexOf("=");
        if (eq > 0 && isName(s.slice(0, eq))) {
          this.setVar(s.slice(0, eq), inputVal(unescapeAwk(s.slice(eq + 1), this.flavour), this.flavour));
          continue;
        }
        this.sawFile = true;
        this.globals.get("FILENAME")!.v = s;
        this.globals.get("FNR")!.v = 0;
        if (s === "-" || s === "/dev/stdin") this.main = new Reader(this.sh);
        else {
          let text: string;
          try {
            text = this.sh.io.fs.readFile(this.sh.resolve(enc(s)));
          } catch (e) {
            if (e instanceof VfsError && e.code === "EISDIR" && this.flavour === "mawk") {
              // mawk reads a directory as empty (read() fails, it warns nothing)
              text = "";
            } else {
              this.sh.stderr.write(enc(`awk: cannot open ${s} (${vfsErrorText(e)})\n`));
              this.exitCode = 2;
              throw new ExitSig(2);
            }
          }
          this.main = new Reader(undefined, dec(text));
        }
        opened = true;
        break;
      }
      if (opened) continue;
      if (!this.sawFile) {
        this.sawFile = true;
        this.main = new Reader(this.sh);
        continue;
      }
      return undefined;
    }
  }

  private bump(name: "NR" | "FNR"): void {
    const c = this.globals.get(name)!;
    c.v = toNum(c.v) + 1;
  }

  private *getline(e: Expr & { t: "getline" }): G<Val> {
    let rec: string | undefined;
    if (e.kind === "plain") {
      rec = yield* this.nextMain();
      if (rec === undefined) return 0;
      this.bump("NR");
      this.bump("FNR");
    } else {
      const name = this.str(yield* this.eval(e.src!));
      let r = this.inputs.get(name);
      if (!r) {
        if (e.kind === "file") {
          if (name === "-" || name === "/dev/stdin") r = new Reader(this.sh);
          else {
            try {
              r = new Reader(undefined, dec(this.sh.io.fs.readFile(this.sh.resolve(enc(name)))));
            } catch {
              return -1;
            }
          }
        } else {
          const out = { text: "" };
          yield* this.runCommand(name, undefined, out);
          r = new Reader(undefined, out.text);
        }
        this.inputs.set(name, r);
      }
      rec = yield* r.read(this.gstr("RS"), this.rsRegex);
      if (rec === undefined) return 0;
      // mawk counts no record read by `cmd | getline` (bi_getline's PIPE_IN); busybox counts NR
      if (e.kind === "cmd" && this.flavour === "busybox") this.bump("NR");
    }
    if (e.lhs) yield* this.assign(e.lhs, inputVal(rec, this.flavour));
    else this.setRecord(rec);
    return 1;
  }

  // ---- evaluation --------------------------------------------------------------------------

  private *assign(lhs: Expr, v: Val): G<void> {
    switch (lhs.t) {
      case "var":
        this.setVar(lhs.name, v);
        return;
      case "idx": {
        const k = yield* this.subscript(lhs.subs);
        this.arr(lhs.name).set(k, v);
        return;
      }
      case "field":
        this.setField(Math.trunc(toNum(yield* this.eval(lhs.e))), v);
        return;
      case "group":
        return yield* this.assign(lhs.e, v);
    }
    throw new AwkRuntimeError("assignment to a non-variable");
  }

  private *lvalue(lhs: Expr): G<{ get: () => Val; set: (v: Val) => void }> {
    switch (lhs.t) {
      case "var":
        return { get: () => this.getVar(lhs.name), set: (v) => this.setVar(lhs.name, v) };
      case "idx": {
        const k = yield* this.subscript(lhs.subs);
        const a = this.arr(lhs.name);
        return {
          get: () => a.ref(k),
          set: (v) => a.set(k, v),
        };
      }
      case "field": {
        const i = Math.trunc(toNum(yield* this.eval(lhs.e)));
        return { get: () => this.getField(i), set: (v) => this.setField(i, v) };
      }
      case "group":
        return yield* this.lvalue(lhs.e);
    }
    throw new AwkRuntimeError("assignment to a non-variable");
  }

  private arith(op: string, a: number, b: number): number {
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        if (b === 0 && this.flavour === "busybox") throw new AwkRuntimeError("Division by zero");
        return a / b;
      case "%":
        if (b === 0 && this.flavour === "busybox") throw new AwkRuntimeError("Division by zero");
        return a % b;
      default:
        return a ** b;
    }
  }

  private compare(op: string, a: Val, b: Val): boolean {
    let c: number;
    if (isNumeric(a) && isNumeric(b)) {
      const x = toNum(a);
      const y = toNum(b);
      c = x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
    } else {
      const x = this.str(a);
      const y = this.str(b);
      c = x < y ? -1 : x > y ? 1 : 0;
    }
    switch (op) {
      case "<":
        return c < 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      case ">=":
        return c >= 0;
      case "==":
        return c === 0;
      default:
        return c !== 0;
    }
  }

  *eval(e: Expr): G<Val> {
    switch (e.t) {
      case "num":
        return e.v;
      case "str":
        return e.v;
      case "re":
        return this.regex(e.src).test(this.str(this.getField(0))) ? 1 : 0;
      case "group":
        return yield* this.eval(e.e);
      case "var":
        return this.getVar(e.name);
      case "idx": {
        const k = yield* this.subscript(e.subs);
        return this.arr(e.name).ref(k);
      }
      case "field":
        return this.getField(Math.trunc(toNum(yield* this.eval(e.e))));
      case "assign": {
        if (e.op === "=") {
          const v = yield* this.eval(e.rhs);
          const copy = v;
          yield* this.assign(e.lhs, copy);
          return copy;
        }
        const lv = yield* this.lvalue(e.lhs);
        const b = toNum(yield* this.eval(e.rhs));
        const v = this.arith(e.op.slice(0, -1), toNum(lv.get()), b);
        lv.set(v);
        return v;
      }
      case "cond":
        return truthy(yield* this.eval(e.c)) ? yield* this.eval(e.a) : yield* this.eval(e.b);
      case "and":
        return truthy(yield* this.eval(e.a)) && truthy(yield* this.eval(e.b)) ? 1 : 0;
      case "or":
        return truthy(yield* this.eval(e.a)) || truthy(yield* this.eval(e.b)) ? 1 : 0;
      case "in": {
        const k = yield* this.subscript(e.subs);
        return this.arr(e.name).has(k) ? 1 : 0;
      }
      case "match": {
        const s = this.str(yield* this.eval(e.a));
        const re = yield* this.toRegex(e.re);
        return re.test(s) !== e.neg ? 1 : 0;
      }
      case "bin": {
        const a = toNum(yield* this.eval(e.a));
        const b = toNum(yield* this.eval(e.b));
        return this.arith(e.op, a, b);
      }
      case "cmp": {
        const a = yield* this.eval(e.a);
        const b = yield* this.eval(e.b);
        return this.compare(e.op, a, b) ? 1 : 0;
      }
      case "concat": {
        const a = this.str(yield* this.eval(e.a));
        return a + this.str(yield* this.eval(e.b));
      }
      case "unary": {
        const v = yield* this.eval(e.e);
        if (e.op === "!") return truthy(v) ? 0 : 1;
        const n = toNum(v);
        return e.op === "-" ? -n : n;
      }
      case "incdec": {
        const lv = yield* this.lvalue(e.e);
        const old = toNum(lv.get());
        const nv = e.op === "++" ? old + 1 : old - 1;
        lv.set(nv);
        return e.pre ? nv : old;
      }
      case "call":
        return yield* this.call(e);
      case "builtin":
        return yield* this.builtin(e.name, e.args);
      case "getline":
        return yield* this.getline(e);
    }
  }

  private *call(e: Expr & { t: "call" }): G<Val> {
    const f: Func | undefined = this.prog.funcs.get(e.name);
    if (!f) throw new AwkRuntimeError(this.flavour === "busybox" ? "Call to undefined function" : `function ${e.name} never defined`);
    if (e.args.length > f.params.length) throw new AwkRuntimeError(`too many arguments in call to ${e.name}`);
    if (this.frames.length >= 1000) throw new AwkRuntimeError("function call nesting too deep");
    yield* this.step();
    const frame = new Map<string, Cell>();
    for (let i = 0; i < f.params.length; i++) {
      const a = e.args[i];
      if (!a) {
        frame.set(f.params[i]!, { v: UNINIT });
        continue;
      }
      if (a.t === "var") {
        let c = this.cell(a.name);
        while (c.link && !c.arr && c.v === UNINIT) {
          if (c.link.arr) break;
          c = c.link;
        }
        const target = c.link?.arr ? c.link : c;
        if (target.arr) {
          frame.set(f.params[i]!, { v: UNINIT, link: target });
          continue;
        }
        if (target.v === UNINIT && a.name !== "NF") {
          frame.set(f.params[i]!, { v: UNINIT, link: target });
          continue;
        }
      }
      frame.set(f.params[i]!, { v: yield* this.eval(a) });
    }
    this.frames.push(frame);
    try {
      yield* this.execBlock(f.body);
      return UNINIT;
    } catch (x) {
      if (x instanceof ReturnSig) return x.v;
      throw x;
    } finally {
      this.frames.pop();
    }
  }

  private *step(): G<void> {
    if (++this.steps % STEPS_PER_TICK === 0) yield* this.sh.task.tick();
  }

  private *builtin(name: string, args: Expr[]): G<Val> {
    const arg = (i: number) => this.eval(args[i]!);
    const num = function* (this: AwkRuntime, i: number): G<number> {
      return toNum(yield* this.eval(args[i]!));
    }.bind(this);
    switch (name) {
      case "length": {
        if (args.length === 0) return this.str(this.getField(0)).length;
        const a = args[0]!;
        if (a.t === "var") {
          const c = this.cell(a.name);
          const t = c.arr ? c : c.link?.arr ? c.link : undefined;
          if (t?.arr) return t.arr.size;
        }
        return this.str(yield* arg(0)).length;
      }
      case "substr": {
        const s = this.str(yield* arg(0));
        const len = s.length;
        if (this.flavour === "busybox") {
          let i = Math.trunc((yield* num(1)) - 1);
          if (i > len) i = len;
          if (i < 0) i = 0;
          let n = args.length > 2 ? Math.trunc(yield* num(2)) : len - i;
          if (n < 0) n = 0;
          return s.slice(i, i + n);
        }
        // mawk's bi_substr: truncating conversions, and a start below 1 shortens the length less one
        let n = args.length > 2 ? Math.trunc(yield* num(2)) : len;
        let i = Math.trunc(yield* num(1)) - 1;
        if (len === 0) return "";
        if (args.length <= 2) n = len;
        if (i > len) n = 0;
        if (i < 0) {
          n -= i + 1;
          i = 0;
        }
        if (n > len - i) n = len - i;
        return n <= 0 ? "" : s.slice(i, i + n);
      }
      case "index": {
        const s = this.str(yield* arg(0));
        const t = this.str(yield* arg(1));
        return s.indexOf(t) + 1;
      }
      case "split": {
        const s = this.str(yield* arg(0));
        const a = args[1];
        if (!a || a.t !== "var") throw new AwkRuntimeError("split: second argument must be an array");
        let sep: Val | RegExp;
        if (args.length > 2) sep = args[2]!.t === "re" ? this.regex((args[2] as { src: string }).src) : yield* arg(2);
        else sep = this.globals.get("FS")!.v;
        const parts = this.split(s, sep as Val, false);
        this.arr(a.name).load(parts.map((p) => inputVal(p, this.flavour)));
        return parts.length;
      }
      case "sub":
      case "gsub":
        return yield* this.sub(name === "gsub", args);
      case "match": {
        const s = this.str(yield* arg(0));
        const re = yield* this.toRegex(args[1]!);
        const m = re.exec(s);
        this.globals.get("RSTART")!.v = m ? m.index + 1 : 0;
        this.globals.get("RLENGTH")!.v = m ? m[0].length : -1;
        return m ? m.index + 1 : 0;
      }
      case "sprintf": {
        if (args.length === 0) throw new AwkRuntimeError("sprintf: no format");
        const vals: Val[] = [];
        for (const a of args) vals.push(yield* this.eval(a));
        return this.format(vals, "sprintf");
      }
      case "sin":
        return Math.sin(yield* num(0));
      case "cos":
        return Math.cos(yield* num(0));
      case "atan2":
        return Math.atan2(yield* num(0), yield* num(1));
      case "exp":
        return Math.exp(yield* num(0));
      case "log":
        return Math.log(yield* num(0));
      case "sqrt":
        return Math.sqrt(yield* num(0));
      case "int":
        return Math.trunc(yield* num(0));
      case "rand":
        return this.rng.next() / 2147483647;
      case "srand": {
        const prev = this.seedVal;
        const seed: Val = args.length ? yield* arg(0) : Math.floor(this.sh.io.clock.now() / 1000);
        this.seedVal = seed;
        this.rng.seed(Math.trunc(toNum(seed) % 4294967295));
        return prev;
      }
      case "tolower":
        return this.str(yield* arg(0)).toLowerCase();
      case "toupper":
        return this.str(yield* arg(0)).toUpperCase();
      case "system": {
        const cmd = this.str(yield* arg(0));
        return yield* this.runCommand(cmd, undefined);
      }
      case "close":
        return yield* this.close(this.str(yield* arg(0)));
      case "fflush":
        return 0;
    }
    throw new AwkRuntimeError(`${name}: not supported`);
  }

  private *sub(global: boolean, args: Expr[]): G<Val> {
    const re = yield* this.toRegex(args[0]!);
    const repl = this.str(yield* this.eval(args[1]!));
    const target = args[2] ?? ({ t: "field", e: { t: "num", v: 0 } } as Expr);
    const lv = yield* this.lvalue(target);
    const s = this.str(lv.get());
    const g = new RegExp(re.source, "gs");
    let out = "";
    let last = 0;
    let count = 0;
    let prevEnd = -1;
    for (let m = g.exec(s); m; m = g.exec(s)) {
      if (m[0] === "" && m.index === prevEnd) {
        // an empty match right after a match is not one
        g.lastIndex++;
        if (g.lastIndex > s.length) break;
        continue;
      }
      out += s.slice(last, m.index) + this.replacement(repl, m[0]);
      last = m.index + m[0].length;
      prevEnd = last;
      count++;
      if (!global) break;
      if (m[0] === "") {
        if (m.index < s.length) out += s[m.index];
        last = m.index + 1;
        g.lastIndex = m.index + 1;
        if (m.index >= s.length) break;
      }
    }
    if (count === 0) return 0;
    out += s.slice(last);
    lv.set(out);
    return count;
  }

  /** sub/gsub's replacement: `&` is the match, `\&` a literal `&`, `\\` a backslash. */
  private replacement(repl: string, matched: string): string {
    let out = "";
    for (let i = 0; i < repl.length; i++) {
      const c = repl[i]!;
      if (c === "\\" && (repl[i + 1] === "&" || repl[i + 1] === "\\")) {
        out += repl[++i];
      } else if (c === "&") out += matched;
      else out += c;
    }
    return out;
  }

  private format(vals: Val[], what: string): string {
    const fmt = this.str(vals[0]!);
    const r = sprintf(fmt, vals.slice(1), this.flavour, this.gstr("CONVFMT"));
    if (r.missing && this.flavour === "mawk") {
      // mawk has written what it formatted before the missing argument
      if (what === "printf") this.sh.stdout.write(enc(r.out));
      throw new AwkRuntimeError(`not enough arguments passed to ${what}("${fmt}")`);
    }
    return r.out;
  }

  // ---- statements --------------------------------------------------------------------------

  *execBlock(body: Stmt[]): G<void> {
    for (const s of body) yield* this.exec(s);
  }

  private *exec(s: Stmt): G<void> {
    switch (s.t) {
      case "expr":
        yield* this.eval(s.e);
        return;
      case "print": {
        let text: string;
        if (s.printf) {
          const vals: Val[] = [];
          for (const a of s.args) vals.push(yield* this.eval(a));
          text = this.format(vals, "printf");
        } else if (s.args.length === 0) text = this.str(this.getField(0)) + this.gstr("ORS");
        else {
          const parts: string[] = [];
          for (const a of s.args) parts.push(this.outStr(yield* this.eval(a)));
          text = parts.join(this.gstr("OFS")) + this.gstr("ORS");
        }
        yield* this.write(text, s);
        return;
      }
      case "if":
        if (truthy(yield* this.eval(s.c))) yield* this.exec(s.then);
        else if (s.else) yield* this.exec(s.else);
        return;
      case "while":
        while (truthy(yield* this.eval(s.c))) {
          yield* this.step();
          if (yield* this.loopBody(s.body)) break;
        }
        return;
      case "do":
        do {
          yield* this.step();
          if (yield* this.loopBody(s.body)) break;
        } while (truthy(yield* this.eval(s.c)));
        return;
      case "for":
        if (s.init) yield* this.exec(s.init);
        while (!s.c || truthy(yield* this.eval(s.c))) {
          yield* this.step();
          if (yield* this.loopBody(s.body)) break;
          if (s.step) yield* this.exec(s.step);
        }
        return;
      case "forin": {
        const a = this.arr(s.arr);
        // the keys as they were when the loop began (mawk's loop vector); the variable is a string
        for (const k of a.keys()) {
          yield* this.step();
          this.setVar(s.v, k);
          if (yield* this.loopBody(s.body)) break;
        }
        return;
      }
      case "block":
        yield* this.execBlock(s.body);
        return;
      case "next":
        if (this.frames.length === 0 && this.inEnd) throw new AwkRuntimeError("improper use of next");
        throw new NextSig();
      case "nextfile":
        throw new NextFileSig();
      case "exit":
        throw new ExitSig(s.e ? Math.trunc(toNum(yield* this.eval(s.e))) & 255 : undefined);
      case "return":
        throw new ReturnSig(s.e ? yield* this.eval(s.e) : UNINIT);
      case "break":
        throw new BreakSig();
      case "continue":
        throw new ContinueSig();
      case "delete":
        if (s.subs) this.arr(s.name).delete(yield* this.subscript(s.subs));
        else this.arr(s.name).clear();
        return;
      case "getline":
        yield* this.eval(s.e);
        return;
    }
  }

  /** Runs a loop body; true when it broke out. */
  private *loopBody(body: Stmt): G<boolean> {
    try {
      yield* this.exec(body);
    } catch (x) {
      if (x instanceof BreakSig) return true;
      if (x instanceof ContinueSig) return false;
      throw x;
    }
    return false;
  }

  // ---- the program -------------------------------------------------------------------------

  *run(): G<number> {
    const begins = this.prog.items.filter((i) => i.kind === "begin");
    const mains = this.prog.items.filter((i) => i.kind === "main");
    const ends = this.prog.items.filter((i) => i.kind === "end");
    let exited = false;
    try {
      for (const b of begins) yield* this.execBlock(b.action!);
    } catch (x) {
      if (!(x instanceof ExitSig)) throw this.wrap(x);
      if (x.code !== undefined) this.exitCode = x.code;
      exited = true;
    }
    if (!exited && (mains.length || ends.length)) {
      try {
        for (;;) {
          const rec = yield* this.nextMain();
          if (rec === undefined) break;
          this.bump("NR");
          this.bump("FNR");
          this.setRecord(rec);
          try {
            for (const it of mains) {
              if (!(yield* this.matches(it))) continue;
              if (it.action) yield* this.execBlock(it.action);
              else yield* this.write(this.str(this.getField(0)) + this.gstr("ORS"), { t: "print", printf: false, args: [] });
            }
          } catch (x) {
            if (x instanceof NextSig) continue;
            if (x instanceof NextFileSig) {
              this.main = undefined;
              continue;
            }
            throw x;
          }
        }
      } catch (x) {
        if (!(x instanceof ExitSig)) throw this.wrap(x);
        if (x.code !== undefined) this.exitCode = x.code;
      }
    }
    this.inEnd = true;
    try {
      for (const e of ends) yield* this.execBlock(e.action!);
    } catch (x) {
      if (!(x instanceof ExitSig)) throw this.wrap(x);
      if (x.code !== undefined) this.exitCode = x.code;
    }
    yield* this.closeAll();
    return this.exitCode;
  }

  private wrap(x: unknown): unknown {
    if (x instanceof BreakSig || x instanceof ContinueSig) return new AwkRuntimeError("break or continue outside a loop");
    if (x instanceof ReturnSig) return new AwkRuntimeError("return outside a function body");
    if (x instanceof NextSig || x instanceof NextFileSig) return new AwkRuntimeError("improper use of next");
    return x;
  }

  private *matches(it: Item): G<boolean> {
    if (!it.pattern) return true;
    if (it.end) {
      if (this.rangeOn.get(it)) {
        if (truthy(yield* this.eval(it.end))) this.rangeOn.set(it, false);
        return true;
      }
      if (!truthy(yield* this.eval(it.pattern))) return false;
      if (!truthy(yield* this.eval(it.end))) this.rangeOn.set(it, true);
      return true;
    }
    return truthy(yield* this.eval(it.pattern));
  }

  /** mawk's run-time error trailer. */
  errorText(msg: string): string {
    if (this.flavour === "busybox") return `awk: cmd. line:1: ${msg}\n`;
    return `awk: run time error: ${msg}\n\tFILENAME="${this.gstr("FILENAME")}" FNR=${this.str(this.globals.get("FNR")!.v)} NR=${this.str(this.globals.get("NR")!.v)}\n`;
  }
}

const MAWK_USAGE = `Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a "--" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with "-W".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider "\\n" a space.
    -W usage         show this message and exit.
`;

const BUSYBOX_USAGE = `BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.

Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...

\t-v VAR=VAL\tSet variable
\t-F SEP\t\tUse SEP as field separator
\t-f FILE\t\tRead program from FILE
\t-e AWK_PROGRAM
`;

/** Which awk an image has: mawk where /bin/sh is dash (Debian), busybox's elsewhere. */
export function awkFlavour(sh: Shell): Flavour {
  return sh.env.binSh === "dash" ? "mawk" : "busybox";
}

/** The `awk` command: `awk [-F fs] [-v var=val]… ['program' | -f progfile…] [file | var=val]…`. */
export function* awk(sh: Shell, argv: string[]): G<number> {
  const flavour = awkFlavour(sh);
  const err = (msg: string) => sh.stderr.write(`awk: ${msg}\n`);
  let fs: string | undefined;
  const assigns: string[] = [];
  const progFiles: string[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const opt = a[1]!;
    if (opt === "F" || opt === "v" || opt === "f" || opt === "W" || (opt === "e" && flavour === "busybox")) {
      const val = a.length > 2 ? a.slice(2) : argv[++i];
      if (val === undefined) {
        if (flavour === "mawk") err(`option requires an argument -- ${opt}`);
        else err(`option requires an argument -- '${opt}'`);
        sh.stderr.write(flavour === "mawk" ? MAWK_USAGE : BUSYBOX_USAGE);
        return 2;
      }
      if (opt === "F") fs = val;
      else if (opt === "v") assigns.push(val);
      else if (opt === "f") progFiles.push(val);
      else if (opt === "e") progFiles.push("\0" + val);
      else if (opt === "W") {
        if (/^v/.test(val)) {
          sh.stdout.write("mawk 1.3.4 20200120\nCopyright 2008-2019,2020, Thomas E. Dickey\nCopyright 1991-1996,2014, Michael D. Brennan\n\nrandom-funcs:       srandom/random\nregex-funcs:        internal\ncompiled limits:\nsprintf buffer      8192\nmaximum-integer     2147483647\n");
          return 0;
        }
        if (/^(h|u)/.test(val)) {
          sh.stdout.write(MAWK_USAGE);
          return 0;
        }
      }
      continue;
    }
    if (flavour === "mawk") err(`not an option: ${a}`);
    else {
      err(`invalid option -- '${opt}'`);
      sh.stderr.write(BUSYBOX_USAGE);
    }
    return 2;
  }
  let src: string;
  if (progFiles.length) {
    const texts: string[] = [];
    for (const f of progFiles) {
      if (f.startsWith("\0")) {
        texts.push(f.slice(1));
        continue;
      }
      try {
        texts.push(f === "-" ? yield* sh.stdin.readAllG() : sh.io.fs.readFile(sh.resolve(f)));
      } catch (e) {
        if (flavour === "mawk") err(`couldn't open file ${f}`);
        else err(`can't open '${f}': ${vfsErrorText(e)}`);
        return 2;
      }
    }
    src = texts.join("\n");
  } else {
    if (i >= argv.length) {
      sh.stderr.write(flavour === "mawk" ? MAWK_USAGE : BUSYBOX_USAGE);
      return flavour === "mawk" ? 0 : 1;
    }
    src = argv[i++]!;
  }
  let prog: Program;
  try {
    prog = parseProgram(dec(src), flavour);
  } catch (e) {
    if (!(e instanceof AwkSyntaxError)) throw e;
    sh.stderr.write(enc(`awk: ${e.text}\n`));
    return 2;
  }
  if (flavour === "mawk") {
    for (const [name] of prog.calls) {
      if (!prog.funcs.has(name)) {
        const lines = dec(src).split("\n").length + (src.endsWith("\n") ? 0 : 1);
        err(`line ${lines}: function ${name} never defined`);
        return 2;
      }
    }
  }
  const rt = new AwkRuntime(sh, prog, flavour);
  const operands = argv.slice(i).map(dec);
  const argvArr = rt.newArray();
  argvArr.set(0, "awk");
  operands.forEach((o, k) => argvArr.set(k + 1, inputVal(o, flavour)));
  rt.globals.set("ARGV", { v: UNINIT, arr: argvArr });
  rt.globals.set("ARGC", { v: operands.length + 1 });
  try {
    if (fs !== undefined) rt.setVar("FS", unescapeAwk(dec(fs), flavour));
    for (const a of assigns) {
      const eq = a.indexOf("=");
      if (eq <= 0 || !isName(a.slice(0, eq))) {
        if (flavour === "mawk") err(`improper assignment: -v ${a}`);
        else err(`invalid -v argument: ${a}`);
        return 2;
      }
      rt.setVar(a.slice(0, eq), inputVal(unescapeAwk(dec(a.slice(eq + 1)), flavour), flavour));
    }
    return yield* rt.run();
  } catch (e) {
    if (e instanceof AwkRuntimeError) {
      sh.stderr.write(enc(rt.errorText(e.msg)));
      return 2;
    }
    if (e instanceof AwkFatal) {
      sh.stderr.write(enc(`awk: ${e.msg}\n`));
      return 2;
    }
    if (e instanceof ExitSig) return e.code ?? 2;
    throw e;
  }
}
