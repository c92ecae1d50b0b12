/**
 * `$(VAR)` expansion as the kubelet does it: a port of third_party/forked/golang/expansion/expand.go
 * (Expand, MappingFuncFor) and of pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs and
 * ExpandContainerVolumeMounts (`subPathExpr`).
 *
 * - `$(NAME)` becomes the value of NAME when a context defines it, else stays as written;
 * - `$$` is an escaped `$` (so `$$(NAME)` gives `$(NAME)`);
 * - any other `$` is kept with the character after it; an unterminated `$(` is kept.
 */

/** Looks a name up in each context in turn; an unknown name stays `$(name)`. */
export function mappingFuncFor(...contexts: Array<ReadonlyMap<string, string> | Readonly<Record<string, string>>>): (name: string) => string {
  return (name) => {
    for (const vars of contexts) {
      if (vars instanceof Map) {
        const v = vars.get(name);
        if (v !== undefined) return v;
      } else if (Object.prototype.hasOwnProperty.call(vars, name)) {
        return (vars as Record<string, string>)[name]!;
      }
    }
    return `$(${name})`;
  };
}

/** tryReadVariableName: what follows a `$` (the `$` itself excluded). */
function tryReadVariableName(input: string): { read: string; isVar: boolean; advance: number } {
  switch (input[0]) {
    case "$":
      // Escaped operator.
      return { read: "$", isVar: false, advance: 1 };
    case "(":
      for (let i = 1; i < input.length; i++) {
        if (input[i] === ")") return { read: input.slice(1, i), isVar: true, advance: i + 1 };
      }
      // Incomplete reference: kept as written.
      return { read: "$(", isVar: false, advance: 1 };
    default:
      // Not an expression: the operator and the character after it.
      return { read: "$" + input[0], isVar: false, advance: 1 };
  }
}

/** Expand: replaces the references in `input` through `mapping`. */
export function expand(input: string, mapping: (name: string) => string): string {
  if (!input.includes("$")) return input;
  let out = "";
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === "$" && cursor + 1 < input.length) {
      out += input.slice(checkpoint, cursor);
      const r = tryReadVariableName(input.slice(cursor + 1));
      out += r.isVar ? mapping(r.read) : r.read;
      cursor += r.advance;
      checkpoint = cursor + 1;
    }
  }
  return out + input.slice(checkpoint);
}

/** ExpandContainerCommandAndArgs: `command` and `args` with `$(VAR)` replaced from the container's final environment. */
export function expandContainerCommandAndArgs(
  container: { command?: string[]; args?: string[] },
  envs: ReadonlyArray<readonly [string, string]>,
): { command?: string[]; args?: string[] } {
  const out: { command?: string[]; args?: string[] } = {};
  // Nothing to expand: no map of the environment (hundreds of service variables) is built.
  if (!container.command?.length && !container.args?.length) return out;
  const mapping = mappingFuncFor(new Map(envs));
  if (container.command?.length) out.command = container.command.map((c) => expand(String(c), mapping));
  if (container.args?.length) out.args = container.args.map((a) => expand(String(a), mapping));
  return out;
}

/**
 * ExpandContainerVolumeMounts: a mount's `subPathExpr` with `$(VAR)` replaced from the container's
 * environment; a reference to a variable that is unset or empty is an error
 * (`missing value for A, B`, names sorted), and so is an absolute result or one with `..`
 * (makeMounts' checks).
 */
export function expandSubPathExpr(expr: string, envs: ReadonlyArray<readonly [string, string]>): string | Error {
  const env = new Map(envs);
  const missing = new Set<string>();
  const expanded = expand(expr, (key) => {
    const v = env.get(key);
    if (!v) missing.add(key);
    return v ?? "";
  });
  if (missing.size) return new Error(`missing value for ${[...missing].sort().join(", ")}`);
  if (expanded.startsWith("/")) return new Error(`error SubPath \`${expanded}\` must not be an absolute path`);
  if (expanded.split("/").includes("..")) return new Error(`unable to provision SubPath \`${expanded}\`: must not contain '..'`);
  return expanded;
}
