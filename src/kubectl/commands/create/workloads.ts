/**
 * `kubectl create deployment|job|cronjob` (staging/src/k8s.io/kubectl/pkg/cmd/create/
 * create_deployment.go, create_job.go, create_cronjob.go). The objects are built in the Go
 * structs' field order, so `-o json` prints as kubectl does.
 */
import type { KObject } from "../../../api/types.ts";
import { ApiError } from "../../../api/errors.ts";
import { resolveResourceArg } from "../../../api/resources.ts";
import { KubectlError, type Invocation } from "../../command.ts";
import { klogLine } from "../../errors.ts";
import { enforcedNamespace, nameFromArgs, type Generator } from "./generator.ts";
import { keyedRandom } from "../../../sim/random.ts";

/** cobra's MarkFlagRequired: the error kubectl logs (klog) before it runs the command. */
export function requireFlags(inv: Invocation, ...names: string[]): void {
  const missing = names.filter((n) => !inv.set.has(n));
  if (missing.length === 0) return;
  const list = missing.map((n) => `\\"${n}\\"`).join(" ");
  throw new KubectlError(klogLine("E", inv.ctx.clock.now(), "run.go:72", `"command failed" err="required flag(s) ${list} not set"`), 1, true);
}

/** The command after `--`. */
function commandAfterDash(inv: Invocation): string[] {
  return inv.dashIndex >= 0 ? inv.args.slice(inv.dashIndex) : [];
}

/** The NAME, which must come before `--`. */
function name(inv: Invocation, path: string[]): string {
  const before = inv.dashIndex >= 0 ? inv.args.slice(0, inv.dashIndex) : inv.args;
  return nameFromArgs({ ...inv, namespace: inv.namespace, args: before } as Invocation, path);
}

/**
 * The container name kubectl derives from an image: its last path part without tag or digest; `_`
 * and `.` become `-` plus a random suffix (create_deployment.go sanitizeAndUniquify). The suffix
 * comes from a source keyed by the object and the container (`key`), as generated names do, so
 * that it, and the pod-template-hash it goes into, never change with the scenario's seed.
 */
export function containerNameFor(image: string, key: string): string {
  let n = image.split("/").pop()!;
  if (n.includes(":")) n = n.split(":")[0];
  if (n.includes("@")) n = n.split("@")[0];
  if (/[_.]/.test(n)) {
    n = `${n.replace(/_/g, "-").replace(/\./g, "-")}-${keyedRandom(`kubectl-create-container:${key}:${image}`).suffix(5)}`;
  }
  return n;
}

function meta(inv: Invocation, objName: string, extra: Record<string, unknown> = {}): KObject["metadata"] {
  const ns = enforcedNamespace(inv);
  return { name: objName, ...(ns ? { namespace: ns } : {}), ...extra };
}

/** ObjectMeta of a template (zero creationTimestamp, marshalled as null). */
const templateMeta = (extra: Record<string, unknown> = {}) => ({ creationTimestamp: null, ...extra });

export const deploymentGenerator: Generator = {
  path: ["create", "deployment"],
  aliases: ["deploy"],
  flags: [
    { long: "image", type: "stringSlice" },
    { long: "port", type: "int", default: -1 },
    { long: "replicas", short: "r", type: "int", default: 1 },
  ],
  wrapError: "failed to create deployment",
  build(inv, path) {
    requireFlags(inv, "image");
    const n = name(inv, path);
    const command = commandAfterDash(inv);
    const images: string[] = inv.flags.image;
    if (images.length > 1 && command.length > 0) throw new KubectlError("cannot specify multiple --image options and command");
    const labels = { app: n };
    const containers = images.map((image, i) => ({
      name: containerNameFor(image, `${enforcedNamespace(inv) ?? inv.namespace}/${n}#${i}`),
      image,
      ...(command.length ? { command } : {}),
      // --port goes to the first container.
      ...(i === 0 && inv.flags.port >= 0 ? { ports: [{ containerPort: inv.flags.port }] } : {}),
      resources: {},
    }));
    return {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: meta(inv, n, { labels }),
      spec: {
        replicas: inv.flags.replicas,
        selector: { matchLabels: labels },
        template: { metadata: templateMeta({ labels }), spec: { containers } },
        strategy: {},
      },
      status: {},
    };
  },
};

export const jobGenerator: Generator = {
  path: ["create", "job"],
  flags: [
    { long: "image", type: "string" },
    { long: "from", type: "string" },
  ],
  wrapError: "failed to create job",
  build(inv, path) {
    const n = name(inv, path);
    const image = String(inv.flags.image ?? "");
    const from = String(inv.flags.from ?? "");
    if ((image === "") === (from === "")) throw new KubectlError("either --image or --from must be specified");
    const command = commandAfterDash(inv);
    if (from && command.length) throw new KubectlError("cannot specify --from and command");
    if (from) return jobFromCronJob(inv, n, from);
    return {
      kind: "Job",
      apiVersion: "batch/v1",
      metadata: meta(inv, n),
      spec: {
        template: {
          metadata: templateMeta(),
          spec: { containers: [{ name: n, image, ...(command.length ? { command } : {}), resources: {} }], restartPolicy: "Never" },
        },
      },
      status: {},
    };
  },
};

/** `--from=cronjob/NAME`: a Job from the CronJob's job template, owned by it, annotated `cronjob.kubernetes.io/instantiate: manual`. */
function jobFromCronJob(inv: Invocation, jobName: string, from: string): KObject {
  // The resource builder's reading of one `resource/name` argument.
  const parts = from.split("/");
  if (parts.length > 2) throw new KubectlError("arguments in resource/name form may not have more than one slash");
  if (parts.length === 2 && (!parts[0] || !parts[1])) throw new KubectlError("arguments in resource/name form must have a single resource and name");
  const r = resolveResourceArg(parts[0]);
  if (!r) throw new KubectlError(`the server doesn't have a resource type ${JSON.stringify(parts[0])}`);
  if (parts.length === 1) throw new KubectlError("resource(s) were provided, but no name was specified");
  const sourceName = parts[1];
  const source = inv.ctx.api.get(r.kind, r.namespaced ? inv.namespace : undefined, sourceName);
  if (!source) throw new ApiError("NotFound", `${r.plural}${r.group ? `.${r.group}` : ""} ${JSON.stringify(sourceName)} not found`);
  if (r.kind !== "CronJob") throw new KubectlError(`unknown object type *v1.${r.kind}`);
  const template = source.spec?.jobTemplate ?? {};
  const annotations = { "cronjob.kubernetes.io/instantiate": "manual", ...(template.metadata?.annotations ?? {}) };
  return {
    kind: "Job",
    apiVersion: "batch/v1",
    metadata: meta(inv, jobName, {
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      annotations,
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: source.metadata.name, uid: source.metadata.uid, controller: true }],
    }),
    spec: structuredClone(template.spec ?? {}),
    status: {},
  };
}

export const cronJobGenerator: Generator = {
  path: ["create", "cronjob"],
  aliases: ["cj"],
  flags: [
    { long: "image", type: "string" },
    { long: "schedule", type: "string" },
    { long: "restart", type: "string" },
  ],
  wrapError: "failed to create cronjob",
  build(inv, path) {
    requireFlags(inv, "image", "schedule");
    const n = name(inv, path);
    const command = commandAfterDash(inv);
    const restart = String(inv.flags.restart || "OnFailure");
    return {
      kind: "CronJob",
      apiVersion: "batch/v1",
      metadata: meta(inv, n),
      spec: {
        schedule: inv.flags.schedule,
        jobTemplate: {
          metadata: { name: n, creationTimestamp: null },
          spec: {
            template: {
              metadata: templateMeta(),
              spec: { containers: [{ name: n, image: inv.flags.image, ...(command.length ? { command } : {}), resources: {} }], restartPolicy: restart },
            },
          },
        },
      },
      status: {},
    };
  },
};
