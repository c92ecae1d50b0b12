/**
 * networking.k8s.io validation as kube-apiserver v1.32 runs it (pkg/apis/networking/validation):
 * Ingress (create and update, with the update's ratcheting for TLS secret names and wildcard-host
 * rules that older servers let in), IngressClass, and NetworkPolicy. Values are rendered as
 * field.Error renders the internal types' values (`[]networking.IngressRule(nil)`).
 */
import type { KObject } from "../types.ts";
import { isDomainPrefixedPath } from "./batch.ts";
import { arr, F, GoRepr, isObj, objs, str, type Errs, type Obj } from "./field.ts";
import { NameIsDNS1035Label, NameIsDNSLabel, NameIsDNSSubdomain, validateObjectMeta } from "./meta.ts";
import { IsDNS1123Subdomain, IsValidPortName, IsValidPortNum, RegexError, MaxLenError, DNS1123SubdomainMaxLength } from "./names.ts";
import { validateLabelSelector } from "./pod.ts";
import { IsValidPathSegmentName } from "./rbac.ts";
import { parseCIDRSloppy, parseIPSloppy, cidrContainsIP } from "./netutil.ts";

const ANNOTATION_INGRESS_CLASS = "kubernetes.io/ingress.class";
const MAX_LEN_INGRESS_CLASS_CONTROLLER = 250;
const SUPPORTED_PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"];
const INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES = ["/..", "/."];

const dns1123SubdomainFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const wildcardDNS1123SubdomainFmt = "\\*\\." + dns1123SubdomainFmt;
const wildcardDNS1123SubdomainRe = new RegExp(`^${wildcardDNS1123SubdomainFmt}$`);
const wildcardDNS1123SubdomainErrMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** validation.IsWildcardDNS1123Subdomain: `*.example.com`. */
export function IsWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123SubdomainMaxLength) errs.push(MaxLenError(DNS1123SubdomainMaxLength));
  if (!wildcardDNS1123SubdomainRe.test(value)) errs.push(RegexError(wildcardDNS1123SubdomainErrMsg, wildcardDNS1123SubdomainFmt, "*.example.com"));
  return errs;
}

// ---- Ingress ---------------------------------------------------------------------------------

interface IngressOpts {
  allowInvalidSecretName: boolean;
  allowInvalidWildcardHostRule: boolean;
}

/** validateIngressTypedLocalObjectReference: a resource backend. */
function validateTypedLocalObjectReference(params: unknown, path: string): Errs {
  if (!isObj(params)) return [];
  const errs: Errs = [];
  if (params.apiGroup !== undefined && params.apiGroup !== null) {
    for (const msg of IsDNS1123Subdomain(str(params.apiGroup))) errs.push(F.invalid(`${path}.apiGroup`, str(params.apiGroup), msg));
  }
  const kind = str(params.kind);
  if (kind === "") errs.push(F.required(`${path}.kind`, "kind is required"));
  else for (const msg of IsValidPathSegmentName(kind)) errs.push(F.invalid(`${path}.kind`, kind, msg));
  const name = str(params.name);
  if (name === "") errs.push(F.required(`${path}.name`, "name is required"));
  else for (const msg of IsValidPathSegmentName(name)) errs.push(F.invalid(`${path}.name`, name, msg));
  return errs;
}

/** validateIngressBackend: a Service (name, and a port name or number) or a resource, not both. */
function validateIngressBackend(backend: unknown, path: string): Errs {
  const b: Obj = isObj(backend) ? backend : {};
  const hasResource = isObj(b.resource);
  const hasService = isObj(b.service);
  if (hasResource && hasService) return [F.invalid(path, "", "cannot set both resource and service backends")];
  if (hasResource) return validateTypedLocalObjectReference(b.resource, `${path}.resource`);
  if (!hasService) return [F.invalid(path, "", "resource or service backend is required")];
  const errs: Errs = [];
  const svc = b.service as Obj;
  const name = str(svc.name);
  if (name === "") errs.push(F.required(`${path}.service.name`, ""));
  else for (const msg of NameIsDNS1035Label(name, false)) errs.push(F.invalid(`${path}.service.name`, name, msg));
  const port: Obj = isObj(svc.port) ? svc.port : {};
  const portName = str(port.name);
  const portNumber = typeof port.number === "number" ? port.number : 0;
  if (portName && portNumber) errs.push(F.invalid(path, "", "cannot set both port name & port number"));
  else if (portName) for (const msg of IsValidPortName(portName)) errs.push(F.invalid(`${path}.service.port.name`, portName, msg));
  else if (portNumber) for (const msg of IsValidPortNum(portNumber)) errs.push(F.invalid(`${path}.service.port.number`, portNumber, msg));
  else errs.push(F.required(path, "port name or number is required"));
  return errs;
}

function validateHTTPIngressPath(p: Obj, path: string): Errs {
  const errs: Errs = [];
  if (p.pathType === undefined || p.pathType === null) return [F.required(`${path}.pathType`, "pathType must be specified")];
  const value = str(p.path);
  switch (p.pathType) {
    case "Exact":
    case "Prefix":
      if (!value.startsWith("/")) errs.push(F.invalid(`${path}.path`, value, "must be an absolute path"));
      if (value.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(F.invalid(`${path}.path`, value, `must not contain '${seq}'`));
        for (const suf of INVALID_PATH_SUFFIXES) if (value.endsWith(suf)) errs.push(F.invalid(`${path}.path`, value, `cannot end with '${suf}'`));
      }
      break;
    case "ImplementationSpecific":
      if (value.length > 0 && !value.startsWith("/")) errs.push(F.invalid(`${path}.path`, value, "must be an absolute path"));
      break;
    default:
      errs.push(F.notSupported(`${path}.pathType`, p.pathType, SUPPORTED_PATH_TYPES));
  }
  errs.push(...validateIngressBackend(p.backend, `${path}.backend`));
  return errs;
}

/** validateIngressRuleValue: the HTTP paths of a rule. */
function validateIngressRuleValue(rule: Obj, path: string): Errs {
  if (!isObj(rule.http)) return [];
  const errs: Errs = [];
  const paths = objs(rule.http.paths);
  if (paths.length === 0) errs.push(F.required(`${path}.http.paths`, ""));
  paths.forEach((p, i) => errs.push(...validateHTTPIngressPath(p, `${path}.http.paths[${i}]`)));
  return errs;
}

function validateIngressRules(rules: Obj[], path: string, opts: IngressOpts): Errs {
  const errs: Errs = [];
  rules.forEach((rule, i) => {
    const host = str(rule.host);
    let wildcard = false;
    if (host.length > 0) {
      if (parseIPSloppy(host)) errs.push(F.invalid(`${path}[${i}].host`, host, "must be a DNS name, not an IP address"));
      if (host.includes("*")) {
        for (const msg of IsWildcardDNS1123Subdomain(host)) errs.push(F.invalid(`${path}[${i}].host`, host, msg));
        wildcard = true;
      } else {
        for (const msg of IsDNS1123Subdomain(host)) errs.push(F.invalid(`${path}[${i}].host`, host, msg));
      }
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...validateIngressRuleValue(rule, `${path}[${i}]`));
  });
  return errs;
}

/** validateTLSSecretName: a Secret's name (ValidateSecretName = a DNS subdomain), when set. */
function tlsSecretNameErrors(name: string): string[] {
  return name.length === 0 ? [] : NameIsDNSSubdomain(name, false);
}

function validateIngressTLS(tls: Obj[], path: string, opts: IngressOpts): Errs {
  const errs: Errs = [];
  tls.forEach((t, ti) => {
    arr(t.hosts).forEach((h, i) => {
      const host = str(h);
      const fn = host.includes("*") ? IsWildcardDNS1123Subdomain : IsDNS1123Subdomain;
      for (const msg of fn(host)) errs.push(F.invalid(`${path}[${ti}].hosts[${i}]`, host, msg));
    });
    if (!opts.allowInvalidSecretName) {
      for (const msg of tlsSecretNameErrors(str(t.secretName))) errs.push(F.invalid(`${path}[${ti}].secretName`, str(t.secretName), msg));
    }
  });
  return errs;
}

function validateIngressSpec(spec: Obj, opts: IngressOpts): Errs {
  const errs: Errs = [];
  const rules = objs(spec.rules);
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    const repr = Array.isArray(spec.rules) ? "[]networking.IngressRule{}" : "[]networking.IngressRule(nil)";
    errs.push(F.invalid("spec", new GoRepr(repr), "either `defaultBackend` or `rules` must be specified"));
  }
  if (isObj(spec.defaultBackend)) errs.push(...validateIngressBackend(spec.defaultBackend, "spec.defaultBackend"));
  if (rules.length > 0) errs.push(...validateIngressRules(rules, "spec.rules", opts));
  const tls = objs(spec.tls);
  if (tls.length > 0) errs.push(...validateIngressTLS(tls, "spec.tls", opts));
  if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) {
    const cls = str(spec.ingressClassName);
    for (const msg of NameIsDNSSubdomain(cls, false)) errs.push(F.invalid("spec.ingressClassName", cls, msg));
  }
  return errs;
}

/** ValidateIngressCreate. */
export function validateIngress(ing: KObject): Errs {
  const errs = validateObjectMeta(ing.metadata, true, NameIsDNSSubdomain);
  const spec: Obj = isObj(ing.spec) ? ing.spec : {};
  errs.push(...validateIngressSpec(spec, { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false }));
  const annotation = ing.metadata.annotations?.[ANNOTATION_INGRESS_CLASS];
  if (annotation !== undefined && spec.ingressClassName !== undefined && spec.ingressClassName !== null && annotation !== spec.ingressClassName) {
    errs.push(F.invalid(`annotations.${ANNOTATION_INGRESS_CLASS}`, annotation, "must match `ingressClassName` when both are specified"));
  }
  return errs;
}

/** ValidateIngressUpdate: invalid TLS secret names and wildcard-host rules that the old object already had stay allowed. */
export function validateIngressUpdate(ing: KObject, old: KObject): Errs {
  const errs = validateObjectMeta(ing.metadata, true, NameIsDNSSubdomain);
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  const opts: IngressOpts = {
    allowInvalidSecretName: objs(oldSpec.tls).some((t) => tlsSecretNameErrors(str(t.secretName)).length > 0),
    allowInvalidWildcardHostRule: objs(oldSpec.rules).some((r) => str(r.host).includes("*") && validateIngressRuleValue(r, "").length > 0),
  };
  errs.push(...validateIngressSpec(isObj(ing.spec) ? ing.spec : {}, opts));
  return errs;
}

// ---- IngressClass ----------------------------------------------------------------------------

/** validateIngressClassParametersReference. */
function validateIngressClassParameters(params: unknown, path: string): Errs {
  if (!isObj(params)) return [];
  const errs: Errs = [];
  if (params.apiGroup !== undefined && params.apiGroup !== null) {
    for (const msg of IsDNS1123Subdomain(str(params.apiGroup))) errs.push(F.invalid(`${path}.apiGroup`, str(params.apiGroup), msg));
  }
  const kind = str(params.kind);
  if (kind === "") errs.push(F.required(`${path}.kind`, ""));
  else for (const msg of IsValidPathSegmentName(kind)) errs.push(F.invalid(`${path}.kind`, kind, msg));
  const name = str(params.name);
  if (name === "") errs.push(F.required(`${path}.name`, ""));
  else for (const msg of IsValidPathSegmentName(name)) errs.push(F.invalid(`${path}.name`, name, msg));
  if (params.scope === undefined || params.scope === null) {
    errs.push(F.required(`${path}.scope`, ""));
    return errs;
  }
  const scope = str(params.scope);
  if (scope !== "Cluster" && scope !== "Namespace") errs.push(F.notSupported(`${path}.scope`, scope, ["Cluster", "Namespace"]));
  else {
    const hasNs = params.namespace !== undefined && params.namespace !== null;
    if (scope === "Namespace") {
      if (!hasNs) errs.push(F.required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
      else for (const msg of NameIsDNSLabel(str(params.namespace), false)) errs.push(F.invalid(`${path}.namespace`, str(params.namespace), msg));
    }
    if (scope === "Cluster" && hasNs) errs.push(F.forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

/** ValidateIngressClass. */
export function validateIngressClass(ic: KObject): Errs {
  const errs = validateObjectMeta(ic.metadata, false, NameIsDNSSubdomain);
  const spec: Obj = isObj(ic.spec) ? ic.spec : {};
  const controller = str(spec.controller);
  if (controller.length > MAX_LEN_INGRESS_CLASS_CONTROLLER) errs.push(F.tooLong("spec.controller", MAX_LEN_INGRESS_CLASS_CONTROLLER));
  errs.push(...isDomainPrefixedPath("spec.controller", controller));
  errs.push(...validateIngressClassParameters(spec.parameters, "spec.parameters"));
  return errs;
}

/** ValidateIngressClassUpdate: the controller is immutable. */
export function validateIngressClassUpdate(ic: KObject, old: KObject): Errs {
  const errs: Errs = [];
  const now = str(ic.spec?.controller);
  if (now !== str(old.spec?.controller)) errs.push(F.invalid("spec.controller", now, "field is immutable"));
  errs.push(...validateIngressClass(ic));
  return errs;
}

// ---- NetworkPolicy ---------------------------------------------------------------------------

const PROTOCOLS = ["TCP", "UDP", "SCTP"];

/** ValidateNetworkPolicyPort. */
function validateNetworkPolicyPort(port: Obj, path: string): Errs {
  const errs: Errs = [];
  if (port.protocol !== undefined && port.protocol !== null && !PROTOCOLS.includes(str(port.protocol))) {
    errs.push(F.notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  }
  const hasEnd = port.endPort !== undefined && port.endPort !== null;
  if (port.port !== undefined && port.port !== null) {
    if (typeof port.port === "number") {
      for (const msg of IsValidPortNum(port.port)) errs.push(F.invalid(`${path}.port`, port.port, msg));
      if (hasEnd) {
        const end = Number(port.endPort);
        if (end < port.port) errs.push(F.invalid(`${path}.endPort`, end, "must be greater than or equal to `port`"));
        for (const msg of IsValidPortNum(end)) errs.push(F.invalid(`${path}.endPort`, end, msg));
      }
    } else {
      if (hasEnd) errs.push(F.invalid(`${path}.endPort`, Number(port.endPort), "may not be specified when `port` is non-numeric"));
      for (const msg of IsValidPortName(str(port.port))) errs.push(F.invalid(`${path}.port`, str(port.port), msg));
    }
  } else if (hasEnd) {
    errs.push(F.invalid(`${path}.endPort`, Number(port.endPort), "may not be specified when `port` is not specified"));
  }
  return errs;
}

/** ValidateIPBlock as v1.32 has it: `not a valid CIDR`, and each `except` a strict subset of `cidr`. */
function validateIPBlock(ipb: Obj, path: string): Errs {
  const cidr = str(ipb.cidr);
  if (cidr === "") return [F.required(`${path}.cidr`, "")];
  const net = parseCIDRSloppy(cidr);
  if (!net) return [F.invalid(`${path}.cidr`, cidr, "not a valid CIDR")];
  const errs: Errs = [];
  const except = arr(ipb.except);
  for (let i = 0; i < except.length; i++) {
    const text = str(except[i]);
    const ex = parseCIDRSloppy(text);
    if (!ex) {
      errs.push(F.invalid(`${path}.except[${i}]`, text, "not a valid CIDR"));
      return errs;
    }
    if (!cidrContainsIP(net, ex.ip) || net.ones >= ex.ones) errs.push(F.invalid(`${path}.except[${i}]`, text, "must be a strict subset of `cidr`"));
  }
  return errs;
}

/** ValidateNetworkPolicyPeer: exactly one kind of peer, or pod and namespace selectors together. */
function validateNetworkPolicyPeer(peer: Obj, path: string): Errs {
  const errs: Errs = [];
  let n = 0;
  if (isObj(peer.podSelector)) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (isObj(peer.namespaceSelector)) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (isObj(peer.ipBlock)) {
    n++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (n === 0) errs.push(F.required(path, "must specify a peer"));
  else if (n > 1 && isObj(peer.ipBlock)) errs.push(F.forbidden(path, "may not specify both ipBlock and another peer"));
  return errs;
}

/** ValidateNetworkPolicy (create; an update validates the same spec). */
export function validateNetworkPolicy(np: KObject): Errs {
  const errs = validateObjectMeta(np.metadata, true, NameIsDNSSubdomain);
  const spec: Obj = isObj(np.spec) ? np.spec : {};
  errs.push(...validateLabelSelector(spec.podSelector, "spec.podSelector"));
  objs(spec.ingress).forEach((rule, i) => {
    objs(rule.ports).forEach((p, j) => errs.push(...validateNetworkPolicyPort(p, `spec.ingress[${i}].ports[${j}]`)));
    objs(rule.from).forEach((p, j) => errs.push(...validateNetworkPolicyPeer(p, `spec.ingress[${i}].from[${j}]`)));
  });
  objs(spec.egress).forEach((rule, i) => {
    objs(rule.ports).forEach((p, j) => errs.push(...validateNetworkPolicyPort(p, `spec.egress[${i}].ports[${j}]`)));
    objs(rule.to).forEach((p, j) => errs.push(...validateNetworkPolicyPeer(p, `spec.egress[${i}].to[${j}]`)));
  });
  const types = arr(spec.policyTypes);
  if (types.length > 2) {
    errs.push(F.invalid("spec.policyTypes", new GoRepr(`[]networking.PolicyType{${types.map((t) => JSON.stringify(str(t))).join(", ")}}`), "may not specify more than two policyTypes"));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== "Ingress" && t !== "Egress") errs.push(F.notSupported(`spec.policyTypes[${i}]`, t, ["Ingress", "Egress"]));
  });
  return errs;
}
