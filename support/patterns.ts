/** Regular expressions of parameter types, apart from their Cucumber registration (importable anywhere). */

/** A pod phase, as `{phase}` in steps (registered in steps/pods.steps.ts). */
export const PHASE_REGEXP = /Pending|Running|Succeeded|Failed|Unknown/;
