import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluate, JinjaError, parseTemplate, renderTemplate } from "./jinja.ts";

const render = (src: string, ctx: Record<string, unknown> = {}) => renderTemplate(parseTemplate(src), ctx);

test("text is kept as written around tags (no trim_blocks, no lstrip_blocks); one final newline is dropped", () => {
  assert.equal(render("a\n  {% if x %}\n  b\n  {% endif %}\nc\n", { x: 1 }), "a\n  \n  b\n  \nc");
  assert.equal(render("{% block metas %}<m>{% endblock %}\n\n"), "<m>\n");
});

test("{{ }} is escaped as markupsafe escapes, except under autoescape false; None, booleans, undefined", () => {
  assert.equal(render(`{{ s }}|{% autoescape false %}{{ s }}{% endautoescape %}`, { s: `<a href="x">'&'</a>` }), "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;|<a href=\"x\">'&'</a>");
  assert.equal(render("[{{ n }}][{{ t }}][{{ missing }}][{{ d.missing.deeper }}]", { n: null, t: true, d: {} }), "[None][True][][]");
});

test("if/elif/else (a trailing colon skipped, as Jinja's parser does), comparisons, for over lists and range()", () => {
  const t = "{% if s == 200: %}ok{% elif s != 500 %}other{% else %}err{% endif %}";
  assert.equal(render(t, { s: 200 }), "ok");
  assert.equal(render(t, { s: 404 }), "other");
  assert.equal(render(t, { s: 500 }), "err");
  assert.equal(render("{% for n in range(r.stars) %}*{% endfor %}{% for n in range(5 - r.stars) %}.{% endfor %}", { r: { stars: 4 } }), "****.");
  assert.equal(render("{% for x in xs %}[{{ x.name }}]{% endfor %}", { xs: [{ name: "a" }, { name: "b" }] }), "[a][b]");
  assert.equal(render("{{ d['ISBN-10'] }}", { d: { "ISBN-10": "123" } }), "123");
  // Falsy: empty dict, empty string, 0, undefined.
  assert.equal(render("{% if a %}1{% endif %}{% if b %}2{% endif %}{% if c %}3{% endif %}{% if z %}4{% endif %}", { a: {}, b: "", c: 0 }), "");
  assert.equal(evaluate("x.y", { x: { y: 7 } }), 7);
});

test("constructs outside the subset are refused, not rendered wrongly", () => {
  assert.throws(() => render("{% extends 'base.html' %}"), JinjaError);
  assert.throws(() => render("{% if x %}unclosed"), /expected elif or else or endif/);
  assert.throws(() => render("{{ x | upper }}", { x: "a" }), /unsupported expression/);
  assert.throws(() => render("{{ xs }}", { xs: [1] }), /rendering a list/);
});
