/** kube-scenario's Cucumber preset (support/preset.mjs): `export { default } from "kube-scenario/cucumber"`. */
import type { IConfiguration } from "@cucumber/cucumber/api";

declare const preset: Partial<IConfiguration>;
export default preset;
export declare const parallel: Partial<IConfiguration>;
/** The absolute path of kube-scenario's step library, for a configuration of your own (`import: [STEP_LIBRARY, ...]`). */
export declare const STEP_LIBRARY: string;
/** The globs of the project's own step files the preset loads. */
export declare const PROJECT_STEPS: string[];
/** Cucumber `format` and `formatOptions` for kube-scenario's reports. */
export declare function reports(opts?: { allureReporter?: string }): Pick<IConfiguration, "format" | "formatOptions">;
