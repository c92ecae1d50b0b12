/**
 * CRD validation rules (`x-kubernetes-validations`, apiextensions-apiserver
 * pkg/apiserver/schema/cel/validation.go, v1.32): every rule of a schema node is evaluated with
 * `self` bound to the object's value at that node (at the root: apiVersion, kind,
 * metadata.name and metadata.generateName only), and `oldSelf` to the old object's value there
 * on an update (rules that read oldSelf, the transition rules, run only when that old value
 * exists: object properties and map entries by key; list items are not correlated). A rule that
 * is not true is the field error `<path>: Invalid value: "<type>": <message>`, where the message
 * is the messageExpression's result, else `message`, else `failed rule: <rule>`; `reason` picks
 * the error's type and `fieldPath` its path.
 */
import { compile, COST_EXCEEDED, CostBudget, RUNTIME_CEL_COST_BUDGET, type Program } from "../cel/compile.ts";
import { toCel } from "../cel/value.ts";
import type { FieldError } from "../errors.ts";
import { F, type Errs } from "../validation/field.ts";
import type { JSONSchemaProps } from "./schema.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

interface Rule {
  rule?: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

interface CompiledRule {
  rule: Rule;
  program: Program | { error: string };
  message?: Program | { error: string };
  usesOldSelf: boolean;
}

const NAMES = new Set(["self", "oldSelf"]);
const compiledRules = new WeakMap<object, CompiledRule[]>();

function rulesOf(s: JSONSchemaProps): CompiledRule[] {
  const list = s["x-kubernetes-validations"];
  if (!Array.isArray(list) || list.length === 0) return [];
  let c = compiledRules.get(list);
  if (!c) {
    c = (list as Rule[]).map((rule) => {
      const text = String(rule.rule ?? "");
      return {
        rule,
        program: compile(text, { names: NAMES }),
        ...(rule.messageExpression ? { message: compile(rule.messageExpression, { names: NAMES }) } : {}),
        usesOldSelf: /\boldSelf\b/.test(text),
      };
    });
    compiledRules.set(list, c);
  }
  return c;
}

/** validation.go ruleErrorString: the rule's message, else its text. */
function ruleErrorString(rule: Rule): string {
  return rule.message?.trim() ? rule.message.trim() : String(rule.rule ?? "").trim();
}

/** The root's `self`: the object's type and name, nothing else of its metadata. */
function rootSelf(obj: Obj): Obj {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const m: Obj = {};
  if (meta.name !== undefined) m.name = meta.name;
  if (meta.generateName !== undefined) m.generateName = meta.generateName;
  const out: Obj = { ...obj, metadata: m };
  return out;
}

function typeOf(s: JSONSchemaProps, v: unknown): string {
  if (typeof s.type === "string" && s.type) return s.type;
  if (Array.isArray(v)) return "array";
  if (isObj(v)) return "object";
  return typeof v === "number" ? "number" : typeof v;
}

/** field.Path's child of a rule's fieldPath (`.spec.x`, `['key']`), relative to the node's path. */
function withFieldPath(path: string, fieldPath: string | undefined): string {
  // The root's path is a nil field.Path, which prints `<nil>`.
  if (!fieldPath) return path || "<nil>";
  const rel = fieldPath.replace(/^\./, "");
  return path ? (rel.startsWith("[") ? `${path}${rel}` : `${path}.${rel}`) : rel;
}

function fieldError(path: string, type: string, message: string, reason: string | undefined): FieldError {
  switch (reason) {
    case "FieldValueForbidden":
      return F.forbidden(path, message);
    case "FieldValueRequired":
      return F.required(path, message);
    case "FieldValueDuplicate":
      return F.duplicate(path, type, message);
    default:
      return F.invalid(path, type, message);
  }
}

function validateNode(v: unknown, old: unknown, s: JSONSchemaProps | undefined, path: string, root: boolean, budget: CostBudget, errs: Errs): void {
  if (!s || v === undefined || v === null) return;
  const rules = rulesOf(s);
  if (rules.length) {
    const self = toCel(root && isObj(v) ? rootSelf(v) : v);
    const oldSelf = old === undefined ? null : toCel(root && isObj(old) ? rootSelf(old) : old);
    const type = typeOf(s, v);
    for (const r of rules) {
      if (r.usesOldSelf && old === undefined && !r.rule.optionalOldSelf) continue;
      const at = withFieldPath(path, r.rule.fieldPath);
      if ("error" in r.program) {
        errs.push(F.invalid(at, type, `compilation failed: ${r.program.error}`));
        continue;
      }
      const res = r.program.evaluate({ self, oldSelf }, budget);
      if ("error" in res) {
        // validation.go: the evaluation's error, with the rule's message (or text) it came from.
        if (res.error.startsWith("no such overload")) {
          errs.push(F.invalid(at, type, `'${res.error}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(r.rule)}`));
        } else if (res.error.startsWith(COST_EXCEEDED)) {
          errs.push(F.invalid(at, type, `'${res.error}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(r.rule)}`));
        } else {
          errs.push(F.invalid(at, type, `${res.error} evaluating rule: ${ruleErrorString(r.rule)}`));
        }
        continue;
      }
      if (res.value === true) continue;
      let message = "";
      if (r.message && !("error" in r.message)) {
        const m = r.message.evaluate({ self, oldSelf }, budget);
        if (!("error" in m) && typeof m.value === "string" && !m.value.includes("\n")) message = m.value.trim();
      }
      if (!message) message = r.rule.message?.trim() || `failed rule: ${String(r.rule.rule ?? "").trim()}`;
      errs.push(fieldError(at, type, message, r.rule.reason));
    }
  }
  const child = (p: string) => (path ? `${path}.${p}` : p);
  if (isObj(v)) {
    const oldObj = isObj(old) ? old : undefined;
    if (s.properties) {
      for (const [k, ps] of Object.entries(s.properties)) {
        if (root && k === "metadata") continue;
        if (k in v) validateNode(v[k], oldObj?.[k], ps, child(k), false, budget, errs);
      }
    }
    if (isObj(s.additionalProperties)) {
      for (const [k, x] of Object.entries(v)) validateNode(x, oldObj?.[k], s.additionalProperties as JSONSchemaProps, `${path}[${k}]`, false, budget, errs);
    }
  } else if (Array.isArray(v) && s.items) {
    v.forEach((x, i) => validateNode(x, undefined, s.items, `${path}[${i}]`, false, budget, errs));
  }
}

/** Whether a schema holds a validation rule anywhere (to skip the walk for most CRDs). */
export function hasValidationRules(s: JSONSchemaProps | undefined, seen = new Set<object>()): boolean {
  if (!s || seen.has(s)) return false;
  seen.add(s);
  if (Array.isArray(s["x-kubernetes-validations"]) && s["x-kubernetes-validations"].length > 0) return true;
  if (s.properties && Object.values(s.properties).some((p) => hasValidationRules(p, seen))) return true;
  if (isObj(s.additionalProperties) && hasValidationRules(s.additionalProperties as JSONSchemaProps, seen)) return true;
  return hasValidationRules(s.items, seen);
}

/** The validation rules' errors for a custom resource (and its old version on an update). */
export function validateRules(obj: Obj, old: Obj | undefined, s: JSONSchemaProps | undefined): Errs {
  const errs: Errs = [];
  if (!hasValidationRules(s)) return errs;
  validateNode(obj, old, s, "", true, new CostBudget(RUNTIME_CEL_COST_BUDGET), errs);
  return errs;
}
