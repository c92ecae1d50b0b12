/**
 * The ValidatingAdmissionWebhook admission plugin of kube-apiserver v1.32
 * (k8s.io/apiserver/pkg/admission/plugin/webhook/validating, generic/webhook.go ShouldCallHook,
 * predicates/rules, errors/statuserror.go): every webhook of every ValidatingWebhookConfiguration
 * whose rules match the request (operation, API group, version, resource, scope), whose
 * namespaceSelector matches the object's namespace's labels and whose objectSelector matches the
 * object's labels is called. A webhook that cannot be called fails the request when its
 * failurePolicy is Fail (`Internal error occurred: failed calling webhook "<name>": failed to call
 * webhook: Post "https://<service>.<namespace>.svc:<port><path>?timeout=<n>s": <error>`) and is
 * skipped when it is Ignore; one that answers not allowed refuses it (`admission webhook "<name>"
 * denied the request: <message>`, the answer's code, 400 by default).
 *
 * The call itself goes over the cluster network, which the API layer does not reach: the cluster
 * sets the caller (`setWebhookCaller`, src/controllers/admissionwebhook/caller.ts). Without one
 * (an API server alone) webhooks are not called. Cheap when no configuration exists: one count
 * per write. Not done: matchConditions (CEL), `url` client configs (no network outside the
 * cluster), mutating webhooks, the AdmissionReview the webhook receives.
 */
import { ApiError } from "../errors.ts";
import { labelSelectorAsSelector, type LabelSelector } from "../labels.ts";
import type { AdmissionAttributes, AdmissionPlugin, ApiServer, Operation } from "../store.ts";
import type { KObject } from "../types.ts";
import type { ValidatingWebhook } from "../types.gen.ts";
import { serverOf } from "../authorization/filter.ts";

/** What calling a webhook's service gave: its answer, or the error of the POST. */
export type WebhookAnswer = { allowed: boolean; code?: number; message?: string } | { error: string };

/** Calls a webhook's service (the cluster network's side): the configuration's service reference, path and CA bundle. */
export type WebhookCaller = (hook: { service: { namespace: string; name: string; port: number; path?: string }; caBundle?: string; timeoutSeconds: number }) => WebhookAnswer;

const CALLERS = new WeakMap<object, WebhookCaller>();

/** The cluster's way to reach webhooks (set once at its start). */
export function setWebhookCaller(api: ApiServer, caller: WebhookCaller): void {
  CALLERS.set(api, caller);
}

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === "*" || x === v);

/** rules.Matcher: operation, group, version, resource (a subresource as resource/sub, stars for any) and scope. */
function ruleMatches(rule: { operations?: string[]; apiGroups?: string[]; apiVersions?: string[]; resources?: string[]; scope?: string }, op: Operation, attrs: AdmissionAttributes): boolean {
  const r = attrs.resource;
  if (!has(rule.operations, op) || !has(rule.apiGroups, r.group) || !has(rule.apiVersions, r.version)) return false;
  const sub = attrs.subresource ?? "";
  const full = sub ? `${r.plural}/${sub}` : r.plural;
  const resOk = (rule.resources ?? []).some((x) => x === "*/*" || x === full || (x === "*" && !sub) || (sub && (x === `*/${sub}` || x === `${r.plural}/*`)));
  if (!resOk) return false;
  const scope = rule.scope ?? "*";
  return scope === "*" || (scope === "Namespaced" ? r.namespaced : !r.namespaced);
}

function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return true;
  return labelSelectorAsSelector(sel).matches(labels ?? {});
}

export const validatingAdmissionWebhook: AdmissionPlugin = {
  name: "ValidatingAdmissionWebhook",
  validate(obj: KObject, op: Operation, old: KObject | undefined, api: ApiServer, attrs: AdmissionAttributes) {
    if (api.count("ValidatingWebhookConfiguration") === 0) return;
    const caller = CALLERS.get(serverOf(api));
    if (!caller) return;
    const ns = obj.metadata?.namespace;
    for (const conf of api.list("ValidatingWebhookConfiguration")) {
      for (const w of (conf.webhooks ?? []) as ValidatingWebhook[]) {
        if (!(w.rules ?? []).some((rule) => ruleMatches(rule, op, attrs))) continue;
        if (attrs.resource.namespaced && ns) {
          const nsLabels = api.get("Namespace", undefined, ns)?.metadata.labels;
          if (!selectorMatches(w.namespaceSelector as LabelSelector | undefined, nsLabels)) continue;
        }
        // object/matcher.go: the new object's labels or, on UPDATE, the old one's.
        const objSel = w.objectSelector as LabelSelector | undefined;
        if (!selectorMatches(objSel, obj.metadata?.labels) && !(old && selectorMatches(objSel, old.metadata?.labels))) continue;
        const service = w.clientConfig.service;
        if (!service) continue;
        const port = service.port ?? 443;
        const timeoutSeconds = w.timeoutSeconds ?? 10;
        const answer = caller({ service: { namespace: service.namespace, name: service.name, port, path: service.path }, caBundle: w.clientConfig.caBundle, timeoutSeconds });
        if ("error" in answer) {
          if ((w.failurePolicy ?? "Fail") === "Ignore") continue;
          const url = `https://${service.name}.${service.namespace}.svc:${port}${service.path ?? ""}?timeout=${timeoutSeconds}s`;
          throw new ApiError("InternalError", `Internal error occurred: failed calling webhook ${JSON.stringify(w.name)}: failed to call webhook: Post ${JSON.stringify(url)}: ${answer.error}`);
        }
        if (!answer.allowed) {
          const message = `admission webhook ${JSON.stringify(w.name)} denied the request${answer.message ? `: ${answer.message}` : " without explanation"}`;
          throw new ApiError(answer.code === 403 ? "Forbidden" : "BadRequest", message);
        }
      }
    }
  },
};
