/**
 * A ValidatingAdmissionPolicy's expressions compiled once per stored policy object
 * (validating/plugin.go compilePolicy: matchConditions, variables, validations with their
 * messageExpressions, auditAnnotations), in the environment of kube-apiserver's
 * plugin/cel/compile.go: `object`, `oldObject`, `request`, `namespaceObject`, `variables`,
 * `authorizer` (declared; not bound, see docs/divergences.md) and `params` when the policy has a
 * paramKind. messageExpressions have no authorizer, as upstream.
 */
import { compile, type Program } from "../../cel/compile.ts";
import type { KObject } from "../../types.ts";

export interface CompiledValidation {
  expression: string;
  program: Program | { error: string };
  message?: string;
  messageExpression?: Program | { error: string };
  reason?: string;
}

export interface CompiledPolicy {
  matchConditions: Array<{ name: string; expression: string; program: Program | { error: string } }>;
  variables: Array<{ name: string; program: Program | { error: string } }>;
  validations: CompiledValidation[];
  auditAnnotations: Array<{ key: string; valueExpression: string; program: Program | { error: string } }>;
}

const BASE = ["object", "oldObject", "request", "namespaceObject", "variables"];

/** The declared names of a policy's expressions (plugincel.OptionalVariableDeclarations). */
export function declarations(hasParams: boolean, hasAuthorizer: boolean): Set<string> {
  const s = new Set(BASE);
  if (hasParams) s.add("params");
  if (hasAuthorizer) s.add("authorizer");
  return s;
}

type Obj = Record<string, unknown>;
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => typeof x === "object" && x !== null) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Compiles every expression of a policy; a compile error stays with its expression (a configuration error at evaluation). */
export function compilePolicy(policy: KObject): CompiledPolicy {
  const spec = (policy.spec ?? {}) as Obj;
  const hasParams = spec.paramKind !== undefined && spec.paramKind !== null;
  const withAuthz = declarations(hasParams, true);
  const noAuthz = declarations(hasParams, false);
  const declared: string[] = [];
  // Variables whose values are optionals (`object.?spec`): selecting on them is optional in turn.
  const optionalVariables = new Set<string>();
  const variables = objs(spec.variables).map((v) => {
    const name = str(v.name);
    const program = compile(str(v.expression), { names: withAuthz, variables: [...declared], optionalVariables: new Set(optionalVariables) });
    declared.push(name);
    if (!("error" in program) && program.optional) optionalVariables.add(name);
    return { name, program };
  });
  const vars = { variables: declared, optionalVariables };
  return {
    matchConditions: objs(spec.matchConditions).map((m) => ({ name: str(m.name), expression: str(m.expression), program: compile(str(m.expression), { names: withAuthz, ...vars }) })),
    variables,
    validations: objs(spec.validations).map((v) => ({
      expression: str(v.expression),
      program: compile(str(v.expression).trim(), { names: withAuthz, ...vars }),
      ...(typeof v.message === "string" ? { message: v.message } : {}),
      ...(typeof v.messageExpression === "string" && v.messageExpression.trim() ? { messageExpression: compile(v.messageExpression, { names: noAuthz, ...vars }) } : {}),
      ...(typeof v.reason === "string" ? { reason: v.reason } : {}),
    })),
    auditAnnotations: objs(spec.auditAnnotations).map((a) => ({ key: str(a.key), valueExpression: str(a.valueExpression), program: compile(str(a.valueExpression), { names: withAuthz, ...vars }) })),
  };
}

const cache = new WeakMap<KObject, CompiledPolicy>();

/** The compiled form of a stored (frozen) policy object, compiled on first use. */
export function compiledPolicy(policy: KObject): CompiledPolicy {
  let c = cache.get(policy);
  if (!c) cache.set(policy, (c = compilePolicy(policy)));
  return c;
}
