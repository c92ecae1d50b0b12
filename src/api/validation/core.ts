/**
 * ConfigMap and Secret validation (pkg/apis/core/validation/validation.go ValidateConfigMap,
 * ValidateConfigMapUpdate, ValidateSecret, ValidateSecretUpdate): key syntax, duplicate keys
 * between `data` and `binaryData`, the 1 MiB size limit, the keys each Secret type requires, and
 * `immutable`: once true, neither it nor the data may change
 * (`data: Forbidden: field is immutable when \`immutable\` is set`). A Secret's type never changes.
 */
import type { KObject } from "../types.ts";
import { F, isObj, sortedKeys, type Errs } from "./field.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "./meta.ts";
import { RegexError } from "./names.ts";
import { checkValid } from "../jsonscanner.ts";

/** core.MaxSecretSize: the most bytes of data a ConfigMap or Secret holds. */
export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE = "field is immutable when `immutable` is set";

const configMapKeyFmt = "[-._a-zA-Z0-9]+";
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKeyRe = new RegExp(`^${configMapKeyFmt}$`);

/** IsConfigMapKey */
export function IsConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push("must be no more than 253 characters");
  if (!configMapKeyRe.test(key)) errs.push(RegexError(configMapKeyErrMsg, configMapKeyFmt, "key.name", "KEY_NAME", "key-name"));
  if (key === ".") errs.push("must not be '.'");
  else if (key === "..") errs.push("must not be '..'");
  else if (key.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

const bag = (o: KObject, f: string): Record<string, string> => (isObj(o[f]) ? (o[f] as Record<string, string>) : {});
/** Bytes of a base64 value (Secret data, ConfigMap binaryData). */
const b64Len = (v: unknown) => Buffer.from(String(v ?? ""), "base64").length;

export function validateConfigMap(cm: KObject): Errs {
  const errs = validateObjectMeta(cm.metadata, true, NameIsDNSSubdomain);
  const data = bag(cm, "data");
  const binary = bag(cm, "binaryData");
  let total = 0;
  for (const k of sortedKeys(data)) {
    for (const msg of IsConfigMapKey(k)) errs.push(F.invalid(`data[${k}]`, k, msg));
    if (k in binary) errs.push(F.invalid(`data[${k}]`, k, "duplicate of key present in binaryData"));
    total += Buffer.byteLength(String(data[k] ?? ""));
  }
  for (const k of sortedKeys(binary)) {
    for (const msg of IsConfigMapKey(k)) errs.push(F.invalid(`binaryData[${k}]`, k, msg));
    if (k in data) errs.push(F.invalid(`binaryData[${k}]`, k, "duplicate of key present in data"));
    total += b64Len(binary[k]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(F.tooLong("", MAX_SECRET_SIZE));
  return errs;
}

const sameMap = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && String(a[k]) === String(b[k]));
};

export function validateConfigMapUpdate(cm: KObject, old: KObject): Errs {
  const errs: Errs = [];
  if (old.immutable === true) {
    if (cm.immutable !== true) errs.push(F.forbidden("immutable", IMMUTABLE));
    if (!sameMap(bag(cm, "data"), bag(old, "data"))) errs.push(F.forbidden("data", IMMUTABLE));
    if (!sameMap(bag(cm, "binaryData"), bag(old, "binaryData"))) errs.push(F.forbidden("binaryData", IMMUTABLE));
  }
  errs.push(...validateConfigMap(cm));
  return errs;
}

function dockerConfig(errs: Errs, data: Record<string, string>, key: string): void {
  if (!(key in data)) {
    errs.push(F.required(`data[${key}]`));
    return;
  }
  const text = Buffer.from(String(data[key]), "base64").toString("utf8");
  try {
    // encoding/json's own syntax error texts (jsonscanner.ts is a port of its scanner).
    const syntax = checkValid(text);
    if (syntax !== undefined) throw new Error(syntax);
    const v = JSON.parse(text);
    if (!isObj(v)) throw new Error(`json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v === "string" ? "string" : typeof v} into Go value of type map[string]interface {}`);
  } catch (e) {
    let msg = (e as Error).message;
    if (e instanceof SyntaxError) {
      // Go's encoding/json texts: a truncated document, or the first character that cannot start a value.
      const at = /position (\d+)/.exec(msg);
      const ch = at ? text[Number(at[1])] : undefined;
      msg = /end of JSON input/i.test(msg) || ch === undefined ? "unexpected end of JSON input" : `invalid character '${ch}' looking for beginning of value`;
    }
    errs.push(F.invalid(`data[${key}]`, "<secret contents redacted>", msg));
  }
}

export function validateSecret(s: KObject): Errs {
  const errs = validateObjectMeta(s.metadata, true, NameIsDNSSubdomain);
  const data = bag(s, "data");
  let total = 0;
  for (const k of sortedKeys(data)) {
    for (const msg of IsConfigMapKey(k)) errs.push(F.invalid(`data[${k}]`, k, msg));
    total += b64Len(data[k]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(F.tooLong("data", MAX_SECRET_SIZE));
  switch (s.type) {
    case "kubernetes.io/service-account-token":
      if (!s.metadata?.annotations?.["kubernetes.io/service-account.name"]) errs.push(F.required("metadata.annotations[kubernetes.io/service-account.name]"));
      break;
    case "kubernetes.io/dockercfg":
      dockerConfig(errs, data, ".dockercfg");
      break;
    case "kubernetes.io/dockerconfigjson":
      dockerConfig(errs, data, ".dockerconfigjson");
      break;
    case "kubernetes.io/basic-auth":
      // username or password may be empty, but one of the fields must be there
      if (!("username" in data) && !("password" in data)) errs.push(F.required("data[username]"), F.required("data[password]"));
      break;
    case "kubernetes.io/ssh-auth":
      if (!data["ssh-privatekey"]) errs.push(F.required("data[ssh-privatekey]"));
      break;
    case "kubernetes.io/tls":
      if (!("tls.crt" in data)) errs.push(F.required("data[tls.crt]"));
      if (!("tls.key" in data)) errs.push(F.required("data[tls.key]"));
      break;
  }
  return errs;
}

export function validateSecretUpdate(s: KObject, old: KObject): Errs {
  const errs: Errs = [];
  if ((s.type ?? "") !== (old.type ?? "")) errs.push(F.invalid("type", s.type ?? "", "field is immutable"));
  if (old.immutable === true) {
    if (s.immutable !== true) errs.push(F.forbidden("immutable", IMMUTABLE));
    if (!sameMap(bag(s, "data"), bag(old, "data"))) errs.push(F.forbidden("data", IMMUTABLE));
  }
  errs.push(...validateSecret(s));
  return errs;
}
