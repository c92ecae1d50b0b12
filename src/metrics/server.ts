/**
 * metrics-server (sigs.k8s.io/metrics-server, run with `--metric-resolution=15s`, as its manifest
 * and minikube's addon do): every resolution it scrapes each running kubelet's `/metrics/resource`
 * (src/kubelet/metrics/resource_metrics.ts) and keeps the last two scrapes (./storage.ts), from
 * which the `metrics.k8s.io/v1beta1` API (./api.ts) answers: what `kubectl top` prints and what
 * the HorizontalPodAutoscaler controller scales on.
 *
 * It is built in: a real cluster runs it as a Deployment in kube-system, which is not shown here
 * (docs/divergences.md).
 */
import type { ClusterContext, Component } from "../context.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { kubelets } from "../kubelet/manager.ts";
import type { ContainerResourcePoint, KeptScrape, NodeResourcePoint } from "../kubelet/metrics/resource_metrics.ts";
import { NodeStorage, PodStorage } from "./storage.ts";

declare module "../context.ts" {
  interface ClusterServices {
    /** The cluster's metrics-server, once started (src/metrics/server.ts). */
    "metrics-server": MetricsServer;
  }
}

/** `--metric-resolution`: how often the kubelets are scraped. */
export const METRIC_RESOLUTION_MS = 15_000;

export class MetricsServer implements Component {
  readonly name = "metrics-server";
  /** The pods' points: kept as scrapes until read on the fast engine (issue #19, ./storage.ts). */
  readonly pods: PodStorage;
  readonly nodes = new NodeStorage(METRIC_RESOLUTION_MS);
  private timer: TimerHandle | undefined;
  /** Scrapes done so far (the API says "metrics not available yet" before the first two). */
  scrapes = 0;

  constructor(private readonly ctx: ClusterContext) {
    this.pods = new PodStorage(METRIC_RESOLUTION_MS, !ctx.reference);
  }

  start(): void {
    this.timer = this.ctx.clock.setInterval(() => this.scrape(), METRIC_RESOLUTION_MS);
  }

  stop(): void {
    this.ctx.clock.clear(this.timer);
  }

  /** One scrape of every kubelet that runs (a node that is down answers nothing). */
  scrape(): void {
    if (!this.ctx.reference) return this.scrapeKept();
    const containers: Array<{ point: ContainerResourcePoint; timestamp: number }> = [];
    const nodes: Array<{ name: string; point: NodeResourcePoint; timestamp: number }> = [];
    const names = [...kubelets(this.ctx).keys()].sort();
    for (const name of names) {
      const m = kubelets(this.ctx).get(name)?.resourceMetrics();
      if (!m) continue;
      nodes.push({ name, point: m.node, timestamp: m.timestamp });
      for (const c of m.containers) containers.push({ point: c, timestamp: m.timestamp });
    }
    this.pods.store(containers);
    this.nodes.store(nodes);
    this.scrapes++;
  }

  /**
   * The fast engine's scrape (issue #19): each kubelet's CPU times read later and its container
   * points kept unbuilt until the pods' storage is read (`KeptScrape`, `PodStorage.storeKept`);
   * the nodes' points are stored as the reference engine stores them.
   */
  private scrapeKept(): void {
    const kept: KeptScrape[] = [];
    const nodes: Array<{ name: string; point: NodeResourcePoint; timestamp: number }> = [];
    const all = kubelets(this.ctx);
    const names = [...all.keys()].sort();
    for (const name of names) {
      const m = all.get(name)?.scrapeLater();
      if (!m) continue;
      nodes.push({ name, point: m.node, timestamp: m.timestamp });
      kept.push(m);
    }
    this.pods.storeKept(kept);
    this.nodes.store(nodes);
    this.scrapes++;
  }
}

/** The cluster's metrics-server, once it started (undefined in clusters built without it). */
export function metricsServer(ctx: ClusterContext): MetricsServer | undefined {
  return ctx.services.get("metrics-server");
}

export function metricsServerComponent(ctx: ClusterContext): Component {
  const s = new MetricsServer(ctx);
  ctx.services.set("metrics-server", s);
  return s;
}
