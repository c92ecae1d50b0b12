/** ReplicaSet, Deployment and DaemonSet validation (pkg/apis/apps/validation). */
import type { KObject } from "../types.ts";
import { labelSelectorAsSelector, type Labels, type Selector } from "../labels.ts";
import { arr, F, field, GoRepr, isObj, str, type Errs } from "./field.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "./meta.ts";
import { goValue } from "./names.ts";
import { validateLabelSelector, validateNonnegativeField, validatePodTemplateSpec } from "./pod.ts";

type Obj = Record<string, unknown>;

/** %#v of a label map (`map[string]string(nil)` when absent). */
export function labelsRepr(labels: unknown): GoRepr {
  return new GoRepr(isObj(labels) ? goValue(labels) : "map[string]string(nil)");
}

export function labelSelectorRepr(sel: unknown): GoRepr {
  const s: Obj = isObj(sel) ? sel : {};
  const ml = isObj(s.matchLabels) ? goValue(s.matchLabels) : "map[string]string(nil)";
  const me = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e: Obj) => `v1.LabelSelectorRequirement{Key:${goValue(e?.key ?? "")}, Operator:${goValue(e?.operator ?? "")}, Values:${Array.isArray(e?.values) ? goValue(e.values) : "[]string(nil)"}}`)
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return new GoRepr(`v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`);
}

function selectorOf(sel: unknown): Selector | undefined {
  try {
    return labelSelectorAsSelector(isObj(sel) ? sel : undefined);
  } catch {
    return undefined;
  }
}

/**
 * Frozen selectors found valid by `validateSelector`, by kind word, with the parsed selector: a
 * frozen selector is a stored object's, shared by a write that leaves it unchanged (the fast
 * engine's, issue #19 §3: a Deployment scaling its ReplicaSet), and cannot change, so neither can
 * the answer. (Invalid ones are checked every time, as the reference engine's copies are.)
 */
const selectorChecks = new WeakMap<object, Map<string, Selector>>();

/** The selector checks shared by ReplicaSet, Deployment and DaemonSet specs. */
function validateSelector(spec: Obj, kindWord: string): { errs: Errs; selector?: Selector } {
  const sel = spec.selector;
  if (!isObj(sel) || !Object.isFrozen(sel)) return checkSelector(spec, kindWord);
  let byWord = selectorChecks.get(sel);
  if (!byWord) selectorChecks.set(sel, (byWord = new Map()));
  const known = byWord.get(kindWord);
  if (known) return { errs: [], selector: known };
  const checked = checkSelector(spec, kindWord);
  if (checked.errs.length === 0 && checked.selector) byWord.set(kindWord, checked.selector);
  return checked;
}

function checkSelector(spec: Obj, kindWord: string): { errs: Errs; selector?: Selector } {
  const errs: Errs = [];
  if (!isObj(spec.selector)) errs.push(F.required("spec.selector"));
  else {
    errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
    const n = Object.keys(spec.selector.matchLabels ?? {}).length + arr(spec.selector.matchExpressions).length;
    if (n === 0) errs.push(F.invalid("spec.selector", labelSelectorRepr(spec.selector), `empty selector is invalid for ${kindWord}`));
  }
  const selector = selectorOf(spec.selector);
  if (!selector) errs.push(F.invalid("spec.selector", labelSelectorRepr(spec.selector), "invalid label selector"));
  return { errs, selector };
}

/** ValidatePodTemplateSpecForReplicaSet */
function validateTemplateForController(tpl: unknown, selector: Selector, path: string, allowed: string[] = ["Always"]): Errs {
  const errs: Errs = [];
  if (!isObj(tpl)) return [F.required(path)];
  const labels = field(tpl.metadata, "labels") as Labels; // a decoded map[string]string
  if (!selector.empty() && !selector.matches(labels)) {
    errs.push(F.invalid(`${path}.metadata.labels`, labelsRepr(labels), "`selector` does not match template `labels`"));
  }
  errs.push(...validatePodTemplateSpec(tpl, path));
  const rp = str(field(tpl.spec, "restartPolicy"));
  if (rp && !allowed.includes(rp)) errs.push(F.notSupported(`${path}.spec.restartPolicy`, rp, allowed));
  const ads = field(tpl.spec, "activeDeadlineSeconds");
  if (ads !== undefined) {
    errs.push(F.invalid(`${path}.spec.activeDeadlineSeconds`, ads, "activeDeadlineSeconds in ReplicaSet is not Supported"));
  }
  return errs;
}

export function validateReplicaSet(rs: KObject): Errs {
  const errs = validateObjectMeta(rs.metadata, true, NameIsDNSSubdomain);
  const spec: Obj = isObj(rs.spec) ? rs.spec : {};
  errs.push(...validateNonnegativeField(spec.replicas, "spec.replicas"));
  errs.push(...validateNonnegativeField(spec.minReadySeconds, "spec.minReadySeconds"));
  const { errs: sErrs, selector } = validateSelector(spec, "deployment");
  errs.push(...sErrs);
  if (selector) errs.push(...validateTemplateForController(spec.template, selector, "spec.template"));
  return errs;
}

const isZeroIntOrPercent = (v: unknown) => v === 0 || v === "0%" || v === "0";

export function validateDeployment(d: KObject): Errs {
  const errs = validateObjectMeta(d.metadata, true, NameIsDNSSubdomain);
  const spec: Obj = isObj(d.spec) ? d.spec : {};
  errs.push(...validateNonnegativeField(spec.replicas, "spec.replicas"));
  const { errs: sErrs, selector } = validateSelector(spec, "deployment");
  errs.push(...sErrs);
  if (selector) errs.push(...validateTemplateForController(spec.template, selector, "spec.template"));
  const st: Obj = isObj(spec.strategy) ? spec.strategy : {};
  if (st.type === "Recreate" && st.rollingUpdate !== undefined) {
    errs.push(F.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
  } else if (st.type === "RollingUpdate" && isObj(st.rollingUpdate)) {
    const ru = st.rollingUpdate;
    for (const f of ["maxUnavailable", "maxSurge"]) {
      const v = ru[f];
      if (typeof v === "number" && v < 0) errs.push(F.invalid(`spec.strategy.rollingUpdate.${f}`, v, "must be greater than or equal to 0"));
      if (typeof v === "string") {
        const m = /^(\d+)%$/.exec(v);
        if (!m) errs.push(F.invalid(`spec.strategy.rollingUpdate.${f}`, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
        else if (f === "maxUnavailable" && Number(m[1]) > 100) errs.push(F.invalid(`spec.strategy.rollingUpdate.${f}`, v, "must not be greater than 100%"));
      }
    }
    if (isZeroIntOrPercent(ru.maxUnavailable) && isZeroIntOrPercent(ru.maxSurge)) {
      const r = (v: unknown) => new GoRepr(typeof v === "string" ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goValue(v)}}` : `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`);
      errs.push(F.invalid("spec.strategy.rollingUpdate.maxUnavailable", r(ru.maxUnavailable), "may not be 0 when `maxSurge` is 0"));
    }
  } else if (st.type && st.type !== "RollingUpdate" && st.type !== "Recreate") {
    errs.push(F.notSupported("spec.strategy.type", st.type, ["Recreate", "RollingUpdate"]));
  }
  errs.push(...validateNonnegativeField(spec.minReadySeconds, "spec.minReadySeconds"));
  if (typeof spec.revisionHistoryLimit === "number") errs.push(...validateNonnegativeField(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"));
  if (typeof spec.progressDeadlineSeconds === "number") {
    errs.push(...validateNonnegativeField(spec.progressDeadlineSeconds, "spec.progressDeadlineSeconds"));
    if (spec.progressDeadlineSeconds <= (typeof spec.minReadySeconds === "number" ? spec.minReadySeconds : 0)) {
      errs.push(F.invalid("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds, "must be greater than minReadySeconds"));
    }
  }
  return errs;
}

export function validateDaemonSet(ds: KObject): Errs {
  const errs = validateObjectMeta(ds.metadata, true, NameIsDNSSubdomain);
  const spec: Obj = isObj(ds.spec) ? ds.spec : {};
  const { errs: sErrs, selector } = validateSelector(spec, "daemonset");
  errs.push(...sErrs);
  if (selector) errs.push(...validateTemplateForController(spec.template, selector, "spec.template"));
  return errs;
}

/** The selector of an apps/v1 controller cannot change. */
/** A selector's JSON (at module level: a closure made per call costs a name definition under esbuild's keepNames). */
const canonSelector = (v: unknown) => JSON.stringify(v ?? null);

export function validateSelectorImmutable(obj: KObject, old: KObject): Errs {
  const canon = canonSelector;
  // The same object (shared with the stored version) serialises the same.
  if (obj.spec?.selector !== old.spec?.selector && canon(obj.spec?.selector) !== canon(old.spec?.selector)) {
    return [F.invalid("spec.selector", labelSelectorRepr(obj.spec?.selector), "field is immutable")];
  }
  return [];
}
