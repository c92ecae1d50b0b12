/**
 * `Then pod "x" has an event "Scheduled"` and `Then the events of pod "x" contain:`: a pod's events
 * as `kubectl describe pod` lists them (those whose involvedObject is the pod, its uid when the pod
 * still exists; ordered by last occurrence, stable, the scheduler's events without lastTimestamp
 * first), so an expectation reads as the describe output does. Each expected line is
 * `<Type> <Reason> <Message>`, words separated by any whitespace, the message matched in full; the
 * lines must appear in that order among the pod's events, others may come between.
 */
import type { ClusterView } from "../api/reader.ts";
import type { KObject } from "../api/types.ts";
import { AssertionFailure, type Problem } from "./expect.ts";

export interface EventLine {
  type: string;
  reason: string;
  message: string;
}

/** The pod's events, in the order `kubectl describe pod` shows them. */
export function podEvents(view: ClusterView, pod: string, namespace = "default"): KObject[] {
  const live = view.api.get("Pod", namespace, pod);
  const events = view.api.list("Event", {
    namespace,
    fieldSelector: (e) => {
      const io = e.involvedObject ?? {};
      if (io.kind !== "Pod" || io.name !== pod) return false;
      return !live || !io.uid || io.uid === live.metadata.uid;
    },
  });
  const ts = (e: KObject) => (e.lastTimestamp ? Date.parse(e.lastTimestamp) : -Infinity);
  return events.map((e, i) => ({ e, i })).sort((a, b) => ts(a.e) - ts(b.e) || a.i - b.i).map(({ e }) => e);
}

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).join(" ");

/** `Normal Pulling Pulling image "x"` → its type, reason and message (whitespace collapsed). */
export function parseEventLine(line: string): EventLine {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2 || !parts[0]) throw new AssertionFailure(`an expected event needs at least a type and a reason ("Normal Scheduled ..."), got: ${JSON.stringify(line)}`);
  if (parts[0] !== "Normal" && parts[0] !== "Warning") throw new AssertionFailure(`an expected event starts with its type, Normal or Warning, got: ${JSON.stringify(line)}`);
  return { type: parts[0], reason: parts[1], message: parts.slice(2).join(" ") };
}

function lineOf(e: KObject): EventLine {
  return { type: String(e.type ?? ""), reason: String(e.reason ?? ""), message: words(String(e.message ?? "")) };
}

function show(events: KObject[]): string {
  if (events.length === 0) return "  (none)";
  return events
    .map((e) => {
      const count = (e.count ?? e.series?.count ?? 1) > 1 ? ` (x${e.count ?? e.series?.count})` : "";
      return `  ${e.type} ${e.reason} ${String(e.message ?? "").trimEnd()}${count}`;
    })
    .join("\n");
}

export function checkPodEvent(view: ClusterView, pod: string, reason: string, namespace = "default"): Problem {
  const events = podEvents(view, pod, namespace);
  if (events.some((e) => e.reason === reason)) return undefined;
  return `pod "${pod}" has no event "${reason}" (at ${view.clock.nowRFC3339()}); its events are:\n${show(events)}`;
}

/**
 * The expected lines (blank lines ignored) must appear in order among the pod's events. A malformed
 * expectation (no doc string, no lines, a line without a type) throws: it is the author's error.
 */
export function checkPodEventsContain(view: ClusterView, pod: string, expectation: string, namespace = "default"): Problem {
  if (typeof expectation !== "string") throw new AssertionFailure("the expected events go in a doc string (\"\"\"), one a line: <Type> <Reason> <Message>");
  const wanted = expectation.split("\n").filter((l) => l.trim() !== "").map(parseEventLine);
  if (wanted.length === 0) throw new AssertionFailure("list the expected events, one a line: <Type> <Reason> <Message>");
  const events = podEvents(view, pod, namespace);
  const actual = events.map(lineOf);
  let from = 0;
  for (const [k, w] of wanted.entries()) {
    const at = actual.findIndex((a, i) => i >= from && a.type === w.type && a.reason === w.reason && a.message === w.message);
    if (at >= 0) {
      from = at + 1;
      continue;
    }
    const anywhere = actual.findIndex((a) => a.type === w.type && a.reason === w.reason && a.message === w.message);
    const sameReason = actual.filter((a) => a.reason === w.reason);
    const why =
      anywhere >= 0
        ? "it is there, but not after the events matched before it"
        : sameReason.length
          ? `events with reason ${w.reason} say:\n${sameReason.map((a) => `  ${a.type} ${a.reason} ${a.message}`).join("\n")}`
          : `no event has reason ${w.reason}`;
    return (
      `the events of pod "${pod}" do not contain${k > 0 ? `, after the ${k} matched before it,` : ""}:\n  ${w.type} ${w.reason} ${w.message}\n${why}\n\n` +
      `the pod's events (at ${view.clock.nowRFC3339()}):\n${show(events)}`
    );
  }
  return undefined;
}
