/** The pods/binding subresource (pkg/registry/core/pod/storage/storage.go: BindingREST). */
import { ApiError, fieldErr, renderFieldError, type FieldError } from "../../api/errors.ts";
import { parseObject, type RequestScope, type Result } from "../handlers/rest.ts";

/**
 * BindingREST.Create: the Binding must name the pod of the path and a target node
 * (validation.ValidatePodBinding), else nothing is bound — a Binding without a target set the
 * pod's nodeName to "" and PodScheduled to True, and the pod stayed Pending on no node for ever.
 * Upstream returns the validation errors as a plain aggregate error, a 500.
 */
export function createBinding(s: RequestScope, name: string): Result {
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
