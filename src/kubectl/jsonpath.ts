/**
 * kubectl's JSONPath template dialect (k8s.io/client-go/util/jsonpath): text with `{...}` actions;
 * fields `.a.b` (with `\.` escapes), `..` recursive descent, `.*`/`[*]` wildcards, indexes and
 * slices `[0]`, `[-1]`, `[1:3]`, `[::2]`, unions `[0,2]` and `['a','b']`, filters
 * `[?(@.type=="Ready")]` with == != < > <= >= and existence, quoted literals `{"\n"}`,
 * `{range ...}...{end}`. Results of one action are joined by a space; maps and lists print as
 * compact JSON with sorted keys (Go's json.Marshal of an unstructured object), scalars as text.
 */
import { goJSON } from "./printers/gojson.ts";

export class JSONPathError extends Error {}

type Node =
  | { t: "text"; text: string }
  | { t: "field"; name: string }
  | { t: "wildcard" }
  | { t: "recursive" }
  | { t: "array"; start?: number; end?: number; step?: number; index: boolean }
  | { t: "union"; branches: Node[][] }
  | { t: "filter"; left: Node[]; op: string; right: Node[] }
  | { t: "literal"; value: unknown };

type Segment =
  | { t: "text"; text: string }
  | { t: "action"; nodes: Node[] }
  | { t: "range"; nodes: Node[]; body: Segment[] };

export interface JSONPathOptions {
  /** kubectl's --allow-missing-template-keys (default true): a missing field yields nothing. */
  allowMissingKeys?: boolean;
}

export class JSONPath {
  private readonly segments: Segment[];
  constructor(readonly template: string) {
    this.segments = parseTemplate(template);
  }

  /** Executes the template against data and returns what kubectl would print. */
  execute(data: unknown, opts: JSONPathOptions = {}): string {
    const allow = opts.allowMissingKeys ?? true;
    return runSegments(this.segments, data, allow);
  }

  /** The values of a template that is a single action (custom-columns, sort-by). */
  findResults(data: unknown, opts: JSONPathOptions = {}): unknown[][] {
    const allow = opts.allowMissingKeys ?? true;
    const out: unknown[][] = [];
    for (const s of this.segments) {
      if (s.t === "text") out.push([s.text]);
      else if (s.t === "action") out.push(evalNodes([data], s.nodes, allow));
      else throw new JSONPathError("range is not supported here");
    }
    return out;
  }
}

function runSegments(segs: Segment[], data: unknown, allow: boolean): string {
  let out = "";
  for (const s of segs) {
    if (s.t === "text") out += s.text;
    else if (s.t === "action") out += printResults(evalNodes([data], s.nodes, allow));
    else {
      const items = evalNodes([data], s.nodes, allow);
      // client-go ranges over each result; a list result is iterated element by element only when
      // it came from [*] or a wildcard, which evalNodes already flattened.
      for (const item of items) out += runSegments(s.body, item, allow);
    }
  }
  return out;
}

export function printResults(values: unknown[]): string {
  return values.map(textOf).join(" ");
}

function textOf(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "object") return goJSON(v);
  return String(v);
}

/**
 * kubectl's RelaxedJSONPathExpression for custom-columns and --sort-by: `.a.b`, `a.b` and `{.a.b}`
 * all mean `{.a.b}`.
 */
export function relaxedJSONPathExpression(pathExpression: string): string {
  if (pathExpression.length === 0) return pathExpression;
  const m = /^\{?(\.?[^{}]+)\}?$|^\{?(\.?[^{}]*\[[^{}]*\][^{}]*)\}?$/.exec(pathExpression);
  if (!m) throw new JSONPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  const inner = m[1] ?? m[2];
  return `{${inner.startsWith(".") ? inner : "." + inner}}`;
}

// ---- parsing ------------------------------------------------------------------------------

function parseTemplate(template: string): Segment[] {
  const root: Segment[] = [];
  const stack: Segment[][] = [root];
  let i = 0;
  let text = "";
  while (i < template.length) {
    const c = template[i];
    if (c !== "{") {
      text += c;
      i++;
      continue;
    }
    if (text) stack[stack.length - 1].push({ t: "text", text });
    text = "";
    const close = findActionEnd(template, i + 1);
    if (close < 0) throw new JSONPathError(`unclosed action`);
    const inner = template.slice(i + 1, close);
    i = close + 1;
    const trimmed = inner.trim();
    const cur = stack[stack.length - 1];
    if (/^range\b/.test(trimmed)) {
      const body: Segment[] = [];
      cur.push({ t: "range", nodes: parseAction(trimmed.slice(5)), body });
      stack.push(body);
    } else if (trimmed === "end") {
      if (stack.length === 1) throw new JSONPathError("not in range, nothing to end");
      stack.pop();
    } else {
      cur.push({ t: "action", nodes: parseAction(inner) });
    }
  }
  if (text) stack[stack.length - 1].push({ t: "text", text });
  return root;
}

/** Index of the `}` that closes an action opened before `from` (quotes and brackets respected). */
function findActionEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      i = skipQuote(s, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === "}" && depth <= 0) return i;
  }
  return -1;
}

function skipQuote(s: string, i: number): number {
  const q = s[i];
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\") {
      j++;
      continue;
    }
    if (s[j] === q) return j;
  }
  return -1;
}

const TERMINATORS = new Set([" ", ".", ",", "[", "]", "$", "@", "{", "}"]);

function parseAction(src: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  let unionBranches: Node[][] | undefined;
  let current = nodes;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "@" || c === "$") {
      i++;
      continue;
    }
    if (c === ",") {
      // `{.a,.b}`: a union of whole paths.
      if (!unionBranches) unionBranches = [nodes.splice(0)];
      current = [];
      unionBranches.push(current);
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = skipQuote(src, i);
      if (end < 0) throw new JSONPathError("unterminated quoted string");
      current.push({ t: "literal", value: unquote(src.slice(i, end + 1)) });
      i = end + 1;
      continue;
    }
    if (c === ".") {
      if (src[i + 1] === ".") {
        let dots = 2;
        while (src[i + dots] === ".") dots++;
        if (dots > 3) throw new JSONPathError("invalid multiple recursive descent");
        current.push({ t: "recursive" });
        i += dots === 3 ? 2 : 1;
        if (dots === 2 && (i + 1 >= src.length || TERMINATORS.has(src[i + 1]))) i++;
        continue;
      }
      let j = i + 1;
      let name = "";
      while (j < src.length && !TERMINATORS.has(src[j])) {
        if (src[j] === "\\" && j + 1 < src.length) {
          name += src[j + 1];
          j += 2;
          continue;
        }
        name += src[j++];
      }
      if (name === "*") current.push({ t: "wildcard" });
      else if (name !== "") current.push({ t: "field", name });
      i = j;
      continue;
    }
    if (c === "[") {
      const end = findBracketEnd(src, i);
      if (end < 0) throw new JSONPathError("unclosed array expect ]");
      current.push(parseBracket(src.slice(i + 1, end)));
      i = end + 1;
      continue;
    }
    if (/[-+0-9]/.test(c)) {
      const m = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw new JSONPathError(`cannot parse number ${src.slice(i)}`);
      current.push({ t: "literal", value: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      const word = m[0];
      if (word === "true" || word === "false") current.push({ t: "literal", value: word === "true" });
      else throw new JSONPathError(`unrecognized identifier ${word}`);
      i += word.length;
      continue;
    }
    // fmt's %#U: the code point and, when printable, the character in single quotes.
    const cp = c.codePointAt(0)!;
    const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
    throw new JSONPathError(`unrecognized character in action: ${cp >= 0x20 && cp !== 0x7f ? `${hex} '${c}'` : hex}`);
  }
  if (unionBranches) return [{ t: "union", branches: unionBranches }];
  return nodes;
}

function findBracketEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      i = skipQuote(s, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  return -1;
}

function parseBracket(inner: string): Node {
  const v = inner.trim();
  if (v.startsWith("?")) {
    const m = /^\?\s*\((.*)\)$/s.exec(v);
    if (!m) throw new JSONPathError(`invalid filter ${inner}`);
    return parseFilter(m[1]);
  }
  const parts = splitTop(v, ",");
  if (parts.length > 1) return { t: "union", branches: parts.map((p) => [parseBracket(p)]) };
  const q = /^'(.*)'$/s.exec(v) ?? /^"(.*)"$/s.exec(v);
  if (q) {
    // client-go turns ['a.b'] into the path .a.b
    const inner2 = parseAction("." + q[1]);
    return inner2.length === 1 ? inner2[0] : { t: "union", branches: [inner2] };
  }
  if (v === "*") return { t: "array", index: false };
  const m = /^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?$/.exec(v);
  if (!m) throw new JSONPathError(`invalid array index ${v}`);
  const num = (x: string | undefined) => (x === undefined || x === "" ? undefined : Number(x));
  if (!v.includes(":")) {
    if (m[1] === "") throw new JSONPathError(`invalid array index ${v}`);
    return { t: "array", start: Number(m[1]), index: true };
  }
  const step = num(m[3]);
  if (step === 0) throw new JSONPathError("step cannot be 0");
  return { t: "array", start: num(m[1]), end: num(m[2]), step, index: false };
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      const e = skipQuote(s, i);
      if (e < 0) break;
      cur += s.slice(i, e + 1);
      i = e;
      continue;
    }
    if (c === sep) {
      out.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out;
}

function parseFilter(expr: string): Node {
  const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(expr);
  if (!m) return { t: "filter", left: parseAction(expr.trim()), op: "exists", right: [] };
  const op = m[2];
  if (!["==", "!=", "<", ">", "<=", ">="].includes(op)) throw new JSONPathError(`unrecognized filter operator ${op}`);
  return { t: "filter", left: parseAction(m[1].trim()), op, right: parseAction(m[3].trim()) };
}

function unquote(q: string): string {
  const body = q.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case "u":
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}

// ---- evaluation ---------------------------------------------------------------------------

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function evalNodes(input: unknown[], nodes: Node[], allow: boolean): unknown[] {
  let cur = input;
  for (const n of nodes) cur = evalNode(cur, n, allow);
  return cur;
}

function evalNode(input: unknown[], n: Node, allow: boolean): unknown[] {
  switch (n.t) {
    case "text":
      return [n.text];
    case "literal":
      return [n.value];
    case "field": {
      const out: unknown[] = [];
      for (const v of input) if (isMap(v) && Object.prototype.hasOwnProperty.call(v, n.name)) out.push(v[n.name]);
      if (out.length === 0 && !allow) throw new JSONPathError(`${n.name} is not found`);
      return out;
    }
    case "wildcard": {
      const out: unknown[] = [];
      for (const v of input) {
        if (isMap(v)) for (const k of Object.keys(v).sort()) out.push(v[k]);
        else if (Array.isArray(v)) out.push(...v);
      }
      return out;
    }
    case "recursive": {
      const out: unknown[] = [];
      const walk = (v: unknown) => {
        const kids = isMap(v) ? Object.keys(v).sort().map((k) => v[k]) : Array.isArray(v) ? v : typeof v === "string" ? [...v] : [];
        if (kids.length === 0) return;
        out.push(v);
        for (const k of kids) if (typeof k !== "string" || typeof v !== "string") walk(k);
      };
      for (const v of input) walk(v);
      return out;
    }
    case "array": {
      const out: unknown[] = [];
      for (const v of input) {
        if (!Array.isArray(v)) {
          if (v === null || v === undefined) continue;
          throw new JSONPathError(`${describe(v)} is not array or slice`);
        }
        const len = v.length;
        if (n.index) {
          let i = n.start!;
          if (i < 0) i += len;
          if (i >= len || i < 0) throw new JSONPathError(`array index out of bounds: index ${n.start! < 0 ? i : n.start}, length ${len}`);
          out.push(v[i]);
          continue;
        }
        let start = n.start ?? 0;
        let end = n.end ?? len;
        const step = n.step ?? 1;
        if (start < 0) start += len;
        if (end < 0) end += len;
        start = Math.max(0, Math.min(start, len));
        end = Math.max(0, Math.min(end, len));
        for (let i = start; i < end; i += step) out.push(v[i]);
      }
      return out;
    }
    case "union": {
      const out: unknown[] = [];
      for (const b of n.branches) out.push(...evalNodes(input, b, allow));
      return out;
    }
    case "filter": {
      const out: unknown[] = [];
      for (const v of input) {
        if (!Array.isArray(v)) {
          if (v === null || v === undefined) continue;
          throw new JSONPathError(`${describe(v)} is not array or slice and cannot be filtered`);
        }
        for (const item of v) {
          let lefts: unknown[];
          try {
            lefts = evalNodes([item], n.left, allow);
          } catch (e) {
            if (n.op === "exists") continue;
            throw e;
          }
          if (n.op === "exists") {
            if (lefts.length > 0) out.push(item);
            continue;
          }
          if (lefts.length === 0) continue;
          if (lefts.length > 1) throw new JSONPathError("can only compare one element at a time");
          const rights = evalNodes([item], n.right, allow);
          if (rights.length === 0) continue;
          if (rights.length > 1) throw new JSONPathError("can only compare one element at a time");
          if (compare(lefts[0], rights[0], n.op)) out.push(item);
        }
      }
      return out;
    }
  }
}

function describe(v: unknown): string {
  if (isMap(v)) return "map[string]interface {}";
  return typeof v;
}

function compare(a: unknown, b: unknown, op: string): boolean {
  if (op === "==" || op === "!=") {
    if (typeof a !== typeof b && !(a === null || b === null)) throw new JSONPathError("incompatible types for comparison");
    const eq = a === b;
    return op === "==" ? eq : !eq;
  }
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) throw new JSONPathError("incompatible types for comparison");
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    default:
      return x >= y;
  }
}
