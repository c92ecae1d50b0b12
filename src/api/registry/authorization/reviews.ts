/**
 * The create-only review resources (nothing is stored; the answer is the request with its status):
 *
 * - authorization.k8s.io/v1 SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview
 *   (pkg/registry/authorization/{selfsubjectaccessreview,subjectaccessreview,localsubjectaccessreview}/rest.go
 *   over pkg/registry/authorization/util: ResourceAttributesFrom, NonResourceAttributesFrom), validated
 *   as pkg/apis/authorization/validation does;
 * - SelfSubjectRulesReview (selfsubjectrulesreview/rest.go: the union's RulesFor);
 * - authentication.k8s.io/v1 SelfSubjectReview (pkg/registry/authentication/selfsubjectreview: who
 *   the server says you are; `kubectl auth whoami`).
 *
 * The requester is the user the API server authenticated (src/api/authorization/user.ts).
 */
import { ApiError } from "../../errors.ts";
import type { ApiServer } from "../../store.ts";
import { isJSONObject, type JSONObject } from "../../types.ts";
import { authorize, rulesInfoFor, storeReader, type Attributes } from "../../authorization/rbac.ts";
import type { UserInfo } from "../../authorization/user.ts";

const AUTHZ = "authorization.k8s.io/v1";

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}
interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

function invalid(kind: string, causes: Array<{ field: string; detail: string }>): ApiError {
  const msg = causes.map((c) => `${c.field}: ${c.detail}`);
  return new ApiError("Invalid", `${kind}.authorization.k8s.io "" is invalid: ${msg.length === 1 ? msg[0] : `[${msg.join(", ")}]`}`, { kind: `${kind}`, group: "authorization.k8s.io", name: "", causes });
}

function specOf(body: JSONObject): JSONObject {
  return isJSONObject(body.spec) ? body.spec : {};
}

/** ValidateSubjectAccessReviewSpec's first rule: exactly one of the two attributes. */
function attributesOf(kind: string, spec: JSONObject): { res?: ResourceAttributes; non?: NonResourceAttributes } {
  const res = isJSONObject(spec.resourceAttributes) ? (spec.resourceAttributes as ResourceAttributes) : undefined;
  const non = isJSONObject(spec.nonResourceAttributes) ? (spec.nonResourceAttributes as NonResourceAttributes) : undefined;
  if (!res && !non) throw invalid(kind, [{ field: "spec.resourceAttributes", detail: "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified" }]);
  if (res && non) throw invalid(kind, [{ field: "spec.nonResourceAttributes", detail: "Invalid value: \"null\": cannot be specified in combination with resourceAttributes" }]);
  return { res, non };
}

/** ResourceAttributesFrom / NonResourceAttributesFrom. */
function attributesFor(user: UserInfo, a: { res?: ResourceAttributes; non?: NonResourceAttributes }): Attributes {
  if (a.res) {
    return {
      user,
      verb: a.res.verb ?? "",
      resourceRequest: true,
      namespace: a.res.namespace ?? "",
      apiGroup: a.res.group ?? "",
      resource: a.res.resource ?? "",
      subresource: a.res.subresource ?? "",
      name: a.res.name ?? "",
    };
  }
  return { user, verb: a.non!.verb ?? "", resourceRequest: false, path: a.non!.path ?? "" };
}

function reviewStatus(api: ApiServer, attrs: Attributes): JSONObject {
  const r = authorize(storeReader(api), attrs);
  return { allowed: r.decision === "Allow", ...(r.decision === "Deny" ? { denied: true } : {}), ...(r.reason ? { reason: r.reason } : {}) };
}

const answer = (kind: string, body: JSONObject, spec: JSONObject, status: JSONObject, namespace?: string): JSONObject => ({
  kind,
  apiVersion: AUTHZ,
  metadata: { ...(isJSONObject(body.metadata) ? body.metadata : {}), ...(namespace ? { namespace } : {}), creationTimestamp: null },
  spec,
  status,
});

/** SelfSubjectAccessReview: may `user` do what the spec says? */
export function createSelfSubjectAccessReview(api: ApiServer, user: UserInfo, body: JSONObject): JSONObject {
  const spec = specOf(body);
  const attrs = attributesFor(user, attributesOf("SelfSubjectAccessReview", spec));
  return answer("SelfSubjectAccessReview", body, spec, reviewStatus(api, attrs));
}

/** The user a SubjectAccessReview's spec names. */
function subjectOf(kind: string, spec: JSONObject): UserInfo {
  const name = typeof spec.user === "string" ? spec.user : "";
  const groups = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  if (!name && groups.length === 0) throw invalid(kind, [{ field: "spec.user", detail: 'Invalid value: "": at least one of user or group must be specified' }]);
  return { name, groups, ...(typeof spec.uid === "string" && spec.uid ? { uid: spec.uid } : {}), ...(isJSONObject(spec.extra) ? { extra: spec.extra as Record<string, string[]> } : {}) };
}

/** SubjectAccessReview: may the spec's user and groups do it? */
export function createSubjectAccessReview(api: ApiServer, body: JSONObject): JSONObject {
  const spec = specOf(body);
  const a = attributesOf("SubjectAccessReview", spec);
  const user = subjectOf("SubjectAccessReview", spec);
  return answer("SubjectAccessReview", body, spec, reviewStatus(api, attributesFor(user, a)));
}

/** LocalSubjectAccessReview: a SubjectAccessReview in the request's namespace (the spec must name it, or none). */
export function createLocalSubjectAccessReview(api: ApiServer, namespace: string, body: JSONObject): JSONObject {
  const spec = specOf(body);
  const a = attributesOf("LocalSubjectAccessReview", spec);
  if (a.non) throw invalid("LocalSubjectAccessReview", [{ field: "spec.nonResourceAttributes", detail: "Invalid value: \"null\": disallowed on this kind of request" }]);
  const user = subjectOf("LocalSubjectAccessReview", spec);
  const ns = a.res!.namespace ?? "";
  if (ns && ns !== namespace) {
    throw new ApiError("BadRequest", `spec.resourceAttributes.namespace must match namespace: ${namespace}`);
  }
  const res = { ...a.res!, namespace };
  return answer("LocalSubjectAccessReview", body, { ...spec, resourceAttributes: res }, reviewStatus(api, attributesFor(user, { res })), namespace);
}

/** SelfSubjectRulesReview: what `user` may do in the spec's namespace. */
export function createSelfSubjectRulesReview(api: ApiServer, user: UserInfo, body: JSONObject): JSONObject {
  const spec = specOf(body);
  const namespace = typeof spec.namespace === "string" ? spec.namespace : "";
  if (!namespace) throw new ApiError("BadRequest", "no namespace on request");
  const info = rulesInfoFor(storeReader(api), user, namespace);
  return answer("SelfSubjectRulesReview", body, spec, { ...info } as unknown as JSONObject);
}

/** SelfSubjectReview: the user as the server authenticated it. */
export function createSelfSubjectReview(api: ApiServer, user: UserInfo): JSONObject {
  return {
    kind: "SelfSubjectReview",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { creationTimestamp: api.clock.nowRFC3339() },
    status: {
      userInfo: {
        username: user.name,
        ...(user.uid ? { uid: user.uid } : {}),
        ...(user.groups.length ? { groups: [...user.groups] } : {}),
        ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
      },
    },
  };
}
