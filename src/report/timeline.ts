/**
 * The story of a scenario against simulated time: for every pod, the spans of its state (phase,
 * readiness, container reason), its node, restarts and endpoint membership, and the events, as a
 * text table and an SVG picture for the report. It only watches the API, like any other client.
 */
import { podStatusOf, type ApiServer } from "../api/store.ts";
import type { KObject } from "../api/types.ts";
import type { ContainerStatus } from "../api/types.gen.ts";
import { isPodReadyConditionTrue } from "../api/pod/util.ts";

export interface PodState {
  /** What a student would call the state: Pending, ContainerCreating, Running, Ready, CrashLoopBackOff, ... */
  label: string;
  kind: "pending" | "running" | "ready" | "failed" | "succeeded" | "terminating" | "waiting";
  node: string;
  restarts: number;
  inEndpoints: boolean;
}

interface Span extends PodState {
  from: number;
  to?: number;
}

interface EventMark {
  at: number;
  pod?: string;
  type: string;
  reason: string;
  message: string;
  object: string;
}

export class TimelineRecorder {
  private readonly spans = new Map<string, Span[]>();
  private readonly events: EventMark[] = [];
  private readonly ready = new Map<string, Set<string>>(); // service endpoints: pod key -> services where ready
  private readonly unwatch: Array<() => void> = [];
  readonly start: number;

  constructor(private readonly api: ApiServer) {
    this.start = api.clock.now();
    this.unwatch.push(api.watch("Pod", (ev) => this.onPod(ev.object, ev.type === "DELETED")));
    this.unwatch.push(api.watch("Endpoints", (ev) => this.onEndpoints(ev.object, ev.type === "DELETED")));
    this.unwatch.push(
      api.watch("Event", (ev) => {
        if (ev.type === "DELETED") return;
        const e = ev.object;
        const count = e.count ?? e.series?.count ?? 1;
        const before = ev.old ? ev.old.count ?? ev.old.series?.count ?? 1 : 0;
        if (count === before) return;
        const io = e.involvedObject ?? {};
        this.events.push({
          at: api.clock.now(),
          pod: io.kind === "Pod" ? `${io.namespace}/${io.name}` : undefined,
          type: e.type,
          reason: e.reason,
          message: e.message,
          object: `${String(io.kind ?? "").toLowerCase()}/${io.name}`,
        });
      }),
    );
  }

  stop(): void {
    for (const u of this.unwatch) u();
  }

  private onPod(pod: KObject, deleted: boolean): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const now = this.api.clock.now();
    const list = this.spans.get(key) ?? [];
    this.spans.set(key, list);
    const last = list[list.length - 1];
    if (deleted) {
      if (last && last.to === undefined) last.to = now;
      return;
    }
    const state = podState(pod, this.ready.get(key)?.size ? true : false);
    if (last && last.to === undefined && sameState(last, state)) return;
    if (last && last.to === undefined) last.to = now;
    list.push({ ...state, from: now });
  }

  private onEndpoints(ep: KObject, deleted: boolean): void {
    const svc = `${ep.metadata.namespace}/${ep.metadata.name}`;
    const readyPods = new Set<string>();
    if (!deleted) {
      for (const s of ep.subsets ?? []) for (const a of s.addresses ?? []) if (a.targetRef?.kind === "Pod") readyPods.add(`${a.targetRef.namespace ?? ep.metadata.namespace}/${a.targetRef.name}`);
    }
    const touched = new Set<string>();
    for (const [pod, svcs] of this.ready) {
      if (svcs.has(svc) && !readyPods.has(pod)) {
        svcs.delete(svc);
        touched.add(pod);
      }
    }
    for (const pod of readyPods) {
      const svcs = this.ready.get(pod) ?? new Set();
      if (!svcs.has(svc)) touched.add(pod);
      svcs.add(svc);
      this.ready.set(pod, svcs);
    }
    for (const key of touched) {
      const [ns, name] = key.split("/");
      const pod = this.api.get("Pod", ns, name);
      if (pod) this.onPod(pod, false);
    }
  }

  /** A text table: one line per state change, then the events. */
  toText(): string {
    const end = this.api.clock.now();
    const lines: string[] = ["TIME      POD                              STATE                NODE          RESTARTS  ENDPOINTS"];
    const rows: Array<[number, string]> = [];
    for (const [pod, spans] of this.spans) {
      for (const s of spans) {
        rows.push([s.from, `${fmt(s.from - this.start).padEnd(9)} ${pod.padEnd(32)} ${s.label.padEnd(20)} ${(s.node || "-").padEnd(13)} ${String(s.restarts).padEnd(9)} ${s.inEndpoints ? "ready" : "-"}`]);
      }
    }
    rows.sort((a, b) => a[0] - b[0]);
    lines.push(...rows.map((r) => r[1]));
    lines.push("", "TIME      TYPE     REASON                OBJECT                           MESSAGE");
    for (const e of this.events) lines.push(`${fmt(e.at - this.start).padEnd(9)} ${e.type.padEnd(8)} ${e.reason.padEnd(21)} ${e.object.padEnd(32)} ${e.message}`);
    lines.push("", `(times from the start of the scenario; it ends at ${fmt(end - this.start)})`);
    return lines.join("\n") + "\n";
  }

  /** An SVG picture: one row per pod, coloured spans, restart ticks and warning marks. */
  toSVG(): string {
    const end = Math.max(this.api.clock.now(), this.start + 1000);
    const pods = [...this.spans.keys()];
    const rowH = 26;
    const left = 230;
    const width = 1100;
    const plotW = width - left - 20;
    const top = 40;
    const height = top + Math.max(1, pods.length) * rowH + 60;
    const x = (t: number) => left + ((t - this.start) / (end - this.start)) * plotW;
    const out: string[] = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
      `<rect width="100%" height="100%" fill="#ffffff"/>`,
      `<text x="10" y="20" font-size="14" font-weight="bold">Pods over simulated time</text>`,
    ];
    for (const t of ticks(end - this.start)) {
      const tx = x(this.start + t);
      out.push(`<line x1="${tx.toFixed(1)}" y1="${top - 5}" x2="${tx.toFixed(1)}" y2="${height - 50}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${tx.toFixed(1)}" y="${height - 36}" text-anchor="middle" fill="#555">${fmt(t)}</text>`);
    }
    pods.forEach((pod, i) => {
      const y = top + i * rowH;
      out.push(`<text x="10" y="${y + 16}">${esc(pod.length > 34 ? pod.slice(0, 33) + "…" : pod)}</text>`);
      let prevRestarts = 0;
      for (const s of this.spans.get(pod)!) {
        const x1 = x(s.from);
        const x2 = x(s.to ?? end);
        out.push(`<rect x="${x1.toFixed(1)}" y="${y + 4}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${rowH - 10}" fill="${COLOURS[s.kind]}"><title>${esc(`${pod}: ${s.label} on ${s.node || "no node"} from ${fmt(s.from - this.start)} to ${fmt((s.to ?? end) - this.start)}, restarts ${s.restarts}${s.inEndpoints ? ", in endpoints" : ""}`)}</title></rect>`);
        if (s.inEndpoints) out.push(`<rect x="${x1.toFixed(1)}" y="${y + rowH - 6}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="3" fill="#1b5e20"/>`);
        if (s.restarts > prevRestarts) out.push(`<line x1="${x1.toFixed(1)}" y1="${y + 1}" x2="${x1.toFixed(1)}" y2="${y + rowH - 3}" stroke="#000" stroke-width="2"><title>restart #${s.restarts}</title></line>`);
        prevRestarts = s.restarts;
      }
      for (const e of this.events.filter((ev) => ev.pod === pod && ev.type === "Warning")) {
        const ex = x(e.at);
        out.push(`<path d="M${ex.toFixed(1)},${y + 2} l-4,-6 h8 z" fill="#c62828"><title>${esc(`${fmt(e.at - this.start)} ${e.reason}: ${e.message}`)}</title></path>`);
      }
    });
    let lx = 10;
    for (const [k, c] of Object.entries(COLOURS)) {
      out.push(`<rect x="${lx}" y="${height - 20}" width="12" height="12" fill="${c}"/><text x="${lx + 16}" y="${height - 10}">${k}</text>`);
      lx += 110;
    }
    out.push(`<text x="${lx}" y="${height - 10}">▼ warning event · | restart · underline: in Service endpoints</text>`);
    out.push("</svg>");
    return out.join("\n") + "\n";
  }
}

const COLOURS: Record<PodState["kind"], string> = {
  pending: "#bdbdbd",
  waiting: "#ffb74d",
  running: "#fff176",
  ready: "#66bb6a",
  terminating: "#ce93d8",
  succeeded: "#64b5f6",
  failed: "#e57373",
};

export function podState(pod: KObject, inEndpoints: boolean): PodState {
  // Read without building a status the store keeps unbuilt (`podStatusOf`, issue #19 defer24): the
  // recorder sees every Pod event and would otherwise build each kubelet status write at its dispatch.
  const st = podStatusOf(pod) ?? {};
  const phase: string = st.phase ?? "Pending";
  const statuses: ContainerStatus[] = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])];
  const restarts = statuses.reduce((a, c) => a + (c.restartCount ?? 0), 0);
  const waiting = statuses.map((c) => c.state?.waiting?.reason).find((r) => r && r !== "ContainerCreating" && r !== "PodInitializing");
  const ready = isPodReadyConditionTrue(st);
  let kind: PodState["kind"];
  let label: string;
  if (pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") {
    kind = "terminating";
    label = "Terminating";
  } else if (phase === "Succeeded") [kind, label] = ["succeeded", "Succeeded"];
  else if (phase === "Failed") [kind, label] = ["failed", st.reason ? `Failed (${st.reason})` : "Failed"];
  else if (waiting) [kind, label] = ["waiting", waiting];
  else if (phase === "Running") [kind, label] = ready ? ["ready", "Running, Ready"] : ["running", "Running, not Ready"];
  else [kind, label] = ["pending", pod.spec?.nodeName ? "Pending (starting)" : "Pending (unscheduled)"];
  return { label, kind, node: pod.spec?.nodeName ?? "", restarts, inEndpoints };
}

function sameState(a: PodState, b: PodState): boolean {
  return a.label === b.label && a.node === b.node && a.restarts === b.restarts && a.inEndpoints === b.inEndpoints && a.kind === b.kind;
}

/** Elapsed simulated time as kubectl-style short text: 35s, 2m5s, 1h30m. */
export function fmt(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

/** About six round tick positions over a span of ms. */
function ticks(span: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400].map((s) => s * 1000);
  const step = steps.find((s) => span / s <= 8) ?? 86400000 * Math.ceil(span / 86400000 / 8);
  const out: number[] = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
