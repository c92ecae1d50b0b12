/**
 * `kubectl config`: view, get-contexts, get-clusters, get-users, current-context, use-context,
 * set-context, delete-context, rename-context, set-cluster, set-credentials, delete-cluster,
 * delete-user, set and unset, over the kubeconfig files kubectl would use (`--kubeconfig`, the
 * `KUBECONFIG` list, else `$HOME/.kube/config`, the simulated kubeconfig: ../kubeconfigfiles.ts),
 * with kubectl v1.32's output and errors. Each command reads the merged starting config and
 * writes what it changed back with ModifyConfig. Ports staging/src/k8s.io/kubectl/pkg/cmd/config/
 * {view,get_contexts,get_clusters,get_users,current_context,use_context,set_context,
 * delete_context,rename_context,create_cluster,create_authinfo,delete_cluster,delete_user,set,
 * unset,navigation_step_parser}.go.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { Kubeconfig, type KubeconfigCluster, type KubeconfigUser } from "../kubeconfig.ts";
import { KubeconfigAccess, KubeconfigError, absolutePath, flattenConfig, type KubeconfigFiles } from "../kubeconfigfiles.ts";
import { kubeconfigAccessFor, machineKubeconfigFiles } from "../kubeconfigclient.ts";
import { goJSON } from "../printers/gojson.ts";
import { goYAML } from "../printers/goyaml.ts";
import { executeJSONPath, parseOutputFormat } from "../printers/index.ts";
import { tabwrite } from "../printers/tabwriter.ts";
import { CONFIG_HELP } from "./confighelp.ts";

/** The user's machine's files, for the command's context. */
function machineFiles(inv: Invocation): KubeconfigFiles {
  return machineKubeconfigFiles(inv.ctx);
}

/** The files kubectl reads its kubeconfig from for this command (`--kubeconfig`, else `KUBECONFIG`). */
function kubeconfigAccess(inv: Invocation): KubeconfigAccess {
  return kubeconfigAccessFor(inv.ctx, inv.flags, inv.env);
}

/** clientcmd's errors as kubectl prints them (`error: error loading config file ...`). */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    // cmdutil.CheckErr prints an aggregate of several errors one a line, without `error: `.
    if (e instanceof KubeconfigError) throw e.errors.length > 1 ? new KubectlError(e.errors.join("\n"), 1, true) : new KubectlError(e.message);
    throw e;
  }
}

/** A command's view of the kubeconfig: the merged starting config, and ModifyConfig of a changed copy. */
function open(inv: Invocation): { access: KubeconfigAccess; start: Kubeconfig; config: Kubeconfig; save(relativize: boolean): void; file: string } {
  const access = kubeconfigAccess(inv);
  const start = guarded(() => access.startingConfig());
  const config = start.clone();
  return {
    access,
    start,
    config,
    save: (relativize) => guarded(() => access.modify(start, config, relativize)),
    // The file messages name: the explicit one, else the default one.
    file: access.explicit ?? access.defaultFilename(),
  };
}

/** cmdutil.UsageErrorf: `error: <msg>\nSee 'kubectl config <cmd> -h' for help and examples`. */
function usage(cmd: string, message: string): KubectlError {
  return new KubectlError(`error: ${message}\nSee 'kubectl config ${cmd} -h' for help and examples`, 1, true);
}

/** helpErrorf: the command's help on stdout, then `error: <msg>`. */
function helpError(inv: Invocation, cmd: string, message: string): KubectlError {
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
    const format = parseOutputFormat(String(inv.flags.output), VIEW_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined });
    const access = kubeconfigAccess(inv);
    const merge = String(inv.flags.merge);
    if (!["true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False", "T", "F"].includes(merge)) throw new KubectlError(`Error: invalid argument ${JSON.stringify(merge)} for "--merge" flag: strconv.ParseBool: parsing ${JSON.stringify(merge)}: invalid syntax`);
    const merged = ["true", "1", "t", "TRUE", "True", "T"].includes(merge);
    if (!merged && access.explicit === undefined) throw new KubectlError("if merge==false a precise file must be specified");
    const kc = guarded(() => access.startingConfig()).clone();
    if (inv.flags.minify) {
      if (inv.flags.context) kc.currentContext = String(inv.flags.context);
      minify(kc);
    }
    if (inv.flags.flatten) {
      const files = machineFiles(inv);
      guarded(() => flattenConfig(kc, (abs) => (files.read(abs) === undefined ? undefined : Buffer.from(files.read(abs)!, "utf8")), files.cwd));
    }
    const obj = kc.toV1({ raw: Boolean(inv.flags.raw) || Boolean(inv.flags.flatten) });
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

/** clientcmdapi.MinifyConfig: the current context and the cluster and user it names, nothing else. */
function minify(kc: Kubeconfig): void {
  if (!kc.currentContext) throw new KubectlError("current-context must exist in order to minify");
  const c = kc.contexts.get(kc.currentContext);
  if (!c) throw new KubectlError(`cannot locate context ${kc.currentContext}`);
  const cluster = kc.clusters.get(c.cluster);
  const user = kc.users.get(c.user);
  const keep = <T>(m: Map<string, T>, name: string, v: T | undefined) => {
    m.clear();
    if (v !== undefined) m.set(name, v);
  };
  keep(kc.contexts, kc.currentContext, c);
  keep(kc.clusters, c.cluster, cluster);
  keep(kc.users, c.user, user);
}

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
    const kc = open(inv).start;
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
    inv.out(["NAME", ...[...open(inv).start.clusters.keys()].sort()].join("\n"));
  },
};

export const configGetUsersCommand: CommandDef = {
  path: ["config", "get-users"],
  flags: [],
  run(inv) {
    inv.write!(tabwrite(["NAME", ...[...open(inv).start.users.keys()].sort()].join("\n") + "\n"));
  },
};

export const configCurrentContextCommand: CommandDef = {
  path: ["config", "current-context"],
  flags: [],
  run(inv) {
    const kc = open(inv).start;
    if (!kc.currentContext) throw new KubectlError("current-context is not set");
    inv.out(kc.currentContext);
  },
};

function useContext(inv: Invocation): void {
  if (inv.args.length !== 1) throw helpError(inv, "use-context", "Unexpected args: " + goSlice(inv.args));
  const name = inv.args[0];
  const kc = open(inv);
  if (!name) throw new KubectlError("empty context names are not allowed");
  if (!kc.config.contexts.has(name)) throw new KubectlError(`no context exists with the name: ${JSON.stringify(name)}`);
  kc.config.currentContext = name;
  kc.save(true);
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
    let name = inv.args[0] ?? "";
    if (!name && !inv.flags.current) throw new KubectlError("you must specify a non-empty context name or --current");
    if (name && inv.flags.current) throw new KubectlError("you cannot specify both a context name and --current");
    const kc = open(inv);
    if (inv.flags.current) {
      if (!kc.config.currentContext) throw new KubectlError("no current context is set");
      name = kc.config.currentContext;
    }
    const existing = kc.config.contexts.get(name);
    const context = { ...(existing ?? { cluster: "", user: "" }) };
    if (inv.set.has("cluster")) context.cluster = inv.flags.cluster;
    if (inv.set.has("user")) context.user = inv.flags.user;
    if (inv.set.has("namespace")) context.namespace = inv.flags.namespace || undefined;
    kc.config.contexts.set(name, context);
    kc.save(true);
    inv.out(`Context ${JSON.stringify(name)} ${existing ? "modified" : "created"}.`);
  },
};

export const configDeleteContextCommand: CommandDef = {
  path: ["config", "delete-context"],
  flags: [],
  run(inv) {
    const kc = open(inv);
    if (inv.args.length !== 1) {
      // delete_context.go prints its help and returns without an error.
      inv.write!(CONFIG_HELP["delete-context"]);
      return;
    }
    const name = inv.args[0];
    if (!kc.config.contexts.has(name)) throw new KubectlError(`cannot delete context ${name}, not in ${kc.file}`);
    if (kc.config.currentContext === name) inv.err(`warning: this removed your active context, use "kubectl config use-context" to select a different one`);
    kc.config.contexts.delete(name);
    kc.save(true);
    inv.out(`deleted context ${name} from ${kc.file}`);
  },
};

/** `kubectl config delete-cluster NAME` (delete_cluster.go): without one name, its help and no error. */
export const configDeleteClusterCommand: CommandDef = {
  path: ["config", "delete-cluster"],
  flags: [],
  run(inv) {
    const kc = open(inv);
    if (inv.args.length !== 1) {
      inv.write!(CONFIG_HELP["delete-cluster"]);
      return;
    }
    const name = inv.args[0];
    if (!kc.config.clusters.has(name)) throw new KubectlError(`cannot delete cluster ${name}, not in ${kc.file}`);
    kc.config.clusters.delete(name);
    kc.save(true);
    inv.out(`deleted cluster ${name} from ${kc.file}`);
  },
};

/** `kubectl config delete-user NAME` (delete_user.go). */
export const configDeleteUserCommand: CommandDef = {
  path: ["config", "delete-user"],
  flags: [],
  run(inv) {
    const kc = open(inv);
    if (inv.args.length !== 1) throw usage("delete-user", "user to delete is required");
    const name = inv.args[0];
    if (!kc.config.users.has(name)) throw new KubectlError(`cannot delete user ${name}, not in ${kc.file}`);
    kc.config.users.delete(name);
    kc.save(true);
    inv.out(`deleted user ${name} from ${kc.file}`);
  },
};

export const configRenameContextCommand: CommandDef = {
  path: ["config", "rename-context"],
  flags: [],
  run(inv) {
    if (inv.args.length !== 2) throw helpError(inv, "rename-context", "Unexpected args: " + goSlice(inv.args));
    const [from, to] = inv.args;
    const kc = open(inv);
    if (!to) throw new KubectlError("you must specify a new non-empty context name");
    const c = kc.config.contexts.get(from);
    if (!c) throw new KubectlError(`cannot rename the context ${JSON.stringify(from)}, it's not in ${kc.file}`);
    if (kc.config.contexts.has(to)) throw new KubectlError(`cannot rename the context ${JSON.stringify(from)}, the context ${JSON.stringify(to)} already exists in ${kc.file}`);
    kc.config.contexts.delete(from);
    kc.config.contexts.set(to, c);
    if (kc.config.currentContext === from) kc.config.currentContext = to;
    kc.save(true);
    inv.out(`Context ${JSON.stringify(from)} renamed to ${JSON.stringify(to)}.`);
  },
};

/** A file of the user's (--client-certificate and the like, relative to the shell's directory): its bytes, or undefined when it is not there. */
function readLocal(inv: Invocation, path: string): Buffer | undefined {
  if (!path) return undefined;
  const files = machineFiles(inv);
  const text = files.read(absolutePath(path, files.cwd));
  return text === undefined ? undefined : Buffer.from(text, "utf8");
}

/** `--embed-certs` as kubectl's tristate flag: true, false, or not given. */
function embed(inv: Invocation): boolean {
  return inv.set.has("embed-certs") && inv.flags["embed-certs"] === true;
}

/**
 * A certificate, key or CA given as a file (`--client-certificate`, `--client-key`,
 * `--certificate-authority`), as create_authinfo.go and create_cluster.go set it: with
 * `--embed-certs`, the file's bytes (ioutil.ReadFile; nothing when it cannot be read, an empty path
 * included) as `<field>-data` and the path cleared; without, the path made absolute (filepath.Abs:
 * an empty path is the working directory) with the data cleared when the path is not empty.
 */
function setFileOrData(inv: Invocation, entry: Record<string, unknown>, field: string, value: string, embedded: boolean): void {
  const dataField = `${field}-data`;
  if (embedded) {
    const data = readLocal(inv, value);
    if (data && data.length) entry[dataField] = data.toString("base64");
    else delete entry[dataField];
    delete entry[field];
    return;
  }
  entry[field] = absolutePath(value, machineFiles(inv).cwd);
  delete entry[dataField];
}

const NOT_SIMULATED_CREDENTIALS = ["auth-provider", "auth-provider-arg", "exec-command", "exec-api-version", "exec-arg", "exec-env", "exec-interactive-mode", "exec-provide-cluster-info"];

/**
 * `kubectl config set-credentials NAME` (create_authinfo.go): a user's client certificate and key
 * (files, or with `--embed-certs` their contents), token, or basic-auth pair; fields not given stay;
 * a token or basic auth given clears the other.
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
    if (inv.args.length !== 1) throw helpError(inv, "set-credentials", `unexpected args: ${goSlice(inv.args)}`);
    const name = inv.args[0];
    if (!name) throw new KubectlError("you must specify a non-empty user name");
    const given = (f: string) => (inv.set.has(f) ? String(inv.flags[f]) : undefined);
    const cert = given("client-certificate");
    const key = given("client-key");
    const methods: string[] = [];
    if (given("token")) methods.push("--token");
    if (given("username") || given("password")) methods.push("--username/--password");
    if (methods.length > 1) throw new KubectlError(`you cannot specify more than one authentication method at the same time: ${methods.join(", ")}`);
    if (embed(inv)) {
      if (!cert && !key) throw new KubectlError("you must specify a --client-certificate or --client-key to embed");
      if (cert && readLocal(inv, cert) === undefined) throw new KubectlError(`could not stat client-certificate file ${cert}: stat ${cert}: no such file or directory`);
      if (key && readLocal(inv, key) === undefined) throw new KubectlError(`could not stat client-key file ${key}: stat ${key}: no such file or directory`);
    }
    const kc = open(inv);
    const user = structuredClone(kc.config.users.get(name) ?? {}) as Record<string, unknown> & KubeconfigUser;
    if (cert !== undefined) setFileOrData(inv, user, "client-certificate", cert, embed(inv));
    if (key !== undefined) setFileOrData(inv, user, "client-key", key, embed(inv));
    let setToken = false;
    let setBasic = false;
    const token = given("token");
    if (token !== undefined) {
      user.token = token;
      setToken = token.length > 0;
    }
    for (const f of ["username", "password"] as const) {
      const v = given(f);
      if (v === undefined) continue;
      user[f] = v;
      setBasic ||= v.length > 0;
    }
    if (setToken || setBasic) {
      if (!setToken) delete user.token;
      if (!setBasic) {
        delete user.username;
        delete user.password;
      }
    }
    kc.config.users.set(name, user);
    kc.save(true);
    inv.out(`User ${JSON.stringify(name)} set.`);
  },
};

/** `kubectl config set-cluster NAME` (create_cluster.go): the server, its CA (file or embedded), TLS verification, server name and proxy. */
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
    if (inv.args.length !== 1) throw helpError(inv, "set-cluster", `Unexpected args: ${goSlice(inv.args)}`);
    const name = inv.args[0];
    if (!name) throw new KubectlError("you must specify a non-empty cluster name");
    const ca = inv.set.has("certificate-authority") ? String(inv.flags["certificate-authority"]) : undefined;
    const insecure = inv.set.has("insecure-skip-tls-verify") ? inv.flags["insecure-skip-tls-verify"] === true : undefined;
    if (insecure && ca) throw new KubectlError("you cannot specify a certificate authority and insecure mode at the same time");
    if (embed(inv)) {
      if (!ca) throw new KubectlError("you must specify a --certificate-authority to embed");
      if (readLocal(inv, ca) === undefined) throw new KubectlError(`could not stat certificate-authority file ${ca}: stat ${ca}: no such file or directory`);
    }
    const kc = open(inv);
    const cluster = structuredClone(kc.config.clusters.get(name) ?? { server: "" }) as Record<string, unknown> & KubeconfigCluster;
    if (inv.set.has("server")) cluster.server = String(inv.flags.server);
    for (const f of ["tls-server-name", "proxy-url"] as const) if (inv.set.has(f)) cluster[f] = String(inv.flags[f]);
    if (insecure !== undefined) {
      cluster["insecure-skip-tls-verify"] = insecure;
      if (insecure) {
        delete cluster["certificate-authority"];
        delete cluster["certificate-authority-data"];
      }
    }
    if (ca !== undefined) {
      setFileOrData(inv, cluster, "certificate-authority", ca, embed(inv));
      if (embed(inv) || ca) cluster["insecure-skip-tls-verify"] = false;
      // filepath.Abs("") is the working directory: not empty, so the data goes too.
    }
    kc.config.clusters.set(name, cluster);
    kc.save(true);
    inv.out(`Cluster ${JSON.stringify(name)} set.`);
  },
};

/**
 * The internal clientcmd api types' JSON names (navigation_step_parser.go walks them by their json
 * tags): what `kubectl config set` and `unset` may name, and the v1 name each is written under.
 */
type PropKind = "string" | "bool" | "bytes" | "map" | "struct" | "other";
interface Prop {
  kind: PropKind;
  /** The v1 field (the file's name) when it differs: the internal `act-as` is v1's `as`. */
  v1?: string;
}
const CLUSTER_PROPS: Record<string, Prop> = { server: { kind: "string" }, "tls-server-name": { kind: "string" }, "insecure-skip-tls-verify": { kind: "bool" }, "certificate-authority": { kind: "string" }, "certificate-authority-data": { kind: "bytes" }, "proxy-url": { kind: "string" }, "disable-compression": { kind: "bool" }, extensions: { kind: "other" }, "-": { kind: "string" } };
const USER_PROPS: Record<string, Prop> = { "-": { kind: "string" }, "client-certificate": { kind: "string" }, "client-certificate-data": { kind: "bytes" }, "client-key": { kind: "string" }, "client-key-data": { kind: "bytes" }, token: { kind: "string" }, tokenFile: { kind: "string" }, "act-as": { kind: "string", v1: "as" }, "act-as-uid": { kind: "string", v1: "as-uid" }, "act-as-groups": { kind: "other", v1: "as-groups" }, "act-as-user-extra": { kind: "other", v1: "as-user-extra" }, username: { kind: "string" }, password: { kind: "string" }, "auth-provider": { kind: "other" }, exec: { kind: "other" }, extensions: { kind: "other" } };
const CONTEXT_PROPS: Record<string, Prop> = { "-": { kind: "string" }, cluster: { kind: "string" }, user: { kind: "string" }, namespace: { kind: "string" }, extensions: { kind: "other" } };
const CONFIG_PROPS: Record<string, Prop> = { kind: { kind: "other" }, apiVersion: { kind: "other" }, preferences: { kind: "struct" }, clusters: { kind: "map" }, users: { kind: "map" }, contexts: { kind: "map" }, "current-context": { kind: "string" }, extensions: { kind: "other" } };
const PREFERENCES_PROPS: Record<string, Prop> = { colors: { kind: "bool" }, extensions: { kind: "other" } };
const ENTRY_PROPS: Record<string, Record<string, Prop>> = { clusters: CLUSTER_PROPS, users: USER_PROPS, contexts: CONTEXT_PROPS };

/**
 * newNavigationSteps + modifyConfig for the paths the simulation follows: `current-context`,
 * `preferences.colors`, `clusters|users|contexts.<name>` (the name may hold dots: it runs to the
 * first part that is a field of the entry) and `.<field>` of one. Other fields (extensions,
 * auth-provider, exec) are refused as not simulated.
 */
function setProperty(kc: Kubeconfig, property: string, value: string, unset: boolean, rawBytes: boolean): void {
  const parts = property.split(".");
  const top = parts[0]!;
  const prop = Object.hasOwn(CONFIG_PROPS, top) ? CONFIG_PROPS[top]! : undefined;
  if (!prop) throw new KubectlError(`unable to parse ${property} after [] at api.Config`);
  if (prop.kind === "other") throw new KubectlError(`kubectl config ${unset ? "unset" : "set"} ${property} is not simulated`);
  if (top === "current-context") {
    if (parts.length > 1) throw new KubectlError(`unable to parse one or more field values of ${property}`);
    kc.currentContext = unset ? "" : value;
    return;
  }
  if (top === "preferences") {
    if (parts.length === 1) {
      if (!unset) throw new KubectlError(`kubectl config set preferences is not simulated`);
      kc.preferences = {};
      return;
    }
    const f = parts[1]!;
    const p = Object.hasOwn(PREFERENCES_PROPS, f) ? PREFERENCES_PROPS[f]! : undefined;
    if (!p) throw new KubectlError(`unable to parse ${property} after [{preferences api.Preferences}] at api.Preferences`);
    if (p.kind !== "bool" || parts.length > 2) throw new KubectlError(`kubectl config ${unset ? "unset" : "set"} ${property} is not simulated`);
    if (unset) delete kc.preferences.colors;
    else kc.preferences.colors = toBool(value);
    if (kc.preferences.colors === false) delete kc.preferences.colors;
    return;
  }
  const kind = top as "clusters" | "users" | "contexts";
  const map = kc[kind] as Map<string, Record<string, unknown>>;
  // `%v` of the map: its entries' pointers, which differ from run to run (a placeholder here).
  const mapValue = () => `can't set a map to a value: map[${[...map.keys()].sort().map((n) => `${n}:${goPointer()}`).join(" ")}]`;
  if (parts.length === 1) {
    if (!unset) throw new KubectlError(mapValue());
    map.clear();
    return;
  }
  const fields = ENTRY_PROPS[kind]!;
  // findNameStep: the name runs to the first later part that is a field of the entry.
  const rest = parts.slice(1);
  const at = rest.slice(1).findIndex((p) => Object.hasOwn(fields, p));
  const nameParts = at < 0 ? rest.length : at + 1;
  const name = rest.slice(0, nameParts).join(".");
  const after = rest.slice(nameParts);
  if (after.length === 0) {
    if (!unset) throw new KubectlError(mapValue());
    map.delete(name);
    return;
  }
  let e = map.get(name);
  if (!e) {
    if (unset) throw new KubectlError(`current map key \`${name}\` is invalid`);
    e = kind === "clusters" ? { server: "" } : kind === "contexts" ? { cluster: "", user: "" } : {};
    map.set(name, e);
    // A new entry has no file of its own yet: ModifyConfig writes it to the default file.
    kc.origin[kind].delete(name);
  }
  const f = after[0]!;
  const p = fields[f]!;
  // newNavigationSteps cannot walk an exec plugin's config.
  if (f === "exec" && after.length > 1) throw new KubectlError(`unable to parse one or more field values of ${property}`);
  if (p.kind === "other" || f === "-") throw new KubectlError(`kubectl config ${unset ? "unset" : "set"} ${property} is not simulated`);
  const key = p.v1 ?? f;
  if (after.length > 1) throw new KubectlError(`can't have more steps after ${p.kind === "bytes" ? "bytes" : p.kind === "bool" ? "a bool" : "a string"}. ${stepsText(after.slice(1))}`);
  if (unset) {
    if (key === "server" || key === "cluster" || key === "user") e[key] = "";
    else delete e[key];
    return;
  }
  if (p.kind === "string") e[key] = value;
  else if (p.kind === "bool") {
    const b = toBool(value);
    if (b) e[key] = true;
    else delete e[key];
  } else {
    const bytes = rawBytes ? Buffer.from(value, "utf8") : decodeBase64(value);
    if (bytes.length) e[key] = bytes.toString("base64");
    else delete e[key];
  }
}

/** What `%v` of the remaining navigation steps prints (their names; the types are the simulation's guess). */
function stepsText(rest: string[]): string {
  return `&{[${rest.map((r) => `{${r} <nil>}`).join(" ")}] 0}`;
}

/** A map value's pointer as `%v` prints it: not reproducible, so a placeholder. */
function goPointer(): string {
  return "0xc000000000";
}

/** set.go's toBool: strconv.ParseBool, an empty value false. */
function toBool(v: string): boolean {
  if (v === "") return false;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  throw new KubectlError(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** base64.StdEncoding.DecodeString, with Go's error. */
function decodeBase64(v: string): Buffer {
  const bad = [...v].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
  if (bad >= 0) throw new KubectlError(`error decoding input value: illegal base64 data at input byte ${bad}`);
  if (v.length % 4 !== 0) throw new KubectlError(`error decoding input value: illegal base64 data at input byte ${v.length - (v.length % 4)}`);
  const pad = v.indexOf("=");
  if (pad >= 0 && pad < v.length - 2) throw new KubectlError(`error decoding input value: illegal base64 data at input byte ${pad}`);
  return Buffer.from(v, "base64");
}

/** `kubectl config set PROPERTY_NAME PROPERTY_VALUE` (set.go). */
export const configSetCommand: CommandDef = {
  path: ["config", "set"],
  flags: [{ long: "set-raw-bytes", type: "bool" }],
  run(inv) {
    if (inv.args.length !== 2) throw helpError(inv, "set", `Unexpected args: ${goSlice(inv.args)}`);
    const [property, value] = inv.args as [string, string];
    if (!value) throw new KubectlError("you cannot use set to unset a property");
    if (!property) throw new KubectlError("you must specify a property");
    const kc = open(inv);
    setProperty(kc.config, property, value, false, inv.flags["set-raw-bytes"] === true);
    kc.save(false);
    inv.out(`Property ${JSON.stringify(property)} set.`);
  },
};

/** `kubectl config unset PROPERTY_NAME` (unset.go). */
export const configUnsetCommand: CommandDef = {
  path: ["config", "unset"],
  flags: [],
  run(inv) {
    if (inv.args.length !== 1) throw helpError(inv, "unset", `Unexpected args: ${goSlice(inv.args)}`);
    const property = inv.args[0]!;
    if (!property) throw new KubectlError("you must specify a property");
    const kc = open(inv);
    setProperty(kc.config, property, "", true, true);
    kc.save(false);
    inv.out(`Property ${JSON.stringify(property)} unset.`);
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
  configDeleteClusterCommand,
  configDeleteUserCommand,
  configSetCommand,
  configUnsetCommand,
];
