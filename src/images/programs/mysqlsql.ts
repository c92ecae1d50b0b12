/**
 * The SQL a MySQL 5.7 server answers, as far as the pages run it ("Run a Replicated Stateful
 * Application": `CREATE DATABASE`, `CREATE TABLE`, `INSERT`, `SELECT * FROM test.messages`,
 * `SELECT @@server_id,NOW()`, the readiness probe's `SELECT 1`, the xtrabackup sidecar's `CHANGE
 * MASTER TO … ; START SLAVE`), with the server's error numbers, SQLSTATEs and texts
 * (share/errmsg-utf8.txt of mysql-server 5.7), and the `mysql` client's two ways of printing a
 * result (client/mysql.cc print_table_data and print_tab_data).
 *
 * The statements: SELECT (literals, `@@system_variable`, NOW(), VERSION(), DATABASE(), COUNT(*),
 * columns; FROM one table; WHERE column = literal; LIMIT), CREATE/DROP DATABASE, CREATE/DROP
 * TABLE, INSERT … VALUES, USE, SHOW DATABASES, SHOW TABLES, SHOW MASTER STATUS, CHANGE MASTER TO,
 * START SLAVE, STOP SLAVE. Anything else is a syntax error (ERROR 1064), as a statement the model
 * does not know must not pretend to run (docs/divergences.md).
 */

export type SqlValue = string | number | null;

/** A server error: `ERROR 1049 (42000): Unknown database 'x'`. */
export class SqlError extends Error {
  constructor(
    readonly code: number,
    readonly state: string,
    message: string,
  ) {
    super(message);
  }
}

export const syntaxError = (near: string) =>
  new SqlError(1064, "42000", `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line 1`);

// ---- tokens -----------------------------------------------------------------------------------

type TokKind = "word" | "quoted" | "num" | "str" | "sysvar" | "punct" | "end";
interface Tok {
  k: TokKind;
  v: string;
  /** Offset in the statement (for `near '…'` and the expressions' own text). */
  at: number;
  end: number;
}

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "-" && sql[i + 1] === "-" && (i + 2 >= sql.length || /\s/.test(sql[i + 2]!))) {
      while (i < sql.length && sql[i] !== "\n") i++;
      continue;
    }
    if (c === "#") {
      while (i < sql.length && sql[i] !== "\n") i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= sql.length) throw syntaxError(sql.slice(start));
        const d = sql[i]!;
        if (d === "\\" && i + 1 < sql.length) {
          const e = sql[i + 1]!;
          v += ({ n: "\n", t: "\t", r: "\r", "0": "\0", b: "\b", Z: "\x1a" } as Record<string, string>)[e] ?? e;
          i += 2;
        } else if (d === c && sql[i + 1] === c) {
          v += c;
          i += 2;
        } else if (d === c) {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      out.push({ k: "str", v, at: start, end: i });
      continue;
    }
    if (c === "`") {
      const close = sql.indexOf("`", i + 1);
      if (close < 0) throw syntaxError(sql.slice(start));
      out.push({ k: "quoted", v: sql.slice(i + 1, close), at: start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === "@" && sql[i + 1] === "@") {
      const m = /^@@(?:(?:global|session|local)\.)?([A-Za-z_][A-Za-z0-9_]*)/i.exec(sql.slice(i));
      if (!m) throw syntaxError(sql.slice(start));
      out.push({ k: "sysvar", v: m[1]!.toLowerCase(), at: start, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(sql.slice(i));
    if (num && !/[A-Za-z_$]/.test(sql[i + num[0].length] ?? "")) {
      out.push({ k: "num", v: num[0], at: start, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z0-9_$]+/.exec(sql.slice(i));
    if (word) {
      out.push({ k: "word", v: word[0], at: start, end: i + word[0].length });
      i += word[0].length;
      continue;
    }
    const two = sql.slice(i, i + 2);
    const p = two === "<=" || two === ">=" || two === "<>" || two === "!=" ? two : c;
    out.push({ k: "punct", v: p, at: start, end: i + p.length });
    i += p.length;
  }
  out.push({ k: "end", v: "", at: sql.length, end: sql.length });
  return out;
}

// ---- statements -------------------------------------------------------------------------------

export interface ColumnDef {
  name: string;
  /** As SHOW CREATE TABLE prints it: `varchar(250)`, `int(11)`. */
  type: string;
  notNull: boolean;
}

export type Expr =
  | { k: "lit"; v: SqlValue }
  | { k: "sysvar"; name: string }
  | { k: "fn"; name: string }
  | { k: "count" }
  | { k: "col"; name: string };

export interface SelectItem {
  expr: Expr | "*";
  /** The column's name in the result: the alias, else the expression's text as written. */
  name: string;
}

export type Statement =
  | { k: "select"; items: SelectItem[]; from?: { db?: string; table: string }; where?: { col: string; value: SqlValue }; limit?: number }
  | { k: "createDatabase"; name: string; ifNotExists: boolean }
  | { k: "dropDatabase"; name: string; ifExists: boolean }
  | { k: "createTable"; db?: string; table: string; ifNotExists: boolean; columns: ColumnDef[] }
  | { k: "dropTable"; db?: string; table: string; ifExists: boolean }
  | { k: "insert"; db?: string; table: string; columns?: string[]; rows: SqlValue[][] }
  | { k: "use"; db: string }
  | { k: "showDatabases" }
  | { k: "showTables"; db?: string }
  | { k: "showMasterStatus" }
  | { k: "changeMaster"; options: Record<string, SqlValue> }
  | { k: "startSlave" }
  | { k: "stopSlave" };

class Parser {
  private i = 0;
  constructor(
    private readonly sql: string,
    private readonly toks: Tok[],
  ) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }

  private fail(): never {
    const t = this.peek();
    throw syntaxError(this.sql.slice(t.at));
  }

  private isWord(w: string, o = 0): boolean {
    const t = this.peek(o);
    return t.k === "word" && t.v.toUpperCase() === w;
  }

  private accept(w: string): boolean {
    if (this.isWord(w)) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(w: string): void {
    if (!this.accept(w)) this.fail();
  }

  private punct(p: string): boolean {
    const t = this.peek();
    if (t.k === "punct" && t.v === p) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectPunct(p: string): void {
    if (!this.punct(p)) this.fail();
  }

  private ident(): string {
    const t = this.peek();
    if (t.k === "quoted" || (t.k === "word" && !RESERVED.has(t.v.toUpperCase()))) {
      this.i++;
      return t.v;
    }
    this.fail();
  }

  /** `name` or `db.name`. */
  private qualified(): { db?: string; table: string } {
    const first = this.ident();
    if (this.punct(".")) return { db: first, table: this.ident() };
    return { table: first };
  }

  private literal(): SqlValue {
    const t = this.peek();
    if (t.k === "str") {
      this.i++;
      return t.v;
    }
    if (t.k === "num") {
      this.i++;
      return Number(t.v);
    }
    if (t.k === "punct" && t.v === "-" && this.peek(1).k === "num") {
      this.i += 2;
      return -Number(this.peek(-1).v);
    }
    if (this.accept("NULL")) return null;
    this.fail();
  }

  parse(): Statement {
    const st = this.statement();
    if (this.peek().k !== "end") this.fail();
    return st;
  }

  private statement(): Statement {
    if (this.accept("SELECT")) return this.select();
    if (this.accept("CREATE")) {
      if (this.accept("DATABASE") || this.accept("SCHEMA")) {
        const ifNotExists = this.accept("IF") ? (this.expect("NOT"), this.expect("EXISTS"), true) : false;
        return { k: "createDatabase", name: this.ident(), ifNotExists };
      }
      if (this.accept("TABLE")) return this.createTable();
      this.fail();
    }
    if (this.accept("DROP")) {
      if (this.accept("DATABASE") || this.accept("SCHEMA")) {
        const ifExists = this.accept("IF") ? (this.expect("EXISTS"), true) : false;
        return { k: "dropDatabase", name: this.ident(), ifExists };
      }
      if (this.accept("TABLE")) {
        const ifExists = this.accept("IF") ? (this.expect("EXISTS"), true) : false;
        return { k: "dropTable", ...this.qualified(), ifExists };
      }
      this.fail();
    }
    if (this.accept("INSERT")) return this.insert();
    if (this.accept("USE")) return { k: "use", db: this.ident() };
    if (this.accept("SHOW")) {
      if (this.accept("DATABASES") || this.accept("SCHEMAS")) return { k: "showDatabases" };
      if (this.accept("TABLES")) {
        if (this.accept("FROM") || this.accept("IN")) return { k: "showTables", db: this.ident() };
        return { k: "showTables" };
      }
      if (this.accept("MASTER")) {
        this.expect("STATUS");
        return { k: "showMasterStatus" };
      }
      this.fail();
    }
    if (this.accept("CHANGE")) {
      this.expect("MASTER");
      this.expect("TO");
      const options: Record<string, SqlValue> = {};
      do {
        const t = this.peek();
        if (t.k !== "word") this.fail();
        this.i++;
        this.expectPunct("=");
        options[t.v.toUpperCase()] = this.literal();
      } while (this.punct(","));
      return { k: "changeMaster", options };
    }
    if (this.accept("START")) {
      this.expect("SLAVE");
      return { k: "startSlave" };
    }
    if (this.accept("STOP")) {
      this.expect("SLAVE");
      return { k: "stopSlave" };
    }
    this.fail();
  }

  private select(): Statement {
    const items: SelectItem[] = [];
    do {
      if (this.punct("*")) {
        items.push({ expr: "*", name: "*" });
        continue;
      }
      const start = this.peek().at;
      const expr = this.expr();
      const text = this.sql.slice(start, this.peek(-1).end);
      let name = expr.k === "lit" && typeof expr.v === "string" ? expr.v : text;
      if (this.accept("AS")) name = this.aliasName();
      else if (this.peek().k === "quoted" || this.peek().k === "str" || (this.peek().k === "word" && !RESERVED.has(this.peek().v.toUpperCase()))) name = this.aliasName();
      items.push({ expr, name });
    } while (this.punct(","));
    const st: Statement & { k: "select" } = { k: "select", items };
    if (this.accept("FROM")) st.from = this.qualified();
    if (this.accept("WHERE")) {
      const col = this.ident();
      this.expectPunct("=");
      st.where = { col, value: this.literal() };
    }
    if (this.accept("LIMIT")) {
      const t = this.peek();
      if (t.k !== "num") this.fail();
      this.i++;
      st.limit = Number(t.v);
    }
    return st;
  }

  private aliasName(): string {
    const t = this.peek();
    if (t.k === "str" || t.k === "quoted" || t.k === "word") {
      this.i++;
      return t.v;
    }
    this.fail();
  }

  private expr(): Expr {
    const t = this.peek();
    if (t.k === "sysvar") {
      this.i++;
      return { k: "sysvar", name: t.v };
    }
    if (t.k === "word" && this.peek(1).k === "punct" && this.peek(1).v === "(") {
      const name = t.v.toUpperCase();
      this.i += 2;
      if (name === "COUNT") {
        this.expectPunct("*");
        this.expectPunct(")");
        return { k: "count" };
      }
      if (!["NOW", "VERSION", "DATABASE", "CURRENT_TIMESTAMP"].includes(name)) {
        this.i -= 2;
        this.fail();
      }
      this.expectPunct(")");
      return { k: "fn", name };
    }
    if (t.k === "word" && !["NULL"].includes(t.v.toUpperCase())) {
      if (RESERVED.has(t.v.toUpperCase())) this.fail();
      this.i++;
      return { k: "col", name: t.v };
    }
    if (t.k === "quoted") {
      this.i++;
      return { k: "col", name: t.v };
    }
    return { k: "lit", v: this.literal() };
  }

  private createTable(): Statement {
    const ifNotExists = this.accept("IF") ? (this.expect("NOT"), this.expect("EXISTS"), true) : false;
    const q = this.qualified();
    this.expectPunct("(");
    const columns: ColumnDef[] = [];
    do {
      const name = this.ident();
      const tt = this.peek();
      if (tt.k !== "word") this.fail();
      this.i++;
      let type = tt.v.toLowerCase();
      if (!TYPES.has(type)) {
        this.i--;
        this.fail();
      }
      if (type === "integer") type = "int";
      if (this.punct("(")) {
        const n = this.peek();
        if (n.k !== "num") this.fail();
        this.i++;
        this.expectPunct(")");
        type += `(${n.v})`;
      } else if (DEFAULT_WIDTH[type]) type += `(${DEFAULT_WIDTH[type]})`;
      else if (type === "varchar") this.fail();
      let notNull = false;
      for (;;) {
        if (this.accept("NOT")) {
          this.expect("NULL");
          notNull = true;
        } else if (this.accept("NULL")) notNull = false;
        else if (this.accept("PRIMARY")) {
          this.expect("KEY");
          notNull = true;
        } else if (this.accept("DEFAULT")) this.literal();
        else break;
      }
      columns.push({ name, type, notNull });
    } while (this.punct(","));
    this.expectPunct(")");
    while (this.peek().k === "word") {
      // Table options: ENGINE=InnoDB, DEFAULT CHARSET=latin1 (as SHOW CREATE TABLE writes them).
      this.accept("DEFAULT");
      this.i++;
      if (this.punct("=")) this.i++;
    }
    return { k: "createTable", ...q, ifNotExists, columns };
  }

  private insert(): Statement {
    this.accept("INTO");
    const q = this.qualified();
    let columns: string[] | undefined;
    if (this.punct("(")) {
      columns = [];
      do columns.push(this.ident());
      while (this.punct(","));
      this.expectPunct(")");
    }
    if (!this.accept("VALUES")) this.expect("VALUE");
    const rows: SqlValue[][] = [];
    do {
      this.expectPunct("(");
      const row: SqlValue[] = [];
      if (!this.punct(")")) {
        do row.push(this.literal());
        while (this.punct(","));
        this.expectPunct(")");
      }
      rows.push(row);
    } while (this.punct(","));
    return { k: "insert", ...q, ...(columns ? { columns } : {}), rows };
  }
}

const RESERVED = new Set(
  "SELECT FROM WHERE LIMIT AS CREATE DROP TABLE DATABASE SCHEMA INSERT INTO VALUES VALUE USE SHOW IF NOT EXISTS NULL PRIMARY KEY DEFAULT AND OR ORDER BY GROUP".split(" "),
);
const TYPES = new Set(["int", "integer", "bigint", "smallint", "tinyint", "varchar", "char", "text", "datetime", "timestamp", "date"]);
const DEFAULT_WIDTH: Record<string, number> = { int: 11, integer: 11, bigint: 20, smallint: 6, tinyint: 4 };

/** Parses one statement (no trailing `;`). */
export function parseStatement(sql: string): Statement {
  const toks = tokenize(sql);
  if (toks.length === 1) throw new SqlError(1065, "42000", "Query was empty");
  return new Parser(sql, toks).parse();
}

/**
 * Splits a client's input into statements at `;` outside quotes and comments, as the mysql client
 * does (each with the line it starts on, for `ERROR … at line N`). A statement without its `;`
 * at the end of the input is sent too.
 */
export function splitStatements(text: string): Array<{ sql: string; line: number }> {
  const out: Array<{ sql: string; line: number }> = [];
  let cur = "";
  let line = 1;
  let startLine = 1;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (quote) {
      cur += c;
      if (c === "\\" && quote !== "`" && i + 1 < text.length) {
        cur += text[++i]!;
        if (text[i] === "\n") line++;
      } else if (c === quote) quote = undefined;
      continue;
    }
    if (!cur.trim()) startLine = line;
    if (c === "'" || c === '"' || c === "`") quote = c;
    if (c === ";") {
      if (cur.trim()) out.push({ sql: cur.trim(), line: startLine });
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push({ sql: cur.trim(), line: startLine });
  return out;
}

// ---- results ----------------------------------------------------------------------------------

export interface ResultSet {
  columns: string[];
  /** Which columns hold numbers (the client right-aligns them). */
  numeric: boolean[];
  rows: SqlValue[][];
}

/** What a statement returned: rows, or how many it changed. */
export type Outcome = { rows: ResultSet } | { affected: number };

function cell(v: SqlValue): string {
  return v === null ? "NULL" : String(v);
}

/** client/mysql.cc print_table_data: the boxed table of a terminal session or `-t`. */
export function formatTable(r: ResultSet): string {
  const widths = r.columns.map((c, i) => Math.max(c.length, ...r.rows.map((row) => cell(row[i] ?? null).length)));
  const line = "+" + widths.map((w) => "-".repeat(w + 2)).join("+") + "+\n";
  let out = line + "|" + r.columns.map((c, i) => ` ${c.padEnd(widths[i]!)} `).join("|") + "|\n" + line;
  for (const row of r.rows)
    out +=
      "|" +
      row
        .map((v, i) => {
          const s = cell(v);
          return ` ${r.numeric[i] && v !== null ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)} `;
        })
        .join("|") +
      "|\n";
  return out + line;
}

/** client/mysql.cc print_tab_data: batch output, a header line and tab-separated rows, special characters escaped. */
export function formatTab(r: ResultSet, headers = true): string {
  const esc = (v: SqlValue) => (v === null ? "NULL" : String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\0/g, "\\0"));
  let out = headers ? r.columns.join("\t") + "\n" : "";
  for (const row of r.rows) out += row.map(esc).join("\t") + "\n";
  return out;
}
