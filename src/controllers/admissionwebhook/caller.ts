/**
 * How kube-apiserver reaches an admission webhook's Service (k8s.io/apiserver
 * pkg/util/webhook: the ClusterIP service resolver kube-apiserver uses without
 * `--enable-aggregator-routing`, and an HTTPS client that trusts the configuration's caBundle):
 * a POST to the Service's cluster IP and port, which kube-proxy forwards to a ready endpoint. The
 * errors are Go's: `service "<name>" not found`, `dial tcp <cluster IP>:<port>: connect: connection
 * refused` (no ready endpoint, or nothing listening there), `http: server gave HTTP response to
 * HTTPS client` (a plain HTTP server), `tls: failed to verify certificate: x509: certificate signed
 * by unknown authority` (no caBundle: the serving certificate is not trusted), `context deadline
 * exceeded` (the answer takes longer than the webhook's timeoutSeconds). The answer is the HTTP
 * status and body the webhook's program returns to the POST of the AdmissionReview
 * (src/images/programs/ingressnginx.ts, agnhostwebhook.ts); ../../api/admission/webhook/ reads it.
 *
 * Not modelled: checking the caBundle against the certificate the webhook serves (any CA counts);
 * the webhook's latency (the write happens at one simulated instant, a slow answer included).
 */
import type { ClusterContext } from "../../context.ts";
import type { ServicePort } from "../../api/types.gen.ts";
import type { WebhookCaller, WebhookReply } from "../../api/admission/webhook/generic.ts";
import { clusterNetwork } from "../../network/network.ts";

export function webhookCaller(ctx: ClusterContext): WebhookCaller {
  return ({ service, caBundle, timeoutSeconds, body }): WebhookReply => {
    const svc = ctx.api.get("Service", service.namespace, service.name);
    if (!svc) return { error: `service ${JSON.stringify(service.name)} not found` };
    const ip: string | undefined = svc.spec?.clusterIP;
    const refused = { error: `dial tcp ${ip}:${service.port}: connect: connection refused` };
    if (!ip || ip === "None") return { error: `service ${JSON.stringify(service.name)} has no cluster IP` };
    const net = clusterNetwork(ctx);
    const sp = ((svc.spec?.ports ?? []) as ServicePort[]).find((p) => p.port === service.port);
    if (!sp) return refused;
    const ep = net.readyEndpoints(svc, sp.name ?? "")[0];
    if (!ep) return refused;
    const port = ep.port ?? service.port;
    const target = net.listener(ep.ip, port);
    if (!target) return refused;
    if (!target.app.speaksTLS?.(port)) return { error: "http: server gave HTTP response to HTTPS client" };
    if (!caBundle) return { error: "tls: failed to verify certificate: x509: certificate signed by unknown authority" };
    const answer = target.app.handle({ method: "POST", path: `${service.path ?? "/"}?timeout=${timeoutSeconds}s`, port, headers: { "Content-Type": "application/json" }, body });
    // The request's context ends after timeoutSeconds (rest.Request.Timeout).
    if ((answer.delayMs ?? 0) > timeoutSeconds * 1000) return { error: "context deadline exceeded" };
    return { status: answer.status, body: answer.body };
  };
}
