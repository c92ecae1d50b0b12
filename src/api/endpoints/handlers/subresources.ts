/**
 * The subresources the registry serves beside status and ephemeralcontainers, for every front end
 * (the facade, kubectl proxy, the in-pod API server): pods/binding, pods/eviction,
 * serviceaccounts/token, and the scale of Deployments, ReplicaSets, StatefulSets and
 * ReplicationControllers. The streaming ones (log, exec, attach, portforward) stay the facade's.
 */
import { ApiError, fieldErr, renderFieldError, type FieldError } from "../../errors.ts";
import { evictPod } from "../../eviction.ts";
import { dryRunOf } from "../../options.ts";
import { jsonKind } from "../../jsonscanner.ts";
import { createToken, tokenRequestFromBody } from "../../registry/core/serviceaccount/token.ts";
import { scaleOf, withScale } from "../../scale.ts";
import type { KObject } from "../../types.ts";
import { applyPatch, parsePatch } from "../../patch.ts";
import { headerOf, isDryRun, parseObject, patchType, trackUpdate, type RequestScope, type Result } from "./rest.ts";

/** The registry's answer for a subresource it serves, or false for one it leaves to the front end. */
export function registrySubresource(s: RequestScope, name: string, sub: string): Result | false {
  if (sub === "binding" && s.r.kind === "Pod") return createBinding(s, name);
  if (sub === "eviction" && s.r.kind === "Pod") return createEviction(s, name);
  if (sub === "token" && s.r.kind === "ServiceAccount") return createServiceAccountToken(s, name);
  if (sub === "scale" && !s.r.crd) return scaleSubresource(s, name);
  return false;
}

/** The pods/binding subresource (pkg/registry/core/pod/storage/storage.go: BindingREST). */

/**
 * BindingREST.Create: the Binding must name the pod of the path and a target node
 * (validation.ValidatePodBinding), else nothing is bound — a Binding without a target set the
 * pod's nodeName to "" and PodScheduled to True, and the pod stayed Pending on no node for ever.
 * Upstream returns the validation errors as a plain aggregate error, a 500.
 */
function createBinding(s: RequestScope, name: string): Result {
  const binding = parseObject(s.body);
  const meta = binding.metadata as { name?: unknown } | undefined;
  if ((meta && typeof meta === "object" ? String(meta.name ?? "") : "") !== name) throw new ApiError("BadRequest", "name in URL does not match name in Binding object");
  const target = (binding.target && typeof binding.target === "object" ? binding.target : {}) as { kind?: unknown; name?: unknown };
  const errs: FieldError[] = [];
  if (target.kind && target.kind !== "Node") errs.push(fieldErr.unsupported("target.kind", target.kind, ["Node", "<empty>"]));
  if (!target.name) errs.push(fieldErr.required("target.name"));
  if (errs.length) throw new ApiError("InternalError", errs.length === 1 ? renderFieldError(errs[0]!) : `[${errs.map(renderFieldError).join(", ")}]`);
  s.cluster.api.bind(s.ns ?? "default", name, String(target.name));
  return { code: 201, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 } };
}

/**
 * The pods/eviction subresource over HTTP (pkg/registry/core/pod/storage/eviction.go: EvictionREST):
 * a policy/v1 (or v1beta1) Eviction posted for a pod; the budget checks are src/api/eviction.ts's.
 * Success is 201 with a Success Status; a budget that forbids it is 429 TooManyRequests.
 */

function createEviction(s: RequestScope, name: string): Result {
  const eviction = parseObject(s.body);
  if (eviction.kind !== undefined && eviction.kind !== "Eviction") throw new ApiError("BadRequest", `not a Eviction object: ${eviction.kind}`);
  if (eviction.apiVersion !== undefined && !["policy/v1", "policy/v1beta1"].includes(eviction.apiVersion)) {
    throw new ApiError("BadRequest", `the API version in the data (${eviction.apiVersion}) does not match the expected API version (policy/v1)`);
  }
  if (eviction.metadata?.name !== name) throw new ApiError("BadRequest", "name in URL does not match name in Eviction object");
  // propagateDryRun: the request's dryRun and the Eviction's deleteOptions.dryRun must agree.
  const del = (eviction as { deleteOptions?: { dryRun?: string[]; gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } } }).deleteOptions ?? {};
  const queryDryRun = s.query.getAll("dryRun");
  const bodyDryRun = Array.isArray(del.dryRun) ? del.dryRun.map(String) : [];
  if (queryDryRun.length && bodyDryRun.length && JSON.stringify(queryDryRun) !== JSON.stringify(bodyDryRun)) {
    throw new ApiError("InternalError", `Non-matching dry-run options in request and content: [${queryDryRun.join(" ")}] and [${bodyDryRun.join(" ")}]`);
  }
  const dryRun = dryRunOf(bodyDryRun.length ? bodyDryRun : queryDryRun, "DeleteOptions");
  const grace = del.gracePeriodSeconds;
  evictPod(s.cluster.api, s.ns ?? "default", name, { dryRun, gracePeriodSeconds: typeof grace === "number" ? grace : undefined });
  return { code: 201, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" } };
}

/**
 * The serviceaccounts/token subresource over HTTP (pkg/registry/core/serviceaccount/storage/token.go:
 * TokenREST): a POSTed authentication.k8s.io/v1 TokenRequest answered 201 with the TokenRequest and
 * its status (the token and its expiry); the checks and the token are src/api's (createToken).
 */

function createServiceAccountToken(s: RequestScope, name: string): Result {
  const body = parseObject(s.body);
  if (body.kind !== undefined && body.kind !== "TokenRequest") throw new ApiError("BadRequest", `not a TokenRequest object: ${body.kind}`);
  checkTokenRequestTypes(body);
  return { code: 201, body: createToken(s.cluster.api, s.ns ?? "default", name, tokenRequestFromBody(body)) };
}

/**
 * The types the decoder checks in a TokenRequest's spec (encoding/json's texts): an expiry that is
 * no int64 was taken as it came and failed as an invalid date (a 500).
 */
function checkTokenRequestTypes(body: Record<string, unknown>): void {
  const fail = (why: string) => new ApiError("BadRequest", `TokenRequest in version "v1" cannot be handled as a TokenRequest: json: ${why}`);
  const spec = body.spec;
  if (spec === undefined || spec === null) return;
  if (typeof spec !== "object" || Array.isArray(spec)) throw fail(`cannot unmarshal ${jsonKind(spec)} into Go struct field TokenRequest.spec of type v1.TokenRequestSpec`);
  const { expirationSeconds: exp, audiences, boundObjectRef: ref } = spec as Record<string, unknown>;
  if (exp !== undefined && exp !== null) {
    if (typeof exp !== "number") throw fail(`cannot unmarshal ${jsonKind(exp)} into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64`);
    if (!Number.isInteger(exp) || Math.abs(exp) >= 2 ** 63) throw fail(`cannot unmarshal number ${exp} into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64`);
  }
  if (audiences !== undefined && audiences !== null) {
    if (!Array.isArray(audiences)) throw fail(`cannot unmarshal ${jsonKind(audiences)} into Go struct field TokenRequestSpec.spec.audiences of type []string`);
    for (const a of audiences) if (typeof a !== "string" && a !== null) throw fail(`cannot unmarshal ${jsonKind(a)} into Go struct field TokenRequestSpec.spec.audiences of type string`);
  }
  if (ref !== undefined && ref !== null && (typeof ref !== "object" || Array.isArray(ref))) {
    throw fail(`cannot unmarshal ${jsonKind(ref)} into Go struct field TokenRequestSpec.spec.boundObjectRef of type v1.BoundObjectReference`);
  }
}

/**
 * The scale subresource of Deployments and ReplicaSets (autoscaling/v1 Scale), as
 * pkg/registry/apps/deployment/storage/storage.go's ScaleREST serves it: get, update, patch.
 */

function scaleSubresource(s: RequestScope, name: string): Result {
  const { r, ns, method, cluster } = s;
  const current = cluster.api.getOrThrow(r.key, ns, name);
  if (method === "GET") return { code: 200, body: scaleOf(current) };
  let scale: KObject;
  if (method === "PUT") scale = parseObject(s.body);
  else if (method === "PATCH") {
    const type = patchType(headerOf(s, "content-type"));
    scale = applyPatch(scaleOf(current), parsePatch(s.body, type), type);
  } else throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  const rv = scale.metadata?.resourceVersion;
  if (method === "PUT" && rv && rv !== current.metadata.resourceVersion) {
    throw new ApiError("Conflict", `Operation cannot be fulfilled on ${r.plural}.${r.group} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
  }
  const updated = withScale(current, scale);
  trackUpdate(s, current, updated, "scale");
  return { code: 200, body: scaleOf(cluster.api.update(updated, { dryRun: isDryRun(s, method === "PATCH" ? "PatchOptions" : "UpdateOptions") })) };
}
