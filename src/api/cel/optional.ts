/**
 * CEL's optional types (cel-go cel/library.go OptionalTypes, common/types/optional.go), which
 * kube-apiserver's CEL environment enables from v1.28 on (k8s.io/apiserver pkg/cel/environment
 * base.go: `cel.OptionalTypes()`), so ValidatingAdmissionPolicies, webhook matchConditions and
 * CRD x-kubernetes-validations all take them: `obj.?field`, `map[?key]`, `list[?i]`,
 * `[a, ?b]`, `{?key: opt}`, `optional.of`, `optional.ofNonZeroValue`, `optional.none`,
 * `.hasValue()`, `.value()`, `.or()`, `.orValue()`, `.optMap()`, `.optFlatMap()` and the type
 * `optional_type`.
 *
 * @bufbuild/cel 0.6 (the newest release) has no optional library and its parser refuses the
 * syntax (`found . but expecting end of input`), with no option to enable it. This module adds it
 * around the library rather than forking its generated parser:
 *
 * 1. `markOptionalSyntax` lexes the expression (strings, raw and byte strings, comments and
 *    numbers skipped as CEL's lexer reads them) and blanks each optional `?` (the one after `.`,
 *    after an index's `[`, or before a list element or map entry) with a space, so the text keeps
 *    its length and every offset; it records where each one was. @bufbuild/cel parses the result
 *    (`a. b` is `a.b`).
 * 2. `desugarOptionals` rewrites the parsed AST at the marked positions (a select's `.`, an
 *    index's `[`, a list's or map's opening bracket and the element's ordinal) into calls of the
 *    functions below, and expands `optMap`/`optFlatMap` as cel-go's macros do and `or`/`orValue`
 *    as short-circuiting folds (cel-go decorates both to short-circuit). Selection and indexing on
 *    an optional value are optional in turn (cel-go: "the optional field selection is viral"):
 *    which values are optional is known from the syntax, from `optional.*` calls and from the
 *    declarations (a policy variable whose expression yields an optional).
 * 3. `optionalLibrary` is the runtime: an optional value is a CelType-branded object, which
 *    @bufbuild/cel carries through calls untouched; `type()` and `==`/`!=` are wrapped so that
 *    `type(optional.none()) == optional_type` and two optionals compare by their values.
 *
 * Not done: cel-go's type checker (an `orValue` on a non-optional is a runtime `no matching
 * overload` here, a compile error there), optional message fields (Kubernetes declares no
 * message types), and equality of lists or maps that hold optionals (compared as types).
 */
import type { CelFunc, CelType, CelValue } from "@bufbuild/cel";
import { celRuntime } from "./runtime.ts";

// ---------------------------------------------------------------- values

const TYPE_BRAND = Symbol.for("@bufbuild/cel/type");

/** An optional value: `optional.of(v)` or `optional.none()`. */
export class CelOptional {
  readonly [TYPE_BRAND] = {};
  readonly kind = "optional";
  readonly name = "optional_type";
  constructor(readonly value: CelValue | undefined) {}
  hasValue(): boolean {
    return this.value !== undefined;
  }
  toString(): string {
    return this.value === undefined ? "optional.none()" : `optional(${String(this.value)})`;
  }
}

export const OPTIONAL_NONE = new CelOptional(undefined);
export const optionalOf = (v: CelValue) => new CelOptional(v);
export const isOptional = (v: unknown): v is CelOptional => v instanceof CelOptional;

// ---------------------------------------------------------------- syntax

/** Where the optional syntax was, by the offsets @bufbuild/cel gives the nodes. */
export interface OptionalMarks {
  /** `a.?b`: the offset of the `.`. */
  selects: Set<number>;
  /** `a[?k]`: the offset of the `[`. */
  indexes: Set<number>;
  /** `[a, ?b]`: the list's `[` and the ordinals of its optional elements. */
  listElements: Map<number, Set<number>>;
  /** `{?k: v}`: the map's `{` and the ordinals of its optional entries. */
  mapEntries: Map<number, Set<number>>;
  /** Each `?` blanked, for an error when no node takes it. */
  count: number;
}

const IDENT = /[_a-zA-Z][_a-zA-Z0-9]*/y;
const NUMBER = /0[xX][0-9a-fA-F]+[uU]?|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.?(?:[eE][+-]?[0-9]+)|[0-9]+[uU]?/y;
const STRING_PREFIX = /^(?:[rR][bB]?|[bB][rR]?)$/;

type Tok = "ident" | "literal" | "close" | "open" | "dot" | "comma" | "op" | "none";
interface Open {
  kind: "paren" | "call" | "index" | "list" | "map" | "message";
  offset: number;
  ordinal: number;
}

/**
 * Blanks the optional `?`s of an expression (length and offsets kept) and says where they were.
 * Returns the expression unchanged (and no marks) when it has none.
 */
export function markOptionalSyntax(src: string): { text: string; marks: OptionalMarks } {
  const marks: OptionalMarks = { selects: new Set(), indexes: new Set(), listElements: new Map(), mapEntries: new Map(), count: 0 };
  if (!src.includes("?")) return { text: src, marks };
  const chars = src.split("");
  const stack: Open[] = [];
  let prev: Tok = "none";
  let prevIdent = "";
  let prevOffset = -1;
  const operandEnd = () => prev === "literal" || prev === "close" || (prev === "ident" && prevIdent !== "in");
  const addTo = (m: Map<number, Set<number>>, at: number, ordinal: number) => {
    let s = m.get(at);
    if (!s) m.set(at, (s = new Set()));
    s.add(ordinal);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      const nl = src.indexOf("\n", i);
      i = nl < 0 ? src.length : nl + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipString(src, i, "");
      prev = "literal";
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? "") && !operandEnd())) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src);
      i += m ? m[0].length : 1;
      prev = "literal";
      continue;
    }
    if (/[_a-zA-Z]/.test(c)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(src)![0];
      const q = src[i + word.length];
      if ((q === '"' || q === "'") && STRING_PREFIX.test(word)) {
        i = skipString(src, i + word.length, word);
        prev = "literal";
        continue;
      }
      prev = word === "true" || word === "false" || word === "null" ? "literal" : "ident";
      prevIdent = word;
      prevOffset = i;
      i += word.length;
      continue;
    }
    switch (c) {
      case "(":
        stack.push({ kind: prev === "ident" && prevIdent !== "in" ? "call" : "paren", offset: i, ordinal: 0 });
        prev = "open";
        break;
      case "[":
        stack.push({ kind: operandEnd() ? "index" : "list", offset: i, ordinal: 0 });
        prev = "open";
        break;
      case "{":
        stack.push({ kind: prev === "ident" && prevIdent !== "in" ? "message" : "map", offset: i, ordinal: 0 });
        prev = "open";
        break;
      case ")":
      case "]":
      case "}":
        stack.pop();
        prev = "close";
        break;
      case ",":
        if (stack.length) stack[stack.length - 1]!.ordinal++;
        prev = "comma";
        break;
      case ".":
        prev = "dot";
        prevOffset = i;
        break;
      case "?": {
        const top = stack[stack.length - 1];
        let optional = true;
        if (prev === "dot") marks.selects.add(prevOffset);
        else if (prev === "open" && top?.kind === "index") marks.indexes.add(top.offset);
        else if ((prev === "open" || prev === "comma") && top?.kind === "list") addTo(marks.listElements, top.offset, top.ordinal);
        else if ((prev === "open" || prev === "comma") && (top?.kind === "map" || top?.kind === "message")) addTo(marks.mapEntries, top.offset, top.ordinal);
        else optional = false;
        if (optional) {
          chars[i] = " ";
          marks.count++;
          // The blanked `?` leaves the previous token as it was (`.`, `[`, `,`).
          i++;
          continue;
        }
        prev = "op";
        break;
      }
      default:
        prev = "op";
    }
    i++;
  }
  return { text: chars.join(""), marks };
}

/** The offset after the string literal starting at `i` (its quote), CEL's escapes honoured unless raw. */
function skipString(src: string, i: number, prefix: string): number {
  const raw = /[rR]/.test(prefix);
  const q = src[i]!;
  const triple = src.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < src.length) {
    if (!raw && src[j] === "\\") {
      j += 2;
      continue;
    }
    if (src.startsWith(close, j)) return j + close.length;
    if (!triple && src[j] === "\n") return j;
    j++;
  }
  return j;
}

// ---------------------------------------------------------------- AST

type Const = { constantKind: { case: string; value: unknown } };
export type Expr = {
  id: bigint;
  exprKind:
    | { case: "identExpr"; value: { name: string } }
    | { case: "selectExpr"; value: { operand?: Expr; field: string; testOnly: boolean } }
    | { case: "callExpr"; value: { function: string; target?: Expr; args: Expr[] } }
    | { case: "listExpr"; value: { elements: Expr[]; optionalIndices?: number[] } }
    | { case: "structExpr"; value: { messageName?: string; entries: Array<{ id?: bigint; value?: Expr; optionalEntry?: boolean; keyKind: { case: string; value?: unknown } }> } }
    | { case: "comprehensionExpr"; value: { iterVar: string; accuVar: string; iterRange?: Expr; accuInit?: Expr; loopCondition?: Expr; loopStep?: Expr; result?: Expr } }
    | { case: "constExpr"; value: Const }
    | { case: undefined; value?: undefined };
};

/** The internal functions the rewritten AST calls (names no expression can spell). */
export const OPT_SELECT = "@optional.select";
export const OPT_INDEX = "@optional.index";
export const OPT_HAS = "@optional.has";
export const OPT_LIST = "@optional.list";
export const MAP_INSERT = "@optional.mapInsert";
export const MAP_INSERT_OPT = "@optional.mapInsertOptional";
export const OPTIONAL_TYPE_FN = "@optional.type";

/** Every function name the rewritten AST may call, for the compiler's declared-function check. */
export const OPTIONAL_FUNCTIONS = [
  "optional.of", "optional.ofNonZeroValue", "optional.none", "hasValue", "value",
  OPT_SELECT, OPT_INDEX, OPT_HAS, OPT_LIST, MAP_INSERT, MAP_INSERT_OPT, OPTIONAL_TYPE_FN,
];

export interface DesugarContext {
  /** The expression's offsets by node id (the parser's source info), extended for new nodes. */
  positions: Record<string, number>;
  /** Names the environment declares (a declared `optional` would shadow the namespace). */
  declared: ReadonlySet<string>;
  /** Declared names whose values are optionals. */
  optionalNames: ReadonlySet<string>;
  /** Policy variables (`variables.<name>`) whose values are optionals. */
  optionalVariables: ReadonlySet<string>;
}

export class OptionalSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Rewrites the optional syntax and functions of a parsed expression into plain calls. Returns the
 * new root and whether its value is an optional; throws OptionalSyntaxError (with the offset of
 * the node) for what cel-go's parser or macros refuse.
 */
export function desugarOptionals(root: Expr, marks: OptionalMarks, ctx: DesugarContext): { expr: Expr; optional: boolean } {
  let nextId = 0n;
  const scanIds = (e: unknown): void => {
    if (!e || typeof e !== "object") return;
    if (Array.isArray(e)) return e.forEach(scanIds);
    const o = e as Record<string, unknown>;
    if (typeof o.id === "bigint" && o.id > nextId) nextId = o.id;
    for (const k in o) if (k !== "id" && typeof o[k] === "object") scanIds(o[k]);
  };
  scanIds(root);
  const pos = (e: Expr) => ctx.positions[String(e.id)] ?? 0;
  const node = (at: number, exprKind: Expr["exprKind"]): Expr => {
    const id = ++nextId;
    ctx.positions[String(id)] = at;
    return { id, exprKind } as Expr;
  };
  const call = (at: number, fn: string, args: Expr[], target?: Expr) => node(at, { case: "callExpr", value: { function: fn, args, ...(target ? { target } : {}) } });
  const str = (at: number, s: string) => node(at, { case: "constExpr", value: { constantKind: { case: "stringValue", value: s } } });
  const bool = (at: number, b: boolean) => node(at, { case: "constExpr", value: { constantKind: { case: "boolValue", value: b } } });
  const ident = (at: number, name: string) => node(at, { case: "identExpr", value: { name } });
  const list = (at: number, elements: Expr[]) => node(at, { case: "listExpr", value: { elements, optionalIndices: [] } });
  const fold = (at: number, accuVar: string, accuInit: Expr, result: Expr, iterVar = "#unused") =>
    node(at, { case: "comprehensionExpr", value: { iterVar, accuVar, iterRange: list(at, []), accuInit, loopCondition: bool(at, false), loopStep: ident(at, accuVar), result } });
  const copy = (e: Expr): Expr => {
    const c = structuredClone(e);
    const renumber = (x: unknown): void => {
      if (!x || typeof x !== "object") return;
      if (Array.isArray(x)) return x.forEach(renumber);
      const o = x as Record<string, unknown>;
      if (typeof o.id === "bigint") {
        const at = ctx.positions[String(o.id)] ?? 0;
        o.id = ++nextId;
        ctx.positions[String(o.id)] = at;
      }
      for (const k in o) if (k !== "id" && typeof o[k] === "object") renumber(o[k]);
    };
    renumber(c);
    return c;
  };

  const optional = new WeakSet<Expr>();
  const opt = (e: Expr) => (optional.add(e), e);
  const isOpt = (e: Expr | undefined) => !!e && optional.has(e);
  let used = 0;

  const walk = (e: Expr | undefined, scope: ReadonlySet<string>): Expr | undefined => {
    if (!e) return e;
    const k = e.exprKind;
    const free = (name: string) => !scope.has(name) && !ctx.declared.has(name);
    switch (k.case) {
      case "identExpr": {
        const name = k.value.name;
        if (!scope.has(name) && ctx.optionalNames.has(name)) return opt(e);
        if (name === "optional_type" && free(name)) return call(pos(e), OPTIONAL_TYPE_FN, []);
        return e;
      }
      case "selectExpr": {
        const v = k.value;
        const operand = walk(v.operand, scope)!;
        v.operand = operand;
        if (v.testOnly) return isOpt(operand) ? call(pos(e), OPT_HAS, [operand, str(pos(e), v.field)]) : e;
        if (marks.selects.has(pos(e))) {
          used++;
          return opt(call(pos(e), OPT_SELECT, [operand, str(pos(e), v.field)]));
        }
        if (isOpt(operand)) return opt(call(pos(e), OPT_SELECT, [operand, str(pos(e), v.field)]));
        if (operand.exprKind.case === "identExpr" && operand.exprKind.value.name === "variables" && !scope.has("variables") && ctx.optionalVariables.has(v.field)) return opt(e);
        return e;
      }
      case "callExpr": {
        const v = k.value;
        const at = pos(e);
        const t = v.target;
        // optional.of(x), optional.ofNonZeroValue(x), optional.none(): functions of the `optional` namespace.
        if (t?.exprKind.case === "identExpr" && t.exprKind.value.name === "optional" && free("optional") && ["of", "ofNonZeroValue", "none"].includes(v.function)) {
          return opt(call(at, `optional.${v.function}`, v.args.map((a) => walk(a, scope)!)));
        }
        if (t && (v.function === "optMap" || v.function === "optFlatMap") && v.args.length === 2) {
          const varIdent = v.args[0]!;
          if (varIdent.exprKind.case !== "identExpr") throw new OptionalSyntaxError(pos(varIdent), `${v.function}() variable name must be a simple identifier`);
          const name = varIdent.exprKind.value.name;
          const target = walk(t, scope)!;
          const inner = new Set(scope);
          inner.add(name);
          const mapped = walk(v.args[1], inner)!;
          const body = fold(at, name, call(at, "value", [], copy(target)), mapped);
          const result = v.function === "optMap" ? call(at, "optional.of", [body]) : body;
          return opt(call(at, "_?_:_", [call(at, "hasValue", [], target), result, call(at, "optional.none", [])]));
        }
        if (t && (v.function === "or" || v.function === "orValue") && v.args.length === 1) {
          // Short-circuiting, as cel-go's decorateOptionalOr: the alternative is evaluated only when the target is empty.
          const target = walk(t, scope)!;
          const alt = walk(v.args[0], scope)!;
          const accu = "@optional_or";
          const present = v.function === "or" ? ident(at, accu) : call(at, "value", [], ident(at, accu));
          const r = fold(at, accu, target, call(at, "_?_:_", [call(at, "hasValue", [], ident(at, accu)), present, alt]));
          return v.function === "or" ? opt(r) : isOpt(alt) ? opt(r) : r;
        }
        if (t) v.target = walk(t, scope);
        v.args = v.args.map((a) => walk(a, scope)!);
        if (v.function === "_[_]") {
          if (marks.indexes.has(at)) {
            used++;
            return opt(call(at, OPT_INDEX, v.args));
          }
          if (isOpt(v.args[0])) return opt(call(at, OPT_INDEX, v.args));
        }
        if (v.function === "_?_:_" && (isOpt(v.args[1]) || isOpt(v.args[2]))) return opt(e);
        return e;
      }
      case "listExpr": {
        const v = k.value;
        v.elements = v.elements.map((x) => walk(x, scope)!);
        const optionals = marks.listElements.get(pos(e));
        if (!optionals) return e;
        used += optionals.size;
        // [a, ?b, c] is [a] + (b present ? [b.value()] : []) + [c].
        const at = pos(e);
        const parts: Expr[] = [];
        let run: Expr[] = [];
        v.elements.forEach((x, i) => {
          if (!optionals.has(i)) return run.push(x);
          if (run.length) parts.push(list(at, run));
          run = [];
          parts.push(call(at, OPT_LIST, [x]));
        });
        if (run.length) parts.push(list(at, run));
        return parts.reduce((a, b) => call(at, "_+_", [a, b]));
      }
      case "structExpr": {
        const v = k.value;
        for (const entry of v.entries) {
          if (entry.keyKind.case === "mapKey") entry.keyKind.value = walk(entry.keyKind.value as Expr, scope);
          entry.value = walk(entry.value, scope);
        }
        const optionals = marks.mapEntries.get(pos(e));
        if (!optionals) return e;
        if (v.messageName) throw new OptionalSyntaxError(pos(e), `unsupported syntax: optional fields of message ${v.messageName}`);
        used += optionals.size;
        // {k1: v1, ?k2: v2, k3: v3}: the entries before the first optional one, then one insert per entry.
        const at = pos(e);
        const first = v.entries.findIndex((_, i) => optionals.has(i));
        let acc: Expr = node(at, { case: "structExpr", value: { messageName: "", entries: v.entries.slice(0, first) } });
        v.entries.slice(first).forEach((entry, j) => {
          const key = entry.keyKind.value as Expr;
          acc = call(at, optionals.has(first + j) ? MAP_INSERT_OPT : MAP_INSERT, [acc, key, entry.value!]);
        });
        return acc;
      }
      case "comprehensionExpr": {
        const c = k.value;
        c.iterRange = walk(c.iterRange, scope);
        c.accuInit = walk(c.accuInit, scope);
        const inner = new Set(scope);
        inner.add(c.iterVar);
        inner.add(c.accuVar);
        c.loopCondition = walk(c.loopCondition, inner);
        c.loopStep = walk(c.loopStep, inner);
        c.result = walk(c.result, inner);
        return e;
      }
      default:
        return e;
    }
  };
  const expr = walk(root, new Set())!;
  if (used !== marks.count) {
    const all = [...marks.selects, ...marks.indexes, ...marks.listElements.keys(), ...marks.mapEntries.keys()];
    throw new OptionalSyntaxError(Math.min(...all), "unsupported syntax '?'");
  }
  return { expr, optional: isOpt(expr) };
}

// ---------------------------------------------------------------- runtime

function isZero(v: CelValue): boolean {
  const { isCelList, isCelMap, isCelUint } = celRuntime();
  switch (typeof v) {
    case "boolean":
      return v === false;
    case "bigint":
      return v === 0n;
    case "number":
      return v === 0;
    case "string":
      return v === "";
  }
  if (v === null) return true;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isCelUint(v)) return (v as { value: bigint }).value === 0n;
  if (isCelList(v) || isCelMap(v)) return v.size === 0;
  return false;
}

/** The value of an optional (the operand itself when it is not one), or undefined for none. */
const unwrap = (v: CelValue): CelValue | undefined => (isOptional(v) ? v.value : v);

/** A list index of an int, a uint or an integral double, or undefined. */
function listIndex(k: CelValue): number | undefined {
  const { isCelUint } = celRuntime();
  if (typeof k === "bigint") return Number(k);
  if (isCelUint(k)) return Number((k as { value: bigint }).value);
  if (typeof k === "number" && Number.isInteger(k)) return k;
  return undefined;
}

/** The entry at `key` of a map or list, as cel-go's QualifyIfPresent finds it, or undefined. */
function present(operand: CelValue, key: CelValue): CelValue | undefined {
  const { isCelList, isCelMap } = celRuntime();
  if (isCelMap(operand)) {
    if (typeof key === "number" && !Number.isInteger(key)) return undefined;
    // get, not has: @bufbuild/cel's has() is false for a key whose value is null.
    return operand.get(key as never);
  }
  if (isCelList(operand)) {
    const i = listIndex(key);
    return i !== undefined && i >= 0 && i < operand.size ? operand.get(i) : undefined;
  }
  return undefined;
}

let library: CelFunc[] | undefined;

/** An optional as @bufbuild/cel's functions return it (a CelType-branded object, carried as is). */
const V = (o: CelOptional): CelValue => o as unknown as CelValue;

/** The runtime functions of the optional library, and the wrapped `type`, `==` and `!=`. */
export function optionalLibrary(): CelFunc[] {
  if (library) return library;
  const { celFunc, celMethod, CelScalar, celEnv, celMap, celList, objectType, isCelMap } = celRuntime();
  const { DYN, STRING, BOOL, TYPE } = CelScalar;
  const std = celEnv().funcs;
  const stdEquals = std.find("_==_")!;
  const stdType = std.find("type")!;
  const OPTIONAL_TYPE = objectType("optional_type");
  const equals = (a: CelValue, b: CelValue): boolean => {
    if (isOptional(a) || isOptional(b)) {
      if (!isOptional(a) || !isOptional(b)) return false;
      if (a.value === undefined || b.value === undefined) return a.value === b.value;
      return equals(a.value, b.value);
    }
    const r = stdEquals.call(0, undefined, [a, b]);
    if (typeof r !== "boolean") throw new Error(r === undefined ? "no such overload" : String((r as Error).message));
    return r;
  };
  const needOptional = (fn: string, v: CelValue): CelOptional => {
    if (isOptional(v)) return v;
    throw new Error(`no such overload: ${fn}`);
  };
  const of = (v: CelValue | undefined) => (v === undefined ? OPTIONAL_NONE : optionalOf(v));
  const mapKey = (k: CelValue) => {
    if (typeof k === "number") throw new Error("unsupported key type");
    return k as string;
  };
  const insert = (m: CelValue, k: CelValue, v: CelValue) => {
    if (!isCelMap(m)) throw new Error("no such overload");
    const key = mapKey(k);
    if (m.get(key) !== undefined) throw new Error(`map key conflict: ${String(k)}`);
    const next = new Map(m);
    next.set(key, v);
    return celMap(next);
  };
  library = [
    celFunc("optional.of", [DYN], DYN, (v: CelValue) => V(optionalOf(v))),
    celFunc("optional.ofNonZeroValue", [DYN], DYN, (v: CelValue) => V(isZero(v) ? OPTIONAL_NONE : optionalOf(v))),
    celFunc("optional.none", [], DYN, () => V(OPTIONAL_NONE)),
    celMethod("hasValue", TYPE, [], BOOL, function (this: CelValue) {
      return needOptional("hasValue", this).hasValue();
    }),
    celMethod("value", TYPE, [], DYN, function (this: CelValue) {
      const o = needOptional("value", this);
      if (o.value === undefined) throw new Error("optional.none() dereference");
      return o.value;
    }),
    celFunc(OPT_SELECT, [DYN, STRING], DYN, (operand: CelValue, field: string) => {
      const v = unwrap(operand);
      return V(v === undefined ? OPTIONAL_NONE : of(present(v, field)));
    }),
    celFunc(OPT_INDEX, [DYN, DYN], DYN, (operand: CelValue, key: CelValue) => {
      const v = unwrap(operand);
      return V(v === undefined ? OPTIONAL_NONE : of(present(v, key)));
    }),
    celFunc(OPT_HAS, [DYN, STRING], BOOL, (operand: CelValue, field: string) => {
      const v = unwrap(operand);
      if (v === undefined) return false;
      if (isCelMap(v)) return v.get(field) !== undefined;
      throw new Error(`no such overload: has(${field})`);
    }),
    celFunc(OPT_LIST, [DYN], DYN, (v: CelValue) => {
      const o = needOptional("optional list element", v);
      return celList(o.value === undefined ? [] : [o.value]);
    }),
    celFunc(MAP_INSERT, [DYN, DYN, DYN], DYN, insert),
    celFunc(MAP_INSERT_OPT, [DYN, DYN, DYN], DYN, (m: CelValue, k: CelValue, v: CelValue) => {
      const o = needOptional("optional map entry", v);
      if (o.value === undefined) {
        mapKey(k);
        return m;
      }
      return insert(m, k, o.value);
    }),
    celFunc(OPTIONAL_TYPE_FN, [], TYPE, () => OPTIONAL_TYPE),
    celFunc("type", [DYN], TYPE, (v: CelValue) => (isOptional(v) ? OPTIONAL_TYPE : (stdType.call(0, undefined, [v]) as CelType))),
    celFunc("_==_", [DYN, DYN], BOOL, equals),
    celFunc("_!=_", [DYN, DYN], BOOL, (a: CelValue, b: CelValue) => !equals(a, b)),
  ];
  return library;
}
