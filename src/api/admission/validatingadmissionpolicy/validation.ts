/**
 * Validation of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects
 * (pkg/apis/admissionregistration/validation/validation.go, v1.32): required fields, supported
 * values, and every CEL expression compiled: one that does not compile is refused with
 * `spec.validations[0].expression: Invalid value: "…": compilation failed: ERROR: <input>:…`.
 */
import { compile } from "../../cel/compile.ts";
import { arr, F, GoRepr, isObj, objs, type Errs, type Obj } from "../../validation/field.ts";
import { goQuote } from "../../errors.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "../../validation/meta.ts";
import type { KObject } from "../../types.ts";
import { declarations } from "./compiled.ts";
import { validateRuleWithOperations } from "../rules_validation.ts";

const REASONS = ["Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"];
const CEL_RESERVED = new Set(["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]);
const isCELIdentifier = (s: string) => /^[_a-zA-Z][_a-zA-Z0-9]*$/.test(s) && !CEL_RESERVED.has(s);


function validateMatchResources(m: Obj, path: string): Errs {
  const errs: Errs = [];
  if (m.matchPolicy === undefined) errs.push(F.required(`${path}.matchPolicy`));
  else if (m.matchPolicy !== "Exact" && m.matchPolicy !== "Equivalent") errs.push(F.notSupported(`${path}.matchPolicy`, m.matchPolicy, ["Equivalent", "Exact"]));
  objs(m.resourceRules).forEach((r, i) => errs.push(...validateRuleWithOperations(r, `${path}.resourceRules[${i}]`)));
  objs(m.excludeResourceRules).forEach((r, i) => errs.push(...validateRuleWithOperations(r, `${path}.excludeResourceRules[${i}]`)));
  return errs;
}

/** A CEL expression of the policy: `Invalid value: "<expr>": compilation failed: ERROR: …` when it does not compile. */
function celErr(path: string, expression: string, names: ReadonlySet<string>, variables: readonly string[]): Errs {
  const r = compile(expression, { names, variables });
  return "error" in r ? [F.invalid(path, expression, `compilation failed: ${r.error}`)] : [];
}

export function validateValidatingAdmissionPolicy(p: KObject): Errs {
  const errs = validateObjectMeta(p.metadata, false, NameIsDNSSubdomain);
  const spec = (isObj(p.spec) ? p.spec : {}) as Obj;
  if (spec.failurePolicy === undefined) errs.push(F.required("spec.failurePolicy"));
  else if (spec.failurePolicy !== "Fail" && spec.failurePolicy !== "Ignore") errs.push(F.notSupported("spec.failurePolicy", spec.failurePolicy, ["Fail", "Ignore"]));
  const hasParams = isObj(spec.paramKind);
  if (hasParams) {
    const pk = spec.paramKind as Obj;
    if (!pk.apiVersion) errs.push(F.required("spec.paramKind.apiVersion"));
    if (!pk.kind) errs.push(F.required("spec.paramKind.kind"));
  }
  if (!isObj(spec.matchConstraints)) errs.push(F.required("spec.matchConstraints"));
  else {
    errs.push(...validateMatchResources(spec.matchConstraints, "spec.matchConstraints"));
    if (arr(spec.matchConstraints.resourceRules).length === 0) errs.push(F.required("spec.matchConstraints.resourceRules"));
  }
  const withAuthz = declarations(hasParams, true);
  const noAuthz = declarations(hasParams, false);
  const names = new Set<string>();
  objs(spec.matchConditions).forEach((m, i) => {
    const path = `spec.matchConditions[${i}]`;
    const expr = String(m.expression ?? "").trim();
    if (!expr) errs.push(F.required(`${path}.expression`));
    else errs.push(...celErr(`${path}.expression`, expr, withAuthz, []));
    if (!m.name) errs.push(F.required(`${path}.name`));
    else if (names.has(String(m.name))) errs.push(F.duplicate(`${path}.name`, m.name));
    names.add(String(m.name ?? ""));
  });
  const declared: string[] = [];
  objs(spec.variables).forEach((v, i) => {
    const path = `spec.variables[${i}]`;
    const name = String(v.name ?? "");
    if (!name.trim()) errs.push(F.required(`${path}.name`, "name is not specified"));
    else if (!isCELIdentifier(name)) errs.push(F.invalid(`${path}.name`, name, "name is not a valid CEL identifier"));
    const expr = String(v.expression ?? "");
    if (!expr.trim()) errs.push(F.required(`${path}.expression`, "expression is not specified"));
    else errs.push(...celErr(`${path}.expression`, expr, withAuthz, declared));
    declared.push(name);
  });
  const validations = objs(spec.validations);
  const audits = objs(spec.auditAnnotations);
  if (validations.length === 0 && audits.length === 0) {
    errs.push(F.required("spec.validations", "validations or auditAnnotations must contain at least one item"));
    errs.push(F.required("spec.auditAnnotations", "validations or auditAnnotations must contain at least one item"));
  }
  validations.forEach((v, i) => {
    const path = `spec.validations[${i}]`;
    const expr = String(v.expression ?? "");
    if (!expr.trim()) errs.push(F.required(`${path}.expression`, "expression is not specified"));
    else errs.push(...celErr(`${path}.expression`, expr, withAuthz, declared));
    if (typeof v.messageExpression === "string") {
      if (v.messageExpression.length > 0 && !v.messageExpression.trim()) errs.push(F.invalid(`${path}.messageExpression`, v.messageExpression, "must be non-empty if specified"));
      else if (v.messageExpression.trim()) errs.push(...celErr(`${path}.messageExpression`, v.messageExpression, noAuthz, declared));
    }
    if (typeof v.message === "string") {
      const m = v.message.trim();
      if (v.message.length > 0 && !m) errs.push(F.invalid(`${path}.message`, v.message, "message must be non-empty if specified"));
      else if (/[\r\n]/.test(m)) errs.push(F.invalid(`${path}.message`, v.message, "message must not contain line breaks"));
    }
    if (v.reason !== undefined && !REASONS.includes(String(v.reason))) errs.push(F.notSupported(`${path}.reason`, v.reason, REASONS));
  });
  const keys = new Set<string>();
  audits.forEach((a, i) => {
    const path = `spec.auditAnnotations[${i}]`;
    const expr = String(a.valueExpression ?? "");
    if (!String(a.key ?? "")) errs.push(F.required(`${path}.key`));
    if (!expr.trim()) errs.push(F.required(`${path}.valueExpression`, "valueExpression is not specified"));
    else errs.push(...celErr(`${path}.valueExpression`, expr, withAuthz, declared));
    if (keys.has(String(a.key))) errs.push(F.duplicate(`${path}.key`, a.key));
    keys.add(String(a.key));
  });
  return errs;
}

const ACTIONS = ["Audit", "Deny", "Warn"];

export function validateValidatingAdmissionPolicyBinding(b: KObject): Errs {
  const errs = validateObjectMeta(b.metadata, false, NameIsDNSSubdomain);
  const spec = (isObj(b.spec) ? b.spec : {}) as Obj;
  if (!spec.policyName) errs.push(F.required("spec.policyName"));
  if (isObj(spec.paramRef)) {
    const pr = spec.paramRef;
    if (pr.name && pr.selector) errs.push(F.forbidden("spec.paramRef.name", "name and selector are mutually exclusive"));
    if (!pr.parameterNotFoundAction) errs.push(F.required("spec.paramRef.parameterNotFoundAction"));
    else if (pr.parameterNotFoundAction !== "Deny" && pr.parameterNotFoundAction !== "Allow") errs.push(F.notSupported("spec.paramRef.parameterNotFoundAction", pr.parameterNotFoundAction, ["Deny", "Allow"]));
  }
  const actions = arr(spec.validationActions).map(String);
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!ACTIONS.includes(a)) errs.push(F.notSupported(`spec.validationActions[${i}]`, a, ACTIONS));
    if (seen.has(a)) errs.push(F.duplicate(`spec.validationActions[${i}]`, a));
    seen.add(a);
  });
  if (seen.has("Deny") && seen.has("Warn")) errs.push(F.invalid("spec.validationActions", new GoRepr(`[]admissionregistration.ValidationAction{${actions.map(goQuote).join(", ")}}`), "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
  if (seen.size === 0) errs.push(F.required("spec.validationActions", "at least one validation action is required"));
  return errs;
}
