/**
 * The validation of an admission rule (operations, API groups and versions, resources, scope) that
 * webhook configurations and ValidatingAdmissionPolicies share, as upstream's
 * pkg/apis/admissionregistration/validation has it once for both.
 */
import { arr, F, type Errs, type Obj } from "../validation/field.ts";

const OPERATIONS = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
const SCOPES = ["*", "Cluster", "Namespaced"];

/** validateResources (subresources allowed). */
function validateResources(resources: unknown[], path: string): Errs {
  const errs: Errs = [];
  if (resources.length === 0) errs.push(F.required(path));
  const withWildcardSub = new Set<string>();
  const subWithWildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSub = false;
  resources.forEach((v, i) => {
    const resSub = String(v ?? "");
    if (resSub === "") return errs.push(F.required(`${path}[${i}]`));
    if (resSub === "*/*") doubleWildcard = true;
    if (resSub === "*") singleWildcard = true;
    const slash = resSub.indexOf("/");
    if (slash < 0) {
      withoutSub = resSub !== "*";
      return;
    }
    const res = resSub.slice(0, slash);
    const sub = resSub.slice(slash + 1);
    if (withWildcardSub.has(res)) errs.push(F.invalid(`${path}[${i}]`, resSub, `if '${res}/*' is present, must not specify ${resSub}`));
    if (subWithWildcardRes.has(sub)) errs.push(F.invalid(`${path}[${i}]`, resSub, `if '*/${sub}' is present, must not specify ${resSub}`));
    if (sub === "*") withWildcardSub.add(res);
    if (res === "*") subWithWildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) errs.push(F.invalid(path, resources, "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && withoutSub) errs.push(F.invalid(path, resources, "if '*' is present, must not specify other resources without subresources"));
  return errs;
}

/**
 * validateRuleWithOperations (k8s.io/kubernetes pkg/apis/admissionregistration/validation): a webhook's
 * rule and a ValidatingAdmissionPolicy's resourceRules/excludeResourceRules alike, the resources with
 * subresources allowed.
 */
export function validateRuleWithOperations(rule: Obj, path: string): Errs {
  const errs: Errs = [];
  const ops = arr(rule.operations);
  if (ops.length === 0) errs.push(F.required(`${path}.operations`));
  if (ops.length > 1 && ops.includes("*")) errs.push(F.invalid(`${path}.operations`, ops, "if '*' is present, must not specify other operations"));
  ops.forEach((o, i) => {
    if (!OPERATIONS.includes(String(o))) errs.push(F.notSupported(`${path}.operations[${i}]`, o, OPERATIONS));
  });
  const groups = arr(rule.apiGroups);
  if (groups.length === 0) errs.push(F.required(`${path}.apiGroups`));
  if (groups.length > 1 && groups.includes("*")) errs.push(F.invalid(`${path}.apiGroups`, groups, "if '*' is present, must not specify other API groups"));
  const versions = arr(rule.apiVersions);
  if (versions.length === 0) errs.push(F.required(`${path}.apiVersions`));
  if (versions.length > 1 && versions.includes("*")) errs.push(F.invalid(`${path}.apiVersions`, versions, "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => {
    if (v === "") errs.push(F.required(`${path}.apiVersions[${i}]`));
  });
  errs.push(...validateResources(arr(rule.resources), `${path}.resources`));
  if (rule.scope !== undefined && !SCOPES.includes(String(rule.scope))) errs.push(F.notSupported(`${path}.scope`, rule.scope, SCOPES));
  return errs;
}
