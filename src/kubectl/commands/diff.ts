/**
 * `kubectl diff -f FILE | -k DIR` (staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go): each object of
 * the manifests is written twice as YAML, as it is live (LIVE, empty when it does not exist) and as
 * it would be once applied (MERGED: apply's three-way merge sent as a server-side dry run, or a
 * dry-run create; with `--server-side` an apply patch, dry run, by the field manager), into two temporary directories, one file per object named
 * `<group>.<version>.<kind>.<namespace>.<name>`; then the `diff` program runs on the two
 * directories with `-u -N`, as kubectl runs it, and its output and exit status are kubectl's:
 * 0 no differences, 1 differences; kubectl's own errors exit with 2 (CheckDiffErr). Secret `data`
 * values are masked (`***`, or `*** (before)` / `*** (after)` when they differ); managed fields are
 * left out unless `--show-managed-fields`.
 *
 * What differs from a real run (docs/divergences.md): the directories are named
 * `/tmp/LIVE-<n>` / `/tmp/MERGED-<n>` with numbers drawn from the cluster's own counter (a real
 * kubectl's are random), and the files' times in the headers are the simulated instant, in UTC.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiError } from "../../api/errors.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { ApiServer } from "../../api/store.ts";
import { apiVersionOf, type ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { parseSelector, type Selector } from "../../api/labels.ts";
import { FILENAME_FLAGS, KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { renderError } from "../errors.ts";
import { goYAML } from "../printers/goyaml.ts";
import { serverSideApply } from "../../api/fieldmanager.ts";
import { LAST_APPLIED, mapManifestDoc, readManifestDocs, schemaKey, threeWayMerge } from "./apply.ts";

const MASK = "***";
const MASK_BEFORE = "*** (before)";
const MASK_AFTER = "*** (after)";

/** The numbers of a cluster's temporary directories (kubectl's are random: these only need to differ). */
const dirCounters = new WeakMap<ApiServer, number>();

function tempName(api: ApiServer, prefix: string): string {
  const n = (dirCounters.get(api) ?? 0) + 1;
  dirCounters.set(api, n);
  // FNV-1a of the counter: a number shaped like os.MkdirTemp's (a uint32 in decimal).
  let h = 0x811c9dc5;
  for (const ch of `${prefix}${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${prefix}-${h}`;
}

/** InfoObject.Name: `<group>.<version>.<kind>.<namespace>.<name>` (the group and its dot left out for the core group). */
function fileName(r: ResourceType, namespace: string, name: string): string {
  return `${r.group ? `${r.group}.` : ""}${r.version}.${r.kind}.${namespace}.${name}`;
}

/** Masker: a Secret's data values hidden, with a suffix where the two sides differ. */
export function maskSecrets(from: KObject | undefined, to: KObject | undefined): void {
  const a = from?.data as Record<string, unknown> | undefined;
  const b = to?.data as Record<string, unknown> | undefined;
  const fromOut: Record<string, unknown> | undefined = a ? { ...a } : undefined;
  const toOut: Record<string, unknown> | undefined = b ? { ...b } : undefined;
  for (const k of Object.keys(a ?? {})) {
    if (b && k in b) {
      if (a![k] !== b[k]) {
        fromOut![k] = MASK_BEFORE;
        toOut![k] = MASK_AFTER;
        continue;
      }
      toOut![k] = MASK;
    }
    fromOut![k] = MASK;
  }
  for (const k of Object.keys(b ?? {})) if (!a || !(k in a)) toOut![k] = MASK;
  if (from && fromOut) from.data = fromOut;
  if (to && toOut) to.data = toOut;
}

function withoutManagedFields(obj: KObject): KObject {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _omitted, ...metadata } = obj.metadata;
  void _omitted;
  return { ...obj, metadata };
}

/** kubectl's own errors: printed as checkErr prints them, with the exit code one higher (CheckDiffErr). */
function diffErr(e: unknown): KubectlError {
  if (e instanceof KubectlError) return new KubectlError(e.message, e.exitCode + 1, e.raw);
  if (e instanceof ApiError) return new KubectlError(renderError(e), 2, true);
  throw e;
}

function runDiff(inv: Invocation): number {
  const f = inv.flags;
  if (inv.args.length > 0) throw new KubectlError(`error: Unexpected args: [${inv.args.join(" ")}]\nSee 'kubectl diff -h' for help and examples`, 2, true);
  const serverSide = !!f["server-side"];
  if (f["force-conflicts"] && !serverSide) throw new KubectlError("--force-conflicts only works with --server-side", 2);
  // GetApplyFieldManagerFlag: the flag's value when given, else `kubectl` for a server-side apply.
  const manager = inv.set.has("field-manager") ? String(f["field-manager"]) : serverSide ? "kubectl" : "kubectl-client-side-apply";
  if (f.prune) throw new KubectlError("kubectl diff --prune is not simulated", 2);
  if ((f.filename ?? []).length === 0 && !f.kustomize) throw new KubectlError("must specify one of -f and -k", 2);
  const { api } = inv.ctx;
  let docs;
  try {
    docs = readManifestDocs(inv);
  } catch (e) {
    throw diffErr(e);
  }
  let selector: Selector | undefined;
  try {
    selector = f.selector ? parseSelector(String(f.selector)) : undefined;
  } catch (e) {
    throw new KubectlError((e as Error).message, 2);
  }
  const files: { name: string; live: string; merged: string }[] = [];
  for (const doc of docs) {
    let r: ResourceType;
    let local: KObject;
    try {
      ({ r, obj: local } = mapManifestDoc(inv, doc, "unknown kind"));
    } catch (e) {
      throw diffErr(e);
    }
    if (selector && !selector.matches(local.metadata.labels ?? {})) continue;
    const namespace = r.namespaced ? String(local.metadata.namespace) : "";
    const name = String(local.metadata.name ?? "");
    const stored = name ? api.get(r.key, r.namespaced ? namespace : undefined, name) : undefined;
    let live = stored ? (convertFromStorage(stored, r) as KObject) : undefined;
    let merged: KObject;
    try {
      // Merged(): a dry-run create when there is no live object, else apply's patch of the
      // manifest (without the last-applied annotation: GetModifiedConfiguration(annotate=false)).
      if (serverSide) {
        // An apply patch (dry run) of the manifest as it is, by the field manager.
        const config = structuredClone(local);
        config.apiVersion = apiVersionOf(r);
        const obj = serverSideApply(live, config, manager, !!f["force-conflicts"], inv.ctx.clock.nowRFC3339());
        if (live) obj.metadata.resourceVersion = live.metadata.resourceVersion;
        merged = live ? api.update(obj, { dryRun: true, fieldValidation: "Strict" }) : api.create(obj, { dryRun: true, fieldValidation: "Strict" });
      } else if (!live) merged = api.create(structuredClone(local), { dryRun: true, fieldValidation: "Strict" });
      else {
        // GetModifiedConfiguration(annotate=false): the manifest with its annotations less the
        // last-applied one (an empty map when it has none); the live annotation stays as it is.
        const modified = structuredClone(local);
        const annotations: Record<string, string> = { ...(modified.metadata.annotations ?? {}) };
        delete annotations[LAST_APPLIED];
        modified.metadata.annotations = annotations;
        merged = api.update(threeWayMerge(live, modified, schemaKey(r)), { dryRun: true, fieldValidation: "Strict" });
      }
    } catch (e) {
      if (e instanceof ApiError) throw new KubectlError(renderError(e), 2, true);
      throw e;
    }
    merged = convertFromStorage(merged, r) as KObject;
    if (live?.metadata.deletionTimestamp) inv.err(`Warning: Detected changes to resource ${name} which is currently being deleted.`);
    if (!f["show-managed-fields"]) {
      if (live) live = withoutManagedFields(live);
      merged = withoutManagedFields(merged);
    }
    if (r.kind === "Secret" && apiVersionOf(r) === "v1") {
      live = live ? structuredClone(live) : undefined;
      merged = structuredClone(merged);
      maskSecrets(live, merged);
    }
    files.push({ name: fileName(r, namespace, name), live: live ? goYAML(live) : "", merged: goYAML(merged) });
  }
  return runDiffProgram(inv, files);
}

/** DiffProgram.Run: `diff -u -N LIVE MERGED`, its output kubectl's, its status kubectl's exit code. */
function runDiffProgram(inv: Invocation, files: { name: string; live: string; merged: string }[]): number {
  const { api, clock } = inv.ctx;
  const liveDir = tempName(api, "LIVE");
  const mergedDir = tempName(api, "MERGED");
  const base = mkdtempSync(join(tmpdir(), "kube-scenario-diff-"));
  try {
    mkdirSync(join(base, liveDir));
    mkdirSync(join(base, mergedDir));
    // The files' times are the simulated instant (diff prints them in its headers).
    const at = new Date(clock.now());
    for (const file of files) {
      for (const [dir, text] of [[liveDir, file.live], [mergedDir, file.merged]] as const) {
        const path = join(base, dir, file.name);
        writeFileSync(path, text, { mode: 0o700 });
        utimesSync(path, at, at);
      }
    }
    const res = spawnSync("diff", ["-u", "-N", liveDir, mergedDir], { cwd: base, encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TZ: "UTC", LC_ALL: "C" }, maxBuffer: 64 * 1024 * 1024 });
    if (res.error) {
      const code = (res.error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? 'exec: "diff": executable file not found in $PATH' : res.error.message;
      throw new KubectlError(`failed to run "diff": ${why}`, 2);
    }
    // The directories as kubectl names them: absolute, under the temporary directory.
    const abs = (line: string) => line.split(`${liveDir}/`).join(`/tmp/${liveDir}/`).split(`${mergedDir}/`).join(`/tmp/${mergedDir}/`);
    const out = (res.stdout ?? "")
      .split("\n")
      .map((line) => (line.startsWith("diff -u -N ") || line.startsWith(`--- ${liveDir}/`) || line.startsWith(`+++ ${mergedDir}/`) ? abs(line) : line))
      .join("\n");
    if (out) inv.write!(out);
    if (res.stderr) inv.err(res.stderr.replace(/\n$/, ""));
    if (res.status === 0 || res.status === 1) return res.status;
    throw new KubectlError(`failed to run "diff": exit status ${res.status ?? 2}`, 2);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

export const diffCommand: CommandDef = {
  path: ["diff"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "selector", short: "l", type: "string" },
    { long: "server-side", type: "bool" },
    { long: "force-conflicts", type: "bool" },
    { long: "field-manager", type: "string", default: "kubectl-client-side-apply" },
    { long: "prune", type: "bool" },
    { long: "prune-allowlist", type: "stringArray" },
    { long: "show-managed-fields", type: "bool" },
    { long: "concurrency", type: "int", default: 1 },
  ],
  run: runDiff,
};
