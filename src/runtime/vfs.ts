/**
 * In-memory filesystems for simulated containers and nodes.
 *
 * - `MemFs`: a tree of directories and text files. A node has one (hostPath volumes mount
 *   subtrees of it), an emptyDir volume is one, and each container's image root is one.
 * - `MountedFs`: a container's view: a root filesystem plus a mount table (volumeMounts), where
 *   each mount shows a subtree (`subPath`) of another filesystem, optionally read-only.
 *
 * Paths are absolute; `.`/`..` and repeated slashes are normalised here. Errors are `VfsError`
 * with POSIX codes; turning them into coreutils' texts is the shell's job.
 */
import { VfsError, type ProcessCred, type Vfs, type VfsOwner, type VfsStat } from "./types.ts";

/** Anything with a simulated `now()` (a SimClock). */
export interface NowSource {
  now(): number;
}

/** Normalises an absolute path: collapses `//`, resolves `.` and `..` (never above `/`). */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** Joins a base path and a relative (or absolute) one, then normalises. */
export function resolvePath(cwd: string, path: string): string {
  return normalizePath(path.startsWith("/") ? path : `${cwd}/${path}`);
}

/**
 * A path's components after normalisation, shared and frozen (issue #19: every container start
 * builds its filesystem from the same few dozen paths; the split is a pure function of the text,
 * so it is kept per text, at most PARTS_KEPT texts).
 */
function parts(path: string): readonly string[] {
  let ps = partsKept.get(path);
  if (ps === undefined) {
    const n = normalizePath(path);
    ps = Object.freeze(n === "/" ? [] : n.slice(1).split("/"));
    if (partsKept.size >= PARTS_KEPT) partsKept.clear();
    partsKept.set(path, ps);
  }
  return ps;
}
const PARTS_KEPT = 4096;
const partsKept = new Map<string, readonly string[]>();

type Node = FileNode | DirNode;
interface FileNode {
  type: "file";
  data: string;
  /** Content made when first read (writeFileLazy); `data` holds it from then on. */
  lazy?: () => string;
  mtimeMs: number;
  mode: number;
  uid?: number;
  gid?: number;
}
interface DirNode {
  type: "dir";
  children: Map<string, Node>;
  mtimeMs: number;
  mode: number;
  uid?: number;
  gid?: number;
}

const S_ISGID = 0o2000;

/** A file's content, made now if it was written lazily. */
function text(node: FileNode): string {
  if (node.lazy) {
    node.data = node.lazy();
    node.lazy = undefined;
  }
  return node.data;
}

/**
 * The owner of a node created in `dir` by `owner` (Linux's inode_init_owner): the creator's uid,
 * and the creator's gid unless the directory is setgid, whose group the node takes (a directory
 * made there is setgid too).
 */
function ownNew<N extends Node>(node: N, dir: DirNode, owner: VfsOwner | undefined): N {
  if (dir.mode & S_ISGID) {
    node.gid = dir.gid ?? 0;
    if (node.type === "dir") node.mode |= S_ISGID;
  } else if (owner?.gid) node.gid = owner.gid;
  if (owner?.uid) node.uid = owner.uid;
  return node;
}

function copyChildren(from: DirNode, to: DirNode, now: number): void {
  for (const [name, n] of from.children) {
    let c: Node;
    if (n.type === "file") c = { type: "file", data: text(n), mtimeMs: now, mode: n.mode };
    else {
      const d: DirNode = { type: "dir", children: new Map(), mtimeMs: now, mode: n.mode };
      copyChildren(n, d, now);
      c = d;
    }
    if (n.uid !== undefined) c.uid = n.uid;
    if (n.gid !== undefined) c.gid = n.gid;
    to.children.set(name, c);
  }
}

/** A tree of directories and text files held in memory. */
export class MemFs implements Vfs {
  private readonly root: DirNode;
  /** inotify on directories (`watchDir`): callbacks per watched directory's normalised path. */
  private watchers: Map<string, Array<() => void>> | undefined;

  constructor(
    private readonly clock?: NowSource,
    files?: Record<string, string>,
  ) {
    this.root = { type: "dir", children: new Map(), mtimeMs: this.now(), mode: 0o755 };
    for (const [path, data] of Object.entries(files ?? {})) {
      const p = normalizePath(path);
      const dir = p.slice(0, p.lastIndexOf("/")) || "/";
      this.mkdir(dir, { recursive: true });
      this.writeFile(p, data);
    }
  }

  private now(): number {
    return this.clock ? this.clock.now() : 0;
  }

  /**
   * A copy of `src`'s tree whose every node was made at `clock`'s now (issue #19: a container's
   * image root is built once per image and copied at each start). For a tree built at one instant
   * (every node's time that instant, as the constructor and the writes after it leave it), the copy
   * is the tree the same operations would build now: the same nodes, data, modes and owners; the
   * order children were added in differs at most, which `readdir` does not show (it sorts).
   */
  static copyOf(src: MemFs, clock?: NowSource): MemFs {
    const fs = new MemFs(clock);
    const now = fs.root.mtimeMs;
    fs.root.mode = src.root.mode;
    if (src.root.uid !== undefined) fs.root.uid = src.root.uid;
    if (src.root.gid !== undefined) fs.root.gid = src.root.gid;
    copyChildren(src.root, fs.root, now);
    return fs;
  }

  /** Looks up a node; throws ENOTDIR when a non-final component is a file. */
  private lookup(path: string): Node | undefined {
    const ps = parts(path);
    return this.lookupParts(ps, ps.length, path);
  }

  /** The node at the first `n` components of `ps` (`path` names it in errors; by default those components joined). */
  private lookupParts(ps: readonly string[], n: number, path: string | undefined): Node | undefined {
    let node: Node = this.root;
    for (let i = 0; i < n; i++) {
      if (node.type !== "dir") throw new VfsError("ENOTDIR", path ?? "/" + ps.slice(0, n).join("/"));
      const next: Node | undefined = node.children.get(ps[i]!);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** The parent directory node and the final name; throws ENOENT/ENOTDIR when the parent is missing. */
  private parent(path: string): { dir: DirNode; name: string } {
    const ps = parts(path);
    if (ps.length === 0) throw new VfsError("EEXIST", "/");
    const name = ps[ps.length - 1]!;
    const dir = this.lookupParts(ps, ps.length - 1, undefined);
    if (!dir) throw new VfsError("ENOENT", path);
    if (dir.type !== "dir") throw new VfsError("ENOTDIR", path);
    return { dir, name };
  }

  /**
   * inotify(7) on a directory (the kubelet's static pod source watches its manifest directory):
   * `onChange` runs after each entry of `dir` is created, written, touched or removed, and when
   * `dir` itself is created or removed. Returns the unwatch. Filesystems nobody watches pay one
   * `undefined` check per change.
   */
  watchDir(dir: string, onChange: () => void): () => void {
    const key = normalizePath(dir);
    this.watchers ??= new Map();
    const list = this.watchers.get(key) ?? [];
    list.push(onChange);
    this.watchers.set(key, list);
    return () => {
      const l = this.watchers?.get(key);
      if (!l) return;
      const i = l.indexOf(onChange);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.watchers!.delete(key);
      if (this.watchers!.size === 0) this.watchers = undefined;
    };
  }

  private notify(path: string): void {
    const w = this.watchers;
    if (w === undefined) return;
    const p = normalizePath(path);
    const dir = p.slice(0, p.lastIndexOf("/")) || "/";
    for (const fn of [...(w.get(dir) ?? []), ...(w.get(p) ?? [])]) fn();
  }

  stat(path: string): VfsStat | undefined {
    let node: Node | undefined;
    try {
      node = this.lookup(path);
    } catch {
      return undefined;
    }
    if (!node) return undefined;
    const st: VfsStat = {
      type: node.type,
      size: node.type === "file" ? (node.lazy ? 0 : Buffer.byteLength(node.data)) : node.children.size,
      mtimeMs: node.mtimeMs,
      mode: node.mode,
      ...(node.uid ? { uid: node.uid } : {}),
      ...(node.gid ? { gid: node.gid } : {}),
    };
    // A lazily written file (a projected token, signed when first read) is made only when its size
    // is read: a stat that asks whether the file is there leaves it unmade.
    if (node.type === "file" && node.lazy) {
      const file = node;
      Object.defineProperty(st, "size", {
        get() {
          return Buffer.byteLength(text(file));
        },
        enumerable: true,
        configurable: true,
      });
    }
    return st;
  }

  readFile(path: string): string {
    const node = this.lookup(path);
    if (!node) throw new VfsError("ENOENT", path);
    if (node.type === "dir") throw new VfsError("EISDIR", path);
    return text(node);
  }

  /**
   * Writes a file whose content `make` gives when it is first read or stat'ed (a projected service
   * account token, signed only if something reads it); as writeFile otherwise.
   */
  writeFileLazy(path: string, make: () => string, opts?: { mode?: number; owner?: VfsOwner }): void {
    this.writeFile(path, "", opts);
    const node = this.lookup(path) as FileNode;
    node.lazy = make;
  }

  writeFile(path: string, data: string, opts?: { append?: boolean; mode?: number; owner?: VfsOwner }): void {
    const { dir, name } = this.parent(path);
    const existing = dir.children.get(name);
    const now = this.now();
    if (existing?.type === "dir") throw new VfsError("EISDIR", path);
    if (existing) {
      existing.data = opts?.append ? text(existing) + data : data;
      existing.lazy = undefined;
      existing.mtimeMs = now;
      if (opts?.mode !== undefined) existing.mode = opts.mode;
    } else {
      dir.children.set(name, ownNew({ type: "file", data, mtimeMs: now, mode: opts?.mode ?? 0o644 }, dir, opts?.owner));
      dir.mtimeMs = now;
    }
    if (this.watchers) this.notify(path);
  }

  mkdir(path: string, opts?: { recursive?: boolean; mode?: number; owner?: VfsOwner }): void {
    const mode = opts?.mode ?? 0o755;
    if (opts?.recursive) {
      let node: DirNode = this.root;
      for (const name of parts(path)) {
        let next = node.children.get(name);
        if (!next) {
          next = ownNew<DirNode>({ type: "dir", children: new Map(), mtimeMs: this.now(), mode }, node, opts.owner);
          node.children.set(name, next);
          node.mtimeMs = this.now();
        } else if (next.type !== "dir") {
          throw new VfsError("ENOTDIR", path);
        }
        node = next;
      }
      if (this.watchers) this.notify(path);
      return;
    }
    const { dir, name } = this.parent(path);
    if (dir.children.has(name)) throw new VfsError("EEXIST", path);
    dir.children.set(name, ownNew<DirNode>({ type: "dir", children: new Map(), mtimeMs: this.now(), mode }, dir, opts?.owner));
    dir.mtimeMs = this.now();
    if (this.watchers) this.notify(path);
  }

  readdir(path: string): string[] {
    const node = this.lookup(path);
    if (!node) throw new VfsError("ENOENT", path);
    if (node.type !== "dir") throw new VfsError("ENOTDIR", path);
    return [...node.children.keys()].sort();
  }

  unlink(path: string): void {
    const { dir, name } = this.parent(path);
    const node = dir.children.get(name);
    if (!node) throw new VfsError("ENOENT", path);
    if (node.type === "dir") throw new VfsError("EISDIR", path);
    dir.children.delete(name);
    dir.mtimeMs = this.now();
    if (this.watchers) this.notify(path);
  }

  rmdir(path: string, opts?: { recursive?: boolean }): void {
    if (parts(path).length === 0) throw new VfsError("EACCES", "/");
    const { dir, name } = this.parent(path);
    const node = dir.children.get(name);
    if (!node) throw new VfsError("ENOENT", path);
    if (node.type !== "dir") throw new VfsError("ENOTDIR", path);
    if (node.children.size > 0 && !opts?.recursive) throw new VfsError("ENOTEMPTY", path);
    dir.children.delete(name);
    dir.mtimeMs = this.now();
    if (this.watchers) this.notify(path);
  }

  touch(path: string, opts?: { owner?: VfsOwner }): void {
    const node = this.lookup(path);
    if (node) {
      node.mtimeMs = this.now();
      if (this.watchers) this.notify(path);
      return;
    }
    this.writeFile(path, "", opts);
  }

  /** chown(2): -1 leaves the uid or gid as it is. */
  chown(path: string, uid: number, gid: number): void {
    const node = this.lookup(path);
    if (!node) throw new VfsError("ENOENT", path);
    if (uid >= 0) node.uid = uid;
    if (gid >= 0) node.gid = gid;
  }

  /** chmod(2): the permission, setuid, setgid and sticky bits. */
  chmod(path: string, mode: number): void {
    const node = this.lookup(path);
    if (!node) throw new VfsError("ENOENT", path);
    node.mode = mode & 0o7777;
  }
}

/** CAP_DAC_OVERRIDE (linux/capability.h): bypasses file read, write and execute checks. */
const CAP_DAC_OVERRIDE = 1n << 1n;

/**
 * Whether `cred` may access a file with these permission bits (`want`: 4 read, 2 write, 1
 * execute/search), as generic_permission decides: the owner's bits for its owner, the group's
 * for a member of its group, else the others'; CAP_DAC_OVERRIDE (root's, by default) passes.
 */
export function mayAccess(st: Pick<VfsStat, "mode" | "uid" | "gid">, cred: ProcessCred | undefined, want: number): boolean {
  if (!cred) return true;
  const caps = cred.caps?.effective;
  if (caps !== undefined ? (caps & CAP_DAC_OVERRIDE) !== 0n : cred.uid === 0) return true;
  const uid = st.uid ?? 0;
  const gid = st.gid ?? 0;
  const bits = cred.uid === uid ? st.mode >> 6 : cred.gid === gid || cred.groups.includes(gid) ? st.mode >> 3 : st.mode;
  return (bits & want) === want;
}

/** One entry of a mount table: `fs` (from `subPath`, default `/`) appears at `path`. */
export interface Mount {
  path: string;
  fs: Vfs;
  subPath?: string;
  readOnly?: boolean;
}

/**
 * A root filesystem with filesystems mounted over directories of it, as a container sees its
 * image plus its volumeMounts. The longest matching mount wins. Writes under a read-only
 * mount throw EROFS; a mount point itself cannot be removed (EACCES, where Linux says EBUSY).
 */
export class MountedFs implements Vfs {
  private readonly mounts: Array<Required<Pick<Mount, "path" | "subPath">> & Mount>;

  /** What files the container's processes create are owned by. */
  private readonly owner: VfsOwner | undefined;

  /** `cred`: the identity of the container's processes; its files are theirs, and its permission checks apply. */
  constructor(
    private readonly rootFs: Vfs,
    mounts: Mount[] = [],
    private readonly rootReadOnly = false,
    private readonly cred?: ProcessCred,
  ) {
    this.owner = cred && (cred.uid || cred.gid) ? { uid: cred.uid, gid: cred.gid } : undefined;
    this.mounts = mounts
      .map((m) => ({ ...m, path: normalizePath(m.path), subPath: normalizePath(m.subPath ?? "/") }))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** The filesystem and inner path a container path lands on. */
  private route(path: string): { fs: Vfs; inner: string; readOnly: boolean; mountPoint: boolean } {
    const p = normalizePath(path);
    for (const m of this.mounts) {
      if (p === m.path || m.path === "/" || p.startsWith(m.path + "/")) {
        const rest = m.path === "/" ? p : p.slice(m.path.length);
        return { fs: m.fs, inner: normalizePath(`${m.subPath}/${rest}`), readOnly: !!m.readOnly, mountPoint: p === m.path };
      }
    }
    return { fs: this.rootFs, inner: p, readOnly: this.rootReadOnly, mountPoint: false };
  }

  private writable(path: string): { fs: Vfs; inner: string; mountPoint: boolean } {
    const r = this.route(path);
    if (r.readOnly) throw new VfsError("EROFS", normalizePath(path));
    return r;
  }

  /** Throws EACCES unless the processes may access `path` (when it exists) with `want` bits. */
  private check(path: string, want: number): void {
    if (!this.cred) return;
    const st = this.stat(path);
    if (st && !mayAccess(st, this.cred, want)) throw new VfsError("EACCES", normalizePath(path));
  }

  /** Creating or removing an entry needs write and search permission on its directory. */
  private checkParent(path: string): void {
    if (!this.cred) return;
    const p = normalizePath(path);
    const st = this.stat(p.slice(0, p.lastIndexOf("/")) || "/");
    if (st && !mayAccess(st, this.cred, 3)) throw new VfsError("EACCES", p);
  }

  /** Mount points directly under `dir` (they show in listings even when the root has no such directory). */
  private mountNamesUnder(dir: string): string[] {
    const d = normalizePath(dir);
    const prefix = d === "/" ? "/" : d + "/";
    const names: string[] = [];
    for (const m of this.mounts) {
      if (m.path !== d && m.path.startsWith(prefix)) {
        const name = m.path.slice(prefix.length).split("/")[0]!;
        if (name) names.push(name);
      }
    }
    return names;
  }

  stat(path: string): VfsStat | undefined {
    const r = this.route(path);
    const st = r.fs.stat(r.inner);
    if (st) return st;
    // A directory that only exists as the parent of a mount point.
    if (this.mountNamesUnder(path).length > 0) return { type: "dir", size: 0, mtimeMs: 0, mode: 0o755 };
    return undefined;
  }

  readFile(path: string): string {
    const r = this.route(path);
    if (this.cred && r.fs.stat(r.inner)?.type === "file") this.check(path, 4);
    return rethrow(path, r.inner, () => r.fs.readFile(r.inner));
  }

  writeFile(path: string, data: string, opts?: { append?: boolean; mode?: number; owner?: VfsOwner }): void {
    const r = this.writable(path);
    if (this.cred) {
      if (this.stat(path)) this.check(path, 2);
      else this.checkParent(path);
    }
    rethrow(path, r.inner, () => r.fs.writeFile(r.inner, data, { ...opts, owner: opts?.owner ?? this.owner }));
  }

  chown(path: string, uid: number, gid: number): void {
    const r = this.writable(path);
    if (!r.fs.chown) throw new VfsError("EROFS", normalizePath(path));
    rethrow(path, r.inner, () => r.fs.chown!(r.inner, uid, gid));
  }

  chmod(path: string, mode: number): void {
    const r = this.writable(path);
    if (!r.fs.chmod) throw new VfsError("EROFS", normalizePath(path));
    rethrow(path, r.inner, () => r.fs.chmod!(r.inner, mode));
  }

  mkdir(path: string, opts?: { recursive?: boolean; mode?: number; owner?: VfsOwner }): void {
    const r = this.route(path);
    if (r.mountPoint) {
      if (opts?.recursive) return;
      throw new VfsError("EEXIST", normalizePath(path));
    }
    if (r.readOnly) throw new VfsError("EROFS", normalizePath(path));
    if (this.cred && !opts?.recursive) this.checkParent(path);
    rethrow(path, r.inner, () => r.fs.mkdir(r.inner, { ...opts, owner: opts?.owner ?? this.owner }));
  }

  readdir(path: string): string[] {
    const r = this.route(path);
    this.check(path, 4);
    const extra = this.mountNamesUnder(path);
    let own: string[] = [];
    try {
      own = r.fs.readdir(r.inner);
    } catch (e) {
      if (!(e instanceof VfsError) || extra.length === 0) throw retarget(e, path, r.inner);
    }
    return [...new Set([...own, ...extra])].sort();
  }

  unlink(path: string): void {
    const r = this.writable(path);
    if (r.mountPoint) throw new VfsError("EACCES", normalizePath(path));
    this.checkParent(path);
    rethrow(path, r.inner, () => r.fs.unlink(r.inner));
  }

  rmdir(path: string, opts?: { recursive?: boolean }): void {
    const r = this.writable(path);
    if (r.mountPoint || this.mountNamesUnder(path).length > 0) throw new VfsError("EACCES", normalizePath(path));
    this.checkParent(path);
    rethrow(path, r.inner, () => r.fs.rmdir(r.inner, opts));
  }

  touch(path: string, opts?: { owner?: VfsOwner }): void {
    const r = this.writable(path);
    if (this.cred) {
      if (this.stat(path)) this.check(path, 2);
      else this.checkParent(path);
    }
    rethrow(path, r.inner, () => r.fs.touch(r.inner, { owner: opts?.owner ?? this.owner }));
  }
}

/** Errors carry the container's path, not the inner path of the mounted filesystem. */
function retarget(e: unknown, outer: string, inner: string): unknown {
  if (e instanceof VfsError && e.path === inner) return new VfsError(e.code, normalizePath(outer));
  return e;
}

function rethrow<T>(outer: string, inner: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw retarget(e, outer, inner);
  }
}
