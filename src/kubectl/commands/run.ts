/**
 * `kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client]
 * [--overrides=inline-json] [--command] -- [COMMAND] [args...]`
 * (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go v1.32 with the run-pod/v1 generator of
 * pkg/generate/versioned/run.go, and the service/v2 generator for `--expose`): a Pod labelled
 * `run=NAME` (or `--labels`), one container named after it, `--restart` Always / OnFailure / Never
 * (OnFailure by default with `-i`), `--env`, `--port`, `--command` and the arguments after `--`,
 * `--image-pull-policy`, `--annotations`, `--privileged`, `--overrides` (merge, strategic or json
 * over the generated pod), `--dry-run=client|server` with `-o`, and `--expose` (a ClusterIP Service
 * for `--port`, printed and created after the pod, before the pod's line).
 *
 * The attached forms (`-i`, `--attach`) wait, letting simulated time pass, for the pod to run
 * (`--pod-running-timeout`, 1m) and then print what the container writes until it ends; with
 * `--restart=Never` the command's exit code is the container's (`pod NS/NAME terminated (Error)`),
 * with OnFailure it waits for the pod to succeed. `--rm` deletes the pod (and the Service) after
 * (`pod "NAME" deleted`). A scenario has no terminal: `-t` gets kubectl's own notice that it cannot
 * use one and goes on without it, as kubectl does when its input is not a terminal. Standard input
 * goes to a container whose command is an interactive shell (`-- sh`): the step's typed lines are
 * the session (docs/divergences.md); other commands get none. In a terminal of its own (a second
 * terminal) the attached forms follow the pod's watch as the scenario lets time pass, uncapped
 * (attachInTerminal).
 */
import { ApiError } from "../../api/errors.ts";
import { applyJSONPatch, JSONPatchError } from "../../api/jsonpatch.ts";
import { checkValid } from "../../api/jsonscanner.ts";
import { mergePatch } from "../../api/patch.ts";
import { resourceForKind } from "../../api/resources.ts";
import { loadSchema } from "../../api/schema/fields.ts";
import { strategicMergePatch, StrategicPatchError } from "../../api/schema/strategicmerge.ts";
import { clone, isJSONObject, type KObject } from "../../api/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import { IsEnvVarName as isEnvVarName, IsQualifiedName as isQualifiedName, IsValidLabelValue as isValidLabelValue } from "../../api/validation/names.ts";
import { kubeletClient } from "../../api/kubeletclient.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { klogLine } from "../errors.ts";
import { createGenerated, dryRunStrategy, GENERATOR_FLAGS, outputFormat, printGenerated, saveConfig, usageError, type DryRun } from "./create/generator.ts";
import { parseGoDuration, waitUntil } from "./wait.ts";
import type { TimerHandle } from "../../sim/clock.ts";

const PATH = ["run"];

/** github.com/distribution/reference's ReferenceRegexp: [domain/]name[:tag][@digest], lower-case name components. */
const NAME_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN = "(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
export const REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/** Flags DeleteFlags adds to run that v1.32 marks deprecated (they do nothing), with cobra's notice. */
const DEPRECATED: Record<string, string> = {
  cascade: "because it is not relevant for this command. It will be removed in version 1.29.",
  filename: "because it is not used by this command. It will be removed in version 1.29.",
  force: "because it is not used by this command. It will be removed in version 1.29.",
  "grace-period": "because it is not used by this command. It will be removed in version 1.29.",
  kustomize: "because it is not used by this command. It will be removed in version 1.29.",
  recursive: "because it is not used by this command. It will be removed in version 1.29.",
  timeout: "because it is not used by this command. It will be removed in version 1.29.",
  wait: "because it is not used by this command. It will be removed in version 1.29.",
};

/**
 * How long an attached `kubectl run` follows a container that keeps running. A real kubectl stays
 * attached until the container ends or the user interrupts it; a scenario cannot interrupt.
 */
export const ATTACH_CAP_MS = 10 * 60_000;

export const runCommand: CommandDef = {
  path: PATH,
  flags: [
    ...GENERATOR_FLAGS.filter((f) => f.long !== "field-manager"),
    { long: "field-manager", type: "string", default: "kubectl-run" },
    { long: "image", type: "string" },
    { long: "image-pull-policy", type: "string" },
    { long: "rm", type: "bool" },
    { long: "env", type: "stringArray" },
    { long: "port", type: "string" },
    { long: "labels", short: "l", type: "string" },
    { long: "stdin", short: "i", type: "bool" },
    { long: "tty", short: "t", type: "bool" },
    { long: "attach", type: "bool" },
    { long: "leave-stdin-open", type: "bool" },
    { long: "restart", type: "string" },
    { long: "command", type: "bool" },
    { long: "expose", type: "bool" },
    { long: "quiet", short: "q", type: "bool" },
    { long: "privileged", type: "bool" },
    { long: "annotations", type: "stringArray" },
    { long: "overrides", type: "string" },
    { long: "override-type", type: "string", default: "merge" },
    { long: "pod-running-timeout", type: "string", default: "1m0s" },
    { long: "record", type: "bool" },
    { long: "cascade", type: "string", default: "background", noOptDefault: "background" },
    { long: "filename", short: "f", type: "stringArray" },
    { long: "force", type: "bool" },
    { long: "grace-period", type: "int", default: -1 },
    { long: "kustomize", short: "k", type: "string" },
    { long: "recursive", short: "R", type: "bool" },
    { long: "timeout", type: "string", default: "0s" },
    { long: "wait", type: "bool" },
  ],
  run: runRun,
};

export interface RunOptions {
  name: string;
  image: string;
  args: string[];
  command: boolean;
  env: string[];
  labels: string;
  annotations: string[];
  port: string;
  restart: string;
  imagePullPolicy: string;
  stdin: boolean;
  leaveStdinOpen: boolean;
  tty: boolean;
  privileged: boolean;
}

/** getRestartPolicy: the flag's value, else OnFailure for an interactive pod and Always otherwise. */
export function restartPolicyFor(restart: string, interactive: boolean): string {
  if (restart === "") return interactive ? "OnFailure" : "Always";
  if (restart === "Always" || restart === "OnFailure" || restart === "Never") return restart;
  throw usageError(PATH, `invalid restart policy: ${restart}`);
}

/** parseEnvs: `NAME=value` (the value may hold `=`), NAME a valid variable name. */
export function parseEnvs(specs: string[]): Array<{ name: string; value: string }> {
  return specs.map((env) => {
    const pos = env.indexOf("=");
    const name = pos < 0 ? "" : env.slice(0, pos);
    if (pos < 0 || name === "" || isEnvVarName(name).length > 0) throw new KubectlError(`invalid env: ${env}`);
    return { name, value: env.slice(pos + 1) };
  });
}

/** generate.ParseLabels: `k=v,k2=v2`, each key a qualified name and each value a label value. */
export function parseRunLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of text.split(",")) {
    const parts = spec.split("=");
    if (parts.length !== 2 || isQualifiedName(parts[0]).length > 0 || isValidLabelValue(parts[1]).length > 0) throw new KubectlError(`unexpected label spec: ${spec}`);
    out[parts[0]] = parts[1];
  }
  return out;
}

/** The `--annotations` values: `k=v` each (the value may hold `=`). */
export function parseRunAnnotations(specs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const pos = spec.indexOf("=");
    if (pos <= 0) throw new KubectlError(`invalid annotations format: ${spec}`);
    out[spec.slice(0, pos)] = spec.slice(pos + 1);
  }
  return out;
}

/** strconv.Atoi as utilsnet.ParsePort calls it, then the port range. */
function parsePort(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new KubectlError(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new KubectlError(`port ${JSON.stringify(text)} is outside the range 1-65535`);
  return n;
}

/** The run-pod/v1 generator (BasicPod.Generate): the pod as kubectl builds it, fields in the Go structs' order. */
export function generatePod(o: RunOptions): KObject {
  const envs = parseEnvs(o.env);
  const labels = o.labels ? parseRunLabels(o.labels) : { run: o.name };
  const annotations = parseRunAnnotations(o.annotations);
  const container: Record<string, unknown> = { name: o.name, image: o.image };
  if (o.args.length > 0) container[o.command ? "command" : "args"] = o.args;
  if (o.port) container.ports = [{ containerPort: parsePort(o.port) }];
  if (envs.length > 0) container.env = envs;
  container.resources = {};
  if (o.imagePullPolicy) container.imagePullPolicy = o.imagePullPolicy;
  if (o.privileged) container.securityContext = { privileged: true };
  if (o.stdin) container.stdin = true;
  if (o.stdin && !o.leaveStdinOpen) container.stdinOnce = true;
  if (o.tty) container.tty = true;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: o.name, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: { containers: [container], restartPolicy: o.restart || "Always", dnsPolicy: "ClusterFirst" },
    status: {},
  };
}

/** The service/v2 generator as `--expose` calls it: a ClusterIP Service selecting the pod's labels on `--port`. */
export function generateService(o: RunOptions): KObject {
  const port = parsePort(o.port);
  const selector = o.labels ? parseRunLabels(o.labels) : { run: o.name };
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: o.name, ...(o.labels ? { labels: parseRunLabels(o.labels) } : {}) },
    spec: { ports: [{ port, protocol: "TCP", targetPort: port }], selector },
    status: { loadBalancer: {} },
  };
}

/** PodSpec's and Container's fields in the Go structs' order (an overridden pod is re-encoded from the typed object). */
const POD_SPEC_ORDER = [
  "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds",
  "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID",
  "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations",
  "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName", "enableServiceLinks", "preemptionPolicy",
  "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims",
];
const CONTAINER_ORDER = [
  "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy", "volumeMounts",
  "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy",
  "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
];

function ordered(obj: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in obj) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}

/** cmdutil.Overrider.Apply: the generated pod with `--overrides` applied as `--override-type` says. */
export function applyOverrides(pod: KObject, overrides: string, type: string): KObject {
  if (!overrides) return pod;
  const out = applyOverridesAs(pod, overrides, type, loadSchema().roots.Pod);
  // Decoded into a v1.Pod and encoded again: struct order, and every container's `resources: {}`.
  if (out.spec && typeof out.spec === "object") {
    const spec = ordered(out.spec, POD_SPEC_ORDER);
    if (Array.isArray(spec.containers)) spec.containers = spec.containers.map((c: Record<string, unknown>) => ordered({ resources: {}, ...c }, CONTAINER_ORDER));
    out.spec = spec;
  }
  return out;
}

/**
 * cmdutil.Overrider.Apply on any generated object (`kubectl run`'s Pod, `kubectl expose`'s
 * Service): a JSON merge patch, a strategic merge patch with the kind's schema (`schemaRoot`), or
 * a JSON patch.
 */
export function applyOverridesAs(obj: KObject, overrides: string, type: string, schemaRoot: string | undefined): KObject {
  const pod = obj;
  let out: KObject;
  switch (type) {
    case "merge": {
      if (checkValid(overrides)) throw new KubectlError("Invalid JSON Patch");
      const patch: unknown = JSON.parse(overrides);
      if (!isJSONObject(patch)) throw new KubectlError("Invalid JSON Patch");
      out = mergePatch(clone(pod), patch) as KObject;
      break;
    }
    case "strategic": {
      if (checkValid(overrides)) throw new KubectlError("invalid JSON document");
      const patch: unknown = JSON.parse(overrides);
      if (!isJSONObject(patch)) throw new KubectlError("invalid JSON document");
      try {
        out = strategicMergePatch(clone(pod), patch, schemaRoot) as KObject;
      } catch (e) {
        if (e instanceof StrategicPatchError) throw new KubectlError(e.message);
        throw e;
      }
      break;
    }
    case "json": {
      if (checkValid(overrides)) throw new KubectlError("invalid JSON Patch");
      const ops: unknown = JSON.parse(overrides);
      if (!Array.isArray(ops)) throw new KubectlError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
      try {
        out = applyJSONPatch(clone(pod), ops.map((o) => (o && typeof o === "object" && !Array.isArray(o) ? o : {})) as Record<string, unknown>[]) as KObject;
      } catch (e) {
        if (e instanceof JSONPatchError) throw new KubectlError(e.message);
        throw e;
      }
      break;
    }
    default:
      throw new KubectlError(`invalid override type: ${type}`);
  }
  return out;
}

/** What the attached forms wait for: the pod's phase and its only container's end. */
function podOf(inv: Invocation, ns: string, name: string): Pod | undefined {
  return inv.ctx.api.get("Pod", ns, name) as Pod | undefined;
}

/** The created pod an attached `kubectl run` follows: its key, first container, and its current version (none once the pod is gone or replaced by another of the same name). */
function attachTarget(inv: Invocation, pod: KObject): { ns: string; name: string; uid: string | undefined; container: string; current: () => Pod | undefined } {
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const uid = pod.metadata.uid;
  const container = (pod.spec.containers[0] as { name: string }).name;
  return { ns, name, uid, container, current: () => {
    const p = podOf(inv, ns, name);
    return p && p.metadata.uid === uid ? p : undefined;
  } };
}

function runningAndReady(p: Pod): boolean {
  return p.status?.phase === "Running" && (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

function completed(p: Pod): boolean {
  return p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
}

function runRun(inv: Invocation): number {
  const f = inv.flags;
  for (const name of Object.keys(DEPRECATED)) if (inv.set.has(name)) inv.err(`Flag --${name} has been deprecated, ${DEPRECATED[name]}`);
  // cobra's MarkFlagRequired("image"), checked before the command runs.
  if (!inv.set.has("image")) {
    throw new KubectlError(klogLine("E", inv.ctx.clock.now(), "run.go:72", `"command failed" err="required flag(s) \\"image\\" not set"`), 1, true);
  }
  const dryRun: DryRun = dryRunStrategy(inv);
  const attach = inv.set.has("attach") ? !!f.attach : !!f.stdin;
  // Validate.
  if (inv.args.length === 0 || inv.dashIndex === 0) throw usageError(PATH, "NAME is required for run");
  const podRunningTimeout = parseGoDuration(String(f["pod-running-timeout"]), "pod-running-timeout");
  const image = String(f.image);
  if (image === "") throw new KubectlError("--image is required");
  if (!REFERENCE.test(image)) throw new KubectlError(`Invalid image name ${JSON.stringify(image)}: invalid reference format`);
  if (f.tty && !f.stdin) throw usageError(PATH, "-i/--stdin is required for containers with -t/--tty=true");
  if (f.expose && !f.port) throw usageError(PATH, "--port must be set when exposing a service");
  const restart = restartPolicyFor(String(f.restart), !!f.stdin);
  if (!attach && f.rm) throw usageError(PATH, "--rm should only be used for attached containers");
  if (attach && dryRun !== "none") throw usageError(PATH, "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  const pullPolicy = String(f["image-pull-policy"]);
  if (!["", "Always", "IfNotPresent", "Never"].includes(pullPolicy)) throw usageError(PATH, `invalid image pull policy: ${pullPolicy}`);

  const opts: RunOptions = {
    name: inv.args[0],
    image,
    args: inv.args.slice(1),
    command: !!f.command,
    env: f.env,
    labels: String(f.labels),
    annotations: f.annotations,
    port: String(f.port),
    restart: String(f.restart) === "" ? (f.stdin ? "OnFailure" : "Always") : restart,
    imagePullPolicy: pullPolicy,
    stdin: !!f.stdin,
    leaveStdinOpen: !!f["leave-stdin-open"],
    tty: !!f.tty,
    privileged: !!f.privileged,
  };
  const format = outputFormat(inv);
  const ns = inv.namespace;
  const enforce = inv.set.has("namespace");

  // The pod: generated, overridden, created (or not, for a client dry run).
  let pod = applyOverrides(generatePod(opts), String(f.overrides), String(f["override-type"]));
  if (dryRun !== "client" && f["save-config"]) saveConfig(pod);
  if (dryRun !== "client") pod = createGenerated(inv, pod, dryRun, ns);
  else if (enforce) pod.metadata.namespace = ns;
  const created: KObject[] = [pod];

  // --expose: the Service, printed now; its error is reported after the pod's line.
  const errors: string[] = [];
  let yamlBefore = false;
  if (f.expose) {
    try {
      let svc = generateService(opts);
      if (dryRun !== "client" && f["save-config"]) saveConfig(svc);
      if (dryRun !== "client") svc = createGenerated(inv, svc, dryRun, ns);
      else if (enforce) svc.metadata.namespace = ns;
      printGenerated(inv, resourceForKind("Service")!, svc, dryRun, format, "created");
      // run.go's own separator; the YAML printer adds its own before the pod, its second object.
      if (format?.kind === "yaml") {
        inv.out("---");
        yamlBefore = true;
      }
      created.push(svc);
    } catch (e) {
      if (e instanceof ApiError) errors.push(e.message);
      else if (e instanceof KubectlError) errors.push(e.message);
      else throw e;
    }
  }

  if (attach) return attachAndWait(inv, pod, restart, podRunningTimeout, created);

  if (yamlBefore) inv.out("---");
  printGenerated(inv, resourceForKind("Pod")!, pod, dryRun, format, "created");
  if (errors.length) throw new KubectlError(errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`);
  return 0;
}

/**
 * The attached forms: wait for the pod to run (or finish), print the container's output until it
 * ends, wait for the exit status the restart policy allows, then `--rm`.
 */
function attachAndWait(inv: Invocation, pod: KObject, restart: string, timeoutMs: number, created: KObject[]): number {
  if (inv.background?.exit && inv.background.onRead) return attachInTerminal(inv, pod, restart, timeoutMs, created);
  const f = inv.flags;
  const { ns, name, container, current } = attachTarget(inv, pod);
  // The deferred removal runs before kubectl prints the error; the error's text is printed as it is.
  const finish = (code: number, error?: string): number => {
    if (f.rm) removeCreated(inv, created);
    if (error !== undefined) throw new KubectlError(error, code, true);
    return code;
  };
  // handleAttachPod: podRunningAndReady, or completed.
  const ready = waitUntil(inv.ctx, () => {
    const p = current();
    return !p || completed(p) || runningAndReady(p);
  }, timeoutMs);
  let p = current();
  if (!p) return finish(1, `Error from server (NotFound): pods "" not found`);
  if (!ready) return finish(1, "error: timed out waiting for the condition");
  if (!completed(p) && !kubeletClient(inv.ctx).containerRunning(p, container)) {
    // The status still says Running but the container has exited: the kubelet refuses the attach and
    // handleAttachPod falls back to the logs (run.go), after attach's notices.
    if (f.tty && !f.quiet) inv.err("Unable to use a TTY - input is not a terminal or the right kind of file");
    if (!f.quiet) inv.err("If you don't see a command prompt, try pressing enter.");
    inv.err(`warning: couldn't attach to pod/${name}, falling back to streaming logs: unable to upgrade connection: container not found (${JSON.stringify(container)})`);
    printLog(inv, p, container);
  } else if (!completed(p)) {
    // attach: kubectl's notices (a scenario has no terminal), then the container's output until it ends.
    if (f.tty && !f.quiet) inv.err("Unable to use a TTY - input is not a terminal or the right kind of file");
    // attach.go Run prints it before attaching, with or without -i (`--attach`).
    if (!f.quiet) inv.err("If you don't see a command prompt, try pressing enter.");
    const restarts = p.status?.containerStatuses?.[0]?.restartCount ?? 0;
    // The attach streams what the container writes from now on: what it printed before kubectl saw
    // it running is not shown (kubectl v1.32's attach does not replay it: kubernetes/kubernetes#27264,
    // why kubectl says "If you don't see a command prompt, try pressing enter.").
    const attachedAt = logLength(inv, p, container);
    // -i to an interactive shell (`-- sh`): the step's standard input is the session's (it waits for it).
    const shell = f.stdin && kubeletClient(inv.ctx).awaitsInput(p, container) ? attachInput(inv, p, container) : undefined;
    const ended = shell !== undefined || waitUntil(inv.ctx, () => {
      const q = current();
      const s = q?.status?.containerStatuses?.find((c) => c.name === container);
      return !q || completed(q) || !!s?.state?.terminated || (s?.restartCount ?? 0) > restarts;
    }, ATTACH_CAP_MS);
    p = current();
    if (shell !== undefined) {
      if (shell.output) inv.write!(shell.output);
    } else if (p) {
      // The attached instance's output after the attach (the previous instance's once it restarted).
      const restarted = (p.status?.containerStatuses?.find((c) => c.name === container)?.restartCount ?? 0) > restarts;
      printLog(inv, p, container, attachedAt, restarted);
    }
    if (!ended || shell?.code === undefined && shell !== undefined) {
      throw new KubectlError(
        `kube-scenario: kubectl run stopped following pod/${name} after ${ATTACH_CAP_MS / 60_000}m of simulated time: its container still runs (a real kubectl stays attached until it ends or is interrupted); the pod is left running`,
        1,
        true,
      );
    }
  } else {
    printLog(inv, p, container);
  }
  // waitForExitCode.
  if (f["leave-stdin-open"] || restart === "Always") return finish(0);
  const exited = waitUntil(inv.ctx, () => {
    const q = current();
    return !q || (restart === "OnFailure" ? q.status?.phase === "Succeeded" : completed(q));
  }, timeoutMs);
  p = current();
  if (!p) return finish(1, `Error from server (NotFound): pods "" not found`);
  if (!exited) return finish(1, "error: timed out waiting for the condition");
  if (p.status?.phase === "Succeeded") return finish(0);
  const term = p.status?.containerStatuses?.[0]?.state?.terminated;
  if (!term || !term.exitCode) return finish(1, `error: pod ${ns}/${name} failed with unknown exit code`);
  // uexec.CodeExitError: printed as it is, the exit code the container's.
  return finish(term.exitCode, `pod ${ns}/${name} terminated (${term.reason ?? ""})\n${term.message ?? ""}`);
}

/**
 * The attached forms in a terminal of their own (`When I run "kubectl run … -i -t …" in a second
 * terminal`): the same steps as attachAndWait, each taken when the pod's watch shows its condition,
 * while the scenario's steps let time pass. The container's output is printed as it comes (what it
 * wrote by the instant the terminal is looked at); there is no cap: kubectl stays attached until the
 * container ends, or until Ctrl-C (`I stop the second terminal`), which ends kubectl and leaves the
 * pod running (kubectl's -t had no terminal to put in raw mode, so the interrupt is kubectl's own,
 * and its deferred --rm does not run). The page's other way out, `kubectl delete pod NAME --now`
 * from another terminal, ends the container: kubectl then finds no pod to read the exit code from.
 */
function attachInTerminal(inv: Invocation, pod: KObject, restart: string, timeoutMs: number, created: KObject[]): number {
  const f = inv.flags;
  const bg = inv.background!;
  const clock = inv.ctx.clock;
  const { ns, name, uid, container, current } = attachTarget(inv, pod);
  let stage: "running" | "attached" | "exiting" | "done" = "running";
  let restarts = 0;
  let printed = 0;
  let deadline: TimerHandle | undefined;
  /** What the container wrote since the last look (the log of the instance kubectl attached to). */
  // The pod as last seen: its container's log is still read after the pod left the API (the runtime keeps it until the kubelet removes it).
  let seen: Pod | undefined;
  const flush = () => {
    if (stage !== "attached") return;
    const p = current() ?? seen;
    if (!p) return;
    seen = p;
    let text: string;
    try {
      text = kubeletClient(inv.ctx).containerLogs(p, container, false, {}).text;
    } catch (e) {
      if (e instanceof ApiError) return;
      throw e;
    }
    if (text.length > printed) inv.write!(text.slice(printed));
    printed = text.length;
  };
  // Each step reads the pod as the watch event carries it (kubectl's own watch): the MODIFIED event
  // with the terminal phase before the DELETED one, even when both came at one instant.
  const unwatch = inv.ctx.api.watch("Pod", (ev) => {
    if (ev.object.metadata.uid !== uid) return;
    flush();
    seen = ev.object as Pod;
    step(ev.type === "DELETED" ? undefined : (ev.object as Pod));
  });
  const stopWatching = () => {
    unwatch();
    if (deadline) clock.clear(deadline);
    deadline = undefined;
  };
  // The end: --rm's deletion (deferred in run.go, so it runs before the error is printed), then kubectl exits.
  const end = (code: number, error?: string) => {
    flush();
    stage = "done";
    stopWatching();
    clock.setTimeout(() => {
      if (f.rm) removeCreated(inv, created);
      if (error !== undefined) inv.err(error);
      bg.exit!(code);
    }, 0);
  };
  const waitFor = (ms: number) => {
    if (deadline) clock.clear(deadline);
    deadline = clock.setTimeout(() => {
      deadline = undefined;
      if (stage !== "done") end(1, "error: timed out waiting for the condition");
    }, ms);
  };
  const step = (p: Pod | undefined): void => {
    if (stage === "running") {
      if (!p) return end(1, `Error from server (NotFound): pods "" not found`);
      if (completed(p)) {
        stage = "attached";
      } else if (runningAndReady(p)) {
        if (deadline) clock.clear(deadline);
        deadline = undefined;
        if (f.tty && !f.quiet) inv.err("Unable to use a TTY - input is not a terminal or the right kind of file");
        if (f.stdin && !f.quiet) inv.err("If you don't see a command prompt, try pressing enter.");
        restarts = p.status?.containerStatuses?.[0]?.restartCount ?? 0;
        stage = "attached";
      } else return;
    }
    if (stage === "attached") {
      const s = p?.status?.containerStatuses?.find((c) => c.name === container);
      if (p && !completed(p) && !s?.state?.terminated && (s?.restartCount ?? 0) <= restarts) return;
      flush();
      if (f["leave-stdin-open"] || restart === "Always") return end(0);
      stage = "exiting";
      waitFor(timeoutMs);
    }
    if (stage === "exiting") {
      if (!p) return end(1, `Error from server (NotFound): pods "" not found`);
      if (!(restart === "OnFailure" ? p.status?.phase === "Succeeded" : completed(p))) return;
      if (p.status?.phase === "Succeeded") return end(0);
      const term = p.status?.containerStatuses?.[0]?.state?.terminated;
      if (!term || !term.exitCode) return end(1, `error: pod ${ns}/${name} failed with unknown exit code`);
      return end(term.exitCode, `pod ${ns}/${name} terminated (${term.reason ?? ""})\n${term.message ?? ""}`.replace(/\n$/, ""));
    }
  };
  bg.onRead!(flush);
  bg.onStop(() => {
    stage = "done";
    stopWatching();
  });
  waitFor(timeoutMs);
  step(current());
  return 0;
}

/** Attaches with the step's standard input (the container's shell waits for it): its output from then on and its exit code (undefined: still running after the cap). */
function attachInput(inv: Invocation, pod: Pod, container: string): { output: string; code: number | undefined } {
  let output = "";
  const code = kubeletClient(inv.ctx).attach(pod, container, inv.ctx.stdin ?? "", (t) => (output += t));
  return { output, code };
}

/** The container's output as attach (from `from` on) or the logs fallback for a finished pod (all of it) shows it. */
function printLog(inv: Invocation, pod: Pod, container: string, from = 0, previous = false): void {
  try {
    const log = kubeletClient(inv.ctx).containerLogs(pod, container, previous, {});
    const text = log.text.slice(from);
    if (text) inv.write!(text);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

/** How much the container's current instance has written so far (where an attach now starts). */
function logLength(inv: Invocation, pod: Pod, container: string): number {
  try {
    return kubeletClient(inv.ctx).containerLogs(pod, container, false, {}).text.length;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return 0;
  }
}

/** removeCreatedObjects: each created object deleted (IgnoreNotFound, no wait), `<kind> "<name>" deleted`. */
function removeCreated(inv: Invocation, created: KObject[]): void {
  for (const obj of created) {
    const r = resourceForKind(String(obj.kind))!;
    try {
      inv.ctx.api.delete(r.key, obj.metadata.namespace, obj.metadata.name!);
    } catch (e) {
      if (e instanceof ApiError && e.reason === "NotFound") continue;
      throw e;
    }
    if (!inv.flags.quiet) inv.out(`${r.kind.toLowerCase()} "${obj.metadata.name}" deleted`);
  }
}
