/**
 * Which requests a policy and a binding match (k8s.io/apiserver/pkg/admission/plugin/policy/
 * matching/matching.go and webhook/predicates: rules, namespace and object selectors, v1.32):
 * resourceRules by operation, group, version, resource (`*`, `resource/subresource`,
 * `*\/status`), resourceNames and scope; excludeResourceRules; namespaceSelector (a namespaced
 * object's namespace labels, a Namespace's own labels, always true for other cluster-scoped
 * objects); objectSelector (the new or the old object's labels).
 */
import { labelSelectorMatches, type LabelSelector } from "../../labels.ts";
import type { Operation } from "../../store.ts";
import type { KObject } from "../../types.ts";

export interface RequestInfo {
  operation: Operation;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  name: string;
  namespace: string;
  namespaced: boolean;
  object: KObject | undefined;
  oldObject: KObject | undefined;
  /** The request's namespace (undefined for cluster-scoped objects and namespaces not found). */
  namespaceObject: KObject | undefined;
}

interface Rule {
  apiGroups?: string[];
  apiVersions?: string[];
  operations?: string[];
  resources?: string[];
  resourceNames?: string[];
  scope?: string;
}

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === "*" || x === v);

function resourceMatches(patterns: string[] | undefined, resource: string, subresource: string): boolean {
  for (const p of patterns ?? []) {
    if (p === "*/*") return true;
    const [res, sub = ""] = p.split("/", 2) as [string, string?];
    if (p === "*" && subresource === "") return true;
    if ((res === "*" || res === resource) && (sub === "*" || sub === subresource)) return true;
  }
  return false;
}

/** rules.Matcher.Matches. */
export function ruleMatches(rule: Rule, req: RequestInfo): boolean {
  if (!has(rule.operations, req.operation)) return false;
  if (!has(rule.apiGroups, req.group)) return false;
  if (!has(rule.apiVersions, req.version)) return false;
  if (!resourceMatches(rule.resources, req.resource, req.subresource)) return false;
  const scope = rule.scope ?? "*";
  if (scope === "Cluster" && req.namespaced) return false;
  if (scope === "Namespaced" && !req.namespaced) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(req.name)) return false;
  return true;
}

export interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules?: Rule[];
  excludeResourceRules?: Rule[];
  matchPolicy?: string;
}

function namespaceSelectorMatches(sel: LabelSelector | undefined, req: RequestInfo): boolean {
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) return true;
  // A Namespace is matched on its own labels.
  if (req.group === "" && req.resource === "namespaces" && req.subresource === "") {
    return labelSelectorMatches(sel, (req.object ?? req.oldObject)?.metadata.labels);
  }
  if (!req.namespaced || req.namespace === "") return true;
  return labelSelectorMatches(sel, req.namespaceObject?.metadata.labels ?? {});
}

function objectSelectorMatches(sel: LabelSelector | undefined, req: RequestInfo): boolean {
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) return true;
  return [req.object, req.oldObject].some((o) => o !== undefined && labelSelectorMatches(sel, o.metadata.labels ?? {}));
}

/**
 * matching.Matcher.Matches: the selectors, then the rules. `rulesRequired` is the policy's case
 * (its matchConstraints must name resources); a binding without resourceRules matches every
 * resource its policy does.
 */
export function matches(m: MatchResources | undefined, req: RequestInfo, rulesRequired: boolean): boolean {
  if (!m) return !rulesRequired;
  if (!namespaceSelectorMatches(m.namespaceSelector, req)) return false;
  if (!objectSelectorMatches(m.objectSelector, req)) return false;
  const rules = m.resourceRules ?? [];
  if (rules.length > 0 || rulesRequired) {
    if (!rules.some((r) => ruleMatches(r, req))) return false;
  }
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, req))) return false;
  return true;
}
