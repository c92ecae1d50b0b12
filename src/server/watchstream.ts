/**
 * The sending side of a watch, bounded as kube-apiserver bounds it: the cacher gives each watcher
 * a buffer of events and, when a watcher cannot take the next event in time, closes it ("Forcing
 * watcher close due to unresponsiveness", cacheWatcher in
 * staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go). The client sees its watch
 * end and watches again from where it was (client-go's reflector does), and the server keeps
 * nothing for it.
 *
 * Here the events are written only as fast as the client reads (Node's backpressure: the next
 * write waits for `drain`), and the rest waits in a queue of event encodings shared with every
 * other watcher (see cachingobject.ts). The watch is closed, and its queue dropped, when
 *  - the queue holds more than MAX_QUEUED_BYTES, or
 *  - it holds more than STALL_BYTES and the client has read nothing for STALL_MS of wall time.
 * The simulation makes a burst of thousands of events in one instant (a whole apply, a whole
 * advance), which a healthy client takes in over the next moments: the stall rule lets it; a client
 * that stopped reading is closed within seconds and its memory returned.
 * The initial state (ADDED for every object) is written from a lazy snapshot, not queued.
 */
import type { ServerResponse } from "node:http";
import { encodeObject } from "./cachingobject.ts";

export const MAX_QUEUED_BYTES = 32 * 1024 * 1024;
export const STALL_BYTES = 1024 * 1024;
export const STALL_MS = 5000;

export interface WatchStreamLimits {
  maxQueuedBytes?: number;
  stallBytes?: number;
  stallMs?: number;
}

const PREFIXES = new Map<string, Buffer>();
const SUFFIX = Buffer.from("}\n");

/** The pieces of one watch event: `{"type":"ADDED","object":{...}}` and a newline (the object's encoding is shared). */
export function watchEventParts(type: string, object: unknown): Buffer[] {
  let prefix = PREFIXES.get(type);
  if (!prefix) PREFIXES.set(type, (prefix = Buffer.from(`{"type":${JSON.stringify(type)},"object":`)));
  return [prefix, encodeObject(object), SUFFIX];
}

let defaults: Required<WatchStreamLimits> = { maxQueuedBytes: MAX_QUEUED_BYTES, stallBytes: STALL_BYTES, stallMs: STALL_MS };

/** Changes the limits of watches started from now on (tests use small ones); returns the function that restores them. */
export function setWatchLimits(limits: WatchStreamLimits): () => void {
  const before = defaults;
  defaults = { ...defaults, ...limits };
  return () => {
    defaults = before;
  };
}

type Entry = { parts: Buffer[]; bytes: number } | { snapshot: Iterator<Buffer[]> };

export class WatchStream {
  private readonly queue: Entry[] = [];
  private queued = 0;
  private waiting = false;
  private stallTimer: NodeJS.Timeout | undefined;
  private done = false;
  private readonly maxQueued: number;
  private readonly stallBytes: number;
  private readonly stallMs: number;

  /** `onEnd` runs once when the stream ends for any reason (client gone, closed, over budget). */
  constructor(
    private readonly res: ServerResponse,
    private readonly onEnd: (why: "closed" | "unresponsive") => void,
    limits: WatchStreamLimits = {},
  ) {
    this.maxQueued = limits.maxQueuedBytes ?? defaults.maxQueuedBytes;
    this.stallBytes = limits.stallBytes ?? defaults.stallBytes;
    this.stallMs = limits.stallMs ?? defaults.stallMs;
    res.on("drain", () => {
      this.waiting = false;
      this.clearStall();
      this.pump();
    });
    res.on("close", () => this.finish("closed"));
  }

  get closed(): boolean {
    return this.done;
  }

  /** Bytes of events waiting for the client. */
  get queuedBytes(): number {
    return this.queued;
  }

  /** Sends the parts of each item of `snapshot` in turn, producing them only as the client reads. */
  sendSnapshot(snapshot: Iterable<Buffer[]>): void {
    if (this.done) return;
    this.queue.push({ snapshot: snapshot[Symbol.iterator]() });
    this.pump();
  }

  /** Sends one event (its texts, written one after the other). */
  send(parts: Buffer[]): void {
    if (this.done) return;
    let bytes = 0;
    for (const p of parts) bytes += p.length;
    this.queue.push({ parts, bytes });
    this.queued += bytes;
    if (this.queued > this.maxQueued) return this.terminate();
    if (this.waiting && this.queued > this.stallBytes) this.armStall();
    this.pump();
  }

  /** Ends the response after what was written (pending events are dropped, as a watch that times out). */
  end(): void {
    if (this.done) return;
    this.queue.length = 0;
    this.queued = 0;
    this.finish("closed");
    if (!this.res.writableEnded && !this.res.destroyed) this.res.end();
  }

  private pump(): void {
    while (!this.done && !this.waiting && this.queue.length > 0) {
      const head = this.queue[0]!;
      let parts: Buffer[];
      if ("snapshot" in head) {
        const next = head.snapshot.next();
        if (next.done) {
          this.queue.shift();
          continue;
        }
        parts = next.value;
      } else {
        this.queue.shift();
        this.queued -= head.bytes;
        parts = head.parts;
      }
      // One event goes out as one chunk (the queue shares the parts; the joined copy is transient).
      const ok = this.res.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
      if (!ok) {
        this.waiting = true;
        if (this.queued > this.stallBytes) this.armStall();
      }
    }
  }

  private armStall(): void {
    if (this.stallTimer) return;
    const timer = globalThis.setTimeout(() => {
      // Decided after the I/O that is already pending: when this process itself was paused (a
      // long synchronous burst, GC, a loaded machine), timers run before the writes the client
      // completed meanwhile are seen, and a client that did read must not be taken for stalled.
      setImmediate(() => {
        if (this.stallTimer !== timer) return; // a drain cleared it (and it may be armed anew)
        this.stallTimer = undefined;
        if (this.waiting) this.terminate();
      });
    }, this.stallMs);
    timer.unref();
    this.stallTimer = timer;
  }

  private clearStall(): void {
    if (this.stallTimer) globalThis.clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  /** Closes a watcher that cannot be fed: the connection goes, and with it everything buffered. */
  private terminate(): void {
    if (this.done) return;
    this.queue.length = 0;
    this.queued = 0;
    this.finish("unresponsive");
    this.res.destroy();
  }

  private finish(why: "closed" | "unresponsive"): void {
    if (this.done) return;
    this.done = true;
    this.clearStall();
    this.queue.length = 0;
    this.queued = 0;
    this.onEnd(why);
  }
}
