/** Test helpers for the webhook plugins: an API server whose webhook caller runs a function per request. */
import { ApiServer } from "../../store.ts";
import { SimClock } from "../../../sim/clock.ts";
import { defaultAdmissionPlugins } from "../index.ts";
import { setWebhookCaller, type WebhookReply, type WebhookRequest } from "./generic.ts";
import { ApiError } from "../../errors.ts";

/** What a test webhook answers: a response (uid and envelope added), a raw reply, or a call error. */
export type TestAnswer = { response: Record<string, unknown> } | WebhookReply;

export interface Seen {
  /** `<namespace>/<name>:<port><path>` of the service called. */
  to: string;
  /** The AdmissionReview's request. */
  request: Record<string, unknown>;
}

export function serverWith(answer: (req: Record<string, unknown>, call: WebhookRequest) => TestAnswer, seen: Seen[] = []): ApiServer {
  const api = new ApiServer(new SimClock("2024-01-08T00:00:00Z"));
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  for (const ns of ["default", "web"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } } });
  setWebhookCaller(api, (call) => {
    const request = (JSON.parse(call.body) as { request: Record<string, unknown> }).request;
    seen.push({ to: `${call.service.namespace}/${call.service.name}:${call.service.port}${call.service.path ?? ""}`, request });
    const a = answer(request, call);
    if ("response" in a) return { status: 200, body: JSON.stringify({ kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response: { uid: request.uid, ...a.response } }) };
    return a;
  });
  return api;
}

/** `<reason>: <message>` of the ApiError `fn` throws, or "admitted". */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return `${e.reason}(${e.code}): ${e.message}`;
  }
  return "admitted";
}

export const b64 = (ops: unknown) => Buffer.from(JSON.stringify(ops)).toString("base64");
