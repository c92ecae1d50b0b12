/**
 * agnhost's `webhook` subcommand (kubernetes/kubernetes test/images/agnhost/webhook: main.go,
 * config.go, alwaysallow.go, alwaysdeny.go, addlabel.go, pods.go, configmap.go), the admission
 * webhook server Kubernetes' e2e tests deploy (test/e2e/apimachinery/webhook.go): HTTPS on
 * `--port` (443) with the key pair of `--tls-cert-file` and `--tls-private-key-file` (one that
 * cannot be loaded is klog.Fatal: exit 255), `/readyz` answering `ok`, and per path an admit
 * function for AdmissionReviews (v1 and v1beta1, answered in the version asked, the request's
 * uid echoed):
 * - `/always-allow-delay-5s`: allows after sleeping 5 s; `/always-deny`: `this webhook denies all requests`;
 * - `/add-label`: a JSONPatch giving the object the label `added-label: yes`;
 * - `/pods`: denies pods labelled `webhook-e2e-test: webhook-disallow` or with a container whose
 *   name contains `webhook-disallow`; never answers for `webhook-e2e-test: wait-forever`;
 * - `/mutating-pods`: the init container `webhook-added-init-container` for a pod named
 *   `webhook-to-be-mutated`; `/mutating-pods-sidecar`: the container `webhook-added-sidecar` of
 *   `--sidecar-image` (none given: denied with code 500);
 * - `/configmaps`: denies the data `webhook-e2e-test: webhook-disallow` (and deleting
 *   `webhook-nondeletable`); `/mutating-configmaps`: `mutation-stage-1`, then `mutation-stage-2`;
 * - `/pods/attach`: denies `kubectl attach to-be-attached-pod -i -c container1`.
 * A request that is not `Content-Type: application/json` gets an empty answer (the handler logs
 * and returns), one whose body is no AdmissionReview a 400. Not modelled: the custom resource
 * and CRD paths (404 here), the klog lines at `-v=2` and above, a request for another resource
 * to `/mutating-pods*` or the configmap paths (upstream's handler returns a nil response and
 * the server panics, closing the connection; here it is allowed).
 */
import type { ProcessIO } from "../../runtime/types.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { glogPrefix } from "./goflags.ts";


type Obj = Record<string, unknown>;
type Response = { allowed: boolean; status?: Obj; patch?: string; patchType?: string };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const jsonPatch = (patch: string): Response => ({ allowed: true, patch: Buffer.from(patch).toString("base64"), patchType: "JSONPatch" });

// The patches as the Go sources hold them (their whitespace included: the bytes are what is sent).
const ADD_FIRST_LABEL = `[
         { "op": "add", "path": "/metadata/labels", "value": {"added-label": "yes"}}
     ]`;
const ADD_ADDITIONAL_LABEL = `[
         { "op": "add", "path": "/metadata/labels/added-label", "value": "yes" }
     ]`;
const UPDATE_LABEL = `[
         { "op": "replace", "path": "/metadata/labels/added-label", "value": "yes" }
     ]`;
const PODS_INIT_CONTAINER = `[
		 {"op":"add","path":"/spec/initContainers","value":[{"image":"webhook-added-image","name":"webhook-added-init-container","resources":{}}]}
	]`;
const podsSidecar = (image: string) => `[
		{"op":"add", "path":"/spec/containers/-","value":{"image":"${image}","name":"webhook-added-sidecar","resources":{}}}
	]`;
const CONFIGMAP_PATCH_1 = `[
         { "op": "add", "path": "/data/mutation-stage-1", "value": "yes" }
     ]`;
const CONFIGMAP_PATCH_2 = `[
         { "op": "add", "path": "/data/mutation-stage-2", "value": "yes" }
     ]`;

/** A day: what "never answers" takes here (longer than any webhook's timeoutSeconds, at most 30). */
const FOREVER_MS = 86_400_000;

const sameResource = (r: unknown, resource: string) => isObj(r) && r.group === "" && r.version === "v1" && r.resource === resource;
const labelsOf = (o: unknown): Record<string, string> => (isObj(o) && isObj(o.metadata) && isObj(o.metadata.labels) ? (o.metadata.labels as Record<string, string>) : {});
const containers = (o: unknown, field: "containers" | "initContainers"): Obj[] => (isObj(o) && isObj(o.spec) && Array.isArray(o.spec[field]) ? (o.spec[field] as unknown[]).filter(isObj) : []);
const hasContainer = (list: Obj[], name: string) => list.some((c) => c.name === name);

export class AgnhostWebhookServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly port: number,
    private readonly certFile: string,
    private readonly keyFile: string,
    private readonly sidecarImage: string,
    private readonly startMs = 0,
  ) {
    super(io);
    // Its http.Server has no SIGTERM handler (Go's default as PID 1).
    this.onStop = { exitCode: 2 };
  }

  protected run(): void {
    // config.go configTLS: tls.LoadX509KeyPair, klog.Fatal on error.
    const problem = this.keyPairProblem();
    if (problem) {
      this.logErr(`${glogPrefix(this.io.clock.now(), "F", "config.go:33")}${problem}`);
      return this.exit(255);
    }
    this.listen(this.port, (req) => this.serve(req), this.startMs, true);
  }

  private keyPairProblem(): string | undefined {
    for (const [path, what] of [[this.certFile, "certificate"], [this.keyFile, "key"]] as const) {
      if (path === "") return "open : no such file or directory";
      const st = this.io.fs.stat(path);
      if (!st) return `open ${path}: no such file or directory`;
      if (st.type !== "file") return `read ${path}: is a directory`;
      if (!this.io.fs.readFile(path).includes("-----BEGIN ")) return `tls: failed to find any PEM data in ${what} input`;
    }
    return undefined;
  }

  private serve(req: HttpRequest): HttpAnswer {
    const { path } = parseRequestPath(req.path);
    if (path === "/readyz") return { status: 200, body: "ok" };
    const admit = this.admitFunc(path);
    if (!admit) return { status: 404, body: "404 page not found\n" };
    // serve(): the content type is checked first; a wrong one ends the handler with nothing written.
    if ((req.headers["Content-Type"] ?? req.headers["content-type"]) !== "application/json") return { status: 200, body: "" };
    let review: unknown;
    try {
      review = JSON.parse(req.body ?? "");
    } catch {
      return { status: 400, body: "Request could not be decoded: couldn't get version/kind; json parse error: unexpected end of JSON input\n" };
    }
    const apiVersion = isObj(review) ? review.apiVersion : undefined;
    if (!isObj(review) || review.kind !== "AdmissionReview" || (apiVersion !== "admission.k8s.io/v1" && apiVersion !== "admission.k8s.io/v1beta1")) {
      // schema.GroupVersionKind.String(): `<group>/<version>, Kind=<kind>` (the core group empty).
      const av = isObj(review) ? String(review.apiVersion ?? "") : "";
      const gvk = `${av.includes("/") ? av : `/${av}`}, Kind=${isObj(review) ? String(review.kind ?? "") : ""}`;
      return { status: 400, body: `Unsupported group version kind: ${gvk}\n` };
    }
    const request = isObj(review.request) ? review.request : {};
    const { response, delayMs } = admit(request);
    const body = JSON.stringify({ kind: "AdmissionReview", apiVersion, response: { uid: request.uid ?? "", ...response } });
    return delayMs ? { status: 200, body, delayMs } : { status: 200, body };
  }

  private admitFunc(path: string): ((req: Obj) => { response: Response; delayMs?: number }) | undefined {
    switch (path) {
      case "/always-allow-delay-5s":
        return () => ({ response: { allowed: true, status: { metadata: {}, message: "this webhook allows all requests" } }, delayMs: 5000 });
      case "/always-deny":
        return () => ({ response: { allowed: false, status: { metadata: {}, message: "this webhook denies all requests" } } });
      case "/add-label":
        return (req) => ({ response: addLabel(req) });
      case "/pods":
        return admitPods;
      case "/pods/attach":
        return (req) => ({ response: denySpecificAttachment(req) });
      case "/mutating-pods":
        return (req) => ({ response: applyPodPatch(req, (pod) => isObj(pod.metadata) && pod.metadata.name === "webhook-to-be-mutated" && !hasContainer(containers(pod, "initContainers"), "webhook-added-init-container"), PODS_INIT_CONTAINER) });
      case "/mutating-pods-sidecar":
        return (req) => {
          if (this.sidecarImage === "") return { response: { allowed: false, status: { metadata: {}, status: "Failure", message: "No image specified by the sidecar-image parameter", code: 500 } } };
          return { response: applyPodPatch(req, (pod) => !hasContainer(containers(pod, "containers"), "webhook-added-sidecar"), podsSidecar(this.sidecarImage)) };
        };
      case "/configmaps":
        return (req) => ({ response: admitConfigMaps(req) });
      case "/mutating-configmaps":
        return (req) => ({ response: mutateConfigmaps(req) });
      default:
        return undefined;
    }
  }
}

/** addlabel.go. */
function addLabel(req: Obj): Response {
  const labels = labelsOf(req.object);
  if (Object.keys(labels).length === 0) return jsonPatch(ADD_FIRST_LABEL);
  if (!("added-label" in labels)) return jsonPatch(ADD_ADDITIONAL_LABEL);
  if (labels["added-label"] !== "yes") return jsonPatch(UPDATE_LABEL);
  return { allowed: true };
}

/** pods.go admitPods. */
function admitPods(req: Obj): { response: Response; delayMs?: number } {
  if (!sameResource(req.resource, "pods")) return { response: { allowed: false, status: { metadata: {}, message: "expect resource to be { v1 pods}" } } };
  let msg = "";
  let allowed = true;
  let delayMs: number | undefined;
  const v = labelsOf(req.object)["webhook-e2e-test"];
  if (v === "webhook-disallow") {
    allowed = false;
    msg += "the pod contains unwanted label; ";
  }
  if (v === "wait-forever") {
    allowed = false;
    msg += "the pod response should not be sent; ";
    delayMs = FOREVER_MS;
  }
  for (const c of containers(req.object, "containers")) {
    if (typeof c.name === "string" && c.name.includes("webhook-disallow")) {
      allowed = false;
      msg += "the pod contains unwanted container name; ";
    }
  }
  const response: Response = allowed ? { allowed } : { allowed, status: { metadata: {}, message: msg.trim() } };
  return delayMs ? { response, delayMs } : { response };
}

/** pods.go applyPodPatch. */
function applyPodPatch(req: Obj, shouldPatch: (pod: Obj) => boolean, patch: string): Response {
  if (!sameResource(req.resource, "pods")) return { allowed: true };
  const pod = isObj(req.object) ? req.object : {};
  return shouldPatch(pod) ? jsonPatch(patch) : { allowed: true };
}

/** pods.go denySpecificAttachment. */
function denySpecificAttachment(req: Obj): Response {
  if (req.name !== "to-be-attached-pod") return { allowed: true };
  if (!sameResource(req.resource, "pods")) return { allowed: false, status: { metadata: {}, message: "expect resource to be { v1 pods}" } };
  if (req.subResource !== "attach") return { allowed: false, status: { metadata: {}, message: `expect subresource to be attach, got ${String(req.subResource ?? "")}` } };
  const o = isObj(req.object) ? req.object : {};
  if (o.stdin !== true || o.container !== "container1") return { allowed: true };
  return { allowed: false, status: { metadata: {}, message: "attaching to pod 'to-be-attached-pod' is not allowed" } };
}

/** configmap.go admitConfigMaps. */
function admitConfigMaps(req: Obj): Response {
  if (!sameResource(req.resource, "configmaps")) return { allowed: true };
  const raw = req.operation === "DELETE" ? req.oldObject : req.object;
  const data = isObj(raw) && isObj(raw.data) ? (raw.data as Record<string, string>) : {};
  let out: Response = { allowed: true };
  for (const [k, v] of Object.entries(data)) {
    if (k === "webhook-e2e-test" && v === "webhook-disallow" && (req.operation === "CREATE" || req.operation === "UPDATE")) {
      out = { allowed: false, status: { metadata: {}, reason: "the configmap contains unwanted key and value" } };
    }
    if (k === "webhook-e2e-test" && v === "webhook-nondeletable" && req.operation === "DELETE") {
      out = { allowed: false, status: { metadata: {}, reason: "the configmap cannot be deleted because it contains unwanted key and value" } };
    }
  }
  return out;
}

/** configmap.go mutateConfigmaps. */
function mutateConfigmaps(req: Obj): Response {
  if (!sameResource(req.resource, "configmaps")) return { allowed: true };
  const data = isObj(req.object) && isObj(req.object.data) ? (req.object.data as Record<string, string>) : {};
  let patch: string | undefined;
  if (data["mutation-start"] === "yes") patch = CONFIGMAP_PATCH_1;
  if (data["mutation-stage-1"] === "yes") patch = CONFIGMAP_PATCH_2;
  return patch ? jsonPatch(patch) : { allowed: true };
}
