/**
 * The pod registry's PrepareForCreate sync of the AppArmor field and its deprecated annotation
 * (pkg/registry/core/pod/strategy.go applyAppArmorVersionSkew, v1.32), for every container of a new
 * pod (init containers, then containers; not on Windows pods):
 * - no `container.apparmor.security.beta.kubernetes.io/<name>` annotation: one is added from the
 *   container's `securityContext.appArmorProfile`, else the pod's (`runtime/default`,
 *   `unconfined`, `localhost/<profile>`), so that a kubelet older than the API server enforces it;
 * - an annotation and no container field: the field is set from the annotation when the annotation
 *   is valid and differs from the pod's profile, and the request gets the warning
 *   `metadata.annotations[<key>]: deprecated since v1.30; use the "appArmorProfile" field instead`
 *   (also when no valid field could be derived from it).
 */
import type { AdmissionPlugin } from "../store.ts";
import type { AppArmorProfile, Container, Pod } from "../types.gen.ts";

export const APPARMOR_ANNOTATION_KEY_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** appArmorAnnotationForField. */
export function appArmorAnnotationForField(f: AppArmorProfile): string {
  if (f.type === "Unconfined") return "unconfined";
  if (f.type === "RuntimeDefault") return "runtime/default";
  if (f.type === "Localhost" && f.localhostProfile !== undefined) return `localhost/${f.localhostProfile}`;
  return "";
}

/** apparmorFieldForAnnotation (undefined: no valid field; ValidateAppArmorProfileField's checks). */
export function appArmorFieldForAnnotation(annotation: string): AppArmorProfile | undefined {
  if (annotation === "unconfined") return { type: "Unconfined" };
  if (annotation === "runtime/default") return { type: "RuntimeDefault" };
  if (annotation.startsWith("localhost/")) {
    const name = annotation.slice("localhost/".length);
    // ValidateAppArmorProfileField: a Localhost profile name is at most 4095 bytes and not blank.
    if (name.trim() !== "" && name.length <= 4095) return { type: "Localhost", localhostProfile: name };
  }
  return undefined;
}

function sameProfile(a: AppArmorProfile | undefined, b: AppArmorProfile | undefined): boolean {
  return !!a && !!b && a.type === b.type && (a.localhostProfile ?? undefined) === (b.localhostProfile ?? undefined);
}

/** applyAppArmorVersionSkew over a pod being created; warnings go to `warnings`. */
export function applyAppArmorVersionSkew(pod: Pod, warnings?: string[]): void {
  const spec = pod.spec;
  if (!spec || spec.os?.name === "windows") return;
  const podProfile = spec.securityContext?.appArmorProfile;
  const visit = (ctr: Container): void => {
    const key = APPARMOR_ANNOTATION_KEY_PREFIX + ctr.name;
    const annotations = pod.metadata?.annotations;
    const has = annotations !== undefined && Object.hasOwn(annotations, key);
    const containerProfile = ctr.securityContext?.appArmorProfile;
    if (!has) {
      const value = containerProfile ? appArmorAnnotationForField(containerProfile) : podProfile ? appArmorAnnotationForField(podProfile) : "";
      if (value !== "") {
        pod.metadata ??= {};
        // Go serialises a map's keys sorted.
        const next: Record<string, string> = { ...(pod.metadata.annotations ?? {}), [key]: value };
        pod.metadata.annotations = Object.fromEntries(Object.keys(next).sort().map((k) => [k, next[k]!]));
      }
      return;
    }
    if (containerProfile) return;
    const field = appArmorFieldForAnnotation(annotations[key]!);
    let warn = field === undefined;
    if (field !== undefined && !sameProfile(field, podProfile)) {
      ctr.securityContext = { ...(ctr.securityContext ?? {}), appArmorProfile: field };
      warn = true;
    }
    if (warn) {
      const w = `metadata.annotations[${key}]: deprecated since v1.30; use the "appArmorProfile" field instead`;
      if (warnings && !warnings.includes(w)) warnings.push(w);
    }
  };
  for (const c of spec.initContainers ?? []) visit(c);
  for (const c of spec.containers ?? []) visit(c);
}

export const podAppArmorVersionSkew: AdmissionPlugin = {
  name: "PodAppArmorVersionSkew",
  inertFor: (kind) => kind !== "Pod",
  mutate(obj, op, _old, _api, attrs) {
    if (obj.kind !== "Pod" || op !== "CREATE") return;
    applyAppArmorVersionSkew(obj as Pod, attrs.warnings);
  },
};
