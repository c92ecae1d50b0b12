/**
 * `kubectl config`: view, get-contexts, get-clusters, get-users, current-context, use-context,
 * set-context, delete-context and rename-context over the simulated user's kubeconfig
 * (src/kubectl/kubeconfig.ts), with kubectl v1.32's output and errors. Ports
 * staging/src/k8s.io/kubectl/pkg/cmd/config/{view,get_contexts,get_clusters,get_users,
 * current_context,use_context,set_context,delete_context,rename_context}.go.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import type { Kubeconfig, KubeconfigCluster } from "../kubeconfig.ts";
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
  // set-credentials and set-cluster print their help too; the simulation does not carry those texts.
  if (Object.hasOwn(CONFIG_HELP, cmd)) inv.write!(CONFIG_HELP[cmd]!);
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
    const obj = shown.toV1({ minify: Boolean(inv.flags.minify), raw: Boolean(inv.flags.raw) });
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

/** A file of the user's for --client-certificate and the like: its text, or undefined when it is not there. */
function readLocal(inv: Invocation, path: string): string | undefined {
  try {
    return inv.ctx.files.read(path).toString("utf8");
  } catch {
    return undefined;
  }
}

/** filepath.Abs on the user's machine, whose working directory is /root (src/kubectl/pipeline.ts). */
function absolute(path: string): string {
  if (path.startsWith("/")) return path;
  const parts = ["root"];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return "/" + parts.join("/");
}

/** `--embed-certs` as kubectl's tristate flag: true, false, or not given. */
function embed(inv: Invocation): boolean {
  return inv.set.has("embed-certs") && inv.flags["embed-certs"] === true;
}

const NOT_SIMULATED_CREDENTIALS = ["auth-provider", "auth-provider-arg", "exec-command", "exec-api-version", "exec-arg", "exec-env", "exec-interactive-mode", "exec-provide-cluster-info"];

/**
 * `kubectl config set-credentials NAME` (create_authinfo.go): a user's client certificate and key
 * (files, or with `--embed-certs` their contents), token, or basic-auth pair; fields not given stay.
 */
export const configSetCredentialsCommand: CommandDef = {
  path: ["config", "set-credentials"],
  flags: [
    { long: "client-certificate", type: "string" },
    { long: "client-key", type: "string" },
    { long: "token", type: "string" },
    { long: "username", type: "string" },
    { long: "password", type: "string" },
    { long: "embed-certs", type: "bool" },
    ...NOT_SIMULATED_CREDENTIALS.map((long) => ({ long, type: "stringArray" as const })),
  ],
  run(inv) {
    for (const f of NOT_SIMULATED_CREDENTIALS) if (inv.set.has(f)) throw new KubectlError(`kubectl config set-credentials --${f} is not simulated (client certificates, tokens and basic auth are)`);
    if (inv.args.length !== 1 || !inv.args[0]) throw helpError(inv, "set-credentials", `Unexpected args: ${goSlice(inv.args)}`);
    const name = inv.args[0];
    const cert = inv.set.has("client-certificate") ? String(inv.flags["client-certificate"]) : undefined;
    const key = inv.set.has("client-key") ? String(inv.flags["client-key"]) : undefined;
    if (embed(inv)) {
      if (!cert && !key) throw new KubectlError("you must specify a --client-certificate or --client-key to embed");
      if (cert && readLocal(inv, cert) === undefined) throw new KubectlError(`could not stat client-certificate file ${cert}: stat ${cert}: no such file or directory`);
      if (key && readLocal(inv, key) === undefined) throw new KubectlError(`could not stat client-key file ${key}: stat ${key}: no such file or directory`);
    }
    const kc = config(inv);
    const user = { ...(kc.users.get(name) ?? {}) };
    if (cert !== undefined) {
      if (embed(inv)) {
        user["client-certificate-data"] = Buffer.from(readLocal(inv, cert)!).toString("base64");
        delete user["client-certificate"];
      } else if (cert) {
        user["client-certificate"] = absolute(cert);
        delete user["client-certificate-data"];
      } else delete user["client-certificate"];
    }
    if (key !== undefined) {
      if (embed(inv)) {
        user["client-key-data"] = Buffer.from(readLocal(inv, key)!).toString("base64");
        delete user["client-key"];
      } else if (key) {
        user["client-key"] = absolute(key);
        delete user["client-key-data"];
      } else delete user["client-key"];
    }
    for (const f of ["token", "username", "password"] as const) {
      if (!inv.set.has(f)) continue;
      const v = String(inv.flags[f]);
      if (v) user[f] = v;
      else delete user[f];
    }
    kc.users.set(name, user);
    inv.out(`User ${JSON.stringify(name)} set.`);
  },
};

/** `kubectl config set-cluster NAME` (create_cluster.go): the server, its CA (file or embedded) and TLS verification. */
export const configSetClusterCommand: CommandDef = {
  path: ["config", "set-cluster"],
  flags: [
    { long: "server", type: "string" },
    { long: "certificate-authority", type: "string" },
    { long: "insecure-skip-tls-verify", type: "bool" },
    { long: "embed-certs", type: "bool" },
    { long: "tls-server-name", type: "string" },
    { long: "proxy-url", type: "string" },
  ],
  run(inv) {
    for (const f of ["tls-server-name", "proxy-url"]) if (inv.set.has(f)) throw new KubectlError(`kubectl config set-cluster --${f} is not simulated`);
    if (inv.args.length !== 1 || !inv.args[0]) throw helpError(inv, "set-cluster", `Unexpected args: ${goSlice(inv.args)}`);
    const name = inv.args[0];
    const ca = inv.set.has("certificate-authority") ? String(inv.flags["certificate-authority"]) : undefined;
    if (embed(inv)) {
      if (!ca) throw new KubectlError("you must specify a --certificate-authority to embed");
      if (readLocal(inv, ca) === undefined) throw new KubectlError(`could not stat certificate-authority file ${ca}: stat ${ca}: no such file or directory`);
    }
    if (inv.set.has("insecure-skip-tls-verify") && inv.flags["insecure-skip-tls-verify"] && ca) throw new KubectlError("you cannot specify a certificate authority and insecure mode at the same time");
    const kc = config(inv);
    const cluster: KubeconfigCluster = { ...(kc.clusters.get(name) ?? { server: "" }) };
    if (inv.set.has("server")) cluster.server = String(inv.flags.server);
    if (inv.set.has("insecure-skip-tls-verify")) {
      if (inv.flags["insecure-skip-tls-verify"]) {
        cluster["insecure-skip-tls-verify"] = true;
        delete cluster["certificate-authority"];
        delete cluster["certificate-authority-data"];
      } else delete cluster["insecure-skip-tls-verify"];
    }
    if (ca !== undefined) {
      if (embed(inv)) {
        cluster["certificate-authority-data"] = Buffer.from(readLocal(inv, ca)!).toString("base64");
        delete cluster["certificate-authority"];
      } else if (ca) {
        cluster["certificate-authority"] = absolute(ca);
        delete cluster["certificate-authority-data"];
      }
      delete cluster["insecure-skip-tls-verify"];
    }
    kc.clusters.set(name, cluster);
    inv.out(`Cluster ${JSON.stringify(name)} set.`);
  },
};

export const CONFIG_COMMANDS: CommandDef[] = [
  configSetCredentialsCommand,
  configSetClusterCommand,
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
