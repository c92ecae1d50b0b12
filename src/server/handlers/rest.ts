/**
 * What every REST handler shares (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go):
 * the request's scope (resource, namespace, name, subresource, query, body), decoding of bodies
 * and query options, and the managedFields bookkeeping of writes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.ts";
import { fieldSelectorFor, parseSelector } from "../../api/labels.ts";
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import type { Cluster } from "../../cluster.ts";
import { recordUpdate } from "../../api/fieldmanager.ts";
import { dryRunOf } from "./options.ts";
import type { PatchType } from "../patch.ts";

/** A resource request's path: `/api/v1/namespaces/ns/pods/name/sub`. */
export interface Route {
  r: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  /** Reached through the deprecated `/watch/` prefix: a watch whatever the query says. */
  watch?: boolean;
}

export interface RequestScope {
  cluster: Cluster;
  route: Route;
  r: ResourceType;
  /** The namespace of a namespaced resource's request; undefined for cluster-scoped ones. */
  ns: string | undefined;
  method: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
  /** Warnings for the response's Warning headers. */
  warnings: string[];
  /** Open watches, stopped when the server closes or resets. */
  watchers: Set<() => void>;
  /**
   * What is added to simulated instants in what this request sends back, and taken off those it
   * brings (ms, whole seconds): the wall clock's lead on the simulated clock (timeshift.ts), 0 for
   * clients that asked for simulated instants.
   */
  delta: number;
}

/** A handler's answer: a code and a body to send as JSON, or undefined when it wrote the response itself. */
export type Result = { code: number; body: unknown } | undefined;

/** The table of `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get). */
export function wantsTable(s: RequestScope): boolean {
  return /as=Table/.test(String(s.req.headers.accept ?? ""));
}

/** `?dryRun=All` of a create, update or patch (validated: only All exists). */
export function isDryRun(s: RequestScope, kind: "CreateOptions" | "UpdateOptions" | "PatchOptions" = "UpdateOptions"): boolean {
  return dryRunOf(s.query.getAll("dryRun"), kind);
}

export function labelPredicate(text: string | null): ((labels: Record<string, string>) => boolean) | undefined {
  if (!text) return undefined;
  try {
    const s = parseSelector(text);
    return (l) => s.matches(l);
  } catch (e) {
    throw new ApiError("BadRequest", `unable to parse requirement: ${(e as Error).message}`);
  }
}

export function fieldPredicate(r: ResourceType, text: string | null): ((obj: KObject) => boolean) | undefined {
  return text ? fieldSelectorFor(r.kind, text) : undefined;
}

export function fieldValidation(q: URLSearchParams, byDefault: "Strict" | "Warn" = "Warn"): "Strict" | "Warn" | "Ignore" {
  const v = q.get("fieldValidation");
  return v === "Strict" || v === "Ignore" || v === "Warn" ? v : byDefault;
}

export function patchType(contentType: string): PatchType {
  const t = contentType.split(";")[0]!.trim();
  if (t === "application/json-patch+json") return "json";
  if (t === "application/merge-patch+json") return "merge";
  if (t === "application/strategic-merge-patch+json") return "strategic";
  throw new ApiError("BadRequest", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
}

export function parseJSON(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new ApiError("BadRequest", `the body of the request was in an unknown format: ${(e as Error).message}`);
  }
}

export function parseObject(body: string): KObject {
  const o = parseJSON(body);
  if (!o || typeof o !== "object" || Array.isArray(o)) throw new ApiError("BadRequest", "the body of the request is not an object");
  return o as KObject;
}

/** The manager of a write: `?fieldManager=`, else the client's User-Agent up to its first `/`. */
export function managerOf(req: IncomingMessage, q: URLSearchParams): string {
  return q.get("fieldManager") || String(req.headers["user-agent"] ?? "unknown").split("/")[0]!;
}

/** Records the managedFields of a create, update or patch made through the facade. */
export function trackUpdate(s: RequestScope, old: KObject | undefined, obj: KObject, subresource?: string): void {
  obj.metadata = obj.metadata ?? {};
  if (old && obj.metadata.managedFields === undefined) obj.metadata.managedFields = old.metadata.managedFields;
  const entries = recordUpdate(old, { ...obj, kind: obj.kind ?? old?.kind } as KObject, managerOf(s.req, s.query), s.cluster.clock.nowRFC3339(), subresource);
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}
