import { parse as parseYaml } from "yaml";
import type { DataTable } from "@cucumber/cucumber";
import { action, Given, simOnly, Then, When } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import type { TrafficClient } from "../src/network/client.ts";
import { requestAndWait, runClient, type Response } from "../src/network/traffic.ts";
import { expect } from "../src/assert/expect.ts";
import { checkAnsweredBy, checkBody, checkCounts, checkFailedBetween, checkFailedRate, checkStatus } from "../src/assert/traffic.ts";
import { declareApplication } from "../src/images/apps/catalogue.ts";
import { clusterNetwork } from "../src/network/network.ts";

/** The scenario's last response and last client. */
const state = new WeakMap<KubeWorld, { response?: Response; client?: TrafficClient }>();
const of = (w: KubeWorld) => state.get(w) ?? (state.set(w, {}), state.get(w)!);
const response = (w: KubeWorld) => of(w).response ?? fail('no request was sent yet: use `When I request "http://..."` first');
const client = (w: KubeWorld) => of(w).client ?? fail('no client ran yet: use `When a client requests "http://..." every 1 second for 60 seconds` first');
/** Requests go through the simulated cluster's network (Services, endpoints, applications). */
const NETWORK = "requests are sent inside the simulated cluster's network; a live run would need a client pod (not implemented)";

function fail(message: string): never {
  throw new Error(message);
}

action("I request {string}", simOnly(NETWORK, function (this: KubeWorld, url: string) {
  of(this).response = requestAndWait(this.cluster.ctx, url);
}));

Then("the response status is {int}", simOnly(NETWORK, function (this: KubeWorld, status: number) {
  expect(checkStatus(response(this), status));
}));

Then("the response body is {string}", simOnly(NETWORK, function (this: KubeWorld, body: string) {
  expect(checkBody(response(this), body));
}));

When("a client requests {string} every {duration} for {duration}", simOnly(NETWORK, function (this: KubeWorld, url: string, every: number, span: number) {
  of(this).client = runClient(this.cluster.ctx, url, every, span);
  this.attachText("client.txt", of(this).client!.summary(200));
}));

Then("the client saw {int} successful and {int} failed requests", simOnly(NETWORK, function (this: KubeWorld, ok: number, failed: number) {
  expect(checkCounts(client(this), ok, failed));
}));

Then("the client saw between {int} and {int} failed requests", simOnly(NETWORK, function (this: KubeWorld, min: number, max: number) {
  expect(checkFailedBetween(client(this), min, max));
}));

/** The share of failed requests, within 5 percentage points. */
Then("the client saw about {int}% failed requests", simOnly(NETWORK, function (this: KubeWorld, percent: number) {
  expect(checkFailedRate(client(this), percent, 5));
}));

/** The share of failed requests with an explicit tolerance in percentage points: `50% failed requests give or take 10%`. */
Then("the client saw {int}% failed requests give or take {int}%", simOnly(NETWORK, function (this: KubeWorld, percent: number, tolerance: number) {
  expect(checkFailedRate(client(this), percent, tolerance));
}));

Then("the client saw no failed requests", simOnly(NETWORK, function (this: KubeWorld) {
  expect(checkFailedBetween(client(this), 0, 0));
}));

Then("the client's requests were answered by pods {string}", simOnly(NETWORK, function (this: KubeWorld, pods: string) {
  expect(checkAnsweredBy(client(this), pods));
}));

/** Declares an application image from YAML (see docs/applications.md): ports, startup, routes over time, exitAfter, memory. */
Given("the image {string} behaves as:", simOnly("it declares how a simulated image behaves; a live cluster runs the real image", function (this: KubeWorld, image: string, yaml: string) {
  declareApplication(this.cluster.ctx, image, parseYaml(yaml));
}));

/**
 * A DNS server outside the cluster and the A records it answers (src/network/dnsservers.ts): what a
 * Corefile's `forward` or a Pod's `dnsConfig` nameserver reaches; it does not recurse, and an address
 * no scenario declared answers nothing.
 */
Given("the DNS server {string} answers:", simOnly("it declares a DNS server outside the simulated cluster; a live cluster queries the real one", function (this: KubeWorld, ip: string, table: DataTable) {
  if (!table || typeof table.hashes !== "function") throw new Error('give the records as a table with the columns "name" and "address"');
  clusterNetwork(this.cluster.ctx).dnsServers.declare(ip, table.hashes());
}));

/** A host outside the cluster and what each path answers (src/network/externalhosts.ts); undeclared names do not resolve. */
Given("the external host {string} answers:", simOnly("it declares a host of the simulated Internet; a live cluster reaches the real one", function (this: KubeWorld, host: string, yaml: string) {
  clusterNetwork(this.cluster.ctx).externalHosts.declareYaml(host, yaml);
}));
