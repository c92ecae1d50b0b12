/**
 * Shell pattern matching (`case`, `${x#pat}`) and pathname expansion over a Vfs.
 * Patterns use `\` to quote a character (the expander escapes quoted text that way).
 */
import type { Vfs } from "../types.ts";
import { resolvePath } from "../vfs.ts";

/** Whether a pattern has an unescaped `*`, `?` or a `[…]` bracket expression (a lone `[` is literal). */
export function hasGlobChars(pat: string): boolean {
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === "\\") i++;
    else if (c === "*" || c === "?") return true;
    else if (c === "[" && findBracketEnd(pat, i) > 0) return true;
  }
  return false;
}

/** Translates a shell pattern to an anchored RegExp. */
export function globToRegExp(pat: string): RegExp {
  let re = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === "\\") {
      const n = pat[++i];
      if (n !== undefined) re += escapeRe(n);
      else re += "\\\\";
    } else if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = findBracketEnd(pat, i);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let body = pat.slice(i + 1, end);
      let neg = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        neg = true;
        body = body.slice(1);
      }
      body = body.replace(/\[:(alpha|digit|alnum|upper|lower|space|punct|xdigit):\]/g, (_m, cls: string) => POSIX_CLASSES[cls] ?? "");
      re += `[${neg ? "^" : ""}${body.replace(/\\(?![\]\\^-])/g, "\\\\").replace(/^\]/, "\\]")}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return new RegExp(`^${escapeRe(pat)}$`);
  }
}

/** POSIX bracket classes (`[[:alpha:]]`) as JavaScript character-class ranges, for globs and `[[ =~ ]]`. */
export const POSIX_CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  cntrl: "\\x00-\\x1f\\x7f",
  print: " -~",
  graph: "!-~",
  word: "A-Za-z0-9_",
};

function findBracketEnd(pat: string, start: number): number {
  let i = start + 1;
  if (pat[i] === "!" || pat[i] === "^") i++;
  if (pat[i] === "]") i++;
  for (; i < pat.length; i++) {
    if (pat[i] === "[" && pat[i + 1] === ":") {
      const e = pat.indexOf(":]", i + 2);
      if (e > 0) i = e + 1;
    } else if (pat[i] === "]") return i;
  }
  return -1;
}

/** Escapes a regular expression's special characters. */
export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export function globMatch(pat: string, s: string): boolean {
  return globToRegExp(pat).test(s);
}

function unescape(pat: string): string {
  return pat.replace(/\\(.)/g, "$1");
}

/** Pathname expansion: the sorted matching paths, or [] when nothing matches. */
export function expandGlob(fs: Vfs, cwd: string, pat: string, dotglob = false): string[] {
  const absolute = pat.startsWith("/");
  const segs = pat.split("/").filter((s, i) => s !== "" || i === 0);
  let bases: string[] = [absolute ? "/" : ""];
  if (absolute) segs.shift();
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      const dir = resolvePath(cwd, base || ".");
      if (!hasGlobChars(seg)) {
        const p = join(base, unescape(seg));
        const st = fs.stat(resolvePath(cwd, p));
        if (st && (last || st.type === "dir")) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = fs.readdir(dir);
      } catch {
        continue;
      }
      const re = globToRegExp(seg);
      for (const n of names) {
        if (n.startsWith(".") && !seg.startsWith(".") && (!dotglob || n === "." || n === "..")) continue;
        if (!re.test(n)) continue;
        const p = join(base, n);
        if (!last && fs.stat(resolvePath(cwd, p))?.type !== "dir") continue;
        next.push(p);
      }
    }
    bases = next;
    if (bases.length === 0) return [];
  }
  return bases.sort();
}

function join(base: string, name: string): string {
  if (base === "") return name;
  if (base.endsWith("/")) return base + name;
  return `${base}/${name}`;
}
