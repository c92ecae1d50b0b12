import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { runLocalShell, splitPipe } from "./pipeline.ts";

test("splitPipe: the first unquoted pipe; quoted ones, || and a bare pipe are not", () => {
  assert.deepEqual(splitPipe(`kubectl get pods -o jsonpath="{..image}" | tr -s '[[:space:]]' '\\n' | sort`), {
    first: `kubectl get pods -o jsonpath="{..image}"`,
    rest: `tr -s '[[:space:]]' '\\n' | sort`,
  });
  assert.equal(splitPipe(`kubectl get secret x -o go-template='{{.data.password | base64decode}}'`), undefined);
  assert.equal(splitPipe(`kubectl get pods -o jsonpath="{.a|b}"`), undefined);
  assert.equal(splitPipe(`kubectl get pods \\| x`), undefined);
  assert.equal(splitPipe(`kubectl get pods || true`), undefined);
  assert.equal(splitPipe(`kubectl get pods |`), undefined);
});

test("runLocalShell: text tools over kubectl's output; the last command's exit code; a waiting command is refused", () => {
  const clock = new SimClock();
  assert.deepEqual(runLocalShell(clock, "tr -s '[[:space:]]' '\\n' | sort | uniq -c", "b a b\n"), { stdout: "      1 a\n      2 b\n", stderr: "", exitCode: 0 });
  assert.deepEqual(runLocalShell(clock, "base64 --decode", "eyJhdXRocyI6e319"), { stdout: '{"auths":{}}', stderr: "", exitCode: 0 });
  assert.deepEqual(runLocalShell(clock, "base64", "admin"), { stdout: "YWRtaW4=\n", stderr: "", exitCode: 0 });
  assert.deepEqual(runLocalShell(clock, "base64 -d", "not base64!"), { stdout: "", stderr: "base64: invalid input\n", exitCode: 1 });
  assert.equal(runLocalShell(clock, "grep nope", "x\n").exitCode, 1);
  const slept = runLocalShell(clock, "sleep 5", "");
  assert.equal(slept.exitCode, 1);
  assert.match(slept.stderr, /does not let time pass/);
  assert.equal(clock.now(), new SimClock().now());
});

test("runKubectl: a pipeline of local tools alone runs in the local shell", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  const r = c.kubectlSync(`echo "amFuZWRvZTp4eHh4eHh4eHh4eA==" | base64 --decode`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["janedoe:xxxxxxxxxxx", "", 0]);
  const k = c.kubectlSync(`kubectl get pods -o jsonpath="{..image}" | wc -l`);
  assert.deepEqual([k.stdout.trim(), k.stderr, k.exitCode], ["0", "", 0]);
  await c.close();
});

test("runKubectl: kubectl stages read the previous stage's output as their standard input", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  // The pipeline of "Managing Kubernetes Objects Using Imperative Commands".
  const r = c.kubectlSync(`kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml | kubectl create -f -`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["service/my-svc created\n", "", 0]);
  assert.deepEqual(c.get("Service", "my-svc")!.spec.selector, { environment: "qa" });
  // Local tools feed kubectl; kubectl's output feeds local tools; errors of every stage are kept.
  const fed = c.kubectlSync(`echo 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fed}' | kubectl create -f - | tr a-z A-Z`);
  assert.deepEqual([fed.stdout, fed.exitCode], ["CONFIGMAP/FED CREATED\n", 0]);
  const failed = c.kubectlSync(`kubectl get pod nope -o yaml | kubectl create -f -`);
  assert.equal(failed.stderr, 'Error from server (NotFound): pods "nope" not found\nerror: no objects passed to create\n');
  assert.equal(failed.exitCode, 1);
  await c.close();
});

test("runKubectl: `> path` and `>> path` write kubectl's output to the session's files, read back by later commands", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  c.kubectlSync("kubectl create configmap cm --from-literal=a=1");
  const w = c.kubectlSync("kubectl get configmap/cm -o yaml > configmap_cm.yaml");
  assert.deepEqual([w.stdout, w.stderr, w.exitCode], ["", "", 0]);
  assert.equal(c.kubectlSync("kubectl replace -f configmap_cm.yaml").stdout, "configmap/cm replaced\n");
  c.kubectlSync("kubectl get configmap/cm -o name > /tmp/names.txt");
  c.kubectlSync("kubectl get configmap/kube-root-ca.crt -o name >> /tmp/names.txt");
  const names = c.kubectlSync("kubectl get -f /tmp/names.txt -o name");
  assert.equal(names.exitCode, 1); // a list of names is not a manifest: the file was read as written
  assert.match(names.stderr, /\/tmp\/names\.txt/);
  // An error still reaches the terminal; the file gets the (empty) output.
  const e = c.kubectlSync("kubectl get configmap/none -o yaml > none.yaml");
  assert.equal(e.stderr, 'Error from server (NotFound): configmaps "none" not found\n');
  await c.close();
});

test("runKubectl: -h and --help say kubectl's help is not simulated; after -- they are the command's", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  for (const line of ["kubectl create service nodeport -h", "kubectl get --help", "kubectl -h"]) {
    const r = c.kubectlSync(line);
    assert.equal(r.exitCode, 1, line);
    assert.match(r.stderr, /^error: kubectl's help \((-h|--help)\) is not simulated/, line);
  }
  assert.match(c.kubectlSync("kubectl exec nope -- ls -h").stderr, /pods "nope" not found/);
  assert.match(c.kubectlSync("kubectl create --edit -f x.yaml").stderr, /^error: kubectl create --edit is not simulated/);
  await c.close();
});

test("runKubectl: a command line that is not kubectl's runs in the terminal's shell, on the files kubectl reads", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  // "Parallel Processing using Expansions": download, expand with sed, list, create from the directory.
  const dl = c.kubectlSync("curl -L -s -O https://k8s.io/examples/application/job/job-tmpl.yaml");
  assert.deepEqual([dl.stdout, dl.stderr, dl.exitCode], ["", "", 0]);
  const loop = c.kubectlSync('mkdir ./jobs\nfor i in apple banana\ndo\n  cat job-tmpl.yaml | sed "s/\\$ITEM/$i/" > ./jobs/job-$i.yaml\ndone');
  assert.deepEqual([loop.stdout, loop.stderr, loop.exitCode], ["", "", 0]);
  assert.equal(c.kubectlSync("ls jobs/").stdout, "job-apple.yaml\njob-banana.yaml\n");
  assert.equal(c.kubectlSync("kubectl create -f ./jobs/job-apple.yaml -f jobs/job-banana.yaml").stdout, "job.batch/process-item-apple created\njob.batch/process-item-banana created\n");
  // kubectl's `> file` is read by the shell; the shell's files by kubectl.
  c.kubectlSync("kubectl get job process-item-apple -o name > names.txt");
  assert.equal(c.kubectlSync("cat names.txt").stdout, "job.batch/process-item-apple\n");
  c.kubectlSync("printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-shell\\n' > cm.yaml");
  assert.equal(c.kubectlSync("kubectl apply -f cm.yaml").stdout, "configmap/from-shell created\n");
  // Shell syntax, assignments before a command that is not kubectl, kubectl's commands without `kubectl`.
  assert.equal(c.kubectlSync("# a comment\necho $((1+2))").stdout, "3\n");
  assert.equal(c.kubectlSync("X=1 printenv X").stdout, "1\n");
  assert.equal(c.kubectlSync("get configmap from-shell -o name").stdout, "configmap/from-shell\n");
  // The shell starts in a directory of its own, which stands for the project root.
  assert.equal(c.kubectlSync("pwd").stdout, "/root\n");
  // A first word that is no command of the local shell is kubectl's (its unknown command); inside
  // a script, an unknown command is the shell's error. The only network is the examples.
  assert.match(c.kubectlSync("pods").stderr, /^Error: unknown command "pods" for "kubectl"/);
  const nf = c.kubectlSync("echo start; nosuchtool --version");
  assert.deepEqual([nf.stdout, nf.stderr, nf.exitCode], ["start\n", "bash: line 1: nosuchtool: command not found\n", 127]);
  assert.deepEqual(c.kubectlSync("curl -s -o /dev/null -w '%{http_code}' https://k8s.io/examples/no/such.yaml").stdout, "404");
  assert.equal(c.kubectlSync("curl -sS https://example.com/").stderr, "curl: (6) Could not resolve host: example.com\n");
  await c.close();
});

test("runKubectl: the terminal keeps the variables a line assigns, for later command lines and scripts", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  // "Handling retriable and non-retriable pod failures with Pod failure policy": nodeName=$(kubectl ...).
  assert.deepEqual(c.kubectlSync("nodeName=$(kubectl get nodes -o jsonpath='{.items[0].metadata.name}')"), { stdout: "", stderr: "", exitCode: 0 });
  assert.equal(c.kubectlSync("kubectl get nodes/$nodeName -o name").stdout, "node/k8s-node1\n");
  assert.equal(c.kubectlSync("kubectl get node ${nodeName} -o name").stdout, "node/k8s-node1\n");
  assert.equal(c.kubectlSync("echo $nodeName").stdout, "k8s-node1\n");
  // Values as the shell makes them; a failed substitution prints its error, sets the variable empty, and fails.
  c.kubectlSync('export GREETING="hello world"');
  assert.equal(c.kubectlSync('echo "$GREETING" | tr a-z A-Z').stdout, "HELLO WORLD\n");
  assert.deepEqual(c.kubectlSync("podName=$(kubectl get pod nope -o name)"), { stdout: "", stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
  assert.equal(c.kubectlSync("echo [$podName]").stdout, "[]\n");
  // A `$name` the terminal has not set stays as written for kubectl (a template's `{$.items}` too).
  assert.equal(c.kubectlSync("kubectl get pods -o jsonpath='{$.items}'").stdout, "[]");
  // `$(date)` in a here-document: the cluster's clock.
  c.kubectlSync('cat <<EOF > patch.yaml\nlastTransitionTime: "$(date -u +"%Y-%m-%dT%H:%M:%SZ")"\nEOF');
  assert.equal(c.kubectlSync("cat patch.yaml").stdout, 'lastTransitionTime: "2024-01-08T00:00:00Z"\n');
  await c.close();
});

test("runKubectl: $(kubectl …) inside a kubectl command line runs first and takes its output's place, as the terminal's shell expands it", async () => {
  const { Cluster } = await import("../cluster.ts");
  const { expandKubectlSubstitutions } = await import("./index.ts");
  const ran: string[] = [];
  const run = (inner: string) => (ran.push(inner), { stdout: "a b\n\n", stderr: "", exitCode: 0 });
  // In double quotes one word (escaped for them); unquoted split at blanks; single quotes keep it.
  assert.equal(expandKubectlSubstitutions(`kubectl exec "$(kubectl get pod -l 'x=(y)' -o name)" -- ls`, run).line, `kubectl exec "a b" -- ls`);
  assert.equal(expandKubectlSubstitutions(`kubectl delete $(kubectl get pods -o name)`, run).line, `kubectl delete 'a' 'b'`);
  assert.equal(expandKubectlSubstitutions(`kubectl exec x -- sh -c 'echo $(kubectl version)'`, run).line, `kubectl exec x -- sh -c 'echo $(kubectl version)'`);
  assert.equal(expandKubectlSubstitutions(`kubectl get pod $(date)`, run).line, `kubectl get pod $(date)`);
  assert.deepEqual(ran, ["kubectl get pod -l 'x=(y)' -o name", "kubectl get pods -o name"]);
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: c, image: busybox:1.36, command: [sleep, '3600']}]}\n");
  c.advanceSync(10_000);
  // istio.io's getting-started check has this shape.
  assert.deepEqual(c.kubectlSync(`kubectl exec "$(kubectl get pod -l app=web -o jsonpath='{.items[0].metadata.name}')" -c c -- echo hi | tr a-z A-Z`), { stdout: "HI\n", stderr: "", exitCode: 0 });
  // The inner command's error is printed; the outer command runs with an empty word.
  const r = c.kubectlSync(`kubectl get pod "$(kubectl get pod nope -o name)"`);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /^Error from server \(NotFound\): pods "nope" not found\n/);
  await c.close();
});
