/**
 * The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation/
 * clusterroleaggregation_controller.go, part of kube-controller-manager): a ClusterRole with an
 * aggregationRule gets, as its rules, the rules of every ClusterRole its clusterRoleSelectors select
 * (src/api/authorization/aggregation.ts). Any change to any ClusterRole queues every aggregated one
 * ("if anything changes, just enqueue everything"); a sync writes only when the rules differ, so the
 * bootstrap roles `admin`, `edit` and `view` (stored aggregated) cost no write at the cluster's start,
 * and a user's ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-view: "true"` joins
 * view, edit and admin at once (edit and admin select view and edit).
 */
import { aggregatedRules, sameRules } from "../../api/authorization/aggregation.ts";
import { ApiError } from "../../api/errors.ts";
import type { ClusterRole } from "../../api/types.gen.ts";
import type { ClusterContext, Component } from "../../context.ts";
import { Controller } from "../controller.ts";

export class ClusterRoleAggregationController extends Controller {
  readonly name = "clusterrole-aggregation-controller";
  /** The names of the ClusterRoles with an aggregationRule, from the watch. */
  private readonly aggregated = new Set<string>();

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
    for (const name of [...this.aggregated].sort()) this.queue.add(name);
  }

  /** syncClusterRole. */
  protected override syncHandler(name: string): void | Error {
    const api = this.ctx.api;
    const role = api.get("ClusterRole", undefined, name) as unknown as ClusterRole | undefined;
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, api.list("ClusterRole") as unknown as ClusterRole[]);
    if (sameRules(rules, role.rules)) return;
    try {
      api.mutate("ClusterRole", undefined, name, (o) => {
        o.rules = structuredClone(rules);
      });
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  }
}

export const clusterRoleAggregationController = (ctx: ClusterContext): Component => new ClusterRoleAggregationController(ctx);
