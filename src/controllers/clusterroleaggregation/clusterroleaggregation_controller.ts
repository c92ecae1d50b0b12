/**
 * The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation/
 * clusterroleaggregation_controller.go, part of kube-controller-manager): a ClusterRole with an
 * aggregationRule gets, as its rules, the rules of every ClusterRole its clusterRoleSelectors select
 * (src/api/authorization/aggregation.ts). Any change to any ClusterRole queues every aggregated one
 * ("if anything changes, just enqueue everything"); a sync writes only when the rules differ, so the
 * bootstrap roles `admin`, `edit` and `view` (stored aggregated) cost no write at the cluster's start,
 * and a user's ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-view: "true"` joins
 * view, edit and admin at once (edit and admin select view and edit).
 *
 * The fast engine (issue #19 §5, docs/performance.md "Suite: the cluster's start") answers a sync
 * from `firstSyncs` when the role and every ClusterRole are the very objects a sync computed on
 * before: a cluster's start replays the bootstrap policy's stored objects (src/cluster.ts,
 * `StartReplay`), so every cluster's first sync of admin, edit and view meets the same frozen
 * objects, and `aggregatedRules` is a function of them alone. The reference engine computes every sync.
 */
import { aggregatedRules, sameRules } from "../../api/authorization/aggregation.ts";
import { ApiError } from "../../api/errors.ts";
import type { ClusterRole, PolicyRule } from "../../api/types.gen.ts";
import type { KObject } from "../../api/types.ts";
import type { ClusterContext, Component } from "../../context.ts";
import { Controller } from "../controller.ts";

/**
 * Per aggregated role object (stored objects are frozen: an object never changes), the last list of
 * ClusterRoles a sync computed its rules over, the rules, and whether they equal the role's own.
 * Shared by every cluster of the process: a hit needs the same objects, in the same order.
 */
const firstSyncs = new WeakMap<KObject, { all: readonly KObject[]; rules: PolicyRule[]; same: boolean }>();

function sameObjects(a: readonly KObject[], b: readonly KObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class ClusterRoleAggregationController extends Controller {
  readonly name = "clusterrole-aggregation-controller";
  /** The names of the ClusterRoles with an aggregationRule, from the watch. */
  private readonly aggregated = new Set<string>();
  /** `aggregated` sorted, while it holds the same names (the fast engine; every ClusterRole event enqueues them all). */
  private sorted: string[] | undefined;
  /** The fast engine: the ClusterRoles listed at the store's last ClusterRole change (`lastChangeOf`). */
  private listed: { at: number; all: KObject[] } | undefined;

  start(): void {
    this.watch("ClusterRole", (ev) => {
      const name = ev.object.metadata.name!;
      if (ev.type !== "DELETED" && (ev.object as unknown as ClusterRole).aggregationRule) this.aggregated.add(name);
      else this.aggregated.delete(name);
      this.enqueueAll();
    });
    // The informer's initial list.
    for (const r of this.ctx.api.list("ClusterRole")) if ((r as unknown as ClusterRole).aggregationRule) this.aggregated.add(r.metadata.name!);
    this.enqueueAll();
  }

  /** enqueue: every ClusterRole that aggregates, by name. */
  private enqueueAll(): void {
    if (this.ctx.reference) {
      for (const name of [...this.aggregated].sort()) this.queue.add(name);
      return;
    }
    let sorted = this.sorted;
    if (sorted === undefined || sorted.length !== this.aggregated.size || !sorted.every((n) => this.aggregated.has(n))) sorted = this.sorted = [...this.aggregated].sort();
    for (const name of sorted) this.queue.add(name);
  }

  /** syncClusterRole. */
  protected override syncHandler(name: string): void | Error {
    const api = this.ctx.api;
    const role = api.get("ClusterRole", undefined, name) as unknown as ClusterRole | undefined;
    if (!role?.aggregationRule) return;
    let rules: PolicyRule[];
    if (this.ctx.reference) {
      rules = aggregatedRules(role, api.list("ClusterRole") as unknown as ClusterRole[]);
      if (sameRules(rules, role.rules)) return;
    } else {
      const at = api.lastChangeOf("ClusterRole");
      if (this.listed?.at !== at) this.listed = { at, all: api.list("ClusterRole") };
      const all = this.listed.all;
      const key = role as unknown as KObject;
      let known = firstSyncs.get(key);
      if (!known || !sameObjects(known.all, all)) {
        const computed = aggregatedRules(role, all as unknown as ClusterRole[]);
        known = { all, rules: computed, same: sameRules(computed, role.rules) };
        if (Object.isFrozen(key) && all.every((o) => Object.isFrozen(o))) firstSyncs.set(key, known);
      }
      if (known.same) return;
      rules = known.rules;
    }
    try {
      api.mutate("ClusterRole", undefined, name, (o) => {
        o.rules = structuredClone(rules);
      });
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  }

  override stop(): void {
    super.stop();
    this.listed = undefined;
  }
}

export const clusterRoleAggregationController = (ctx: ClusterContext): Component => new ClusterRoleAggregationController(ctx);
