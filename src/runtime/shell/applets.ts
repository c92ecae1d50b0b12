/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * busybox 1.28's file, time and system applets (`cat`, `ls`, `sleep`, `date`, `env`, …), with its
 * option handling and message texts. The lookup tables that name them are in commands.ts.
 */
import { VfsError } from "../types.ts";
import { appletError, getopt, vfsErrorText } from "./util.ts";
import { type G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { canonicalHost } from "./net.ts";

// ---- file applets ----------------------------------------------------------------------------

export function* cat(sh: Shell, argv: string[]): G<number> {
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

export function* touch(sh: Shell, argv: string[]): G<number> {
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

export function* mkdir(sh: Shell, argv: string[]): G<number> {
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

export function* rm(sh: Shell, argv: string[]): G<number> {
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

export function* rmdir(sh: Shell, argv: string[]): G<number> {
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
  const c = [...(type === "dir" ? "d" : "-")];
  for (let i = 8; i >= 0; i--) c.push(mode & (1 << i) ? "rwx"[(8 - i) % 3]! : "-");
  // setuid, setgid and sticky show in the execute positions: s/t when executable, else S/T.
  const special = (bit: number, at: number, ch: string) => {
    if (mode & bit) c[at] = c[at] === "x" ? ch : ch.toUpperCase();
  };
  special(0o4000, 3, "s");
  special(0o2000, 6, "s");
  special(0o1000, 9, "t");
  return c.join("");
}

export function* ls(sh: Shell, argv: string[]): G<number> {
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
  let names: { users: Map<number, string>; groups: Map<number, string> } | undefined;
  const owner = (n: number | undefined, which: "users" | "groups") => {
    names ??= { users: nameTable(sh, "/etc/passwd"), groups: nameTable(sh, "/etc/group") };
    return (names[which].get(n ?? 0) ?? String(n ?? 0)).slice(0, 8).padEnd(8);
  };
  const line = (name: string, path: string): string => {
    if (!long) return name;
    const s = fs.stat(path)!;
    const d = new Date(s.mtimeMs);
    const recent = Math.abs(now - s.mtimeMs) < 182 * 86400_000;
    const when = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${recent ? `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}` : String(d.getUTCFullYear()).padStart(5)}`;
    const size = s.type === "dir" ? 4096 : s.size;
    return `${modeString(s.type, s.mode)} ${String(s.type === "dir" ? 2 : 1).padStart(4)} ${owner(s.uid, "users")} ${owner(s.gid, "groups")} ${String(size).padStart(9)} ${when} ${name}`;
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

export function* sleep(sh: Shell, argv: string[]): G<number> {
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

export function* date(sh: Shell, argv: string[]): G<number> {
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

/**
 * busybox's `hostname [-dfis]` (networking/hostname.c): the kernel's hostname (the pod's, or its
 * FQDN with setHostnameAsFQDN); -f (`--fqdn`) the canonical name gethostbyname gives for it (the
 * FQDN the kubelet's /etc/hosts lists first), -d (`--domain`) what follows its first dot, -i the
 * address; -s alone the kernel's hostname up to its first dot.
 */
export function* hostname(sh: Shell, argv: string[]): G<number> {
  const longs: Record<string, string> = { "--fqdn": "-f", "--domain": "-d" };
  const args = argv.map((a, i) => (i > 0 && longs[a] ? longs[a]! : a));
  const long = args.slice(1).find((a) => a.startsWith("--") && a !== "--");
  if (long) {
    sh.stderr.write(`hostname: unrecognized option '${long}'\n${HOSTNAME_USAGE}`);
    return 1;
  }
  const { opts, bad } = getopt(args, "dfisv");
  if (bad) {
    sh.stderr.write(`hostname: ${bad}\n${HOSTNAME_USAGE}`);
    return 1;
  }
  if (opts.has("d") || opts.has("f") || opts.has("i")) {
    const host = canonicalHost(sh, sh.io.hostname);
    if (!host) {
      appletError(sh, "hostname", `${sh.io.hostname}: Unknown host`);
      return 1;
    }
    const dot = host.name.indexOf(".");
    if (opts.has("f")) sh.stdout.write(host.name + "\n");
    else if (opts.has("s")) sh.stdout.write((dot < 0 ? host.name : host.name.slice(0, dot)) + "\n");
    else if (opts.has("d")) {
      if (dot >= 0) sh.stdout.write(host.name.slice(dot + 1) + "\n");
    } else sh.stdout.write(host.ip + "\n");
    return 0;
  }
  const name = sh.io.hostname;
  sh.stdout.write((opts.has("s") && name.includes(".") ? name.slice(0, name.indexOf(".")) : name) + "\n");
  return 0;
}

const HOSTNAME_USAGE =
  "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: hostname [OPTIONS] [HOSTNAME | -F FILE]\n\nGet or set hostname or DNS domain name\n\n\t-s\tShort\n\t-i\tAddresses for the hostname\n\t-d\tDNS domain name\n\t-f\tFully qualified domain name\n\t-F FILE\tUse FILE's content as hostname\n";

export function* env(sh: Shell, argv: string[]): G<number> {
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

export function* printenv(sh: Shell, argv: string[]): G<number> {
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

/** Names of users or groups from the container's /etc/passwd or /etc/group (id → name). */
function nameTable(sh: Shell, file: "/etc/passwd" | "/etc/group"): Map<number, string> {
  // Every image's files name root (an image whose files the model does not carry included).
  const names = new Map<number, string>();
  let text = "";
  try {
    text = sh.io.fs.readFile(file);
  } catch {
    return new Map([[0, "root"]]);
  }
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length >= 3 && /^\d+$/.test(f[2]!) && !names.has(Number(f[2]))) names.set(Number(f[2]), f[0]!);
  }
  if (!names.has(0)) names.set(0, "root");
  return names;
}

/** The identity of the shell's processes: the container's (securityContext), else root with the image's groups of root. */
function credOf(sh: Shell): { uid: number; gid: number; groups: number[] } {
  if (sh.io.user) return sh.io.user;
  const groups = new Set([0]);
  try {
    for (const line of sh.io.fs.readFile("/etc/group").split("\n")) {
      const f = line.split(":");
      if (f.length >= 4 && f[3]!.split(",").includes("root")) groups.add(Number(f[2]));
    }
  } catch {
    // no /etc/group: the primary group alone
  }
  return { uid: 0, gid: 0, groups: [...groups].sort((a, b) => a - b) };
}

/** busybox (and coreutils) `id [-u|-g|-G] [-n]`: numbers, with the names the image's files give. */
export function* id(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "ugGnr");
  if (bad || rest.length > 0) {
    appletError(sh, "id", bad ?? `unknown user ${rest[0]}`);
    return 1;
  }
  const cred = credOf(sh);
  const users = nameTable(sh, "/etc/passwd");
  const groups = nameTable(sh, "/etc/group");
  const named = (n: number, t: Map<number, string>) => (t.has(n) ? `${n}(${t.get(n)})` : String(n));
  const one = (n: number, t: Map<number, string>) => (opts.has("n") ? (t.get(n) ?? String(n)) : String(n));
  if (opts.has("u")) sh.stdout.write(one(cred.uid, users) + "\n");
  else if (opts.has("g")) sh.stdout.write(one(cred.gid, groups) + "\n");
  else if (opts.has("G")) sh.stdout.write(cred.groups.map((g) => one(g, groups)).join(" ") + "\n");
  else sh.stdout.write(`uid=${named(cred.uid, users)} gid=${named(cred.gid, groups)} groups=${cred.groups.map((g) => named(g, groups)).join(",")}\n`);
  return 0;
}

export function* whoami(sh: Shell): G<number> {
  const uid = credOf(sh).uid;
  const name = nameTable(sh, "/etc/passwd").get(uid);
  if (name === undefined) {
    appletError(sh, "whoami", `unknown uid ${uid}`);
    return 1;
  }
  sh.stdout.write(name + "\n");
  return 0;
}

/**
 * busybox `ps` (DESKTOP build, the default `-o pid,user,time,args`): the container's PID
 * namespace, PID 1 and the processes execs started, this `ps` among them. TIME is each process's
 * CPU time, which the simulation keeps per container, not per process: 0:00.
 */
export function* ps(sh: Shell, argv: string[]): G<number> {
  void argv; // busybox ps ignores BSD-style words (`ps aux`, `ps ax`)
  const procs = sh.io.container?.procs;
  const rows = new Map<number, { argv: string[]; uid: number }>(procs?.live ?? []);
  const uid = credOf(sh).uid;
  // A `ps` run from a shell is a child process of its own.
  let own: number | undefined;
  if (!rows.has(sh.pid) || rows.get(sh.pid)!.argv[0] !== argv[0]) {
    own = procs ? ++procs.lastPid : sh.pid + 1;
    rows.set(own, { argv, uid });
  }
  const users = nameTable(sh, "/etc/passwd");
  const out = ["PID   USER     TIME  COMMAND"];
  for (const [pid, p] of [...rows].sort((a, b) => a[0] - b[0])) {
    const user = (users.get(p.uid) ?? String(p.uid)).slice(0, 8).padEnd(8);
    out.push(`${String(pid).padStart(5)} ${user} ${"0:00".padStart(5)} ${p.argv.join(" ")}`);
  }
  sh.stdout.write(out.join("\n") + "\n");
  return 0;
}

export function* uname(sh: Shell, argv: string[]): G<number> {
  const a = argv.slice(1).join("");
  if (a.includes("a")) sh.stdout.write(`Linux ${sh.io.hostname} 5.15.0 #1 SMP x86_64 GNU/Linux\n`);
  else if (a.includes("n")) sh.stdout.write(`${sh.io.hostname}\n`);
  else if (a.includes("r")) sh.stdout.write("5.15.0\n");
  else if (a.includes("m")) sh.stdout.write("x86_64\n");
  else sh.stdout.write("Linux\n");
  return 0;
}

