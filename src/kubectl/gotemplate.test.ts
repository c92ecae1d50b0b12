// Go text/template behaviour as kubectl's -o go-template shows it (cases checked against
// text/template's documented semantics and kubectl v1.32 outputs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { GoTemplate, TemplateError, goFloat, goSprintf } from "./gotemplate.ts";

const pod = {
  metadata: { name: "termination-demo", labels: { app: "web", tier: "a" } },
  spec: { containers: [{ name: "c1", image: "debian" }, { name: "c2", image: "busybox" }] },
  status: {
    containerStatuses: [
      { name: "c1", restartCount: 3, lastState: { terminated: { message: "Sleep expired\n", exitCode: 0 } } },
      { name: "c2", restartCount: 0, lastState: {} },
    ],
  },
};
const run = (t: string, data: unknown = pod) => new GoTemplate(t).execute(data);

test("the termination page's template prints each container's last termination message", () => {
  const one = { ...pod, status: { containerStatuses: [pod.status.containerStatuses[0]] } };
  assert.equal(run("{{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}", one), "Sleep expired\n");
});

test("fields, missing keys, nil values and maps print as Go's %v", () => {
  assert.equal(run("{{.metadata.name}}"), "termination-demo");
  assert.equal(run("{{.metadata.nope}}"), "<no value>");
  assert.equal(run("{{.metadata.labels}}"), "map[app:web tier:a]");
  assert.equal(run("{{.x}}", { x: null }), "<nil>");
  assert.equal(run("{{.n}} {{.m}} {{.f}} {{.g}} {{.t}}", { n: 3, m: 67108864, f: 0.5, g: 1234567.5, t: true }), "3 67108864 0.5 1.2345675e+06 true");
  assert.equal(run("{{.}}", [1, "a"]), "[1 a]");
});

test("a field of a missing key is <no value> (kubectl v1.32 prints it); a field of a null fails as text/template does", () => {
  assert.equal(run("{{range .status.containerStatuses}}{{.lastState.terminated.message}}|{{end}}"), "Sleep expired\n|<no value>|");
  assert.equal(run("{{.metadata.nope.x}}"), "<no value>");
  assert.throws(() => run("{{.a.b}}", { a: null }), (e: Error) => {
    assert.ok(e instanceof TemplateError);
    assert.match(e.message, /^template: output:1:\d+: executing "output" at <\.a\.b>: nil pointer evaluating interface \{\}\.b$/);
    return true;
  });
});

test("range over slices and maps (key order), with variables, else, break and continue", () => {
  assert.equal(run("{{range $i, $c := .spec.containers}}{{$i}}={{$c.name}} {{end}}"), "0=c1 1=c2 ");
  assert.equal(run("{{range $k, $v := .metadata.labels}}{{$k}}:{{$v}};{{end}}"), "app:web;tier:a;");
  assert.equal(run("{{range .items}}x{{else}}none{{end}}", { items: [] }), "none");
  assert.equal(run("{{range .spec.containers}}{{if eq .name \"c1\"}}{{continue}}{{end}}{{.name}}{{break}}{{end}}"), "c2");
  assert.equal(run("{{range .spec.containers}}{{$.metadata.name}}/{{.name}} {{end}}"), "termination-demo/c1 termination-demo/c2 ");
});

test("if, else if, with, and trimming", () => {
  assert.equal(run("{{if .metadata.nope}}a{{else if .metadata.name}}b{{else}}c{{end}}"), "b");
  assert.equal(run("{{with .metadata.labels}}{{.app}}{{end}}"), "web");
  assert.equal(run("{{with .metadata.nope}}x{{else}}empty{{end}}"), "empty");
  assert.equal(run("a  {{- .metadata.labels.app -}}  \n b"), "awebb");
  assert.equal(run("{{/* a comment */}}ok"), "ok");
});

test("functions: index, len, printf, print, println, and, or, not, comparisons, base64decode", () => {
  assert.equal(run('{{index .metadata.labels "app"}} {{index .spec.containers 1 | len}}'), "web 2");
  assert.equal(run('{{printf "%s has %d containers" .metadata.name (len .spec.containers)}}'), "termination-demo has 2 containers");
  assert.equal(run("{{print 1 2 \"a\" 3}}|{{println .metadata.labels.app 1}}"), "1 2a3|web 1\n");
  assert.equal(run("{{and 1 0}} {{or 0 \"x\"}} {{not .metadata.nope}}"), "0 x true");
  assert.equal(run("{{lt 1.0 2.0}} {{ge \"b\" \"a\"}} {{ne .metadata.name \"x\"}} {{eq 1.0 2.0 1.0}}"), "true true true true");
  assert.equal(run('{{.data.pw | base64decode}}', { data: { pw: Buffer.from("39528$vdg7Jb").toString("base64") } }), "39528$vdg7Jb");
  assert.equal(run('{{$n := len .spec.containers}}{{$n}}'), "2");
});

test("parse errors read as text/template's", () => {
  assert.throws(() => new GoTemplate("{{.a"), /template: output:1: unclosed action/);
  assert.throws(() => new GoTemplate("{{nosuch .a}}"), /function "nosuch" not defined/);
  assert.throws(() => new GoTemplate("{{if .a}}x"), /unexpected EOF/);
  assert.throws(() => new GoTemplate("{{end}}"), /unexpected \{\{end\}\}/);
});

test("%v of floats and Sprintf verbs", () => {
  assert.deepEqual([1, 100000, 1e6, 1234567, 0.0001, 0.00001, -2.5].map(goFloat), ["1", "100000", "1e+06", "1.234567e+06", "0.0001", "1e-05", "-2.5"]);
  assert.equal(goSprintf("%5s|%-4d|%05.1f|%q|%x|%v%%", ["ab", 7n, 3.14159, "q", 255n, [1]]), "   ab|7   |003.1|\"q\"|ff|[1]%");
  assert.equal(goSprintf("%d %s", [1n]), "1 %!s(MISSING)");
  // Whole numbers of the object are integers (kubectl v1.32 prints "30|30|2" and "true" here).
  const spec = { spec: { terminationGracePeriodSeconds: 30, containers: [1, 2], ratio: 0.5 } };
  assert.equal(run('{{printf "%d|%v|%d" .spec.terminationGracePeriodSeconds .spec.terminationGracePeriodSeconds (len .spec.containers)}}', spec), "30|30|2");
  assert.equal(run("{{eq .spec.terminationGracePeriodSeconds 30}} {{printf \"%d\" .spec.ratio}}", spec), "true %!d(float64=0.5)");
});
