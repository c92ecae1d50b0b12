import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { envVarRefString, keyToEnvName, parseEnv, splitEnvironmentFromResources, updateEnv } from "./setenv.ts";

// env_parse_test.go: ExampleSplitEnvironmentFromResources, ExampleParseEnv_*.
test("SplitEnvironmentFromResources and ParseEnv", () => {
  assert.deepEqual(splitEnvironmentFromResources(["resource", "ENV\\=ARG", "ONE\\=MORE", "DASH-"]), { resources: ["resource"], envArgs: ["ENV\\=ARG", "ONE\\=MORE", "DASH-"] });
  assert.equal(splitEnvironmentFromResources(["deploy/a", "A=1", "deploy/b"]), undefined);
  assert.deepEqual(parseEnv(["ENV=VARIABLE", "ENV.TEST=VARIABLE", "AND=ANOTHER", "REMOVE-", "-"], "FROM=READER"), {
    env: [{ name: "ENV", value: "VARIABLE" }, { name: "ENV.TEST", value: "VARIABLE" }, { name: "AND", value: "ANOTHER" }, { name: "FROM", value: "READER" }],
    remove: ["REMOVE"],
  });
  const bad: Array<[string, string]> = [
    ["This not in the key=value format.", `"This not in the key" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`],
    [".=VARIABLE", `"." is not a valid key name: must not be '.'`],
    ["..=VARIABLE", `".." is not a valid key name: must not be '..'`],
    ["..ENV=VARIABLE", `"..ENV" is not a valid key name: must not start with '..'`],
  ];
  for (const [arg, message] of bad) assert.throws(() => parseEnv([arg], undefined), { message });
  assert.throws(() => parseEnv(["A=1", "A-"], undefined), { message: "can not both modify and remove the same environment variable in the same command" });
  assert.throws(() => parseEnv(["-"], undefined), { message: "when '-' is used, STDIN must be open" });
  assert.deepEqual(parseEnv(["-"], "# comment\nA=1 # trailing\nnot-a-pair\n"), { env: [{ name: "A", value: "1 " }], remove: [] });
});

// helper.go updateEnv; set_env.go keyToEnvName; env_resolve.go GetEnvVarRefString.
test("updateEnv, keyToEnvName and reference strings", () => {
  const existing = [{ name: "A", value: "1" }, { name: "B", value: "2" }, { name: "C", value: "3" }];
  assert.deepEqual(updateEnv(existing, [{ name: "B", value: "20" }, { name: "D", value: "4" }], ["A"]), [{ name: "B", value: "20" }, { name: "C", value: "3" }, { name: "D", value: "4" }]);
  assert.deepEqual(updateEnv([], [], []), []);
  assert.equal(keyToEnvName("my-example.key"), "MY_EXAMPLE_KEY");
  assert.equal(envVarRefString({ configMapKeyRef: { name: "cm", key: "k" } }), "configmap cm, key k");
  assert.equal(envVarRefString({ secretKeyRef: { name: "s", key: "k" } }), "secret s, key k");
  assert.equal(envVarRefString({ fieldRef: { fieldPath: "metadata.name" } }), "field path metadata.name");
  assert.equal(envVarRefString({ resourceFieldRef: { containerName: "app", resource: "limits.cpu" } }), "resource field app/limits.cpu");
  assert.equal(envVarRefString({}), "invalid valueFrom");
});

test("set env against the simulated cluster: set, --from a Secret, remove, --dry-run, --local refusal", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.kubectlSync("create deployment web --image=nginx:1.27");
  c.kubectlSync("create secret generic creds --from-literal=db-password=s3cret");
  assert.equal(c.kubectlSync("set env deployment/web A=1 -e B=2").stdout, "deployment.apps/web env updated\n");
  assert.deepEqual(c.get("Deployment", "web")!.spec.template.spec.containers[0].env, [{ name: "B", value: "2" }, { name: "A", value: "1" }]);
  assert.equal(c.kubectlSync("set env deployment/web --from=secret/creds").stdout, "deployment.apps/web env updated\n");
  const list = c.kubectlSync("set env deployment/web --list --resolve");
  assert.equal(list.stdout, "# Deployment web, container nginx\nB=2\nA=1\nDB_PASSWORD=s3cret\n");
  assert.equal(c.kubectlSync("set env deployment/web C=3 --dry-run=client").stdout, "deployment.apps/web env updated (dry run)\n");
  assert.equal(c.get("Deployment", "web")!.spec.template.spec.containers[0].env.length, 3);
  assert.equal(c.kubectlSync("set env deployment/web A- B- DB_PASSWORD-").stdout, "deployment.apps/web env updated\n");
  assert.equal(c.get("Deployment", "web")!.spec.template.spec.containers[0].env, undefined);
  assert.equal(c.kubectlSync("set env deployment/web --list -o yaml").stderr, "error: --list and --output may not be specified together\n");
  assert.equal(c.kubectlSync("set env A=1").stderr, "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n");
  assert.equal(c.kubectlSync("set env deployment/web --from=deployment/web").stderr, "error: unsupported resource specified in --from\n");
  assert.equal(c.kubectlSync("set env deployment/nope A=1").stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
});
