// scripts/ts-loader.test.ts's fixture: counts `Object.defineProperty(f, "name", …)` on functions from
// the moment it is evaluated (before names.ts, which imports it first: esbuild's `keepNames` helper
// reads Object.defineProperty as each module body starts).
const define = Object.defineProperty;
let count = 0;
Object.defineProperty = function (target, key, descriptor) {
  if (typeof target === "function" && key === "name") count++;
  return define(target, key, descriptor);
};
export const defined = () => count;
