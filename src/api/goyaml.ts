/**
 * YAML as kubectl prints it: sigs.k8s.io/yaml turns the object's JSON into YAML with go-yaml v2,
 * so map keys are sorted in go-yaml v2's order (runs of digits compared as numbers: `k9` before
 * `k10`), sequences in a mapping are not indented, strings that would read back
 * as another type are double-quoted (`"True"`, `"1234"`, `"2024-01-08T00:00:00Z"`, `""`), strings
 * that cannot be plain are single-quoted, multi-line strings use literal blocks (`|`, `|-`), and
 * long plain or quoted values are folded at a space once the line passes 80 columns (go-yaml's
 * best_width), continuing two spaces deeper.
 */
const BEST_WIDTH = 80;
const BEST_INDENT = 2;

export function goYAML(value: unknown, keyOrder: (a: string, b: string) => number = yamlV2KeyOrder): string {
  const w = new Writer(keyOrder);
  w.node(value, 0, "root");
  return w.text.endsWith("\n") ? w.text : w.text + "\n";
}

/**
 * go-yaml v2's order of map keys (sorter.go keyList.Less), what yaml.Marshal of a
 * map[interface{}]interface{} writes: rune by rune, letters after other characters, runs of digits
 * compared as numbers. (sigs.k8s.io/yaml's JSONToYAML sorts this way; kustomize's output uses it.)
 */
export function yamlV2KeyOrder(a: string, b: string): number {
  if (a === b) return 0;
  return yamlV2Less(a, b) ? -1 : yamlV2Less(b, a) ? 1 : 0;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";
const isLetterUnit = (c: number) => (c < 0x80 ? ((c | 32) >= 97 && (c | 32) <= 122) : isLetter(String.fromCharCode(c)));
const isDigitUnit = (c: number) => c >= 48 && c <= 57;

/**
 * keyList.Less on UTF-16 code units: the same answer as on runes while the first difference is not
 * a surrogate (code-unit order is rune order in the Basic Multilingual Plane, and the digits looked
 * at around the difference are ASCII); a surrogate there takes the rune path.
 */
function yamlV2Less(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  let digits = false;
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) {
      digits = isDigitUnit(ca);
      continue;
    }
    if ((ca >= 0xd800 && ca <= 0xdfff) || (cb >= 0xd800 && cb <= 0xdfff)) return yamlV2LessRunes(a, b);
    const al = isLetterUnit(ca);
    const bl = isLetterUnit(cb);
    if (al && bl) return ca < cb;
    // A letter after a digit ends the number: the shorter number first (go-yaml v2.3's `digits`).
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ca === 48 || cb === 48) {
      for (let j = i - 1; j >= 0 && isDigitUnit(a.charCodeAt(j)); j--) {
        if (a.charCodeAt(j) !== 48) {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < a.length && isDigitUnit(a.charCodeAt(ai)); ai++) an = an * 10 + (a.charCodeAt(ai) - 48);
    let bi = i;
    for (; bi < b.length && isDigitUnit(b.charCodeAt(bi)); bi++) bn = bn * 10 + (b.charCodeAt(bi) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ca < cb;
  }
  return a.length < b.length;
}


/** `yamlV2KeyOrder` on runes, as go-yaml v2 compares them (the reference for the code-unit path). */
export function yamlV2KeyOrderRunes(a: string, b: string): number {
  if (a === b) return 0;
  return yamlV2LessRunes(a, b) ? -1 : yamlV2LessRunes(b, a) ? 1 : 0;
}

/** keyList.Less on runes, as go-yaml v2 compares them. */
function yamlV2LessRunes(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]);
      continue;
    }
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

type Context = "root" | "mapvalue" | "seqitem";

class Writer {
  text = "";
  col = 0;

  constructor(readonly keyOrder: (a: string, b: string) => number) {}

  put(s: string): void {
    const nl = s.lastIndexOf("\n");
    this.text += s;
    this.col = nl >= 0 ? runeLength(s.slice(nl + 1)) : this.col + runeLength(s);
  }

  newline(indent: number): void {
    this.put("\n" + " ".repeat(indent));
  }

  /** Writes a node whose first line continues the current line (after `key:` or `- `). */
  node(v: unknown, indent: number, ctx: Context): void {
    if (Array.isArray(v)) {
      if (v.length === 0) return this.inlineScalar("[]", ctx);
      // A sequence in a mapping is indentless; at the root or in a sequence it starts here.
      const seqIndent = ctx === "mapvalue" ? indent - BEST_INDENT : indent;
      v.forEach((item, i) => {
        if (i > 0 || ctx === "mapvalue") this.newline(seqIndent);
        else if (ctx === "seqitem") {
          /* "- - x": continue on the same line */
        }
        this.put("- ");
        this.node(item, seqIndent + BEST_INDENT, "seqitem");
      });
      return;
    }
    if (v !== null && typeof v === "object") {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort(this.keyOrder);
      if (keys.length === 0) return this.inlineScalar("{}", ctx);
      keys.forEach((k, i) => {
        if (i > 0 || ctx === "mapvalue") this.newline(indent);
        this.put(scalarText(k, true, indent, this.col) + ":");
        this.node(obj[k], indent + BEST_INDENT, "mapvalue");
      });
      return;
    }
    if (ctx === "mapvalue") this.put(" ");
    this.scalar(v, indent);
  }

  inlineScalar(s: string, ctx: Context): void {
    if (ctx === "mapvalue") this.put(" ");
    this.put(s);
  }

  /** A scalar value; `indent` is where continuation lines go (go-yaml's emit_scalar indent). */
  scalar(v: unknown, indent: number): void {
    if (v === null || v === undefined) return this.put("null");
    if (typeof v === "boolean") return this.put(v ? "true" : "false");
    if (typeof v === "number") return this.put(formatNumber(v));
    const s = String(v);
    const style = chooseStyle(s, false);
    if (style === "literal") return this.literal(s, indent);
    if (style === "plain") return this.folded(s, indent, "plain");
    if (style === "single") return this.folded(s, indent, "single");
    return this.doubleQuoted(s, indent, true);
  }

  folded(s: string, indent: number, style: "plain" | "single"): void {
    // Fast path: no space can fall past the best width, so nothing folds.
    if (this.col + (style === "single" ? 1 : 0) + runeLength(s) <= BEST_WIDTH + 1 || !s.includes(" ")) {
      this.put(style === "single" ? `'${s.replace(/'/g, "''")}'` : s);
      return;
    }
    if (style === "single") this.put("'");
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === " ") {
        const inner = style === "plain" || (i > 0 && i < chars.length - 1);
        if (!spaces && this.col > BEST_WIDTH && chars[i + 1] !== " " && inner) {
          this.newline(indent);
        } else this.put(c);
        spaces = true;
      } else {
        this.put(style === "single" && c === "'" ? "''" : c);
        spaces = false;
      }
    }
    if (style === "single") this.put("'");
  }

  doubleQuoted(s: string, indent: number, allowBreaks: boolean): void {
    this.put('"');
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === " ") {
        if (allowBreaks && !spaces && this.col > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.newline(indent);
          if (chars[i + 1] === " ") this.put("\\");
        } else this.put(c);
        spaces = true;
        continue;
      }
      spaces = false;
      this.put(escapeDouble(c));
    }
    this.put('"');
  }

  literal(s: string, indent: number): void {
    let hints = "";
    if (s.startsWith(" ") || s.startsWith("\n")) hints += String(BEST_INDENT);
    if (!s.endsWith("\n")) hints += "-";
    else if (s.length === 1 || s.endsWith("\n\n")) hints += "+";
    this.put("|" + hints);
    const body = s.endsWith("\n") ? s.slice(0, -1) : s;
    for (const line of body.split("\n")) {
      if (line === "") this.put("\n");
      else this.newline(indent);
      this.put(line);
    }
    if (s.endsWith("\n\n")) {
      /* the kept trailing break is written by the next newline */
    }
  }
}

/** Length in code points (Go counts runes); ASCII-only strings skip the spread. */
function runeLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(s) ? s.length : [...s].length;
}

function scalarText(s: string, key: boolean, _indent: number, _col: number): string {
  const style = chooseStyle(s, key);
  if (style === "plain") return s;
  if (style === "single") return `'${s.replace(/'/g, "''")}'`;
  return `"${[...s].map(escapeDouble).join("")}"`;
}

function escapeDouble(c: string): string {
  switch (c) {
    case "\0":
      return "\\0";
    case "\x07":
      return "\\a";
    case "\b":
      return "\\b";
    case "\t":
      return "\\t";
    case "\n":
      return "\\n";
    case "\v":
      return "\\v";
    case "\f":
      return "\\f";
    case "\r":
      return "\\r";
    case "\x1b":
      return "\\e";
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
    case "\u0085":
      return "\\N";
    case "\u00a0":
      return "\\_";
    case "\u2028":
      return "\\L";
    case "\u2029":
      return "\\P";
  }
  const code = c.codePointAt(0)!;
  if (!isPrintable(code)) {
    if (code <= 0xff) return "\\x" + code.toString(16).toUpperCase().padStart(2, "0");
    if (code <= 0xffff) return "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
    return "\\U" + code.toString(16).toUpperCase().padStart(8, "0");
  }
  return c;
}

function isPrintable(code: number): boolean {
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    code === 0x85 ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

type Style = "plain" | "single" | "double" | "literal";

/** go-yaml v2: encoder's stringv choice, then the emitter's analyze/select_scalar_style. */
export function chooseStyle(s: string, simpleKey: boolean): Style {
  let style: Style;
  if (s.includes("\n")) style = "literal";
  else if (resolvesAsString(s)) style = "plain";
  else style = "double";
  const a = analyze(s);
  if (style === "plain") {
    if (!a.blockPlainAllowed) style = "single";
    if (s.length === 0 && simpleKey) style = "single";
  }
  if (style === "single" && !a.singleQuotedAllowed) style = "double";
  if (style === "literal" && (!a.blockAllowed || simpleKey)) style = "double";
  return style;
}

function analyze(s: string) {
  const r = { blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (s.length === 0) {
    r.blockAllowed = false;
    return r;
  }
  const chars = [...s];
  let blockIndicators = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  let lineBreaks = false, special = false;
  if (s.startsWith("---") || s.startsWith("...")) blockIndicators = true;
  let precededByWhitespace = true;
  const isBlank = (c: string | undefined) => c === undefined || c === " " || c === "\t" || c === "\n" || c === "\r";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      else if ((c === "?" || c === ":") && followedByWhitespace) blockIndicators = true;
      else if (c === "-" && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ":" && followedByWhitespace) blockIndicators = true;
      else if (c === "#" && precededByWhitespace) blockIndicators = true;
    }
    const code = c.codePointAt(0)!;
    if (!isPrintable(code)) special = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029") {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c);
  }
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) r.blockPlainAllowed = false;
  if (trailingSpace) r.blockAllowed = false;
  if (breakSpace) {
    r.blockPlainAllowed = false;
    r.singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    r.blockPlainAllowed = false;
    r.singleQuotedAllowed = false;
    r.blockAllowed = false;
  }
  if (lineBreaks) r.blockPlainAllowed = false;
  if (blockIndicators) r.blockPlainAllowed = false;
  return r;
}

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const BOOLS = new Set([
  "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
  "true", "True", "TRUE", "false", "False", "FALSE",
]);
const SPECIAL_FLOATS = new Set([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"]);

/** Whether go-yaml v2's resolve reads this plain text back as a string. */
export function resolvesAsString(s: string): boolean {
  if (NULLS.has(s) || BOOLS.has(s) || SPECIAL_FLOATS.has(s) || s === "<<") return false;
  const c = s[0];
  if (c !== undefined && "+-.0123456789".includes(c)) {
    const plain = s.replace(/_/g, "");
    if (/^[-+]?(0b[01]+|0x[0-9a-fA-F]+|0o?[0-7]+|\d+)$/.test(plain)) return false;
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(plain)) return false;
    if (/^[-+]?(inf|infinity|nan)$/i.test(plain)) return false;
    if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return false;
    if (isTimestamp(s)) return false;
  }
  return true;
}

function isTimestamp(s: string): boolean {
  // go-yaml v2 allowed timestamp formats (the first four characters must be digits then '-').
  if (!/^\d{4}-/.test(s)) return false;
  return (
    /^\d{4}-\d{1,2}-\d{1,2}$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[-+]\d{2}:\d{2})$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/.test(s)
  );
}

/** go-yaml v2 writes ints as decimal and floats with strconv 'g' (shortest). */
function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n);
  if (Number.isNaN(n)) return ".nan";
  if (!Number.isFinite(n)) return n > 0 ? ".inf" : "-.inf";
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(n);
}
