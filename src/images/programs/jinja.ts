/**
 * The part of Jinja2 (3.1) that Flask applications' templates use, enough to render a template an
 * image carries verbatim (Bookinfo's productpage.html): text kept as written (Flask's environment:
 * no trim_blocks, no lstrip_blocks, one final newline dropped), `{{ expr }}` escaped as markupsafe
 * escapes (`& < > " '`) unless inside `{% autoescape false %}`, `{% if %}/{% elif %}/{% else %}`
 * (a trailing colon is skipped, as Jinja's parser does), `{% for x in expr %}`, `{% block %}` in
 * place (no inheritance), and expressions of names, `.attr` and `['key']`, integer and string
 * literals, `==`, `!=`, `+`, `-` and `range(n)`. An undefined value renders empty and is false;
 * None renders `None`. Anything else throws, naming the construct: a template outside this subset
 * is not rendered wrongly.
 */

type Value = unknown;
type Node =
  | { t: "text"; s: string }
  | { t: "out"; e: string }
  | { t: "if"; branches: Array<{ cond: string; body: Node[] }>; otherwise: Node[] }
  | { t: "for"; name: string; iter: string; body: Node[] }
  | { t: "block"; body: Node[] }
  | { t: "autoescape"; on: boolean; body: Node[] };

const UNDEFINED = Symbol("undefined");

export class JinjaError extends Error {}

/** Parses a template into nodes (cached by the caller). */
export function parseTemplate(src: string): Node[] {
  const text = src.endsWith("\n") ? src.slice(0, -1) : src;
  const tokens: Array<{ k: "text" | "out" | "tag"; s: string }> = [];
  const re = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) tokens.push({ k: "text", s: text.slice(last, m.index) });
    tokens.push(m[1] !== undefined ? { k: "out", s: m[1].trim() } : { k: "tag", s: m[2]!.trim().replace(/:$/, "").trim() });
    last = re.lastIndex;
  }
  if (last < text.length) tokens.push({ k: "text", s: text.slice(last) });
  let i = 0;
  const parse = (ends: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const tok = tokens[i++]!;
      if (tok.k === "text") nodes.push({ t: "text", s: tok.s });
      else if (tok.k === "out") nodes.push({ t: "out", e: tok.s });
      else {
        const word = tok.s.split(/\s+/)[0]!;
        if (ends.includes(word)) return { nodes, end: tok.s };
        if (word === "if") {
          const branches: Array<{ cond: string; body: Node[] }> = [];
          let cond = tok.s.slice(2).trim();
          let otherwise: Node[] = [];
          for (;;) {
            const r = parse(["elif", "else", "endif"]);
            branches.push({ cond, body: r.nodes });
            if (r.end.startsWith("elif")) cond = r.end.slice(4).trim().replace(/:$/, "").trim();
            else {
              if (r.end === "else") otherwise = parse(["endif"]).nodes;
              break;
            }
          }
          nodes.push({ t: "if", branches, otherwise });
        } else if (word === "for") {
          const m = /^for\s+(\w+)\s+in\s+(.+)$/.exec(tok.s);
          if (!m) throw new JinjaError(`unsupported for tag: {% ${tok.s} %}`);
          nodes.push({ t: "for", name: m[1]!, iter: m[2]!, body: parse(["endfor"]).nodes });
        } else if (word === "block") nodes.push({ t: "block", body: parse(["endblock"]).nodes });
        else if (word === "autoescape") nodes.push({ t: "autoescape", on: tok.s.split(/\s+/)[1] !== "false", body: parse(["endautoescape"]).nodes });
        else throw new JinjaError(`unsupported tag: {% ${tok.s} %}`);
      }
    }
    if (ends.length > 0) throw new JinjaError(`unexpected end of template, expected ${ends.join(" or ")}`);
    return { nodes, end: "" };
  };
  return parse([]).nodes;
}

/** markupsafe.escape. */
function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");
}

/** Python's str() of a value as Jinja renders it. */
function str(v: Value): string {
  if (v === UNDEFINED || v === undefined) return "";
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number" || typeof v === "string") return String(v);
  throw new JinjaError(`rendering a ${Array.isArray(v) ? "list" : "dict"} is not supported`);
}

function truthy(v: Value): boolean {
  if (v === UNDEFINED || v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

/** Evaluates one expression of the subset against the context. */
export function evaluate(src: string, scope: Record<string, Value>): Value {
  const toks = src.match(/\s*(\d+|"[^"]*"|'[^']*'|[A-Za-z_]\w*|==|!=|[-+.()[\]])/g)?.map((t) => t.trim()) ?? [];
  if (toks.join("") !== src.replace(/\s+/g, "")) throw new JinjaError(`unsupported expression: ${src}`);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const member = (v: Value, k: Value): Value => {
    if (v === UNDEFINED || v === null || typeof v !== "object") return UNDEFINED;
    const o = v as Record<string, Value>;
    return Object.hasOwn(o, String(k)) ? o[String(k)] : UNDEFINED;
  };
  const primary = (): Value => {
    const t = next();
    if (t === undefined) throw new JinjaError(`unexpected end of expression: ${src}`);
    let v: Value;
    if (/^\d+$/.test(t)) v = Number(t);
    else if (/^["']/.test(t)) v = t.slice(1, -1);
    else if (t === "(") {
      v = sum();
      if (next() !== ")") throw new JinjaError(`expected ) in ${src}`);
    } else if (/^[A-Za-z_]/.test(t)) {
      if (t === "range" && peek() === "(") {
        next();
        const n = sum();
        if (next() !== ")") throw new JinjaError(`expected ) in ${src}`);
        v = Array.from({ length: Math.max(0, Number(n)) }, (_x, k) => k);
      } else if (t === "None") v = null;
      else if (t === "True" || t === "False") v = t === "True";
      else v = Object.hasOwn(scope, t) ? scope[t] : UNDEFINED;
    } else throw new JinjaError(`unexpected ${t} in ${src}`);
    for (;;) {
      if (peek() === ".") {
        next();
        v = member(v, next());
      } else if (peek() === "[") {
        next();
        const k = sum();
        if (next() !== "]") throw new JinjaError(`expected ] in ${src}`);
        v = member(v, k);
      } else return v;
    }
  };
  const sum = (): Value => {
    let v = primary();
    while (peek() === "+" || peek() === "-") {
      const op = next();
      const r = primary();
      v = op === "+" ? Number(v) + Number(r) : Number(v) - Number(r);
    }
    return v;
  };
  const cmp = (): Value => {
    const l = sum();
    if (peek() === "==" || peek() === "!=") {
      const op = next();
      const r = sum();
      const eq = (l === UNDEFINED ? undefined : l) === (r === UNDEFINED ? undefined : r);
      return op === "==" ? eq : !eq;
    }
    return l;
  };
  const v = cmp();
  if (p !== toks.length) throw new JinjaError(`unsupported expression: ${src}`);
  return v;
}

/** Renders parsed nodes with a context (autoescape on, as Flask's for .html templates). */
export function renderTemplate(nodes: Node[], ctx: Record<string, Value>): string {
  const out: string[] = [];
  const walk = (ns: Node[], scope: Record<string, Value>, esc: boolean): void => {
    for (const n of ns) {
      switch (n.t) {
        case "text":
          out.push(n.s);
          break;
        case "out": {
          const s = str(evaluate(n.e, scope));
          out.push(esc ? escapeHtml(s) : s);
          break;
        }
        case "if": {
          const b = n.branches.find((br) => truthy(evaluate(br.cond, scope)));
          walk(b ? b.body : n.otherwise, scope, esc);
          break;
        }
        case "for": {
          const it = evaluate(n.iter, scope);
          if (it === UNDEFINED) break;
          if (!Array.isArray(it)) throw new JinjaError(`for over a non-list: ${n.iter}`);
          for (const x of it) walk(n.body, { ...scope, [n.name]: x }, esc);
          break;
        }
        case "block":
          walk(n.body, scope, esc);
          break;
        case "autoescape":
          walk(n.body, scope, n.on);
          break;
      }
    }
  };
  walk(nodes, ctx, true);
  return out.join("");
}
