import { test } from "node:test";
import assert from "node:assert/strict";
import { JSONPath, relaxedJSONPathExpression } from "./jsonpath.ts";

// Cases ported from k8s.io/client-go/util/jsonpath/jsonpath_test.go (JSON inputs; Go structs become objects).
const types = {
  bools: [true, false, true, false],
  integers: [1, 2, 3, 4],
  floats: [1.0, 2.2, 3.3, 4.0],
  strings: ["one", "two", "three", "four"],
  interfaces: [true, "one", 1, 1.1],
  maps: [{ name: "one", value: 1 }, { name: "two", value: 2.02 }, { name: "three", value: 3.03 }, { name: "four", value: 4.04 }],
};

const store = {
  Name: "jsonpath",
  Book: [
    { Category: "reference", Author: "Nigel Rees", Title: "Sayings of the Centurey", Price: 8.95 },
    { Category: "fiction", Author: "Evelyn Waugh", Title: "Sword of Honour", Price: 12.99 },
    { Category: "fiction", Author: "Herman Melville", Title: "Moby Dick", Price: 8.99 },
  ],
  Bicycle: [{ Color: "red", Price: 19.95, IsNew: true }, { Color: "green", Price: 20.01, IsNew: false }],
  Labels: { engieer: 10, "web/html": 15, "k8s-app": 20 },
  Employees: { jason: "manager", dan: "clerk" },
};

const nodes = {
  kind: "List",
  items: [
    { kind: "None", metadata: { name: "127.0.0.1", labels: { "kubernetes.io/hostname": "127.0.0.1" } }, status: { capacity: { cpu: "4" }, ready: true, addresses: [{ type: "LegacyHostIP", address: "127.0.0.1" }] } },
    { kind: "None", metadata: { name: "127.0.0.2", labels: { "kubernetes.io/hostname": "127.0.0.2" } }, status: { capacity: { cpu: "8" }, ready: false, addresses: [{ type: "LegacyHostIP", address: "127.0.0.2" }, { type: "another", address: "127.0.0.3" }] } },
  ],
  users: [{ name: "myself", user: {} }, { name: "e2e", user: { username: "admin", password: "secret" } }],
};

const points = [
  { id: "i1", x: 4, y: -5 }, { id: "i2", x: -2, y: -5, z: 1 }, { id: "i3", x: 8, y: 3 },
  { id: "i4", x: -6, y: -1 }, { id: "i5", x: 0, y: 2, z: 1 }, { id: "i6", x: 1, y: 4 },
];

const cases: Array<[string, string, unknown, string]> = [
  ["boolSlice", "{ .bools }", types, "[true,false,true,false]"],
  ["boolSliceIndex", "{ .bools[0] }", types, "true"],
  ["boolSliceIndex -1", "{ .bools[-1] }", types, "false"],
  ["boolSubSlice", "{ .bools[0:2] }", types, "true false"],
  ["boolSubSliceFirst2", "{ .bools[:2] }", types, "true false"],
  ["boolSubSliceStep2", "{ .bools[:4:2] }", types, "true true"],
  ["integerSliceIndexReverse", "{ .integers[-2] }", types, "3"],
  ["floatSlice", "{ .floats }", types, "[1,2.2,3.3,4]"],
  ["stringSlice", "{ .strings }", types, '["one","two","three","four"]'],
  ["stringSubSliceStep2", "{ .strings[:4:2] }", types, "one three"],
  ["interfaceSlice", "{ .interfaces }", types, '[true,"one",1,1.1]'],
  ["mapSliceIndex", "{ .maps[0] }", types, '{"name":"one","value":1}'],
  ["mapSubSliceStepOdd", "{ .maps[::2] }", types, '{"name":"one","value":1} {"name":"three","value":3.03}'],
  ["mapSubSliceStepEven", "{ .maps[1::2] }", types, '{"name":"two","value":2.02} {"name":"four","value":4.04}'],
  ["plain", "hello jsonpath", null, "hello jsonpath"],
  ["recursive", "{..}", [1, 2, 3], "[1,2,3]"],
  ["filter", "{[?(@<5)]}", [2, 6, 3, 7], "2 3"],
  ["quote", '{"{"}', null, "{"],
  ["union", "{[1,3,4]}", [0, 1, 2, 3, 4], "1 3 4"],
  ["array", "{[0:2]}", ["Monday", "Tudesday"], "Monday Tudesday"],
  ["variable", "hello {.Name}", store, "hello jsonpath"],
  ["dict/", "{$.Labels.web/html}", store, "15"],
  ["dict/ 2", "{$.Employees.jason}", store, "manager"],
  ["dict-", "{.Labels.k8s-app}", store, "20"],
  ["nest", "{.Bicycle[*].Color}", store, "red green"],
  ["allarray", "{.Book[*].Author}", store, "Nigel Rees Evelyn Waugh Herman Melville"],
  ["allstructs", '{range .Bicycle[*]}{ @ }{ " " }{end}', store, '{"Color":"red","IsNew":true,"Price":19.95} {"Color":"green","IsNew":false,"Price":20.01} '],
  ["lastarray", "{.Book[-1:]}", store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'],
  ["recurarray", "{..Book[2]}", store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'],
  ["bool", "{.Bicycle[?(@.IsNew==true)]}", store, '{"Color":"red","IsNew":true,"Price":19.95}'],
  ["exists filter", "{[?(@.z)].id}", points, "i2 i5"],
  ["bracket key", "{[0]['id']}", points, "i1"],
  ["range item", "{range .items[*]}{.metadata.name}, {end}{.kind}", nodes, "127.0.0.1, 127.0.0.2, List"],
  ["range item with quote", '{range .items[*]}{.metadata.name}{"\\t"}{end}', nodes, "127.0.0.1\t127.0.0.2\t"],
  ["range addresss", "{.items[*].status.addresses[*].address}", nodes, "127.0.0.1 127.0.0.2 127.0.0.3"],
  ["double range", "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", nodes, "127.0.0.1, 127.0.0.2, 127.0.0.3, "],
  ["item name", "{.items[*].metadata.name}", nodes, "127.0.0.1 127.0.0.2"],
  ["union nodes capacity", "{.items[*]['metadata.name', 'status.capacity']}", nodes, '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'],
  ["range nodes capacity", "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}", nodes, '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '],
  ["user password", '{.users[?(@.name=="e2e")].user.password}', nodes, "secret"],
  ["hostname", "{.items[0].metadata.labels.kubernetes\\.io/hostname}", nodes, "127.0.0.1"],
  ["hostname filter", '{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', nodes, "None"],
  ["bool item", "{.items[?(@..ready==true)].metadata.name}", nodes, "127.0.0.1"],
  ["empty range", "{range .items[*]}{.metadata.name}{end}", { items: [] }, ""],
  ["empty nested range", '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', { items: [] }, ""],
  ["nonexistent field (missing keys allowed)", "before-{.hello}after", store, "before-after"],
];

for (const [name, template, input, want] of cases) {
  test(`jsonpath ${name}: ${template}`, () => assert.equal(new JSONPath(template).execute(input), want));
}

test("recursive descent finds every field (maps visited in key order; Go's order is random, upstream sorts the output)", () => {
  const sorted = (t: string) => t.split(" ").sort().join(" ");
  assert.equal(sorted(new JSONPath("{..Price}").execute(store)), sorted("8.95 12.99 8.99 19.95 20.01"));
  assert.equal(sorted(new JSONPath("{...Price}").execute(store)), sorted("8.95 12.99 8.99 19.95 20.01"));
  assert.equal(sorted(new JSONPath("{..name}").execute(nodes)), sorted("127.0.0.1 127.0.0.2 myself e2e"));
});

test("kubectl's own uses: condition filter and index into it", () => {
  const pod = { status: { conditions: [{ type: "PodScheduled", status: "True" }, { type: "Ready", status: "False" }] } };
  assert.equal(new JSONPath('{.status.conditions[?(@.type=="Ready")].status}').execute(pod), "False");
  assert.equal(new JSONPath("{.status.conditions[0].status}").execute(pod), "True");
});

test("failures: unknown identifier, missing key when not allowed, index on a map, bad operator, stray end", () => {
  assert.throws(() => new JSONPath("{hello}").execute(store), /unrecognized identifier hello/);
  assert.throws(() => new JSONPath("{.hello}").execute(store, { allowMissingKeys: false }), /hello is not found/);
  assert.throws(() => new JSONPath("{.Labels[0]}").execute(store), /is not array or slice/);
  assert.throws(() => new JSONPath("{.Book[?(@.Price<>10)]}").execute(store), /unrecognized filter operator <>/);
  assert.throws(() => new JSONPath("{range .Labels.*}{@}{end}{end}").execute(store), /not in range, nothing to end/);
  assert.throws(() => new JSONPath("{.items[0].metadata.name}").execute({ items: [] }), /array index out of bounds: index 0, length 0/);
  assert.throws(() => new JSONPath("{............................................................Price}"));
});

test("JSON of maps escapes HTML characters as Go does", () => {
  assert.equal(new JSONPath("{.a}").execute({ a: { x: "<none>" } }), '{"x":"\\u003cnone\\u003e"}');
});

test("relaxed expressions for custom-columns and --sort-by", () => {
  assert.equal(relaxedJSONPathExpression(".metadata.name"), "{.metadata.name}");
  assert.equal(relaxedJSONPathExpression("metadata.name"), "{.metadata.name}");
  assert.equal(relaxedJSONPathExpression("{.metadata.name}"), "{.metadata.name}");
  assert.equal(relaxedJSONPathExpression("{metadata.name}"), "{.metadata.name}");
});
