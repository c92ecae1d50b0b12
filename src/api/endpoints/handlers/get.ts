/**
 * GET of one object and LIST of a collection
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go: GetResource, ListResource), with
 * the list semantics of the storage (apiserver/pkg/storage/etcd3/store.go, cacher): resourceVersion
 * and resourceVersionMatch, and paging with `limit` and `continue` tokens
 * (apiserver/pkg/storage/continue.go), a page read as the whole list was at the first page's
 * resourceVersion while the history reaches back to it, `410 Expired` after.
 */
import { ApiError, newResourceExpired } from "../../errors.ts";
import { apiVersionOf } from "../../resources.ts";
import { convertFromStorage } from "../../conversion/index.ts";
import type { KObject } from "../../types.ts";
import { checkValid } from "../../jsonscanner.ts";
import { listOptions, type ListOptions } from "../../options.ts";
import { fieldPredicate, labelPredicate, wantsTable, type RequestScope, type Result } from "./rest.ts";

export function getResource(s: RequestScope, name: string): Result {
  const obj = convertFromStorage(s.cluster.api.getOrThrow(s.r.key, s.ns, name), s.r);
  if (s.hooks?.table && wantsTable(s)) return { code: 200, body: s.hooks.table(s, [obj], { resourceVersion: obj.metadata.resourceVersion ?? "" }) };
  return { code: 200, body: obj };
}

export function listResource(s: RequestScope, name?: string): Result {
  const opts = listOptions(s.query, s.route.watch);
  if (name !== undefined) {
    // A watch of one object (`/watch/.../pods/name`) is a list-watch selected on metadata.name.
    const selected = /^metadata\.name==?(.*)$/.exec(opts.fieldSelector);
    if (opts.fieldSelector && selected?.[1] !== name) throw new ApiError("BadRequest", "fieldSelector metadata.name doesn't match requested name");
    opts.fieldSelector = `metadata.name=${name}`;
  }
  if (opts.watch) {
    if (s.hooks?.watch) return s.hooks.watch(s, opts);
    throw new ApiError("NotFound", "the server could not find the requested resource (the in-process API server serves watches only through kube-scenario serve)");
  }
  const page = listPage(s, opts);
  const meta: Record<string, unknown> = { resourceVersion: String(page.rv) };
  if (page.continue) meta.continue = page.continue;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  // Objects as the requested version shows them (they are stored in the storage version).
  const items = page.items.map((o) => convertFromStorage(o, s.r));
  if (s.hooks?.table && wantsTable(s)) return { code: 200, body: s.hooks.table(s, items, meta) };
  return { code: 200, body: { kind: `${s.r.kind}List`, apiVersion: apiVersionOf(s.r), metadata: meta, items } };
}

interface Page {
  items: KObject[];
  rv: number;
  continue?: string;
  remainingItemCount?: number;
}

/** The continue token of apiserver/pkg/storage/continue.go: base64url of {"v","rv","start"}. */
interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const INCONSISTENT_CONTINUE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

export function encodeContinue(start: string, rv: number): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start })).toString("base64url");
}

function decodeContinue(token: string): ContinueToken {
  const invalid = (why: string) => new ApiError("BadRequest", `invalid continue token: continue key is not valid${why}`);
  const badRV = ": incorrect encoded start resourceVersion (version meta.k8s.io/v1)";
  let parsed: ContinueToken;
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(token)) throw new Error("illegal base64 data");
    // json.Unmarshal's own texts (Go's scanner reads the bytes: one character per byte here).
    const data = Buffer.from(token, "base64url");
    const syntax = checkValid(data.toString("latin1"));
    if (syntax) throw new Error(syntax);
    parsed = JSON.parse(data.toString("utf8"));
  } catch (e) {
    throw invalid(`${badRV}: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object") throw invalid(badRV);
  if (parsed.v !== "meta.k8s.io/v1") throw invalid(`: server does not recognize this encoded version ${parsed.v}`);
  if (typeof parsed.rv !== "number" || !Number.isInteger(parsed.rv) || parsed.rv === 0) throw invalid(badRV);
  if (typeof parsed.start !== "string" || parsed.start === "") throw invalid(": encoded start key empty");
  if (parsed.start.split("/").includes("..")) throw invalid("");
  return parsed;
}

/** An object's key below the list's prefix, as etcd orders them: `ns/name` across namespaces, `name` within one. */
function keyOf(o: KObject, withinNamespace: boolean): string {
  return withinNamespace || o.metadata.namespace === undefined ? o.metadata.name! : `${o.metadata.namespace}/${o.metadata.name}`;
}

function parseRV(text: string): number {
  if (!/^\d+$/.test(text)) throw new ApiError("BadRequest", `resourceVersion: Invalid value: ${JSON.stringify(text)}: strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  if (BigInt(text) > 2n ** 64n - 1n) throw new ApiError("BadRequest", `resourceVersion: Invalid value: ${JSON.stringify(text)}: strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return Number(text);
}

function listPage(s: RequestScope, o: ListOptions): Page {
  const { r, ns, cluster } = s;
  const api = cluster.api;
  const current = api.resourceVersion;
  const filters = { namespace: ns, labelSelector: labelPredicate(o.labelSelector || null), fieldSelector: fieldPredicate(r, o.fieldSelector || null) };
  const withinNamespace = ns !== undefined;
  let rv = current;
  let start = "";
  if (o.continue) {
    if (o.resourceVersion && o.resourceVersion !== "0") throw new ApiError("BadRequest", "specifying resource version is not allowed when using continue");
    const token = decodeContinue(o.continue);
    start = token.start;
    rv = token.rv < 0 ? current : token.rv;
  } else if (o.resourceVersion && o.resourceVersion !== "0") {
    const want = parseRV(o.resourceVersion);
    if (want > current) {
      throw new ApiError("Timeout", `Too large resource version: ${want}, current: ${current}`, { kind: "", name: "", causes: [{ reason: "ResourceVersionTooLarge", field: "", detail: "Too large resource version" }], retryAfterSeconds: 1 });
    }
    if (o.resourceVersionMatch === "Exact") rv = want;
  }
  let all: KObject[];
  try {
    all = rv === current ? api.list(r.key, filters) : api.listAt(r.key, rv, filters);
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === "Expired")) throw e;
    if (!o.continue) throw newResourceExpired("The resourceVersion for the provided list is too old.");
    // handleCompactedErrorForPaging: the answer carries a token that continues at the latest version.
    const err = newResourceExpired(INCONSISTENT_CONTINUE);
    err.listContinue = encodeContinue(start, -1);
    throw err;
  }
  let items = start ? all.filter((x) => keyOf(x, withinNamespace) >= start) : all;
  if (o.limit > 0 && items.length > o.limit) {
    const page = items.slice(0, o.limit);
    const last = keyOf(page[page.length - 1]!, withinNamespace);
    const unfiltered = !o.labelSelector && !o.fieldSelector;
    return { items: page, rv, continue: encodeContinue(last + "\x00", rv), ...(unfiltered ? { remainingItemCount: items.length - o.limit } : {}) };
  }
  items = items.slice();
  return { items, rv };
}
