/**
 * Go's encoding/json syntax check (src/encoding/json/scanner.go, checkValid): the first syntax
 * error of a JSON text with Go's own wording (`invalid character 'x' looking for beginning of
 * object key string`, `unexpected end of JSON input`), which the API server returns for a body it
 * cannot decode (sigs.k8s.io/json runs the same scanner before decoding).
 */

/** scanner.go's quoteChar: the offending character as Go prints it. */
export function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  // strconv.Quote of the rune, its double quotes replaced by single ones.
  const code = c.codePointAt(0)!;
  const named: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 92: "\\\\" };
  if (named[code]) return `'${named[code]}'`;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, "0")}'`;
  return `'${c}'`;
}

class SyntaxErr extends Error {}

const EOF = new SyntaxErr("unexpected end of JSON input");
/** scanner.go's maxNestingDepth: a deeper text fails with `exceeded max depth`. */
export const MAX_NESTING_DEPTH = 10000;
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Returns Go's error text for the first syntax error of `text`, or undefined when it is valid JSON. */
export function checkValid(text: string): string | undefined {
  const chars = Array.from(text);
  let i = 0;
  const peek = () => chars[i];
  const fail = (context: string): never => {
    if (i >= chars.length) throw EOF;
    throw new SyntaxErr(`invalid character ${quoteChar(chars[i]!)} ${context}`);
  };
  const skip = () => {
    while (isSpace(chars[i])) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (chars[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      const c = chars[i];
      if (c === undefined) throw EOF;
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        i++;
        const e = chars[i];
        if (e === undefined) throw EOF;
        if (e === "u") {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!isHex(chars[i])) fail("in \\u hexadecimal character escape");
          }
        } else if (!'"\\/bfnrt'.includes(e)) fail("in string escape code");
        i++;
        continue;
      }
      if (c.codePointAt(0)! < 0x20) fail("in string literal");
      i++;
    }
  };
  const number = () => {
    if (peek() === "-") {
      i++;
      if (!isDigit(peek())) fail("in numeric literal");
    }
    if (peek() === "0") i++;
    else while (isDigit(peek())) i++;
    if (peek() === ".") {
      i++;
      if (!isDigit(peek())) fail("after decimal point in numeric literal");
      while (isDigit(peek())) i++;
    }
    if (peek() === "e" || peek() === "E") {
      i++;
      if (peek() === "+" || peek() === "-") i++;
      if (!isDigit(peek())) fail("in exponent of numeric literal");
      while (isDigit(peek())) i++;
    }
  };
  // The values nest on an explicit stack, as the scanner's parseState (no recursion: a body of
  // half a million `[` must not overflow the call stack), at most maxNestingDepth (10000) deep.
  const stack: string[] = [];
  const open = (c: string) => {
    if (stack.length >= MAX_NESTING_DEPTH) fail("exceeded max depth");
    stack.push(c);
    i++;
  };
  try {
    let state: "value" | "key" | "end" = "value";
    for (;;) {
      if (state === "value") {
        skip();
        const c = peek();
        if (c === undefined) throw EOF;
        if (c === "{") {
          open(c);
          skip();
          if (peek() === "}") {
            i++;
            stack.pop();
            state = "end";
          } else state = "key";
          continue;
        }
        if (c === "[") {
          open(c);
          skip();
          if (peek() === "]") {
            i++;
            stack.pop();
            state = "end";
          }
          continue;
        }
        if (c === '"') string();
        else if (c === "-" || isDigit(c)) number();
        else if (c === "t") literal("true");
        else if (c === "f") literal("false");
        else if (c === "n") literal("null");
        else fail("looking for beginning of value");
        state = "end";
        continue;
      }
      if (state === "key") {
        skip();
        if (peek() !== '"') fail("looking for beginning of object key string");
        string();
        skip();
        if (peek() !== ":") fail("after object key");
        i++;
        state = "value";
        continue;
      }
      // After a value: the end of the text, or what its container allows next.
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      skip();
      const c = peek();
      if (c === ",") {
        i++;
        state = top === "{" ? "key" : "value";
      } else if ((top === "{" && c === "}") || (top === "[" && c === "]")) {
        i++;
        stack.pop();
      } else fail(top === "{" ? "after object key:value pair" : "after array element");
    }
    skip();
    if (i < chars.length) fail("after top-level value");
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxErr) return e.message;
    throw e;
  }
}

/** The Go type name of a decoded JSON value, as `json: cannot unmarshal <it> into ...` says it. */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "object") return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v; // string, number
}

/** A key met twice in one JSON object, with its path as the strict decoder names it (`spec.paused`, `spec.containers[0].image`). */
export interface DuplicateField {
  path: string;
  /** Its place in the text (the offset of the second occurrence), to order it among other strict errors. */
  at: number;
}

/**
 * The duplicate keys of a valid JSON text (sigs.k8s.io/json's DisallowDuplicateFields, which the
 * API server's strict decoding turns on), in the order they occur, and where each path first
 * occurs (to order them among the unknown fields). Paths are object keys joined with `.` and list
 * indexes as `[i]`. Walks without recursion.
 */
export function findDuplicateFields(text: string): { duplicates: DuplicateField[]; firstAt: Map<string, number> } {
  const duplicates: DuplicateField[] = [];
  const firstAt = new Map<string, number>();
  type Frame = { obj: true; path: string; keys: Set<string> } | { obj: false; path: string; index: number };
  const stack: Frame[] = [];
  // The path of the value about to start, given by its container.
  let pending = "";
  const join = (base: string, key: string) => (base ? `${base}.${key}` : key);
  const n = text.length;
  let i = 0;
  const skipString = () => {
    // i is at the opening quote; returns the index after the closing one.
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x5c) j += 2;
      else if (c === 0x22) return j + 1;
      else j++;
    }
    return j;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "{") {
      stack.push({ obj: true, path: pending, keys: new Set() });
      i++;
      continue;
    }
    if (c === "[") {
      const frame: Frame = { obj: false, path: pending, index: 0 };
      stack.push(frame);
      pending = `${frame.path}[0]`;
      i++;
      continue;
    }
    if (c === "}" || c === "]") {
      stack.pop();
      i++;
      continue;
    }
    if (c === ",") {
      const top = stack[stack.length - 1];
      if (top && !top.obj) pending = `${top.path}[${++top.index}]`;
      i++;
      continue;
    }
    if (c === '"') {
      const end = skipString();
      const top = stack[stack.length - 1];
      // A string is a key when a `:` follows it inside an object.
      let j = end;
      while (j < n && (text[j] === " " || text[j] === "\t" || text[j] === "\n" || text[j] === "\r")) j++;
      if (top?.obj && text[j] === ":") {
        const key = JSON.parse(text.slice(i, end)) as string;
        const path = join(top.path, key);
        if (top.keys.has(key)) duplicates.push({ path, at: i });
        else {
          top.keys.add(key);
          if (!firstAt.has(path)) firstAt.set(path, i);
        }
        pending = path;
        i = j + 1;
        continue;
      }
      i = end;
      continue;
    }
    i++;
  }
  return { duplicates, firstAt };
}
