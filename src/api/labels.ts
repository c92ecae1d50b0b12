/**
 * Label selectors (k8s.io/apimachinery/pkg/labels/selector.go): the string syntax `kubectl -l`
 * accepts, metav1.LabelSelector (matchLabels + matchExpressions), node selector requirements
 * (with Gt/Lt), and field selectors (k8s.io/apimachinery/pkg/fields) with the fields each kind
 * supports. Errors carry upstream's texts.
 */
import type { KObject } from "./types.ts";
import { goValue, IsQualifiedName, IsValidLabelValue } from "./validation/names.ts";

export type Operator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectorError";
  }
}

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type Labels = Record<string, string> | undefined;

const VALID_OPERATORS: Operator[] = ["in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"];
const BINARY_OPERATORS: Operator[] = ["in", "notin", "=", "==", "!=", "gt", "lt"];

/** utilerrors aggregate: one message as is, several (deduplicated) in brackets. */
function aggregate(msgs: string[]): string {
  const uniq = [...new Set(msgs)];
  return uniq.length === 1 ? uniq[0] : `[${uniq.join(", ")}]`;
}

const isInt64 = (s: string) => /^[+-]?[0-9]+$/.test(s) && BigInt(s) <= 9223372036854775807n && BigInt(s) >= -9223372036854775808n;

/** validateLabelKey: field.Invalid at `path` joined with "; ". */
function labelKeyError(key: string, path: string): string | undefined {
  const errs = IsQualifiedName(key);
  return errs.length ? `${path}: Invalid value: ${goValue(key)}: ${errs.join("; ")}` : undefined;
}

/** NewRequirement: checks the key, the operator and its values; throws the aggregated errors. */
export function newRequirement(key: string, operator: Operator, values: string[], path = ""): Requirement {
  const errs: string[] = [];
  const p = (child: string) => (path ? `${path}.${child}` : child);
  const keyErr = labelKeyError(key, p("key"));
  if (keyErr) errs.push(keyErr);
  const valuePath = p("values");
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) errs.push(`${valuePath}: Invalid value: ${goValue(values)}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) errs.push(`${valuePath}: Invalid value: ${goValue(values)}: exact-match compatibility requires one single value`);
      break;
    case "exists":
    case "!":
      if (values.length !== 0) errs.push(`${valuePath}: Invalid value: ${goValue(values)}: values set must be empty for exists and does not exist`);
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) errs.push(`${valuePath}: Invalid value: ${goValue(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (!isInt64(v)) errs.push(`${valuePath}[${i}]: Invalid value: ${goValue(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
    default:
      errs.push(`${p("operator")}: Unsupported value: ${goValue(operator)}: supported values: ${VALID_OPERATORS.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  values.forEach((v, i) => {
    const msgs = IsValidLabelValue(v);
    if (msgs.length) errs.push(`${valuePath}[${i}][${key}]: Invalid value: ${goValue(v)}: ${msgs.join("; ")}`);
  });
  if (errs.length) throw new SelectorError(aggregate(errs));
  return { key, operator, values };
}

/** Requirement.Matches */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const val = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return has && r.values.includes(val!);
    case "notin":
    case "!=":
      return !has || !r.values.includes(val!);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || !isInt64(val!) || r.values.length !== 1 || !isInt64(r.values[0])) return false;
      const a = BigInt(val!);
      const b = BigInt(r.values[0]);
      return r.operator === "gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** Requirement.String */
export function requirementString(r: Requirement): string {
  let s = r.operator === "!" ? "!" + r.key : r.key;
  const ops: Partial<Record<Operator, string>> = { "=": "=", "==": "==", "!=": "!=", in: " in ", notin: " notin ", gt: ">", lt: "<" };
  if (r.operator === "exists" || r.operator === "!") return s;
  s += ops[r.operator] ?? "";
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(",");
  return r.operator === "in" || r.operator === "notin" ? `${s}(${vals})` : s + vals;
}

export class Selector {
  /** `nothing`: the selector of a nil LabelSelector, which matches no object. */
  constructor(
    readonly requirements: Requirement[],
    private readonly nothing = false,
  ) {}

  static everything(): Selector {
    return new Selector([]);
  }

  static nothing(): Selector {
    return new Selector([], true);
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  /** The selector as kubectl describe prints it (`app=web,tier in (a,b)`); "" for everything. */
  toString(): string {
    return this.requirements.map(requirementString).join(",");
  }

  /** A predicate for ApiServer.list's labelSelector option. */
  predicate(): (labels: Record<string, string>) => boolean {
    return (l) => this.matches(l);
  }
}

const sortByKey = (reqs: Requirement[]) => reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

// ---- the string syntax --------------------------------------------------------------------

type Tok = "error" | "eos" | ")" | "," | "!" | "==" | "=" | ">" | "id" | "in" | "<" | "!=" | "notin" | "(";
interface Item {
  tok: Tok;
  lit: string;
}
const STRING2TOKEN: Record<string, Tok> = { ")": ")", ",": ",", "!": "!", "==": "==", "=": "=", ">": ">", in: "in", "<": "<", "!=": "!=", notin: "notin", "(": "(" };
const isWhitespace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isSpecial = (c: string) => "=!(),><".includes(c) && c !== "";

function lex(s: string): Item[] {
  let pos = 0;
  const read = () => (pos < s.length ? s[pos++] : "");
  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (ch !== "" && isWhitespace(ch)) ch = read();
    if (ch === "") {
      items.push({ tok: "eos", lit: "" });
      return items;
    }
    pos--;
    if (isSpecial(ch)) {
      let buffer = "";
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (c === "") break;
        if (isSpecial(c)) {
          buffer += c;
          const t = STRING2TOKEN[buffer];
          if (t) last = { tok: t, lit: buffer };
          else if (last) {
            pos--;
            break;
          }
        } else {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: "error", lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = "";
      for (;;) {
        const c = read();
        if (c === "") break;
        if (isSpecial(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      items.push({ tok: STRING2TOKEN[buffer] ?? "id", lit: buffer });
    }
  }
}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  private look(values: boolean): Item {
    const it = this.items[this.position];
    return values && (it.tok === "in" || it.tok === "notin") ? { tok: "id", lit: it.lit } : it;
  }

  private consume(values: boolean): Item {
    const it = this.look(values);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.look(true);
      if (tok === "id" || tok === "!") {
        let r: Requirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          throw new SelectorError(`unable to parse requirement: ${(e as Error).message}`);
        }
        reqs.push(r);
        const t = this.consume(true);
        if (t.tok === "eos") return reqs;
        if (t.tok === ",") {
          const t2 = this.look(true);
          if (t2.tok !== "id" && t2.tok !== "!") throw new SelectorError(`found '${t2.lit}', expected: identifier after ','`);
        } else throw new SelectorError(`found '${t.lit}', expected: ',' or 'end of string'`);
      } else if (tok === "eos") return reqs;
      else throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private parseRequirement(): Requirement {
    let operator: Operator | undefined;
    let t = this.consume(true);
    if (t.tok === "!") {
      operator = "!";
      t = this.consume(true);
    }
    if (t.tok !== "id") throw new Error(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErr = labelKeyError(key, "<nil>");
    if (keyErr) throw new Error(keyErr);
    const next = this.look(true).tok;
    if (next === "eos" || next === ",") {
      if (operator !== "!") operator = "exists";
    }
    if (operator === "exists" || operator === "!") return newRequirement(key, operator, []);
    const opTok = this.consume(false);
    const opMap: Partial<Record<Tok, Operator>> = { in: "in", "=": "=", "==": "==", ">": "gt", "<": "lt", notin: "notin", "!=": "!=" };
    const op = opMap[opTok.tok];
    if (!op) throw new Error(`found '${opTok.lit}', expected: ${BINARY_OPERATORS.join(", ")}`);
    const values = op === "in" || op === "notin" ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...new Set(values)].sort());
  }

  private parseValues(): string[] {
    const t = this.consume(true);
    if (t.tok !== "(") throw new Error(`found '${t.lit}' expected: '('`);
    const { tok, lit } = this.look(true);
    if (tok === "id" || tok === ",") {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== ")") throw new Error(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === ")") {
      this.consume(true);
      return [""];
    }
    throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): string[] {
    const s = new Set<string>();
    for (;;) {
      const t = this.consume(true);
      if (t.tok === "id") {
        s.add(t.lit);
        const t2 = this.look(true);
        if (t2.tok === ",") continue;
        if (t2.tok === ")") return [...s];
        throw new Error(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (t.tok === ",") {
        if (s.size === 0) s.add("");
        const t2 = this.look(true).tok;
        if (t2 === ")") {
          s.add("");
          return [...s];
        }
        if (t2 === ",") s.add("");
      } else throw new Error(`found '${t.lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const { tok } = this.look(true);
    if (tok === "eos" || tok === ",") return [""];
    const t = this.consume(true);
    if (t.tok === "id") return [t.lit];
    throw new Error(`found '${t.lit}', expected: identifier`);
  }
}

/** labels.Parse: the selector syntax of `kubectl -l` (`a=b,c!=d,e in (x,y),!f,g`). */
export function parseSelector(selector: string): Selector {
  return new Selector(sortByKey(new Parser(lex(selector)).parse()));
}

/** labels.ParseToRequirements: the requirements in the order written. */
export function parseToRequirements(selector: string): Requirement[] {
  return new Parser(lex(selector)).parse();
}

// ---- API types ---------------------------------------------------------------------------

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** metav1.LabelSelectorAsSelector: nil matches nothing, empty matches everything. */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return Selector.nothing();
  const ml = ls.matchLabels ?? {};
  const me = ls.matchExpressions ?? [];
  if (Object.keys(ml).length + me.length === 0) return Selector.everything();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ml)) reqs.push(newRequirement(k, "=", [v]));
  for (const expr of me) {
    const ops: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };
    const op = ops[expr.operator];
    if (!op) throw new SelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return new Selector(sortByKey(reqs));
}

/** Matches labels against a LabelSelector (an invalid selector matches nothing, as controllers treat it). */
export function labelSelectorMatches(ls: LabelSelector | null | undefined, labels: Labels): boolean {
  try {
    return labelSelectorAsSelector(ls).matches(labels);
  } catch {
    return false;
  }
}

/** A map selector (Service spec.selector, nodeSelector): every pair must match; empty matches everything. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  return new Selector(sortByKey(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: "=" as Operator, values: [v] }))));
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** NodeSelectorRequirementsAsSelector (node affinity match expressions, with Gt and Lt). */
export function nodeSelectorRequirementsAsSelector(reqs: NodeSelectorRequirement[] | undefined): Selector {
  if (!reqs || reqs.length === 0) return Selector.nothing();
  const ops: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!", Gt: "gt", Lt: "lt" };
  const out: Requirement[] = [];
  for (const expr of reqs) {
    const op = ops[expr.operator];
    if (!op) throw new SelectorError(`${JSON.stringify(expr.operator)} is not a valid node selector operator`);
    out.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return new Selector(sortByKey(out));
}

// ---- field selectors ---------------------------------------------------------------------

export interface FieldRequirement {
  field: string;
  operator: "=" | "==" | "!=";
  value: string;
}

/** Splits on unescaped commas (fields.splitTerms). */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    if (escaped) escaped = false;
    else if (s[i] === "\\") escaped = true;
    else if (s[i] === ",") {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

function splitTerm(term: string): [string, FieldRequirement["operator"], string] | undefined {
  let escaped = false;
  for (let i = 0; i < term.length; i++) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (term[i] === "\\") {
      escaped = true;
      continue;
    }
    for (const op of ["!=", "==", "="] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!s.includes("\\")) return s;
  let out = "";
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c !== "\\" && c !== "," && c !== "=") throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === "\\") escaped = true;
    else if (c === "," || c === "=") throw new SelectorError(`invalid field selector: unescaped character: ${c}`);
    else out += c;
  }
  if (escaped) throw new SelectorError("invalid field selector: unterminated escape sequence");
  return out;
}

/** fields.ParseSelector: `metadata.name=x,status.phase!=Running` (terms sorted, as upstream). */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const parts = splitTerms(selector).sort();
  const out: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const t = splitTerm(part);
    if (!t) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    out.push({ field: t[0], operator: t[1], value: unescapeValue(t[2]) });
  }
  return out;
}

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/** The fields each kind serves to field selectors (the registries' GetAttrs / field label conversions). */
const FIELDS: Record<string, Record<string, (o: KObject) => string>> = {
  Pod: {
    "spec.nodeName": (o) => str(o.spec?.nodeName),
    "spec.restartPolicy": (o) => str(o.spec?.restartPolicy),
    "spec.schedulerName": (o) => str(o.spec?.schedulerName),
    "spec.serviceAccountName": (o) => str(o.spec?.serviceAccountName),
    "spec.hostNetwork": (o) => String(o.spec?.hostNetwork === true),
    "status.phase": (o) => str(o.status?.phase),
    "status.podIP": (o) => str(o.status?.podIP),
    "status.nominatedNodeName": (o) => str(o.status?.nominatedNodeName),
  },
  Node: { "spec.unschedulable": (o) => String(o.spec?.unschedulable === true) },
  Namespace: { "status.phase": (o) => str(o.status?.phase) },
  Secret: { type: (o) => str(o.type) },
  ReplicaSet: { "status.replicas": (o) => str(o.status?.replicas ?? 0) },
  Job: { "status.successful": (o) => str(o.status?.succeeded ?? 0) },
  Event: {
    "involvedObject.kind": (o) => str(o.involvedObject?.kind),
    "involvedObject.namespace": (o) => str(o.involvedObject?.namespace),
    "involvedObject.name": (o) => str(o.involvedObject?.name),
    "involvedObject.uid": (o) => str(o.involvedObject?.uid),
    "involvedObject.apiVersion": (o) => str(o.involvedObject?.apiVersion),
    "involvedObject.resourceVersion": (o) => str(o.involvedObject?.resourceVersion),
    "involvedObject.fieldPath": (o) => str(o.involvedObject?.fieldPath),
    reason: (o) => str(o.reason),
    reportingComponent: (o) => str(o.reportingComponent),
    source: (o) => str(o.source?.component || o.reportingComponent),
    type: (o) => str(o.type),
  },
};

/**
 * A field selector for one kind as a predicate over objects. Throws `field label not supported: x`
 * (the API server's BadRequest text) for fields the kind does not serve, or the scheme's default
 * conversion's `"x" is not a known field selector: only "metadata.name", "metadata.namespace"`
 * for kinds that serve none besides metadata.name and metadata.namespace.
 */
export function fieldSelectorFor(kind: string, selector: string): (obj: KObject) => boolean {
  const reqs = parseFieldSelector(selector);
  const getters = reqs.map((r) => {
    if (r.field === "metadata.name") return (o: KObject) => str(o.metadata.name);
    if (r.field === "metadata.namespace") return (o: KObject) => str(o.metadata.namespace);
    const fields = FIELDS[kind];
    // Kinds without a field label conversion of their own use the scheme's default
    // (runtime.DefaultMetaV1FieldSelectorConversion, apimachinery/pkg/runtime/conversion.go).
    if (!fields) throw new SelectorError(`${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
    const g = fields[r.field];
    if (!g) throw new SelectorError(`field label not supported: ${r.field}`);
    return g;
  });
  return (obj) => reqs.every((r, i) => (r.operator === "!=" ? getters[i](obj) !== r.value : getters[i](obj) === r.value));
}

/**
 * metav1.ParseToLabelSelector: `=`/`==` requirements become matchLabels, in/notin/exists/`!`
 * become matchExpressions (values sorted); `!=`, `gt` and `lt` cannot be written in a LabelSelector.
 */
export function parseToLabelSelector(selector: string): LabelSelector {
  let reqs: Requirement[];
  try {
    reqs = parseToRequirements(selector);
  } catch (e) {
    if (e instanceof SelectorError) throw new SelectorError(`couldn't parse the selector string "${selector}": ${e.message}`);
    throw e;
  }
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  const ops: Partial<Record<Operator, LabelSelectorRequirement["operator"]>> = { in: "In", notin: "NotIn", exists: "Exists", "!": "DoesNotExist" };
  for (const r of reqs) {
    if (r.operator === "=" || r.operator === "==") {
      if (r.values.length !== 1) throw new SelectorError("equals operator must have exactly one value");
      matchLabels[r.key] = r.values[0];
      continue;
    }
    if (r.operator === "gt" || r.operator === "lt") throw new SelectorError(`${JSON.stringify(r.operator)} isn't supported in label selectors`);
    const op = ops[r.operator];
    if (!op) throw new SelectorError(`${JSON.stringify(r.operator)} is not a valid label selector operator`);
    matchExpressions.push({ key: r.key, operator: op, ...(op === "In" || op === "NotIn" ? { values: [...r.values].sort() } : {}) });
  }
  return { ...(Object.keys(matchLabels).length ? { matchLabels } : {}), ...(matchExpressions.length ? { matchExpressions } : {}) };
}
