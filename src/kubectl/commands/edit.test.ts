import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { editorArgs, editorCommand } from "../editor.ts";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`;

// editor.go defaultEnvEditor and Editor.args.
test("edit: the editor command is KUBE_EDITOR, EDITOR, else vi, split or given to the shell as editor.go does", () => {
  assert.deepEqual(editorCommand({}), { args: ["vi"], shell: false });
  assert.deepEqual(editorCommand({ EDITOR: "nano" }), { args: ["nano"], shell: false });
  assert.deepEqual(editorCommand({ KUBE_EDITOR: "code --wait", EDITOR: "nano" }), { args: ["code", "--wait"], shell: false });
  const sh = editorCommand({ KUBE_EDITOR: "sed -i 's/a/b/'" });
  assert.deepEqual(sh, { args: ["/bin/bash", "-c", "sed -i 's/a/b/'"], shell: true });
  assert.deepEqual(editorArgs(sh, "/tmp/kubectl-edit-1.yaml"), ["/bin/bash", "-c", `sed -i 's/a/b/' "/tmp/kubectl-edit-1.yaml"`]);
  assert.deepEqual(editorArgs(editorCommand({ EDITOR: "ed -s" }), "/tmp/f"), ["ed", "-s", "/tmp/f"]);
});

test("edit: KUBE_EDITOR from the command line changes the object with a strategic merge patch", () => {
  const c = new Cluster();
  c.kubectlSync("apply -f -", deployment);
  // Only spec's line: status.replicas would change too, and be in the patch (the server ignores it).
  const r = c.kubectlSync(`KUBE_EDITOR="sed -i '/^spec:/,/^status:/s/replicas: 1/replicas: 3/'" kubectl edit deployment web --output-patch`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ['Patch: {"spec":{"replicas":3}}\ndeployment.apps/web edited\n', "", 0]);
  assert.equal(c.get("Deployment", "web")!.spec.replicas, 3);
  // The same edit again changes nothing: the file is what was printed.
  const again = c.kubectlSync(`KUBE_EDITOR="sed -i 's/replicas: 1/replicas: 3/'" kubectl edit deployment/web`);
  assert.deepEqual([again.stdout, again.stderr, again.exitCode], ["", "Edit cancelled, no changes made.\n", 0]);
});

test("edit: an invalid edit reopens the editor; unchanged, the edit is cancelled with the copy's path", () => {
  const c = new Cluster();
  c.kubectlSync("apply -f -", deployment);
  const r = c.kubectlSync(`KUBE_EDITOR="sed -i 's/replicas: 1/replicas: -1/'" kubectl edit deployment web`);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /^error: deployments\.apps "web" is invalid\nA copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\.\n$/);
  assert.equal(c.get("Deployment", "web")!.spec.replicas, 1);
});

test("edit: a changed name is refused; an emptied file cancels; vi needs a terminal", () => {
  const c = new Cluster();
  c.kubectlSync("apply -f -", deployment);
  const renamed = c.kubectlSync(`KUBE_EDITOR="sed -i 's/name: web$/name: other/'" kubectl edit deployment web`);
  assert.equal(renamed.exitCode, 1);
  assert.match(renamed.stderr, /^A copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: At least one of apiVersion, kind and name was changed\n$/);
  const emptied = c.kubectlSync(`KUBE_EDITOR="sed -i d" kubectl edit deployment web --validate=false`);
  assert.deepEqual([emptied.stderr, emptied.exitCode], ["Edit cancelled, saved file was empty.\n", 0]);
  const vi = c.kubectlSync("kubectl edit deployment web");
  assert.equal(vi.exitCode, 1);
  assert.match(vi.stderr, /^error: the editor "vi" needs a terminal/);
  const missing = c.kubectlSync(`KUBE_EDITOR="sed -i 's/a/b/'" kubectl edit deployment nothere`);
  assert.deepEqual([missing.stderr, missing.exitCode], ['Error from server (NotFound): deployments.apps "nothere" not found\n', 1]);
});

test("edit: the file the editor sees has kubectl's header and the object as -o yaml prints it", () => {
  const c = new Cluster();
  c.kubectlSync("apply -f -", deployment);
  const r = c.kubectlSync(`KUBE_EDITOR="sed -n '1,5p;/^kind/p'" kubectl edit deployment web`);
  assert.equal(
    r.stdout,
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: apps/v1\nkind: Deployment\n",
  );
  assert.equal(r.stderr, "Edit cancelled, no changes made.\n");
});
