/**
 * cert-manager's images (quay.io/jetstack/cert-manager-{controller,webhook,cainjector}, modelled on
 * v1.16.1): distroless static images holding one Go binary each, no shell. Their programs:
 * ./controller.ts, ./webhook.ts, ./cainjector.ts; the X.509 work: ./pki.ts.
 */
import type { ModelBehaviour } from "../../launch.ts";
import { launchController } from "./controller.ts";
import { launchWebhook } from "./webhook.ts";
import { launchCAInjector } from "./cainjector.ts";

export const CERT_MANAGER_CONTROLLER: ModelBehaviour = { programs: { "/app/cmd/controller/controller": launchController, controller: launchController } };
export const CERT_MANAGER_WEBHOOK: ModelBehaviour = { programs: { "/app/cmd/webhook/webhook": launchWebhook, webhook: launchWebhook } };
export const CERT_MANAGER_CAINJECTOR: ModelBehaviour = { programs: { "/app/cmd/cainjector/cainjector": launchCAInjector, cainjector: launchCAInjector } };
