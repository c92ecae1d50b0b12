// `node --import ./scripts/ts-loader.mjs file.ts`: tsx, with the project's own TypeScript compiled
// without esbuild's `keepNames` (scripts/ts-loader-hooks.mjs says why). The benchmarks
// (scripts/bench.mjs, `npm run bench:*`) and the unit tests (scripts/unit-tests.mjs) load through it;
// `--import tsx` alone still works, with every named function's name defined again as it is made.
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

registerTsx();
// Registered after tsx's, so its `load` runs first (Node calls the last registered hooks first).
register("./ts-loader-hooks.mjs", import.meta.url);
