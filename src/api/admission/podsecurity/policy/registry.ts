/**
 * The evaluator (k8s.io/pod-security-admission/policy/registry.go, v0.32.4): the checks inflated to
 * every policy version from v1.0 to the newest any check names, restricted including the baseline
 * checks it does not override; a pod is evaluated against one level and version, `latest` (and
 * any version newer than the newest) being the newest. Checks run in the order of their IDs,
 * baseline first, so messages list reasons in a fixed order.
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, LEVEL_PRIVILEGED, LEVEL_RESTRICTED, type LevelVersion, majorMinorVersion, NO_VERSION, older, type Version } from "../api.ts";
import type { Check, CheckID, CheckPodFn, CheckResult, VersionedCheck } from "./checks.ts";

export interface Evaluator {
  evaluatePod(lv: LevelVersion, podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult[];
}

class CheckRegistry implements Evaluator {
  readonly baselineChecks = new Map<number, CheckPodFn[]>();
  readonly restrictedChecks = new Map<number, CheckPodFn[]>();
  /** The newest MinimumVersion of any check. */
  maxVersion: Version = NO_VERSION;

  evaluatePod(lv: LevelVersion, podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult[] {
    if (lv.level === LEVEL_PRIVILEGED) return [];
    const version = older(this.maxVersion, lv.version) ? this.maxVersion : lv.version;
    const checks = (lv.level === LEVEL_BASELINE ? this.baselineChecks : this.restrictedChecks).get(version.minor) ?? [];
    return checks.map((check) => check(podMetadata, podSpec));
  }
}

/** NewEvaluator: throws on an invalid list of checks (upstream's errors). */
export function newEvaluator(checks: Check[]): Evaluator {
  validateChecks(checks);
  const r = new CheckRegistry();
  populate(r, checks);
  return r;
}

const sameVersion = (a: Version, b: Version) => a.latest === b.latest && a.major === b.major && a.minor === b.minor;
const versionText = (v: Version) => (v.latest ? "latest" : `v${v.major}.${v.minor}`);

export function validateChecks(checks: Check[]): void {
  const ids = new Map<CheckID, string>();
  for (const check of checks) {
    if (ids.has(check.id)) throw new Error(`multiple checks registered for ID ${check.id}`);
    ids.set(check.id, check.level);
    if (check.level !== LEVEL_BASELINE && check.level !== LEVEL_RESTRICTED) throw new Error(`check ${check.id}: invalid level ${check.level}`);
    if (check.versions.length === 0) throw new Error(`check ${check.id}: empty`);
    let maxVersion = NO_VERSION;
    for (const c of check.versions) {
      if (sameVersion(c.minimumVersion, NO_VERSION)) throw new Error(`check ${check.id}: undefined version found`);
      if (c.minimumVersion.latest) throw new Error(`check ${check.id}: version cannot be 'latest'`);
      if (sameVersion(maxVersion, c.minimumVersion)) throw new Error(`check ${check.id}: duplicate version ${versionText(c.minimumVersion)}`);
      if (!older(maxVersion, c.minimumVersion)) throw new Error(`check ${check.id}: versions must be strictly increasing`);
      maxVersion = c.minimumVersion;
    }
  }
  for (const check of checks) {
    for (const c of check.versions) {
      if (!c.overrideCheckIDs?.length) continue;
      if (check.level !== LEVEL_RESTRICTED) throw new Error(`check ${check.id}: only restricted checks may set overrides`);
      for (const override of c.overrideCheckIDs) {
        const overridden = ids.get(override);
        if (overridden !== undefined && overridden !== LEVEL_BASELINE) throw new Error(`check ${check.id}: overrides ${overridden} check ${override}`);
      }
    }
  }
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function populate(r: CheckRegistry, checks: Check[]): void {
  for (const c of checks) {
    const last = c.versions[c.versions.length - 1]!.minimumVersion;
    if (older(r.maxVersion, last)) r.maxVersion = last;
  }
  const restricted = new Map<number, Map<CheckID, VersionedCheck>>();
  const baseline = new Map<number, Map<CheckID, VersionedCheck>>();
  const baselineIDs: CheckID[] = [];
  const restrictedIDs: CheckID[] = [];
  for (const c of checks) {
    if (c.level === LEVEL_RESTRICTED) {
      restrictedIDs.push(c.id);
      inflateVersions(c, restricted, r.maxVersion);
    } else {
      baselineIDs.push(c.id);
      inflateVersions(c, baseline, r.maxVersion);
    }
  }
  // Sort the IDs to keep messages consistent: baseline checks first, then restricted.
  const orderedIDs = [...baselineIDs.sort(byteOrder), ...restrictedIDs.sort(byteOrder)];
  for (let minor = 0; minor <= r.maxVersion.minor; minor++) {
    const overrides = new Set<CheckID>();
    for (const c of restricted.get(minor)?.values() ?? []) for (const o of c.overrideCheckIDs ?? []) overrides.add(o);
    for (const [id, c] of baseline.get(minor) ?? []) {
      if (overrides.has(id)) continue;
      let m = restricted.get(minor);
      if (!m) restricted.set(minor, (m = new Map()));
      m.set(id, c);
    }
    r.restrictedChecks.set(minor, mapCheckPodFns(restricted.get(minor), orderedIDs));
    r.baselineChecks.set(minor, mapCheckPodFns(baseline.get(minor), orderedIDs));
  }
}

function inflateVersions(check: Check, versions: Map<number, Map<CheckID, VersionedCheck>>, maxVersion: Version): void {
  check.versions.forEach((c, i) => {
    const next = i + 1 < check.versions.length ? check.versions[i + 1]!.minimumVersion : majorMinorVersion(1, maxVersion.minor + 1);
    for (let minor = c.minimumVersion.minor; minor < next.minor; minor++) {
      let m = versions.get(minor);
      if (!m) versions.set(minor, (m = new Map()));
      m.set(check.id, c);
    }
  });
}

function mapCheckPodFns(checks: Map<CheckID, VersionedCheck> | undefined, orderedIDs: CheckID[]): CheckPodFn[] {
  const fns: CheckPodFn[] = [];
  for (const id of orderedIDs) {
    const c = checks?.get(id);
    if (c) fns.push(c.checkPod);
  }
  return fns;
}
