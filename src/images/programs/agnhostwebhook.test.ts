import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { webhookCaller } from "../../controllers/admissionwebhook/caller.ts";

const PEM = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";
const KEY = "-----BEGIN EC PRIVATE KEY-----\\nMHc\\n-----END EC PRIVATE KEY-----\\n";

function cluster(args: string[], secret = { cert: PEM, key: KEY }): Cluster {
  const c = new Cluster({ builtInIngressController: false });
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: v1\nkind: Secret\nmetadata: {name: certs}\nstringData: {cert: "${secret.cert}", key: "${secret.key}"}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: hook}\nspec: {selector: {app: hook}, ports: [{port: 8443, targetPort: 8444}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: hook, labels: {app: hook}}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: w\n    image: registry.k8s.io/e2e-test-images/agnhost:2.53\n    args: ${JSON.stringify(args)}\n    volumeMounts: [{name: c, mountPath: /certs}]\n  volumes: [{name: c, secret: {secretName: certs}}]\n`);
  c.advanceSync(10_000);
  return c;
}

const ARGS = ["webhook", "--tls-cert-file=/certs/cert", "--tls-private-key-file=/certs/key", "--port=8444", "--alsologtostderr", "-v=4"];

function review(resource: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", request: { uid: "u-1", resource: { group: "", version: "v1", resource }, operation: "CREATE", object, ...extra } });
}

const patchOf = (r: { response: { patch?: string } }) => (r.response.patch ? JSON.parse(Buffer.from(r.response.patch, "base64").toString()) : undefined);

test("agnhost webhook: its handlers answer AdmissionReviews as test/images/agnhost/webhook does", () => {
  const c = cluster([...ARGS, "--sidecar-image=busybox"]);
  const call = webhookCaller(c.ctx);
  const post = (path: string, body: string, timeoutSeconds = 10) => {
    const r = call({ service: { namespace: "default", name: "hook", port: 8443, path }, caBundle: "Y2E=", timeoutSeconds, body });
    if ("error" in r) return r;
    if (!r.body.startsWith("{")) return { status: r.status, text: r.body };
    return { status: r.status, review: JSON.parse(r.body) };
  };
  const pod = (name: string, labels: Record<string, string> = {}, containers = [{ name: "c", image: "nginx" }]) => ({ metadata: { name, labels }, spec: { containers } });
  assert.deepEqual(post("/always-deny", review("pods", pod("a"))), { status: 200, review: { kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response: { uid: "u-1", allowed: false, status: { metadata: {}, message: "this webhook denies all requests" } } } });
  assert.deepEqual(post("/always-allow-delay-5s", review("pods", pod("a"))), { status: 200, review: { kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response: { uid: "u-1", allowed: true, status: { metadata: {}, message: "this webhook allows all requests" } } } });
  assert.deepEqual(post("/always-allow-delay-5s", review("pods", pod("a")), 1), { error: "context deadline exceeded" });
  // /pods: label and container name checks; wait-forever never answers.
  const pods = (p: Record<string, unknown>) => (post("/pods", review("pods", p)) as { review: { response: unknown } }).review.response;
  assert.deepEqual(pods(pod("a")), { uid: "u-1", allowed: true });
  assert.deepEqual(pods(pod("a", { "webhook-e2e-test": "webhook-disallow" }, [{ name: "webhook-disallow-1", image: "x" }])), { uid: "u-1", allowed: false, status: { metadata: {}, message: "the pod contains unwanted label; the pod contains unwanted container name;" } });
  assert.deepEqual(post("/pods", review("pods", pod("a", { "webhook-e2e-test": "wait-forever" }))), { error: "context deadline exceeded" });
  assert.deepEqual(pods({ metadata: { name: "a" } }), { uid: "u-1", allowed: true });
  assert.deepEqual((post("/pods", review("configmaps", {})) as { review: { response: unknown } }).review.response, { uid: "u-1", allowed: false, status: { metadata: {}, message: "expect resource to be { v1 pods}" } });
  // The mutating handlers' patches.
  const patch = (path: string, resource: string, o: Record<string, unknown>) => patchOf((post(path, review(resource, o)) as { review: { response: { patch?: string } } }).review);
  assert.deepEqual(patch("/mutating-pods", "pods", pod("webhook-to-be-mutated")), [{ op: "add", path: "/spec/initContainers", value: [{ image: "webhook-added-image", name: "webhook-added-init-container", resources: {} }] }]);
  assert.equal(patch("/mutating-pods", "pods", pod("other")), undefined);
  assert.deepEqual(patch("/mutating-pods-sidecar", "pods", pod("a")), [{ op: "add", path: "/spec/containers/-", value: { image: "busybox", name: "webhook-added-sidecar", resources: {} } }]);
  assert.equal(patch("/mutating-pods-sidecar", "pods", pod("a", {}, [{ name: "webhook-added-sidecar", image: "busybox" }])), undefined);
  assert.deepEqual(patch("/add-label", "configmaps", { metadata: {} }), [{ op: "add", path: "/metadata/labels", value: { "added-label": "yes" } }]);
  assert.deepEqual(patch("/add-label", "configmaps", { metadata: { labels: { a: "b" } } }), [{ op: "add", path: "/metadata/labels/added-label", value: "yes" }]);
  assert.deepEqual(patch("/add-label", "configmaps", { metadata: { labels: { "added-label": "no" } } }), [{ op: "replace", path: "/metadata/labels/added-label", value: "yes" }]);
  assert.equal(patch("/add-label", "configmaps", { metadata: { labels: { "added-label": "yes" } } }), undefined);
  assert.deepEqual(patch("/mutating-configmaps", "configmaps", { data: { "mutation-start": "yes" } }), [{ op: "add", path: "/data/mutation-stage-1", value: "yes" }]);
  assert.deepEqual(patch("/mutating-configmaps", "configmaps", { data: { "mutation-start": "yes", "mutation-stage-1": "yes" } }), [{ op: "add", path: "/data/mutation-stage-2", value: "yes" }]);
  assert.deepEqual((post("/configmaps", review("configmaps", { data: { "webhook-e2e-test": "webhook-disallow" } })) as { review: { response: unknown } }).review.response, { uid: "u-1", allowed: false, status: { metadata: {}, reason: "the configmap contains unwanted key and value" } });
  // v1beta1 is answered in v1beta1; other bodies get the handler's 400; /readyz; unknown paths.
  assert.equal((post("/always-deny", review("pods", {}).replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1")) as { review: { apiVersion: string } }).review.apiVersion, "admission.k8s.io/v1beta1");
  assert.deepEqual(post("/always-deny", '{"kind":"Pod","apiVersion":"v1"}'), { status: 400, text: "Unsupported group version kind: /v1, Kind=Pod\n" });
  assert.deepEqual(post("/readyz", ""), { status: 200, text: "ok" });
  assert.deepEqual(post("/custom-resource", review("pods", {})), { status: 404, text: "404 page not found\n" });
});

test("agnhost webhook: /mutating-pods-sidecar without --sidecar-image denies with code 500", () => {
  const call = webhookCaller(cluster(ARGS).ctx);
  const r = call({ service: { namespace: "default", name: "hook", port: 8443, path: "/mutating-pods-sidecar" }, caBundle: "Y2E=", timeoutSeconds: 10, body: review("pods", { metadata: { name: "a" } }) });
  assert.ok(!("error" in r));
  assert.deepEqual(JSON.parse(r.body).response, { uid: "u-1", allowed: false, status: { metadata: {}, status: "Failure", message: "No image specified by the sidecar-image parameter", code: 500 } });
});

test("agnhost webhook: a key pair it cannot load is klog.Fatal (exit 255)", () => {
  const c = cluster(ARGS, { cert: "not a certificate", key: KEY });
  assert.deepEqual(c.api.get("Pod", "default", "hook")!.status.containerStatuses[0].state.terminated.exitCode, 255);
  assert.match(c.kubectlSync("logs hook").stdout, /^F0108 00:00:0\d\.\d{6} {7}1 config\.go:33\] tls: failed to find any PEM data in certificate input\n$/);
});
