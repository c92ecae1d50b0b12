/**
 * Pod volumes as the kubelet's volume manager sets them up (pkg/volume/*): emptyDir (a fresh
 * filesystem for the pod's life), hostPath (a directory or file of the node's own filesystem, with
 * the `type` check of pkg/volume/hostpath), configMap, secret, downwardAPI and projected (service
 * account token, kube-root-ca.crt, namespace) written as files, read-only as the kubelet mounts
 * them. A failure is the text of the `FailedMount` event after `MountVolume.SetUp failed for volume "x" : `.
 */
import type { ClusterContext } from "../../context.ts";
import type { KObject } from "../../api/types.ts";
import { MemFs, normalizePath } from "../../runtime/vfs.ts";
import type { Vfs } from "../../runtime/types.ts";
import { Quantity } from "../../api/quantity.ts";

export interface PodVolume {
  fs: Vfs;
  /** Where the volume starts inside `fs` (hostPath's path). */
  subPath: string;
  /** configMap, secret, downwardAPI and projected volumes are always mounted read-only. */
  readOnly: boolean;
}

export type VolumeSetup = { ok: true; volumes: Map<string, PodVolume> } | { ok: false; volume: string; message: string };

const FAKE_CA = "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIKubeScenarioCA0DQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczAeFw0yNDAxMDgwMDAwMDBaFw0zNDAxMDUwMDAwMDBaMBUx\n-----END CERTIFICATE-----\n";

function b64decode(s: string): string {
  return Buffer.from(s, "base64").toString("utf8");
}

/** A projected service account token: a JWT-shaped string (not signed by anything real). */
function fakeToken(pod: KObject, audience: string, now: number): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const iat = Math.floor(now / 1000);
  return [
    enc({ alg: "RS256", kid: "kube-scenario" }),
    enc({
      aud: [audience],
      exp: iat + 3607,
      iat,
      iss: "https://kubernetes.default.svc.cluster.local",
      "kubernetes.io": {
        namespace: pod.metadata.namespace,
        pod: { name: pod.metadata.name, uid: pod.metadata.uid },
        serviceaccount: { name: pod.spec?.serviceAccountName ?? "default" },
      },
      sub: `system:serviceaccount:${pod.metadata.namespace}:${pod.spec?.serviceAccountName ?? "default"}`,
    }),
    "c2ltdWxhdGVk",
  ].join(".");
}

/** The value of a downward API fieldRef (`metadata.name`, `metadata.labels['x']`, `status.podIP`...). */
export function fieldRefValue(pod: KObject, fieldPath: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return (pod.metadata as any)[m[1]!]?.[m[2]!] ?? "";
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace;
    case "metadata.uid":
      return pod.metadata.uid;
    case "metadata.labels":
      return formatMap(pod.metadata.labels);
    case "metadata.annotations":
      return formatMap(pod.metadata.annotations);
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
      return pod.status?.hostIP ?? "";
    case "status.podIP":
      return pod.status?.podIP ?? "";
    case "status.hostIPs":
      return (pod.status?.hostIPs ?? []).map((x: any) => x.ip).join(",");
    case "status.podIPs":
      return (pod.status?.podIPs ?? []).map((x: any) => x.ip).join(",");
    default:
      return undefined;
  }
}

/** Labels/annotations as the downward API writes them: `key="value"` lines, sorted. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join("\n");
}

/** resourceFieldRef: limits/requests of a container, divided by the divisor, rounded up. */
export function resourceFieldValue(pod: KObject, containerName: string | undefined, ref: any, nodeAllocatable: Record<string, string>): string {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x: any) => x.name === (ref.containerName ?? containerName));
  const [kind, res] = String(ref.resource).split(".") as [string, string];
  let raw = c?.resources?.[kind]?.[res];
  if (raw === undefined && kind === "limits") raw = nodeAllocatable[res];
  if (raw === undefined) raw = "0";
  const divisor = ref.divisor ? Quantity.parse(String(ref.divisor)) : Quantity.parse("1");
  const v = Quantity.parse(String(raw));
  const value = res === "cpu" ? v.milliValue() / divisor.milliValue() : v.value() / divisor.value();
  return String(Math.ceil(value));
}

function keyItems(data: Record<string, string>, items: any[] | undefined, decode: (s: string) => string): Array<[string, string]> | { missing: string } {
  if (!items?.length) return Object.keys(data).sort().map((k) => [k, decode(data[k]!)]);
  const out: Array<[string, string]> = [];
  for (const it of items) {
    if (!(it.key in data)) return { missing: it.key };
    out.push([it.path, decode(data[it.key]!)]);
  }
  return out;
}

function writeFiles(fs: MemFs, files: Array<[string, string]>): void {
  for (const [path, content] of files) {
    const p = normalizePath("/" + path);
    const dir = p.slice(0, p.lastIndexOf("/")) || "/";
    fs.mkdir(dir, { recursive: true });
    fs.writeFile(p, content);
  }
}

export interface VolumeHost {
  ctx: ClusterContext;
  /** The node's own filesystem (hostPath, `on node`). */
  nodeFs: Vfs;
  nodeAllocatable: Record<string, string>;
}

/** Files of one configMap/secret source, or the error text. */
function sourceFiles(host: VolumeHost, pod: KObject, kind: "ConfigMap" | "Secret", src: any): Array<[string, string]> | { error: string } | undefined {
  const ns = pod.metadata.namespace;
  const obj = host.ctx.api.get(kind, ns, src.name);
  if (!obj) {
    if (kind === "ConfigMap" && src.name === "kube-root-ca.crt") return [["ca.crt", FAKE_CA]];
    if (src.optional) return [];
    return { error: `${kind === "ConfigMap" ? "configmap" : "secret"} ${JSON.stringify(src.name)} not found` };
  }
  const data: Record<string, string> = kind === "Secret" ? { ...(obj as any).data } : { ...(obj as any).data };
  if (kind === "ConfigMap") for (const [k, v] of Object.entries((obj as any).binaryData ?? {})) data[k] = b64decode(String(v));
  if (kind === "Secret") for (const [k, v] of Object.entries((obj as any).stringData ?? {})) data[k] = Buffer.from(String(v)).toString("base64");
  const r = keyItems(data, src.items, kind === "Secret" ? b64decode : (s) => s);
  if ("missing" in r) {
    if (src.optional) return [];
    return { error: `configmap references non-existent config key: ${r.missing}` };
  }
  return r;
}

/** Sets up every volume of the pod; `existing` keeps emptyDirs across calls. */
export function setUpPodVolumes(host: VolumeHost, pod: KObject, existing: Map<string, PodVolume>): VolumeSetup {
  const out = new Map<string, PodVolume>();
  const clock = host.ctx.clock;
  for (const v of pod.spec?.volumes ?? []) {
    const name: string = v.name;
    const fail = (message: string): VolumeSetup => ({ ok: false, volume: name, message });
    if (v.hostPath) {
      const path = normalizePath(v.hostPath.path ?? "/");
      const type = v.hostPath.type ?? "";
      const st = host.nodeFs.stat(path);
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
      out.set(name, { fs: host.nodeFs, subPath: path, readOnly: false });
    } else if (v.configMap || v.secret) {
      const kind = v.configMap ? "ConfigMap" : "Secret";
      const src = v.configMap ?? { ...v.secret, name: v.secret.secretName };
      const files = sourceFiles(host, pod, kind, src);
      if (files && "error" in files) return fail(files.error);
      const fs = new MemFs(clock);
      writeFiles(fs, files ?? []);
      out.set(name, { fs, subPath: "/", readOnly: true });
    } else if (v.downwardAPI) {
      const fs = new MemFs(clock);
      const files: Array<[string, string]> = [];
      for (const it of v.downwardAPI.items ?? []) {
        if (it.fieldRef) files.push([it.path, fieldRefValue(pod, it.fieldRef.fieldPath) ?? ""]);
        else if (it.resourceFieldRef) files.push([it.path, resourceFieldValue(pod, undefined, it.resourceFieldRef, host.nodeAllocatable)]);
      }
      writeFiles(fs, files);
      out.set(name, { fs, subPath: "/", readOnly: true });
    } else if (v.projected) {
      const fs = new MemFs(clock);
      const files: Array<[string, string]> = [];
      for (const s of v.projected.sources ?? []) {
        if (s.serviceAccountToken) files.push([s.serviceAccountToken.path, fakeToken(pod, s.serviceAccountToken.audience ?? "https://kubernetes.default.svc.cluster.local", clock.now())]);
        else if (s.configMap || s.secret) {
          const kind = s.configMap ? "ConfigMap" : "Secret";
          const r = sourceFiles(host, pod, kind, s.configMap ?? s.secret);
          if (r && "error" in r) return fail(r.error);
          files.push(...(r ?? []));
        } else if (s.downwardAPI) {
          for (const it of s.downwardAPI.items ?? []) {
            if (it.fieldRef) files.push([it.path, fieldRefValue(pod, it.fieldRef.fieldPath) ?? ""]);
            else if (it.resourceFieldRef) files.push([it.path, resourceFieldValue(pod, undefined, it.resourceFieldRef, host.nodeAllocatable)]);
          }
        }
      }
      writeFiles(fs, files);
      out.set(name, { fs, subPath: "/", readOnly: true });
    } else {
      // emptyDir (also the default for a volume with no source): one per pod, kept across restarts.
      const prev = existing.get(name);
      out.set(name, prev ?? { fs: new MemFs(clock), subPath: "/", readOnly: false });
    }
  }
  return { ok: true, volumes: out };
}
