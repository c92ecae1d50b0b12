/**
 * Pod Security Admission's API (k8s.io/pod-security-admission/api, v0.32.4: constants.go and
 * helpers.go): the levels, the policy versions, the namespace labels and how they resolve to the
 * policy a namespace is evaluated against (`policyToEvaluate`), with upstream's field errors for
 * labels that do not parse.
 */
import { fieldErr, type FieldError } from "../../errors.ts";

export type Level = "privileged" | "baseline" | "restricted";

export const LEVEL_PRIVILEGED: Level = "privileged";
export const LEVEL_BASELINE: Level = "baseline";
export const LEVEL_RESTRICTED: Level = "restricted";
const VALID_LEVELS: Level[] = [LEVEL_PRIVILEGED, LEVEL_BASELINE, LEVEL_RESTRICTED];

export const LABEL_PREFIX = "pod-security.kubernetes.io/";
export const ENFORCE_LEVEL_LABEL = LABEL_PREFIX + "enforce";
export const ENFORCE_VERSION_LABEL = LABEL_PREFIX + "enforce-version";
export const AUDIT_LEVEL_LABEL = LABEL_PREFIX + "audit";
export const AUDIT_VERSION_LABEL = LABEL_PREFIX + "audit-version";
export const WARN_LEVEL_LABEL = LABEL_PREFIX + "warn";
export const WARN_VERSION_LABEL = LABEL_PREFIX + "warn-version";

/** The audit annotations the plugin adds (under LABEL_PREFIX): recorded only in an audit log. */
export const EXEMPTION_REASON_ANNOTATION_KEY = "exempt";
export const AUDIT_VIOLATIONS_ANNOTATION_KEY = "audit-violations";
export const ENFORCED_POLICY_ANNOTATION_KEY = "enforce-policy";

/** A policy version: `v1.<minor>`, or `latest` (newer than any numbered version). */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly latest: boolean;
}

const versions = new Map<number, Version>();
/** api.MajorMinorVersion(1, minor): one object per minor, so versions compare with `===`. */
export function majorMinorVersion(major: number, minor: number): Version {
  if (major !== 1) return Object.freeze({ major, minor, latest: false });
  let v = versions.get(minor);
  if (!v) versions.set(minor, (v = Object.freeze({ major, minor, latest: false })));
  return v;
}

export const LATEST: Version = Object.freeze({ major: 0, minor: 0, latest: true });
/** The zero Version{} (an unset MinimumVersion). */
export const NO_VERSION: Version = Object.freeze({ major: 0, minor: 0, latest: false });

export function versionString(v: Version): string {
  return v.latest ? "latest" : `v${v.major}.${v.minor}`;
}

/** Version.Older: `latest` is newer than everything, even future versions. */
export function older(v: Version, other: Version): boolean {
  if (v.latest) return false;
  if (other.latest) return true;
  if (v.major !== other.major) return v.major < other.major;
  return v.minor < other.minor;
}

/** ParseLevel: the level to evaluate; `restricted` and an error for anything else. */
export function parseLevel(level: string): { level: Level; err?: string } {
  if ((VALID_LEVELS as string[]).includes(level)) return { level: level as Level };
  return { level: LEVEL_RESTRICTED, err: `must be one of ${VALID_LEVELS.join(", ")}` };
}

const VERSION_RE = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** ParseVersion: `latest` or `v1.x`; `latest` and an error for anything else. */
export function parseVersion(version: string): { version: Version; err?: string } {
  if (version === "latest") return { version: LATEST };
  const m = VERSION_RE.exec(version);
  // Go's strconv.Atoi fails past int64 ("v1.99999999999999999999"): the same error.
  if (!m || !Number.isSafeInteger(Number(m[1]))) return { version: LATEST, err: `must be "latest" or "v1.x"` };
  return { version: majorMinorVersion(1, Number(m[1])) };
}

export interface LevelVersion {
  level: Level;
  version: Version;
}

/** LevelVersion.String(): `restricted:latest`, `baseline:v1.32`. */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${versionString(lv.version)}`;
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && sameVersion(a.version, b.version);
}

export function sameVersion(a: Version, b: Version): boolean {
  return a.latest === b.latest && a.major === b.major && a.minor === b.minor;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

/** Policy.FullyPrivileged: all three modes privileged. */
export function fullyPrivileged(p: Policy): boolean {
  return p.enforce.level === LEVEL_PRIVILEGED && p.audit.level === LEVEL_PRIVILEGED && p.warn.level === LEVEL_PRIVILEGED;
}

/** LevelVersion.Equivalent: the same level and version, or both privileged (any version). */
export function equivalentLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && (a.level === LEVEL_PRIVILEGED || sameVersion(a.version, b.version));
}

export function equivalentPolicy(a: Policy, b: Policy): boolean {
  return equivalentLevelVersion(a.enforce, b.enforce) && equivalentLevelVersion(a.audit, b.audit) && equivalentLevelVersion(a.warn, b.warn);
}

/** The policy of a cluster without an AdmissionConfiguration for PodSecurity: privileged:latest in all three modes. */
export const DEFAULT_POLICY: Policy = Object.freeze({
  enforce: Object.freeze({ level: LEVEL_PRIVILEGED, version: LATEST }),
  audit: Object.freeze({ level: LEVEL_PRIVILEGED, version: LATEST }),
  warn: Object.freeze({ level: LEVEL_PRIVILEGED, version: LATEST }),
});

/**
 * PolicyToEvaluate: the namespace's labels over the defaults. A valid policy is always returned;
 * a label that does not parse is an error (`metadata.labels[<label>]: Invalid value: ...`) and
 * evaluates as restricted:latest for enforce, privileged (fail open) for audit and warn. Without a
 * warn level, warn follows an enforce level set (and parsed) stricter than it, with enforce's
 * version unless warn's is set.
 */
export function policyToEvaluate(labels: Record<string, string> | undefined, defaults: Policy = DEFAULT_POLICY): { policy: Policy; errs: FieldError[] } {
  const p: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errs: FieldError[] = [];
  if (!labels) return { policy: p, errs };
  const err = (label: string, value: string, e?: string) => {
    if (e) errs.push(fieldErr.invalid(`metadata.labels[${label}]`, value, e));
  };
  let hasEnforceLevel = false;
  let hasWarnLevel = false;
  let hasWarnVersion = false;
  let v = labels[ENFORCE_LEVEL_LABEL];
  if (v !== undefined) {
    const r = parseLevel(v);
    p.enforce.level = r.level;
    hasEnforceLevel = !r.err; // don't default warn in case of error
    err(ENFORCE_LEVEL_LABEL, v, r.err);
  }
  v = labels[ENFORCE_VERSION_LABEL];
  if (v !== undefined) {
    const r = parseVersion(v);
    p.enforce.version = r.version;
    err(ENFORCE_VERSION_LABEL, v, r.err);
  }
  v = labels[AUDIT_LEVEL_LABEL];
  if (v !== undefined) {
    const r = parseLevel(v);
    p.audit.level = r.err ? LEVEL_PRIVILEGED : r.level; // fail open for audit
    err(AUDIT_LEVEL_LABEL, v, r.err);
  }
  v = labels[AUDIT_VERSION_LABEL];
  if (v !== undefined) {
    const r = parseVersion(v);
    p.audit.version = r.version;
    err(AUDIT_VERSION_LABEL, v, r.err);
  }
  v = labels[WARN_LEVEL_LABEL];
  if (v !== undefined) {
    hasWarnLevel = true;
    const r = parseLevel(v);
    p.warn.level = r.err ? LEVEL_PRIVILEGED : r.level; // fail open for warn
    err(WARN_LEVEL_LABEL, v, r.err);
  }
  v = labels[WARN_VERSION_LABEL];
  if (v !== undefined) {
    hasWarnVersion = true;
    const r = parseVersion(v);
    p.warn.version = r.version;
    err(WARN_VERSION_LABEL, v, r.err);
  }
  // Default warn to the enforce level when explicitly set to a more restrictive level.
  if (!hasWarnLevel && hasEnforceLevel && compareLevels(p.enforce.level, p.warn.level) > 0) {
    p.warn.level = p.enforce.level;
    if (!hasWarnVersion) p.warn.version = p.enforce.version;
  }
  return { policy: p, errs };
}

/** CompareLevels: 0 when equal, -1 when a is less strict than b, +1 when stricter. */
export function compareLevels(a: Level, b: Level): number {
  if (a === b) return 0;
  switch (a) {
    case LEVEL_PRIVILEGED:
      return -1;
    case LEVEL_RESTRICTED:
      return 1;
    default:
      if (b === LEVEL_PRIVILEGED) return 1;
      if (b === LEVEL_RESTRICTED) return -1;
  }
  return 0;
}

/** Whether any label is one of PSA's (what makes a namespace's policy other than the defaults). */
export function hasPodSecurityLabels(labels: Record<string, string> | undefined): boolean {
  if (!labels) return false;
  for (const k in labels) if (k.startsWith(LABEL_PREFIX)) return true;
  return false;
}
