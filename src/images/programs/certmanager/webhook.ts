/**
 * `quay.io/jetstack/cert-manager-webhook` (cmd/webhook at v1.16.1) as the release manifest runs it:
 * `--secure-port=10250 --dynamic-serving-ca-secret-namespace=cert-manager
 * --dynamic-serving-ca-secret-name=cert-manager-webhook-ca --dynamic-serving-dns-names=…`.
 *
 * - Its serving certificate (pkg/server/tls/authority, dynamic_source.go): at start it reads the
 *   Secret `cert-manager-webhook-ca` and, when there is none, creates it as its service account:
 *   type kubernetes.io/tls, a self-signed ECDSA P-384 CA `CN=cert-manager-webhook-ca` valid a year
 *   (`ca.crt` and `tls.crt` both the CA, `tls.key`), annotated
 *   `cert-manager.io/allow-direct-injection: "true"` (what lets the cainjector copy it). It then
 *   signs itself an ECDSA P-384 leaf for the `--dynamic-serving-dns-names`, valid 7 days, kept in
 *   memory, and serves TLS on `--secure-port` (10250).
 * - `/healthz` and `/livez` on 6080 answer 200 `ok` once the serving certificate exists (the
 *   manifest's probes); 9402 serves `/metrics`.
 * - `/validate` (the ValidatingWebhookConfiguration) checks cert-manager's resources as
 *   internal/apis/certmanager/validation does (the Certificate's spec, the Issuers' one issuer type)
 *   and answers controller-runtime's denial (403, the field errors' aggregate as the message);
 *   `/mutate` sets a new CertificateRequest's `spec.username`, `groups`, `uid` and `extra` from the
 *   AdmissionReview's userInfo (internal/webhook/admission/certificaterequest/identity).
 *
 * Not modelled: its leader-free informer cache details, the CA's renewal at 2/3 of its life, the
 * conversion webhook (v1.16's CRDs serve v1 only), ACME and Vault/Venafi issuer field validation.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import { ApiError } from "../../../api/errors.ts";
import type { ProgramContext } from "../../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "../server.ts";
import { inClusterClient } from "../../incluster.ts";
import { b64, flagValues, goDuration, klog, parseGoDuration, unb64 } from "./common.ts";
import { createCertificate, Drbg, ecKey, encodePrivateKey, isIPAddress, parseCertificate, serialNumber } from "./pki.ts";

/** cmapi.MinimumCertificateDuration, MinimumRenewBefore, DefaultCertificateDuration. */
export const MIN_DURATION_MS = 3_600_000;
export const MIN_RENEW_BEFORE_MS = 5 * 60_000;
export const DEFAULT_DURATION_MS = 90 * 24 * 3_600_000;

/** A field.Error's text (k8s.io/apimachinery/pkg/util/validation/field). */
function invalid(path: string, value: unknown, detail: string): string {
  const v = typeof value === "string" ? JSON.stringify(value) : String(value);
  return `${path}: Invalid value: ${v}: ${detail}`;
}
const required = (path: string, detail: string) => `${path}: Required value: ${detail}`;
const forbidden = (path: string, detail: string) => `${path}: Forbidden: ${detail}`;

/** ErrorList.ToAggregate().Error(): one error as it is, several in brackets. */
export function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`;
}

const KEY_USAGES = new Set(["signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc"]);

/** ValidateCertificateSpec (internal/apis/certmanager/validation/certificate.go), the checks the CRD's schema leaves to the webhook. */
export function validateCertificateSpec(spec: Record<string, unknown>): string[] {
  const el: string[] = [];
  const s = spec as {
    secretName?: string; commonName?: string; literalSubject?: string; dnsNames?: string[]; uris?: string[]; ipAddresses?: string[]; emailAddresses?: string[]; otherNames?: unknown[];
    issuerRef?: { name?: string; kind?: string; group?: string }; privateKey?: { algorithm?: string; size?: number }; duration?: string; renewBefore?: string; renewBeforePercentage?: number; usages?: string[]; revisionHistoryLimit?: number;
    secretTemplate?: { annotations?: Record<string, string> };
  };
  if (!s.secretName) el.push(required("spec.secretName", "must be specified"));
  const commonName = s.commonName ?? "";
  if (!commonName && !s.literalSubject && !s.dnsNames?.length && !s.uris?.length && !s.ipAddresses?.length && !s.emailAddresses?.length && !s.otherNames?.length) {
    el.push(invalid("spec", "", "at least one of commonName (from the commonName field or from a literalSubject), dnsNames, uriSANs, ipAddresses, emailSANs or otherNames must be set"));
  }
  if (commonName.length > 64) el.push(`spec.commonName: Too long: may not be more than 64 bytes`);
  const ref = s.issuerRef ?? {};
  if (!ref.name) el.push(required("spec.issuerRef.name", "must be specified"));
  if ((!ref.group || ref.group === "cert-manager.io") && ref.kind && ref.kind !== "Issuer" && ref.kind !== "ClusterIssuer") {
    el.push(invalid("spec.issuerRef.kind", ref.kind, `must be one of Issuer or ClusterIssuer${ref.group ? "" : " (did you forget to set spec.issuerRef.group?)"}`));
  }
  (s.ipAddresses ?? []).forEach((ip, i) => {
    if (!isIPAddress(ip)) el.push(invalid(`spec.ipAddresses[${i}]`, ip, "invalid IP address"));
  });
  const pk = s.privateKey;
  if (pk) {
    const alg = (pk.algorithm ?? "").toUpperCase();
    if (alg === "" || alg === "RSA") {
      if (pk.size && (pk.size < 2048 || pk.size > 8192)) el.push(invalid("spec.privateKey.size", pk.size, "must be between 2048 & 8192 for rsa keyAlgorithm"));
    } else if (alg === "ECDSA") {
      if (pk.size && ![256, 384, 521].includes(pk.size)) el.push(`spec.privateKey.size: Unsupported value: ${pk.size}: supported values: "256", "384", "521"`);
    } else if (alg !== "ED25519") el.push(invalid("spec.privateKey.algorithm", pk.algorithm, "must be either empty or one of rsa, ecdsa or ed25519"));
  }
  if (s.duration !== undefined || s.renewBefore !== undefined) {
    const duration = s.duration !== undefined ? parseGoDuration(s.duration) ?? DEFAULT_DURATION_MS : DEFAULT_DURATION_MS;
    if (duration < MIN_DURATION_MS) el.push(invalid("spec.duration", { toString: () => goDuration(duration) }, `certificate duration must be greater than ${goDuration(MIN_DURATION_MS)}`));
    const rb = s.renewBefore !== undefined ? parseGoDuration(s.renewBefore) : undefined;
    if (rb !== undefined && s.renewBeforePercentage !== undefined) {
      el.push(invalid("spec.renewBefore", { toString: () => goDuration(rb) }, "renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set"));
      el.push(invalid("spec.renewBeforePercentage", s.renewBeforePercentage, "renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set"));
    }
    if (rb !== undefined && rb < MIN_RENEW_BEFORE_MS) el.push(invalid("spec.renewBefore", { toString: () => goDuration(rb) }, `certificate renewBefore must be greater than ${goDuration(MIN_RENEW_BEFORE_MS)}`));
    if (rb !== undefined && rb >= duration) el.push(invalid("spec.renewBefore", { toString: () => goDuration(rb) }, `certificate duration ${goDuration(duration)} must be greater than renewBefore ${goDuration(rb)}`));
  }
  (s.usages ?? []).forEach((u, i) => {
    if (!KEY_USAGES.has(u)) el.push(invalid(`spec.usages[${i}]`, u, "unknown keyusage"));
  });
  if (s.revisionHistoryLimit !== undefined && s.revisionHistoryLimit < 1) el.push(invalid("spec.revisionHistoryLimit", s.revisionHistoryLimit, "must not be less than 1"));
  for (const a of Object.keys(s.secretTemplate?.annotations ?? {})) {
    if (a.startsWith("cert-manager.io/") && a !== "cert-manager.io/allow-direct-injection") el.push(invalid("spec.secretTemplate.annotations", a, "cert-manager.io/* annotations are not allowed"));
  }
  return el;
}

const ISSUER_TYPES = ["acme", "ca", "selfSigned", "vault", "venafi"] as const;

/** ValidateIssuerConfig: exactly one issuer type; the CA issuer's secretName. */
export function validateIssuerSpec(spec: Record<string, unknown>): string[] {
  const el: string[] = [];
  let n = 0;
  for (const t of ISSUER_TYPES) {
    if (spec[t] === undefined || spec[t] === null) continue;
    if (n > 0) el.push(forbidden(`spec.${t}`, "may not specify more than one issuer type"));
    else {
      n++;
      if (t === "ca" && !(spec.ca as { secretName?: string }).secretName) el.push(required("spec.ca.secretName", ""));
    }
  }
  if (n === 0) el.push(required("spec", "at least one issuer must be configured"));
  return el;
}

/** The AdmissionReview's answer: allowed, denied (controller-runtime's ValidationResponse: 403 Forbidden) or patched. */
function review(uid: string, allowed: boolean, message?: string, patch?: object[]): string {
  const response: Record<string, unknown> = { uid, allowed };
  if (!allowed) response.status = { metadata: {}, message, reason: "Forbidden", code: 403 };
  else if (patch && patch.length) Object.assign(response, { patch: b64(JSON.stringify(patch)), patchType: "JSONPatch" });
  else response.status = { metadata: {}, code: 200 };
  return JSON.stringify({ kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response });
}

/** The webhook's answer to one AdmissionReview on `path`. */
export function admit(path: string, body: string | undefined): HttpAnswer {
  let req: { uid?: string; kind?: { kind?: string }; operation?: string; object?: KObject; userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
  try {
    req = (JSON.parse(body ?? "") as { request?: typeof req }).request ?? {};
  } catch {
    return { status: 400, body: "couldn't get version/kind; json parse error: unexpected end of JSON input" };
  }
  const uid = req.uid ?? "";
  const kind = req.kind?.kind ?? "";
  const obj = req.object ?? ({} as KObject);
  if (path === "/mutate") {
    if (kind !== "CertificateRequest" || req.operation !== "CREATE") return { status: 200, body: review(uid, true) };
    const u = req.userInfo ?? {};
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    const patch: object[] = [];
    const set = (k: string, v: unknown) => patch.push({ op: spec[k] === undefined ? "add" : "replace", path: `/spec/${k}`, value: v });
    set("username", u.username ?? "");
    if (u.uid) set("uid", u.uid);
    if (u.groups?.length) set("groups", u.groups);
    if (u.extra && Object.keys(u.extra).length) set("extra", u.extra);
    return { status: 200, body: review(uid, true, undefined, patch) };
  }
  if (path !== "/validate") return { status: 404, body: "404 page not found\n" };
  let errs: string[] = [];
  if (kind === "Certificate") errs = validateCertificateSpec((obj.spec ?? {}) as Record<string, unknown>);
  else if (kind === "Issuer" || kind === "ClusterIssuer") errs = validateIssuerSpec((obj.spec ?? {}) as Record<string, unknown>);
  return { status: 200, body: errs.length ? review(uid, false, aggregate(errs)) : review(uid, true) };
}

/** The webhook's CA, as the Secret holds it and as its serving certificate needs it. */
interface Authority {
  caPEM: string;
}

export class CertManagerWebhook extends ServerProcess {
  private authority: Authority | undefined;

  constructor(
    l: ContainerLaunch,
    private readonly flags: Map<string, string[]>,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(l.io);
    // It stops serving and exits 0 on SIGTERM (its context is cancelled).
    this.onStop = { exitCode: 0 };
  }

  private flag(name: string): string | undefined {
    return this.flags.get(name)?.at(-1);
  }

  protected run(): void {
    const now = this.io.clock.now();
    const port = Number(this.flag("secure-port") ?? "6443");
    const health = Number(this.flag("healthz-port") ?? "6080");
    this.log(klog(now, "I", "webhook.go:128", `"using dynamic certificate generating using CA stored in Secret resource" logger="cert-manager.webhook.webhook" secret_namespace="${this.flag("dynamic-serving-ca-secret-namespace") ?? ""}" secret_name="${this.flag("dynamic-serving-ca-secret-name") ?? ""}"`));
    this.listen(health, (req) => {
      const p = parseRequestPath(req.path).path;
      if (p === "/healthz" || p === "/livez") return this.authority ? { status: 200, body: "ok" } : { status: 500, body: "[-]tls-serving failed: no serving certificate available\nhealthz check failed\n" };
      return { status: 404, body: "404 page not found\n" };
    });
    this.listen(9402, (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "# HELP certmanager_clock_time_seconds DEPRECATED: use clock_time_seconds_gauge instead. The clock time given in seconds (from 1970/01/01 UTC).\n# TYPE certmanager_clock_time_seconds counter\n" } : { status: 404, body: "404 page not found\n" }));
    const err = this.ensureAuthority();
    if (err) {
      this.logErr(klog(now, "E", "authority.go:162", `"error ensuring CA" err="${err}" logger="cert-manager.webhook.webhook.authority"`));
      // The authority retries with a back-off; the pod stays unready meanwhile.
      this.after(5000, () => this.retry());
      return;
    }
    this.serve(port);
  }

  private retry(): void {
    if (!this.running) return;
    const err = this.ensureAuthority();
    if (err) return this.after(5000, () => this.retry());
    this.serve(Number(this.flag("secure-port") ?? "6443"));
  }

  private serve(port: number): void {
    this.log(klog(this.io.clock.now(), "I", "dynamic_source.go:255", `"Updated cert-manager TLS certificate" logger="cert-manager.webhook.webhook" DNSNames=[${(this.flags.get("dynamic-serving-dns-names") ?? []).join(" ")}]`));
    this.listen(port, (req: HttpRequest) => admit(parseRequestPath(req.path).path, req.body), 0, true);
  }

  /** authority.go ensureCA: the CA Secret, created when missing; its CA otherwise. */
  private ensureAuthority(): string | undefined {
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) return client.message;
    const ns = this.flag("dynamic-serving-ca-secret-namespace") ?? "";
    const name = this.flag("dynamic-serving-ca-secret-name") ?? "";
    let secret: KObject | undefined;
    try {
      secret = client.getOrThrow("Secret", ns, name);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === "NotFound")) return (e as Error).message;
    }
    const existing = secret ? parseCertificate(unb64((secret.data as Record<string, string> | undefined)?.["ca.crt"])) : undefined;
    if (existing && secret) {
      this.authority = { caPEM: unb64((secret.data as Record<string, string>)["ca.crt"]) };
      return undefined;
    }
    const now = this.io.clock.now();
    const key = ecKey(`cert-manager-webhook-ca/${ns}/${name}`, 384);
    const caPEM = createCertificate({ serial: serialNumber(new Drbg(`cert-manager-webhook-ca-serial/${ns}/${name}`)), subject: { commonName: "cert-manager-webhook-ca" }, sans: {}, notBefore: new Date(Math.floor(now / 1000) * 1000), notAfter: new Date(Math.floor(now / 1000) * 1000 + 365 * 24 * 3_600_000), isCA: true, spki: key.spki }, key);
    const body = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: ns, annotations: { "cert-manager.io/allow-direct-injection": "true" } },
      type: "kubernetes.io/tls",
      data: { "ca.crt": b64(caPEM), "tls.crt": b64(caPEM), "tls.key": b64(encodePrivateKey(key, "PKCS8")) },
    } as unknown as KObject;
    try {
      if (secret) client.update({ ...secret, ...body, metadata: { ...secret.metadata, annotations: { ...(secret.metadata.annotations ?? {}), "cert-manager.io/allow-direct-injection": "true" } } } as KObject);
      else client.create(body);
    } catch (e) {
      return (e as Error).message;
    }
    this.log(klog(now, "I", "authority.go:391", `"Will regenerate CA" logger="cert-manager.webhook.webhook.authority" reason="CA secret not found"`));
    this.authority = { caPEM };
    return undefined;
  }
}

export function launchWebhook(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess {
  return new CertManagerWebhook(l, flagValues(argv.slice(1)), l.pod, ctx.api);
}
