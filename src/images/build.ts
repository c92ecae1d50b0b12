/**
 * `docker build` of a page's Dockerfile (the image a reader builds and pushes under the name the
 * page's manifest uses: "Fine Parallel Processing Using a Work Queue"'s `gcr.io/myproject/job-wq-2`),
 * as far as the simulation can take it:
 *
 * - `FROM` an image the registry knows (its files, ENV, WORKDIR and how it runs carry over);
 * - `WORKDIR`, `ENV` (both forms), `EXPOSE`, `LABEL` (ignored), `COPY`/`ADD` of files of the build
 *   context (several sources into a directory; a destination ending in `/`, or `./`, is one;
 *   relative destinations are under WORKDIR);
 * - `RUN` for `pip install` (`pip`, `pip3`, `python -m pip`, options skipped): the packages go to
 *   the base image's site-packages, which is what a program checks for an `import`; on an ubuntu
 *   base also `apt-get update && apt-get install … && rm -rf /var/lib/apt/lists/*` (the packages'
 *   files: ./programs/apt.ts) and `chmod`; any other RUN is refused, saying so (the build would
 *   need the command's effects);
 * - `CMD` and `ENTRYPOINT` in JSON form, or shell form (`/bin/sh -c`).
 *
 * The built image runs the page's programs the simulation models (programs/rediswq.ts: `python
 * worker.py` with the page's worker.py and rediswq.py; the coarse work-queue page's `amqp-consume
 * … /worker.py` runs in the base's shell with its package installed: programs/amqptools.ts); any
 * other command runs as the base image runs it. Its size is the base's plus the files'.
 */
import type { ContainerLaunch } from "../runtime/types.ts";
import { resolvePath } from "../runtime/vfs.ts";
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { ImageDeclaration, ImageRegistry } from "./registry.ts";
import { parseImageReference } from "./reference.ts";
import { containerArgs, type ImageConfig } from "./config.ts";
import { isPageWorker, RedisQueueWorker, sitePackages } from "./programs/rediswq.ts";
import { archive, packageFiles, ubuntuRelease } from "./programs/apt.ts";

/** The build: the Dockerfile's text and the files of the context directory (relative path → text). */
export interface BuildInput {
  dockerfile: string;
  context: Record<string, string>;
  /** The base image as the registry gives it, by the FROM line's reference. */
  base(image: string): ImageDeclaration | Error;
}

/** Dockerfile lines: comments and empty lines dropped, `\` continuations joined. */
function instructions(text: string): Array<{ op: string; args: string; line: number }> {
  const out: Array<{ op: string; args: string; line: number }> = [];
  let cur = "";
  let start = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (!cur && (raw.trim() === "" || raw.trim().startsWith("#"))) continue;
    if (!cur) start = i + 1;
    if (raw.endsWith("\\")) {
      cur += raw.slice(0, -1) + " ";
      continue;
    }
    cur += raw;
    const m = /^\s*(\S+)\s*(.*)$/.exec(cur)!;
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start });
    cur = "";
  }
  if (cur.trim()) {
    const m = /^\s*(\S+)\s*(.*)$/.exec(cur)!;
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start });
  }
  return out;
}

function jsonOrShell(args: string): string[] {
  if (args.startsWith("[")) {
    try {
      const v: unknown = JSON.parse(args);
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    } catch {
      // not JSON: the shell form, as docker reads it
    }
  }
  return ["/bin/sh", "-c", args];
}

/**
 * One RUN line as far as the build models it: `&&`-joined commands of `pip install` (the packages
 * go to site-packages), and on an ubuntu base `apt-get update`, `apt-get install [-y] pkg…`
 * (./programs/apt.ts: the packages' files, /var/lib/dpkg/status), `rm -rf /var/lib/apt/lists/*`
 * and `chmod` (image files carry no mode here). Anything else is refused, saying so; a command
 * that fails fails the build with its status, as docker build's step does.
 */
function run(line: string, base: ImageDeclaration & { fromTag: string }, aptListsBefore: boolean): string | { pip: string[]; files: Record<string, string>; aptLists: boolean } {
  const pip: string[] = [];
  const files: Record<string, string> = {};
  let aptLists = aptListsBefore;
  const osRelease = base.files?.["/etc/os-release"] ?? "";
  const ubuntu = /^ID=ubuntu$/m.test(osRelease);
  const release = ubuntuRelease(base.fromTag);
  const only = ubuntu ? "`pip install`, `apt-get update`, `apt-get install`, `rm -rf /var/lib/apt/lists/*` and `chmod`" : "`pip install`";
  for (const part of line.split("&&")) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    if (!words.length) return `kube-scenario's docker build runs only ${only} in RUN`;
    let i = -1;
    if (/^python\d*(\.\d+)?$/.test(words[0]!) && words[1] === "-m" && words[2] === "pip") i = 3;
    else if (/^pip\d*$/.test(words[0]!)) i = 1;
    if (i >= 0) {
      if (words[i] !== "install") return `kube-scenario's docker build runs only ${only} in RUN`;
      const pkgs = words.slice(i + 1).filter((w) => !w.startsWith("-"));
      if (pkgs.length === 0) return "ERROR: You must give at least one requirement to install";
      pip.push(...pkgs.map((p) => p.split(/[=<>~!]/)[0]!.toLowerCase()));
      continue;
    }
    if (ubuntu && words[0] === "apt-get") {
      const args = words.slice(1).filter((w) => !w.startsWith("-"));
      if (args[0] === "update" && args.length === 1) {
        aptLists = true;
        continue;
      }
      if (args[0] === "install") {
        const names = args.slice(1);
        const archiveOf = archive(release);
        for (const n of names) {
          if (!aptLists || !archiveOf[n]) return `process "/bin/sh -c ${line}" did not complete successfully: exit code: 100 (E: ${aptLists && n === "python" ? "Package 'python' has no installation candidate" : `Unable to locate package ${n}`})`;
        }
        let status = files["/var/lib/dpkg/status"] ?? "";
        for (const n of names) {
          Object.assign(files, packageFiles(release, n));
          status += `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${archiveOf[n]!.version}\n\n`;
        }
        if (names.length) files["/var/lib/dpkg/status"] = status;
        continue;
      }
    }
    if (ubuntu && words[0] === "rm" && words.slice(1).every((w) => w === "-rf" || w === "-fr" || w === "/var/lib/apt/lists/*")) {
      aptLists = false;
      continue;
    }
    if (ubuntu && words[0] === "chmod") continue;
    return `kube-scenario's docker build runs only ${only} in RUN`;
  }
  return { pip, files, aptLists };
}

/** Builds the image `repository` from the Dockerfile; an Error says which instruction fails, as docker build's step. */
export function buildImage(repository: string, input: BuildInput): ImageDeclaration | Error {
  let base: (ImageDeclaration & { fromTag: string }) | undefined;
  const config: ImageConfig = {};
  let workdir = "/";
  const env: Record<string, string> = {};
  const files: Record<string, string> = {};
  const packages: string[] = [];
  /** `apt-get update` ran in an earlier command (the index a later `apt-get install` needs). */
  let aptLists = false;
  for (const ins of instructions(input.dockerfile)) {
    const fail = (why: string) => new Error(`Dockerfile:${ins.line}: ${ins.op} ${ins.args}: ${why}`);
    if (!base && ins.op !== "FROM" && ins.op !== "ARG") return fail("no build stage in current context");
    switch (ins.op) {
      case "FROM": {
        if (base) return fail("kube-scenario builds single-stage Dockerfiles only");
        const image = ins.args.split(/\s+/)[0]!;
        const b = input.base(image);
        if (b instanceof Error) return fail(b.message);
        base = { ...b, fromTag: parseImageReference(image)?.tag ?? "latest" };
        Object.assign(env, b.env ?? {});
        workdir = b.workingDir || "/";
        break;
      }
      case "WORKDIR":
        workdir = resolvePath(workdir, ins.args);
        break;
      case "ENV": {
        const kv = /^(\S+?)=(.*)$/.exec(ins.args);
        if (kv) for (const m of ins.args.matchAll(/(\S+?)=("[^"]*"|\S*)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, "");
        else {
          const [k, ...v] = ins.args.split(/\s+/);
          env[k!] = v.join(" ");
        }
        break;
      }
      case "EXPOSE":
        config.exposedPorts = [...(config.exposedPorts ?? []), ...ins.args.split(/\s+/).map((p) => Number(p.split("/")[0]))];
        break;
      case "LABEL":
      case "ARG":
        break;
      case "RUN": {
        const r = run(ins.args, base!, aptLists);
        if (typeof r === "string") return fail(r);
        packages.push(...r.pip);
        Object.assign(files, r.files);
        aptLists = r.aptLists;
        break;
      }
      case "COPY":
      case "ADD": {
        const parts = ins.args.split(/\s+/).filter((w) => !w.startsWith("--"));
        if (parts.length < 2) return fail(`${ins.op} requires at least two arguments`);
        const dest = parts[parts.length - 1]!;
        const srcs = parts.slice(0, -1);
        const intoDir = srcs.length > 1 || dest.endsWith("/") || dest === "." || dest === "..";
        for (const src of srcs) {
          const name = src.replace(/^\.\//, "");
          if (!Object.hasOwn(input.context, name)) return fail(`failed to compute cache key: "/${name}": not found`);
          const target = intoDir ? resolvePath(resolvePath(workdir, dest), name.slice(name.lastIndexOf("/") + 1)) : resolvePath(workdir, dest);
          files[target] = input.context[name]!;
        }
        break;
      }
      case "CMD":
        config.cmd = jsonOrShell(ins.args);
        break;
      case "ENTRYPOINT":
        config.entrypoint = jsonOrShell(ins.args);
        // An ENTRYPOINT resets the base image's CMD.
        if (config.cmd === undefined) config.cmd = [];
        break;
      default:
        return fail(`kube-scenario's docker build does not model ${ins.op}`);
    }
  }
  if (!base) return new Error("the Dockerfile has no FROM");
  const { fromTag: _fromTag, ...b } = base;
  const site = sitePackages(env);
  for (const p of packages) files[`${site}/${p}/__init__.py`] = "";
  const entrypoint = config.entrypoint ?? undefined;
  const cmd = config.cmd;
  const size = Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0);
  return {
    ...b,
    repository,
    sizeBytes: b.sizeBytes + size + packages.length * 1_000_000,
    files: { ...(b.files ?? {}), ...files },
    env,
    workingDir: workdir,
    argv: (container) => containerArgs({ entrypoint, cmd }, container),
    launch(l: ContainerLaunch) {
      const argv = containerArgs({ entrypoint, cmd }, l.container);
      const cwd = l.container.workingDir || workdir;
      if (/^(.*\/)?python\d*(\.\d+)?$/.test(argv[0] ?? "") && argv.length === 2 && !argv[1]!.startsWith("-")) {
        const script = resolvePath(cwd, argv[1]!);
        if (isPageWorker(l.io, script)) return new RedisQueueWorker(l.io, script, `${l.pod.metadata.namespace}/${l.pod.metadata.name}/${l.container.name}/${l.io.clock.now()}`);
      }
      return b.launch({ ...l, container: { ...l.container, command: argv, args: [] } });
    },
  };
}

/**
 * `docker build` of a context directory (its Dockerfile and the files beside it) and `docker push`
 * under `image`, into the cluster's registry: the reference's repository is the image's name and
 * its tag the tag pushed. Throws the build's or the reference's error.
 */
export function buildAndPush(registry: ImageRegistry, image: string, dir: string): void {
  const context: Record<string, string> = {};
  for (const name of readdirSync(dir)) if (statSync(`${dir}/${name}`).isFile()) context[name] = readFileSync(`${dir}/${name}`, "utf8");
  const ref = parseImageReference(image);
  if (!ref) throw new Error(`invalid reference format: "${image}"`);
  const built = buildImage(ref.repository, {
    dockerfile: context.Dockerfile!,
    context,
    base: (from) => {
      const l = registry.lookup(from);
      return l.ok ? l.behaviour : new Error(l.error);
    },
  });
  if (built instanceof Error) throw built;
  registry.declare({ ...built, tags: [ref.tag] });
}
