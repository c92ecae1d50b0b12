import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layerConfigs } from "./eslint.layers.js";

export default tseslint.config(
  { ignores: ["node_modules/**", "reports/**", ".cache/**", "dist/**", "src/images/data/files/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "Use the cluster's seeded Random (src/sim/random.ts)." },
        { object: "Date", property: "now", message: "Use the cluster's SimClock (src/sim/clock.ts)." }],
      "no-restricted-globals": ["error",
        { name: "setTimeout", message: "Use the cluster's SimClock, never wall-clock timers." },
        { name: "setInterval", message: "Use the cluster's SimClock, never wall-clock timers." }],
    },
  },
  ...layerConfigs(),
  { files: ["scripts/**", "bench/**", "**/*.test.ts", ".ci/**"], rules: { "no-restricted-globals": "off", "no-restricted-properties": "off" } },
  // CommonJS files (support/compile-cache.cjs: preloaded with `node --require`, which takes CommonJS only).
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly", Buffer: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  // Typed objects (issue #20 §1): no explicit `any` anywhere in src/ outside tests, new folders
  // included. One left for a reason carries
  // `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- <reason>`.
  {
    files: ["src/**/*.ts"],
    ignores: ["**/*.test.ts", "**/testutil.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "error" },
  },
);
