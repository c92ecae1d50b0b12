/**
 * Command-line flags as Go's `flag` and cobra/pflag packages read them: `-name value`,
 * `-name=value`, `--name value`, `--name=value`; a boolean flag takes no value unless written
 * `--name=false`. Unknown flags are kept so a program can refuse them as the real one does.
 */
export interface GoFlags {
  values: Map<string, string>;
  positional: string[];
  unknown: string[];
}

export function parseGoFlags(args: string[], known: { bool?: string[]; value?: string[] }): GoFlags {
  const bool = new Set(known.bool ?? []);
  const value = new Set(known.value ?? []);
  const out: GoFlags = { values: new Map(), positional: [], unknown: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      out.positional.push(a);
      continue;
    }
    const body = a.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (bool.has(name)) out.values.set(name, eq >= 0 ? body.slice(eq + 1) : "true");
    else if (value.has(name)) {
      const v = eq >= 0 ? body.slice(eq + 1) : args[++i];
      if (v !== undefined) out.values.set(name, v);
      else out.unknown.push(a);
    } else out.unknown.push(a);
  }
  return out;
}

/** A flag as an integer, or the default. */
export function intFlag(f: GoFlags, name: string, dflt: number): number {
  const v = f.values.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  return Number.isInteger(n) ? n : dflt;
}

/** glog's (and klog's) line prefix: `I0108 00:00:02.000000       1 main.go:26] ` (the process id padded to 7; 1 for a container's PID 1). */
export function glogPrefix(ms: number, level: "I" | "W" | "E" | "F", where: string, pid = 1): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const micros = String(d.getUTCMilliseconds() * 1000).padStart(6, "0");
  return `${level}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${micros} ${String(pid).padStart(7)} ${where}] `;
}

/** Go's log package: `2024/01/08 00:00:02 `. */
export function goLogPrefix(ms: number): string {
  return new Date(ms).toISOString().replace(/-/g, "/").replace("T", " ").slice(0, 19) + " ";
}
