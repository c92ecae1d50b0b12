/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * The `tar` applet, in the two kinds the images have: GNU tar 1.34 on Debian-based images (the
 * image's `/bin/sh` is dash: models.json `binSh`) and busybox 1.28's tar on busybox and alpine
 * images (archival/tar.c). An image without a shell has no tar, and an exec of it fails as the
 * runtime makes it (src/images/launch.ts).
 *
 * What it does: create (`c`), extract (`x`) and list (`t`) an archive in a file or on standard
 * input/output (`f -`, the default of both), `-C DIR`, `-v` (names, or `ls -l`-like lines with `t`),
 * `-z` (gzip), `-m` (no mtime restored), `-O` (members to stdout), `--no-same-permissions`,
 * `--no-same-owner` and their opposites, `--strip-components`, GNU's old-style bundled first
 * argument (`tar cf - x`, `tar xmf - -C /tmp`) and busybox's. Member names lose a leading `/`
 * (and `../`) with the programs' warning. Messages and exit codes are the programs' own: GNU tar's
 * are recorded from /usr/bin/tar in testdata/gnutar134.json (tarcases.test.ts); busybox's are from
 * its sources at 1_28_4. The archive format is tarformat.ts.
 *
 * The filesystem keeps no mtime a program can set, so extracted files bear the time of extraction
 * whether or not `-m` is given (docs/divergences.md).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { VfsError } from "../types.ts";
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { vfsErrorText } from "./util.ts";
import { archiveBytes, decodeArchive, type TarEntry, type TarRead } from "./tarformat.ts";

type Flavor = "gnu" | "busybox";

/** Which tar the shell's image has: GNU tar where `/bin/sh` is Debian's dash, busybox's elsewhere. */
export function tarFlavor(sh: Shell): Flavor {
  return sh.env.binSh === "dash" ? "gnu" : "busybox";
}

interface TarOptions {
  op?: "c" | "x" | "t";
  file: string;
  dir?: string;
  verbose: number;
  gzip: boolean;
  touch: boolean;
  toStdout: boolean;
  samePermissions?: boolean;
  sameOwner?: boolean;
  strip: number;
  operands: string[];
}

class Usage extends Error {
  constructor(
    message: string,
    readonly code = 64,
  ) {
    super(message);
  }
}

const GNU_TRY = "Try 'tar --help' or 'tar --usage' for more information.";

const BUSYBOX_USAGE =
  "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\n" +
  "Usage: tar c|x|t [-ZzJjahmvO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [--exclude PATTERN]... [FILE]...\n\n" +
  "Create, extract, or list files from a tar file\n\n" +
  "Operation:\n\tc\tCreate\n\tx\tExtract\n\tt\tList\n" +
  "\t-f FILE\tName of TARFILE ('-' for stdin/out)\n\t-C DIR\tChange to DIR before operation\n\t-v\tVerbose\n" +
  "\t-Z\t(De)compress using compress\n\t-z\t(De)compress using gzip\n\t-J\t(De)compress using xz\n\t-j\t(De)compress using bzip2\n\t-a\t(De)compress using lzma\n" +
  "\t-O\tExtract to stdout\n\t-h\tFollow symlinks\n\t-m\tDon't restore mtime\n" +
  "\t-T FILE\tFile with names to include\n\t-X FILE\tFile with glob patterns to exclude\n\t--exclude PATTERN\tGlob pattern to exclude\n";

/** Long options both programs take (busybox: FEATURE_TAR_LONG_OPTIONS), as short letters or settings. */
const LONG: Record<string, string> = {
  create: "c",
  extract: "x",
  get: "x",
  list: "t",
  file: "f",
  directory: "C",
  verbose: "v",
  gzip: "z",
  gunzip: "z",
  ungzip: "z",
  touch: "m",
  "to-stdout": "O",
  "same-permissions": "p",
  "preserve-permissions": "p",
  "no-same-permissions": "no-same-permissions",
  "same-owner": "same-owner",
  "no-same-owner": "no-same-owner",
  "strip-components": "strip-components",
  "numeric-owner": "numeric-owner",
  overwrite: "overwrite",
};
const WITH_ARG = new Set(["f", "C", "strip-components"]);

function parseArgs(argv: string[], flavor: Flavor): TarOptions {
  const o: TarOptions = { file: "-", verbose: 0, gzip: false, touch: false, toStdout: false, strip: 0, operands: [] };
  const args = argv.slice(1);
  const shorts = flavor === "gnu" ? "cxtfCvzmOpko" : "cxtfCvzmOpkoh";
  const setOp = (op: "c" | "x" | "t") => {
    if (o.op && o.op !== op) {
      if (flavor === "gnu") throw new Usage("tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option\n" + GNU_TRY + "\n", 2);
      throw new Usage(BUSYBOX_USAGE, 1);
    }
    o.op = op;
  };
  const apply = (opt: string, value?: string) => {
    switch (opt) {
      case "c":
      case "x":
      case "t":
        setOp(opt);
        if (opt === "t" && flavor === "busybox") o.verbose++;
        break;
      case "f":
        o.file = value!;
        break;
      case "C":
        o.dir = value!;
        break;
      case "v":
        o.verbose++;
        break;
      case "z":
        o.gzip = true;
        break;
      case "m":
        o.touch = true;
        break;
      case "O":
        o.toStdout = true;
        break;
      case "p":
        o.samePermissions = true;
        break;
      case "o":
      case "no-same-owner":
        o.sameOwner = false;
        break;
      case "same-owner":
        o.sameOwner = true;
        break;
      case "no-same-permissions":
        o.samePermissions = false;
        break;
      case "strip-components":
        o.strip = Number(value) || 0;
        break;
    }
  };
  let i = 0;
  // The first argument without a dash is a bundle of letters whose arguments follow in order
  // (GNU's old option style; busybox moves its `f` to the end and reads it as `-…f`).
  if (args[0] !== undefined && args[0] !== "" && !args[0].startsWith("-")) {
    const letters = args[0];
    i = 1;
    for (const c of letters) {
      if (!shorts.includes(c)) throw badShort(c, flavor);
      if (WITH_ARG.has(c)) {
        const v = args[i++];
        if (v === undefined) throw flavor === "gnu" ? new Usage(`tar: Old option '${c}' requires an argument.\n${GNU_TRY}\n`, 2) : missingArg(c, flavor);
        apply(c, v);
      } else apply(c);
    }
  }
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      o.operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      // Only whole option names: GNU's abbreviations are checked against all its options, which this tar does not have.
      const key = name in LONG ? name : undefined;
      if (!key) {
        if (flavor === "gnu") throw new Usage(`tar: unrecognized option '${a}'\n${GNU_TRY}\n`);
        throw new Usage(`tar: unrecognized option '${a}'\n${BUSYBOX_USAGE}`, 1);
      }
      const opt = LONG[key]!;
      if (WITH_ARG.has(opt)) {
        const v = eq < 0 ? args[++i] : a.slice(eq + 1);
        if (v === undefined) {
          if (flavor === "gnu") throw new Usage(`tar: option '--${key}' requires an argument\n${GNU_TRY}\n`);
          throw new Usage(`tar: option '--${key}' requires an argument\n${BUSYBOX_USAGE}`, 1);
        }
        apply(opt, v);
      } else apply(opt);
      continue;
    }
    if (a.startsWith("-") && a !== "-") {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (!shorts.includes(c)) throw badShort(c, flavor);
        if (WITH_ARG.has(c)) {
          const v = a.slice(j + 1) || args[++i];
          if (v === undefined) throw missingArg(c, flavor);
          apply(c, v);
          break;
        }
        apply(c);
      }
      continue;
    }
    o.operands.push(a);
  }
  if (!o.op) {
    if (flavor === "gnu") throw new Usage(`tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n${GNU_TRY}\n`, 2);
    throw new Usage(BUSYBOX_USAGE, 1);
  }
  return o;
}

function badShort(c: string, flavor: Flavor): Usage {
  return flavor === "gnu" ? new Usage(`tar: invalid option -- '${c}'\n${GNU_TRY}\n`) : new Usage(`tar: invalid option -- '${c}'\n${BUSYBOX_USAGE}`, 1);
}

function missingArg(c: string, flavor: Flavor): Usage {
  return flavor === "gnu" ? new Usage(`tar: option requires an argument -- '${c}'\n${GNU_TRY}\n`) : new Usage(`tar: option requires an argument -- '${c}'\n${BUSYBOX_USAGE}`, 1);
}

/** Thrown to end the run at once with GNU's `Error is not recoverable` or busybox's die. */
class Fatal extends Error {}

class TarRun {
  /** Messages said once per run (`Removing leading `/' from member names`). */
  private said = new Set<string>();
  failed = false;
  /** GNU's list.c ugswidth: the user/group and size column, as wide as the widest seen yet. */
  ugswidth = 19;
  private users: Map<number, string> | undefined;
  private groups: Map<number, string> | undefined;

  constructor(
    readonly sh: Shell,
    readonly flavor: Flavor,
    readonly o: TarOptions,
  ) {}

  error(msg: string): void {
    this.sh.stderr.write(`tar: ${msg}\n`);
  }

  /** A fatal error: GNU adds `Error is not recoverable: exiting now`. */
  fatal(msg: string): never {
    this.error(msg);
    if (this.flavor === "gnu") this.error("Error is not recoverable: exiting now");
    throw new Fatal(msg);
  }

  /** A member name without its leading `/` and `../` parts, with the program's warning once. */
  safeName(name: string): string {
    let cut = 0;
    for (;;) {
      if (name[cut] === "/") cut++;
      else if (name.startsWith("../", cut)) cut += 3;
      else if (name.slice(cut) === "..") cut += 2;
      else break;
    }
    if (cut === 0) return name;
    const prefix = name.slice(0, cut);
    if (!this.said.has(prefix)) {
      this.said.add(prefix);
      this.error(this.flavor === "gnu" ? `Removing leading \`${prefix}' from member names` : `removing leading '${prefix}' from member names`);
    }
    return name.slice(cut);
  }

  private names(file: "/etc/passwd" | "/etc/group"): Map<number, string> {
    const m = new Map<number, string>([[0, "root"]]);
    let text = "";
    try {
      text = this.sh.io.fs.readFile(file);
    } catch {
      return m;
    }
    for (const line of text.split("\n")) {
      const f = line.split(":");
      if (f.length >= 3 && /^\d+$/.test(f[2]!) && !m.has(Number(f[2]))) m.set(Number(f[2]), f[0]!);
    }
    return m;
  }

  userName(uid: number): string {
    return (this.users ??= this.names("/etc/passwd")).get(uid) ?? "";
  }

  groupName(gid: number): string {
    return (this.groups ??= this.names("/etc/group")).get(gid) ?? "";
  }

  /** The id a name has in this container, else the archive's number. */
  idOf(name: string, id: number, which: "user" | "group"): number {
    if (!name) return id;
    const table = which === "user" ? (this.users ??= this.names("/etc/passwd")) : (this.groups ??= this.names("/etc/group"));
    for (const [k, v] of table) if (v === name) return k;
    return id;
  }

  get uid(): number {
    return this.sh.io.user?.uid ?? 0;
  }

  path(p: string): string {
    return this.sh.resolve(p);
  }
}

export function* tar(sh: Shell, argv: string[]): G<number> {
  const flavor = tarFlavor(sh);
  let o: TarOptions;
  try {
    o = parseArgs(argv, flavor);
  } catch (e) {
    if (!(e instanceof Usage)) throw e;
    sh.stderr.write(e.message);
    return e.code;
  }
  const run = new TarRun(sh, flavor, o);
  try {
    if (o.op === "c") yield* create(run);
    else yield* readArchive(run);
  } catch (e) {
    if (e instanceof Fatal) return flavor === "gnu" ? 2 : 1;
    throw e;
  }
  if (run.failed) {
    if (flavor === "gnu") {
      run.error("Exiting with failure status due to previous errors");
      return 2;
    }
    return 1;
  }
  return 0;
}

// ---- create ------------------------------------------------------------------------------------

function* create(run: TarRun): G<void> {
  const { sh, o, flavor } = run;
  if (o.operands.length === 0) {
    if (flavor === "gnu") {
      sh.stderr.write(`tar: Cowardly refusing to create an empty archive\n${GNU_TRY}\n`);
      throw new Fatal("empty");
    }
    run.fatal("empty archive");
  }
  const fs = sh.io.fs;
  const toStdout = o.file === "-";
  // busybox opens the archive before changing directory; GNU changes directory first for the members only.
  const archivePath = toStdout ? "" : sh.resolve(o.file);
  if (o.dir !== undefined) {
    const st = fs.stat(sh.resolve(o.dir));
    if (!st || st.type !== "dir") {
      const why = st ? "Not a directory" : "No such file or directory";
      if (flavor === "gnu") run.fatal(`${o.dir}: Cannot open: ${why}`);
      run.fatal(`can't change directory to '${o.dir}': ${why}`);
    }
  }
  const base = o.dir !== undefined ? sh.resolve(o.dir) : sh.cwd;
  const entries: TarEntry[] = [];
  const verbose: string[] = [];
  const add = (path: string, name: string): void => {
    const st = fs.stat(path);
    if (!st) return;
    const stored = name + (st.type === "dir" && !name.endsWith("/") ? "/" : "");
    if (path === archivePath) {
      if (flavor === "gnu") run.error(`${name}: file is the archive; not dumped`);
      else run.error(`${name}: file is the archive; skipping`);
      return;
    }
    let data = "";
    if (st.type === "file") {
      try {
        data = fs.readFile(path);
      } catch (e) {
        if (flavor === "gnu") run.error(`${name}: Cannot open: ${vfsErrorText(e)}`);
        else run.error(`can't open '${name}': ${vfsErrorText(e)}`);
        run.failed = true;
        return;
      }
    }
    const uid = st.uid ?? 0;
    const gid = st.gid ?? 0;
    entries.push({ name: stored, type: st.type, mode: st.mode & 0o7777, uid, gid, uname: run.userName(uid), gname: run.groupName(gid), mtime: Math.floor(st.mtimeMs / 1000), data, linkname: "" });
    if (o.verbose) verbose.push(stored);
    if (st.type === "dir") {
      let children: string[] = [];
      try {
        children = fs.readdir(path);
      } catch {
        children = [];
      }
      for (const c of children) add(`${path === "/" ? "" : path}/${c}`, `${stored}${c}`);
    }
  };
  for (const operand of o.operands) {
    const path = operand.startsWith("/") ? operand : `${base === "/" ? "" : base}/${operand}`;
    const clean = normalize(path);
    const st = fs.stat(clean);
    const trimmed = operand.length > 1 ? operand.replace(/\/+$/, "") : operand;
    // GNU names the member (and warns about its prefix) before it looks at the file.
    let name = flavor === "gnu" ? run.safeName(trimmed) : "";
    if (!st) {
      if (flavor === "gnu") run.error(`${operand}: Cannot stat: No such file or directory`);
      else run.error(`${operand}: No such file or directory`);
      run.failed = true;
      continue;
    }
    if (flavor === "busybox") name = run.safeName(trimmed);
    if (name === "") {
      if (st.type !== "dir") continue;
      // `tar cf - /`: the members are the root's children.
      for (const c of fs.readdir(clean)) add(`/${c}`, c);
      continue;
    }
    add(clean, name);
  }
  if (verbose.length) (toStdout ? sh.stderr : sh.stdout).write(verbose.map((n) => n + "\n").join(""));
  let bytes = archiveBytes(entries, flavor);
  let text: string;
  if (o.gzip) {
    bytes = gzipSync(bytes);
    // Compressed bytes are binary: one character per byte (latin1), which tar -z and gunzip read back.
    text = bytes.toString("latin1");
  } else text = bytes.toString("utf8");
  if (toStdout) sh.stdout.write(text);
  else {
    try {
      fs.writeFile(archivePath, text);
    } catch (e) {
      if (flavor === "gnu") run.fatal(`${o.file}: Cannot open: ${vfsErrorText(e)}`);
      run.fatal(`can't open '${o.file}': ${vfsErrorText(e)}`);
    }
  }
  // busybox says so once the archive is written (writeTarFile, after its two zero blocks).
  if (run.failed && flavor === "busybox") run.error("error exit delayed from previous errors");
}

function normalize(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

// ---- extract and list --------------------------------------------------------------------------

function* readArchive(run: TarRun): G<void> {
  const { sh, o, flavor } = run;
  const fs = sh.io.fs;
  let raw: string;
  if (o.file === "-") raw = yield* sh.stdin.readAllG();
  else {
    try {
      const st = fs.stat(sh.resolve(o.file));
      if (st?.type === "dir") {
        if (flavor === "gnu") {
          run.error(`${o.file}: Cannot read: Is a directory`);
          run.fatal("At beginning of tape, quitting now");
        }
        throw new VfsError("EISDIR", o.file);
      }
      raw = fs.readFile(sh.resolve(o.file));
    } catch (e) {
      if (e instanceof Fatal) throw e;
      if (flavor === "gnu") run.fatal(`${o.file}: Cannot open: ${vfsErrorText(e)}`);
      run.fatal(`can't open '${o.file}': ${vfsErrorText(e)}`);
    }
  }
  let bytes: Buffer = raw.charCodeAt(0) === 0x1f && raw.charCodeAt(1) === 0x8b ? Buffer.from(raw, "latin1") : Buffer.from(raw, "utf8");
  if (o.gzip || (flavor === "busybox" && o.file !== "-" && bytes[0] === 0x1f && bytes[1] === 0x8b)) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      if (flavor === "gnu") {
        sh.stderr.write("\ngzip: stdin: not in gzip format\n");
        run.error("Child returned status 1");
        run.error("Error is not recoverable: exiting now");
        throw new Fatal("gzip");
      }
      run.fatal("invalid magic");
    }
  }
  if (o.dir !== undefined && o.op === "x") {
    const st = fs.stat(sh.resolve(o.dir));
    if (!st || st.type !== "dir") {
      const why = st ? "Not a directory" : "No such file or directory";
      if (flavor === "gnu") run.fatal(`${o.dir}: Cannot open: ${why}`);
      run.fatal(`can't change directory to '${o.dir}': ${why}`);
    }
  }
  const read: TarRead = decodeArchive(bytes, { strictMagic: flavor === "busybox" });
  const base = o.dir !== undefined && o.op === "x" ? sh.resolve(o.dir) : sh.cwd;
  const wanted = o.operands.map((w) => (w.length > 1 ? w.replace(/\/+$/, "") : w));
  const found = new Set<string>();
  const out = sh.stdout;
  const dirModes: Array<[string, number]> = [];
  if (flavor === "busybox" && (read.problems[0] === "empty" || read.problems[0] === "short")) {
    run.error("short read");
    run.failed = true;
    return;
  }
  if (flavor === "gnu" && (read.problems[0] === "not-tar" || read.problems[0] === "short" || read.problems[0] === "empty")) {
    run.error("This does not look like a tar archive");
    run.failed = true;
  }
  for (const e of read.entries) {
    let name = run.safeName(e.name);
    if (flavor === "gnu" && /(^|\/)\.\.(\/|$)/.test(name)) {
      run.error(`${name}: Member name contains '..'`);
      run.failed = true;
      continue;
    }
    const bare = name.length > 1 ? name.replace(/\/+$/, "") : name;
    if (wanted.length) {
      const hit = wanted.find((w) => bare === w || bare.startsWith(w + "/"));
      if (!hit) continue;
      found.add(hit);
    }
    if (o.strip) {
      const parts = name.split("/").filter((p, i, a) => p !== "" || i < a.length - 1);
      if (parts.length <= o.strip) continue;
      name = parts.slice(o.strip).join("/");
    }
    if (o.op === "t") {
      out.write(o.verbose >= (flavor === "gnu" ? 1 : 2) ? longListing(run, e, name) : `${name}\n`);
      continue;
    }
    if (o.toStdout) {
      if (e.type === "file") sh.stdout.write(e.data);
      if (o.verbose) out.write(`${name}\n`);
      continue;
    }
    if (o.verbose) out.write(`${name}\n`);
    if (name === "" || name === "./") continue;
    extractOne(run, base, name, e, dirModes);
  }
  // GNU tar sets a directory's mode once its members are in (extract.c delayed_set_stat).
  for (const [p, mode] of dirModes) fs.chmod?.(p, mode);
  for (const p of read.problems) {
    if (typeof p === "object") {
      if (flavor === "gnu") run.error(`A lone zero block at ${p.loneZeroAt}`);
    } else if (p === "skipped" && flavor === "gnu") {
      run.error("Skipping to next header");
      run.failed = true;
    } else if (p === "eof") {
      if (flavor === "gnu") run.fatal("Unexpected EOF in archive");
      run.fatal("short read");
    } else if (p === "bad-magic") run.fatal("invalid tar magic");
    else if (p === "bad-checksum") run.fatal("invalid tar header checksum");
  }
  for (const w of wanted) {
    if (found.has(w)) continue;
    if (flavor === "gnu") {
      run.error(`${w}: Not found in archive`);
      run.failed = true;
    } else run.fatal(`${w}: not found in archive`);
  }
}

function extractOne(run: TarRun, base: string, name: string, e: TarEntry, dirModes: Array<[string, number]>): void {
  const { sh, o, flavor } = run;
  const fs = sh.io.fs;
  const path = normalize(`${base}/${name}`);
  const root = run.uid === 0;
  // Root keeps the archive's permissions and owners unless told not to; others get their umask (022) and own the files.
  const samePerms = o.samePermissions ?? root;
  const sameOwner = o.sameOwner ?? root;
  const mode = samePerms ? e.mode : e.mode & ~0o022;
  const parent = path.slice(0, path.lastIndexOf("/")) || "/";
  try {
    if (!fs.stat(parent)) fs.mkdir(parent, { recursive: true });
  } catch (err) {
    reportOpen(run, name, err);
    return;
  }
  const existing = fs.stat(path);
  try {
    if (e.type === "dir") {
      if (existing && existing.type !== "dir") fs.unlink(path);
      if (!existing || existing.type !== "dir") fs.mkdir(path, { mode: 0o700 });
      dirModes.push([path, mode]);
    } else if (e.type === "file" || e.type === "hardlink" || e.type === "symlink" || e.type === "other") {
      if (existing?.type === "dir") {
        if (flavor === "gnu") run.error(`${name}: Cannot open: File exists`);
        else run.error(`can't remove old file ${name}: Is a directory`);
        run.failed = true;
        return;
      }
      let data = e.data;
      if (e.type === "hardlink") {
        const target = normalize(`${base}/${run.safeName(e.linkname)}`);
        data = fs.stat(target)?.type === "file" ? fs.readFile(target) : "";
      }
      // A symlink the filesystem cannot hold becomes a file naming its target (docs/divergences.md).
      if (e.type === "symlink") data = e.linkname;
      if (existing) fs.unlink(path);
      fs.writeFile(path, data, { mode });
      fs.chmod?.(path, mode);
    }
    if (sameOwner) fs.chown?.(path, run.idOf(e.uname, e.uid, "user"), run.idOf(e.gname, e.gid, "group"));
  } catch (err) {
    reportOpen(run, name, err);
  }
}

function reportOpen(run: TarRun, name: string, err: unknown): void {
  if (run.flavor === "gnu") run.error(`${name}: Cannot open: ${vfsErrorText(err)}`);
  else run.error(`can't create '${name}': ${vfsErrorText(err)}`);
  run.failed = true;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `tar tv`: GNU's list.c print_header, busybox's header_verbose_list. */
function longListing(run: TarRun, e: TarEntry, name: string): string {
  const d = new Date(e.mtime * 1000);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const user = e.uname || String(e.uid);
  const group = e.gname || String(e.gid);
  const size = String(e.type === "file" ? Buffer.byteLength(e.data, "utf8") : 0);
  const modes = modeString(e, run.flavor === "gnu");
  const link = e.type === "symlink" ? ` -> ${e.linkname}` : e.type === "hardlink" ? (run.flavor === "gnu" ? ` link to ${e.linkname}` : ` -> ${e.linkname}`) : "";
  if (run.flavor === "busybox") return `${modes} ${user}/${group} ${size.padStart(9)} ${date}:${pad2(d.getUTCSeconds())} ${name}${link}\n`;
  // ugswidth grows to the widest user/group size seen (list.c: starts at 19).
  const ug = `${user}/${group}`;
  run.ugswidth = Math.max(run.ugswidth, ug.length + 1 + size.length);
  const width = run.ugswidth;
  return `${modes} ${ug} ${size.padStart(width - ug.length - 1)} ${date} ${name}${link}\n`;
}

function modeString(e: TarEntry, gnu: boolean): string {
  const c = [e.type === "dir" ? "d" : e.type === "symlink" ? "l" : e.type === "hardlink" && gnu ? "h" : "-"];
  for (let i = 8; i >= 0; i--) c.push(e.mode & (1 << i) ? "rwx"[(8 - i) % 3]! : "-");
  const special = (bit: number, at: number, ch: string) => {
    if (e.mode & bit) c[at] = c[at] === "x" ? ch : ch.toUpperCase();
  };
  special(0o4000, 3, "s");
  special(0o2000, 6, "s");
  special(0o1000, 9, "t");
  return c.join("");
}
