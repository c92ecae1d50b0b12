import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { pyDumps, REVIEWS_START_MS } from "./bookinfo.ts";
import { clusterNetwork } from "../../network/network.ts";
import type { HttpOutcome } from "../../runtime/types.ts";

/** The verbatim bookinfo.yaml on two nodes, applied and given time to start. */
function bookinfo(ms: number): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "kind-worker", cpu: "4", memory: "8Gi" }, { name: "kind-worker2", cpu: "4", memory: "8Gi" }]);
  assert.equal(c.kubectlSync("apply -f https://raw.githubusercontent.com/istio/istio/1.29.6/samples/bookinfo/platform/kube/bookinfo.yaml").exitCode, 0);
  c.advanceSync(ms);
  return c;
}

/** curl from the ratings container (its image has curl), without the line end the terminal adds. */
const curl = (c: Cluster, url: string) => {
  const r = c.kubectlSync(`exec deploy/ratings-v1 -- curl -sS ${url}`);
  return { ...r, stdout: r.stdout.replace(/\n$/, "") };
};

/** A request from outside the pods (the node), at once. */
function get(c: Cluster, url: string): string {
  let o: HttpOutcome | undefined;
  clusterNetwork(c.ctx).send({ method: "GET", url, timeoutMs: 5_000 }, (d) => (o = d.outcome));
  c.advanceSync(100);
  assert.ok(o);
  return o.ok ? o.body : o.error;
}

test("simplejson's separators and ensure_ascii", () => {
  assert.equal(pyDumps([{ id: 0, t: "a'b\"→" }, null]), '[{"id": 0, "t": "a\'b\\"\\u2192"}, null]');
});

test("details, ratings and reviews answer as their sources; v1 without ratings, v2 black stars, v3 red", () => {
  const c = bookinfo(60_000);
  assert.equal(curl(c, "details:9080/health").stdout, '{"status":"Details is healthy"}');
  assert.equal(curl(c, "details:9080/details/x").stdout, '{"error":"please provide numeric product id"}');
  assert.equal(curl(c, "ratings:9080/ratings/3").stdout, '{"id":3,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
  assert.equal(curl(c, "ratings:9080/health").stdout, '{"status":"Ratings is healthy"}');
  const byVersion = new Map<string, string>();
  for (const v of ["v1", "v2", "v3"]) {
    const pod = c.kubectlSync(`get pod -l app=reviews,version=${v} -o jsonpath={.items[0].status.podIP}`).stdout;
    byVersion.set(v, curl(c, `${pod}:9080/reviews/0`).stdout);
  }
  assert.match(byVersion.get("v1")!, /^\{"id": "0","podname": "reviews-v1-[a-z0-9]+-[a-z0-9]{5}","clustername": "null","reviews": \[\{ {2}"reviewer": "Reviewer1", {2}"text": "An extremely entertaining play by Shakespeare\. The slapstick humour is refreshing!"\},\{/);
  assert.doesNotMatch(byVersion.get("v1")!, /rating/);
  assert.match(byVersion.get("v2")!, /"Reviewer1",.*, "rating": \{"stars": 5, "color": "black"\}\},\{.*"rating": \{"stars": 4, "color": "black"\}\}\]\}$/);
  assert.match(byVersion.get("v3")!, /"rating": \{"stars": 5, "color": "red"\}/);
  // The product page renders the template with the details and one version's reviews.
  const page = curl(c, "productpage:9080/productpage").stdout;
  assert.match(page, /<title>Simple Bookstore App<\/title>/);
  assert.match(page, /<td class="whitespace-nowrap px-2 py-2 text-sm font-medium text-gray-900">PublisherA<\/td>/);
  assert.match(page, /Reviews served by: \n {18}reviews-v[123]-/);
  assert.equal(curl(c, "productpage:9080/health").stdout, "Product page is healthy");
  assert.match(curl(c, "productpage:9080/nope").stdout, /<title>404 Not Found<\/title>/);
  c.close();
});

test("without the ratings and details Services: reviews v3 says the ratings are unavailable, the page shows its details error", () => {
  const c = bookinfo(60_000);
  c.kubectlSync("delete service ratings details");
  c.advanceSync(40_000);
  const pod = c.kubectlSync("get pod -l app=reviews,version=v3 -o jsonpath={.items[0].status.podIP}").stdout;
  const inPage = (url: string) => curl(c, url).stdout;
  assert.match(inPage(`${pod}:9080/reviews/0`), /"rating": \{"error": "Ratings service is currently unavailable"\}/);
  const page = inPage("productpage:9080/productpage");
  assert.match(page, /<p class="text-2xl text-red-500">Error fetching product details<\/p>\n {10}\n {10}<p class="text-lg text-gray-600">Sorry, product details are currently unavailable for this book\.<\/p>/);
  c.close();
});

test("reviews listens only once Liberty has started", () => {
  const c = bookinfo(0);
  let started: number | undefined;
  for (let t = 0; t < 60_000 && started === undefined; t += 1_000) {
    c.advanceSync(1_000);
    const s = c.api.get("Pod", "default", c.kubectlSync("get pod -l version=v1,app=reviews -o jsonpath={.items[0].metadata.name}").stdout)?.status?.containerStatuses?.[0]?.state?.running?.startedAt;
    if (s) started = Date.parse(s);
  }
  assert.ok(started !== undefined);
  const ip = c.kubectlSync("get pod -l version=v1,app=reviews -o jsonpath={.items[0].status.podIP}").stdout;
  assert.match(get(c, `http://${ip}:9080/health`), /connect: connection refused/);
  c.advanceSync(REVIEWS_START_MS);
  assert.equal(get(c, `http://${ip}:9080/health`), '{"status": "Reviews is healthy"}');
  c.close();
});
