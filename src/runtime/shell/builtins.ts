/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * Shell builtins (ash's, as busybox 1.28 builds them): `test`, `cd`, `export`, `set`, `trap`,
 * `read`, `kill`, … The lookup tables that name them are in commands.ts.
 */
import { getopt } from "./util.ts";
import { BreakSignal, ContinueSignal, ExitSignal, ReturnSignal, type G, type JobHandle } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { signalName, signalNumber } from "./util.ts";
import { isName } from "./parser.ts";
import { evalArith } from "./arith.ts";

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

export const TEST_UNARY: Record<string, (sh: Shell, a: string) => boolean> = {
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

export function testCmd(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  if (argv[0] === "[" || argv[0] === "[[") {
    // ash's bash-compatible `[[` is the same test, closed by `]]` (busybox test.c).
    const close = argv[0] === "[" ? "]" : "]]";
    if (args[args.length - 1] !== close) {
      sh.error(`missing ${close}`);
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
      // busybox's test reports through bb_error_msg, prefixed with the applet's name (`sh`, the
      // basename of argv[0]), not ash's arg0 (`/bin/sh`) as the shell's own errors are
      if (!sh.env.bash && !sh.env.dashEcho) sh.stderr.write(`${sh.env.arg0.slice(sh.env.arg0.lastIndexOf("/") + 1)}: ${err.msg}\n`);
      else sh.error(err.msg);
      return 2;
    }
    throw err;
  }
}

// ---- shell builtins ----------------------------------------------------------------------------

export function* exitBuiltin(sh: Shell, argv: string[]): G<number> {
  const a = argv[1];
  if (a === undefined) throw new ExitSignal(sh.status);
  if (!/^[0-9]+$/.test(a)) {
    sh.builtinError("exit", `Illegal number: ${a}`);
    throw new ExitSignal(2);
  }
  throw new ExitSignal(Number(a) & 255);
}

export function* loopControl(sh: Shell, argv: string[]): G<number> {
  const n = argv[1] === undefined ? 1 : Number(argv[1]);
  if (!Number.isInteger(n) || n < 1) {
    sh.builtinError(argv[0]!, `Illegal number: ${argv[1]}`);
    throw new ExitSignal(2);
  }
  if (sh.loopDepth === 0) return 0;
  const levels = Math.min(n, sh.loopDepth);
  throw argv[0] === "break" ? new BreakSignal(levels) : new ContinueSignal(levels);
}

export function* returnBuiltin(sh: Shell, argv: string[]): G<number> {
  const a = argv[1];
  const code = a === undefined ? sh.status : Number(a);
  if (!Number.isInteger(code)) {
    sh.builtinError("return", `Illegal number: ${a}`);
    throw new ExitSignal(2);
  }
  if (sh.funcDepth === 0) throw new ExitSignal(code & 255);
  throw new ReturnSignal(code & 255);
}

export function* cd(sh: Shell, argv: string[]): G<number> {
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

export function* exportBuiltin(sh: Shell, argv: string[]): G<number> {
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

export function* readonlyBuiltin(sh: Shell, argv: string[]): G<number> {
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
    const v = sh.vars.get(name) ?? { value: "", exported: false };
    sh.vars.set(name, { ...v, readonly: true });
  }
  return 0;
}

export function* unset(sh: Shell, argv: string[]): G<number> {
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

export function* setBuiltin(sh: Shell, argv: string[]): G<number> {
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
      else if (c === "o") {
        // `set -euo pipefail`: an `o` among the letters takes the next argument as its option
        const name = argv[++i];
        const map: Record<string, "errexit" | "nounset" | "xtrace" | "pipefail"> = { errexit: "errexit", nounset: "nounset", xtrace: "xtrace", pipefail: "pipefail" };
        if (name && map[name]) sh[map[name]] = on;
        else if (name && !["noglob", "noclobber", "monitor", "allexport"].includes(name)) {
          sh.builtinError("set", `Illegal option -o ${name}`);
          throw new ExitSignal(2);
        }
      } else if (!"fvnCamb".includes(c)) {
        sh.builtinError("set", `Illegal option ${a[0]}${c}`);
        throw new ExitSignal(2);
      }
    }
  }
  if (i < argv.length) sh.positional = argv.slice(i);
  return 0;
}

export function* shift(sh: Shell, argv: string[]): G<number> {
  const n = argv[1] === undefined ? 1 : Number(argv[1]);
  if (!Number.isInteger(n) || n < 0 || n > sh.positional.length) {
    sh.builtinError("shift", "can't shift that many");
    throw new ExitSignal(2);
  }
  sh.positional = sh.positional.slice(n);
  return 0;
}

export function* evalBuiltin(sh: Shell, argv: string[]): G<number> {
  return yield* sh.evalText(argv.slice(1).join(" "));
}

export function* dot(sh: Shell, argv: string[]): G<number> {
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

export function* execBuiltin(sh: Shell, argv: string[]): G<number> {
  if (argv.length === 1) return 0;
  const st = yield* sh.runCommand(argv.slice(1));
  throw new ExitSignal(st);
}

const TRAP_SIGNALS = ["EXIT", "HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM"];

export function* trap(sh: Shell, argv: string[]): G<number> {
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

export function* wait(sh: Shell, argv: string[]): G<number> {
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

export function* read(sh: Shell, argv: string[]): G<number> {
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

export function* local(sh: Shell, argv: string[]): G<number> {
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

export function* kill(sh: Shell, argv: string[]): G<number> {
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
    if (p === "1" && sh.io.container?.main) {
      // PID 1 of the container, from a command run in it (kubectl exec): the kernel delivers only the
      // signals PID 1 has a handler for, and never SIGKILL from inside its namespace
      // (kernel/signal.c sig_task_ignored); the main process's model decides what TERM does.
      if (sig === 15) sh.io.container.main.kill("SIGTERM");
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

export function* letBuiltin(sh: Shell, argv: string[]): G<number> {
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

export function* pwd(sh: Shell): G<number> {
  sh.stdout.write(sh.cwd + "\n");
  return 0;
}

export function* test(sh: Shell, argv: string[]): G<number> {
  return testCmd(sh, argv);
}
