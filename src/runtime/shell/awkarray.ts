/**
 * awk's associative arrays, keyed by awk values. mawk's (array.c, from array.w) is ported so that
 * `for (k in a)` walks the keys in mawk's order: a dual hash table — integer subscripts on lists by
 * value, string subscripts on lists by FNV-1 hash, each found node moved to the front of its list,
 * the table doubled past 12 nodes a list on average, and `split()`'s arrays plain vectors until
 * touched otherwise; the loop walks the string lists bucket by bucket. busybox's awk keeps its own
 * hash order, not modelled: its arrays iterate in insertion order here (docs/divergences.md).
 */
import { StrNum, UNINIT, type Val } from "./awkvalue.ts";

export interface AwkArray {
  readonly size: number;
  get(k: Val): Val | undefined;
  /** The element, created (uninitialised) when absent: what reading `a[k]` does. */
  ref(k: Val): Val;
  set(k: Val, v: Val): void;
  has(k: Val): boolean;
  delete(k: Val): void;
  clear(): void;
  /** `split()`'s result: elements 1..n. */
  load(vals: Val[]): void;
  /** The subscripts in `for (k in a)` order. */
  keys(): string[];
}

/** A subscript's string: integers as integers, other numbers by CONVFMT (`fmt`). */
export type KeyFormat = (n: number) => string;

/** Insertion order (busybox's arrays here). */
export class OrderedArray implements AwkArray {
  private m = new Map<string, Val>();
  constructor(private readonly fmt: KeyFormat) {}
  private key(k: Val): string {
    return typeof k === "number" ? this.fmt(k) : k instanceof StrNum ? k.s : k;
  }
  get size(): number {
    return this.m.size;
  }
  get(k: Val): Val | undefined {
    return this.m.get(this.key(k));
  }
  ref(k: Val): Val {
    const s = this.key(k);
    let v = this.m.get(s);
    if (v === undefined) this.m.set(s, (v = UNINIT));
    return v;
  }
  set(k: Val, v: Val): void {
    this.m.set(this.key(k), v);
  }
  has(k: Val): boolean {
    return this.m.has(this.key(k));
  }
  delete(k: Val): void {
    this.m.delete(this.key(k));
  }
  clear(): void {
    this.m.clear();
  }
  load(vals: Val[]): void {
    this.m.clear();
    vals.forEach((v, i) => this.m.set(String(i + 1), v));
  }
  keys(): string[] {
    return [...this.m.keys()];
  }
}

const MAX_INT = 2147483647;
const NOT_AN_IVALUE = -MAX_INT - 1;
const AY_NULL = 0;
const AY_INT = 1;
const AY_STR = 2;
const AY_SPLIT = 4;
const STARTING_HMASK = 63;
const MAX_AVE_LIST_LENGTH = 12;
const hmaskToLimit = (x: number) => (x + 1) * MAX_AVE_LIST_LENGTH;

/** mawk's hash2: FNV-1 over the bytes. */
export function fnv1(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h = (h ^ (s.charCodeAt(i) & 255)) >>> 0;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** mawk's d_to_I: a double to its Int, clamped to ±Max_Int. */
function dToI(d: number): number {
  if (d >= MAX_INT) return MAX_INT;
  if (d > -MAX_INT) return Math.trunc(d);
  return -MAX_INT;
}

interface ANode {
  slink: ANode | null;
  ilink: ANode | null;
  sval: string | null;
  hval: number;
  ival: number;
  v: Val;
}

interface Dual {
  s: ANode | null;
  i: ANode | null;
}

type Found = ANode | { split: number } | null;

export class MawkArray implements AwkArray {
  private type = AY_NULL;
  size = 0;
  private limit = 0;
  private hmask = 0;
  private table: Dual[] = [];
  private cells: Val[] = [];

  constructor(private readonly fmt: KeyFormat) {}

  private find(k: Val, create: boolean): Found {
    if (this.size === 0 && !create) return null;
    if (typeof k === "number") {
      const ival = dToI(k);
      if (ival === k) {
        if (this.type === AY_SPLIT) {
          if (ival >= 1 && ival <= this.size) return { split: ival - 1 };
          if (!create) return null;
          this.convertSplitToTable();
        } else if (this.type === AY_NULL) this.makeEmptyTable(AY_INT);
        return this.findByIval(ival, create);
      }
      return this.findBySval(this.fmt(k), create);
    }
    return this.findBySval(k instanceof StrNum ? k.s : k, create);
  }

  private findByIval(ival: number, create: boolean): ANode | null {
    const idx = (ival >>> 0) & this.hmask;
    let p = this.table[idx]!.i;
    let q: ANode | null = null;
    for (;;) {
      if (!p) {
        if (this.type & AY_STR) {
          // the node may exist by its string: find it there (mawk keeps the index computed before)
          p = this.findBySval(String(ival), create);
          if (!p) return null;
        } else if (create) {
          p = { slink: null, ilink: null, sval: null, hval: 0, ival, v: UNINIT };
          if (++this.size > this.limit) this.doubleTable();
        } else return null;
        p.ival = ival;
        this.type |= AY_INT;
        const at = create && !(this.type & AY_STR) ? (ival >>> 0) & this.hmask : idx;
        p.ilink = this.table[at]!.i;
        this.table[at]!.i = p;
        return p;
      }
      if (p.ival === ival) {
        if (!q) return p;
        q.ilink = p.ilink;
        break;
      }
      q = p;
      p = p.ilink;
    }
    p.ilink = this.table[idx]!.i;
    this.table[idx]!.i = p;
    return p;
  }

  private findBySval(s: string, create: boolean): ANode | null {
    const hval = fnv1(s);
    if (!(this.type & AY_STR)) this.addStringAssociations();
    let idx = hval & this.hmask;
    let p = this.table[idx]!.s;
    let q: ANode | null = null;
    for (;;) {
      if (!p) {
        if (!create) return null;
        p = { slink: null, ilink: null, sval: s, hval, ival: NOT_AN_IVALUE, v: UNINIT };
        if (++this.size > this.limit) {
          this.doubleTable();
          idx = hval & this.hmask;
        }
        break;
      }
      if (p.hval === hval && p.sval === s) {
        if (!q) return p;
        q.slink = p.slink;
        break;
      }
      q = p;
      p = p.slink;
    }
    p.slink = this.table[idx]!.s;
    this.table[idx]!.s = p;
    return p;
  }

  private addStringAssociations(): void {
    if (this.type === AY_NULL) {
      this.makeEmptyTable(AY_STR);
      return;
    }
    if (this.type === AY_SPLIT) this.convertSplitToTable();
    for (let i = 0; i <= this.hmask; i++) {
      for (let p = this.table[i]!.i; p; p = p.ilink) {
        p.sval = String(p.ival);
        p.hval = fnv1(p.sval);
        const j = this.hmask & p.hval;
        p.slink = this.table[j]!.s;
        this.table[j]!.s = p;
      }
    }
    this.type |= AY_STR;
  }

  private makeEmptyTable(type: number): void {
    this.type = type;
    this.hmask = STARTING_HMASK;
    this.limit = hmaskToLimit(STARTING_HMASK);
    this.table = Array.from({ length: STARTING_HMASK + 1 }, () => ({ s: null, i: null }));
  }

  private convertSplitToTable(): void {
    const cells = this.cells;
    this.hmask = STARTING_HMASK;
    this.limit = hmaskToLimit(STARTING_HMASK);
    while (this.size > this.limit) {
      this.hmask = this.hmask * 2 + 1;
      this.limit = hmaskToLimit(this.hmask);
    }
    this.table = Array.from({ length: this.hmask + 1 }, () => ({ s: null, i: null }));
    for (let i = 0, j = 1; i < this.size; i++) {
      const p: ANode = { slink: null, ilink: this.table[j]!.i, sval: null, hval: 0, ival: i + 1, v: cells[i]! };
      this.table[j]!.i = p;
      j = (j + 1) & this.hmask;
    }
    this.cells = [];
    this.type = AY_INT;
  }

  private doubleTable(): void {
    const old = this.hmask;
    const nm = old * 2 + 1;
    for (let i = 0; i <= old; i++) this.table.push({ s: null, i: null });
    const split = (kind: "s" | "i", slot: (p: ANode) => number) => {
      for (let i = 0, j = old + 1; i <= old; i++, j++) {
        const keep: ANode[] = [];
        const move: ANode[] = [];
        for (let p = this.table[i]![kind]; p; p = kind === "s" ? p.slink : p.ilink) (((slot(p) & nm) >>> 0) !== i ? move : keep).push(p);
        const link = (list: ANode[]) => {
          for (let k = 0; k < list.length; k++) {
            if (kind === "s") list[k]!.slink = list[k + 1] ?? null;
            else list[k]!.ilink = list[k + 1] ?? null;
          }
          return list[0] ?? null;
        };
        this.table[i]![kind] = link(keep);
        this.table[j]![kind] = link(move);
      }
    };
    if (this.type & AY_STR) split("s", (p) => p.hval);
    if (this.type & AY_INT) split("i", (p) => p.ival >>> 0);
    this.hmask = nm;
    this.limit = hmaskToLimit(nm);
  }

  get(k: Val): Val | undefined {
    const f = this.find(k, false);
    if (!f) return undefined;
    return "split" in f ? this.cells[f.split] : f.v;
  }

  ref(k: Val): Val {
    const f = this.find(k, true)!;
    return "split" in f ? this.cells[f.split]! : f.v;
  }

  set(k: Val, v: Val): void {
    const f = this.find(k, true)!;
    if ("split" in f) this.cells[f.split] = v;
    else f.v = v;
  }

  has(k: Val): boolean {
    return this.find(k, false) !== null;
  }

  delete(k: Val): void {
    if (this.size === 0) return;
    let ap: ANode | null;
    if (typeof k === "number" && dToI(k) === k) {
      const ival = k;
      if (this.type === AY_SPLIT) {
        if (ival >= 1 && ival <= this.size) this.convertSplitToTable();
        else return;
      }
      ap = this.findByIval(ival, false);
      if (ap) {
        this.table[(ap.ival >>> 0) & this.hmask]!.i = ap.ilink;
        if (ap.sval !== null) this.unlinkS(ap);
        if (--this.size === 0) this.clear();
      }
      return;
    }
    ap = this.findBySval(typeof k === "number" ? this.fmt(k) : k instanceof StrNum ? k.s : k, false);
    if (ap) {
      this.table[ap.hval & this.hmask]!.s = ap.slink;
      if (ap.ival !== NOT_AN_IVALUE) this.unlinkI(ap);
      if (--this.size === 0) this.clear();
    }
  }

  private unlinkS(ap: ANode): void {
    const d = this.table[ap.hval & this.hmask]!;
    let q: ANode | null = null;
    let p = d.s;
    while (p && p !== ap) {
      q = p;
      p = p.slink;
    }
    if (!p) return;
    if (q) q.slink = p.slink;
    else d.s = p.slink;
  }

  private unlinkI(ap: ANode): void {
    const d = this.table[(ap.ival >>> 0) & this.hmask]!;
    let q: ANode | null = null;
    let p = d.i;
    while (p && p !== ap) {
      q = p;
      p = p.ilink;
    }
    if (!p) return;
    if (q) q.ilink = p.ilink;
    else d.i = p.ilink;
  }

  clear(): void {
    this.type = AY_NULL;
    this.size = 0;
    this.limit = 0;
    this.hmask = 0;
    this.table = [];
    this.cells = [];
  }

  load(vals: Val[]): void {
    if (this.type !== AY_SPLIT || this.limit < vals.length) {
      this.clear();
      this.limit = (vals.length & ~3) + 4;
      this.type = AY_SPLIT;
    }
    this.size = vals.length;
    this.cells = [...vals];
  }

  keys(): string[] {
    if (this.size === 0) return [];
    if (!(this.type & AY_STR)) this.addStringAssociations();
    const out: string[] = [];
    for (let i = 0; i <= this.hmask; i++) for (let p = this.table[i]!.s; p; p = p.slink) out.push(p.sval!);
    return out;
  }
}
