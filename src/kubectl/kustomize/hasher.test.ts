// Ports api/hasher/hasher_test.go (kustomize v5.5.0): the same inputs, the same hashes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { encodeHash, hashResource, hex256, sortArrayAndComputeHash } from "./hasher.ts";

test("SortArrayAndComputeHash is independent of order", () => {
  assert.equal(sortArrayAndComputeHash(["a", "b", "c", "d"]), sortArrayAndComputeHash(["c", "b", "d", "a"]));
});

test("hex256 is sha256", () => {
  assert.equal(hex256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

test("encode needs ten hex digits and swaps 0 1 3 a e", () => {
  assert.throws(() => encodeHash("abc"), /at least 10/);
  assert.equal(encodeHash("0123456789abcdef"), "gh2k456789");
});

const CONFIGMAPS: Array<[string, string, string]> = [
  ["empty data", "apiVersion: v1\nkind: ConfigMap", "6ct58987ht"],
  ["one key", 'apiVersion: v1\nkind: ConfigMap\ndata:\n  one: ""', "9g67k2htb6"],
  ["three keys", 'apiVersion: v1\nkind: ConfigMap\ndata:\n  two: 2\n  one: ""\n  three: 3', "7757f9kkct"],
  ["one key with binary data", 'apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  one: ""', "6mtk2m274t"],
  ["three keys with binary data", 'apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  two: 2\n  one: ""\n  three: 3', "9th7kc28dg"],
  ["two keys with one each", 'apiVersion: v1\nkind: ConfigMap\ndata:\n  one: ""\nbinaryData:\n  two: ""', "698h7c7t9m"],
];

test("ConfigMap hashes (hasher_test.go TestConfigMapHash)", () => {
  for (const [desc, y, hash] of CONFIGMAPS) assert.equal(hashResource(parse(y)), hash, desc);
});

const SECRETS: Array<[string, string, string]> = [
  ["empty data", "apiVersion: v1\nkind: Secret\ntype: my-type", "5gmgkf8578"],
  ["one key", 'apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: ""', "74bd68bm66"],
  ["three keys", 'apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  two: 2\n  one: ""\n  three: 3', "4gf75c7476"],
  ["stringdata", 'apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: ""\nstringData:\n  two: 2', "c4h4264gdb"],
];

test("Secret hashes (hasher_test.go TestSecretHash)", () => {
  for (const [desc, y, hash] of SECRETS) assert.equal(hashResource(parse(y)), hash, desc);
});

test("Go's json.Marshal escaping of <, > and & takes part in the hash", () => {
  const plain = hashResource({ kind: "ConfigMap", metadata: { name: "x" }, data: { a: "<&>" } });
  assert.equal(hex256('{"data":{"a":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","name":""}').length, 64);
  assert.equal(plain, encodeHash(hex256('{"data":{"a":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","name":""}')));
});
