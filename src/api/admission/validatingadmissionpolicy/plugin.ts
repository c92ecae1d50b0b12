/**
 * The ValidatingAdmissionPolicy admission plugin of kube-apiserver v1.32
 * (k8s.io/apiserver/pkg/admission/plugin/policy/validating: plugin.go, dispatcher.go,
 * validator.go; policy/generic and policy/matching): for every policy whose matchConstraints
 * match the request, every binding of it whose matchResources match, and every parameter the
 * binding selects, the policy's matchConditions, then its validations, are evaluated with CEL
 * (../../cel/). A false validation is enforced by the binding's validationActions: Deny refuses
 * the request (`ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression:
 * …`, with the validation's reason, Invalid by default, and its HTTP code), Warn adds the
 * warning `Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': …`, Audit has
 * no audit log to go to. An expression that errors, a parameter not found under `Deny`, a
 * policy whose expressions do not compile, are failures that failurePolicy decides (Fail:
 * refused; Ignore: admitted).
 *
 * Cheap when no policy exists: one count of the stored policies per write.
 */
import type { CelError, CelInput, CelValue } from "@bufbuild/cel";
import { celRuntime } from "../../cel/runtime.ts";
import { CostBudget, RUNTIME_CEL_COST_BUDGET, variableBinding, type Program } from "../../cel/compile.ts";
import { toCel } from "../../cel/value.ts";
import { ApiError, qualifiedResource } from "../../errors.ts";
import { labelSelectorAsSelector, type LabelSelector } from "../../labels.ts";
import type { AdmissionAttributes, AdmissionPlugin, ApiServer, Operation } from "../../store.ts";
import type { KObject } from "../../types.ts";
import { compiledPolicy, type CompiledPolicy } from "./compiled.ts";
import { matches, type MatchResources, type RequestInfo } from "./matching.ts";
import { validateValidatingAdmissionPolicy, validateValidatingAdmissionPolicyBinding } from "./validation.ts";
import { registerValidation } from "../../validation/index.ts";
import { requestUserInfo } from "../../authorization/requester.ts";

type Obj = Record<string, unknown>;

interface Decision {
  policy: string;
  binding?: string;
  message: string;
  reason?: string;
}

/** validator.go reasonToCode: the reasons a validation may give, and Invalid for any other. */
const REASONS = new Set(["Forbidden", "Unauthorized", "RequestEntityTooLarge", "Invalid"]);

/** One request's evaluation of one (policy, binding, param): the bindings and the memo of the policy's variables. */
class Evaluation {
  private readonly memo = new Map<string, { value: CelValue } | { error: string }>();
  constructor(
    private readonly compiled: CompiledPolicy,
    private readonly base: Record<string, CelInput>,
    private readonly budget: CostBudget,
  ) {}

  /** Runs a program, its variables evaluated first (once, in declaration order). */
  run(p: Program): { value: CelValue } | { error: string } {
    const bindings: Record<string, CelInput | CelError> = { ...this.base };
    for (const name of this.closure(p)) {
      const v = this.variable(name);
      // A variable's error is the error of the expression that reads it.
      if (!v || "error" in v) return { error: v?.error ?? `undefined variable ${name}` };
      bindings[variableBinding(name)] = v.value as CelInput;
    }
    return p.evaluate(bindings, this.budget);
  }

  /** The variables a program reads, with the ones they read, in declaration order. */
  private closure(p: Program): string[] {
    const want = new Set<string>();
    const add = (names: readonly string[]) => {
      for (const n of names) {
        if (want.has(n)) continue;
        want.add(n);
        const v = this.compiled.variables.find((x) => x.name === n);
        if (v && !("error" in v.program)) add(v.program.usesVariables);
      }
    };
    add(p.usesVariables);
    return this.compiled.variables.map((v) => v.name).filter((n) => want.has(n));
  }

  private variable(name: string): { value: CelValue } | { error: string } | undefined {
    const memo = this.memo.get(name);
    if (memo) return memo;
    const v = this.compiled.variables.find((x) => x.name === name);
    if (!v) return undefined;
    const out = "error" in v.program ? { error: `compilation failed: ${v.program.error}` } : this.run(v.program);
    this.memo.set(name, out);
    return out;
  }
}

/** cel.CreateAdmissionRequest as an unstructured map. */
function admissionRequest(req: RequestInfo, kind: KObject, dryRun: boolean): Obj {
  const group = req.group;
  const gvk = { group, version: req.version, kind: kind.kind };
  const gvr = { group, version: req.version, resource: req.resource };
  return {
    kind: gvk,
    resource: gvr,
    ...(req.subresource ? { subResource: req.subresource } : {}),
    requestKind: gvk,
    requestResource: gvr,
    ...(req.subresource ? { requestSubResource: req.subresource } : {}),
    name: req.name,
    namespace: req.namespace,
    operation: req.operation,
    // The requester: the user the request authenticated (and RBAC authorized) as, a controller's
    // service account, or the scenario's kubectl user (src/api/authorization/requester.ts).
    userInfo: requestUserInfo(),
    dryRun,
  };
}

/** generic.CollectParams: the params a binding selects, `[undefined]` when the policy takes none. */
function collectParams(api: ApiServer, policy: KObject, binding: KObject, namespace: string): Array<KObject | undefined> {
  const paramKind = (policy.spec as Obj | undefined)?.paramKind as { apiVersion?: string; kind?: string } | undefined;
  const paramRef = (binding.spec as Obj | undefined)?.paramRef as { name?: string; namespace?: string; selector?: LabelSelector; parameterNotFoundAction?: string } | undefined;
  if (!paramKind) return [undefined];
  const r = api.registry.forGVK(paramKind.apiVersion ?? "", paramKind.kind ?? "");
  if (!r) throw new Error(`failed to find resource referenced by paramKind: '${paramKind.apiVersion ?? ""}, Kind=${paramKind.kind ?? ""}'`);
  if (!paramRef) return [undefined];
  let ns: string | undefined;
  if (r.namespaced) {
    ns = paramRef.namespace || namespace;
    if (!ns) throw new Error("cannot use namespaced paramRef in policy binding that matches cluster-scoped resources");
  } else if (paramRef.namespace) {
    throw new Error("paramRef.namespace must not be provided for a cluster-scoped `paramKind`");
  }
  let params: KObject[];
  if (paramRef.name) {
    if (paramRef.selector) throw new Error("paramRef.name and paramRef.selector are mutually exclusive");
    const p = api.get(r.key, ns, paramRef.name);
    params = p ? [p] : [];
  } else {
    const sel = labelSelectorAsSelector(paramRef.selector ?? {});
    params = api.list(r.key, ns !== undefined ? { namespace: ns } : {}).filter((o) => sel.matches(o.metadata.labels ?? {}));
  }
  if (params.length === 0 && paramRef.parameterNotFoundAction === "Deny") throw new Error("no params found for policy binding with `Deny` parameterNotFoundAction");
  return params;
}

function validate(api: ApiServer, obj: KObject, op: Operation, old: KObject | undefined, attrs: AdmissionAttributes): void {
  const r = attrs.resource;
  const namespace = r.namespaced ? obj.metadata.namespace ?? "" : "";
  const name = obj.metadata.name || attrs.name;
  const req: RequestInfo = {
    operation: op,
    group: r.group,
    version: r.version,
    resource: r.plural,
    subresource: "",
    name,
    namespace,
    namespaced: r.namespaced,
    object: obj,
    oldObject: old,
    namespaceObject: namespace ? api.get("Namespace", undefined, namespace) : undefined,
  };
  const denied: Decision[] = [];
  const policies = api.list("ValidatingAdmissionPolicy").slice().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  let bindings: KObject[] | undefined;
  for (const policy of policies) {
    const spec = (policy.spec ?? {}) as Obj;
    if (!matches(spec.matchConstraints as MatchResources | undefined, req, true)) continue;
    const failurePolicy = spec.failurePolicy === "Ignore" ? "Ignore" : "Fail";
    const fail = (message: string, binding?: string) => {
      if (failurePolicy === "Fail") denied.push({ policy: policy.metadata.name!, binding, message });
    };
    bindings ??= api.list("ValidatingAdmissionPolicyBinding").slice().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const mine = bindings.filter((b) => (b.spec as Obj | undefined)?.policyName === policy.metadata.name);
    if (mine.length === 0) continue;
    const compiled = compiledPolicy(policy);
    for (const binding of mine) {
      const bspec = (binding.spec ?? {}) as Obj;
      if (!matches(bspec.matchResources as MatchResources | undefined, req, false)) continue;
      const actions = (Array.isArray(bspec.validationActions) ? bspec.validationActions : []) as string[];
      const bname = binding.metadata.name!;
      let params: Array<KObject | undefined>;
      try {
        params = collectParams(api, policy, binding, namespace);
      } catch (e) {
        fail(`failed to configure binding: ${(e as Error).message}`, bname);
        continue;
      }
      for (const param of params) {
        const budget = new CostBudget(RUNTIME_CEL_COST_BUDGET);
        const base: Record<string, CelInput> = {
          object: toCel(obj),
          oldObject: toCel(old ?? null),
          request: toCel(admissionRequest(req, obj, attrs.dryRun)),
          params: toCel(param ?? null),
          namespaceObject: toCel(req.namespaceObject ?? null),
        };
        const ev = new Evaluation(compiled, base, budget);
        for (const d of evaluate(compiled, ev, failurePolicy)) {
          for (const action of actions) {
            if (action === "Deny") denied.push({ policy: policy.metadata.name!, binding: bname, message: d.message, reason: d.reason });
            else if (action === "Warn") attrs.warnings?.push(`Validation failed for ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${bname}': ${d.message}`);
          }
        }
      }
    }
  }
  if (denied.length === 0) return;
  const d = denied[0]!;
  const message = d.binding !== undefined ? `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}` : `ValidatingAdmissionPolicy '${d.policy}' denied request: ${d.message}`;
  // admission.NewForbidden's message and details, with the decision's reason and code.
  const gr = { plural: r.plural, group: r.group };
  const what = name === "" ? qualifiedResource(gr) : `${qualifiedResource(gr)} ${JSON.stringify(name)}`;
  const reason = d.reason && REASONS.has(d.reason) ? d.reason : "Invalid";
  throw new ApiError(reason as "Invalid", `${what} is forbidden: ${message}`, {
    kind: r.plural,
    name,
    ...(r.group ? { group: r.group } : {}),
    causes: [{ reason: "", field: "", detail: message }],
  });
}

/** validator.Validate: the failed validations of one evaluation (match conditions first), as messages. */
function evaluate(compiled: CompiledPolicy, ev: Evaluation, failurePolicy: "Fail" | "Ignore"): Array<{ message: string; reason?: string }> {
  const onError = (message: string) => (failurePolicy === "Fail" ? [{ message }] : []);
  // matchConditions (webhook/matchconditions/matcher.go): any false skips the policy; otherwise
  // errors are a failure, aggregated as utilerrors.NewAggregate prints them.
  const errors: string[] = [];
  for (const m of compiled.matchConditions) {
    if ("error" in m.program) return onError(`compilation failed: ${m.program.error}`);
    const r = ev.run(m.program);
    if ("error" in r) errors.push(`expression '${m.expression}' resulted in error: ${r.error}`);
    else if (r.value === false) return [];
  }
  if (errors.length) return onError(errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]`);
  const out: Array<{ message: string; reason?: string }> = [];
  for (const v of compiled.validations) {
    if ("error" in v.program) {
      out.push(...onError(`compilation failed: ${v.program.error}`));
      continue;
    }
    const r = ev.run(v.program);
    if ("error" in r) {
      out.push(...onError(`expression '${v.expression}' resulted in error: ${r.error}`));
      continue;
    }
    // Anything but true denies (validator.go: `evalResult.EvalResult != celtypes.True`).
    if (r.value === true) continue;
    let message = "";
    if (v.messageExpression && !("error" in v.messageExpression)) {
      const m = ev.run(v.messageExpression);
      if (!("error" in m) && typeof m.value === "string") {
        message = m.value.trim();
        if (message.length > 5 * 1024 || message.includes("\n")) message = "";
      }
    }
    if (message === "" && v.message) message = v.message.trim();
    if (message === "") message = `failed expression: ${v.expression.trim()}`;
    out.push({ message, reason: v.reason ?? "Invalid" });
  }
  // auditAnnotations: the values have no audit log to go to; an error (or a value that is neither
  // a string nor null) is a failure, as the dispatcher's AuditAnnotationActionError.
  for (const a of compiled.auditAnnotations) {
    if ("error" in a.program) {
      out.push(...onError(`compilation failed: ${a.program.error}`));
      continue;
    }
    const r = ev.run(a.program);
    if ("error" in r) out.push(...onError(`expression '${a.valueExpression}' resulted in error: ${r.error}`));
    else if (r.value !== null && typeof r.value !== "string") {
      out.push(...onError(`valueExpression '${a.valueExpression}' resulted in unsupported return type: ${celTypeName(r.value)}. Return type must be either string or null.`));
    }
  }
  return out;
}

function celTypeName(v: CelValue): string {
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "double";
  if (typeof v === "boolean") return "bool";
  if (celRuntime().isCelList(v)) return "list";
  if (celRuntime().isCelMap(v)) return "map";
  return "dyn";
}

export const validatingAdmissionPolicy: AdmissionPlugin = {
  name: "ValidatingAdmissionPolicy",
  customResources: true,
  validate(obj, op, old, api, attrs) {
    if (api.count("ValidatingAdmissionPolicy") === 0) return;
    validate(api, obj, op, old, attrs);
  },
};

// The registry strategies' validation of the two kinds (validation.ts).
registerValidation("ValidatingAdmissionPolicy", validateValidatingAdmissionPolicy);
registerValidation("ValidatingAdmissionPolicyBinding", validateValidatingAdmissionPolicyBinding);
