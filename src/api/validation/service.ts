/** Service validation (pkg/apis/core/validation/validation.go ValidateService). */
import type { KObject } from "../types.ts";
import { F, GoRepr, isObj, objs, str, type Errs, type Obj } from "./field.ts";
import { NameIsDNS1035Label, validateLabels, validateObjectMeta } from "./meta.ts";
import { goValue, IsDNS1123Label, IsDNS1123Subdomain, IsValidPortNum } from "./names.ts";
import { validatePortNumOrName } from "./pod.ts";

const SUPPORTED_PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"];
const SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

const intOrString = (v: unknown) =>
  typeof v === "string" ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goValue(v)}}` : `intstr.IntOrString{Type:0, IntVal:${typeof v === "number" ? v : 0}, StrVal:""}`;

export function validateService(svc: KObject): Errs {
  const errs = validateObjectMeta(svc.metadata, true, NameIsDNS1035Label);
  const s: Obj = isObj(svc.spec) ? svc.spec : {};
  const headless = s.clusterIP === "None";
  const ports = objs(s.ports);
  if (ports.length === 0 && !headless && s.type !== "ExternalName") errs.push(F.required("spec.ports"));
  if (s.type === "ExternalName") {
    // ValidateService's ExternalName case: no cluster IPs or IP family fields (the registry wipes
    // them on a type change the user did not also ask to change), and a CNAME target that may end
    // in a dot.
    if (Array.isArray(s.clusterIPs) && s.clusterIPs.length > 0) errs.push(F.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
    if (Array.isArray(s.ipFamilies) && s.ipFamilies.length > 0) errs.push(F.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null) errs.push(F.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
    const cname = str(s.externalName).replace(/\.$/, "");
    if (cname) for (const msg of IsDNS1123Subdomain(cname)) errs.push(F.invalid("spec.externalName", cname, msg));
    else errs.push(F.required("spec.externalName"));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const name = str(p.name);
    if (ports.length > 1 && !name) errs.push(F.required(`${path}.name`));
    else if (name) {
      for (const msg of IsDNS1123Label(name)) errs.push(F.invalid(`${path}.name`, name, msg));
      if (names.has(name)) errs.push(F.duplicate(`${path}.name`, name));
      else names.add(name);
    }
    for (const msg of IsValidPortNum(typeof p.port === "number" ? p.port : 0)) errs.push(F.invalid(`${path}.port`, typeof p.port === "number" ? p.port : 0, msg));
    if (!p.protocol) errs.push(F.required(`${path}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(String(p.protocol))) errs.push(F.notSupported(`${path}.protocol`, p.protocol, SUPPORTED_PORT_PROTOCOLS));
    errs.push(...validatePortNumOrName(p.targetPort, `${path}.targetPort`));
  });
  if (isObj(s.selector)) errs.push(...validateLabels(s.selector as Record<string, string>, "spec.selector"));
  if (!s.sessionAffinity) errs.push(F.required("spec.sessionAffinity"));
  else if (!["ClientIP", "None"].includes(String(s.sessionAffinity))) errs.push(F.notSupported("spec.sessionAffinity", s.sessionAffinity, ["ClientIP", "None"]));
  if (!s.type) errs.push(F.required("spec.type"));
  else if (!SERVICE_TYPES.includes(String(s.type))) errs.push(F.notSupported("spec.type", s.type, SERVICE_TYPES));
  if (s.type === "ClusterIP") {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(F.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) {
      errs.push(
        F.duplicate(
          `spec.ports[${i}]`,
          new GoRepr(`core.ServicePort{Name:"", Protocol:${goValue(p.protocol ?? "")}, AppProtocol:(*string)(nil), Port:${p.port ?? 0}, TargetPort:${intOrString(undefined)}, NodePort:0}`),
        ),
      );
    }
    seen.add(key);
  });
  return errs;
}
