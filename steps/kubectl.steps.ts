import { both, Then, When, action, simOnly } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { compareOutput, docString, outputUntil } from "../src/assert/output.ts";
import { checkTokenClaims, checkTokenLifetime } from "../src/assert/tokens.ts";
import { STEP_MS } from "../src/assert/eventually.ts";
import { then } from "../src/backend.ts";

action("I run {string}", both(function (this: KubeWorld, command: string) {
  return then(this.backend.kubectl(command), (r) => {
    this.last = { ...r, command };
    this.attachText(`$ ${command}`, r.stdout + r.stderr);
    if (r.exitCode !== 0) throw new Error(`"${command}" failed with exit code ${r.exitCode}:\n${r.stderr}${r.stdout}`);
  });
}));

/**
 * A command line given as a doc string, for commands that hold both kinds of quotes
 * (`kubectl get pods -o jsonpath="{..image}" | tr -s '[[:space:]]' '\n'`) as a page prints them,
 * or a page's shell snippet of several lines (`mkdir ./jobs` and a `for` loop with `sed`), which runs
 * in the terminal's shell on the user's machine, whose files kubectl reads.
 */
When("I run:", both(function (this: KubeWorld, command: string) {
  const line = command.trim();
  return then(this.backend.kubectl(line), (r) => {
    this.last = { ...r, command: line };
    this.attachText(`$ ${line}`, r.stdout + r.stderr);
    if (r.exitCode !== 0) throw new Error(`"${line}" failed with exit code ${r.exitCode}:\n${r.stderr}${r.stdout}`);
  });
}));

/**
 * `kubectl exec -it POD -- sh` and the lines typed into the shell: they are the command's standard
 * input, and the output is what the shell printed (no prompt and no echo of the typed lines, which
 * only a terminal shows).
 */
When("I run {string} and type:", both(function (this: KubeWorld, command: string, typed: string) {
  return then(this.backend.kubectl(command, typed.endsWith("\n") ? typed : typed + "\n"), (r) => {
    this.last = { ...r, command };
    this.attachText(`$ ${command}`, typed + "\n---\n" + r.stdout + r.stderr);
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

Then("the output does not contain:", both(function (this: KubeWorld, unexpected: string) {
  docString(unexpected);
  const last = this.lastResult();
  const at = last.stdout.indexOf(unexpected);
  if (at >= 0) {
    const line = last.stdout.slice(0, at).split("\n").length;
    throw new Error(`the output of "${last.command}" contains, at line ${line}:\n${unexpected}\n\nstdout was:\n${last.stdout}`);
  }
}));

Then("the error output is:", both(function (this: KubeWorld, expected: string) {
  const last = this.lastResult();
  const problem = compareOutput(last.stderr, expected);
  if (problem) throw new Error(`the error output (stderr) of "${last.command}" differs:\n${problem}`);
}));

/** Looks for the text in the last command's stderr, whatever its exit code (busybox's wget, curl's meter, a shell's error). */
Then("the error output contains:", both(function (this: KubeWorld, expected: string) {
  docString(expected);
  const last = this.lastResult();
  if (!last.stderr.includes(expected)) {
    throw new Error(`the error output (stderr) of "${last.command}" does not contain:\n${expected}\n\nstderr was:\n${last.stderr}${last.stdout ? `\nstdout was:\n${last.stdout}` : ""}`);
  }
}));

Then("the error output does not contain:", both(function (this: KubeWorld, unexpected: string) {
  docString(unexpected);
  const last = this.lastResult();
  const at = last.stderr.indexOf(unexpected);
  if (at >= 0) {
    const line = last.stderr.slice(0, at).split("\n").length;
    throw new Error(`the error output (stderr) of "${last.command}" contains, at line ${line}:\n${unexpected}\n\nstderr was:\n${last.stderr}`);
  }
}));

/** The last command's exit status (`kubectl diff`: 0 no differences, 1 differences, 2 an error; `kubectl wait`, `exec`). */
Then("the command exits with code {int}", both(function (this: KubeWorld, code: number) {
  const last = this.lastResult();
  if (last.exitCode !== code) {
    throw new Error(`"${last.command}" exited with code ${last.exitCode}, not ${code}\n\nstdout was:\n${last.stdout}${last.stderr ? `\nstderr was:\n${last.stderr}` : ""}`);
  }
}));

/** Every command run by a live `within`: on the facade the clock moves a second between tries (a real kubectl per try), on a real cluster it is polled. */
const LIVE_OUTPUT_STEP_MS = 1000;

/** Runs the command at each step of the clock until its output contains the text; the report gets the instant. */
Then("within {duration} the output of {string} contains:", both(function (this: KubeWorld, ms: number, command: string, expected: string) {
  docString(expected);
  const run = () => then(this.backend.kubectl(command), (r) => ((this.last = { ...r, command }), r));
  const until = outputUntil(command, expected, run, LIVE_OUTPUT_STEP_MS);
  return then(this.backend.within(ms, STEP_MS, until), (held) => {
    this.attachText(`$ ${command}`, this.last!.stdout + this.last!.stderr);
    this.attachText("instant.txt", held.instant);
  });
}));


/**
 * A second terminal, as the kubernetes.io pages use one: "in one terminal, watch the Pods
 * (`kubectl get pods --watch`); in another, create the StatefulSet". The command keeps running
 * beside the steps and prints as simulated time passes (what kubectl prints for each watch event,
 * at its instant), until `I stop the second terminal` or the end of the scenario. A command that
 * does not keep running ends at once. One second terminal at a time.
 */
action("I run {string} in a second terminal", simOnly("the second terminal runs in the simulated cluster's time; a live run would need a kubectl process beside the steps (not implemented)", function (this: KubeWorld, command: string) {
  if (this.terminal?.running.running) throw new Error(`the second terminal still runs "${this.terminal.command}": stop it first (When I stop the second terminal)`);
  const running = this.cluster.startKubectl(command);
  this.terminal = { command, running };
  const r = running.output();
  this.attachText(`$ ${command}  (second terminal)`, r.stdout + r.stderr);
  if (!running.running && r.exitCode !== 0) throw new Error(`"${command}" failed with exit code ${r.exitCode}:\n${r.stderr}${r.stdout}`);
}));

/** What the second terminal shows so far becomes the output the `the output …` steps read. */
When("I look at the second terminal", simOnly("the second terminal runs in the simulated cluster's time", function (this: KubeWorld) {
  if (!this.terminal) throw new Error('no command runs in a second terminal (When I run "kubectl get pods -w" in a second terminal)');
  const r = this.terminal.running.output();
  this.last = { ...r, command: this.terminal.command };
  this.attachText(`$ ${this.terminal.command}  (second terminal, so far)`, r.stdout + r.stderr);
}));

/** Ctrl-C in the second terminal: the command stops, and all it printed becomes the output the `the output …` steps read. */
When("I stop the second terminal", simOnly("the second terminal runs in the simulated cluster's time", function (this: KubeWorld) {
  if (!this.terminal) throw new Error('no command runs in a second terminal (When I run "kubectl get pods -w" in a second terminal)');
  const r = this.terminal.running.stop();
  this.last = { ...r, command: this.terminal.command };
  this.attachText(`$ ${this.terminal.command}  (second terminal, stopped)`, r.stdout + r.stderr);
}));

/**
 * The last command printed one JSON Web Token (`kubectl create token`, a projected token file)
 * whose claims include the doc string's JSON object (a subset: nested objects key by key).
 */
Then("the output is a JSON Web Token whose claims include:", both(function (this: KubeWorld, expected: string) {
  const last = this.lastResult();
  const problem = checkTokenClaims(last.stdout, docString(expected));
  if (problem) throw new Error(`the output of "${last.command}": ${problem}`);
}));

/** The last command printed one JSON Web Token valid for the duration from when it was issued (exp - iat). */
Then("the output is a JSON Web Token valid for {duration}", both(function (this: KubeWorld, ms: number) {
  const last = this.lastResult();
  const problem = checkTokenLifetime(last.stdout, ms);
  if (problem) throw new Error(`the output of "${last.command}": ${problem}`);
}));
