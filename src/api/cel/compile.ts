/**
 * Compiling and running CEL expressions in the Kubernetes environment
 * (k8s.io/apiserver/pkg/cel/environment and pkg/admission/plugin/cel/compile.go, v1.32), over
 * @bufbuild/cel (Buf's CEL-ES: cel-spec conformance, RE2 regular expressions).
 *
 * Compilation parses, then checks what cel-go's checker reports for dynamically typed inputs:
 * every identifier is a declared variable (or a comprehension's), every function is declared,
 * and `variables.<name>` names an earlier variable. Errors read as cel-go prints them:
 * `ERROR: <input>:1:29: undeclared reference to 'startWith' (in container '')` followed by the
 * source line and a caret. @bufbuild/cel's parser words syntax errors its own way
 * (docs/divergences.md).
 *
 * Cost: each evaluation runs against a budget (upstream's PerCallLimit, 1,000,000 per
 * expression, and the RuntimeCELCostBudget of a policy, 10,000,000). Every comprehension's range
 * is charged before the loop runs, its size times the cost of its loop body (nodes weighed as
 * cel-go's cost model weighs them: a list literal 10, an identifier 1, a constant 0), so nested
 * loops over large lists stop with cel-go's `operation cancelled: actual cost limit exceeded`
 * instead of running; the expression's own nodes are charged once per evaluation. What is
 * charged is an estimate made before each loop, not cel-go's exact tally (docs/divergences.md).
 */
import type { CelEnv, CelError, CelInput, CelValue } from "@bufbuild/cel";
import { kubernetesLibraries } from "./library.ts";
import { celRuntime } from "./runtime.ts";
import { desugarOptionals, markOptionalSyntax, OPTIONAL_FUNCTIONS, OptionalSyntaxError, optionalLibrary } from "./optional.ts";

/** upstream celconfig.PerCallLimit. */
export const PER_CALL_LIMIT = 1_000_000;
/** upstream celconfig.RuntimeCELCostBudget (a policy's whole evaluation). */
export const RUNTIME_CEL_COST_BUDGET = 10_000_000;
export const COST_EXCEEDED = "operation cancelled: actual cost limit exceeded";

/** A running budget (one request's evaluation of a policy). */
export class CostBudget {
  exceeded = false;
  constructor(public remaining: number) {}
}

let current: { budget: CostBudget; call: number } | undefined;

function charge(n: number): void {
  const c = current;
  if (!c) return;
  c.call -= n;
  c.budget.remaining -= n;
  if (c.call < 0 || c.budget.remaining < 0) {
    c.budget.exceeded = true;
    throw new Error(COST_EXCEEDED);
  }
}

const COST_FN = "@k8s_cost";

/** cel-go's standard declarations (functions and operators) and the type identifiers. */
const STANDARD_FUNCTIONS = [
  "_+_", "_-_", "_*_", "_/_", "_%_", "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_", "_&&_", "_||_", "!_", "-_", "_?_:_", "_[_]", "@in",
  "@not_strictly_false", "not_strictly_false", "_[?_]", "_?._",
  "size", "int", "uint", "double", "string", "bytes", "bool", "type", "dyn", "duration", "timestamp",
  "matches", "contains", "startsWith", "endsWith",
  "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
];
let known: Set<string> | undefined;
const knownFunctions = () => (known ??= new Set([...STANDARD_FUNCTIONS, ...OPTIONAL_FUNCTIONS, ...kubernetesLibraries().map((f) => f.name)]));
const TYPE_IDENTIFIERS = new Set(["int", "uint", "double", "string", "bytes", "bool", "list", "map", "null_type", "type", "google.protobuf.Duration", "google.protobuf.Timestamp"]);

let env: CelEnv | undefined;

/** The environment: the libraries and the cost accounting's own function, built on first use. */
function celEnvironment(): CelEnv {
  if (env) return env;
  const { celEnv, celFunc, CelScalar, isCelList, isCelMap } = celRuntime();
  const costFunc = celFunc(COST_FN, [CelScalar.DYN, CelScalar.INT], CelScalar.DYN, (range: CelValue, per: bigint) => {
    if (current?.budget.exceeded) throw new Error(COST_EXCEEDED);
    const n = isCelList(range) || isCelMap(range) ? range.size : 0;
    charge(n * Number(per) + 1);
    return range as CelInput;
  });
  return (env = celEnv({ funcs: [...kubernetesLibraries(), ...optionalLibrary(), costFunc] }));
}

/** The variables an expression may use, as the environment declares them. */
export interface Declarations {
  /** Top-level identifiers: object, oldObject, request, params, namespaceObject, variables, self... */
  names: ReadonlySet<string>;
  /** The policy's variables declared before this expression (`variables.<name>`), when `variables` is declared. */
  variables?: readonly string[];
  /** Declared names whose values are optionals (cel-go's `OptionalType(...)` variables). */
  optional?: ReadonlySet<string>;
  /** The policy variables before this expression whose values are optionals (their Program's `optional`). */
  optionalVariables?: ReadonlySet<string>;
}

/** A compiled expression. */
export interface Program {
  readonly expression: string;
  /** The policy variables the expression reads (`variables.x`). */
  readonly usesVariables: readonly string[];
  /** Whether the expression's value is an optional (`object.?spec`, `optional.of(x)`): selecting on it is optional in turn. */
  readonly optional: boolean;
  /** Runs against the bindings; a CEL error (including the cost limit) comes back as `{ error }`. */
  evaluate(bindings: Record<string, CelInput | CelError>, budget: CostBudget): { value: CelValue } | { error: string };
}

type Expr = {
  id: bigint;
  exprKind:
    | { case: "identExpr"; value: { name: string } }
    | { case: "selectExpr"; value: { operand?: Expr; field: string; testOnly: boolean } }
    | { case: "callExpr"; value: { function: string; target?: Expr; args: Expr[] } }
    | { case: "listExpr"; value: { elements: Expr[] } }
    | { case: "structExpr"; value: { entries: Array<{ value?: Expr; keyKind: { case: string; value?: unknown } }> } }
    | { case: "comprehensionExpr"; value: { iterVar: string; accuVar: string; iterRange?: Expr; accuInit?: Expr; loopCondition?: Expr; loopStep?: Expr; result?: Expr } }
    | { case: "constExpr"; value: unknown }
    | { case: undefined; value?: undefined };
};

/**
 * A node's cost as cel-go's runtime cost tracker counts it (common/costs.go): constants are free,
 * identifiers, selections and calls cost 1, a list literal 10, a map or message literal 30 and 40.
 */
function nodeCost(e: Expr): number {
  switch (e.exprKind.case) {
    case "constExpr":
      return 0;
    case "listExpr":
      return 10;
    case "structExpr":
      return (e.exprKind.value as { messageName?: string }).messageName ? 40 : 30;
    case "comprehensionExpr":
      return 0;
    default:
      return 1;
  }
}

/** cel-go's error display: `ERROR: <input>:L:C: msg` then the line and a caret under column C. */
export function formatError(expression: string, offset: number, message: string): string {
  const before = expression.slice(0, offset);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const col = offset - lineStart;
  const text = expression.split("\n")[line - 1] ?? "";
  return `ERROR: <input>:${line}:${col + 1}: ${message}\n | ${text}\n | ${".".repeat(col)}^`;
}

/** Words of the optional library's functions: an expression without them (and without `?`) is not rewritten. */
const MAY_USE_OPTIONALS = /optional|\bor(?:Value)?\s*\(|optMap|optFlatMap/;

/** The variable reference `variables.<name>` becomes an identifier of its own, bound per evaluation. */
export const variableBinding = (name: string) => `@variables.${name}`;

/** Compiles an expression, or returns cel-go's `ERROR: ...` text (the caller prefixes `compilation failed: `). */
export function compile(expression: string, decls: Declarations): Program | { error: string } {
  const { parse, plan, isCelError } = celRuntime();
  let parsed: ReturnType<typeof parse>;
  // The optional syntax's `?`s, blanked for @bufbuild/cel's parser (./optional.ts).
  const { text, marks } = markOptionalSyntax(expression);
  try {
    parsed = parse(text);
  } catch (e) {
    const err = e as { cause?: { location?: { start?: { offset: number } }; rawMessage?: string }; location?: { start?: { offset: number } }; rawMessage?: string; message: string };
    const src = err.location ? err : err.cause;
    const offset = src?.location?.start?.offset ?? 0;
    return { error: formatError(expression, offset, `Syntax error: ${src?.rawMessage ?? err.message}`) };
  }
  const positions = (parsed.sourceInfo?.positions ?? {}) as Record<string, number>;
  let parsedRoot = parsed.expr as unknown as Expr;
  let isOptional = false;
  if (marks.count > 0 || MAY_USE_OPTIONALS.test(expression) || decls.optional?.size || decls.optionalVariables?.size) {
    try {
      const d = desugarOptionals(parsedRoot as never, marks, { positions, declared: decls.names, optionalNames: decls.optional ?? new Set(), optionalVariables: decls.optionalVariables ?? new Set() });
      parsedRoot = d.expr as unknown as Expr;
      isOptional = d.optional;
    } catch (e) {
      if (e instanceof OptionalSyntaxError) return { error: formatError(expression, e.offset, e.message) };
      throw e;
    }
  }
  const pos = (id: bigint) => (positions as Record<string, number>)[String(id)] ?? 0;
  const errors: string[] = [];
  const used = new Set<string>();
  let maxId = 0n;
  const declaredVars = new Set(decls.variables ?? []);
  let nodes = 0;

  const walk = (e: Expr | undefined, scope: ReadonlySet<string>): Expr | undefined => {
    if (!e) return e;
    nodes += nodeCost(e);
    if (e.id > maxId) maxId = e.id;
    const k = e.exprKind;
    switch (k.case) {
      case "identExpr":
        if (!scope.has(k.value.name) && !decls.names.has(k.value.name) && !TYPE_IDENTIFIERS.has(k.value.name)) {
          errors.push(formatError(expression, pos(e.id), `undeclared reference to '${k.value.name}' (in container '')`));
        }
        return e;
      case "selectExpr": {
        const op = k.value.operand;
        if (op?.exprKind.case === "identExpr" && op.exprKind.value.name === "variables" && !scope.has("variables") && decls.names.has("variables")) {
          const name = k.value.field;
          if (!declaredVars.has(name)) {
            errors.push(formatError(expression, pos(e.id), `undefined field '${name}'`));
            return e;
          }
          if (k.value.testOnly) return e;
          used.add(name);
          return { id: e.id, exprKind: { case: "identExpr", value: { name: variableBinding(name) } } } as unknown as Expr;
        }
        k.value.operand = walk(op, scope);
        return e;
      }
      case "callExpr": {
        if (!knownFunctions().has(k.value.function)) {
          // cel-go locates a call at its opening parenthesis.
          const open = expression.indexOf("(", pos(e.id));
          errors.push(formatError(expression, open >= 0 ? open : pos(e.id), `undeclared reference to '${k.value.function}' (in container '')`));
        }
        k.value.target = walk(k.value.target, scope);
        k.value.args = k.value.args.map((a) => walk(a, scope)!);
        return e;
      }
      case "listExpr":
        k.value.elements = k.value.elements.map((x) => walk(x, scope)!);
        return e;
      case "structExpr":
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === "mapKey") entry.keyKind.value = walk(entry.keyKind.value as Expr, scope);
          entry.value = walk(entry.value, scope);
        }
        return e;
      case "comprehensionExpr": {
        const c = k.value;
        c.iterRange = walk(c.iterRange, scope);
        c.accuInit = walk(c.accuInit, scope);
        const inner = new Set(scope);
        inner.add(c.iterVar);
        inner.add(c.accuVar);
        const before = nodes;
        c.loopCondition = walk(c.loopCondition, inner);
        c.loopStep = walk(c.loopStep, inner);
        const perIteration = Math.max(1, nodes - before);
        c.result = walk(c.result, inner);
        // Charged before the loop: the range's size times the loop body's nodes.
        c.iterRange = {
          id: 0n,
          exprKind: { case: "callExpr", value: { function: COST_FN, args: [c.iterRange!, { id: 0n, exprKind: { case: "constExpr", value: { constantKind: { case: "int64Value", value: BigInt(perIteration) } } } } as Expr] } },
        } as Expr;
        pending.push(c.iterRange, (c.iterRange.exprKind.value as { args: Expr[] }).args[1]!);
        return e;
      }
      default:
        return e;
    }
  };
  const pending: Expr[] = [];
  const root = walk(parsedRoot, new Set())!;
  if (errors.length) return { error: errors.join("\n") };
  // Ids for the cost calls, after every id of the parsed expression.
  for (const p of pending) p.id = ++maxId;
  let run: (ctx: Record<string, CelInput | CelError>) => CelValue | CelError;
  try {
    run = plan(celEnvironment(), root as never) as never;
  } catch (e) {
    return { error: formatError(expression, 0, (e as Error).message) };
  }
  const baseCost = nodes;
  return {
    expression,
    usesVariables: [...used],
    optional: isOptional,
    evaluate(bindings, budget) {
      const saved = current;
      current = { budget, call: PER_CALL_LIMIT };
      try {
        if (budget.exceeded) return { error: COST_EXCEEDED };
        charge(baseCost);
        const v = run(bindings);
        if (budget.exceeded || current.call < 0) return { error: COST_EXCEEDED };
        if (isCelError(v)) return { error: errorText(v) };
        return { value: v };
      } catch (e) {
        return { error: budget.exceeded ? COST_EXCEEDED : (e as Error).message };
      } finally {
        current = saved;
      }
    },
  };
}

/** A runtime error as cel-go words it where the two differ. */
function errorText(e: CelError): string {
  const m = e.message;
  const nf = /^field not found: (.*)$/.exec(m);
  if (nf) return `no such key: ${nf[1]}`;
  if (m.startsWith(COST_EXCEEDED)) return COST_EXCEEDED;
  return m;
}
