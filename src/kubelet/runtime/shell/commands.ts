/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * Shell builtins and busybox applets, with busybox 1.28's option handling and message texts.
 * Each is a generator (effects.ts) so it can block in simulated time (`sleep`, `wget`, `wait`).
 */
import { VfsError } from "../types.ts";
import { appletError, getopt, vfsErrorText } from "./util.ts";
import { BreakSignal, ContinueSignal, ExitSignal, ReturnSignal, type G, type JobHandle } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { runNestedShell } from "./interp.ts";
import { signalName, signalNumber } from "./util.ts";
import { isName } from "./parser.ts";
import { evalArith } from "./arith.ts";
import { NET_APPLETS } from "./net.ts";
import { TEXT_APPLETS } from "./text.ts";

export type { CommandFn } from "./util.ts";
import type { CommandFn } from "./util.ts";
export { appletError, getopt, vfsErrorText };

function* done(n: number): G<number> {
  return n;
}

// ---- echo / printf ----------------------------------------------------------------------------

function echoEscapes(s: string): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "c":
        return { text: out, stop: true };
      case "e":
        out += "\x1b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "v":
        out += "\v";
        break;
      case "\\":
        out += "\\";
        break;
      case "0": {
        const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
        out += String.fromCharCode(parseInt(m || "0", 8));
        i += m.length;
        break;
      }
      case "x": {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += "\\x";
        break;
      }
      default:
        out += "\\" + n;
    }
  }
  return { text: out, stop: false };
}

function* echo(sh: Shell, argv: string[]): G<number> {
  let i = 1;
  let newline = true;
  let escapes = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!/^-[neE]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (c === "n") newline = false;
      else if (c === "e") escapes = true;
      else escapes = false;
    }
  }
  let text = argv.slice(i).join(" ");
  if (escapes) {
    const r = echoEscapes(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  sh.stdout.write(newline ? text + "\n" : text);
  return 0;
}

function parseNumberArg(s: string): number | undefined {
  if (/^[+-]?[0-9]+$/.test(s.trim())) return parseInt(s, 10);
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s.trim())) return parseInt(s, 16);
  if (/^['"]./.test(s)) return s.charCodeAt(1);
  if (/^[+-]?[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?$/.test(s.trim())) return Number(s);
  return undefined;
}

export function formatPrintf(sh: Shell, fmt: string, args: string[]): { out: string; status: number } {
  let out = "";
  let status = 0;
  let ai = 0;
  const next = (): string | undefined => args[ai++];
  do {
    const startAi = ai;
    for (let i = 0; i < fmt.length; i++) {
      const c = fmt[i]!;
      if (c === "\\") {
        const r = echoEscapes(fmt.slice(i, i + 5));
        // consume exactly one escape
        const m = /^\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/.exec(fmt.slice(i));
        const esc = m ? m[0] : "\\";
        if (/^\\[1-7]/.test(esc)) out += String.fromCharCode(parseInt(esc.slice(1), 8));
        else out += echoEscapes(esc).text;
        void r;
        i += esc.length - 1;
        continue;
      }
      if (c !== "%") {
        out += c;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]+))?([diouxXfeEgGcsb%])/.exec(fmt.slice(i));
      if (!m) {
        sh.stderr.write(`printf: %${fmt[i + 1] ?? ""}: invalid format\n`);
        return { out, status: 1 };
      }
      i += m[0].length - 1;
      const flags = m[1]!;
      let width = m[2] === "*" ? Number(next() ?? 0) : m[2] ? Number(m[2]) : undefined;
      const prec = m[3] === "*" ? Number(next() ?? 0) : m[3] !== undefined ? Number(m[3]) : undefined;
      const conv = m[4]!;
      if (conv === "%") {
        out += "%";
        continue;
      }
      const arg = next();
      let s: string;
      switch (conv) {
        case "s":
          s = arg ?? "";
          if (prec !== undefined) s = s.slice(0, prec);
          break;
        case "b":
          s = echoEscapes(arg ?? "").text;
          break;
        case "c":
          s = (arg ?? "").slice(0, 1);
          break;
        case "d":
        case "i":
        case "o":
        case "u":
        case "x":
        case "X": {
          let n = arg === undefined || arg === "" ? 0 : parseNumberArg(arg);
          if (n === undefined) {
            sh.stderr.write(`printf: invalid number '${arg}'\n`);
            status = 1;
            n = 0;
          }
          n = Math.trunc(n);
          const base = conv === "o" ? 8 : conv === "x" || conv === "X" ? 16 : 10;
          s = Math.abs(n).toString(base);
          if (conv === "X") s = s.toUpperCase();
          if (prec !== undefined) s = s.padStart(prec, "0");
          if (n < 0) s = "-" + s;
          else if (flags.includes("+")) s = "+" + s;
          else if (flags.includes(" ")) s = " " + s;
          break;
        }
        default: {
          let n = arg === undefined || arg === "" ? 0 : parseNumberArg(arg);
          if (n === undefined) {
            sh.stderr.write(`printf: invalid number '${arg}'\n`);
            status = 1;
            n = 0;
          }
          const p = prec ?? 6;
          s = conv === "f" ? n.toFixed(p) : conv === "e" || conv === "E" ? n.toExponential(p) : String(Number(n.toPrecision(p || 1)));
          if (conv === "E" || conv === "G") s = s.toUpperCase();
          if (n >= 0 && flags.includes("+")) s = "+" + s;
        }
      }
      if (width !== undefined && width < 0) {
        width = -width;
        s = s.padEnd(width);
      } else if (width !== undefined) {
        if (flags.includes("-")) s = s.padEnd(width);
        else if (flags.includes("0") && /[diouxXfeEgG]/.test(conv)) {
          const neg = /^[-+ ]/.test(s) ? s[0]! : "";
          s = neg + s.slice(neg.length).padStart(width - neg.length, "0");
        } else s = s.padStart(width);
      }
      out += s;
    }
    if (ai === startAi) break;
  } while (ai < args.length);
  return { out, status };
}

function* printf(sh: Shell, argv: string[]): G<number> {
  const args = argv[1] === "--" ? argv.slice(2) : argv.slice(1);
  if (args.length === 0) {
    sh.stderr.write("printf: usage: printf FORMAT [ARGUMENT...]\n");
    return 2;
  }
  const r = formatPrintf(sh, args[0]!, args.slice(1));
  sh.stdout.write(r.out);
  return r.status;
}

// ---- test ------------------------------------------------------------------------------------

class TestSyntax {
  constructor(readonly msg: string) {}
}

type Stat = ReturnType<Shell["io"]["fs"]["stat"]>;

function testStat(sh: Shell, p: string): Stat {
  return sh.io.fs.stat(sh.resolve(p));
}

function testInt(s: string): number {
  const t = s.trim();
  if (!/^[+-]?[0-9]+$/.test(t)) throw new TestSyntax(`${s}: bad number`);
  return parseInt(t, 10);
}

const TEST_UNARY: Record<string, (sh: Shell, a: string) => boolean> = {
  "-e": (sh, a) => !!testStat(sh, a),
  "-f": (sh, a) => testStat(sh, a)?.type === "file",
  "-d": (sh, a) => testStat(sh, a)?.type === "dir",
  "-s": (sh, a) => {
    const st = testStat(sh, a);
    return !!st && st.type === "file" && st.size > 0;
  },
  "-r": (sh, a) => !!testStat(sh, a),
  "-w": (sh, a) => !!testStat(sh, a),
  "-x": (sh, a) => {
    const st = testStat(sh, a);
    return !!st && (st.type === "dir" || (st.mode & 0o111) !== 0);
  },
  "-L": () => false,
  "-h": () => false,
  "-p": () => false,
  "-S": () => false,
  "-b": () => false,
  "-c": (_sh, a) => a === "/dev/null",
  "-t": () => false,
  "-z": (_sh, a) => a === "",
  "-n": (_sh, a) => a !== "",
};

const TEST_BINARY: Record<string, (sh: Shell, a: string, b: string) => boolean> = {
  "=": (_sh, a, b) => a === b,
  "==": (_sh, a, b) => a === b,
  "!=": (_sh, a, b) => a !== b,
  "<": (_sh, a, b) => a < b,
  ">": (_sh, a, b) => a > b,
  "-eq": (_sh, a, b) => testInt(a) === testInt(b),
  "-ne": (_sh, a, b) => testInt(a) !== testInt(b),
  "-lt": (_sh, a, b) => testInt(a) < testInt(b),
  "-le": (_sh, a, b) => testInt(a) <= testInt(b),
  "-gt": (_sh, a, b) => testInt(a) > testInt(b),
  "-ge": (_sh, a, b) => testInt(a) >= testInt(b),
  "-nt": (sh, a, b) => (testStat(sh, a)?.mtimeMs ?? -Infinity) > (testStat(sh, b)?.mtimeMs ?? -Infinity),
  "-ot": (sh, a, b) => (testStat(sh, a)?.mtimeMs ?? Infinity) < (testStat(sh, b)?.mtimeMs ?? Infinity),
};

/** The general `test` grammar (-o, -a, !, parentheses) for more than three arguments. */
class TestExpr {
  i = 0;
  constructor(
    private readonly sh: Shell,
    private readonly args: string[],
  ) {}

  or(): boolean {
    let v = this.and();
    while (this.args[this.i] === "-o") {
      this.i++;
      const r = this.and();
      v = v || r;
    }
    return v;
  }

  and(): boolean {
    let v = this.not();
    while (this.args[this.i] === "-a") {
      this.i++;
      const r = this.not();
      v = v && r;
    }
    return v;
  }

  not(): boolean {
    if (this.args[this.i] === "!" && this.i + 1 < this.args.length) {
      this.i++;
      return !this.not();
    }
    return this.primary();
  }

  primary(): boolean {
    const args = this.args;
    const i = this.i;
    const a = args[i];
    if (a === undefined) throw new TestSyntax("argument expected");
    if (a === "(" && i + 1 < args.length && !(args[i + 2] !== undefined && TEST_BINARY[args[i + 1]!] && args[i + 3] !== ")")) {
      this.i++;
      const v = this.or();
      if (args[this.i] !== ")") throw new TestSyntax(args[this.i] === undefined ? "closing paren expected" : `${args[this.i]}: unknown operand`);
      this.i++;
      return v;
    }
    const op = args[i + 1];
    const bin = op === undefined ? undefined : TEST_BINARY[op];
    if (bin && args[i + 2] !== undefined) {
      this.i += 3;
      return bin(this.sh, a, args[i + 2]!);
    }
    const un = TEST_UNARY[a];
    if (un && args[i + 1] !== undefined) {
      this.i += 2;
      return un(this.sh, args[i + 1]!);
    }
    this.i++;
    return a !== "";
  }
}

function testCmd(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  if (argv[0] === "[") {
    if (args[args.length - 1] !== "]") {
      sh.error("missing ]");
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    if (args.length === 0) return 1;
    // POSIX rules for few arguments
    if (args.length === 1) return args[0] !== "" ? 0 : 1;
    if (args.length === 2) {
      if (args[0] === "!") return args[1] !== "" ? 1 : 0;
      const u = TEST_UNARY[args[0]!];
      if (u) return u(sh, args[1]!) ? 0 : 1;
      throw new TestSyntax(`${args[0]}: unknown operand`);
    }
    const bin = TEST_BINARY[args[1]!];
    if (args.length === 3 && bin) return bin(sh, args[0]!, args[2]!) ? 0 : 1;
    const e = new TestExpr(sh, args);
    const v = e.or();
    if (e.i < args.length) throw new TestSyntax(`${args[e.i]}: unknown operand`);
    return v ? 0 : 1;
  } catch (err) {
    if (err instanceof TestSyntax) {
      sh.error(err.msg);
      return 2;
    }
    throw err;
  }
}

// ---- shell builtins ----------------------------------------------------------------------------

function* exitBuiltin(sh: Shell, argv: string[]): G<number> {
  const a = argv[1];
  if (a === undefined) throw new ExitSignal(sh.status);
  if (!/^[0-9]+$/.test(a)) {
    sh.builtinError("exit", `Illegal number: ${a}`);
    throw new ExitSignal(2);
  }
  throw new ExitSignal(Number(a) & 255);
}

function* loopControl(sh: Shell, argv: string[]): G<number> {
  const n = argv[1] === undefined ? 1 : Number(argv[1]);
  if (!Number.isInteger(n) || n < 1) {
    sh.builtinError(argv[0]!, `Illegal number: ${argv[1]}`);
    throw new ExitSignal(2);
  }
  if (sh.loopDepth === 0) return 0;
  const levels = Math.min(n, sh.loopDepth);
  throw argv[0] === "break" ? new BreakSignal(levels) : new ContinueSignal(levels);
}

function* returnBuiltin(sh: Shell, argv: string[]): G<number> {
  const a = argv[1];
  const code = a === undefined ? sh.status : Number(a);
  if (!Number.isInteger(code)) {
    sh.builtinError("return", `Illegal number: ${a}`);
    throw new ExitSignal(2);
  }
  if (sh.funcDepth === 0) throw new ExitSignal(code & 255);
  throw new ReturnSignal(code & 255);
}

function* cd(sh: Shell, argv: string[]): G<number> {
  const target = argv[1] === undefined ? (sh.getVar("HOME") ?? "/") : argv[1] === "-" ? (sh.getVar("OLDPWD") ?? sh.cwd) : argv[1];
  const path = sh.resolve(target);
  const st = sh.io.fs.stat(path);
  if (!st || st.type !== "dir") {
    sh.builtinError("cd", `can't cd to ${target}`);
    return 2;
  }
  sh.setVar("OLDPWD", sh.cwd, { exported: true });
  sh.setVar("PWD", path, { exported: true });
  if (argv[1] === "-") sh.stdout.write(path + "\n");
  return 0;
}

function* exportBuiltin(sh: Shell, argv: string[]): G<number> {
  const args = argv.slice(1).filter((a) => a !== "-p" && a !== "-n");
  if (args.length === 0) {
    for (const [k, v] of [...sh.vars].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (v.exported) sh.stdout.write(`export ${k}='${v.value.replace(/'/g, "'\"'\"'")}'\n`);
    }
    return 0;
  }
  for (const a of args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!isName(name)) {
      sh.builtinError("export", `${name}: bad variable name`);
      throw new ExitSignal(2);
    }
    if (eq < 0) {
      const v = sh.vars.get(name);
      if (v) v.exported = true;
      else sh.vars.set(name, { value: "", exported: true, unsetButExported: true } as never);
    } else sh.setVar(name, a.slice(eq + 1), { exported: true });
  }
  return 0;
}

function* readonlyBuiltin(sh: Shell, argv: string[]): G<number> {
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
    const v = sh.vars.get(name) ?? { value: "", exported: false };
    sh.vars.set(name, { ...v, readonly: true });
  }
  return 0;
}

function* unset(sh: Shell, argv: string[]): G<number> {
  let funcs = false;
  for (const a of argv.slice(1)) {
    if (a === "-f") funcs = true;
    else if (a === "-v") funcs = false;
    else if (funcs) sh.funcs.delete(a);
    else {
      if (sh.vars.get(a)?.readonly) {
        sh.builtinError("unset", `${a}: is read only`);
        throw new ExitSignal(2);
      }
      sh.vars.delete(a);
    }
  }
  return 0;
}

function* setBuiltin(sh: Shell, argv: string[]): G<number> {
  if (argv.length === 1) {
    for (const [k, v] of [...sh.vars].sort(([a], [b]) => (a < b ? -1 : 1))) sh.stdout.write(`${k}='${v.value}'\n`);
    return 0;
  }
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      sh.positional = argv.slice(i);
      return 0;
    }
    if (!/^[-+]/.test(a) || a === "-" || a === "+") break;
    const on = a[0] === "-";
    if (a.slice(1) === "o") {
      const name = argv[++i];
      const map: Record<string, "errexit" | "nounset" | "xtrace" | "pipefail"> = { errexit: "errexit", nounset: "nounset", xtrace: "xtrace", pipefail: "pipefail" };
      if (name && map[name]) sh[map[name]] = on;
      else if (name && !["noglob", "noclobber", "monitor", "allexport"].includes(name)) {
        sh.builtinError("set", `Illegal option -o ${name}`);
        throw new ExitSignal(2);
      }
      continue;
    }
    for (const c of a.slice(1)) {
      if (c === "e") sh.errexit = on;
      else if (c === "u") sh.nounset = on;
      else if (c === "x") sh.xtrace = on;
      else if (!"fvnCamb".includes(c)) {
        sh.builtinError("set", `Illegal option ${a[0]}${c}`);
        throw new ExitSignal(2);
      }
    }
  }
  if (i < argv.length) sh.positional = argv.slice(i);
  return 0;
}

function* shift(sh: Shell, argv: string[]): G<number> {
  const n = argv[1] === undefined ? 1 : Number(argv[1]);
  if (!Number.isInteger(n) || n < 0 || n > sh.positional.length) {
    sh.builtinError("shift", "can't shift that many");
    throw new ExitSignal(2);
  }
  sh.positional = sh.positional.slice(n);
  return 0;
}

function* evalBuiltin(sh: Shell, argv: string[]): G<number> {
  return yield* sh.evalText(argv.slice(1).join(" "));
}

function* dot(sh: Shell, argv: string[]): G<number> {
  const f = argv[1];
  if (f === undefined) {
    sh.builtinError(".", "filename argument required");
    throw new ExitSignal(2);
  }
  let src: string;
  try {
    src = sh.io.fs.readFile(sh.resolve(f));
  } catch {
    sh.builtinError(".", `can't open '${f}'`);
    throw new ExitSignal(2);
  }
  return yield* sh.evalText(src);
}

function* execBuiltin(sh: Shell, argv: string[]): G<number> {
  if (argv.length === 1) return 0;
  const st = yield* sh.runCommand(argv.slice(1));
  throw new ExitSignal(st);
}

const TRAP_SIGNALS = ["EXIT", "HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM"];

function* trap(sh: Shell, argv: string[]): G<number> {
  const args = argv.slice(1);
  if (args.length === 0) {
    for (const [sig, action] of sh.traps) sh.stdout.write(`trap -- '${action.replace(/'/g, "'\\''")}' ${sig}\n`);
    return 0;
  }
  if (args[0] === "-l") {
    sh.stdout.write(TRAP_SIGNALS.slice(1).map((s) => `${signalNumber(s)}) ${s}`).join("\n") + "\n");
    return 0;
  }
  let action: string | undefined = args[0]!;
  let sigs = args.slice(1);
  if (/^[0-9]+$/.test(action) && sigs.length === 0) {
    sigs = [action];
    action = undefined;
  } else if (action === "-") action = undefined;
  const st = 0;
  for (const s of sigs) {
    const n = signalNumber(s);
    const name = n === undefined ? undefined : n === 0 ? "EXIT" : signalName(n);
    if (name === undefined) {
      sh.builtinError("trap", `${s}: bad trap`);
      throw new ExitSignal(2);
    }
    if (action === undefined) sh.traps.delete(name);
    else sh.traps.set(name, action);
  }
  return st;
}

function* wait(sh: Shell, argv: string[]): G<number> {
  let jobs: JobHandle[] = sh.jobs;
  if (argv.length > 1) {
    jobs = [];
    for (const a of argv.slice(1)) {
      const j = /^%[0-9]+$/.test(a) ? sh.jobs[Number(a.slice(1)) - 1] : sh.jobs.find((x) => String(x.pid) === a);
      if (!j) {
        sh.builtinError("wait", `pid ${a} is not a child of this shell`);
        return 127;
      }
      jobs.push(j);
    }
  }
  if (jobs.length === 0) return 0;
  const r = yield { k: "wait", jobs, interruptible: true };
  if (r === "interrupted") return 128 + 15;
  // POSIX: `wait` with no operands returns 0; with pids, the last one's status
  return argv.length > 1 ? (jobs[jobs.length - 1]!.exitCode ?? 0) : 0;
}

function* read(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "rs", "ptnu");
  if (bad) {
    sh.builtinError("read", bad);
    return 2;
  }
  const names = rest.length ? rest : ["REPLY"];
  let line = yield* sh.stdin.readLineG();
  if (line === undefined) {
    for (const n of names) sh.setVar(n, "");
    return 1;
  }
  if (!opts.has("r")) {
    while (line.endsWith("\\")) {
      const more: string | undefined = yield* sh.stdin.readLineG();
      if (more === undefined) break;
      line = line.slice(0, -1) + more;
    }
    line = line.replace(/\\(.)/g, "$1");
  }
  const ifs = sh.getVar("IFS") ?? " \t\n";
  const isSep = (c: string) => ifs.includes(c);
  let s = line;
  const trim = (x: string) => {
    let a = 0;
    let b = x.length;
    while (a < b && isSep(x[a]!) && " \t\n".includes(x[a]!)) a++;
    while (b > a && isSep(x[b - 1]!) && " \t\n".includes(x[b - 1]!)) b--;
    return x.slice(a, b);
  };
  s = trim(s);
  for (let k = 0; k < names.length; k++) {
    if (k === names.length - 1) {
      sh.setVar(names[k]!, s);
      break;
    }
    let j = 0;
    while (j < s.length && !isSep(s[j]!)) j++;
    sh.setVar(names[k]!, s.slice(0, j));
    s = trim(s.slice(j + 1));
  }
  return 0;
}

function* local(sh: Shell, argv: string[]): G<number> {
  if (sh.funcDepth === 0) {
    sh.builtinError("local", "not in a function");
    return 2;
  }
  const frame = sh.localFrames[sh.localFrames.length - 1]!;
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (!isName(name)) {
      sh.builtinError("local", `${name}: bad variable name`);
      return 2;
    }
    if (!frame.has(name)) {
      const v = sh.vars.get(name);
      frame.set(name, v ? { ...v } : undefined);
    }
    // like ash, `local x` keeps the current value; `local x=v` sets it
    if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
  }
  return 0;
}

function* kill(sh: Shell, argv: string[]): G<number> {
  let sig = 15;
  let i = 1;
  const a1 = argv[1];
  if (a1 === "-l") {
    sh.stdout.write(TRAP_SIGNALS.slice(1).join(" ") + "\n");
    return 0;
  }
  if (a1 === "-s" || a1 === "-n") {
    const n = signalNumber(argv[2] ?? "");
    if (n === undefined) {
      sh.error(`bad signal name '${argv[2]}'`);
      return 1;
    }
    sig = n;
    i = 3;
  } else if (a1 !== undefined && /^-[A-Za-z0-9]+$/.test(a1)) {
    const n = signalNumber(a1.slice(1));
    if (n === undefined) {
      sh.error(`bad signal name '${a1.slice(1)}'`);
      return 1;
    }
    sig = n;
    i = 2;
  }
  const pids = argv.slice(i);
  if (pids.length === 0) {
    sh.error("kill: usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or kill -l [exitstatus]");
    return 1;
  }
  let st = 0;
  for (let p of pids) {
    if (/^%[0-9]+$/.test(p)) p = String(sh.jobs[Number(p.slice(1)) - 1]?.pid ?? p);
    if (p === String(sh.pid) || (p === "1" && sh.pid === 1)) {
      const name = signalName(sig);
      if (sig !== 0 && name) sh.env.signalSelf(name as "TERM");
      continue;
    }
    const job = sh.jobs.find((j) => String(j.pid) === p) ?? sh.task.children.find((j) => String(j.pid) === p);
    if (!job || job.exitCode !== undefined) {
      sh.error(`can't kill pid ${p}: No such process`);
      st = 1;
      continue;
    }
    if (sig !== 0) job.kill(128 + sig);
  }
  // A signal to ourselves is handled at the next command boundary.
  yield* sh.runTraps();
  return st;
}

function* typeBuiltin(sh: Shell, argv: string[]): G<number> {
  let st = 0;
  for (const n of argv.slice(1)) {
    if (sh.funcs.has(n)) sh.stdout.write(`${n} is a function\n`);
    else if (n in BUILTINS) sh.stdout.write(`${n} is a ${SPECIAL_BUILTINS.has(n) ? "special " : ""}shell builtin\n`);
    else if (sh.findApplet(n)) sh.stdout.write(`${n} is ${appletPath(n)}\n`);
    else {
      sh.stdout.write(`${n}: not found\n`);
      st = 127;
    }
  }
  return st;
}

function appletPath(n: string): string {
  return ["nslookup", "wget", "env", "id", "whoami", "seq", "expr", "head", "tail", "wc", "basename", "dirname", "tr", "cut", "sort", "uniq", "which", "printenv", "curl"].includes(n)
    ? `/usr/bin/${n}`
    : ["ifconfig", "route"].includes(n)
      ? `/sbin/${n}`
      : `/bin/${n}`;
}

function* commandBuiltin(sh: Shell, argv: string[]): G<number> {
  if (argv[1] === "-v" || argv[1] === "-V") {
    let st = 0;
    for (const n of argv.slice(2)) {
      if (sh.funcs.has(n) || n in BUILTINS) sh.stdout.write(`${n}\n`);
      else if (sh.findApplet(n)) sh.stdout.write(`${appletPath(n)}\n`);
      else st = 127;
    }
    return st;
  }
  const args = argv[1] === "--" ? argv.slice(2) : argv.slice(1);
  if (args.length === 0) return 0;
  const b = BUILTINS[args[0]!];
  if (b) return yield* b(sh, args);
  const a = sh.findApplet(args[0]!);
  if (a) return yield* a(sh, args);
  return yield* sh.runCommand(args);
}

function* which(sh: Shell, argv: string[]): G<number> {
  let st = 0;
  for (const n of argv.slice(1)) {
    if (sh.findApplet(n) && !(n in BUILTINS && !APPLETS[n] && !["echo", "printf", "test", "[", "kill", "true", "false", "pwd"].includes(n))) sh.stdout.write(`${appletPath(n)}\n`);
    else st = 1;
  }
  return st;
}

function* letBuiltin(sh: Shell, argv: string[]): G<number> {
  if (argv.length === 1) {
    sh.builtinError("let", "expression expected");
    return 1;
  }
  let v = 0;
  for (const e of argv.slice(1)) {
    const r = evalArith(e, sh);
    if (typeof r === "string") {
      sh.builtinError("let", r);
      return 2;
    }
    v = r;
  }
  return v === 0 ? 1 : 0;
}

function* pwd(sh: Shell): G<number> {
  sh.stdout.write(sh.cwd + "\n");
  return 0;
}

function* test(sh: Shell, argv: string[]): G<number> {
  return testCmd(sh, argv);
}

/** Special builtins: prefix assignments persist, errors may end the shell. */
export const SPECIAL_BUILTINS = new Set([":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift", "trap", "unset"]);

export const BUILTINS: Record<string, CommandFn> = {
  ":": () => done(0),
  true: () => done(0),
  false: () => done(1),
  echo,
  printf,
  test,
  "[": test,
  cd,
  pwd,
  export: exportBuiltin,
  readonly: readonlyBuiltin,
  unset,
  set: setBuiltin,
  shift,
  exit: exitBuiltin,
  return: returnBuiltin,
  break: loopControl,
  continue: loopControl,
  eval: evalBuiltin,
  ".": dot,
  source: dot,
  exec: execBuiltin,
  trap,
  wait,
  read,
  local,
  kill,
  type: typeBuiltin,
  command: commandBuiltin,
  let: letBuiltin,
};

// ---- file applets ----------------------------------------------------------------------------

function* cat(sh: Shell, argv: string[]): G<number> {
  const files = argv.slice(1).filter((a) => a !== "-u");
  if (files.length === 0) files.push("-");
  let st = 0;
  for (const f of files) {
    if (f === "-") {
      for (;;) {
        const chunk = yield* sh.stdin.readChunkG();
        if (chunk === undefined) break;
        sh.stdout.write(chunk);
      }
      continue;
    }
    try {
      sh.stdout.write(sh.io.fs.readFile(sh.resolve(f)));
    } catch (e) {
      if (e instanceof VfsError && e.code === "EISDIR") appletError(sh, "cat", "read error: Is a directory");
      else appletError(sh, "cat", `can't open '${f}': ${vfsErrorText(e)}`);
      st = 1;
    }
  }
  return st;
}

function* touch(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "cam", "dtr");
  if (bad) {
    appletError(sh, "touch", bad);
    return 1;
  }
  let st = 0;
  for (const f of rest) {
    const p = sh.resolve(f);
    if (opts.has("c") && !sh.io.fs.stat(p)) continue;
    try {
      sh.io.fs.touch(p);
    } catch (e) {
      appletError(sh, "touch", `${f}: ${vfsErrorText(e)}`);
      st = 1;
    }
  }
  if (rest.length === 0) {
    appletError(sh, "touch", "missing operand");
    return 1;
  }
  return st;
}

function* mkdir(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "pv", "m");
  if (bad) {
    appletError(sh, "mkdir", bad);
    return 1;
  }
  let st = 0;
  for (const d of rest) {
    const p = sh.resolve(d);
    try {
      if (opts.has("p")) {
        const existing = sh.io.fs.stat(p);
        if (existing && existing.type !== "dir") throw new VfsError("EEXIST", p);
        sh.io.fs.mkdir(p, { recursive: true });
      } else sh.io.fs.mkdir(p);
    } catch (e) {
      appletError(sh, "mkdir", `can't create directory '${d}': ${vfsErrorText(e)}`);
      st = 1;
    }
  }
  return st;
}

function* rm(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "rRfiv");
  if (bad) {
    appletError(sh, "rm", bad);
    return 1;
  }
  const force = opts.has("f");
  const recursive = opts.has("r") || opts.has("R");
  let st = 0;
  for (const f of rest) {
    const p = sh.resolve(f);
    const s = sh.io.fs.stat(p);
    try {
      if (!s) {
        if (force) continue;
        throw new VfsError("ENOENT", p);
      }
      if (s.type === "dir") {
        if (!recursive) {
          appletError(sh, "rm", `'${f}' is a directory`);
          st = 1;
          continue;
        }
        sh.io.fs.rmdir(p, { recursive: true });
      } else sh.io.fs.unlink(p);
    } catch (e) {
      appletError(sh, "rm", `can't remove '${f}': ${vfsErrorText(e)}`);
      st = 1;
    }
  }
  return st;
}

function* rmdir(sh: Shell, argv: string[]): G<number> {
  let st = 0;
  for (const f of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    try {
      sh.io.fs.rmdir(sh.resolve(f));
    } catch (e) {
      appletError(sh, "rmdir", `'${f}': ${vfsErrorText(e)}`);
      st = 1;
    }
  }
  return st;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function modeString(type: "file" | "dir", mode: number): string {
  let s = type === "dir" ? "d" : "-";
  for (let i = 8; i >= 0; i--) s += mode & (1 << i) ? "rwx"[(8 - i) % 3] : "-";
  return s;
}

function* ls(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "laA1dRhFtrs");
  if (bad) {
    appletError(sh, "ls", bad);
    return 1;
  }
  const all = opts.has("a");
  const long = opts.has("l");
  const targets = rest.length ? rest : ["."];
  const fs = sh.io.fs;
  const now = sh.io.clock.now();
  let st = 0;
  const line = (name: string, path: string): string => {
    if (!long) return name;
    const s = fs.stat(path)!;
    const d = new Date(s.mtimeMs);
    const recent = Math.abs(now - s.mtimeMs) < 182 * 86400_000;
    const when = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${recent ? `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}` : String(d.getUTCFullYear()).padStart(5)}`;
    const size = s.type === "dir" ? 4096 : s.size;
    return `${modeString(s.type, s.mode)} ${String(s.type === "dir" ? 2 : 1).padStart(4)} root     root     ${String(size).padStart(9)} ${when} ${name}`;
  };
  const files: string[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const p = sh.resolve(t);
    const s = fs.stat(p);
    if (!s) {
      appletError(sh, "ls", `${t}: No such file or directory`);
      st = 1;
      continue;
    }
    if (s.type === "dir" && !opts.has("d")) dirs.push(t);
    else files.push(line(t, p));
  }
  const out: string[] = [...files];
  for (const d of dirs) {
    const p = sh.resolve(d);
    if (targets.length > 1) {
      if (out.length) out.push("");
      out.push(`${d}:`);
    }
    let names = fs.readdir(p);
    if (all) names = [".", "..", ...names];
    else if (!opts.has("A")) names = names.filter((n) => !n.startsWith("."));
    if (long) out.push(`total ${names.length * 4}`);
    for (const n of names) out.push(line(n, n === "." ? p : n === ".." ? sh.resolve(`${d}/..`) : `${p}/${n}`));
  }
  if (out.length) sh.stdout.write(out.join("\n") + "\n");
  return st;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

// ---- time ------------------------------------------------------------------------------------

/** busybox sleep with FANCY_SLEEP and FLOAT_DURATION: `1.5`, `2m`, `1h`, `1d`; arguments add up. */
export function parseSleep(args: string[]): number | string {
  let total = 0;
  for (const a of args) {
    if (a === "inf" || a === "infinity") return Infinity;
    const m = /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(a);
    if (!m) return `invalid number '${a}'`;
    const mult = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
    total += Number(m[1]) * mult * 1000;
  }
  return Math.round(total);
}

function* sleep(sh: Shell, argv: string[]): G<number> {
  const args = argv.slice(1);
  if (args.length === 0) {
    sh.stderr.write(
      "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n",
    );
    return 1;
  }
  const ms = parseSleep(args);
  if (typeof ms === "string") {
    appletError(sh, "sleep", ms);
    return 1;
  }
  if (ms === Infinity) yield { k: "forever" };
  else yield { k: "sleep", ms };
  return 0;
}

export function strftime(fmt: string, ms: number): string {
  const d = new Date(ms);
  const Y = d.getUTCFullYear();
  const doy = Math.floor((Date.UTC(Y, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(Y, 0, 1)) / 86400_000) + 1;
  const map: Record<string, () => string> = {
    a: () => DAYS[d.getUTCDay()]!,
    A: () => ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getUTCDay()]!,
    b: () => MONTHS[d.getUTCMonth()]!,
    h: () => MONTHS[d.getUTCMonth()]!,
    B: () => ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][d.getUTCMonth()]!,
    d: () => pad2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2),
    H: () => pad2(d.getUTCHours()),
    I: () => pad2(((d.getUTCHours() + 11) % 12) + 1),
    M: () => pad2(d.getUTCMinutes()),
    S: () => pad2(d.getUTCSeconds()),
    m: () => pad2(d.getUTCMonth() + 1),
    y: () => pad2(Y % 100),
    Y: () => String(Y),
    Z: () => "UTC",
    z: () => "+0000",
    s: () => String(Math.floor(ms / 1000)),
    N: () => String(d.getUTCMilliseconds() * 1_000_000).padStart(9, "0"),
    j: () => String(doy).padStart(3, "0"),
    p: () => (d.getUTCHours() < 12 ? "AM" : "PM"),
    u: () => String(d.getUTCDay() || 7),
    w: () => String(d.getUTCDay()),
    T: () => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`,
    R: () => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
    D: () => `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${pad2(Y % 100)}`,
    F: () => `${Y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    c: () => strftime("%a %b %e %H:%M:%S %Y", ms),
    n: () => "\n",
    t: () => "\t",
    "%": () => "%",
  };
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => (map[c] ? map[c]() : m));
}

function* date(sh: Shell, argv: string[]): G<number> {
  let fmt = "%a %b %e %H:%M:%S %Z %Y";
  for (const a of argv.slice(1)) {
    if (a.startsWith("+")) fmt = a.slice(1);
    else if (a === "-u" || a === "--utc") continue;
    else if (a === "-R") fmt = "%a, %d %b %Y %H:%M:%S %z";
    else if (a === "-I" || a === "-Iseconds") fmt = a === "-I" ? "%F" : "%Y-%m-%dT%H:%M:%S%z";
    else {
      appletError(sh, "date", `invalid date '${a}'`);
      return 1;
    }
  }
  sh.stdout.write(strftime(fmt, sh.io.clock.now()) + "\n");
  return 0;
}

// ---- system ----------------------------------------------------------------------------------

function* hostname(sh: Shell, argv: string[]): G<number> {
  if (argv[1] === "-i") {
    sh.stdout.write((sh.io.resolve(sh.io.hostname) ?? "") + "\n");
    return 0;
  }
  sh.stdout.write(sh.io.hostname + "\n");
  return 0;
}

function* env(sh: Shell, argv: string[]): G<number> {
  let i = 1;
  const extra: Record<string, string> = {};
  let clear = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-i" || a === "-") clear = true;
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
      const eq = a.indexOf("=");
      extra[a.slice(0, eq)] = a.slice(eq + 1);
    } else break;
  }
  const vars = { ...(clear ? {} : sh.exportedEnv()), ...extra };
  if (i >= argv.length) {
    sh.stdout.write(Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(""));
    return 0;
  }
  const sub = sh.clone();
  if (clear) for (const [k, v] of sub.vars) if (v.exported) sub.vars.delete(k);
  for (const [k, v] of Object.entries(extra)) sub.setVar(k, v, { exported: true });
  const name = argv[i]!;
  const applet = sub.findApplet(name);
  if (!applet && !name.includes("/")) {
    appletError(sh, "env", `can't execute '${name}': No such file or directory`);
    return 127;
  }
  return yield* sub.runCommand(argv.slice(i));
}

function* printenv(sh: Shell, argv: string[]): G<number> {
  const vars = sh.exportedEnv();
  if (argv.length === 1) {
    sh.stdout.write(Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(""));
    return 0;
  }
  let st = 0;
  for (const n of argv.slice(1)) {
    if (n in vars) sh.stdout.write(vars[n] + "\n");
    else st = 1;
  }
  return st;
}

function* id(sh: Shell, argv: string[]): G<number> {
  if (argv[1] === "-u" || argv[1] === "-g") sh.stdout.write("0\n");
  else if (argv[1] === "-un" || argv[1] === "-nu") sh.stdout.write("root\n");
  else sh.stdout.write("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
  return 0;
}

function* whoami(sh: Shell): G<number> {
  sh.stdout.write("root\n");
  return 0;
}

function* uname(sh: Shell, argv: string[]): G<number> {
  const a = argv.slice(1).join("");
  if (a.includes("a")) sh.stdout.write(`Linux ${sh.io.hostname} 5.15.0 #1 SMP x86_64 GNU/Linux\n`);
  else if (a.includes("n")) sh.stdout.write(`${sh.io.hostname}\n`);
  else if (a.includes("r")) sh.stdout.write("5.15.0\n");
  else if (a.includes("m")) sh.stdout.write("x86_64\n");
  else sh.stdout.write("Linux\n");
  return 0;
}

/** `busybox APPLET args…` runs the applet. */
function* busyboxApplet(sh: Shell, argv: string[]): G<number> {
  const name = argv[1];
  if (name === undefined || name === "--help") {
    sh.stdout.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n");
    return 0;
  }
  const fn = APPLETS[name] ?? BUILTINS[name];
  if (!fn) {
    appletError(sh, name, "applet not found");
    return 127;
  }
  return yield* fn(sh, argv.slice(1));
}

export const APPLETS: Record<string, CommandFn> = {
  cat,
  touch,
  mkdir,
  rm,
  rmdir,
  ls,
  sleep,
  date,
  hostname,
  env,
  printenv,
  id,
  whoami,
  uname,
  which,
  echo,
  printf,
  test,
  "[": test,
  true: () => done(0),
  false: () => done(1),
  pwd,
  kill,
  sh: runNestedShell,
  ash: runNestedShell,
  busybox: busyboxApplet,
  ...TEXT_APPLETS,
  ...NET_APPLETS,
};
