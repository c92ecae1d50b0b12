/**
 * The DefaultIngressClass admission plugin of kube-apiserver v1.32
 * (plugin/pkg/admission/network/defaultingressclass/admission.go): a new Ingress with neither
 * `spec.ingressClassName` nor the `kubernetes.io/ingress.class` annotation gets the class annotated
 * `ingressclass.kubernetes.io/is-default-class: "true"`; with more than one such class the create
 * is refused (`... is forbidden: Internal error occurred: 2 default IngressClasses were found, only
 * 1 allowed`), as the Ingress concept page warns.
 */
import { newForbidden } from "../errors.ts";
import type { AdmissionPlugin, ApiServer } from "../store.ts";

export const ANNOTATION_IS_DEFAULT_INGRESS_CLASS = "ingressclass.kubernetes.io/is-default-class";
const ANNOTATION_INGRESS_CLASS = "kubernetes.io/ingress.class";

/** getDefaultClass: the one IngressClass marked default, none, or an error naming how many are. */
export function defaultIngressClass(api: ApiServer): { name?: string; error?: string } {
  const defaults = api.list("IngressClass").filter((c) => c.metadata.annotations?.[ANNOTATION_IS_DEFAULT_INGRESS_CLASS] === "true");
  if (defaults.length === 0) return {};
  if (defaults.length > 1) return { error: `Internal error occurred: ${defaults.length} default IngressClasses were found, only 1 allowed` };
  return { name: defaults[0].metadata.name };
}

export const defaultIngressClassAdmission: AdmissionPlugin = {
  name: "DefaultIngressClass",
  inertFor: (kind) => kind !== "Ingress",
  mutate(obj, op, _old, api) {
    if (obj.kind !== "Ingress" || op !== "CREATE") return;
    if (obj.spec?.ingressClassName !== undefined && obj.spec?.ingressClassName !== null) return;
    if (obj.metadata.annotations?.[ANNOTATION_INGRESS_CLASS] !== undefined) return;
    const found = defaultIngressClass(api);
    if (found.error) throw newForbidden({ plural: "ingresses", group: "networking.k8s.io" }, obj.metadata.name ?? "", found.error);
    if (!found.name) return;
    obj.spec = { ...(obj.spec ?? {}), ingressClassName: found.name };
  },
};
