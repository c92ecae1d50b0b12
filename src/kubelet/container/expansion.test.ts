/** Port of third_party/forked/golang/expansion/expand_test.go (TestMapReference, TestMapping, TestMappingDual). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { expand, expandContainerCommandAndArgs, expandSubPathExpr, mappingFuncFor } from "./expansion.ts";

test("TestMapReference: each variable sees the ones declared before it", () => {
  const envs = [
    ["FOO", "bar"],
    ["ZOO", "$(FOO)-1"],
    ["BLU", "$(ZOO)-2"],
  ] as const;
  const declared: Record<string, string> = { FOO: "bar", ZOO: "$(FOO)-1", BLU: "$(ZOO)-2" };
  const mapping = mappingFuncFor(declared, {});
  for (const [name, value] of envs) declared[name] = expand(value, mapping);
  assert.deepEqual(declared, { FOO: "bar", ZOO: "bar-1", BLU: "bar-1-2" });
});

const cases: Array<[string, string, string]> = [
  ["whole string", "$(VAR_A)", "A"],
  ["repeat", "$(VAR_A)-$(VAR_A)", "A-A"],
  ["beginning", "$(VAR_A)-1", "A-1"],
  ["middle", "___$(VAR_B)___", "___B___"],
  ["end", "___$(VAR_C)", "___C"],
  ["compound", "$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C"],
  ["escape & expand", "$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A"],
  ["compound escape", "$$(VAR_A)_$$(VAR_B)", "$(VAR_A)_$(VAR_B)"],
  ["mixed in escapes", "f000-$$VAR_A", "f000-$VAR_A"],
  ["backslash escape ignored", "foo\\$(VAR_C)bar", "foo\\Cbar"],
  ["backslash escape ignored", "foo\\\\$(VAR_C)bar", "foo\\\\Cbar"],
  ["lots of backslashes", "foo\\\\\\\\$(VAR_A)bar", "foo\\\\\\\\Abar"],
  ["nested var references", "$(VAR_A$(VAR_B))", "$(VAR_A$(VAR_B))"],
  ["nested var references second type", "$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)"],
  ["value is a reference", "$(VAR_REF)", "$(VAR_A)"],
  ["value is a reference x 2", "%%$(VAR_REF)--$(VAR_REF)%%", "%%$(VAR_A)--$(VAR_A)%%"],
  ["empty var", "foo$(VAR_EMPTY)bar", "foobar"],
  ["unterminated expression", "foo$(VAR_Awhoops!", "foo$(VAR_Awhoops!"],
  ["expression without operator", "f00__(VAR_A)__", "f00__(VAR_A)__"],
  ["shell special vars pass through", "$?_boo_$!", "$?_boo_$!"],
  ["bare operators are ignored", "$VAR_A", "$VAR_A"],
  ["undefined vars are passed through", "$(VAR_DNE)", "$(VAR_DNE)"],
  ["multiple (even) operators, var undefined", "$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)"],
  ["multiple (even) operators, var defined", "$$$$$$(VAR_A)", "$$$(VAR_A)"],
  ["multiple (odd) operators, var undefined", "$$$$$$$(GOOD_ODDS)", "$$$$(GOOD_ODDS)"],
  ["multiple (odd) operators, var defined", "$$$$$$$(VAR_A)", "$$$A"],
  ["missing open expression", "$VAR_A)", "$VAR_A)"],
  ["shell syntax ignored", "${VAR_A}", "${VAR_A}"],
  ["trailing incomplete expression not consumed", "$(VAR_B)_______$(A", "B_______$(A"],
  ["trailing incomplete expression, no content, is not consumed", "$(VAR_C)_______$(", "C_______$("],
  ["operator at end of input string is preserved", "$(VAR_A)foobarzab$", "Afoobarzab$"],
  ["shell escaped incomplete expr", "foo-\\$(VAR_A", "foo-\\$(VAR_A"],
  ["lots of $( in middle", "--$($($($($--", "--$($($($($--"],
  ["lots of $( in beginning", "$($($($($--foo$(", "$($($($($--foo$("],
  ["lots of $( at end", "foo0--$($($($(", "foo0--$($($($("],
  ["escaped operators in variable names are not escaped", "$(foo$$var)", "$(foo$$var)"],
  ["newline not expanded", "\n", "\n"],
];

function doExpansionTest(mapping: (s: string) => string): void {
  for (const [name, input, expected] of cases) assert.equal(expand(input, mapping), expected, name);
}

test("TestMapping", () => {
  doExpansionTest(mappingFuncFor({ VAR_A: "A", VAR_B: "B", VAR_C: "C", VAR_REF: "$(VAR_A)", VAR_EMPTY: "" }));
});

test("TestMappingDual", () => {
  doExpansionTest(mappingFuncFor(new Map([["VAR_A", "A"], ["VAR_EMPTY", ""]]), { VAR_B: "B", VAR_C: "C", VAR_REF: "$(VAR_A)" }));
});

test("ExpandContainerCommandAndArgs uses the container's final environment, the last of a duplicate name winning", () => {
  const envs: Array<[string, string]> = [
    ["MESSAGE", "hello world"],
    ["GREETING", "Warm greetings to"],
    ["HONORIFIC", "The Most Honorable"],
    ["MESSAGE", "bye"],
  ];
  const r = expandContainerCommandAndArgs({ command: ["echo"], args: ["$(GREETING) $(HONORIFIC) $(NAME)", "$(MESSAGE)", "$$(MESSAGE)"] }, envs);
  assert.deepEqual(r, { command: ["echo"], args: ["Warm greetings to The Most Honorable $(NAME)", "bye", "$(MESSAGE)"] });
  assert.deepEqual(expandContainerCommandAndArgs({}, envs), {});
});

test("ExpandContainerVolumeMounts: subPathExpr from the environment; unset or empty variables are errors", () => {
  const envs: Array<[string, string]> = [["POD_NAME", "web-0"], ["EMPTY", ""]];
  assert.equal(expandSubPathExpr("$(POD_NAME)", envs), "web-0");
  assert.equal(expandSubPathExpr("logs/$(POD_NAME)/x", envs), "logs/web-0/x");
  assert.equal((expandSubPathExpr("$(NOPE)/$(EMPTY)/$(ALSO)", envs) as Error).message, "missing value for ALSO, EMPTY, NOPE");
  assert.equal((expandSubPathExpr("/$(POD_NAME)", envs) as Error).message, "error SubPath `/web-0` must not be an absolute path");
  assert.equal((expandSubPathExpr("../$(POD_NAME)", envs) as Error).message, "unable to provision SubPath `../web-0`: must not contain '..'");
});

test("ExpandContainerCommandAndArgs without a command or args expands nothing and reads no environment", () => {
  const envs = new Proxy([] as Array<readonly [string, string]>, {
    get: () => {
      throw new Error("the environment was read");
    },
  });
  assert.deepEqual(expandContainerCommandAndArgs({}, envs), {});
  assert.deepEqual(expandContainerCommandAndArgs({ command: [], args: [] }, envs), {});
  assert.deepEqual(expandContainerCommandAndArgs({ args: ["$(A)"] }, [["A", "x"]]), { args: ["x"] });
});
