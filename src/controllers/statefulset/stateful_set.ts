/**
 * The StatefulSet controller (pkg/controller/statefulset/stateful_set.go, v1.32): watches
 * StatefulSets, their pods and ControllerRevisions; a sync claims the set's pods (its selector and
 * its name: `<set>-<ordinal>`), runs the update logic (stateful_set_control.ts) and, with
 * minReadySeconds, looks again once ready pods become available.
 */
import type { ClusterContext, Component } from "../../context.ts";
import type { KObject } from "../../api/types.ts";
import { Controller } from "../controller.ts";
import { objectKey, splitKey } from "../queue.ts";
import { claimObjects } from "../util/controllerref.ts";
import { PodIndex } from "../util/podindex.ts";
import { controllerRef } from "../util/pod.ts";
import { selectorMatches } from "../util/selector.ts";
import { StatefulPodControl } from "./stateful_pod_control.ts";
import { updateStatefulSet, type ControlContext } from "./stateful_set_control.ts";
import { isMemberOf } from "./stateful_set_utils.ts";

export class StatefulSetController extends Controller {
  readonly name = "statefulset-controller";
  private readonly pods = this.ctx.reference ? new PodIndex() : new PodIndex("StatefulSet", this.ctx.api.orphanStatus);
  private readonly control: ControlContext;

  constructor(ctx: ClusterContext) {
    super(ctx);
    this.control = { api: ctx.api, podControl: new StatefulPodControl(ctx, this.pods), now: () => ctx.clock.now(), consistent: ctx.reference ? undefined : new WeakMap() };
  }

  start(): void {
    const api = this.ctx.api;
    const enqueue = (ns: string | undefined, name: string) => this.queue.add(objectKey(ns, name));
    this.watch("StatefulSet", (ev) => this.enqueue(ev.object));
    this.watch("ControllerRevision", (ev) => {
      const ref = controllerRef(ev.object);
      if (ref?.kind === "StatefulSet") enqueue(ev.object.metadata.namespace, ref.name);
    });
    // Issue #19 §3: for a pod another kind's owner controls before and after a change, the handler
    // does nothing a reader could see (its index keeps such a pod, if at all, in that owner's bucket,
    // which it never reads; then it returns at the controller reference), so the fast engine does
    // not call it for one (the watch's `controllerKind`; DaemonSetsController.podChanged says more).
    // Nor for a status-only change of an orphan while the namespace has no StatefulSet
    // (`lazyOrphansOf`): it would only record it (the index applies it when `podsFor` next reads the
    // namespace's orphans) and enqueue the namespace's StatefulSets that select it.
    this.watch("Pod", (ev) => {
      const pod = ev.object;
      const gone = ev.type === "DELETED";
      this.pods.record(pod, gone);
      const ref = controllerRef(pod);
      const oldRef = ev.old ? controllerRef(ev.old) : undefined;
      if (oldRef?.kind === "StatefulSet" && oldRef.uid !== ref?.uid) enqueue(pod.metadata.namespace, oldRef.name);
      if (ref) {
        if (ref.kind !== "StatefulSet") return;
        enqueue(pod.metadata.namespace, ref.name);
        const set = api.get("StatefulSet", pod.metadata.namespace, ref.name);
        const minReady = set?.spec?.minReadySeconds ?? 0;
        if (minReady > 0 && ev.old && !isReady(ev.old) && isReady(pod)) this.queue.addAfter(objectKey(pod.metadata.namespace, ref.name), minReady * 1000);
        return;
      }
      if (gone || pod.metadata.deletionTimestamp) return;
      for (const set of api.list("StatefulSet", { namespace: pod.metadata.namespace })) {
        if (selectorMatches(set.spec?.selector, pod.metadata.labels)) this.enqueue(set);
      }
    }, { controllerKind: "StatefulSet", lazyOrphansOf: "StatefulSet" });
  }

  /**
   * The fast engine's claim test per stored pod version (issue #19 §3): whether it is a member of
   * the set of that name and matches that selector (the same frozen object from one set version to
   * the next while it is unchanged). A sync claims every owned pod; this keeps it to a lookup.
   */
  private readonly claimTests = new WeakMap<KObject, { name: string; selector: unknown; ok: boolean }>();

  /** getPodsForStatefulSet: adopts matching orphans named after the set, releases the rest. */
  private podsFor(set: KObject): KObject[] {
    const candidates = [...this.pods.owned(set.metadata.uid!), ...this.pods.orphansIn(set.metadata.namespace)];
    const name = set.metadata.name!;
    const selector = set.spec?.selector;
    const test = (p: KObject) => isMemberOf(set, p) && selectorMatches(selector, p.metadata.labels);
    const matches = this.ctx.reference || !Object.isFrozen(selector ?? {}) ? test : (p: KObject) => {
      const hit = this.claimTests.get(p);
      if (hit && hit.name === name && hit.selector === selector) return hit.ok;
      const ok = test(p);
      if (Object.isFrozen(p)) this.claimTests.set(p, { name, selector, ok });
      return ok;
    };
    return claimObjects(this.ctx.api, set, candidates, matches, (p) => this.pods.record(p, false));
  }

  /** sync (syncStatefulSet) for one key. */
  protected override syncHandler(key: string): void {
    const [ns, name] = splitKey(key);
    const set = this.ctx.api.get("StatefulSet", ns, name);
    if (!set) return;
    const pods = this.podsFor(set);
    const status = updateStatefulSet(this.control, set, pods);
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas !== status.availableReplicas) this.queue.addAfter(key, minReady * 1000);
  }
}

function isReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True");
}

export function statefulSetController(ctx: ClusterContext): Component {
  return new StatefulSetController(ctx);
}
