/**
 * Downward API field paths (pkg/fieldpath/fieldpath.go): FormatMap, SplitMaybeSubscriptedPath and
 * ExtractFieldPathAsString over an object's metadata. The kubelet adds the pod-only paths
 * (`spec.nodeName`, `status.podIP`...) itself (kubelet_env.ts).
 */
import type { KObject } from "./types.ts";
import { goQuote } from "./errors.ts";

/** FormatMap: `key="value"` lines in key order, values quoted as Go's %q, no trailing newline. */
export function formatMap(m: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(String(m![k]))}`)
    .join("\n");
}

/** SplitMaybeSubscriptedPath: `metadata.labels['app']` → [`metadata.labels`, `app`]. */
export function splitMaybeSubscriptedPath(fieldPath: string): { path: string; subscript: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return { path: s.slice(0, i), subscript: s.slice(i + 2) };
}

/** ExtractFieldPathAsString: the metadata paths the downward API reads; an Error for anything else. */
export function extractFieldPathAsString(obj: KObject, fieldPath: string): string | Error {
  const md = obj.metadata ?? {};
  const sub = splitMaybeSubscriptedPath(fieldPath);
  if (sub) {
    switch (sub.path) {
      case "metadata.annotations":
        return md.annotations?.[sub.subscript] ?? "";
      case "metadata.labels":
        return md.labels?.[sub.subscript] ?? "";
      default:
        return new Error(`fieldPath ${goQuote(fieldPath)} does not support subscript`);
    }
  }
  switch (fieldPath) {
    case "metadata.annotations":
      return formatMap(md.annotations);
    case "metadata.labels":
      return formatMap(md.labels);
    case "metadata.name":
      return md.name ?? "";
    case "metadata.namespace":
      return md.namespace ?? "";
    case "metadata.uid":
      return md.uid ?? "";
  }
  return new Error(`unsupported fieldPath: ${fieldPath}`);
}
