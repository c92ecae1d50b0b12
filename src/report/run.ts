/**
 * What a Cucumber run did, read back from its message stream (`reports/messages.ndjson`, the
 * `message` formatter): one result per scenario run (an Outline's Examples row is a scenario of
 * its own), with its tags (Feature, Rule, Scenario and Examples tags, as Cucumber's pickles
 * inherit them), its worst step status, and for a scenario that did not pass, the step that
 * stopped it and the first lines of its message. Grading (grade.ts) and the Allure post-processing
 * (allure.ts) both start from here, so they agree on every status.
 */

import type { Envelope, Pickle } from "@cucumber/messages";

/** A scenario's status: its worst step's, as Cucumber names them (lower case). */
export type ScenarioStatus = "passed" | "skipped" | "pending" | "undefined" | "ambiguous" | "failed" | "unknown";

export interface ScenarioFailure {
  /** The step as written, with its keyword: `Then pod "x" is Running`; `(hook)` for a failing hook. */
  step: string;
  /** `features/x.feature:12` */
  location: string;
  /** The first lines of the error message (at most FAILURE_LINES). */
  message: string;
}

export interface ScenarioResult {
  pickleId: string;
  uri: string;
  /** Line of the Scenario (or of the Examples row for an Outline). */
  line: number;
  name: string;
  tags: string[];
  /** Gherkin language of the feature (`en`, `ko`). */
  language: string;
  status: ScenarioStatus;
  failure?: ScenarioFailure;
  /** When it started (ms since the epoch, Cucumber's timestamp; Allure's results carry the same). */
  startedAt: number;
}

export interface RunResult {
  scenarios: ScenarioResult[];
  /** Gherkin syntax errors, as `uri:line: message`. */
  parseErrors: string[];
}

/** How many lines of a failure message the grade file and the console keep. */
export const FAILURE_LINES = 6;

const RANK: Record<ScenarioStatus, number> = { passed: 0, skipped: 1, pending: 2, undefined: 3, ambiguous: 4, failed: 5, unknown: 5 };

/** Statuses that say the test itself cannot run: the step is missing, unfinished or matches twice. */
export const BROKEN_TEST: ReadonlySet<ScenarioStatus> = new Set(["undefined", "pending", "ambiguous"]);

/** The first lines of a message, empty lines left out. */
export function firstLines(text: string, n = FAILURE_LINES): string {
  const lines = text.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "");
  return lines.slice(0, n).join("\n") + (lines.length > n ? "\n…" : "");
}

interface AstStep {
  keyword: string;
  line: number;
}

/** A node of the Gherkin AST as the walk below reads it (steps, examples rows and scenarios have an id and a location). */
export interface AstNode {
  id?: unknown;
  location?: { line: number };
  keyword?: string;
  text?: string;
}

/** Visits every object in a Gherkin AST (read as JSON). */
export function walkAst(o: unknown, visit: (node: AstNode) => void): void {
  if (!o || typeof o !== "object") return;
  visit(o as AstNode);
  for (const v of Object.values(o)) walkAst(v, visit);
}

/**
 * The envelopes `readRun` reads. The message formatter writes each envelope as `JSON.stringify` does,
 * its one key first (`{"attachment":...`), so a line of any other kind (attachments, sources, step
 * definitions, step starts: 60 % of the course pack's 1.9 MB) is passed over without being parsed.
 * A line not written that way is parsed, as before.
 */
const READ_KINDS: ReadonlySet<string> = new Set(["gherkinDocument", "parseError", "pickle", "testCase", "testCaseStarted", "testStepFinished", "testCaseFinished"]);

/** Whether readRun can pass over this line: a `{"kind":` line of a kind it does not read. */
function unread(line: string): boolean {
  if (line.charCodeAt(0) !== 123 /* { */ || line.charCodeAt(1) !== 34 /* " */) return false;
  const end = line.indexOf('"', 2);
  if (end < 0 || line.charCodeAt(end + 1) !== 58 /* : */) return false;
  const kind = line.slice(2, end);
  return !kind.includes("\\") && !READ_KINDS.has(kind);
}

/** Cucumber's message envelopes (the `message` formatter's NDJSON), typed by @cucumber/messages. */
export function readRun(ndjson: string): RunResult {
  const astSteps = new Map<string, AstStep>(); // ast node id -> keyword and line (steps, examples rows, scenarios)
  const astLines = new Map<string, number>();
  const languages = new Map<string, string>(); // uri -> language
  const pickles = new Map<string, Pickle>();
  const testCases = new Map<string, { pickleId: string; steps: Map<string, { pickleStepId?: string; hookId?: string }> }>();
  const started = new Map<string, string>(); // testCaseStartedId -> testCaseId
  const startedAt = new Map<string, number>();
  const worst = new Map<string, { status: ScenarioStatus; failure?: { testStepId: string; message: string } }>();
  const order: Array<{ startedId: string; retried: boolean }> = [];
  const parseErrors: string[] = [];
  for (const line of ndjson.split("\n")) {
    if (!line || unread(line)) continue;
    const m = JSON.parse(line) as Envelope;
    if (m.gherkinDocument) {
      const doc = m.gherkinDocument;
      languages.set(doc.uri ?? "", doc.feature?.language ?? "en");
      walkAst(doc.feature, (o) => {
        if (typeof o.id === "string" && o.location) {
          astLines.set(o.id, o.location.line);
          if (o.keyword !== undefined && o.text !== undefined) astSteps.set(o.id, { keyword: o.keyword, line: o.location.line });
        }
      });
    } else if (m.parseError) {
      const e = m.parseError;
      parseErrors.push(`${e.source?.uri ?? "?"}${e.source?.location?.line ? `:${e.source.location.line}` : ""}: ${e.message}`);
    } else if (m.pickle) {
      pickles.set(m.pickle.id, m.pickle);
    } else if (m.testCase) {
      const steps = new Map<string, { pickleStepId?: string; hookId?: string }>();
      for (const s of m.testCase.testSteps) steps.set(s.id, { pickleStepId: s.pickleStepId, hookId: s.hookId });
      testCases.set(m.testCase.id, { pickleId: m.testCase.pickleId, steps });
    } else if (m.testCaseStarted) {
      started.set(m.testCaseStarted.id, m.testCaseStarted.testCaseId);
      const t = m.testCaseStarted.timestamp;
      startedAt.set(m.testCaseStarted.id, t ? Number(t.seconds) * 1000 + Math.floor(Number(t.nanos) / 1e6) : 0);
      worst.set(m.testCaseStarted.id, { status: "passed" });
    } else if (m.testStepFinished) {
      const f = m.testStepFinished;
      const s = String(f.testStepResult.status).toLowerCase() as ScenarioStatus;
      const status: ScenarioStatus = s in RANK ? s : "unknown";
      const w = worst.get(f.testCaseStartedId);
      if (!w) continue;
      if (RANK[status] > RANK[w.status]) {
        w.status = status;
        const message = f.testStepResult.exception?.message ?? f.testStepResult.message ?? "";
        w.failure = { testStepId: f.testStepId, message };
      }
    } else if (m.testCaseFinished) {
      order.push({ startedId: m.testCaseFinished.testCaseStartedId, retried: Boolean(m.testCaseFinished.willBeRetried) });
    }
  }
  const scenarios: ScenarioResult[] = [];
  for (const { startedId, retried } of order) {
    if (retried) continue;
    const tc = testCases.get(started.get(startedId) ?? "");
    const p = tc && pickles.get(tc.pickleId);
    const w = worst.get(startedId);
    if (!tc || !p || !w) continue;
    const ids: readonly string[] = p.astNodeIds ?? [];
    const line = astLines.get(ids[ids.length - 1] ?? "") ?? astLines.get(ids[0] ?? "") ?? 0;
    const result: ScenarioResult = {
      pickleId: p.id,
      uri: p.uri,
      line,
      name: p.name,
      tags: (p.tags ?? []).map((t) => t.name),
      language: p.language ?? languages.get(p.uri) ?? "en",
      status: w.status,
      startedAt: startedAt.get(startedId) ?? 0,
    };
    if (w.status !== "passed" && w.status !== "skipped" && w.failure) {
      const ts = tc.steps.get(w.failure.testStepId);
      const ps = ts?.pickleStepId ? (p.steps ?? []).find((s) => s.id === ts.pickleStepId) : undefined;
      const ast = ps ? astSteps.get(ps.astNodeIds?.[0]) : undefined;
      const step = ps ? `${ast?.keyword ?? ""}${ps.text}`.trim() : "(hook)";
      const message = w.failure.message || (w.status === "undefined" ? "this step matches no step definition" : w.status === "pending" ? "this step is pending (not implemented yet)" : w.status === "ambiguous" ? "this step matches more than one step definition" : "");
      result.failure = { step, location: `${p.uri}:${ast?.line ?? line}`, message: firstLines(message) };
    }
    scenarios.push(result);
  }
  return { scenarios, parseErrors };
}

/** The value of the last tag `@<name>:<value>` (the innermost: Examples over Scenario over Rule over Feature). */
export function tagValue(tags: readonly string[], name: string): string | undefined {
  const prefix = `@${name}:`;
  for (let i = tags.length - 1; i >= 0; i--) if (tags[i].startsWith(prefix)) return tags[i].slice(prefix.length);
  return undefined;
}
