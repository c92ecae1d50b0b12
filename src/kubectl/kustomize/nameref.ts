/**
 * Name references (api/internal/accumulator/namereferencetransformer.go and api/filters/nameref,
 * kustomize v5.5.0): once prefixes, suffixes and hashes have renamed resources, every field the
 * namereference field specs list (a volume's configMap name, envFrom, a RoleBinding's subjects, an
 * Ingress backend's service...) that names a renamed resource by one of its earlier names is
 * rewritten to its current name. Candidates are narrowed as upstream does: earlier name, kind,
 * roleRef kind, namespace, then the layers' prefixes and suffixes.
 */
import { isJSONObject, type JSONObject } from "../../api/types.ts";
import { applyFieldSpec, FieldSpecError, type FieldRef, type NameBackReference } from "./fieldspec.ts";
import { KustomizeError } from "./loader.ts";
import { effectiveNamespace, gvkSelected, gvkString, idNsEquals, idString, isClusterScoped, type Gvk, type Resource } from "./resource.ts";

type Sieve = (r: Resource) => boolean;

function roleRefGvk(referrer: Resource): Gvk | undefined {
  const rr = referrer.obj.roleRef;
  if (!isJSONObject(rr) || typeof rr.apiGroup !== "string" || typeof rr.kind !== "string") return undefined;
  return { group: rr.apiGroup, version: "", kind: rr.kind };
}

/** Resources a referrer may name (SubsetThatCouldBeReferencedByResource). */
function couldBeReferencedBy(all: Resource[], referrer: Resource): Resource[] {
  const rid = referrer.curId();
  if (isClusterScoped(rid.gvk)) return all;
  const rbNamespaces = new Set<string>();
  if (referrer.kind === "RoleBinding" && Array.isArray(referrer.obj.subjects)) {
    for (const s of referrer.obj.subjects) if (isJSONObject(s) && s.kind === "ServiceAccount" && typeof s.namespace === "string") rbNamespaces.add(s.namespace);
  }
  return all.filter((t) => {
    const id = t.curId();
    return isClusterScoped(id.gvk) || idNsEquals(id, rid) || rbNamespaces.has(t.namespace);
  });
}

function selectReferral(referrer: Resource, path: string, target: Partial<Gvk>, oldName: string, candidates: Resource[], identical: (rs: Resource[]) => boolean): Resource | undefined {
  const rid = referrer.curId();
  const roleGvk = path.endsWith("roleRef/name") ? roleRefGvk(referrer) : undefined;
  const sieves: Sieve[] = [
    (r) => r.prevIds.some((id) => id.name === oldName),
    (r) => r.prevIds.some((id) => gvkSelected(id.gvk, target)),
    (r) => !roleGvk || r.prevIds.some((id) => gvkSelected(id.gvk, roleGvk)),
    (r) => isClusterScoped(rid.gvk) || isClusterScoped(r.curId().gvk) || r.kind === "ServiceAccount" || effectiveNamespace(rid) === effectiveNamespace(r.curId()),
  ];
  let c = candidates;
  for (const s of sieves) c = c.filter(s);
  if (c.length === 1) return c[0];
  c = c.filter((r) => r.prefixesSuffixesEqual(referrer, true));
  if (c.length > 1) c = c.filter((r) => r.prefixesSuffixesEqual(referrer, false));
  if (c.length === 1) return c[0];
  if (c.length === 0) return undefined;
  if (identical(c)) return c[0];
  throw new KustomizeError(`found multiple possible referrals: ${c.map((r) => idString(r.curId())).join(", ")}`);
}

const allNamesSame = (rs: Resource[]) => rs.every((r) => r.name === rs[0].name);
const allNamesAndNamespacesSame = (rs: Resource[]) => rs.every((r) => r.name === rs[0].name && r.namespace === rs[0].namespace);

function setAt(ref: FieldRef, referrer: Resource, path: string, target: Partial<Gvk>, candidates: Resource[]): void {
  const node = (ref.parent as Record<string | number, unknown>)[ref.key];
  if (node === null || node === undefined) return;
  const scalar = (parent: JSONObject | unknown[], key: string | number, v: string) => {
    const referral = selectReferral(referrer, path, target, v, candidates, allNamesSame);
    if (referral && referral.name !== v) (parent as Record<string | number, unknown>)[key] = referral.name;
  };
  const mapping = (m: JSONObject) => {
    if (!("name" in m)) throw new FieldSpecError("path config error; no 'name' field in node");
    let cands = candidates;
    if (typeof m.namespace === "string") {
      const ns = m.namespace;
      const byOrg = candidates.filter((r) => r.orgId().namespace === ns);
      cands = byOrg.length ? byOrg : candidates.filter((r) => r.namespace === ns);
    }
    const oldName = String(m.name);
    const referral = selectReferral(referrer, path, target, oldName, cands, allNamesAndNamespacesSame);
    if (!referral) return;
    if (referral.name === oldName && referral.namespace === "") return;
    m.name = referral.name;
    if (referral.namespace !== "") m.namespace = referral.namespace;
  };
  if (typeof node === "string") scalar(ref.parent, ref.key, node);
  else if (isJSONObject(node)) mapping(node);
  else if (Array.isArray(node)) {
    node.forEach((item, i) => {
      if (typeof item === "string") scalar(node, i, item);
      else if (isJSONObject(item)) mapping(item);
    });
  } else if (typeof node !== "number" && typeof node !== "boolean") throw new FieldSpecError("node must be a scalar, sequence or map");
}

/** nameReferenceTransformer.Transform over the whole build. */
export function fixNameReferences(resources: Resource[], backRefs: NameBackReference[]): void {
  const filters = new Map<Resource, Array<{ target: Partial<Gvk>; spec: NameBackReference["referrers"][number] }>>();
  for (const br of backRefs) {
    for (const spec of br.referrers) {
      for (const r of resources) {
        if (!gvkSelected(r.orgId().gvk, spec)) continue;
        const list = filters.get(r) ?? [];
        list.push({ target: br.gvk, spec });
        filters.set(r, list);
      }
    }
  }
  for (const r of resources) {
    const list = filters.get(r);
    if (!list) continue;
    const candidates = couldBeReferencedBy(resources, r);
    for (const { target, spec } of list) {
      // The filter matches the spec's kind against the referrer as it is now.
      const fs = { ...spec, ...r.gvk() };
      try {
        applyFieldSpec(r.obj, fs, undefined, (ref) => setAt(ref, r, spec.path, target, candidates));
      } catch (e) {
        if (e instanceof FieldSpecError) {
          throw new KustomizeError(`updating name reference in '${spec.path}' field of '${idString(r.curId())}': considering field '${spec.path}' of object ${gvkString(r.gvk())}/${r.name}.${r.namespace || "[noNs]"}: ${e.message}`);
        }
        throw e;
      }
    }
  }
}
