/**
 * A fast reader for the plain shape most manifests have, giving exactly what the `yaml` package's
 * parseAllDocuments(text, { uniqueKeys: false, strict: true }) and toJS() give (YAML 1.2, core
 * schema), or `undefined` when the text uses anything outside that shape, for the caller to read
 * it with the `yaml` package instead (which also words every error). Parsing YAML with the
 * package was most of what `kubectl apply` cost the client per object (~300 µs for a small pod,
 * docs/performance.md, apply16): its tokens, CST and document nodes are built and walked for
 * every document, where this reads each line once.
 *
 * The shape read: documents split by lines that are exactly `---`; block mappings and sequences
 * (compact `- key: value` items, sequences at their key's indentation), keys that are plain or
 * quoted on one line and resolve to strings; values that are plain scalars on one line (resolved
 * as the core schema resolves them: null, bool, int, hex, octal, float), single- or
 * double-quoted scalars on one line (the common escapes), flow sequences and mappings on one line,
 * literal block scalars `|` and `|-`; full-line comments and comments after a value. Anything else
 * (tabs, CR, anchors, aliases, tags, directives, `...`, `?` keys, folded or keeping block scalars,
 * indentation indicators, multi-line plain or quoted scalars or flow collections, whitespace-only
 * lines inside a block scalar, a document that is not a mapping, any indentation this reader does
 * not expect) is left to the package: the answer is then the package's, errors included.
 */

/** One document's value with its 1-based number in the stream (empty documents are counted, not returned). */
export interface FastDoc {
  value: Record<string, unknown>;
  index: number;
}

class Unsupported extends Error {}
const NO = new Unsupported();

interface Line {
  /** Column of the first non-space character. */
  ind: number;
  /** The line from that column on. */
  text: string;
  /** The whole line as read (block scalars read it). */
  raw: string;
}

/** The documents of `text`, or undefined when it is not of the shape this reader knows. */
export function fastParseDocuments(text: string): FastDoc[] | undefined {
  if (text.includes("\t") || text.includes("\r") || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return parseStream(text);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function parseStream(text: string): FastDoc[] {
  const out: FastDoc[] = [];
  const raws = text.split("\n");
  let start = 0;
  let index = 0;
  let first = true;
  for (let i = 0; i <= raws.length; i++) {
    const raw = raws[i];
    if (raw !== undefined && !(raw.startsWith("---") || raw.startsWith("...") || raw.startsWith("%"))) continue;
    if (raw !== undefined && raw !== "---") throw NO;
    const value = parseDocument(raws, start, i);
    // The text before the first `---` is a document only when it has content.
    if (!first || value !== undefined) index++;
    if (value !== undefined && value !== null) out.push({ value, index });
    first = false;
    start = i + 1;
  }
  return out;
}

/**
 * The document of lines [from, to): undefined when it has no content (blank lines and comments),
 * its mapping otherwise. A document with content that is not a block mapping is not read here.
 */
function parseDocument(raws: string[], from: number, to: number): Record<string, unknown> | undefined {
  const lines: Line[] = [];
  for (let i = from; i < to; i++) {
    const raw = raws[i]!;
    let ind = 0;
    while (raw.charCodeAt(ind) === 32) ind++;
    lines.push({ ind, text: raw.slice(ind), raw });
  }
  const p = new Parser(lines);
  const l = p.peek();
  if (!l) return undefined;
  const v = p.block(l.ind, -1);
  if (p.peek()) throw NO;
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw NO;
  return v as Record<string, unknown>;
}

class Parser {
  pos = 0;
  constructor(readonly lines: Line[]) {}

  /** The next line with content (comments and blank lines skipped), not consumed. */
  peek(): Line | undefined {
    const lines = this.lines;
    while (this.pos < lines.length) {
      const l = lines[this.pos]!;
      if (l.text === "" || l.text.charCodeAt(0) === 35 /* # */) {
        this.pos++;
        continue;
      }
      return l;
    }
    return undefined;
  }

  /** The block node whose first line is the next one, at indentation `ind` (`parent`: its parent's). */
  block(ind: number, parent: number): unknown {
    const l = this.peek()!;
    if (l.ind !== ind || ind <= parent) throw NO;
    if (isSeqItem(l.text)) return this.seq(ind, parent);
    return this.map(ind);
  }

  map(ind: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const l = this.peek();
      if (!l || l.ind < ind) return out;
      if (l.ind > ind || isSeqItem(l.text)) throw NO;
      const { key, rest } = splitKey(l.text);
      this.pos++;
      out[key] = this.value(rest, ind, true);
    }
  }

  seq(ind: number, parent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const l = this.peek();
      if (!l || l.ind < ind) return out;
      if (l.ind > ind || !isSeqItem(l.text)) {
        // A sequence at its key's indentation (parent === ind) ends at the mapping's next key.
        if (l.ind === ind && parent === ind) return out;
        throw NO;
      }
      let sp = 1;
      while (l.text.charCodeAt(sp) === 32) sp++;
      const rest = l.text.slice(sp);
      if (rest === "" || rest.charCodeAt(0) === 35) {
        this.pos++;
        out.push(this.nested(ind, false));
        continue;
      }
      if (isSeqItem(rest) || looksLikeKey(rest)) {
        // A compact node: the rest of the line is its first line, at its own column.
        this.lines[this.pos] = { ind: ind + sp, text: rest, raw: l.raw };
        out.push(this.block(ind + sp, ind));
        continue;
      }
      this.pos++;
      out.push(this.inline(rest, ind));
    }
  }

  /** The value after `key:` (or `-`) whose text on the line is `rest`; `ind` is the key's column. */
  value(rest: string, ind: number, inMap: boolean): unknown {
    if (rest === "" || rest.charCodeAt(0) === 35) return this.nested(ind, inMap);
    return this.inline(rest, ind);
  }

  /** The node below a key or `-` with nothing after it on its line. */
  nested(ind: number, inMap: boolean): unknown {
    const l = this.peek();
    if (!l || l.ind < ind) return null;
    if (l.ind === ind) {
      // A sequence at its key's indentation is the key's value.
      if (inMap && isSeqItem(l.text)) return this.seq(ind, ind);
      return null;
    }
    return this.block(l.ind, ind);
  }

  /** A value written on the key's line: a scalar, a flow collection, or a block scalar's header. */
  inline(rest: string, ind: number): unknown {
    const c = rest.charCodeAt(0);
    let value: unknown;
    let after: string;
    if (c === 124 /* | */) return this.literal(rest, ind);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const text = this.quotedLines(rest, ind);
      const q = quoted(text, 0);
      value = q.value;
      after = text.slice(q.end);
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      const f = new Flow(rest);
      value = f.node();
      after = rest.slice(f.i);
    } else {
      value = resolvePlain(this.plainLines(plainBlock(rest), rest.includes(" #"), ind));
      after = "";
    }
    if (after !== "" && !/^ +(#.*)?$/.test(after)) throw NO;
    // The next line more indented than the key would continue the scalar (or be an error).
    const next = this.peek();
    if (next && next.ind > ind) throw NO;
    return value;
  }

  /**
   * A quoted scalar that starts with `first` and goes on over the next lines (more indented than
   * `ind`), folded onto one line as the package folds it (a line break between two lines is a
   * space, each blank line a line break, the spaces around a break dropped); `first` itself when
   * it closes on its line.
   */
  quotedLines(first: string, ind: number): string {
    let text = first;
    const lines = this.lines;
    let blanks = 0;
    for (;;) {
      try {
        quoted(text, 0);
        return text;
      } catch (e) {
        if (e !== NO) throw e;
      }
      // Not closed on this line (or not of the shape read here: the next lines cannot close it).
      text = text.trimEnd();
      if (text.endsWith("\\")) throw NO; // an escaped line break
      for (;;) {
        const l = lines[this.pos];
        if (!l) throw NO;
        this.pos++;
        if (l.text === "") {
          if (l.raw !== "") throw NO;
          blanks++;
          continue;
        }
        if (l.ind <= ind) throw NO;
        text += (blanks > 0 ? "\n".repeat(blanks) : " ") + l.text;
        blanks = 0;
        break;
      }
    }
  }

  /**
   * A plain scalar's lines after its first (`first`, on the key's or the dash's line, at column
   * `ind`): lines more indented than `ind` continue it, folded (a line break is a space, each blank
   * line a line break).
   */
  plainLines(first: string, commented: boolean, ind: number): string {
    const lines = this.lines;
    let s = first;
    let blanks = 0;
    for (let i = this.pos; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.text === "") {
        if (l.raw !== "") throw NO; // whitespace-only lines: left to the package
        blanks++;
        continue;
      }
      if (l.ind <= ind || l.text.charCodeAt(0) === 35) break;
      const t = l.text.trimEnd();
      if (commented || t.includes(": ") || t.endsWith(":") || t.includes(" #")) throw NO;
      s += blanks > 0 ? "\n".repeat(blanks) : " ";
      s += t;
      blanks = 0;
      this.pos = i + 1;
    }
    return s;
  }

  /** A literal block scalar (`|` clips the final line breaks to one, `|-` strips them). */
  literal(header: string, ind: number): string {
    const m = /^\|(-?)( +#.*)?$/.exec(header);
    if (!m) throw NO;
    const strip = m[1] === "-";
    const lines = this.lines;
    let n = -1;
    let body = "";
    let breaks = "";
    for (; this.pos < lines.length; this.pos++) {
      const l = lines[this.pos]!;
      if (l.text === "") {
        if (l.raw !== "") throw NO; // whitespace-only lines: left to the package
        breaks += "\n";
        continue;
      }
      if (n < 0) {
        if (l.ind <= ind) break;
        n = l.ind;
      } else if (l.ind < n) {
        break;
      }
      body += breaks + l.raw.slice(n) + "\n";
      breaks = "";
    }
    // The lines after the block are read as usual; its trailing blank lines are its own.
    if (n >= 0 && this.pos < lines.length && lines[this.pos]!.ind > ind) throw NO;
    if (body === "") return "";
    return strip ? body.slice(0, -1) : body;
  }
}

function isSeqItem(text: string): boolean {
  return text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** Whether a line's text starts with a key and `:` (a quoted key, or plain text before `: `). */
function looksLikeKey(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 91 || c === 123) return false; // a flow collection
  if (c === 34 || c === 39) {
    try {
      const q = quoted(text, 0);
      return text.charCodeAt(q.end) === 58 && (q.end + 1 === text.length || text.charCodeAt(q.end + 1) === 32);
    } catch {
      return false;
    }
  }
  return text.includes(": ") || text.endsWith(":");
}

/** `key: rest` of a block mapping's line. */
function splitKey(text: string): { key: string; rest: string } {
  let key: string;
  let i: number;
  const c = text.charCodeAt(0);
  if (c === 34 || c === 39) {
    const q = quoted(text, 0);
    key = q.value;
    i = q.end;
    if (text.charCodeAt(i) !== 58) throw NO;
  } else {
    i = text.indexOf(":");
    while (i >= 0 && i + 1 < text.length && text.charCodeAt(i + 1) !== 32) i = text.indexOf(":", i + 1);
    if (i <= 0) throw NO;
    const raw = text.slice(0, i);
    if (raw.endsWith(" ") || !safePlainStart(raw) || raw.includes(" #")) throw NO;
    const v = resolvePlain(raw);
    if (typeof v !== "string") throw NO;
    key = v;
  }
  if (key === "__proto__" || key === "<<" || i > 1000) throw NO;
  if (i + 1 < text.length && text.charCodeAt(i + 1) !== 32) throw NO;
  let j = i + 1;
  while (text.charCodeAt(j) === 32) j++;
  return { key, rest: text.slice(j) };
}

/** Whether a plain scalar may start as `s` does (no indicator the package would read otherwise). */
function safePlainStart(s: string): boolean {
  const c = s[0];
  if (c === undefined) return false;
  if (",[]{}#&*!|>'\"%@`".includes(c)) return false;
  if ((c === "-" || c === "?" || c === ":") && (s.length === 1 || s[1] === " ")) return false;
  return true;
}

/** A plain scalar on one line in block context, its comment cut off. */
function plainBlock(rest: string): string {
  let s = rest;
  const hash = s.indexOf(" #");
  if (hash >= 0) s = s.slice(0, hash);
  s = s.trimEnd();
  if (!safePlainStart(s) || s.includes(": ") || s.endsWith(":")) throw NO;
  return s;
}

const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar as the core schema resolves it (yaml's schema/core, tags in their order). */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these first characters can start a null, bool or number.
  const maybe = s === "" || c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57);
  if (!maybe) return s;
  if (s === "" || s === "~" || s === "null" || s === "Null" || s === "NULL") return null;
  if (s === "true" || s === "True" || s === "TRUE") return true;
  if (s === "false" || s === "False" || s === "FALSE") return false;
  if (OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s)) return parseFloat(s);
  if (FLOAT.test(s)) return parseFloat(s);
  return s;
}

const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', "/": "/", n: "\n", t: "\t", r: "\r", "0": "\0", " ": " " };

/** A quoted scalar starting at `at`, on one line: its value and the index after its closing quote. */
function quoted(text: string, at: number): { value: string; end: number } {
  const q = text[at];
  let out = "";
  let i = at + 1;
  if (q === "'") {
    for (;;) {
      const j = text.indexOf("'", i);
      if (j < 0) throw NO;
      out += text.slice(i, j);
      if (text[j + 1] === "'") {
        out += "'";
        i = j + 2;
        continue;
      }
      return { value: out, end: j + 1 };
    }
  }
  for (;;) {
    const c = text[i];
    if (c === undefined) throw NO;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === "\\") {
      const e = ESCAPES[text[i + 1] ?? ""];
      if (e === undefined) throw NO;
      out += e;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
}

/** A flow collection on one line. */
class Flow {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.s.charCodeAt(this.i) === 32) this.i++;
    if (this.s.charCodeAt(this.i) === 35) throw NO;
  }

  node(): unknown {
    const c = this.s[this.i];
    if (c === "[") return this.seq();
    if (c === "{") return this.map();
    if (c === '"' || c === "'") {
      const q = quoted(this.s, this.i);
      this.i = q.end;
      return q.value;
    }
    return resolvePlain(this.plain());
  }

  plain(): string {
    const s = this.s;
    const start = this.i;
    let j = start;
    for (; j < s.length; j++) {
      const ch = s[j]!;
      if (ch === "," || ch === "[" || ch === "]" || ch === "{" || ch === "}") break;
      if (ch === ":" && (j + 1 === s.length || " ,[]{}".includes(s[j + 1]!))) break;
      if (ch === "#" && s[j - 1] === " ") throw NO;
    }
    const v = s.slice(start, j).trimEnd();
    if (!safePlainStart(v)) throw NO;
    this.i = j;
    return v;
  }

  seq(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === "]") {
        this.i++;
        return out;
      }
      out.push(this.node());
      this.ws();
      const c = this.s[this.i];
      if (c === ",") this.i++;
      else if (c !== "]") throw NO;
    }
  }

  map(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      const c = this.s[this.i];
      let key: unknown;
      if (c === '"' || c === "'") {
        const q = quoted(this.s, this.i);
        this.i = q.end;
        key = q.value;
      } else if (c === "[" || c === "{") throw NO;
      else key = resolvePlain(this.plain());
      if (typeof key !== "string" || key === "__proto__" || key === "<<") throw NO;
      if (this.s[this.i] !== ":" || this.s[this.i + 1] !== " ") throw NO;
      this.i += 2;
      this.ws();
      const n = this.s[this.i];
      if (n === "," || n === "}") throw NO;
      out[key] = this.node();
      this.ws();
      const e = this.s[this.i];
      if (e === ",") this.i++;
      else if (e !== "}") throw NO;
    }
  }
}
