#!/usr/bin/env node
/**
 * Writes src/images/data/official-configs.json: the image configs (ENTRYPOINT, CMD, ENV, WORKDIR,
 * USER, EXPOSE, STOPSIGNAL) of the most-pulled Docker Hub official images, read from the
 * Dockerfiles each image's official-images entry builds (docker-library/* and the upstream
 * repositories library/<name> names), at the commit of a local clone of each repository.
 *
 *   node scripts/images/official-configs.mjs <dir with one clone per repository, named owner+name/repo>
 *
 * A Dockerfile's config is its last stage's, over its base image's: FROM another official image
 * resolves through FROM_MAP to that image's Dockerfile; the distribution bases (debian, ubuntu,
 * alpine, scratch, amazonlinux) give their CMD and the builder's default PATH. As `docker build`
 * does, ENTRYPOINT resets an inherited CMD, ENV and WORKDIR expand $VAR and ${VAR} (ARG defaults
 * included), EXPOSE keeps the TCP ports. What the file adds by hand (which ports listen when that
 * differs from EXPOSE, the USER's passwd line, how the main program behaves) is in EXTRA below,
 * each with its reason.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const root = process.argv[2];
if (!root) {
  console.error("usage: node scripts/images/official-configs.mjs <mirror dir>");
  process.exit(2);
}

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const BASES = {
  debian: { cmd: ["bash"], shell: "bash" },
  "buildpack-deps": { cmd: ["bash"], shell: "bash" },
  ubuntu: { cmd: ["/bin/bash"], shell: "bash" },
  alpine: { cmd: ["/bin/sh"], shell: "busybox" },
  amazonlinux: { cmd: ["/bin/bash"], shell: "bash" },
  scratch: { shell: "none" },
};

/** FROM <image>:<tag> of another official image → the Dockerfile that builds it. */
const FROM_MAP = {
  "eclipse-temurin:21-jdk-noble": ["adoptium/containers", "21/jdk/ubuntu/noble/Dockerfile"],
  "eclipse-temurin:17-jre-jammy": ["adoptium/containers", "17/jre/ubuntu/jammy/Dockerfile"],
  "eclipse-temurin:25-jdk-noble": ["adoptium/containers", "25/jdk/ubuntu/noble/Dockerfile"],
  "php:8.3-apache": ["docker-library/php", "8.3/trixie/apache/Dockerfile"],
  "php:8.4-apache-trixie": ["docker-library/php", "8.4/trixie/apache/Dockerfile"],
  "php:8.4-alpine": ["docker-library/php", "8.4/alpine3.24/cli/Dockerfile"],
  "node:22-bookworm-slim": ["nodejs/docker-node", "22/bookworm-slim/Dockerfile"],
  "ruby:3.4-slim-trixie": ["docker-library/ruby", "3.4/slim-trixie/Dockerfile"],
  "rabbitmq:4.1": ["docker-library/rabbitmq", "4.1/ubuntu/Dockerfile"],
};

/**
 * The images: name → variants (the first is the default: `latest` and any tag no other matches),
 * each `[tag pattern, repository, Dockerfile]`; `tagVersion`: the ENV variable a version-like tag sets.
 */
const IMAGES = {
  python: { variants: [["", "docker-library/python", "3.14/trixie/Dockerfile"], ["^3\\.13", "docker-library/python", "3.13/trixie/Dockerfile"], ["^3\\.12", "docker-library/python", "3.12/trixie/Dockerfile"], ["^3\\.11", "docker-library/python", "3.11/trixie/Dockerfile"], ["^3\\.10", "docker-library/python", "3.10/trixie/Dockerfile"], ["^3\\.9", "docker-library/python", "3.9/bookworm/Dockerfile"], ["^3\\.8", "docker-library/python", "3.8/bookworm/Dockerfile"]], tagVersion: ["PYTHON_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  node: { variants: [["", "nodejs/docker-node", "24/trixie/Dockerfile"], ["^26", "nodejs/docker-node", "26/trixie/Dockerfile"], ["^22", "nodejs/docker-node", "22/trixie/Dockerfile"], ["^20", "nodejs/docker-node", "20/bookworm/Dockerfile"], ["^18", "nodejs/docker-node", "18/bookworm/Dockerfile"]], tagVersion: ["NODE_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  ruby: { variants: [["", "docker-library/ruby", "3.4/trixie/Dockerfile"], ["^4\\.0", "docker-library/ruby", "4.0/trixie/Dockerfile"], ["^3\\.3", "docker-library/ruby", "3.3/trixie/Dockerfile"], ["^3\\.2", "docker-library/ruby", "3.2/bookworm/Dockerfile"]], tagVersion: ["RUBY_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  golang: { variants: [["", "docker-library/golang", "1.26/trixie/Dockerfile"], ["^1\\.27", "docker-library/golang", "1.27/trixie/Dockerfile"], ["^1\\.25", "docker-library/golang", "1.25/trixie/Dockerfile"], ["^1\\.24", "docker-library/golang", "1.24/bookworm/Dockerfile"]], tagVersion: ["GOLANG_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  php: { variants: [["", "docker-library/php", "8.4/trixie/cli/Dockerfile"], ["apache", "docker-library/php", "8.4/trixie/apache/Dockerfile"]], tagVersion: ["PHP_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  openjdk: { variants: [["", "docker-library/openjdk", "27/trixie/Dockerfile"], ["^28", "docker-library/openjdk", "28/trixie/Dockerfile"], ["^17", "docker-library/openjdk", "17/jdk/bullseye/Dockerfile"], ["^11", "docker-library/openjdk", "11/jdk/bullseye/Dockerfile"], ["^8", "docker-library/openjdk", "8/jdk/bullseye/Dockerfile"]] },
  "eclipse-temurin": { variants: [["", "adoptium/containers", "25/jdk/ubuntu/noble/Dockerfile"], ["^21.*jre", "adoptium/containers", "21/jre/ubuntu/noble/Dockerfile"], ["^21", "adoptium/containers", "21/jdk/ubuntu/noble/Dockerfile"], ["^17.*jre", "adoptium/containers", "17/jre/ubuntu/noble/Dockerfile"], ["^17", "adoptium/containers", "17/jdk/ubuntu/noble/Dockerfile"], ["^11.*jre", "adoptium/containers", "11/jre/ubuntu/noble/Dockerfile"], ["^11", "adoptium/containers", "11/jdk/ubuntu/noble/Dockerfile"], ["^8.*jre", "adoptium/containers", "8/jre/ubuntu/noble/Dockerfile"], ["^8", "adoptium/containers", "8/jdk/ubuntu/noble/Dockerfile"], ["jre", "adoptium/containers", "25/jre/ubuntu/noble/Dockerfile"]] },
  amazoncorretto: { variants: [["", "corretto/corretto-docker", "25/jdk/al2023/Dockerfile"], ["^21", "corretto/corretto-docker", "21/jdk/al2023/Dockerfile"], ["^17", "corretto/corretto-docker", "17/jdk/al2023/Dockerfile"], ["^11", "corretto/corretto-docker", "11/jdk/al2023/Dockerfile"], ["^8", "corretto/corretto-docker", "8/jdk/al2023/Dockerfile"]] },
  rust: { variants: [["", "rust-lang/docker-rust", "stable/trixie/Dockerfile"]] },
  julia: { variants: [["", "docker-library/julia", "1.11/trixie/Dockerfile"]], tagVersion: ["JULIA_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  mongo: { variants: [["", "docker-library/mongo", "8.0/Dockerfile"], ["^7\\.0", "docker-library/mongo", "7.0/Dockerfile"], ["^6\\.0", "docker-library/mongo", "6.0/Dockerfile"], ["^5\\.0", "docker-library/mongo", "5.0/Dockerfile"], ["^4\\.4", "docker-library/mongo", "4.4/Dockerfile"], ["^4\\.2", "docker-library/mongo", "4.2/Dockerfile"]], tagVersion: ["MONGO_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  rabbitmq: { variants: [["", "docker-library/rabbitmq", "4.1/ubuntu/Dockerfile"], ["management", "docker-library/rabbitmq", "4.1/ubuntu/management/Dockerfile"]] },
  memcached: { variants: [["", "docker-library/memcached", "1/debian/Dockerfile"]], tagVersion: ["MEMCACHED_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  mariadb: { variants: [["", "MariaDB/mariadb-docker", "11.8/Dockerfile"], ["^10\\.11", "MariaDB/mariadb-docker", "10.11/Dockerfile"], ["^10\\.6", "MariaDB/mariadb-docker", "10.6/Dockerfile"], ["^11\\.4", "MariaDB/mariadb-docker", "11.4/Dockerfile"]] },
  tomcat: { variants: [["", "docker-library/tomcat", "11.0/jdk21/temurin-noble/Dockerfile"]] },
  haproxy: { variants: [["", "docker-library/haproxy", "3.2/Dockerfile"]], tagVersion: ["HAPROXY_VERSION", "^(\\d+\\.\\d+\\.\\d+)"] },
  wordpress: { variants: [["", "docker-library/wordpress", "latest/php8.3/apache/Dockerfile"]] },
  ghost: { variants: [["", "docker-library/ghost", "6/bookworm/Dockerfile"]] },
  "hello-world": { variants: [["", "docker-library/hello-world", "amd64/Dockerfile"]] },
  traefik: { variants: [["", "traefik/traefik-library-image", "v3.5/alpine/Dockerfile"]] },
  caddy: { variants: [["", "caddyserver/caddy-docker", "2.11/alpine/Dockerfile"]] },
  registry: { variants: [["", "distribution/distribution-library-image", "Dockerfile"]] },
  zookeeper: { variants: [["", "31z4/zookeeper-docker", "3.9.4/Dockerfile"]] },
  cassandra: { variants: [["", "docker-library/cassandra", "5.0/Dockerfile"], ["^4\\.1", "docker-library/cassandra", "4.1/Dockerfile"]] },
  nats: { variants: [["", "nats-io/nats-docker", "2.10.x/scratch/Dockerfile"]] },
  couchdb: { variants: [["", "apache/couchdb-docker", "3.4.1/Dockerfile"]] },
  adminer: { variants: [["", "TimWolla/docker-adminer", "5/Dockerfile"]] },
  redmine: { variants: [["", "docker-library/redmine", "6.1/trixie/Dockerfile"]] },
  "eclipse-mosquitto": { variants: [["", "eclipse/mosquitto", "docker/2.0/Dockerfile"]] },
  drupal: { variants: [["", "docker-library/drupal", "11.4/php8.4/apache-trixie/Dockerfile"]] },
};

/** Each repository and the commits read from it. */
const commits = new Map();
function git(repo, ...args) {
  return execFileSync("git", ["-C", `${root}/${repo.replace("/", "+")}/repo`, ...args], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "pipe"] });
}
/**
 * The commit a Dockerfile is read at: the clone's HEAD, or for a version the repository no longer
 * builds (node 20, python 3.9, mongo 4.2), the last commit that had the file (the parent of the
 * one that removed it).
 */
function commitFor(repo, path) {
  const head = git(repo, "rev-parse", "HEAD").trim();
  let commit = head;
  try {
    git(repo, "cat-file", "-e", `HEAD:${path}`);
  } catch {
    const removedBy = git(repo, "rev-list", "-1", "HEAD", "--", path).trim();
    if (!removedBy) throw new Error(`${repo}: no ${path} in its history`);
    commit = git(repo, "rev-parse", `${removedBy}^`).trim();
  }
  if (!commits.has(repo)) commits.set(repo, new Set());
  commits.get(repo).add(commit);
  return commit;
}

/** The Dockerfile's instructions: continuation lines joined, comments dropped. */
function instructions(text) {
  const out = [];
  let cur = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (/^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      cur += line.replace(/\\\s*$/, " ");
      continue;
    }
    cur += line;
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(cur);
    if (m) out.push([m[1].toUpperCase(), m[2].trim()]);
    cur = "";
  }
  return out;
}

function expand(s, vars) {
  return s
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*):\+([^}]*)\}/g, (_, k, alt) => (vars[k] ? expand(alt, vars) : ""))
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/g, (_, k, _d, def) => vars[k] ?? def ?? "")
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, k) => vars[k] ?? "");
}

function unquote(s) {
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return s.slice(1, -1);
  return s;
}

/** `K=V K2="v 2"` pairs. */
function pairs(s) {
  const out = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  let m;
  while ((m = re.exec(s))) out.push([m[1], unquote(m[2])]);
  return out;
}

function execForm(s) {
  if (s.startsWith("[")) return JSON.parse(s);
  return ["/bin/sh", "-c", s];
}

function baseConfig(ref) {
  const name = ref.split(":")[0];
  if (FROM_MAP[ref]) return configOf(...FROM_MAP[ref]).config;
  const b = BASES[name];
  // A build stage's base the last stage does not use needs no config; the last stage's must be known.
  if (!b) return { env: { PATH: DEFAULT_PATH }, unknownBase: ref };
  return { ...(b.cmd ? { cmd: b.cmd } : {}), env: { PATH: DEFAULT_PATH }, shell: b.shell };
}

const configCache = new Map();
function configOf(repo, path) {
  const key = `${repo}:${path}`;
  if (configCache.has(key)) return configCache.get(key);
  const commit = commitFor(repo, path);
  const text = git(repo, "show", `${commit}:${path}`);
  const stages = new Map();
  let cfg;
  let args = {};
  const globalArgs = {};
  for (const [op, rest] of instructions(text)) {
    if (op === "ARG") {
      for (const a of rest.split(/\s+/)) {
        const eq = a.indexOf("=");
        const [k, v] = eq >= 0 ? [a.slice(0, eq), unquote(a.slice(eq + 1))] : [a, undefined];
        if (!cfg) globalArgs[k] = v;
        else args[k] = v ?? globalArgs[k];
      }
      continue;
    }
    if (op === "FROM") {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest);
      const ref = expand(m[1], globalArgs);
      const from = stages.get(ref) ?? baseConfig(ref);
      cfg = JSON.parse(JSON.stringify(from));
      args = {};
      if (m[2]) stages.set(m[2], cfg);
      continue;
    }
    const vars = { ...args, ...cfg.env };
    switch (op) {
      case "ENV": {
        const kv = /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest) ? pairs(rest) : [[rest.split(/\s+/)[0], unquote(rest.slice(rest.split(/\s+/)[0].length).trim())]];
        for (const [k, v] of kv) {
          cfg.env[k] = expand(v, { ...args, ...cfg.env });
        }
        break;
      }
      case "WORKDIR": {
        const w = expand(unquote(rest), vars);
        cfg.workingDir = w.startsWith("/") ? w : `${cfg.workingDir ?? ""}/${w}`.replace(/\/+/g, "/");
        break;
      }
      case "USER":
        cfg.user = expand(rest, vars);
        break;
      case "EXPOSE":
        for (const p of rest.split(/\s+/)) {
          const [port, proto = "tcp"] = p.split("/");
          if (proto.toLowerCase() !== "tcp") continue;
          cfg.exposedPorts ??= [];
          if (!cfg.exposedPorts.includes(Number(port))) cfg.exposedPorts.push(Number(port));
        }
        break;
      case "ENTRYPOINT": {
        const e = execForm(rest);
        if (e.length) cfg.entrypoint = e;
        else delete cfg.entrypoint;
        delete cfg.cmd;
        break;
      }
      case "CMD": {
        const c = execForm(rest);
        if (c.length) cfg.cmd = c;
        else delete cfg.cmd;
        break;
      }
      case "STOPSIGNAL":
        cfg.stopSignal = rest;
        break;
    }
  }
  if (cfg.unknownBase) throw new Error(`${repo} ${path}: FROM ${cfg.unknownBase} is not a known base (add it to FROM_MAP or BASES)`);
  const out = { config: cfg, source: `${repo}@${commit.slice(0, 12)} ${path}` };
  configCache.set(key, out);
  return out;
}

const images = {};
for (const [name, spec] of Object.entries(IMAGES)) {
  const variants = spec.variants.map(([tags, repo, path]) => {
    const { config, source } = configOf(repo, path);
    const { shell, ...rest } = config;
    return { ...(tags ? { tags } : {}), source, shell, config: rest };
  });
  images[name] = { ...(spec.tagVersion ? { tagVersion: { env: spec.tagVersion[0], pattern: spec.tagVersion[1] } } : {}), variants };
}

const repos = [...commits.entries()].sort().flatMap(([r, cs]) => [...cs].sort().map((c) => `${r}@${c}`));
const file = {
  _comment: [
    "The image configs (ENTRYPOINT, CMD, ENV, WORKDIR, USER, EXPOSE, STOPSIGNAL) of Docker Hub official images, from the Dockerfiles library/<name> builds.",
    "Written by scripts/images/official-configs.mjs from clones of these repositories at these commits:",
    ...repos,
    "Per image: variants, the first the default (latest, and tags no other variant's `tags` pattern matches); `shell`: what the base image brings (bash: Debian/Ubuntu, busybox: Alpine, none: scratch); `tagVersion`: the ENV variable a version-like tag sets.",
    "How the image's main program behaves is in src/images/official.ts (OFFICIAL_PROGRAMS).",
  ],
  images,
};
writeFileSync(new URL("../../src/images/data/official-configs.json", import.meta.url), JSON.stringify(file, null, 1) + "\n");
console.log(`${Object.keys(images).length} images from ${commits.size} repositories (${repos.length} commits)`);
