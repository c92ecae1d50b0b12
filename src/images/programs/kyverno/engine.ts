/**
 * Kyverno's engine for one admission request (github.com/kyverno/kyverno at v1.14.5): the
 * validate rules (pkg/engine/handlers/validation/validate_resource.go: pass, fail with
 * `validation error: <message>. rule <name> failed at path <path>`, skip, error), the mutate rules
 * (./mutate.ts), and the webhook's answer when an Enforce rule fails
 * (pkg/webhooks/utils/block.go GetBlockedMessages: `\n\nresource <Kind>/<ns>/<name> was blocked
 * due to the following policies \n\n` and the failed rules as go-yaml v2 writes a
 * map[policy]map[rule]message).
 */
import { goYAML } from "../../../api/goyaml.ts";
import { applyStrategicMerge } from "./mutate.ts";
import { computeRules, failureAction, hasMutateStandard, hasValidate, requestContext, ruleMatches, substitute, substituteAll, type GVK, type Obj, type Policy, type Rule } from "./policy.ts";
import { matchPattern } from "./validate.ts";

export type RuleStatus = "pass" | "fail" | "skip" | "error";
export interface RuleResponse {
  name: string;
  type: "Validation" | "Mutation" | "Generation";
  status: RuleStatus;
  message: string;
  /** The failure action of a validate rule. */
  action?: "Enforce" | "Audit";
  /** Report properties the result carries besides `process` (a generate rule's `generated-resources`). */
  properties?: Record<string, string>;
}
export interface EngineResponse {
  policy: Policy;
  rules: RuleResponse[];
}

/** The admission request as the engine needs it. */
export interface Request {
  uid: string;
  operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  gvk: GVK;
  subresource: string;
  namespace: string;
  name: string;
  object: Obj | null;
  oldObject: Obj | null;
  userInfo?: unknown;
  namespaceLabels: Record<string, string>;
  dryRun?: boolean;
}

function contextOf(req: Request, object: Obj | null): Obj {
  return requestContext({ object, oldObject: req.oldObject, namespace: req.namespace, name: req.name, operation: req.operation, userInfo: req.userInfo, kind: { group: req.gvk.group, version: req.gvk.version, kind: req.gvk.kind } });
}

function matches(rule: Rule, policy: Policy, req: Request, resource: Obj): boolean {
  return ruleMatches(rule, policy, { resource, gvk: req.gvk, subresource: req.subresource, operation: req.operation, namespaceLabels: req.namespaceLabels }) === undefined;
}

/** buildErrorMessage. */
function errorMessage(rule: Rule, ctx: Obj, err: Error, path: string): string {
  const raw = rule.validate?.message ?? "";
  if (raw === "") return path ? `validation error: rule ${rule.name} failed at path ${path}` : `validation error: rule ${rule.name} execution error: ${err.message}`;
  const sub = substitute(raw, ctx);
  if (sub instanceof Error) return `validation error: variables substitution error in rule ${rule.name} execution error: ${err.message}`;
  const msg = sub.endsWith(".") ? sub : sub + ".";
  return path ? `validation error: ${msg} rule ${rule.name} failed at path ${path}` : `validation error: ${msg} rule ${rule.name} execution error: ${err.message}`;
}

/** validatePatterns on one resource. */
function validatePatterns(rule: Rule, resource: Obj, ctx: Obj): Omit<RuleResponse, "type"> {
  const v = rule.validate!;
  const sub = substituteAll(v.pattern !== undefined ? v.pattern : v.anyPattern, ctx);
  if (sub instanceof Error) return { name: rule.name, status: "error", message: `variable substitution failed: ${sub.message}` };
  if (v.pattern !== undefined) {
    const pe = matchPattern(resource, sub);
    if (!pe) return { name: rule.name, status: "pass", message: `validation rule '${rule.name}' passed.` };
    if (pe.skip) return { name: rule.name, status: "skip", message: pe.message };
    if (pe.path === "") return { name: rule.name, status: "error", message: errorMessage(rule, ctx, pe, "") };
    return { name: rule.name, status: "fail", message: errorMessage(rule, ctx, pe, pe.path) };
  }
  const patterns = Array.isArray(sub) ? sub : [];
  const failed: string[] = [];
  const skipped: string[] = [];
  for (let idx = 0; idx < patterns.length; idx++) {
    const pe = matchPattern(resource, patterns[idx]);
    if (!pe) return { name: rule.name, status: "pass", message: `validation rule '${rule.name}' anyPattern[${idx}] passed.` };
    if (pe.skip) skipped.push(`rule ${rule.name}[${idx}] skipped: ${pe.message}`);
    else failed.push(pe.path === "" ? `rule ${rule.name}[${idx}] failed: ${pe.message}` : `rule ${rule.name}[${idx}] failed at path ${pe.path}`);
  }
  if (skipped.length > 0 && failed.length === 0) return { name: rule.name, status: "skip", message: skipped.join(" ") };
  if (failed.length > 0) {
    const errStr = failed.join(" ");
    // buildAnyPatternErrorMessage
    if (!v.message) return { name: rule.name, status: "fail", message: `validation error: ${errStr}` };
    const m = substitute(v.message, ctx);
    if (m instanceof Error) return { name: rule.name, status: "fail", message: `validation error: variables substitution error in rule ${rule.name} execution error: ${errStr}` };
    const msg = m.endsWith(".") ? m : m + ".";
    return { name: rule.name, status: "fail", message: `validation error: ${msg} ${errStr}` };
  }
  return { name: rule.name, status: "pass", message: v.message ?? "" };
}

/** engine.Validate: each matching validate rule of the policy on the request's object. */
export function validatePolicy(policy: Policy, req: Request): EngineResponse {
  const rules: RuleResponse[] = [];
  if (req.operation === "DELETE" || !req.object) return { policy, rules };
  for (const rule of computeRules(policy)) {
    if (!hasValidate(rule)) continue;
    if (!matches(rule, policy, req, req.object)) continue;
    const ctx = contextOf(req, req.object);
    const action = failureAction(policy, rule);
    let r = validatePatterns(rule, req.object, ctx);
    // An UPDATE of a resource that already violated an Enforce rule is let through
    // (allowExistingViolations, true by default).
    if (action === "Enforce" && req.operation === "UPDATE" && rule.validate?.allowExistingViolations !== false && req.oldObject && r.status === "fail") {
      if (matches(rule, policy, { ...req, operation: "CREATE" }, req.oldObject)) {
        const prior = validatePatterns(rule, req.oldObject, contextOf(req, req.oldObject));
        if (prior.status === "fail") r = { name: rule.name, status: "skip", message: "skipping the rule evaluation as pre-existing violations are allowed" };
      }
    }
    rules.push({ ...r, type: "Validation", action });
  }
  return { policy, rules };
}

/** engineutils.BlockRequest: a failed Enforce rule, or an error under failurePolicy Fail. */
export function blocks(responses: EngineResponse[], failurePolicy: "Fail" | "Ignore"): boolean {
  for (const er of responses) {
    for (const r of er.rules) {
      if (r.status === "fail" && r.action === "Enforce") return true;
      if (r.status === "error" && r.action === "Enforce" && failurePolicy === "Fail") return true;
    }
  }
  return false;
}

/** GetBlockedMessages. */
export function blockedMessage(responses: EngineResponse[], resource: { kind: string; namespace: string; name: string }): string {
  const failures: Record<string, Record<string, string>> = {};
  for (const er of responses) {
    const reasons: Record<string, string> = {};
    for (const r of er.rules) if (r.status !== "pass" && r.status !== "skip") reasons[r.name] = r.message;
    if (Object.keys(reasons).length) failures[er.policy.metadata.name] = reasons;
  }
  if (Object.keys(failures).length === 0) return "";
  return `\n\nresource ${resource.kind}/${resource.namespace}/${resource.name} was blocked due to the following policies \n\n${goYAML(failures)}`;
}

/** buildSuccessMessage (pkg/engine/handlers/mutation/common.go): the patched resource's kind, name and namespace. */
export function mutatedMessage(r: Obj | undefined): string {
  if (!r) return "mutated resource";
  const meta = (r.metadata ?? {}) as { name?: string; namespace?: string };
  const kind = typeof r.kind === "string" ? r.kind : "";
  return meta.namespace ? `mutated ${kind}/${meta.name ?? ""} in namespace ${meta.namespace}` : `mutated ${kind}/${meta.name ?? ""}`;
}

/** Each policy's mutate rules applied in turn: the final object and the responses. */
export function mutate(policies: Policy[], req: Request): { object: Obj; responses: EngineResponse[] } {
  let object = structuredClone(req.object ?? {}) as Obj;
  const responses: EngineResponse[] = [];
  if (req.operation === "DELETE" || !req.object) return { object, responses };
  for (const policy of policies) {
    const rules: RuleResponse[] = [];
    for (const rule of computeRules(policy)) {
      if (!hasMutateStandard(rule)) continue;
      if (!matches(rule, policy, req, object)) continue;
      const ctx = contextOf(req, object);
      const patch = substituteAll(rule.mutate!.patchStrategicMerge, ctx);
      if (patch instanceof Error) {
        rules.push({ name: rule.name, type: "Mutation", status: "error", message: `variable substitution failed: ${patch.message}` });
        continue;
      }
      const out = applyStrategicMerge(object, patch);
      if ("skip" in out) {
        rules.push({ name: rule.name, type: "Mutation", status: "skip", message: out.skip });
        continue;
      }
      object = out.patched;
      rules.push({ name: rule.name, type: "Mutation", status: "pass", message: mutatedMessage(object) });
    }
    if (rules.length) responses.push({ policy, rules });
  }
  return { object, responses };
}
