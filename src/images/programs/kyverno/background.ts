/**
 * `reg.kyverno.io/kyverno/background-controller` (cmd/background-controller, pkg/background at
 * v1.14.5): it watches the UpdateRequests the admission controller creates in its namespace and
 * carries out their generate rules (pkg/background/generate):
 *
 * - the target's namespace and name are the rule's, variables substituted with the trigger as
 *   `request.object`;
 * - `clone`: the source is read, labelled `generate.kyverno.io/clone-source: ""`, and copied
 *   (its uid, resourceVersion, creationTimestamp and managed fields dropped; owner references too
 *   across namespaces) with `generate.kyverno.io/source-{group,version,kind,namespace,uid}`;
 *   `data`: the rule's object;
 * - the copy carries `app.kubernetes.io/managed-by: kyverno`, `generate.kyverno.io/policy-name`,
 *   `policy-namespace`, `rule-name` and `generate.kyverno.io/trigger-{version,group,kind,namespace,uid}`
 *   (common.ManageLabels); it is created, or updated when `synchronize` is set and it differs;
 * - the UpdateRequest's status goes Completed (with `generatedResources`) and the request is
 *   deleted (update_request_controller.go reconcileURStatus), or Failed with the error, retried.
 *
 * It writes as its service account: a Secret needs the quick start's aggregated ClusterRoles
 * (`rbac.kyverno.io/aggregate-to-background-controller`), else the UpdateRequest fails with the
 * API server's 403, and a PolicyError Event on the policy says so (NewBackgroundFailedEvent, source
 * `kyverno-generate`, ./events.ts).
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { KObject } from "../../../api/types.ts";
import { ApiError } from "../../../api/errors.ts";
import { serverOf } from "../../../api/authorization/filter.ts";
import type { ProgramContext } from "../../launch.ts";
import { parseRequestPath } from "../server.ts";
import { KyvernoProcess } from "./process.ts";
import { flagValues } from "../certmanager/common.ts";
import { CLUSTER_POLICIES, klogText, POLICIES, UPDATE_REQUESTS } from "./common.ts";
import { backgroundFailedEvent, emit, type EventSink } from "./events.ts";
import { computeRules, requestContext, substitute, substituteAll, type Obj, type Policy, type Rule } from "./policy.ts";
import { generateReport, resourceInfo } from "./reports.ts";

const isMap = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

interface UpdateRequest {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { policy: string; rule: string; requestType: string; synchronize?: boolean; deleteDownstream?: boolean; resource: { apiVersion: string; kind: string; namespace: string; name: string; uid: string }; context?: { admissionRequestInfo?: { admissionRequest?: { object?: Obj; oldObject?: Obj; operation?: string; namespace?: string; name?: string; userInfo?: unknown } } } };
  status?: { state?: string; message?: string; generatedResources?: Obj[]; retryCount?: number };
}

export class KyvernoBackgroundController extends KyvernoProcess {
  private sink: EventSink | undefined;

  /** The event generator (`--omitEvents`), source kyverno-generate. */
  private events(): EventSink {
    this.sink ??= { client: () => this.client, now: () => this.io.clock.now(), source: "kyverno-generate", hostname: this.pod.metadata?.name ?? "", omit: new Set(this.flag("omitEvents", "").split(",").filter(Boolean)) };
    return this.sink;
  }

  protected run(): void {
    const now = this.io.clock.now();
    const client = this.connect(now);
    if (!client) return;
    this.log(klogText(now, "I", "main.go:229", "starting ...", { version: "v1.14.5" }));
    this.listen(Number(this.flag("metricsPort", "8000")), (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "" } : { status: 404, body: "404 page not found\n" }));
    try {
      this.unwatch.push(client.watch(UPDATE_REQUESTS, () => this.schedule(() => this.processAll())));
    } catch (e) {
      this.logErr(klogText(now, "E", "reflector.go:158", "Unhandled Error", { err: (e as Error).message }));
    }
    this.schedule(() => this.processAll());
  }


  private processAll(): void {
    let urs: UpdateRequest[];
    try {
      urs = (this.client!.list(UPDATE_REQUESTS, { namespace: this.ns }) as unknown as UpdateRequest[]).filter((u) => u.spec?.requestType === "generate");
    } catch {
      return;
    }
    urs.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const ur of urs) {
      const state = ur.status?.state ?? "";
      if (state === "Completed" || state === "Skip") continue;
      if (state === "Failed" && (ur.status?.retryCount ?? 0) >= 3) continue;
      this.process(ur);
    }
  }

  private policy(key: string): Policy | undefined {
    const slash = key.indexOf("/");
    try {
      return (slash >= 0 ? this.client!.get(POLICIES, key.slice(0, slash), key.slice(slash + 1)) : this.client!.get(CLUSTER_POLICIES, undefined, key)) as unknown as Policy | undefined;
    } catch {
      return undefined;
    }
  }

  private process(ur: UpdateRequest): void {
    const now = this.io.clock.now();
    const policy = this.policy(ur.spec.policy);
    const rule = policy ? computeRules(policy).find((r) => r.name === ur.spec.rule) : undefined;
    if (!policy || !rule?.generate) return this.finish(ur, "Skip", `policy ${ur.spec.policy} or rule ${ur.spec.rule} not found`, []);
    const trigger = ur.spec.context?.admissionRequestInfo?.admissionRequest?.object;
    if (ur.spec.deleteDownstream) return this.finish(ur, "Completed", "", []);
    const result = this.generate(policy, rule, ur, isMap(trigger) ? trigger : {});
    if (result instanceof Error) {
      this.logErr(klogText(now, "E", "controller.go:204", "failed to process generate rule", { policy: ur.spec.policy, rule: ur.spec.rule, err: result.message }));
      emit(this.events(), [backgroundFailedEvent(policy, rule.name, { kind: ur.spec.resource.kind, namespace: ur.spec.resource.namespace, name: ur.spec.resource.name }, result.message)]);
      return this.finish(ur, "Failed", result.message, [], (ur.status?.retryCount ?? 0) + 1);
    }
    this.report(policy, rule, ur, result);
    this.finish(ur, "Completed", "", result);
  }

  /**
   * createReports (pkg/background/generate/controller.go, `--enableReporting` with generate): the
   * rule's result on the trigger, read back from the API server, with the `generated-resources`
   * it made (BuildGenerateReport); the reports controller merges it into the trigger's PolicyReport.
   */
  private report(policy: Policy, rule: Rule, ur: UpdateRequest, generated: Obj[]): void {
    if (!this.reportsEnabled("generate")) return;
    const t = ur.spec.resource;
    const [group, version] = t.apiVersion.includes("/") ? t.apiVersion.split("/") : ["", t.apiVersion];
    if (t.kind === "Event" && (group === "" || group === "events.k8s.io")) return;
    const client = this.client!;
    const type = serverOf(client).registry.forGVK(t.apiVersion, t.kind);
    let trigger: KObject | undefined;
    try {
      trigger = type ? client.get(type.key, t.namespace || undefined, t.name) : undefined;
    } catch {
      trigger = undefined;
    }
    if (!trigger) return;
    const info = generated.map((g) => resourceInfo({ apiVersion: String(g.apiVersion), kind: String(g.kind), name: String(g.name), namespace: g.namespace ? String(g.namespace) : undefined })).join("; ");
    const response = { policy, rules: [{ name: rule.name, type: "Generation" as const, status: "pass" as const, message: "", ...(info ? { properties: { "generated-resources": info } } : {}) }] };
    const report = generateReport({ resource: trigger as unknown as Obj, gvk: { group: group ?? "", version: version ?? "", kind: t.kind }, responses: [response], nowMs: this.io.clock.now() });
    if (!report) return;
    try {
      client.create(report as unknown as KObject);
    } catch (e) {
      this.logErr(klogText(this.io.clock.now(), "E", "controller.go:269", "failed to create report", { err: (e as Error).message }));
    }
  }

  private generate(policy: Policy, rule: Rule, ur: UpdateRequest, trigger: Obj): Obj[] | Error {
    const client = this.client!;
    const g = rule.generate!;
    const ctx = requestContext({ object: trigger, namespace: ur.spec.resource.namespace, name: ur.spec.resource.name, operation: ur.spec.context?.admissionRequestInfo?.admissionRequest?.operation ?? "CREATE" });
    const name = substitute(g.name ?? "", ctx);
    const namespace = substitute(g.namespace ?? "", ctx);
    if (name instanceof Error) return name;
    if (namespace instanceof Error) return namespace;
    const apiVersion = g.apiVersion ?? "v1";
    const kind = g.kind ?? "";
    const r = serverOf(client).registry.forGVK(apiVersion, kind);
    if (!r) return new Error(`failed to get resource kind ${apiVersion}/${kind}: the server could not find the requested resource`);
    const key = r.key;
    let body: Obj;
    if (g.clone && (g.clone.name || g.clone.namespace)) {
      const src = client.get(key, g.clone.namespace || undefined, g.clone.name ?? "");
      if (!src) return new Error(`source resource ${apiVersion}/${kind}/${namespace}/${name} not found: ${kind.toLowerCase()}s "${g.clone.name}" not found`);
      if ((src.metadata.labels ?? {})["generate.kyverno.io/clone-source"] === undefined) {
        try {
          client.update({ ...src, metadata: { ...src.metadata, labels: { ...(src.metadata.labels ?? {}), "generate.kyverno.io/clone-source": "" } } } as KObject);
        } catch (e) {
          this.logErr(klogText(this.io.clock.now(), "E", "clone.go:39", "failed to add labels to the source", { kind, namespace: src.metadata.namespace ?? "", name: src.metadata.name ?? "", err: (e as Error).message }));
        }
      }
      const copy = structuredClone(src) as unknown as Obj & { metadata: Obj };
      const meta = copy.metadata as Obj;
      const labels: Record<string, string> = { ...((meta.labels as Record<string, string>) ?? {}), "generate.kyverno.io/clone-source": "" };
      labels["generate.kyverno.io/source-group"] = r.group;
      labels["generate.kyverno.io/source-version"] = r.version;
      labels["generate.kyverno.io/source-kind"] = kind;
      labels["generate.kyverno.io/source-namespace"] = (meta.namespace as string) ?? "";
      labels["generate.kyverno.io/source-uid"] = (meta.uid as string) ?? "";
      for (const k of ["uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink", "generation"]) delete meta[k];
      if (meta.namespace !== namespace) delete meta.ownerReferences;
      meta.labels = labels;
      body = copy;
    } else {
      const data = substituteAll(g.data ?? {}, ctx);
      if (data instanceof Error) return data;
      body = structuredClone(data) as Obj;
    }
    const meta = (isMap(body.metadata) ? body.metadata : (body.metadata = {})) as Obj;
    meta.name = name;
    if (namespace) meta.namespace = namespace;
    else delete meta.namespace;
    body.apiVersion = apiVersion;
    body.kind = kind;
    const tmeta = (trigger.metadata ?? {}) as { namespace?: string; uid?: string };
    const [tg, tv] = ur.spec.resource.apiVersion.includes("/") ? ur.spec.resource.apiVersion.split("/") : ["", ur.spec.resource.apiVersion];
    meta.labels = {
      ...((meta.labels as Record<string, string>) ?? {}),
      "app.kubernetes.io/managed-by": "kyverno",
      "generate.kyverno.io/policy-name": policy.metadata.name,
      "generate.kyverno.io/policy-namespace": policy.metadata.namespace ?? "",
      "generate.kyverno.io/rule-name": rule.name,
      "generate.kyverno.io/trigger-group": tg ?? "",
      "generate.kyverno.io/trigger-kind": ur.spec.resource.kind,
      "generate.kyverno.io/trigger-namespace": tmeta.namespace ?? ur.spec.resource.namespace,
      "generate.kyverno.io/trigger-uid": tmeta.uid ?? ur.spec.resource.uid,
      "generate.kyverno.io/trigger-version": tv ?? "",
    };
    const existing = client.get(key, namespace || undefined, name);
    try {
      if (!existing) client.create(body as unknown as KObject);
      else if (g.synchronize) client.update({ ...body, metadata: { ...existing.metadata, labels: meta.labels, ...(meta.annotations ? { annotations: meta.annotations } : {}) } } as unknown as KObject);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === "AlreadyExists")) return e as Error;
    }
    return [{ apiVersion, kind, name, namespace }];
  }

  private finish(ur: UpdateRequest, state: string, message: string, generated: Obj[], retryCount?: number): void {
    const client = this.client!;
    try {
      const cur = client.get(UPDATE_REQUESTS, ur.metadata.namespace, ur.metadata.name);
      if (!cur) return;
      const status: Obj = { state, ...(message ? { message } : {}), ...(generated.length ? { generatedResources: generated } : {}), ...(retryCount !== undefined ? { retryCount } : {}) };
      client.update({ ...cur, status } as KObject, { subresource: "status" });
      if (state === "Completed") client.delete(UPDATE_REQUESTS, ur.metadata.namespace, ur.metadata.name);
      else if (state === "Failed") this.after(10_000, () => this.schedule(() => this.processAll()));
    } catch (e) {
      this.logErr(klogText(this.io.clock.now(), "E", "update_request_controller.go:258", "failed to update UR status", { name: ur.metadata.name, err: (e as Error).message }));
    }
  }
}

export function launchBackground(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess {
  return new KyvernoBackgroundController(l, flagValues(argv.slice(1)), l.pod, ctx.api);
}
