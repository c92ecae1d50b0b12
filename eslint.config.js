import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layerConfigs } from "./eslint.layers.js";

export default tseslint.config(
  { ignores: ["node_modules/**", "reports/**", ".cache/**", "dist/**"] },
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
  // Typed objects (issue #20 §1): these folders have no explicit `any` outside tests; one left for a
  // reason carries `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- <reason>`.
  // One list: add a folder once it is clean.
  {
    files: [
      "src/*.ts",
      "src/api/**/*.ts",
      "src/cli/**/*.ts",
      "src/fuzz/**/*.ts",
      "src/images/**/*.ts",
      "src/kubectl/**/*.ts",
      "src/kubelet/**/*.ts",
      "src/live/**/*.ts",
      "src/metrics/**/*.ts",
      "src/network/**/*.ts",
      "src/report/**/*.ts",
      "src/runtime/**/*.ts",
      "src/scheduler/**/*.ts",
      "src/server/**/*.ts",
      "src/sim/**/*.ts",
    ],
    ignores: ["**/*.test.ts", "**/testutil.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "error" },
  },
  // src/controllers/**: zero except the three files #19's ctrlspeed branch is rewriting (Endpoints,
  // EndpointSlices, the StatefulSet's claim helpers); they join once that lands and their 8 any are typed.
  {
    files: ["src/controllers/**"],
    ignores: ["**/*.test.ts", "**/testutil.ts", "src/controllers/endpoints.ts", "src/controllers/endpointslice.ts", "src/controllers/statefulset/stateful_set_utils.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "error" },
  },
  { files: ["scripts/**", "bench/**", "**/*.test.ts", ".ci/**"], rules: { "no-restricted-globals": "off", "no-restricted-properties": "off" } },
  // #20 §1: no-explicit-any is an error for all of src/ (tests aside), new folders included. Not yet
  // src/controllers (its typed files have their own entry) and src/assert: they still have `any`
  // without a reason; take them out of `ignores` once each is typed or commented.
  {
    files: ["src/**/*.ts"],
    ignores: ["**/*.test.ts", "**/testutil.ts", "src/controllers/**", "src/assert/**"],
    rules: { "@typescript-eslint/no-explicit-any": "error" },
  },
);
