/**
 * The API server's bounded event history of one resource
 * (staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go): a cyclic buffer of the latest
 * watch events with their resource versions, so that a watch can start from a resourceVersion a
 * client listed at (replaying what happened since), and a list can be served as it was at an
 * earlier resourceVersion (continue tokens). The buffer holds between 100 and 100 × 1024 events:
 * it doubles when full while its oldest event is less than 75 s old (eventFreshDuration, here in
 * simulated time) and halves when its newest quarter is older than that. A watch from before the
 * oldest kept event gets `410 Expired: too old resource version: <rv> (<oldest - 1>)`.
 */
import { newResourceExpired } from "./errors.ts";
import type { KObject, WatchEvent } from "./types.ts";

export const EVENT_FRESH_MS = 75_000;
export const LOWER_BOUND_CAPACITY = 100;
export const UPPER_BOUND_CAPACITY = 100 * 1024;

export interface CachedEvent {
  type: WatchEvent["type"];
  object: KObject;
  /** The object before the change (MODIFIED, DELETED), for selector transitions and rollbacks. */
  old?: KObject;
  rv: number;
  recordTime: number;
}

export class WatchCache {
  private capacity: number;
  private cache: Array<CachedEvent | undefined>;
  private startIndex = 0;
  private endIndex = 0;
  private removedEventSinceRelist = false;

  /**
   * @param listResourceVersion the resource version the history starts after (the store's when the
   *   cache was started): a watch from it or later can be served.
   */
  constructor(
    private readonly listResourceVersion: number,
    private readonly lowerBound = LOWER_BOUND_CAPACITY,
    private readonly upperBound = UPPER_BOUND_CAPACITY,
  ) {
    this.capacity = lowerBound;
    this.cache = new Array(lowerBound);
  }

  get size(): number {
    return this.endIndex - this.startIndex;
  }

  get currentCapacity(): number {
    return this.capacity;
  }

  add(event: CachedEvent): void {
    this.resize(event.recordTime);
    if (this.isFull()) {
      this.cache[this.startIndex % this.capacity] = undefined;
      this.startIndex++;
      this.removedEventSinceRelist = true;
    }
    this.cache[this.endIndex % this.capacity] = event;
    this.endIndex++;
  }

  /** The oldest resource version a watch may start from (oldest kept event's - 1). */
  oldestResourceVersion(): number {
    if (!this.removedEventSinceRelist) return this.listResourceVersion;
    const first = this.cache[this.startIndex % this.capacity];
    return first ? first.rv - 1 : this.listResourceVersion;
  }

  /** The events after `rv`, oldest first; throws 410 Expired when the history no longer reaches back to it. */
  since(rv: number): CachedEvent[] {
    const oldest = this.oldestResourceVersion();
    if (rv < oldest) throw newResourceExpired(`too old resource version: ${rv} (${oldest})`);
    // Binary search for the first event newer than rv.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid).rv > rv) hi = mid;
      else lo = mid + 1;
    }
    const out: CachedEvent[] = [];
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): CachedEvent {
    return this.cache[(this.startIndex + i) % this.capacity]!;
  }

  private isFull(): boolean {
    return this.endIndex === this.startIndex + this.capacity;
  }

  private resize(now: number): void {
    if (!this.isFull()) return;
    if (now - this.at(0).recordTime < EVENT_FRESH_MS) {
      const capacity = Math.min(this.capacity * 2, this.upperBound);
      if (capacity > this.capacity) this.doResize(capacity);
      return;
    }
    const quarter = this.cache[(this.endIndex - Math.floor(this.capacity / 4)) % this.capacity]!;
    if (now - quarter.recordTime > EVENT_FRESH_MS) {
      const capacity = Math.max(Math.floor(this.capacity / 2), this.lowerBound);
      if (capacity < this.capacity) this.doResize(capacity);
    }
  }

  private doResize(capacity: number): void {
    const next: Array<CachedEvent | undefined> = new Array(capacity);
    if (capacity < this.capacity) {
      this.startIndex = this.endIndex - capacity;
      this.removedEventSinceRelist = true;
    }
    for (let i = this.startIndex; i < this.endIndex; i++) next[i % capacity] = this.cache[i % this.capacity];
    this.cache = next;
    this.capacity = capacity;
  }
}
