/**
 * Feature files parsed once, not at every run (issue #19 §5). Before its first scenario Cucumber
 * parses every feature file it runs (Gherkin's parser and pickle compiler, through
 * @cucumber/gherkin-streams' `GherkinStreams.fromPaths`, a chain of streams per file): for the
 * course pack's 15 files ~90-110 ms of CPU in every run, nearly all of it the parser's and
 * the streams' code running cold. What a file parses to (its source, GherkinDocument and pickle
 * envelopes) depends only on its text, its uri and the parser's options, except for the ids, which
 * the parser takes from `newId` as it goes (random UUIDs in every run). So each file's envelopes are
 * kept, as JSON, with the ids the parse drew in the order it drew them; a later run whose file has
 * the same text, uri, options and Gherkin version draws as many ids from its own `newId`, in that
 * order, and puts the k-th new id where the k-th recorded one stood: the envelopes a parse drawing
 * those ids would have made. Files are read and parsed one after another in the order given, as
 * `fromPaths` does, and a file not in the cache is parsed by `generateMessages` with the same
 * options, as `fromPaths`' ParserMessageStream does.
 *
 * Kept only when every id drawn was a UUID (the ids `IdGenerator.uuid` gives, which can stand
 * nowhere else in the JSON by chance) and the file parsed without error. The cache is beside the
 * other caches (node_modules/.cache/kube-scenario/gherkin-<versions>/, one file per feature text,
 * written atomically), never committed; an unreadable or unwritable one only means the file is
 * parsed; KUBE_SCENARIO_GHERKIN_CACHE=0 turns it off. Pinned like support/fast-match.ts: only for
 * the versions of @cucumber/gherkin-streams and @cucumber/gherkin it was written for
 * (`GHERKIN_WRITTEN_FOR`; support/test/gherkin-cache.test.ts fails when they change).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { PassThrough, type Readable } from "node:stream";

/** The versions whose `fromPaths` and parser output this cache was written against (major.minor). */
export const GHERKIN_WRITTEN_FOR = { "@cucumber/gherkin-streams": "6.0", "@cucumber/gherkin": "38.0" } as const;

const fromCucumber = createRequire(createRequire(import.meta.url).resolve("@cucumber/cucumber"));

type Envelope = Record<string, unknown>;
interface GherkinOptions {
  defaultDialect?: string;
  includeSource?: boolean;
  includeGherkinDocument?: boolean;
  includePickles?: boolean;
  relativeTo?: string;
  newId: () => string;
}
interface GherkinStreamsLike {
  fromPaths(paths: readonly string[], options: Partial<GherkinOptions>): Readable;
  cachedFromPaths?: boolean;
  /** The stock fromPaths (for the test that compares both). */
  stockFromPaths?: GherkinStreamsLike["fromPaths"];
}

function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(fromCucumber.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export const GHERKIN_INSTALLED = {
  "@cucumber/gherkin-streams": versionOf("@cucumber/gherkin-streams"),
  "@cucumber/gherkin": versionOf("@cucumber/gherkin"),
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const IS_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What stands for `undefined` in an entry: the parser's objects carry properties whose value is
 * undefined (a step's `docString: undefined`), which JSON leaves out; they are put back, in their
 * place, so that a replayed envelope has the same own properties as a parsed one. A file whose
 * envelopes hold this text anyway is not kept.
 */
const UNDEFINED = "\u0000kube-scenario:undefined\u0000";

/** `v` with every UNDEFINED value (in objects and arrays, at any depth) made undefined again, in place. */
function restoreUndefined(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v === UNDEFINED ? undefined : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = restoreUndefined(v[i]);
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) o[k] = restoreUndefined(o[k]);
  return o;
}

/** The entries' format: part of every key, so that entries of another format are never read. */
const FORMAT = "kube-scenario-gherkin-1";

interface Entry {
  ids: string[];
  json: string;
}

/** One feature file's envelopes, from the cache in `dir` or parsed (and then kept there). */
export function featureEnvelopes(
  gherkin: { generateMessages(data: string, uri: string, mediaType: string, options: GherkinOptions): Envelope[] },
  data: string,
  uri: string,
  options: GherkinOptions,
  dir: string | undefined,
): Envelope[] {
  const { newId } = options;
  const key = dir === undefined ? undefined : createHash("sha1").update(JSON.stringify([FORMAT, uri, options.defaultDialect, options.includeSource, options.includeGherkinDocument, options.includePickles])).update("\0").update(data).digest("hex");
  const file = key === undefined ? undefined : join(dir!, `${key}.json`);
  if (file !== undefined) {
    let entry: Entry | undefined;
    try {
      entry = JSON.parse(readFileSync(file, "utf8")) as Entry;
    } catch {
      entry = undefined;
    }
    if (entry && Array.isArray(entry.ids) && typeof entry.json === "string") {
      const fresh = new Map<string, string>();
      for (const id of entry.ids) fresh.set(id, newId());
      return restoreUndefined(JSON.parse(entry.json.replace(UUID, (m) => fresh.get(m) ?? m))) as Envelope[];
    }
  }
  const ids: string[] = [];
  const envelopes = gherkin.generateMessages(data, uri, "text/x.cucumber.gherkin+plain", {
    ...options,
    newId: () => {
      const id = newId();
      ids.push(id);
      return id;
    },
  });
  if (file !== undefined && ids.every((id) => IS_UUID.test(id)) && new Set(ids).size === ids.length && !envelopes.some((e) => "parseError" in e)) {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      const json = JSON.stringify(envelopes, (_k, v: unknown) => (v === undefined ? UNDEFINED : v));
      if (JSON.stringify(envelopes).includes(JSON.stringify(UNDEFINED).slice(1, -1))) return envelopes;
      mkdirSync(dir!, { recursive: true });
      writeFileSync(tmp, JSON.stringify({ ids, json } satisfies Entry));
      renameSync(tmp, file);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
  return envelopes;
}

/** Where the entries of these versions live: beside Cucumber's node_modules/.cache, as support/compile-cache.cjs's. */
function cacheDir(): string | undefined {
  if (process.env.KUBE_SCENARIO_GHERKIN_CACHE === "0") return undefined;
  try {
    const modules = dirname(dirname(dirname(fromCucumber.resolve("@cucumber/cucumber/package.json"))));
    const v = GHERKIN_INSTALLED;
    return join(modules, ".cache", "kube-scenario", `gherkin-${v["@cucumber/gherkin"]}-${v["@cucumber/gherkin-streams"]}`);
  } catch {
    return undefined;
  }
}

/** Whether the patch is on, and why not when it is off. */
export const GHERKIN_CACHE: { on: boolean; off?: string } = { on: false };

const pinned = (Object.keys(GHERKIN_WRITTEN_FOR) as Array<keyof typeof GHERKIN_WRITTEN_FOR>).filter((p) => !GHERKIN_INSTALLED[p].startsWith(`${GHERKIN_WRITTEN_FOR[p]}.`));
if (pinned.length) GHERKIN_CACHE.off = `written for ${pinned.map((p) => `${p} ${GHERKIN_WRITTEN_FOR[p]}.x`).join(", ")}; installed ${pinned.map((p) => `${p} ${GHERKIN_INSTALLED[p]}`).join(", ")}`;
else {
  try {
    const streams = (fromCucumber("@cucumber/gherkin-streams") as { GherkinStreams: GherkinStreamsLike }).GherkinStreams;
    const gherkin = fromCucumber("@cucumber/gherkin") as Parameters<typeof featureEnvelopes>[0];
    const makeOptions = (fromCucumber("@cucumber/gherkin-streams/dist/src/makeGherkinOptions") as { default: (o: Partial<GherkinOptions>) => GherkinOptions }).default;
    if (!streams.cachedFromPaths) {
      streams.cachedFromPaths = true;
      streams.stockFromPaths = streams.fromPaths;
      const dir = cacheDir();
      streams.fromPaths = function (paths: readonly string[], given: Partial<GherkinOptions>): Readable {
        const options = makeOptions(given);
        const out = new PassThrough({ writableObjectMode: true, readableObjectMode: true });
        const list = paths.slice();
        // As fromPaths: one file after another, its envelopes written before the next file is read; a
        // file that cannot be read is the stream's error.
        const next = (): void => {
          const path = list.shift();
          if (path === undefined) {
            out.end();
            return;
          }
          let data: string;
          try {
            data = readFileSync(path, "utf8");
          } catch (err) {
            out.emit("error", err);
            return;
          }
          const uri = options.relativeTo ? relative(options.relativeTo, path) : path;
          for (const e of featureEnvelopes(gherkin, data, uri, options, dir)) out.write(e);
          setImmediate(next);
        };
        setImmediate(next);
        return out;
      };
    }
    GHERKIN_CACHE.on = true;
  } catch (err) {
    GHERKIN_CACHE.off = `cannot read @cucumber/gherkin-streams: ${(err as Error).message}`;
  }
}
