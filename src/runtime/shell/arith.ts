/**
 * Shell arithmetic `$(( … ))` as ash evaluates it: integers (decimal, 0x hex, 0 octal),
 * variables by name, C operators with C precedence, assignments and ++/--.
 * Returns the value, or an error text (`arithmetic syntax error`, `divide by zero`).
 */

export interface ArithVars {
  getVar(name: string): string | undefined;
  setVar(name: string, value: string): void;
}

/** A token and where it starts in the expression (bash's messages quote the text from there on). */
type Tok = ({ k: "num"; v: number } | { k: "name"; v: string } | { k: "op"; v: string }) & { pos: number };

const OPS = ["<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|", "^", "?", ":", "(", ")", ","];
const ASSIGN_OPS = ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="];

/** bash's expr.c texts for each kind of error (ash says `arithmetic syntax error` for all but division). */
const BASH_TEXTS = {
  operand: "syntax error: operand expected",
  expr: "syntax error in expression",
  base: "value too great for base",
  op: "syntax error: invalid arithmetic operator",
  assign: "attempted assignment to non-variable",
  paren: "missing `)'",
  colon: "`:' expected for conditional expression",
  div: "division by 0",
} as const;

class ArithError extends Error {
  constructor(
    readonly kind: keyof typeof BASH_TEXTS = "expr",
    /** Where the error token starts in the expression. */
    readonly pos = -1,
  ) {
    super(kind);
  }
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(s.slice(i));
    if (num) {
      const t = num[0];
      let v: number;
      if (/^0[xX]/.test(t)) v = parseInt(t, 16);
      else if (t.length > 1 && t.startsWith("0")) {
        if (/[89]/.test(t)) throw new ArithError("base", i);
        v = parseInt(t, 8);
      } else v = parseInt(t, 10);
      out.push({ k: "num", v, pos: i });
      if (/[A-Za-z_]/.test(s[i + t.length] ?? "")) throw new ArithError("base", i);
      i += t.length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (name) {
      out.push({ k: "name", v: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw new ArithError("op", i);
    out.push({ k: "op", v: op, pos: i });
    i += op.length;
  }
  return out;
}

const BINARY: Array<string[]> = [
  ["||"],
  ["&&"],
  ["|"],
  ["^"],
  ["&"],
  ["==", "!="],
  ["<", ">", "<=", ">="],
  ["<<", ">>"],
  ["+", "-"],
  ["*", "/", "%"],
];
const POWER_LEVEL = BINARY.length;

class ArithParser {
  private i = 0;
  /** When false, sub-expressions are parsed but not evaluated (short-circuit, ternary). */
  private live = true;
  constructor(
    private readonly toks: Tok[],
    private readonly vars: ArithVars,
  ) {}

  parse(): number {
    if (this.toks.length === 0) return 0;
    let v = this.assign();
    while (this.peekOp() === ",") {
      this.i++;
      v = this.assign();
    }
    if (this.i < this.toks.length) {
      const t = this.toks[this.i]!;
      throw new ArithError(t.k === "op" && ASSIGN_OPS.includes(t.v) ? "assign" : "expr", t.pos);
    }
    return v;
  }

  /** Where the token at i starts (the last token's start past the end, as bash's lasttp). */
  private posAt(i: number): number {
    return (this.toks[i] ?? this.toks[this.toks.length - 1])?.pos ?? 0;
  }

  private peekOp(): string | undefined {
    const t = this.toks[this.i];
    return t?.k === "op" ? t.v : undefined;
  }

  private varValue(name: string): number {
    const s = this.vars.getVar(name) ?? "";
    if (s.trim() === "") return 0;
    const n = Number(s.trim());
    if (!Number.isInteger(n)) {
      const r = evalArith(s, this.vars);
      if (typeof r === "string") throw new ArithError("expr", this.posAt(this.i - 1));
      return r;
    }
    return n;
  }

  private assign(): number {
    const t = this.toks[this.i];
    const op = this.toks[this.i + 1];
    if (t?.k === "name" && op?.k === "op" && ASSIGN_OPS.includes(op.v)) {
      this.i += 2;
      const rpos = this.posAt(this.i);
      const rhs = this.assign();
      if (!this.live) return 0;
      const cur = op.v === "=" ? 0 : this.varValue(t.v);
      const v = op.v === "=" ? rhs : binop(op.v.slice(0, -1), cur, rhs, rpos);
      this.vars.setVar(t.v, String(v));
      return v;
    }
    return this.ternary();
  }

  private ternary(): number {
    const c = this.binary(0);
    if (this.peekOp() !== "?") return c;
    this.i++;
    const wasLive = this.live;
    this.live = wasLive && c !== 0;
    const a = this.assign();
    if (this.peekOp() !== ":") throw new ArithError("colon", this.posAt(this.i));
    this.i++;
    this.live = wasLive && c === 0;
    const b = this.assign();
    this.live = wasLive;
    return c !== 0 ? a : b;
  }

  private binary(level: number): number {
    if (level >= BINARY.length) return this.power();
    let l = this.binary(level + 1);
    for (;;) {
      const op = this.peekOp();
      if (!op || !BINARY[level]!.includes(op)) return l;
      this.i++;
      const wasLive = this.live;
      if (op === "&&" && l === 0) this.live = false;
      if (op === "||" && l !== 0) this.live = false;
      const rpos = this.posAt(this.i);
      const r = this.binary(level + 1);
      this.live = wasLive;
      l = this.live ? binop(op, l, r, rpos) : 0;
    }
  }

  /** `**`, above the multiplicative operators and right-associative (bash's expr.c exppower). */
  private power(): number {
    const l = this.unary();
    if (this.peekOp() !== "**") return l;
    this.i++;
    const r = this.power();
    if (r < 0) throw new ArithError("expr", this.posAt(this.i - 1));
    return this.live ? binop("**", l, r, POWER_LEVEL) : 0;
  }

  private unary(): number {
    const op = this.peekOp();
    if (op === "+" || op === "-" || op === "!" || op === "~") {
      this.i++;
      const v = this.unary();
      return op === "+" ? v : op === "-" ? -v : op === "!" ? Number(v === 0) : ~v;
    }
    if (op === "++" || op === "--") {
      this.i++;
      const t = this.toks[this.i++];
      if (t?.k !== "name") throw new ArithError("operand", this.posAt(this.i - 1));
      const v = this.varValue(t.v) + (op === "++" ? 1 : -1);
      if (this.live) this.vars.setVar(t.v, String(v));
      return v;
    }
    return this.postfix();
  }

  private postfix(): number {
    const t = this.toks[this.i++];
    if (!t) throw new ArithError("operand", this.posAt(this.i - 1));
    if (t.k === "num") return t.v;
    if (t.k === "name") {
      const op = this.peekOp();
      const v = this.varValue(t.v);
      if (op === "++" || op === "--") {
        this.i++;
        if (this.live) this.vars.setVar(t.v, String(v + (op === "++" ? 1 : -1)));
      }
      return v;
    }
    if (t.v === "(") {
      let v = this.assign();
      while (this.peekOp() === ",") {
        this.i++;
        v = this.assign();
      }
      if (this.peekOp() !== ")") throw new ArithError("paren", this.posAt(this.i));
      this.i++;
      return v;
    }
    throw new ArithError("operand", t.pos);
  }
}

class DivideByZero extends Error {
  constructor(readonly pos: number) {
    super("divide by zero");
  }
}

function binop(op: string, a: number, b: number, rpos = -1): number {
  switch (op) {
    case "||":
      return Number(a !== 0 || b !== 0);
    case "&&":
      return Number(a !== 0 && b !== 0);
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "&":
      return a & b;
    case "==":
      return Number(a === b);
    case "!=":
      return Number(a !== b);
    case "<":
      return Number(a < b);
    case ">":
      return Number(a > b);
    case "<=":
      return Number(a <= b);
    case ">=":
      return Number(a >= b);
    case "<<":
      return a << b;
    case ">>":
      return a >> b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0) throw new DivideByZero(rpos);
      return Math.trunc(a / b);
    case "%":
      if (b === 0) throw new DivideByZero(rpos);
      return a % b;
    case "**":
      return a ** b;
  }
  throw new ArithError();
}

/**
 * Evaluates an expression: its value, or the error text, ash's (`arithmetic syntax error`, `divide by
 * zero`) or with `bash` bash's (`1+: syntax error: operand expected (error token is "+")`).
 */
export function evalArith(expr: string, vars: ArithVars, bash = false): number | string {
  try {
    return new ArithParser(tokenize(expr), vars).parse();
  } catch (e) {
    if (e instanceof DivideByZero || e instanceof ArithError) {
      if (!bash) return e instanceof DivideByZero ? "divide by zero" : "arithmetic syntax error";
      const text = e instanceof DivideByZero ? BASH_TEXTS.div : BASH_TEXTS[e.kind];
      const pos = e.pos < 0 ? expr.length : e.pos;
      return `${expr.replace(/^\s+/, "")}: ${text} (error token is "${expr.slice(pos)}")`;
    }
    throw e;
  }
}
