/**
 * The `sed` applet: GNU sed 4.9 (Debian's, the sed of Debian-based images) and busybox's, which
 * follows it: options `-n -e -f -E/-r -i[SUFFIX] -s -z -l N` (and their long forms), the cycle of
 * execute.c (pattern and hold space, autoprint, the append queue of `a r R`, `n`/`N` at the end of
 * input printing and quitting as GNU does, `D` restarting without reading), in-place editing with
 * a backup suffix, and GNU's exit codes (1 bad script, 2 an input file missing, 4 an I/O error).
 * The script compiler is sedscript.ts, the regular expressions sedregex.ts. Checked against the
 * real GNU sed by the table testdata/gnused49.json (sedcases.test.ts).
 */
import { VfsError } from "../types.ts";
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { vfsErrorText } from "./util.ts";
import { longestAt } from "./sedregex.ts";
import { compileScript, SedError, type Address, type Command, type Compiled, type ReplPart, type ScriptChunk, type SedRegex } from "./sedscript.ts";

const USAGE = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the \`l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`;
const CONTACT = "E-mail bug reports to: <bug-sed@gnu.org>.\n";

const VERSION = `sed (GNU sed) 4.9
Packaged by Debian
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jay Fenlason, Tom Lord, Ken Pizzini,
Paolo Bonzini, Jim Meyering, and Assaf Gordon.

This sed program was built with SELinux support.
SELinux is disabled on this system.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
E-mail bug reports to: <bug-sed@gnu.org>.
`;

interface Options {
  quiet: boolean;
  ere: boolean;
  inPlace?: string;
  separate: boolean;
  nul: boolean;
  lineLen: number;
  chunks: ScriptChunk[];
  files: string[];
}

type Parsed = { ok: Options } | { code: number; err?: string; out?: string };

function parseArgs(sh: Shell, argv: string[]): Parsed {
  const o: Options = { quiet: false, ere: false, separate: false, nul: false, lineLen: 70, chunks: [], files: [] };
  const operands: string[] = [];
  let e = 0;
  const usage = (msg?: string): Parsed => ({ code: 1, err: (msg ? `sed: ${msg}\n` : "") + USAGE });
  const scriptFile = (f: string): Parsed | undefined => {
    try {
      let text = f === "-" ? "" : sh.io.fs.readFile(sh.resolve(f));
      if (text.endsWith("\n")) text = text.slice(0, -1);
      o.chunks.push({ text, origin: { file: f } });
    } catch (err) {
      return { code: 4, err: `sed: couldn't open file ${f}: ${vfsErrorText(err)}\n` };
    }
    return undefined;
  };
  const longs = ["quiet", "silent", "expression=", "file=", "in-place", "line-length=", "regexp-extended", "separate", "null-data", "unbuffered", "posix", "sandbox", "debug", "follow-symlinks", "help", "version", "zero-terminated"];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const matches = longs.filter((l) => l.replace("=", "").startsWith(name));
      const exact = longs.find((l) => l.replace("=", "") === name);
      const opt = exact ?? (matches.length === 1 ? matches[0] : undefined);
      if (!opt) return usage(matches.length > 1 ? `option '${a}' is ambiguous` : `unrecognized option '${a}'`);
      const takes = opt.endsWith("=");
      let val = eq < 0 ? undefined : a.slice(eq + 1);
      if (takes && val === undefined) {
        val = argv[++i];
        if (val === undefined) return usage(`option '--${opt.slice(0, -1)}' requires an argument`);
      }
      switch (opt.replace("=", "")) {
        case "quiet":
        case "silent":
          o.quiet = true;
          break;
        case "expression":
          o.chunks.push({ text: val!, origin: { e: ++e } });
          break;
        case "file": {
          const bad = scriptFile(val!);
          if (bad) return bad;
          break;
        }
        case "in-place":
          o.inPlace = val ?? "";
          o.separate = true;
          break;
        case "line-length":
          o.lineLen = Number(val);
          break;
        case "regexp-extended":
          o.ere = true;
          break;
        case "separate":
          o.separate = true;
          break;
        case "null-data":
        case "zero-terminated":
          o.nul = true;
          break;
        case "help":
          return { code: 0, out: USAGE + CONTACT };
        case "version":
          return { code: 0, out: VERSION };
      }
      continue;
    }
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === "n") o.quiet = true;
      else if (c === "E" || c === "r") o.ere = true;
      else if (c === "s") o.separate = true;
      else if (c === "z") o.nul = true;
      else if (c === "u") continue;
      else if (c === "i") {
        o.inPlace = a.slice(j + 1);
        o.separate = true;
        break;
      } else if (c === "e" || c === "f" || c === "l") {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) return usage(`option requires an argument -- '${c}'`);
        if (c === "e") o.chunks.push({ text: v, origin: { e: ++e } });
        else if (c === "l") o.lineLen = Number(v);
        else {
          const bad = scriptFile(v);
          if (bad) return bad;
        }
        break;
      } else return usage(`invalid option -- '${c}'`);
    }
  }
  if (o.chunks.length === 0) {
    const script = operands.shift();
    if (script === undefined) return usage();
    o.chunks.push({ text: script, origin: { e: 1 } });
  }
  o.files = operands;
  if (o.inPlace !== undefined && o.files.length === 0) return { code: 4, err: "sed: no input files\n" };
  return { ok: o };
}

/** One input file's text, read whole, or standard input as it arrives. */
interface Source {
  name: string;
  text?: string;
  pos: number;
  stdin: boolean;
  /** In-place: the file's path. */
  path?: string;
}

class Run {
  ps = "";
  hs = "";
  /** Whether the hold space ends in a newline when printed (GNU keeps the flag with each buffer). */
  hsChomped = true;
  line = 0;
  /** The line last read had no trailing newline (the last line of a file without one). */
  chomped = true;
  replaced = false;
  quitCode: number | undefined;
  lastRe: SedRegex | undefined;
  appendQ: ({ text: string } | { file: string } | { rline: string })[] = [];
  status = 0;
  sources: Source[] = [];
  cur = 0;
  /** Output of the file being edited in place (undefined: standard output). */
  inPlaceOut: string[] | undefined;
  /** A newline is owed before the next output (the last line printed had none). */
  owed = false;
  wbufs = new Map<string, string>();
  rfiles = new Map<string, { lines: string[]; at: number }>();
  stdinBuf = "";
  stdinEof = false;
  readonly nl: string;

  constructor(
    readonly sh: Shell,
    readonly o: Options,
    readonly prog: Compiled,
  ) {
    this.nl = o.nul ? "\0" : "\n";
  }

  out(s: string): void {
    if (this.owed) {
      this.owed = false;
      this.emit(this.nl);
    }
    this.emit(s);
  }
  emit(s: string): void {
    if (this.inPlaceOut) this.inPlaceOut.push(s);
    else this.sh.stdout.write(s);
  }
  /** The pattern space (or another line) with its newline, unless the input line had none. */
  outLine(s: string, chomped: boolean): void {
    this.out(s);
    if (chomped) this.out(this.nl);
    else this.owed = true;
  }

  error(msg: string): void {
    this.sh.stderr.write(`sed: ${msg}\n`);
  }

  /** Opens the next source that exists, reporting the missing ones; false at the end. */
  openNext(): boolean {
    while (this.cur < this.sources.length) {
      const s = this.sources[this.cur]!;
      if (s.stdin || s.text !== undefined) return true;
      const path = this.sh.resolve(s.name);
      const st = this.sh.io.fs.stat(path);
      if (st?.type === "dir") {
        this.error(this.o.inPlace !== undefined ? `couldn't edit ${s.name}: not a regular file` : `read error on ${s.name}: Is a directory`);
        this.status = this.o.inPlace !== undefined ? 4 : 2;
        if (this.o.inPlace !== undefined) return false;
        this.cur++;
        continue;
      }
      try {
        s.text = path === "/dev/null" && !st ? "" : this.sh.io.fs.readFile(path);
        s.path = path;
        return true;
      } catch (e) {
        this.error(`can't read ${s.name}: ${vfsErrorText(e)}`);
        this.status = 2;
        this.cur++;
      }
    }
    return false;
  }

  /** Whether the current source has a line left (waits for standard input). */
  *hasLine(s: Source): G<boolean> {
    if (!s.stdin) return s.pos < s.text!.length;
    while (this.stdinBuf === "" && !this.stdinEof) {
      const chunk = yield* this.sh.stdin.readChunkG();
      if (chunk === undefined) this.stdinEof = true;
      else this.stdinBuf += chunk;
    }
    return this.stdinBuf !== "";
  }

  /** Reads one line of the current source: [text, had a newline]. */
  *takeLine(s: Source): G<[string, boolean]> {
    if (!s.stdin) {
      const end = s.text!.indexOf(this.nl, s.pos);
      const line = end < 0 ? s.text!.slice(s.pos) : s.text!.slice(s.pos, end);
      s.pos = end < 0 ? s.text!.length : end + 1;
      return [line, end >= 0];
    }
    for (;;) {
      const end = this.stdinBuf.indexOf(this.nl);
      if (end >= 0) {
        const line = this.stdinBuf.slice(0, end);
        this.stdinBuf = this.stdinBuf.slice(end + 1);
        return [line, true];
      }
      if (this.stdinEof) {
        const line = this.stdinBuf;
        this.stdinBuf = "";
        return [line, false];
      }
      const chunk = yield* this.sh.stdin.readChunkG();
      if (chunk === undefined) this.stdinEof = true;
      else this.stdinBuf += chunk;
    }
  }

  /** Reads the next input line into `line` (appending for N); false at the end of input. */
  *read(): G<string | undefined> {
    for (;;) {
      if (!this.openNext()) return undefined;
      const s = this.sources[this.cur]!;
      if (this.o.inPlace !== undefined && this.inPlaceOut === undefined) this.inPlaceOut = [];
      if (yield* this.hasLine(s)) {
        const [text, nl] = yield* this.takeLine(s);
        this.line++;
        this.chomped = nl;
        return text;
      }
      if (this.o.separate) {
        if (!this.finishFile()) return undefined;
        this.line = 0;
      }
      this.cur++;
    }
  }

  /** In place: writes the edited file (and its backup); false after an I/O error. */
  finishFile(): boolean {
    const s = this.sources[this.cur];
    if (this.o.inPlace === undefined || !s?.path || this.inPlaceOut === undefined) return true;
    const text = this.inPlaceOut.join("") + (this.owed ? "" : "");
    this.inPlaceOut = undefined;
    this.owed = false;
    const fs = this.sh.io.fs;
    try {
      const suffix = this.o.inPlace;
      if (suffix) {
        const base = s.path.slice(s.path.lastIndexOf("/") + 1);
        const dir = s.path.slice(0, s.path.lastIndexOf("/") + 1);
        const backup = suffix.includes("*") ? suffix.replace(/\*/g, base) : base + suffix;
        fs.writeFile(backup.includes("/") ? this.sh.resolve(backup) : dir + backup, s.text!);
      }
      fs.writeFile(s.path, text);
    } catch (e) {
      const dir = s.name.includes("/") ? s.name.slice(0, s.name.lastIndexOf("/")) : ".";
      this.error(`couldn't open temporary file ${dir}/sed${tempSuffix(s.path)}: ${vfsErrorText(e)}`);
      this.status = 4;
      return false;
    }
    return true;
  }

  /** Whether the line just read is the last (of its file with -s/-i). */
  *isLast(): G<boolean> {
    const s = this.sources[this.cur];
    if (!s) return true;
    if (yield* this.hasLine(s)) return false;
    if (this.o.separate) return true;
    for (let k = this.cur + 1; k < this.sources.length; k++) {
      const n = this.sources[k]!;
      if (n.stdin) {
        if (yield* this.hasLine(n)) return false;
        continue;
      }
      try {
        const p = this.sh.resolve(n.name);
        if (p !== "/dev/null" && this.sh.io.fs.readFile(p) !== "") return false;
      } catch {
        // reported when it is opened
      }
    }
    return true;
  }

  *matchAddr(a: Address): G<boolean> {
    switch (a.k) {
      case "line":
        return this.line === a.n;
      case "last":
        return yield* this.isLast();
      case "step":
        return a.step <= 0 ? this.line === a.first : this.line >= a.first && (this.line - a.first) % a.step === 0;
      case "re":
        return this.test(a.r.rx);
      case "plus":
      case "mult":
        return false;
    }
  }

  regex(rx: SedRegex | undefined): SedRegex {
    const r = rx ?? this.lastRe;
    if (!r) throw new SedError("no previous regular expression");
    this.lastRe = r;
    return r;
  }

  test(rx: SedRegex | undefined): boolean {
    const r = this.regex(rx);
    r.re.lastIndex = 0;
    return r.re.test(this.ps);
  }

  *selected(c: Command): G<boolean> {
    if (!c.a1) return true;
    if (!c.a2) return yield* this.matchAddr(c.a1);
    if (c.active) {
      const a2 = c.a2;
      if (c.endLine !== undefined) {
        if (this.line >= c.endLine) {
          c.active = false;
          if (this.line === c.endLine) return true;
          return yield* this.openRange(c);
        }
        return true;
      }
      if (a2.k === "last") {
        if (yield* this.isLast()) c.active = false;
        return true;
      }
      if (a2.k === "re") {
        if (this.test(a2.r.rx)) c.active = false;
        return true;
      }
      return true;
    }
    return yield* this.openRange(c);
  }

  *openRange(c: Command): G<boolean> {
    if (!(yield* this.matchAddr(c.a1!))) return false;
    const a2 = c.a2!;
    c.endLine = undefined;
    switch (a2.k) {
      case "line":
        if (a2.n <= this.line) return true;
        c.endLine = a2.n;
        break;
      case "plus":
        if (a2.n === 0) return true;
        c.endLine = this.line + a2.n;
        break;
      case "mult":
        if (a2.n <= 0 || this.line % a2.n === 0) return true;
        c.endLine = Math.ceil(this.line / a2.n) * a2.n;
        break;
      case "step":
        c.endLine = a2.first;
        if (a2.first <= this.line) return true;
        break;
      case "last":
        if (yield* this.isLast()) return true;
        break;
    }
    c.active = true;
    return true;
  }

  dumpAppend(): void {
    for (const q of this.appendQ) {
      if ("text" in q) this.out(q.text);
      else if ("rline" in q) this.out(q.rline);
      else {
        if (q.file === "/dev/stdin") continue;
        try {
          const t = this.sh.io.fs.readFile(this.sh.resolve(q.file));
          if (t !== "") this.out(t);
        } catch {
          // r of a missing file reads nothing
        }
      }
    }
    this.appendQ = [];
  }

  write(file: string, s: string): void {
    if (file === "/dev/stdout") this.out(s + this.nl);
    else if (file === "/dev/stderr") this.sh.stderr.write(s + this.nl);
    else {
      const prev = this.wbufs.get(file) ?? "";
      this.wbufs.set(file, prev + s + this.nl);
      try {
        this.sh.io.fs.writeFile(this.sh.resolve(file), prev + s + this.nl);
      } catch {
        // the open error was reported at the start
      }
    }
  }

  substitute(c: Command): boolean {
    const s = c.s!;
    const r = this.regex(s.r.rx);
    const text = this.ps;
    let out = "";
    let start = 0;
    let count = 0;
    let did = false;
    let prevEnd = -1;
    while (start <= text.length) {
      const m = longestAt(r.re, r.t, text, start);
      if (!m) break;
      const at = m.index;
      const len = m[0].length;
      if (len === 0 && at === prevEnd) {
        // No empty match right after the previous match.
        if (at >= text.length) break;
        out += text.slice(start, at + 1);
        start = at + 1;
        continue;
      }
      out += text.slice(start, at);
      count++;
      if (count < s.nth) {
        out += m[0];
      } else {
        out += expand(s.repl, m);
        did = true;
      }
      prevEnd = at + len;
      start = at + len;
      if (len === 0) {
        if (at < text.length) out += text[at];
        start = at + 1;
      }
      if (did && !s.global) break;
    }
    if (!did) return false;
    if (start <= text.length) out += text.slice(start);
    this.ps = out;
    return true;
  }
}

/** The replacement with its references and GNU case conversions (`\U \L \u \l \E`). */
function expand(parts: ReplPart[], m: RegExpExecArray): string {
  let out = "";
  let mode: "U" | "L" | "" = "";
  let once: "u" | "l" | "" = "";
  const add = (s: string) => {
    if (s === "") return;
    let t = mode === "U" ? s.toUpperCase() : mode === "L" ? s.toLowerCase() : s;
    if (once) {
      t = (once === "u" ? t[0]!.toUpperCase() : t[0]!.toLowerCase()) + t.slice(1);
      once = "";
    }
    out += t;
  };
  for (const p of parts) {
    if (p.k === "lit") add(p.s);
    else if (p.k === "ref") add(m[p.n] ?? "");
    else if (p.c === "U" || p.c === "L") {
      mode = p.c;
      once = "";
    } else if (p.c === "E") {
      mode = "";
      once = "";
    } else once = p.c;
  }
  return out;
}

/** `l`: the pattern space unambiguously, wrapped at `width` (0 or 1: not wrapped), ending in `$`. */
function listLine(s: string, width: number): string {
  const esc: string[] = [];
  for (const b of Buffer.from(s, "utf8")) {
    const ch = String.fromCharCode(b);
    if (b === 0x5c) esc.push("\\\\");
    else if (b === 7) esc.push("\\a");
    else if (b === 8) esc.push("\\b");
    else if (b === 12) esc.push("\\f");
    else if (b === 10) esc.push("\\n");
    else if (b === 13) esc.push("\\r");
    else if (b === 9) esc.push("\\t");
    else if (b === 11) esc.push("\\v");
    else if (b < 0x20 || b >= 0x7f) esc.push("\\" + b.toString(8).padStart(3, "0"));
    else esc.push(ch);
  }
  let out = "";
  let col = 0;
  for (const e of esc) {
    if (width > 1 && col + e.length > width - 1) {
      out += "\\\n";
      col = 0;
    }
    out += e;
    col += e.length;
  }
  return out + "$\n";
}

/** GNU's temporary file name is random (mkostemp); here a fixed one from the path. */
function tempSuffix(path: string): string {
  let h = 2166136261;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619) >>> 0;
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < 6; i++) {
    s += abc[h % 62];
    h = Math.floor(h / 62) + (i + 1) * 7919;
  }
  return s;
}

export function* sed(sh: Shell, argv: string[]): G<number> {
  const parsed = parseArgs(sh, argv);
  if (!("ok" in parsed)) {
    if (parsed.out) sh.stdout.write(parsed.out);
    if (parsed.err) sh.stderr.write(parsed.err);
    return parsed.code;
  }
  const o = parsed.ok;
  let prog: Compiled;
  try {
    prog = compileScript(o.chunks, o.ere);
  } catch (e) {
    if (e instanceof SedError) {
      sh.stderr.write(`sed: ${e.message}\n`);
      return e.code;
    }
    throw e;
  }
  if (prog.hashN && o.chunks[0]?.text.startsWith("#n") && (o.chunks[0].text === "#n" || o.chunks[0].text.startsWith("#n\n"))) o.quiet = true;
  const run = new Run(sh, o, prog);
  for (const f of prog.wfiles) {
    if (f === "/dev/stdout" || f === "/dev/stderr") continue;
    try {
      sh.io.fs.writeFile(sh.resolve(f), "");
    } catch (e) {
      sh.stderr.write(`sed: couldn't open file ${f}: ${vfsErrorText(e)}\n`);
      return 4;
    }
  }
  run.sources = (o.files.length ? o.files : ["-"]).map((name) => ({ name, pos: 0, stdin: name === "-" && o.inPlace === undefined }));
  try {
    yield* execute(run);
  } catch (e) {
    if (e instanceof SedError) {
      sh.stderr.write(`sed: ${e.message}\n`);
      return 4;
    }
    if (e instanceof VfsError) {
      sh.stderr.write(`sed: ${vfsErrorText(e)}\n`);
      return 4;
    }
    throw e;
  }
  return run.quitCode ?? run.status;
}

function* execute(run: Run): G<void> {
  const { cmds } = run.prog;
  const o = run.o;
  let restart = false;
  for (;;) {
    if (!restart) {
      const l = yield* run.read();
      if (l === undefined) break;
      run.ps = l;
      run.replaced = false;
    }
    restart = false;
    let pc = 0;
    let autoprint = !o.quiet;
    let endCycle = false;
    while (pc < cmds.length && !endCycle) {
      const c = cmds[pc]!;
      let sel = yield* run.selected(c);
      if (c.neg) sel = !sel;
      if (!sel) {
        pc = c.name === "{" ? c.jump! : pc + 1;
        continue;
      }
      pc++;
      switch (c.name) {
        case "{":
        case "}":
          break;
        case "=":
          run.out(`${run.line}\n`);
          break;
        case "a":
          run.appendQ.push({ text: c.text! });
          break;
        case "i":
          run.out(c.text!);
          break;
        case "c":
          if (!c.a2 || !c.active || c.neg) run.out(c.text!);
          autoprint = false;
          endCycle = true;
          break;
        case "b":
          pc = c.jump! < 0 ? cmds.length : c.jump!;
          break;
        case "t":
          if (run.replaced) {
            run.replaced = false;
            pc = c.jump! < 0 ? cmds.length : c.jump!;
          }
          break;
        case "T":
          if (!run.replaced) pc = c.jump! < 0 ? cmds.length : c.jump!;
          else run.replaced = false;
          break;
        case "d":
          autoprint = false;
          endCycle = true;
          break;
        case "D": {
          const nl = run.ps.indexOf("\n");
          if (nl < 0) {
            autoprint = false;
            endCycle = true;
            break;
          }
          run.ps = run.ps.slice(nl + 1);
          run.dumpAppend();
          autoprint = false;
          endCycle = true;
          restart = true;
          break;
        }
        case "F":
          run.out(`${run.sources[run.cur]?.name ?? "-"}\n`);
          break;
        case "g":
          run.ps = run.hs;
          run.chomped = run.hsChomped;
          break;
        case "G":
          run.ps += "\n" + run.hs;
          run.chomped = run.hsChomped;
          break;
        case "h":
          run.hs = run.ps;
          run.hsChomped = run.chomped;
          break;
        case "H":
          run.hs += "\n" + run.ps;
          run.hsChomped = run.chomped;
          break;
        case "x":
          [run.ps, run.hs] = [run.hs, run.ps];
          [run.chomped, run.hsChomped] = [run.hsChomped, run.chomped];
          break;
        case "z":
          run.ps = "";
          break;
        case "l":
        case "L":
          run.out(listLine(run.ps, c.int ?? o.lineLen));
          break;
        case "n": {
          if (yield* run.isLast()) {
            // GNU: at the end of input n quits, printing the pattern space unless -n.
            endCycle = true;
            run.quitCode = run.quitCode ?? undefined;
            pc = cmds.length;
            break;
          }
          if (!o.quiet) run.outLine(run.ps, run.chomped);
          run.dumpAppend();
          const l = yield* run.read();
          if (l === undefined) {
            autoprint = false;
            endCycle = true;
            break;
          }
          run.ps = l;
          run.replaced = false;
          break;
        }
        case "N": {
          if (yield* run.isLast()) {
            endCycle = true;
            break;
          }
          run.dumpAppend();
          const l = yield* run.read();
          if (l === undefined) {
            endCycle = true;
            break;
          }
          run.ps += "\n" + l;
          run.replaced = false;
          break;
        }
        case "p":
          run.outLine(run.ps, run.chomped);
          break;
        case "P": {
          const nl = run.ps.indexOf("\n");
          run.outLine(nl < 0 ? run.ps : run.ps.slice(0, nl), true);
          break;
        }
        case "q":
          run.quitCode = c.int ?? 0;
          endCycle = true;
          break;
        case "Q":
          run.quitCode = c.int ?? 0;
          autoprint = false;
          run.appendQ = [];
          endCycle = true;
          break;
        case "r":
          run.appendQ.push({ file: c.text! });
          break;
        case "R": {
          let f = run.rfiles.get(c.text!);
          if (!f) {
            let lines: string[] = [];
            try {
              const t = run.sh.io.fs.readFile(run.sh.resolve(c.text!));
              lines = t.split("\n");
              if (lines[lines.length - 1] === "") lines.pop();
              lines = lines.map((x) => x + "\n");
            } catch {
              // nothing to read
            }
            f = { lines, at: 0 };
            run.rfiles.set(c.text!, f);
          }
          if (f.at < f.lines.length) run.appendQ.push({ rline: f.lines[f.at++]! });
          break;
        }
        case "w":
          run.write(c.text!, run.ps);
          break;
        case "W": {
          const nl = run.ps.indexOf("\n");
          run.write(c.text!, nl < 0 ? run.ps : run.ps.slice(0, nl));
          break;
        }
        case "s":
          if (run.substitute(c)) {
            run.replaced = true;
            if (c.s!.print) run.outLine(run.ps, run.chomped);
            if (c.s!.wfile) run.write(c.s!.wfile, run.ps);
          }
          break;
        case "y":
          run.ps = [...run.ps].map((ch) => c.y!.get(ch) ?? ch).join("");
          break;
      }
    }
    if (autoprint) run.outLine(run.ps, run.chomped);
    if (!restart) run.dumpAppend();
    if (run.quitCode !== undefined) break;
  }
  // In place: the file being edited when q ended the script keeps only what was printed (`sed -i 2q`).
  if (o.inPlace !== undefined && run.inPlaceOut !== undefined) {
    run.finishFile();
  }
}
