/**
 * `kubectl debug (POD | TYPE/NAME) [ -- COMMAND [args...] ]` (staging/src/k8s.io/kubectl/pkg/cmd/
 * debug/debug.go and profiles.go, v1.32):
 * - a pod: an ephemeral container added through pods/ephemeralcontainers (`--image`, `--target`
 *   to join a container's process namespace, `-c` to name it, else `debugger-xxxxx`);
 * - a pod with `--copy-to=NAME`: a copy of it (`--set-image`, `--container` with a new command,
 *   `--share-processes`, `--same-node`, `--replace`, the `--keep-*` flags), with a debug
 *   container added when `--image` names one;
 * - `node/NAME`: a pod `node-debugger-NAME-xxxxx` on the node, in its host namespaces, the node's
 *   root mounted at /host, tolerating every taint.
 * `--profile` (legacy by default, with kubectl's notice; general, baseline, restricted, netadmin,
 * sysadmin) sets the securityContext and namespaces as profiles.go does, `--custom` merges a
 * partial container spec over it. With `-i` (and `--attach`, its default then) kubectl waits for
 * the container to run and attaches: the step's standard input is what the session types, and
 * the output what the container writes until it ends (a scenario has no terminal, so `-t` gets
 * kubectl's notice that it cannot use one). Generated names come from `keyedRandom`, never from
 * the scenario's seeded randomness.
 */
import { parse as parseYAML } from "yaml";
import { ApiError } from "../../api/errors.ts";
import { strategicMergePatch } from "../../api/schema/strategicmerge.ts";
import { clone, type KObject } from "../../api/types.ts";
import type { Container, ContainerStatus, EphemeralContainer, Pod, SecurityContext } from "../../api/types.gen.ts";
import { ContainerNotRunningError, kubeletClient } from "../../api/kubeletclient.ts";
import { keyedRandom } from "../../sim/random.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { waitUntil } from "./wait.ts";
import { REFERENCE } from "./run.ts";

/** kubectl debug writes without a fieldManager (debug.go has no --field-manager): the User-Agent's `kubectl`. */
const DEBUG_MANAGER = "kubectl";

const PROFILES = ["legacy", "general", "baseline", "netadmin", "restricted", "sysadmin"] as const;
type Profile = (typeof PROFILES)[number];

/** How long kubectl debug waits for the debug container (kubectl waits without a limit; a scenario cannot interrupt). */
export const DEBUG_WAIT_CAP_MS = 10 * 60_000;

export const LEGACY_NOTICE = `--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".`;

export const debugCommand: CommandDef = {
  path: ["debug"],
  flags: [
    { long: "filename", short: "f", type: "stringArray" },
    { long: "arguments-only", type: "bool" },
    { long: "attach", type: "bool" },
    { long: "container", short: "c", type: "string" },
    { long: "copy-to", type: "string" },
    { long: "replace", type: "bool" },
    { long: "env", type: "stringArray" },
    { long: "image", type: "string" },
    { long: "keep-labels", type: "bool" },
    { long: "keep-annotations", type: "bool" },
    { long: "keep-liveness", type: "bool" },
    { long: "keep-readiness", type: "bool" },
    { long: "keep-startup", type: "bool" },
    { long: "keep-init-containers", type: "bool", default: true },
    { long: "set-image", type: "stringArray" },
    { long: "image-pull-policy", type: "string" },
    { long: "stdin", short: "i", type: "bool" },
    { long: "quiet", short: "q", type: "bool" },
    { long: "same-node", type: "bool" },
    { long: "share-processes", type: "bool", default: true },
    { long: "target", type: "string" },
    { long: "tty", short: "t", type: "bool" },
    { long: "profile", type: "string", default: "legacy" },
    { long: "custom", type: "string" },
  ],
  run: runDebug,
};

interface Options {
  /** The objects to debug (before `--`). */
  targets: string[];
  args: string[];
  argsOnly: boolean;
  attach: boolean;
  container: string;
  copyTo: string;
  replace: boolean;
  env: Array<{ name: string; value: string }>;
  image: string;
  keep: { labels: boolean; annotations: boolean; liveness: boolean; readiness: boolean; startup: boolean; initContainers: boolean };
  setImages: Map<string, string>;
  pullPolicy: string;
  interactive: boolean;
  quiet: boolean;
  sameNode: boolean;
  shareProcesses: boolean;
  shareProcessesChanged: boolean;
  target: string;
  tty: boolean;
  profile: Profile;
  custom?: Record<string, unknown>;
}

/** pflag's StringToString: `a=b,c=d`, repeated flags merged (a later key wins, map order by key as Go ranges it sorted here). */
function stringToString(values: string[], flag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    for (const pair of v.split(",")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      if (eq < 0) throw new KubectlError(`error: invalid argument "${v}" for "--${flag}" flag: ${pair} must be formatted as key=value\nSee 'kubectl debug --help' for usage.`, 1, true);
      out.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return out;
}

function complete(inv: Invocation): Options {
  const f = inv.flags;
  const before = inv.dashIndex < 0 ? inv.args : inv.args.slice(0, inv.dashIndex);
  const args = inv.dashIndex < 0 ? [] : inv.args.slice(inv.dashIndex);
  const profile = String(f.profile);
  if (!(PROFILES as readonly string[]).includes(profile)) throw new KubectlError(`unknown profile: ${profile}`);
  const env = [...stringToString(f.env as string[], "env")].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, value]) => ({ name, value }));
  const o: Options = {
    targets: before,
    args,
    argsOnly: !!f["arguments-only"],
    attach: inv.set.has("attach") ? !!f.attach : !!f.stdin,
    container: String(f.container),
    copyTo: String(f["copy-to"]),
    replace: !!f.replace,
    env,
    image: String(f.image),
    keep: {
      labels: !!f["keep-labels"],
      annotations: !!f["keep-annotations"],
      liveness: !!f["keep-liveness"],
      readiness: !!f["keep-readiness"],
      startup: !!f["keep-startup"],
      initContainers: !!f["keep-init-containers"],
    },
    setImages: stringToString(f["set-image"] as string[], "set-image"),
    pullPolicy: String(f["image-pull-policy"]),
    interactive: !!f.stdin,
    quiet: !!f.quiet,
    sameNode: !!f["same-node"],
    shareProcesses: !!f["share-processes"],
    shareProcessesChanged: inv.set.has("share-processes"),
    target: String(f.target),
    tty: !!f.tty,
    profile: profile as Profile,
  };
  if (f.custom) {
    let text: string;
    try {
      text = inv.ctx.readFile(String(f.custom));
    } catch (e) {
      throw new KubectlError(`must pass a container spec json file for custom profile: open ${f.custom}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      try {
        parsed = parseYAML(text);
      } catch (e) {
        throw new KubectlError(`${f.custom} does not contain a valid container spec: ${(e as Error).message}`);
      }
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new KubectlError(`${f.custom} does not contain a valid container spec: the file is not an object`);
    o.custom = parsed as Record<string, unknown>;
  }
  return o;
}

/** DebugOptions.Validate, in its order; the notices it prints go out as it prints them. */
function validate(inv: Invocation, o: Options): void {
  if (o.attach && inv.set.has("attach") && !o.image && !o.container) throw new KubectlError("you must specify --container or create a new container using --image in order to attach.");
  if (o.copyTo) {
    if (!o.image && o.setImages.size === 0 && o.args.length === 0) throw new KubectlError("you must specify --image, --set-image or command arguments.");
    if (o.args.length > 0 && !o.container && !o.image) throw new KubectlError("you must specify an existing container or a new image when specifying args.");
  } else {
    if (o.replace) throw new KubectlError("--replace may only be used with --copy-to.");
    if (o.sameNode) throw new KubectlError("--same-node may only be used with --copy-to.");
    if (o.setImages.size > 0) throw new KubectlError("--set-image may only be used with --copy-to.");
    if (!o.image) throw new KubectlError("you must specify --image when not using --copy-to.");
  }
  if (o.image && !REFERENCE.test(o.image)) throw new KubectlError(`invalid image name ${JSON.stringify(o.image)}: invalid reference format`);
  if (o.targets.length === 0 && (inv.flags.filename as string[]).length === 0) throw new KubectlError("NAME or filename is required for debug");
  if (!["Always", "IfNotPresent", "Never", ""].includes(o.pullPolicy)) throw new KubectlError(`invalid image pull policy: ${o.pullPolicy}`);
  for (const [name, image] of o.setImages) {
    if (!REFERENCE.test(image)) throw new KubectlError(`invalid image name ${JSON.stringify(image)} for container ${JSON.stringify(name)}: invalid reference format`);
  }
  if (o.target) {
    if (o.copyTo) throw new KubectlError("--target is incompatible with --copy-to. Use --share-processes instead.");
    if (!o.quiet) inv.out(`Targeting container ${JSON.stringify(o.target)}. If you don't see processes from this container it may be because the container runtime doesn't support this feature.`);
  }
  if (o.tty && !o.interactive) throw new KubectlError("-i/--stdin is required for containers with -t/--tty=true");
  const c = o.custom;
  if (c && (c.name || (Array.isArray(c.command) && c.command.length) || c.image || c.lifecycle || (Array.isArray(c.volumeDevices) && c.volumeDevices.length))) {
    throw new KubectlError("name, command, image, lifecycle and volume devices are not modifiable via custom profile");
  }
  if (o.profile === "legacy") inv.err(LEGACY_NOTICE);
}

function runDebug(inv: Invocation): number {
  const o = complete(inv);
  validate(inv, o);
  const files = inv.flags.filename as string[];
  if (files.length) throw new KubectlError("kube-scenario: kubectl debug -f is not simulated; name the pod (kubectl debug POD)");
  const found = fetch(inv, selectionsFromArgs(inv, o.targets.map((t) => (t.includes("/") ? t : `pods/${t}`))), { namespace: inv.namespace });
  let code = 0;
  for (let i = 0; i < found.items.length + found.errors.length; i++) {
    const item = found.items[i];
    if (!item) throw found.errors[i - found.items.length]!;
    let result: { pod: Pod; container: string };
    if (item.obj.kind === "Node") result = visitNode(inv, o, item.obj);
    else if (item.obj.kind === "Pod") result = o.copyTo ? debugByCopy(inv, o, item.obj as Pod) : debugByEphemeralContainer(inv, o, item.obj as Pod);
    else throw new KubectlError(`"${item.r.group ? `${item.r.group}/` : "/"}${item.r.version}, Kind=${item.r.kind}" not supported by debug`);
    if (o.attach && result.container) code = handleAttachPod(inv, o, result.pod, result.container);
  }
  return code;
}

/** nameSuffixFunc(5), drawn from the pod's identity and what it holds already (never the scenario's seed). */
function suffix(key: string): string {
  return keyedRandom(key).suffix(5);
}

function containerNames(pod: Pod): Set<string> {
  return new Set([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name));
}

function computeDebugContainerName(inv: Invocation, o: Options, pod: Pod): string {
  if (o.container) return o.container;
  const names = containerNames(pod);
  let cn = "";
  for (let n = 0; cn === "" || names.has(cn); n++) cn = `debugger-${suffix(`debugger/${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid ?? ""}/${names.size}/${n}`)}`;
  if (!o.quiet) inv.out(`Defaulting debug container name to ${cn}.`);
  return cn;
}

/** The container's command or arguments from what follows `--`. */
/**
 * The debug container kubectl's debug builds, in its fields' order: name, env, image, pull policy,
 * stdin, the termination message policy, tty, the ephemeral container's target (`--target`), then
 * the command (or `--arguments-only` args).
 */
function debugContainer(name: string, o: Options, target?: string): Container & { targetContainerName?: string } {
  const c = {
    name,
    ...(o.env.length ? { env: o.env } : {}),
    image: o.image,
    ...(o.pullPolicy ? { imagePullPolicy: o.pullPolicy } : {}),
    ...(o.interactive ? { stdin: true } : {}),
    terminationMessagePolicy: "File",
    ...(o.tty ? { tty: true } : {}),
    ...(target ? { targetContainerName: target } : {}),
  } as Container & { targetContainerName?: string };
  if (o.args.length) {
    if (o.argsOnly) c.args = [...o.args];
    else c.command = [...o.args];
  }
  return c;
}

function debugByEphemeralContainer(inv: Invocation, o: Options, pod: Pod): { pod: Pod; container: string } {
  const name = computeDebugContainerName(inv, o, pod);
  const ec = debugContainer(name, o, o.target) as EphemeralContainer;
  // The debug container, with the profile and --custom applied, as the last of a copy's list.
  const debugPod: Pod = { ...pod, spec: { ...pod.spec!, ephemeralContainers: [ec] } };
  applyProfile(o.profile, o.keep, debugPod, name, "ephemeral");
  if (o.custom) applyCustom(debugPod.spec!.ephemeralContainers!, name, o.custom);
  // kubectl sends the strategic merge patch from the pod to its copy: the list merges by name, so
  // a name already there merges into that container (which validation then finds changed); a new
  // one goes last.
  const added = debugPod.spec!.ephemeralContainers![0]!;
  const copy = clone(pod) as Pod;
  const list = (copy.spec!.ephemeralContainers ??= []);
  const at = list.findIndex((c) => c.name === added.name);
  if (at >= 0) list[at] = strategicMergePatch(list[at] as unknown as Record<string, unknown>, added as unknown as Record<string, unknown>, "V1EphemeralContainer") as unknown as EphemeralContainer;
  else list.push(added);
  // It names no resourceVersion.
  delete (copy.metadata as { resourceVersion?: string }).resourceVersion;
  let result: KObject;
  try {
    result = inv.ctx.api.update(copy as KObject, { subresource: "ephemeralcontainers", fieldManager: DEBUG_MANAGER });
  } catch (e) {
    if (e instanceof ApiError && e.reason === "NotFound" && !e.details?.name) {
      throw new KubectlError(`ephemeral containers are disabled for this cluster (error from server: ${JSON.stringify(e.message)})`);
    }
    throw e;
  }
  return { pod: result as Pod, container: name };
}

function generatePodCopy(inv: Invocation, o: Options, pod: Pod): { pod: Pod; container: string } {
  const copied: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: o.copyTo,
      namespace: pod.metadata.namespace,
      ...(pod.metadata.annotations ? { annotations: clone(pod.metadata.annotations) } : {}),
      ...(pod.metadata.labels ? { labels: clone(pod.metadata.labels) } : {}),
    },
    spec: clone(pod.spec!),
  };
  const spec = copied.spec!;
  delete spec.ephemeralContainers;
  if (!o.sameNode) delete spec.nodeName;
  for (const c of spec.containers) {
    const override = o.setImages.get(c.name) ?? o.setImages.get("*");
    if (override) c.image = override;
  }
  let name = o.container;
  let c: Container | undefined = [...spec.containers, ...(spec.initContainers ?? [])].find((x) => x.name === name);
  if (!c) {
    if (!o.image) {
      if (o.setImages.size > 0) return { pod: copied, container: "" };
      throw new KubectlError("you must specify image when creating new container");
    }
    if (!name) name = computeDebugContainerName(inv, o, copied);
    c = { name, terminationMessagePolicy: "File" } as Container;
    spec.containers.push(c);
  }
  if (o.args.length) {
    if (o.argsOnly) c.args = [...o.args];
    else {
      c.command = [...o.args];
      delete c.args;
    }
  }
  if (o.env.length) c.env = o.env;
  if (o.image) c.image = o.image;
  if (o.pullPolicy) c.imagePullPolicy = o.pullPolicy;
  if (o.interactive) c.stdin = true;
  else delete c.stdin;
  if (o.tty) c.tty = true;
  else delete c.tty;
  applyProfile(o.profile, o.keep, copied, c.name, "copy");
  // --share-processes given: shared (true), or not set at all (false), over what the profile chose.
  if (o.shareProcessesChanged) {
    if (o.shareProcesses) spec.shareProcessNamespace = true;
    else delete spec.shareProcessNamespace;
  }
  if (o.custom) applyCustom(spec.containers, name, o.custom);
  return { pod: copied, container: name };
}

function debugByCopy(inv: Invocation, o: Options, pod: Pod): { pod: Pod; container: string } {
  const { pod: copied, container } = generatePodCopy(inv, o, pod);
  const created = inv.ctx.api.create(copied as KObject, { fieldManager: DEBUG_MANAGER }) as Pod;
  if (o.replace) inv.ctx.api.delete("Pod", pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
  return { pod: created, container };
}

function visitNode(inv: Invocation, o: Options, node: KObject): { pod: Pod; container: string } {
  const cn = o.container || "debugger";
  // kubectl draws the suffix at random and does not check; drawn here from the node, the instant
  // and a counter, the next name not taken (two sessions in one instant get different pods).
  let pn = "";
  for (let n = 0; pn === "" || inv.ctx.api.get("Pod", inv.namespace, pn); n++) pn = `node-debugger-${node.metadata.name}-${suffix(`node-debugger/${node.metadata.name}/${inv.ctx.clock.now()}/${n}`)}`;
  if (!o.quiet) inv.out(`Creating debugging pod ${pn} with container ${cn} on node ${node.metadata.name}.`);
  const c = debugContainer(cn, o);
  const p: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: pn },
    spec: { containers: [c], nodeName: node.metadata.name, restartPolicy: "Never", tolerations: [{ operator: "Exists" }] },
  };
  applyProfile(o.profile, o.keep, p, cn, "node");
  if (o.custom) applyCustom(p.spec!.containers, cn, o.custom);
  p.metadata.namespace = inv.namespace;
  const created = inv.ctx.api.create(p as KObject, { fieldManager: DEBUG_MANAGER }) as Pod;
  return { pod: created, container: created.spec!.containers[0]!.name };
}

// ---- profiles.go ----------------------------------------------------------------------------

type Target = "ephemeral" | "copy" | "node";

function modify(pod: Pod, kind: Target, name: string, fn: (c: Container) => void): void {
  const list: Container[] = kind === "ephemeral" ? ((pod.spec!.ephemeralContainers ?? []) as Container[]) : pod.spec!.containers;
  for (const c of list) if (c.name === name) fn(c);
}

function addCapability(c: Container, cap: string): void {
  const sc: SecurityContext = (c.securityContext ??= {});
  sc.capabilities ??= {};
  sc.capabilities.add = [...(sc.capabilities.add ?? []), cap];
}

function mountRootPartition(pod: Pod, name: string): void {
  pod.spec!.volumes = [...(pod.spec!.volumes ?? []), { name: "host-root", hostPath: { path: "/" } }];
  modify(pod, "node", name, (c) => (c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: "/host", name: "host-root" }]));
}

function useHostNamespaces(pod: Pod, enabled: boolean): void {
  const s = pod.spec!;
  if (enabled) {
    s.hostNetwork = true;
    s.hostPID = true;
    s.hostIPC = true;
  } else {
    delete s.hostNetwork;
    delete s.hostPID;
    delete s.hostIPC;
  }
}

/** The --keep-* flags over a copy (labels, annotations, probes, init containers). */
function applyKeep(pod: Pod, keep: Options["keep"]): void {
  if (!keep.labels) delete pod.metadata.labels;
  if (!keep.annotations) delete pod.metadata.annotations;
  for (const c of pod.spec!.containers) {
    if (!keep.liveness) delete c.livenessProbe;
    if (!keep.readiness) delete c.readinessProbe;
    if (!keep.startup) delete c.startupProbe;
  }
  if (!keep.initContainers) delete pod.spec!.initContainers;
}

/** The profile's changes (profiles.go v1.32): securityContext, namespaces, the node's root. */
function applyProfile(profile: Profile, keep: Options["keep"], pod: Pod, name: string, target: Target): void {
  const spec = pod.spec!;
  // A copy keeps the original's labels, annotations, probes and init containers only as the
  // --keep-* flags say; the legacy profile drops the labels whatever they say, and keeps the rest
  // (what kubectl v1.32 does, recorded in src/kubectl/testdata/debug.yaml).
  if (target === "copy") {
    if (profile === "legacy") delete pod.metadata.labels;
    else applyKeep(pod, keep);
  }
  if (profile === "legacy") {
    // Nothing more for a copy or an ephemeral container; a node debugger in the host namespaces with the root at /host.
    if (target === "node") {
      mountRootPartition(pod, name);
      useHostNamespaces(pod, true);
    }
    return;
  }
  switch (profile) {
    case "general":
      if (target === "node") {
        mountRootPartition(pod, name);
        delete spec.securityContext;
        modify(pod, target, name, (c) => delete c.securityContext);
        useHostNamespaces(pod, true);
      } else {
        if (target === "copy") spec.shareProcessNamespace = true;
        modify(pod, target, name, (c) => addCapability(c, "SYS_PTRACE"));
      }
      return;
    case "baseline":
      modify(pod, target, name, (c) => delete c.securityContext);
      if (target === "copy") {
        spec.shareProcessNamespace = true;
        delete spec.securityContext;
        useHostNamespaces(pod, false);
      }
      if (target === "node") {
        delete spec.securityContext;
        useHostNamespaces(pod, false);
      }
      return;
    case "restricted":
      // kubectl v1.32 sets allowPrivilegeEscalation=false on an ephemeral container, not on a copy's (recorded).
      modify(pod, target, name, (c) => {
        c.securityContext = { ...(target === "ephemeral" ? { allowPrivilegeEscalation: false } : {}), capabilities: { drop: ["ALL"] }, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
      });
      if (target === "copy") spec.shareProcessNamespace = true;
      if (target !== "ephemeral") {
        delete spec.securityContext;
        useHostNamespaces(pod, false);
      }
      return;
    case "netadmin":
      modify(pod, target, name, (c) => {
        addCapability(c, "NET_ADMIN");
        addCapability(c, "NET_RAW");
      });
      if (target === "copy") spec.shareProcessNamespace = true;
      if (target === "node") useHostNamespaces(pod, true);
      return;
    case "sysadmin":
      modify(pod, target, name, (c) => {
        c.securityContext = { ...(c.securityContext ?? {}), privileged: true };
      });
      if (target === "copy") spec.shareProcessNamespace = true;
      if (target === "node") {
        mountRootPartition(pod, name);
        useHostNamespaces(pod, true);
      }
      return;
  }
}

/** --custom: the partial container spec merged (strategic merge) over the debug container. */
function applyCustom(list: Container[], name: string, custom: Record<string, unknown>): void {
  const i = list.findIndex((c) => c.name === name);
  if (i < 0) throw new KubectlError(`unable to find the ${name} container in the pod`);
  list[i] = strategicMergePatch(list[i] as unknown as Record<string, unknown>, { ...custom, name }, "V1Container") as unknown as Container;
}

// ---- attach -----------------------------------------------------------------------------------

function statusOf(pod: Pod, name: string): ContainerStatus | undefined {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s) => s.name === name);
}

/**
 * handleAttachPod: waitForContainer (running or terminated; a waiting message printed as a
 * warning once per message), then attach (the step's standard input as the session's input), or
 * the container's logs when it has terminated already.
 */
function handleAttachPod(inv: Invocation, o: Options, created: Pod, container: string): number {
  const ns = created.metadata.namespace!;
  const name = created.metadata.name!;
  const uid = created.metadata.uid;
  const warned = new Set<string>();
  let gone = false;
  const current = (): Pod | undefined => {
    const p = inv.ctx.api.get("Pod", ns, name) as Pod | undefined;
    return p && p.metadata.uid === uid ? p : undefined;
  };
  const ready = waitUntil(inv.ctx, () => {
    const p = current();
    if (!p) return (gone = true);
    const s = statusOf(p, container);
    if (!s) return false;
    if (s.state?.running || s.state?.terminated) return true;
    const msg = s.state?.waiting?.message;
    if (!o.quiet && msg && !warned.has(msg)) {
      warned.add(msg);
      inv.err(`Warning: container ${container}: ${msg}`);
    }
    return false;
  }, DEBUG_WAIT_CAP_MS);
  if (gone) throw new ApiError("NotFound", `pods "" not found`, { kind: "pods", name: "", causes: [] });
  if (!ready) throw new KubectlError(`kube-scenario: kubectl debug waited ${DEBUG_WAIT_CAP_MS / 60_000}m of simulated time for container ${container} of pod/${name} to start (a real kubectl waits until interrupted)`);
  const pod = current()!;
  const client = kubeletClient(inv.ctx);
  if (statusOf(pod, container)?.state?.terminated) return printLogs(inv, pod, container);
  if (o.tty && !o.quiet) inv.err("Unable to use a TTY - input is not a terminal or the right kind of file");
  if (o.interactive && !o.quiet) inv.err("If you don't see a command prompt, try pressing enter.");
  let output = "";
  let code: number | undefined;
  try {
    code = client.attach(pod, container, o.interactive ? (inv.ctx.stdin ?? "") : undefined, (t) => (output += t));
  } catch (e) {
    if (!(e instanceof ContainerNotRunningError)) throw e;
    inv.err(`warning: couldn't attach to pod/${name}, falling back to streaming logs: unable to upgrade connection: ${e.message}`);
    return printLogs(inv, current() ?? pod, container);
  }
  if (output && inv.write) inv.write(output);
  else if (output) inv.out(output.replace(/\n$/, ""));
  if (code === undefined) {
    throw new KubectlError(
      `kube-scenario: kubectl debug stopped following container ${container} of pod/${name} after ${DEBUG_WAIT_CAP_MS / 60_000}m of simulated time: it still runs (a real kubectl stays attached until it ends or is interrupted)`,
      1,
      true,
    );
  }
  return 0;
}

function printLogs(inv: Invocation, pod: Pod, container: string): number {
  const log = kubeletClient(inv.ctx).containerLogs(pod, container, false, {});
  if (log.text && inv.write) inv.write(log.text);
  else if (log.text) inv.out(log.text.replace(/\n$/, ""));
  return 0;
}
