/**
 * The serviceaccounts/token subresource over HTTP (pkg/registry/core/serviceaccount/storage/token.go:
 * TokenREST): a POSTed authentication.k8s.io/v1 TokenRequest answered 201 with the TokenRequest and
 * its status (the token and its expiry); the checks and the token are src/api's (createToken).
 */
import { ApiError } from "../../api/errors.ts";
import { jsonKind } from "../../api/jsonscanner.ts";
import { createToken, tokenRequestFromBody } from "../../api/registry/core/serviceaccount/token.ts";
import { parseObject, type RequestScope, type Result } from "../handlers/rest.ts";

export function createServiceAccountToken(s: RequestScope, name: string): Result {
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
