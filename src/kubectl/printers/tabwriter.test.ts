import { test } from "node:test";
import assert from "node:assert/strict";
import { formatRows, tabwrite } from "./tabwriter.ts";

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
