import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatRows, tabwrite, tabwriteBlocks, width } from "./tabwriter.ts";

test("columns are padded to the widest cell plus 3, at least 6; the last cell is not padded", () => {
  assert.equal(
    formatRows([["NAME", "READY", "STATUS", "RESTARTS", "AGE"], ["web1", "1/1", "Running", "0", "35s"]]),
    "NAME   READY   STATUS    RESTARTS   AGE\nweb1   1/1     Running   0          35s\n",
  );
});

test("minimum width 6 applies to short columns", () => {
  assert.equal(formatRows([["A", "B"], ["x", "y"]]), "A     B\nx     y\n");
});

test("a line without tabs ends the column block (kubectl's blank line between kinds)", () => {
  const text = "NAME\tAGE\npod/a\t1s\n\nNAME\tTYPE\tAGE\nservice/kubernetes\tClusterIP\t5m\n";
  assert.equal(
    tabwrite(text),
    "NAME    AGE\npod/a   1s\n\nNAME                 TYPE        AGE\nservice/kubernetes   ClusterIP   5m\n",
  );
});

test("widths count code points, not UTF-16 units or bytes", () => {
  assert.equal(formatRows([["ÄÖÜ", "x"], ["a", "y"]]), "ÄÖÜ   x\na     y\n");
});

test("empty cells are padded to the column width (Go tabwriter without DiscardEmptyColumns)", () => {
  assert.equal(formatRows([["NAME", "ENDPOINTS", "AGE"], ["svc", "", "5s"]]), "NAME   ENDPOINTS   AGE\nsvc                5s\n");
});

test("Go's elastic tabstops: a column block stops at a line with fewer cells", () => {
  // From text/tabwriter's example: the b's and d's belong to different columns.
  const got = tabwrite("a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n", { minWidth: 0, padding: 1 });
  assert.equal(got, "a    b  c\naa   bb cc\naaa  \naaaa dddd eeee\n");
});

test("width counts code points as [...s].length does: pairs once, lone surrogates once", () => {
  for (const s of ["", "a", "파드", "🚀", "a🚀b", "\ud800", "\udc00x", "x\ud83d", "\ud83d\ud83d\ude80", "\ude80\ud83d", "é", "e\u0301"]) {
    assert.equal(width(s), [...s].length, JSON.stringify(s));
  }
});

test("tables whose lines have the same cells are written as Go's block-by-block algorithm writes them", () => {
  const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("", "파드", "🚀x", "\ud83d", "<none>", "Running"));
  const table = fc.integer({ min: 1, max: 6 }).chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 8 }));
  fc.assert(
    fc.property(table, fc.boolean(), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 4 }), (rows, newline, minWidth, padding) => {
      const text = rows.map((r) => r.map((c) => c.replace(/[\t\n]/g, " ")).join("\t")).join("\n") + (newline ? "\n" : "");
      const lines = text.split("\n").map((l) => l.split("\t"));
      const opts = { minWidth, padding };
      assert.equal(tabwrite(text, opts), tabwriteBlocks(lines, lines.map((cells) => cells.map(width)), opts));
    }),
    { numRuns: 2000 },
  );
});

test("formatRows writes rows as tabwrite writes their tab-joined text, cells with tabs or newlines included", () => {
  const cell = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("", "a\tb", "x\ny", "파드", "<none>"));
  fc.assert(
    fc.property(fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 6 }), (rows) => {
      const expected = rows.length === 0 ? "" : tabwrite(rows.map((r) => r.join("\t")).join("\n") + "\n");
      assert.equal(formatRows(rows), expected);
    }),
    { numRuns: 2000 },
  );
});

test("RememberWidths: a column keeps its widest width across flushes and only grows", async () => {
  const { RememberingTabWriter } = await import("./tabwriter.ts");
  const tw = new RememberingTabWriter();
  assert.equal(tw.flush([["NAME", "READY", "STATUS", "AGE"], ["a", "1/1", "Running", "40s"]]), "NAME   READY   STATUS    AGE\na      1/1     Running   40s\n");
  // A longer name widens its column; READY keeps 8 where 6 would do.
  assert.equal(tw.flush([["long-name", "0/1", "Pending", "0s"]]), "long-name   0/1     Pending   0s\n");
  assert.equal(tw.flush([["b", "0/1", "ContainerCreating", "0s"]]), "b           0/1     ContainerCreating   0s\n");
  assert.equal(tw.flush([["b", "1/1", "Running", "3s"]]), "b           1/1     Running             3s\n");
});
