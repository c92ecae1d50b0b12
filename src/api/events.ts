/**
 * Events as components record them. Two recorders exist upstream and both are modelled:
 * - core/v1 (kubelet, controllers): `source`, `firstTimestamp`, `lastTimestamp`, `count`; a repeat of
 *   the same (source, object, type, reason, message) bumps `count` and `lastTimestamp` (client-go's
 *   EventCorrelator aggregation by key);
 * - events.k8s.io/v1 (kube-scheduler): `eventTime`, `reportingController`, `action`, and repeats
 *   counted in `series` (shown through core/v1 with null first/lastTimestamp).
 * Events live one hour after their last update (kube-apiserver's --event-ttl default).
 */
import { ApiError } from "./errors.ts";
import type { ApiServer } from "./store.ts";
import type { KObject } from "./types.ts";
import { resourceForKind, apiVersionOf } from "./resources.ts";

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

/**
 * The aggregated Event of one key (source, object, type, reason, message) while it is that key's
 * (issue #19): a caller that records the same event again and again (the kubelet's BackOff
 * repeats) keeps it and repeats through it without building the key. `gone` once the key's Event
 * expired or was replaced.
 */
export interface EventHandle {
  readonly namespace: string;
  readonly name: string;
  gone?: boolean;
  /**
   * The stored Event this recorder last wrote for the key, and the instant its last-seen time
   * (lastTimestamp, or series.lastObservedTime / eventTime) reads as: while the stored Event is
   * still that object, the expiry pass reads the instant instead of parsing the text (issue #19).
   */
  stored?: KObject;
  lastMs?: number;
}

export class EventRecorder {
  private readonly byKey = new Map<string, EventHandle>();
  private seq = 0;

  constructor(private readonly api: ApiServer) {
    api.clock.setInterval(() => this.expire(), 60_000);
  }

  record(involved: KObject, opts: RecordOptions): void {
    this.recordHandle(involved, opts);
  }

  /**
   * `record` again through the handle an earlier `recordHandle` of the same involved object and
   * options gave: the same effect as `record` (a repeat bumps the Event the key aggregates into),
   * without working out the key while the handle is still the key's. Returns the handle to use next.
   */
  repeat(involved: KObject, opts: RecordOptions, handle: EventHandle | undefined): EventHandle | undefined {
    if (!handle || handle.gone || this.api.reference) return this.recordHandle(involved, opts);
    const ev = this.api.get("Event", handle.namespace, handle.name);
    if (!ev) return this.recordHandle(involved, opts);
    this.bump(ev, opts, handle);
    return handle;
  }

  /** `record`, returning the handle of the Event the key aggregates into (undefined: the API server refused it). */
  recordHandle(involved: KObject, opts: RecordOptions): EventHandle | undefined {
    const r = (involved.apiVersion && this.api.registry.forGVK(involved.apiVersion, involved.kind)) || resourceForKind(involved.kind);
    const namespace = involved.metadata.namespace ?? "default";
    const aggKey = [opts.source.component, opts.source.host ?? "", involved.kind, namespace, involved.metadata.name, involved.metadata.uid ?? "", opts.fieldPath ?? "", opts.type, opts.reason, opts.message].join("\u0000");
    const now = this.api.clock.nowRFC3339();
    const existing = this.byKey.get(aggKey);
    if (existing) {
      const ev = this.api.get("Event", existing.namespace, existing.name);
      if (ev) {
        this.bump(ev, opts, existing);
        return existing;
      }
    }
    const ref: Record<string, unknown> = {
      apiVersion: r ? apiVersionOf(r) : involved.apiVersion,
      ...(opts.fieldPath ? { fieldPath: opts.fieldPath } : {}),
      kind: involved.kind,
      name: involved.metadata.name,
      ...(r?.namespaced ? { namespace } : {}),
      ...(involved.metadata.resourceVersion && involved.kind !== "Node" ? { resourceVersion: involved.metadata.resourceVersion } : {}),
      uid: involved.kind === "Node" ? involved.metadata.name : involved.metadata.uid,
    };
    // Upstream names events `<object>.<unix nanoseconds in hex>`.
    const nanos = BigInt(this.api.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${involved.metadata.name}.${nanos.toString(16)}`;
    const event: KObject = opts.newStyle
      ? {
          apiVersion: "v1",
          kind: "Event",
          metadata: { name, namespace },
          involvedObject: ref,
          reason: opts.reason,
          message: opts.message,
          source: {},
          firstTimestamp: null,
          lastTimestamp: null,
          type: opts.type,
          eventTime: this.api.clock.nowMicroRFC3339(),
          action: opts.action ?? "",
          reportingComponent: opts.source.component,
          reportingInstance: `${opts.source.component}-${opts.source.host ?? "control-plane"}`,
        }
      : {
          apiVersion: "v1",
          kind: "Event",
          metadata: { name, namespace },
          involvedObject: ref,
          reason: opts.reason,
          message: opts.message,
          source: { component: opts.source.component, ...(opts.source.host ? { host: opts.source.host } : {}) },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type: opts.type,
          eventTime: null,
          reportingComponent: opts.source.component,
          reportingInstance: opts.source.host ?? "",
        };
    let stored: KObject;
    try {
      stored = this.api.createOwned(event);
    } catch (e) {
      // As client-go's recorder: an event the API server rejects (its namespace is being
      // terminated) is dropped ("Server rejected event (will not retry!)"), never the caller's failure.
      if (e instanceof ApiError && e.reason === "Forbidden") return undefined;
      throw e;
    }
    if (existing) existing.gone = true;
    const handle: EventHandle = { namespace, name, stored, lastMs: this.lastSeenMs(!!opts.newStyle) };
    this.byKey.set(aggKey, handle);
    return handle;
  }

  /**
   * A repeat: only the count and time change. The fast engine writes a shallow copy (the rest
   * shared with the stored, frozen Event), the reference engine a deep one (mutate).
   */
  private bump(ev: KObject, opts: RecordOptions, at: EventHandle): void {
    const bump = (e: KObject) => {
      if (opts.newStyle) {
        e.series = { count: (e.series?.count ?? 1) + 1, lastObservedTime: this.api.clock.nowMicroRFC3339() };
      } else {
        e.count = (e.count ?? 1) + 1;
        e.lastTimestamp = this.api.clock.nowRFC3339();
      }
    };
    if (this.api.reference) at.stored = this.api.mutate("Event", at.namespace, at.name, bump);
    else {
      const copy: KObject = { ...ev, metadata: { ...ev.metadata } };
      bump(copy);
      at.stored = this.api.updateOwnedRepeat(copy, ev);
    }
    at.lastMs = this.lastSeenMs(!!opts.newStyle);
  }

  /**
   * The instant a write now leaves as the Event's last-seen time, as Date.parse reads it back:
   * lastTimestamp is RFC 3339 in whole seconds; series.lastObservedTime and eventTime are
   * MicroTime, whole milliseconds here.
   */
  private lastSeenMs(newStyle: boolean): number {
    const now = this.api.clock.now();
    return newStyle ? Math.trunc(now) : Math.floor(now / 1000) * 1000;
  }

  /** Removes events whose last update is older than the TTL. */
  private expire(): void {
    const cutoff = this.api.clock.now() - EVENT_TTL_MS;
    for (const [k, ref] of this.byKey) {
      const ev = this.api.get("Event", ref.namespace, ref.name);
      if (!ev) {
        this.byKey.delete(k);
        ref.gone = true;
        continue;
      }
      // The Event as this recorder last wrote it: its last-seen instant is known (the reference engine parses it).
      const last = ev === ref.stored && ref.lastMs !== undefined && !this.api.reference ? ref.lastMs : Date.parse(ev.lastTimestamp ?? ev.series?.lastObservedTime ?? ev.eventTime ?? ev.metadata.creationTimestamp);
      if (last <= cutoff) {
        this.api.finalizeDelete("Event", ref.namespace, ref.name);
        this.byKey.delete(k);
        ref.gone = true;
      }
    }
  }
}
