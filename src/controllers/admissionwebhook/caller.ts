/**
 * How kube-apiserver reaches an admission webhook's Service (k8s.io/apiserver
 * pkg/util/webhook: the ClusterIP service resolver kube-apiserver uses without
 * `--enable-aggregator-routing`, and an HTTPS client that trusts the configuration's caBundle):
 * a POST to the Service's cluster IP and port, which kube-proxy forwards to a ready endpoint. The
 * errors are Go's: `service "<name>" not found`, `dial tcp <cluster IP>:<port>: connect: connection
 * refused` (no ready endpoint, or nothing listening there), `http: server gave HTTP response to
 * HTTPS client` (a plain HTTP server), `tls: failed to verify certificate: x509: certificate signed
 * by unknown authority` (no caBundle: the serving certificate is not trusted). The answer is the
 * AdmissionReview's `response` (allowed, status.code, status.message) the webhook's program
 * returns (src/images/programs/ingressnginx.ts).
 *
 * Not modelled: checking the caBundle against the certificate the webhook serves (any CA counts),
 * the webhook's latency and timeout.
 */
import type { ClusterContext } from "../../context.ts";
import type { ServicePort } from "../../api/types.gen.ts";
import type { WebhookAnswer, WebhookCaller } from "../../api/admission/webhook.ts";
import { clusterNetwork } from "../../network/network.ts";

export function webhookCaller(ctx: ClusterContext): WebhookCaller {
  return ({ service, caBundle }): WebhookAnswer => {
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
    if (!target) return { error: `dial tcp ${ip}:${service.port}: connect: connection refused` };
    if (!target.app.speaksTLS?.(port)) return { error: "http: server gave HTTP response to HTTPS client" };
    if (!caBundle) return { error: "tls: failed to verify certificate: x509: certificate signed by unknown authority" };
    const answer = target.app.handle({ method: "POST", path: service.path ?? "/", port, headers: { "Content-Type": "application/json" } });
    if (answer.status < 200 || answer.status >= 300) return { error: `webhook returned status ${answer.status}` };
    try {
      const review = JSON.parse(answer.body) as { response?: { allowed?: boolean; status?: { code?: number; message?: string } } };
      const r = review.response;
      if (!r) return { error: "webhook response was absent" };
      return { allowed: r.allowed === true, ...(r.status?.code !== undefined ? { code: r.status.code } : {}), ...(r.status?.message !== undefined ? { message: r.status.message } : {}) };
    } catch (e) {
      return { error: `failed to decode the webhook's response: ${(e as Error).message}` };
    }
  };
}
