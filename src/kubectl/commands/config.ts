/**
 * `kubectl config`: view, get-contexts, get-clusters, get-users, current-context, use-context,
 * set-context, delete-context and rename-context over the simulated user's kubeconfig
 * (src/kubectl/kubeconfig.ts), with kubectl v1.32's output and errors. Ports
 * staging/src/k8s.io/kubectl/pkg/cmd/config/{view,get_contexts,get_clusters,get_users,
 * current_context,use_context,set_context,delete_context,rename_context}.go.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import type { Kubeconfig } from "../kubeconfig.ts";
import { goJSON } from "../printers/gojson.ts";
import { goYAML } from "../printers/goyaml.ts";
import { executeJSONPath, parseOutputFormat } from "../printers/index.ts";
import { tabwrite } from "../printers/tabwriter.ts";
import { CONFIG_HELP } from "./confighelp.ts";

function config(inv: Invocation): Kubeconfig {
  return inv.ctx.kubeconfig;
}

/** cmdutil.UsageErrorf: `error: <msg>\nSee 'kubectl config <cmd> -h' for help and examples`. */
function usage(cmd: string, message: string): KubectlError {
  return new KubectlError(`error: ${message}\nSee 'kubectl config ${cmd} -h' for help and examples`, 1, true);
}

/** helpErrorf: the command's help on stdout, then `error: <msg>`. */
function helpError(inv: Invocation, cmd: string, message: string): KubectlError {
  inv.write!(CONFIG_HELP[cmd]);
  return new KubectlError(message);
}

const VIEW_FORMATS = ["json", "yaml", "name", "go-template", "go-template-file", "template", "templatefile", "jsonpath", "jsonpath-as-json", "jsonpath-file"];

export const configViewCommand: CommandDef = {
  path: ["config", "view"],
  flags: [
    { long: "output", short: "o", type: "string", default: "yaml" },
    { long: "minify", type: "bool" },
    { long: "raw", type: "bool" },
    { long: "flatten", type: "bool" },
    { long: "merge", type: "string", default: "true" },
    { long: "template", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "show-managed-fields", type: "bool" },
  ],
  run(inv) {
    if (inv.args.length) throw usage("view", `unexpected arguments: [${inv.args.join(" ")}]`);
    const kc = config(inv);
    const format = parseOutputFormat(String(inv.flags.output), VIEW_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined });
    let shown = kc;
    if (inv.flags.minify) {
      const current = inv.flags.context || kc.currentContext;
      if (!current) throw new KubectlError("current-context must exist in order to minify");
      if (!kc.contexts.has(current)) throw new KubectlError(`cannot locate context ${current}`);
      shown = Object.assign(Object.create(Object.getPrototypeOf(kc)), kc, { currentContext: current });
    }
    const obj = shown.toV1({ minify: Boolean(inv.flags.minify) });
    switch (format.kind) {
      case "json":
        inv.out(goJSON(obj, "    ", { sortKeys: false }));
        return;
      case "yaml":
        inv.write!(goYAML(obj));
        return;
      case "name":
        // The name printer of an object without metadata or a known resource.
        inv.out("config/<unknown>");
        return;
      case "jsonpath":
        inv.write!(executeJSONPath(format.template, obj, format.asJSON));
        return;
      default:
        throw new KubectlError(`kubectl config view -o ${String(inv.flags.output)} is not simulated`);
    }
  },
};

export const configGetContextsCommand: CommandDef = {
  path: ["config", "get-contexts"],
  flags: [
    { long: "output", short: "o", type: "string" },
    { long: "no-headers", type: "bool" },
  ],
  run(inv) {
    const output = String(inv.flags.output);
    if (output !== "" && output !== "name") throw new KubectlError(`--output ${output} is not available in kubectl config get-contexts; resetting to default output format`);
    const nameOnly = output === "name";
    const kc = config(inv);
    const errors: string[] = [];
    const names = inv.args.length ? inv.args.filter((n) => kc.contexts.has(n) || (errors.push(`context ${n} not found`), false)) : [...kc.contexts.keys()];
    const lines: string[] = [];
    if (!inv.flags["no-headers"] && !nameOnly) lines.push(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"].join("\t"));
    for (const name of [...names].sort()) {
      const c = kc.contexts.get(name)!;
      lines.push(nameOnly ? name : [kc.currentContext === name ? "*" : " ", name, c.cluster, c.user, c.namespace ?? ""].join("\t"));
    }
    if (lines.length) inv.write!(tabwrite(lines.join("\n") + "\n"));
    if (errors.length) throw new KubectlError(aggregate(errors));
  },
};

/** utilerrors.NewAggregate's message: one error as is, several as `[a, b]`. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;
}

export const configGetClustersCommand: CommandDef = {
  path: ["config", "get-clusters"],
  flags: [],
  run(inv) {
    inv.out(["NAME", ...[...config(inv).clusters.keys()].sort()].join("\n"));
  },
};

export const configGetUsersCommand: CommandDef = {
  path: ["config", "get-users"],
  flags: [],
  run(inv) {
    inv.write!(tabwrite(["NAME", ...[...config(inv).users.keys()].sort()].join("\n") + "\n"));
  },
};

export const configCurrentContextCommand: CommandDef = {
  path: ["config", "current-context"],
  flags: [],
  run(inv) {
    const kc = config(inv);
    if (!kc.currentContext) throw new KubectlError("current-context is not set");
    inv.out(kc.currentContext);
  },
};

function useContext(inv: Invocation): void {
  if (inv.args.length !== 1) throw helpError(inv, "use-context", "Unexpected args: " + goSlice(inv.args));
  const name = inv.args[0];
  const kc = config(inv);
  if (!name) throw new KubectlError("empty context names are not allowed");
  if (!kc.contexts.has(name)) throw new KubectlError(`no context exists with the name: ${JSON.stringify(name)}`);
  kc.currentContext = name;
  inv.out(`Switched to context ${JSON.stringify(name)}.`);
}

const goSlice = (args: string[]) => `[${args.join(" ")}]`;

export const configUseContextCommand: CommandDef = { path: ["config", "use-context"], flags: [], run: useContext };
export const configUseCommand: CommandDef = { path: ["config", "use"], flags: [], run: useContext };

export const configSetContextCommand: CommandDef = {
  path: ["config", "set-context"],
  flags: [
    { long: "current", type: "bool" },
    { long: "cluster", type: "string" },
    { long: "user", type: "string" },
    { long: "namespace", type: "string" },
  ],
  run(inv) {
    if (inv.args.length > 1) throw helpError(inv, "set-context", `Unexpected args: ${goSlice(inv.args)}`);
    const kc = config(inv);
    let name = inv.args[0] ?? "";
    if (!name && !inv.flags.current) throw new KubectlError("you must specify a non-empty context name or --current");
    if (name && inv.flags.current) throw new KubectlError("you cannot specify both a context name and --current");
    if (inv.flags.current) {
      if (!kc.currentContext) throw new KubectlError("no current context is set");
      name = kc.currentContext;
    }
    const existing = kc.contexts.get(name);
    const context = { ...(existing ?? { cluster: "", user: "" }) };
    if (inv.set.has("cluster")) context.cluster = inv.flags.cluster;
    if (inv.set.has("user")) context.user = inv.flags.user;
    if (inv.set.has("namespace")) context.namespace = inv.flags.namespace || undefined;
    kc.contexts.set(name, context);
    inv.out(`Context ${JSON.stringify(name)} ${existing ? "modified" : "created"}.`);
  },
};

export const configDeleteContextCommand: CommandDef = {
  path: ["config", "delete-context"],
  flags: [],
  run(inv) {
    if (inv.args.length !== 1) {
      // delete_context.go prints its help and returns without an error.
      inv.write!(CONFIG_HELP["delete-context"]);
      return;
    }
    const name = inv.args[0];
    const kc = config(inv);
    if (!kc.contexts.has(name)) throw new KubectlError(`cannot delete context ${name}, not in ${kc.path}`);
    if (kc.currentContext === name) inv.err(`warning: this removed your active context, use "kubectl config use-context" to select a different one`);
    kc.contexts.delete(name);
    inv.out(`deleted context ${name} from ${kc.path}`);
  },
};

export const configRenameContextCommand: CommandDef = {
  path: ["config", "rename-context"],
  flags: [],
  run(inv) {
    if (inv.args.length !== 2) throw helpError(inv, "rename-context", "Unexpected args: " + goSlice(inv.args));
    const [from, to] = inv.args;
    const kc = config(inv);
    if (!to) throw new KubectlError("you must specify a new non-empty context name");
    const c = kc.contexts.get(from);
    if (!c) throw new KubectlError(`cannot rename the context ${JSON.stringify(from)}, it's not in ${kc.path}`);
    if (kc.contexts.has(to)) throw new KubectlError(`cannot rename the context ${JSON.stringify(from)}, the context ${JSON.stringify(to)} already exists in ${kc.path}`);
    kc.contexts.delete(from);
    kc.contexts.set(to, c);
    if (kc.currentContext === from) kc.currentContext = to;
    inv.out(`Context ${JSON.stringify(from)} renamed to ${JSON.stringify(to)}.`);
  },
};

export const CONFIG_COMMANDS: CommandDef[] = [
  configViewCommand,
  configGetContextsCommand,
  configGetClustersCommand,
  configGetUsersCommand,
  configCurrentContextCommand,
  configUseContextCommand,
  configUseCommand,
  configSetContextCommand,
  configDeleteContextCommand,
  configRenameContextCommand,
];
