/**
 * `kubectl auth can-i` and `kubectl auth whoami` (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go,
 * whoami.go, v1.32):
 *
 * - `can-i VERB TYPE[/NAME] | VERB NONRESOURCEURL` sends a SelfSubjectAccessReview in the namespace
 *   (`-n`, the context's; none with `-A`) and prints `yes`, or `no` (with the server's reason), exit
 *   code 0 or 1; `-q` prints nothing. TYPE resolves as the RESTMapper resolves it (short names,
 *   `deployments.apps`); a TYPE the server does not have, a cluster-scoped TYPE asked in a namespace
 *   and an unknown verb are warnings on stderr, as kubectl prints them.
 * - `can-i --list` sends a SelfSubjectRulesReview and prints the rules as kubectl does: broken down
 *   per group and resource, verbs merged per resource (rbacutil.CompactRules), sorted by the
 *   PolicyRule's String(), one row each (Resources, Non-Resource URLs, Resource Names, Verbs).
 * - `whoami` sends a SelfSubjectReview and prints ATTRIBUTE/VALUE (or `-o yaml|json`).
 *
 * The requester is the impersonated user under `--as`, else kind's admin (`kubernetes-admin`).
 */
import { serverOf } from "../../api/authorization/filter.ts";
import { KUBERNETES_ADMIN, type UserInfo } from "../../api/authorization/user.ts";
import { createSelfSubjectAccessReview, createSelfSubjectReview, createSelfSubjectRulesReview } from "../../api/registry/authorization/reviews.ts";
import { resourceForKind, type ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import type { PolicyRule } from "../../api/types.gen.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { parseOutputFormat, printGeneric } from "../printers/index.ts";
import { tabwrite } from "../printers/tabwriter.ts";
import { breakdownRule, combineResourceGroup, compactRules, goList, sortRules } from "../printers/rbac.ts";

const RESOURCE_VERBS = new Set(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind", "impersonate", "*", "approve", "sign", "escalate", "attest"]);
const NON_RESOURCE_URL_VERBS = new Set(["get", "put", "post", "head", "options", "delete", "patch", "*"]);
/** Resources the server authorizes but no discovery lists (users and groups, for `impersonate`). */
const NON_STANDARD_RESOURCE_NAMES = new Set(["users", "groups"]);

const requester = (inv: Invocation): UserInfo => inv.ctx.requester ?? KUBERNETES_ADMIN;
/** WarningPrinter.Print: `Warning: <message>` and a newline; can-i's messages end with one of their own (a blank line follows). */
const warn = (inv: Invocation, message: string) => inv.writeErr!(`Warning: ${message}\n\n`);

interface GVR {
  group: string;
  version: string;
  resource: string;
}

/** CanIOptions.resourceFor: the resource the RESTMapper finds, else the argument as given (with a warning). */
function resourceFor(inv: Invocation, arg: string): GVR {
  if (arg === "*") return { group: "", version: "", resource: arg };
  const lower = arg.toLowerCase();
  const hit = inv.ctx.api.registry.resolve(lower);
  if (hit) return { group: hit.group, version: hit.version, resource: hit.plural };
  // schema.ParseGroupResource: `resource.group`.
  const dot = lower.indexOf(".");
  const gr = dot >= 0 ? { resource: lower.slice(0, dot), group: lower.slice(dot + 1) } : { resource: lower, group: "" };
  const grString = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
  if (!NON_STANDARD_RESOURCE_NAMES.has(grString)) {
    warn(inv, gr.group ? `the server doesn't have a resource type '${gr.resource}' in group '${gr.group}'` : `the server doesn't have a resource type '${gr.resource}'`);
  }
  return { group: "", version: "", resource: arg };
}

/** isNamespaced: from discovery of the resource's group and version; undefined when discovery fails. */
function isNamespaced(inv: Invocation, gvr: GVR): boolean | undefined {
  if (gvr.resource === "*") return true;
  if (!gvr.version) return undefined;
  const r = inv.ctx.api.registry.resources().find((x) => x.group === gvr.group && x.version === gvr.version && x.plural === gvr.resource);
  return r ? r.namespaced : undefined;
}

function runCanI(inv: Invocation): number {
  const list = !!inv.flags.list;
  const quiet = !!inv.flags.quiet;
  const all = !!inv.flags["all-namespaces"];
  const subresource = String(inv.flags.subresource ?? "");
  let verb = "";
  let url = "";
  let gvr: GVR | undefined;
  let name = "";
  // Complete.
  if (list) {
    if (inv.args.length !== 0) throw new KubectlError("list option must be specified with no arguments");
  } else {
    if (inv.args.length !== 2) throw new KubectlError("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
    verb = inv.args[0]!;
    if (inv.args[1]!.startsWith("/")) url = inv.args[1]!;
    else {
      const slash = inv.args[1]!.indexOf("/");
      gvr = resourceFor(inv, slash >= 0 ? inv.args[1]!.slice(0, slash) : inv.args[1]!);
      if (slash >= 0) name = inv.args[1]!.slice(slash + 1);
    }
  }
  const namespace = all ? "" : inv.namespace;
  // Validate.
  if (list) {
    if (quiet || all || subresource) throw new KubectlError("list option can't be specified with neither quiet, all-namespaces nor subresource options");
  } else {
    if (url) {
      if (subresource) throw new KubectlError("--subresource can not be used with NonResourceURL");
      if (!NON_RESOURCE_URL_VERBS.has(verb)) warn(inv, `verb '${verb}' is not a known verb`);
    } else if (gvr && gvr.resource && !all) {
      if (isNamespaced(inv, gvr) === false) {
        warn(inv, gvr.group ? `resource '${gvr.resource}' is not namespace scoped in group '${gvr.group}'` : `resource '${gvr.resource}' is not namespace scoped`);
      }
      if (!RESOURCE_VERBS.has(verb)) warn(inv, `verb '${verb}' is not a known verb`);
    }
    if (inv.flags["no-headers"]) throw new KubectlError("--no-headers cannot be set without --list specified");
  }
  if (list) return runAccessList(inv, namespace);
  const spec = url
    ? { nonResourceAttributes: { path: url, verb } }
    : { resourceAttributes: { namespace, verb, group: gvr!.group, resource: gvr!.resource, subresource, name } };
  const review = createSelfSubjectAccessReview(serverOf(inv.ctx.api), requester(inv), { spec });
  const status = review.status as { allowed: boolean; reason?: string; evaluationError?: string };
  if (!quiet) {
    let line = status.allowed ? "yes" : "no";
    if (!status.allowed && status.reason) line += ` - ${status.reason}`;
    if (!status.allowed && status.evaluationError) line += ` - ${status.evaluationError}`;
    inv.out(line);
  }
  return status.allowed ? 0 : 1;
}

function runAccessList(inv: Invocation, namespace: string): number {
  const review = createSelfSubjectRulesReview(serverOf(inv.ctx.api), requester(inv), { spec: { namespace } });
  const status = review.status as { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[]; incomplete: boolean; evaluationError?: string };
  if (status.incomplete) inv.writeErr!(`Warning: the list may be incomplete: ${status.evaluationError ?? ""}\n`);
  const rules: PolicyRule[] = [
    ...status.resourceRules.map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames })),
    ...status.nonResourceRules.map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
  ];
  const sorted = sortRules(compactRules(rules.flatMap(breakdownRule)));
  const lines: string[] = [];
  if (!inv.flags["no-headers"]) lines.push(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"].join("\t"));
  for (const r of sorted) lines.push(`${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}`);
  if (lines.length) inv.out(tabwrite(lines.join("\n") + "\n").replace(/\n$/, ""));
  return 0;
}

export const authCanICommand: CommandDef = {
  path: ["auth", "can-i"],
  flags: [
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "quiet", short: "q", type: "bool" },
    { long: "subresource", type: "string" },
    { long: "list", type: "bool" },
    { long: "no-headers", type: "bool" },
  ],
  run: runCanI,
};

/** What `-o name` would call a SelfSubjectReview (it is never stored). */
const SELF_SUBJECT_REVIEW: ResourceType = {
  ...resourceForKind("ServiceAccount")!,
  kind: "SelfSubjectReview",
  group: "authentication.k8s.io",
  version: "v1",
  plural: "selfsubjectreviews",
  singular: "selfsubjectreview",
  shortNames: [],
  namespaced: false,
  storable: false,
};

function runWhoAmI(inv: Invocation): number {
  if (inv.args.length > 0) throw new KubectlError(`unknown command ${JSON.stringify(inv.args[0])} for "kubectl auth whoami"`);
  const review = createSelfSubjectReview(inv.ctx.api, requester(inv));
  const output = String(inv.flags.output ?? "");
  if (output) {
    const format = parseOutputFormat(output, ["json", "yaml", "name", "go-template", "go-template-file", "template", "templatefile", "jsonpath", "jsonpath-as-json", "jsonpath-file"], { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined });
    if (format.kind !== "table") {
      inv.write!(printGeneric(format, [{ r: SELF_SUBJECT_REVIEW, obj: review as unknown as KObject }], true));
      return 0;
    }
  }
  const ui = (review.status as { userInfo: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } }).userInfo;
  const lines = ["ATTRIBUTE\tVALUE"];
  if (ui.username) lines.push(`Username\t${ui.username}`);
  if (ui.uid) lines.push(`UID\t${ui.uid}`);
  if (ui.groups?.length) lines.push(`Groups\t${goList(ui.groups)}`);
  for (const k of Object.keys(ui.extra ?? {}).sort()) lines.push(`Extra: ${k}\t${goList(ui.extra![k])}`);
  inv.out(tabwrite(lines.join("\n") + "\n").replace(/\n$/, ""));
  return 0;
}

export const authWhoAmICommand: CommandDef = {
  path: ["auth", "whoami"],
  flags: [
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "show-managed-fields", type: "bool" },
  ],
  run: runWhoAmI,
};
