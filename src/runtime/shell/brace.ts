/**
 * bash's brace expansion (braces.c brace_expand), done on a word's text before any other expansion:
 * `a{b,c}d` is two words, `{1..5}`, `{01..10}`, `{a..e}`, `{10..1..3}` are sequences. Quoted text,
 * backslash escapes and `${…}`, `$(…)`, `` `…` `` take no part (a comma in them separates nothing), so
 * `"{a,b}"`, `\{a,b}`, `${x}` and `{a}` (no comma) stay as they are; the words are parsed afterwards,
 * so `{$a,$b}x` is `$ax $bx`, as in bash.
 */

/** One unquoted character, or a unit taken whole (`{ unit }`). */
type Atom = string | { unit: string };

/** More elements than this in one sequence expression leave the word as it is. */
const MAX_SEQUENCE = 100_000;

/** The texts a word's brace expansion makes, or undefined when it makes none. */
export function braceExpand(raw: string): string[] | undefined {
  if (!raw.includes("{")) return undefined;
  const atoms = scan(raw);
  if (!atoms) return undefined;
  const out = expand(atoms);
  if (out.length === 1 && out[0]!.length === atoms.length) return undefined;
  return out.map((a) => a.map((x) => (typeof x === "string" ? x : x.unit)).join(""));
}

/** The word's atoms, or undefined when its quoting is not closed (the parser has reported that). */
function scan(raw: string): Atom[] | undefined {
  const atoms: Atom[] = [];
  for (let i = 0; i < raw.length; ) {
    const end = unitEnd(raw, i);
    if (end === undefined) return undefined;
    if (end === i + 1 && raw[i] !== "\\") atoms.push(raw[i]!);
    else atoms.push({ unit: raw.slice(i, end) });
    i = end;
  }
  return atoms;
}

/** Where the unit starting at i ends (one character for an ordinary one). */
function unitEnd(s: string, i: number): number | undefined {
  const c = s[i]!;
  if (c === "\\") return Math.min(i + 2, s.length);
  if (c === "'") {
    const e = s.indexOf("'", i + 1);
    return e < 0 ? undefined : e + 1;
  }
  if (c === '"' || c === "`") {
    for (let j = i + 1; j < s.length; j++) {
      if (s[j] === "\\") j++;
      else if (s[j] === c) return j + 1;
    }
    return undefined;
  }
  if (c === "$") {
    const n = s[i + 1];
    if (n === "'") {
      for (let j = i + 2; j < s.length; j++) {
        if (s[j] === "\\") j++;
        else if (s[j] === "'") return j + 1;
      }
      return undefined;
    }
    if (n === "{" || n === "(") {
      const close = n === "{" ? "}" : ")";
      let depth = 0;
      for (let j = i + 1; j < s.length; j++) {
        const d = s[j]!;
        if (d === "\\") j++;
        else if (d === "'" || d === '"' || d === "`") {
          const e = unitEnd(s, j);
          if (e === undefined) return undefined;
          j = e - 1;
        } else if (d === n) depth++;
        else if (d === close && --depth === 0) return j + 1;
      }
      return undefined;
    }
  }
  return i + 1;
}

function expand(a: Atom[]): Atom[][] {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== "{") continue;
    let depth = 0;
    let close = -1;
    const commas: number[] = [];
    for (let j = i + 1; j < a.length; j++) {
      const x = a[j];
      if (x === "{") depth++;
      else if (x === "}") {
        if (depth === 0) {
          close = j;
          break;
        }
        depth--;
      } else if (x === "," && depth === 0) commas.push(j);
    }
    if (close < 0) continue;
    let alts: Atom[][];
    if (commas.length > 0) {
      alts = [];
      let from = i + 1;
      for (const c of [...commas, close]) {
        alts.push(a.slice(from, c));
        from = c + 1;
      }
    } else {
      const seq = sequence(a.slice(i + 1, close));
      if (!seq) continue;
      alts = seq.map((s) => [...s]);
    }
    const pre = a.slice(0, i);
    const posts = expand(a.slice(close + 1));
    const out: Atom[][] = [];
    for (const alt of alts) for (const e of commas.length > 0 ? expand(alt) : [alt]) for (const p of posts) out.push([...pre, ...e, ...p]);
    return out;
  }
  return [a];
}
/** `x..y[..incr]` over integers or single letters, or undefined when the text is no sequence. */
function sequence(inner: Atom[]): string[] | undefined {
  if (inner.some((x) => typeof x !== "string")) return undefined;
  const text = (inner as string[]).join("");
  const num = /^([-+]?[0-9]+)\.\.([-+]?[0-9]+)(?:\.\.([-+]?[0-9]+))?$/.exec(text);
  if (num) {
    const start = parseInt(num[1]!, 10);
    const end = parseInt(num[2]!, 10);
    const step = Math.abs(parseInt(num[3] ?? "1", 10)) || 1;
    if (Math.abs(end - start) / step >= MAX_SEQUENCE) return undefined;
    // a leading zero on either end pads every number to the wider end's width
    const zero = /^[-+]?0[0-9]/.test(num[1]!) || /^[-+]?0[0-9]/.test(num[2]!);
    const width = zero ? Math.max(num[1]!.length, num[2]!.length) : 0;
    const out: string[] = [];
    const dir = end >= start ? 1 : -1;
    for (let v = start; dir > 0 ? v <= end : v >= end; v += dir * step) {
      const s = String(Math.abs(v)).padStart(v < 0 ? width - 1 : width, "0");
      out.push(v < 0 ? "-" + s : s);
    }
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.([-+]?[0-9]+))?$/.exec(text);
  if (chr) {
    const start = chr[1]!.charCodeAt(0);
    const end = chr[2]!.charCodeAt(0);
    const step = Math.abs(parseInt(chr[3] ?? "1", 10)) || 1;
    const out: string[] = [];
    const dir = end >= start ? 1 : -1;
    for (let v = start; dir > 0 ? v <= end : v >= end; v += dir * step) out.push(String.fromCharCode(v));
    return out;
  }
  return undefined;
}
