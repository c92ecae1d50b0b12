/**
 * Validation of MutatingWebhookConfiguration and ValidatingWebhookConfiguration objects
 * (pkg/apis/admissionregistration/validation/validation.go, v1.32, and
 * k8s.io/apiserver/pkg/util/webhook/validation.go): a fully qualified, unique name per webhook;
 * the rules; failurePolicy, matchPolicy, reinvocationPolicy and sideEffects among their values
 * (v1 takes only `None` and `NoneOnDryRun`); timeoutSeconds 1 to 30; admissionReviewVersions with
 * v1 or v1beta1; exactly one of `url` and `service` (its name, namespace, port and path); the
 * selectors; every matchCondition named and compiled (`compilation failed: …`). An update is
 * checked as a create (upstream relaxes the rules an old object already broke; v1.32 stores no
 * such object here).
 */
import { compile } from "../../cel/compile.ts";
import { arr, F, isObj, objs, type Errs, type Obj } from "../../validation/field.ts";
import { IsDNS1035Label, IsDNS1123Subdomain, IsQualifiedName, IsValidPortNum } from "../../validation/names.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "../../validation/meta.ts";
import { validateLabelSelector } from "../../validation/pod.ts";
import { registerValidation } from "../../validation/index.ts";
import type { KObject } from "../../types.ts";
import { declarations } from "../validatingadmissionpolicy/compiled.ts";
import { validateRuleWithOperations } from "../rules_validation.ts";


/** utilvalidation.IsFullyQualifiedName. */
function fullyQualifiedName(path: string, name: string): Errs {
  if (name === "") return [F.required(path)];
  const errs = IsDNS1123Subdomain(name);
  if (errs.length) return [F.invalid(path, name, errs.join(","))];
  if (name.split(".").length < 3) return [F.invalid(path, name, "should be a domain with at least three segments separated by dots")];
  return [];
}



/** webhook.ValidateWebhookService. */
function validateService(s: Obj, path: string): Errs {
  const errs: Errs = [];
  if (!s.name) errs.push(F.required(`${path}.name`, "service name is required"));
  if (!s.namespace) errs.push(F.required(`${path}.namespace`, "service namespace is required"));
  const port = typeof s.port === "number" ? s.port : 443;
  const portErrs = IsValidPortNum(port);
  if (portErrs.length) errs.push(F.invalid(`${path}.port`, port, `port is not valid: ${portErrs.join(", ")}`));
  if (typeof s.path !== "string") return errs;
  const p = s.path;
  if (p === "/" || p === "") return errs;
  if (p === "//") return [...errs, F.invalid(`${path}.path`, p, "segment[0] may not be empty")];
  if (!p.startsWith("/")) errs.push(F.invalid(`${path}.path`, p, "must start with a '/'"));
  let check = p.slice(1);
  if (check.endsWith("/")) check = check.slice(0, -1);
  check.split("/").forEach((step, i) => {
    if (step === "") return errs.push(F.invalid(`${path}.path`, p, `segment[${i}] may not be empty`));
    for (const f of IsDNS1123Subdomain(step)) errs.push(F.invalid(`${path}.path`, p, `segment[${i}]: ${f}`));
  });
  return errs;
}

/** webhook.ValidateWebhookURL with forceHttps. */
function validateURL(raw: string, path: string): Errs {
  const form = "; desired format: https://host[/path]";
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // url.Parse accepts most strings; a relative one has no scheme and no host.
    return [F.invalid(path, "", `'https' is the only allowed URL scheme${form}`), F.invalid(path, "", `host must be specified${form}`)];
  }
  const errs: Errs = [];
  const scheme = u.protocol.replace(/:$/, "");
  if (scheme !== "https") errs.push(F.invalid(path, scheme, `'https' is the only allowed URL scheme${form}`));
  if (u.host === "") errs.push(F.invalid(path, u.host, `host must be specified${form}`));
  if (u.username || u.password) errs.push(F.invalid(path, u.password ? `${u.username}:${u.password}` : u.username, "user information is not permitted in the URL"));
  if (u.hash.length > 1) errs.push(F.invalid(path, u.hash.slice(1), "fragments are not permitted in the URL"));
  if (u.search.length > 1) errs.push(F.invalid(path, u.search.slice(1), "query parameters are not permitted in the URL"));
  return errs;
}

function validateMatchConditions(conds: Obj[], path: string): Errs {
  const errs: Errs = [];
  if (conds.length > 64) errs.push({ field: path, detail: `Too many: ${conds.length}: must have at most 64 items` });
  const names = new Set<string>();
  const decls = declarations(false, true);
  conds.forEach((m, i) => {
    const p = `${path}[${i}]`;
    const expr = String(m.expression ?? "").trim();
    if (!expr) errs.push(F.required(`${p}.expression`));
    else {
      const r = compile(expr, { names: decls, variables: [] });
      if ("error" in r) errs.push(F.invalid(`${p}.expression`, expr, `compilation failed: ${r.error}`));
    }
    const name = String(m.name ?? "");
    if (!name) errs.push(F.required(`${p}.name`));
    else for (const msg of IsQualifiedName(name)) errs.push(F.invalid(`${p}.name`, name, msg));
    if (name) {
      if (names.has(name)) errs.push(F.duplicate(`${p}.name`, name));
      names.add(name);
    }
  });
  return errs;
}

/** validateValidatingWebhook / validateMutatingWebhook. */
function validateWebhook(hook: Obj, mutating: boolean, path: string): Errs {
  const errs = fullyQualifiedName(`${path}.name`, String(hook.name ?? ""));
  objs(hook.rules).forEach((r, i) => errs.push(...validateRuleWithOperations(r, `${path}.rules[${i}]`)));
  if (hook.failurePolicy !== undefined && hook.failurePolicy !== "Fail" && hook.failurePolicy !== "Ignore") errs.push(F.notSupported(`${path}.failurePolicy`, hook.failurePolicy, ["Fail", "Ignore"]));
  if (hook.matchPolicy !== undefined && hook.matchPolicy !== "Equivalent" && hook.matchPolicy !== "Exact") errs.push(F.notSupported(`${path}.matchPolicy`, hook.matchPolicy, ["Equivalent", "Exact"]));
  if (hook.sideEffects === undefined || hook.sideEffects === null) errs.push(F.required(`${path}.sideEffects`, "must specify one of None, NoneOnDryRun"));
  else if (hook.sideEffects !== "None" && hook.sideEffects !== "NoneOnDryRun") errs.push(F.notSupported(`${path}.sideEffects`, hook.sideEffects, ["None", "NoneOnDryRun"]));
  if (typeof hook.timeoutSeconds === "number" && (hook.timeoutSeconds > 30 || hook.timeoutSeconds < 1)) errs.push(F.invalid(`${path}.timeoutSeconds`, hook.timeoutSeconds, "the timeout value must be between 1 and 30 seconds"));
  if (isObj(hook.namespaceSelector)) errs.push(...validateLabelSelector(hook.namespaceSelector, `${path}.namespaceSelector`));
  if (isObj(hook.objectSelector)) errs.push(...validateLabelSelector(hook.objectSelector, `${path}.objectSelector`));
  if (mutating && hook.reinvocationPolicy !== undefined && hook.reinvocationPolicy !== "IfNeeded" && hook.reinvocationPolicy !== "Never") errs.push(F.notSupported(`${path}.reinvocationPolicy`, hook.reinvocationPolicy, ["IfNeeded", "Never"]));
  const cc = isObj(hook.clientConfig) ? hook.clientConfig : {};
  const hasURL = typeof cc.url === "string";
  const hasService = isObj(cc.service);
  if (hasURL === hasService) errs.push(F.required(`${path}.clientConfig`, "exactly one of url or service is required"));
  else if (hasURL) errs.push(...validateURL(cc.url as string, `${path}.clientConfig.url`));
  else errs.push(...validateService(cc.service as Obj, `${path}.clientConfig.service`));
  errs.push(...validateMatchConditions(objs(hook.matchConditions), `${path}.matchConditions`));
  return errs;
}

/** validateAdmissionReviewVersions (a recognized version required). */
function validateReviewVersions(versions: unknown[], path: string): Errs {
  if (versions.length === 0) return [F.required(path, "must specify one of v1, v1beta1")];
  const errs: Errs = [];
  const seen = new Set<string>();
  let accepted = false;
  versions.forEach((v, i) => {
    const s = String(v);
    if (seen.has(s)) return errs.push(F.invalid(`${path}[${i}]`, s, "duplicate version"));
    seen.add(s);
    for (const msg of IsDNS1035Label(s)) errs.push(F.invalid(`${path}[${i}]`, s, msg));
    if (s === "v1" || s === "v1beta1") accepted = true;
  });
  if (!accepted) errs.push(F.invalid(path, versions, "must include at least one of v1, v1beta1"));
  return errs;
}

export function validateWebhookConfiguration(c: KObject): Errs {
  const mutating = c.kind === "MutatingWebhookConfiguration";
  const errs = validateObjectMeta(c.metadata, false, NameIsDNSSubdomain);
  const names = new Set<string>();
  objs(c.webhooks).forEach((hook, i) => {
    const path = `webhooks[${i}]`;
    errs.push(...validateWebhook(hook, mutating, path));
    errs.push(...validateReviewVersions(arr(hook.admissionReviewVersions), `${path}.admissionReviewVersions`));
    const name = String(hook.name ?? "");
    if (name) {
      if (names.has(name)) errs.push(F.duplicate(`${path}.name`, name));
      names.add(name);
    }
  });
  return errs;
}

registerValidation("MutatingWebhookConfiguration", validateWebhookConfiguration);
registerValidation("ValidatingWebhookConfiguration", validateWebhookConfiguration);
