/**
 * The ValidatingAdmissionWebhook admission plugin of kube-apiserver v1.32
 * (k8s.io/apiserver/pkg/admission/plugin/webhook/validating: plugin.go, dispatcher.go): after
 * validation, every webhook that should be called (./generic.ts shouldCallHook) is sent the
 * object as it will be stored. A call that fails fails the request under failurePolicy Fail
 * (`Internal error occurred: failed calling webhook "<name>": …`) and is skipped under Ignore; an
 * answer not allowed refuses it (`admission webhook "<name>" denied the request: <message>`);
 * each answer's warnings reach the client. Upstream calls the hooks in parallel and returns the
 * first error to arrive; here they are called in order and the first error is returned.
 */
import type { AdmissionPlugin } from "../../store.ts";
// The configurations' validation (registered with the registry strategies' validation).
import "./validation.ts";
import { addWarnings, callHook, CallingWebhookError, hookRequest, hooksOf, internalError, isExempt, shouldCallHook, toStatusErr, webhookCallerOf, type HookAccessor } from "./generic.ts";

export const validatingAdmissionWebhook: AdmissionPlugin = {
  name: "ValidatingAdmissionWebhook",
  customResources: true,
  validate(obj, op, old, api, attrs) {
    if (api.count("ValidatingWebhookConfiguration") === 0) return;
    const caller = webhookCallerOf(api);
    if (!caller || isExempt(attrs)) return;
    const req = hookRequest(obj, op, old, attrs);
    // ShouldCallHook for every hook first (a match condition's error ends the request before any call).
    const relevant: HookAccessor[] = hooksOf(api, "ValidatingWebhookConfiguration").filter((h) => shouldCallHook(api, h, req));
    let first: Error | undefined;
    for (const h of relevant) {
      try {
        const r = callHook(api, caller, h, req, false);
        addWarnings(attrs, r.warnings);
        if (!r.allowed) first ??= toStatusErr(h.hook.name, r.result);
      } catch (e) {
        if (e instanceof CallingWebhookError) {
          if (h.hook.failurePolicy === "Ignore") continue; // failing open
          first ??= internalError(e.message);
        } else {
          first ??= e as Error;
        }
      }
    }
    if (first) throw first;
  },
};
