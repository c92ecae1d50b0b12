// Cucumber runs kube-scenario's steps and ours (steps/*.mjs) with kube-scenario's reports.
// `npx cucumber-js` works too; `npm test` (kube-scenario test) adds the closing counts and the
// Allure labels. Options of your own go on top: export default { ...preset, parallel: 2 }.
export { default } from "kube-scenario/cucumber";
