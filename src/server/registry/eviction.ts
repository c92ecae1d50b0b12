/**
 * The pods/eviction subresource over HTTP (pkg/registry/core/pod/storage/eviction.go: EvictionREST):
 * a policy/v1 (or v1beta1) Eviction posted for a pod; the budget checks are src/api/eviction.ts's.
 * Success is 201 with a Success Status; a budget that forbids it is 429 TooManyRequests.
 */
import { ApiError } from "../../api/errors.ts";
import { evictPod } from "../../api/eviction.ts";
import { dryRunOf } from "../../api/options.ts";
import { parseObject, type RequestScope, type Result } from "../handlers/rest.ts";

export function createEviction(s: RequestScope, name: string): Result {
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
