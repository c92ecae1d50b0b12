/** Job and CronJob validation (pkg/apis/batch/validation). */
import type { KObject } from "../types.ts";
import { labelSelectorAsSelector, type Labels } from "../labels.ts";
import { F, field, isObj, type Errs } from "./field.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "./meta.ts";
import { IsDNS1123Label, IsDNS1123Subdomain, RegexError } from "./names.ts";
import { labelsRepr } from "./apps.ts";
import { validateLabelSelector, validateNonnegativeField, validatePodTemplateSpec } from "./pod.ts";

type Obj = Record<string, unknown>;

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);
/** The longest `spec.managedBy` (maxManagedByLength). */
const MAX_MANAGED_BY_LENGTH = 63;

/** apimachinery's IsDomainPrefixedPath: `<DNS-1123 subdomain>/<HTTP path>`, e.g. `acme.io/foo`. */
export function isDomainPrefixedPath(path: string, value: string): Errs {
  if (value.length === 0) return [F.required(path, "")];
  const slash = value.indexOf("/");
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? "" : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) return [F.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs: Errs = IsDNS1123Subdomain(host).map((m) => F.invalid(path, host, m));
  if (!HTTP_PATH_RE.test(rest)) errs.push(F.invalid(path, rest, RegexError("Invalid path", HTTP_PATH_FMT)));
  return errs;
}

/** validateJobSpec: counts, completion mode, the template and its restartPolicy. */
function validateJobSpecCommon(spec: Obj, path: string): Errs {
  const errs: Errs = [];
  for (const f of ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"]) {
    if (spec[f] !== undefined && spec[f] !== null) errs.push(...validateNonnegativeField(spec[f], `${path}.${f}`));
  }
  if (spec.completionMode !== undefined) {
    if (spec.completionMode !== "NonIndexed" && spec.completionMode !== "Indexed") {
      errs.push(F.notSupported(`${path}.completionMode`, spec.completionMode, ["NonIndexed", "Indexed"]));
    }
    if (spec.completionMode === "Indexed" && (spec.completions === undefined || spec.completions === null)) {
      errs.push(F.required(`${path}.completions`, "when completion mode is Indexed"));
    }
  }
  // spec.managedBy (JobManagedBy, beta and on in v1.32).
  if (spec.managedBy !== undefined && spec.managedBy !== null) {
    const by = String(spec.managedBy);
    errs.push(...isDomainPrefixedPath(`${path}.managedBy`, by));
    if (by.length > MAX_MANAGED_BY_LENGTH) errs.push(F.tooLong(`${path}.managedBy`, MAX_MANAGED_BY_LENGTH));
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const rp = field(field(spec.template, "spec"), "restartPolicy");
  if (rp === "Always" || !rp) errs.push(F.required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  else if (rp !== "OnFailure" && rp !== "Never") errs.push(F.notSupported(`${path}.template.spec.restartPolicy`, rp, ["OnFailure", "Never"]));
  return errs;
}

export function validateJob(job: KObject): Errs {
  const errs = validateObjectMeta(job.metadata, true, NameIsDNSSubdomain);
  const spec: Obj = isObj(job.spec) ? job.spec : {};
  const tplLabels = field(field(spec.template, "metadata"), "labels");
  if (spec.manualSelector !== true && !isObj(tplLabels)) errs.push(F.required("spec.template.metadata.labels"));
  errs.push(...validateJobSpecCommon(spec, "spec"));
  if (!isObj(spec.selector)) errs.push(F.required("spec.selector"));
  else errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  try {
    const sel = labelSelectorAsSelector(isObj(spec.selector) ? spec.selector : undefined);
    if (!sel.matches(tplLabels as Labels)) {
      errs.push(F.invalid("spec.template.metadata.labels", labelsRepr(tplLabels), "`selector` does not match template `labels`"));
    }
  } catch {
    // an invalid selector was reported above
  }
  if (spec.completionMode === "Indexed" && typeof spec.completions === "number" && spec.completions > 0) {
    const host = `${job.metadata.name}-${spec.completions - 1}`;
    if (IsDNS1123Label(host).length) errs.push(F.invalid("metadata.name", job.metadata.name, `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** The parts of robfig/cron's ParseStandard that catch most mistakes (field count, descriptors). */
export function cronScheduleError(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s.startsWith("@")) {
    if (DESCRIPTORS.includes(s) || s.startsWith("@every ")) return undefined;
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`;
  const ranges: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  for (let i = 0; i < 5; i++) {
    for (const part of fields[i].split(",")) {
      const [rangePart, step] = part.split("/");
      if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse int from ${step}: strconv.Atoi: parsing ${JSON.stringify(step)}: invalid syntax`;
      if (rangePart === "*" || rangePart === "?") continue;
      const bounds = rangePart.split("-");
      for (const b of bounds) {
        if (i >= 3 && /^[a-zA-Z]{3}$/.test(b)) continue;
        if (!/^\d+$/.test(b)) return `failed to parse int from ${b}: strconv.Atoi: parsing ${JSON.stringify(b)}: invalid syntax`;
      }
      const nums = bounds.filter((b) => /^\d+$/.test(b)).map(Number);
      const [lo, hi] = ranges[i];
      if (nums[0] !== undefined && nums[0] < lo) return `beginning of range (${nums[0]}) below minimum (${lo}): ${part}`;
      const end = nums[nums.length - 1];
      if (end !== undefined && end > hi) return `end of range (${end}) above maximum (${hi}): ${part}`;
    }
  }
  return undefined;
}

export function validateCronJob(cj: KObject): Errs {
  const errs = validateObjectMeta(cj.metadata, true, NameIsDNSSubdomain);
  const spec: Obj = isObj(cj.spec) ? cj.spec : {};
  if (!spec.schedule) errs.push(F.required("spec.schedule"));
  else {
    const e = cronScheduleError(String(spec.schedule));
    if (e) errs.push(F.invalid("spec.schedule", spec.schedule, e));
    if (/TZ=|CRON_TZ=/.test(String(spec.schedule))) errs.push(F.invalid("spec.schedule", spec.schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  }
  if (spec.startingDeadlineSeconds !== undefined) errs.push(...validateNonnegativeField(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"));
  if (!["Allow", "Forbid", "Replace"].includes(spec.concurrencyPolicy as string)) {
    if (!spec.concurrencyPolicy) errs.push(F.required("spec.concurrencyPolicy"));
    else errs.push(F.notSupported("spec.concurrencyPolicy", spec.concurrencyPolicy, ["Allow", "Forbid", "Replace"]));
  }
  for (const f of ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"]) {
    if (spec[f] !== undefined) errs.push(...validateNonnegativeField(spec[f], `spec.${f}`));
  }
  const jt: Obj = isObj(spec.jobTemplate) ? spec.jobTemplate : {};
  const jspec: Obj = isObj(jt.spec) ? jt.spec : {};
  if (isObj(jspec.selector)) errs.push(...validateLabelSelector(jspec.selector, "spec.jobTemplate.spec.selector"));
  errs.push(...validateJobSpecCommon(jspec, "spec.jobTemplate.spec"));
  if (String(cj.metadata.name ?? "").length > 52) errs.push(F.invalid("metadata.name", cj.metadata.name, "must be no more than 52 characters"));
  return errs;
}

export function validateJobUpdate(job: KObject, old: KObject): Errs {
  const errs: Errs = [];
  const canon = (v: unknown) => JSON.stringify(v ?? null);
  if (canon(job.spec?.selector) !== canon(old.spec?.selector)) errs.push(F.invalid("spec.selector", labelsRepr(job.spec?.selector?.matchLabels), "field is immutable"));
  // Elastic Indexed Jobs (ElasticIndexedJob, GA in v1.31): an Indexed Job's completions may change
  // together with parallelism, to the same value.
  if (job.spec?.completionMode === "Indexed" && old.spec?.completionMode === "Indexed") {
    if (canon(job.spec?.completions) !== canon(old.spec?.completions) && canon(job.spec?.completions) !== canon(job.spec?.parallelism)) {
      errs.push(F.invalid("spec.completions", job.spec?.completions ?? null, "can only be modified in tandem with spec.parallelism"));
    }
  } else if (canon(job.spec?.completions) !== canon(old.spec?.completions)) errs.push(F.invalid("spec.completions", job.spec?.completions ?? null, "field is immutable"));
  if (canon(job.spec?.managedBy) !== canon(old.spec?.managedBy)) errs.push(F.invalid("spec.managedBy", job.spec?.managedBy ?? null, "field is immutable"));
  return errs;
}
