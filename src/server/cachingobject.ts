/**
 * Serialisation done once per object version, as the watch cache's cachingObject does
 * (staging/src/k8s.io/apiserver/pkg/storage/cacher/caching_object.go): the store's objects are
 * deep-frozen and replaced, never changed, on every write, so an object's encoding (UTF-8 JSON, as
 * a Buffer) can be kept beside it (in a WeakMap: it goes when the version goes) and reused by every
 * list, get and watch event that sends it. A list of 100 pods is then 100 cached buffers written
 * one after the other (no JSON.stringify, no copy into one string), and ten watchers of a pod share
 * one encoding per event. The bytes are JSON.stringify's.
 */

const encodings = new WeakMap<object, Buffer>();

/** UTF-8 JSON of a value (JSON.stringify's text), cached when the value is a frozen object (a stored version). */
export function encodeObject(obj: unknown): Buffer {
  if (obj === null || typeof obj !== "object" || !Object.isFrozen(obj)) return Buffer.from(JSON.stringify(obj) ?? "null", "utf8");
  let b = encodings.get(obj);
  if (b === undefined) {
    b = Buffer.from(JSON.stringify(obj), "utf8");
    encodings.set(obj, b);
  }
  return b;
}

/** A placeholder for `items` that no JSON text of the rest of a list can contain by chance. */
const ITEMS = "\u0000kube-scenario-items\u0000";
const QUOTED_ITEMS = JSON.stringify(ITEMS);
const COMMA = Buffer.from(",");
const OPEN = Buffer.from("[");
const CLOSE = Buffer.from("]");

/**
 * The UTF-8 JSON of an answer's body, in pieces to be written in order: a list's items (`items`, an
 * array) come from the cache; other bodies are one piece.
 */
export function encodeBody(body: unknown): Buffer[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return [encodeObject(body)];
  const items = (body as { items?: unknown }).items;
  if (!Array.isArray(items) || items.length === 0 || Object.isFrozen(body)) return [encodeObject(body)];
  const head = JSON.stringify({ ...body, items: ITEMS });
  const at = head.indexOf(QUOTED_ITEMS);
  const parts: Buffer[] = [Buffer.from(head.slice(0, at), "utf8"), OPEN];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(encodeObject(items[i]));
  }
  parts.push(CLOSE, Buffer.from(head.slice(at + QUOTED_ITEMS.length), "utf8"));
  return parts;
}

/** The body as one string (for tests and callers that need text). */
export function encodeBodyText(body: unknown): string {
  return Buffer.concat(encodeBody(body)).toString("utf8");
}
