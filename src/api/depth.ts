/**
 * How deep a request's body may nest. kube-apiserver decodes JSON up to 10000 levels (Go's
 * encoding/json maxNestingDepth; go-yaml's max depth is 10000 too) on goroutine stacks that grow as
 * needed. The simulation walks objects with recursive JavaScript (the YAML composer, pruning,
 * defaulting, the field manager, patches, conversion), whose call stack overflows a few thousand
 * levels down; an overflow that lands in V8's regular-expression compiler is not even an
 * exception but a fatal "out of memory" that ends the process (a 12 KB body nested 2000 levels
 * killed `serve`, and 9000 levels held the event loop for 12 s before failing). So the facade
 * refuses, before anything parses it, a body nested deeper than MAX_BODY_DEPTH (far above any real
 * manifest: the install manifests and CRDs of the project nest at most a few dozen levels), and a
 * JSON patch whose result would nest deeper (a patch can add below what is already deep). The
 * measures here are iterative and stop at the limit. Recorded in docs/divergences.md.
 */
import { Lexer, Parser } from "yaml";
import { ApiError } from "./errors.ts";
import { checkValid } from "./jsonscanner.ts";

export const MAX_BODY_DEPTH = 256;

/** The refusal of a body or an object nested deeper than the limit (400). */
export function tooDeep(what: string): ApiError {
  return new ApiError(
    "BadRequest",
    `${what} nests more than ${MAX_BODY_DEPTH} levels deep: the simulated API server refuses it (kube-apiserver decodes up to 10000 levels; the simulation's JavaScript call stack cannot follow that far)`,
  );
}

/**
 * The nesting depth of JSON text (objects and arrays), counting outside strings, or `limit + 1` as
 * soon as it passes `limit`. Malformed text is measured as far as it goes (its decoder reports it).
 */
export function jsonDepth(text: string, limit = MAX_BODY_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if ((c === 0x7d || c === 0x5d) && depth > 0) depth--;
  }
  return max;
}

/**
 * The nesting depth of YAML text as the YAML parser's own stack holds it (the `yaml` package's CST
 * parser is iterative; its composer, which builds the values, recurses as deep as this), or
 * `limit + 1` as soon as it passes `limit`. Text that looks like JSON (what kubectl sends, even as
 * application/apply-patch+yaml) is measured as JSON, which is much cheaper.
 */
export function yamlDepth(text: string, limit = MAX_BODY_DEPTH): number {
  const start = /^\s*(.)/.exec(text)?.[1];
  if (start === "{" || start === "[") {
    const d = jsonDepth(text, limit);
    // Valid JSON is YAML whose nesting is its brackets'.
    if (d > limit || checkValid(text) === undefined) return d;
  }
  const parser = new Parser();
  let max = 0;
  for (const lexeme of new Lexer().lex(text)) {
    for (const _ of parser.next(lexeme)) {
      // (the documents are not needed, only how deep the parser's stack goes)
    }
    if (parser.stack.length > max) {
      max = parser.stack.length;
      if (max > limit) return max;
    }
  }
  return max;
}

/** The nesting depth of a decoded value (objects and arrays), iteratively, or `limit + 1` past `limit`. */
export function valueDepth(value: unknown, limit = MAX_BODY_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) if (child !== null && typeof child === "object") stack.push([child, d + 1]);
  }
  return max;
}

/** Throws the 400 when a request body of this media type nests deeper than the limit. */
export function checkBodyDepth(body: string, mediaType: string): void {
  // Each level takes a character at least.
  if (body.length <= MAX_BODY_DEPTH) return;
  const yaml = mediaType === "application/yaml" || mediaType === "application/apply-patch+yaml";
  if ((yaml ? yamlDepth(body) : jsonDepth(body)) > MAX_BODY_DEPTH) throw tooDeep("the body of the request");
}
