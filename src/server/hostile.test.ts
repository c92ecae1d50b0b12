/**
 * What the facade does with hostile or malformed requests that once did harm (each found by a
 * sweep that sent them; kept so they stay answered): the answer is the API server's Status, the
 * server stays up, and nothing is written that a later request would trip over.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import { send, withServer, type Status } from "./testutil.ts";
import { MAX_BODY_DEPTH, tooDeep } from "./depth.ts";
import { request as httpRequest } from "node:http";

const PODS = "/api/v1/namespaces/default/pods";
const POD = { apiVersion: "v1", kind: "Pod", metadata: { name: "p1" }, spec: { containers: [{ name: "c", image: "nginx" }] } };

test("a status write of the wrong shape is refused (the decoder's 400; a patch's 422 on `patch`) and not stored (a stored `conditions: \"x\"` failed every later write of the pod)", async (t) => {
  await withServer(t, async (f, cluster) => {
    assert.equal((await send(f, "POST", PODS, JSON.stringify(POD))).status, 201);
    const before = JSON.stringify(cluster.api.get("Pod", "default", "p1"));
    const cases: Array<[string, string, string, string]> = [
      ["PUT", "", JSON.stringify({ ...POD, status: "x" }), 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.status of type v1.PodStatus'],
      ["PUT", "", JSON.stringify({ ...POD, status: { conditions: "x" } }), 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodStatus.status.conditions of type []v1.PodCondition'],
      ["PUT", "", JSON.stringify({ ...POD, status: { phase: 5 } }), 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field PodStatus.status.phase of type string'],
      ["PATCH", "application/merge-patch+json", JSON.stringify({ status: { conditions: "x" } }), 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodStatus.status.conditions of type []v1.PodCondition'],
      // A strategic merge patch is converted from unstructured (applyPatchToObject): FromUnstructured's text, the patch map as %+v.
      ["PATCH", "application/strategic-merge-patch+json", JSON.stringify({ status: "x" }), ' "" is invalid: patch: Invalid value: "map[status:x]": cannot restore struct from: string'],
      ["PATCH", "application/json-patch+json", JSON.stringify([{ op: "add", path: "/status/hostIP", value: 7 }]), 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field PodStatus.status.hostIP of type string'],
    ];
    for (const [method, type, body, message] of cases) {
      const r = await send(f, method, `${PODS}/p1/status`, body, type || "application/json");
      if (type === "application/merge-patch+json" || type === "application/json-patch+json") {
        // jsonPatcher decodes the patched object itself (runtime.DecodeInto in handlers/patch.go):
        // the decoder's text in a 422 Invalid on `patch`, not create's and update's 400.
        const decoderText = message.replace(/^.* cannot be handled as a Pod: /, "");
        assert.deepEqual([r.status, r.body.reason], [422, "Invalid"], `${method} ${type} ${body}: ${r.body.message}`);
        assert.ok(r.body.message.startsWith(' "" is invalid: patch: Invalid value: "{') && r.body.message.endsWith(`}": ${decoderText}`), `${method} ${type} ${body}: ${r.body.message}`);
        continue;
      }
      if (type === "application/strategic-merge-patch+json") assert.deepEqual([r.status, r.body.reason, r.body.message], [422, "Invalid", message], `${method} ${body}`);
      else assert.deepEqual([r.status, r.body.reason, r.body.message], [400, "BadRequest", message], `${method} ${body}`);
    }
    assert.equal(JSON.stringify(cluster.api.get("Pod", "default", "p1")), before, "the pod is as it was");
    // A well-formed status write still goes through, and later writes of the pod too.
    const ok = await send(f, "PATCH", `${PODS}/p1/status`, JSON.stringify({ status: { conditions: [{ type: "Custom", status: "True" }] } }), "application/merge-patch+json");
    assert.equal(ok.status, 200, ok.body.message);
    assert.equal((await send(f, "PATCH", `${PODS}/p1`, JSON.stringify({ metadata: { labels: { a: "b" } } }), "application/merge-patch+json")).status, 200);
    // Unknown fields of a status write are dropped and reported, as the field validation says.
    const warned = await f(`${PODS}/p1/status`, { method: "PATCH", body: JSON.stringify({ status: { bogus: 1 } }), headers: { "content-type": "application/merge-patch+json" } });
    assert.equal(warned.status, 200);
    assert.equal(warned.headers.get("warning"), '299 - "unknown field \\"status.bogus\\""');
    assert.equal(cluster.api.get("Pod", "default", "p1")!.status.bogus, undefined);
    const strict = await send(f, "PATCH", `${PODS}/p1/status?fieldValidation=Strict`, JSON.stringify({ status: { bogus: 1 } }), "application/merge-patch+json");
    assert.deepEqual([strict.status, strict.body.message], [400, 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "status.bogus"']);
  });
});

test("a server-side apply to the status subresource writes the status only (it was applied to the main resource: its labels written, its status dropped)", async (t) => {
  await withServer(t, async (f, cluster) => {
    const SVC = { apiVersion: "v1", kind: "Service", metadata: { name: "s1" }, spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80 }] } };
    const SVCS = "/api/v1/namespaces/default/services";
    assert.equal((await send(f, "POST", SVCS, JSON.stringify(SVC))).status, 201);
    const apply = (path: string, body: object) => send(f, "PATCH", `${path}?fieldManager=test`, JSON.stringify(body), "application/apply-patch+yaml");
    const r = await apply(`${SVCS}/s1/status`, { apiVersion: "v1", kind: "Service", metadata: { name: "s1", labels: { applied: "yes" } }, status: { loadBalancer: { ingress: [{ ip: "192.0.2.7" }] } } });
    assert.equal(r.status, 200, r.body.message);
    const svc = cluster.api.get("Service", "default", "s1")!;
    assert.equal(svc.metadata.labels?.applied, undefined, "the labels are not the status's");
    // v1.32 defaults the address's ipMode to VIP (LoadBalancerIPMode, beta and on).
    assert.deepEqual(svc.status.loadBalancer, { ingress: [{ ip: "192.0.2.7", ipMode: "VIP" }] }, "the status is written");
    const bad = await apply(`${SVCS}/s1/status`, { apiVersion: "v1", kind: "Service", metadata: { name: "s1" }, status: { loadBalancer: "x" } });
    assert.deepEqual([bad.status, bad.body.message], [400, 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServiceStatus.status.loadBalancer of type v1.LoadBalancerStatus']);
    // The status of an object that does not exist is not created.
    const missing = await apply(`${SVCS}/nope/status`, { apiVersion: "v1", kind: "Service", metadata: { name: "nope" }, status: { loadBalancer: {} } });
    assert.deepEqual([missing.status, missing.body.message], [404, 'services "nope" not found']);
    assert.equal(cluster.api.get("Service", "default", "nope"), undefined);
    // An apply configuration whose metadata is no map is the decoder's 400, not a 500.
    const meta = await apply(`${SVCS}/s1`, { apiVersion: "v1", kind: "Service", metadata: "x" });
    assert.deepEqual([meta.status, meta.body.message], [400, 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field Service.metadata of type v1.ObjectMeta']);
  });
});

test("JSON patches are bounded as the API server bounds them: 10000 operations, 3 MiB of copies (a list copied into itself 40 times would take gigabytes)", async (t) => {
  await withServer(t, async (f, cluster) => {
    assert.equal((await send(f, "POST", PODS, JSON.stringify(POD))).status, 201);
    const before = JSON.stringify(cluster.api.get("Pod", "default", "p1"));
    const many = Array.from({ length: 10001 }, (_, i) => ({ op: "add", path: "/metadata/labels", value: { i: String(i) } }));
    const r = await send(f, "PATCH", `${PODS}/p1`, JSON.stringify(many), "application/json-patch+json");
    assert.deepEqual([r.status, r.body.reason, r.body.message], [413, "RequestEntityTooLarge", "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001"]);
    const doubling = Array.from({ length: 40 }, () => ({ op: "copy", from: "/spec/containers", path: "/spec/containers/-" }));
    const d = await send(f, "PATCH", `${PODS}/p1`, JSON.stringify(doubling), "application/json-patch+json");
    // NewGenericServerResponse(422): the library's reason is not passed on.
    assert.deepEqual([d.status, d.body.reason, d.body.message], [422, "Invalid", "the server rejected our request due to an error in our request"]);
    assert.equal(JSON.stringify(cluster.api.get("Pod", "default", "p1")), before);
    // 10000 operations are taken.
    const most = Array.from({ length: 10000 }, (_, i) => ({ op: "add", path: "/metadata/labels", value: { i: String(i) } }));
    const ok = await send(f, "PATCH", `${PODS}/p1`, JSON.stringify(most), "application/json-patch+json");
    assert.equal(ok.status, 200, ok.body.message);
    assert.deepEqual(cluster.api.get("Pod", "default", "p1")!.metadata.labels, { i: "9999" });
  });
});

test("a path segment `..` names an object (refused), never the parent path: DELETE .../pods/.. deleted the namespace", async () => {
  const cluster = new Cluster();
  const s = await serve(cluster, { token: false });
  // Sent as it is (a URL object would resolve the dot segments before sending).
  const raw = (method: string, path: string) =>
    new Promise<{ status: number; body: Status }>((resolve, reject) => {
      const u = new URL(s.url);
      const req = httpRequest({ host: u.hostname, port: u.port, method, path }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Status }));
      });
      req.on("error", reject);
      req.end();
    });
  try {
    for (const seg of ["..", "%2e%2e", "%2E.", "."]) {
      const name = decodeURIComponent(seg);
      for (const method of ["GET", "DELETE"]) {
        const r = await raw(method, `${PODS}/${seg}`);
        assert.deepEqual([r.status, r.body.reason, r.body.message], [400, "BadRequest", `Name parameter invalid: "${name}": may not be '${name}'`], `${method} ${seg}`);
      }
    }
    assert.equal((await raw("DELETE", "/api/v1/namespaces/default/pods/x/../..")).status, 400);
    assert.equal(cluster.api.get("Namespace", undefined, "default")?.metadata.deletionTimestamp, undefined);
  } finally {
    await s.close();
    await cluster.close();
  }
});

test("an authorization review whose body is not JSON is the decoder's 400, not a 500", async (t) => {
  await withServer(t, async (f) => {
    const path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    const r = await send(f, "POST", path, "{");
    assert.deepEqual([r.status, r.body.message], [400, "the object provided is unrecognized (must be of type SelfSubjectAccessReview): couldn't get version/kind; json parse error: unexpected end of JSON input ({)"]);
    const arr = await send(f, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", "[1]");
    assert.equal(arr.status, 400);
    assert.match(arr.body.message, /^the object provided is unrecognized \(must be of type SubjectAccessReview\): couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value of type struct/);
  });
});

test("a resourceVersion beyond uint64 is ParseUint's out of range, not another version", async (t) => {
  await withServer(t, async (f) => {
    const big = "99999999999999999999999";
    const list = await send(f, "GET", `${PODS}?resourceVersion=${big}`);
    assert.deepEqual([list.status, list.body.message], [400, `resourceVersion: Invalid value: "${big}": strconv.ParseUint: parsing "${big}": value out of range`]);
    const watch = await send(f, "GET", `${PODS}?watch=1&resourceVersion=${big}`);
    assert.deepEqual([watch.status, watch.body.message], [500, `resourceVersion: Invalid value: "${big}": strconv.ParseUint: parsing "${big}": value out of range`]);
  });
});

test("a TokenRequest whose expiry is no int64 is the decoder's 400, not a 500 (it became an invalid date)", async (t) => {
  await withServer(t, async (f) => {
    const path = "/api/v1/namespaces/default/serviceaccounts/default/token";
    const cases: Array<[unknown, string]> = [
      [{ expirationSeconds: "x" }, "cannot unmarshal string into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64"],
      [{ expirationSeconds: 1e20 }, "cannot unmarshal number 100000000000000000000 into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64"],
      [{ audiences: "x" }, "cannot unmarshal string into Go struct field TokenRequestSpec.spec.audiences of type []string"],
      ["x", "cannot unmarshal string into Go struct field TokenRequest.spec of type v1.TokenRequestSpec"],
    ];
    for (const [spec, why] of cases) {
      const r = await send(f, "POST", path, JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec }));
      assert.deepEqual([r.status, r.body.message], [400, `TokenRequest in version "v1" cannot be handled as a TokenRequest: json: ${why}`]);
    }
    const ok = await send(f, "POST", path, JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } }));
    assert.equal(ok.status, 201);
  });
});

test("a body nested deeper than the facade's limit is refused before it is parsed (a recursion running out of stack was a 500, or the end of the process); one within it is decoded (unknown fields dropped first)", async (t) => {
  await withServer(t, async (f, cluster) => {
    const body = (name: string, depth: number) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"extra":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
    for (const depth of [MAX_BODY_DEPTH, 9990]) {
      const r = await send(f, "POST", "/api/v1/namespaces/default/configmaps", body(`deep${depth}`, depth));
      assert.deepEqual([r.status, r.body.reason, r.body.message], [400, "BadRequest", tooDeep("the body of the request").message]);
      assert.equal(cluster.api.get("ConfigMap", "default", `deep${depth}`), undefined);
    }
    const r = await f("/api/v1/namespaces/default/configmaps", { method: "POST", body: body("within", MAX_BODY_DEPTH - 2), headers: { "content-type": "application/json" } });
    assert.equal(r.status, 201, await r.clone().text());
    assert.equal(r.headers.get("warning"), '299 - "unknown field \\"extra\\""');
    assert.equal(cluster.api.get("ConfigMap", "default", "within")!.extra, undefined);
  });
});

test("pods/attach without an Upgrade header is a 400 asking for one (it was a 404), after the pod and container are checked", async (t) => {
  await withServer(t, async (f, cluster) => {
    assert.equal((await send(f, "POST", PODS, JSON.stringify({ ...POD, spec: { containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }] } }))).status, 201);
    cluster.advanceSync(20_000);
    const r = await send(f, "POST", `${PODS}/p1/attach?stdout=true`);
    assert.deepEqual([r.status, r.body.message], [400, "Upgrade request required"]);
    const bad = await send(f, "POST", `${PODS}/p1/attach?container=zz`);
    assert.deepEqual([bad.status, bad.body.message], [400, "container zz is not valid for pod p1"]);
  });
});

test("a DELETE whose body does not decode as DeleteOptions gets v1.32's answer (the decoder's text as a 500 without reason, kubernetes#132359) and deletes nothing", async (t) => {
  await withServer(t, async (f, cluster) => {
    const CMS = "/api/v1/namespaces/default/configmaps";
    // (Node's client sends a DELETE's body unframed unless it is given its length.)
    const del = async (path: string, body: string, type = "application/json") => {
      const r = await f(path, { method: "DELETE", body, headers: { "content-type": type, "content-length": String(Buffer.byteLength(body)) } });
      return { status: r.status, body: (await r.json()) as Status & Record<string, unknown> };
    };
    assert.equal((await send(f, "POST", CMS, JSON.stringify({ metadata: { name: "keep" } }))).status, 201);
    const cases: Array<[string, string, string]> = [
      ["not json", "application/json", "couldn't get version/kind; json parse error: invalid character 'o' in literal null (expecting 'u')"],
      ["{", "application/json", "couldn't get version/kind; json parse error: unexpected end of JSON input"],
      ["[1]", "application/json", `couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`],
      ['{"gracePeriodSeconds":"x"}', "application/json", "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64"],
      ['{"gracePeriodSeconds":1.5}', "application/json", "json: cannot unmarshal number 1.5 into Go struct field DeleteOptions.gracePeriodSeconds of type int64"],
      ['{"propagationPolicy":1}', "application/json", "json: cannot unmarshal number into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation"],
      ['{"dryRun":"All"}', "application/json", "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string"],
      ['{"preconditions":{"uid":7}}', "application/json", "json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type types.UID"],
    ];
    for (const [body, type, message] of cases) {
      const r = await del(`${CMS}/keep`, body, type);
      assert.deepEqual({ status: r.status, body: r.body }, { status: 500, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code: 500 } }, body);
    }
    const yaml = await del(`${CMS}/keep`, "a: [", "application/yaml");
    assert.equal(yaml.status, 500);
    assert.match(yaml.body.message, /^error converting YAML to JSON: yaml: /);
    assert.ok(cluster.api.get("ConfigMap", "default", "keep"), "nothing was deleted");
    // A YAML body that decodes is taken (a dry run deletes nothing), and `null` is no options at all.
    assert.equal((await del(`${CMS}/keep`, "dryRun: [All]\npropagationPolicy: Background\n", "application/yaml")).status, 200);
    assert.ok(cluster.api.get("ConfigMap", "default", "keep"));
    assert.equal((await del(`${CMS}/keep`, "null")).status, 200);
    assert.equal(cluster.api.get("ConfigMap", "default", "keep"), undefined);
  });
});

test("an advance longer than the cluster may run at once is the client's 400 saying how long it may be (it was a 500 internal error)", async (t) => {
  await withServer(t, async (f, cluster) => {
    const before = cluster.clock.now();
    const long = await send(f, "POST", "/kube-scenario/v1/advance?duration=100000h");
    assert.equal(long.status, 400);
    assert.equal(long.body.reason, "BadRequest");
    assert.match(long.body.message, /^advancing by 4166\.7 days would fire about [\d,]+ periodic timers \(.*\), more than the [\d,]+ one advance may run: let at most about [\d.]+ days pass at a time in this cluster/);
    const absurd = await send(f, "POST", "/kube-scenario/v1/advance?ms=99999999999999999999999");
    assert.deepEqual([absurd.status, absurd.body.message], [400, "invalid duration: ms=99999999999999999999999 is longer than the 2562047h0m0s one advance may let pass"]);
    assert.equal(cluster.clock.now(), before, "no time passed");
    assert.equal((await send(f, "POST", "/kube-scenario/v1/advance?duration=1s")).status, 200);
  });
});

test("exec and attach with none of stdin, stdout and stderr are the kubelet's plain-text 400 (remotecommand.NewOptions), before the upgrade", async () => {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec:\n  containers: [{name: c, image: busybox, command: ['sleep', '3600']}]\n");
  cluster.advanceSync(20_000);
  const s = await serve(cluster, { token: false });
  const upgrade = (path: string) =>
    new Promise<{ status: number; type: string | undefined; text: string }>((resolve, reject) => {
      const u = new URL(s.url);
      const req = httpRequest({ host: u.hostname, port: u.port, method: "GET", path, headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "v5.channel.k8s.io" } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], text }));
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, type: undefined, text: "" });
      });
      req.on("error", reject);
      req.end();
    });
  try {
    const refused = { status: 400, type: "text/plain; charset=utf-8", text: "you must specify at least 1 of stdin, stdout, stderr" };
    assert.deepEqual(await upgrade(`${PODS}/p1/exec?command=ls`), refused);
    assert.deepEqual(await upgrade(`${PODS}/p1/attach?stdin=false&tty=true`), refused);
    // The API server's checks come first (no command), and one stream is enough.
    assert.equal((await upgrade(`${PODS}/p1/exec?stdout=false`)).status, 400);
    assert.equal((await upgrade(`${PODS}/p1/exec?command=true&stderr=1`)).status, 101);
  } finally {
    await s.close();
    await cluster.close();
  }
});

test("an Accept header of 40,000 media types (1 MiB) is answered without holding the server for seconds: it sorted the clauses by insertion sort", async (t) => {
  await withServer(t, async (f) => {
    const accept = Array.from({ length: 40_000 }, (_, i) => `application/x${i};q=0.${i % 9}`).join(", ");
    const before = process.cpuUsage();
    const r = await f(PODS, { headers: { accept } });
    const used = process.cpuUsage(before);
    assert.equal(r.status, 406);
    assert.match(((await r.json()) as Status).message, /^only the following media types are accepted: application\/json, application\/yaml/);
    // This process's CPU time (server and client), not wall time: about 3 s before.
    assert.ok(used.user + used.system < 1_500_000, `${((used.user + used.system) / 1000).toFixed(0)} ms of CPU for one request`);
    assert.equal((await f(PODS)).status, 200);
  });
});

test("a strategic merge patch of a 1,000-item list is served in bounded CPU (findIndex inside an insertion sort: minutes of a blocked server)", async (t) => {
  await withServer(t, async (f) => {
    const env = Array.from({ length: 1_000 }, (_, i) => ({ name: `E${i}`, value: "v" }));
    const dep = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 0, selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "nginx", env }] } } } };
    const DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";
    assert.equal((await send(f, "POST", DEPLOYS, JSON.stringify(dep))).status, 201);
    const patch = { spec: { template: { spec: { containers: [{ name: "c", env: env.map((e) => ({ ...e, value: "w" })).reverse() }] } } } };
    const before = process.cpuUsage();
    const r = await send(f, "PATCH", `${DEPLOYS}/d`, JSON.stringify(patch), "application/strategic-merge-patch+json");
    const used = process.cpuUsage(before);
    assert.equal(r.status, 200);
    assert.ok(used.user + used.system < 3_000_000, `${((used.user + used.system) / 1000).toFixed(0)} ms of CPU for one patch`);
  });
});
