/**
 * Where `kubectl create configmap|secret` take their data from: `--from-literal=key=value`,
 * `--from-file=[key=]path` (a directory gives each regular file under its own name) and
 * `--from-env-file=path` (docker .env lines). Ports k8s.io/kubectl/pkg/util's ParseFileSource and
 * ParseLiteralSource and pkg/cmd/util/env_file.go; file errors read as Go's os errors.
 */
import { createHash } from "node:crypto";
import { IsEnvVarName } from "../../../api/validation/names.ts";
import { KubectlError, type LocalFiles } from "../../command.ts";
import { goJSON } from "../../printers/gojson.ts";

/** ParseLiteralSource: `key=value`, split at the first `=`. */
export function parseLiteralSource(source: string): [string, string] {
  const eq = source.indexOf("=");
  if (eq <= 0) throw new KubectlError(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, eq), source.slice(eq + 1)];
}

/** ParseFileSource: `path` (the key is its base name) or `key=path`. */
export function parseFileSource(source: string): [string, string] {
  const n = source.split("=").length - 1;
  if (n === 0) return [baseName(source), source];
  if (n === 1 && source.startsWith("=")) throw new KubectlError(`key name for file path ${source.slice(1)} missing`);
  if (n === 1 && source.endsWith("=")) throw new KubectlError(`file path for key name ${source.slice(0, -1)} missing`);
  if (n > 1) throw new KubectlError("key names or file paths cannot contain '='");
  const [k, p] = source.split("=");
  return [k, p];
}

/** path.Base of a slash path. */
function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return p === "" ? "." : "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Go's text of an os error (the PathError's Err). */
function osErrorText(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ENOTDIR") return "not a directory";
  return (e as Error).message;
}

/** os.Stat's answer, or `error reading <path>: <why>`. */
export function statOrFail(files: LocalFiles, path: string): "file" | "dir" {
  let kind: "file" | "dir" | undefined;
  try {
    kind = files.kind(path);
  } catch (e) {
    throw new KubectlError(`error reading ${path}: ${osErrorText(e)}`);
  }
  if (!kind) throw new KubectlError(`error reading ${path}: no such file or directory`);
  return kind;
}

/** os.ReadFile with Go's error text (`open <path>: no such file or directory`). */
export function readFileOrFail(files: LocalFiles, path: string): Buffer {
  try {
    return files.read(path);
  } catch (e) {
    throw new KubectlError(`open ${path}: ${osErrorText(e)}`);
  }
}

/**
 * `--from-file` sources as (key, bytes) pairs in order: a file under its key, each regular file of
 * a directory under its own name.
 */
export function fileSourceEntries(files: LocalFiles, sources: string[]): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const source of sources) {
    const [key, path] = parseFileSource(source);
    if (statOrFail(files, path) === "dir") {
      if (source.includes("=")) throw new KubectlError("cannot give a key name for a directory path");
      for (const name of files.list(path)) {
        const item = `${path.replace(/\/+$/, "")}/${name}`;
        if (files.kind(item) === "file") out.push([name, readFileOrFail(files, item)]);
      }
    } else {
      out.push([key, readFileOrFail(files, path)]);
    }
  }
  return out;
}

/**
 * cmdutil.AddFromEnvFile: `KEY=value` lines (leading whitespace and a UTF-8 BOM on the first line
 * dropped, `#` comments and blank lines skipped, the value kept as written); a `KEY` line without
 * `=` takes the value from kubectl's environment, which in the simulation is empty.
 */
export function envFileEntries(files: LocalFiles, path: string, what: "configmap" | "secret"): Array<[string, string]> {
  if (statOrFail(files, path) === "dir") throw new KubectlError(what === "configmap" ? "env config file cannot be a directory" : "env secret file cannot be a directory");
  const bytes = readFileOrFail(files, path);
  const out: Array<[string, string]> = [];
  const lines = bytes.toString("latin1").split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    let lineBytes = Buffer.from(raw.replace(/\r$/, ""), "latin1");
    if (!isValidUTF8(lineBytes)) throw new KubectlError(`env file ${path} contains invalid utf8 bytes at line ${i + 1}: [${[...lineBytes].join(" ")}]`);
    if (i === 0 && lineBytes[0] === 0xef && lineBytes[1] === 0xbb && lineBytes[2] === 0xbf) lineBytes = lineBytes.subarray(3);
    const line = lineBytes.toString("utf8").replace(/^\s+/u, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq >= 0 ? line.slice(0, eq) : line;
    const errs = IsEnvVarName(key);
    if (errs.length) throw new KubectlError(`${JSON.stringify(key)} is not a valid key name: ${errs.join(";")}`);
    out.push([key, eq >= 0 ? line.slice(eq + 1) : ""]);
  });
  return out;
}

export function isValidUTF8(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * k8s.io/kubectl/pkg/util/hash: the sha256 of the object's JSON (`kind`, `name`, `data`, and
 * `binaryData` or `type`; keys sorted), its first 10 hex digits with 0 1 3 a e mapped to g h k m t.
 */
export function contentHash(fields: Record<string, unknown>): string {
  const json = goJSON(fields);
  const hex = createHash("sha256").update(json).digest("hex").slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ({ "0": "g", "1": "h", "3": "k", a: "m", e: "t" })[c]!);
}
