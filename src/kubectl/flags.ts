/**
 * Command-line flags as kubectl parses them (cobra over spf13/pflag): flags anywhere among the
 * arguments, `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, grouped boolean
 * shorthands (`-it`), `--` ending flag parsing, and pflag's own error texts.
 */
export type FlagType = "bool" | "string" | "int" | "stringArray" | "stringSlice" | "duration";

export interface FlagSpec {
  long: string;
  short?: string;
  type: FlagType;
  default?: unknown;
  /** For bool flags: value when given without `=`. Always true in pflag. */
  help?: string;
  /** pflag's NoOptDefVal: the value of `--flag` given without `=value` (it then takes no argument). */
  noOptDefault?: string;
}

export class FlagError extends Error {}

/**
 * Parsed flag values by long name. A value's type follows its FlagSpec.type, known only at run time
 * (bool → boolean, int → number, string/duration → string, stringArray/stringSlice → string[]), and
 * commands read them by name as cobra's GetBool/GetString do.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: ~100 reads by name across the commands; typed per-command accessors are a follow-up
export type FlagValues = Record<string, any>;

export interface ParsedArgs {
  args: string[];
  /** Values by long name, defaults filled in. */
  flags: FlagValues;
  /** Long names the user gave explicitly. */
  set: Set<string>;
  /** Arguments after `--`, and their position among args (cobra's ArgsLenAtDash). */
  dashIndex: number;
}

/** The lookup tables of a command's flag list and the maker of its defaults, built once per list (a command's list never changes). */
const LOOKUPS = new WeakMap<FlagSpec[], { byLong: Map<string, FlagSpec>; byShort: Map<string, FlagSpec>; defaults: () => FlagValues }>();

function defaultOf(s: FlagSpec): unknown {
  return s.default ?? (s.type === "bool" ? false : s.type === "stringArray" || s.type === "stringSlice" ? undefined : s.type === "int" ? 0 : "");
}

/**
 * A function returning a new object of a flag list's defaults, keys in the list's order (a name
 * listed twice keeps its first place and its last default), a fresh empty array for each list flag.
 * It is an object literal compiled once per list: V8 makes such an object from its boilerplate in a
 * fraction of a microsecond, where adding ~100 properties one by one to `{}` cost ~10 µs per kubectl
 * command, and the result keeps fast properties (docs/performance.md, branch suite19). The names
 * are written with JSON.stringify; a list naming `__proto__` (which a literal would take as the
 * prototype) gets the same object built property by property.
 */
function defaultsMaker(specs: FlagSpec[]): () => FlagValues {
  const values = specs.map(defaultOf);
  if (specs.some((s) => s.long === "__proto__")) {
    return () => {
      const flags: FlagValues = {};
      for (let i = 0; i < specs.length; i++) flags[specs[i]!.long] = values[i] === undefined ? [] : values[i];
      return flags;
    };
  }
  const body = specs.map((s, i) => `${JSON.stringify(s.long)}: ${values[i] === undefined ? "[]" : `D[${i}]`}`).join(",\n");
  return new Function("D", `return () => ({\n${body}\n});`)(values) as () => FlagValues;
}

export function parseFlags(argv: string[], specs: FlagSpec[]): ParsedArgs {
  let lookup = LOOKUPS.get(specs);
  if (!lookup) {
    lookup = {
      byLong: new Map(specs.map((s) => [s.long, s])),
      byShort: new Map(specs.filter((s) => s.short).map((s) => [s.short!, s])),
      defaults: defaultsMaker(specs),
    };
    LOOKUPS.set(specs, lookup);
  }
  const { byLong, byShort } = lookup;
  const flags = lookup.defaults();
  const set = new Set<string>();
  const args: string[] = [];
  let dashIndex = -1;

  const assign = (spec: FlagSpec, raw: string, display: string) => {
    const again = set.has(spec.long);
    set.add(spec.long);
    switch (spec.type) {
      case "bool": {
        const v = parseBool(raw);
        if (v === undefined) throw new FlagError(`invalid argument ${JSON.stringify(raw)} for ${JSON.stringify(display)} flag: strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
        flags[spec.long] = v;
        break;
      }
      case "int": {
        if (!/^[+-]?\d+$/.test(raw)) throw new FlagError(`invalid argument ${JSON.stringify(raw)} for ${JSON.stringify(display)} flag: strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
        flags[spec.long] = Number(raw);
        break;
      }
      case "stringArray":
        flags[spec.long] = [...(again ? flags[spec.long] : []), raw];
        break;
      case "stringSlice":
        // pflag's StringSlice: each value is a line of CSV, its fields appended.
        flags[spec.long] = [...(again ? flags[spec.long] : []), ...readAsCSV(raw, display)];
        break;
      default:
        flags[spec.long] = raw;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      dashIndex = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byLong.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      const display = `--${name}`;
      if (eq >= 0) assign(spec, a.slice(eq + 1), display);
      else if (spec.type === "bool") assign(spec, "true", display);
      else if (spec.noOptDefault !== undefined) assign(spec, spec.noOptDefault, display);
      else {
        if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
        assign(spec, argv[++i], display);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1 && a !== "-") {
      const chars = a.slice(1);
      for (let j = 0; j < chars.length; j++) {
        const c = chars[j];
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in -${chars}`);
        const display = `-${c}, --${spec.long}`;
        if (spec.type === "bool") {
          if (chars[j + 1] === "=") {
            assign(spec, chars.slice(j + 2), display);
            break;
          }
          assign(spec, "true", display);
          continue;
        }
        let rest = chars.slice(j + 1);
        if (rest.startsWith("=")) rest = rest.slice(1);
        if (rest.length > 0) assign(spec, rest, display);
        else {
          if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${c}' in -${chars}`);
          assign(spec, argv[++i], display);
        }
        break;
      }
      continue;
    }
    args.push(a);
  }
  return { args, flags, set, dashIndex };
}

function parseBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** kubectl's global flags, accepted by every command. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { long: "namespace", short: "n", type: "string" },
  { long: "kubeconfig", type: "string" },
  { long: "context", type: "string" },
  { long: "cluster", type: "string" },
  { long: "user", type: "string" },
  { long: "server", short: "s", type: "string" },
  { long: "request-timeout", type: "string", default: "0" },
  { long: "v", short: "v", type: "string", default: "0" },
  { long: "as", type: "string" },
  { long: "as-group", type: "stringArray" },
  { long: "as-uid", type: "string" },
  { long: "insecure-skip-tls-verify", type: "bool" },
  { long: "match-server-version", type: "bool" },
  { long: "warnings-as-errors", type: "bool" },
];

/** encoding/csv's reading of one line, as pflag's StringSlice does: commas separate, double quotes quote. */
export function readAsCSV(value: string, display: string): string[] {
  if (value === "") return [];
  const out: string[] = [];
  let field = "";
  let i = 0;
  while (i <= value.length) {
    if (value[i] === '"' && field === "") {
      i++;
      for (;;) {
        if (i >= value.length) throw new FlagError(`invalid argument ${JSON.stringify(value)} for ${JSON.stringify(display)} flag: parse error on line 1, column ${value.length + 1}: extraneous or missing " in quoted-field`);
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += value[i++];
      }
      if (i < value.length && value[i] !== ",") throw new FlagError(`invalid argument ${JSON.stringify(value)} for ${JSON.stringify(display)} flag: parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
    } else {
      while (i < value.length && value[i] !== ",") field += value[i++];
    }
    out.push(field);
    field = "";
    i++;
  }
  return out;
}
