/** Types for scripts/bundle-steps.mjs (used by bench/suite.ts). */
export declare const BUNDLE: string;
/** What Cucumber imports (turns source maps on, then imports BUNDLE); what ensureBundle returns. */
export declare const ENTRY: string;
export declare const CLI_BUNDLE: string;
export declare function ensureBundle(opts?: { force?: boolean }): Promise<string>;
/** A bundle file's text with the non-ASCII characters of its comments in ASCII (proved by esbuild's `transform`), or the text itself. */
export declare function asciiComments(text: string, transform: (code: string, options: object) => Promise<{ code: string }>): Promise<string>;
