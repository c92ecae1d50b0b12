/**
 * The events a container's every start records again (issue #19): `Pulled` (already present),
 * `Created` and `Started` are the same event of the same pod at each restart of a crash loop, and
 * the kubelet's EventCorrelator counts them under the same keys (or drops them in its spam filter).
 * A pod's worker keeps, per container and reason, the event as last recorded and the handle its
 * record gave (`EventRecorder.recordHandle`); the next record of an equal event goes through
 * `EventRecorder.repeat`, which correlates under the kept keys instead of building the involved
 * object's reference and the four key strings again.
 *
 * Why that is exact: the keys are a function of the involved object's kind, namespace, name, uid
 * and apiVersion (one pod: the same for every version of it; its resourceVersion is in no key), of
 * the field path, source, type, reason and message — all compared here before the handle is used.
 * An Event that must be created anew (the first, or one the TTL removed) is built from the pod
 * object passed now, as `record` builds it. The reference engine records every event in full
 * (`repeat` itself falls back to `recordHandle` there).
 */
import type { EventHandle, RecordOptions } from "../../api/events.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { ClusterContext } from "../../context.ts";

interface KeptEvent {
  readonly type: RecordOptions["type"];
  readonly message: string;
  readonly fieldPath: string | undefined;
  readonly component: string;
  readonly host: string | undefined;
  handle: EventHandle | undefined;
}

/** Per container name, per reason: the event last recorded and its handle. */
export type KeptEvents = Map<string, Map<string, KeptEvent>>;

/**
 * Records `opts` about `pod` for `container`, through the handle kept in `kept` when the kept event
 * is the same one (type, message, field path, source); keeps the handle otherwise. Without `kept`
 * (or on the reference engine) a plain `record`. Returns the handle the record gave (`recordHandle`'s).
 */
export function recordKept(ctx: ClusterContext, kept: KeptEvents | undefined, pod: Pod, container: string, opts: RecordOptions): EventHandle | undefined {
  if (!kept || ctx.reference || opts.newStyle) return ctx.events.recordHandle(pod, opts);
  let byReason = kept.get(container);
  if (byReason === undefined) kept.set(container, (byReason = new Map()));
  const k = byReason.get(opts.reason);
  if (k !== undefined && k.message === opts.message && k.fieldPath === opts.fieldPath && k.type === opts.type && k.component === opts.source.component && k.host === opts.source.host) {
    return (k.handle = ctx.events.repeat(pod, opts, k.handle));
  }
  const handle = ctx.events.recordHandle(pod, opts);
  byReason.set(opts.reason, { type: opts.type, message: opts.message, fieldPath: opts.fieldPath, component: opts.source.component, host: opts.source.host, handle });
  return handle;
}
