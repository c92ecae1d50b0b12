// Types of eslint.layers.js for the TypeScript code that reads it (scripts/layers.test.ts).
import type { Linter } from "eslint";

export const LAYERS: string[][];
export const EXCEPTIONS: Record<string, string[]>;
export function layerConfigs(root?: string, exceptions?: Record<string, string[]>): Linter.Config[];
