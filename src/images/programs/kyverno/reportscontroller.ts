/**
 * `reg.kyverno.io/kyverno/reports-controller` (cmd/reports-controller at v1.14.5), as the release
 * manifest runs it (`--admissionReports=true --aggregateReports=true --policyReports=true
 * --backgroundScan=true --backgroundScanInterval=1h --skipResourceFilters=true`), a client of the
 * API server as its service account; `/metrics` on 8000. Its three controllers:
 *
 * - the resource controller (pkg/controllers/report/resource): a watch on every resource kind the
 *   validate rules of the policies match (autogen rules included), keeping each object's hash
 *   (CalculateResourceHash); a new or changed object is handed to the background scan 30 seconds
 *   later (enqueueDelay);
 * - the background scan (pkg/controllers/report/background): each object evaluated against the
 *   policies with `background` not false (a Policy only in its namespace), as a CREATE; its results
 *   written as an EphemeralReport owned by the object (`audit.kyverno.io/source: background-scan`,
 *   `audit.kyverno.io/last-scan-time`); run again when a policy changes and every
 *   `--backgroundScanInterval`;
 * - the aggregate controller (pkg/controllers/report/aggregate): 10 seconds after an
 *   EphemeralReport changes, an admission report without an owner is adopted (the resource is found
 *   by the report's GVR label and name annotations; a report whose resource stays missing for two
 *   minutes is deleted), an owned one is merged with the others of its resource into the
 *   PolicyReport (ClusterPolicyReport) named by the resource's uid, and deleted; a policy's change
 *   re-merges every report 10 seconds later, dropping the results of rules that no longer exist.
 *
 * The background scan's Events (PolicyViolation, source `kyverno-scan`) go through ./events.ts.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { KObject, WatchEvent } from "../../../api/types.ts";
import type { ResourceType } from "../../../api/resources.ts";
import { ApiError } from "../../../api/errors.ts";
import { serverOf } from "../../../api/authorization/filter.ts";
import type { ProgramContext } from "../../launch.ts";
import { parseRequestPath } from "../server.ts";
import { KyvernoProcess } from "./process.ts";
import { flagValues } from "../certmanager/common.ts";
import { parseDuration } from "../../../sim/duration.ts";
import { CLUSTER_POLICIES, klogText, POLICIES } from "./common.ts";
import { validatePolicy, type EngineResponse } from "./engine.ts";
import { computeRules, hasValidate, parseKindSelector, type Obj, type Policy } from "./policy.ts";
import {
  ANNOTATION_RESOURCE_NAME,
  ANNOTATION_RESOURCE_NAMESPACE,
  backgroundReport,
  CLUSTER_EPHEMERAL_REPORTS,
  CLUSTER_POLICY_REPORTS,
  EPHEMERAL_REPORTS,
  gvrOf,
  LABEL_MANAGED_BY,
  LABEL_RESOURCE_UID,
  mergeResults,
  POLICY_REPORTS,
  policyReport,
  policyRuleMap,
  resourceHash,
  type ReportResult,
} from "./reports.ts";
import { scanEvents, type EventSink } from "./events.ts";

const ENQUEUE_DELAY_AGGREGATE = 10_000;
const ENQUEUE_DELAY_SCAN = 30_000;
const DELETION_GRACE = 120_000;

interface Tracked {
  hash: string;
  namespace: string;
  name: string;
  type: ResourceType;
}

interface Report {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string }>; creationTimestamp?: string; resourceVersion?: string };
  spec?: { results?: ReportResult[] };
  results?: ReportResult[];
}

/** A delaying work queue: one pending run per key, at the earliest time asked for. */
class DelayQueue {
  private readonly due = new Map<string, number>();
  constructor(private readonly proc: { now(): number; after(ms: number, fn: () => void): void }) {}
  add(key: string, delay: number, fn: () => void): void {
    const at = this.proc.now() + delay;
    const have = this.due.get(key);
    if (have !== undefined && have <= at) return;
    this.due.set(key, at);
    this.proc.after(delay, () => {
      if (this.due.get(key) !== at) return;
      this.due.delete(key);
      fn();
    });
  }
}

export class KyvernoReportsController extends KyvernoProcess {
  private readonly front = new DelayQueue({ now: () => this.io.clock.now(), after: (ms, fn) => this.after(ms, () => this.running && fn()) });
  private readonly back = new DelayQueue({ now: () => this.io.clock.now(), after: (ms, fn) => this.after(ms, () => this.running && fn()) });
  private readonly scans = new DelayQueue({ now: () => this.io.clock.now(), after: (ms, fn) => this.after(ms, () => this.running && fn()) });
  /** The resource controller's watches, by storage key, and the hashes of the objects they see, by uid. */
  private readonly watchers = new Map<string, { type: ResourceType; stop: () => void }>();
  private readonly hashes = new Map<string, Tracked>();
  private interval = 3_600_000;
  private events: EventSink | undefined;

  protected run(): void {
    const now = this.io.clock.now();
    const client = this.connect(now);
    if (!client) return;
    this.log(klogText(now, "I", "main.go:296", "starting ...", { version: "v1.14.5" }));
    this.listen(Number(this.flag("metricsPort", "8000")), (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "# HELP kyverno_info Kyverno version information\n# TYPE kyverno_info gauge\n" } : { status: 404, body: "404 page not found\n" }));
    try {
      this.interval = parseDuration(this.flag("backgroundScanInterval", "1h"));
    } catch {
      this.logErr(klogText(now, "E", "main.go:230", "invalid background scan interval", { value: this.flag("backgroundScanInterval") }));
    }
    this.events = this.eventSink("kyverno-scan");
    const aggregate = this.flag("aggregateReports", "true") !== "false";
    const background = this.flag("backgroundScan", "true") !== "false";
    if (aggregate) {
      for (const key of [EPHEMERAL_REPORTS, CLUSTER_EPHEMERAL_REPORTS]) this.watchKey(key, (ev) => this.front.add(`${ev.object.metadata.namespace ?? ""}/${ev.object.metadata.name}`, ENQUEUE_DELAY_AGGREGATE, () => this.frontReconcile(ev.object.metadata.namespace ?? "", ev.object.metadata.name ?? "")));
    }
    for (const key of [CLUSTER_POLICIES, POLICIES]) {
      this.watchKey(key, (ev) => {
        if (ev.type === "MODIFIED" && ev.old?.metadata.resourceVersion === ev.object.metadata.resourceVersion) return;
        if (aggregate) this.enqueueAllReports();
        if (background) {
          this.enqueueAllResources();
          this.after(0, () => this.running && this.updateWatchers());
        }
      });
    }
    if (background) this.updateWatchers();
  }

  /** The Events the scan writes, through ./events.ts, as this process's client. */
  private eventSink(source: string): EventSink | undefined {
    return { client: () => this.client, now: () => this.io.clock.now(), source, hostname: this.pod.metadata?.name ?? "", omit: new Set(this.flag("omitEvents", "").split(",").filter(Boolean)) };
  }

  private watchKey(key: string, fn: (ev: WatchEvent) => void): void {
    try {
      this.unwatch.push(this.client!.watch(key, fn));
    } catch (e) {
      this.logErr(klogText(this.io.clock.now(), "E", "reflector.go:158", "Unhandled Error", { err: (e as Error).message }));
    }
  }

  private list(key: string, opts: { namespace?: string; labelSelector?: (l: Record<string, string>) => boolean } = {}): KObject[] {
    try {
      return this.client!.list(key, opts);
    } catch {
      return [];
    }
  }

  private policies(): Policy[] {
    return [...this.list(CLUSTER_POLICIES), ...this.list(POLICIES)] as unknown as Policy[];
  }

  // ---- the aggregate controller ----

  private enqueueAllReports(): void {
    for (const key of [POLICY_REPORTS, CLUSTER_POLICY_REPORTS]) {
      for (const r of this.list(key, { labelSelector: (l) => l[LABEL_MANAGED_BY] === "kyverno" })) {
        const ns = r.metadata.namespace ?? "";
        const name = r.metadata.name ?? "";
        this.back.add(`${ns}/${name}`, ENQUEUE_DELAY_AGGREGATE, () => this.backReconcile(ns, name));
      }
    }
  }

  private ephemeralKey = (ns: string) => (ns ? EPHEMERAL_REPORTS : CLUSTER_EPHEMERAL_REPORTS);

  private frontReconcile(ns: string, name: string): void {
    const client = this.client!;
    const report = client.get(this.ephemeralKey(ns), ns || undefined, name) as unknown as Report | undefined;
    if (!report) return;
    const owners = report.metadata.ownerReferences ?? [];
    if (owners.length) {
      const uid = owners[0]!.uid;
      this.back.add(`${ns}/${uid}`, 0, () => this.backReconcile(ns, uid));
      return;
    }
    const labels = report.metadata.labels ?? {};
    const ann = report.metadata.annotations ?? {};
    const gvr = gvrOf(labels);
    const type = serverOf(client).registry.resources().find((r) => r.group === gvr.group && r.version === gvr.version && r.plural === gvr.resource);
    let resource: KObject | undefined;
    try {
      resource = type ? client.get(type.key, ann[ANNOTATION_RESOURCE_NAMESPACE] || undefined, ann[ANNOTATION_RESOURCE_NAME] ?? "") : undefined;
    } catch (e) {
      if (e instanceof ApiError && e.reason === "Forbidden") return this.deleteReport(this.ephemeralKey(ns), ns, name);
      return;
    }
    if (resource && type) {
      const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
      const uid = resource.metadata.uid ?? "";
      try {
        client.update({ ...(report as unknown as KObject), metadata: { ...(report.metadata as KObject["metadata"]), labels: { ...labels, [LABEL_RESOURCE_UID]: uid }, ownerReferences: [{ apiVersion, kind: type.kind, name: resource.metadata.name ?? "", uid }] } } as KObject);
      } catch {
        /* retried on the report's next event */
      }
      return;
    }
    const created = Date.parse(report.metadata.creationTimestamp ?? "");
    if (Number.isFinite(created) && created + DELETION_GRACE < this.io.clock.now()) return this.deleteReport(this.ephemeralKey(ns), ns, name);
    this.front.add(`${ns}/${name}`, ENQUEUE_DELAY_AGGREGATE, () => this.frontReconcile(ns, name));
  }

  private deleteReport(key: string, ns: string, name: string): void {
    try {
      this.client!.delete(key, ns || undefined, name);
    } catch {
      /* already gone */
    }
  }

  private backReconcile(ns: string, uid: string): void {
    const client = this.client!;
    const reportKey = ns ? POLICY_REPORTS : CLUSTER_POLICY_REPORTS;
    const report = client.get(reportKey, ns || undefined, uid) as unknown as Report | undefined;
    const ephemerals = (this.list(this.ephemeralKey(ns), { ...(ns ? { namespace: ns } : {}), labelSelector: (l) => l[LABEL_RESOURCE_UID] === uid }) as unknown as Report[]).filter((r) => (r.metadata.ownerReferences ?? []).length > 0);
    const merged = mergeResults(policyRuleMap(this.policies()), uid, [report?.results ?? [], ...ephemerals.map((e) => e.spec?.results ?? [])]);
    try {
      if (merged.length === 0) {
        if (report) client.delete(reportKey, ns || undefined, uid);
      } else if (!report) {
        const owner = ephemerals[0]!.metadata.ownerReferences![0]!;
        client.create(policyReport(ns, owner, merged) as unknown as KObject);
      } else {
        const next = policyReport(ns, { apiVersion: "", kind: "", name: "", uid }, merged);
        if (JSON.stringify(report.results ?? []) !== JSON.stringify(merged)) client.update({ ...(report as unknown as KObject), results: next.results, summary: next.summary } as KObject);
      }
    } catch (e) {
      this.logErr(klogText(this.io.clock.now(), "E", "controller.go:246", "failed to aggregate reports", { namespace: ns, name: uid, err: (e as Error).message }));
      return;
    }
    for (const e of ephemerals) this.deleteReport(this.ephemeralKey(ns), ns, e.metadata.name);
  }

  // ---- the resource controller ----

  /** updateDynamicWatchers: the kinds the validate rules match, each watched once. */
  private updateWatchers(): void {
    const client = this.client!;
    const registry = serverOf(client).registry;
    const want = new Map<string, ResourceType>();
    for (const p of this.policies()) {
      for (const rule of computeRules(p)) {
        if (!hasValidate(rule)) continue;
        const m = rule.match ?? {};
        const kinds = [...(m.resources?.kinds ?? []), ...(m.any ?? []).flatMap((f) => f.resources?.kinds ?? []), ...(m.all ?? []).flatMap((f) => f.resources?.kinds ?? [])];
        for (const sel of kinds) {
          const [group, version, kind, sub] = parseKindSelector(sel);
          if (sub || kind === "*") continue;
          for (const r of registry.resources()) {
            if (r.kind !== kind || !r.storable || (group !== "*" && r.group !== group) || (version !== "*" ? r.version !== version : !r.preferred)) continue;
            want.set(r.key, r);
          }
        }
      }
    }
    for (const [key, w] of this.watchers) {
      if (want.has(key)) continue;
      w.stop();
      this.watchers.delete(key);
      for (const [uid, t] of this.hashes) if (t.type.key === key) this.hashes.delete(uid);
    }
    for (const [key, type] of [...want].sort(([a], [b]) => a.localeCompare(b))) {
      if (this.watchers.has(key)) continue;
      let objs: KObject[];
      try {
        objs = client.list(key);
      } catch (e) {
        this.logErr(klogText(this.io.clock.now(), "E", "controller.go:193", "failed to list resources", { gvr: `${type.group}/${type.version}, Resource=${type.plural}`, err: (e as Error).message }));
        continue;
      }
      let stop: () => void;
      try {
        stop = client.watch(key, (ev) => this.onResource(type, ev));
      } catch {
        continue;
      }
      this.watchers.set(key, { type, stop });
      this.unwatch.push(stop);
      for (const o of objs) this.track(type, o);
    }
  }

  private track(type: ResourceType, o: KObject): void {
    const uid = o.metadata.uid ?? "";
    const hash = resourceHash(o as unknown as Obj);
    const have = this.hashes.get(uid);
    this.hashes.set(uid, { hash, namespace: o.metadata.namespace ?? "", name: o.metadata.name ?? "", type });
    if (have && have.hash === hash) return;
    const ns = o.metadata.namespace ?? "";
    this.scans.add(`${ns}/${uid}`, ENQUEUE_DELAY_SCAN, () => this.scan(uid));
  }

  private onResource(type: ResourceType, ev: WatchEvent): void {
    if (!this.running) return;
    if (ev.type === "DELETED") {
      this.hashes.delete(ev.object.metadata.uid ?? "");
      return;
    }
    this.track(type, ev.object);
  }

  private enqueueAllResources(): void {
    for (const [uid, t] of this.hashes) this.scans.add(`${t.namespace}/${uid}`, 0, () => this.scan(uid));
  }

  // ---- the background scan ----

  private scan(uid: string): void {
    const t = this.hashes.get(uid);
    if (!t) return;
    const client = this.client!;
    const policies = this.policies()
      .filter((p) => p.spec.background !== false && (p.kind !== "Policy" || p.metadata.namespace === t.namespace))
      .sort((a, b) => (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") || a.metadata.name.localeCompare(b.metadata.name));
    let target: KObject | undefined;
    let nsObj: KObject | undefined;
    try {
      target = client.get(t.type.key, t.namespace || undefined, t.name);
      nsObj = t.namespace ? client.get("Namespace", undefined, t.namespace) : undefined;
    } catch (e) {
      this.logErr(klogText(this.io.clock.now(), "E", "controller.go:407", "failed to get resource", { namespace: t.namespace, name: t.name, err: (e as Error).message }));
      return;
    }
    if (!target || target.metadata.uid !== uid) return;
    const object = target as unknown as Obj;
    const responses: EngineResponse[] = [];
    for (const p of policies) {
      const r = validatePolicy(p, {
        uid: "",
        operation: "CREATE",
        gvk: { group: t.type.group, version: t.type.version, kind: t.type.kind },
        subresource: "",
        namespace: t.namespace,
        name: t.name,
        object,
        oldObject: null,
        namespaceLabels: (nsObj?.metadata.labels ?? {}) as Record<string, string>,
      });
      if (r.rules.length) responses.push(r);
    }
    const now = this.io.clock.now();
    const report = backgroundReport({ resource: object, gvkr: { group: t.type.group, version: t.type.version, kind: t.type.kind, resource: t.type.plural }, policies, responses, nowMs: now });
    if (report) {
      try {
        client.create(report as unknown as KObject);
      } catch (e) {
        this.logErr(klogText(now, "E", "controller.go:545", "failed to create report", { err: (e as Error).message }));
      }
    }
    if (this.events) scanEvents(this.events, responses, object, { group: t.type.group, version: t.type.version, kind: t.type.kind });
    this.scans.add(`${t.namespace}/${uid}`, this.interval, () => this.scan(uid));
  }
}

export const launchReports = (argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess => new KyvernoReportsController(l, flagValues(argv.slice(1)), l.pod, ctx.api);
