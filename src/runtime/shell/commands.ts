/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * The shell's command tables: which names are builtins (builtins.ts, printf.ts) and which are
 * busybox applets (applets.ts, text.ts, net.ts), and the builtins that look names up in them
 * (`type`, `command`, `which`, `busybox APPLET`). `sh`/`ash` as commands are the interpreter's own
 * (interp.ts `findApplet`), so nothing here imports the interpreter at run time.
 */
import { appletError } from "./util.ts";
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { NET_APPLETS } from "./net.ts";
import { awk } from "./awk.ts";
import { TEXT_APPLETS } from "./text.ts";
import { done, echo, echoApplet, formatPrintf, printf } from "./printf.ts";
import * as B from "./builtins.ts";
import * as A from "./applets.ts";
import { sed } from "./sed.ts";
import { tar } from "./tar.ts";
import { FILE_APPLETS } from "./fileutils.ts";

export type { CommandFn } from "./util.ts";
import type { CommandFn } from "./util.ts";
export { appletError, getopt, vfsErrorText } from "./util.ts";
export { formatPrintf };
export { parseSleep, strftime } from "./applets.ts";

function* typeBuiltin(sh: Shell, argv: string[]): G<number> {
  let st = 0;
  for (const n of argv.slice(1)) {
    if (sh.funcs.has(n)) sh.stdout.write(`${n} is a function\n`);
    else if (n in BUILTINS) sh.stdout.write(`${n} is a ${SPECIAL_BUILTINS.has(n) ? "special " : ""}shell builtin\n`);
    else if (sh.findApplet(n)) sh.stdout.write(`${n} is ${commandPath(sh, n)}\n`);
    else if (sh.env.bash) {
      // bash: `bash: line 1: type: curl: not found` on stderr, status 1
      sh.error(`type: ${n}: not found`);
      st = 1;
    } else {
      sh.stdout.write(`${n}: not found\n`);
      st = 127;
    }
  }
  return st;
}

/** Where a command's file is: a package's program where its package put it (apt.ts `installed`), else the applet's place. */
function commandPath(sh: Shell, n: string): string {
  const at = (sh.findApplet(n) as { installedAt?: string } | undefined)?.installedAt;
  if (at !== undefined) return at;
  // A usr-merged image's programs are first found in /usr/bin (PATH has /usr/bin before /bin).
  if (sh.env.usrMerged) return ["ifconfig", "route"].includes(n) ? `/usr/sbin/${n}` : `/usr/bin/${n}`;
  return appletPath(n);
}

function appletPath(n: string): string {
  return ["nslookup", "wget", "env", "id", "whoami", "seq", "expr", "head", "tail", "wc", "basename", "dirname", "tr", "cut", "sort", "uniq", "which", "printenv", "curl", "awk"].includes(n)
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
      else if (sh.findApplet(n)) sh.stdout.write(`${commandPath(sh, n)}\n`);
      else st = sh.env.bash ? 1 : 127; // bash's `command -v` fails with 1, ash's and dash's with 127
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
    if (sh.findApplet(n) && !(n in BUILTINS && !APPLETS[n] && !["echo", "printf", "test", "[", "kill", "true", "false", "pwd"].includes(n))) sh.stdout.write(`${commandPath(sh, n)}\n`);
    else st = 1;
  }
  return st;
}


/** Special builtins: prefix assignments persist, errors may end the shell. */
export const SPECIAL_BUILTINS = new Set([":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift", "trap", "unset"]);

export const BUILTINS: Record<string, CommandFn> = {
  ":": () => done(0),
  true: () => done(0),
  false: () => done(1),
  echo,
  printf,
  test: B.test,
  "[": B.test,
  "[[": B.test,
  cd: B.cd,
  pwd: B.pwd,
  export: B.exportBuiltin,
  readonly: B.readonlyBuiltin,
  unset: B.unset,
  set: B.setBuiltin,
  shift: B.shift,
  exit: B.exitBuiltin,
  return: B.returnBuiltin,
  break: B.loopControl,
  continue: B.loopControl,
  eval: B.evalBuiltin,
  ".": B.dot,
  source: B.dot,
  exec: B.execBuiltin,
  trap: B.trap,
  wait: B.wait,
  read: B.read,
  local: B.local,
  kill: B.kill,
  type: typeBuiltin,
  command: commandBuiltin,
  let: B.letBuiltin,
};


/** `busybox APPLET args…` runs the applet. */
function* busyboxApplet(sh: Shell, argv: string[]): G<number> {
  const name = argv[1];
  if (name === undefined || name === "--help") {
    sh.stdout.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n");
    return 0;
  }
  const fn = sh.findApplet(name) ?? BUILTINS[name];
  if (!fn) {
    appletError(sh, name, "applet not found");
    return 127;
  }
  return yield* fn(sh, argv.slice(1));
}

export const APPLETS: Record<string, CommandFn> = {
  cat: A.cat,
  touch: A.touch,
  mkdir: A.mkdir,
  rm: A.rm,
  rmdir: A.rmdir,
  ls: A.ls,
  sleep: A.sleep,
  date: A.date,
  hostname: A.hostname,
  env: A.env,
  printenv: A.printenv,
  id: A.id,
  whoami: A.whoami,
  ps: A.ps,
  uname: A.uname,
  which,
  echo: echoApplet,
  printf,
  test: B.test,
  "[": B.test,
  true: () => done(0),
  false: () => done(1),
  pwd: B.pwd,
  kill: B.kill,
  busybox: busyboxApplet,
  sed,
  ...TEXT_APPLETS,
  ...NET_APPLETS,
  ...FILE_APPLETS,
  awk,
  tar,
};
