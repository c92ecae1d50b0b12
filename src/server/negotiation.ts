/**
 * Content negotiation of responses, as kube-apiserver v1.32 does it
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go, the Accept parser
 * bitbucket.org/ww/goautoneg, and handlers/response.go's transformResponseObject):
 *
 * - The Accept header's clauses, highest q first (then the more specific), are matched against the
 *   media types served: `application/json` and `application/yaml` (YAML as sigs.k8s.io/yaml writes
 *   the JSON: go-yaml v2's sorted keys). A clause's `as`/`g`/`v` ask for the object transformed:
 *   `Table` (JSON or YAML), `PartialObjectMetadata` and `PartialObjectMetadataList`, in meta.k8s.io
 *   v1 or v1beta1, on a resource's endpoint only (the RequestScope's AllowsMediaTypeTransform). A
 *   clause the endpoint cannot serve is skipped; when none is left the answer is v1.32's 406
 *   NotAcceptable Status (`only the following media types are accepted: …`). No Accept is JSON.
 * - A watch streams JSON only (`application/json;stream=watch`: YAML has no stream serializer).
 * - `?pretty=true`, or a User-Agent of curl, Wget or a browser, indents the JSON (isPrettyPrint).
 * - Errors are Statuses in the negotiated media type, never transformed (ErrorNegotiated).
 *
 * Not served: protobuf (`application/vnd.kubernetes.protobuf`, which v1.32 serves for built-in
 * types): a client that accepts only protobuf gets the 406 naming what is served, as v1.32 answers
 * it for a custom resource; clients that also accept JSON (client-go, kubectl) get JSON.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../api/errors.ts";
import type { ResourceType } from "../api/resources.ts";
import { goYAML } from "../kubectl/printers/goyaml.ts";
import { encodeBody } from "./cachingobject.ts";

export type MediaType = "application/json" | "application/yaml";
export type Transform = "Table" | "PartialObjectMetadata" | "PartialObjectMetadataList";

export interface Negotiated {
  mediaType: MediaType;
  /** The object's transformation (`as=`), in meta.k8s.io `version`. */
  convert?: { kind: Transform; version: "v1" | "v1beta1" };
  pretty: boolean;
  /** The resource served (for the Go type names of transformation errors). */
  resource?: ResourceType;
}

/** The media types served, in the server's order (the first is the default). */
export const SERVED: MediaType[] = ["application/json", "application/yaml"];
/** Those with a stream serializer (watches). */
export const SERVED_STREAMS = ["application/json;stream=watch"];

/** One clause of an Accept header (goautoneg.Accept). */
export interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: Record<string, string>;
}

/** goautoneg.ParseAccept: the clauses, sorted by q (higher first), then concrete types before wildcards. */
export function parseAccept(header: string): AcceptClause[] {
  const out: AcceptClause[] = [];
  for (const raw of header.split(",")) {
    const part = raw.replace(/^ +| +$/g, "");
    const mrp = part.split(";");
    const sp = mrp[0]!.split("/");
    const type = sp[0]!.replace(/^ +| +$/g, "");
    let subType: string;
    if (sp.length === 1 && type === "*") subType = "*";
    else if (sp.length === 2) subType = sp[1]!.replace(/^ +| +$/g, "");
    else continue;
    const a: AcceptClause = { type, subType, q: 1, params: {} };
    for (const param of mrp.slice(1)) {
      const i = param.indexOf("=");
      if (i < 0) continue;
      const token = param.slice(0, i).replace(/^ +| +$/g, "");
      const value = param.slice(i + 1);
      if (token === "q") {
        const q = Number.parseFloat(value);
        a.q = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) && Number.isFinite(q) ? q : 0;
      } else a.params[token] = value.replace(/^ +| +$/g, "");
    }
    out.push(a);
  }
  // sort.Sort with accept_slice.Less: Go's pdqsort sorts up to 12 elements by insertion sort, as
  // here. Longer headers (no client sends them) are sorted in O(n log n) by the same relation,
  // where Go's pdqsort may order ties differently: an insertion sort of a 1 MiB header of 40,000
  // clauses held the server for seconds of CPU per request.
  const less = (a: AcceptClause, b: AcceptClause) => a.q > b.q || (a.type !== "*" && b.type === "*") || (a.subType !== "*" && b.subType === "*");
  if (out.length > 12) return out.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
  for (let i = 1; i < out.length; i++) for (let j = i; j > 0 && less(out[j]!, out[j - 1]!); j--) [out[j], out[j - 1]] = [out[j - 1]!, out[j]!];
  return out;
}

const TRANSFORMS = new Set<string>(["Table", "PartialObjectMetadata", "PartialObjectMetadataList"]);

/**
 * NegotiateMediaTypeOptions with a resource endpoint's restrictions (`resource`: its
 * AllowsMediaTypeTransform) or the default ones (no transformation). Throws the 406.
 */
export function negotiate(accept: string | undefined, opts: { resource?: ResourceType; watch?: boolean; pretty?: boolean } = {}): Negotiated {
  const pretty = opts.pretty ?? false;
  const served: string[] = opts.watch ? ["application/json"] : SERVED;
  if (!accept) return { mediaType: "application/json", pretty, ...(opts.resource ? { resource: opts.resource } : {}) };
  for (const clause of parseAccept(accept)) {
    for (const media of served) {
      const [type, subType] = media.split("/") as [string, string];
      if (!((clause.type === type && (clause.subType === subType || clause.subType === "*")) || (clause.type === "*" && clause.subType === "*"))) continue;
      const found = acceptOptions(clause.params, media as MediaType, opts);
      if (found) return { ...found, pretty: pretty || found.pretty, ...(opts.resource ? { resource: opts.resource } : {}) };
    }
  }
  throw notAcceptable(opts.watch ? SERVED_STREAMS : SERVED);
}

/** acceptMediaTypeOptions: the clause's parameters, if the endpoint allows them. */
function acceptOptions(params: Record<string, string>, media: MediaType, opts: { resource?: ResourceType; watch?: boolean }): Negotiated | undefined {
  let convert: { kind?: string; group?: string; version?: string } | undefined;
  let pretty = false;
  for (const [k, v] of Object.entries(params)) {
    if (k === "as") (convert ??= {}).kind = v;
    else if (k === "g") (convert ??= {}).group = v;
    else if (k === "v") (convert ??= {}).version = v;
    // Only watch streams exist, and only for JSON here.
    else if (k === "stream" && v && (v !== "watch" || media !== "application/json")) return undefined;
    // `sv` names a server group version no endpoint allows (AllowsServerVersion: the meta group's own version only).
    else if (k === "sv" && v && v !== "v1") return undefined;
    else if (k === "pretty") pretty = v === "1";
  }
  if (!convert) return { mediaType: media, pretty };
  // AllowsMediaTypeTransform: resource endpoints only, meta.k8s.io v1 or v1beta1; a Table as JSON or YAML.
  if (!opts.resource || convert.group !== "meta.k8s.io" || (convert.version !== "v1" && convert.version !== "v1beta1") || !TRANSFORMS.has(convert.kind ?? "")) return undefined;
  return { mediaType: media, pretty, convert: { kind: convert.kind as Transform, version: convert.version } };
}

/** negotiation.NewNotAcceptableError's Status. */
export function notAcceptable(accepted: string[]): ApiError {
  return new ApiError("NotAcceptable", `only the following media types are accepted: ${accepted.join(", ")}`);
}

/** handlers/response.go's errNotAcceptable (a transformation the object cannot take). */
function transformRefused(message: string): ApiError {
  return new ApiError("NotAcceptable", message);
}

const negotiated = new WeakMap<ServerResponse, Negotiated>();

/** Records what a request negotiated, for the response writers. */
export function setNegotiated(res: ServerResponse, n: Negotiated): void {
  negotiated.set(res, n);
}

export function negotiatedOf(res: ServerResponse): Negotiated | undefined {
  return negotiated.get(res);
}

/** isPrettyPrint: `?pretty=` (strconv.ParseBool), else a User-Agent of curl, Wget or a browser. */
export function isPrettyPrint(req: IncomingMessage, query: URLSearchParams): boolean {
  const pp = query.get("pretty");
  if (pp) return ["1", "t", "T", "TRUE", "true", "True"].includes(pp);
  const ua = String(req.headers["user-agent"] ?? "");
  return ua.startsWith("curl") || ua.startsWith("Wget") || ua.startsWith("Mozilla/5.0");
}

/**
 * The Accept header the handlers read once negotiation is done: `as=Table` when a Table was
 * negotiated (the handlers build it; v1beta1 is made from it here), else plain JSON.
 */
export function canonicalAccept(n: Negotiated): string {
  return n.convert?.kind === "Table" ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json";
}

/** The Go type the API server names in a transformation's refusal (`*core.PodList`, `*unstructured.Unstructured`). */
function goTypeOf(r: ResourceType | undefined, list: boolean): string {
  if (!r) return list ? "*v1.List" : "*unstructured.Unstructured";
  if (r.crd) return list ? "*unstructured.UnstructuredList" : "*unstructured.Unstructured";
  const pkg = r.group === "" || r.group === "events.k8s.io" ? "core" : r.group.split(".")[0]!;
  return `*${pkg}.${r.kind}${list ? "List" : ""}`;
}

type Body = Record<string, unknown>;
const isList = (b: Body) => Array.isArray(b.items) && typeof b.kind === "string" && b.kind.endsWith("List");

/** meta.AsPartialObjectMetadata: the object's metadata under PartialObjectMetadata's TypeMeta. */
function partial(obj: Body, version: string): Body {
  return { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

/**
 * doTransformObject: the handler's (JSON) body as the request negotiated it. A Status is never
 * transformed; a transformation the body cannot take throws the 406.
 */
export function transformBody(n: Negotiated, body: unknown): unknown {
  if (!n.convert || body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const b = body as Body;
  if (b.kind === "Status") return body;
  const version = n.convert.version;
  switch (n.convert.kind) {
    case "Table": {
      if (version === "v1" || b.kind !== "Table") return body;
      const rows = Array.isArray(b.rows) ? (b.rows as Body[]) : [];
      return {
        ...b,
        apiVersion: "meta.k8s.io/v1beta1",
        rows: rows.map((row) => {
          const o = row.object as Body | undefined;
          return o && o.kind === "PartialObjectMetadata" ? { ...row, object: { ...o, apiVersion: "meta.k8s.io/v1beta1" } } : row;
        }),
      };
    }
    case "PartialObjectMetadata":
      if (isList(b)) throw transformRefused(`you requested PartialObjectMetadata, but the requested object is a list (${goTypeOf(n.resource, true)})`);
      return partial(b, version);
    case "PartialObjectMetadataList": {
      if (!isList(b)) throw transformRefused(`you requested PartialObjectMetadataList, but the requested object is not a list (${goTypeOf(n.resource, false)})`);
      const meta = (b.metadata ?? {}) as Body;
      return { kind: "PartialObjectMetadataList", apiVersion: `meta.k8s.io/${version}`, metadata: meta, items: (b.items as Body[]).map((o) => partial(o, version)) };
    }
  }
}

/** The response's bytes (in pieces to write in order) in the negotiated media type, and its Content-Type. */
export function encodeNegotiated(n: Negotiated | undefined, body: unknown): { contentType: string; parts: Buffer[] } {
  if (!n || (n.mediaType === "application/json" && !n.pretty)) return { contentType: "application/json", parts: encodeBody(body) };
  if (n.mediaType === "application/yaml") return { contentType: "application/yaml", parts: [Buffer.from(goYAML(jsonValue(body)))] };
  return { contentType: "application/json", parts: [Buffer.from(JSON.stringify(body, null, 2))] };
}

/** The value as its JSON text reads back (undefined fields gone). */
function jsonValue(body: unknown): unknown {
  return JSON.parse(Buffer.concat(encodeBody(body)).toString("utf8"));
}

/**
 * The watch event encoder of a request (watchEncoder with its embedded encoder): each event's
 * object transformed as negotiated (a Status as it is), as one JSON line.
 */
export function watchEventEncoder(res: ServerResponse): (type: string, object: unknown) => Buffer[] {
  const n = negotiatedOf(res);
  let headers = n?.convert?.kind === "Table";
  return (type, object) => {
    let o = n && type !== "ERROR" ? transformBody(n, object) : object;
    // Tables carry their column definitions in the first event only (the embedded encoder sets
    // TableOptions.NoHeaders after it; the printers then leave them nil): kubectl keeps the first's.
    if (n?.convert?.kind === "Table" && o !== null && typeof o === "object" && (o as Body).kind === "Table") {
      if (!headers) o = { ...(o as Body), columnDefinitions: null };
      headers = false;
    }
    return [Buffer.from(JSON.stringify({ type, object: o }) + "\n")];
  };
}
