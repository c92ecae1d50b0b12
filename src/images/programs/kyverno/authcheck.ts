/**
 * The policy webhook's permission checks (github.com/kyverno/kyverno at v1.14.5,
 * pkg/validation/policy/actions.go validateActions over pkg/policy/auth and pkg/auth): before a
 * policy is admitted, Kyverno asks the API server, one SubjectAccessReview per verb, whether the
 * controller that will act on a rule may:
 *
 * - generate: the background controller (`--backgroundServiceAccountName`) needs `get,create` on
 *   the generated kind in the rule's namespace (`get,create,update,delete` with `synchronize`), and,
 *   with `synchronize`, the admission controller itself `list,get`; a missing verb refuses the
 *   policy: `path: spec.rules[<i>].generate..: <user> requires permissions <verbs> for resource
 *   <apiVersion>/<Kind>[ in namespace <ns>]`;
 * - validate and generate: the reports controller (`--reportsServiceAccountName`) needs
 *   `get,list,watch` on the kinds the rule matches; a missing verb is a warning.
 *
 * The reviews are created as the admission controller's service account (which the release lets
 * create subjectaccessreviews); they carry the user only, no groups (checker.NewSubjectChecker with
 * nil groups).
 */
import type { ApiServer } from "../../../api/store.ts";
import { serverOf } from "../../../api/authorization/filter.ts";
import { checkAuthorized, storeReader } from "../../../api/authorization/rbac.ts";
import { requestAttributes } from "../../../api/authorization/filter.ts";
import { createSubjectAccessReview } from "../../../api/registry/authorization/reviews.ts";
import type { UserInfo } from "../../../api/authorization/user.ts";
import type { JSONObject } from "../../../api/types.ts";
import { computeRules, hasGenerate, hasValidate, kindsOf, type Policy } from "./policy.ts";

const VERSION = /^(v\d((alpha|beta)\d)?|\*)$/;

/** kubeutils.GetKindFromGVK: `[group/]version/Kind[.sub]` → apiVersion and kind. */
export function kindFromGVK(str: string): [string, string] {
  const parts = str.split("/");
  const sub = (s: string) => s.replace(".", "/");
  switch (parts.length) {
    case 1:
      return ["", sub(str)];
    case 2:
      if (parts[0] === "*" && parts[1] === "*") return ["", "*/*"];
      if (VERSION.test(parts[0]!)) return [parts[0]!, sub(parts[1]!)];
      return ["", `${parts[0]}/${parts[1]}`];
    case 3:
      if (VERSION.test(parts[0]!)) return [parts[0]!, `${parts[1]}/${parts[2]}`];
      return [`${parts[0]}/${parts[1]}`, sub(parts[2]!)];
    case 4:
      return [`${parts[0]}/${parts[1]}`, `${parts[2]}/${parts[3]}`];
    default:
      return ["", ""];
  }
}

/** auth.buildMessage. */
export function permissionMessage(gvk: string, subresource: string, failed: string[], user: string, namespace: string): string {
  const resource = subresource ? `${gvk}/${subresource}` : gvk;
  const msg = `${user} requires permissions ${failed.join(",")} for resource ${resource}`;
  return namespace ? `${msg} in namespace ${namespace}` : msg;
}

export interface AccessChecker {
  /** One SubjectAccessReview: may `user` do `verb` on the resource? */
  allowed(user: string, attrs: { group: string; version: string; resource: string; subresource: string; namespace: string; verb: string }): boolean;
  /** The discovery client's GetGVRFromGVK. */
  gvr(apiVersion: string, kind: string): { group: string; version: string; resource: string } | undefined;
}

/** The checker of a client: its reviews are created as `requester`, refused (an Error) when it may not. */
export function clientChecker(client: ApiServer, requester: UserInfo): AccessChecker {
  const api = serverOf(client);
  return {
    allowed(user, a) {
      checkAuthorized(storeReader(api), requestAttributes(api, requester, "create", "SubjectAccessReview", undefined, ""));
      const review = createSubjectAccessReview(api, { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec: { user, resourceAttributes: { ...a, name: "" } } } as unknown as JSONObject);
      return ((review.status ?? {}) as { allowed?: boolean }).allowed === true;
    },
    gvr(apiVersion, kind) {
      const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
      const r = api.registry.resources().find((x) => x.kind === kind && x.storable && (!apiVersion || (x.group === group && x.version === version)) && (apiVersion ? true : x.preferred));
      return r ? { group: r.group, version: r.version, resource: r.plural } : undefined;
    },
  };
}

/** Auth.CanI: the verbs `user` lacks, as buildMessage words it; an Error when the kind is unknown. */
export function canI(checker: AccessChecker, verbs: string[], gvk: string, namespace: string, subresource: string, user: string): { ok: boolean; msg: string } | Error {
  const [apiVersion, kind] = kindFromGVK(gvk);
  if (apiVersion.includes("/") && apiVersion.split("/").length > 2) return new Error(`failed to parse group/version ${apiVersion}`);
  const gvr = checker.gvr(apiVersion, kind);
  if (!gvr) return new Error(`failed to get GVR for kind ${gvk}`);
  const failed = verbs.filter((verb) => !checker.allowed(user, { ...gvr, subresource, namespace, verb }));
  return failed.length ? { ok: false, msg: permissionMessage(gvk, subresource, failed, user, namespace) } : { ok: true, msg: "" };
}

const hasVariable = (s: string) => /\{\{.*?\}\}/.test(s);
const hasWildcard = (s: string) => s.includes("*") || s.includes("?");

/** validateActions' permission checks for each (computed) rule: the error refusing the policy, and the warnings. */
export function checkPolicyPermissions(checker: AccessChecker, policy: Policy, sa: { admission: string; background: string; reports: string }): { error?: string; warnings: string[] } {
  const warnings: string[] = [];
  const reportsCheck = (kinds: string[]): string[] | Error => {
    if (!sa.reports) return [];
    for (const k of kinds) {
      if (hasWildcard(k)) return [];
      const r = canI(checker, ["get", "list", "watch"], k, "", "", sa.reports);
      if (r instanceof Error) return r;
      if (!r.ok) return [r.msg];
    }
    return [];
  };
  for (const [i, rule] of computeRules(policy).entries()) {
    if (hasValidate(rule)) {
      const w = reportsCheck(kindsOf(rule.match));
      if (w instanceof Error) return { error: `path: spec.rules[${i}].validate..: ${w.message}`, warnings };
      warnings.push(...w);
    }
    if (hasGenerate(rule)) {
      const g = rule.generate!;
      const kindSub = (g.kind ?? "").split("/");
      const gvk = `${g.apiVersion ?? ""}/${kindSub[0]}`;
      const generateCheck = (user: string, verbs: string[] | undefined): string | undefined => {
        if (hasVariable(gvk)) return undefined;
        const v = verbs ?? (g.synchronize ? ["get", "create", "update", "delete"] : ["get", "create"]);
        const r = canI(checker, v, gvk, g.namespace ?? "", kindSub[1] ?? "", user);
        if (r instanceof Error) return r.message;
        return r.ok ? undefined : r.msg;
      };
      // The reports controller's warnings of a generate rule are dropped: validateActions appends
      // them only when `warnings` (its own, nil for a generate rule) is already set.
      for (const [user, verbs] of [...(g.synchronize ? [[sa.admission, ["list", "get"]] as const] : []), [sa.background, undefined] as const]) {
        const err = generateCheck(user, verbs ? [...verbs] : undefined);
        if (err) return { error: `path: spec.rules[${i}].generate..: ${err}`, warnings };
        const w = reportsCheck(kindsOf(rule.match));
        if (w instanceof Error) return { error: `path: spec.rules[${i}].generate..: ${w.message}`, warnings };
      }
    }
  }
  return { warnings };
}
