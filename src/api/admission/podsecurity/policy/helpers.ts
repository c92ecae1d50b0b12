/**
 * The checks' shared helpers (k8s.io/pod-security-admission/policy/helpers.go and visitor.go,
 * v0.32.4): quoting, pluralizing, and visiting every container of a pod spec.
 */
import type { Container, EphemeralContainer, PodSpec } from "../../../types.gen.ts";

/** `"a", "b"` (joinQuote). */
export function joinQuote(items: string[]): string {
  return items.length === 0 ? "" : `"${items.join(`", "`)}"`;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** A sorted, deduplicated list, as sets.String's List(). */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * RelaxPolicyForUserNamespacePods: off unless kube-apiserver's UserNamespacesPodSecurityStandards
 * feature gate (alpha in v1.32, off by default) turns it on; the unit tests turn it on.
 */
let relaxForUserNamespacePods = false;

export function setRelaxPolicyForUserNamespacePods(relax: boolean): void {
  relaxForUserNamespacePods = relax;
}

/** relaxPolicyForUserNamespacePod: the relaxation is on and the pod runs in a user namespace (hostUsers: false). */
export function relaxPolicyForUserNamespacePod(podSpec: PodSpec | undefined): boolean {
  return relaxForUserNamespacePods && podSpec?.hostUsers === false;
}

/** visitContainers: init containers, then containers, then ephemeral containers. */
export function visitContainers(podSpec: PodSpec, visitor: (c: Container | EphemeralContainer) => void): void {
  for (const c of podSpec.initContainers ?? []) visitor(c);
  for (const c of podSpec.containers ?? []) visitor(c);
  for (const c of podSpec.ephemeralContainers ?? []) visitor(c);
}
