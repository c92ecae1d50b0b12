/**
 * The checks kube-apiserver v1.32's PodSecurity plugin evaluates (policy.DefaultChecks(), every
 * check of k8s.io/pod-security-admission/policy v0.32.4 that is assigned to a policy version) and
 * the evaluator over them, built once.
 */
import type { Check } from "./checks.ts";
import { checkAllowPrivilegeEscalation } from "./check_allowPrivilegeEscalation.ts";
import { checkAppArmorProfile } from "./check_appArmorProfile.ts";
import { checkCapabilitiesBaseline } from "./check_capabilities_baseline.ts";
import { checkCapabilitiesRestricted } from "./check_capabilities_restricted.ts";
import { checkHostNamespaces } from "./check_hostNamespaces.ts";
import { checkHostPathVolumes } from "./check_hostPathVolumes.ts";
import { checkHostPorts } from "./check_hostPorts.ts";
import { checkPrivileged } from "./check_privileged.ts";
import { checkProcMount } from "./check_procMount.ts";
import { checkRestrictedVolumes } from "./check_restrictedVolumes.ts";
import { checkRunAsNonRoot } from "./check_runAsNonRoot.ts";
import { checkRunAsUser } from "./check_runAsUser.ts";
import { checkSELinuxOptions } from "./check_seLinuxOptions.ts";
import { checkSeccompBaseline } from "./check_seccompProfile_baseline.ts";
import { checkSeccompProfileRestricted } from "./check_seccompProfile_restricted.ts";
import { checkSysctls } from "./check_sysctls.ts";
import { checkWindowsHostProcess } from "./check_windowsHostProcess.ts";
import { type Evaluator, newEvaluator } from "./registry.ts";

/** DefaultChecks(): a new copy of the checks on each call. */
export function defaultChecks(): Check[] {
  return [
    checkAllowPrivilegeEscalation(),
    checkAppArmorProfile(),
    checkCapabilitiesBaseline(),
    checkCapabilitiesRestricted(),
    checkHostNamespaces(),
    checkHostPathVolumes(),
    checkHostPorts(),
    checkPrivileged(),
    checkProcMount(),
    checkRestrictedVolumes(),
    checkRunAsNonRoot(),
    checkRunAsUser(),
    checkSELinuxOptions(),
    checkSeccompBaseline(),
    checkSeccompProfileRestricted(),
    checkSysctls(),
    checkWindowsHostProcess(),
  ];
}

let evaluator: Evaluator | undefined;

/** The evaluator over the default checks (stateless, shared by every API server). */
export function defaultEvaluator(): Evaluator {
  return (evaluator ??= newEvaluator(defaultChecks()));
}
