/**
 * The kubelet's file source of static pods (pkg/kubelet/config/file.go, file_linux.go, common.go):
 * the manifests in the node's staticPodPath (kind's kubeadm config: /etc/kubernetes/manifests).
 *
 * - The directory is read when the kubelet starts and at every inotify event on it (file_linux.go
 *   watches it; the 20 s relist of `fileCheckFrequency` finds nothing the watch missed here, since
 *   every change of a node's filesystem goes through MemFs, which notifies).
 * - Files whose name starts with a dot and sub-directories are ignored; a file that is not one Pod
 *   (YAML or JSON, apiVersion v1) or does not validate is skipped, as the kubelet logs and skips it.
 * - Each pod gets common.go's applyDefaults: a UID that hashes the pod, the node and the file
 *   (Go's md5 over a spew dump of the internal Pod; here md5 over its JSON, so the value differs
 *   from a real node's: docs/divergences.md), the name `<name>-<node>`, the namespace `default`
 *   when none, spec.nodeName, the annotation `kubernetes.io/config.hash` (the UID), a toleration
 *   of every NoExecute taint, then the v1 defaults; config.go adds `kubernetes.io/config.source:
 *   file` and `kubernetes.io/config.seen` (the first time the kubelet saw that UID, RFC 3339 with
 *   nanoseconds).
 */
import { createHash } from "node:crypto";
import { parseAllDocuments } from "yaml";
import type { ClusterContext } from "../../context.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { KObject } from "../../api/types.ts";
import { applyDefaults } from "../../api/admission/defaults.ts";
import { validatePodCreate } from "../../api/validation/pod.ts";
import { renderFieldError } from "../../api/errors.ts";
import type { MemFs } from "../../runtime/vfs.ts";

/** kind's kubelet configuration (kubeadm): `staticPodPath: /etc/kubernetes/manifests`. */
export const STATIC_POD_PATH = "/etc/kubernetes/manifests";

export const CONFIG_SOURCE_ANNOTATION = "kubernetes.io/config.source";
export const CONFIG_HASH_ANNOTATION = "kubernetes.io/config.hash";
export const CONFIG_MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
export const CONFIG_SEEN_ANNOTATION = "kubernetes.io/config.seen";

/** What reading one manifest gave: the pod, or why the kubelet skipped the file. */
export type ManifestResult = { pod: Pod } | { error: string };

/**
 * tryDecodeSinglePod + applyDefaults for one file's text: the static pod (without the seen and
 * source annotations, which the config's merge adds), or the kubelet's error.
 */
export function decodeStaticPod(text: string, file: string, nodeName: string): ManifestResult {
  // utilyaml.ToJSON reads the first YAML document (JSON is YAML).
  let raw: unknown;
  try {
    const docs = parseAllDocuments(text);
    const first = Array.isArray(docs) ? docs[0] : docs;
    if (!first) return { error: `${file}: couldn't parse as pod(Object 'Kind' is missing in 'null'), please check config file` };
    if (first.errors.length > 0) return { error: `${file}: couldn't parse as pod(${first.errors[0]!.message}), please check config file` };
    raw = first.toJS();
  } catch (e) {
    return { error: `${file}: couldn't parse as pod(${(e as Error).message}), please check config file` };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { error: `${file}: couldn't parse as pod(Object 'Kind' is missing), please check config file` };
  const obj = raw as Record<string, unknown>;
  if (typeof obj.kind !== "string" || obj.kind === "") return { error: `${file}: couldn't parse as pod(Object 'Kind' is missing in '${JSON.stringify(obj)}'), please check config file` };
  if (obj.kind !== "Pod" || obj.apiVersion !== "v1") return { error: `${file}: couldn't parse as pod(invalid pod: ${obj.apiVersion ?? ""}, Kind=${obj.kind}), please check config file` };
  const pod = structuredClone(obj) as unknown as KObject;
  pod.metadata = typeof pod.metadata === "object" && pod.metadata !== null ? pod.metadata : {};
  const meta = pod.metadata;
  // applyDefaults (common.go): the UID hashes the pod as decoded, then the node and the file.
  if (!meta.uid) {
    const h = createHash("md5");
    h.update(stableJSON(obj));
    h.update(`host:${nodeName}`);
    h.update(`file:${file}`);
    meta.uid = h.digest("hex");
  }
  meta.name = `${meta.name ?? ""}-${nodeName.toLowerCase()}`;
  if (!meta.namespace) meta.namespace = "default";
  pod.spec = typeof pod.spec === "object" && pod.spec !== null ? pod.spec : {};
  pod.spec.nodeName = nodeName;
  meta.annotations = { ...(meta.annotations ?? {}), [CONFIG_HASH_ANNOTATION]: meta.uid };
  // helper.AddOrUpdateTolerationInPod: an equal toleration is not added twice.
  const tolerations: Array<Record<string, unknown>> = Array.isArray(pod.spec.tolerations) ? pod.spec.tolerations : [];
  const exists = { operator: "Exists", effect: "NoExecute" };
  if (!tolerations.some((t) => t.operator === "Exists" && t.effect === "NoExecute" && !t.key && !t.value && t.tolerationSeconds === undefined)) {
    pod.spec.tolerations = [...tolerations, exists];
  }
  pod.status = { phase: "Pending" };
  // The codec's decode applies the v1 defaults (SetObjectDefaults_Pod).
  applyDefaults(pod);
  const errs = validatePodCreate(pod);
  if (errs.length > 0) return { error: `${file}: invalid pod: [${errs.map(renderFieldError).join(", ")}]` };
  return { pod: pod as Pod };
}

/** JSON with object keys sorted: the hash does not depend on the order the file lists fields in (spew sorts map keys; struct fields have one order). */
function stableJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJSON).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJSON(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Go's time.RFC3339Nano of an instant (UTC on a kind node): trailing zeros of the fraction dropped. */
export function rfc3339Nano(ms: number, nanos = 0): string {
  const iso = new Date(ms).toISOString(); // 2024-01-08T00:00:00.123Z
  const base = iso.slice(0, 19);
  const frac = (String(ms % 1000).padStart(3, "0") + String(nanos % 1_000_000).padStart(6, "0")).replace(/0+$/, "");
  return `${base}${frac ? "." + frac : ""}Z`;
}

/** extractFromDir: the static pods of a directory, files in name order; skipped files give an error each. */
export function readManifestDir(fs: MemFs, dir: string, nodeName: string): { pods: Pod[]; errors: string[] } {
  const st = fs.stat(dir);
  // listConfig: a path that does not exist gives no pods (the kubelet logs it and goes on).
  if (!st) return { pods: [], errors: [`unable to read config path "${dir}": path does not exist, ignoring`] };
  if (st.type !== "dir") {
    const r = decodeStaticPod(fs.readFile(dir), dir, nodeName);
    return "pod" in r ? { pods: [r.pod], errors: [] } : { pods: [], errors: [r.error] };
  }
  const pods: Pod[] = [];
  const errors: string[] = [];
  for (const name of fs.readdir(dir)) {
    if (name.startsWith(".")) continue;
    const path = `${dir}/${name}`;
    if (fs.stat(path)?.type !== "file") continue;
    const r = decodeStaticPod(fs.readFile(path), path, nodeName);
    if ("pod" in r) pods.push(r.pod);
    else errors.push(`Could not process manifest file: ${r.error}`);
  }
  return { pods, errors };
}

/**
 * The file source and config.go's merge for it: `onUpdate` gets the full set of static pods each
 * time it changes (pods keyed by UID: a changed file is a new UID, so a REMOVE and an ADD), each
 * with the source and first-seen annotations.
 */
export class StaticPodFileSource {
  private readonly seen = new Map<string, string>();
  private current = new Map<string, Pod>();
  private unwatch: (() => void) | undefined;
  private pending = false;
  /** The kubelet's log lines about skipped files, last reading first (for explanations and tests). */
  errors: string[] = [];

  constructor(
    private readonly ctx: ClusterContext,
    private readonly fs: MemFs,
    private readonly nodeName: string,
    private readonly onUpdate: (pods: Pod[]) => void,
    readonly path = STATIC_POD_PATH,
  ) {}

  /** Reads the directory now and watches it; a kubelet that stops stops watching. */
  start(): void {
    this.unwatch ??= this.fs.watchDir(this.path, () => this.changed());
    this.list();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.pending = false;
  }

  /** An inotify event: the directory is read once the command that wrote it has run (same instant). */
  private changed(): void {
    if (this.pending || !this.unwatch) return;
    this.pending = true;
    this.ctx.clock.setTimeout(() => {
      if (!this.pending) return;
      this.pending = false;
      this.list();
    }, 0);
  }

  private list(): void {
    const { pods, errors } = readManifestDir(this.fs, this.path, this.nodeName);
    this.errors = errors;
    const next = new Map<string, Pod>();
    for (const p of pods) {
      const uid = p.metadata.uid!;
      if (next.has(uid)) continue;
      const kept = this.current.get(uid);
      if (kept) {
        next.set(uid, kept);
        continue;
      }
      let seen = this.seen.get(uid);
      if (seen === undefined) {
        seen = rfc3339Nano(this.ctx.clock.now());
        this.seen.set(uid, seen);
      }
      p.metadata.annotations = { ...p.metadata.annotations, [CONFIG_SEEN_ANNOTATION]: seen, [CONFIG_SOURCE_ANNOTATION]: "file" };
      next.set(uid, p);
    }
    for (const uid of this.seen.keys()) if (!next.has(uid)) this.seen.delete(uid);
    const same = next.size === this.current.size && [...next.keys()].every((u) => this.current.has(u));
    this.current = next;
    if (!same) this.onUpdate([...next.values()]);
  }
}
