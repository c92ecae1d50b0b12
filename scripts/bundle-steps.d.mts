/** Types for scripts/bundle-steps.mjs (used by bench/suite.ts). */
export declare const BUNDLE: string;
export declare function ensureBundle(opts?: { force?: boolean }): Promise<string>;
