/**
 * `kubectl wait` (k8s.io/kubectl/pkg/cmd/wait: wait.go, condition.go, delete.go, json.go,
 * create.go): waits until every selected object has a status condition (`--for=condition=X[=v]`),
 * a JSONPath value (`--for=jsonpath='{...}'[=v]`), is deleted (`--for=delete`) or exists
 * (`--for=create`), and prints `<type>/<name> condition met` for each.
 *
 * kubectl watches each object in turn under one deadline (`--timeout`, default 30s; 0 checks once;
 * negative means a week). Here simulated time runs forward while it waits (`waitUntil`), and the
 * objects are read from the API server at each instant something happened. `--for=create` polls
 * every 500 ms, as kubectl does.
 */
import { ApiError } from "../../api/errors.ts";
import { notFound } from "../../api/store.ts";
import type { ResourceType } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { KObject } from "../../api/types.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { JSONPath, JSONPathError, relaxedJSONPathExpression } from "../jsonpath.ts";
import { goV, OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { fetch, selectionsFromArgs, selectionsFromFiles } from "./builder.ts";
import { parseGoDuration, waitUntil } from "./wait.ts";

/** What `--for` asks: a check of the object as read now (true: met; throws: the wait fails). */
export type WaitCondition =
  | { kind: "delete" }
  | { kind: "create" }
  | { kind: "condition"; name: string; status: string }
  | { kind: "jsonpath"; parser: JSONPath; value: string | undefined };

/** splitJSONPathInput: split on single `=`; `==` stays inside an element. */
export function splitJSONPathInput(input: string): string[] {
  const out: string[] = [];
  let element = "";
  for (let i = 0; i < input.length; i++) {
    if (input[i] === "=") {
      if (i < input.length - 1 && input[i + 1] === "=") {
        element += "==";
        i++;
        continue;
      }
      out.push(element);
      element = "";
      continue;
    }
    element += input[i];
  }
  out.push(element);
  return out;
}

/** conditionFuncFor: the `--for` value parsed, with kubectl's errors. */
export function conditionFor(spec: string): WaitCondition {
  if (spec.toLowerCase() === "delete") return { kind: "delete" };
  if (spec.toLowerCase() === "create") return { kind: "create" };
  if (spec.startsWith("condition=")) {
    let name = spec.slice("condition=".length);
    let status = "true";
    const eq = name.indexOf("=");
    if (eq !== -1) {
      status = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    return { kind: "condition", name, status };
  }
  if (spec.startsWith("jsonpath=")) {
    const parts = splitJSONPathInput(spec.slice("jsonpath=".length));
    if (parts.length < 1 || parts.length > 2) {
      throw new KubectlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'");
    }
    let expression: string;
    try {
      expression = relaxedJSONPathExpression(parts[0]!);
    } catch (e) {
      if (e instanceof JSONPathError) throw new KubectlError(e.message);
      throw e;
    }
    let value: string | undefined;
    if (parts.length === 2) {
      value = parts[1]!.replace(/^['"]+|['"]+$/g, "");
      if (value === "") throw new KubectlError("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3");
    }
    if (expression === "") throw new KubectlError("jsonpath expression cannot be empty");
    let parser: JSONPath;
    try {
      parser = new JSONPath(expression);
    } catch (e) {
      if (e instanceof JSONPathError) throw new KubectlError(e.message);
      throw e;
    }
    return { kind: "jsonpath", parser, value };
  }
  throw new KubectlError(`unrecognized condition: ${JSON.stringify(spec)}`);
}

/** Unicode simple case folding, as strings.EqualFold compares. */
function equalFold(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/** ConditionalWait.checkCondition: the first condition of that type decides; a stale observedGeneration does not count. */
export function conditionMet(obj: KObject, name: string, status: string): boolean {
  const conditions: unknown = obj.status?.conditions;
  if (!Array.isArray(conditions)) return false;
  for (const c of conditions) {
    if (!c || typeof c !== "object") return false;
    const cond = c as Record<string, unknown>;
    if (typeof cond.type !== "string" || !equalFold(cond.type, name)) continue;
    if (typeof cond.status !== "string") continue;
    const generation = obj.metadata.generation;
    if (typeof generation === "number") {
      const observed = typeof cond.observedGeneration === "number" ? cond.observedGeneration : obj.status?.observedGeneration;
      if (typeof observed === "number" && observed < generation) return false;
    }
    return equalFold(cond.status, status);
  }
  return false;
}

/** JSONPathWait.checkCondition. */
export function jsonPathMet(obj: KObject, parser: JSONPath, value: string | undefined): boolean {
  const results = parser.findResults(obj);
  if (results.length === 0 || results[0]!.length === 0) return false;
  if (results.length > 1) throw new KubectlError("given jsonpath expression matches more than one list");
  if (results[0]!.length > 1) throw new KubectlError("given jsonpath expression matches more than one value");
  if (value === undefined) return true;
  const r = results[0]![0];
  if (r !== null && typeof r === "object") throw new KubectlError("jsonpath leads to a nested object or list which is not supported");
  return goV(r).trim() === value.trim();
}

interface Info {
  r: ResourceType;
  namespace: string | undefined;
  name: string;
  obj?: KObject;
  /** The builder's error for this name (NotFound): the visit fails here, unless waiting for deletion. */
  error?: ApiError;
}

function readNow(inv: Invocation, info: Info): KObject | undefined {
  const o = inv.ctx.api.get(info.r.key, info.namespace, info.name);
  return o ? convertFromStorage(o, info.r) : undefined;
}

/** The resource finder (ResourceBuilderFlags: -f, TYPE NAME / TYPE/NAME, -l, --field-selector, --all, -A, Latest). */
function find(inv: Invocation): { infos: Info[]; errors: ApiError[] } {
  const f = inv.flags;
  const infos: Info[] = [];
  const errors: ApiError[] = [];
  if ((f.filename ?? []).length) {
    for (const s of selectionsFromFiles(inv)) {
      const ns = s.r.namespaced ? s.namespace : undefined;
      const live = inv.ctx.api.get(s.r.key, ns, s.name);
      if (live) infos.push({ r: s.r, namespace: ns, name: s.name, obj: convertFromStorage(live, s.r) });
      else {
        const e = notFound(s.r, s.name);
        infos.push({ r: s.r, namespace: ns, name: s.name, error: e });
        errors.push(e);
      }
    }
  }
  if (inv.args.length) {
    const selections = selectionsFromArgs(inv, inv.args);
    if (!f.all && !f.selector && !f["field-selector"] && selections.some((s) => !s.names)) throw new KubectlError("resource(s) were provided, but no name was specified");
    // Visited in argument order: each name read in turn (a missing one fails the wait there).
    const opts = { namespace: inv.namespace, allNamespaces: f["all-namespaces"], labelSelector: f.selector || undefined, fieldSelector: f["field-selector"] || undefined };
    for (const s of selections) {
      for (const names of s.names ? s.names.map((n) => [n]) : [undefined]) {
        const found = fetch(inv, [{ r: s.r, names }], opts);
        for (const { r, obj } of found.items) infos.push({ r, namespace: obj.metadata.namespace, name: obj.metadata.name!, obj });
        for (const e of found.errors) {
          infos.push({ r: s.r, namespace: undefined, name: names?.[0] ?? "", error: e });
          errors.push(e);
        }
      }
    }
  }
  if (!inv.args.length && !(f.filename ?? []).length) {
    throw new KubectlError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      1,
      true,
    );
  }
  return { infos, errors };
}

/** The --timeout value: Go's duration, negative meaning a week. */
function timeoutOf(text: string): number {
  if (text.startsWith("-")) {
    parseGoDuration(text.slice(1));
    return 168 * 3_600_000;
  }
  return parseGoDuration(text.replace(/^\+/, ""));
}

function runWait(inv: Invocation): number {
  const f = inv.flags;
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: f.template ? String(f.template) : undefined }) : undefined;
  const timeout = timeoutOf(String(f.timeout ?? "30s"));
  const cond = conditionFor(String(f.for ?? ""));
  const clock = inv.ctx.clock;
  clock.settle();
  const deadline = clock.now() + timeout;
  const print = (info: Info, obj: KObject) => {
    if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: info.r, obj }], true));
    else inv.out(`${resourceName(info.r, info.name)} condition met`);
  };
  const timedOut = (info: Info) => new KubectlError(`timed out waiting for the condition on ${info.r.plural}/${info.name}`);

  if (cond.kind === "create") {
    // RunWait polls the resource finder every 500 ms until nothing it names is missing.
    for (;;) {
      const { errors } = find(inv);
      const missing = errors.find((e) => e.reason === "NotFound");
      if (!missing) break;
      if (timeout === 0 || clock.now() + 500 > deadline) {
        if (timeout > 0) waitUntil(inv.ctx, () => false, deadline - clock.now());
        throw new KubectlError("timed out waiting for the condition");
      }
      waitUntil(inv.ctx, () => false, 500);
    }
  }

  const { infos } = find(inv);
  if (infos.length === 0 && cond.kind !== "delete") throw new KubectlError("no matching resources found");
  for (const info of infos) {
    if (info.error) {
      if (cond.kind === "delete" && info.error.reason === "NotFound") continue; // IgnoreErrors(IsNotFound)
      throw info.error;
    }
    if (cond.kind === "create") {
      print(info, info.obj!);
      continue;
    }
    if (cond.kind === "delete") {
      const uid = info.obj?.metadata.uid;
      const gone = () => {
        const o = inv.ctx.api.get(info.r.key, info.namespace, info.name);
        return !o || o.metadata.uid !== uid;
      };
      if (gone()) {
        print(info, info.obj!);
        continue;
      }
      if (timeout === 0) throw new KubectlError(`condition not met for ${info.r.plural}/${info.name}`);
      if (clock.now() >= deadline) throw timedOut(info);
      if (!waitUntil(inv.ctx, gone, deadline - clock.now())) throw timedOut(info);
      print(info, info.obj!);
      continue;
    }
    const check = (obj: KObject) => (cond.kind === "condition" ? conditionMet(obj, cond.name, cond.status) : jsonPathMet(obj, cond.parser, cond.value));
    if (timeout === 0) {
      const obj = readNow(inv, info);
      if (!obj) throw notFound(info.r, info.name);
      if (!check(obj)) throw new KubectlError(`condition not met for ${info.r.plural}/${info.name}`);
      print(info, obj);
      continue;
    }
    if (clock.now() >= deadline) throw timedOut(info);
    let met: KObject | undefined;
    const ok = waitUntil(
      inv.ctx,
      () => {
        const obj = readNow(inv, info);
        // The watch's re-list finds the object gone: the wait ends with NotFound.
        if (!obj) throw notFound(info.r, info.name);
        if (check(obj)) met = obj;
        return met !== undefined;
      },
      deadline - clock.now(),
    );
    if (!ok) throw timedOut(info);
    print(info, met!);
  }
  return 0;
}

export const waitCommand: CommandDef = {
  path: ["wait"],
  flags: [
    { long: "for", type: "string" },
    { long: "timeout", type: "string", default: "30s" },
    { long: "filename", short: "f", type: "stringArray" },
    { long: "recursive", short: "R", type: "bool" },
    { long: "kustomize", short: "k", type: "string" },
    { long: "selector", short: "l", type: "string" },
    { long: "field-selector", type: "string" },
    { long: "all", type: "bool" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "show-managed-fields", type: "bool" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
  ],
  run: runWait,
};
