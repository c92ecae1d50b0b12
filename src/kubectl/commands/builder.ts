/**
 * kubectl's resource builder (cli-runtime resource.Builder) for commands that name objects:
 * `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME...`, `-f FILE`, `-l SELECTOR`, `--all`,
 * `-A`, with kubectl's error texts for each misuse.
 */
import { ApiError } from "../../api/errors.ts";
import { resolveResourceArg, type ResourceRegistry, type ResourceType } from "../../api/resources.ts";
import { notFound } from "../../api/store.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { KObject } from "../../api/types.ts";
import { KubectlError, type Invocation } from "../command.ts";
import { readManifestDocs } from "./apply.ts";
import { manifestNamespace } from "../manifest.ts";
import { fieldSelectorFor, parseSelector, SelectorError } from "../../api/labels.ts";
import { renderError } from "../errors.ts";

/** Resolves a resource argument against the API server's registry (the built-in resources when none is given). */
export function resolveType(arg: string, registry?: ResourceRegistry): ResourceType {
  const r = registry ? registry.resolve(arg) : resolveResourceArg(arg);
  if (!r) throw new KubectlError(`the server doesn't have a resource type ${JSON.stringify(arg)}`);
  return r;
}

export interface Selection {
  r: ResourceType;
  /** Names asked for; undefined means "list". */
  names?: string[];
}

export interface BuilderOptions {
  /** Accept `-f` (commands with FILENAME_FLAGS). */
  files?: boolean;
  /** Expand the `all` category. */
  allCategory?: boolean;
}

/** Parses the positional arguments of a command into resource selections (ResourceTypeOrNameArgs). */
export function selectionsFromArgs(registry: ResourceRegistry, args: string[], opts: BuilderOptions = {}): Selection[] {
  if (args.length === 0) return [];
  if (args[0].includes("/")) {
    const out: Selection[] = [];
    for (const a of args) {
      const slash = a.indexOf("/");
      if (slash < 0) {
        throw new KubectlError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
        );
      }
      const type = a.slice(0, slash);
      const name = a.slice(slash + 1);
      if (!type || !name) throw new KubectlError(`arguments in resource/name form must have a single resource and name`);
      const r = resolveType(type, registry);
      const last = out.find((s) => s.r === r);
      if (last) last.names!.push(name);
      else out.push({ r, names: [name] });
    }
    return out;
  }
  if (args.slice(1).some((a) => a.includes("/"))) {
    throw new KubectlError(
      `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
    );
  }
  const types: ResourceType[] = [];
  for (const t of args[0].split(",")) {
    if (t === "") continue;
    // A category (`all`, `api-extensions`, a CRD's own) expands to its resources in discovery order.
    const category = opts.allCategory && !registry.resolve(t) ? registry.category(t) : [];
    if (category.length) {
      for (const r of category) if (!types.includes(r)) types.push(r);
      continue;
    }
    const r = resolveType(t, registry);
    if (!types.includes(r)) types.push(r);
  }
  const names = args.slice(1);
  return types.map((r) => ({ r, names: names.length ? [...names] : undefined }));
}

export interface Found {
  r: ResourceType;
  obj: KObject;
}

export interface FetchResult {
  items: Found[];
  /** API errors (NotFound) for names that do not exist, in argument order. */
  errors: ApiError[];
  /** Whether one object was asked for by name (kubectl prints it bare, not as a List). */
  singleItemImplied: boolean;
  /** False when any selected type is cluster-scoped (for "No resources found" wording). */
  allNamespaced: boolean;
}

export interface FetchOptions {
  namespace: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Reads the selected objects from the API server, as kubectl's builder would request them. */
export function fetch(inv: Invocation, selections: Selection[], opts: FetchOptions): FetchResult {
  const { api } = inv.ctx;
  const items: Found[] = [];
  const errors: ApiError[] = [];
  let labelSel: ((l: Record<string, string>) => boolean) | undefined;
  let labelError: string | undefined;
  try {
    if (opts.labelSelector) {
      const sel = parseSelector(opts.labelSelector);
      labelSel = (l) => sel.matches(l);
    }
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    labelError = e.message;
  }
  // cli-runtime's Selector.Visit wraps the API server's BadRequest with the resource and selectors.
  const badRequest = (r: ResourceType, msg: string) =>
    new ApiError(
      "BadRequest",
      `Unable to find ${JSON.stringify(`${r.group}/${r.version}, Resource=${r.plural}`)} that match label selector ${JSON.stringify(opts.labelSelector ?? "")}, field selector ${JSON.stringify(opts.fieldSelector ?? "")}: ${msg}`,
    );
  for (const s of selections) {
    if (labelError !== undefined && !s.names) throw badRequest(s.r, labelError);
    if (s.names) {
      for (const name of s.names) {
        const obj = api.get(s.r.key, s.r.namespaced ? opts.namespace : undefined, name);
        if (obj) items.push({ r: s.r, obj: convertFromStorage(obj, s.r) });
        else errors.push(notFound(s.r, name));
      }
      continue;
    }
    let fieldSel: ((o: KObject) => boolean) | undefined;
    try {
      fieldSel = opts.fieldSelector ? fieldSelectorFor(s.r.kind, opts.fieldSelector) : undefined;
    } catch (e) {
      if (e instanceof SelectorError) throw badRequest(s.r, e.message);
      throw e;
    }
    const list = api.list(s.r.key, {
      namespace: s.r.namespaced && !opts.allNamespaces ? opts.namespace : undefined,
      labelSelector: labelSel,
      fieldSelector: fieldSel,
    });
    for (const obj of list) items.push({ r: s.r, obj: convertFromStorage(obj, s.r) });
  }
  const named = selections.reduce((n, s) => n + (s.names?.length ?? 0), 0);
  const singleItemImplied = selections.length === 1 && named === 1;
  return { items, errors, singleItemImplied, allNamespaced: !opts.allNamespaces && selections.every((s) => s.r.namespaced) };
}

/** Objects named in `-f` manifests: the live object for each document, or its NotFound error. */
export function selectionsFromFiles(inv: Invocation): Array<{ r: ResourceType; namespace: string | undefined; name: string }> {
  const out: Array<{ r: ResourceType; namespace: string | undefined; name: string }> = [];
  for (const doc of readManifestDocs(inv)) {
    const kind = String(doc.obj?.kind ?? "");
    const registry = inv.ctx.api.registry;
    const r = registry.forGVK(String(doc.obj?.apiVersion ?? ""), kind) ?? registry.byStorageKey(kind);
    if (!r) throw new KubectlError(`unable to recognize ${JSON.stringify(doc.source)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(doc.obj?.apiVersion)}`);
    const name = String(doc.obj?.metadata?.name ?? "");
    const ns = r.namespaced ? manifestNamespace(doc.obj) ?? inv.namespace : undefined;
    out.push({ r, namespace: ns, name });
  }
  return out;
}

/** Prints API errors the way kubectl's checkErr prints each of a command's aggregated errors. */
export function apiErrorText(e: ApiError): string {
  return e.reason ? `Error from server (${e.reason}): ${e.message}` : `Error from server: ${e.message}`;
}

/**
 * An error as cmdutil.CheckErr sees it: an API status (ApiError), a plain error (KubectlError, Go's
 * fmt.Errorf), or an aggregate of errors (utilerrors.Aggregate: what the builder's
 * ContinueOnError visitors and the commands that go on after a failed object return).
 */
export type CmdError = ApiError | KubectlError | Aggregate;

export class Aggregate {
  constructor(readonly errors: CmdError[]) {}
}

/** err.Error(): a status's message, a plain error's text, an aggregate's `[a, b]` (duplicates once, one error bare). */
export function errorString(e: CmdError): string {
  if (e instanceof Aggregate) {
    const seen: string[] = [];
    const visit = (x: CmdError): void => {
      if (x instanceof Aggregate) for (const y of x.errors) visit(y);
      else if (!seen.includes(errorString(x))) seen.push(errorString(x));
    };
    visit(e);
    return seen.length === 1 ? seen[0]! : seen.length === 0 ? "" : `[${seen.join(", ")}]`;
  }
  if (e instanceof ApiError) return e.message;
  return e.raw ? e.message.replace(/\n$/, "") : e.message;
}

/** messageForError: StandardErrorMessage for an API status (`Error from server (Reason): ...`), else Error(). */
function messageForError(e: CmdError): string {
  return e instanceof ApiError ? apiErrorText(e) : errorString(e);
}

/** utilerrors.Reduce(NewAggregate(errs)): nothing, the one error, or their aggregate. */
export function reduceErrors(errs: CmdError[]): CmdError | undefined {
  return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : new Aggregate(errs);
}

/**
 * cmdutil.CheckErr's text for a command's error (without the final newline): an aggregate of one is
 * unwrapped; an Invalid status prints its causes (`The ConfigMap "x" is invalid: ...`); an aggregate
 * prints each error on its line (MultipleErrors: statuses as `Error from server (...)`, the others
 * bare); another status its standard message; a plain error gets `error: ` before it.
 */
export function checkErrText(err: CmdError): string {
  if (err instanceof Aggregate && err.errors.length === 1) err = err.errors[0]!;
  if (err instanceof Aggregate) return err.errors.map(messageForError).join("\n");
  if (err instanceof ApiError) return renderError(err);
  const msg = errorString(err);
  return err.raw || msg.startsWith("error: ") ? msg : `error: ${msg}`;
}

/** cmdutil.AddSourceToErr: `error when <verb> "<source>": ...`, a status kept a status (its reason and details). */
export function addSourceToErr(verb: string, source: string, e: unknown): CmdError {
  if (e instanceof ApiError) {
    const out = new ApiError(e.reason, `error when ${verb} ${JSON.stringify(source)}: ${e.message}`, e.details);
    return out;
  }
  if (e instanceof KubectlError) return new KubectlError(`error when ${verb} ${JSON.stringify(source)}: ${errorString(e)}`);
  throw e;
}

/** An error a command caught, as CheckErr would take it (API statuses and kubectl's own errors; anything else is a bug and is thrown). */
export function asCmdError(e: unknown): CmdError {
  if (e instanceof ApiError || e instanceof KubectlError || e instanceof Aggregate) return e;
  throw e;
}

/** Prints a command's error as CheckErr does; returns the exit code (1). */
export function printCheckErr(inv: Invocation, err: CmdError): number {
  inv.err(checkErrText(err));
  return 1;
}

/**
 * utilerrors.FilterOut: the error without the errors that match, an aggregate kept an aggregate
 * (of what is left, nothing when nothing is). `kubectl delete --ignore-not-found` filters the
 * visit's error this way, so what is left of an aggregate prints as an aggregate.
 */
export function filterOut(err: CmdError | undefined, match: (e: CmdError) => boolean): CmdError | undefined {
  if (err === undefined) return undefined;
  if (err instanceof Aggregate) {
    const kept = err.errors.map((e) => filterOut(e, match)).filter((e): e is CmdError => e !== undefined);
    return kept.length ? new Aggregate(kept) : undefined;
  }
  return match(err) ? undefined : err;
}
