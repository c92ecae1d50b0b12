/**
 * Kyverno's images (reg.kyverno.io/kyverno/*, modelled on v1.14.5): ko-built images
 * (.ko.yaml: base ghcr.io/wolfi-dev/static:alpine, no shell), each one Go binary at
 * `/ko-app/<name>`. Their programs: ./admission.ts (kyverno), ./background.ts
 * (background-controller), ./controllers.ts (kyvernopre, cleanup-controller), ./reportscontroller.ts (reports-controller);
 * the policy engine: ./engine.ts, ./validate.ts, ./pattern.ts, ./mutate.ts, ./policy.ts.
 */
import type { ModelBehaviour } from "../../launch.ts";
import { launchKyverno } from "./admission.ts";
import { launchBackground } from "./background.ts";
import { launchCleanup, launchInit } from "./controllers.ts";
import { launchReports } from "./reportscontroller.ts";

export const KYVERNO: ModelBehaviour = { programs: { "/ko-app/kyverno": launchKyverno, kyverno: launchKyverno } };
export const KYVERNO_PRE: ModelBehaviour = { programs: { "/ko-app/kyverno-init": launchInit, "kyverno-init": launchInit } };
export const KYVERNO_BACKGROUND: ModelBehaviour = { programs: { "/ko-app/background-controller": launchBackground, "background-controller": launchBackground } };
export const KYVERNO_CLEANUP: ModelBehaviour = { programs: { "/ko-app/cleanup-controller": launchCleanup, "cleanup-controller": launchCleanup } };
export const KYVERNO_REPORTS: ModelBehaviour = { programs: { "/ko-app/reports-controller": launchReports, "reports-controller": launchReports } };
