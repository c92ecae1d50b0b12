/**
 * Shell arithmetic `$(( … ))` as ash evaluates it: integers (decimal, 0x hex, 0 octal),
 * variables by name, C operators with C precedence, assignments and ++/--.
 * Returns the value, or an error text (`arithmetic syntax error`, `divide by zero`).
 */

export interface ArithVars {
  getVar(name: string): string | undefined;
  setVar(name: string, value: string): void;
}

type Tok = { k: "num"; v: number } | { k: "name"; v: string } | { k: "op"; v: string };

const OPS = ["<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|", "^", "?", ":", "(", ")"];

class ArithError extends Error {}

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
        if (/[89]/.test(t)) throw new ArithError();
        v = parseInt(t, 8);
      } else v = parseInt(t, 10);
      out.push({ k: "num", v });
      i += t.length;
      if (/[A-Za-z_]/.test(s[i] ?? "")) throw new ArithError();
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (name) {
      out.push({ k: "name", v: name[0] });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw new ArithError();
    out.push({ k: "op", v: op });
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
    const v = this.assign();
    if (this.i < this.toks.length) throw new ArithError();
    return v;
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
      if (typeof r === "string") throw new ArithError();
      return r;
    }
    return n;
  }

  private assign(): number {
    const t = this.toks[this.i];
    const op = this.toks[this.i + 1];
    if (t?.k === "name" && op?.k === "op" && ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="].includes(op.v)) {
      this.i += 2;
      const rhs = this.assign();
      if (!this.live) return 0;
      const cur = op.v === "=" ? 0 : this.varValue(t.v);
      const v = op.v === "=" ? rhs : binop(op.v.slice(0, -1), cur, rhs);
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
    if (this.peekOp() !== ":") throw new ArithError();
    this.i++;
    this.live = wasLive && c === 0;
    const b = this.assign();
    this.live = wasLive;
    return c !== 0 ? a : b;
  }

  private binary(level: number): number {
    if (level >= BINARY.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      const op = this.peekOp();
      if (!op || !BINARY[level]!.includes(op)) return l;
      this.i++;
      const wasLive = this.live;
      if (op === "&&" && l === 0) this.live = false;
      if (op === "||" && l !== 0) this.live = false;
      const r = this.binary(level + 1);
      this.live = wasLive;
      l = this.live ? binop(op, l, r) : 0;
    }
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
      if (t?.k !== "name") throw new ArithError();
      const v = this.varValue(t.v) + (op === "++" ? 1 : -1);
      if (this.live) this.vars.setVar(t.v, String(v));
      return v;
    }
    return this.postfix();
  }

  private postfix(): number {
    const t = this.toks[this.i++];
    if (!t) throw new ArithError();
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
      const v = this.assign();
      if (this.peekOp() !== ")") throw new ArithError();
      this.i++;
      return v;
    }
    throw new ArithError();
  }
}

class DivideByZero extends Error {}

function binop(op: string, a: number, b: number): number {
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
      if (b === 0) throw new DivideByZero();
      return Math.trunc(a / b);
    case "%":
      if (b === 0) throw new DivideByZero();
      return a % b;
    case "**":
      return a ** b;
  }
  throw new ArithError();
}

export function evalArith(expr: string, vars: ArithVars): number | string {
  try {
    return new ArithParser(tokenize(expr), vars).parse();
  } catch (e) {
    if (e instanceof DivideByZero) return "divide by zero";
    if (e instanceof ArithError) return "arithmetic syntax error";
    throw e;
  }
}
