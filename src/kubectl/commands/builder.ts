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
import { eachManifest, readManifestDocs } from "./apply.ts";
import { Aggregate, reduceErrors, type CmdError } from "../errors.ts";
import { manifestNamespace } from "../manifest.ts";
import { fieldSelectorFor, parseSelector, SelectorError } from "../../api/labels.ts";

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

/**
 * kubectl's warning for an ambiguous short name (client-go's shortcut expander, which kubectl gives
 * its warning printer): `Warning: short name "ev" could also match lower priority resource
 * events.events.k8s.io`, once per lower-priority resource. Bare names only: a group-qualified name
 * (`ev.events.k8s.io`) is not ambiguous.
 */
export function warnShortName(inv: Invocation, type: string): void {
  if (type.includes(".")) return;
  for (const gr of inv.ctx.api.registry.expandShortcut(type)?.others ?? []) {
    inv.err(`Warning: short name ${JSON.stringify(type)} could also match lower priority resource ${gr}`);
  }
}

/**
 * Parses the positional arguments of a command into resource selections (ResourceTypeOrNameArgs),
 * warning about an ambiguous short name once per distinct type argument, as the builder maps each
 * once.
 */
export function selectionsFromArgs(inv: Invocation, args: string[], opts: BuilderOptions = {}): Selection[] {
  if (args.length === 0) return [];
  const registry = inv.ctx.api.registry;
  const mapped = new Set<string>();
  const resolve = (type: string) => {
    if (!mapped.has(type)) warnShortName(inv, type);
    mapped.add(type);
    return resolveType(type, registry);
  };
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
      const r = resolve(type);
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
    const r = resolve(t);
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

/**
 * The objects of `-f`/`-k` as a ContinueOnError builder visits them for a command that reads each
 * one (RequireObject: label, annotate): the live objects in document order, and the visit's errors
 * in the order met (a kind no resource serves, the GET's NotFound; a document without apiVersion
 * or kind, or one that does not decode, ends its file).
 */
export function visitFileObjects(inv: Invocation): { items: Found[]; errors: CmdError[] } {
  const items: Found[] = [];
  const errors: CmdError[] = [];
  eachManifest(inv, "unknown kind", ({ r, obj }) => {
    const found = fetch(inv, [{ r, names: [String(obj.metadata.name ?? "")] }], { namespace: obj.metadata.namespace ?? inv.namespace });
    items.push(...found.items);
    errors.push(...found.errors);
  }, (e) => errors.push(e));
  return { items, errors };
}

/**
 * cli-runtime's ContinueOnErrorVisitor: the errors the command's function returned for each object,
 * in order, then the visit's own errors (mapping, GET) as one error (alone, or their aggregate,
 * which CheckErr prints as `[a, b]` when other errors come before it); one error alone as itself.
 */
export function continueOnError(fnErrors: CmdError[], visitErrors: CmdError[]): CmdError | undefined {
  const inner = reduceErrors(visitErrors);
  const errs = inner ? [...fnErrors, inner] : fnErrors;
  return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : new Aggregate(errs);
}

/** Prints API errors the way kubectl's checkErr prints each of a command's aggregated errors. */
export function apiErrorText(e: ApiError): string {
  return e.reason ? `Error from server (${e.reason}): ${e.message}` : `Error from server: ${e.message}`;
}

/** CheckErr over many objects' errors lives in ../errors.ts (apply.ts uses it too; builder.ts imports apply.ts). */
export { addSourceToErr, Aggregate, asCmdError, checkErrText, errorString, filterOut, printCheckErr, reduceErrors, type CmdError } from "../errors.ts";
