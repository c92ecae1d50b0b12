/**
 * pkg/probe/http/http.go: an HTTP GET with the probe's timeout. 200–399 is success (300–399 a
 * "warning": redirects to another host are not followed), anything else
 * `HTTP probe failed with statuscode: N`; a request error is a failure whose output is Go's
 * error text (`Get "http://10.244.1.5:8080/health": dial tcp 10.244.1.5:8080: connect: connection refused`).
 */
import type { HttpOutcome, HttpRequestSpec } from "../../../runtime/types.ts";
import type { ProbeOutcome } from "./probe.ts";
import { plainToTLS } from "../../../runtime/tls.ts";

/** The kubelet's User-Agent (kube-probe/<major>.<minor>). */
export const PROBE_USER_AGENT = "kube-probe/1.32";

/** Builds the probe's URL as formatURL does: scheme://host:port/path. */
export function probeURL(scheme: string, host: string, port: number, path: string): string {
  const p = path.startsWith("/") ? path : `/${path}`;
  return `${scheme.toLowerCase()}://${host}:${port}${p}`;
}

/** The request headers: the probe's httpHeaders over the defaults (User-Agent, Accept). */
export function probeHeaders(httpHeaders: Array<{ name: string; value: string }> | undefined): Record<string, string> {
  const h: Record<string, string> = { "User-Agent": PROBE_USER_AGENT, Accept: "*/*" };
  for (const { name, value } of httpHeaders ?? []) {
    const canonical = name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, a, b) => a + b.toUpperCase());
    h[canonical] = value;
  }
  return h;
}

export function doHTTPProbe(
  send: (req: HttpRequestSpec, done: (o: HttpOutcome) => void) => void,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  done: (o: ProbeOutcome) => void,
): void {
  if (url.startsWith("https://")) {
    // The probe skips certificate verification (InsecureSkipVerify): a TLS port answers as HTTP
    // does; a plain HTTP server's answer is Go's client error.
    send({ method: "GET", url: url.replace(/^https:/, "http:"), headers, timeoutMs }, (o) =>
      done(o.ok && o.tls ? httpOutcomeToProbe(url, o) : o.ok ? { result: "failure", output: `Get ${JSON.stringify(url)}: http: server gave HTTP response to HTTPS client` } : { result: "failure", output: `Get ${JSON.stringify(url)}: ${o.error}` }),
    );
    return;
  }
  // A plain request to a TLS port: Go's TLS server answers `400 Bad Request` (src/runtime/tls.ts).
  send({ method: "GET", url, headers, timeoutMs }, (o) => done(httpOutcomeToProbe(url, plainToTLS(o))));
}

export function httpOutcomeToProbe(url: string, o: HttpOutcome): ProbeOutcome {
  if (!o.ok) return { result: "failure", output: `Get ${JSON.stringify(url)}: ${o.error}` };
  if (o.status >= 200 && o.status < 400) {
    if (o.status >= 300) return { result: "warning", output: `Probe terminated redirects, Response body: ${o.body}` };
    return { result: "success", output: o.body };
  }
  return { result: "failure", output: `HTTP probe failed with statuscode: ${o.status}` };
}
