// Tables ported from k8s.io/apimachinery/pkg/util/validation/validation_test.go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IsDNS1035Label, IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue, IsValidPortName, IsValidPortNum, goValue } from "./names.ts";

test("IsDNS1123Label", () => {
  const good = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a".repeat(63)];
  const bad = ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "a".repeat(64)];
  for (const v of good) assert.deepEqual(IsDNS1123Label(v), [], v);
  for (const v of bad) assert.notDeepEqual(IsDNS1123Label(v), [], v);
  assert.deepEqual(IsDNS1123Label("a.b"), ["must not contain dots"]);
});

test("IsDNS1123Subdomain", () => {
  const good = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a.a", "ab.a", "abc.a", "a1.a", "a-1.a",
    "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1", "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1",
    "1a.1", "1-a.1", "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a".repeat(253)];
  const bad = ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1",
    "1..2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A",
    "1A.a", "1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a_b", "a;b", "a:b", "a%b", "a?b", "a$b", "a".repeat(254)];
  for (const v of good) assert.deepEqual(IsDNS1123Subdomain(v), [], v);
  for (const v of bad) assert.notDeepEqual(IsDNS1123Subdomain(v), [], v);
});

test("IsDNS1035Label", () => {
  for (const v of ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a".repeat(63)]) assert.deepEqual(IsDNS1035Label(v), [], v);
  for (const v of ["0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "a.b", "a".repeat(64)]) {
    assert.notDeepEqual(IsDNS1035Label(v), [], v);
  }
});

test("IsQualifiedName", () => {
  const good = ["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple", "now-with-dashes/now-with-dashes",
    "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123",
    "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a".repeat(63), "a".repeat(253) + "/" + "b".repeat(63)];
  const bad = ["nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc", "example_com/abc", "example.com/",
    "/simple", "a".repeat(64), "a".repeat(254) + "/abc"];
  for (const v of good) assert.deepEqual(IsQualifiedName(v), [], v);
  for (const v of bad) assert.notDeepEqual(IsQualifiedName(v), [], v);
});

test("IsValidLabelValue", () => {
  for (const v of ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a".repeat(63), ""]) assert.deepEqual(IsValidLabelValue(v), [], v);
  for (const v of ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a".repeat(64)]) {
    assert.notDeepEqual(IsValidLabelValue(v), [], v);
  }
});

test("ports", () => {
  for (const p of [1, 2, 1000, 16384, 32768, 65535]) assert.deepEqual(IsValidPortNum(p), []);
  for (const p of [0, -1, 65536, 100000]) assert.deepEqual(IsValidPortNum(p), ["must be between 1 and 65535, inclusive"]);
  for (const n of ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"]) assert.deepEqual(IsValidPortName(n), [], n);
  for (const n of ["longerthan15characters", "", "-", "a-", "-a", "a--b", "1", "1--2", "A", "ab_c"]) assert.notDeepEqual(IsValidPortName(n), [], n);
});

test("goValue renders as field.Error does", () => {
  assert.equal(goValue("x"), '"x"');
  assert.equal(goValue(2), "2");
  assert.equal(goValue(["a", "b"]), '[]string{"a", "b"}');
  assert.equal(goValue({ b: "2", a: "1" }), 'map[string]string{"a":"1", "b":"2"}');
});
