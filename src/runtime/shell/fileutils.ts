/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * `cp`, `mv`, `ln`, `chmod`, `tee` and the checksum commands (`md5sum`, `sha1sum`, `sha256sum`,
 * `sha512sum`), as an image's userland runs them: busybox 1.28's applets (coreutils/cp.c, mv.c,
 * ln.c, chmod.c, tee.c, md5_sha1_sum.c; libbb/copy_file.c, parse_mode.c) on busybox and Alpine
 * images, GNU coreutils 9.1's on images whose /bin/sh is Debian's dash (models.json `binSh`), the
 * same split tar.ts, awk.ts and head/tail make. Messages are the programs' own.
 *
 * The simulated filesystem has no symbolic or hard links: `ln` writes a copy of the target's
 * content at the link's path (an empty file when a symbolic link's target is missing), and `mv`
 * of a directory copies and removes it (docs/divergences.md).
 */
import { createHash } from "node:crypto";
import { VfsError, type VfsStat } from "../types.ts";
import { type G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { vfsErrorText, type CommandFn } from "./util.ts";

const BUSYBOX = "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\n";

/** busybox's usage texts (the applets' `//usage:` lines in 1.28.4, SELinux off). */
const USAGE: Record<string, string> = {
  cp:
    "Usage: cp [OPTIONS] SOURCE... DEST\n\nCopy SOURCE(s) to DEST\n\n\t-a\tSame as -dpR\n\t-R,-r\tRecurse\n\t-d,-P\tPreserve symlinks (default if -R)\n\t-L\tFollow all symlinks\n\t-H\tFollow symlinks on command line\n\t-p\tPreserve file attributes if possible\n\t-f\tOverwrite\n\t-i\tPrompt before overwrite\n\t-l,-s\tCreate (sym)links\n\t-T\tTreat DEST as a normal file\n\t-u\tCopy only newer files\n",
  mv: "Usage: mv [-fin] SOURCE DEST\nor: mv [-fin] SOURCE... DIRECTORY\n\nRename SOURCE to DEST, or move SOURCE(s) to DIRECTORY\n\n\t-f\tDon't prompt before overwriting\n\t-i\tInteractive, prompt before overwrite\n\t-n\tDon't overwrite an existing file\n",
  ln: "Usage: ln [OPTIONS] TARGET... LINK|DIR\n\nCreate a link LINK or DIR/TARGET to the specified TARGET(s)\n\n\t-s\tMake symlinks instead of hardlinks\n\t-f\tRemove existing destinations\n\t-n\tDon't dereference symlinks - treat like normal file\n\t-b\tMake a backup of the target (if exists) before link operation\n\t-S suf\tUse suffix instead of ~ when making backup files\n\t-T\t2nd arg must be a DIR\n\t-v\tVerbose\n",
  chmod:
    "Usage: chmod [-Rcvf] MODE[,MODE]... FILE...\n\nEach MODE is one or more of the letters ugoa, one of the\nsymbols +-= and one or more of the letters rwxst\n\n\t-R\tRecurse\n\t-c\tList changed files\n\t-v\tList all files\n\t-f\tHide errors\n",
  tee: "Usage: tee [-ai] [FILE]...\n\nCopy stdin to each FILE, and also to stdout\n\n\t-a\tAppend to the given FILEs, don't overwrite\n\t-i\tIgnore interrupt signals (SIGINT)\n",
};

/** The image's userland: GNU coreutils where /bin/sh is dash (Debian, Ubuntu), else busybox. */
function gnu(sh: Shell): boolean {
  return sh.env.binSh === "dash";
}

function usage(sh: Shell, cmd: string): number {
  sh.stderr.write(BUSYBOX + USAGE[cmd]!);
  return 1;
}

/** GNU's `Try 'cmd --help'` tail after an option or operand error. */
function gnuFail(sh: Shell, cmd: string, msg: string): number {
  sh.stderr.write(`${cmd}: ${msg}\nTry '${cmd} --help' for more information.\n`);
  return 1;
}

function err(sh: Shell, cmd: string, msg: string): void {
  sh.stderr.write(`${cmd}: ${msg}\n`);
}

function errno(e: unknown): string {
  return vfsErrorText(e);
}

/** The last path component, trailing slashes stripped (bb_get_last_path_component_strip). */
function baseOf(p: string): string {
  const s = p.replace(/\/+$/, "");
  return s.slice(s.lastIndexOf("/") + 1) || "/";
}

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** Parsed short and long options: flags seen, operands, or the first bad option. */
interface Parsed {
  flags: Set<string>;
  operands: string[];
  bad?: { option: string; long: boolean };
}

function parseOptions(argv: string[], shortFlags: string, longFlags: Record<string, string>): Parsed {
  const flags = new Set<string>();
  const operands: string[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a.startsWith("--")) {
      const f = longFlags[a.slice(2)];
      if (f === undefined) return { flags, operands, bad: { option: a, long: true } };
      flags.add(f);
      continue;
    }
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    for (const c of a.slice(1)) {
      if (!shortFlags.includes(c)) return { flags, operands, bad: { option: c, long: false } };
      flags.add(c);
    }
  }
  operands.push(...argv.slice(i));
  return { flags, operands };
}

function badOption(sh: Shell, cmd: string, bad: { option: string; long: boolean }): number {
  if (gnu(sh)) return gnuFail(sh, cmd, bad.long ? `unrecognized option '${bad.option}'` : `invalid option -- '${bad.option}'`);
  sh.stderr.write(bad.long ? `${cmd}: unrecognized option '${bad.option}'\n` : `${cmd}: invalid option -- '${bad.option}'\n`);
  return usage(sh, cmd);
}

const UMASK = 0o022;

/** Whether the shell's processes run as root (cp -p keeps owners only then). */
function isRoot(sh: Shell): boolean {
  return (sh.io.user?.uid ?? 0) === 0;
}

interface CopyOptions {
  recursive: boolean;
  preserve: boolean;
  noClobber: boolean;
  update: boolean;
}

/**
 * Copies one file or tree (libbb copy_file / GNU copy.c): a regular file's content with the
 * source's mode less the umask (all of it with -p, and the owner when root), a directory's entries
 * in name order. Returns false after printing the error.
 */
function copyOne(sh: Shell, cmd: string, srcArg: string, destArg: string, o: CopyOptions): boolean {
  const fs = sh.io.fs;
  const src = sh.resolve(srcArg);
  const dest = sh.resolve(destArg);
  const st = fs.stat(src);
  if (!st) {
    err(sh, cmd, gnu(sh) ? `cannot stat '${srcArg}': No such file or directory` : `can't stat '${srcArg}': No such file or directory`);
    return false;
  }
  const dst = dest === "/dev/null" ? undefined : fs.stat(dest);
  if (dst && src === dest) {
    err(sh, cmd, `'${srcArg}' and '${destArg}' are the same file`);
    return false;
  }
  if (st.type === "dir") {
    if (!o.recursive) {
      err(sh, cmd, gnu(sh) ? `-r not specified; omitting directory '${srcArg}'` : `omitting directory '${srcArg}'`);
      return false;
    }
    if (dest === src || dest.startsWith(src.endsWith("/") ? src : `${src}/`)) {
      err(sh, cmd, gnu(sh) ? `cannot copy a directory, '${srcArg}', into itself, '${destArg}'` : `recursion detected, omitting directory '${srcArg}'`);
      return false;
    }
    if (dst && dst.type !== "dir") {
      err(sh, cmd, gnu(sh) ? `cannot overwrite non-directory '${destArg}' with directory '${srcArg}'` : `target '${destArg}' is not a directory`);
      return false;
    }
    if (!dst) {
      try {
        fs.mkdir(dest, { mode: (st.mode & (o.preserve ? 0o7777 : ~UMASK & 0o777)) | 0o700 });
      } catch (e) {
        err(sh, cmd, gnu(sh) ? `cannot create directory '${destArg}': ${errno(e)}` : `can't create directory '${destArg}': ${errno(e)}`);
        return false;
      }
    }
    let ok = true;
    for (const name of fs.readdir(src)) ok = copyOne(sh, cmd, join(srcArg, name), join(destArg, name), o) && ok;
    if (!dst || o.preserve) finishAttributes(sh, dest, st, o.preserve, !dst);
    return ok;
  }
  if (dest === "/dev/null") return true;
  if (dst?.type === "dir") {
    err(sh, cmd, gnu(sh) ? `cannot overwrite directory '${destArg}' with non-directory` : `can't create '${destArg}': Is a directory`);
    return false;
  }
  if (dst && o.noClobber) return true;
  if (dst && o.update && st.mtimeMs <= dst.mtimeMs) return true;
  let data: string;
  try {
    data = fs.readFile(src);
  } catch (e) {
    err(sh, cmd, gnu(sh) ? `cannot open '${srcArg}' for reading: ${errno(e)}` : `can't open '${srcArg}': ${errno(e)}`);
    return false;
  }
  try {
    // A new file takes the source's permission bits less the umask; an existing one keeps its own.
    fs.writeFile(dest, data, dst ? { mode: dst.mode } : { mode: st.mode & 0o777 & ~UMASK });
  } catch (e) {
    err(sh, cmd, gnu(sh) ? `cannot create regular file '${destArg}': ${errno(e)}` : `can't create '${destArg}': ${errno(e)}`);
    return false;
  }
  if (o.preserve) finishAttributes(sh, dest, st, true, !dst);
  return true;
}

/** -p: the source's owner (root only) and whole mode; a new directory gets its final mode after its entries. */
function finishAttributes(sh: Shell, dest: string, st: VfsStat, preserve: boolean, created: boolean): void {
  const fs = sh.io.fs;
  try {
    if (preserve && isRoot(sh)) fs.chown?.(dest, st.uid ?? 0, st.gid ?? 0);
    if (preserve) fs.chmod?.(dest, st.mode);
    else if (created) fs.chmod?.(dest, st.mode & 0o777 & ~UMASK);
  } catch {
    // a read-only view keeps what it has, as chmod(2) failing after the copy would
  }
}

/** `cp [-aRrpfinuT] SOURCE... DEST` (`-n`, `--update=none` and `--no-clobber` keep an existing file). */
export const cp: CommandFn = function* (sh, argv) {
  const long = { archive: "a", force: "f", interactive: "i", recursive: "R", "no-clobber": "n", "update=none": "n", update: "u", "no-target-directory": "T", preserve: "p", verbose: "v", dereference: "L", "no-dereference": "P" };
  const p = parseOptions(argv, gnu(sh) ? "aRrpfinuTvdPLH" : "aRrpfinuTdPLHls", long);
  if (p.bad) return badOption(sh, "cp", p.bad);
  const f = p.flags;
  const ops = p.operands;
  if (ops.length < 2) {
    if (!gnu(sh)) return usage(sh, "cp");
    return gnuFail(sh, "cp", ops.length === 0 ? "missing file operand" : `missing destination file operand after '${ops[0]}'`);
  }
  if (f.has("l") || f.has("s")) {
    // busybox's cp -l / -s make links: the filesystem has none (see the module comment).
    return yield* ln(sh, ["ln", ...(f.has("s") ? ["-s"] : []), ...ops]);
  }
  const o: CopyOptions = { recursive: f.has("a") || f.has("R") || f.has("r"), preserve: f.has("a") || f.has("p"), noClobber: f.has("n"), update: f.has("u") };
  return copyOrMove(sh, "cp", ops, f.has("T"), (s, d) => copyOne(sh, "cp", s, d, o));
};

/** The destination rules cp and mv share: two operands copy onto DEST unless it is a directory; more need a directory. */
function copyOrMove(sh: Shell, cmd: string, ops: string[], noTargetDir: boolean, one: (src: string, dest: string) => boolean): number {
  const last = ops[ops.length - 1]!;
  const sources = ops.slice(0, -1);
  const lastSt = sh.io.fs.stat(sh.resolve(last));
  if (noTargetDir) {
    if (sources.length > 1) {
      if (gnu(sh)) return gnuFail(sh, cmd, `extra operand '${ops[2]}'`);
      err(sh, cmd, "too many arguments");
      return 1;
    }
    return one(sources[0]!, last) ? 0 : 1;
  }
  if (sources.length === 1 && lastSt?.type !== "dir") return one(sources[0]!, last) ? 0 : 1;
  if (gnu(sh) && lastSt?.type !== "dir") {
    err(sh, cmd, lastSt ? `target '${last}' is not a directory` : `target '${last}': No such file or directory`);
    return 1;
  }
  let st = 0;
  for (const s of sources) if (!one(s, join(last, baseOf(s)))) st = 1;
  return st;
}

/** `mv [-fin] SOURCE... DEST`: a rename, done as copy and remove (the filesystem has no rename). */
export const mv: CommandFn = function* (sh, argv) {
  const p = parseOptions(argv, gnu(sh) ? "finTvu" : "finT", { force: "f", interactive: "i", "no-clobber": "n", "no-target-directory": "T", verbose: "v", update: "u" });
  if (p.bad) return badOption(sh, "mv", p.bad);
  const ops = p.operands;
  if (ops.length < 2) {
    if (!gnu(sh)) return usage(sh, "mv");
    return gnuFail(sh, "mv", ops.length === 0 ? "missing file operand" : `missing destination file operand after '${ops[0]}'`);
  }
  const noClobber = p.flags.has("n");
  const verbose = p.flags.has("v");
  return copyOrMove(sh, "mv", ops, p.flags.has("T"), (srcArg, destArg) => {
    const fs = sh.io.fs;
    const src = sh.resolve(srcArg);
    const dest = sh.resolve(destArg);
    const st = fs.stat(src);
    if (!st) {
      err(sh, "mv", gnu(sh) ? `cannot stat '${srcArg}': No such file or directory` : `can't rename '${srcArg}': No such file or directory`);
      return false;
    }
    const dst = fs.stat(dest);
    if (dst && noClobber) return true;
    if (src === dest) {
      err(sh, "mv", gnu(sh) ? `'${srcArg}' and '${destArg}' are the same file` : `'${srcArg}' and '${destArg}' are the same file`);
      return false;
    }
    if (st.type === "dir" && dest.startsWith(`${src}/`)) {
      err(sh, "mv", gnu(sh) ? `cannot move '${srcArg}' to a subdirectory of itself, '${destArg}'` : `can't rename '${srcArg}': Invalid argument`);
      return false;
    }
    if (dst?.type === "dir" && st.type !== "dir") {
      err(sh, "mv", gnu(sh) ? `cannot overwrite directory '${destArg}' with non-directory` : `can't rename '${srcArg}': Is a directory`);
      return false;
    }
    if (dst && dst.type !== "dir" && st.type === "dir") {
      err(sh, "mv", gnu(sh) ? `cannot overwrite non-directory '${destArg}' with directory '${srcArg}'` : `can't rename '${srcArg}': Not a directory`);
      return false;
    }
    if (dst?.type === "dir" && fs.readdir(dest).length > 0) {
      err(sh, "mv", gnu(sh) ? `cannot move '${srcArg}' to '${destArg}': Directory not empty` : `can't rename '${srcArg}': Directory not empty`);
      return false;
    }
    try {
      if (dst?.type === "dir") fs.rmdir(dest);
      moveTree(sh, src, dest, st);
      if (st.type === "dir") fs.rmdir(src, { recursive: true });
      else fs.unlink(src);
    } catch (e) {
      err(sh, "mv", gnu(sh) ? `cannot move '${srcArg}' to '${destArg}': ${errno(e)}` : `can't rename '${srcArg}': ${errno(e)}`);
      return false;
    }
    if (verbose) sh.stdout.write(`renamed '${srcArg}' -> '${destArg}'\n`);
    return true;
  });
};

/** A rename keeps content, mode and owner. */
function moveTree(sh: Shell, src: string, dest: string, st: VfsStat): void {
  const fs = sh.io.fs;
  if (st.type === "dir") {
    fs.mkdir(dest, { mode: st.mode });
    for (const name of fs.readdir(src)) moveTree(sh, join(src, name), join(dest, name), fs.stat(join(src, name))!);
  } else fs.writeFile(dest, fs.readFile(src), { mode: st.mode });
  try {
    fs.chown?.(dest, st.uid ?? 0, st.gid ?? 0);
    fs.chmod?.(dest, st.mode);
  } catch {
    // a read-only view keeps what it has
  }
}

/** `ln [-sfnv] TARGET... LINK|DIR`: a copy of the target at the link (see the module comment). */
export const ln: CommandFn = function* (sh, argv) {
  const p = parseOptions(argv, gnu(sh) ? "sfnvTrb" : "sfnbvT", { symbolic: "s", force: "f", "no-dereference": "n", verbose: "v", "no-target-directory": "T", relative: "r" });
  if (p.bad) return badOption(sh, "ln", p.bad);
  const ops = p.operands;
  const symbolic = p.flags.has("s");
  const force = p.flags.has("f");
  if (ops.length === 0) return gnu(sh) ? gnuFail(sh, "ln", "missing file operand") : usage(sh, "ln");
  // `ln -s TARGET` alone links into the current directory under the target's name.
  const pairs: Array<[string, string]> = [];
  if (ops.length === 1) pairs.push([ops[0]!, gnu(sh) ? `./${baseOf(ops[0]!)}` : baseOf(ops[0]!)]);
  else {
    const last = ops[ops.length - 1]!;
    const lastSt = sh.io.fs.stat(sh.resolve(last));
    if (ops.length === 2 && (lastSt?.type !== "dir" || p.flags.has("T") || p.flags.has("n"))) pairs.push([ops[0]!, last]);
    else if (lastSt?.type !== "dir") {
      if (gnu(sh)) err(sh, "ln", lastSt ? `target '${last}' is not a directory` : `target '${last}': No such file or directory`);
      else err(sh, "ln", `${last}: Not a directory`);
      return 1;
    } else for (const t of ops.slice(0, -1)) pairs.push([t, join(last, baseOf(t))]);
  }
  const fs = sh.io.fs;
  let status = 0;
  for (const [target, link] of pairs) {
    const at = sh.resolve(link);
    // A symbolic link's target is read relative to the link's directory; a hard link's to the cwd.
    const from = symbolic && !target.startsWith("/") ? sh.resolve(join(at.slice(0, at.lastIndexOf("/")) || "/", target)) : sh.resolve(target);
    const st = fs.stat(from);
    if (!symbolic && !st) {
      err(sh, "ln", gnu(sh) ? `failed to access '${target}': No such file or directory` : `${target}: No such file or directory`);
      status = 1;
      continue;
    }
    if (!symbolic && st?.type === "dir") {
      err(sh, "ln", gnu(sh) ? `${target}: hard link not allowed for directory` : `${target}: Operation not permitted`);
      status = 1;
      continue;
    }
    const existing = fs.stat(at);
    if (existing) {
      if (!force || existing.type === "dir") {
        const what = symbolic ? "symbolic link" : "hard link";
        err(sh, "ln", gnu(sh) ? `failed to create ${what} '${link}'${existing.type === "dir" && force ? ": Is a directory" : ": File exists"}` : `${link}: File exists`);
        status = 1;
        continue;
      }
      fs.unlink(at);
    }
    try {
      if (st?.type === "dir") copyTreeAsLink(sh, from, at);
      else fs.writeFile(at, st ? fs.readFile(from) : "", { mode: st ? st.mode & 0o7777 : 0o777 });
    } catch (e) {
      const what = symbolic ? "symbolic link" : "hard link";
      err(sh, "ln", gnu(sh) ? `failed to create ${what} '${link}': ${errno(e)}` : `${link}: ${errno(e)}`);
      status = 1;
      continue;
    }
    if (p.flags.has("v")) sh.stdout.write(`'${link}' -> '${target}'\n`);
  }
  return status;
};

function copyTreeAsLink(sh: Shell, from: string, at: string): void {
  const fs = sh.io.fs;
  fs.mkdir(at, { mode: fs.stat(from)!.mode });
  for (const name of fs.readdir(from)) {
    const s = fs.stat(join(from, name))!;
    if (s.type === "dir") copyTreeAsLink(sh, join(from, name), join(at, name));
    else fs.writeFile(join(at, name), fs.readFile(join(from, name)), { mode: s.mode });
  }
}

// ---- chmod ------------------------------------------------------------------------------------

/**
 * A mode as chmod takes it: octal, or comma-separated `[ugoa]*([-+=]([rwxXst]*|[ugo]))+` clauses
 * applied in turn (GNU's mode_compile/mode_adjust, busybox's bb_parse_mode). Without `ugoa` GNU
 * leaves the umask's bits alone; busybox does not. Undefined when the mode is invalid.
 */
export function applyMode(spec: string, mode: number, isDir: boolean, gnuRules: boolean): number | undefined {
  if (/^[0-7]+$/.test(spec)) {
    const n = parseInt(spec, 8);
    if (n > 0o7777) return undefined;
    // GNU keeps a directory's setuid/setgid bits unless five digits name them.
    if (gnuRules && isDir && spec.replace(/^0+/, "").length <= 4 && spec.length < 5) return (n & 0o1777) | (mode & 0o6000);
    return n;
  }
  let m = mode;
  for (const clause of spec.split(",")) {
    const w = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/.exec(clause);
    if (!w) return undefined;
    let who = 0;
    for (const c of w[1]!) who |= c === "u" ? 0o4700 : c === "g" ? 0o2070 : c === "o" ? 0o1007 : 0o7777;
    const mask = who === 0 ? (gnuRules ? ~UMASK & 0o7777 : 0o7777) : who;
    for (const op of w[2]!.match(/[-+=][^-+=]*/g)!) {
      const perms = op.slice(1);
      let bits = 0;
      if (/^[ugo]$/.test(perms)) {
        const src = perms === "u" ? (m >> 6) & 7 : perms === "g" ? (m >> 3) & 7 : m & 7;
        bits = (src << 6) | (src << 3) | src;
      } else {
        for (const c of perms) {
          if (c === "r") bits |= 0o444;
          else if (c === "w") bits |= 0o222;
          else if (c === "x") bits |= 0o111;
          else if (c === "X") {
            if (isDir || m & 0o111) bits |= 0o111;
          } else if (c === "s") bits |= 0o6000;
          else if (c === "t") bits |= 0o1000;
        }
      }
      const eff = bits & mask & (who === 0 ? 0o7777 : who);
      if (op[0] === "+") m |= eff;
      else if (op[0] === "-") m &= ~eff;
      else {
        const clear = who === 0 ? 0o7777 & ~(gnuRules && isDir ? 0o6000 : 0) : who & ~(gnuRules && isDir ? 0o6000 : 0);
        m = (m & ~clear) | eff;
      }
    }
  }
  return m & 0o7777;
}

/** `chmod [-Rcvf] MODE[,MODE]... FILE...` */
export const chmod: CommandFn = function* (sh, argv) {
  // A mode like `-w` or `-x` is a mode, not an option (both programs look at it twice).
  const args = argv.slice(1);
  const flags = new Set<string>();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a === "--recursive") flags.add("R");
    else if (a === "--verbose") flags.add("v");
    else if (a === "--changes") flags.add("c");
    else if (a === "--silent" || a === "--quiet") flags.add("f");
    else if (/^-[Rcvf]+$/.test(a)) for (const c of a.slice(1)) flags.add(c);
    else if (a.startsWith("--")) return badOption(sh, "chmod", { option: a, long: true });
    else break;
  }
  const rest = args.slice(i);
  if (rest.length < 2) {
    if (!gnu(sh)) return usage(sh, "chmod");
    return gnuFail(sh, "chmod", rest.length === 0 ? "missing operand" : `missing operand after '${rest[0]}'`);
  }
  const spec = rest[0]!;
  // GNU checks the mode first; busybox parses it for each file it reaches, and dies on a bad one.
  if (gnu(sh) && applyMode(spec, 0o644, false, true) === undefined) return gnuFail(sh, "chmod", `invalid mode: '${spec}'`);
  let invalid = false;
  const fs = sh.io.fs;
  let status = 0;
  const one = (arg: string, path: string): void => {
    const st = fs.stat(path);
    if (!st) {
      if (!flags.has("f")) err(sh, "chmod", gnu(sh) ? `cannot access '${arg}': No such file or directory` : `${arg}: No such file or directory`);
      status = 1;
      return;
    }
    const parsed = applyMode(spec, st.mode, st.type === "dir", gnu(sh));
    if (parsed === undefined) {
      err(sh, "chmod", `invalid mode '${spec}'`);
      invalid = true;
      return;
    }
    const next = parsed;
    // chmod(2): only the owner (or root) may; EPERM otherwise.
    const uid = sh.io.user?.uid ?? 0;
    let failure: string | undefined = uid !== 0 && (st.uid ?? 0) !== uid ? "Operation not permitted" : undefined;
    if (!failure)
      try {
        if (!fs.chmod) throw new VfsError("EROFS", path);
        fs.chmod(path, next);
      } catch (e) {
        failure = errno(e);
      }
    if (failure) {
      if (!flags.has("f")) err(sh, "chmod", gnu(sh) ? `changing permissions of '${arg}': ${failure}` : `${arg}: ${failure}`);
      status = 1;
      return;
    }
    const octal = (n: number) => n.toString(8).padStart(4, "0");
    const sym = (n: number) => symbolic(n);
    if (flags.has("v") || (flags.has("c") && next !== st.mode)) {
      if (gnu(sh)) sh.stdout.write(next === st.mode ? `mode of '${arg}' retained as ${octal(next)} (${sym(next)})\n` : `mode of '${arg}' changed from ${octal(st.mode)} (${sym(st.mode)}) to ${octal(next)} (${sym(next)})\n`);
      else sh.stdout.write(`mode of '${arg}' changed to ${octal(next)} (${sym(next)})\n`);
    }
    if (flags.has("R") && st.type === "dir") for (const name of fs.readdir(path)) if (!invalid) one(join(arg, name), join(path, name));
  };
  for (const f of rest.slice(1)) {
    one(f, sh.resolve(f));
    if (invalid) return 1;
  }
  return status;
};

/** `rwxr-xr-x` (ls -l's mode without the type letter, as both chmods print it). */
function symbolic(mode: number): string {
  const r = (bits: number, s: boolean, sc: string) => `${bits & 4 ? "r" : "-"}${bits & 2 ? "w" : "-"}${s ? (bits & 1 ? sc : sc.toUpperCase()) : bits & 1 ? "x" : "-"}`;
  return r(mode >> 6, !!(mode & 0o4000), "s") + r(mode >> 3, !!(mode & 0o2000), "s") + r(mode, !!(mode & 0o1000), "t");
}

// ---- tee --------------------------------------------------------------------------------------

/** `tee [-ai] [FILE]...`: standard input to standard output and to each FILE; a FILE it cannot open is reported and skipped. */
export const tee: CommandFn = function* (sh, argv) {
  const p = parseOptions(argv, gnu(sh) ? "aip" : "ai", { append: "a", "ignore-interrupts": "i" });
  if (p.bad) return badOption(sh, "tee", p.bad);
  const fs = sh.io.fs;
  const files: string[] = [];
  let status = 0;
  for (const f of p.operands) {
    if (f === "-" && !gnu(sh)) {
      files.push("/dev/stdout");
      continue;
    }
    const path = sh.resolve(f);
    if (path === "/dev/null") continue;
    if (path === "/dev/stdout" || path === "/dev/stderr") {
      files.push(path);
      continue;
    }
    try {
      if (p.flags.has("a")) {
        if (!fs.stat(path)) fs.writeFile(path, "");
        else fs.writeFile(path, "", { append: true });
      } else fs.writeFile(path, "");
      files.push(path);
    } catch (e) {
      err(sh, "tee", `${f}: ${errno(e)}`);
      status = 1;
    }
  }
  for (;;) {
    const chunk = yield* sh.stdin.readChunkG();
    if (chunk === undefined) break;
    sh.stdout.write(chunk);
    for (const path of files) {
      if (path === "/dev/stdout") sh.stdout.write(chunk);
      else if (path === "/dev/stderr") sh.stderr.write(chunk);
      else
        try {
          fs.writeFile(path, chunk, { append: true });
        } catch {
          // the file vanished: its writes are lost, as to an unlinked file
        }
    }
  }
  return status;
};

// ---- checksums --------------------------------------------------------------------------------

function checksum(algorithm: "md5" | "sha1" | "sha256" | "sha512"): CommandFn {
  const name = `${algorithm}sum`;
  return function* (sh, argv) {
    const p = parseOptions(argv, gnu(sh) ? "bctwz" : "bcsw", { binary: "b", check: "c", text: "t", status: "s", warn: "w", quiet: "q" });
    if (p.bad) return badOption(sh, name, p.bad);
    const files = p.operands.length ? p.operands : ["-"];
    const read = function* (f: string): G<string | Error> {
      if (f === "-") return yield* sh.stdin.readAllG();
      try {
        return sh.io.fs.readFile(sh.resolve(f));
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
    };
    const openError = (f: string, e: Error) => err(sh, name, gnu(sh) ? `${f}: ${errno(e)}` : `can't open '${f}': ${errno(e)}`);
    const hash = (s: string) => createHash(algorithm).update(Buffer.from(s, "utf8")).digest("hex");
    let status = 0;
    if (!p.flags.has("c")) {
      for (const f of files) {
        const data = yield* read(f);
        if (data instanceof Error) {
          openError(f, data);
          status = 1;
          continue;
        }
        sh.stdout.write(`${hash(data)}  ${f}\n`);
      }
      return status;
    }
    // -c: each line `HASH  FILE` checked; FILE: OK or FAILED, and a warning with the count.
    const quietStatus = p.flags.has("s");
    let failed = 0;
    let total = 0;
    let unreadable = 0;
    for (const list of files) {
      const text = yield* read(list);
      if (text instanceof Error) {
        openError(list, text);
        status = 1;
        continue;
      }
      for (const line of text.split("\n")) {
        if (!line) continue;
        const m = /^([0-9a-fA-F]+) [ *](.*)$/.exec(line);
        if (!m) continue;
        total++;
        const data = yield* read(m[2]!);
        if (data instanceof Error) {
          openError(m[2]!, data);
          if (!quietStatus) sh.stdout.write(`${m[2]}: FAILED open or read\n`);
          unreadable++;
          continue;
        }
        const ok = hash(data) === m[1]!.toLowerCase();
        if (!ok) failed++;
        if (!quietStatus) sh.stdout.write(`${m[2]}: ${ok ? "OK" : "FAILED"}\n`);
      }
    }
    if (gnu(sh)) {
      if (unreadable && !quietStatus) err(sh, name, `WARNING: ${unreadable} listed file${unreadable > 1 ? "s" : ""} could not be read`);
      if (failed && !quietStatus) err(sh, name, `WARNING: ${failed} computed checksum${failed > 1 ? "s" : ""} did NOT match`);
    } else if ((failed || unreadable) && !quietStatus) err(sh, name, `WARNING: ${failed + unreadable} of ${total} computed checksums did NOT match`);
    return failed || unreadable || status ? 1 : 0;
  };
}

export const FILE_APPLETS: Record<string, CommandFn> = {
  cp,
  mv,
  ln,
  chmod,
  tee,
  md5sum: checksum("md5"),
  sha1sum: checksum("sha1"),
  sha256sum: checksum("sha256"),
  sha512sum: checksum("sha512"),
};
