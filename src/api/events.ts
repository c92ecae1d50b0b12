/**
 * Events as components record them. Two recorders exist upstream and both are modelled:
 * - core/v1 (kubelet, controllers; client-go `tools/record`, event.go): `source`, `firstTimestamp`,
 *   `lastTimestamp`, `count`. Every event goes through the EventCorrelator of its broadcaster
 *   (events_cache.ts: aggregation of 10 similar messages, the event logger's counts, the spam filter
 *   of 25 events per source and object refilled one per 5 minutes), then recordToSink writes it:
 *   a patch of count, lastTimestamp and message when the logger's count is above 1 (a create with
 *   the same name and values when the Event is gone), a create otherwise; the stored answer is the
 *   correlator's new state (UpdateState).
 * - events.k8s.io/v1 (kube-scheduler): `eventTime`, `reportingController`, `action`, and repeats
 *   counted in `series` (shown through core/v1 with null first/lastTimestamp).
 * Events live one hour after their last update (kube-apiserver's --event-ttl default).
 */
import { ApiError } from "./errors.ts";
import { storedEventFields, storedEventVersion, type ApiServer, type StoredEvent } from "./store.ts";
import type { KObject } from "./types.ts";
import { resourceForKind, apiVersionOf } from "./resources.ts";
import { EventCorrelator, correlationKeys, getEventKey, type CorrelatedEvent, type CorrelatorOptions, type CorrelationKeys, type EventLog, type EventMaker } from "./events_cache.ts";

export const EVENT_TTL_MS = 60 * 60 * 1000;

export interface EventSource {
  component: string;
  host?: string;
}

export interface RecordOptions {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  source: EventSource;
  /** `spec.containers{name}` and the like. */
  fieldPath?: string;
  /** events.k8s.io recorder (kube-scheduler): action and reportingController. */
  action?: string;
  newStyle?: boolean;
}

/** An Event this recorder wrote, tracked for the TTL. */
interface Tracked {
  readonly namespace: string;
  readonly name: string;
  /**
   * The stored Event this recorder last wrote, and the instant its last-seen time (lastTimestamp, or
   * series.lastObservedTime / eventTime) reads as: while the stored Event is still that object, the
   * expiry pass reads the instant instead of parsing the text (issue #19). A deferred Event's record
   * (`ApiServer.createDeferredEvent`) until it is built; the expiry pass builds none.
   */
  stored: StoredEvent;
  lastMs: number;
}

/**
 * What a caller that records the same core/v1 event again and again keeps (the kubelet's BackOff
 * repeats, issue #19) to repeat it without building it: the broadcaster's correlator and the
 * event's keys (a repeat the spam filter drops costs the correlator's three cache updates and no
 * write).
 */
export interface EventHandle {
  readonly correlator: EventCorrelator;
  readonly keys: CorrelationKeys;
}

/** events.k8s.io (tools/events): finishSeries and refreshExistingEventSeries periods. */
export const SERIES_FINISH_MS = 6 * 60_000;
export const SERIES_REFRESH_MS = 30 * 60_000;

/** An entry of tools/events' eventCache: the event as first recorded, and its series once repeated. */
interface Isomorphic {
  /** The Event as created (a patch that finds it gone creates it again with the series). */
  readonly body: KObject;
  readonly eventTimeMs: number;
  series?: { count: number; lastObservedMs: number; lastObservedTime: string };
}

/** The recorder's EventMaker for the correlation under way (one per recorder, set before each). */
class Maker implements EventMaker {
  private involved!: KObject;
  private opts!: RecordOptions;
  private ref: Record<string, unknown> | undefined;
  constructor(private readonly rec: EventRecorder) {}
  set(involved: KObject, opts: RecordOptions, ref: Record<string, unknown> | undefined): void {
    this.involved = involved;
    this.opts = opts;
    this.ref = ref;
  }
  build(): CorrelatedEvent {
    return this.rec.build(this.involved, this.opts, this.ref);
  }
  combinedName(): string {
    return this.rec.combinedName(this.involved);
  }
}

export class EventRecorder {
  /** One EventCorrelator per broadcaster: `component\0host` (see correlatorFor). */
  private readonly correlators = new Map<string, EventCorrelator>();
  /** events.k8s.io: each broadcaster's eventCache (by reporting controller), keyed by getKey. */
  private readonly seriesCaches = new Map<string, Map<string, Isomorphic>>();
  /** Events written, by `namespace/name`, for the TTL. */
  private readonly live = new Map<string, Tracked>();
  /**
   * The expiry pass's shortcut (issue #19, `expire`): a lower bound of the last-seen instants of
   * the Events in `live` (the recorder's own, and what the last full pass read of the others'), the
   * resourceVersion of the last Event change this recorder made (`ownChange`), and whether any Event
   * changed otherwise since the last full pass (`foreignChange`).
   */
  private liveFloor = Infinity;
  private ownChange = -1;
  private foreignChange = true;
  private seq = 0;
  private readonly maker = new Maker(this);
  /**
   * The options of the correlators made from now on (client-go's CorrelatorOptions; the
   * differential test makes the caches small so that they evict).
   */
  correlatorOptions: CorrelatorOptions = {};
  /** Whether the last core/v1 correlation was dropped by the spam filter (issue #19: dormant back-off retries). */
  lastDropped = false;

  constructor(private readonly api: ApiServer) {
    api.clock.setInterval(() => this.expire(), 60_000);
    // StartRecordingToSink's two loops (wait.Until: at start, where nothing is cached yet, then each
    // period). When both are due at one instant, finishSeries runs first (docs/divergences.md).
    api.clock.setInterval(() => this.finishSeries(), SERIES_FINISH_MS);
    api.clock.setInterval(() => this.refreshExistingEventSeries(), SERIES_REFRESH_MS);
  }

  /**
   * The correlator of the broadcaster `source` records through. Upstream each kube-controller-manager
   * controller creates its own broadcaster (record.NewBroadcaster in its constructor, one component
   * name each) and each kubelet has one (makeEventRecorder, source kubelet/<node>); every key the
   * correlator builds starts with the source, so one correlator per (component, host) is one per
   * broadcaster.
   */
  correlatorFor(source: EventSource): EventCorrelator {
    const id = source.component + "\u0000" + (source.host ?? "");
    let c = this.correlators.get(id);
    if (!c) this.correlators.set(id, (c = new EventCorrelator(() => this.api.clock.now(), this.correlatorOptions, this.api.reference ? undefined : this.api.clock)));
    return c;
  }

  record(involved: KObject, opts: RecordOptions): void {
    this.recordHandle(involved, opts);
  }

  /**
   * `record` again through the handle an earlier `recordHandle` of the same involved object and
   * options gave: the same effect as `record`, without building the event or its keys. Returns the
   * handle to use next.
   */
  repeat(involved: KObject, opts: RecordOptions, handle: EventHandle | undefined): EventHandle | undefined {
    if (!handle || this.api.reference || opts.newStyle) return this.recordHandle(involved, opts);
    this.correlate(handle.correlator, handle.keys, involved, opts);
    return handle;
  }

  /** `record`, returning the handle to repeat it through (undefined for events.k8s.io events). */
  recordHandle(involved: KObject, opts: RecordOptions): EventHandle | undefined {
    if (opts.newStyle) {
      this.recordSeries(involved, opts);
      return undefined;
    }
    const correlator = this.correlatorFor(opts.source);
    const ref = this.objectReference(involved, opts);
    const keys = correlationKeys(this.view(ref, involved, opts));
    this.correlate(correlator, keys, involved, opts, ref);
    return { correlator, keys };
  }

  /** The involvedObject reference (ref.GetReference). */
  private objectReference(involved: KObject, opts: RecordOptions): Record<string, unknown> {
    const r = (involved.apiVersion && this.api.registry.forGVK(involved.apiVersion, involved.kind)) || resourceForKind(involved.kind);
    // The keys in this order, each optional one only when set (as object spreads would add them, without the spreads).
    const ref: Record<string, unknown> = { apiVersion: r ? apiVersionOf(r) : involved.apiVersion };
    if (opts.fieldPath) ref.fieldPath = opts.fieldPath;
    ref.kind = involved.kind;
    ref.name = involved.metadata.name;
    if (r?.namespaced) ref.namespace = involved.metadata.namespace ?? "default";
    if (involved.metadata.resourceVersion && involved.kind !== "Node") ref.resourceVersion = involved.metadata.resourceVersion;
    ref.uid = involved.kind === "Node" ? involved.metadata.name : involved.metadata.uid;
    return ref;
  }

  /** The event as the correlator sees it (generateEvent's fields). */
  private view(ref: Record<string, unknown>, involved: KObject, opts: RecordOptions, name = "", now = ""): CorrelatedEvent {
    return {
      name,
      namespace: involved.metadata.namespace ?? "default",
      involvedObject: ref as CorrelatedEvent["involvedObject"],
      source: opts.source,
      type: opts.type,
      reason: opts.reason,
      message: opts.message,
      reportingComponent: opts.source.component,
      reportingInstance: opts.source.host ?? "",
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
    };
  }

  /** Upstream names events `<object>.<unix nanoseconds in hex>`; the sequence keeps names apart within a millisecond. */
  private newName(object: string): string {
    const nanos = BigInt(this.api.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return `${object}.${nanos.toString(16)}`;
  }

  /** recordToSink: EventCorrelate, then the write (recordEvent) and UpdateState. */
  private correlate(c: EventCorrelator, keys: CorrelationKeys, involved: KObject, opts: RecordOptions, ref?: Record<string, unknown>): void {
    const m = this.maker;
    m.set(involved, opts, ref);
    const r = c.correlateKeys(keys, m);
    this.lastDropped = r.skip;
    if (r.skip) return;
    let created: StoredEvent | undefined;
    if (!r.patch) created = this.create(r.event);
    else created = this.patch(r.log, r.aggregated, c, involved, opts);
    if (!created) return;
    // UpdateState, under the stored Event's getEventKey (the combined message's for an aggregate).
    // (A deferred Event's fields are its body's: what the built Event holds, nothing built.)
    const stored = storedEventFields(created);
    const state: EventLog = { count: stored.count, firstTimestamp: stored.firstTimestamp, name: stored.metadata.name!, resourceVersion: storedEventVersion(created) };
    c.logger.cache.add(r.aggregated ? getEventKey(this.storedView(stored)) : keys.eventKey, state);
  }

  /** The event generateEvent makes (a fresh name, the time now). */
  build(involved: KObject, opts: RecordOptions, ref: Record<string, unknown> | undefined): CorrelatedEvent {
    return this.view(ref ?? this.objectReference(involved, opts), involved, opts, this.newName(involved.metadata.name!), this.api.clock.nowRFC3339());
  }

  combinedName(involved: KObject): string {
    return this.newName(involved.metadata.name!);
  }

  private storedView(e: KObject): CorrelatedEvent {
    return {
      name: e.metadata.name!,
      namespace: e.metadata.namespace!,
      involvedObject: e.involvedObject ?? {},
      source: e.source ?? {},
      type: e.type ?? "",
      reason: e.reason ?? "",
      message: e.message ?? "",
      reportingComponent: e.reportingComponent ?? "",
      reportingInstance: e.reportingInstance ?? "",
      count: e.count,
      firstTimestamp: e.firstTimestamp,
      lastTimestamp: e.lastTimestamp,
    };
  }

  /** The core/v1 Event object of a correlated event. */
  private coreEvent(e: CorrelatedEvent): KObject {
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: e.name, namespace: e.namespace },
      involvedObject: e.involvedObject,
      reason: e.reason,
      message: e.message,
      source: { component: e.source.component, ...(e.source.host ? { host: e.source.host } : {}) },
      firstTimestamp: e.firstTimestamp,
      lastTimestamp: e.lastTimestamp,
      count: e.count,
      type: e.type,
      eventTime: null,
      reportingComponent: e.reportingComponent,
      reportingInstance: e.reportingInstance,
    };
  }

  /**
   * Create; an Event the API server refuses because its namespace is terminating (or the name is
   * taken) is dropped, as client-go's recordEvent does, never the caller's failure.
   */
  private create(e: CorrelatedEvent): StoredEvent | undefined {
    let stored: StoredEvent;
    try {
      // Every value of the Event is a string, an integer or null (typed so; checked for the texts
      // that come from callers): nothing for the decoder to find (`wellTyped`).
      // `createDeferredEvent` is createOwned for such an Event, with what the create would find
      // already known, and the Event built at its first read.
      this.beforeWrite();
      stored = typeof e.message === "string" && typeof e.reason === "string" ? this.api.createDeferredEvent(this.coreEvent(e)) : this.api.createOwned(this.coreEvent(e), {});
    } catch (err) {
      if (err instanceof ApiError && (err.reason === "Forbidden" || err.reason === "AlreadyExists")) return undefined;
      throw err;
    }
    this.track(stored, Math.floor(this.api.clock.now() / 1000) * 1000);
    return stored;
  }

  /**
   * The strategic merge patch of count, lastTimestamp and message (eventObserve's patch) on the
   * Event the logger named; gone (the TTL, a delete) → created with the logger's name, count and
   * firstTimestamp, as recordEvent does on NotFound. The fast engine writes a shallow copy (the
   * rest shared with the stored, frozen Event), or, for an Event stored deferred and not built yet, a
   * deferred record of the new version (`ApiServer.repeatDeferredEvent`); the reference engine a
   * deep one (mutate).
   */
  private patch(log: EventLog, aggregated: boolean, c: EventCorrelator, involved: KObject, opts: RecordOptions): StoredEvent | undefined {
    const namespace = involved.metadata.namespace ?? "default";
    const now = this.api.clock.nowRFC3339();
    const message = aggregated ? "(combined from similar events): " + opts.message : opts.message;
    if (!this.api.reference) {
      // An Event stored deferred and not built yet: its new version deferred too, nothing built.
      this.beforeWrite();
      const rec = this.api.repeatDeferredEvent(namespace, log.name, log.count, now, message);
      if (rec !== undefined) {
        this.track(rec, Math.floor(this.api.clock.now() / 1000) * 1000);
        return rec;
      }
    }
    const ev = this.api.get("Event", namespace, log.name);
    if (!ev) {
      const built = this.build(involved, opts, undefined);
      const e = aggregated ? c.combined(built, log.name) : built;
      e.name = log.name;
      e.count = log.count;
      e.firstTimestamp = log.firstTimestamp;
      e.lastTimestamp = now;
      e.message = message;
      return this.create(e);
    }
    let stored: KObject;
    this.beforeWrite();
    // (The change is written out twice rather than held in a named closure: under tsx, esbuild's
    // `keepNames` defines the name of every named closure as it is made, at every repeat.)
    if (this.api.reference) {
      stored = this.api.mutate("Event", namespace, log.name, (e) => {
        e.count = log.count;
        e.lastTimestamp = now;
        e.message = message;
      });
    } else {
      const copy: KObject = { ...ev, metadata: { ...ev.metadata } };
      copy.count = log.count;
      copy.lastTimestamp = now;
      copy.message = message;
      stored = this.api.updateOwnedRepeat(copy, ev);
    }
    this.track(stored, Math.floor(this.api.clock.now() / 1000) * 1000);
    return stored;
  }

  /** Before a write of this recorder: an Event changed since its last one was someone else's change. */
  private beforeWrite(): void {
    if (this.api.lastChangeOf("Event") !== this.ownChange) this.foreignChange = true;
  }

  /** After each write of this recorder (`stored` is what it stored): the expiry pass's bookkeeping, then the entry. */
  private track(stored: StoredEvent, lastMs: number): void {
    this.ownChange = Number(storedEventVersion(stored));
    if (this.api.lastChangeOf("Event") !== this.ownChange) this.foreignChange = true;
    if (lastMs < this.liveFloor) this.liveFloor = lastMs;
    const k = stored.metadata.namespace + "/" + stored.metadata.name;
    const t = this.live.get(k);
    if (t) {
      t.stored = stored;
      t.lastMs = lastMs;
    } else this.live.set(k, { namespace: stored.metadata.namespace!, name: stored.metadata.name!, stored, lastMs });
  }

  /**
   * events.k8s.io (kube-scheduler; client-go tools/events recordToSink): events are isomorphic when
   * getKey matches (type, action, reason, reportingController, reportingInstance and the `regarding`
   * reference, resourceVersion and fieldPath included; not the message). The first is created; the
   * second makes the cached event a series of count 2, written as a patch; later ones only count in
   * the cache, written when the series ends (finishSeries: no repeat for 6 minutes) or every 30
   * minutes (refreshExistingEventSeries).
   */
  private recordSeries(involved: KObject, opts: RecordOptions): void {
    const ref = this.objectReference(involved, opts);
    const namespace = involved.metadata.namespace ?? "default";
    const controller = opts.source.component;
    const instance = `${controller}-${opts.source.host ?? "control-plane"}`;
    const key = [opts.type, opts.action ?? "", opts.reason, controller, instance, ref.apiVersion, ref.fieldPath ?? "", ref.kind, ref.name, ref.namespace ?? "", ref.resourceVersion ?? "", ref.uid].join("\u0000");
    let cache = this.seriesCaches.get(controller);
    if (!cache) this.seriesCaches.set(controller, (cache = new Map()));
    const now = this.api.clock.now();
    const iso = cache.get(key);
    if (iso) {
      if (iso.series) {
        iso.series.count++;
        iso.series.lastObservedMs = now;
        iso.series.lastObservedTime = this.api.clock.nowMicroRFC3339();
        return;
      }
      iso.series = { count: 2, lastObservedMs: now, lastObservedTime: this.api.clock.nowMicroRFC3339() };
      this.writeSeries(iso);
      return;
    }
    const body: KObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: this.newName(involved.metadata.name!), namespace },
      involvedObject: ref,
      reason: opts.reason,
      message: opts.message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: opts.type,
      eventTime: this.api.clock.nowMicroRFC3339(),
      action: opts.action ?? "",
      reportingComponent: controller,
      reportingInstance: instance,
    };
    cache.set(key, { body, eventTimeMs: now });
    this.createSeriesEvent(this.api.reference ? structuredClone(body) : copyBody(body));
  }

  private createSeriesEvent(body: KObject): void {
    let stored: StoredEvent;
    try {
      // The body's values are strings, a count and null (firstTimestamp, lastTimestamp) of the
      // schema's types: the fast engine's recorded-Event create skips decoding as the core Events'
      // does (`wellTyped`); a caller's reason or message that is not a string goes the plain way.
      this.beforeWrite();
      stored = !this.api.reference && typeof body.message === "string" && typeof body.reason === "string" ? this.api.createDeferredEvent(body) : this.api.createOwned(body);
    } catch (e) {
      // Rejected (its namespace is terminating): dropped, "will not retry".
      if (e instanceof ApiError && (e.reason === "Forbidden" || e.reason === "AlreadyExists")) return;
      throw e;
    }
    const fields = storedEventFields(stored);
    this.track(stored, Math.trunc(fields.series ? Date.parse(fields.series.lastObservedTime) : this.api.clock.now()));
  }

  /**
   * recordEvent of a series: the strategic merge patch of `series` (count, lastObservedTime) on the
   * Event; gone (the TTL, a delete) → created again with its series. The fast engine writes a
   * shallow copy, the reference engine a deep one (mutate).
   */
  private writeSeries(iso: Isomorphic): void {
    const s = iso.series!;
    const { name, namespace } = iso.body.metadata;
    const ev = this.api.get("Event", namespace, name!);
    if (!ev) {
      this.createSeriesEvent({ ...(this.api.reference ? structuredClone(iso.body) : copyBody(iso.body)), series: { count: s.count, lastObservedTime: s.lastObservedTime } });
      return;
    }
    const apply = (e: KObject) => {
      e.series = { count: s.count, lastObservedTime: s.lastObservedTime };
    };
    let stored: KObject;
    this.beforeWrite();
    if (this.api.reference) stored = this.api.mutate("Event", namespace, name!, apply);
    else {
      const copy: KObject = { ...ev, metadata: { ...ev.metadata } };
      apply(copy);
      stored = this.api.updateOwnedRepeat(copy, ev);
    }
    this.track(stored, Math.trunc(s.lastObservedMs));
  }

  /** finishSeries: a series without a repeat for 6 minutes is written a last time and forgotten; so is a singleton event that old. */
  private finishSeries(): void {
    const cutoff = this.api.clock.now() - SERIES_FINISH_MS;
    for (const cache of this.seriesCaches.values()) {
      for (const [k, iso] of cache) {
        if (iso.series) {
          if (iso.series.lastObservedMs < cutoff) {
            this.writeSeries(iso);
            cache.delete(k);
          }
        } else if (iso.eventTimeMs < cutoff) cache.delete(k);
      }
    }
  }

  /** refreshExistingEventSeries: every series still open is written (its count so far). */
  private refreshExistingEventSeries(): void {
    for (const cache of this.seriesCaches.values()) for (const iso of cache.values()) if (iso.series) this.writeSeries(iso);
  }

  /**
   * Removes events whose last update is older than the TTL.
   *
   * The fast engine skips a pass that would remove nothing (issue #19: ~6,000 Events looked at every
   * minute by a node of crash loops, each a few map lookups). A pass only reads, except where it
   * deletes: an Event whose last-seen instant is at or before the cutoff, or one no longer stored.
   * So it is skipped when every Event changed since the last full pass was changed by this recorder
   * (the store's last Event change is its own write, checked before and after each of its writes:
   * no one else deleted or rewrote an Event, so each entry's Event is as it last wrote it, or as the
   * last full pass read it), and `liveFloor`, a lower bound of the entries' last-seen instants, is
   * after the cutoff. A full pass sets the bound from what it read, and each write of the recorder
   * lowers it to the instant it records (instants only grow per entry, so it stays a lower bound).
   * The reference engine runs every pass.
   */
  private expire(): void {
    const cutoff = this.api.clock.now() - EVENT_TTL_MS;
    if (!this.api.reference && !this.foreignChange && this.api.lastChangeOf("Event") === this.ownChange && this.liveFloor > cutoff) return;
    let floor = Infinity;
    let foreign = this.api.lastChangeOf("Event") !== this.ownChange;
    for (const [k, ref] of this.live) {
      // The Event as this recorder last wrote it (or its deferred record, not built for this): its
      // last-seen instant is known (the reference engine parses it).
      const same = !this.api.reference && this.api.holdsEvent(ref.namespace, ref.name, ref.stored);
      const ev = same ? undefined : this.api.get("Event", ref.namespace, ref.name);
      let drop = !same && !ev;
      if (same || ev) {
        const last = same ? ref.lastMs : Date.parse(ev!.lastTimestamp ?? ev!.series?.lastObservedTime ?? ev!.eventTime ?? ev!.metadata.creationTimestamp);
        if (last <= cutoff) {
          if (this.api.lastChangeOf("Event") !== this.ownChange) foreign = true;
          this.api.finalizeDelete("Event", ref.namespace, ref.name);
          this.ownChange = this.api.lastChangeOf("Event");
          drop = true;
        } else if (last < floor) floor = last;
      }
      if (drop) this.live.delete(k);
    }
    this.liveFloor = floor;
    this.foreignChange = foreign || this.api.lastChangeOf("Event") !== this.ownChange;
  }
}

/**
 * A copy of a series event's body as `structuredClone` makes it (the fast engine, issue #19): its
 * objects (metadata, the involved object's reference, the source) are copied, key order kept; every
 * value under them is a string, a number or null.
 */
function copyBody(body: KObject): KObject {
  return { ...body, metadata: { ...body.metadata }, involvedObject: { ...body.involvedObject }, source: { ...body.source } };
}
