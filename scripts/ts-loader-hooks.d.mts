// Types of scripts/ts-loader-hooks.mjs for the TypeScript that imports it (its test).
/** Whether `url` is one of the project's own TypeScript ES modules (not a package's, not CommonJS TypeScript). */
export function ownTypeScript(url: string): boolean;
