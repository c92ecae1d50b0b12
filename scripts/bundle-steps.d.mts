/** Types for scripts/bundle-steps.mjs (used by bench/suite.ts). */
export declare const BUNDLE: string;
/** What Cucumber imports (turns source maps on, then imports BUNDLE); what ensureBundle returns. */
export declare const ENTRY: string;
export declare const CLI_BUNDLE: string;
export declare function ensureBundle(opts?: { force?: boolean }): Promise<string>;
