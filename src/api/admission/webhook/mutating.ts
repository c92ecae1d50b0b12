/**
 * The MutatingAdmissionWebhook admission plugin of kube-apiserver v1.32
 * (k8s.io/apiserver/pkg/admission/plugin/webhook/mutating: plugin.go, dispatcher.go,
 * reinvocationcontext.go; admission/reinvocation.go): the last mutating plugin, before the
 * registry's validation. Every webhook that should be called (./generic.ts shouldCallHook) is
 * sent the object in turn, each seeing what the ones before it made of it. An answer allowed with
 * a `JSONPatch` patch (base64 in `response.patch`) is applied to the object (gopkg.in/evanphx/json-patch.v4,
 * ../../jsonpatch.ts), which is then defaulted again; an answer not allowed refuses the request
 * (`admission webhook "<name>" denied the request: …`); a call that fails fails it under
 * failurePolicy Fail (`Internal error occurred: failed calling webhook "<name>": …`) and is
 * skipped under Ignore. Warnings reach the client (`Warning: …`).
 *
 * Reinvocation (reinvocationPolicy IfNeeded): when a webhook changed the object, the whole
 * mutating chain runs once more: the in-tree mutating plugins, then the IfNeeded webhooks
 * called before that change (or all IfNeeded webhooks called so far, when the in-tree plugins
 * changed the object again). A webhook skipped in the first round is never called in the second.
 */
import { applyJSONPatch, JSONPatchError } from "../../jsonpatch.ts";
import { jsonEqual, type KObject } from "../../types.ts";
import type { AdmissionAttributes, AdmissionPlugin, ApiServer, Operation } from "../../store.ts";
import type { MutatingWebhook } from "../../types.gen.ts";
import { addWarnings, callHook, CallingWebhookError, hookRequest, hooksOf, internalError, isExempt, shouldCallHook, toStatusErr, webhookCallerOf, type HookAccessor, type HookRequest, type WebhookCaller } from "./generic.ts";

/** webhookReinvokeContext. */
class ReinvokeContext {
  lastOutput: unknown;
  previouslyInvoked = new Set<string>();
  reinvoke = new Set<string>();
  shouldReinvoke = false;
  requireReinvokingPreviouslyInvoked(): void {
    for (const uid of this.previouslyInvoked) this.reinvoke.add(uid);
    this.previouslyInvoked.clear();
  }
}

/** The object as the webhook is sent it on CREATE: no uid and no generated name yet (the registry's BeforeCreate gives them after mutating admission). */
function sentObject(req: HookRequest): KObject {
  if (req.op !== "CREATE") return req.obj;
  const metadata = { ...req.obj.metadata };
  delete metadata.uid;
  if (req.attrs.name === "") delete metadata.name;
  return { ...req.obj, metadata };
}

/** Replaces the object's content by the patched one (the store holds `obj`), keeping what BeforeCreate gave it. */
function replaceContent(obj: KObject, patched: Record<string, unknown>, req: HookRequest): void {
  const uid = obj.metadata.uid;
  const name = obj.metadata.name;
  for (const k of Object.keys(obj)) delete (obj as Record<string, unknown>)[k];
  Object.assign(obj, patched);
  if (typeof obj.metadata !== "object" || obj.metadata === null) obj.metadata = {};
  if (req.op === "CREATE") {
    if (uid !== undefined) obj.metadata.uid = uid;
    if (req.attrs.name === "" && name !== undefined) obj.metadata.name = name;
  }
}

/** base64 as encoding/json decodes a []byte: standard alphabet, padded. */
function decodeBase64(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  return Buffer.from(s, "base64").toString("utf8");
}

/** callAttrMutatingHook: calls the hook and applies its patch; whether the object changed. */
function callMutatingHook(api: ApiServer, caller: WebhookCaller, h: HookAccessor, req: HookRequest, defaults: (obj: KObject) => void): boolean {
  const hook = h.hook;
  const sent = sentObject(req);
  const r = callHook(api, caller, h, req, true, sent);
  addWarnings(req.attrs, r.warnings);
  if (!r.allowed) throw toStatusErr(hook.name, r.result);
  if (!r.patch) return false;
  const text = decodeBase64(r.patch);
  let ops: unknown;
  try {
    if (text === undefined) throw new Error("illegal base64 data at input byte 0");
    ops = JSON.parse(text);
  } catch (e) {
    throw new CallingWebhookError(hook.name, `received undecodable patch in webhook response: ${(e as Error).message}`);
  }
  if (!Array.isArray(ops) || ops.some((o) => typeof o !== "object" || o === null || Array.isArray(o))) {
    throw new CallingWebhookError(hook.name, `received undecodable patch in webhook response: json: cannot unmarshal ${Array.isArray(ops) ? "value" : typeof ops === "object" && ops !== null ? "object" : typeof ops} into Go value of type jsonpatch.Patch`);
  }
  if (ops.length === 0) return false;
  if (r.patchType !== "JSONPatch") throw new CallingWebhookError(hook.name, `unsupported patch type ${JSON.stringify(r.patchType)}`);
  let patched: unknown;
  try {
    patched = applyJSONPatch(structuredClone(sent) as Record<string, unknown>, ops as Record<string, unknown>[]);
  } catch (e) {
    if (e instanceof JSONPatchError) throw internalError(e.message);
    throw e;
  }
  if (typeof patched !== "object" || patched === null || Array.isArray(patched)) throw internalError("json: cannot unmarshal array into Go value of type map[string]interface {}");
  const changed = !jsonEqual(sent, patched);
  replaceContent(req.obj, patched as Record<string, unknown>, req);
  defaults(req.obj);
  return changed;
}

/** One round of the mutating webhooks (mutatingDispatcher.Dispatch). */
function dispatch(api: ApiServer, caller: WebhookCaller, req: HookRequest, ctx: Context, round: number): void {
  if (round === 1 && !jsonEqual(ctx.lastOutput, req.obj)) ctx.requireReinvokingPreviouslyInvoked();
  try {
    for (const h of hooksOf(api, "MutatingWebhookConfiguration")) {
      if (!shouldCallHook(api, h, req)) continue;
      if (round === 1 && !ctx.reinvoke.has(h.uid)) continue;
      const hook = h.hook as MutatingWebhook;
      let changed = false;
      let err: unknown;
      try {
        changed = callMutatingHook(api, caller, h, req, ctx.defaults);
      } catch (e) {
        err = e;
      }
      if (changed) {
        ctx.requireReinvokingPreviouslyInvoked();
        ctx.shouldReinvoke = true;
      }
      if (hook.reinvocationPolicy === "IfNeeded") ctx.previouslyInvoked.add(h.uid);
      if (err === undefined) continue;
      if (err instanceof CallingWebhookError) {
        if (hook.failurePolicy === "Ignore") continue; // failing open
        throw internalError(err.message);
      }
      throw err;
    }
  } finally {
    ctx.lastOutput = structuredClone(req.obj);
  }
}

interface Context extends ReinvokeContext {
  defaults: (obj: KObject) => void;
}

/**
 * The plugin. `inTree` are the mutating plugins before it, which the reinvocation runs again;
 * `defaults` defaults an object a patch changed (the scheme's defaulter).
 */
export function mutatingAdmissionWebhook(inTree: AdmissionPlugin[], defaults: AdmissionPlugin): AdmissionPlugin {
  return {
    name: "MutatingAdmissionWebhook",
    customResources: true,
    mutate(obj: KObject, op: Operation, old: KObject | undefined, api: ApiServer, attrs: AdmissionAttributes) {
      if (api.count("MutatingWebhookConfiguration") === 0) return;
      const caller = webhookCallerOf(api);
      if (!caller || isExempt(attrs)) return;
      const req = hookRequest(obj, op, old, attrs);
      const ctx = Object.assign(new ReinvokeContext(), { defaults: (o: KObject) => defaults.mutate?.(o, op, old, api, attrs) }) as Context;
      dispatch(api, caller, req, ctx, 0);
      if (!ctx.shouldReinvoke) return;
      // admission.reinvoker: the whole mutating chain once more.
      const custom = attrs.resource.crd !== undefined;
      for (const p of inTree) if (p.mutate && (!custom || p.customResources) && (p.subresources ?? [""]).includes(attrs.subresource ?? "")) p.mutate(obj, op, old, api, attrs);
      dispatch(api, caller, req, ctx, 1);
    },
  };
}
