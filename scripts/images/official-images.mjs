// Regenerates src/images/data/official-images.txt: every Docker Hub official image
// (docker.io/library/<name>) and every tag it has been published under, from the git history of
// docker-library/official-images (folder library/, one file per image), and its index
// official-images.index (each line's name, byte offset and length: a lookup reads one line).
//
//   git clone https://github.com/docker-library/official-images /tmp/official-images
//   node scripts/images/official-images.mjs /tmp/official-images
//   node scripts/images/official-images.mjs --index     (only rewrites the index from the .txt)
//
// A tag counts if any version of the image's file listed it: `Tags:` and `SharedTags:` lines, and
// the older `<tag>: git://…` lines of 2014-2016. Docker Hub keeps tags after they leave the file.
import { execFileSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { readFileSync, writeFileSync } from "node:fs";

const TXT = new URL("../../src/images/data/official-images.txt", import.meta.url);
const INDEX = new URL("../../src/images/data/official-images.index", import.meta.url);

/** The index of official-images.txt: `<name> TAB <byte offset> TAB <byte length>` per image line. */
export function officialIndex(text) {
  const out = ["# official-images.txt's lines: <name> TAB <byte offset> TAB <byte length> (written by scripts/images/official-images.mjs)"];
  const buf = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < buf.length) {
    let end = buf.indexOf(10, offset);
    if (end < 0) end = buf.length;
    const line = buf.toString("utf8", offset, end);
    if (line && !line.startsWith("#")) out.push(`${line.slice(0, line.indexOf("\t"))}\t${offset}\t${end - offset}`);
    offset = end + 1;
  }
  return out.join("\n") + "\n";
}

if (process.argv[2] === "--index") {
  writeFileSync(INDEX, officialIndex(readFileSync(TXT, "utf8")));
  process.exit(0);
}
const repo = process.argv[2];
if (!repo) {
  console.error("usage: node scripts/images/official-images.mjs <clone of docker-library/official-images>");
  process.exit(2);
}
const git = (...args) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
const head = git("log", "-1", "--format=%H %cs").trim();
const current = new Set(git("ls-tree", "--name-only", "HEAD", "library/").split("\n").filter(Boolean).map((p) => p.slice("library/".length)));
const log = git("log", "-p", "--no-renames", "--format=@@commit %H", "--", "library/");

const tags = new Map();
let file;
for (const line of log.split("\n")) {
  if (line.startsWith("diff --git ")) {
    const m = /^diff --git a\/library\/([^ ]+) /.exec(line);
    file = m ? m[1] : undefined;
    continue;
  }
  if (!file || !line.startsWith("+") || line.startsWith("+++")) continue;
  const l = line.slice(1).trim();
  let list = [];
  let m = /^(?:Shared)?Tags:\s*(.*)$/.exec(l);
  if (m) list = m[1].split(",").map((s) => s.trim()).filter(Boolean);
  else if ((m = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:\s*(git:\/\/|https?:\/\/)/.exec(l))) list = [m[1]];
  if (!list.length) continue;
  if (!tags.has(file)) tags.set(file, new Set());
  for (const t of list) tags.get(file).add(t);
}

const lines = [
  "# Docker Hub's official images (docker.io/library/<name>) and every tag each has been published under.",
  `# Source: https://github.com/docker-library/official-images at ${head}: the Tags:/SharedTags: lines`,
  "# (and the older `<tag>: <git url>` lines) of every version of library/<name> in its git history.",
  "# Regenerate: node scripts/images/official-images.mjs <clone of docker-library/official-images>",
  "# A line: <name> TAB <current|removed (no longer in library/, still on Docker Hub)> TAB <tags, space-separated>",
];
for (const name of [...tags.keys()].sort()) {
  lines.push(`${name}\t${current.has(name) ? "current" : "removed"}\t${[...tags.get(name)].sort().join(" ")}`);
}
writeFileSync(TXT, lines.join("\n") + "\n");
writeFileSync(INDEX, officialIndex(lines.join("\n") + "\n"));
console.log(`${tags.size} images, ${[...tags.values()].reduce((s, t) => s + t.size, 0)} tags (${head})`);
