/** The pods/log subresource (pkg/registry/core/pod/rest/log.go): a container's log as plain text. */
import { ApiError } from "../../api/errors.ts";
import type { RequestScope, Result } from "../handlers/rest.ts";
import { sendText } from "../handlers/responsewriters.ts";

export function getLog(s: RequestScope, name: string): Result {
  const q = s.query;
  const args = ["logs", name, "-n", s.ns ?? "default"];
  if (q.get("container")) args.push("-c", q.get("container")!);
  if (q.get("previous") === "true") args.push("--previous");
  const out = s.cluster.kubectlSync(args);
  if (out.exitCode !== 0) throw new ApiError("BadRequest", out.stderr.replace(/^error: /, "").trim());
  sendText(s.res, 200, out.stdout);
  return undefined;
}
