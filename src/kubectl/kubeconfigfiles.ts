/**
 * Kubeconfig files on the user's machine, as client-go's clientcmd reads and writes them for
 * `kubectl config`: `--kubeconfig=<file>`, the `KUBECONFIG` list (`a:b`, merged: the first file that
 * defines a cluster, user or context wins, the first non-empty current-context wins), else
 * `$HOME/.kube/config`. Ports staging/src/k8s.io/client-go/tools/clientcmd/{loader.go (Load,
 * LoadFromFile, WriteToFile, RelativizePathWithNoBacksteps), config.go (PathOptions,
 * ModifyConfig, writeCurrentContext)} and api/helpers.go (MinifyConfig, FlattenConfig).
 *
 * `$HOME/.kube/config` is the simulated kubeconfig itself (src/kubectl/kubeconfig.ts: the scenario's
 * cluster, at `Kubeconfig.path`); any other path is a file of the user's machine, read and written
 * as YAML (the v1 serialisation, keys sorted as sigs.k8s.io/yaml writes them). A missing file reads
 * as an empty config and is created by the first write, as ModifyConfig does.
 */
import { isScalar, parseDocument, visit, YAMLParseError } from "yaml";
import { sortedKeys } from "../api/schema/fieldorder.ts";
import { goYAML } from "./printers/goyaml.ts";
import { Kubeconfig, type KubeconfigCluster, type KubeconfigContext, type KubeconfigUser } from "./kubeconfig.ts";

/** A kubeconfig that cannot be read: client-go's error text (`error loading config file "x": ...`). */
export class KubeconfigError extends Error {
  /** Several errors (utilerrors.Aggregate): kubectl prints one a line, without `error: `. */
  constructor(
    message: string,
    readonly errors: string[] = [message],
  ) {
    super(message);
  }
}

/** The user's machine as clientcmd sees it: its files by absolute path, and the working directory. */
export interface KubeconfigFiles {
  /** The file's text, or undefined when there is none. */
  read(absPath: string): string | undefined;
  write(absPath: string, text: string): void;
  /** The simulated kubeconfig (`$HOME/.kube/config`, at its `path`). */
  simulated: Kubeconfig;
  /** The shell's working directory (relative paths are relative to it). */
  cwd: string;
}

/** filepath.Abs and Clean: a path made absolute against `cwd`, `.` and `..` resolved. */
export function absolutePath(path: string, cwd: string): string {
  const parts: string[] = [];
  for (const p of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return "/" + parts.join("/");
}

const dirOf = (abs: string) => abs.slice(0, abs.lastIndexOf("/")) || "/";

/** Go's JSON type names in unmarshal errors. */
function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return typeof v === "boolean" ? "bool" : typeof v;
}

type FieldKind = "string" | "bool" | "bytes" | "strings" | "any";
const CLUSTER_KINDS: Record<string, FieldKind> = { server: "string", "tls-server-name": "string", "insecure-skip-tls-verify": "bool", "certificate-authority": "string", "certificate-authority-data": "bytes", "proxy-url": "string", "disable-compression": "bool", extensions: "any" };
const USER_KINDS: Record<string, FieldKind> = { "client-certificate": "string", "client-certificate-data": "bytes", "client-key": "string", "client-key-data": "bytes", token: "string", tokenFile: "string", as: "string", "as-uid": "string", "as-groups": "strings", "as-user-extra": "any", username: "string", password: "string", "auth-provider": "any", exec: "any", extensions: "any" };
const CONTEXT_KINDS: Record<string, FieldKind> = { cluster: "string", user: "string", namespace: "string", extensions: "any" };
const GO_TYPES: Record<FieldKind, string> = { string: "string", bool: "bool", bytes: "[]uint8", strings: "[]string", any: "" };

/** json.Unmarshal of one field: its value, or Go's error (`json: cannot unmarshal number into Go struct field Cluster.clusters.cluster.server of type string`). */
function field(kind: FieldKind, v: unknown, where: string): unknown {
  if (v === null || v === undefined || kind === "any") return v ?? undefined;
  const ok = kind === "string" || kind === "bytes" ? typeof v === "string" : kind === "bool" ? typeof v === "boolean" : Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!ok) throw new KubeconfigError(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${where} of type ${GO_TYPES[kind]}`);
  if (kind === "bytes" && !/^[A-Za-z0-9+/]*={0,2}$/.test((v as string).replace(/\s/g, ""))) throw new KubeconfigError(`illegal base64 data at input byte ${firstBadBase64(v as string)}`);
  return v;
}

function firstBadBase64(s: string): number {
  const i = [...s].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
  return i < 0 ? s.length : i;
}

function entry<T>(raw: unknown, kinds: Record<string, FieldKind>, struct: string, path: string): T {
  if (raw === null || raw === undefined) return {} as T;
  if (typeof raw !== "object" || Array.isArray(raw)) throw new KubeconfigError(`json: cannot unmarshal ${jsonType(raw)} into Go struct field ${struct === "Cluster" ? "NamedCluster" : struct === "AuthInfo" ? "NamedAuthInfo" : "NamedContext"}.${path} of type v1.${struct}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!Object.hasOwn(kinds, k)) continue; // json.Unmarshal drops unknown fields
    const value = field(kinds[k]!, v, `${struct}.${path}.${k}`);
    if (value !== undefined) out[k] = value;
  }
  return out as T;
}

function named(list: unknown, key: string, what: string): Array<{ name: string; body: unknown }> {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new KubeconfigError(`json: cannot unmarshal ${jsonType(list)} into Go struct field Config.${key} of type []v1.Named${what}`);
  return list.map((item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) throw new KubeconfigError(`json: cannot unmarshal ${jsonType(item)} into Go struct field Config.${key} of type v1.Named${what}`);
    const o = item as Record<string, unknown>;
    const name = field("string", o.name, `Named${what}.${key}.name`) as string | undefined;
    return { name: name ?? "", body: o[what === "AuthInfo" ? "user" : what.toLowerCase()] };
  });
}

/** go-yaml v2's booleans beyond YAML 1.2's (`y`, `no`, `on`...): a cluster named `y` is `true`. */
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The YAML's value as go-yaml v2 reads it: YAML 1.2's core schema, with YAML 1.1's extra booleans. */
function readYaml(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) throw doc.errors[0];
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && node.type === "PLAIN" && typeof node.source === "string" && YAML11_BOOL.test(node.source)) node.value = /^(?:y|yes|on)$/i.test(node.source);
    },
  });
  return doc.toJS();
}

/**
 * clientcmd.Load: a kubeconfig file's text as a config (an empty file is an empty config). YAML
 * is read as go-yaml v2 reads it (YAML 1.1: `y`, `no` are booleans), then decoded as the v1 types:
 * unknown fields dropped, a wrong type Go's json error.
 */
export function parseKubeconfig(text: string): Kubeconfig {
  const k = new Kubeconfig();
  if (text.length === 0) return k;
  let doc: unknown;
  try {
    doc = readYaml(text);
  } catch (e) {
    const msg = e instanceof YAMLParseError ? e.message.split("\n")[0]!.replace(/ at line (\d+), column \d+:?$/, "").trim() : String(e);
    const line = e instanceof YAMLParseError && e.linePos ? e.linePos[0].line : 1;
    throw new KubeconfigError(`yaml: line ${line}: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}`);
  }
  if (doc === null || doc === undefined) return k;
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new KubeconfigError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonType(doc)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const o = doc as Record<string, unknown>;
  const apiVersion = o.apiVersion ?? "";
  const kind = o.kind ?? "";
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    throw new KubeconfigError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonType(typeof apiVersion !== "string" ? apiVersion : kind)} into Go struct field .${typeof apiVersion !== "string" ? "apiVersion" : "kind"} of type string`);
  }
  if ((apiVersion !== "" && apiVersion !== "v1") || (kind !== "" && kind !== "Config")) {
    throw new KubeconfigError(`no kind ${JSON.stringify(kind || "Config")} is registered for version ${JSON.stringify(apiVersion || "v1")} in scheme "k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50"`);
  }
  k.currentContext = (field("string", o["current-context"], "Config.current-context") as string | undefined) ?? "";
  if (o.preferences !== null && o.preferences !== undefined) {
    if (typeof o.preferences !== "object" || Array.isArray(o.preferences)) throw new KubeconfigError(`json: cannot unmarshal ${jsonType(o.preferences)} into Go struct field Config.preferences of type v1.Preferences`);
    const p = o.preferences as Record<string, unknown>;
    const colors = field("bool", p.colors, "Preferences.preferences.colors");
    k.preferences = { ...(colors ? { colors } : {}), ...(p.extensions ? { extensions: p.extensions } : {}) };
  }
  // A later entry of the same name replaces an earlier one (the v1 → internal conversion fills a map).
  for (const c of named(o.clusters, "clusters", "Cluster")) k.clusters.set(c.name, Object.assign({ server: "" }, entry<Partial<KubeconfigCluster>>(c.body, CLUSTER_KINDS, "Cluster", "clusters.cluster")));
  for (const u of named(o.users, "users", "AuthInfo")) k.users.set(u.name, entry<KubeconfigUser>(u.body, USER_KINDS, "AuthInfo", "users.user"));
  for (const c of named(o.contexts, "contexts", "Context")) k.contexts.set(c.name, Object.assign({ cluster: "", user: "" }, entry<Partial<KubeconfigContext>>(c.body, CONTEXT_KINDS, "Context", "contexts.context")));
  return k;
}

/** clientcmd.Write: the file's text (the v1 serialisation with every field, as YAML). */
export function serializeKubeconfig(k: Kubeconfig): string {
  return goYAML(k.toV1({ raw: true }));
}

/** How kubectl finds its kubeconfig (client-go's PathOptions with kubectl's loading rules). */
export interface KubeconfigSource {
  /** `--kubeconfig`, when given (non-empty). */
  explicit?: string;
  /** The `KUBECONFIG` environment variable. */
  env?: string;
}

/**
 * clientcmd.PathOptions for one kubectl command: which files it reads (GetLoadingPrecedence), the
 * merged config (GetStartingConfig), where new entries go (GetDefaultFilename), and ModifyConfig.
 */
export class KubeconfigAccess {
  readonly precedence: string[];
  readonly explicit: string | undefined;

  constructor(
    private readonly files: KubeconfigFiles,
    source: KubeconfigSource,
  ) {
    this.explicit = source.explicit || undefined;
    const envFiles = source.env ? [...new Set(source.env.split(":"))] : [];
    this.precedence = this.explicit !== undefined ? [this.explicit] : envFiles.length ? envFiles : [files.simulated.path];
    this.envFiles = envFiles;
  }

  private readonly envFiles: string[];

  /** Whether the command uses the simulated kubeconfig alone (no --kubeconfig, no KUBECONFIG naming other files). */
  get simulatedOnly(): boolean {
    return this.precedence.length === 1 && this.isSimulated(this.precedence[0]!);
  }

  private abs(path: string): string {
    return absolutePath(path, this.files.cwd);
  }

  private isSimulated(path: string): boolean {
    return path !== "" && this.abs(path) === this.abs(this.files.simulated.path);
  }

  exists(path: string): boolean {
    return path !== "" && (this.isSimulated(path) || this.files.read(this.abs(path)) !== undefined);
  }

  /** LoadFromFile: the file's config, undefined when it is missing; an unreadable file throws. */
  private loadFile(path: string): Kubeconfig | undefined {
    if (path === "") return undefined;
    if (this.isSimulated(path)) return this.files.simulated.clone();
    const text = this.files.read(this.abs(path));
    if (text === undefined) return undefined;
    try {
      return parseKubeconfig(text);
    } catch (e) {
      if (e instanceof KubeconfigError) throw new KubeconfigError(`error loading config file ${JSON.stringify(path)}: ${e.message}`);
      throw e;
    }
  }

  /** getConfigFromFile: a missing file is an empty config. */
  private configFromFile(path: string): Kubeconfig {
    return this.loadFile(path) ?? new Kubeconfig();
  }

  private writeFile(path: string, k: Kubeconfig): void {
    if (this.isSimulated(path)) {
      this.files.simulated.assign(k);
      return;
    }
    this.files.write(this.abs(path), serializeKubeconfig(k));
  }

  /** GetDefaultFilename: the explicit file; the one KUBECONFIG file; the first that exists; else the last. */
  defaultFilename(): string {
    if (this.explicit !== undefined) return this.explicit;
    if (this.envFiles.length === 1) return this.envFiles[0]!;
    if (this.envFiles.length > 1) return this.envFiles.find((f) => this.exists(f)) ?? this.envFiles[this.envFiles.length - 1]!;
    return this.files.simulated.path;
  }

  /**
   * GetStartingConfig (the loading rules' Load, paths left as written): the files merged, each
   * entry from the first file that has it, the first non-empty current-context and preferences.
   * Each entry's origin is its file.
   */
  startingConfig(): Kubeconfig {
    const merged = new Kubeconfig();
    merged.path = this.defaultFilename();
    const errors: string[] = [];
    let prefsSet = false;
    for (const path of this.precedence) {
      let k: Kubeconfig | undefined;
      try {
        k = this.loadFile(path);
      } catch (e) {
        if (!(e instanceof KubeconfigError)) throw e;
        errors.push(e.message);
        continue;
      }
      if (!k) continue;
      for (const kind of ["clusters", "users", "contexts"] as const) {
        const into = merged[kind] as Map<string, unknown>;
        for (const [name, e] of k[kind] as Map<string, unknown>) {
          if (into.has(name)) continue;
          into.set(name, e);
          merged.origin[kind].set(name, path);
        }
      }
      if (!merged.currentContext) merged.currentContext = k.currentContext;
      if (!prefsSet && Object.keys(k.preferences).length) {
        merged.preferences = k.preferences;
        prefsSet = true;
      }
    }
    if (errors.length) throw new KubeconfigError(errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]`, errors);
    return merged;
  }

  /**
   * clientcmd.ModifyConfig: writes what changed between `start` (this access's starting config) and
   * `next`: the current context to the explicit or default file (or, cleared, to the first file
   * that sets one); each changed or new entry to the file it came from, else the default file (its
   * file paths made relative to that file's directory when `relativize`, as set-cluster and
   * set-credentials ask); each removed entry from its file.
   */
  modify(start: Kubeconfig, next: Kubeconfig, relativize: boolean): void {
    if (start.currentContext !== next.currentContext) this.writeCurrentContext(next.currentContext);
    if (!sameValue(start.preferences, next.preferences)) this.writePreferences(next.preferences);
    const kinds = ["clusters", "contexts", "users"] as const;
    for (const kind of kinds) {
      const before = start[kind] as Map<string, unknown>;
      const after = next[kind] as Map<string, unknown>;
      const changed = new Map<string, Kubeconfig>();
      for (const [name, e] of after) {
        if (before.has(name) && sameValue(before.get(name), e) && start.origin[kind].get(name) === next.origin[kind].get(name)) continue;
        const dest = next.origin[kind].get(name) || this.defaultFilename();
        const file = changed.get(dest) ?? this.configFromFile(dest);
        const copy = structuredClone(e) as Record<string, unknown>;
        if (relativize && kind !== "contexts") relativizePaths(copy, kind === "clusters" ? ["certificate-authority"] : ["client-certificate", "client-key", "tokenFile"], dirOf(this.abs(dest)));
        (file[kind] as Map<string, unknown>).set(name, copy);
        changed.set(dest, file);
        // Clusters and users are written one by one (each rereads its file); contexts once per file.
        if (kind !== "contexts") {
          this.writeFile(dest, file);
          changed.delete(dest);
        }
      }
      for (const [dest, file] of changed) this.writeFile(dest, file);
    }
    for (const kind of ["clusters", "contexts", "users"] as const) {
      for (const name of (start[kind] as Map<string, unknown>).keys()) {
        if ((next[kind] as Map<string, unknown>).has(name)) continue;
        const dest = start.origin[kind].get(name) || this.defaultFilename();
        const file = this.configFromFile(dest);
        (file[kind] as Map<string, unknown>).delete(name);
        this.writeFile(dest, file);
      }
    }
  }

  private writeCurrentContext(name: string): void {
    if (this.explicit !== undefined || name) {
      const dest = this.explicit ?? this.defaultFilename();
      const file = this.configFromFile(dest);
      file.currentContext = name;
      this.writeFile(dest, file);
      return;
    }
    for (const path of this.precedence) {
      if (!this.exists(path)) continue;
      const file = this.configFromFile(path);
      if (file.currentContext) {
        file.currentContext = "";
        this.writeFile(path, file);
        return;
      }
    }
    throw new KubeconfigError("no config found to write context");
  }

  private writePreferences(prefs: Record<string, unknown>): void {
    for (const path of this.explicit !== undefined ? [this.explicit] : this.precedence) {
      const file = this.configFromFile(path);
      if (this.explicit === undefined && sameValue(file.preferences, prefs)) continue;
      file.preferences = structuredClone(prefs);
      this.writeFile(path, file);
      return;
    }
    throw new KubeconfigError("no config found to write preferences");
  }
}

/** reflect.DeepEqual on the JSON-like entries. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
}


/**
 * RelativizeClusterLocalPaths / RelativizeAuthInfoLocalPaths: each file path, resolved against the
 * kubeconfig's directory, made relative to it; a path that would need `../` stays absolute.
 */
function relativizePaths(e: Record<string, unknown>, keys: string[], base: string): void {
  for (const key of keys) {
    const p = e[key];
    if (typeof p !== "string" || p === "") continue;
    const abs = absolutePath(p, base);
    const prefix = base === "/" ? "/" : base + "/";
    if (abs === base) e[key] = ".";
    else if (abs.startsWith(prefix)) e[key] = abs.slice(prefix.length);
    else e[key] = abs;
  }
}

/**
 * clientcmdapi.FlattenConfig: every certificate and key file of the config read into its `-data`
 * field (paths relative to the kubeconfig file that named them), the path cleared. A file that
 * cannot be read fails with Go's open error.
 */
export function flattenConfig(k: Kubeconfig, read: (absPath: string) => Buffer | undefined, cwd: string): void {
  const flatten = (e: Record<string, unknown>, pathKey: string, dataKey: string, origin: string | undefined) => {
    const p = e[pathKey];
    if (typeof p !== "string" || p === "") return;
    const base = dirOf(absolutePath(origin || ".", cwd));
    const abs = absolutePath(p, origin ? base : cwd);
    const data = read(abs);
    if (data === undefined) throw new KubeconfigError(`open ${abs}: no such file or directory`);
    e[dataKey] = data.toString("base64");
    delete e[pathKey];
  };
  for (const [name, c] of k.clusters) flatten(c as unknown as Record<string, unknown>, "certificate-authority", "certificate-authority-data", k.origin.clusters.get(name));
  for (const [name, u] of k.users) {
    flatten(u as unknown as Record<string, unknown>, "client-certificate", "client-certificate-data", k.origin.users.get(name));
    flatten(u as unknown as Record<string, unknown>, "client-key", "client-key-data", k.origin.users.get(name));
  }
}
