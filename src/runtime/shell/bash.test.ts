/**
 * bash's indexed arrays (bash(1) "Arrays"), which `bash` parses and ash refuses: the kubernetes.io
 * Indexed Job example's init container runs `items=(foo bar baz qux xyz)` and
 * `echo ${items[$JOB_COMPLETION_INDEX]}` (application/job/indexed-job.yaml). Every expected output here
 * is what GNU bash 5.2 prints for the same script.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";

/** Runs `bash -c script` (a container whose command is bash, as the example's) until it exits. */
function bash(script: string, env: Record<string, string> = {}): { code: number | undefined; out: string; err: string } {
  const h = harness();
  Object.assign(h.io.env, env);
  const r = h.run(["bash", "-c", script]);
  return { code: r.exit(), out: h.stdout(), err: h.stderr() };
}

test("the Indexed Job example: an array literal across lines, an element by an arithmetic index", () => {
  // The manifest's JSON string "\\\n   items=(…)\\n\\\n   echo …\\n\\\n  " as the container gets it.
  const script = "   items=(foo bar baz qux xyz)\n   echo ${items[$JOB_COMPLETION_INDEX]} > /tmp/data.txt\n  ";
  for (const [index, item] of [["0", "foo"], ["3", "qux"], ["4", "xyz"]]) {
    const h = harness();
    h.io.env.JOB_COMPLETION_INDEX = index!;
    const r = h.run(["bash", "-c", script]);
    assert.deepEqual([r.exit(), h.stderr(), h.fs.readFile("/tmp/data.txt")], [0, "", `${item}\n`]);
  }
});

test("elements: indexes are arithmetic, negative from the end, past the end empty; $a is element 0", () => {
  const r = bash('a=(zero one two)\ni=1\necho "${a[0]} ${a[i]} ${a[$i+1]} ${a[-1]} [${a[7]}] $a ${a}"\necho "${#a[@]} ${#a[*]} ${#a[1]}"\n');
  assert.deepEqual([r.code, r.out, r.err], [0, "zero one two two [] zero zero\n3 3 3\n", ""]);
});

test("${a[@]} and ${a[*]}: quoted @ keeps each element one field, quoted * joins with IFS's first character", () => {
  const r = bash('a=("x y" z)\nfor e in "${a[@]}"; do echo "<$e>"; done\nfor e in ${a[@]}; do echo "[$e]"; done\nIFS=,\necho "${a[*]}"\n');
  assert.deepEqual([r.code, r.out], [0, "<x y>\n<z>\n[x]\n[y]\n[z]\nx y,z\n"]);
});

test("the words of an array literal are expanded as arguments are; assigning the name sets element 0", () => {
  const r = bash('n=2\nb=(one "$n" $(echo three four) ${n}x)\necho ${#b[@]}: ${b[@]}\nb=new\necho ${b[@]}\nc=()\necho "${#c[@]}" "[${c[0]}]"\n');
  assert.deepEqual([r.code, r.out], [0, "5: one 2 three four 2x\nnew 2 three four 2x\n0 []\n"]);
});

test("a scalar reads as an array of one element; ${a[i]:-default}", () => {
  const r = bash('s=only\necho ${s[0]} [${s[1]}] ${#s[@]} ${s[3]:-dflt} ${s[0]:-dflt}\n');
  assert.deepEqual([r.code, r.out], [0, "only [] 1 dflt only\n"]);
});

test("ash (busybox sh) refuses the array syntax, as before", () => {
  const r = sh("items=(foo bar)");
  assert.equal(r.code, 2);
  assert.match(r.err, /syntax error: unexpected "\("/);
});

test("arrays in a loop, on the fast engine (whose compiled loops take only scalars) and the reference engine: the same output", () => {
  // `while true; do echo …; sleep 1; done` is the shape the fast engine compiles (compiled.ts).
  const script = 'a=(x y z)\nwhile true; do echo "${a[1]}"; sleep 1; done';
  for (const reference of [false, true]) {
    const h = harness();
    h.io.reference = reference;
    h.run(["bash", "-c", script]);
    h.clock.advance(2500);
    assert.equal(h.stdout(), "y\ny\ny\n", `reference engine: ${reference}`);
  }
});
