/**
 * Pod Security Admission as the real kubectl (v1.32, from PATH) meets it through the facade: the
 * warnings it prints (`Warning: …`, from the API server's `Warning: 299 - "…"` headers) and its
 * refusals; the same commands through the simulated kubectl, on a cluster of its own, print the same.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const RESTRICTED = (c: string) =>
  `allowPrivilegeEscalation != false (container "${c}" must set securityContext.allowPrivilegeEscalation=false), ` +
  `unrestricted capabilities (container "${c}" must set securityContext.capabilities.drop=["ALL"]), ` +
  `runAsNonRoot != true (pod or container "${c}" must set securityContext.runAsNonRoot=true), ` +
  `seccompProfile (pod or container "${c}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`;

// https://k8s.io/examples/security/example-baseline-pod.yaml
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - image: nginx
      name: nginx
      ports:
        - containerPort: 80
`;

type Step = [args: string[], expected: { code: number; out: string; err: string }];

test("kubectl and PodSecurity: warnings, refusals, label validation, existing pods; the simulated kubectl prints the same", { skip: NO_KUBECTL, timeout: 120_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file }) => {
    const pod = file("pod.yaml", POD);
    const steps: Step[] = [
      [["create", "ns", "example"], { code: 0, out: "namespace/example created\n", err: "" }],
      [["label", "--overwrite", "ns", "example", "pod-security.kubernetes.io/enforce=baseline", "pod-security.kubernetes.io/warn=restricted"], { code: 0, out: "namespace/example labeled\n", err: "" }],
      [["apply", "-n", "example", "-f", pod], { code: 0, out: "pod/nginx created\n", err: `Warning: would violate PodSecurity "restricted:latest": ${RESTRICTED("nginx")}\n` }],
      // Applied again: an empty patch, which kubectl does not send, so no warning.
      [["apply", "-n", "example", "-f", pod], { code: 0, out: "pod/nginx unchanged\n", err: "" }],
      [
        ["label", "--dry-run=server", "--overwrite", "ns", "example", "pod-security.kubernetes.io/enforce=restricted"],
        {
          code: 0,
          out: "namespace/example labeled (server dry run)\n",
          err: `Warning: existing pods in namespace "example" violate the new PodSecurity enforce level "restricted:latest"\nWarning: nginx: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n`,
        },
      ],
      [
        ["label", "--overwrite", "ns", "example", "pod-security.kubernetes.io/enforce=restricted"],
        {
          code: 0,
          out: "namespace/example labeled\n",
          err: `Warning: existing pods in namespace "example" violate the new PodSecurity enforce level "restricted:latest"\nWarning: nginx: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n`,
        },
      ],
      [
        ["run", "web", "-n", "example", "--image=nginx"],
        { code: 1, out: "", err: `Error from server (Forbidden): pods "web" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED("web")}\n` },
      ],
      [["create", "deployment", "web", "-n", "example", "--image=nginx"], { code: 0, out: "deployment.apps/web created\n", err: `Warning: would violate PodSecurity "restricted:latest": ${RESTRICTED("nginx")}\n` }],
      [
        ["label", "--overwrite", "ns", "example", "pod-security.kubernetes.io/enforce=strict"],
        { code: 1, out: "", err: `The Namespace "example" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted\n` },
      ],
      [["run", "web", "-n", "default", "--image=nginx"], { code: 0, out: "pod/web created\n", err: "" }],
      [
        ["label", "ns", "default", "pod-security.kubernetes.io/enforce=restricted"],
        {
          code: 0,
          out: "namespace/default labeled\n",
          err: `Warning: existing pods in namespace "default" violate the new PodSecurity enforce level "restricted:latest"\nWarning: web: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n`,
        },
      ],
      [["label", "pod", "web", "tier=frontend"], { code: 0, out: "pod/web labeled\n", err: "" }],
      [["set", "image", "pod/web", "web=nginx:1.27"], { code: 1, out: "", err: `error: failed to patch image update to pod template: pods "web" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED("web")}\n` }],
    ];
    const sim = new Cluster();
    sim.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
    for (const [args, expected] of steps) {
      assert.deepEqual(await kubectl(args), expected, `real kubectl ${args.join(" ")}`);
      const r = sim.kubectlSync(["kubectl", ...args]);
      assert.deepEqual({ code: r.exitCode, out: r.stdout, err: r.stderr }, expected, `simulated kubectl ${args.join(" ")}`);
    }
  });
});
