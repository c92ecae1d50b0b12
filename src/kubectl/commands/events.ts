/**
 * `kubectl events [--for TYPE/NAME] [--types=Normal,Warning] [-A] [--no-headers] [-o FORMAT] [-w]`
 * (staging/src/k8s.io/kubectl/pkg/cmd/events/events.go and event_printer.go): the namespace's
 * core/v1 Events oldest first (by series last-observed time, else last timestamp, else event time),
 * as `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE` with `<age> (xN over <age>)` for repeats.
 * `-w` prints the events so far and says so on stderr: simulated time does not pass while a
 * command runs.
 */
import type { KObject } from "../../api/types.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { humanDuration, translateTimestampSince } from "../humanduration.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric } from "../printers/index.ts";
import { goJSON } from "../printers/gojson.ts";
import { goYAML } from "../printers/goyaml.ts";
import { tabwrite } from "../printers/tabwriter.ts";

export const eventsCommand: CommandDef = {
  path: ["events"],
  flags: [
    { long: "for", type: "string" },
    { long: "types", type: "stringSlice" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "no-headers", type: "bool" },
    { long: "watch", short: "w", type: "bool" },
    { long: "chunk-size", type: "string", default: "500" },
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "show-managed-fields", type: "bool" },
  ],
  run: runEvents,
};

const cellBreak = /[\f\n\r]/;

/** escapeCell: a cell stops at its first line break (`...` marks the cut). */
function escapeCell(s: string): string {
  const i = s.search(cellBreak);
  return i >= 0 ? `${s.slice(0, i)}...` : s;
}

/** The instant the event list is sorted by (eventTime). */
export function eventTime(e: KObject): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  return t ? Date.parse(t) : 0;
}

/** translateMicroTimestampSince: a MicroTime keeps its fraction. */
function microSince(t: string | null | undefined, now: number): string {
  if (!t) return "<unknown>";
  return humanDuration(now - Date.parse(t));
}

/** getInterval: `5s`, or `5s (x3 over 2m)` for an event seen more than once. */
export function eventInterval(e: KObject, now: number): string {
  const first = e.eventTime ? microSince(e.eventTime, now) : translateTimestampSince(e.firstTimestamp, now);
  if (e.series) return `${microSince(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

function runEvents(inv: Invocation): number {
  const f = inv.flags;
  const all = !!f["all-namespaces"];
  let forKind: string | undefined;
  let forName: string | undefined;
  if (f.for) {
    const text = String(f.for);
    if (!text.includes("/")) throw new KubectlError("--for must be in resource/name form");
    const seg = text.split("/");
    if (seg.length !== 2) throw new KubectlError("arguments in resource/name form may not have more than one slash");
    const r = inv.ctx.api.registry.resolve(seg[0]!);
    if (!r) throw new KubectlError(`the server doesn't have a resource type ${JSON.stringify(seg[0])}`, 1, true);
    forKind = r.kind;
    forName = seg[1];
  }
  const types = ((f.types ?? []) as string[]).slice().sort();
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined }) : undefined;
  for (const t of types) {
    if (t.toLowerCase() !== "normal" && t.toLowerCase() !== "warning") throw new KubectlError("valid --types are Normal or Warning");
  }
  const listed = inv.ctx.api.list("Event", {
    namespace: all ? undefined : inv.namespace,
    fieldSelector: forName === undefined ? undefined : (e) => e.involvedObject?.kind === forKind && e.involvedObject?.name === forName,
  });
  const events = listed
    .filter((e) => types.length === 0 || types.some((t) => t.toLowerCase() === String(e.type ?? "").toLowerCase()))
    .map((e) => ({ ...e, apiVersion: e.apiVersion || "v1", kind: e.kind || "Event" }) as KObject);
  if (events.length === 0) {
    inv.err(all ? "No events found." : `No events found in ${inv.namespace} namespace.`);
    return 0;
  }
  // sort.Sort over the list's order, which is by name as etcd keeps it (Go sorts lists of up to
  // 12 by insertion, which keeps that order among events of the same second; longer lists with
  // such ties may come out otherwise, see docs/divergences.md).
  events.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
  events.sort((a, b) => eventTime(a) - eventTime(b));
  const list = { apiVersion: "v1", items: events, kind: "EventList", metadata: {} };
  if (format && format.kind === "json") inv.write!(goJSON(list, "    ") + "\n");
  else if (format && format.kind === "yaml") inv.write!(goYAML(list));
  else if (format && format.kind === "name") {
    // kubectl v1.32 prints nothing here: the name printer gets an EventList whose items it cannot name.
  } else if (format && format.kind !== "table") {
    inv.write!(printGeneric(format, events.map((obj) => ({ r: inv.ctx.api.registry.resolve("events")!, obj })), false));
  } else {
    const now = inv.ctx.clock.now();
    const lines: string[] = [];
    if (!f["no-headers"]) lines.push(`${all ? "NAMESPACE\t" : ""}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE`);
    for (const e of events) {
      const cells = [eventInterval(e, now), escapeCell(e.type ?? ""), escapeCell(e.reason ?? ""), `${escapeCell(e.involvedObject?.kind ?? "")}/${escapeCell(e.involvedObject?.name ?? "")}`, escapeCell(String(e.message ?? "").trim())];
      lines.push((all ? `${e.metadata.namespace}\t` : "") + cells.join("\t"));
    }
    inv.write!(tabwrite(lines.join("\n") + "\n"));
  }
  if (f.watch) inv.err("kube-scenario: kubectl events -w printed the events up to now (simulated time does not pass while a command runs)");
  return 0;
}
