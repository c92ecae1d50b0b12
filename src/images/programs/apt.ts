/**
 * `apt-get` in the ubuntu image, as far as "Coarse Parallel Processing Using a Work Queue" takes it
 * (`apt-get update && apt-get install -y curl ca-certificates amqp-tools python3 dnsutils`), and
 * the packages' programs the simulation has (amqp-tools: ./amqptools.ts; the page's Python worker:
 * ./pyworker.ts). A clear, small model, not Debian's resolver:
 *
 * - The release is the image tag's (`18.04` bionic, `20.04` focal, `22.04` jammy, else noble, the
 *   `latest`); its archive is archive.ubuntu.com and security.ubuntu.com over HTTP. The cluster
 *   reaches them only when the scenario declares them (`Given the external host
 *   "archive.ubuntu.com" answers:`; no Internet by default, src/network/externalhosts.ts).
 * - `apt-get update` fetches the release's index files (`Get:1 http://… InRelease`, written under
 *   /var/lib/apt/lists/) and prints `Reading package lists...`; a host that does not resolve gives
 *   apt's `Err:` and `W: Failed to fetch …  Temporary failure resolving '…'` lines (exit 0, as apt).
 * - `apt-get install [-y] pkg…` needs the lists (the image ships none: `E: Unable to locate
 *   package <pkg>`, exit 100, until `apt-get update`); a package the release does not have is
 *   refused as apt does (`python` in 22.04: `E: Package 'python' has no installation candidate`);
 *   the others are unpacked (their files: the programs below) and recorded in /var/lib/dpkg/status.
 *   Dependencies are not listed and nothing asks for confirmation (docs/divergences.md).
 *
 * Packages: amqp-tools (amqp-consume, amqp-declare-queue, amqp-delete-queue, amqp-get,
 * amqp-publish), python (bionic: /usr/bin/python, Python 2.7), python3, curl, ca-certificates,
 * dnsutils (the image's curl and nslookup are the shell's, present before as after).
 */
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";

export type Release = "bionic" | "focal" | "jammy" | "noble";

/** The release an ubuntu tag names. */
export function ubuntuRelease(tag: string): Release {
  if (/^(18\.04|bionic)/.test(tag)) return "bionic";
  if (/^(20\.04|focal)/.test(tag)) return "focal";
  if (/^(22\.04|jammy)/.test(tag)) return "jammy";
  return "noble";
}

interface Package {
  version: string;
  files: string[];
}

const PY3: Record<Release, string> = { bionic: "3.6", focal: "3.8", jammy: "3.10", noble: "3.12" };

/** The packages of each release (their versions from packages.ubuntu.com, the release pocket). */
export function archive(release: Release): Record<string, Package> {
  const amqp: Record<Release, string> = { bionic: "0.8.0-1ubuntu0.18.04.2", focal: "0.10.0-1", jammy: "0.10.0-1ubuntu2", noble: "0.11.0-1build2" };
  const curl: Record<Release, string> = { bionic: "7.58.0-2ubuntu3", focal: "7.68.0-1ubuntu2", jammy: "7.81.0-1", noble: "8.5.0-2ubuntu10" };
  const ca: Record<Release, string> = { bionic: "20180409", focal: "20190110ubuntu1", jammy: "20211016", noble: "20240203" };
  const bind: Record<Release, string> = { bionic: "1:9.11.3+dfsg-1ubuntu1", focal: "1:9.16.1-0ubuntu2", jammy: "1:9.18.1-1ubuntu1", noble: "1:9.18.24-0ubuntu5" };
  const py3: Record<Release, string> = { bionic: "3.6.5-3", focal: "3.8.2-0ubuntu2", jammy: "3.10.4-0ubuntu2", noble: "3.12.3-0ubuntu1" };
  const v = PY3[release];
  const pkgs: Record<string, Package> = {
    "amqp-tools": { version: amqp[release], files: ["/usr/bin/amqp-consume", "/usr/bin/amqp-declare-queue", "/usr/bin/amqp-delete-queue", "/usr/bin/amqp-get", "/usr/bin/amqp-publish"] },
    curl: { version: curl[release], files: ["/usr/bin/curl"] },
    "ca-certificates": { version: ca[release], files: ["/etc/ssl/certs/ca-certificates.crt"] },
    dnsutils: { version: bind[release], files: ["/usr/bin/dig", "/usr/bin/nslookup", "/usr/bin/nsupdate"] },
    python3: { version: py3[release], files: ["/usr/bin/python3", `/usr/bin/python${v}`] },
  };
  if (release === "bionic") pkgs.python = { version: "2.7.15~rc1-1", files: ["/usr/bin/python", "/usr/bin/python2", "/usr/bin/python2.7"] };
  return pkgs;
}

/** Packages a release no longer has, with what apt says replaces them. */
const GONE: Record<string, { releases: Release[]; replacedBy: string }> = {
  python: { releases: ["focal", "jammy", "noble"], replacedBy: "2to3 python2-minimal python2 dh-python python-is-python3" },
};

const LISTS = "/var/lib/apt/lists";

function indexFiles(release: Release): Array<{ host: string; suite: string; size: string }> {
  return [
    { host: "archive.ubuntu.com", suite: release, size: "270 kB" },
    { host: "security.ubuntu.com", suite: `${release}-security`, size: "129 kB" },
    { host: "archive.ubuntu.com", suite: `${release}-updates`, size: "128 kB" },
    { host: "archive.ubuntu.com", suite: `${release}-backports`, size: "127 kB" },
  ];
}

/** The file a program's command needs to exist (its package installed): the command is then there. */
export function installed(path: string, fn: CommandFn): CommandFn {
  const gated: CommandFn & { installedAt?: string } = function* (sh, argv) {
    return yield* fn(sh, argv);
  };
  gated.installedAt = path;
  return gated;
}

/** Writes a package's files and its dpkg record (apt-get install; a Dockerfile's RUN of it). */
export function packageFiles(release: Release, name: string): Record<string, string> {
  const p = archive(release)[name];
  if (!p) return {};
  const out: Record<string, string> = {};
  for (const f of p.files) out[f] = `\x7fELF ${name} ${p.version} (kube-scenario package model: src/images/programs/apt.ts)\n`;
  return out;
}

function dpkgRecord(release: Release, name: string): string {
  return `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${archive(release)[name]!.version}\n\n`;
}

/** `apt-get` of an ubuntu release. */
export function aptGet(release: Release): CommandFn {
  return function* (sh: Shell, argv: string[]): G<number> {
    const args = argv.slice(1);
    const words = args.filter((a) => !a.startsWith("-"));
    const sub = words[0];
    if (sub === undefined) {
      sh.stdout.write("apt 2.4.13 (amd64)\nUsage: apt-get [options] command\n");
      return 0;
    }
    if (sh.io.user && sh.io.user.uid !== 0) {
      sh.stderr.write("E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\n");
      return 100;
    }
    if (sub === "update") return yield* update(sh, release);
    if (sub === "install") return yield* install(sh, release, words.slice(1));
    sh.stderr.write(`E: Invalid operation ${sub}\n`);
    return 100;
  };
}

function* update(sh: Shell, release: Release): G<number> {
  const files = indexFiles(release);
  let n = 0;
  const failed: string[] = [];
  for (const f of files) {
    n++;
    const ip = sh.io.resolve(f.host);
    const url = `http://${f.host}/ubuntu ${f.suite} InRelease`;
    if (ip === undefined) {
      sh.stdout.write(`Err:${n} ${url}\n  Temporary failure resolving '${f.host}'\n`);
      failed.push(`W: Failed to fetch http://${f.host}/ubuntu/dists/${f.suite}/InRelease  Temporary failure resolving '${f.host}'\n`);
      continue;
    }
    sh.stdout.write(`Get:${n} ${url} [${f.size}]\n`);
  }
  yield { k: "sleep", ms: failed.length === files.length ? 1_000 : 3_000 };
  if (failed.length < files.length) {
    sh.stdout.write(`Fetched 25.6 MB in 3s (8530 kB/s)\n`);
    sh.io.fs.mkdir(LISTS, { recursive: true });
    sh.io.fs.writeFile(`${LISTS}/archive.ubuntu.com_ubuntu_dists_${release}_InRelease`, "");
  }
  sh.stdout.write("Reading package lists...\n");
  if (failed.length) sh.stderr.write(failed.join("") + "W: Some index files failed to download. They have been ignored, or old ones used instead.\n");
  return 0;
}

function* install(sh: Shell, release: Release, names: string[]): G<number> {
  sh.stdout.write("Reading package lists...\nBuilding dependency tree...\nReading state information...\n");
  const haveLists = (() => {
    try {
      return sh.io.fs.stat(LISTS)?.type === "dir" && sh.io.fs.readdir(LISTS).some((f) => f.endsWith("_InRelease"));
    } catch {
      return false;
    }
  })();
  const pkgs = archive(release);
  for (const name of names) {
    const gone = GONE[name];
    if (haveLists && gone && gone.releases.includes(release)) {
      sh.stdout.write(`Package ${name} is not available, but is referred to by another package.\nThis may mean that the package is missing, has been obsoleted, or\nis only available from another source\nHowever the following packages replace it:\n  ${gone.replacedBy}\n\n`);
      sh.stderr.write(`E: Package '${name}' has no installation candidate\n`);
      return 100;
    }
    if (!haveLists || !pkgs[name]) {
      sh.stderr.write(`E: Unable to locate package ${name}\n`);
      return 100;
    }
  }
  let status = "";
  try {
    status = sh.io.fs.stat("/var/lib/dpkg/status") ? sh.io.fs.readFile("/var/lib/dpkg/status") : "";
  } catch {
    status = "";
  }
  const fresh = [...new Set(names)].filter((n) => !status.includes(`Package: ${n}\nStatus: install ok installed\n`));
  for (const n of names.filter((x) => !fresh.includes(x))) sh.stdout.write(`${n} is already the newest version (${pkgs[n]!.version}).\n`);
  if (fresh.length) sh.stdout.write(`The following NEW packages will be installed:\n  ${fresh.join(" ")}\n`);
  sh.stdout.write(`0 upgraded, ${fresh.length} newly installed, 0 to remove and 0 not upgraded.\n`);
  if (!fresh.length) return 0;
  fresh.forEach((n, i) => sh.stdout.write(`Get:${i + 1} http://archive.ubuntu.com/ubuntu ${release}/main amd64 ${n} amd64 ${pkgs[n]!.version}\n`));
  yield { k: "sleep", ms: 2_000 + 1_000 * fresh.length };
  for (const n of fresh) {
    for (const [path, text] of Object.entries(packageFiles(release, n))) {
      sh.io.fs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
      sh.io.fs.writeFile(path, text, { mode: 0o755 });
    }
    sh.stdout.write(`Selecting previously unselected package ${n}.\nUnpacking ${n} (${pkgs[n]!.version}) ...\nSetting up ${n} (${pkgs[n]!.version}) ...\n`);
    status += dpkgRecord(release, n);
  }
  sh.io.fs.mkdir("/var/lib/dpkg", { recursive: true });
  sh.io.fs.writeFile("/var/lib/dpkg/status", status);
  return 0;
}
