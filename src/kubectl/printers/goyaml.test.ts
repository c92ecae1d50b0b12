import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { chooseStyle, goYAML, resolvesAsString, yamlV2KeyOrder, yamlV2KeyOrderRunes } from "./goyaml.ts";

// Expected output recorded from the real kubectl v1.32 client
// (`kubectl label --local -f odd.yaml foo=bar -o yaml`): quoting of strings that read back as
// other types, single quotes for indicator characters, literal blocks with their chomping
// indicators, folding of long scalars past column 80, sorted keys, indentless sequences.
const SOURCE = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: odd\n  annotations:\n    a: \"yes\"\n    b: \"no way\"\n    c: \" lead\"\n    d: \"trail \"\n    e: \"multi\\nline\\n\"\n    f: \"multi\\nline\"\n    g: \"tab\\there\"\n    h: \"- dash\"\n    i: \"#hash\"\n    j: \"a #b\"\n    k: \"1:20\"\n    l: \"0x1F\"\n    m: \"1e3\"\n    nn: \"2024-01-08\"\n    o: \"@at\"\n    p: \"<none>\"\n    q: \"it's\"\n    r: \"\u00fc unicode\"\n    s: \":colon\"\n    t: \"x:\"\n    u: \"{\\\"a\\\":1}\"\n    v: \"%pct\"\n    w: \"&amp\"\n    x: \"3.14\"\n    z: \"~\"\n    aa: \"y\"\n    ab: \"ON\"\n    ac: \"-\"\n    ad: \"a\\n\\nb\\n\\n\"\n    ae: \"   \"\n    af: \"0777\"\n    ag: \"+1\"\n    ah: \".5\"\n    ai: \"1_000\"\n    aj: \"Inf\"\n    ak: \"true story\"\n    al: \"\\\"quoted\\\"\"\nspec:\n  containers:\n  - name: web\n    image: nginx\n    args: [\"averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces and then some more words to fold around here ok\", \"short\"]\n    env:\n    - {name: A, value: \"5\"}\n    resources: {limits: {cpu: 500m, memory: 1Gi}}\n  terminationGracePeriodSeconds: 30\n  activeDeadlineSeconds: 1.5\n";

test("goYAML prints an object byte for byte as kubectl -o yaml does", () => {
  const obj = parse(SOURCE);
  obj.metadata.labels = { foo: "bar" };
  assert.equal(
    goYAML(obj),
  [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  annotations:",
    "    a: \"yes\"",
    "    aa: \"y\"",
    "    ab: \"ON\"",
    "    ac: '-'",
    "    ad: |+",
    "      a",
    "",
    "      b",
    "",
    "    ae: '   '",
    "    af: \"0777\"",
    "    ag: \"+1\"",
    "    ah: \".5\"",
    "    ai: \"1_000\"",
    "    aj: Inf",
    "    ak: true story",
    "    al: '\"quoted\"'",
    "    b: no way",
    "    c: ' lead'",
    "    d: 'trail '",
    "    e: |",
    "      multi",
    "      line",
    "    f: |-",
    "      multi",
    "      line",
    "    g: \"tab\\there\"",
    "    h: '- dash'",
    "    i: '#hash'",
    "    j: 'a #b'",
    "    k: \"1:20\"",
    "    l: \"0x1F\"",
    "    m: \"1e3\"",
    "    nn: \"2024-01-08\"",
    "    o: '@at'",
    "    p: <none>",
    "    q: it's",
    "    r: \u00fc unicode",
    "    s: :colon",
    "    t: 'x:'",
    "    u: '{\"a\":1}'",
    "    v: '%pct'",
    "    w: '&amp'",
    "    x: \"3.14\"",
    "    z: \"~\"",
    "  labels:",
    "    foo: bar",
    "  name: odd",
    "spec:",
    "  activeDeadlineSeconds: 1.5",
    "  containers:",
    "  - args:",
    "    - averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces",
    "      and then some more words to fold around here ok",
    "    - short",
    "    env:",
    "    - name: A",
    "      value: \"5\"",
    "    image: nginx",
    "    name: web",
    "    resources:",
    "      limits:",
    "        cpu: 500m",
    "        memory: 1Gi",
    "  terminationGracePeriodSeconds: 30",
  ].join("\n") + "\n",
  );
});

test("go-yaml v2 resolution: what must be quoted", () => {
  for (const s of ["true", "ON", "y", "1", "0x1F", "1e3", "3.14", ".5", "1_000", "~", "", "1:20", "2024-01-08", "2024-01-08T00:00:00Z"]) {
    assert.equal(resolvesAsString(s), false, s);
  }
  for (const s of ["Inf", "8Gi", "500m", "v1.32.0", "10.244.1.5", "true story", "kubetm/app"]) assert.equal(resolvesAsString(s), true, s);
  assert.equal(chooseStyle("True", false), "double");
  assert.equal(chooseStyle("*", false), "single");
  assert.equal(chooseStyle("a\nb", false), "literal");
  assert.equal(chooseStyle("tab\there", false), "double");
});

// go-yaml v2's encode_test.go TestSortedOutput, its string keys: yaml.Marshal writes a map's keys
// in this order (sigs.k8s.io/yaml, and so kubectl -o yaml, goes through it).
const SORTED_OUTPUT = ["", ".1", ".2", ".a", "1", "2", "a!10", "a/0001", "a/002", "a/3", "a/10", "a/11", "a/0012", "a/100", "a~10", "ab/1", "b/1", "b/01", "b/2", "b/02", "b/3", "b/03", "b1", "b01", "b3", "c2.10", "c10.2", "d1", "d7", "d7abc", "d12", "d12a", "e2b", "e4b", "e21a"];

test("go-yaml v2 key order: TestSortedOutput's string keys, from any starting order", () => {
  const shuffled = [...SORTED_OUTPUT].reverse();
  shuffled.push(shuffled.shift()!);
  assert.deepEqual(shuffled.sort(yamlV2KeyOrder), SORTED_OUTPUT);
  const m = Object.fromEntries([...SORTED_OUTPUT].reverse().filter((k) => k !== "").map((k) => [k, 1]));
  const keys = goYAML(m).trimEnd().split("\n").map((l) => l.slice(0, l.lastIndexOf(":")).replace(/^"(.*)"$/, "$1"));
  assert.deepEqual(keys, SORTED_OUTPUT.filter((k) => k !== ""));
});

test("kubectl -o yaml orders labels and data keys as go-yaml v2 does (k9 before k10)", () => {
  const out = goYAML({ data: { k10: "b", k9: "a", "k_x": "c" } });
  assert.equal(out, "data:\n  k_x: c\n  k9: a\n  k10: b\n");
});

test("go-yaml v2 key order: the code-unit comparison agrees with the rune comparison", () => {
  const alphabet = ["a", "b", "Z", "0", "1", "9", "0", "_", "-", ".", "/", "é", "Ж", "😀", "٣"];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const word = () => Array.from({ length: 1 + (next() % 6) }, () => alphabet[next() % alphabet.length]).join("");
  for (let i = 0; i < 3000; i++) {
    const a = word();
    const b = word();
    assert.equal(yamlV2KeyOrder(a, b), yamlV2KeyOrderRunes(a, b), `${a} vs ${b}`);
  }
});
