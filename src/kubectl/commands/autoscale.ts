/**
 * `kubectl autoscale` (staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go, v1.32): creates
 * an `autoscaling/v1` HorizontalPodAutoscaler for each scalable resource named — `--max`
 * (required), `--min` when positive, `--cpu-percent` when not negative, `--name` (else the
 * resource's name) — and prints `horizontalpodautoscaler.autoscaling/<name> autoscaled`.
 * Resources without a scale subresource are refused as kubectl's scale-kind resolver does.
 */
import type { KObject } from "../../api/types.ts";
import { apiVersionOf } from "../../api/resources.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";

/** Kinds whose scale subresource discovery lists (custom resources with one as well). */
const SCALABLE = new Set(["Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"]);

function scalable(inv: Invocation, kind: string, group: string, version: string, crd: string | undefined): boolean {
  if (SCALABLE.has(kind) && !crd) return true;
  if (!crd) return false;
  const def = inv.ctx.api.get("CustomResourceDefinition", undefined, crd);
  return Boolean((def?.spec?.versions ?? []).find((v: { name: string }) => v.name === version)?.subresources?.scale) && group !== "";
}

function runAutoscale(inv: Invocation): number {
  const f = inv.flags;
  if (!inv.set.has("max")) throw new KubectlError(`required flag(s) "max" not set`);
  const max = Number(f.max);
  const min = Number(f.min);
  const cpu = Number(f["cpu-percent"]);
  if (max < 1) throw new KubectlError(`--max=MAXPODS is required and must be at least 1, max: ${max}`);
  if (max < min) throw new KubectlError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  if (inv.args.length === 0 && !(f.filename ?? []).length) {
    throw new KubectlError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  }
  const res = fetch(inv, selectionsFromArgs(inv, inv.args), { namespace: inv.namespace });
  for (const e of res.errors) throw e;
  let count = 0;
  const dryRun = String(f["dry-run"] ?? "none");
  for (const { r, obj } of res.items) {
    if (!scalable(inv, r.kind, r.group, r.version, r.crd)) {
      throw new KubectlError(`cannot autoscale a ${r.kind}: could not find scale subresource for ${r.plural}${r.group ? "." + r.group : ""} in discovery information`);
    }
    const refName = obj.metadata.name!;
    const hpa: KObject = {
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: f.name ? String(f.name) : refName, namespace: inv.namespace },
      spec: {
        scaleTargetRef: { apiVersion: apiVersionOf(r), kind: r.kind, name: refName },
        ...(min > 0 ? { minReplicas: min } : {}),
        maxReplicas: max,
        ...(cpu >= 0 ? { targetCPUUtilizationPercentage: cpu } : {}),
      },
    };
    const name = `horizontalpodautoscaler.autoscaling/${hpa.metadata.name}`;
    if (dryRun === "client") {
      inv.out(`${name} created (dry run)`);
    } else {
      inv.ctx.api.create(hpa, { dryRun: dryRun === "server", fieldManager: String(inv.flags["field-manager"] || "kubectl-autoscale") });
      inv.out(`${name} autoscaled${dryRun === "server" ? " (server dry run)" : ""}`);
    }
    count++;
  }
  if (count === 0) throw new KubectlError("no objects passed to autoscale");
  return 0;
}

export const autoscaleCommand: CommandDef = {
  path: ["autoscale"],
  flags: [
    { long: "max", type: "int", default: -1 },
    { long: "min", type: "int", default: -1 },
    { long: "cpu-percent", type: "int", default: -1 },
    { long: "name", type: "string" },
    { long: "dry-run", type: "string", default: "none" },
    { long: "filename", short: "f", type: "stringArray" },
    { long: "save-config", type: "bool" },
    { long: "field-manager", type: "string", default: "kubectl-autoscale" },
  ],
  run: runAutoscale,
};
