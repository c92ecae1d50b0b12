/**
 * The tar archive format as the three programs kube-scenario models write and read it: GNU tar 1.34
 * (Debian's; `--format=gnu`, its default: magic `ustar  \0`, long names as `././@LongLink` members,
 * the archive padded to a record of 20 blocks), busybox tar (the same header bytes, written by
 * archival/tar.c chksum_and_xwrite, two zero blocks and no record padding) and Go's archive/tar as
 * kubectl cp writes it (tar.FileInfoHeader + Writer: POSIX ustar, magic `ustar\0` version `00`,
 * device numbers written as zeros, two zero blocks).
 *
 * Byte streams are strings in the simulation (a process's output, a file's content): an archive is
 * the UTF-8 decoding of its bytes. Headers are ASCII; a member's content is its text, its size the
 * text's UTF-8 length, so that an archive whose members are UTF-8 text (every file the simulation
 * has) survives the trip through the API facade, which sends a process's output as UTF-8.
 */

export type TarStyle = "gnu" | "busybox" | "go";

export type TarType = "file" | "dir" | "symlink" | "hardlink" | "other";

export interface TarEntry {
  /** The member's name as stored (a directory's with its trailing `/` for gnu and busybox). */
  name: string;
  type: TarType;
  /** The 0o7777 bits. */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Seconds since the epoch. */
  mtime: number;
  /** A regular file's content (empty for other types). */
  data: string;
  linkname: string;
  /** The typeflag byte as read (`0`, `5`, `2`, …). */
  typeflag?: string;
}

const BLOCK = 512;
/** GNU tar's default record: 20 blocks. */
export const GNU_RECORD = 20 * BLOCK;

const TYPEFLAG: Record<TarType, string> = { file: "0", dir: "5", symlink: "2", hardlink: "1", other: "0" };

/** `%0*o` left-padded to width-1 digits with a NUL after, as GNU tar, busybox (putOctal) and Go (formatOctal) write numbers. */
function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0").slice(-(width - 1)) + "\0";
}

function put(b: Buffer, at: number, len: number, s: string): void {
  const bytes = Buffer.from(s, "utf8");
  bytes.copy(b, at, 0, Math.min(len, bytes.length));
}

/** One 512-byte header block. */
function header(e: TarEntry, name: string, size: number, style: TarStyle, typeflag: string): Buffer {
  const b = Buffer.alloc(BLOCK);
  put(b, 0, 100, name);
  put(b, 100, 8, octal(e.mode & 0o7777, 8));
  put(b, 108, 8, octal(e.uid, 8));
  put(b, 116, 8, octal(e.gid, 8));
  put(b, 124, 12, octal(size, 12));
  put(b, 136, 12, octal(Math.max(0, e.mtime), 12));
  b.write(typeflag, 156, "latin1");
  put(b, 157, 100, e.linkname);
  if (style === "go") {
    b.write("ustar\u000000", 257, "latin1");
    put(b, 329, 8, octal(0, 8));
    put(b, 337, 8, octal(0, 8));
  } else b.write("ustar  \0", 257, "latin1");
  put(b, 265, 32, e.uname);
  put(b, 297, 32, e.gname);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(octal(sum, 7), 148, "latin1");
  return b;
}

/** The content of a member padded to whole blocks. */
function padded(data: Buffer): Buffer[] {
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return pad ? [data, Buffer.alloc(pad)] : [data];
}

/** A long name member (`././@LongLink`, typeflag L or K) as GNU tar and busybox write it before the member. */
function longLink(e: TarEntry, name: string, flag: "L" | "K", style: TarStyle): Buffer[] {
  const data = Buffer.from(name + "\0", "utf8");
  // GNU tar writes the long-link member as root with mode 0 and mtime 0 (tar.c write_gnu_long_link).
  const link: TarEntry = { ...e, mode: 0, uid: 0, gid: 0, mtime: 0, uname: style === "gnu" ? "root" : "", gname: style === "gnu" ? "root" : "", linkname: "" };
  return [header(link, "././@LongLink", data.length, style, flag), ...padded(data)];
}

/** A pax extended header (`x`) carrying `path`, as Go's archive/tar writes one for a name ustar cannot hold (writer.go writePAXHeader, writeRawFile). */
function paxPath(name: string): Buffer[] {
  // formatPAXRecord: the length counts itself.
  const body = ` path=${name}\n`;
  let size = Buffer.byteLength(body, "utf8");
  size += String(size).length;
  if (String(size).length + Buffer.byteLength(body, "utf8") !== size) size = String(size).length + Buffer.byteLength(body, "utf8");
  const data = Buffer.from(`${size}${body}`, "utf8");
  const dir = name.includes("/") ? name.slice(0, name.replace(/\/$/, "").lastIndexOf("/") + 1) : "";
  const base = name.replace(/\/$/, "").slice(name.replace(/\/$/, "").lastIndexOf("/") + 1);
  const raw: TarEntry = { name: "", type: "other", mode: 0, uid: 0, gid: 0, uname: "", gname: "", mtime: 0, data: "", linkname: "" };
  return [header(raw, `${dir}PaxHeaders.0/${base}`.slice(0, 100).replace(/\/+$/, ""), data.length, "go", "x"), ...padded(data)];
}

/** The bytes of one member (its header blocks and content). */
export function encodeEntry(e: TarEntry, style: TarStyle): Buffer[] {
  const data = e.type === "file" ? Buffer.from(e.data, "utf8") : Buffer.alloc(0);
  const typeflag = e.typeflag ?? TYPEFLAG[e.type];
  const out: Buffer[] = [];
  let name = e.name;
  if (Buffer.byteLength(name, "utf8") > 100) {
    if (style === "go") {
      // Go splits a long name at a `/` into ustar's prefix and name when it can, else writes PAX.
      const bytes = Buffer.from(name, "utf8");
      let split = -1;
      for (let i = Math.min(bytes.length - 1, 155); i > 0; i--) if (bytes[i] === 0x2f && bytes.length - i - 1 <= 100 && bytes.length - i - 1 > 0) split = i;
      if (split > 0) {
        const h = header(e, bytes.subarray(split + 1).toString("utf8"), data.length, style, typeflag);
        bytes.copy(h, 345, 0, split);
        h.fill(0x20, 148, 156);
        let sum = 0;
        for (const byte of h) sum += byte;
        h.write(octal(sum, 7), 148, "latin1");
        return [h, ...padded(data)];
      }
      out.push(...paxPath(name));
    } else out.push(...longLink(e, name, "L", style));
    name = Buffer.from(name, "utf8").subarray(0, 100).toString("utf8");
  }
  if (Buffer.byteLength(e.linkname, "utf8") > 100 && style !== "go") out.unshift(...longLink(e, e.linkname, "K", style));
  out.push(header(e, name, data.length, style, typeflag), ...padded(data));
  return out;
}

/** A whole archive: the members, two zero blocks, and GNU tar's padding to its record size. */
export function encodeArchive(entries: TarEntry[], style: TarStyle): string {
  return archiveBytes(entries, style).toString("utf8");
}

export function archiveBytes(entries: TarEntry[], style: TarStyle): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(...encodeEntry(e, style));
  parts.push(Buffer.alloc(2 * BLOCK));
  let total = parts.reduce((n, p) => n + p.length, 0);
  if (style === "gnu" && total % GNU_RECORD) {
    parts.push(Buffer.alloc(GNU_RECORD - (total % GNU_RECORD)));
    total += GNU_RECORD - (total % GNU_RECORD);
  }
  return Buffer.concat(parts, total);
}

/** What reading an archive met, beside its members. */
export type TarReadProblem =
  /** The first block is no header (GNU: `This does not look like a tar archive`; busybox: `invalid tar magic`). */
  | "not-tar"
  /** The input ends inside the first block (GNU: `This does not look like a tar archive`; busybox: `short read`). */
  | "short"
  /** A block that is no header, skipped up to the next header (GNU: `Skipping to next header`). */
  | "skipped"
  /** The archive ends inside a member (GNU: `Unexpected EOF in archive`). */
  | "eof"
  /** Nothing at all (busybox: `short read`). */
  | "empty"
  /** A header whose magic is not ustar (busybox checks the magic before the checksum). */
  | "bad-magic"
  /** A bad checksum with a ustar magic (busybox: `invalid tar header checksum`). */
  | "bad-checksum"
  /** One zero block and no second (GNU: `A lone zero block at N`, N the blocks read). */
  | { loneZeroAt: number };

export interface TarRead {
  entries: TarEntry[];
  /** Problems in the order met; reading stops at `eof`, `short`, `bad-magic`, `bad-checksum` and a lone zero block. */
  problems: TarReadProblem[];
}

function field(b: Buffer, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const nul = s.indexOf(0);
  return (nul < 0 ? s : s.subarray(0, nul)).toString("utf8");
}

function num(b: Buffer, at: number, len: number): number {
  if (b[at]! & 0x80) {
    // GNU base-256.
    let v = 0;
    for (let i = at + 1; i < at + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = field(b, at, len).trim();
  return s ? parseInt(s, 8) || 0 : 0;
}

function checksumOk(b: Buffer): boolean {
  const want = num(b, 148, 8);
  let u = 0;
  let s = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 0x20 : b[i]!;
    u += v;
    s += v >= 0x80 ? v - 256 : v;
  }
  return want === u || want === s;
}

const isZero = (b: Buffer) => b.every((x) => x === 0);

/** pax records `LEN key=value\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const m = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.subarray(i, sp).toString("latin1"), 10);
    if (!len) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString("utf8");
    const eq = rec.indexOf("=");
    if (eq > 0) m.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return m;
}

/**
 * Reads the members of an archive. `strictMagic` is busybox's reader (get_header_tar: the magic
 * must start with `ustar`, then the checksum must match, and either failure ends the run); GNU
 * tar's reader goes by the checksum and skips blocks that are no header.
 */
export function decodeArchive(text: string | Buffer, opts: { strictMagic?: boolean } = {}): TarRead {
  const buf = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const entries: TarEntry[] = [];
  const problems: TarReadProblem[] = [];
  if (buf.length === 0) return { entries, problems: ["empty"] };
  if (buf.length < BLOCK) return { entries, problems: ["short"] };
  let at = 0;
  let longName: string | undefined;
  let longLinkName: string | undefined;
  let pax: Map<string, string> | undefined;
  let skipping = false;
  while (at < buf.length) {
    if (buf.length - at < BLOCK) {
      problems.push("eof");
      break;
    }
    const b = buf.subarray(at, at + BLOCK);
    at += BLOCK;
    if (isZero(b)) {
      // GNU reads one more block: a second zero block ends the archive quietly.
      const next = buf.subarray(at, at + BLOCK);
      if (next.length < BLOCK || !isZero(next)) problems.push({ loneZeroAt: at / BLOCK });
      break;
    }
    const magic = b.subarray(257, 262).toString("latin1");
    if (opts.strictMagic && magic !== "ustar") {
      problems.push("bad-magic");
      break;
    }
    if (!checksumOk(b)) {
      if (opts.strictMagic) {
        problems.push("bad-checksum");
        break;
      }
      if (at === BLOCK) problems.push("not-tar");
      if (!skipping) problems.push("skipped");
      skipping = true;
      continue;
    }
    skipping = false;
    const typeflag = String.fromCharCode(b[156]!) === "\0" ? "0" : String.fromCharCode(b[156]!);
    const size = num(b, 124, 12);
    const data = buf.subarray(at, Math.min(at + size, buf.length));
    at += Math.ceil(size / BLOCK) * BLOCK;
    // The archive ends inside this member (programs read whole blocks): the member as far as it goes, then the end.
    const cut = at > buf.length;
    if (typeflag === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    if (typeflag === "K") {
      longLinkName = field(data, 0, data.length);
      continue;
    }
    if (typeflag === "x") {
      pax = paxRecords(data);
      continue;
    }
    if (typeflag === "g") continue;
    let name = field(b, 0, 100);
    const prefix = b.subarray(257, 263).toString("latin1") === "ustar\0" ? field(b, 345, 155) : "";
    if (prefix) name = `${prefix}/${name}`;
    name = pax?.get("path") ?? longName ?? name;
    const linkname = pax?.get("linkpath") ?? longLinkName ?? field(b, 157, 100);
    longName = longLinkName = pax = undefined;
    const type: TarType = typeflag === "5" ? "dir" : typeflag === "2" ? "symlink" : typeflag === "1" ? "hardlink" : typeflag === "0" || typeflag === "7" ? "file" : "other";
    entries.push({
      name,
      type: type === "file" && name.endsWith("/") ? "dir" : type,
      mode: num(b, 100, 8) & 0o7777,
      uid: num(b, 108, 8),
      gid: num(b, 116, 8),
      uname: field(b, 265, 32),
      gname: field(b, 297, 32),
      mtime: num(b, 136, 12),
      data: type === "file" ? data.toString("utf8") : "",
      linkname,
      typeflag,
    });
    if (cut) {
      problems.push("eof");
      break;
    }
  }
  return { entries, problems };
}
