import { both, Then, action } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { compareOutput } from "../src/assert/output.ts";
import { then } from "../src/backend.ts";

action("I run {string}", both(function (this: KubeWorld, command: string) {
  return then(this.backend.kubectl(command), (r) => {
    this.last = { ...r, command };
    this.attachText(`$ ${command}`, r.stdout + r.stderr);
    if (r.exitCode !== 0) throw new Error(`"${command}" failed with exit code ${r.exitCode}:\n${r.stderr}${r.stdout}`);
  });
}));

action("I try to run {string}", both(function (this: KubeWorld, command: string) {
  return then(this.backend.kubectl(command), (r) => {
    this.last = { ...r, command };
    this.attachText(`$ ${command}`, r.stdout + r.stderr);
  });
}));

Then("the output is:", both(function (this: KubeWorld, expected: string) {
  const last = this.lastResult();
  const problem = compareOutput(last.stdout, expected);
  if (problem) throw new Error(`the output of "${last.command}" differs:\n${problem}${last.stderr ? `\nstderr:\n${last.stderr}` : ""}`);
}));

Then("the output contains:", both(function (this: KubeWorld, expected: string) {
  const last = this.lastResult();
  if (!last.stdout.includes(expected)) {
    throw new Error(`the output of "${last.command}" does not contain:\n${expected}\n\nstdout was:\n${last.stdout}${last.stderr ? `\nstderr was:\n${last.stderr}` : ""}`);
  }
}));

Then("the command fails with:", both(function (this: KubeWorld, expected: string) {
  const last = this.lastResult();
  if (last.exitCode === 0) throw new Error(`"${last.command}" succeeded (exit code 0); expected it to fail with:\n${expected}\n\nstdout was:\n${last.stdout}`);
  if (!last.stderr.includes(expected)) {
    throw new Error(`"${last.command}" failed, but its error output does not contain:\n${expected}\n\nstderr was:\n${last.stderr}`);
  }
}));
