#!/usr/bin/env node
// Entry point of the `kube-scenario` command (src/cli/index.ts). An installed package runs its
// built JavaScript (dist/); the framework's own checkout, which has no dist/ unless packed, runs
// the TypeScript sources through tsx (a development dependency).
import { existsSync } from "node:fs";

const source = new URL("../src/cli/index.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import(new URL("../dist/src/cli/index.js", import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));
