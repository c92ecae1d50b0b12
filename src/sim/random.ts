/**
 * Seeded pseudo-random sources:
 * - a cluster's `chance`: what the seed is meant to change (scheduler tie-breaks, service
 *   routing, jitter);
 * - `keyedRandom(key)`: uids and generated name suffixes, derived from the object's own key and
 *   never from the seed, so that changing the seed never renames objects.
 * The generator is sfc32 seeded through splitmix32: fast, well distributed, and reproducible.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = this.b = this.c = this.d = 0;
    this.reseed(seed);
  }

  /** Restarts the sequence from a new seed (components keep their reference to this source). */
  reseed(seed: number): void {
    if (!Number.isSafeInteger(seed)) throw new Error(`the random seed must be an integer, got ${seed}`);
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
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
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = "89ab"[this.int(4)];
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

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
