/**
 * The registries' validation (strategy Validate / ValidateUpdate), run after every mutating
 * step: the object's field errors become the API server's Invalid error.
 */
import { invalidError } from "../errors.ts";
import type { AdmissionPlugin, ApiServer } from "../store.ts";
import type { KObject } from "../types.ts";
import type { Errs } from "../validation/field.ts";
import { createUnchecked, validateCreate, validateUpdate } from "../validation/index.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "../validation/meta.ts";
import { validatePodCreateSpec, validatePodEphemeralContainersUpdate } from "../validation/pod.ts";
import { SERVICE_ACCOUNT_VOLUME_NAME } from "./serviceaccount.ts";

export const validation: AdmissionPlugin = {
  name: "Validation",
  // A create of a kind whose registry validates nothing (validateCreate answers [] for any object of it).
  inertFor: (kind) => createUnchecked(kind),
  // pods/ephemeralcontainers: podEphemeralContainersStrategy.ValidateUpdate.
  subresources: ["", "ephemeralcontainers"],
  validate(obj, op, old, api, attrs) {
    const errs =
      attrs.subresource === "ephemeralcontainers" && old
        ? validatePodEphemeralContainersUpdate(obj, old)
        : op === "UPDATE" && old
          ? validateUpdate(obj, old)
          : !api.reference && obj.kind === "Pod"
            ? validatePodCreateKept(api, obj)
            : validateCreate(obj);
    if (errs.length) throw invalidError(obj.kind, obj.metadata.name ?? "", errs, api.resource(api.keyOf(obj)).group);
  },
};

/**
 * The fast engine's pod create validation (issue #19 §3): a controller creates its pods from one
 * template, so each pod's spec is the previous one's but for the service-account token volume's
 * name (`kube-api-access-<5 chars>`, drawn per pod by the ServiceAccount plugin, in the volume and
 * in every container's mount). Per API server and controller uid, the spec of the last pod whose
 * spec checks passed is kept (the stored, frozen object); a new pod's spec checks pass at once when
 * its spec is that one with the token volume's name renamed (`renamedSpec`). Why that is exact: the
 * spec checks (`validatePodCreateSpec`) are a function of the spec alone; they compare strings with
 * each other (names unique, mounts naming volumes) and test each against formats (DNS labels,
 * lengths, prefixes). Both names are `kube-api-access-` and five lower-case letters or digits, so
 * every format test answers alike, and the new name occurs nowhere in the kept spec, so the renaming
 * is one-to-one and keeps every equality between strings. The metadata is validated every time.
 * The reference engine validates every spec.
 */
function validatePodCreateKept(api: ApiServer, pod: KObject): Errs {
  const errs = validateObjectMeta(pod.metadata, true, NameIsDNSSubdomain);
  const owner = controllerUid(pod);
  const spec = pod.spec;
  let kept = owner === undefined ? undefined : keptSpecs.get(api)?.get(owner);
  if (kept !== undefined && !(Object.isFrozen(kept) && renamedSpec(spec, kept))) kept = undefined;
  if (kept === undefined) {
    const specErrs = validatePodCreateSpec(spec);
    if (specErrs.length) return [...errs, ...specErrs];
    // Kept once stored (frozen): a create refused after validation leaves an unfrozen spec, not used.
    if (owner !== undefined && spec !== null && typeof spec === "object") {
      let m = keptSpecs.get(api);
      if (!m) keptSpecs.set(api, (m = new Map()));
      if (m.size >= MAX_KEPT && !m.has(owner)) m.clear();
      m.set(owner, spec);
    }
  }
  return errs;
}

/** Per API server: controller uid → the spec of its last pod whose spec checks passed. */
const keptSpecs = new WeakMap<ApiServer, Map<string, object>>();
const MAX_KEPT = 1024;

function controllerUid(pod: KObject): string | undefined {
  const refs = pod.metadata.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) if (r && r.controller === true && typeof r.uid === "string") return r.uid;
  return undefined;
}

const TOKEN_VOLUME = new RegExp(`^${SERVICE_ACCOUNT_VOLUME_NAME}-[a-z0-9]{5}$`);

/** The name of the spec's first volume named `kube-api-access-…` ("" when none), and its index. */
function tokenVolume(spec: unknown): [string, number] {
  const volumes = spec !== null && typeof spec === "object" ? (spec as { volumes?: unknown }).volumes : undefined;
  if (!Array.isArray(volumes)) return ["", -1];
  for (let i = 0; i < volumes.length; i++) {
    const name = volumes[i]?.name;
    if (typeof name === "string" && name.startsWith(SERVICE_ACCOUNT_VOLUME_NAME + "-")) return [name, i];
  }
  return ["", -1];
}

/**
 * Whether `spec` is `kept` with its token volume's name renamed: the same JSON (keys in the same
 * order, values of the same types and, but for strings equal to the kept name, equal), where the
 * kept token volume's name is the new one's wherever it occurs as a value; neither name may occur
 * as a key, nor the new name anywhere in `kept`. Without a token volume in both, plain equality.
 */
export function renamedSpec(spec: unknown, kept: unknown): boolean {
  const [to, i] = tokenVolume(spec);
  const [from, j] = tokenVolume(kept);
  if (i !== j) return false;
  if (i >= 0 && !(TOKEN_VOLUME.test(to) && TOKEN_VOLUME.test(from))) return false;
  return renamed(spec, kept, from, to);
}

function renamed(a: unknown, b: unknown, from: string, to: string): boolean {
  if (typeof b === "string") return b === from ? a === to : b !== to && a === b;
  if (b === null || typeof b !== "object") return Object.is(a, b);
  if (a === null || typeof a !== "object") return false;
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) return false;
    for (let i = 0; i < b.length; i++) if (!renamed(a[i], b[i], from, to)) return false;
    return true;
  }
  if (Array.isArray(a)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < kb.length; i++) {
    const k = kb[i];
    if (ka[i] !== k || (from !== "" && (k === from || k === to))) return false;
    if (!renamed((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], from, to)) return false;
  }
  return true;
}
