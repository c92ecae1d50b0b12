/** The pods/binding subresource (pkg/registry/core/pod/storage/storage.go: BindingREST). */
import { parseObject, type RequestScope, type Result } from "../handlers/rest.ts";

export function createBinding(s: RequestScope, name: string): Result {
  const binding = parseObject(s.body);
  s.cluster.api.bind(s.ns ?? "default", name, String(binding.target?.name ?? ""));
  return { code: 201, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 } };
}
