/**
 * The serviceaccounts/token subresource over HTTP (pkg/registry/core/serviceaccount/storage/token.go:
 * TokenREST): a POSTed authentication.k8s.io/v1 TokenRequest answered 201 with the TokenRequest and
 * its status (the token and its expiry); the checks and the token are src/api's (createToken).
 */
import { ApiError } from "../../api/errors.ts";
import { createToken, tokenRequestFromBody } from "../../api/registry/core/serviceaccount/token.ts";
import { parseObject, type RequestScope, type Result } from "../handlers/rest.ts";

export function createServiceAccountToken(s: RequestScope, name: string): Result {
  const body = parseObject(s.body);
  if (body.kind !== undefined && body.kind !== "TokenRequest") throw new ApiError("BadRequest", `not a TokenRequest object: ${body.kind}`);
  return { code: 201, body: createToken(s.cluster.api, s.ns ?? "default", name, tokenRequestFromBody(body)) };
}
