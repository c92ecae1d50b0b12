/**
 * Pod volumes as the kubelet's volume manager sets them up (pkg/volume/*): emptyDir (a fresh
 * filesystem for the pod's life), hostPath (a directory or file of the node's own filesystem, with
 * the `type` check of pkg/volume/hostpath), configMap, secret, downwardAPI and projected (service
 * account token: a TokenRequest bound to the pod, as the kubelet's token manager makes it;
 * kube-root-ca.crt, namespace) written as files, read-only as the kubelet mounts
 * them. A failure is the text of the `FailedMount` event after `MountVolume.SetUp failed for volume "x" : `.
 *
 * configMap, secret, downwardAPI and projected volumes are written by the atomic writer
 * (pkg/volume/util/atomic_writer.go) and set up again on every sync of the pod
 * (volume_manager.go WaitForAttachAndMount → ReprocessPod, "Some pods expect to have Setup called
 * over and over again to update"): `refreshPodVolumes` rewrites their files in place when what they
 * project changed, so running containers see an updated ConfigMap or new labels. A subPath mount
 * of such a volume is a bind mount of the file as it was when the container started and never
 * changes (the kuberuntime manager snapshots it with `snapshotSubtree`).
 */
import type { ClusterContext } from "../../context.ts";
import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, PersistentVolume, Pod, Secret, Volume } from "../../api/types.gen.ts";
import { MemFs, normalizePath } from "../../runtime/vfs.ts";
import type { Vfs } from "../../runtime/types.ts";
import { extractFieldPathAsString } from "../../api/fieldpath.ts";
import type { ObjectManager } from "../util/manager/manager.ts";
import { extractResourceValueByContainerNameAndNodeAllocatable } from "../../api/resource/helpers.ts";
import { requestToken } from "../../api/registry/core/serviceaccount/token.ts";
import type { SignedToken } from "../../api/serviceaccount/jwt.ts";
import { ApiError } from "../../api/errors.ts";

export interface PodVolume {
  fs: Vfs;
  /** Where the volume starts inside `fs` (hostPath's path). */
  subPath: string;
  /** configMap, secret, downwardAPI and projected volumes are always mounted read-only. */
  readOnly: boolean;
  /** Atomic-writer volumes: the files last written (path → content), rewritten on a later sync when their sources change. */
  projection?: Projection;
}

/** A projected file's content: text, or a service account token signed when first read. */
type FileContent = string | SignedToken;

interface Projection {
  files: Map<string, FileContent>;
  /** Service account tokens of a projected volume, kept until the kubelet's token manager would refresh them. */
  tokens: Map<string, { issuedAtMs: number; expirationSeconds: number; token: SignedToken }>;
}

export type VolumeSetup = { ok: true; volumes: Map<string, PodVolume> } | { ok: false; volume: string; message: string };


function b64decode(s: string): string {
  return Buffer.from(s, "base64").toString("utf8");
}

function keyItems(data: Record<string, string>, items: KeyToPath[] | undefined, decode: (s: string) => string): Array<[string, string]> | { missing: string } {
  if (!items?.length) return Object.keys(data).sort().map((k) => [k, decode(data[k]!)]);
  const out: Array<[string, string]> = [];
  for (const it of items) {
    if (!(it.key in data)) return { missing: it.key };
    out.push([it.path, decode(data[it.key]!)]);
  }
  return out;
}

/** Writes the projection over what a volume holds: changed files rewritten, vanished ones removed (the atomic writer). */
function writeProjection(fs: Vfs, previous: Map<string, FileContent> | undefined, files: Array<[string, FileContent]>): Map<string, FileContent> {
  const next = new Map<string, FileContent>();
  for (const [path, content] of files) next.set(normalizePath("/" + path), content);
  for (const p of previous?.keys() ?? []) {
    if (next.has(p)) continue;
    try {
      fs.unlink(p);
    } catch {
      // already gone
    }
    pruneEmptyParents(fs, p);
  }
  for (const [p, content] of next) {
    if (previous?.get(p) === content && fs.stat(p)?.type === "file") continue;
    const dir = p.slice(0, p.lastIndexOf("/")) || "/";
    fs.mkdir(dir, { recursive: true });
    // A token is signed when the file is first read (a kept token is the same object: not rewritten).
    if (typeof content !== "string" && fs instanceof MemFs) fs.writeFileLazy(p, () => content.value);
    else fs.writeFile(p, typeof content === "string" ? content : content.value);
  }
  return next;
}

function pruneEmptyParents(fs: Vfs, path: string): void {
  let dir = path.slice(0, path.lastIndexOf("/"));
  while (dir && dir !== "/") {
    try {
      if (fs.readdir(dir).length) return;
      fs.rmdir(dir);
    } catch {
      return;
    }
    dir = dir.slice(0, dir.lastIndexOf("/"));
  }
}

/** A copy of `path` (a file or a directory tree) as it is now: what a subPath bind mount of an atomic-writer volume keeps. */
export function snapshotSubtree(fs: Vfs, path: string, clock: ClusterContext["clock"]): { fs: Vfs; subPath: string } {
  const copy = new MemFs(clock);
  const walk = (from: string) => {
    const st = fs.stat(from);
    if (!st) return;
    if (st.type === "file") {
      const dir = from.slice(0, from.lastIndexOf("/")) || "/";
      copy.mkdir(dir, { recursive: true });
      copy.writeFile(from, fs.readFile(from), { mode: st.mode });
      return;
    }
    copy.mkdir(from, { recursive: true });
    for (const name of fs.readdir(from)) walk(from === "/" ? `/${name}` : `${from}/${name}`);
  };
  walk(normalizePath(path));
  return { fs: copy, subPath: normalizePath(path) };
}

export interface VolumeHost {
  ctx: ClusterContext;
  /** The kubelet's ConfigMap/Secret manager (immutable objects kept once seen); the API server when absent. */
  objects?: ObjectManager;
  /** The node's own filesystem (hostPath, `on node`). */
  nodeFs: Vfs;
  nodeAllocatable: Record<string, string>;
}

/** CollectData (pkg/volume/downwardapi): a downwardAPI volume's files; only metadata fields and resources. */
function downwardAPIFiles(host: VolumeHost, pod: Pod, items: DownwardAPIVolumeFile[] | undefined): Array<[string, string]> | { error: string } {
  const out: Array<[string, string]> = [];
  const errs: string[] = [];
  for (const it of items ?? []) {
    let value: string | Error = "";
    if (it.fieldRef) value = extractFieldPathAsString(pod, it.fieldRef.fieldPath);
    else if (it.resourceFieldRef) value = extractResourceValueByContainerNameAndNodeAllocatable(it.resourceFieldRef, pod, it.resourceFieldRef.containerName ?? "", host.nodeAllocatable);
    if (value instanceof Error) {
      errs.push(value.message);
      continue;
    }
    out.push([it.path, value]);
  }
  if (errs.length) return { error: errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]` };
  return out;
}

/** What an atomic-writer volume holds now (path → content), or why it cannot be set up. */
function projectVolume(host: VolumeHost, pod: Pod, v: Volume, projection: Projection): Array<[string, FileContent]> | { error: string } {
  if (v.configMap || v.secret) {
    const kind = v.configMap ? "ConfigMap" : "Secret";
    const src: KeySource = v.configMap ?? { ...v.secret, name: v.secret!.secretName };
    const files = sourceFiles(host, pod, kind, src);
    if (files && "error" in files) return files;
    return files ?? [];
  }
  if (v.downwardAPI) return downwardAPIFiles(host, pod, v.downwardAPI.items);
  const files: Array<[string, FileContent]> = [];
  // collectData (pkg/volume/projected): a missing object or a failed downwardAPI source is noted and
  // the next source tried, the notes end up in one aggregate error; a missing key fails at once.
  const errs: string[] = [];
  const now = host.ctx.clock.now();
  for (const s of v.projected!.sources ?? []) {
    if (s.serviceAccountToken) {
      const sat = s.serviceAccountToken;
      const expirationSeconds = sat.expirationSeconds ?? 3600;
      const known = projection.tokens.get(sat.path);
      // The token manager refreshes a token once 80% of its lifetime has passed (token_manager.go requiresRefresh).
      if (!known || now >= known.issuedAtMs + 0.8 * known.expirationSeconds * 1000) {
        // The token manager's TokenRequest (serviceaccounts/<name>/token), bound to the pod; an empty audience is the API server's.
        let token: SignedToken;
        try {
          token = requestToken(host.ctx.api, pod.metadata.namespace!, pod.spec?.serviceAccountName ?? "default", {
            spec: { audiences: sat.audience ? [sat.audience] : [], expirationSeconds, boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid } },
          }).token;
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          errs.push(`failed to fetch token: ${e.message}`);
          continue;
        }
        projection.tokens.set(sat.path, { issuedAtMs: now, expirationSeconds, token });
      }
      files.push([sat.path, projection.tokens.get(sat.path)!.token]);
    } else if (s.configMap || s.secret) {
      const r = sourceFiles(host, pod, s.configMap ? "ConfigMap" : "Secret", (s.configMap ?? s.secret)!);
      if (r && "error" in r) {
        if (!r.notFound) return r;
        errs.push(r.error);
        continue;
      }
      files.push(...(r ?? []));
    } else if (s.downwardAPI) {
      const r = downwardAPIFiles(host, pod, s.downwardAPI.items);
      if ("error" in r) {
        errs.push(r.error);
        continue;
      }
      files.push(...r);
    }
  }
  // utilerrors.NewAggregate: one message as it is, several (each once) in brackets.
  const unique = [...new Set(errs)];
  if (unique.length) return { error: unique.length === 1 ? unique[0]! : `[${unique.join(", ")}]` };
  return files;
}

/** A configMap or secret volume source or projection: the object's name, the keys to project, whether it may be missing. */
type KeySource = { name?: string; items?: KeyToPath[]; optional?: boolean };

/** Files of one configMap/secret source, or the error text. */
function sourceFiles(host: VolumeHost, pod: Pod, kind: "ConfigMap" | "Secret", src: KeySource): Array<[string, string]> | { error: string; notFound?: boolean } | undefined {
  const ns = pod.metadata.namespace;
  // Validation requires the name of a configMap/secret source.
  const obj = host.objects ? host.objects.get(kind, ns, src.name!) : host.ctx.api.get(kind, ns, src.name!);
  if (!obj) {
    if (src.optional) return [];
    return { error: `${kind === "ConfigMap" ? "configmap" : "secret"} ${JSON.stringify(src.name)} not found`, notFound: true };
  }
  const source: ConfigMap | Secret = obj;
  const data: Record<string, string> = { ...source.data };
  if (kind === "ConfigMap") for (const [k, v] of Object.entries((source as ConfigMap).binaryData ?? {})) data[k] = b64decode(String(v));
  if (kind === "Secret") for (const [k, v] of Object.entries((source as Secret).stringData ?? {})) data[k] = Buffer.from(String(v)).toString("base64");
  const r = keyItems(data, src.items, kind === "Secret" ? b64decode : (s) => s);
  if ("missing" in r) {
    if (src.optional) return [];
    return { error: kind === "ConfigMap" ? `configmap references non-existent config key: ${r.missing}` : `references non-existent secret key: ${r.missing}` };
  }
  return r;
}

/** A hostPath on the node's filesystem, with the `type` check of pkg/volume/hostpath. */
function hostPathVolume(host: VolumeHost, rawPath: string | undefined, type: string, readOnly: boolean): PodVolume | { error: string } {
  const path = normalizePath(rawPath ?? "/");
  const st = host.nodeFs.stat(path);
  const fail = (error: string) => ({ error });
  switch (type) {
    case "":
      break;
    case "DirectoryOrCreate":
      if (!st) host.nodeFs.mkdir(path, { recursive: true, mode: 0o755 });
      else if (st.type !== "dir") return fail(`hostPath type check failed: ${path} is not a directory`);
      break;
    case "Directory":
      if (st?.type !== "dir") return fail(`hostPath type check failed: ${path} is not a directory`);
      break;
    case "FileOrCreate":
      if (!st) {
        const dir = path.slice(0, path.lastIndexOf("/")) || "/";
        host.nodeFs.mkdir(dir, { recursive: true });
        host.nodeFs.writeFile(path, "", { mode: 0o644 });
      } else if (st.type !== "file") return fail(`hostPath type check failed: ${path} is not a file`);
      break;
    case "File":
      if (st?.type !== "file") return fail(`hostPath type check failed: ${path} is not a file`);
      break;
    case "Socket":
      return fail(`hostPath type check failed: ${path} is not a socket file`);
    case "CharDevice":
      return fail(`hostPath type check failed: ${path} is not a character device`);
    case "BlockDevice":
      return fail(`hostPath type check failed: ${path} is not a block device`);
    default:
      return fail(`${type} is an invalid volume type`);
  }
  // An untyped hostPath that does not exist is created as a directory by the runtime.
  if (!host.nodeFs.stat(path)) host.nodeFs.mkdir(path, { recursive: true });
  return { fs: host.nodeFs, subPath: path, readOnly };
}

/**
 * A persistentVolumeClaim volume: the claim must be bound; its PersistentVolume's hostPath (type
 * checked as a hostPath volume) or local path (which must exist) on this node is mounted.
 */
function claimVolume(host: VolumeHost, pod: Pod, src: { claimName: string; readOnly?: boolean }): PodVolume | { error: string } {
  const ns = pod.metadata.namespace;
  const pvc = host.ctx.api.get("PersistentVolumeClaim", ns, src.claimName);
  if (!pvc) return { error: `error processing PVC ${ns}/${src.claimName}: failed to fetch PVC from API server: persistentvolumeclaims ${JSON.stringify(src.claimName)} not found` };
  const pvName: string | undefined = pvc.spec?.volumeName;
  if (!pvName || pvc.status?.phase !== "Bound") return { error: `error processing PVC ${ns}/${src.claimName}: PVC is not bound` };
  const pv = host.ctx.api.get("PersistentVolume", undefined, pvName);
  if (!pv) return { error: `error processing PVC ${ns}/${src.claimName}: failed to fetch PV ${pvName} from API server: persistentvolumes ${JSON.stringify(pvName)} not found` };
  const readOnly = !!src.readOnly;
  if (pv.spec?.hostPath) return hostPathVolume(host, pv.spec.hostPath.path, pv.spec.hostPath.type ?? "", readOnly);
  if (pv.spec?.local) {
    const path = normalizePath(pv.spec.local.path ?? "/");
    if (!host.nodeFs.stat(path)) return { error: `MountVolume.NewMounter initialization failed for volume ${JSON.stringify(pvName)} : path ${JSON.stringify(path)} does not exist` };
    return { fs: host.nodeFs, subPath: path, readOnly };
  }
  // Other sources (network or cloud disks) keep their data outside any node: a filesystem of the
  // volume's own, kept for the volume's life.
  return { fs: networkVolumeFs(host, pv), subPath: "/", readOnly };
}

const networkVolumes = new WeakMap<object, Map<string, MemFs>>();
function networkVolumeFs(host: VolumeHost, pv: PersistentVolume): MemFs {
  let m = networkVolumes.get(host.ctx);
  if (!m) networkVolumes.set(host.ctx, (m = new Map()));
  let fs = m.get(pv.metadata.uid!);
  if (!fs) m.set(pv.metadata.uid!, (fs = new MemFs(host.ctx.clock)));
  return fs;
}

/**
 * A new emptyDir: a directory of mode 0777 (pkg/volume/emptydir: perm 0777), its ownership set
 * for the pod's fsGroup (pkg/volume/volume_linux.go SetVolumeOwnership: group fsGroup, mode |=
 * rw for the group, and setgid and search for a directory, so that what is created in it takes
 * the group).
 */
export function emptyDirFs(clock: ConstructorParameters<typeof MemFs>[0], fsGroup: number | undefined): MemFs {
  const fs = new MemFs(clock);
  fs.chmod("/", 0o777);
  if (fsGroup !== undefined) {
    fs.chown("/", -1, fsGroup);
    fs.chmod("/", 0o777 | 0o2000 | 0o660 | 0o110);
  }
  return fs;
}

/** Sets up every volume of the pod; `existing` keeps emptyDirs across calls. */
/** setUpPodVolumes' answer for a volume that could not be set up (a function, not a named closure per volume: issue #19). */
function volumeFailed(volume: string, message: string): VolumeSetup {
  return { ok: false, volume, message };
}

export function setUpPodVolumes(host: VolumeHost, pod: Pod, existing: Map<string, PodVolume>): VolumeSetup {
  const out = new Map<string, PodVolume>();
  const clock = host.ctx.clock;
  for (const v of pod.spec?.volumes ?? []) {
    const name: string = v.name;
    if (v.hostPath) {
      const r = hostPathVolume(host, v.hostPath.path, v.hostPath.type ?? "", false);
      if ("error" in r) return volumeFailed(name, r.error);
      out.set(name, r);
    } else if (v.persistentVolumeClaim) {
      // A claim: the volume it is bound to, on this node's filesystem (hostPath and local volumes).
      const r = claimVolume(host, pod, v.persistentVolumeClaim);
      if ("error" in r) return volumeFailed(name, r.error);
      out.set(name, r);
    } else if (v.configMap || v.secret || v.downwardAPI || v.projected) {
      const prev = existing.get(name);
      const projection: Projection = prev?.projection ?? { files: new Map(), tokens: new Map() };
      const files = projectVolume(host, pod, v, projection);
      if ("error" in files) return volumeFailed(name, files.error);
      const fs = prev?.projection ? prev.fs : new MemFs(clock);
      projection.files = writeProjection(fs, prev?.projection?.files, files);
      out.set(name, { fs, subPath: "/", readOnly: true, projection });
    } else {
      // emptyDir (also the default for a volume with no source): one per pod, kept across restarts.
      const prev = existing.get(name);
      out.set(name, prev ?? { fs: emptyDirFs(clock, pod.spec?.securityContext?.fsGroup), subPath: "/", readOnly: false });
    }
  }
  return { ok: true, volumes: out };
}

/** Per pod spec: what projectionInputs looks up (null: a volume reads something else that can change). */
interface InputPlan {
  configMaps: boolean;
  secrets: boolean;
  tokens: Array<[volume: string, path: string]>;
  projected: string[];
}
const inputPlans = new WeakMap<object, InputPlan | null>();

/** Whether a downward API volume's items read a resource field (the node's allocatable). */
function readsNode(items: DownwardAPIVolumeFile[] | undefined): boolean {
  return (items ?? []).some((it) => it.resourceFieldRef);
}

function inputPlan(pod: Pod): InputPlan | null {
  const spec = pod.spec;
  if (!spec) return { configMaps: false, secrets: false, tokens: [], projected: [] };
  const known = inputPlans.get(spec);
  if (known !== undefined) return known;
  const plan: InputPlan = { configMaps: false, secrets: false, tokens: [], projected: [] };
  let ok = true;
  for (const v of spec.volumes ?? []) {
    if (!(v.configMap || v.secret || v.downwardAPI || v.projected)) continue;
    plan.projected.push(v.name);
    if (v.configMap) plan.configMaps = true;
    else if (v.secret) plan.secrets = true;
    else if (v.downwardAPI) ok &&= !readsNode(v.downwardAPI.items);
    else {
      for (const src of v.projected!.sources ?? []) {
        if (src.serviceAccountToken) plan.tokens.push([v.name, src.serviceAccountToken.path]);
        else if (src.configMap) plan.configMaps = true;
        else if (src.secret) plan.secrets = true;
        else if (src.downwardAPI) ok &&= !readsNode(src.downwardAPI.items);
      }
    }
  }
  const out = ok ? plan : null;
  if (Object.isFrozen(spec)) inputPlans.set(spec, out);
  return out;
}

/**
 * What refreshPodVolumes' outcome depends on besides the pod object (issue #19, pod resyncs): the
 * ConfigMaps and Secrets its volumes read — as the store's last change of each of those kinds
 * (ApiServer.lastChangeOf: no ConfigMap or Secret written since means the same data; any write
 * anywhere counts, which only makes the next refresh run) — and the first instant a service
 * account token is due for refresh. Undefined when a volume reads something else that can change
 * (a downward API resource field reads the node's allocatable) or has not been set up.
 */
export function projectionInputs(host: Pick<VolumeHost, "ctx">, pod: Pod, volumes: Map<string, PodVolume>): { objects: unknown[]; refreshAt: number } | undefined {
  const plan = inputPlan(pod);
  if (!plan) return undefined;
  for (const name of plan.projected) if (!volumes.get(name)?.projection) return undefined;
  const api = host.ctx.api;
  const objects: unknown[] = [plan.configMaps ? api.lastChangeOf("ConfigMap") : 0, plan.secrets ? api.lastChangeOf("Secret") : 0];
  let refreshAt = Infinity;
  for (const [volume, path] of plan.tokens) {
    const known = volumes.get(volume)!.projection!.tokens.get(path);
    if (!known) return undefined;
    refreshAt = Math.min(refreshAt, known.issuedAtMs + 0.8 * known.expirationSeconds * 1000);
  }
  return { objects, refreshAt };
}

/**
 * Whether `projectionInputs(host, pod, volumes).objects` would be `objects` now, for volumes that
 * nothing refreshed since (the pod worker's back-off retries, issue #19: only a sync refreshes or
 * sets up volumes, so their projections and token instants are those of the last one; what can
 * still move is the store's last change of ConfigMaps and Secrets). Allocates nothing.
 */
export function sameProjectionSources(host: Pick<VolumeHost, "ctx">, pod: Pod, objects: readonly unknown[]): boolean {
  const plan = inputPlan(pod);
  if (!plan || objects.length !== 2) return false;
  const api = host.ctx.api;
  return objects[0] === (plan.configMaps ? api.lastChangeOf("ConfigMap") : 0) && objects[1] === (plan.secrets ? api.lastChangeOf("Secret") : 0);
}

/**
 * The re-setup of a later sync: every atomic-writer volume's files brought up to date with their
 * sources (ConfigMap, Secret, the pod's labels and annotations, tokens). A source that fails keeps
 * the files as they were and is reported like a first set-up's failure.
 */
export function refreshPodVolumes(host: VolumeHost, pod: Pod, volumes: Map<string, PodVolume>): Array<{ volume: string; message: string }> {
  const failures: Array<{ volume: string; message: string }> = [];
  for (const v of pod.spec?.volumes ?? []) {
    const pv = volumes.get(v.name);
    if (!pv?.projection) continue;
    const files = projectVolume(host, pod, v, pv.projection);
    if ("error" in files) {
      failures.push({ volume: v.name, message: files.error });
      continue;
    }
    pv.projection.files = writeProjection(pv.fs, pv.projection.files, files);
  }
  return failures;
}
