/**
 * Kyverno's ClusterPolicy and Policy (kyverno.io/v1) as the v1.14.5 engine reads them:
 *
 * - which rules a policy has after rule auto-generation (pkg/autogen/v1: a rule matching Pods only,
 *   without names, selectors or annotations, gets `autogen-<rule>` for DaemonSet, Deployment, Job,
 *   StatefulSet, ReplicaSet and ReplicationController, its pattern under `spec.template`, and
 *   `autogen-cronjob-<rule>` for CronJob under `spec.jobTemplate.spec.template`; a policy with a
 *   generate rule or a JSON 6902 patch gets none; the `pod-policies.kyverno.io/autogen-controllers`
 *   annotation narrows the controllers);
 * - whether a rule matches a request (pkg/engine/utils/match.go MatchesResourceDescription: `match`
 *   any/all/resources, `exclude`; kinds as `Kind`, `version/Kind`, `group/version/Kind` and
 *   subresources (pkg/utils/kube ParseKindSelector), names and namespaces with wildcards, label and
 *   namespace selectors, operations);
 * - the ConfigMap's resourceFilters (`[Kind,Namespace,Name]`, pkg/config: a request they cover is
 *   not processed at all);
 * - the variables the model substitutes: `{{request.object.<path>}}`, `{{request.namespace}}`,
 *   `{{request.operation}}`, `{{request.name}}` (JMESPath's dotted paths only).
 *
 * What the model does not evaluate is refused when the policy is created (`unsupported`), with the
 * field's path: never a rule that silently passes.
 */
import { parseSelector, type LabelSelectorLike } from "./selector.ts";
import { wildcardMatch } from "./pattern.ts";

export type Obj = Record<string, unknown>;
const isMap = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ResourceDescription {
  kinds?: string[];
  name?: string;
  names?: string[];
  namespaces?: string[];
  annotations?: Record<string, string>;
  selector?: LabelSelectorLike;
  namespaceSelector?: LabelSelectorLike;
  operations?: string[];
}
export interface ResourceFilter extends ResourceDescription {
  resources?: ResourceDescription;
  subjects?: unknown[];
  roles?: string[];
  clusterRoles?: string[];
}
export interface MatchResources {
  any?: ResourceFilter[];
  all?: ResourceFilter[];
  resources?: ResourceDescription;
  subjects?: unknown[];
  roles?: string[];
  clusterRoles?: string[];
}
export interface Rule {
  name: string;
  match: MatchResources;
  exclude?: MatchResources;
  context?: unknown[];
  preconditions?: unknown;
  celPreconditions?: unknown[];
  validate?: { message?: string; failureAction?: string; pattern?: unknown; anyPattern?: unknown[]; deny?: unknown; foreach?: unknown; podSecurity?: unknown; cel?: unknown; manifests?: unknown; assert?: unknown; allowExistingViolations?: boolean; failureActionOverrides?: unknown[] };
  mutate?: { patchStrategicMerge?: unknown; patchesJson6902?: string; foreach?: unknown; targets?: unknown[]; mutateExistingOnPolicyUpdate?: boolean };
  generate?: { apiVersion?: string; kind?: string; name?: string; namespace?: string; synchronize?: boolean; data?: unknown; clone?: { namespace?: string; name?: string }; cloneList?: unknown; foreach?: unknown; orphanDownstreamOnPolicyDelete?: boolean; generateExisting?: boolean };
  verifyImages?: unknown[];
  skipBackgroundRequests?: boolean;
}
export interface PolicySpec {
  rules?: Rule[];
  validationFailureAction?: string;
  background?: boolean;
  admission?: boolean;
  failurePolicy?: string;
  webhookTimeoutSeconds?: number;
  webhookConfiguration?: unknown;
  generateExisting?: boolean;
  mutateExistingOnPolicyUpdate?: boolean;
  applyRules?: string;
  emitWarning?: boolean;
}
export interface Policy {
  apiVersion?: string;
  kind: "ClusterPolicy" | "Policy";
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; uid?: string; resourceVersion?: string; generation?: number };
  spec: PolicySpec;
  status?: Obj;
}

export const hasValidate = (r: Rule) => isMap(r.validate) && Object.keys(r.validate).length > 0;
export const hasGenerate = (r: Rule) => isMap(r.generate) && Object.keys(r.generate).length > 0;
export const hasMutate = (r: Rule) => isMap(r.mutate) && Object.keys(r.mutate).length > 0;
/** A mutate rule that patches the request's object (not one with targets: mutate-existing). */
export const hasMutateStandard = (r: Rule) => hasMutate(r) && !(r.mutate!.targets && r.mutate!.targets.length > 0);
export const hasMutateExisting = (r: Rule) => hasMutate(r) && !!(r.mutate!.targets && r.mutate!.targets.length > 0);
export const hasVerifyImages = (r: Rule) => Array.isArray(r.verifyImages) && r.verifyImages.length > 0;

/** The failure action of a validate rule: the rule's, else the policy's (deprecated) one, else Audit. */
export function failureAction(policy: Policy, rule: Rule): "Enforce" | "Audit" {
  const a = rule.validate?.failureAction ?? policy.spec.validationFailureAction ?? "Audit";
  return a.toLowerCase() === "enforce" ? "Enforce" : "Audit";
}

/** spec.failurePolicy (Fail unless Ignore). */
export const failurePolicyOf = (p: Policy): "Fail" | "Ignore" => (p.spec.failurePolicy === "Ignore" ? "Ignore" : "Fail");

// ---- auto-generation (pkg/autogen/v1) ----

export const POD_CONTROLLERS = ["DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet", "ReplicationController", "CronJob"];
export const AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers";

function filtersOf(m: MatchResources | undefined): ResourceDescription[] {
  if (!m) return [];
  const out: ResourceDescription[] = [];
  if (m.resources) out.push(m.resources);
  for (const f of [...(m.any ?? []), ...(m.all ?? [])]) out.push(f.resources ?? {});
  return out;
}

export function kindsOf(m: MatchResources | undefined): string[] {
  if (!m) return [];
  const out = [...(m.resources?.kinds ?? [])];
  for (const f of [...(m.any ?? []), ...(m.all ?? [])]) out.push(...(f.resources?.kinds ?? []));
  return out;
}

const podControllerOrPod = new Set([...POD_CONTROLLERS, "Pod"]);

/** CanAutoGen: whether the policy's Pod rules are generated for the controllers. */
export function canAutoGen(spec: PolicySpec): boolean {
  let needed = false;
  for (const rule of spec.rules ?? []) {
    if (hasGenerate(rule)) return false;
    if (rule.mutate?.patchesJson6902) return false;
    for (const d of [...filtersOf(rule.match), ...filtersOf(rule.exclude)]) {
      const kinds = d.kinds ?? [];
      if (d.name || (d.names && d.names.length) || d.selector || d.annotations || (kinds.length > 1 && kinds.includes("Pod"))) return false;
      if (kinds.some((k) => podControllerOrPod.has(k))) needed = true;
    }
  }
  return needed;
}

/** ComputeRules: the policy's rules and the auto-generated ones, in Kyverno's order. */
export function computeRules(policy: Policy): Rule[] {
  const rules = policy.spec.rules ?? [];
  if (!canAutoGen(policy.spec)) return rules;
  const ann = policy.metadata.annotations?.[AUTOGEN_ANNOTATION];
  const controllers = ann !== undefined ? ann.split(",") : POD_CONTROLLERS;
  if (controllers.includes("none")) return rules;
  const gen: Rule[] = [];
  const plain = controllers.filter((c) => c !== "CronJob" && POD_CONTROLLERS.includes(c)).sort();
  const cronjob = controllers.includes("CronJob") || controllers.includes("all");
  for (const rule of rules) {
    if (rule.name.startsWith("autogen-")) continue;
    const matchKinds = kindsOf(rule.match);
    const excludeKinds = kindsOf(rule.exclude);
    if (!matchKinds.includes("Pod") || (excludeKinds.length > 0 && !excludeKinds.includes("Pod"))) continue;
    const kinds = controllers.includes("all") ? ["DaemonSet", "Deployment", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"] : plain;
    const base = kinds.length ? generateRule(autogenName("autogen", rule.name), rule, "template", "Pod", kinds) : undefined;
    if (base) gen.push(base);
    if (cronjob && base) {
      const cj = generateRule(autogenName("autogen-cronjob", rule.name), base, "jobTemplate", "Cronjob", ["CronJob"], true);
      if (cj) gen.push(cj);
    }
  }
  if (gen.length === 0) return rules;
  return [...rules.filter((r) => !r.name.startsWith("autogen-")), ...gen];
}

function autogenName(prefix: string, name: string): string {
  const n = `${prefix}-${name}`;
  return n.length > 63 ? n.slice(0, 63) : n;
}

function replaceKinds(m: MatchResources, kinds: string[], onlyPod: boolean): MatchResources {
  const out = structuredClone(m);
  const fix = (fs: ResourceFilter[] | undefined) => {
    for (const f of fs ?? []) {
      if (!f.resources) continue;
      if (!onlyPod || (f.resources.kinds ?? []).includes("Pod")) f.resources.kinds = [...kinds];
    }
  };
  if (out.any && out.any.length) fix(out.any);
  else if (out.all && out.all.length) fix(out.all);
  else out.resources = { ...(out.resources ?? {}), kinds: [...kinds] };
  return out;
}

/** The `request.object.spec` → `request.object.spec.template.spec` rewrites of updateFields. */
function shiftReferences(v: unknown, kind: "Pod" | "Cronjob"): unknown {
  const to = kind === "Pod" ? "spec.template." : "spec.jobTemplate.spec.template.";
  const s = JSON.stringify(v)
    .replaceAll("request.object.spec", `request.object.${to}spec`)
    .replaceAll("request.oldObject.spec", `request.oldObject.${to}spec`)
    .replaceAll("request.object.metadata", `request.object.${to}metadata`)
    .replaceAll("request.oldObject.metadata", `request.oldObject.${to}metadata`);
  return JSON.parse(s);
}

/** generateRule: the rule for `kinds`, its pattern or patch nested under `spec.<tplKey>`. */
function generateRule(name: string, ruleIn: Rule, tplKey: string, shift: "Pod" | "Cronjob", kinds: string[], cron = false): Rule | undefined {
  const rule = structuredClone(ruleIn);
  const out: Rule = { name, match: replaceKinds(rule.match, kinds, !cron) };
  if (rule.exclude) {
    const ex = rule.exclude;
    if ((ex.any && ex.any.length) || (ex.all && ex.all.length)) out.exclude = replaceKinds(ex, kinds, !cron);
    else if (ex.resources?.kinds?.length) out.exclude = replaceKinds(ex, kinds, !cron);
    else out.exclude = ex;
  }
  if (rule.context) out.context = rule.context;
  if (rule.preconditions) out.preconditions = rule.preconditions;
  if (rule.celPreconditions) out.celPreconditions = rule.celPreconditions;
  if (rule.skipBackgroundRequests !== undefined) out.skipBackgroundRequests = rule.skipBackgroundRequests;
  const wrap = (p: unknown) => ({ spec: { [tplKey]: p } });
  if (rule.mutate?.patchStrategicMerge !== undefined) {
    out.mutate = { patchStrategicMerge: wrap(rule.mutate.patchStrategicMerge) };
  } else if (rule.validate?.pattern !== undefined) {
    out.validate = { ...keepValidate(rule), pattern: wrap(rule.validate.pattern) };
  } else if (rule.validate?.anyPattern !== undefined) {
    out.validate = { ...keepValidate(rule), anyPattern: (rule.validate.anyPattern ?? []).map(wrap) };
  } else if (rule.validate?.deny !== undefined) {
    out.validate = { ...keepValidate(rule), deny: rule.validate.deny };
  } else if (rule.verifyImages) {
    out.verifyImages = rule.verifyImages;
  } else return undefined;
  return shiftReferences(out, shift) as Rule;
}

function keepValidate(rule: Rule): NonNullable<Rule["validate"]> {
  const v = rule.validate!;
  const out: NonNullable<Rule["validate"]> = {};
  if (v.message !== undefined) out.message = v.message;
  if (v.failureAction !== undefined) out.failureAction = v.failureAction;
  if (v.failureActionOverrides !== undefined) out.failureActionOverrides = v.failureActionOverrides;
  if (v.allowExistingViolations !== undefined) out.allowExistingViolations = v.allowExistingViolations;
  return out;
}

// ---- matching (pkg/engine/utils/match.go) ----

/** ParseKindSelector: group, version, kind, subresource. */
export function parseKindSelector(input: string): [string, string, string, string] {
  let parts = input.split("/");
  parts = [...parts.slice(0, -1), ...parts[parts.length - 1]!.split(".")];
  const version = /^v\d+((alpha|beta)\d+)?$|^\*$/;
  switch (parts.length) {
    case 1:
      return ["*", "*", parts[0]!, ""];
    case 2:
      if (parts[0] === "*" && parts[1] === "*") return ["*", "*", "*", "*"];
      if (parts[0] === "*" && parts[1]!.toLowerCase() === parts[1]) return ["*", "*", parts[0], parts[1]!];
      if (version.test(parts[0]!)) return ["*", parts[0]!, parts[1]!, ""];
      return ["*", "*", parts[0]!, parts[1]!];
    case 3:
      if (version.test(parts[0]!)) return ["*", parts[0]!, parts[1]!, parts[2]!];
      return [parts[0]!, parts[1]!, parts[2]!, ""];
    case 4:
      return [parts[0]!, parts[1]!, parts[2]!, parts[3]!];
    default:
      return ["", "", "", ""];
  }
}

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

/** match.CheckKind. */
export function checkKind(kinds: string[], gvk: GVK, subresource: string): boolean {
  for (const k of kinds) {
    const [g, v, kind, sub] = parseKindSelector(k);
    if (!wildcardMatch(g, gvk.group) || !wildcardMatch(v, gvk.version) || !wildcardMatch(kind, gvk.kind)) continue;
    if (sub === "*" || sub === subresource) return true;
    // A Pod rule covers ephemeral containers (allowEphemeralContainers).
    if (sub === "" && gvk.kind === "Pod" && subresource === "ephemeralcontainers") return true;
  }
  return false;
}

export interface MatchRequest {
  resource: Obj;
  gvk: GVK;
  subresource: string;
  operation: string;
  namespaceLabels: Record<string, string>;
}

function descriptionErrors(d: ResourceDescription, req: MatchRequest): string[] {
  if (d.operations && d.operations.length > 0 && !d.operations.includes(req.operation)) return ["operation does not match"];
  const errs: string[] = [];
  const meta = (req.resource.metadata ?? {}) as { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  if (d.kinds && d.kinds.length > 0 && !checkKind(d.kinds, req.gvk, req.subresource)) errs.push(`kind does not match [${d.kinds.join(" ")}]`);
  const name = meta.name || meta.generateName || "";
  if (d.name && !wildcardMatch(d.name, name)) errs.push("name does not match");
  if (d.names && d.names.length > 0 && !d.names.some((n) => wildcardMatch(n, name))) errs.push("none of the names match");
  if (d.namespaces && d.namespaces.length > 0) {
    const ns = req.gvk.kind === "Namespace" ? (meta.name ?? "") : (meta.namespace ?? "");
    if (!d.namespaces.some((n) => wildcardMatch(n, ns))) errs.push("namespace does not match");
  }
  if (d.annotations && Object.keys(d.annotations).length > 0) {
    const ann = meta.annotations ?? {};
    const ok = Object.entries(d.annotations).every(([k, v]) => Object.entries(ann).some(([k1, v1]) => wildcardMatch(k, k1) && wildcardMatch(v, v1)));
    if (!ok) errs.push("annotations does not match");
  }
  if (d.selector) {
    const sel = parseSelector(d.selector, meta.labels ?? {});
    if (sel instanceof Error) errs.push(`failed to parse selector: ${sel.message}`);
    else if (!sel(meta.labels ?? {})) errs.push("selector does not match");
  }
  if (d.namespaceSelector) {
    if (req.gvk.kind === "Namespace") errs.push("namespace selector is not applicable for namespace resource");
    else {
      const sel = parseSelector(d.namespaceSelector, req.namespaceLabels);
      if (sel instanceof Error) errs.push(`failed to parse namespace selector: ${sel.message}`);
      else if (!sel(req.namespaceLabels)) errs.push("namespace selector does not match labels");
    }
  }
  return errs;
}

const isEmptyDescription = (d: ResourceDescription | undefined) => !d || Object.keys(d).length === 0;

/** MatchesResourceDescription: undefined when the rule applies to the request, else why not. */
export function ruleMatches(rule: Rule, policy: Policy, req: MatchRequest): string | undefined {
  const reasons: string[] = [];
  const ns = ((req.resource.metadata ?? {}) as { namespace?: string }).namespace ?? "";
  if (policy.kind === "Policy" && (policy.metadata.namespace ?? "") !== ns) return "policy and resource namespaces mismatch";
  const m = rule.match ?? {};
  const helper = (f: ResourceFilter) => (isEmptyDescription(f.resources) ? ["match cannot be empty"] : descriptionErrors(f.resources!, req));
  if (m.any && m.any.length > 0) {
    if (!m.any.some((f) => helper(f).length === 0)) reasons.push("no resource matched");
  } else if (m.all && m.all.length > 0) {
    for (const f of m.all) reasons.push(...helper(f));
  } else {
    reasons.push(...(isEmptyDescription(m.resources) ? ["match cannot be empty"] : descriptionErrors(m.resources!, req)));
  }
  const ex = rule.exclude;
  if (reasons.length === 0 && ex) {
    const excluded = (f: ResourceFilter) => !isEmptyDescription(f.resources) && descriptionErrors(f.resources!, req).length === 0;
    if (ex.any && ex.any.length > 0) {
      if (ex.any.some(excluded)) reasons.push("resource excluded since one of the criteria excluded it");
    } else if (ex.all && ex.all.length > 0) {
      if (ex.all.every(excluded)) reasons.push("resource excluded since the combination of all criteria exclude it");
    } else if (!isEmptyDescription(ex.resources) && descriptionErrors(ex.resources!, req).length === 0) {
      reasons.push("resource excluded since one of the criteria excluded it");
    }
  }
  if (reasons.length === 0) return undefined;
  return `rule ${rule.name} not matched:` + reasons.map((r, i) => `\n ${i + 1}. ${r}`).join("");
}

// ---- resource filters (pkg/config ParseKinds / ToFilter) ----

export interface Filter {
  kind: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** config.parseKinds: `[Kind,Namespace,Name] [Kind/sub,Namespace,Name] …`. */
export function parseResourceFilters(list: string): Filter[] {
  const out: Filter[] = [];
  for (const m of list.matchAll(/\[([^\]]*)\]/g)) {
    const parts = m[1]!.split(",").map((s) => s.trim());
    const [kindSub = "", namespace = "", name = ""] = parts;
    const slash = kindSub.indexOf("/");
    out.push({ kind: slash >= 0 ? kindSub.slice(0, slash) : kindSub, subresource: slash >= 0 ? kindSub.slice(slash + 1) : "", namespace, name });
  }
  return out;
}

/** configuration.ToFilter: whether the filters exclude this request from processing. */
export function filtered(filters: Filter[], kind: string, subresource: string, namespace: string, name: string): boolean {
  for (const f of filters) {
    if (!wildcardMatch(f.kind, kind)) continue;
    if (f.subresource === "" ? subresource !== "" : !wildcardMatch(f.subresource, subresource)) continue;
    if (f.namespace !== "" && !wildcardMatch(f.namespace, namespace)) continue;
    if (f.name !== "" && !wildcardMatch(f.name, name)) continue;
    return true;
  }
  return false;
}

// ---- variables ----

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The JSON context of an admission request: `request.*` (pkg/engine/context). */
export function requestContext(req: { object?: unknown; oldObject?: unknown; namespace?: string; name?: string; operation?: string; userInfo?: unknown; kind?: unknown }): Obj {
  return { request: { object: req.object ?? null, oldObject: req.oldObject ?? null, namespace: req.namespace ?? "", name: req.name ?? "", operation: req.operation ?? "", userInfo: req.userInfo ?? {}, kind: req.kind ?? {} } };
}

/** A dotted JMESPath (`request.object.metadata.name`) in the context; undefined when it is not one the model evaluates. */
function lookup(ctx: Obj, expr: string): { value: unknown } | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(expr)) return undefined;
  let cur: unknown = ctx;
  for (const part of expr.split(".")) {
    if (!isMap(cur)) return { value: null };
    cur = cur[part];
  }
  return { value: cur ?? null };
}

/** Whether every `{{…}}` in the text is a variable the model evaluates. */
export function unsupportedVariables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VARIABLE)) {
    const expr = m[1]!;
    if (!/^request\.(object|oldObject|namespace|name|operation|userInfo|kind)(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(expr)) out.push(m[0]);
  }
  return out;
}

/** SubstituteAll on a string: each `{{path}}` replaced by its value (an error names an unresolved one). */
export function substitute(text: string, ctx: Obj): string | Error {
  let err: Error | undefined;
  const out = text.replace(VARIABLE, (whole, expr: string) => {
    const v = lookup(ctx, expr);
    if (!v) {
      err ??= new Error(`failed to resolve ${whole}: unsupported JMESPath expression`);
      return whole;
    }
    if (v.value === null) {
      err ??= new Error(`failed to resolve ${expr} at path `);
      return whole;
    }
    return typeof v.value === "string" ? v.value : JSON.stringify(v.value);
  });
  return err ?? out;
}

/**
 * Substitutes the variables in every string of a value. A string that is one variable and nothing
 * else takes the variable's value with its type (substituteVariablesIfAny: `originalPattern == v`
 * returns the value itself), so `replicas: "{{request.object.spec.replicas}}"` stays a number.
 */
export function substituteAll(v: unknown, ctx: Obj): unknown | Error {
  if (typeof v === "string") {
    const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(v);
    const found = whole ? lookup(ctx, whole[1]!) : undefined;
    if (found && found.value !== null && typeof found.value !== "string") return structuredClone(found.value);
    return substitute(v, ctx);
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const r = substituteAll(x, ctx);
      if (r instanceof Error) return r;
      out.push(r);
    }
    return out;
  }
  if (isMap(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const r = substituteAll(x, ctx);
      if (r instanceof Error) return r;
      out[k] = r;
    }
    return out;
  }
  return v;
}

// ---- what the model does not evaluate ----

/**
 * The fields of a policy the model does not evaluate, each as `spec.rules[i].<field>`; the policy
 * webhook refuses such a policy (docs/divergences.md) rather than let its rules pass unchecked.
 */
export function unsupported(policy: Policy): string[] {
  const out: string[] = [];
  const spec = policy.spec ?? {};
  if (spec.webhookConfiguration) out.push("spec.webhookConfiguration");
  if (spec.applyRules && spec.applyRules !== "All") out.push("spec.applyRules");
  (spec.rules ?? []).forEach((r, i) => {
    const at = `spec.rules[${i}]`;
    if (r.context && r.context.length) out.push(`${at}.context`);
    if (r.preconditions) out.push(`${at}.preconditions`);
    if (r.celPreconditions && r.celPreconditions.length) out.push(`${at}.celPreconditions`);
    if (r.verifyImages && r.verifyImages.length) out.push(`${at}.verifyImages`);
    for (const [which, m] of [["match", r.match], ["exclude", r.exclude]] as const) {
      if (!m) continue;
      if (m.subjects || m.roles || m.clusterRoles) out.push(`${at}.${which}.subjects/roles/clusterRoles`);
      for (const [k, list] of [["any", m.any], ["all", m.all]] as const) {
        (list ?? []).forEach((f, j) => {
          if (f.subjects || f.roles || f.clusterRoles) out.push(`${at}.${which}.${k}[${j}].subjects/roles/clusterRoles`);
        });
      }
    }
    const v = r.validate;
    if (v) {
      for (const k of ["deny", "foreach", "podSecurity", "cel", "manifests", "assert", "failureActionOverrides"] as const) if (v[k] !== undefined) out.push(`${at}.validate.${k}`);
      if (v.message) for (const x of unsupportedVariables(v.message)) out.push(`${at}.validate.message ${x}`);
      for (const x of unsupportedVariables(JSON.stringify(v.pattern ?? v.anyPattern ?? ""))) out.push(`${at}.validate.pattern ${x}`);
    }
    const m = r.mutate;
    if (m) {
      for (const k of ["patchesJson6902", "foreach", "targets"] as const) if (m[k] !== undefined) out.push(`${at}.mutate.${k}`);
      for (const x of unsupportedVariables(JSON.stringify(m.patchStrategicMerge ?? ""))) out.push(`${at}.mutate.patchStrategicMerge ${x}`);
    }
    const g = r.generate;
    if (g) {
      for (const k of ["cloneList", "foreach"] as const) if (g[k] !== undefined) out.push(`${at}.generate.${k}`);
      for (const x of unsupportedVariables(JSON.stringify(g))) out.push(`${at}.generate ${x}`);
    }
  });
  return out;
}
