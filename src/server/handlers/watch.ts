/**
 * WATCH of a collection (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go, and the
 * cacher's watch in apiserver/pkg/storage/cacher/{cacher,cache_watcher}.go): a chunked stream of
 * JSON watch events, one per line.
 *
 * - `resourceVersion` unset or `0`: the current objects as ADDED, then changes;
 *   `resourceVersion=N`: every change after N from the store's history, then changes; a version the
 *   history no longer reaches gives one ERROR event `410 Expired: too old resource version: N (M)`.
 * - Selectors apply to the object before and after each change, as the cache watcher does: an object
 *   that starts matching arrives as ADDED, one that stops matching as DELETED.
 * - `allowWatchBookmarks`: BOOKMARK events with the current resourceVersion, every minute and two
 *   seconds before the watch times out (the cacher's bookmark timing, on the wall clock as there);
 *   `sendInitialEvents=true` ends the initial ADDED events with a BOOKMARK annotated
 *   `k8s.io/initial-events-end: "true"`.
 * - `timeoutSeconds` (default 30 min, upstream's minRequestTimeout) ends the watch on the wall clock;
 *   any int64 is accepted, however large, without closing the watch at once.
 * - `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` (kubectl get -w): each event's object is a
 *   Table of one row, aged on the simulated clock.
 * - Each event's object is written as answers are (kind, apiVersion, then Go's field order:
 *   src/api/schema/fieldorder.ts), as the watch encoder of v1.32 writes it.
 */
import { readFileSync } from "node:fs";
import { ApiError } from "../../api/errors.ts";
import type { ResourceType } from "../../api/resources.ts";
import { messageOf } from "../../api/schema/fieldorder.ts";
import { apiVersionOf } from "../../api/resources.ts";
import type { KObject, WatchEvent } from "../../api/types.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { CachedEvent } from "../../api/watchcache.ts";
import { buildTable } from "../table.ts";
import { presentBody } from "../timeshift.ts";
import type { ListOptions } from "../../api/options.ts";
import { fieldPredicate, labelPredicate, wantsTable, type RequestScope } from "./rest.ts";
import { errorStatus } from "./responsewriters.ts";
import { presented } from "../../api/endpoints/handlers/responsewriters.ts";
import { guarded } from "../panicrecovery.ts";
import { WatchStream } from "../watchstream.ts";
import { watchEventEncoder } from "../negotiation.ts";

/** --min-request-timeout's default: a watch without timeoutSeconds ends after this (upstream adds a random 0-100 %). */
const MIN_REQUEST_TIMEOUT_S = 1800;
/** The cacher's bookmark frequency. */
const BOOKMARK_FREQUENCY_MS = 60_000;
const MAX_UINT64 = 2n ** 64n - 1n;
/** Node's longest timer; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function serveWatch(s: RequestScope, o: ListOptions): void {
  const { r, ns, res, cluster, watchers } = s;
  const api = cluster.api;
  const labels = labelPredicate(o.labelSelector || null);
  const fields = fieldPredicate(r, o.fieldSelector || null);
  const matches = (x: KObject | undefined) => !!x && (!ns || x.metadata.namespace === ns) && (!labels || labels(x.metadata.labels ?? {})) && (!fields || fields(x));

  // Where the watch starts: before any byte is written, so that a bad version is a plain error.
  let replay: CachedEvent[] = [];
  let initial: KObject[] = [];
  let startError: ApiError | undefined;
  const current = api.resourceVersion;
  const fromNow = o.resourceVersion === "" || o.resourceVersion === "0";
  if (fromNow) {
    if (o.sendInitialEvents !== false) initial = api.list(r.key, { namespace: ns }).filter(matches);
  } else {
    if (!/^\d+$/.test(o.resourceVersion)) {
      throw new ApiError("InternalError", `resourceVersion: Invalid value: ${JSON.stringify(o.resourceVersion)}: strconv.ParseUint: parsing ${JSON.stringify(o.resourceVersion)}: invalid syntax`);
    }
    // Beyond uint64 ParseUint fails too (a larger number read as a double named another version).
    if (BigInt(o.resourceVersion) > MAX_UINT64) {
      throw new ApiError("InternalError", `resourceVersion: Invalid value: ${JSON.stringify(o.resourceVersion)}: strconv.ParseUint: parsing ${JSON.stringify(o.resourceVersion)}: value out of range`);
    }
    const rv = Number(o.resourceVersion);
    if (o.sendInitialEvents) initial = api.list(r.key, { namespace: ns }).filter(matches);
    else if (rv > current) {
      startError = new ApiError("Timeout", `Too large resource version: ${rv}, current: ${current}`, { kind: "", name: "", causes: [{ reason: "ResourceVersionTooLarge", field: "", detail: "Too large resource version" }], retryAfterSeconds: 1 });
    } else {
      try {
        replay = api.eventsSince(r.key, rv);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        startError = e;
      }
    }
  }

  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const table = wantsTable(s);
  const includeObject = s.query.get("includeObject") ?? "Metadata";
  // Each event's object as negotiated (PartialObjectMetadata, Table v1beta1: ../negotiation.ts).
  const encode = watchEventEncoder(res);
  if (startError) {
    res.end(encode("ERROR", errorStatus(startError).body)[0]);
    return;
  }
  // Written as fast as the client reads; a client that cannot keep up is closed (watchstream.ts).
  const stream = new WatchStream(res, () => stop());
  const write = (type: string, object: unknown) => stream.send(encode(type, object));
  // Objects as the requested version shows them (they are stored in the storage version).
  const present = (type: string, stored: KObject) => {
    // In Go's field order, as answers are (a stored version is ordered once: responsewriters.ts).
    const object = presented(convertFromStorage(stored, r), r) as KObject;
    return encode(type, presentBody(table ? buildTable(r, [object], cluster.clock.now(), includeObject, { resourceVersion: object.metadata.resourceVersion ?? "" }) : object, s.delta, r.kind));
  };
  const writeObject = (type: string, stored: KObject) => stream.send(present(type, stored));

  let lastRV = fromNow ? current : Number(o.resourceVersion);
  // The initial state is encoded as the client reads it, not all at once.
  stream.sendSnapshot((function* () {
    for (const obj of initial) yield present("ADDED", obj);
  })());
  if (o.sendInitialEvents) {
    lastRV = Math.max(lastRV, current);
    if (o.allowWatchBookmarks) write("BOOKMARK", bookmark(r, apiVersionOf(r), current, true));
  }
  /** The event a change makes for this watcher (cache_watcher.go's convertToWatchEvent), if any. */
  const deliver = (ev: WatchEvent | CachedEvent) => {
    const rv = Number(ev.object.metadata.resourceVersion);
    if (rv <= lastRV) return;
    lastRV = rv;
    const now = ev.type !== "DELETED" && matches(ev.object);
    const before = ev.type !== "ADDED" && matches(ev.old);
    if (now && before) writeObject("MODIFIED", ev.object);
    else if (now) writeObject("ADDED", ev.object);
    else if (before) writeObject("DELETED", ev.type === "DELETED" ? ev.object : withResourceVersion(ev.old!, rv));
  };
  for (const ev of replay) deliver(ev);
  // Called by the simulation: an error here closes this watch, never the simulation's dispatch.
  const unwatch = api.watch(r.key, guarded("watch", deliver, () => stop()));

  const started = performance.now();
  const timeoutMs = (o.timeoutSeconds === undefined || o.timeoutSeconds === 0 ? MIN_REQUEST_TIMEOUT_S : o.timeoutSeconds) * 1000;
  const deadline = started + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer) globalThis.clearTimeout(timer);
    unwatch();
    watchers.delete(stop);
    stream.end();
  };
  watchers.add(stop);
  if (timeoutMs <= 0) return stop();

  // One timer for the deadline and the bookmarks, re-armed in steps Node's timers can hold.
  let nextBookmark = o.allowWatchBookmarks ? nextBookmarkTime(started, deadline) : Infinity;
  const arm = () => {
    const now = performance.now();
    const due = Math.min(deadline, nextBookmark);
    timer = globalThis.setTimeout(tick, Math.max(0, Math.min(due - now, MAX_TIMER_MS)));
    timer.unref();
  };
  const tick = () => {
    const now = performance.now();
    if (now >= deadline) return stop();
    if (now >= nextBookmark) {
      cluster.clock.settle();
      write("BOOKMARK", bookmark(r, apiVersionOf(r), Math.max(lastRV, api.resourceVersion), false));
      nextBookmark = nextBookmarkTime(now, deadline);
    }
    arm();
  };
  arm();
}

/** cacheWatcher.nextBookmarkTime: a minute on, or two seconds before the deadline if that is sooner. */
function nextBookmarkTime(now: number, deadline: number): number {
  let t = now + BOOKMARK_FREQUENCY_MS;
  const pretimeout = deadline - 2000;
  if (pretimeout < t) t = pretimeout;
  return t < now ? Infinity : t;
}

/** The zero object of each built-in kind as Go writes it (./bookmarks.json, scripts/gen-bookmarks.ts), by proto message. */
let zeroObjects: Record<string, Record<string, unknown>> | undefined;
function zeroObjectOf(message: string): Record<string, unknown> | undefined {
  zeroObjects ??= (JSON.parse(readFileSync(new URL("./bookmarks.json", import.meta.url), "utf8")) as { kinds: Record<string, Record<string, unknown>> }).kinds;
  return zeroObjects[message];
}

/**
 * A BOOKMARK's object, as the cacher makes it (cacher.go, getBookmarkObject): a new object of the
 * watched type with only its resourceVersion (and the initial-events-end annotation) set, written
 * with Go's zero values: a Pod's is `{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":
 * "N","creationTimestamp":null},"spec":{"containers":null},"status":{}}`. A custom resource's is
 * unstructured: apiVersion, kind and metadata, keys sorted. Kinds of groups without a proto file
 * here (./bookmarks.json) carry metadata only (docs/divergences.md).
 */
export function bookmark(r: Pick<ResourceType, "kind" | "crd">, apiVersion: string, rv: number, initialEventsEnd: boolean): unknown {
  const annotations = initialEventsEnd ? { annotations: { "k8s.io/initial-events-end": "true" } } : {};
  if (r.crd) return { apiVersion, kind: r.kind, metadata: { ...annotations, resourceVersion: String(rv) } };
  const message = messageOf(apiVersion, r.kind);
  const { metadata: _zeroMeta, ...rest } = (message && zeroObjectOf(message)) || {};
  return { kind: r.kind, apiVersion, metadata: { resourceVersion: String(rv), creationTimestamp: null, ...annotations }, ...rest };
}

function withResourceVersion(obj: KObject, rv: number): KObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}
