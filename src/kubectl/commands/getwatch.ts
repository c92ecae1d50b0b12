/**
 * `kubectl get -w` / `--watch-only` / `--output-watch-events` (k8s.io/kubectl/pkg/cmd/get/get.go,
 * `GetOptions.watch`): the list as it is now (unless --watch-only), then one row per watch event
 * from the list's resourceVersion on, printed at the simulated instant of the event, until the
 * command is stopped (Ctrl-C in its terminal).
 *
 * What a real kubectl prints, which this follows:
 * - every event prints a row, even when no printed column changed (a status write that only moved
 *   a condition's time shows as a repeated row), and a deletion prints the object's last state;
 * - the rows go through one tabwriter with RememberWidths (RememberingTabWriter): the columns keep
 *   the widths of the rows above and widen for a longer cell;
 * - the header is printed once, with the first rows printed (the list, or with --watch-only the
 *   first event's row); with --output-watch-events an EVENT column comes first (ADDED for the rows
 *   of the list);
 * - a watch with a label or field selector sees an object that starts to match as ADDED and one that
 *   stops matching as DELETED with its previous content (the watch cache's convertToWatchEvent);
 * - a named object (`kubectl get pod web -w`) is printed, then watched alone;
 * - only one resource type, or one named object, can be watched.
 *
 * `-o name` prints `kind/name` per event; json, yaml, jsonpath and go-template print each object as
 * their printer does; custom-columns and --output-watch-events beside a format are not simulated.
 */
import { fieldSelectorFor, parseSelector, SelectorError } from "../../api/labels.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { ResourceType } from "../../api/resources.ts";
import type { KObject, WatchEvent } from "../../api/types.ts";
import { KubectlError, type Invocation } from "../command.ts";
import { printGeneric, resourceName, type OutputFormat } from "../printers/index.ts";
import { tableRows } from "../printers/table.ts";
import { RememberingTabWriter } from "../printers/tabwriter.ts";
import { apiErrorText, fetch, type Selection } from "./builder.ts";

/** cli-runtime's tableprinter formatEventType: the EVENT column's values, padded to MODIFIED's width. */
const FORMATTED_EVENT_TYPE: Record<string, string> = { ADDED: "ADDED   ", MODIFIED: "MODIFIED", DELETED: "DELETED ", ERROR: "ERROR   " };

export function runWatch(inv: Invocation, selections: Selection[], format: OutputFormat): number {
  const f = inv.flags;
  const infos = selections.reduce((n, s) => n + (s.names ? s.names.length : 1), 0);
  if (infos !== 1) throw new KubectlError(`watch is only supported on individual resources and resource collections, but ${infos} resources were found`);
  if (!inv.background) {
    throw new KubectlError(
      'watching (-w/--watch) keeps kubectl running until it is stopped: run it in a terminal of its own (When I run "kubectl get pods -w" in a second terminal), or run the command again after time passes',
    );
  }
  if (format.kind === "custom-columns") {
    throw new KubectlError(`-o ${inv.flags.output} with --watch is not supported in the simulation (the table, -o name, json, yaml, jsonpath and go-template are)`);
  }
  if (format.kind !== "table" && f["output-watch-events"]) throw new KubectlError(`-o ${format.kind} with --output-watch-events is not supported in the simulation`);
  const sel = selections[0]!;
  const r = sel.r;
  const name = sel.names?.[0];
  const allNamespaces = Boolean(f["all-namespaces"]) && !name;
  const namespace = r.namespaced && !allNamespaces ? inv.namespace : undefined;
  const result = fetch(inv, selections, {
    namespace: inv.namespace,
    allNamespaces,
    labelSelector: f.selector || undefined,
    fieldSelector: f["field-selector"] || undefined,
  });
  // A named object that does not exist: kubectl's Infos() fails before any watch.
  if (result.errors.length > 0) {
    for (const e of result.errors) inv.err(apiErrorText(e));
    return 1;
  }

  let labels: ((l: Record<string, string>) => boolean) | undefined;
  let fields: ((o: KObject) => boolean) | undefined;
  try {
    if (f.selector) {
      const s = parseSelector(String(f.selector));
      labels = (l) => s.matches(l);
    }
    if (f["field-selector"]) fields = fieldSelectorFor(r.kind, String(f["field-selector"]));
  } catch (e) {
    if (e instanceof SelectorError) throw new KubectlError(e.message);
    throw e;
  }
  const matches = (o: KObject | undefined): boolean =>
    o !== undefined &&
    (namespace === undefined || o.metadata.namespace === namespace) &&
    (name === undefined || o.metadata.name === name) &&
    (!labels || labels(o.metadata.labels ?? {})) &&
    (!fields || fields(o));

  const tw = new RememberingTabWriter();
  let printed = 0;
  const events = Boolean(f["output-watch-events"]);
  const noHeaders = Boolean(f["no-headers"]);
  let headerDone = noHeaders;
  const tableOpts = {
    wide: format.kind === "table" && format.wide,
    showLabels: Boolean(f["show-labels"]),
    labelColumns: f["label-columns"] as string[] | undefined,
    withNamespace: allNamespaces,
  };
  const print = (objs: Array<{ type: string; obj: KObject }>) => {
    if (objs.length === 0) return;
    if (format.kind === "name") {
      for (const { obj } of objs) inv.out(resourceName(r, obj.metadata.name ?? ""));
      return;
    }
    if (format.kind !== "table") {
      // get.go's watch prints each object (each item of the first list, then each event's object)
      // with the printer alone: jsonpath and go-template add no newline; YAMLPrinter writes `---`
      // before every object but its first.
      for (const { obj } of objs) {
        if (format.kind === "yaml" && printed++ > 0) inv.write!("---\n");
        inv.write!(printGeneric(format, [{ r, obj }], true, !!inv.flags["show-managed-fields"]));
      }
      return;
    }
    const rows: string[][] = [];
    if (!headerDone) {
      const header = tableRows(r, [], inv.ctx.clock.now(), tableOpts)[0]!;
      rows.push(events ? ["EVENT", ...header] : header);
      headerDone = true;
    }
    for (const { type, obj } of objs) {
      const row = tableRows(r, [obj], inv.ctx.clock.now(), { ...tableOpts, noHeaders: true })[0]!;
      rows.push(events ? [FORMATTED_EVENT_TYPE[type] ?? type, ...row] : row);
    }
    const text = tw.flush(rows);
    inv.out(text.slice(0, -1));
  };

  if (!f["watch-only"]) print(result.items.map((it) => ({ type: "ADDED", obj: it.obj })));

  const stop = inv.ctx.api.watch(r.key, (ev: WatchEvent) => {
    const now = matches(ev.object);
    const before = ev.type === "MODIFIED" ? matches(ev.old) : now;
    let shown: { type: string; obj: KObject } | undefined;
    if (ev.type === "ADDED" && now) shown = { type: "ADDED", obj: ev.object };
    else if (ev.type === "DELETED" && now) shown = { type: "DELETED", obj: ev.object };
    else if (ev.type === "MODIFIED") {
      if (now && before) shown = { type: "MODIFIED", obj: ev.object };
      else if (now) shown = { type: "ADDED", obj: ev.object };
      // The previous content, as the watch cache sends an object that left the selection.
      else if (before) shown = { type: "DELETED", obj: ev.old! };
    }
    if (shown) print([{ type: shown.type, obj: convertFromStorage(shown.obj, r as ResourceType) }]);
  });
  inv.background.onStop(stop);
  return 0;
}
