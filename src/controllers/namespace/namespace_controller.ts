/**
 * The namespace controller (pkg/controller/namespace/namespace_controller.go and
 * deletion/namespaced_resources_deleter.go, v1.32): a namespace being deleted (phase Terminating,
 * the `kubernetes` finalizer in spec.finalizers) has every namespaced object in it deleted; while
 * some remain, its status conditions say what is left and it is looked at again after half the
 * estimated time plus a second (the worker's `estimate/2 + 1`); once it is empty, the `kubernetes`
 * finalizer is removed and the API server lets the namespace go.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import { Controller } from "../controller.ts";

export const FINALIZER_KUBERNETES = "kubernetes";
/** deletion/namespaced_resources_deleter.go: the wait when remaining content has finalizers. */
export const FINALIZER_ESTIMATE_SECONDS = 15;

interface Condition {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** What remains in a namespace: counts by resource (`pods.`, `deployments.apps`) and by finalizer. */
export interface Remaining {
  byResource: Map<string, number>;
  byFinalizer: Map<string, number>;
}

/** The five deletion conditions as the deleter's conditionUpdater writes them (a successful discovery, nothing failed). */
export function deletionConditions(rem: Remaining): Condition[] {
  const sorted = (m: Map<string, number>) => [...m.keys()].sort();
  const content: Condition = rem.byResource.size
    ? { type: "NamespaceContentRemaining", status: "True", reason: "SomeResourcesRemain", message: `Some resources are remaining: ${sorted(rem.byResource).map((k) => `${k} has ${rem.byResource.get(k)} resource instances`).join(", ")}` }
    : { type: "NamespaceContentRemaining", status: "False", reason: "ContentRemoved", message: "All content successfully removed" };
  const finalizers: Condition = rem.byFinalizer.size
    ? { type: "NamespaceFinalizersRemaining", status: "True", reason: "SomeFinalizersRemain", message: `Some content in the namespace has finalizers remaining: ${sorted(rem.byFinalizer).map((k) => `${k} in ${rem.byFinalizer.get(k)} resource instances`).join(", ")}` }
    : { type: "NamespaceFinalizersRemaining", status: "False", reason: "ContentHasNoFinalizers", message: "All content-preserving finalizers finished" };
  return [
    { type: "NamespaceDeletionDiscoveryFailure", status: "False", reason: "ResourcesDiscovered", message: "All resources successfully discovered" },
    { type: "NamespaceDeletionGroupVersionParsingFailure", status: "False", reason: "ParsedGroupVersions", message: "All legacy kube types successfully parsed" },
    { type: "NamespaceDeletionContentFailure", status: "False", reason: "ContentDeleted", message: "All content successfully deleted, may be waiting on finalization" },
    content,
    finalizers,
  ];
}

export class NamespaceController extends Controller {
  readonly name = "namespace-controller";

  start(): void {
    this.watch("Namespace", (ev) => {
      if (ev.type !== "DELETED" && ev.object.metadata.deletionTimestamp) this.enqueue(ev.object);
    });
  }

  /** syncNamespaceFromKey. */
  protected override syncHandler(name: string): void {
    const api = this.ctx.api;
    const ns = api.get("Namespace", undefined, name);
    if (!ns?.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;
    const now = this.ctx.clock.now();
    const rem: Remaining = { byResource: new Map(), byFinalizer: new Map() };
    let estimate = 0;
    for (const r of api.registry.resources()) {
      if (!r.namespaced || !r.storable || !r.verbs.includes("delete")) continue;
      for (const obj of api.list(r.key, { namespace: name })) {
        if (!obj.metadata.deletionTimestamp) {
          try {
            api.delete(r.key, name, obj.metadata.name!);
          } catch (e) {
            if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
          }
        }
      }
      const left = api.list(r.key, { namespace: name });
      if (!left.length) continue;
      rem.byResource.set(`${r.plural}.${r.group}`, left.length);
      for (const obj of left) {
        for (const f of obj.metadata.finalizers ?? []) rem.byFinalizer.set(f, (rem.byFinalizer.get(f) ?? 0) + 1);
        if (r.kind === "Pod") estimate = Math.max(estimate, podDeletionEstimate(obj, now));
      }
    }
    this.updateConditions(name, rem);
    if (rem.byResource.size) {
      if (rem.byFinalizer.size) estimate = Math.max(estimate, FINALIZER_ESTIMATE_SECONDS);
      // namespace_controller.go's worker: content remains, look again after estimate/2 + 1 seconds.
      this.queue.addAfter(name, (Math.floor(estimate / 2) + 1) * 1000);
      return;
    }
    // finalizeNamespace: the `kubernetes` finalizer goes (the namespaces/finalize subresource).
    api.mutate("Namespace", undefined, name, (o) => {
      o.spec.finalizers = (o.spec.finalizers ?? []).filter((f: string) => f !== FINALIZER_KUBERNETES);
    });
  }

  private updateConditions(name: string, rem: Remaining): void {
    const now = this.ctx.clock.nowRFC3339();
    this.ctx.api.mutate(
      "Namespace",
      undefined,
      name,
      (o) => {
        const old: Condition[] = o.status?.conditions ?? [];
        const next = deletionConditions(rem).map((c) => {
          const prev = old.find((x) => x.type === c.type);
          const same = prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message;
          return { type: c.type, status: c.status, lastTransitionTime: same ? prev.lastTransitionTime : now, reason: c.reason, message: c.message };
        });
        o.status = { ...(o.status ?? {}), conditions: next };
      },
      { subresource: "status" },
    );
  }
}

/** deletion's estimate for a pod: the grace period it was deleted with, counted from now. */
export function podDeletionEstimate(pod: KObject, now: number): number {
  const deadline = Date.parse(pod.metadata.deletionTimestamp ?? "");
  if (Number.isNaN(deadline)) return pod.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function namespaceController(ctx: ClusterContext): Component {
  return new NamespaceController(ctx);
}
