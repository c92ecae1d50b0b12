import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { officialImage, officialImageNames } from "./catalogue.ts";

test("official-images.index agrees with official-images.txt: every image line, at its byte offset and length", () => {
  const txt = readFileSync(new URL("./data/official-images.txt", import.meta.url));
  const lines = txt.toString("utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  const index = readFileSync(new URL("./data/official-images.index", import.meta.url), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  assert.equal(index.length, lines.length, "one index entry per image line (regenerate: node scripts/images/official-images.mjs --index)");
  for (const [i, entry] of index.entries()) {
    const [name, offset, length] = entry.split("\t");
    assert.equal(txt.toString("utf8", Number(offset), Number(offset) + Number(length)), lines[i], `the index entry of ${name}`);
    assert.ok(lines[i]!.startsWith(`${name}\t`));
  }
});

test("an official image's tags come from its own line; names list every official image", () => {
  const nginx = officialImage("nginx")!;
  assert.equal(nginx.current, true);
  assert.ok(nginx.tags.has("1.14.2") && nginx.tags.has("1.16.1") && nginx.tags.has("latest"));
  assert.ok(!nginx.tags.has("1.161"));
  assert.equal(officialImage("ngnix"), undefined);
  assert.equal(officialImage("zookeeper")?.name, "zookeeper");
  const names = officialImageNames();
  assert.ok(names.includes("busybox") && names.includes("adminer") && names.length > 150);
  assert.ok(!names.includes("ngnix"));
});
