/**
 * `kubectl create secret generic|docker-registry|tls NAME ...` (staging/src/k8s.io/kubectl/pkg/cmd/
 * create/create_secret.go, create_secret_docker.go, create_secret_tls.go). Data is base64, as the
 * API holds it. A tls secret's certificate and key must be a matching PEM pair (tls.X509KeyPair).
 */
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { IsConfigMapKey } from "../../../api/validation/core.ts";
import type { KObject } from "../../../api/types.ts";
import { KubectlError, type Invocation } from "../../command.ts";
import { goJSON } from "../../printers/gojson.ts";
import { enforcedNamespace, nameFromArgs, type Generator } from "./generator.ts";
import { contentHash, envFileEntries, fileSourceEntries, parseLiteralSource, readFileOrFail } from "./sources.ts";

function secretObject(inv: Invocation, name: string, type: string, data: Record<string, string>): KObject {
  const ns = enforcedNamespace(inv);
  const s: KObject = { kind: "Secret", apiVersion: "v1", metadata: { name, ...(ns ? { namespace: ns } : {}) } };
  if (Object.keys(data).length) s.data = data;
  if (type) s.type = type;
  return s;
}

function addKey(data: Record<string, string>, key: string, bytes: Buffer): void {
  const errs = IsConfigMapKey(key);
  if (errs.length) throw new KubectlError(`${JSON.stringify(key)} is not valid key name for a Secret ${errs.join(";")}`);
  if (key in data) throw new KubectlError(`cannot add key ${key}, another key by that name already exists`);
  data[key] = bytes.toString("base64");
}

const SOURCE_FLAGS = [
  { long: "from-file", type: "stringSlice" as const },
  { long: "from-literal", type: "stringArray" as const },
  { long: "from-env-file", type: "stringSlice" as const },
  { long: "append-hash", type: "bool" as const },
];

export const secretGenericGenerator: Generator = {
  path: ["create", "secret", "generic"],
  flags: [...SOURCE_FLAGS, { long: "type", type: "string" }],
  wrapError: "failed to create secret",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const fromFile: string[] = inv.flags["from-file"];
    const fromLiteral: string[] = inv.flags["from-literal"];
    const fromEnv: string[] = inv.flags["from-env-file"];
    if (fromEnv.length && (fromFile.length || fromLiteral.length)) throw new KubectlError("from-env-file cannot be combined with from-file or from-literal");
    const data: Record<string, string> = {};
    for (const source of fromLiteral) {
      const [key, value] = parseLiteralSource(source);
      addKey(data, key, Buffer.from(value, "utf8"));
    }
    for (const [key, bytes] of fileSourceEntries(inv.ctx.files, fromFile)) addKey(data, key, bytes);
    for (const file of fromEnv) for (const [key, value] of envFileEntries(inv.ctx.files, file, "secret")) addKey(data, key, Buffer.from(value, "utf8"));
    const type = String(inv.flags.type ?? "");
    const finalName = inv.flags["append-hash"] ? `${name}-${contentHash({ kind: "Secret", type, name, data })}` : name;
    return secretObject(inv, finalName, type, data);
  },
};

export const DEFAULT_DOCKER_SERVER = "https://index.docker.io/v1/";

export const secretDockerRegistryGenerator: Generator = {
  path: ["create", "secret", "docker-registry"],
  flags: [
    { long: "docker-server", type: "string", default: DEFAULT_DOCKER_SERVER },
    { long: "docker-username", type: "string" },
    { long: "docker-password", type: "string" },
    { long: "docker-email", type: "string" },
    { long: "from-file", type: "stringSlice" },
    { long: "append-hash", type: "bool" },
  ],
  wrapError: "failed to create secret",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const f = inv.flags;
    const fromFile: string[] = f["from-file"];
    if (fromFile.length === 0 && !(f["docker-username"] && f["docker-password"] && f["docker-server"])) {
      throw new KubectlError("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required");
    }
    const data: Record<string, string> = {};
    if (f["docker-username"] && f["docker-password"] && f["docker-server"]) {
      const entry: Record<string, string> = { username: f["docker-username"], password: f["docker-password"] };
      if (f["docker-email"]) entry.email = f["docker-email"];
      entry.auth = Buffer.from(`${f["docker-username"]}:${f["docker-password"]}`).toString("base64");
      // DockerConfigJSON as json.Marshal writes it: struct field order (username, password, email, auth).
      data[".dockerconfigjson"] = Buffer.from(goJSON({ auths: { [f["docker-server"]]: entry } }, "", { sortKeys: false })).toString("base64");
    }
    for (const [key, bytes] of fileSourceEntries(inv.ctx.files, fromFile)) addKey(data, key, bytes);
    const type = "kubernetes.io/dockerconfigjson";
    const finalName = f["append-hash"] ? `${name}-${contentHash({ kind: "Secret", type, name, data })}` : name;
    return secretObject(inv, finalName, type, data);
  },
};

/** tls.X509KeyPair's checks, with Go's error texts for the usual mistakes. */
function checkKeyPair(cert: Buffer, key: Buffer): void {
  const text = cert.toString("utf8");
  if (!/-----BEGIN CERTIFICATE-----/.test(text)) {
    throw new KubectlError("failed to load key pair tls: failed to find any PEM data in certificate input");
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString("utf8"))) {
    throw new KubectlError("failed to load key pair tls: failed to find any PEM data in key input");
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw new KubectlError(`failed to load key pair tls: x509: malformed certificate (${(e as Error).message})`);
  }
  let pub: string;
  try {
    pub = createPublicKey(createPrivateKey(key)).export({ type: "spki", format: "pem" }).toString();
  } catch {
    throw new KubectlError("failed to load key pair tls: failed to parse private key");
  }
  if (pub !== x509.publicKey.export({ type: "spki", format: "pem" }).toString()) {
    throw new KubectlError("failed to load key pair tls: private key does not match public key");
  }
}

export const secretTLSGenerator: Generator = {
  path: ["create", "secret", "tls"],
  flags: [
    { long: "cert", type: "string" },
    { long: "key", type: "string" },
    { long: "append-hash", type: "bool" },
  ],
  wrapError: "failed to create secret",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const certPath = String(inv.flags.cert ?? "");
    const keyPath = String(inv.flags.key ?? "");
    if (!certPath || !keyPath) throw new KubectlError("key and cert must be specified");
    const read = (p: string) => {
      try {
        return readFileOrFail(inv.ctx.files, p);
      } catch (e) {
        throw new KubectlError(`Cannot read file ${p}, ${(e as Error).message}`);
      }
    };
    const cert = read(certPath);
    const key = read(keyPath);
    checkKeyPair(cert, key);
    const data = { "tls.crt": cert.toString("base64"), "tls.key": key.toString("base64") };
    const type = "kubernetes.io/tls";
    const finalName = inv.flags["append-hash"] ? `${name}-${contentHash({ kind: "Secret", type, name, data })}` : name;
    return secretObject(inv, finalName, type, data);
  },
};
