/**
 * `kubectl set env` (k8s.io/kubectl/pkg/cmd/set/set_env.go, with set/env/env_parse.go and
 * env_resolve.go, and set/helper.go updateEnv): sets (`KEY=VAL`, `-e KEY=VAL`, `-e -` from stdin)
 * and removes (`KEY-`) environment variables in the containers a `-c` wildcard selects, imports
 * the keys of a ConfigMap or Secret (`--from`, `--keys`, `--prefix`) as references, and lists the
 * environment (`--list`, `--resolve`); prints `<type>/<name> env updated`.
 */
import type { KObject } from "../../api/types.ts";
import type { Container, EnvVar, EnvVarSource } from "../../api/types.gen.ts";
import { IsEnvVarName } from "../../api/validation/names.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { renderError } from "../errors.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { goTypeName, podSpecOf, runSetPatches, selectContainers, SET_FLAGS, setTargets, type SetTarget } from "./sethelper.ts";

/** IsEnvironmentArgument: `anything=anything`. */
function isEnvironmentArgument(s: string): boolean {
  return /^[\s\S]+=[\s\S]*$/.test(s);
}

/** SplitEnvironmentFromResources: resources first, then KEY=VAL / KEY- arguments; undefined when they are mixed. */
export function splitEnvironmentFromResources(args: string[]): { resources: string[]; envArgs: string[] } | undefined {
  const resources: string[] = [];
  const envArgs: string[] = [];
  let first = true;
  for (const s of args) {
    const isEnv = isEnvironmentArgument(s) || s.endsWith("-");
    if (isEnv) {
      first = false;
      envArgs.push(s);
    } else if (first) resources.push(s);
    else return undefined;
  }
  return { resources, envArgs };
}

/** readEnv: `KEY=VAL` lines of stdin, `#` starting a comment. */
function readEnv(text: string): EnvVar[] {
  const env: EnvVar[] = [];
  for (let line of text.split("\n")) {
    const hash = line.indexOf("#");
    if (hash >= 0) line = line.slice(0, hash);
    const eq = line.indexOf("=");
    if (eq >= 0) env.push({ name: line.slice(0, eq), value: line.slice(eq + 1) });
  }
  return env;
}

/** ParseEnv: the variables to set and the names to remove. */
export function parseEnv(spec: string[], stdin: string | undefined): { env: EnvVar[]; remove: string[] } {
  const env: EnvVar[] = [];
  const exists = new Set<string>();
  const remove: string[] = [];
  for (const s of spec) {
    if (s === "-") {
      if (stdin === undefined) throw new KubectlError("when '-' is used, STDIN must be open");
      env.push(...readEnv(stdin));
    } else if (s.includes("=")) {
      const eq = s.indexOf("=");
      const name = s.slice(0, eq);
      const errs = IsEnvVarName(name);
      if (errs.length) throw new KubectlError(`${JSON.stringify(name)} is not a valid key name: ${errs.join(";")}`);
      exists.add(name);
      env.push({ name, value: s.slice(eq + 1) });
    } else if (s.endsWith("-")) {
      remove.push(s.slice(0, -1));
    } else {
      throw new KubectlError(`unknown environment variable: ${s}`);
    }
  }
  if (remove.some((r) => exists.has(r))) throw new KubectlError("can not both modify and remove the same environment variable in the same command");
  return { env, remove };
}

/** updateEnv: existing variables in place (replaced when set again, dropped when removed), new ones appended. */
export function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const out: EnvVar[] = [];
  const covered = new Set(remove);
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((n) => n.name === e.name);
    if (newer) {
      covered.add(e.name);
      out.push(newer);
      continue;
    }
    out.push(e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(e);
  }
  return out;
}

/** GetEnvVarRefString: how `--list` names a reference. */
export function envVarRefString(from: EnvVarSource): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name ?? ""}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name ?? ""}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef) return `resource field ${from.resourceFieldRef.containerName ? from.resourceFieldRef.containerName + "/" : ""}${from.resourceFieldRef.resource}`;
  return "invalid valueFrom";
}

/** keyToEnvName: characters outside [A-Za-z0-9_] become `_`, upper-cased. */
export function keyToEnvName(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, "_").toUpperCase();
}

/** The variables `--from=configmap/x|secret/x` imports: one reference per key (keys sorted; kubectl ranges over a Go map). */
function envFrom(inv: Invocation, from: string, keys: string[]): EnvVar[] {
  const found = fetch(inv, selectionsFromArgs(inv, [from]), { namespace: inv.namespace, labelSelector: inv.flags.selector || undefined });
  if (found.errors.length) throw found.errors[0];
  const env: EnvVar[] = [];
  for (const { obj } of found.items) {
    if (obj.kind !== "ConfigMap" && obj.kind !== "Secret") throw new KubectlError("unsupported resource specified in --from");
    for (const key of Object.keys(obj.data ?? {}).sort()) {
      if (keys.length && !keys.includes(key)) continue;
      const ref = { name: obj.metadata.name!, key };
      env.push({ name: keyToEnvName(key), valueFrom: obj.kind === "Secret" ? { secretKeyRef: ref } : { configMapKeyRef: ref } });
    }
  }
  return env;
}

/** GetEnvVarRefValue for the references `--resolve` can read here: ConfigMap and Secret keys. */
function resolveRef(inv: Invocation, ns: string | undefined, from: EnvVarSource): string {
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) throw new Error("unsupported");
  const kind = from.configMapKeyRef ? "ConfigMap" : "Secret";
  const obj = inv.ctx.api.get(kind, ns, ref.name ?? "");
  if (!obj) throw new Error(`${kind === "ConfigMap" ? "configmaps" : "secrets"} ${JSON.stringify(ref.name ?? "")} not found`);
  const value: string | undefined = obj.data?.[ref.key];
  if (value === undefined) throw new Error(`key ${ref.key} not found in ${kind === "ConfigMap" ? "config map" : "secret"} ${ref.name}`);
  return kind === "Secret" ? Buffer.from(value, "base64").toString("utf8") : value;
}

function runSetEnv(inv: Invocation): number {
  const f = inv.flags;
  if (f.all && f.selector) throw new KubectlError("cannot set --all and --selector at the same time");
  const split = splitEnvironmentFromResources(inv.args);
  if (!split) throw new KubectlError(`all resources must be specified before environment changes: ${inv.args.join(" ")}`);
  if (f.local && (f.filename ?? []).length === 0 && split.resources.length === 0) {
    throw new KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  }
  if ((f.filename ?? []).length === 0 && split.resources.length < 1) throw new KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  if (f.list && f.output) throw new KubectlError("--list and --output may not be specified together");
  const keys: string[] = (f.keys ?? []).flatMap((k: string) => k.split(","));
  if (keys.length && !f.from) throw new KubectlError("when specifying --keys, a configmap or secret must be provided with --from");
  const { env, remove } = parseEnv([...(f.env ?? []), ...split.envArgs], inv.ctx.stdin);
  if (f.from) env.push(...envFrom(inv, String(f.from), keys));
  if (f.prefix) for (const e of env) e.name = `${f.prefix}${e.name}`;
  const targets = setTargets(inv, split.resources);
  const selector = String(f.containers ?? "*");
  const failures: string[] = [];
  const listed: string[] = [];
  const change = (obj: KObject, t: SetTarget) => {
    const spec = podSpecOf(obj);
    // UpdatePodSpecForObject's error, as CalculatePatches reports it.
    if (!spec) throw new KubectlError(`the object is not a pod or does not have a pod template: ${goTypeName(t.r)}`);
    const containers = selectContainers(spec, selector);
    if (containers.length === 0) {
      inv.err(`warning: ${obj.kind}/${obj.metadata.name} does not have any containers matching ${JSON.stringify(selector)}`);
      return;
    }
    for (const c of containers) {
      if (!f.overwrite) {
        for (const e of env) {
          const current = (c.env ?? []).find((x) => x.name === e.name);
          if (current && (current.value ?? "") !== (e.value ?? "")) throw new KubectlError(`'${current.name}' already has a value (${current.value ?? ""}), and --overwrite is false`);
        }
      }
      setEnv(c, updateEnv(c.env ?? [], env, remove));
      if (f.list) listed.push(...listing(inv, obj, c));
    }
  };
  if (f.list) {
    // --list prints the environment (after the changes asked for) and changes nothing; RunEnv
    // returns before it reports the objects' errors (a kind without a pod template lists nothing).
    if (targets.errors.length) {
      for (const e of targets.errors) inv.err(renderError(e));
      return 1;
    }
    for (const t of targets.items) {
      try {
        change(structuredClone(t.obj), t);
      } catch (e) {
        if (!(e instanceof KubectlError)) throw e;
      }
    }
    if (listed.length) inv.write!(listed.join(""));
    return 0;
  }
  return runSetPatches(inv, targets, "env updated", "failed to patch env update to pod template: ", change, failures);
}

/** The container's env as the API serialises it: an empty list is omitted (omitempty). */
function setEnv(c: Container, env: EnvVar[]): void {
  if (env.length) c.env = env;
  else delete c.env;
}

/** `--list`: `# Kind name, container c`, then `NAME=value` or `# NAME from <reference>` lines. */
function listing(inv: Invocation, obj: KObject, c: Container): string[] {
  const lines = [`# ${obj.kind} ${obj.metadata.name}, container ${c.name}\n`];
  const errors = new Map<string, string[]>();
  for (const e of c.env ?? []) {
    if (!e.valueFrom) {
      lines.push(`${e.name}=${e.value ?? ""}\n`);
      continue;
    }
    if (!inv.flags.resolve) {
      lines.push(`# ${e.name} from ${envVarRefString(e.valueFrom)}\n`);
      continue;
    }
    try {
      lines.push(`${e.name}=${resolveRef(inv, obj.metadata.namespace, e.valueFrom)}\n`);
    } catch (err) {
      lines.push(`# ${e.name} from ${envVarRefString(e.valueFrom)}\n`);
      const msg = (err as Error).message;
      if (msg !== "unsupported") errors.set(msg, [...(errors.get(msg) ?? []), e.name]);
    }
  }
  const errs = [...errors].map(([msg, vars]) => `error retrieving reference for ${vars.sort().join(", ")}: ${msg}`).sort();
  for (const e of errs) inv.err(e);
  return lines;
}

export const setEnvCommand: CommandDef = {
  path: ["set", "env"],
  flags: [
    ...SET_FLAGS,
    { long: "containers", short: "c", type: "string", default: "*" },
    { long: "from", type: "string" },
    { long: "prefix", type: "string" },
    { long: "env", short: "e", type: "stringArray" },
    { long: "keys", type: "stringArray" },
    { long: "list", type: "bool" },
    { long: "resolve", type: "bool" },
    { long: "overwrite", type: "bool", default: true },
  ],
  run: runSetEnv,
};
