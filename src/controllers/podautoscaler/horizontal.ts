/**
 * The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go, v1.32), with
 * kube-controller-manager's defaults: every HPA is reconciled every 15 s
 * (`--horizontal-pod-autoscaler-sync-period`; a new HPA first 15 s after it appears), tolerance
 * 0.1, a 5-minute downscale stabilization window, a 5-minute CPU initialization period and a 30 s
 * initial readiness delay.
 *
 * Each reconcile reads the target's scale, computes the replicas each metric asks for (the
 * highest wins; ./replica_calculator.ts over metrics-server's metrics), normalizes them — without
 * `spec.behavior`: the highest recommendation of the last 5 minutes and at most max(2×, 4) per
 * sync; with it: the stabilization windows and the scaling policies of each direction — clamps to
 * min/max, writes the scale, and records the conditions AbleToScale, ScalingActive and
 * ScalingLimited, the `SuccessfulRescale` event (`New size: 4; reason: cpu resource utilization
 * (percentage of request) above target`) and the status (current/desired replicas, current
 * metrics, lastScaleTime).
 */
import type { ClusterContext, Component } from "../../context.ts";
import { clone, jsonEqual, type KObject } from "../../api/types.ts";
import type { MetricSpec, MetricTarget, ResourceMetricSource } from "../../api/types.gen.ts";
import { parseSelector, type Selector } from "../../api/labels.ts";
import { Quantity, parseQuantity } from "../../api/quantity.ts";
import { Controller } from "../controller.ts";
import { objectKey, splitKey } from "../queue.ts";
import { ClusterMetricsClient, type MetricsClient } from "./metrics/client.ts";
import { ReplicaCalculator } from "./replica_calculator.ts";
import { getScale, resolveTarget, updateScale, type Scale, type ScaleTarget } from "./scale.ts";

/** --horizontal-pod-autoscaler-sync-period */
export const HPA_SYNC_PERIOD_MS = 15_000;
/** --horizontal-pod-autoscaler-downscale-stabilization */
export const DOWNSCALE_STABILIZATION_WINDOW_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-tolerance */
export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay */
export const DELAY_OF_INITIAL_READINESS_STATUS_MS = 30_000;

const scaleUpLimitFactor = 2.0;
const scaleUpLimitMinimum = 4.0;
const SOURCE = { component: "horizontal-pod-autoscaler" };

interface TimestampedRecommendation {
  recommendation: number;
  timestamp: number;
}

interface TimestampedScaleEvent {
  /** absolute value, non-negative */
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

interface ScalingPolicy {
  type: string;
  value: number;
  periodSeconds: number;
}

interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string;
  policies?: ScalingPolicy[];
}

/** A metric's computation failed: the condition it proposes and the error. */
class MetricError extends Error {
  constructor(
    message: string,
    readonly condition: { reason: string; message: string } | undefined,
  ) {
    super(message);
  }
}

export class HorizontalController extends Controller {
  readonly name = "horizontal-pod-autoscaler";
  readonly replicaCalc: ReplicaCalculator;
  /** Latest unstabilized recommendations for each autoscaler. */
  private readonly recommendations = new Map<string, TimestampedRecommendation[]>();
  private readonly scaleUpEvents = new Map<string, TimestampedScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, TimestampedScaleEvent[]>();
  /** The selector each HPA last used (hpaSelectors): undefined until its first reconcile selects nothing. */
  private readonly hpaSelectors = new Map<string, Selector | undefined>();

  constructor(ctx: ClusterContext, metricsClient: MetricsClient = new ClusterMetricsClient(ctx)) {
    super(ctx);
    this.replicaCalc = new ReplicaCalculator(
      metricsClient,
      (ns, sel) => ctx.api.list("Pod", { namespace: ns, labelSelector: (l) => sel.matches(l) }),
      { tolerance: TOLERANCE, cpuInitializationPeriodMs: CPU_INITIALIZATION_PERIOD_MS, delayOfInitialReadinessStatusMs: DELAY_OF_INITIAL_READINESS_STATUS_MS },
      () => ctx.clock.now(),
    );
  }

  start(): void {
    this.watch("HorizontalPodAutoscaler", (ev) => {
      const key = this.keyOf(ev.object);
      if (ev.type === "DELETED") {
        this.hpaSelectors.delete(key);
        return;
      }
      this.enqueueHPA(key);
    });
  }

  /** enqueueHPA: requests wait one resync period (the rate limiter's fixed interval); a waiting one stands. */
  private enqueueHPA(key: string): void {
    this.queue.addAfter(key, HPA_SYNC_PERIOD_MS);
    if (!this.hpaSelectors.has(key)) this.hpaSelectors.set(key, undefined);
  }

  /** processNextWorkItem's body: reconcile, and come back one sync period later unless it is gone. */
  protected override syncHandler(key: string): void {
    const deleted = this.reconcileKey(key);
    if (!deleted) this.enqueueHPA(key);
  }

  /** reconcileKey: forgets a deleted HPA's recommendations and events. */
  reconcileKey(key: string): boolean {
    const [ns, name] = splitKey(key);
    const hpa = this.ctx.api.get("HorizontalPodAutoscaler", ns, name);
    if (!hpa) {
      this.recommendations.delete(key);
      this.scaleUpEvents.delete(key);
      this.scaleDownEvents.delete(key);
      return true;
    }
    this.reconcileAutoscaler(hpa, key);
    return false;
  }

  private event(hpa: KObject, type: "Normal" | "Warning", reason: string, message: string): void {
    this.ctx.events.record(hpa, { type, reason, message, source: SOURCE });
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  /** setCondition: a changed status moves lastTransitionTime; the message is replaced either way. */
  private setCondition(hpa: KObject, type: string, status: string, reason: string, message: string): void {
    const st = (hpa.status ??= {});
    const list: Condition[] = (st.conditions ??= []);
    let c = list.find((x) => x.type === type);
    if (!c) {
      c = { type, status: "", reason: "", message: "" };
      list.push(c);
    }
    if (c.status !== status) c.lastTransitionTime = this.ctx.clock.nowRFC3339();
    c.status = status;
    c.reason = reason;
    c.message = message;
    // Field order as the API serializes HorizontalPodAutoscalerCondition.
    const i = list.indexOf(c);
    list[i] = { type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }

  reconcileAutoscaler(hpaShared: KObject, key: string): void {
    // make a copy so that we never mutate the shared informer cache
    const hpa = clone(hpaShared);
    hpa.status = clone(hpa.status ?? {});
    const statusOriginal = clone(hpaShared.status ?? {});
    const spec = hpa.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    const namespace = hpa.metadata.namespace ?? "default";

    const failScale = (message: string) => {
      this.event(hpa, "Warning", "FailedGetScale", message);
      this.setCondition(hpa, "AbleToScale", "False", "FailedGetScale", `the HPA controller was unable to get the target's current scale: ${message}`);
      this.updateStatusIfNeeded(statusOriginal, hpa);
    };
    const r = resolveTarget(this.ctx.api, ref);
    if (r instanceof Error) return failScale(r.message);
    const target: ScaleTarget = { r, namespace, name: ref.name ?? "" };
    const scale = getScale(this.ctx.api, target);
    if (scale instanceof Error) return failScale(scale.message);
    this.setCondition(hpa, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale");
    const currentReplicas = scale.specReplicas;
    this.recordInitialRecommendation(currentReplicas, key);

    let metricStatuses: unknown[] | undefined;
    let desiredReplicas = 0;
    let rescaleReason = "";
    const minReplicas: number = typeof spec.minReplicas === "number" ? spec.minReplicas : 1;
    const maxReplicas: number = spec.maxReplicas ?? 0;
    let rescale = true;

    if (currentReplicas === 0 && minReplicas !== 0) {
      // Autoscaling is disabled for this resource
      desiredReplicas = 0;
      rescale = false;
      this.setCondition(hpa, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = "Current number of replicas above Spec.MaxReplicas";
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = "Current number of replicas below Spec.MinReplicas";
      desiredReplicas = minReplicas;
    } else {
      const computed = this.computeReplicasForMetrics(hpa, scale, spec.metrics ?? []);
      metricStatuses = computed.statuses;
      if (computed.error && computed.replicas === -1) {
        this.setStatus(hpa, currentReplicas, hpa.status.desiredReplicas ?? 0, metricStatuses, false);
        this.updateStatusIfNeeded(statusOriginal, hpa);
        this.event(hpa, "Warning", "FailedComputeMetricsReplicas", computed.error);
        return;
      }
      let rescaleMetric = "";
      if (computed.replicas > desiredReplicas) {
        desiredReplicas = computed.replicas;
        rescaleMetric = computed.metric;
      }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = "All metrics below target";
      desiredReplicas = spec.behavior
        ? this.normalizeDesiredReplicasWithBehaviors(hpa, key, currentReplicas, desiredReplicas, minReplicas)
        : this.normalizeDesiredReplicas(hpa, key, currentReplicas, desiredReplicas, minReplicas);
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      const err = updateScale(this.ctx.api, target, desiredReplicas);
      if (err) {
        this.event(hpa, "Warning", "FailedRescale", `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${err.message}`);
        this.setCondition(hpa, "AbleToScale", "False", "FailedUpdateScale", `the HPA controller was unable to update the target scale: ${err.message}`);
        this.setStatus(hpa, currentReplicas, hpa.status.desiredReplicas ?? 0, metricStatuses, false);
        this.updateStatusIfNeeded(statusOriginal, hpa);
        return;
      }
      this.setCondition(hpa, "AbleToScale", "True", "SucceededRescale", `the HPA controller was able to update the target scale to ${desiredReplicas}`);
      this.event(hpa, "Normal", "SuccessfulRescale", `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      this.storeScaleEvent(spec.behavior, key, currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, rescale);
    this.updateStatusIfNeeded(statusOriginal, hpa);
  }

  private recordInitialRecommendation(currentReplicas: number, key: string): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ recommendation: currentReplicas, timestamp: this.now() }]);
  }

  /**
   * computeReplicasForMetrics: the highest proposal of the metrics that worked; -1 when all failed,
   * or some failed and the rest would scale down (the first failure's condition is set then).
   */
  computeReplicasForMetrics(hpa: KObject, scale: Scale, metricSpecs: MetricSpec[]): { replicas: number; metric: string; statuses: unknown[] | undefined; error?: string } {
    const selector = this.validateAndParseSelector(hpa, scale.selector);
    if (selector instanceof Error) return { replicas: -1, metric: "", statuses: undefined, error: selector.message };
    const statuses: unknown[] = metricSpecs.map(() => ({ type: "" }));
    let replicas = 0;
    let metric = "";
    let invalidCount = 0;
    let firstError: MetricError | undefined;
    metricSpecs.forEach((ms, i) => {
      try {
        const p = this.computeReplicasForMetric(hpa, ms, scale.specReplicas, scale.statusReplicas, selector);
        statuses[i] = p.status;
        if (replicas === 0 || p.replicas > replicas) {
          replicas = p.replicas;
          metric = p.metric;
        }
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        if (invalidCount <= 0) firstError = e;
        invalidCount++;
      }
    });
    const error = firstError ? `invalid metrics (${invalidCount} invalid out of ${metricSpecs.length}), first error is: ${firstError.message}` : undefined;
    if (invalidCount >= metricSpecs.length || (invalidCount > 0 && replicas < scale.specReplicas)) {
      const c = firstError?.condition;
      if (c) this.setCondition(hpa, "ScalingActive", "False", c.reason, c.message);
      return { replicas: -1, metric: "", statuses, error };
    }
    this.setCondition(hpa, "ScalingActive", "True", "ValidMetricFound", `the HPA was able to successfully calculate a replica count from ${metric}`);
    return { replicas, metric, statuses, error };
  }

  /** validateAndParseSelector: the scale's selector must exist, parse, and belong to this HPA alone. */
  private validateAndParseSelector(hpa: KObject, selector: string): Selector | Error {
    if (selector === "") {
      const msg = "selector is required";
      this.event(hpa, "Warning", "SelectorRequired", msg);
      this.setCondition(hpa, "ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector");
      return new Error(msg);
    }
    let parsed: Selector;
    try {
      parsed = parseSelector(selector);
    } catch (e) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${(e as Error).message}`;
      this.event(hpa, "Warning", "InvalidSelector", msg);
      this.setCondition(hpa, "ScalingActive", "False", "InvalidSelector", msg);
      return new Error(msg);
    }
    const ns = hpa.metadata.namespace ?? "default";
    const key = objectKey(ns, hpa.metadata.name!);
    if (this.hpaSelectors.has(key)) this.hpaSelectors.set(key, parsed);
    const pods = this.ctx.api.list("Pod", { namespace: ns, labelSelector: (l) => parsed.matches(l) });
    const selecting = new Set<string>();
    for (const p of pods) {
      for (const [k, sel] of this.hpaSelectors) {
        if (sel && splitKey(k)[0] === ns && sel.matches(p.metadata.labels ?? {})) selecting.add(k);
      }
    }
    if (selecting.size > 1) {
      const msg = `pods by selector ${selector} are controlled by multiple HPAs: [${[...selecting].sort().join(" ")}]`;
      this.event(hpa, "Warning", "AmbiguousSelector", msg);
      this.setCondition(hpa, "ScalingActive", "False", "AmbiguousSelector", msg);
      return new Error(msg);
    }
    return parsed;
  }

  /** getUnableComputeReplicaCountCondition: a Warning event with the error, and the ScalingActive=False it proposes. */
  private unableToCompute(hpa: KObject, reason: string, err: string): { reason: string; message: string } {
    this.event(hpa, "Warning", reason, err);
    return { reason, message: `the HPA was unable to compute the replica count: ${err}` };
  }

  /** computeReplicasForMetric: one metric's proposal and status, or a MetricError. */
  private computeReplicasForMetric(hpa: KObject, ms: MetricSpec | undefined, specReplicas: number, statusReplicas: number, selector: Selector): { replicas: number; metric: string; status: unknown } {
    const ns = hpa.metadata.namespace ?? "default";
    switch (ms?.type) {
      case "Resource":
      case "ContainerResource": {
        const container = ms.type === "ContainerResource";
        // Validation requires the source of the metric's type.
        const src: ResourceMetricSource & { container?: string } = (container ? ms.containerResource : ms.resource)!;
        const reason = container ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
        try {
          const r = this.computeStatusForResourceMetricGeneric(specReplicas, src.target ?? {}, src.name, ns, container ? src.container! : "", selector, ms.type);
          const status = container
            ? { type: "ContainerResource", containerResource: { name: src.name, container: src.container, current: r.current } }
            : { type: "Resource", resource: { name: src.name, current: r.current } };
          return { replicas: r.replicas, metric: r.metric, status };
        } catch (e) {
          const msg = (e as Error).message;
          const condition = this.unableToCompute(hpa, reason, msg);
          throw new MetricError(container ? `failed to get ${src.container} container metric value: ${msg}` : `failed to get ${src.name} resource metric value: ${msg}`, condition);
        }
      }
      case "Pods": {
        const m = ms.pods!;
        try {
          const r = this.replicaCalc.getMetricReplicas(specReplicas, milli(m.target?.averageValue), m.metric?.name, ns, selector);
          return {
            replicas: r.replicas,
            metric: `pods metric ${m.metric?.name}`,
            status: { type: "Pods", pods: { metric: metricIdentifier(m.metric), current: { averageValue: milliQuantity(r.usage) } } },
          };
        } catch (e) {
          const condition = this.unableToCompute(hpa, "FailedGetPodsMetric", (e as Error).message);
          throw new MetricError(`failed to get pods metric value: ${(e as Error).message}`, condition);
        }
      }
      case "Object": {
        const m = ms.object!;
        const t = m.target ?? {};
        try {
          if (t.type === "Value" && t.value !== undefined) {
            const r = this.replicaCalc.getObjectMetricReplicas(specReplicas, milli(t.value), m.metric?.name, ns, m.describedObject ?? {}, selector);
            return {
              replicas: r.replicas,
              metric: `${m.describedObject?.kind} metric ${m.metric?.name}`,
              status: { type: "Object", object: { describedObject: m.describedObject, metric: metricIdentifier(m.metric), current: { value: milliQuantity(r.usage) } } },
            };
          }
          if (t.type === "AverageValue" && t.averageValue !== undefined) {
            const r = this.replicaCalc.getObjectPerPodMetricReplicas(statusReplicas, milli(t.averageValue), m.metric?.name, ns, m.describedObject ?? {});
            return {
              replicas: r.replicas,
              metric: `external metric ${m.metric?.name}(${selectorText(m.metric?.selector)})`,
              status: { type: "Object", object: { metric: metricIdentifier(m.metric), current: { averageValue: milliQuantity(r.usage) } } },
            };
          }
          throw new Error("invalid object metric source: neither a value target nor an average value target was set");
        } catch (e) {
          const condition = this.unableToCompute(hpa, "FailedGetObjectMetric", (e as Error).message);
          throw new MetricError(`failed to get object metric value: ${(e as Error).message}`, condition);
        }
      }
      case "External": {
        const m = ms.external!;
        const t = m.target ?? {};
        try {
          if (t.averageValue !== undefined) {
            const r = this.replicaCalc.getExternalPerPodMetricReplicas(statusReplicas, milli(t.averageValue), m.metric?.name, ns);
            return {
              replicas: r.replicas,
              metric: `external metric ${m.metric?.name}(${selectorText(m.metric?.selector)})`,
              status: { type: "External", external: { metric: metricIdentifier(m.metric), current: { averageValue: milliQuantity(r.usage) } } },
            };
          }
          if (t.value !== undefined) {
            const r = this.replicaCalc.getExternalMetricReplicas(specReplicas, milli(t.value), m.metric?.name, ns, selector);
            return {
              replicas: r.replicas,
              metric: `external metric ${m.metric?.name}(${selectorText(m.metric?.selector)})`,
              status: { type: "External", external: { metric: metricIdentifier(m.metric), current: { value: milliQuantity(r.usage) } } },
            };
          }
          throw new Error("invalid external metric source: neither a value target nor an average value target was set");
        } catch (e) {
          const condition = this.unableToCompute(hpa, "FailedGetExternalMetric", (e as Error).message);
          throw new MetricError(`failed to get ${m.metric?.name} external metric value: ${(e as Error).message}`, condition);
        }
      }
      default: {
        const err = `unknown metric source type ${JSON.stringify(String(ms?.type ?? ""))}`;
        throw new MetricError(err, this.unableToCompute(hpa, "InvalidMetricSourceType", err));
      }
    }
  }

  /** computeStatusForResourceMetricGeneric: an average value target, or a utilization target. */
  private computeStatusForResourceMetricGeneric(
    currentReplicas: number,
    target: Partial<MetricTarget>,
    resourceName: string,
    namespace: string,
    container: string,
    selector: Selector,
    sourceType: string,
  ): { replicas: number; current: Record<string, unknown>; metric: string } {
    if (target.averageValue !== undefined) {
      let r;
      try {
        r = this.replicaCalc.getRawResourceReplicas(currentReplicas, milli(target.averageValue), resourceName, namespace, selector, container);
      } catch (e) {
        throw new Error(`failed to get ${resourceName} usage: ${(e as Error).message}`);
      }
      return { replicas: r.replicas, current: { averageValue: milliQuantity(r.usage) }, metric: `${resourceName} resource` };
    }
    if (target.averageUtilization === undefined) {
      throw new Error("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set");
    }
    let r;
    try {
      r = this.replicaCalc.getResourceReplicas(currentReplicas, target.averageUtilization, resourceName, namespace, selector, container);
    } catch (e) {
      throw new Error(`failed to get ${resourceName} utilization: ${(e as Error).message}`);
    }
    const metric =
      sourceType === "ContainerResource" ? `${resourceName} container resource utilization (percentage of request)` : `${resourceName} resource utilization (percentage of request)`;
    return { replicas: r.replicas, current: { averageValue: milliQuantity(r.rawUtilization), averageUtilization: r.utilization }, metric };
  }

  /** stabilizeRecommendation: the highest recommendation of the downscale window; the oldest expired one is replaced. */
  private stabilizeRecommendation(key: string, prenormalized: number): number {
    let max = prenormalized;
    let oldIndex = -1;
    const cutoff = this.now() - DOWNSCALE_STABILIZATION_WINDOW_MS;
    const recs = this.recommendations.get(key) ?? [];
    recs.forEach((rec, i) => {
      if (rec.timestamp < cutoff) oldIndex = i;
      else if (rec.recommendation > max) max = rec.recommendation;
    });
    const entry = { recommendation: prenormalized, timestamp: this.now() };
    if (oldIndex >= 0) recs[oldIndex] = entry;
    else recs.push(entry);
    this.recommendations.set(key, recs);
    return max;
  }

  /** normalizeDesiredReplicas (no behavior): stabilization, then min/max and the max(2×, 4) scale-up limit. */
  private normalizeDesiredReplicas(hpa: KObject, key: string, currentReplicas: number, prenormalized: number, minReplicas: number): number {
    const stabilized = this.stabilizeRecommendation(key, prenormalized);
    if (stabilized !== prenormalized) {
      this.setCondition(hpa, "AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");
    } else {
      this.setCondition(hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size");
    }
    const { replicas, reason, message } = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, hpa.spec.maxReplicas);
    this.setCondition(hpa, "ScalingLimited", replicas === stabilized ? "False" : "True", reason, message);
    return replicas;
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilization windows of both directions, then the policies' rate. */
  private normalizeDesiredReplicasWithBehaviors(hpa: KObject, key: string, currentReplicas: number, prenormalized: number, minReplicas: number): number {
    const behavior = hpa.spec.behavior;
    // maybeInitScaleDownStabilizationWindow
    if (behavior.scaleDown && behavior.scaleDown.stabilizationWindowSeconds === undefined) {
      behavior.scaleDown.stabilizationWindowSeconds = DOWNSCALE_STABILIZATION_WINDOW_MS / 1000;
    }
    const args: NormalizationArg = {
      key,
      scaleUp: behavior.scaleUp,
      scaleDown: behavior.scaleDown,
      minReplicas,
      maxReplicas: hpa.spec.maxReplicas,
      currentReplicas,
      desiredReplicas: prenormalized,
    };
    const st = this.stabilizeRecommendationWithBehaviors(args);
    args.desiredReplicas = st.recommendation;
    if (st.recommendation !== prenormalized) this.setCondition(hpa, "AbleToScale", "True", st.reason, st.message);
    else this.setCondition(hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size");
    const r = this.convertDesiredReplicasWithBehaviorRate(args);
    this.setCondition(hpa, "ScalingLimited", r.replicas === st.recommendation ? "False" : "True", r.reason, r.message);
    return r.replicas;
  }

  private stabilizeRecommendationWithBehaviors(args: NormalizationArg): { recommendation: number; reason: string; message: string } {
    const now = this.now();
    let oldIndex = -1;
    let upRecommendation = args.desiredReplicas;
    const upCutoff = now - (args.scaleUp?.stabilizationWindowSeconds ?? 0) * 1000;
    let downRecommendation = args.desiredReplicas;
    const downCutoff = now - (args.scaleDown?.stabilizationWindowSeconds ?? 0) * 1000;
    const recs = this.recommendations.get(args.key) ?? [];
    recs.forEach((rec, i) => {
      if (rec.timestamp > upCutoff) upRecommendation = Math.min(rec.recommendation, upRecommendation);
      if (rec.timestamp > downCutoff) downRecommendation = Math.max(rec.recommendation, downRecommendation);
      if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
    });
    // Bring the recommendation to within the upper and lower limits (stabilize).
    let recommendation = args.currentReplicas;
    if (recommendation < upRecommendation) recommendation = upRecommendation;
    if (recommendation > downRecommendation) recommendation = downRecommendation;
    const entry = { recommendation: args.desiredReplicas, timestamp: now };
    if (oldIndex >= 0) recs[oldIndex] = entry;
    else recs.push(entry);
    this.recommendations.set(args.key, recs);
    if (args.desiredReplicas >= args.currentReplicas) {
      return { recommendation, reason: "ScaleUpStabilized", message: "recent recommendations were lower than current one, applying the lowest recent recommendation" };
    }
    return { recommendation, reason: "ScaleDownStabilized", message: "recent recommendations were higher than current one, applying the highest recent recommendation" };
  }

  private convertDesiredReplicasWithBehaviorRate(args: NormalizationArg): { replicas: number; reason: string; message: string } {
    const up = this.scaleUpEvents.get(args.key) ?? [];
    const down = this.scaleDownEvents.get(args.key) ?? [];
    const now = this.now();
    if (args.desiredReplicas > args.currentReplicas) {
      let scaleUpLimit = calculateScaleUpLimitWithScalingRules(args.currentReplicas, up, down, args.scaleUp ?? {}, now);
      // We shouldn't scale up further until the scaleUpEvents will be cleaned up
      if (scaleUpLimit < args.currentReplicas) scaleUpLimit = args.currentReplicas;
      let maximumAllowed = args.maxReplicas;
      let reason: string;
      let message: string;
      if (maximumAllowed > scaleUpLimit) {
        maximumAllowed = scaleUpLimit;
        reason = "ScaleUpLimit";
        message = "the desired replica count is increasing faster than the maximum scale rate";
      } else {
        reason = "TooManyReplicas";
        message = "the desired replica count is more than the maximum replica count";
      }
      if (args.desiredReplicas > maximumAllowed) return { replicas: maximumAllowed, reason, message };
    } else if (args.desiredReplicas < args.currentReplicas) {
      let scaleDownLimit = calculateScaleDownLimitWithBehaviors(args.currentReplicas, up, down, args.scaleDown ?? {}, now);
      // We shouldn't scale down further until the scaleDownEvents will be cleaned up
      if (scaleDownLimit > args.currentReplicas) scaleDownLimit = args.currentReplicas;
      let minimumAllowed = args.minReplicas;
      let reason: string;
      let message: string;
      if (minimumAllowed < scaleDownLimit) {
        minimumAllowed = scaleDownLimit;
        reason = "ScaleDownLimit";
        message = "the desired replica count is decreasing faster than the maximum scale rate";
      } else {
        reason = "TooFewReplicas";
        message = "the desired replica count is less than the minimum replica count";
      }
      if (args.desiredReplicas < minimumAllowed) return { replicas: minimumAllowed, reason, message };
    }
    return { replicas: args.desiredReplicas, reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" };
  }

  /** storeScaleEvent: with a behavior, remembers the change (replacing one outdated by the longest policy period). */
  private storeScaleEvent(behavior: { scaleUp?: ScalingRules; scaleDown?: ScalingRules } | undefined, key: string, prev: number, next: number): void {
    if (!behavior) return;
    const upward = next > prev;
    const map = upward ? this.scaleUpEvents : this.scaleDownEvents;
    const rules = (upward ? behavior.scaleUp : behavior.scaleDown) ?? {};
    const longest = Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds));
    const events = map.get(key) ?? [];
    markScaleEventsOutdated(events, longest, this.now());
    const entry = { replicaChange: Math.abs(next - prev), timestamp: this.now(), outdated: false };
    let oldIndex = -1;
    events.forEach((e, i) => {
      if (e.outdated) oldIndex = i;
    });
    if (oldIndex >= 0) events[oldIndex] = entry;
    else events.push(entry);
    map.set(key, events);
  }

  /** setStatus: current and desired replicas, the metrics; lastScaleTime moves on a rescale. */
  private setStatus(hpa: KObject, currentReplicas: number, desiredReplicas: number, metricStatuses: unknown[] | undefined, rescale: boolean): void {
    const old = hpa.status ?? {};
    const status: Record<string, unknown> = {};
    const lastScaleTime = rescale ? this.ctx.clock.nowRFC3339() : old.lastScaleTime;
    if (lastScaleTime) status.lastScaleTime = lastScaleTime;
    status.currentReplicas = currentReplicas;
    status.desiredReplicas = desiredReplicas;
    if (metricStatuses && metricStatuses.length) status.currentMetrics = metricStatuses;
    if (old.conditions?.length) status.conditions = old.conditions;
    hpa.status = status;
  }

  /** updateStatusIfNeeded: writes the status subresource when it changed. */
  private updateStatusIfNeeded(original: unknown, hpa: KObject): void {
    if (jsonEqual(original, hpa.status)) return;
    const status = hpa.status;
    try {
      this.ctx.api.mutate("HorizontalPodAutoscaler", hpa.metadata.namespace, hpa.metadata.name!, (x) => (x.status = clone(status)), { subresource: "status" });
    } catch (e) {
      this.event(hpa, "Warning", "FailedUpdateStatus", (e as Error).message);
    }
  }
}

interface NormalizationArg {
  key: string;
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
}

/** convertDesiredReplicasWithRules: min/max, and at most max(2 × current, 4) at once. */
export function convertDesiredReplicasWithRules(currentReplicas: number, desiredReplicas: number, hpaMinReplicas: number, hpaMaxReplicas: number): { replicas: number; reason: string; message: string } {
  let maximumAllowed: number;
  let reason: string;
  let message: string;
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  if (hpaMaxReplicas > scaleUpLimit) {
    maximumAllowed = scaleUpLimit;
    reason = "ScaleUpLimit";
    message = "the desired replica count is increasing faster than the maximum scale rate";
  } else {
    maximumAllowed = hpaMaxReplicas;
    reason = "TooManyReplicas";
    message = "the desired replica count is more than the maximum replica count";
  }
  if (desiredReplicas < hpaMinReplicas) {
    return { replicas: hpaMinReplicas, reason: "TooFewReplicas", message: "the desired replica count is less than the minimum replica count" };
  }
  if (desiredReplicas > maximumAllowed) return { replicas: maximumAllowed, reason, message };
  return { replicas: desiredReplicas, reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" };
}

export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(scaleUpLimitFactor * currentReplicas, scaleUpLimitMinimum));
}

/** markScaleEventsOutdated: events older than the longest policy period may be replaced. */
function markScaleEventsOutdated(events: TimestampedScaleEvent[], longestPolicyPeriodSeconds: number, now: number): void {
  const cutoff = now - longestPolicyPeriodSeconds * 1000;
  for (const e of events) if (e.timestamp < cutoff) e.outdated = true;
}

/** getReplicasChangePerPeriod: the replicas changed within the last period. */
export function getReplicasChangePerPeriod(periodSeconds: number, events: TimestampedScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let replicas = 0;
  for (const e of events) if (e.timestamp > cutoff) replicas += e.replicaChange;
  return replicas;
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the scale-up policies allow now. */
export function calculateScaleUpLimitWithScalingRules(currentReplicas: number, up: TimestampedScaleEvent[], down: TimestampedScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  const useMin = rules.selectPolicy === "Min";
  let result = useMin ? 2147483647 : -2147483648;
  for (const p of rules.policies ?? []) {
    const added = getReplicasChangePerPeriod(p.periodSeconds, up, now);
    const deleted = getReplicasChangePerPeriod(p.periodSeconds, down, now);
    const periodStartReplicas = currentReplicas - added + deleted;
    let proposed = 0;
    if (p.type === "Pods") proposed = periodStartReplicas + p.value;
    else if (p.type === "Percent") proposed = Math.ceil(periodStartReplicas * (1 + p.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the scale-down policies allow now. */
export function calculateScaleDownLimitWithBehaviors(currentReplicas: number, up: TimestampedScaleEvent[], down: TimestampedScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  const useMin = rules.selectPolicy === "Min";
  let result = useMin ? -2147483648 : 2147483647;
  for (const p of rules.policies ?? []) {
    const added = getReplicasChangePerPeriod(p.periodSeconds, up, now);
    const deleted = getReplicasChangePerPeriod(p.periodSeconds, down, now);
    const periodStartReplicas = currentReplicas - added + deleted;
    let proposed = 0;
    if (p.type === "Pods") proposed = periodStartReplicas - p.value;
    else if (p.type === "Percent") proposed = Math.trunc(periodStartReplicas * (1 - p.value / 100));
    result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** A quantity's milli-value (MilliValue: rounded up). */
function milli(q: unknown): number {
  return parseQuantity(q).milliValue();
}

/** resource.NewMilliQuantity(v, DecimalSI).String() */
function milliQuantity(v: number): string {
  return String(Quantity.of(v, -3));
}

function metricIdentifier(m: { name?: string; selector?: unknown } | undefined): Record<string, unknown> {
  return m?.selector !== undefined ? { name: m?.name, selector: m.selector } : { name: m?.name };
}

/** Go's %+v of a *LabelSelector. */
function selectorText(sel: { matchLabels?: Record<string, string> } | undefined): string {
  if (!sel) return "<nil>";
  const ml = Object.entries(sel.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  return `&LabelSelector{MatchLabels:map[string]string{${ml}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}

export function horizontalPodAutoscalerController(ctx: ClusterContext): Component {
  return new HorizontalController(ctx);
}
