/**
 * The syntax tree of the POSIX sh subset the simulated busybox `sh` understands, and the bash
 * indexed arrays a `bash` parses (`a=(x y)`, `${a[i]}`).
 */

export type WordPart =
  /** Literal text; `quoted` parts are neither field-split nor globbed, and never reserved words. */
  | { t: "lit"; v: string; quoted: boolean }
  /**
   * `$x`, `${x}`, `${x:-w}`, `${#x}`, `${x%pat}` …; bash's `${a[i]}`, `${a[@]}`, `${#a[@]}` carry
   * the subscript (`@`/`*`, or the arithmetic index's word).
   */
  | { t: "param"; name: string; op?: ParamOp; arg?: Word; quoted: boolean; index?: Word | "@" | "*"; bad?: string }
  /** `$(list)` or a backquoted command. */
  | { t: "cmdsub"; body: ListNode; quoted: boolean }
  /** `$((expr))`: the expression text is expanded like a double-quoted word, then evaluated. */
  | { t: "arith"; expr: Word; quoted: boolean };

export type ParamOp = "-" | ":-" | "=" | ":=" | "+" | ":+" | "?" | ":?" | "#" | "##" | "%" | "%%" | "len";

export interface Word {
  parts: WordPart[];
  /** The source text, for messages and reserved-word checks. */
  raw: string;
}

/** `NAME=value`, or bash's `NAME=(word …)` (an indexed array: `array` holds its words). */
export interface Assignment {
  name: string;
  value: Word;
  array?: Word[];
}

export type RedirOp = ">" | ">>" | ">|" | "<" | "<>" | ">&" | "<&" | "<<" | "<<-" | "<<<" | "&>" | "&>>";

export interface Redir {
  /** The file descriptor redirected (default 1 for output, 0 for input). */
  fd: number;
  op: RedirOp;
  /** The file name, fd number, or here-document delimiter. */
  target: Word;
  /** Here-document body: raw text, and whether it undergoes expansion (unquoted delimiter). */
  heredoc?: { body: string; expand: boolean };
}

export type CommandNode =
  | { t: "simple"; assigns: Assignment[]; words: Word[]; redirs: Redir[]; line: number }
  | { t: "pipeline"; bang: boolean; cmds: CommandNode[] }
  | { t: "andor"; first: CommandNode; rest: Array<{ op: "&&" | "||"; cmd: CommandNode }> }
  | { t: "subshell"; body: ListNode; redirs: Redir[] }
  | { t: "group"; body: ListNode; redirs: Redir[] }
  | { t: "if"; clauses: Array<{ cond: ListNode; body: ListNode }>; elseBody?: ListNode; redirs: Redir[] }
  | { t: "loop"; until: boolean; cond: ListNode; body: ListNode; redirs: Redir[] }
  | { t: "for"; name: string; words?: Word[]; body: ListNode; redirs: Redir[] }
  | { t: "case"; word: Word; items: Array<{ patterns: Word[]; body?: ListNode }>; redirs: Redir[] }
  | { t: "func"; name: string; body: CommandNode }
  /** bash's `[[ expression ]]`. */
  | { t: "cond"; expr: CondExpr; redirs: Redir[]; line: number }
  /** bash's `(( expression ))`: the expression text, expanded like a double-quoted word, then evaluated. */
  | { t: "arithcmd"; expr: Word; redirs: Redir[]; line: number }
  /** bash's `for (( init; cond; step ))`: each part an arithmetic expression (an empty cond is true). */
  | { t: "cfor"; init: Word; cond: Word; step: Word; body: ListNode; redirs: Redir[]; line: number };

/**
 * The expression of bash's `[[ … ]]` (bash's parse.y cond_term): `!` inverts a term, `( )` groups,
 * `&&` binds tighter than `||`; a lone word is `-n word`. Words are expanded without field splitting
 * or pathname expansion; the right side of `==`/`!=` is a pattern, of `=~` an extended regular expression.
 */
export type CondExpr =
  | { t: "and" | "or"; l: CondExpr; r: CondExpr }
  | { t: "not"; e: CondExpr }
  | { t: "unary"; op: string; arg: Word }
  | { t: "binary"; op: string; l: Word; r: Word };

export interface ListNode {
  t: "list";
  items: Array<{ cmd: CommandNode; background: boolean }>;
}
