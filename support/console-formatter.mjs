// The console formatter: Cucumber's progress dots, and for each failed scenario a short account
// (under 80 lines) that puts the reason first: the scenario and the failed step with its location
// in the feature, the assertion's message, the `--- why ---` summary (at most 15 lines: the pod's
// state in one line, the reason the simulation gives, its last events), then where the full
// diagnostics are. The full pod YAML, annotations, `kubectl get all` and the timeline go to the
// reports only (Cucumber HTML and Allure attachments; the message after `--- details ---`).
// KUBE_SCENARIO_VERBOSE=1 prints everything on the console, as Cucumber's progress formatter does.
import { formatterHelpers, ProgressFormatter } from "@cucumber/cucumber";

/** The markers of src/report/explain.ts (WHY_MARKER, DETAILS_MARKER); a unit test keeps them equal. */
export const WHY = "--- why ---";
export const DETAILS = "--- details ---";

/** Lines of an assertion's own message shown before "… more in the report". */
export const HEAD_LINES = 40;
/** Lines of the `--- why ---` summary shown. */
export const WHY_LINES = 15;
/** Steps shown before the failed one (the earlier ones are counted). */
const STEPS_BEFORE = 2;

const VERBOSE = process.env.KUBE_SCENARIO_VERBOSE === "1";

const cap = (lines, max, what) => (lines.length <= max ? lines : [...lines.slice(0, max), `… ${lines.length - max} more line(s) of ${what} in the report`]);

/**
 * A failed step's message for the console: stack frames dropped, the assertion's text (at most
 * HEAD_LINES), the `--- why ---` summary (at most WHY_LINES), nothing after `--- details ---`.
 */
export function compactMessage(message) {
  const lines = String(message ?? "").split("\n");
  // Node's stack frames ("    at fn (file:line:col)"), after the message.
  const text = lines.filter((l) => !/^ {4}at \S/.test(l)).join("\n").replace(/\s+$/, "");
  const cut = text.indexOf(`\n${DETAILS}\n`);
  const shown = cut >= 0 ? text.slice(0, cut).replace(/\s+$/, "") : text;
  const why = shown.indexOf(`\n${WHY}\n`);
  const head = (why >= 0 ? shown.slice(0, why) : shown).replace(/\s+$/, "").split("\n");
  const out = cap(head, HEAD_LINES, "the message");
  if (why >= 0) out.push(WHY, ...cap(shown.slice(why + WHY.length + 2).replace(/^\n+/, "").split("\n"), WHY_LINES, "the explanation"));
  return { lines: out, hasDetails: cut >= 0 };
}

const MARK = { PASSED: "✔", FAILED: "✖", SKIPPED: "-", UNDEFINED: "?", PENDING: "?", AMBIGUOUS: "✖" };
const indent = (text, n) => text.split("\n").map((l) => (l ? " ".repeat(n) + l : l)).join("\n");

export default class ConsoleFormatter extends ProgressFormatter {
  static documentation = "Progress dots, then each failed scenario in a few lines with its reason first (KUBE_SCENARIO_VERBOSE=1: everything).";

  logIssues({ issues, title }) {
    if (VERBOSE) {
      this.printAttachments = true;
      super.logIssues({ issues, title });
      return;
    }
    this.log(`${title}:\n\n`);
    issues.forEach((testCaseAttempt, index) => this.log(this.formatCompact(index + 1, testCaseAttempt)));
  }

  formatCompact(number, testCaseAttempt) {
    const parsed = formatterHelpers.parseTestCaseAttempt({ snippetBuilder: this.snippetBuilder, supportCodeLibrary: this.supportCodeLibrary, testCaseAttempt });
    const color = (status) => this.colorFns.forStatus(status);
    const where = (loc) => (loc ? ` # ${this.colorFns.location(formatterHelpers.formatLocation(loc))}` : "");
    const out = [`${number}) Scenario: ${parsed.testCase.name}${where(parsed.testCase.sourceLocation)}`];
    const steps = parsed.testSteps;
    const bad = steps.findIndex((s) => s.result.status !== "PASSED" && s.result.status !== "SKIPPED");
    const failedAt = bad >= 0 ? bad : steps.length;
    const shownFrom = Math.max(0, failedAt - STEPS_BEFORE);
    const passedBefore = steps.slice(0, shownFrom).filter((s) => s.text !== undefined).length;
    if (passedBefore) out.push(color("PASSED")(`   ✔ ${passedBefore} step(s) passed`));
    let details = false;
    for (const [i, step] of steps.entries()) {
      if (i < shownFrom) continue;
      const status = step.result.status;
      if (i > failedAt) {
        const rest = steps.slice(i).filter((s) => s.text !== undefined).length;
        if (rest) out.push(color("SKIPPED")(`   - ${rest} more step(s) skipped`));
        break;
      }
      const name = step.text !== undefined ? `${step.keyword}${step.text}` : `${step.keyword}${step.name ? ` (${step.name})` : ""}`;
      out.push(color(status)(`   ${MARK[status] ?? "?"} ${name}`) + (i === failedAt ? where(step.sourceLocation ?? step.actionLocation) : ""));
      if (i !== failedAt) continue;
      if (status === "UNDEFINED") out.push(indent("Undefined step (the closest existing phrases are listed after the run).", 7));
      else if (status === "PENDING") out.push(indent("Pending.", 7));
      else {
        const m = compactMessage(step.result.message);
        details = m.hasDetails;
        out.push(indent(m.lines.join("\n"), 7));
      }
    }
    out.push(
      `   Full diagnostics (${details ? "the explanation's details, " : ""}the pods' YAML and annotations, the cluster and events at the end, the timeline): ` +
        "this scenario's attachments in reports/cucumber.html and the Allure report (npm run report); KUBE_SCENARIO_VERBOSE=1 prints them here.",
    );
    return `${out.join("\n")}\n\n`;
  }
}
