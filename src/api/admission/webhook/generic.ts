/**
 * What the MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins of kube-apiserver v1.32
 * share (k8s.io/apiserver/pkg/admission/plugin/webhook):
 * - the hooks, configurations in name order and each one's webhooks in order
 *   (configuration/{mutating,validating}_webhook_manager.go: `sort.SliceStable(…ByName)`);
 * - generic/webhook.go ShouldCallHook: the namespaceSelector (predicates/namespace: a cluster-scoped
 *   object is never exempt, a Namespace is matched by its own labels), the objectSelector
 *   (predicates/object: the new object's labels or the old one's), the rules (predicates/rules:
 *   operation, group, version, resource with `*` and `res/sub`, scope), then the matchConditions
 *   (matchconditions/matcher.go, CEL: any false skips the hook; an error fails the request as
 *   `<resource> "<name>" is forbidden: …` under failurePolicy Fail and skips the hook under Ignore);
 *   the admission configuration kinds themselves are exempt (rules.IsExemptAdmissionConfigurationResource);
 * - request/admissionreview.go: the v1 AdmissionReview sent (its uid, kind, resource, name,
 *   namespace, operation, userInfo, object, oldObject, dryRun, options) and VerifyAdmissionResponse
 *   (`expected response.uid="…", got "…"`, `webhook returned response.patch but not response.patchType`, …);
 * - errors/statuserror.go ToStatusErr: `admission webhook "<name>" denied the request: <message>`
 *   with the answer's code (at least 400) and reason; util/webhook ErrCallingWebhook: `failed
 *   calling webhook "<name>": failed to call webhook: Post "https://<svc>.<ns>.svc:<port><path>?timeout=<n>s": <error>`.
 *
 * The POST itself goes over the cluster network, which the API layer does not reach: the cluster
 * sets the caller (`setWebhookCaller`, src/controllers/admissionwebhook/caller.ts). Without one
 * (an API server alone) webhooks are not called. Cheap when no configuration exists: one count
 * per write. Not done (docs/divergences.md): `url` client configs (no network outside the
 * cluster), matchPolicy Equivalent's other versions (the request's version only), DELETE and
 * CONNECT requests (the store runs admission for CREATE and UPDATE), audit annotations (no audit log).
 */
import { caBundleError } from "./cabundle.ts";
import { ApiError, newForbidden } from "../../errors.ts";
import { labelSelectorAsSelector, type LabelSelector } from "../../labels.ts";
import type { AdmissionAttributes, ApiServer, Operation } from "../../store.ts";
import type { KObject } from "../../types.ts";
import type { MutatingWebhook, ValidatingWebhook } from "../../types.gen.ts";
import { serverOf } from "../../authorization/filter.ts";
import { requestUserInfo } from "../../authorization/requester.ts";
import { compile, CostBudget, type Program } from "../../cel/compile.ts";
import { toCel } from "../../cel/value.ts";
import { declarations } from "../validatingadmissionpolicy/compiled.ts";
import { keyedRandom } from "../../../sim/random.ts";

/** An HTTPS POST of an AdmissionReview to a webhook's Service, as the cluster network carries it. */
export interface WebhookRequest {
  service: { namespace: string; name: string; port: number; path?: string };
  caBundle?: string;
  timeoutSeconds: number;
  /** The AdmissionReview, as JSON. */
  body: string;
}

/** What the POST gave: the HTTP answer, or the client's error (`dial tcp …: connect: connection refused`, `context deadline exceeded`). */
export type WebhookReply = { status: number; body: string } | { error: string };

/** Calls a webhook's service (the cluster network's side). */
export type WebhookCaller = (req: WebhookRequest) => WebhookReply;

/**
 * Where a server keeps its caller: a property of the server, not a module-wide WeakMap from server
 * to caller. V8's young-generation collections keep a WeakMap entry's value alive, and the caller
 * reaches the whole cluster: every scenario's cluster outlived its close until the next full
 * collection (issue #19 §5, docs/performance.md, branch suite18).
 */
const CALLER = Symbol("webhookCaller");

/** The cluster's way to reach webhooks (set once at its start). */
export function setWebhookCaller(api: ApiServer, caller: WebhookCaller): void {
  (api as unknown as Record<symbol, WebhookCaller>)[CALLER] = caller;
}

export function webhookCallerOf(api: ApiServer): WebhookCaller | undefined {
  return (serverOf(api) as unknown as Record<symbol, WebhookCaller | undefined>)[CALLER];
}

export type Webhook = MutatingWebhook | ValidatingWebhook;

/** One webhook of a configuration (webhook.WebhookAccessor): its uid is `<configuration>/<name>/<n>`. */
export interface HookAccessor {
  uid: string;
  configuration: string;
  hook: Webhook;
}

/** The webhooks of every configuration of a kind, configurations in name order. */
export function hooksOf(api: ApiServer, kind: "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration"): HookAccessor[] {
  const confs = api.list(kind).slice().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
  const out: HookAccessor[] = [];
  for (const conf of confs) {
    const seen = new Map<string, number>();
    for (const hook of (conf.webhooks ?? []) as Webhook[]) {
      const n = seen.get(hook.name) ?? 0;
      seen.set(hook.name, n + 1);
      out.push({ uid: `${conf.metadata.name}/${hook.name}/${n}`, configuration: conf.metadata.name!, hook });
    }
  }
  return out;
}

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === "*" || x === v);

type Rule = { operations?: string[]; apiGroups?: string[]; apiVersions?: string[]; resources?: string[]; scope?: string };

/** rules.Matcher: operation, group, version, resource (a subresource as resource/sub, stars for any) and scope. */
export function ruleMatches(rule: Rule, op: Operation, attrs: AdmissionAttributes): boolean {
  const r = attrs.resource;
  if (!has(rule.operations, op) || !has(rule.apiGroups, r.group) || !has(rule.apiVersions, r.version)) return false;
  const sub = attrs.subresource ?? "";
  const full = sub ? `${r.plural}/${sub}` : r.plural;
  const resOk = (rule.resources ?? []).some((x) => x === "*/*" || x === full || (x === "*" && !sub) || (sub && (x === `*/${sub}` || x === `${r.plural}/*`)));
  if (!resOk) return false;
  const scope = rule.scope ?? "*";
  if (scope === "*") return true;
  // A Namespace is cluster-scoped (its requests carry its own name as their namespace).
  return scope === "Namespaced" ? r.namespaced : !r.namespaced;
}

const emptySelector = (sel: LabelSelector | undefined) => !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && !sel.matchExpressions?.length);

function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (emptySelector(sel)) return true;
  return labelSelectorAsSelector(sel!).matches(labels ?? {});
}

/** rules.IsExemptAdmissionConfigurationResource: webhooks are never called for the admission configuration kinds. */
const EXEMPT = new Set(["validatingwebhookconfigurations", "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings", "mutatingadmissionpolicies", "mutatingadmissionpolicybindings"]);
export function isExempt(attrs: AdmissionAttributes): boolean {
  return attrs.resource.group === "admissionregistration.k8s.io" && EXEMPT.has(attrs.resource.plural);
}

/** The request as the hooks see it: the object, the old object, what was asked. */
export interface HookRequest {
  obj: KObject;
  old: KObject | undefined;
  op: Operation;
  attrs: AdmissionAttributes;
  /** The namespace of the request ("" for cluster-scoped objects; a Namespace's own name). */
  namespace: string;
}

export function hookRequest(obj: KObject, op: Operation, old: KObject | undefined, attrs: AdmissionAttributes): HookRequest {
  const namespace = attrs.resource.namespaced ? obj.metadata.namespace ?? "" : attrs.resource.plural === "namespaces" && attrs.resource.group === "" ? obj.metadata.name ?? "" : "";
  return { obj, old, op, attrs, namespace };
}

/** The object's name as errors give it: the request's name ("" for a generated name). */
const requestName = (req: HookRequest) => req.attrs.name;

const compiled = new WeakMap<object, Array<{ name: string; expression: string; program: Program | { error: string } }>>();

/** A webhook's matchConditions compiled once per stored (frozen) webhook: `object`, `oldObject`, `request`, `authorizer`. */
function matchConditions(hook: Webhook) {
  let c = compiled.get(hook);
  if (!c) {
    const names = declarations(false, true);
    c = (hook.matchConditions ?? []).map((m) => ({ name: m.name, expression: m.expression, program: compile(m.expression, { names, variables: [] }) }));
    compiled.set(hook, c);
  }
  return c;
}

/** celconfig.RuntimeCELCostBudgetMatchConditions. */
const MATCH_CONDITIONS_BUDGET = 1_000_000;

/**
 * matchconditions.matcher.Match: whether the hook's conditions hold, or the error that under
 * failurePolicy Fail refuses the request (a false condition wins over errors).
 */
export function matchConditionsResult(hook: Webhook, req: HookRequest, api: ApiServer): { matches: boolean } | { error: string } {
  const conds = matchConditions(hook);
  if (conds.length === 0) return { matches: true };
  const fail = (hook.failurePolicy ?? "Fail") === "Fail";
  const bindings = {
    object: toCel(req.obj),
    oldObject: toCel(req.old ?? null),
    request: toCel(admissionRequest(req, "")),
    namespaceObject: toCel(req.namespace && req.attrs.resource.namespaced ? api.get("Namespace", undefined, req.namespace) ?? null : null),
  };
  const budget = new CostBudget(MATCH_CONDITIONS_BUDGET);
  const errors: string[] = [];
  for (const c of conds) {
    if ("error" in c.program) {
      errors.push(`compilation failed: ${c.program.error}`);
      continue;
    }
    const r = c.program.evaluate(bindings, budget);
    if ("error" in r) errors.push(`expression '${c.expression}' resulted in error: ${r.error}`);
    else if (r.value === false) return { matches: false };
  }
  if (errors.length === 0) return { matches: true };
  if (!fail) return { matches: false };
  return { error: errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]` };
}

/**
 * generic.Webhook.ShouldCallHook: whether the request goes to the hook (selectors, rules, then
 * match conditions). Throws the Forbidden error of failing match conditions.
 */
export function shouldCallHook(api: ApiServer, h: HookAccessor, req: HookRequest): boolean {
  const hook = h.hook;
  // predicates/namespace: a cluster-scoped object other than a Namespace is never exempt.
  const nsSel = hook.namespaceSelector as LabelSelector | undefined;
  if (req.namespace !== "" && !emptySelector(nsSel)) {
    const isNamespace = req.attrs.resource.plural === "namespaces" && req.attrs.resource.group === "";
    const labels = isNamespace ? req.obj.metadata.labels : api.get("Namespace", undefined, req.namespace)?.metadata.labels;
    if (!selectorMatches(nsSel, labels ?? {})) return false;
  }
  // predicates/object: the new object's labels or, on UPDATE, the old one's.
  const objSel = hook.objectSelector as LabelSelector | undefined;
  if (!selectorMatches(objSel, req.obj.metadata?.labels) && !(req.old && selectorMatches(objSel, req.old.metadata?.labels))) return false;
  if (!(hook.rules ?? []).some((rule) => ruleMatches(rule, req.op, req.attrs))) return false;
  const m = matchConditionsResult(hook, req, api);
  if ("error" in m) {
    const r = req.attrs.resource;
    throw newForbidden({ plural: r.plural, group: r.group }, requestName(req), m.error);
  }
  return m.matches;
}

/** The AdmissionRequest of a v1 AdmissionReview (request/admissionreview.go CreateV1AdmissionReview). */
export function admissionRequest(req: HookRequest, uid: string, object: KObject = req.obj): Record<string, unknown> {
  const r = req.attrs.resource;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const gvr = { group: r.group, version: r.version, resource: r.plural };
  const sub = req.attrs.subresource ?? "";
  const optionsKind = req.op === "CREATE" ? "CreateOptions" : req.op === "UPDATE" ? "UpdateOptions" : "DeleteOptions";
  return {
    uid,
    kind: gvk,
    resource: gvr,
    ...(sub ? { subResource: sub } : {}),
    requestKind: gvk,
    requestResource: gvr,
    ...(sub ? { requestSubResource: sub } : {}),
    ...(req.attrs.name ? { name: req.attrs.name } : {}),
    ...(req.namespace ? { namespace: req.namespace } : {}),
    operation: req.op,
    // The requester: the user the request authenticated (and RBAC authorized) as, a controller's
    // service account, or the scenario's kubectl user (src/api/authorization/requester.ts).
    userInfo: requestUserInfo(),
    object,
    oldObject: req.old ?? null,
    dryRun: req.attrs.dryRun,
    options: { kind: optionsKind, apiVersion: "meta.k8s.io/v1", ...(req.attrs.dryRun ? { dryRun: ["All"] } : {}) },
  };
}

/** An AdmissionResponse as VerifyAdmissionResponse returns it. */
export interface AdmissionResponse {
  allowed: boolean;
  patch?: string;
  patchType?: string;
  result?: { code?: number; message?: string; reason?: string; status?: string };
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

/** util/webhook.ErrCallingWebhook: the call failed (failurePolicy decides). */
export class CallingWebhookError extends Error {
  constructor(
    readonly webhook: string,
    reason: string,
  ) {
    super(`failed calling webhook ${JSON.stringify(webhook)}: ${reason}`);
  }
}

/** The webhook's answer refused the request (ToStatusErr). */
export class WebhookRejection extends Error {
  constructor(readonly status: ApiError) {
    super(status.message);
  }
}

/** A Go json decode error's text for a body that is not JSON (the first offending character). */
function jsonParseError(body: string): string {
  const t = body.trimStart();
  if (t === "") return "unexpected end of JSON input";
  return `invalid character ${JSON.stringify(t[0]).replace(/^"|"$/g, "'")} looking for beginning of value`;
}

/** rest.Result.Into for a non-2xx answer whose body is no Status (client-go's newUnstructuredResponseError). */
function unexpectedStatus(status: number, body: string): string {
  switch (status) {
    case 400:
      return "the server rejected our request for an unknown reason";
    case 401:
      return "Unauthorized";
    case 403:
      return "the server does not allow access to the requested resource";
    case 404:
      return "the server could not find the requested resource";
    case 405:
      return "the server does not allow this method on the requested resource";
    case 500:
      return `an error on the server (${JSON.stringify(body.trim())}) has prevented the request from succeeding`;
    case 503:
      return "the server is currently unable to handle the request";
    default:
      return `the server responded with the status code ${status} but did not return more information`;
  }
}

/** The reviews sent for each request so far (a reinvoked webhook gets a second). */
const reviews = new WeakMap<AdmissionAttributes, number>();

/**
 * Posts the AdmissionReview of `req` to the hook and returns the verified response. Throws
 * CallingWebhookError (the call failed: failurePolicy decides) or, for a dry run the hook
 * does not support, the BadRequest ApiError.
 */
export function callHook(api: ApiServer, caller: WebhookCaller, h: HookAccessor, req: HookRequest, mutating: boolean, object: KObject = req.obj): AdmissionResponse {
  const hook = h.hook;
  if (req.attrs.dryRun && hook.sideEffects !== "None" && hook.sideEffects !== "NoneOnDryRun") {
    if (!hook.sideEffects) throw new CallingWebhookError(hook.name, "Webhook SideEffects is nil");
    // webhookerrors.NewDryRunUnsupportedErr.
    throw new ApiError("BadRequest", `admission webhook ${JSON.stringify(hook.name)} does not support dry run`);
  }
  const versions = hook.admissionReviewVersions ?? [];
  if (!versions.includes("v1") && !versions.includes("v1beta1")) throw new CallingWebhookError(hook.name, "could not create admission objects: webhook does not accept known AdmissionReview versions (v1, v1beta1)");
  const service = hook.clientConfig.service;
  if (!service) throw new CallingWebhookError(hook.name, "could not get REST client: the webhook's url is not reachable from the simulated API server");
  const caError = caBundleError(hook.clientConfig.caBundle);
  if (caError) throw new CallingWebhookError(hook.name, `could not get REST client: ${caError}`);
  const port = service.port ?? 443;
  const timeoutSeconds = hook.timeoutSeconds ?? 10;
  // uuid.NewUUID: keyed by the hook, the request and its count of reviews (never the scenario's seed).
  const n = (reviews.get(req.attrs) ?? 0) + 1;
  reviews.set(req.attrs, n);
  const uid = keyedRandom(`admissionreview:${h.uid}/${req.op}/${req.namespace}/${req.attrs.name || (req.obj.metadata.generateName ?? "")}/${api.clock.now()}/${n}`).uuid();
  const v1 = versions.find((v) => v === "v1" || v === "v1beta1") === "v1";
  const review = { kind: "AdmissionReview", apiVersion: v1 ? "admission.k8s.io/v1" : "admission.k8s.io/v1beta1", request: admissionRequest(req, uid, object) };
  const reply = caller({ service: { namespace: service.namespace, name: service.name, port, path: service.path }, caBundle: hook.clientConfig.caBundle, timeoutSeconds, body: JSON.stringify(review) });
  const url = `https://${service.name}.${service.namespace}.svc:${port}${service.path ?? ""}?timeout=${timeoutSeconds}s`;
  const callFailed = (e: string) => new CallingWebhookError(hook.name, `failed to call webhook: Post ${JSON.stringify(url)}: ${e}`);
  if ("error" in reply) throw callFailed(reply.error);
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    if (reply.status < 200 || reply.status > 299) throw new CallingWebhookError(hook.name, `failed to call webhook: ${unexpectedStatus(reply.status, reply.body)}`);
    throw new CallingWebhookError(hook.name, `failed to call webhook: couldn't get version/kind; json parse error: ${jsonParseError(reply.body)}`);
  }
  const o = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (reply.status < 200 || reply.status > 299) {
    // A Status body is the error; anything else is client-go's generic one.
    const message = o.kind === "Status" && typeof o.message === "string" ? o.message : unexpectedStatus(reply.status, reply.body);
    throw new CallingWebhookError(hook.name, `failed to call webhook: ${message}`);
  }
  return verifyAdmissionResponse(hook.name, uid, mutating, v1, o);
}

/** request.VerifyAdmissionResponse. */
export function verifyAdmissionResponse(webhook: string, uid: string, mutating: boolean, v1: boolean, review: Record<string, unknown>): AdmissionResponse {
  const invalid = (e: string) => new CallingWebhookError(webhook, `received invalid webhook response: ${e}`);
  const r = review.response as Record<string, unknown> | undefined | null;
  if (typeof r !== "object" || r === null) throw invalid("webhook response was absent");
  const result = typeof r.status === "object" && r.status !== null ? (r.status as AdmissionResponse["result"]) : undefined;
  const base = {
    allowed: r.allowed === true,
    ...(result ? { result } : {}),
    warnings: Array.isArray(r.warnings) ? r.warnings.filter((w): w is string => typeof w === "string") : [],
    auditAnnotations: (typeof r.auditAnnotations === "object" && r.auditAnnotations !== null ? r.auditAnnotations : {}) as Record<string, string>,
  };
  const patch = typeof r.patch === "string" && r.patch !== "" ? r.patch : undefined;
  const patchType = typeof r.patchType === "string" ? r.patchType : undefined;
  if (!v1) return { ...base, ...(mutating && patch ? { patch, patchType: "JSONPatch" } : {}) };
  const got = typeof r.uid === "string" ? r.uid : "";
  if (got !== uid) throw invalid(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(got)}`);
  const apiVersion = typeof review.apiVersion === "string" ? review.apiVersion : "";
  const kind = typeof review.kind === "string" ? review.kind : "";
  if (apiVersion !== "admission.k8s.io/v1" || kind !== "AdmissionReview") {
    // schema.GroupVersionKind.String(): `<group>/<version>, Kind=<kind>`.
    const [g, v] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["", apiVersion];
    throw invalid(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${g}/${v}, Kind=${kind}`);
  }
  if (mutating) {
    if (patch && r.patchType == null) throw invalid("webhook returned response.patch but not response.patchType");
    if (!patch && r.patchType != null) throw invalid("webhook returned response.patchType but not response.patch");
    if (patchType === "") throw invalid('webhook returned invalid response.patchType of ""');
    return { ...base, ...(patch ? { patch, patchType: patchType! } : {}) };
  }
  if (patch) throw invalid("validating webhook may not return response.patch");
  if (r.patchType != null) throw invalid("validating webhook may not return response.patchType");
  return base;
}

/** errors.ToStatusErr: the refusal of a webhook that answered not allowed. */
export function toStatusErr(webhook: string, result: AdmissionResponse["result"]): ApiError {
  const deniedBy = `admission webhook ${JSON.stringify(webhook)} denied the request`;
  const code = Math.max(result?.code ?? 0, 400);
  const message = result?.message ? `${deniedBy}: ${result.message}` : result?.reason ? `${deniedBy}: ${result.reason}` : `${deniedBy} without explanation`;
  return new ApiError((result?.reason ?? "") as ApiError["reason"], message, undefined, code);
}

/** warning.AddWarning: each text once per request. */
export function addWarnings(attrs: AdmissionAttributes, warnings: string[]): void {
  for (const w of warnings) if (attrs.warnings && !attrs.warnings.includes(w)) attrs.warnings.push(w);
}

/** `Internal error occurred: <err>` (apierrors.NewInternalError). */
export function internalError(message: string): ApiError {
  return new ApiError("InternalError", `Internal error occurred: ${message}`);
}
