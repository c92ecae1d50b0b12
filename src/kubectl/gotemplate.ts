/**
 * `kubectl get -o go-template=…` / `-o template=…`: the part of Go's text/template kubectl users
 * write (k8s.io/cli-runtime/pkg/printers/template.go runs it over the unstructured object, whose
 * whole numbers are int64):
 *
 * - text with actions `{{ … }}`, `{{-`/`-}}` trimming, comments `{{/* … *\/}}`;
 * - pipelines of commands joined by `|` (the previous result becomes the last argument), with
 *   `$x :=`, `$x =` and `$i, $e :=` declarations;
 * - operands: `.`, `.a.b`, `$`, `$x.a`, `(pipeline).a`, strings ("…" and `…`), numbers,
 *   `true`, `false`, `nil`;
 * - actions `if`/`else if`/`else`, `range` (slices, and maps in key order; `else`, `break`,
 *   `continue`), `with`/`else with`, `end`;
 * - functions `and or not len index print printf println eq ne lt le gt ge` and kubectl's
 *   `base64decode`.
 *
 * Values print as Go's fmt %v does: a missing map key as `<no value>` (and so does any field of
 * it: `.status.nope.x`), null as `<nil>`, maps as
 * `map[k:v]`, whole numbers as integers, other numbers in %g's shortest form.
 * Errors carry text/template's wording (`template: output:1:9: executing "output" at <…>: …`).
 */

export class TemplateError extends Error {}

// ---- values -------------------------------------------------------------------------------

/**
 * Go's types of the values a template meets: whole numbers (of the object, as kubectl's
 * unstructured objects hold them, and the template's integer constants, `len`, range indexes) are
 * integers (JS bigint); other numbers are float64 (JS number).
 */
/** A map key that is not there: prints `<no value>` (reflect's zero Value), unlike a present null. */
const MISSING = Symbol("missing");
type Value = unknown;

/** strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v prints a float64. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mant, expText] = n.toExponential().split("e") as [string, string];
  const x = Number(expText);
  // %v is %g with the shortest precision, where the exponent form starts at 1e+06.
  if (x < -4 || x >= 6) {
    const e = Math.abs(x);
    return `${mant}e${x < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return String(n);
}

/** fmt's %v of a JSON-decoded value. */
export function goValue(v: Value): string {
  if (v === MISSING) return "<no value>";
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, Value>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(" ")}]`;
  }
  return String(v);
}

/** text/template's truth: false, 0, nil, and empty strings, slices and maps are false. */
function truth(v: Value): boolean {
  if (v === MISSING || v === null || v === undefined || v === false || v === 0 || v === 0n || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

// ---- lexing -------------------------------------------------------------------------------

type Tok =
  | { t: "field"; names: string[] } // .a.b (names empty for `.`)
  | { t: "var"; name: string; names: string[] } // $x.a
  | { t: "ident"; name: string }
  | { t: "string"; value: string }
  | { t: "number"; value: number | bigint }
  | { t: "bool"; value: boolean }
  | { t: "nil" }
  | { t: "op"; op: ":=" | "=" | "|" | "(" | ")" | "," }
  | { t: "fieldchain"; names: string[] }; // .a.b right after `)`

function lexAction(src: string, line: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const err = (m: string): never => {
    throw new TemplateError(`template: output:${line}: ${m}`);
  };
  const ident = (from: number) => {
    let j = from;
    while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
    return j;
  };
  const chain = (from: number): { names: string[]; end: number } => {
    const names: string[] = [];
    let j = from;
    while (src[j] === "." && /[A-Za-z_]/.test(src[j + 1] ?? "")) {
      const e = ident(j + 1);
      names.push(src.slice(j + 1, e));
      j = e;
    }
    return { names, end: j };
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === ":" && src[i + 1] === "=") {
      out.push({ t: "op", op: ":=" });
      i += 2;
    } else if (c === "=" || c === "|" || c === "(" || c === ")" || c === ",") {
      out.push({ t: "op", op: c });
      i++;
    } else if (c === ".") {
      const prev = out[out.length - 1];
      const { names, end } = chain(i);
      if (names.length === 0) {
        if (/[0-9]/.test(src[i + 1] ?? "")) {
          const m = /^\.[0-9]+([eE][-+]?[0-9]+)?/.exec(src.slice(i))!;
          out.push({ t: "number", value: Number(m[0]) });
          i += m[0].length;
          continue;
        }
        out.push({ t: "field", names: [] });
        i++;
      } else {
        out.push(prev && prev.t === "op" && prev.op === ")" && src[i - 1] === ")" ? { t: "fieldchain", names } : { t: "field", names });
        i = end;
      }
    } else if (c === "$") {
      const e = ident(i + 1);
      const name = src.slice(i, e);
      const { names, end } = chain(e);
      out.push({ t: "var", name, names });
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = "";
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === "\\") {
          const n = src[++j];
          const esc: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", a: "\x07", b: "\b", f: "\f", v: "\v", "0": "\0" };
          if (n === "x") {
            s += String.fromCharCode(parseInt(src.slice(j + 1, j + 3), 16));
            j += 2;
          } else if (n === "u") {
            s += String.fromCharCode(parseInt(src.slice(j + 1, j + 5), 16));
            j += 4;
          } else if (n !== undefined && n in esc) s += esc[n];
          else err("invalid syntax");
        } else s += src[j];
      }
      if (j >= src.length) err("unterminated quoted string");
      out.push({ t: "string", value: s });
      i = j + 1;
    } else if (c === "`") {
      const j = src.indexOf("`", i + 1);
      if (j < 0) err("unterminated raw quoted string");
      out.push({ t: "string", value: src.slice(i + 1, j) });
      i = j + 1;
    } else if (c === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(src.slice(i));
      if (!m) err("unterminated character constant");
      const ch = m![1]!.startsWith("\\") ? ({ n: "\n", t: "\t", "\\": "\\", "'": "'" } as Record<string, string>)[m![1]![1]!] ?? m![1]![1]! : m![1]!;
      out.push({ t: "number", value: BigInt(ch.codePointAt(0)!) });
      i += m![0].length;
    } else if (/[-+0-9]/.test(c)) {
      const m = /^[-+]?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?)/.exec(src.slice(i));
      if (!m) err(`bad number syntax: ${JSON.stringify(src.slice(i, i + 1))}`);
      const text = m![0];
      out.push({ t: "number", value: /^[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text) ? BigInt(text.replace(/^\+/, "")) : Number(text) });
      i += m![0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const e = ident(i);
      const name = src.slice(i, e);
      if (name === "true" || name === "false") out.push({ t: "bool", value: name === "true" });
      else if (name === "nil") out.push({ t: "nil" });
      else out.push({ t: "ident", name });
      i = e;
    } else err(`unexpected ${JSON.stringify(c)} in command`);
  }
  return out;
}

// ---- parsing ------------------------------------------------------------------------------

type Operand =
  | { k: "field"; names: string[]; text: string }
  | { k: "var"; name: string; names: string[]; text: string }
  | { k: "lit"; value: Value; text: string }
  | { k: "func"; name: string; text: string }
  | { k: "pipe"; pipe: Pipeline; names: string[]; text: string };
interface Command {
  args: Operand[];
}
interface Pipeline {
  decl: string[];
  assign: boolean;
  cmds: Command[];
  text: string;
  line: number;
  col: number;
}
type Node =
  | { n: "text"; text: string }
  | { n: "action"; pipe: Pipeline }
  | { n: "if" | "with"; pipe: Pipeline; then: Node[]; else?: Node[] }
  | { n: "range"; pipe: Pipeline; body: Node[]; else?: Node[] }
  | { n: "break" | "continue" };

const FUNCS = new Set(["and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "base64decode", "html", "js", "urlquery", "slice"]);

function parsePipeline(toks: Tok[], text: string, line: number, col: number): Pipeline {
  const p: Pipeline = { decl: [], assign: false, cmds: [], text, line, col };
  let i = 0;
  const err = (m: string): never => {
    throw new TemplateError(`template: output:${line}: ${m}`);
  };
  // Declarations: $x := / $x = / $i, $e :=
  const isVar = (t: Tok | undefined) => t?.t === "var" && t.names.length === 0;
  if (isVar(toks[0]) && toks[1]?.t === "op" && (toks[1].op === ":=" || toks[1].op === "=")) {
    p.decl = [(toks[0] as { name: string }).name];
    p.assign = toks[1].op === "=";
    i = 2;
  } else if (isVar(toks[0]) && toks[1]?.t === "op" && toks[1].op === "," && isVar(toks[2]) && toks[3]?.t === "op" && toks[3].op === ":=") {
    p.decl = [(toks[0] as { name: string }).name, (toks[2] as { name: string }).name];
    i = 4;
  }
  const operand = (): Operand | undefined => {
    const t = toks[i];
    if (!t) return undefined;
    switch (t.t) {
      case "field":
        i++;
        return { k: "field", names: t.names, text: t.names.length ? "." + t.names.join(".") : "." };
      case "var":
        i++;
        return { k: "var", name: t.name, names: t.names, text: t.name + t.names.map((n) => "." + n).join("") };
      case "string":
        i++;
        return { k: "lit", value: t.value, text: JSON.stringify(t.value) };
      case "number":
        i++;
        return { k: "lit", value: t.value, text: String(t.value) };
      case "bool":
        i++;
        return { k: "lit", value: t.value, text: String(t.value) };
      case "nil":
        i++;
        return { k: "lit", value: null, text: "nil" };
      case "ident":
        if (!FUNCS.has(t.name)) err(`function ${JSON.stringify(t.name)} not defined`);
        i++;
        return { k: "func", name: t.name, text: t.name };
      case "op": {
        if (t.op !== "(") return undefined;
        i++;
        const start = i;
        let depth = 1;
        while (i < toks.length && depth > 0) {
          const x = toks[i]!;
          if (x.t === "op" && x.op === "(") depth++;
          if (x.t === "op" && x.op === ")") depth--;
          i++;
        }
        if (depth > 0) err("unclosed left paren");
        const inner = parsePipeline(toks.slice(start, i - 1), text, line, col);
        let names: string[] = [];
        const next = toks[i];
        if (next?.t === "fieldchain") {
          names = next.names;
          i++;
        }
        return { k: "pipe", pipe: inner, names, text: `(${inner.text})${names.map((n) => "." + n).join("")}` };
      }
      default:
        return undefined;
    }
  };
  let cmd: Command = { args: [] };
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.t === "op" && t.op === "|") {
      if (!cmd.args.length) err("missing command");
      p.cmds.push(cmd);
      cmd = { args: [] };
      i++;
      continue;
    }
    const o = operand();
    if (!o) err(`unexpected ${JSON.stringify(t.t === "op" ? t.op : t.t)} in operand`);
    cmd.args.push(o!);
  }
  if (cmd.args.length) p.cmds.push(cmd);
  else if (p.cmds.length) err("missing command");
  return p;
}

/** Splits the template into text and actions, applying `{{-`/`-}}` trimming. */
function tokenize(src: string): Array<{ text: string } | { action: string; line: number; col: number }> {
  const out: Array<{ text: string } | { action: string; line: number; col: number }> = [];
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, "");
    trimNext = false;
    if (open < 0) {
      if (text) out.push({ text });
      break;
    }
    let start = open + 2;
    if (src.startsWith("- ", start) || (src[start] === "-" && /\s/.test(src[start + 1] ?? ""))) {
      text = text.replace(/\s+$/, "");
      start += 1;
    }
    if (text) out.push({ text });
    const line = src.slice(0, open).split("\n").length;
    const col = open - src.lastIndexOf("\n", open - 1);
    if (src.slice(start).trimStart().startsWith("/*")) {
      const end = src.indexOf("*/", start);
      const close = end < 0 ? -1 : src.indexOf("}}", end);
      if (close < 0) throw new TemplateError(`template: output:${line}: unclosed comment`);
      trimNext = /\s-$/.test(src.slice(end + 2, close)) || src.slice(end + 2, close).trim() === "-";
      i = close + 2;
      continue;
    }
    // Find the closing }} outside quotes.
    let j = start;
    let quote: string | undefined;
    for (; j < src.length; j++) {
      const c = src[j]!;
      if (quote) {
        if (c === "\\" && quote === '"') j++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "`" || c === "'") quote = c;
      else if (c === "}" && src[j + 1] === "}") break;
    }
    if (j >= src.length) throw new TemplateError(`template: output:${line}: unclosed action`);
    let body = src.slice(start, j);
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      trimNext = true;
    }
    out.push({ action: body.trim(), line, col });
    i = j + 2;
  }
  return out;
}

function parseTemplate(src: string): Node[] {
  const parts = tokenize(src);
  let pos = 0;
  const parseList = (inRange: boolean): { nodes: Node[]; end: "end" | "else" | "eof"; elseRest?: string; line: number } => {
    const nodes: Node[] = [];
    while (pos < parts.length) {
      const p = parts[pos++]!;
      if ("text" in p) {
        nodes.push({ n: "text", text: p.text });
        continue;
      }
      const { action, line, col } = p;
      const word = /^[a-z]+/.exec(action)?.[0] ?? "";
      const rest = action.slice(word.length).trim();
      const pipe = (s: string) => parsePipeline(lexAction(s, line), s, line, col);
      switch (word) {
        case "end":
          return { nodes, end: "end", line };
        case "else":
          return { nodes, end: "else", elseRest: rest, line };
        case "if":
        case "with": {
          const node = { n: word, pipe: pipe(rest), then: [] as Node[], else: undefined as Node[] | undefined };
          const body = parseList(inRange);
          node.then = body.nodes;
          if (body.end === "eof") throw new TemplateError(`template: output:${line}: unexpected EOF`);
          if (body.end === "else") node.else = parseElse(word, body.elseRest ?? "", inRange, line);
          nodes.push(node as Node);
          break;
        }
        case "range": {
          const node = { n: "range" as const, pipe: pipe(rest), body: [] as Node[], else: undefined as Node[] | undefined };
          const body = parseList(true);
          node.body = body.nodes;
          if (body.end === "eof") throw new TemplateError(`template: output:${line}: unexpected EOF`);
          if (body.end === "else") {
            const e = parseList(inRange);
            if (e.end !== "end") throw new TemplateError(`template: output:${line}: expected end; found ${e.end === "eof" ? "EOF" : "else"}`);
            node.else = e.nodes;
          }
          nodes.push(node);
          break;
        }
        case "break":
        case "continue":
          if (!inRange) throw new TemplateError(`template: output:${line}: {{${word}}} outside {{range}}`);
          nodes.push({ n: word });
          break;
        case "define":
        case "template":
        case "block":
          throw new TemplateError(`template: output:${line}: {{${word}}} is not supported by this simulation`);
        default:
          nodes.push({ n: "action", pipe: pipe(action) });
      }
    }
    return { nodes, end: "eof", line: 0 };
  };
  /** `else`, `else if …`, `else with …`: the rest of the chain up to the shared `end`. */
  const parseElse = (word: string, rest: string, inRange: boolean, line: number): Node[] => {
    if (rest.startsWith("if ") || rest.startsWith("with ")) {
      const w = rest.startsWith("if ") ? "if" : "with";
      const s = rest.slice(w.length).trim();
      const node = { n: w, pipe: parsePipeline(lexAction(s, line), s, line, 0), then: [] as Node[], else: undefined as Node[] | undefined };
      const body = parseList(inRange);
      node.then = body.nodes;
      if (body.end === "eof") throw new TemplateError(`template: output:${line}: unexpected EOF`);
      if (body.end === "else") node.else = parseElse(w, body.elseRest ?? "", inRange, line);
      return [node as Node];
    }
    void word;
    const e = parseList(inRange);
    if (e.end !== "end") throw new TemplateError(`template: output:${line}: expected end; found ${e.end === "eof" ? "EOF" : "else"}`);
    return e.nodes;
  };
  const top = parseList(false);
  if (top.end !== "eof") throw new TemplateError(`template: output:${top.line}: unexpected {{${top.end}}}`);
  return top.nodes;
}

// ---- execution ----------------------------------------------------------------------------

class Break {}
class Continue {}

interface Scope {
  dot: Value;
  vars: Array<[string, Value]>;
}

function typeName(v: Value): string {
  if (v === MISSING || v === null || v === undefined) return "interface {}";
  if (typeof v === "number") return "float64";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

function execTemplate(nodes: Node[], data: Value): string {
  let out = "";
  const fail = (p: Pipeline, m: string): never => {
    throw new TemplateError(`template: output:${p.line}:${p.col}: executing "output" at <${p.text}>: ${m}`);
  };
  const lookup = (scope: Scope, name: string, p: Pipeline): Value => {
    for (let i = scope.vars.length - 1; i >= 0; i--) if (scope.vars[i]![0] === name) return scope.vars[i]![1];
    return fail(p, `undefined variable: ${name}`);
  };
  const fields = (v: Value, names: string[], p: Pipeline): Value => {
    let cur = v;
    for (const n of names) {
      // A missing key gives reflect's invalid Value, whose fields are invalid too (`<no value>`);
      // a present null is a nil interface, which has no fields.
      if (cur === MISSING) return MISSING;
      if (cur === null || cur === undefined) return fail(p, `nil pointer evaluating interface {}.${n}`);
      if (typeof cur !== "object" || Array.isArray(cur)) return fail(p, `can't evaluate field ${n} in type ${typeName(cur)}`);
      const o = cur as Record<string, Value>;
      cur = Object.prototype.hasOwnProperty.call(o, n) ? o[n] : MISSING;
    }
    return cur;
  };
  const evalOperand = (o: Operand, scope: Scope, p: Pipeline): Value => {
    switch (o.k) {
      case "field":
        return fields(scope.dot, o.names, p);
      case "var":
        return fields(lookup(scope, o.name, p), o.names, p);
      case "lit":
        return o.value;
      case "pipe":
        return fields(evalPipeline(o.pipe, scope), o.names, p);
      case "func":
        return call(o.name, [], p);
    }
  };
  const cmp = (a: Value, b: Value, p: Pipeline): number => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
    if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
    return fail(p, `error calling lt: incompatible types for comparison`);
  };
  const eqv = (a: Value, b: Value, p: Pipeline): boolean => {
    const basic = (x: Value) => x === null || x === MISSING || ["string", "number", "bigint", "boolean"].includes(typeof x);
    if (!basic(a) || !basic(b)) return fail(p, "error calling eq: incompatible types for comparison");
    if ((a === null || a === MISSING) !== (b === null || b === MISSING)) return fail(p, "error calling eq: incompatible types for comparison");
    if (a !== null && a !== MISSING && typeof a !== typeof b) return fail(p, "error calling eq: incompatible types for comparison");
    return a === b || ((a === null || a === MISSING) && (b === null || b === MISSING));
  };
  const call = (name: string, args: Value[], p: Pipeline): Value => {
    const need = (n: number) => {
      if (args.length !== n) fail(p, `wrong number of args for ${name}: want ${n} got ${args.length}`);
    };
    switch (name) {
      case "and": {
        let v: Value = undefined;
        for (const a of args) if (!truth((v = a))) return a;
        return v;
      }
      case "or": {
        let v: Value = undefined;
        for (const a of args) if (truth((v = a))) return a;
        return v;
      }
      case "not":
        need(1);
        return !truth(args[0]);
      case "len": {
        need(1);
        const v = args[0];
        if (typeof v === "string") return BigInt(Buffer.byteLength(v));
        if (Array.isArray(v)) return BigInt(v.length);
        if (v && typeof v === "object") return BigInt(Object.keys(v).length);
        return fail(p, `error calling len: len of type ${typeName(v)}`);
      }
      case "index": {
        let v = args[0];
        for (const k of args.slice(1)) {
          if (Array.isArray(v)) {
            if (typeof k !== "bigint") return fail(p, `error calling index: cannot index slice/array with type ${typeName(k)}`);
            if (k < 0n || k >= BigInt(v.length)) return fail(p, `error calling index: index out of range: ${k}`);
            v = v[Number(k)];
          } else if (v && typeof v === "object") {
            const o = v as Record<string, Value>;
            v = Object.prototype.hasOwnProperty.call(o, String(k)) ? o[String(k)] : MISSING;
          } else return fail(p, `error calling index: index of untyped nil`);
        }
        return v;
      }
      case "print":
        return args.map((a, i) => (i > 0 && typeof a !== "string" && typeof args[i - 1] !== "string" ? " " : "") + goValue(a)).join("");
      case "println":
        return args.map(goValue).join(" ") + "\n";
      case "printf":
        return goSprintf(String(args[0] ?? ""), args.slice(1));
      case "eq":
        return args.slice(1).some((b) => eqv(args[0], b, p));
      case "ne":
        need(2);
        return !eqv(args[0], args[1], p);
      case "lt":
        need(2);
        return cmp(args[0], args[1], p) < 0;
      case "le":
        need(2);
        return cmp(args[0], args[1], p) <= 0;
      case "gt":
        need(2);
        return cmp(args[0], args[1], p) > 0;
      case "ge":
        need(2);
        return cmp(args[0], args[1], p) >= 0;
      case "base64decode": {
        need(1);
        return Buffer.from(String(args[0]), "base64").toString("utf8");
      }
      default:
        return fail(p, `function ${JSON.stringify(name)} is not supported by this simulation`);
    }
  };
  const evalCommand = (c: Command, scope: Scope, p: Pipeline, prev: Value | typeof NONE): Value => {
    const [first, ...rest] = c.args;
    if (first!.k === "func") {
      const args = rest.map((a) => evalOperand(a, scope, p));
      if (prev !== NONE) args.push(prev);
      return call(first!.name, args, p);
    }
    if (rest.length || prev !== NONE) return fail(p, `can't give argument to non-function ${first!.text}`);
    return evalOperand(first!, scope, p);
  };
  const evalPipeline = (pipe: Pipeline, scope: Scope): Value => {
    let v: Value | typeof NONE = NONE;
    for (const c of pipe.cmds) v = evalCommand(c, scope, pipe, v);
    const value = v === NONE ? undefined : v;
    if (pipe.decl.length === 1) {
      if (pipe.assign) {
        const i = scope.vars.map((x) => x[0]).lastIndexOf(pipe.decl[0]!);
        if (i < 0) fail(pipe, `undefined variable: ${pipe.decl[0]}`);
        scope.vars[i] = [pipe.decl[0]!, value];
      } else scope.vars.push([pipe.decl[0]!, value]);
    }
    return value;
  };
  const run = (list: Node[], scope: Scope): void => {
    for (const node of list) {
      switch (node.n) {
        case "text":
          out += node.text;
          break;
        case "action": {
          const v = evalPipeline(node.pipe, scope);
          if (node.pipe.decl.length === 0) out += goValue(v);
          break;
        }
        case "if":
        case "with": {
          const mark = scope.vars.length;
          const v = evalPipeline(node.pipe, scope);
          if (truth(v)) run(node.then, node.n === "with" ? { dot: v, vars: scope.vars } : scope);
          else if (node.else) run(node.else, scope);
          scope.vars.length = mark;
          break;
        }
        case "range": {
          const mark = scope.vars.length;
          const decl = node.pipe.decl;
          const rangePipe = { ...node.pipe, decl: [] };
          const v = evalPipeline(rangePipe, scope);
          let entries: Array<[Value, Value]> = [];
          if (Array.isArray(v)) entries = v.map((e, i) => [BigInt(i), e]);
          else if (v && typeof v === "object") entries = Object.keys(v as object).sort().map((k) => [k, (v as Record<string, Value>)[k]]);
          else if (typeof v === "bigint") entries = Array.from({ length: Math.max(0, Number(v)) }, (_, i) => [BigInt(i), BigInt(i)]);
          else if (v !== MISSING && v !== null && v !== undefined) fail(node.pipe, `range can't iterate over ${goValue(v)}`);
          if (!entries.length) {
            if (node.else) run(node.else, scope);
            break;
          }
          for (const [k, e] of entries) {
            scope.vars.length = mark;
            if (decl.length === 1) scope.vars.push([decl[0]!, e]);
            if (decl.length === 2) scope.vars.push([decl[0]!, k], [decl[1]!, e]);
            try {
              run(node.body, { dot: e, vars: scope.vars });
            } catch (x) {
              if (x instanceof Break) break;
              if (!(x instanceof Continue)) throw x;
            }
          }
          scope.vars.length = mark;
          break;
        }
        case "break":
          throw new Break();
        case "continue":
          throw new Continue();
      }
    }
  };
  run(nodes, { dot: data, vars: [["$", data]] });
  return out;
}

const NONE = Symbol("none");

/** Go's fmt.Sprintf for the verbs templates use: %v %s %d %f %g %e %q %t %x %X %o %c %%, width, precision, `-`, `0`, `+`. */
export function goSprintf(format: string, args: Value[]): string {
  let out = "";
  let ai = 0;
  const re = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = "", width, prec, verb] = m;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (ai >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[ai++];
    let s: string;
    const num = typeof a === "number" || typeof a === "bigint" ? Number(a) : NaN;
    const int = typeof a === "bigint";
    switch (verb) {
      case "v":
      case "s":
        s = typeof a === "string" ? a : goValue(a);
        if (prec !== undefined && typeof a === "string") s = s.slice(0, Number(prec));
        break;
      case "q":
        s = typeof a === "string" ? JSON.stringify(a) : `%!q(${typeName(a)}=${goValue(a)})`;
        break;
      case "d":
        s = int ? String(a) : `%!d(${typeName(a)}=${goValue(a)})`;
        if (int && flags.includes("+") && num >= 0) s = "+" + s;
        break;
      case "f":
      case "F":
        s = typeof a !== "number" ? `%!f(${typeName(a)}=${goValue(a)})` : num.toFixed(prec === undefined ? 6 : Number(prec));
        break;
      case "e":
        s = typeof a !== "number" ? `%!e(${typeName(a)}=${goValue(a)})` : num.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([-+])(\d)$/, "e$10$2");
        break;
      case "g":
        s = typeof a !== "number" ? `%!g(${typeName(a)}=${goValue(a)})` : goFloat(num);
        break;
      case "t":
        s = typeof a === "boolean" ? String(a) : `%!t(${typeName(a)}=${goValue(a)})`;
        break;
      case "x":
      case "X":
        s = typeof a === "string" ? Buffer.from(a).toString("hex") : int ? (a as bigint).toString(16) : `%!${verb}(${typeName(a)}=${goValue(a)})`;
        if (verb === "X") s = s.toUpperCase();
        break;
      case "o":
        s = int ? (a as bigint).toString(8) : `%!o(${typeName(a)}=${goValue(a)})`;
        break;
      case "c":
        s = int ? String.fromCodePoint(num) : `%!c(${typeName(a)}=${goValue(a)})`;
        break;
      default:
        s = `%!${verb}(${typeName(a)}=${goValue(a)})`;
    }
    if (width !== undefined && s.length < Number(width)) {
      const pad = Number(width) - s.length;
      if (flags.includes("-")) s += " ".repeat(pad);
      else if (flags.includes("0") && /[dfegxXo]/.test(verb!)) s = s.startsWith("-") ? "-" + "0".repeat(pad) + s.slice(1) : "0".repeat(pad) + s;
      else s = " ".repeat(pad) + s;
    }
    out += s;
  }
  out += format.slice(last);
  if (ai < args.length) out += `%!(EXTRA ${args.slice(ai).map((a) => `${typeName(a)}=${goValue(a)}`).join(", ")})`;
  return out;
}

/** A parsed template, reusable over many objects. */
export class GoTemplate {
  private readonly nodes: Node[];

  constructor(readonly source: string) {
    this.nodes = parseTemplate(source);
  }

  /** Runs over the object as kubectl's printer holds it: unstructured JSON, whole numbers as int64. */
  execute(data: unknown): string {
    return execTemplate(this.nodes, JSON.parse(JSON.stringify(data), (_k, v) => (typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v)));
  }
}
