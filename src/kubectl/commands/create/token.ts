/**
 * `kubectl create token SERVICE_ACCOUNT_NAME` (staging/src/k8s.io/kubectl/pkg/cmd/create/
 * create_token.go, v1.32): a TokenRequest to serviceaccounts/<name>/token with `--audience`
 * (repeatable), `--duration` (whole seconds; 0 or unset leaves the lifetime to the server),
 * `--bound-object-kind` (Node, Pod or Secret, as kubectl v1.32.4 offers them), `--bound-object-name`
 * and `--bound-object-uid`.
 * It prints the token alone, without a newline since its output is not a terminal (as in a script
 * or a scenario), or the TokenRequest with `-o`. A server error is `error: failed to create token: <message>`.
 */
import { ApiError } from "../../../api/errors.ts";
import { createToken, type TokenRequestSpec } from "../../../api/registry/core/serviceaccount/token.ts";
import { resourceForKind, type ResourceType } from "../../../api/resources.ts";
import type { KObject } from "../../../api/types.ts";
import { KubectlError, type CommandDef, type Invocation } from "../../command.ts";
import { printGeneric } from "../../printers/index.ts";
import { parseGoDuration } from "../logs.ts";
import { outputFormat, usageError } from "./generator.ts";

/** What -o name prints the response as (a TokenRequest is never stored: no served resource lists it). */
const TOKEN_REQUEST: ResourceType = {
  ...resourceForKind("ServiceAccount")!,
  kind: "TokenRequest",
  group: "authentication.k8s.io",
  plural: "tokenrequests",
  singular: "tokenrequest",
  shortNames: [],
  storable: false,
};

/** boundObjectKindToAPIVersions: kubectl v1.32.4 offers Node too. */
const BOUND_OBJECT_KINDS: Record<string, string> = { Node: "v1", Pod: "v1", Secret: "v1" };

function duration(inv: Invocation): number {
  if (!inv.set.has("duration")) return 0;
  try {
    return parseGoDuration(String(inv.flags.duration), "duration");
  } catch (e) {
    if (e instanceof KubectlError) throw new KubectlError(e.message.replace("See 'kubectl logs --help' for usage.", "See 'kubectl create token --help' for usage."), e.exitCode, e.raw);
    throw e;
  }
}

function runCreateToken(inv: Invocation): number {
  const path = ["create", "token"];
  if (inv.args.length !== 1) throw usageError(path, `exactly one NAME is required, got ${inv.args.length}`);
  const name = inv.args[0]!;
  const format = outputFormat(inv);
  const ms = duration(inv);
  const audiences = (inv.flags.audience as string[] | undefined) ?? [];
  const kind = String(inv.flags["bound-object-kind"] ?? "");
  const boundName = String(inv.flags["bound-object-name"] ?? "");
  const boundUID = String(inv.flags["bound-object-uid"] ?? "");
  // Validate, in create_token.go's order.
  if (!name) throw new KubectlError("service account name is required");
  if (ms < 0) throw new KubectlError("--duration must be greater than or equal to 0");
  if (ms % 1000 !== 0) throw new KubectlError("--duration cannot be expressed in units less than seconds");
  if (audiences.some((a) => a === "")) throw new KubectlError("--audience must not be an empty string");
  const kinds = Object.keys(BOUND_OBJECT_KINDS).sort().join(", ");
  if (!kind) {
    if (boundName) throw new KubectlError("--bound-object-name can only be set if --bound-object-kind is provided");
    if (boundUID) throw new KubectlError("--bound-object-uid can only be set if --bound-object-kind is provided");
  } else {
    if (!(kind in BOUND_OBJECT_KINDS)) throw new KubectlError(`supported --bound-object-kind values are ${kinds}`);
    if (!boundName) throw new KubectlError("--bound-object-name is required if --bound-object-kind is provided");
  }
  const spec: TokenRequestSpec = { audiences };
  if (ms > 0) spec.expirationSeconds = ms / 1000;
  if (kind) spec.boundObjectRef = { kind, apiVersion: BOUND_OBJECT_KINDS[kind], name: boundName, ...(boundUID ? { uid: boundUID } : {}) };
  let response;
  try {
    response = createToken(inv.ctx.api, inv.namespace, name, { spec });
  } catch (e) {
    if (e instanceof ApiError) throw new KubectlError(`failed to create token: ${e.message}`);
    throw e;
  }
  if (format && format.kind !== "table") {
    inv.write!(printGeneric(format, [{ r: TOKEN_REQUEST, obj: response as unknown as KObject }], true));
    return 0;
  }
  // Not a terminal: the token alone, no newline.
  inv.write!(response.status.token);
  return 0;
}

export const createTokenCommand: CommandDef = {
  path: ["create", "token"],
  flags: [
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "show-managed-fields", type: "bool" },
    { long: "audience", type: "stringArray" },
    { long: "duration", type: "string" },
    { long: "bound-object-kind", type: "string" },
    { long: "bound-object-name", type: "string" },
    { long: "bound-object-uid", type: "string" },
  ],
  run: runCreateToken,
};
