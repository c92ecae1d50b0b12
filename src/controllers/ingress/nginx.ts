/**
 * The ingress-nginx controller as minikube's `ingress` addon installs it (kubernetes/ingress-nginx
 * v1.11, internal/ingress/status/status.go): at start the IngressClass `nginx` (controller
 * `k8s.io/ingress-nginx`, the default class); every Ingress of that class (or of none) gets the
 * address of the node the controller runs on in `status.loadBalancer.ingress` at the controller's
 * next status sync (every 60 s from its start). Requests
 * reach it on the nodes' port 80 (src/network/ingress.ts routes them, src/network/network.ts
 * proxies). Its own Deployment and Service in the `ingress-nginx` namespace are not shown
 * (docs/divergences.md).
 */
import type { ClusterContext, Component } from "../../context.ts";
import type { KObject } from "../../api/types.ts";
import { jsonEqual } from "../../api/types.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import { Controller } from "../controller.ts";
import { handledBy, INGRESS_CLASS, INGRESS_CONTROLLER } from "../../network/ingress.ts";
import { clusterNetwork } from "../../network/network.ts";

/** ingress-nginx's status update interval. */
export const STATUS_SYNC_MS = 60_000;

export class IngressNginxController extends Controller {
  readonly name = "ingress-nginx";
  private startedAt = 0;
  private timer: TimerHandle | undefined;

  start(): void {
    this.startedAt = this.ctx.clock.now();
    const api = this.ctx.api;
    if (!api.get("IngressClass", undefined, INGRESS_CLASS)) {
      api.create({
        apiVersion: "networking.k8s.io/v1",
        kind: "IngressClass",
        metadata: {
          name: INGRESS_CLASS,
          labels: { "app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx" },
          annotations: { "ingressclass.kubernetes.io/is-default-class": "true" },
        },
        spec: { controller: INGRESS_CONTROLLER },
      });
    }
    clusterNetwork(this.ctx).ingressInstalled = true;
    this.watch("Ingress", (ev) => {
      if (ev.type !== "DELETED") this.scheduleSync();
    });
  }

  override stop(): void {
    super.stop();
    this.timer = undefined;
  }

  /** The next status sync (a one-shot timer at the next 60 s tick since the start, when needed). */
  private scheduleSync(): void {
    if (this.timer) return;
    const now = this.ctx.clock.now();
    const next = this.startedAt + Math.ceil((now - this.startedAt + 1) / STATUS_SYNC_MS) * STATUS_SYNC_MS;
    this.timer = this.after(next - now, () => {
      this.timer = undefined;
      this.syncStatus();
    });
  }

  /** The address the controller publishes: the InternalIP of the node it runs on (the first node). */
  private address(): string | undefined {
    const nodes = this.ctx.api.list("Node").sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    for (const n of nodes) {
      const ip = (n.status?.addresses ?? []).find((a: { type: string }) => a.type === "InternalIP")?.address;
      if (ip) return ip;
    }
    return undefined;
  }

  /** updateStatus: each Ingress of the class gets the address (others are not this controller's). */
  syncStatus(): void {
    const ip = this.address();
    if (!ip) return;
    for (const ing of this.ctx.api.list("Ingress")) {
      if (!handledBy(ing) || jsonEqual(ing.status?.loadBalancer?.ingress ?? [], [{ ip }])) continue;
      this.ctx.api.mutate("Ingress", ing.metadata.namespace, ing.metadata.name!, (x: KObject) => (x.status = { loadBalancer: { ingress: [{ ip }] } }), { subresource: "status" });
    }
  }
}

export function ingressNginxController(ctx: ClusterContext): Component {
  return new IngressNginxController(ctx);
}
