/**
 * strategicMergePatch against upstream's test tables
 * (k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go): customStrategicMergePatchTestCaseData,
 * customStrategicMergePatchRawTestCases, createStrategicMergePatchTestCaseData and the first
 * strategicMergePatchRawTestCases, applying each two-way patch to `original` (expecting
 * `twoWayResult` or `modified`) and each three-way patch to `current` (expecting `result`), over
 * upstream's MergeItem test type.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { JSONObject, KObject } from "../types.ts";
import { createThreeWayMergePatch, createTwoWayMergePatch, strategicMergePatch, type PatchSchema } from "./strategicmerge.ts";

/** upstream's MergeItem and RetainKeysMergeItem, with their struct tags. */
const MERGE_ITEM: Record<string, Record<string, { type?: string; strategy?: string; mergeKey?: string }>> = {
  MergeItem: {
    mergingList: { type: "[MergeItem]", strategy: "merge", mergeKey: "name" },
    nonMergingList: { type: "[MergeItem]" },
    mergingIntList: { type: "[n:int32]", strategy: "merge" },
    nonMergingIntList: { type: "[n:int32]" },
    mergeItemPtr: { type: "MergeItem", strategy: "merge", mergeKey: "name" },
    simpleMap: { type: "{s}" },
    replacingItem: { type: "a", strategy: "replace" },
    retainKeysMap: { type: "RetainKeysMergeItem", strategy: "retainKeys" },
    retainKeysMergingList: { type: "[MergeItem]", strategy: "merge,retainKeys", mergeKey: "name" },
  },
  RetainKeysMergeItem: {
    simpleMap: { type: "{s}" },
    mergingIntList: { type: "[n:int32]", strategy: "merge" },
    mergingList: { type: "[MergeItem]", strategy: "merge", mergeKey: "name" },
    nonMergingList: { type: "[MergeItem]" },
  },
};

const schema: PatchSchema = {
  fieldType: (type, field) => (type ? MERGE_ITEM[type]?.[field]?.type : undefined),
  meta: (type, field) => {
    const f = type ? MERGE_ITEM[type]?.[field] : undefined;
    return f?.strategy ? { strategy: f.strategy, mergeKey: f.mergeKey } : undefined;
  },
};

const apply = (original: unknown, patch: unknown) => strategicMergePatch(structuredClone((original ?? {}) as JSONObject), patch as JSONObject, "MergeItem", schema);

interface Case {
  description: string;
  original?: JSONObject;
  twoWay?: JSONObject;
  modified?: JSONObject;
  twoWayResult?: JSONObject;
  current?: JSONObject;
  threeWay?: JSONObject;
  result?: JSONObject;
  expectedError?: string;
}

/** Also checks that CreateTwoWayMergePatch and CreateThreeWayMergePatch produce the expected patches. */
function run(cases: Case[], generate = false): void {
  for (const c of cases) {
    if (generate && c.modified && c.twoWay) assert.deepEqual(createTwoWayMergePatch(structuredClone(c.original ?? {}), c.modified, "MergeItem", schema), c.twoWay, `${c.description} (CreateTwoWayMergePatch)`);
    if (generate && c.modified && c.threeWay && c.current) {
      assert.deepEqual(createThreeWayMergePatch(structuredClone(c.original ?? {}), c.modified, structuredClone(c.current), "MergeItem", schema), c.threeWay, `${c.description} (CreateThreeWayMergePatch)`);
    }
    if (c.expectedError) {
      assert.throws(() => apply(c.original, c.twoWay), (e: Error) => e.message.includes(c.expectedError!), c.description);
      continue;
    }
    if (c.twoWay) assert.deepEqual(apply(c.original, c.twoWay), c.twoWayResult ?? c.modified ?? {}, `${c.description} (two-way)`);
    if (c.threeWay && c.current) assert.deepEqual(apply(c.current, c.threeWay), c.result, `${c.description} (three-way)`);
  }
}

test("customStrategicMergePatchTestCaseData", () => {
  run(parse(`
- description: unique scalars when merging lists
  original: {mergingIntList: [1, 2]}
  twoWay: {mergingIntList: [2, 3]}
  modified: {mergingIntList: [1, 2, 3]}
- description: delete map from nested map
  original: {simpleMap: {key1: 1, key2: 1}}
  twoWay: {simpleMap: {$patch: delete}}
  modified: {simpleMap: {}}
- description: delete all items from merging list
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{$patch: replace}]}
  modified: {mergingList: []}
- description: merge empty merging lists
  original: {mergingList: []}
  twoWay: {mergingList: []}
  modified: {mergingList: []}
- description: delete all keys from map
  original: {name: 1, value: 1}
  twoWay: {$patch: replace}
  modified: {}
- description: add key and delete all keys from map
  original: {name: 1, value: 1}
  twoWay: {other: a, $patch: replace}
  modified: {other: a}
- description: delete all duplicate entries in a merging list
  original: {mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]}
  modified: {mergingList: [{name: 2, value: a}]}
- description: retainKeys map can add a field when no retainKeys directive present
  original: {retainKeysMap: {name: foo}}
  twoWay: {retainKeysMap: {value: bar}}
  modified: {retainKeysMap: {name: foo, value: bar}}
- description: retainKeys map can change a field when no retainKeys directive present
  original: {retainKeysMap: {name: foo, value: a}}
  twoWay: {retainKeysMap: {value: b}}
  modified: {retainKeysMap: {name: foo, value: b}}
- description: retainKeys map can delete a field when no retainKeys directive present
  original: {retainKeysMap: {name: foo, value: a}}
  twoWay: {retainKeysMap: {value: null}}
  modified: {retainKeysMap: {name: foo}}
- description: retainKeys map merge an empty map
  original: {retainKeysMap: {name: foo, value: a}}
  twoWay: {retainKeysMap: {}}
  modified: {retainKeysMap: {name: foo, value: a}}
- description: retainKeys list can add a field when no retainKeys directive present
  original: {retainKeysMergingList: [{name: bar}, {name: foo}]}
  twoWay: {retainKeysMergingList: [{name: foo, value: a}]}
  modified: {retainKeysMergingList: [{name: bar}, {name: foo, value: a}]}
- description: retainKeys list can change a field when no retainKeys directive present
  original: {retainKeysMergingList: [{name: bar}, {name: foo, value: a}]}
  twoWay: {retainKeysMergingList: [{name: foo, value: b}]}
  modified: {retainKeysMergingList: [{name: bar}, {name: foo, value: b}]}
- description: retainKeys list can delete a field when no retainKeys directive present
  original: {retainKeysMergingList: [{name: bar}, {name: foo, value: a}]}
  twoWay: {retainKeysMergingList: [{name: foo, value: null}]}
  modified: {retainKeysMergingList: [{name: bar}, {name: foo}]}
- description: preserve the order from the patch in a merging list
  original: {mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]}
  twoWay: {mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, other: x}]}
  modified: {mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, value: b, other: x}]}
- description: preserve the order from the patch in a merging list 2
  original: {mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]}
  twoWay: {mergingList: [{name: 3, value: c}, {name: 1, value: a}]}
  modified: {mergingList: [{name: 2, value: b}, {name: 3, value: c}, {name: 1, value: a}]}
- description: preserve the order from the patch in a merging int list
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {mergingIntList: [3, 1, 2]}
  modified: {mergingIntList: [3, 1, 2]}
- description: preserve the order from the patch in a merging int list 2
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {mergingIntList: [3, 1]}
  modified: {mergingIntList: [2, 3, 1]}
`));
});

test("customStrategicMergePatchRawTestCases: $setElementOrder and errors", () => {
  run(parse(`
- description: $setElementOrder contains item that is not present in the list to be merged
  original: {mergingList: [{name: 1}, {name: 3}]}
  twoWay: {$setElementOrder/mergingList: [{name: 3}, {name: 2}, {name: 1}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}
  modified: {mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}
- description: $setElementOrder contains item that is not present in the int list to be merged
  original: {mergingIntList: [1, 3]}
  twoWay: {$setElementOrder/mergingIntList: [3, 2, 1]}
  modified: {mergingIntList: [3, 1]}
- description: should check if order in $setElementOrder and patch list match
  original: {mergingList: [{name: 1}, {name: 3}, {name: 2}]}
  twoWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}
  expectedError: doesn't match
- description: $setElementOrder and int patch list in different orders
  original: {mergingIntList: [1, 3, 2]}
  twoWay: {$setElementOrder/mergingIntList: [1, 2, 3], mergingIntList: [3, 1]}
  expectedError: doesn't match
- description: missing merge key should error out
  original: {mergingList: [{name: 1, value: a}]}
  twoWay: {mergingList: [{value: b}]}
  expectedError: does not contain declared merge key
`));
});

test("createStrategicMergePatchTestCaseData: two-way and three-way patches created and applied", () => {
  run(parse(`
- description: nil original
  twoWay: {name: 1, value: 1}
  modified: {name: 1, value: 1}
  current: {name: 1, other: a}
  threeWay: {value: 1}
  result: {name: 1, value: 1, other: a}
- description: nil patch
  original: {name: 1}
  twoWay: {}
  modified: {name: 1}
  current: {name: 1}
  threeWay: {}
  result: {name: 1}
- description: add field to map with conflict
  original: {name: 1}
  twoWay: {value: 1}
  modified: {name: 1, value: 1}
  current: {name: a, other: a}
  threeWay: {name: 1, value: 1}
  result: {name: 1, value: 1, other: a}
- description: add field and delete field from map
  original: {name: 1}
  twoWay: {name: null, value: 1}
  modified: {value: 1}
  current: {name: 1, other: a}
  threeWay: {name: null, value: 1}
  result: {value: 1, other: a}
- description: delete field from nested map with conflict
  original: {simpleMap: {key1: 1, key2: 1}}
  twoWay: {simpleMap: {key2: null}}
  modified: {simpleMap: {key1: 1}}
  current: {simpleMap: {key1: a, key2: 1, other: a}}
  threeWay: {simpleMap: {key1: 1, key2: null}}
  result: {simpleMap: {key1: 1, other: a}}
- description: add field and delete all fields from map with conflict
  original: {name: 1, value: 1}
  twoWay: {name: null, value: null, other: a}
  modified: {other: a}
  current: {name: 1, value: 1, other: b}
  threeWay: {name: null, value: null, other: a}
  result: {other: a}
- description: replace list of scalars with conflict
  original: {nonMergingIntList: [1, 2]}
  twoWay: {nonMergingIntList: [2, 3]}
  modified: {nonMergingIntList: [2, 3]}
  current: {nonMergingIntList: [1, 4]}
  threeWay: {nonMergingIntList: [2, 3]}
  result: {nonMergingIntList: [2, 3]}
- description: delete all maps from merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  modified: {mergingList: []}
  current: {mergingList: [{name: 1, other: a}, {name: 2, other: b}]}
  threeWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  result: {mergingList: []}
- description: delete all maps from empty merging list
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  modified: {mergingList: []}
  current: {mergingList: []}
  threeWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  result: {mergingList: []}
- description: defined null values should propagate overwrite current fields (with conflict)
  original: {name: 2}
  twoWay: {name: 1, value: 1, other: null}
  twoWayResult: {name: 1, value: 1}
  modified: {name: 1, value: 1, other: null}
  current: {name: a, other: a}
  threeWay: {name: 1, value: 1, other: null}
  result: {name: 1, value: 1}
- description: defined null values should propagate removing original fields
  original: {name: original-name, value: original-value}
  current: {name: original-name, value: original-value, other: current-other}
  modified: {name: modified-name, value: null}
  twoWay: {name: modified-name, value: null}
  twoWayResult: {name: modified-name}
  threeWay: {name: modified-name, value: null}
  result: {name: modified-name, other: current-other}
- description: retainKeys map with no change should not be present
  original: {name: a, retainKeysMap: {name: foo}}
  current: {name: a, other: c, retainKeysMap: {name: foo}}
  modified: {name: a, value: b, retainKeysMap: {name: foo}}
  twoWay: {value: b}
  threeWay: {value: b}
  result: {name: a, value: b, other: c, retainKeysMap: {name: foo}}
`), true);
});

test("strategicMergePatchRawTestCases: lists of scalars and maps with directives", () => {
  run(parse(`
- description: delete items in lists of scalars
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  modified: {mergingIntList: [1, 2]}
  current: {mergingIntList: [1, 2, 3, 4]}
  threeWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  result: {mergingIntList: [1, 2, 4]}
- description: delete all duplicate items in lists of scalars
  original: {mergingIntList: [1, 2, 3, 3]}
  twoWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  modified: {mergingIntList: [1, 2]}
  current: {mergingIntList: [1, 2, 3, 3, 4]}
  threeWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  result: {mergingIntList: [1, 2, 4]}
- description: add and delete items in lists of scalars
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3], mergingIntList: [4]}
  modified: {mergingIntList: [1, 2, 4]}
  current: {mergingIntList: [1, 2, 3, 4]}
  threeWay: {$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3]}
  result: {mergingIntList: [1, 2, 4]}
- description: merge lists of maps
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay: {$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}
  modified: {mergingList: [{name: 4, value: 4}, {name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]}
  current: {mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]}
  threeWay: {$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}
  result: {mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]}
- description: merge lists of maps with conflict
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3, value: 3}]}
  modified: {mergingList: [{name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]}
  current: {mergingList: [{name: 1, other: a}, {name: 2, value: 3, other: b}]}
  threeWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 2, value: 2}, {name: 3, value: 3}]}
  result: {mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]}
- description: add field to map in merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: 1}]}
  modified: {mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}
  current: {mergingList: [{name: 1, other: a}, {name: 3, value: 2, other: b}]}
  threeWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}
  result: {mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2}, {name: 3, value: 2, other: b}]}
`), true);
});

test("the API types: containers by name, conditions by type, finalizers as a set, volumes retainKeys, replace", () => {
  const pod = {
    kind: "Pod",
    metadata: { name: "p", finalizers: ["a"], labels: { x: "1", y: "2" } },
    spec: {
      containers: [{ name: "app", image: "app:1", env: [{ name: "A", value: "1" }] }, { name: "side", image: "side:1" }],
      volumes: [{ name: "data", emptyDir: {} }],
      tolerations: [{ key: "k", operator: "Exists" }],
    },
  };
  const out = strategicMergePatch(structuredClone(pod), {
    metadata: { finalizers: ["b", "a"], labels: { y: null } },
    spec: {
      containers: [{ name: "app", env: [{ name: "B", value: "2" }] }, { name: "side", $patch: "delete" }],
      volumes: [{ name: "data", $retainKeys: ["name", "hostPath"], hostPath: { path: "/x" } }],
      tolerations: [{ key: "other", operator: "Exists" }],
    },
  }, "V1Pod");
  assert.deepEqual(out.metadata, { name: "p", finalizers: ["b", "a"], labels: { x: "1" } });
  // Without $setElementOrder, items only the patch has come before the server's (mergeSortedSlice).
  const spec = (out as KObject).spec;
  assert.deepEqual(spec.containers, [{ name: "app", image: "app:1", env: [{ name: "B", value: "2" }, { name: "A", value: "1" }] }]);
  assert.deepEqual(spec.volumes, [{ name: "data", hostPath: { path: "/x" } }]);
  assert.deepEqual(spec.tolerations, [{ key: "other", operator: "Exists" }]);
  const status = strategicMergePatch({ status: { conditions: [{ type: "Ready", status: "False" }, { type: "PodScheduled", status: "True" }] } }, { status: { conditions: [{ type: "Ready", status: "True" }] } }, "V1Pod");
  assert.deepEqual((status as KObject).status.conditions, [{ type: "Ready", status: "True" }, { type: "PodScheduled", status: "True" }]);
  assert.throws(() => strategicMergePatch({ spec: {} }, { spec: { $patch: "nope" } }, "V1Pod"), /^Error: unknown patch type: nope in map: map\[\$patch:nope\]$/);
  assert.throws(() => strategicMergePatch({ spec: { containers: [{ name: "a" }] } }, { spec: { containers: [{ $patch: "merge", name: "a" }] } }, "V1Pod"), /merging lists cannot yet be specified in the patch/);
});
