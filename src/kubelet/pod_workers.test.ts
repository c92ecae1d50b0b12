// Pod workers' pure helpers.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mentionsAnnotations } from "./pod_workers.ts";

test("mentionsAnnotations answers as JSON.stringify(spec).includes(\"metadata.annotations\") does", () => {
  const piece = fc.constantFrom("metadata.annotations", "metadata.annotations['a']", "metadata.", "annotations", "metadata.annotation", "metadata\n.annotations", "meta\"data.annotations", "x\\metadata.annotations", "\u2028", "\u0000", "labels", "");
  const str = fc.array(piece, { maxLength: 3 }).map((a) => a.join(""));
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      str,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(str, tie("v"), { maxKeys: 4 }),
    ),
  })).v;
  fc.assert(
    fc.property(value, (v) => {
      const json = JSON.stringify(v);
      assert.equal(mentionsAnnotations(v), json !== undefined && json.includes("metadata.annotations"));
    }),
    { numRuns: 3000, seed: 19 },
  );
  // A downward API item reading an annotation, in a pod spec shape.
  const spec = { containers: [{ name: "a", env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } }] }] };
  assert.equal(mentionsAnnotations(spec), true);
  assert.equal(mentionsAnnotations({ containers: [{ name: "a", command: ["sh", "-c", "echo metadata.labels"] }] }), false);
});
