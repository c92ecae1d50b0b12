/**
 * The shape every controller of kube-controller-manager shares (pkg/controller/*: informers from
 * k8s.io/client-go/informers, a workqueue from k8s.io/client-go/util/workqueue), written once:
 * - informer event handlers (`watch`, client-go's AddEventHandler) that turn changes into keys;
 * - a work queue of keys (`queue`, workqueue.RateLimitingInterface) drained by the subclass's
 *   `syncHandler(key)` (upstream's `dc.syncHandler = dc.syncDeployment`); a sync that returns an
 *   Error is requeued rate-limited (processNextWorkItem's AddRateLimited), any other outcome
 *   forgets the key's failures (Forget);
 * - periodic resync (`resyncEvery`, the informer resync or a `wait.Until` loop) and one-shot
 *   timers (`after`), all cancelled on stop;
 * - more queues where upstream has them (`newQueue`: the Job controller's orphan queue, the
 *   garbage collector's two).
 *
 * Its work (a key's sync, a further queue's, a timer's) runs as the controller's own user
 * (`requester`: its service account, as kube-controller-manager's --use-service-account-credentials
 * gives each controller its own client), which is who admission sees writing.
 *
 * Nothing here reorders anything: handlers are registered in the order the subclass calls `watch`
 * (the store calls watchers in registration order), timers are created when the subclass asks,
 * and queues are WorkQueues (same-instant drains, in insertion order). Subclasses write `start()`
 * (their informer wiring) and `syncHandler`; `stop()` tears everything down.
 */
import type { ClusterContext, Component } from "../context.ts";
import type { ObjectMeta, WatchHandler } from "../api/types.ts";
import type { TimerHandle } from "../sim/clock.ts";
import type { WatchOptions } from "../api/store.ts";
import { objectKey, WorkQueue } from "./queue.ts";
import { asRequester, controllerRequester } from "../api/authorization/requester.ts";
import type { UserInfo } from "../api/authorization/user.ts";

export abstract class Controller implements Component {
  abstract readonly name: string;
  // The fields are assigned in the constructor rather than declared with initializers: V8 defines
  // an initialized class field on each subclass's own instance map (~25 of them, so megamorphic and
  // slow: ~7 % of a cluster's creation in a profile), where an assignment takes the store's fast path.
  protected declare readonly ctx: ClusterContext;
  /** The main work queue; its keys go to `syncHandler`. */
  protected declare readonly queue: WorkQueue;
  private declare readonly queues: WorkQueue[];
  private declare unwatch: Array<() => void>;
  private declare readonly timers: Set<TimerHandle>;
  private declare user: UserInfo | undefined;

  constructor(ctx: ClusterContext) {
    this.ctx = ctx;
    this.queues = [];
    this.unwatch = [];
    this.timers = new Set<TimerHandle>();
    this.user = undefined;
    this.queue = this.newQueue((key) => this.processNextWorkItem(key));
  }

  /** Who the controller's requests authenticate as (by its name: src/api/authorization/requester.ts). */
  get requester(): UserInfo {
    return (this.user ??= controllerRequester(this.name));
  }

  /** Runs `fn` as a request of this controller's user. */
  protected asSelf<T>(fn: () => T): T {
    return asRequester(this.requester, fn);
  }

  /** The informer wiring: `watch` the kinds the controller follows, start resyncs. */
  abstract start(): void;

  /**
   * Reconciles one key of the main queue (namespace/name, or name for cluster-scoped objects).
   * Return an Error to have the key requeued rate-limited. Controllers without a main queue
   * (driven by a periodic loop alone) leave it out.
   */
  protected syncHandler?(key: string): void | Error;

  stop(): void {
    for (const u of this.unwatch) u();
    this.unwatch = [];
    for (const t of this.timers) this.ctx.clock.clear(t);
    this.timers.clear();
    for (const q of this.queues) q.stop();
  }

  /** processNextWorkItem: sync the key; requeue it rate-limited on an error, else forget its failures. */
  private processNextWorkItem(key: string): void {
    if (!this.syncHandler) throw new Error(`${this.name}: a key was queued but the controller has no syncHandler`);
    const err = this.syncHandler(key);
    if (err instanceof Error) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** AddEventHandler: `handler` sees every change of `kind` ("*" for every kind) until stop. */
  protected watch(kind: string, handler: WatchHandler, opts?: Omit<WatchOptions, "nodeName" | "namespace">): void {
    // (Upstream's handlers only enqueue; a handler here that writes writes as the controller.)
    this.unwatch.push(this.ctx.api.watch(kind, (ev) => asRequester(this.requester, () => handler(ev)), opts));
  }

  /** The controller's key for an object (controller.KeyFunc): namespace/name, or name. */
  protected keyOf(obj: { metadata: ObjectMeta }): string {
    return objectKey(obj.metadata.namespace, obj.metadata.name!);
  }

  /** enqueue: the object's key goes on the main queue. */
  protected enqueue(obj: { metadata: ObjectMeta }): void {
    this.queue.add(this.keyOf(obj));
  }

  /** A further work queue (stopped with the controller), drained by `process`. */
  protected newQueue(process: (key: string) => void): WorkQueue {
    const q = new WorkQueue(this.ctx.clock, (key) => asRequester(this.requester, () => process(key)));
    this.queues.push(q);
    return q;
  }

  /** A periodic resync: `fn` every `periodMs` of simulated time from now, until stop. */
  protected resyncEvery(periodMs: number, fn: () => void): TimerHandle {
    const t = this.ctx.clock.setInterval(() => asRequester(this.requester, fn), periodMs);
    this.timers.add(t);
    return t;
  }

  /** A one-shot timer, cancelled on stop if it has not fired. */
  protected after(ms: number, fn: () => void): TimerHandle {
    const t: TimerHandle = this.ctx.clock.setTimeout(() => {
      this.timers.delete(t);
      asRequester(this.requester, fn);
    }, ms);
    this.timers.add(t);
    return t;
  }

  /** Cancels a timer from `resyncEvery` or `after`. */
  protected cancelTimer(t: TimerHandle | undefined): void {
    if (!t) return;
    this.timers.delete(t);
    this.ctx.clock.clear(t);
  }
}
