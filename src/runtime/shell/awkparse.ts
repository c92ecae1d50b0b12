/**
 * awk's lexer and parser (POSIX awk, as mawk 1.3.4 and busybox read it): program text to the tree
 * awk.ts runs. The grammar is POSIX's (XCU awk, "Grammar"), written as a precedence climber: the
 * places where awk is not context free are handled where POSIX says — `/` starts a regular
 * expression where an operand may start, `>` in a print's expression list is a redirection unless
 * parenthesised, `in` inside a `for (` decides between the two loops, `cmd | getline` binds tighter
 * than comparison and looser than concatenation, and a newline ends a statement except after
 * `{ && || , ; do else` and the `)` of `if`/`for`/`while`.
 *
 * Messages read as the implementation's: mawk's `awk: line N: syntax error at or near X` (Debian's
 * /usr/bin/awk is mawk, argv[0] `awk`), busybox's `awk: cmd. line:N: Unexpected token`.
 */

export type Flavour = "mawk" | "busybox";

export type Expr =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "re"; src: string }
  | { t: "var"; name: string }
  | { t: "idx"; name: string; subs: Expr[] }
  | { t: "field"; e: Expr }
  | { t: "group"; e: Expr }
  | { t: "assign"; op: string; lhs: Expr; rhs: Expr }
  | { t: "cond"; c: Expr; a: Expr; b: Expr }
  | { t: "and" | "or"; a: Expr; b: Expr }
  | { t: "in"; subs: Expr[]; name: string }
  | { t: "match"; neg: boolean; a: Expr; re: Expr }
  | { t: "bin"; op: string; a: Expr; b: Expr }
  | { t: "cmp"; op: string; a: Expr; b: Expr }
  | { t: "concat"; a: Expr; b: Expr }
  | { t: "unary"; op: string; e: Expr }
  | { t: "incdec"; op: "++" | "--"; pre: boolean; e: Expr }
  | { t: "call"; name: string; args: Expr[]; line: number }
  | { t: "builtin"; name: string; args: Expr[] }
  | { t: "getline"; kind: "plain" | "file" | "cmd"; lhs?: Expr; src?: Expr };

export type Redirect = { kind: ">" | ">>" | "|"; e: Expr };

export type Stmt =
  | { t: "expr"; e: Expr }
  | { t: "print"; printf: boolean; args: Expr[]; redir?: Redirect }
  | { t: "if"; c: Expr; then: Stmt; else?: Stmt }
  | { t: "while"; c: Expr; body: Stmt }
  | { t: "do"; body: Stmt; c: Expr }
  | { t: "for"; init?: Stmt; c?: Expr; step?: Stmt; body: Stmt }
  | { t: "forin"; v: string; arr: string; body: Stmt }
  | { t: "block"; body: Stmt[] }
  | { t: "next" }
  | { t: "nextfile" }
  | { t: "exit"; e?: Expr }
  | { t: "return"; e?: Expr }
  | { t: "break" }
  | { t: "continue" }
  | { t: "delete"; name: string; subs?: Expr[] }
  | { t: "getline"; e: Expr };

export interface Item {
  kind: "begin" | "end" | "main";
  pattern?: Expr;
  /** A range pattern's second expression (`p1, p2`). */
  end?: Expr;
  /** No action: `{ print }`. */
  action?: Stmt[];
}

export interface Func {
  name: string;
  params: string[];
  body: Stmt[];
}

export interface Program {
  items: Item[];
  funcs: Map<string, Func>;
  /** Function names called, with the line of the first call (mawk checks they are defined). */
  calls: Map<string, number>;
}

export class AwkSyntaxError extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

type TokKind = "num" | "str" | "ere" | "name" | "funcname" | "builtin" | "kw" | "op" | "nl" | "eof";
interface Tok {
  k: TokKind;
  v: string;
  n?: number;
  line: number;
}

const KEYWORDS = new Set(["BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue", "next", "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf"]);
export const BUILTIN_FUNCS = new Set(["length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos", "atan2", "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "system", "close", "fflush"]);
const OPS3 = ["**=", "..."];
const OPS2 = ["+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~", "**"];
const OPS1 = "{}()[];,+-*/%^!><|?:~$=";

/** Escapes of awk string constants (and -v values): \" \\ \a \b \f \n \r \t \v \ooo; others keep the backslash (mawk). */
export function unescapeAwk(s: string, flavour: Flavour): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v" };
    if (n in simple) out += simple[n];
    else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(i))![0];
      out += String.fromCharCode(parseInt(m, 8) & 255);
      i += m.length - 1;
    } else out += flavour === "busybox" ? n : "\\" + n;
  }
  return out;
}

class Lexer {
  pos = 0;
  line = 1;
  /** The last token returned, for deciding between division and a regular expression. */
  last: Tok | undefined;

  constructor(
    readonly src: string,
    readonly flavour: Flavour,
  ) {}

  private err(near: string): never {
    throw new AwkSyntaxError(this.flavour === "busybox" ? `cmd. line:${this.line}: Unexpected token` : `line ${this.line}: ${near}`);
  }

  private divisionAllowed(): boolean {
    const l = this.last;
    if (!l) return false;
    if (l.k === "num" || l.k === "str" || l.k === "ere" || l.k === "name" || l.k === "builtin") return true;
    if (l.k === "kw") return l.v === "getline";
    return l.k === "op" && (l.v === ")" || l.v === "]" || l.v === "$" || l.v === "++" || l.v === "--");
  }

  next(): Tok {
    const t = this.scan();
    this.last = t;
    return t;
  }

  private scan(): Tok {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === " " || c === "\t" || c === "\r") this.pos++;
      else if (c === "\\" && s[this.pos + 1] === "\n") {
        this.pos += 2;
        this.line++;
      } else if (c === "\\" && s[this.pos + 1] === "\r" && s[this.pos + 2] === "\n") {
        this.pos += 3;
        this.line++;
      } else if (c === "#") {
        while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
      } else break;
    }
    const line = this.line;
    if (this.pos >= s.length) return { k: "eof", v: "", line };
    const c = s[this.pos]!;
    if (c === "\n") {
      this.pos++;
      this.line++;
      return { k: "nl", v: "\n", line };
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(s[this.pos + 1] ?? ""))) {
      const m = /^([0-9]*\.?[0-9]*)([eE][-+]?[0-9]+)?/.exec(s.slice(this.pos))!;
      this.pos += m[0].length;
      return { k: "num", v: m[0], n: Number(m[0]), line };
    }
    if (c === '"') {
      let i = this.pos + 1;
      let raw = "";
      for (;;) {
        if (i >= s.length || s[i] === "\n") {
          this.err(`runaway string constant "${s.slice(this.pos + 1, this.pos + 11).split("\n")[0]} ...`);
        }
        if (s[i] === '"') break;
        if (s[i] === "\\" && i + 1 < s.length) {
          if (s[i + 1] === "\n") {
            i += 2;
            this.line++;
            continue;
          }
          raw += s[i]! + s[i + 1]!;
          i += 2;
          continue;
        }
        raw += s[i++];
      }
      this.pos = i + 1;
      return { k: "str", v: unescapeAwk(raw, this.flavour), line };
    }
    if (c === "/" && !this.divisionAllowed()) {
      let i = this.pos + 1;
      let raw = "";
      let inBracket = false;
      for (;;) {
        if (i >= s.length || s[i] === "\n") this.err(`runaway regular expression /${s.slice(this.pos + 1, this.pos + 11).split("\n")[0]} ...`);
        const ch = s[i]!;
        if (ch === "/" && !inBracket) break;
        if (ch === "\\" && i + 1 < s.length) {
          raw += s[i + 1] === "/" ? "/" : ch + s[i + 1];
          i += 2;
          continue;
        }
        if (this.flavour === "busybox" && ch === "[") inBracket = true;
        else if (ch === "]") inBracket = false;
        raw += ch;
        i++;
      }
      this.pos = i + 1;
      return { k: "ere", v: raw, line };
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.pos))![0];
      this.pos += m.length;
      if (KEYWORDS.has(m)) return { k: "kw", v: m === "func" ? "function" : m, line };
      if (BUILTIN_FUNCS.has(m)) return { k: "builtin", v: m, line };
      if (s[this.pos] === "(") return { k: "funcname", v: m, line };
      return { k: "name", v: m, line };
    }
    for (const op of [...OPS3, ...OPS2]) {
      if (s.startsWith(op, this.pos)) {
        if ((op === "**" || op === "**=") && this.flavour === "mawk") break;
        this.pos += op.length;
        return { k: "op", v: op === "**" ? "^" : op === "**=" ? "^=" : op, line };
      }
    }
    if (OPS1.includes(c)) {
      this.pos++;
      return { k: "op", v: c, line };
    }
    this.pos++;
    return { k: "op", v: c, line };
  }
}

export function parseProgram(src: string, flavour: Flavour): Program {
  return new Parser(src, flavour).program();
}

class Parser {
  private lx: Lexer;
  private tok: Tok;
  private peeked: Tok | undefined;
  private depth = 0;
  private funcs = new Map<string, Func>();
  private calls = new Map<string, number>();
  /** Parsing a print's expression list: `>` is a redirection there. */
  private noGt = 0;
  /** Inside `for (` before deciding: `in` is the loop's, not an expression. */
  private noIn = 0;
  private params: Set<string> | undefined;

  constructor(
    readonly src: string,
    readonly flavour: Flavour,
  ) {
    // mawk reads the program as if it ended with a newline
    this.lx = new Lexer(src.endsWith("\n") ? src : src + "\n", flavour);
    this.tok = this.lx.next();
  }

  private err(t: Tok = this.tok): never {
    if (this.flavour === "busybox") throw new AwkSyntaxError(`cmd. line:${t.line}: ${t.k === "eof" || t.k === "nl" ? "Unexpected end of string" : "Unexpected token"}`);
    const near = t.k === "eof" ? "end of file" : t.k === "nl" ? "end of line" : t.k === "str" ? `"${t.v}"` : t.k === "ere" ? `/${t.v}/` : t.v;
    let msg = `line ${t.line}: syntax error at or near ${near}`;
    if ((t.k === "eof" || t.k === "nl") && this.depth > 0 && this.atEnd(t)) msg += `\nawk: line ${this.lx.line}: missing } near end of file`;
    throw new AwkSyntaxError(msg);
  }

  /** Whether only blank lines and comments follow `t`. */
  private atEnd(t: Tok): boolean {
    return t.k === "eof" || /^\s*(#[^\n]*\s*)*$/.test(this.lx.src.slice(this.lx.pos));
  }

  private advance(): Tok {
    const t = this.tok;
    if (this.peeked) {
      this.tok = this.peeked;
      this.peeked = undefined;
    } else this.tok = this.lx.next();
    return t;
  }

  private peek(): Tok {
    if (!this.peeked) this.peeked = this.lx.next();
    return this.peeked;
  }

  private is(v: string, k: TokKind = "op"): boolean {
    return this.tok.k === k && this.tok.v === v;
  }

  private expect(v: string, k: TokKind = "op"): Tok {
    if (!this.is(v, k)) this.err();
    return this.advance();
  }

  private optNewlines(): void {
    while (this.tok.k === "nl") this.advance();
  }

  private terminators(): void {
    while (this.tok.k === "nl" || this.is(";")) this.advance();
  }

  program(): Program {
    const items: Item[] = [];
    this.terminators();
    while (this.tok.k !== "eof") {
      let braced = true;
      if (this.is("BEGIN", "kw") || this.is("END", "kw")) {
        const kind = this.advance().v === "BEGIN" ? "begin" : "end";
        if (!this.is("{")) this.err();
        items.push({ kind, action: this.block() });
      } else if (this.is("function", "kw")) this.funcDef();
      else {
        const item: Item = { kind: "main" };
        if (!this.is("{")) {
          item.pattern = this.expr();
          if (this.is(",")) {
            this.advance();
            this.optNewlines();
            item.end = this.expr();
          }
        }
        if (this.is("{")) item.action = this.block();
        else braced = false;
        items.push(item);
      }
      const k = this.tok.k as TokKind;
      if (!(braced || k === "nl" || k === "eof" || this.is(";"))) this.err();
      this.terminators();
    }
    return { items, funcs: this.funcs, calls: this.calls };
  }

  private funcDef(): void {
    this.advance();
    const nameTok = this.advance();
    if (nameTok.k !== "funcname" && nameTok.k !== "name") this.err(nameTok);
    this.expect("(");
    const params: string[] = [];
    this.optNewlines();
    while (!this.is(")")) {
      if (this.tok.k !== "name") this.err();
      params.push(this.advance().v);
      this.optNewlines();
      if (this.is(",")) {
        this.advance();
        this.optNewlines();
      } else if (!this.is(")")) this.err();
    }
    this.advance();
    this.optNewlines();
    this.params = new Set(params);
    const body = this.block();
    this.params = undefined;
    this.funcs.set(nameTok.v, { name: nameTok.v, params, body });
  }

  private block(): Stmt[] {
    this.expect("{");
    this.depth++;
    const body: Stmt[] = [];
    this.terminators();
    while (!this.is("}")) {
      if (this.tok.k === "eof") {
        if (this.flavour === "busybox") this.err();
        throw new AwkSyntaxError(`line ${this.tok.line}: missing } near end of file`);
      }
      body.push(this.stmt());
      this.terminators();
    }
    this.depth--;
    this.advance();
    return body;
  }

  /** A simple statement's end: `;`, newline, or before `}` (left for the caller). */
  private endSimple(): void {
    if (this.is(";") || this.tok.k === "nl") this.advance();
    else if (!this.is("}") && this.tok.k !== "eof") this.err();
  }

  private stmt(): Stmt {
    const t = this.tok;
    if (this.is("{")) return { t: "block", body: this.block() };
    if (this.is(";")) {
      this.advance();
      return { t: "block", body: [] };
    }
    if (t.k === "kw") {
      switch (t.v) {
        case "if": {
          this.advance();
          this.expect("(");
          const c = this.expr();
          this.expect(")");
          this.optNewlines();
          const then = this.stmt();
          // `else` may follow after newlines and a `;`
          const save = { tok: this.tok, peeked: this.peeked, pos: this.lx.pos, line: this.lx.line, last: this.lx.last };
          this.terminators();
          if (this.is("else", "kw")) {
            this.advance();
            this.optNewlines();
            return { t: "if", c, then, else: this.stmt() };
          }
          Object.assign(this, { tok: save.tok, peeked: save.peeked });
          this.lx.pos = save.pos;
          this.lx.line = save.line;
          this.lx.last = save.last;
          return { t: "if", c, then };
        }
        case "while": {
          this.advance();
          this.expect("(");
          const c = this.expr();
          this.expect(")");
          if (this.is(";")) {
            this.advance();
            return { t: "while", c, body: { t: "block", body: [] } };
          }
          this.optNewlines();
          return { t: "while", c, body: this.stmt() };
        }
        case "do": {
          this.advance();
          this.optNewlines();
          const body = this.stmt();
          this.terminators();
          this.expect("while", "kw");
          this.expect("(");
          const c = this.expr();
          this.expect(")");
          this.endSimple();
          return { t: "do", body, c };
        }
        case "for":
          return this.forStmt();
        case "next":
        case "nextfile":
        case "break":
        case "continue":
          this.advance();
          this.endSimple();
          return { t: t.v } as Stmt;
        case "exit":
        case "return": {
          this.advance();
          const e = this.is(";") || this.tok.k === "nl" || this.is("}") ? undefined : this.expr();
          this.endSimple();
          return t.v === "exit" ? { t: "exit", e } : { t: "return", e };
        }
        case "delete": {
          this.advance();
          if (this.tok.k !== "name") this.err();
          const name = this.advance().v;
          let subs: Expr[] | undefined;
          if (this.is("[")) {
            this.advance();
            subs = this.exprList("]");
          }
          this.endSimple();
          return { t: "delete", name, subs };
        }
        case "print":
        case "printf": {
          const s = this.printStmt();
          this.endSimple();
          return s;
        }
      }
    }
    const s = this.simpleStmt();
    this.endSimple();
    return s;
  }

  private simpleStmt(): Stmt {
    if (this.is("print", "kw") || this.is("printf", "kw")) return this.printStmt();
    return { t: "expr", e: this.expr() };
  }

  private forStmt(): Stmt {
    this.advance();
    this.expect("(");
    if (this.tok.k === "name" && this.peek().k === "kw" && this.peek().v === "in") {
      // `for (k in a)` — or an expression beginning `(k in a)`; the `)` after the array decides
      const save = { tok: this.tok, peeked: this.peeked, pos: this.lx.pos, line: this.lx.line, last: this.lx.last };
      const v = this.advance().v;
      this.advance();
      if (this.tok.k === "name") {
        const arr = this.advance().v;
        if (this.is(")")) {
          this.advance();
          this.optNewlines();
          return { t: "forin", v, arr, body: this.stmt() };
        }
      }
      this.tok = save.tok;
      this.peeked = save.peeked;
      this.lx.pos = save.pos;
      this.lx.line = save.line;
      this.lx.last = save.last;
    }
    const init = this.is(";") ? undefined : this.simpleStmt();
    this.expect(";");
    this.optNewlines();
    const c = this.is(";") ? undefined : this.expr();
    this.expect(";");
    this.optNewlines();
    const step = this.is(")") ? undefined : this.simpleStmt();
    this.expect(")");
    if (this.is(";")) {
      this.advance();
      return { t: "for", init, c, step, body: { t: "block", body: [] } };
    }
    this.optNewlines();
    return { t: "for", init, c, step, body: this.stmt() };
  }

  private printStmt(): Stmt {
    const printf = this.advance().v === "printf";
    let args: Expr[] = [];
    const ends = () => this.is(";") || this.tok.k === "nl" || this.is("}") || this.is(">") || this.is(">>") || this.is("|") || this.tok.k === "eof";
    if (!ends()) {
      this.noGt++;
      try {
        if (this.is("(")) {
          // `print (a, b) > "f"`: a parenthesised list — or the first operand of an expression
          const e = this.grouping();
          if (e.list) {
            args = e.list;
            if (!ends()) this.err();
          } else {
            args = [this.exprRest(e.e)];
            while (this.is(",")) {
              this.advance();
              this.optNewlines();
              args.push(this.expr());
            }
          }
        } else {
          args = [this.expr()];
          while (this.is(",")) {
            this.advance();
            this.optNewlines();
            args.push(this.expr());
          }
        }
      } finally {
        this.noGt--;
      }
    }
    if (printf && args.length === 0) this.err();
    let redir: Redirect | undefined;
    if (this.is(">") || this.is(">>") || this.is("|")) {
      const kind = this.advance().v as ">" | ">>" | "|";
      redir = { kind, e: this.concat(true) };
    }
    return { t: "print", printf, args, redir };
  }

  /** `(` expr `)` or `(` expr, expr… `)` (a print list or the subscripts of `(i,j) in a`). */
  private grouping(): { e: Expr; list?: Expr[] } {
    this.expect("(");
    const saved = this.noGt;
    this.noGt = 0;
    const saveIn = this.noIn;
    this.noIn = 0;
    const first = this.expr();
    this.optNewlines();
    if (this.is(",")) {
      const list = [first];
      while (this.is(",")) {
        this.advance();
        this.optNewlines();
        list.push(this.expr());
        this.optNewlines();
      }
      this.expect(")");
      this.noGt = saved;
      this.noIn = saveIn;
      if (this.is("in", "kw")) {
        this.advance();
        if (this.tok.k !== "name") this.err();
        return { e: { t: "in", subs: list, name: this.advance().v } };
      }
      return { e: { t: "group", e: first }, list };
    }
    this.expect(")");
    this.noGt = saved;
    this.noIn = saveIn;
    return { e: { t: "group", e: first } };
  }

  private exprList(close: string): Expr[] {
    const list: Expr[] = [];
    this.optNewlines();
    while (!this.is(close)) {
      list.push(this.expr());
      this.optNewlines();
      if (this.is(",")) {
        this.advance();
        this.optNewlines();
      } else if (!this.is(close)) this.err();
    }
    this.advance();
    return list;
  }

  expr(): Expr {
    return this.ternary();
  }

  /** The rest of an expression whose first primary `first` is already parsed (print's `(a) b`). */
  private exprRest(first: Expr): Expr {
    this.pending = first;
    return this.expr();
  }

  private pending: Expr | undefined;

  private isLvalue(e: Expr): boolean {
    return e.t === "var" || e.t === "idx" || e.t === "field";
  }

  private ternary(): Expr {
    const c = this.or();
    if (this.tok.k === "op" && ["=", "+=", "-=", "*=", "/=", "%=", "^="].includes(this.tok.v) && this.isLvalue(c)) {
      const op = this.advance().v;
      this.optNewlines();
      return { t: "assign", op, lhs: c, rhs: this.ternary() };
    }
    if (this.is("?")) {
      this.advance();
      this.optNewlines();
      const a = this.ternary();
      this.optNewlines();
      this.expect(":");
      this.optNewlines();
      const b = this.ternary();
      return { t: "cond", c, a, b };
    }
    return c;
  }

  private or(): Expr {
    let a = this.and();
    while (this.is("||")) {
      this.advance();
      this.optNewlines();
      a = { t: "or", a, b: this.and() };
    }
    return a;
  }

  private and(): Expr {
    let a = this.inExpr();
    while (this.is("&&")) {
      this.advance();
      this.optNewlines();
      a = { t: "and", a, b: this.inExpr() };
    }
    return a;
  }

  private inExpr(): Expr {
    let a = this.matchExpr();
    while (this.is("in", "kw") && !this.noIn) {
      this.advance();
      if (this.tok.k !== "name") this.err();
      a = { t: "in", subs: [a], name: this.advance().v };
    }
    return a;
  }

  private matchExpr(): Expr {
    let a = this.comparison();
    while (this.is("~") || this.is("!~")) {
      const neg = this.advance().v === "!~";
      a = { t: "match", neg, a, re: this.comparison() };
    }
    return a;
  }

  private comparison(): Expr {
    const a = this.pipeGetline();
    const t = this.tok;
    if (t.k === "op" && ["<", "<=", "!=", "==", ">", ">="].includes(t.v) && !(t.v === ">" && this.noGt)) {
      this.advance();
      return { t: "cmp", op: t.v, a, b: this.pipeGetline() };
    }
    return a;
  }

  /** `cmd | getline [var]` (left associative: `"a" | getline | getline`). */
  private pipeGetline(): Expr {
    let a = this.concat(false);
    while (this.is("|") && this.peek().k === "kw" && this.peek().v === "getline") {
      this.advance();
      this.advance();
      const lhs = this.optLvalue();
      a = { t: "getline", kind: "cmd", lhs, src: a };
    }
    return a;
  }

  private startsOperand(): boolean {
    const t = this.tok;
    if (t.k === "num" || t.k === "str" || t.k === "ere" || t.k === "name" || t.k === "funcname" || t.k === "builtin") return true;
    if (t.k === "kw") return t.v === "getline" || (t.v === "in" && false);
    return t.k === "op" && (t.v === "$" || t.v === "(" || t.v === "!" || t.v === "-" || t.v === "+" || t.v === "++" || t.v === "--");
  }

  /** Concatenation; `noLeadingSign` for print's redirection target (no `-`/`+` juxtaposition). */
  private concat(redirTarget: boolean): Expr {
    let a = redirTarget ? this.additive() : this.additive();
    for (;;) {
      if (!this.startsOperand()) break;
      // `a -1` is subtraction, never concatenation (additive took it); `in` and `getline` end it
      if (this.tok.k === "op" && (this.tok.v === "-" || this.tok.v === "+")) break;
      if (this.tok.k === "kw" && this.tok.v === "getline") break;
      if (redirTarget) break;
      a = { t: "concat", a, b: this.additive() };
    }
    return a;
  }

  private additive(): Expr {
    let a = this.multiplicative();
    while (this.is("+") || this.is("-")) {
      const op = this.advance().v;
      a = { t: "bin", op, a, b: this.multiplicative() };
    }
    return a;
  }

  private multiplicative(): Expr {
    let a = this.unary();
    while (this.is("*") || this.is("/") || this.is("%")) {
      const op = this.advance().v;
      a = { t: "bin", op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.pending === undefined && (this.is("!") || this.is("-") || this.is("+"))) {
      const op = this.advance().v;
      const e = this.unary();
      return { t: "unary", op, e };
    }
    return this.power();
  }

  private power(): Expr {
    const a = this.postfix();
    if (this.is("^")) {
      this.advance();
      // right associative; the exponent may carry a sign (`2^-1`)
      const b = this.is("-") || this.is("+") || this.is("!") ? this.unary() : this.power();
      return { t: "bin", op: "^", a, b };
    }
    return a;
  }

  private postfix(): Expr {
    const e = this.primary();
    if ((this.is("++") || this.is("--")) && this.isLvalue(e)) {
      const op = this.advance().v as "++" | "--";
      return { t: "incdec", op, pre: false, e };
    }
    return e;
  }

  private optLvalue(): Expr | undefined {
    if (this.is("$")) {
      this.advance();
      return { t: "field", e: this.fieldOperand() };
    }
    if (this.tok.k === "name") return this.nameRef();
    return undefined;
  }

  private nameRef(): Expr {
    const name = this.advance().v;
    if (this.is("[")) {
      this.advance();
      return { t: "idx", name, subs: this.exprList("]") };
    }
    return { t: "var", name };
  }

  /** What `$` applies to: a primary with its own `++`/`--`, not a binary expression (`$i++` is `($i)++`). */
  private fieldOperand(): Expr {
    if (this.is("++") || this.is("--")) {
      const op = this.advance().v as "++" | "--";
      return { t: "incdec", op, pre: true, e: this.primary() };
    }
    if (this.is("-") || this.is("+") || this.is("!")) {
      const op = this.advance().v;
      return { t: "unary", op, e: this.fieldOperand() };
    }
    return this.primary();
  }

  private primary(): Expr {
    if (this.pending) {
      const e = this.pending;
      this.pending = undefined;
      return e;
    }
    const t = this.tok;
    switch (t.k) {
      case "num":
        this.advance();
        return { t: "num", v: t.n! };
      case "str":
        this.advance();
        return { t: "str", v: t.v };
      case "ere":
        this.advance();
        return { t: "re", src: t.v };
      case "name":
        return this.nameRef();
      case "funcname": {
        this.advance();
        this.expect("(");
        const args = this.exprList(")");
        if (!this.calls.has(t.v)) this.calls.set(t.v, t.line);
        return { t: "call", name: t.v, args, line: t.line };
      }
      case "builtin": {
        this.advance();
        let args: Expr[] = [];
        if (this.is("(")) {
          this.advance();
          args = this.exprList(")");
        } else if (t.v !== "length") this.err();
        return { t: "builtin", name: t.v, args };
      }
      case "kw":
        if (t.v === "getline") {
          this.advance();
          const lhs = this.optLvalue();
          if (this.is("<")) {
            this.advance();
            return { t: "getline", kind: "file", lhs, src: this.getlineSource() };
          }
          return { t: "getline", kind: "plain", lhs };
        }
        break;
      case "op":
        if (t.v === "$") {
          this.advance();
          return { t: "field", e: this.fieldOperand() };
        }
        if (t.v === "(") {
          const g = this.grouping();
          if (g.list) this.err();
          return g.e;
        }
        if (t.v === "++" || t.v === "--") {
          this.advance();
          const e = this.primary();
          if (!this.isLvalue(e)) this.err();
          return { t: "incdec", op: t.v, pre: true, e };
        }
        if (t.v === "-" || t.v === "+" || t.v === "!") {
          this.advance();
          return { t: "unary", op: t.v, e: this.unary() };
        }
        break;
    }
    this.err();
  }

  /** `getline < file`: the file is a primary (`getline < "a" "b"` reads "a"). */
  private getlineSource(): Expr {
    if (this.is("$")) {
      this.advance();
      return { t: "field", e: this.fieldOperand() };
    }
    return this.primary();
  }
}
