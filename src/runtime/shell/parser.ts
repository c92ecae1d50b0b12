/**
 * A recursive-descent parser for the POSIX sh language as busybox ash reads it.
 *
 * Like ash, the parser reads one complete command (up to a newline) at a time, so the
 * interpreter runs each line before parsing the next; syntax errors read like ash's
 * (`syntax error: unexpected "do"`, `syntax error: unexpected end of file (expecting "done")`,
 * `syntax error: unterminated quoted string`).
 */
import { braceExpand } from "./brace.ts";
import type { ArrayItem, Assignment, CommandNode, CondExpr, ListNode, ParamOp, Redir, RedirOp, Word, WordPart } from "./ast.ts";

export class ShellSyntaxError extends Error {
  constructor(
    /** The text after `sh: `, e.g. `syntax error: unexpected "do"` (bash: after `bash: -c: line N: `; empty: nothing printed). */
    message: string,
    readonly line: number,
    /** bash: the source line it echoes after a `syntax error near unexpected token` message. */
    readonly echo?: string,
    /**
     * bash: the shell exits with the last command's status rather than 2 (errors found by the
     * conditional-command parser, which set no status of their own: bash 5.2's parse.y cond_error).
     */
    readonly keepStatus?: boolean,
  ) {
    super(message);
    this.name = "ShellSyntaxError";
  }
}

type Tok =
  | { k: "word"; word: Word; line: number }
  | { k: "op"; v: string; line: number }
  | { k: "io"; fd: number; line: number }
  | { k: "nl"; line: number }
  | { k: "eof"; line: number };

const OPERATORS = ["&&", "||", ";;", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "(", ")", "<", ">"];
const REDIR_OPS = new Set(["<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-", "<<<", "&>", "&>>"]);
/** bash's own operators: the here-string `<<<` and `&>`/`&>>` (stdout and stderr to one file). */
const BASH_OPERATORS = ["<<<", "&>>", "&>"];
/** Reserved words that end a compound list (ash's `tokendlist`). */
const LIST_END = new Set(["then", "do", "done", "fi", "elif", "else", "esac", "}"]);
const RESERVED = new Set(["!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while", "{", "}"]);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** bash's `[[` unary operators (test.c test_unop) and binary ones (test_binop, plus `=~`). */
const COND_UNARY = new Set(["-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-n", "-o", "-p", "-r", "-s", "-t", "-u", "-v", "-w", "-x", "-z", "-G", "-L", "-N", "-O", "-R", "-S"]);
const COND_BINARY = new Set(["=", "==", "!=", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]);
/** bash's declaration builtins: `name=(…)` and unsplit `name=$v` among their arguments. */
const DECL_BUILTINS = new Set(["declare", "typeset", "local", "export", "readonly"]);
const SPECIAL_PARAMS = new Set(["?", "$", "#", "@", "*", "!", "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

export function isName(s: string): boolean {
  return NAME_RE.test(s);
}

/** The unquoted literal text of a word, or undefined when any part is quoted or an expansion. */
function plainText(w: Word): string | undefined {
  let s = "";
  for (const p of w.parts) {
    if (p.t !== "lit" || p.quoted) return undefined;
    s += p.v;
  }
  return s;
}

export class Parser {
  private pos: number;
  private line = 1;
  private peeked: Tok | undefined;
  private pendingHeredocs: Redir[] = [];

  constructor(
    private readonly src: string,
    start = 0,
    /** For `$( … )`: parsing stops at the unmatched `)`. */
    private readonly nested = false,
    /** bash: indexed arrays (`a=(x y)`, `${a[i]}`, `${a[@]}`, `${#a[@]}`); ash refuses them. */
    private readonly bash = false,
  ) {
    this.pos = start;
  }

  /** Where the parser stands in the source (after the last token consumed). */
  get offset(): number {
    return this.peeked ? this.peekedStart : this.pos;
  }
  private peekedStart = 0;

  // ---- tokens ------------------------------------------------------------------------------

  private peek(): Tok {
    if (!this.peeked) {
      this.skipBlanks();
      this.peekedStart = this.pos;
      this.peeked = this.lex();
    }
    return this.peeked;
  }

  private next(): Tok {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && this.src[this.pos + 1] === "\n") {
        this.pos += 2;
        this.line++;
      } else if (c === "#") {
        while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos++;
      } else return;
    }
  }

  private lex(): Tok {
    const line = this.line;
    if (this.pos >= this.src.length) return { k: "eof", line };
    const c = this.src[this.pos]!;
    if (c === "\n") {
      this.pos++;
      this.line++;
      this.readHeredocs();
      return { k: "nl", line };
    }
    if (this.bash && (c === "<" || c === "&")) {
      for (const op of BASH_OPERATORS) {
        if (this.src.startsWith(op, this.pos)) {
          this.pos += op.length;
          return { k: "op", v: op, line };
        }
      }
    }
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { k: "op", v: op, line };
      }
    }
    // IO_NUMBER: digits immediately followed by < or >
    const m = /^[0-9]+(?=[<>])/.exec(this.src.slice(this.pos, this.pos + 12));
    if (m) {
      this.pos += m[0].length;
      return { k: "io", fd: Number(m[0]), line };
    }
    const start = this.pos;
    const parts = this.readParts((ch) => " \t\n;&|()<>".includes(ch), false);
    return { k: "word", word: { parts, raw: this.src.slice(start, this.pos) }, line };
  }

  private readHeredocs(): void {
    const docs = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const r of docs) {
      const delim = wordLiteralValue(r.target);
      const strip = r.op === "<<-";
      let body = "";
      for (;;) {
        if (this.pos >= this.src.length) break;
        let end = this.src.indexOf("\n", this.pos);
        if (end < 0) end = this.src.length;
        let lineText = this.src.slice(this.pos, end);
        this.pos = Math.min(end + 1, this.src.length);
        this.line++;
        if (strip) lineText = lineText.replace(/^\t+/, "");
        if (lineText === delim) break;
        body += lineText + "\n";
      }
      r.heredoc = { body, expand: r.target.parts.every((p) => p.t === "lit" && !p.quoted) };
    }
  }

  private err(msg: string): never {
    throw new ShellSyntaxError(`syntax error: ${msg}`, this.line);
  }

  /** bash's own message for an error ash words differently (`unexpected EOF while looking for matching `"'`). */
  private errBash(bashMsg: string, ashMsg: string, line = this.line): never {
    if (this.bash) throw new ShellSyntaxError(bashMsg, line);
    this.err(ashMsg);
  }

  /** An error of bash's conditional-command parser: printed as is, the shell keeping its status. */
  private condErr(msg: string, line = this.line): never {
    throw new ShellSyntaxError(msg, line, undefined, true);
  }

  /**
   * An unexpected token in `[[ … ]]`: the message with the token's text (`unexpected token \`;', …`)
   * or without (bash names operators, `newline` and `]]`, never a word).
   */
  private condTokErr(t: Tok, withText: (text: string) => string, without: string): never {
    const text = t.k === "word" ? (plainText(t.word) === "]]" ? "]]" : undefined) : this.bashTokText(t);
    this.condErr(text === undefined ? without : withText(text), t.line);
  }

  /** Whether a token is a word of `[[ … ]]` (`]]` ends it and is none). */
  private isCondWord(t: Tok): t is Extract<Tok, { k: "word" }> {
    return t.k === "word" && plainText(t.word) !== "]]";
  }

  /** bash's text for a token in messages (parse.y error_token_from_token), undefined at end of file. */
  private bashTokText(t: Tok): string | undefined {
    switch (t.k) {
      case "eof":
        return undefined;
      case "nl":
        return "newline";
      case "io":
        return String(t.fd);
      case "op":
        return t.v;
      case "word":
        return t.word.raw;
    }
  }

  /** The source text of line n (bash echoes it under a syntax error). */
  private sourceLine(n: number): string {
    let start = 0;
    for (let l = 1; l < n; l++) {
      const e = this.src.indexOf("\n", start);
      if (e < 0) return "";
      start = e + 1;
    }
    const end = this.src.indexOf("\n", start);
    return this.src.slice(start, end < 0 ? undefined : end);
  }

  /** Reads word parts until `stop` says a character ends the word (outside quotes). */
  private readParts(stop: (ch: string) => boolean, inDquote: boolean): WordPart[] {
    const parts: WordPart[] = [];
    let lit = "";
    let litQuoted = inDquote;
    const flush = () => {
      if (lit) parts.push({ t: "lit", v: lit, quoted: litQuoted });
      lit = "";
    };
    const addLit = (s: string, quoted: boolean) => {
      if (quoted !== litQuoted) {
        flush();
        litQuoted = quoted;
      }
      lit += s;
    };
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      if (!inDquote && stop(c)) break;
      if (inDquote && c === '"') break;
      if (c === "\\") {
        const n = src[this.pos + 1];
        if (n === undefined) {
          addLit("\\", inDquote);
          this.pos++;
        } else if (n === "\n") {
          this.pos += 2;
          this.line++;
        } else if (inDquote && !"$`\"\\".includes(n)) {
          addLit("\\", true);
          this.pos++;
        } else {
          addLit(n, true);
          this.pos += 2;
        }
        continue;
      }
      if (c === "'" && !inDquote) {
        const end = src.indexOf("'", this.pos + 1);
        if (end < 0) this.errBash("unexpected EOF while looking for matching `''", "unterminated quoted string");
        const text = src.slice(this.pos + 1, end);
        this.line += text.split("\n").length - 1;
        flush();
        parts.push({ t: "lit", v: text, quoted: true });
        litQuoted = false;
        // an empty '' still makes the word exist: keep a quoted empty literal
        this.pos = end + 1;
        continue;
      }
      if (c === '"' && !inDquote) {
        this.pos++;
        flush();
        const inner = this.readParts(() => false, true);
        if (src[this.pos] !== '"') this.errBash("unexpected EOF while looking for matching `\"'", "unterminated quoted string");
        this.pos++;
        if (inner.length === 0) parts.push({ t: "lit", v: "", quoted: true });
        else parts.push(...inner);
        litQuoted = false;
        continue;
      }
      if (c === "`") {
        flush();
        parts.push(this.readBackquote(inDquote));
        continue;
      }
      if (c === "$" && this.bash && !inDquote && (src[this.pos + 1] === "'" || src[this.pos + 1] === '"')) {
        if (src[this.pos + 1] === '"') {
          // bash's $"…" (a string translated by the locale): in the C locale, "…"
          this.pos++;
          continue;
        }
        flush();
        parts.push({ t: "lit", v: this.readAnsiC(), quoted: true });
        litQuoted = false;
        continue;
      }
      if (c === "$") {
        const exp = this.readDollar(inDquote);
        if (exp) {
          flush();
          parts.push(exp);
        } else {
          addLit("$", inDquote);
          this.pos++;
        }
        continue;
      }
      if (c === "\n") this.line++;
      addLit(c, inDquote);
      this.pos++;
    }
    flush();
    return parts;
  }

  /** bash's brace expansion of a word (brace.ts): the words its texts parse to. */
  private braceWords(w: Word): Word[] {
    const texts = braceExpand(w.raw);
    if (!texts) return [w];
    return texts.map((raw) => ({ parts: new Parser(raw, 0, false, true).readParts(() => false, false), raw }));
  }

  /** bash's `$'…'` at this.pos: the text with its backslash escapes decoded (bash's ansicstr). */
  private readAnsiC(): string {
    const src = this.src;
    let i = this.pos + 2;
    let out = "";
    for (;;) {
      if (i >= src.length) this.errBash("unexpected EOF while looking for matching `''", "unterminated quoted string");
      const c = src[i]!;
      if (c === "'") break;
      if (c === "\n") this.line++;
      if (c !== "\\" || i + 1 >= src.length) {
        out += c;
        i++;
        continue;
      }
      const n = src[i + 1]!;
      i += 2;
      const simple: Record<string, string> = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" };
      if (simple[n] !== undefined) out += simple[n];
      else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(src.slice(i - 1, i + 2))![0];
        out += String.fromCharCode(parseInt(m, 8) & 0xff);
        i += m.length - 1;
      } else if (n === "x" && /[0-9a-fA-F]/.test(src[i] ?? "")) {
        const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i, i + 2))![0];
        out += String.fromCharCode(parseInt(m, 16));
        i += m.length;
      } else if ((n === "u" || n === "U") && /[0-9a-fA-F]/.test(src[i] ?? "")) {
        const m = new RegExp(`^[0-9a-fA-F]{1,${n === "u" ? 4 : 8}}`).exec(src.slice(i))![0];
        const code = parseInt(m, 16);
        // the C locale of a container (no LANG) cannot encode a non-ASCII character: bash keeps the escape
        out += code < 0x80 ? String.fromCharCode(code) : n === "u" ? `\\u${m.toUpperCase().padStart(4, "0")}` : `\\U${m.toUpperCase().padStart(8, "0")}`;
        i += m.length;
      } else if (n === "c" && i < src.length) {
        out += String.fromCharCode(src[i]!.toUpperCase().charCodeAt(0) & 0x1f);
        i++;
      } else out += "\\" + n;
    }
    this.pos = i + 1;
    return out;
  }

  private readBackquote(quoted: boolean): WordPart {
    const src = this.src;
    let i = this.pos + 1;
    let text = "";
    for (;;) {
      if (i >= src.length) this.err('unexpected end of file (expecting "`")');
      const c = src[i]!;
      if (c === "`") break;
      if (c === "\\" && i + 1 < src.length && "$`\\".includes(src[i + 1]!)) {
        text += src[i + 1];
        i += 2;
        continue;
      }
      text += c;
      i++;
    }
    this.pos = i + 1;
    const body = parseProgram(text, this.bash);
    return { t: "cmdsub", body, quoted };
  }

  /**
   * bash's subscript after `${name[`, at this.pos: `@` or `*`, or the index's text as a word (expanded,
   * then evaluated as arithmetic); this.pos ends after the `]`.
   */
  private readSubscript(): Word | "@" | "*" {
    const src = this.src;
    if ((src[this.pos] === "@" || src[this.pos] === "*") && src[this.pos + 1] === "]") {
      const at = src[this.pos] as "@" | "*";
      this.pos += 2;
      return at;
    }
    const start = this.pos;
    let depth = 0;
    const parts = this.readParts((ch) => {
      if (ch === "[") depth++;
      if (ch === "]") {
        if (depth === 0) return true;
        depth--;
      }
      return false;
    }, false);
    if (src[this.pos] !== "]") this.err("bad substitution");
    const raw = src.slice(start, this.pos);
    this.pos++;
    // An index is arithmetic text: never field-split or globbed.
    return { parts: parts.map((p) => ({ ...p, quoted: true })), raw };
  }

  /**
   * A `${…}` neither shell can expand, at this.pos: ash refuses it when parsing; bash only when expanding
   * it (`bash: ${H*}: bad substitution`), so a branch never taken may hold one.
   */
  private badSubstitution(quoted: boolean): WordPart {
    if (!this.bash) this.err("bad substitution");
    const src = this.src;
    let depth = 0;
    let i = this.pos + 2;
    for (; i < src.length; i++) {
      const c = src[i];
      if (c === "\\") i++;
      else if (c === "{") depth++;
      else if (c === "}") {
        if (depth === 0) break;
        depth--;
      } else if (c === "\n") this.line++;
    }
    if (i >= src.length) this.errBash("unexpected EOF while looking for matching `}'", "");
    const text = src.slice(this.pos, i + 1);
    this.pos = i + 1;
    return { t: "param", name: "", quoted, bad: text };
  }

  /** `$…` at this.pos; returns undefined for a lone `$` (taken literally). */
  private readDollar(quoted: boolean): WordPart | undefined {
    const src = this.src;
    const n = src[this.pos + 1];
    if (n === "(" && src[this.pos + 2] === "(") {
      // $(( arithmetic ))
      let depth = 0;
      let i = this.pos + 3;
      for (; i < src.length; i++) {
        if (src[i] === "(") depth++;
        else if (src[i] === ")") {
          if (depth === 0 && src[i + 1] === ")") break;
          depth--;
        }
      }
      if (i >= src.length) this.err('unexpected end of file (expecting "))")');
      const text = src.slice(this.pos + 3, i);
      const sub = new Parser(text);
      const parts = sub.readParts(() => false, true);
      this.pos = i + 2;
      return { t: "arith", expr: { parts, raw: text }, quoted };
    }
    if (n === "(") {
      const sub = new Parser(src, this.pos + 2, true, this.bash);
      sub.line = this.line;
      const body = sub.parseCompoundList(true);
      const close = sub.next();
      if (close.k !== "op" || close.v !== ")") sub.unexpected(close, ")");
      this.pos = sub.pos;
      this.line = sub.line;
      return { t: "cmdsub", body, quoted };
    }
    if (n === "{") {
      let i = this.pos + 2;
      let op: ParamOp | undefined;
      let bang = false;
      if (src[i] === "#" && src[i + 1] !== "}" && /[A-Za-z_0-9?$#@*!-]/.test(src[i + 1] ?? "")) {
        op = "len";
        i++;
      } else if (this.bash && src[i] === "!" && /[A-Za-z_0-9@*#?$]/.test(src[i + 1] ?? "")) {
        // bash: ${!name} indirection, ${!a[@]} keys, ${!prefix*} names
        bang = true;
        i++;
      }
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!\-0])/.exec(src.slice(i));
      if (!m) return this.badSubstitution(quoted);
      const name = m[0];
      i += name.length;
      let arg: Word | undefined;
      let arg2: Word | undefined;
      let index: Word | "@" | "*" | undefined;
      if (this.bash && src[i] === "[" && /^[A-Za-z_]/.test(name)) {
        this.pos = i + 1;
        index = this.readSubscript();
        i = this.pos;
      }
      const extra = { ...(index !== undefined ? { index } : {}), ...(bang ? { bang } : {}) };
      if (op === "len") {
        if (src[i] !== "}") return this.badSubstitution(quoted);
        this.pos = i + 1;
        return { t: "param", name, op, quoted, ...extra };
      }
      if (bang && (src[i] === "*" || src[i] === "@") && src[i + 1] === "}" && index === undefined) {
        this.pos = i + 2;
        return { t: "param", name, op: "names", quoted, arg: { parts: [{ t: "lit", v: src[i]!, quoted: true }], raw: src[i]! }, ...extra };
      }
      if (src[i] !== "}") {
        const om = this.bash ? /^(:-|:=|:\+|:\?|:|-|=|\+|\?|##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|\^|,,|,)/.exec(src.slice(i)) : /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%)/.exec(src.slice(i));
        if (!om) return this.badSubstitution(quoted);
        op = (om[0] === ":" ? "substr" : om[0]) as ParamOp;
        i += om[0].length;
        this.pos = i;
        // a pattern is matched as one (its quoted parts literally); `${x:-a b}`'s word is not split in "…"
        const pattern = op === "#" || op === "##" || op === "%" || op === "%%" || op.startsWith("/") || op.startsWith("^") || op.startsWith(",");
        const stopAt = op.startsWith("/") ? "/" : op === "substr" ? ":" : undefined;
        const read = (stopChar: string | undefined): Word => {
          const start = this.pos;
          let depth = 0;
          const parts = this.readParts((ch) => {
            if (ch === "{") depth++;
            if (ch === "}") {
              if (depth === 0) return true;
              depth--;
            }
            return depth === 0 && ch === stopChar;
          }, false);
          const fixed = quoted && !pattern ? parts.map((p) => ({ ...p, quoted: true })) : parts;
          return { parts: fixed, raw: src.slice(start, this.pos) };
        };
        arg = read(stopAt);
        if (stopAt && src[this.pos] === stopAt) {
          this.pos++;
          arg2 = read(undefined);
          if (op === "substr") arg2 = { parts: arg2.parts.map((p) => ({ ...p, quoted: true })), raw: arg2.raw };
        }
        if (op === "substr") arg = { parts: arg.parts.map((p) => ({ ...p, quoted: true })), raw: arg.raw };
        i = this.pos;
      }
      if (src[i] !== "}") this.errBash("unexpected EOF while looking for matching `}'", 'unexpected end of file (expecting "}")');
      this.pos = i + 1;
      return { t: "param", name, op, arg, quoted, ...(arg2 ? { arg2 } : {}), ...extra };
    }
    if (n !== undefined && /[A-Za-z_]/.test(n)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(this.pos + 1))!;
      this.pos += 1 + m[0].length;
      return { t: "param", name: m[0], quoted };
    }
    if (n !== undefined && SPECIAL_PARAMS.has(n)) {
      this.pos += 2;
      return { t: "param", name: n, quoted };
    }
    return undefined;
  }

  // ---- grammar -----------------------------------------------------------------------------

  private tokName(t: Tok): string {
    switch (t.k) {
      case "eof":
        return "end of file";
      case "nl":
        return "newline";
      case "io":
        return "redirection";
      case "op":
        return REDIR_OPS.has(t.v) ? "redirection" : `"${t.v}"`;
      case "word": {
        const p = plainText(t.word);
        return p !== undefined && RESERVED.has(p) ? `"${p}"` : "word";
      }
    }
  }

  unexpected(t: Tok, expecting?: string): never {
    if (this.bash) {
      const text = this.bashTokText(t);
      if (text === undefined) {
        // bash counts the line the end of file is on: one past a last line without its newline
        throw new ShellSyntaxError("syntax error: unexpected end of file", this.src.endsWith("\n") || this.src === "" ? t.line : t.line + 1);
      }
      throw new ShellSyntaxError(`syntax error near unexpected token \`${text}'`, t.line, this.sourceLine(t.line));
    }
    this.err(`unexpected ${this.tokName(t)}${expecting ? ` (expecting "${expecting}")` : ""}`);
  }

  private isReserved(t: Tok, w: string): boolean {
    return t.k === "word" && plainText(t.word) === w;
  }

  private isOp(t: Tok, v: string): boolean {
    return t.k === "op" && t.v === v;
  }

  private skipNewlines(): void {
    while (this.peek().k === "nl") this.next();
  }

  private expectReserved(w: string): void {
    const t = this.next();
    if (!this.isReserved(t, w)) this.unexpected(t, w);
  }

  /**
   * The next complete command of the program (up to a newline), or undefined at the end.
   * Throws ShellSyntaxError.
   */
  nextCommand(): ListNode | undefined {
    this.skipNewlines();
    if (this.peek().k === "eof") return undefined;
    const items: ListNode["items"] = [];
    for (;;) {
      const cmd = this.parseAndOr();
      const t = this.peek();
      if (this.isOp(t, ";") || this.isOp(t, "&")) {
        this.next();
        items.push({ cmd, background: t.k === "op" && t.v === "&" });
        const n = this.peek();
        if (n.k === "nl" || n.k === "eof") {
          this.next();
          break;
        }
        continue;
      }
      items.push({ cmd, background: false });
      if (t.k === "nl" || t.k === "eof") {
        this.next();
        break;
      }
      this.unexpected(t);
    }
    return { t: "list", items };
  }

  /** A compound list: and-ors separated by `;`, `&` or newlines, until a list-ending token. */
  parseCompoundList(inCmdSub = false): ListNode {
    this.skipNewlines();
    const items: ListNode["items"] = [];
    for (;;) {
      const t = this.peek();
      if (t.k === "eof") break;
      if (inCmdSub && items.length === 0 && this.isOp(t, ")")) break;
      // Like ash, the first command of a list is parsed whatever comes (`do done` is
      // `unexpected "done"`); later ones stop at a list-ending token.
      if (items.length > 0 && ((t.k === "op" && (t.v === ")" || t.v === ";;")) || (t.k === "word" && LIST_END.has(plainText(t.word) ?? "")))) break;
      const cmd = this.parseAndOr();
      const s = this.peek();
      if (this.isOp(s, ";") || this.isOp(s, "&") || s.k === "nl") {
        this.next();
        items.push({ cmd, background: this.isOp(s, "&") });
        this.skipNewlines();
        continue;
      }
      items.push({ cmd, background: false });
      break;
    }
    return { t: "list", items };
  }

  private parseAndOr(): CommandNode {
    const first = this.parsePipeline();
    const rest: Array<{ op: "&&" | "||"; cmd: CommandNode }> = [];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, "&&") || this.isOp(t, "||")) {
        this.next();
        this.skipNewlines();
        rest.push({ op: (t as { v: "&&" | "||" }).v, cmd: this.parsePipeline() });
      } else break;
    }
    return rest.length ? { t: "andor", first, rest } : first;
  }

  private parsePipeline(): CommandNode {
    let bang = false;
    if (this.isReserved(this.peek(), "!")) {
      this.next();
      bang = true;
    }
    const cmds = [this.parseCommand()];
    while (this.isOp(this.peek(), "|")) {
      this.next();
      this.skipNewlines();
      cmds.push(this.parseCommand());
    }
    return cmds.length === 1 && !bang ? cmds[0]! : { t: "pipeline", bang, cmds };
  }

  private parseRedirs(redirs: Redir[]): void {
    for (;;) {
      const r = this.tryRedir();
      if (!r) return;
      redirs.push(r);
    }
  }

  private tryRedir(): Redir | undefined {
    const t = this.peek();
    let fd: number | undefined;
    if (t.k === "io") {
      this.next();
      fd = t.fd;
      const o = this.peek();
      if (!(o.k === "op" && REDIR_OPS.has(o.v))) this.unexpected(o);
    } else if (!(t.k === "op" && REDIR_OPS.has(t.v))) return undefined;
    const o = this.next() as { k: "op"; v: string };
    const op = o.v as RedirOp;
    const target = this.next();
    if (target.k !== "word") this.unexpected(target);
    const r: Redir = { fd: fd ?? (op.startsWith("<") && op !== "<>" ? 0 : op === "<>" ? 0 : 1), op, target: target.word };
    if (op === "<<" || op === "<<-") this.pendingHeredocs.push(r);
    return r;
  }

  private parseCommand(): CommandNode {
    const t = this.peek();
    if (this.bash) {
      if (t.k === "word" && plainText(t.word) === "function") return this.parseFunctionKeyword();
      if (t.k === "word" && plainText(t.word) === "[[") {
        const redirs: Redir[] = [];
        const node = this.parseCond(redirs);
        this.parseRedirs(redirs);
        return node;
      }
      if (this.isOp(t, "(") && this.src[this.peekedStart + 1] === "(") {
        const line = t.line;
        const expr = this.readDoubleParen();
        const redirs: Redir[] = [];
        this.parseRedirs(redirs);
        return { t: "arithcmd", expr, redirs, line };
      }
    }
    if (t.k === "word") {
      const w = plainText(t.word);
      if (w !== undefined && RESERVED.has(w)) {
        const redirs: Redir[] = [];
        let node: CommandNode;
        switch (w) {
          case "{": {
            this.next();
            const body = this.parseCompoundList();
            this.expectReserved("}");
            node = { t: "group", body, redirs };
            break;
          }
          case "if":
            node = this.parseIf(redirs);
            break;
          case "while":
          case "until": {
            this.next();
            const cond = this.parseCompoundList();
            this.expectReserved("do");
            const body = this.parseCompoundList();
            this.expectReserved("done");
            node = { t: "loop", until: w === "until", cond, body, redirs };
            break;
          }
          case "for":
            node = this.parseFor(redirs);
            break;
          case "case":
            node = this.parseCase(redirs);
            break;
          default:
            this.unexpected(t);
        }
        this.parseRedirs(redirs);
        return node;
      }
    }
    if (this.isOp(t, "(")) {
      this.next();
      const body = this.parseCompoundList();
      const c = this.next();
      if (!this.isOp(c, ")")) this.unexpected(c, ")");
      const redirs: Redir[] = [];
      this.parseRedirs(redirs);
      return { t: "subshell", body, redirs };
    }
    return this.parseSimple();
  }

  private parseIf(redirs: Redir[]): CommandNode {
    this.next();
    const clauses: Array<{ cond: ListNode; body: ListNode }> = [];
    let elseBody: ListNode | undefined;
    for (;;) {
      const cond = this.parseCompoundList();
      this.expectReserved("then");
      const body = this.parseCompoundList();
      clauses.push({ cond, body });
      const t = this.next();
      if (this.isReserved(t, "elif")) continue;
      if (this.isReserved(t, "else")) {
        elseBody = this.parseCompoundList();
        this.expectReserved("fi");
        break;
      }
      if (this.isReserved(t, "fi")) break;
      this.unexpected(t, "fi");
    }
    return { t: "if", clauses, elseBody, redirs };
  }

  private parseFor(redirs: Redir[]): CommandNode {
    const line = this.next().line;
    if (this.bash && this.isOp(this.peek(), "(") && this.src[this.peekedStart + 1] === "(") return this.parseArithFor(redirs, line);
    const n = this.next();
    const name = n.k === "word" ? plainText(n.word) : undefined;
    if (name === undefined || !isName(name)) {
      if (n.k === "word") this.err(`bad for loop variable`);
      this.unexpected(n);
    }
    let words: Word[] | undefined;
    this.skipNewlines();
    if (this.isReserved(this.peek(), "in")) {
      this.next();
      words = [];
      for (;;) {
        const t = this.peek();
        if (t.k !== "word") break;
        this.next();
        if (this.bash) words.push(...this.braceWords(t.word));
        else words.push(t.word);
      }
      const s = this.next();
      if (!(this.isOp(s, ";") || s.k === "nl")) this.unexpected(s, "do");
    } else if (this.isOp(this.peek(), ";")) {
      this.next();
    }
    this.skipNewlines();
    this.expectReserved("do");
    const body = this.parseCompoundList();
    this.expectReserved("done");
    return { t: "for", name, words, body, redirs };
  }

  /**
   * bash's `(( … ))` at the `(` token just peeked: the text up to the matching `))`, as a word expanded
   * like a double-quoted one (then evaluated as arithmetic).
   */
  private readDoubleParen(): Word {
    const src = this.src;
    const start = this.peekedStart + 2;
    let depth = 0;
    let i = start;
    for (; i < src.length; i++) {
      const c = src[i];
      if (c === "(") depth++;
      else if (c === ")") {
        if (depth === 0 && src[i + 1] === ")") break;
        depth--;
      } else if (c === "\n") this.line++;
    }
    if (i >= src.length) this.errBash("unexpected EOF while looking for matching `)'", 'unexpected end of file (expecting "))")');
    this.peeked = undefined;
    this.pos = i + 2;
    const text = src.slice(start, i);
    const parts = new Parser(text, 0, false, true).readParts(() => false, true);
    return { parts, raw: text };
  }

  /** bash's `function name { …; }` (or `function name() …`): the body is any compound command. */
  private parseFunctionKeyword(): CommandNode {
    this.next();
    const n = this.next();
    const name = n.k === "word" ? plainText(n.word) : undefined;
    if (name === undefined || n.k !== "word") this.unexpected(n);
    if (this.isOp(this.peek(), "(")) {
      this.next();
      const c = this.next();
      if (!this.isOp(c, ")")) this.unexpected(c);
    }
    this.skipNewlines();
    return { t: "func", name, body: this.parseCommand() };
  }

  /** bash's `for (( init; cond; step )) do … done` (or `{ … }`). */
  private parseArithFor(redirs: Redir[], line: number): CommandNode {
    const all = this.readDoubleParen();
    const texts: string[] = [];
    let depth = 0;
    let cur = "";
    for (const c of all.raw) {
      if (c === "(") depth++;
      if (c === ")") depth--;
      if (c === ";" && depth === 0) {
        texts.push(cur);
        cur = "";
      } else cur += c;
    }
    texts.push(cur);
    if (texts.length !== 3) throw new ShellSyntaxError(`syntax error: arithmetic expression required`, line);
    const [init, cond, step] = texts.map((text) => ({ parts: new Parser(text, 0, false, true).readParts(() => false, true), raw: text }));
    if (this.isOp(this.peek(), ";")) this.next();
    this.skipNewlines();
    let body: ListNode;
    if (this.isReserved(this.peek(), "{")) {
      this.next();
      body = this.parseCompoundList();
      this.expectReserved("}");
    } else {
      this.expectReserved("do");
      body = this.parseCompoundList();
      this.expectReserved("done");
    }
    return { t: "cfor", init: init!, cond: cond!, step: step!, body, redirs, line };
  }

  // ---- bash's [[ … ]] (parse.y parse_cond_command) ------------------------------------------

  private parseCond(redirs: Redir[]): CommandNode {
    const line = this.next().line;
    const expr = this.condOr();
    const t = this.next();
    if (!(t.k === "word" && plainText(t.word) === "]]")) {
      if (t.k === "eof") this.condErr("unexpected EOF while looking for `]]'", line);
      this.condTokErr(t, (x) => `syntax error in conditional expression: unexpected token \`${x}'`, "syntax error in conditional expression");
    }
    return { t: "cond", expr, redirs, line };
  }

  private condSkipNewlines(): Tok {
    while (this.peek().k === "nl") this.next();
    return this.peek();
  }

  private condOr(): CondExpr {
    const l = this.condAnd();
    if (this.isOp(this.peek(), "||")) {
      this.next();
      return { t: "or", l, r: this.condOr() };
    }
    return l;
  }

  private condAnd(): CondExpr {
    const l = this.condTerm();
    if (this.isOp(this.peek(), "&&")) {
      this.next();
      return { t: "and", l, r: this.condAnd() };
    }
    return l;
  }

  private condTerm(): CondExpr {
    const t = this.condSkipNewlines();
    const text = t.k === "word" ? plainText(t.word) : undefined;
    if (text === "]]") this.condErr("");
    if (this.isOp(t, "(")) {
      const line = this.next().line;
      const e = this.condOr();
      const c = this.peek();
      if (!this.isOp(c, ")")) {
        const text = c.k === "word" ? (plainText(c.word) === "]]" ? "]]" : undefined) : this.bashTokText(c);
        this.condErr(text === undefined ? "expected `)'" : `unexpected token \`${text}', expected \`)'`, line);
      }
      this.next();
      this.condSkipNewlines();
      return e;
    }
    if (text === "!") {
      this.next();
      return { t: "not", e: this.condTerm() };
    }
    if (t.k !== "word") this.condTokErr(t, (x) => `unexpected token \`${x}' in conditional command`, "unexpected token in conditional command");
    this.next();
    if (text !== undefined && COND_UNARY.has(text)) {
      const a = this.next();
      if (!this.isCondWord(a)) this.condTokErr(a, (x) => `unexpected argument \`${x}' to conditional unary operator`, "unexpected argument to conditional unary operator");
      this.condSkipNewlines();
      return { t: "unary", op: text, arg: a.word };
    }
    const o = this.peek();
    const otext = o.k === "word" ? plainText(o.word) : undefined;
    let op: string;
    if (otext !== undefined && COND_BINARY.has(otext)) op = otext;
    else if (this.isOp(o, "<") || this.isOp(o, ">")) op = (o as { v: string }).v;
    else if (otext === "]]" || this.isOp(o, "&&") || this.isOp(o, "||") || this.isOp(o, ")")) return { t: "unary", op: "-n", arg: t.word };
    else this.condTokErr(o, (x) => `unexpected token \`${x}', conditional binary operator expected`, "conditional binary operator expected");
    this.next();
    let r: Word;
    if (op === "=~") r = this.readRegexWord();
    else {
      const a = this.next();
      if (!this.isCondWord(a)) this.condTokErr(a, (x) => `unexpected argument \`${x}' to conditional binary operator`, "unexpected argument to conditional binary operator");
      r = a.word;
    }
    this.condSkipNewlines();
    return { t: "binary", op, l: t.word, r };
  }

  /**
   * The right side of `=~`, read as bash does (parse.y PST_REGEXP): `(`, `)` and `|` are part of the
   * word, and within parentheses so are blanks.
   */
  private readRegexWord(): Word {
    this.skipBlanks();
    const start = this.pos;
    const c0 = this.src[start];
    if (c0 === undefined || c0 === "\n" || c0 === ";" || c0 === "&") {
      this.condTokErr(this.next(), (x) => `unexpected argument \`${x}' to conditional binary operator`, "unexpected argument to conditional binary operator");
    }
    let depth = 0;
    const parts = this.readParts((ch) => {
      if (ch === "(") {
        depth++;
        return false;
      }
      if (ch === ")") {
        if (depth === 0) return true;
        depth--;
        return false;
      }
      if (depth > 0) return ch === "\n";
      return " \t\n;&<>".includes(ch);
    }, false);
    if (depth > 0 && this.pos >= this.src.length) this.condErr("unexpected EOF while looking for matching `)'");
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  private parseCase(redirs: Redir[]): CommandNode {
    this.next();
    const wt = this.next();
    if (wt.k !== "word") this.unexpected(wt);
    this.skipNewlines();
    this.expectReserved("in");
    const items: Array<{ patterns: Word[]; body?: ListNode }> = [];
    for (;;) {
      this.skipNewlines();
      let t = this.peek();
      if (this.isReserved(t, "esac")) {
        this.next();
        break;
      }
      if (this.isOp(t, "(")) {
        this.next();
        t = this.peek();
      }
      const patterns: Word[] = [];
      for (;;) {
        const p = this.next();
        if (p.k !== "word") this.unexpected(p);
        patterns.push(p.word);
        const s = this.next();
        if (this.isOp(s, "|")) continue;
        if (this.isOp(s, ")")) break;
        this.unexpected(s, ")");
      }
      this.skipNewlines();
      let body: ListNode | undefined;
      const b = this.peek();
      if (!this.isOp(b, ";;") && !this.isReserved(b, "esac")) body = this.parseCompoundList();
      items.push({ patterns, body });
      const e = this.peek();
      if (this.isOp(e, ";;")) {
        this.next();
        continue;
      }
      if (this.isReserved(e, "esac")) {
        this.next();
        break;
      }
      this.unexpected(e, "esac");
    }
    return { t: "case", word: wt.word, items, redirs };
  }

  private parseSimple(): CommandNode {
    const line = this.peek().line;
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      if (this.tryRedirInto(redirs)) continue;
      const t = this.peek();
      if (t.k !== "word") break;
      if (words.length === 0) {
        const eq: Assignment | undefined = this.bash ? bashAssignment(t.word) : assignmentSplit(t.word);
        if (eq) {
          this.next();
          if (this.bash && eq.value.parts.length === 0 && eq.index === undefined && this.isOp(this.peek(), "(")) {
            // bash: `name=(word …)`, the words across lines, up to the closing `)`.
            this.next();
            assigns.push({ ...eq, array: this.readArrayItems() });
            continue;
          }
          assigns.push(eq);
          continue;
        }
      } else if (this.bash && DECL_BUILTINS.has(plainText(words[0]!) ?? "") && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(t.word.raw)) {
        // `local -a a=(…)`: the builtin gets `a=(…)` as text and parses it (as bash's declare does)
        this.next();
        if (this.isOp(this.peek(), "(")) {
          const start = this.peekedStart;
          this.next();
          this.readArrayItems();
          const text = t.word.raw + this.src.slice(start, this.offset);
          words.push({ parts: [{ t: "lit", v: text, quoted: true }], raw: text });
        } else words.push(t.word);
        continue;
      }
      this.next();
      if (this.bash) words.push(...this.braceWords(t.word));
      else words.push(t.word);
      if (words.length === 1 && assigns.length === 0 && redirs.length === 0 && this.isOp(this.peek(), "(")) {
        const name = plainText(t.word);
        if (name === undefined || !isName(name)) this.unexpected(this.peek());
        this.next();
        const c = this.next();
        if (!this.isOp(c, ")")) this.unexpected(c, ")");
        this.skipNewlines();
        const body = this.parseCommand();
        return { t: "func", name, body };
      }
    }
    if (words.length === 0 && assigns.length === 0 && redirs.length === 0) this.unexpected(this.peek());
    if (this.bash && words.length > 0 && DECL_BUILTINS.has(plainText(words[0]!) ?? "")) return { t: "simple", assigns, words, redirs, line, decl: true };
    return { t: "simple", assigns, words, redirs, line };
  }

  /** bash's array literal after its `(`: words (brace-expanded) and `[key]=value`s across lines, to the `)`. */
  private readArrayItems(): ArrayItem[] {
    const items: ArrayItem[] = [];
    for (;;) {
      this.skipNewlines();
      const w = this.next();
      if (this.isOp(w, ")")) break;
      if (w.k !== "word") this.unexpected(w, ")");
      const keyed = w.word.parts[0]?.t === "lit" && !w.word.parts[0].quoted && w.word.raw.startsWith("[") ? subscripted(w.word.raw, 0) : undefined;
      if (keyed) items.push({ key: keyed.index, value: keyed.value, ...(keyed.append ? { append: true } : {}) });
      else items.push(...this.braceWords(w.word));
    }
    return items;
  }

  /** The items of an array literal's text `(…)` (what `declare a=(…)` gets as an argument). */
  static arrayLiteral(text: string): ArrayItem[] {
    const p = new Parser(text, 0, false, true);
    const open = p.next();
    if (!p.isOp(open, "(")) p.unexpected(open);
    const items = p.readArrayItems();
    p.skipNewlines();
    const end = p.next();
    if (end.k !== "eof") p.unexpected(end);
    return items;
  }

  private tryRedirInto(redirs: Redir[]): boolean {
    const r = this.tryRedir();
    if (r) redirs.push(r);
    return !!r;
  }
}

/** `NAME=value` as the first words of a simple command. */
function assignmentSplit(w: Word): { name: string; value: Word } | undefined {
  const first = w.parts[0];
  if (!first || first.t !== "lit" || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v);
  if (!m) return undefined;
  const restFirst = first.v.slice(m[0].length);
  const parts: WordPart[] = restFirst ? [{ ...first, v: restFirst }, ...w.parts.slice(1)] : w.parts.slice(1);
  return { name: m[1]!, value: { parts, raw: w.raw.slice(m[0].length) } };
}

/** Parses a piece of a word's source text as a word (bash). */
function wordOf(text: string): Word {
  return { parts: new Parser(text, 0, false, true)["readParts"](() => false, false), raw: text };
}

/**
 * `[index]=value` (or `+=`) from offset `at` of a word's source text (the `[` there): the index's
 * text as a word (arithmetic, or an associative array's key) and the value's, or undefined.
 */
function subscripted(raw: string, at: number): { index: Word; value: Word; append: boolean } | undefined {
  let depth = 0;
  let j = at + 1;
  for (; j < raw.length; j++) {
    const c = raw[j];
    if (c === "\\") j++;
    else if (c === "[") depth++;
    else if (c === "]") {
      if (depth === 0) break;
      depth--;
    }
  }
  const m = /^\+?=/.exec(raw.slice(j + 1));
  if (j >= raw.length || !m) return undefined;
  const index = wordOf(raw.slice(at + 1, j));
  return { index: { parts: index.parts.map((p) => ({ ...p, quoted: true })), raw: index.raw }, value: wordOf(raw.slice(j + 1 + m[0].length)), append: m[0] === "+=" };
}

/** bash's assignment words: `NAME=v`, `NAME+=v`, `NAME[index]=v`, `NAME[index]+=v`. */
function bashAssignment(w: Word): Assignment | undefined {
  const first = w.parts[0];
  if (!first || first.t !== "lit" || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[|\+=|=)/.exec(first.v);
  if (!m) return undefined;
  const name = m[1]!;
  if (m[2] === "[") {
    const s = subscripted(w.raw, name.length);
    return s ? { name, value: s.value, index: s.index, ...(s.append ? { append: true } : {}) } : undefined;
  }
  const eq = assignmentSplit(m[2] === "+=" ? { parts: [{ ...first, v: name + "=" + first.v.slice(m[0].length) }, ...w.parts.slice(1)], raw: w.raw } : w);
  if (!eq) return undefined;
  return m[2] === "+=" ? { ...eq, append: true } : eq;
}

/** The text of a word with quotes removed and no expansion (here-document delimiters). */
function wordLiteralValue(w: Word): string {
  return w.parts.map((p) => (p.t === "lit" ? p.v : p.t === "param" ? `$${p.name}` : "")).join("");
}

/** Parses a whole program at once (command substitutions); `bash` for bash's syntax. */
export function parseProgram(src: string, bash = false): ListNode {
  const p = new Parser(src, 0, false, bash);
  const items: ListNode["items"] = [];
  for (;;) {
    const c = p.nextCommand();
    if (!c) break;
    items.push(...c.items);
  }
  return { t: "list", items };
}

/** Parses the text of a here-document body (expanding `$` and backquotes, `"` literal). */
export function parseHeredocBody(body: string): Word {
  const p = new Parser(body) as unknown as { readParts(stop: (c: string) => boolean, inDquote: boolean): WordPart[]; pos: number; src: string };
  const parts: WordPart[] = [];
  // `"` is not special in a here-document: read in double-quote mode, taking stray quotes literally.
  for (;;) {
    parts.push(...p.readParts(() => false, true));
    if (p.pos >= body.length) break;
    parts.push({ t: "lit", v: '"', quoted: true });
    p.pos++;
  }
  return { parts, raw: body };
}

/**
 * The command lists of one source text, parsed as far as some run has read them and shared by every
 * later run of the same text (issue #19: a crash-looping container runs its `sh -c` script anew at
 * every restart). Parsing reads nothing but the text (no aliases, no options), so the n-th list, or
 * the syntax error where parsing stopped, is the same for every run; the interpreter keeps no state
 * in syntax nodes (the compiled loops' plans are kept beside them, per node).
 */
export class ParsedSource {
  private readonly lists: ListNode[] = [];
  private parser: Parser | undefined;
  private error: ShellSyntaxError | undefined;
  /** An unexpected exception left the parser in between: the text is parsed afresh next time. */
  broken = false;

  constructor(src: string, bash = false) {
    this.parser = new Parser(src, 0, false, bash);
  }

  /** The i-th command list (undefined past the end), or the syntax error a run reaching it meets. */
  at(i: number): ListNode | undefined {
    while (i >= this.lists.length) {
      if (this.error) throw this.error;
      if (!this.parser) return undefined;
      let list: ListNode | undefined;
      try {
        list = this.parser.nextCommand();
      } catch (e) {
        if (e instanceof ShellSyntaxError) this.error = e;
        else this.broken = true;
        this.parser = undefined;
        throw e;
      }
      if (!list) {
        this.parser = undefined;
        return undefined;
      }
      this.lists.push(list);
    }
    return this.lists[i];
  }

  /**
   * Every command list of the text (parsing reads only the text, so reading ahead changes nothing a
   * run meets: a syntax error is kept for the run that reaches it); throws what `at` throws.
   */
  all(): ListNode[] {
    for (let i = 0; this.at(i); i++);
    return this.lists;
  }
}

/** Parsed sources per cluster (its clock), at most MAX_PARSED texts each (all dropped when full). */
const parsedSources = new WeakMap<object, Map<string, ParsedSource>>();
const MAX_PARSED = 4096;

/** The shared parse of `src` among the runs of one cluster (`owner`: its clock); bash's apart from ash's. */
export function parsedSource(owner: object, src: string, bash = false): ParsedSource {
  let m = parsedSources.get(owner);
  if (!m) parsedSources.set(owner, (m = new Map()));
  const key = bash ? `bash\0${src}` : src;
  let p = m.get(key);
  if (!p || p.broken) {
    if (m.size >= MAX_PARSED) m.clear();
    m.set(key, (p = new ParsedSource(src, bash)));
  }
  return p;
}
