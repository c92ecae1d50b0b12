/**
 * Seeded pseudo-random sources:
 * - a cluster's `chance`: what the seed is meant to change (scheduler tie-breaks, service
 *   routing, jitter);
 * - `keyedRandom(key)`: uids and generated name suffixes, derived from the object's own key and
 *   never from the seed, so that changing the seed never renames objects.
 * The generator is sfc32 seeded through splitmix32: fast, well distributed, and reproducible.
 */
export class Random {
  // sfc32's four words, kept as signed 32-bit integers (`| 0`): V8 stores them as small integers
  // in place, where unsigned words above 2³¹ would be boxed doubles rewritten on every draw (the
  // scheduler's tie-breaks draw ~500 times a pod). Each draw is returned unsigned (`>>> 0`), the
  // same numbers as the unsigned arithmetic.
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /**
   * Issue #19 (never set on the reference engine): called before every draw while set. Dormant
   * traffic clients (src/network/network.ts, `sleepClient`) owe draws made at instants already
   * passed; this hook makes them, in order, before anyone else draws.
   */
  beforeDraw: (() => void) | undefined = undefined;

  constructor(seed: number) {
    this.a = this.b = this.c = this.d = 0;
    this.reseed(seed);
  }

  /** Restarts the sequence from a new seed (components keep their reference to this source). */
  reseed(seed: number): void {
    if (!Number.isSafeInteger(seed)) throw new Error(`the random seed must be an integer, got ${seed}`);
    if (this.beforeDraw !== undefined) this.beforeDraw();
    const s = seed >>> 0;
    this.a = splitmix32(s, 1) | 0;
    this.b = splitmix32(s, 2) | 0;
    this.c = splitmix32(s, 3) | 0;
    this.d = splitmix32(s, 4) | 0;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    if (this.beforeDraw !== undefined) this.beforeDraw();
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    // Sums of up to three int32 words are exact in doubles, so `| 0` wraps them modulo 2³² as the
    // unsigned form did.
    const t = (a + b + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!(n > 0)) throw new Error(`Random.int needs a positive bound, got ${n}`);
    return Math.floor(this.float() * n);
  }

  /** `n` characters from Kubernetes' name-suffix alphabet (utilrand.String: no vowels, no 0 1 3). */
  suffix(n = 5): string {
    const alphabet = "bcdfghjklmnpqrstvwxz2456789";
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += "0123456789abcdef"[this.int(16)];
    return out;
  }

  /** A version-4 UUID built from this source. */
  uuid(): string {
    // The same draws as `hex(32)` then `int(4)` (digit 12 is drawn and replaced by the version 4,
    // digit 16 by the variant), written straight into the dashed form.
    // One flat string from the character codes (concatenating 36 characters would leave a chain
    // of cons strings behind every stored uid).
    // int(16) of a draw u is floor(u / 2^32 * 16), exactly u >>> 28 (the division by a power of
    // two is exact); int(4) is u >>> 30.
    const c = UUID_CODES;
    for (let i = 0, j = 0; i < 32; i++, j++) {
      if (i === 8 || i === 12 || i === 16 || i === 20) c[j++] = 45; // "-"
      c[j] = HEX_CODES[this.uint32() >>> 28];
    }
    c[14] = HEX_CODES[4];
    c[19] = HEX_CODES[8 + (this.uint32() >>> 30)];
    return String.fromCharCode.apply(null, c);
  }
}

/** splitmix32's `n`th output from `seed` (the seeding of sfc32's four words). */
function splitmix32(seed: number, n: number): number {
  let z = (seed + Math.imul(0x9e3779b9, n)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const HEX_CODES = [..."0123456789abcdef"].map((ch) => ch.charCodeAt(0));
const UUID_CODES: number[] = new Array(36).fill(0);

/** FNV-1a of a string, for keyed sources. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A source derived from a key alone (e.g. `uid:Pod/default/web1#0`), so that an object's uid or
 * generated name does not depend on how many other objects were created before it: a different
 * seed, which may reorder what happens, cannot rename anything.
 */
export function keyedRandom(key: string): Random {
  return new Random((hash32(key) ^ IDENTITY_SEED) >>> 0);
}

export const DEFAULT_SEED = 1;
/** Mixed into every keyed source; constant so that uids never depend on the scenario's seed. */
export const IDENTITY_SEED = 0x6b756265;
