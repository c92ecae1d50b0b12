/**
 * `reg.kyverno.io/kyverno/kyverno` (cmd/kyverno at v1.14.5), Kyverno's admission controller, as the
 * release manifest runs it (`--caSecretName=kyverno-svc.kyverno.svc.kyverno-tls-ca
 * --tlsSecretName=kyverno-svc.kyverno.svc.kyverno-tls-pair --servicePort=443
 * --webhookServerPort=9443 --autoUpdateWebhooks=true …`), a client of the API server as its service
 * account:
 *
 * - its certificates (pkg/tls renewer.go): the CA Secret (`*.kyverno.svc`, RSA 2048, a year) and the
 *   serving pair for `kyverno-svc.kyverno.svc` (150 days), both type kubernetes.io/tls labelled
 *   `cert.kyverno.io/managed-by: kyverno`, created when missing;
 * - HTTPS on 9443: `/health/liveness` and `/health/readiness` (the probes), the policy webhooks
 *   (`/policyvalidate`, `/policymutate`, `/verifymutate`, `/exceptionvalidate`,
 *   `/globalcontextvalidate`, `/celexception/validate`) and the resource webhooks (`/validate/fail`,
 *   `/validate/ignore`, `/mutate/fail`, `/mutate/ignore`); 8000 serves `/metrics`;
 * - its webhook controller (pkg/controllers/webhook): the configurations
 *   kyverno-policy-validating-webhook-cfg, kyverno-policy-mutating-webhook-cfg,
 *   kyverno-verify-mutating-webhook-cfg, kyverno-exception-validating-webhook-cfg,
 *   kyverno-cel-exception-validating-webhook-cfg, kyverno-global-context-validating-webhook-cfg and
 *   the resource ones, kyverno-resource-validating-webhook-cfg and
 *   kyverno-resource-mutating-webhook-cfg, whose rules it rebuilds from the policies' kinds
 *   (autoUpdateWebhooks) with the ConfigMap's namespaceSelector; then each policy's status (the Ready
 *   condition, `autogen.rules`, `rulecount`);
 * - the resource webhooks run ./engine.ts: a failed Enforce rule denies the request with Kyverno's
 *   message, mutate rules answer with a JSON patch, generate rules create an UpdateRequest the
 *   background controller (./background.ts) carries out.
 *
 * - the policy webhook refuses a generate rule the background controller may not carry out and
 *   warns of kinds the reports controller may not read (./authcheck.ts, SubjectAccessReviews);
 * - an allowed request's validate results become an EphemeralReport (./reports.ts) the reports
 *   controller aggregates; failures become PolicyViolation Events (./events.ts, source
 *   `kyverno-admission`), "(blocked)" on the policy when an Enforce rule refuses the request.
 *
 * Not modelled (docs/divergences.md): leader election and the kyverno-health Lease, metrics'
 * content, certificate renewal, ValidatingPolicy/ImageValidatingPolicy, policy exceptions, cleanup
 * policies, mutate and generate reports.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import { ApiError } from "../../../api/errors.ts";
import { serverOf } from "../../../api/authorization/filter.ts";
import type { ProgramContext } from "../../launch.ts";
import { parseRequestPath, type HttpAnswer } from "../server.ts";
import { KyvernoProcess } from "./process.ts";
import { b64, flagValues, rfc3339 } from "../certmanager/common.ts";
import { canonical, CLUSTER_POLICIES, ensureCertificates, genericValidatingConfiguration, klogText, POLICIES } from "./common.ts";
import { blockedMessage, blocks, mutate, validatePolicy, type EngineResponse, type Request } from "./engine.ts";
import { jsonPatchDiff } from "./mutate.ts";
import { admissionReport } from "./reports.ts";
import { admissionEvents, emit, type EventSink } from "./events.ts";
import { checkPolicyPermissions, clientChecker, type AccessChecker } from "./authcheck.ts";
import { ALL_AUTHENTICATED, serviceAccountGroups, serviceAccountUsername } from "../../../api/authorization/user.ts";
import {
  computeRules,
  failurePolicyOf,
  filtered,
  hasGenerate,
  hasMutateExisting,
  hasMutateStandard,
  hasValidate,
  hasVerifyImages,
  kindsOf,
  parseKindSelector,
  parseResourceFilters,
  ruleMatches,
  unsupported,
  type Filter,
  type Obj,
  type Policy,
  type Rule,
} from "./policy.ts";


const isMap = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What the ConfigMap `kyverno` says (pkg/config): the resource filters, the webhooks' namespaceSelector, excluded groups, annotations. */
export interface Configuration {
  filters: Filter[];
  namespaceSelector?: Obj;
  objectSelector?: Obj;
  excludeGroups: string[];
  webhookAnnotations?: Record<string, string>;
  webhookLabels?: Record<string, string>;
}

export function readConfiguration(cm: KObject | undefined): Configuration {
  const data = (cm?.data ?? {}) as Record<string, string>;
  const cfg: Configuration = { filters: parseResourceFilters(data.resourceFilters ?? ""), excludeGroups: (data.excludeGroups ?? "").split(",").map((s) => s.trim()).filter(Boolean) };
  try {
    const wh = data.webhooks ? (JSON.parse(data.webhooks) as { namespaceSelector?: Obj; objectSelector?: Obj }) : undefined;
    if (wh?.namespaceSelector) cfg.namespaceSelector = stripNull(wh.namespaceSelector);
    if (wh?.objectSelector) cfg.objectSelector = stripNull(wh.objectSelector);
  } catch {
    /* an unreadable `webhooks` is ignored, as the configuration's loader logs and drops it */
  }
  try {
    if (data.webhookAnnotations) cfg.webhookAnnotations = JSON.parse(data.webhookAnnotations) as Record<string, string>;
    if (data.webhookLabels) cfg.webhookLabels = JSON.parse(data.webhookLabels) as Record<string, string>;
  } catch {
    /* likewise */
  }
  return cfg;
}

/** JSON's nulls (`"matchLabels":null`) are absent fields once Go decodes them. */
function stripNull(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (v !== null) out[k] = isMap(v) ? stripNull(v) : v;
  return out;
}

type Op = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
const ALL_OPS: Op[] = ["CREATE", "UPDATE", "DELETE", "CONNECT"];
const CREATE_UPDATE: Op[] = ["CREATE", "UPDATE"];

interface RuleEntry {
  group: string;
  version: string;
  resource: string;
  scope: "Namespaced" | "Cluster" | "*";
  op: Op;
}

/** The admission webhook (pkg/controllers/webhook utils_webhook.go): its rule entries, then its rules. */
export class WebhookRules {
  readonly entries = new Map<string, RuleEntry>();
  set(e: Omit<RuleEntry, "op">, ops: Op[]): void {
    for (const op of ops) this.entries.set(`${e.group}|${e.version}|${e.resource}|${e.scope}|${op}`, { ...e, op });
  }
  get empty(): boolean {
    return this.entries.size === 0;
  }
  /** buildRulesWithOperations: grouped by group, version and scope, then by the set of operations. */
  build(): Obj[] {
    const byGVS = new Map<string, { group: string; version: string; scope: string; resources: Map<string, Set<Op>> }>();
    for (const e of this.entries.values()) {
      const k = `${e.group}|${e.version}|${e.scope}`;
      let g = byGVS.get(k);
      if (!g) byGVS.set(k, (g = { group: e.group, version: e.version, scope: e.scope, resources: new Map() }));
      let ops = g.resources.get(e.resource);
      if (!ops) g.resources.set(e.resource, (ops = new Set()));
      ops.add(e.op);
    }
    const out: Array<{ apiGroups: string[]; apiVersions: string[]; resources: string[]; operations: Op[]; scope: string }> = [];
    for (const g of byGVS.values()) {
      const byOps = new Map<string, { ops: Op[]; resources: Set<string> }>();
      for (const [res, ops] of g.resources) {
        const list = ALL_OPS.filter((o) => ops.has(o));
        const key = list.join(",");
        let b = byOps.get(key);
        if (!b) byOps.set(key, (b = { ops: list, resources: new Set() }));
        b.resources.add(res);
      }
      for (const b of byOps.values()) {
        if ((g.group === "" || g.group === "*") && (g.version === "v1" || g.version === "*") && (b.resources.has("pods") || b.resources.has("*"))) b.resources.add("pods/ephemeralcontainers");
        out.push({ apiGroups: [g.group], apiVersions: [g.version], resources: [...b.resources].sort(), operations: [...b.ops].sort(), scope: g.scope });
      }
    }
    const cmpList = (a: string[], b: string[]) => (a.length !== b.length ? a.length - b.length : a.join("\u0000") < b.join("\u0000") ? -1 : a.join("\u0000") > b.join("\u0000") ? 1 : 0);
    out.sort((a, b) => cmpList(a.apiGroups, b.apiGroups) || cmpList(a.apiVersions, b.apiVersions) || cmpList(a.resources, b.resources) || cmpList(a.operations, b.operations) || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
    return out.map((r) => ({ apiGroups: r.apiGroups, apiVersions: r.apiVersions, operations: r.operations, resources: r.resources, scope: r.scope }));
  }
}

export class KyvernoAdmissionController extends KyvernoProcess {
  private caPEM: string | undefined;
  private config: Configuration = { filters: [], excludeGroups: [] };
  private readonly svc: string;
  private sink: EventSink | undefined;

  /** The event generator (`--omitEvents`), source kyverno-admission. */
  private events(): EventSink {
    this.sink ??= { client: () => this.client, now: () => this.io.clock.now(), source: "kyverno-admission", hostname: this.pod.metadata?.name ?? "", omit: new Set(this.flag("omitEvents", "").split(",").filter(Boolean)) };
    return this.sink;
  }

  constructor(l: ContainerLaunch, flags: Map<string, string[]>, pod: Pod, api: ApiServer | undefined) {
    super(l, flags, pod, api);
    this.svc = l.io.env.KYVERNO_SVC || "kyverno-svc";
  }

  protected run(): void {
    const now = this.io.clock.now();
    if (!this.connect(now)) return;
    this.log(klogText(now, "I", "main.go:449", "starting ...", { version: "v1.14.5" }));
    this.config = readConfiguration(this.get("ConfigMap", this.ns, this.io.env.INIT_CONFIG || "kyverno"));
    const err = this.ensureCertificates();
    if (err) {
      this.logErr(klogText(now, "E", "controller.go:99", "failed to validate certs", { err }));
      this.after(5000, () => this.retry());
      return;
    }
    this.serve();
  }

  private retry(): void {
    if (!this.running) return;
    const err = this.ensureCertificates();
    if (err) return this.after(5000, () => this.retry());
    this.serve();
  }

  private serve(): void {
    const port = Number(this.flag("webhookServerPort", "9443"));
    this.listen(port, (req) => this.handle9443(parseRequestPath(req.path).path, req.body), 0, true);
    this.listen(Number(this.flag("metricsPort", "8000")), (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "# HELP kyverno_info Kyverno version information\n# TYPE kyverno_info gauge\n" } : { status: 404, body: "404 page not found\n" }));
    for (const key of [CLUSTER_POLICIES, POLICIES, "ConfigMap", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]) {
      try {
        this.unwatch.push(this.client!.watch(key, (ev) => this.onChange(key, ev.object as KObject)));
      } catch (e) {
        this.logErr(klogText(this.io.clock.now(), "E", "reflector.go:158", "Unhandled Error", { err: (e as Error).message }));
      }
    }
    this.schedule(() => this.reconcile());
  }

  private onChange(key: string, obj: KObject | undefined): void {
    if (key === "ConfigMap") {
      if (obj?.metadata?.namespace !== this.ns || obj.metadata.name !== (this.io.env.INIT_CONFIG || "kyverno")) return;
      this.config = readConfiguration(this.get("ConfigMap", this.ns, obj.metadata.name));
    }
    if ((key === "ValidatingWebhookConfiguration" || key === "MutatingWebhookConfiguration") && !(obj?.metadata?.labels ?? {})["webhook.kyverno.io/managed-by"]) return;
    this.schedule(() => this.reconcile());
  }

  private get(kind: string, ns: string | undefined, name: string): KObject | undefined {
    try {
      return this.client?.get(kind, ns, name);
    } catch {
      return undefined;
    }
  }

  private ensureCertificates(): string | undefined {
    const r = ensureCertificates(this.client!, this.ns, this.svc, this.flag("caSecretName", `${this.svc}.${this.ns}.svc.kyverno-tls-ca`), this.flag("tlsSecretName", `${this.svc}.${this.ns}.svc.kyverno-tls-pair`), this.io.clock.now());
    if (r instanceof Error) return r.message;
    this.caPEM = r;
    return undefined;
  }

  // ---- the webhook controller ----

  private policies(): Policy[] {
    const out: Policy[] = [];
    for (const key of [CLUSTER_POLICIES, POLICIES]) {
      try {
        out.push(...(this.client!.list(key) as unknown as Policy[]));
      } catch {
        /* the CRD is not there (yet): no policies of that kind */
      }
    }
    return out;
  }

  private clientConfig(path: string): Obj {
    return { caBundle: b64(this.caPEM ?? ""), service: { name: this.svc, namespace: this.ns, path, port: Number(this.flag("servicePort", "443")) } };
  }

  private meta(name: string): Obj {
    const labels = { ...(this.config.webhookLabels ?? {}), "webhook.kyverno.io/managed-by": "kyverno" };
    return { name, labels, ...(this.config.webhookAnnotations ? { annotations: this.config.webhookAnnotations } : {}) };
  }

  /** mergeWebhook: the resources a policy's rules need the webhook for. */
  private mergeWebhook(dst: WebhookRules, policy: Policy, validating: boolean): { ready: boolean; timeout?: number } {
    let ready = true;
    const matched = new Map<string, Set<Op>>();
    const add = (kind: string, ops: Op[]) => {
      let s = matched.get(kind);
      if (!s) matched.set(kind, (s = new Set()));
      for (const o of ops) s.add(o);
    };
    for (const rule of computeRules(policy)) {
      if (hasGenerate(rule)) {
        collect(rule, ALL_OPS, add);
        const g = rule.generate!;
        if (g.kind) add(g.kind, ["CREATE", "UPDATE", "DELETE"]);
      } else if ((validating && (hasValidate(rule) || hasMutateExisting(rule))) || (!validating && (hasMutateStandard(rule) || hasVerifyImages(rule)))) {
        collect(rule, validating ? ALL_OPS : CREATE_UPDATE, add);
      }
    }
    const registry = serverOf(this.client!).registry;
    for (const [kindSel, ops] of matched) {
      const [group, version, kind, sub] = parseKindSelector(kindSel);
      const policyScope = policy.kind === "Policy" ? "Namespaced" : "*";
      if (kind === "*") {
        dst.set({ group, version, resource: sub ? `*/${sub}` : "*", scope: policyScope }, [...ops]);
        continue;
      }
      const found = registry.resources().filter((r) => r.kind === kind && (group === "*" || r.group === group) && (version === "*" || r.version === version) && (version !== "*" || r.preferred));
      if (found.length === 0) {
        ready = false;
        this.logErr(klogText(this.io.clock.now(), "E", "controller.go:1352", "unable to find resource", { group, version, kind, subresource: sub }));
        continue;
      }
      for (const r of found) {
        const resource = sub ? `${r.plural}/${sub}` : r.plural;
        dst.set({ group: r.group, version: r.version, resource, scope: r.namespaced ? "Namespaced" : "*" }, [...ops]);
      }
    }
    return { ready, ...(policy.spec.webhookTimeoutSeconds !== undefined ? { timeout: policy.spec.webhookTimeoutSeconds } : {}) };
  }

  private resourceWebhooks(validating: boolean): { webhooks: Obj[]; ready: Set<string> } {
    const ignore = new WebhookRules();
    const fail = new WebhookRules();
    let ignoreTimeout = 10;
    let failTimeout = 10;
    const ready = new Set<string>();
    for (const p of this.policies()) {
      const key = policyKey(p);
      if (p.spec.admission === false) {
        ready.add(key);
        continue;
      }
      const rules = p.spec.rules ?? [];
      const relevant = validating ? rules.some((r) => hasValidate(r) || hasGenerate(r) || hasMutateExisting(r)) : rules.some((r) => hasMutateStandard(r) || hasVerifyImages(r));
      let ok = false;
      if (relevant) {
        const isIgnore = failurePolicyOf(p) === "Ignore";
        const r = this.mergeWebhook(isIgnore ? ignore : fail, p, validating);
        ok = r.ready;
        if (r.timeout !== undefined) {
          if (isIgnore) ignoreTimeout = Math.max(ignoreTimeout, r.timeout);
          else failTimeout = Math.max(failTimeout, r.timeout);
        }
      }
      if (ok) ready.add(key);
    }
    const base = validating ? "validate.kyverno.svc" : "mutate.kyverno.svc";
    const path = validating ? "/validate" : "/mutate";
    const webhooks: Obj[] = [];
    for (const [w, suffix, fp, timeout] of [
      [ignore, "ignore", "Ignore", ignoreTimeout],
      [fail, "fail", "Fail", failTimeout],
    ] as const) {
      if (w.empty) continue;
      const hook: Obj = {
        admissionReviewVersions: ["v1"],
        clientConfig: this.clientConfig(`${path}/${suffix}`),
        failurePolicy: fp,
        matchPolicy: "Equivalent",
        name: `${base}-${suffix}`,
        ...(this.config.namespaceSelector ? { namespaceSelector: this.config.namespaceSelector } : {}),
        objectSelector: this.config.objectSelector ?? {},
        ...(validating ? {} : { reinvocationPolicy: "IfNeeded" }),
        rules: w.build(),
        sideEffects: "NoneOnDryRun",
        timeoutSeconds: Math.min(timeout, 30),
      };
      webhooks.push(hook);
    }
    return { webhooks, ready };
  }

  private desired(): { vwcs: Obj[]; mwcs: Obj[]; validatingReady: Set<string>; mutatingReady: Set<string> } {
    const policyValidating = {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: this.meta("kyverno-policy-validating-webhook-cfg"),
      webhooks: [
        {
          admissionReviewVersions: ["v1"],
          clientConfig: this.clientConfig("/policyvalidate"),
          failurePolicy: "Fail",
          matchPolicy: "Equivalent",
          name: "validate-policy.kyverno.svc",
          rules: [
            { apiGroups: ["kyverno.io"], apiVersions: ["v1", "v2beta1"], operations: CREATE_UPDATE, resources: ["clusterpolicies", "policies"] },
            { apiGroups: ["policies.kyverno.io"], apiVersions: ["v1alpha1"], operations: CREATE_UPDATE, resources: ["validatingpolicies"] },
            { apiGroups: ["policies.kyverno.io"], apiVersions: ["v1alpha1"], operations: CREATE_UPDATE, resources: ["imagevalidatingpolicies"] },
          ],
          sideEffects: "None",
          timeoutSeconds: 10,
        },
      ],
    };
    const generic = (name: string, path: string, group: string, versions: string[], resource: string) =>
      genericValidatingConfiguration({ name, svc: this.svc, ns: this.ns, path, port: Number(this.flag("servicePort", "443")), caPEM: this.caPEM ?? "", rules: [{ apiGroups: [group], apiVersions: versions, operations: CREATE_UPDATE, resources: [resource] }], failurePolicy: "Fail", ...(this.config.webhookAnnotations ? { annotations: this.config.webhookAnnotations } : {}), ...(this.config.webhookLabels ? { labels: this.config.webhookLabels } : {}) }) as unknown as Obj;
    const rv = this.resourceWebhooks(true);
    const rm = this.resourceWebhooks(false);
    const vwcs = [
      policyValidating,
      generic("kyverno-exception-validating-webhook-cfg", "/exceptionvalidate", "kyverno.io", ["v2alpha1", "v2beta1"], "policyexceptions"),
      generic("kyverno-cel-exception-validating-webhook-cfg", "/celexception/validate", "policies.kyverno.io", ["v1alpha1"], "policyexceptions"),
      generic("kyverno-global-context-validating-webhook-cfg", "/globalcontextvalidate", "kyverno.io", ["v2alpha1"], "globalcontextentries"),
      { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: this.meta("kyverno-resource-validating-webhook-cfg"), webhooks: rv.webhooks },
    ];
    const mwcs = [
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: this.meta("kyverno-policy-mutating-webhook-cfg"),
        webhooks: [{ admissionReviewVersions: ["v1"], clientConfig: this.clientConfig("/policymutate"), failurePolicy: "Fail", matchPolicy: "Equivalent", name: "mutate-policy.kyverno.svc", reinvocationPolicy: "IfNeeded", rules: [{ apiGroups: ["kyverno.io"], apiVersions: ["v1", "v2beta1"], operations: CREATE_UPDATE, resources: ["clusterpolicies", "policies"] }], sideEffects: "NoneOnDryRun", timeoutSeconds: 10 }],
      },
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: this.meta("kyverno-verify-mutating-webhook-cfg"),
        webhooks: [{ admissionReviewVersions: ["v1"], clientConfig: this.clientConfig("/verifymutate"), failurePolicy: "Ignore", matchPolicy: "Equivalent", name: "monitor-webhooks.kyverno.svc", objectSelector: { matchLabels: { "app.kubernetes.io/name": "kyverno" } }, reinvocationPolicy: "IfNeeded", rules: [{ apiGroups: ["coordination.k8s.io"], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["leases"] }], sideEffects: "NoneOnDryRun", timeoutSeconds: 10 }],
      },
      { apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", metadata: this.meta("kyverno-resource-mutating-webhook-cfg"), webhooks: rm.webhooks },
    ];
    return { vwcs, mwcs, validatingReady: rv.ready, mutatingReady: rm.ready };
  }

  /** What this process last wrote of each configuration: a configuration is written again only when that changes or it is gone. */
  private readonly written = new Map<string, string>();

  private reconcile(): void {
    const client = this.client!;
    const want = this.desired();
    for (const obj of [...want.vwcs, ...want.mwcs]) {
      const kind = obj.kind as string;
      const name = (obj.metadata as { name: string }).name;
      const have = this.get(kind, undefined, name);
      const text = canonical(obj);
      if (have && this.written.get(`${kind}/${name}`) === text) continue;
      try {
        if (!have) client.create(obj as unknown as KObject);
        else {
          const m = obj.metadata as { labels: Record<string, string>; annotations?: Record<string, string> };
          client.update({ ...have, metadata: { ...have.metadata, labels: m.labels, ...(m.annotations ? { annotations: { ...(have.metadata.annotations ?? {}), ...m.annotations } } : {}) }, webhooks: obj.webhooks } as unknown as KObject);
        }
        this.written.set(`${kind}/${name}`, text);
      } catch (e) {
        this.logErr(klogText(this.io.clock.now(), "E", "controller.go:533", "failed to reconcile webhook configuration", { name, err: (e as Error).message }));
      }
    }
    this.updateStatuses(want.validatingReady, want.mutatingReady);
  }

  /** updatePolicyStatuses, for both resource configurations. */
  private updateStatuses(validatingReady: Set<string>, mutatingReady: Set<string>): void {
    const now = this.io.clock.now();
    for (const p of this.policies()) {
      const rules = p.spec.rules ?? [];
      const mut = rules.some((r) => hasMutateStandard(r) || hasVerifyImages(r));
      const val = rules.some((r) => hasValidate(r) || hasGenerate(r) || hasMutateExisting(r));
      if (!mut && !val) continue;
      const key = policyKey(p);
      // The validating pass runs after the mutating one: a policy with both ends with the validating state.
      const ready = val ? validatingReady.has(key) : mutatingReady.has(key);
      const status = structuredClone((p.status ?? {}) as Obj);
      const conds = ((status.conditions as Obj[] | undefined) ?? []).filter((c) => c.type !== "Ready");
      const prev = ((status.conditions as Obj[] | undefined) ?? []).find((c) => c.type === "Ready");
      const cstatus = ready ? "True" : "False";
      const cond: Obj = {
        lastTransitionTime: prev && prev.status === cstatus ? prev.lastTransitionTime : rfc3339(now),
        message: ready ? "Ready" : "Not Ready",
        reason: ready ? "Succeeded" : "Failed",
        status: cstatus,
        type: "Ready",
      };
      const idx = ((status.conditions as Obj[] | undefined) ?? []).findIndex((c) => c.type === "Ready");
      if (idx >= 0) conds.splice(idx, 0, cond);
      else conds.push(cond);
      const all = computeRules(p);
      const autogen = all.filter((r) => r.name.startsWith("autogen-"));
      const next: Obj = {
        autogen: autogen.length ? { rules: autogen.map(ruleForStatus) } : {},
        conditions: conds,
        rulecount: countRules(all),
        validatingadmissionpolicy: (status.validatingadmissionpolicy as Obj | undefined) ?? { generated: false, message: "" },
      };
      if (canonical(status) === canonical(next)) continue;
      try {
        this.client!.update({ ...(p as unknown as KObject), status: next } as KObject, { subresource: "status" });
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === "Conflict")) this.logErr(klogText(now, "E", "controller.go:641", "failed to update clusterpolicy status", { policy: p.metadata.name, err: (e as Error).message }));
        else this.schedule(() => this.reconcile());
      }
    }
  }

  // ---- the webhook server ----

  private handle9443(path: string, body: string | undefined): HttpAnswer {
    if (path === "/health/liveness" || path === "/health/readiness") return { status: 200, body: "" };
    let review: { request?: AdmissionRequest };
    try {
      review = JSON.parse(body ?? "") as { request?: AdmissionRequest };
    } catch {
      return { status: 400, body: "failed to decode request body\n" };
    }
    const req = review.request;
    if (!req) return { status: 400, body: "admission review request is empty\n" };
    let response: Obj;
    switch (path) {
      case "/policyvalidate":
        response = this.validatePolicyRequest(req);
        break;
      case "/policymutate":
      case "/verifymutate":
      case "/exceptionvalidate":
      case "/celexception/validate":
      case "/globalcontextvalidate":
        response = { uid: req.uid, allowed: true };
        break;
      case "/validate/fail":
      case "/validate/ignore":
        response = this.validateResource(req, path.endsWith("/fail") ? "Fail" : "Ignore");
        break;
      case "/mutate/fail":
      case "/mutate/ignore":
        response = this.mutateResource(req, path.endsWith("/fail") ? "Fail" : "Ignore");
        break;
      default:
        return { status: 404, body: "404 page not found\n" };
    }
    return { status: 200, body: JSON.stringify({ kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response }) };
  }

  /** The SubjectAccessReviews of the policy checks, created as this process's service account. */
  private permissionChecker(): AccessChecker | undefined {
    if (!this.client) return undefined;
    const ns = this.pod.metadata?.namespace ?? "default";
    const sa = this.pod.spec?.serviceAccountName || "default";
    return clientChecker(this.client, { name: serviceAccountUsername(ns, sa), groups: [...serviceAccountGroups(ns), ALL_AUTHENTICATED] });
  }

  /** The service accounts the checks ask about: `--backgroundServiceAccountName`, `--reportsServiceAccountName` and its own (config.KyvernoServiceAccountName). */
  private serviceAccounts(): { admission: string; background: string; reports: string } {
    return { admission: `system:serviceaccount:${this.ns}:${this.io.env.KYVERNO_SERVICEACCOUNT_NAME || "kyverno"}`, background: this.flag("backgroundServiceAccountName"), reports: this.flag("reportsServiceAccountName") };
  }

  /** pkg/webhooks/policy Validate: the model refuses what it does not evaluate. */
  private validatePolicyRequest(req: AdmissionRequest): Obj {
    const policy = req.object as unknown as Policy | undefined;
    if (!policy || (policy.kind !== "ClusterPolicy" && policy.kind !== "Policy")) return { uid: req.uid, allowed: true };
    const warnings: string[] = [];
    const spec = policy.spec ?? {};
    const deprecated = (a: string | undefined) => a === "enforce" || a === "audit";
    if (deprecated(spec.validationFailureAction) || (spec.rules ?? []).some((r) => deprecated(r.validate?.failureAction))) warnings.push("Validation failure actions enforce/audit are deprecated, use Enforce/Audit instead.");
    const names = new Set<string>();
    for (const [i, r] of (spec.rules ?? []).entries()) {
      if (names.has(r.name)) return deny(req.uid, `path: spec.rules[${i}]: duplicate rule name: '${r.name}'`);
      names.add(r.name);
      const types = [hasValidate(r), hasMutate(r), hasGenerate(r), hasVerifyImages(r)].filter(Boolean).length;
      if (types !== 1) return deny(req.uid, `path: spec.rules[${i}]: ${types === 0 ? "no operation defined in the rule '" + r.name + "'.(supported operations: mutate, validate, generate, verifyImages)" : "multiple operations defined in the rule '" + r.name + "', only one operation (mutate,validate,generate,verifyImages) is allowed per rule"}`);
      if (hasGenerate(r) && kindsOf(r.match).includes(r.generate!.kind ?? "")) return deny(req.uid, "generation kind and match resource kind should not be the same");
    }
    const perms = this.permissionChecker();
    if (perms) {
      try {
        const r = checkPolicyPermissions(perms, policy, this.serviceAccounts());
        if (r.error) return deny(req.uid, r.error);
        warnings.push(...r.warnings);
      } catch (e) {
        return deny(req.uid, (e as Error).message);
      }
    }
    const unsup = unsupported(policy);
    if (unsup.length) return deny(req.uid, `kube-scenario's Kyverno model does not evaluate ${unsup.join(", ")} (docs/divergences.md); refusing the policy rather than letting it pass unchecked`);
    return { uid: req.uid, allowed: true, ...(warnings.length ? { warnings } : {}) };
  }

  private engineRequest(req: AdmissionRequest): Request {
    const ns = req.namespace ?? "";
    const nsObj = ns && req.kind?.kind !== "Namespace" ? this.get("Namespace", undefined, ns) : undefined;
    return {
      uid: req.uid,
      operation: req.operation as Op,
      gvk: { group: req.kind?.group ?? "", version: req.kind?.version ?? "", kind: req.kind?.kind ?? "" },
      subresource: req.subResource ?? "",
      namespace: ns,
      name: req.name ?? "",
      object: isMap(req.object) ? req.object : null,
      oldObject: isMap(req.oldObject) ? req.oldObject : null,
      userInfo: req.userInfo,
      namespaceLabels: (nsObj?.metadata?.labels ?? {}) as Record<string, string>,
      dryRun: req.dryRun === true,
    };
  }

  /** Whether the ConfigMap's resource filters or excluded groups take the request out of processing. */
  private excluded(req: AdmissionRequest): boolean {
    const groups = req.userInfo?.groups ?? [];
    if (this.config.excludeGroups.some((g) => groups.includes(g))) return true;
    return filtered(this.config.filters, req.kind?.kind ?? "", req.subResource ?? "", req.namespace ?? "", req.name ?? "");
  }

  private policiesFor(failurePolicy: "Fail" | "Ignore"): Policy[] {
    return this.policies()
      .filter((p) => p.spec.admission !== false && failurePolicyOf(p) === failurePolicy)
      .sort((a, b) => policyKey(a).localeCompare(policyKey(b)));
  }

  /** resourceHandlers.Validate. */
  private validateResource(req: AdmissionRequest, failurePolicy: "Fail" | "Ignore"): Obj {
    if (this.excluded(req)) return { uid: req.uid, allowed: true };
    const er = this.engineRequest(req);
    const policies = this.policiesFor(failurePolicy);
    const responses: EngineResponse[] = [];
    for (const p of policies) {
      if (!(p.spec.rules ?? []).some(hasValidate)) continue;
      const r = validatePolicy(p, er);
      if (r.rules.length) responses.push(r);
    }
    const enforce = responses.filter((r) => r.rules.some((x) => x.action === "Enforce"));
    if (blocks(enforce, failurePolicy)) {
      const resource = { kind: er.gvk.kind, namespace: er.namespace, name: er.name || String(((er.object?.metadata ?? {}) as Obj).generateName ?? "") };
      if (er.object) emit(this.events(), admissionEvents(enforce, er.object, er.gvk, true));
      return deny(req.uid, blockedMessage(enforce, resource));
    }
    if (er.object && !er.dryRun) {
      const object = er.object;
      this.after(0, () => this.running && emit(this.events(), admissionEvents(responses, object, er.gvk, false)));
    }
    if (!er.dryRun) this.handleGenerate(policies, er, req);
    if (this.needsReports(req, er)) this.after(0, () => this.createReport(req, er, responses));
    return { uid: req.uid, allowed: true };
  }

  /** needsReports (pkg/webhooks/resource/validation/utils.go): `--admissionReports`, validate reports enabled, no dry run, no DELETE, not an Event, a resource with a uid. */
  private needsReports(req: AdmissionRequest, er: Request): boolean {
    if (this.flag("admissionReports", "true") === "false" || !this.reportsEnabled("validate")) return false;
    if (er.dryRun || er.operation === "DELETE" || !er.object) return false;
    if (er.gvk.kind === "Event" && (er.gvk.group === "" || er.gvk.group === "events.k8s.io")) return false;
    return !!((er.object.metadata ?? {}) as { uid?: string }).uid;
  }

  /**
   * The mutation handler's needsReports (pkg/webhooks/resource/mutation/utils.go): `--admissionReports`,
   * mutate reports enabled, no dry run, no DELETE, not an Event. Unlike validation it does not ask
   * for a uid: a CREATE's report names the resource without one, and the reports controller adopts
   * it by name once the resource is stored (or deletes it if it never is).
   */
  private needsMutateReports(er: Request): boolean {
    if (this.flag("admissionReports", "true") === "false" || !this.reportsEnabled("mutate")) return false;
    if (er.dryRun || er.operation === "DELETE" || !er.object) return false;
    return !(er.gvk.kind === "Event" && (er.gvk.group === "" || er.gvk.group === "events.k8s.io"));
  }

  /** createReports (BuildAdmissionReport, BuildMutationReport): an EphemeralReport of the request's results, which the reports controller aggregates. */
  private createReport(req: AdmissionRequest, er: Request, responses: EngineResponse[]): void {
    if (!this.running) return;
    const report = admissionReport({ requestUid: req.uid, resource: er.object!, gvkr: { ...er.gvk, resource: req.resource?.resource ?? "" }, responses, nowMs: this.io.clock.now() });
    if (!report) return;
    try {
      this.client!.create(report as unknown as KObject);
    } catch (e) {
      this.logErr(klogText(this.io.clock.now(), "E", "validation.go:178", "failed to create report", { err: (e as Error).message }));
    }
  }

  /** resourceHandlers.Mutate. */
  private mutateResource(req: AdmissionRequest, failurePolicy: "Fail" | "Ignore"): Obj {
    if (this.excluded(req)) return { uid: req.uid, allowed: true };
    const er = this.engineRequest(req);
    const policies = this.policiesFor(failurePolicy).filter((p) => (p.spec.rules ?? []).some(hasMutateStandard));
    if (!policies.length || !er.object) return { uid: req.uid, allowed: true };
    const { object, responses } = mutate(policies, er);
    const failed = responses.flatMap((r) => r.rules.filter((x) => x.status === "error").map((x) => `${r.policy.metadata.name}/${x.name}: ${x.message}`));
    if (failed.length && failurePolicy === "Fail") return deny(req.uid, `mutation policy ${failed.join(", ")} error`);
    // mutationHandler.applyMutations: the results are reported (asynchronously) whether or not anything changed.
    if (this.needsMutateReports(er)) this.after(0, () => this.createReport(req, { ...er, object }, responses));
    const patch = jsonPatchDiff(er.object, object);
    if (!patch.length) return { uid: req.uid, allowed: true };
    return { uid: req.uid, allowed: true, patch: b64(JSON.stringify(patch)), patchType: "JSONPatch" };
  }

  /** handleGenerate: an UpdateRequest for each generate rule the request triggers. */
  private handleGenerate(policies: Policy[], req: Request, raw: AdmissionRequest): void {
    if (req.operation === "CONNECT") return;
    for (const p of policies) {
      for (const rule of computeRules(p)) {
        if (!hasGenerate(rule)) continue;
        const resource = req.operation === "DELETE" ? req.oldObject : req.object;
        if (!resource) continue;
        if (ruleMatches(rule, p, { resource, gvk: req.gvk, subresource: req.subresource, operation: req.operation, namespaceLabels: req.namespaceLabels })) continue;
        this.createUpdateRequest(p, rule, req, resource, raw);
      }
    }
  }

  private createUpdateRequest(p: Policy, rule: Rule, req: Request, resource: Obj, raw: AdmissionRequest): void {
    const meta = (resource.metadata ?? {}) as { name?: string; namespace?: string; uid?: string };
    const apiVersion = req.gvk.group ? `${req.gvk.group}/${req.gvk.version}` : req.gvk.version;
    const ur = {
      apiVersion: "kyverno.io/v2",
      kind: "UpdateRequest",
      metadata: { generateName: "ur-", namespace: this.ns, labels: { "generate.kyverno.io/policy-name": p.metadata.name } },
      spec: {
        context: { admissionRequestInfo: { admissionRequest: withoutNulls(raw), operation: req.operation }, userInfo: { userInfo: req.userInfo ?? {} } },
        deleteDownstream: req.operation === "DELETE",
        policy: p.kind === "Policy" ? `${p.metadata.namespace}/${p.metadata.name}` : p.metadata.name,
        requestType: "generate",
        resource: { apiVersion, kind: req.gvk.kind, name: meta.name ?? req.name, namespace: meta.namespace ?? "", uid: meta.uid ?? "" },
        rule: rule.name,
        synchronize: rule.generate?.synchronize === true,
      },
    };
    try {
      this.client!.create(ur as unknown as KObject);
    } catch (e) {
      this.logErr(klogText(this.io.clock.now(), "E", "updaterequest.go:117", "failed to create update request", { err: (e as Error).message }));
    }
  }
}

function collect(rule: Rule, defaultOps: Op[], add: (kind: string, ops: Op[]) => void): void {
  const m = rule.match ?? {};
  const filters = [...(m.resources ? [m.resources] : []), ...(m.all ?? []).map((f) => f.resources ?? {}), ...(m.any ?? []).map((f) => f.resources ?? {})];
  for (const d of filters) for (const k of d.kinds ?? []) add(k, (d.operations as Op[] | undefined)?.length ? (d.operations as Op[]) : defaultOps);
}

/** The AdmissionRequest as the UpdateRequest keeps it: JSON's nulls are absent fields (omitempty). */
function withoutNulls(req: AdmissionRequest): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(req)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

const hasMutate = (r: Rule) => isMap(r.mutate) && Object.keys(r.mutate).length > 0;

export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  resource?: { group?: string; version?: string; resource?: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation?: string;
  userInfo?: { username?: string; groups?: string[] };
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

const policyKey = (p: Policy) => (p.metadata.namespace ? `${p.metadata.namespace}/${p.metadata.name}` : p.metadata.name);

function deny(uid: string, message: string): Obj {
  return { uid, allowed: false, status: { metadata: {}, status: "Failure", message } };
}

/** setRuleCount: the policy's own rules by type. */
function countRules(rules: Rule[]): Obj {
  let generate = 0;
  let mutateN = 0;
  let validate = 0;
  let verifyimages = 0;
  for (const r of rules) {
    if (r.name.startsWith("autogen-")) continue;
    if (hasGenerate(r)) generate++;
    if (hasValidate(r)) validate++;
    if (hasMutate(r)) mutateN++;
    if (hasVerifyImages(r)) verifyimages++;
  }
  return { generate, mutate: mutateN, validate, verifyimages };
}

/** A rule as the status holds it (kyvernov1.Rule's JSON: match, then the rule's action, `exclude` when set). */
function ruleForStatus(r: Rule): Obj {
  return JSON.parse(JSON.stringify(r)) as Obj;
}

export function launchKyverno(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess {
  return new KyvernoAdmissionController(l, flagValues(argv.slice(1)), l.pod, ctx.api);
}
