import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { chooseStyle, goYAML, resolvesAsString } from "./goyaml.ts";

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
