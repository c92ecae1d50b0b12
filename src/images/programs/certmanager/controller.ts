/**
 * `quay.io/jetstack/cert-manager-controller` (cmd/controller, pkg/controller at v1.16.1) as the
 * release manifest runs it: a client of the API server as its service account (`cert-manager`),
 * on 9402 (`/metrics`) and 9403 (`/livez`, `/healthz`). Its controllers, each reading what the
 * others write (every write goes through the API, and so through cert-manager's own webhook):
 *
 * - issuers / clusterissuers: a SelfSigned issuer is Ready (`IsReady`, no message); a CA issuer is
 *   Ready (`KeyPairVerified`, "Signing CA verified") when its Secret holds a key pair, else not
 *   (`ErrGetKeyPair`, `Error getting keypair for CA issuer: …`), with the same events. A
 *   ClusterIssuer's Secrets live in `--cluster-resource-namespace`. An ACME issuer's account
 *   registration starts with a GET of its directory URL from the controller's pod (the cluster
 *   network: no Internet unless the scenario declares the host), and fails with Go's error as
 *   `ErrRegisterACMEAccount`; what it does with an answer (the ACME protocol) is not modelled.
 * - ingress-shim: an Ingress annotated `cert-manager.io/issuer` or `cert-manager.io/cluster-issuer`
 *   gets a Certificate per TLS block (named after its secretName, for its hosts, owned by the
 *   Ingress, the default usages) and the event `CreateCertificate`.
 * - certificates-trigger: a Certificate whose Secret is missing, incomplete, or due for renewal
 *   gets `Issuing=True` (policies/checks.go: `DoesNotExist` "Issuing certificate as Secret does not
 *   exist", `MissingData`, `Renewing` "Renewing certificate as renewal was scheduled at …") and
 *   the event `Issuing`.
 * - certificates-key-manager: a private key (RSA 2048 unless spec.privateKey says otherwise) in a
 *   temporary Secret `<name>-<5 random>` labelled `cert-manager.io/next-private-key: "true"`,
 *   `status.nextPrivateKeySecretName`, the event `Generated`; removed once issuance ends.
 * - certificates-request-manager: a CertificateRequest `<name>-<revision>` with the CSR signed by that
 *   key, and the event `Requested`.
 * - certificaterequests-approver: `Approved=True` (`cert-manager.io`); until then each issuer
 *   type's controller records `WaitingForApproval`.
 * - certificaterequests-issuer-selfsigned / -ca: the signed certificate in `status.certificate`
 *   (and `status.ca`), `Ready=True` (`Issued`, "Certificate fetched from issuer successfully") and
 *   the event `CertificateIssued`; a missing or unready issuer leaves it `Pending`.
 * - certificates-issuing: the Secret (type kubernetes.io/tls: `tls.crt`, `tls.key` in PKCS#1 unless
 *   spec.privateKey.encoding says PKCS8, `ca.crt`; the `cert-manager.io/*` annotations
 *   AnnotationsForCertificate writes and the issuer's; the label `controller.cert-manager.io/fao`),
 *   `status.revision`, the Issuing condition removed, the event `Issuing` "The certificate has been
 *   successfully issued".
 * - certificates-readiness: `Ready` ("Certificate is up to date and has not expired", or the
 *   trigger's reason while it is not), `status.notBefore`, `notAfter` and `renewalTime` (renewBefore,
 *   or a third of the duration), and a timer at the renewal time.
 *
 * Keys, serial numbers and signatures come from the scenario's keyed randomness (./pki.ts).
 * Not modelled: the leader election (a Lease in kube-system), the revision history limit, the
 * ACME orders and challenges, Vault and Venafi, the certificatesigningrequests controllers, the
 * secret-template and additional output formats, the back-off after failed issuances.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import type { EventRecorder } from "../../../api/events.ts";
import type { TimerHandle } from "../../../sim/clock.ts";
import type { Exchange, ProgramContext } from "../../launch.ts";
import { ServerProcess, parseRequestPath } from "../server.ts";
import { inClusterClient } from "../../incluster.ts";
import { b64, conditionOf, keyOfKind, flagValues, klog, parseGoDuration, recorderFor, rfc3339, setCondition, unb64, type Condition } from "./common.ts";
import { createCertificate, createCSR, decodePrivateKey, Drbg, encodePrivateKey, isIPAddress, keyFor, parseCertificate, parseCSR, serialNumber, type ParsedCertificate, type Subject } from "./pki.ts";
import { DEFAULT_DURATION_MS } from "./webhook.ts";

const NEXT_PRIVATE_KEY_LABEL = "cert-manager.io/next-private-key";
const ISSUER_TYPES = ["acme", "ca", "selfsigned", "vault", "venafi"] as const;

interface CertificateSpec {
  secretName: string;
  commonName?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  emailAddresses?: string[];
  subject?: { organizations?: string[]; organizationalUnits?: string[]; countries?: string[]; provinces?: string[]; localities?: string[]; streetAddresses?: string[]; postalCodes?: string[]; serialNumber?: string };
  duration?: string;
  renewBefore?: string;
  renewBeforePercentage?: number;
  isCA?: boolean;
  usages?: string[];
  issuerRef: { name: string; kind?: string; group?: string };
  privateKey?: { algorithm?: string; size?: number; encoding?: string; rotationPolicy?: string };
}

interface CertificateStatus {
  conditions?: Condition[];
  nextPrivateKeySecretName?: string;
  revision?: number;
  notBefore?: string;
  notAfter?: string;
  renewalTime?: string;
}

const specOf = (crt: KObject) => crt.spec as unknown as CertificateSpec;
const statusOf = (crt: KObject) => (crt.status ?? {}) as CertificateStatus;
const dataOf = (s: KObject | undefined) => (s?.data ?? {}) as Record<string, string>;

/** The subject a Certificate asks for (the spec's subject and commonName). */
export function subjectOf(spec: CertificateSpec): Subject {
  const s = spec.subject ?? {};
  return {
    ...(spec.commonName ? { commonName: spec.commonName } : {}),
    ...(s.countries ? { countries: s.countries } : {}),
    ...(s.provinces ? { provinces: s.provinces } : {}),
    ...(s.localities ? { localities: s.localities } : {}),
    ...(s.streetAddresses ? { streetAddresses: s.streetAddresses } : {}),
    ...(s.postalCodes ? { postalCodes: s.postalCodes } : {}),
    ...(s.organizations ? { organizations: s.organizations } : {}),
    ...(s.organizationalUnits ? { organizationalUnits: s.organizationalUnits } : {}),
    ...(s.serialNumber ? { serialNumber: s.serialNumber } : {}),
  };
}

/** cmutil.JoinWithEscapeCSV: values joined with commas, a value with a comma or a quote quoted. */
const csv = (values: string[]) => values.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",");

/** AnnotationsForCertificate (internal/controller/certificates/secrets.go). */
export function annotationsForCertificate(c: ParsedCertificate): Record<string, string> {
  const a: Record<string, string> = {};
  a["cert-manager.io/common-name"] = c.subject.commonName ?? "";
  if (c.subject.serialNumber) a["cert-manager.io/subject-serialnumber"] = c.subject.serialNumber;
  const lists: Array<[string, string[] | undefined]> = [
    ["cert-manager.io/subject-organizations", c.subject.organizations],
    ["cert-manager.io/subject-organizationalunits", c.subject.organizationalUnits],
    ["cert-manager.io/subject-countries", c.subject.countries],
    ["cert-manager.io/subject-provinces", c.subject.provinces],
    ["cert-manager.io/subject-localities", c.subject.localities],
    ["cert-manager.io/subject-postalcodes", c.subject.postalCodes],
    ["cert-manager.io/subject-streetaddresses", c.subject.streetAddresses],
    ["cert-manager.io/email-sans", c.sans.emailAddresses],
  ];
  for (const [k, v] of lists) if (v?.length) a[k] = csv(v);
  a["cert-manager.io/alt-names"] = csv(c.sans.dnsNames ?? []);
  a["cert-manager.io/ip-sans"] = csv(c.sans.ipAddresses ?? []);
  a["cert-manager.io/uri-sans"] = csv(c.sans.uris ?? []);
  return a;
}

/** The Certificate's duration (DefaultCertDuration) and renewBefore (a third of it by default; renewBeforePercentage). */
export function durations(spec: CertificateSpec): { duration: number; renewBefore: number } {
  const duration = (spec.duration !== undefined ? parseGoDuration(spec.duration) : undefined) ?? DEFAULT_DURATION_MS;
  let renewBefore = spec.renewBefore !== undefined ? parseGoDuration(spec.renewBefore) : undefined;
  if (renewBefore === undefined && spec.renewBeforePercentage !== undefined) renewBefore = (duration * (100 - spec.renewBeforePercentage)) / 100;
  if (renewBefore === undefined || renewBefore >= duration) renewBefore = duration / 3;
  return { duration, renewBefore };
}

/** pki.RenewalTime: notAfter − renewBefore (actual lifetime's share), truncated to the second. */
export function renewalTime(notBefore: number, notAfter: number, spec: CertificateSpec): number {
  const { duration, renewBefore } = durations(spec);
  const actual = notAfter - notBefore;
  const rb = actual === duration ? renewBefore : (actual * renewBefore) / duration;
  return Math.floor((notAfter - rb) / 1000) * 1000;
}

/** policies: why the Certificate must be (re)issued now, or undefined. */
export function reissueReason(crt: KObject, secret: KObject | undefined, now: number): { reason: string; message: string } | undefined {
  if (!secret) return { reason: "DoesNotExist", message: "Issuing certificate as Secret does not exist" };
  const data = dataOf(secret);
  if (Object.keys(data).length === 0) return { reason: "MissingData", message: "Issuing certificate as Secret does not contain any data" };
  if (!data["tls.key"]) return { reason: "MissingData", message: "Issuing certificate as Secret does not contain a private key" };
  if (!data["tls.crt"]) return { reason: "MissingData", message: "Issuing certificate as Secret does not contain a certificate" };
  const cert = parseCertificate(unb64(data["tls.crt"]));
  if (!cert) return { reason: "InvalidCertificate", message: "Issuing certificate as Secret contains an invalid certificate: error decoding certificate PEM block" };
  let key;
  try {
    key = decodePrivateKey(unb64(data["tls.key"]));
  } catch {
    return { reason: "InvalidKeyPair", message: "Issuing certificate as Secret contains invalid private key data: error decoding private key PEM block" };
  }
  if (!key.spki.equals(cert.spki)) return { reason: "InvalidKeyPair", message: "Issuing certificate as Secret contains a private key that does not match the certificate" };
  const spec = specOf(crt);
  const want = [...(spec.dnsNames ?? [])].sort().join(",");
  const have = [...(cert.sans.dnsNames ?? [])].sort().join(",");
  if (want !== have || (spec.commonName ?? "") !== (cert.subject.commonName ?? "")) return { reason: "SecretMismatch", message: `Issuing certificate as Existing issued Secret is not up to date for spec: [${want !== have ? "spec.dnsNames" : "spec.commonName"}]` };
  const status = statusOf(crt);
  if (cert.notAfter.getTime() <= now) return { reason: "Expired", message: `Certificate expired on ${cert.notAfter.toUTCString()}` };
  if (status.renewalTime && Date.parse(status.renewalTime) <= now) return { reason: "Renewing", message: `Renewing certificate as renewal was scheduled at ${status.renewalTime}` };
  return undefined;
}

type Source = "certificates-trigger" | "certificates-key-manager" | "certificates-request-manager" | "certificates-issuing" | "certificates-readiness" | "certificaterequests-approver" | `certificaterequests-issuer-${string}` | "issuers" | "clusterissuers" | "ingress-shim";

export class CertManagerController extends ServerProcess {
  private readonly unwatch: Array<() => void> = [];
  private readonly dirty = new Set<string>();
  private tick: TimerHandle | undefined;
  private readonly renewals = new Map<string, TimerHandle>();
  private readonly waited = new Set<string>();
  private client!: ApiServer;
  private events!: EventRecorder;

  constructor(
    l: ContainerLaunch,
    private readonly flags: Map<string, string[]>,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
    private readonly exchange?: Exchange,
  ) {
    super(l.io);
    this.onStop = { exitCode: 0 };
  }

  private get clusterResourceNamespace(): string {
    return this.flags.get("cluster-resource-namespace")?.at(-1) ?? "kube-system";
  }

  protected run(): void {
    const now = this.io.clock.now();
    this.listen(9402, (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "" } : { status: 404, body: "404 page not found\n" }));
    this.listen(9403, (req) => {
      const p = parseRequestPath(req.path).path;
      return p === "/livez" || p === "/healthz" ? { status: 200, body: "ok" } : { status: 404, body: "404 page not found\n" };
    });
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logErr(klog(now, "E", "main.go:43", `"error executing command" err="error creating rest config: ${client.message}" logger="cert-manager"`));
      return this.exit(1);
    }
    this.client = client;
    this.events = recorderFor(client);
    this.log(klog(now, "I", "controller.go:88", `"starting controller" logger="cert-manager.controller" version="v1.16.1" git_commit="ff50c068fd1942419fcce05131d3200a7641cc50"`));
    for (const kind of ["Certificate", "CertificateRequest", "Issuer", "ClusterIssuer", "Secret", "Ingress"]) {
      this.unwatch.push(client.watch(keyOfKind(kind), (ev) => this.onChange(ev.object)));
    }
    for (const kind of ["Issuer", "ClusterIssuer", "Certificate", "CertificateRequest", "Ingress"]) for (const o of client.list(keyOfKind(kind))) this.onChange(o);
  }

  private onChange(obj: KObject): void {
    const ns = obj.metadata.namespace ?? "";
    const name = obj.metadata.name!;
    if (obj.kind === "Secret") {
      // A Secret wakes the Certificates that write it (and the CA issuers that read it).
      for (const crt of this.safeList(keyOfKind("Certificate"), ns)) if (specOf(crt).secretName === name) this.mark(`Certificate/${ns}/${name === specOf(crt).secretName ? crt.metadata.name : ""}`);
      for (const iss of this.safeList(keyOfKind("Issuer"), ns)) if ((iss.spec as { ca?: { secretName?: string } }).ca?.secretName === name) this.mark(`Issuer/${ns}/${iss.metadata.name}`);
      if (ns === this.clusterResourceNamespace) for (const iss of this.safeList(keyOfKind("ClusterIssuer"))) if ((iss.spec as { ca?: { secretName?: string } }).ca?.secretName === name) this.mark(`ClusterIssuer//${iss.metadata.name}`);
      return;
    }
    if (obj.kind === "CertificateRequest") {
      this.mark(`CertificateRequest/${ns}/${name}`);
      const owner = obj.metadata.annotations?.["cert-manager.io/certificate-name"];
      if (owner) this.mark(`Certificate/${ns}/${owner}`);
      return;
    }
    if (obj.kind === "Issuer" || obj.kind === "ClusterIssuer") {
      this.mark(`${obj.kind}/${ns}/${name}`);
      // Requests waiting for it try again.
      for (const cr of this.safeList(keyOfKind("CertificateRequest"), obj.kind === "Issuer" ? ns : undefined)) {
        const ref = (cr.spec as { issuerRef?: { name?: string; kind?: string } }).issuerRef;
        if (ref?.name === name && (ref.kind || "Issuer") === obj.kind) this.mark(`CertificateRequest/${cr.metadata.namespace}/${cr.metadata.name}`);
      }
      return;
    }
    this.mark(`${obj.kind}/${ns}/${name}`);
  }

  private safeList(kind: string, namespace?: string): KObject[] {
    try {
      return this.client.list(kind, namespace !== undefined ? { namespace } : {});
    } catch {
      return [];
    }
  }

  private mark(key: string): void {
    if (!this.running) return;
    this.dirty.add(key);
    if (!this.tick) this.tick = this.io.clock.setTimeout(() => this.drain(), 0);
  }

  /** The work queues: each key synced once per pass, issuers first, in the order they were queued. */
  private drain(): void {
    this.tick = undefined;
    let guard = 0;
    while (this.dirty.size > 0 && this.running && guard++ < 1000) {
      const keys = [...this.dirty].sort((a, b) => rank(a) - rank(b));
      this.dirty.clear();
      for (const key of keys) {
        const [kind, ns, name] = key.split("/") as [string, string, string];
        try {
          if (kind === "Issuer" || kind === "ClusterIssuer") this.syncIssuer(kind, ns, name);
          else if (kind === "CertificateRequest") this.syncRequest(ns, name);
          else if (kind === "Certificate") this.syncCertificate(ns, name);
          else if (kind === "Ingress") this.syncIngress(ns, name);
        } catch (e) {
          this.logErr(klog(this.io.clock.now(), "E", "controller.go:157", `"re-queuing item due to error processing" err="${(e as Error).message}" logger="cert-manager.controller" key="${ns ? `${ns}/` : ""}${name}"`));
        }
      }
    }
  }

  private event(obj: KObject, type: "Normal" | "Warning", reason: string, message: string, source: Source): void {
    try {
      this.events.record(obj, { type, reason, message, source: { component: `cert-manager-${source}` } });
    } catch {
      // the recorder drops what the API refuses
    }
  }

  private writeStatus(obj: KObject, status: Record<string, unknown>): KObject {
    return this.client.update({ ...obj, status } as KObject, { subresource: "status" });
  }

  // ---- issuers -------------------------------------------------------------------------------

  private syncIssuer(kind: string, ns: string, name: string): void {
    const iss = this.client.get(keyOfKind(kind), kind === "Issuer" ? ns : undefined, name);
    if (!iss) return;
    const spec = (iss.spec ?? {}) as { selfSigned?: object; ca?: { secretName?: string }; acme?: { server?: string; email?: string; privateKeySecretRef?: { name?: string } } };
    const gen = iss.metadata.generation;
    const source: Source = kind === "Issuer" ? "issuers" : "clusterissuers";
    let want: { status: "True" | "False"; reason: string; message: string; eventType?: "Normal" | "Warning" };
    if (spec.selfSigned) want = { status: "True", reason: "IsReady", message: "" };
    else if (spec.ca) {
      const secretNs = kind === "Issuer" ? ns : this.clusterResourceNamespace;
      const secret = this.client.get("Secret", secretNs, spec.ca.secretName ?? "");
      const data = dataOf(secret);
      if (!secret) want = { status: "False", reason: "ErrGetKeyPair", message: `Error getting keypair for CA issuer: secrets "${spec.ca.secretName}" not found`, eventType: "Warning" };
      else if (!parseCertificate(unb64(data["tls.crt"]))) want = { status: "False", reason: "ErrGetKeyPair", message: "Error getting keypair for CA issuer: error decoding certificate PEM block", eventType: "Warning" };
      else {
        let ok = true;
        try {
          ok = decodePrivateKey(unb64(data["tls.key"])).spki.equals(parseCertificate(unb64(data["tls.crt"]))!.spki);
        } catch {
          ok = false;
        }
        want = ok ? { status: "True", reason: "KeyPairVerified", message: "Signing CA verified", eventType: "Normal" } : { status: "False", reason: "ErrInvalidKeyPair", message: "Error getting keypair for CA issuer: private key does not match public key", eventType: "Warning" };
      }
    } else if (spec.acme) {
      // pkg/issuer/acme/setup.go: registering the account starts with a GET of the directory URL,
      // from the controller's pod over the cluster network (no Internet unless the scenario
      // declares the host). What it would do with an answer (the ACME protocol) is not modelled.
      const server = spec.acme.server ?? "";
      const reply = this.exchange?.({ method: "GET", url: server, timeoutMs: 30_000 }, { namespace: this.pod.metadata.namespace ?? "", name: this.pod.metadata.name ?? "" });
      if (!reply || reply.outcome.ok) return;
      want = { status: "False", reason: "ErrRegisterACMEAccount", message: `Failed to register ACME account: Get ${JSON.stringify(server)}: ${reply.outcome.error}`, eventType: "Warning" };
    } else return;
    const cur = conditionOf(iss, "Ready");
    if (cur && cur.status === want.status && cur.reason === want.reason && cur.message === want.message && cur.observedGeneration === gen) return;
    const conditions = setCondition((iss.status as { conditions?: Condition[] } | undefined)?.conditions, { type: "Ready", status: want.status, reason: want.reason, message: want.message, ...(gen !== undefined ? { observedGeneration: gen } : {}) }, this.io.clock.now(), true);
    const updated = this.writeStatus(iss, { ...(iss.status ?? {}), conditions });
    if (want.eventType) this.event(updated, want.eventType, want.reason, want.message, source);
  }

  // ---- certificate requests ------------------------------------------------------------------

  private issuerFor(ns: string, ref: { name?: string; kind?: string }): KObject | undefined {
    const kind = ref.kind || "Issuer";
    return this.client.get(keyOfKind(kind), kind === "Issuer" ? ns : undefined, ref.name ?? "");
  }

  private syncRequest(ns: string, name: string): void {
    let cr = this.client.get(keyOfKind("CertificateRequest"), ns, name);
    if (!cr) return;
    const now = this.io.clock.now();
    if (conditionOf(cr, "Denied")?.status === "True" || conditionOf(cr, "InvalidRequest")?.status === "True") return;
    const approved = conditionOf(cr, "Approved")?.status === "True";
    if (!approved) {
      const uid = cr.metadata.uid ?? name;
      if (!this.waited.has(uid)) {
        this.waited.add(uid);
        for (const t of ISSUER_TYPES) this.event(cr, "Normal", "WaitingForApproval", "Not signing CertificateRequest until it is Approved", `certificaterequests-issuer-${t}`);
      }
      // The approver approves every request for cert-manager.io's issuers.
      const ref = (cr.spec as { issuerRef?: { group?: string } }).issuerRef ?? {};
      if (ref.group && ref.group !== "cert-manager.io") return;
      const conditions = setCondition((cr.status as { conditions?: Condition[] } | undefined)?.conditions, { type: "Approved", status: "True", reason: "cert-manager.io", message: "Certificate request has been approved by cert-manager.io" }, now, false);
      cr = this.writeStatus(cr, { ...(cr.status ?? {}), conditions });
      this.event(cr, "Normal", "cert-manager.io", "Certificate request has been approved by cert-manager.io", "certificaterequests-approver");
      return;
    }
    const ready = conditionOf(cr, "Ready");
    if (ready?.reason === "Failed" || ready?.reason === "Issued" || ready?.status === "True") return;
    const spec = cr.spec as { issuerRef: { name: string; kind?: string; group?: string }; request: string; duration?: string; isCA?: boolean; usages?: string[] };
    if (spec.issuerRef.group && spec.issuerRef.group !== "cert-manager.io") return;
    const issuer = this.issuerFor(ns, spec.issuerRef);
    const pending = (reason: string, message: string, source: Source) => {
      if (ready?.reason === "Pending" && ready.message === message) return;
      const conditions = setCondition((cr!.status as { conditions?: Condition[] } | undefined)?.conditions, { type: "Ready", status: "False", reason: "Pending", message }, now, false);
      const updated = this.writeStatus(cr!, { ...(cr!.status ?? {}), conditions });
      if (ready?.reason !== "Pending") this.event(updated, "Normal", reason, message, source);
    };
    if (!issuer) return pending("IssuerNotFound", `Referenced "${spec.issuerRef.kind || "Issuer"}" not found: ${(spec.issuerRef.kind || "Issuer").toLowerCase()}s.cert-manager.io "${spec.issuerRef.name}" not found`, "certificaterequests-issuer-selfsigned");
    const ispec = (issuer.spec ?? {}) as { selfSigned?: object; ca?: { secretName?: string }; acme?: object };
    const type = ispec.selfSigned ? "selfsigned" : ispec.ca ? "ca" : ispec.acme ? "acme" : undefined;
    if (!type) return;
    if (conditionOf(issuer, "Ready")?.status !== "True") return pending("IssuerNotReady", "Referenced issuer does not have a Ready status condition", `certificaterequests-issuer-${type}`);
    if (type === "acme") return;
    const csrPEM = unb64(spec.request);
    let csr;
    try {
      csr = parseCSR(csrPEM);
    } catch (e) {
      return this.failRequest(cr, "RequestParsingError", `Failed to decode CSR in spec.request: ${(e as Error).message}`, `certificaterequests-issuer-${type}`);
    }
    const duration = (spec.duration !== undefined ? parseGoDuration(spec.duration) : undefined) ?? DEFAULT_DURATION_MS;
    const notBefore = Math.floor(now / 1000) * 1000;
    const template = { serial: serialNumber(new Drbg(`cert-manager/serial/${ns}/${name}/${cr.metadata.uid ?? ""}`)), subject: csr.subject, sans: csr.sans, notBefore: new Date(notBefore), notAfter: new Date(notBefore + duration), isCA: spec.isCA === true, usages: spec.usages, spki: csr.spki };
    let certPEM: string;
    let caPEM: string;
    if (type === "selfsigned") {
      const secretName = cr.metadata.annotations?.["cert-manager.io/private-key-secret-name"];
      const keySecret = secretName ? this.client.get("Secret", ns, secretName) : undefined;
      if (!secretName || !keySecret) return pending("MissingData", `Referenced secret ${ns}/${secretName ?? ""} not found: secrets "${secretName ?? ""}" not found`, "certificaterequests-issuer-selfsigned");
      const key = decodePrivateKey(unb64(dataOf(keySecret)["tls.key"]));
      // selfsigned.go: a certificate without a subject has an empty issuer DN.
      if (Object.keys(csr.subject).length === 0) this.event(cr, "Warning", "BadConfig", "Certificate will be issued with an empty Issuer DN, which contravenes RFC 5280 and could break some strict clients", "certificaterequests-issuer-selfsigned");
      if (!key.spki.equals(csr.spki)) return this.failRequest(cr, "ErrorKeyMatch", "Error generating certificate template: CSR not signed by referenced private key", "certificaterequests-issuer-selfsigned");
      certPEM = createCertificate(template, key);
      caPEM = certPEM;
    } else {
      const secretNs = issuer.kind === "Issuer" ? ns : this.clusterResourceNamespace;
      const secret = this.client.get("Secret", secretNs, ispec.ca!.secretName ?? "");
      const data = dataOf(secret);
      const caCertPEM = unb64(data["tls.crt"]);
      const caCert = parseCertificate(caCertPEM);
      if (!caCert) return pending("SecretMissing", `Referenced secret ${secretNs}/${ispec.ca!.secretName} not found: secrets "${ispec.ca!.secretName}" not found`, "certificaterequests-issuer-ca");
      const caKey = decodePrivateKey(unb64(data["tls.key"]));
      // v1.16 does not shorten a certificate to its CA's lifetime (pkg/util/pki/certificatetemplate.go).
      certPEM = createCertificate(template, caKey, { subject: caCert.subject, spki: caCert.spki });
      caPEM = data["ca.crt"] ? unb64(data["ca.crt"]) : caCertPEM;
    }
    const conditions = setCondition((cr.status as { conditions?: Condition[] } | undefined)?.conditions, { type: "Ready", status: "True", reason: "Issued", message: "Certificate fetched from issuer successfully" }, now, false);
    const updated = this.writeStatus(cr, { ...(cr.status ?? {}), ca: b64(caPEM), certificate: b64(certPEM), conditions });
    this.event(updated, "Normal", "CertificateIssued", "Certificate fetched from issuer successfully", `certificaterequests-issuer-${type}`);
  }

  private failRequest(cr: KObject, reason: string, message: string, source: Source): void {
    const now = this.io.clock.now();
    const conditions = setCondition((cr.status as { conditions?: Condition[] } | undefined)?.conditions, { type: "Ready", status: "False", reason: "Failed", message }, now, false);
    const updated = this.writeStatus(cr, { ...(cr.status ?? {}), conditions, failureTime: rfc3339(now) });
    this.event(updated, "Warning", reason, message, source);
  }

  // ---- ingress-shim (pkg/controller/certificate-shim) ------------------------------------------

  /**
   * An Ingress annotated `cert-manager.io/issuer` or `cert-manager.io/cluster-issuer` gets, for each
   * TLS block with a secretName, a Certificate of that name for the block's hosts (IPs as
   * ipAddresses), owned by the Ingress, with the default usages; the event `CreateCertificate`
   * (or `UpdateCertificate` when the hosts or issuer change).
   */
  private syncIngress(ns: string, name: string): void {
    const ing = this.client.get("Ingress", ns, name);
    if (!ing) return;
    const ann = ing.metadata.annotations ?? {};
    const issuerName = ann["cert-manager.io/issuer"] ?? ann["cert-manager.io/cluster-issuer"];
    if (issuerName === undefined) return;
    if (ann["cert-manager.io/issuer"] !== undefined && ann["cert-manager.io/cluster-issuer"] !== undefined) {
      this.event(ing, "Warning", "BadConfig", "Could not determine issuer for ingress due to bad annotations: both cert-manager.io/issuer and cert-manager.io/cluster-issuer may not be set", "ingress-shim");
      return;
    }
    const kind = ann["cert-manager.io/issuer-kind"] ?? (ann["cert-manager.io/cluster-issuer"] !== undefined ? "ClusterIssuer" : "Issuer");
    const group = ann["cert-manager.io/issuer-group"] ?? "cert-manager.io";
    for (const tls of ((ing.spec as { tls?: Array<{ hosts?: string[]; secretName?: string }> }).tls ?? [])) {
      if (!tls.secretName) {
        this.event(ing, "Warning", "BadConfig", `Skipped a TLS block: spec.tls[${((ing.spec as { tls?: unknown[] }).tls ?? []).indexOf(tls)}].secretName: Required value`, "ingress-shim");
        continue;
      }
      const hosts = tls.hosts ?? [];
      const dnsNames = hosts.filter((h) => !isIPAddress(h));
      const ips = hosts.filter((h) => isIPAddress(h));
      const spec = { ...(dnsNames.length ? { dnsNames } : {}), ...(ips.length ? { ipAddresses: ips } : {}), issuerRef: { group, kind, name: issuerName }, secretName: tls.secretName, usages: ["digital signature", "key encipherment"] };
      const existing = this.client.get(keyOfKind("Certificate"), ns, tls.secretName);
      if (!existing) {
        const owner = { apiVersion: "networking.k8s.io/v1", blockOwnerDeletion: true, controller: true, kind: "Ingress", name, uid: ing.metadata.uid };
        this.client.create({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: tls.secretName, namespace: ns, ...(ing.metadata.labels ? { labels: ing.metadata.labels } : {}), ownerReferences: [owner] }, spec } as unknown as KObject);
        this.event(ing, "Normal", "CreateCertificate", `Successfully created Certificate ${JSON.stringify(tls.secretName)}`, "ingress-shim");
        continue;
      }
      if (!(existing.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === ing.metadata.uid)) continue;
      const cur = existing.spec as Record<string, unknown>;
      if (JSON.stringify([cur.dnsNames ?? [], cur.ipAddresses ?? [], cur.issuerRef]) === JSON.stringify([dnsNames, ips, spec.issuerRef])) continue;
      this.client.update({ ...existing, spec: { ...cur, ...spec } } as KObject);
      this.event(ing, "Normal", "UpdateCertificate", `Successfully updated Certificate ${JSON.stringify(tls.secretName)}`, "ingress-shim");
    }
  }

  // ---- certificates ---------------------------------------------------------------------------

  private syncCertificate(ns: string, name: string): void {
    let crt = this.client.get(keyOfKind("Certificate"), ns, name);
    if (!crt) {
      const t = this.renewals.get(`${ns}/${name}`);
      if (t) this.io.clock.clear(t);
      this.renewals.delete(`${ns}/${name}`);
      return;
    }
    const now = this.io.clock.now();
    const spec = specOf(crt);
    const status = statusOf(crt);
    const secret = this.client.get("Secret", ns, spec.secretName);
    const issuing = conditionOf(crt, "Issuing");
    const gen = crt.metadata.generation;
    const why = reissueReason(crt, secret, now);

    // certificates-trigger
    if (issuing?.status !== "True" && why) {
      const conditions = setCondition(status.conditions, { type: "Issuing", status: "True", reason: why.reason, message: why.message, ...(gen !== undefined ? { observedGeneration: gen } : {}) }, now, true);
      crt = this.writeStatus(crt, { ...status, conditions });
      this.event(crt, "Normal", "Issuing", why.message, "certificates-trigger");
      return this.readiness(crt, secret, now);
    }

    if (issuing?.status === "True") {
      // certificates-key-manager
      const nextName = status.nextPrivateKeySecretName;
      const nextSecret = nextName ? this.client.get("Secret", ns, nextName) : undefined;
      if (!nextName || !nextSecret) {
        const revision = (status.revision ?? 0) + 1;
        const key = keyFor(`cert-manager/private-key/${ns}/${name}/${crt.metadata.uid ?? ""}/${revision}`, { algorithm: spec.privateKey?.algorithm?.toUpperCase(), size: spec.privateKey?.size });
        const created = this.client.create({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { generateName: `${name}-`, namespace: ns, labels: { [NEXT_PRIVATE_KEY_LABEL]: "true" }, ownerReferences: [ownerRef(crt)] },
          data: { "tls.key": b64(encodePrivateKey(key, "PKCS8")) },
        } as unknown as KObject);
        crt = this.writeStatus(crt, { ...statusOf(crt), nextPrivateKeySecretName: created.metadata.name });
        this.event(crt, "Normal", "Generated", `Stored new private key in temporary Secret resource ${JSON.stringify(created.metadata.name)}`, "certificates-key-manager");
        return;
      }
      // certificates-request-manager
      const revision = (status.revision ?? 0) + 1;
      const crName = `${name}-${revision}`;
      const cr = this.client.get(keyOfKind("CertificateRequest"), ns, crName);
      if (!cr) {
        const key = decodePrivateKey(unb64(dataOf(nextSecret)["tls.key"]));
        const csr = createCSR(subjectOf(spec), { dnsNames: spec.dnsNames, ipAddresses: spec.ipAddresses, uris: spec.uris, emailAddresses: spec.emailAddresses }, spec.usages, spec.isCA === true, key);
        const annotations: Record<string, string> = { "cert-manager.io/certificate-name": name, "cert-manager.io/certificate-revision": String(revision), "cert-manager.io/private-key-secret-name": nextName };
        const crSpec: Record<string, unknown> = { ...(spec.duration !== undefined ? { duration: spec.duration } : {}), issuerRef: spec.issuerRef, request: b64(csr), ...(spec.isCA !== undefined ? { isCA: spec.isCA } : {}), ...(spec.usages ? { usages: spec.usages } : {}) };
        try {
          const created = this.client.create({ apiVersion: "cert-manager.io/v1", kind: "CertificateRequest", metadata: { name: crName, namespace: ns, annotations, ...(crt.metadata.labels ? { labels: crt.metadata.labels } : {}), ownerReferences: [ownerRef(crt)] }, spec: crSpec } as unknown as KObject);
          this.event(crt, "Normal", "Requested", `Created new CertificateRequest resource ${JSON.stringify(created.metadata.name)}`, "certificates-request-manager");
        } catch (e) {
          this.event(crt, "Warning", "RequestFailed", `Failed to create CertificateRequest: ${(e as Error).message}`, "certificates-request-manager");
          throw e;
        }
        return;
      }
      // certificates-issuing
      const crReady = conditionOf(cr, "Ready");
      if (crReady?.status === "True" && crReady.reason === "Issued") {
        const crStatus = cr.status as { certificate?: string; ca?: string };
        const certPEM = unb64(crStatus.certificate);
        const cert = parseCertificate(certPEM)!;
        const key = decodePrivateKey(unb64(dataOf(nextSecret)["tls.key"]));
        const annotations = {
          ...(secret?.metadata.annotations ?? {}),
          ...annotationsForCertificate(cert),
          "cert-manager.io/certificate-name": name,
          "cert-manager.io/issuer-group": spec.issuerRef.group ?? "",
          "cert-manager.io/issuer-kind": spec.issuerRef.kind || "Issuer",
          "cert-manager.io/issuer-name": spec.issuerRef.name,
        };
        const labels = { ...(secret?.metadata.labels ?? {}), "controller.cert-manager.io/fao": "true" };
        const data = { "ca.crt": crStatus.ca ?? "", "tls.crt": crStatus.certificate ?? "", "tls.key": b64(encodePrivateKey(key, spec.privateKey?.encoding === "PKCS8" ? "PKCS8" : "PKCS1")) };
        if (secret) this.client.update({ ...secret, metadata: { ...secret.metadata, annotations, labels }, data } as KObject);
        else this.client.create({ apiVersion: "v1", kind: "Secret", metadata: { name: spec.secretName, namespace: ns, annotations, labels }, type: "kubernetes.io/tls", data } as unknown as KObject);
        const { conditions: _c, nextPrivateKeySecretName: _n, ...rest } = statusOf(crt);
        void _c;
        void _n;
        const conditions = (statusOf(crt).conditions ?? []).filter((c) => c.type !== "Issuing");
        crt = this.writeStatus(crt, { ...rest, revision, conditions });
        this.event(crt, "Normal", "Issuing", "The certificate has been successfully issued", "certificates-issuing");
        // certificates-key-manager: issuance is over, the temporary key goes.
        try {
          this.client.delete("Secret", ns, nextName);
        } catch {
          // already gone
        }
        const fresh = this.client.get("Secret", ns, spec.secretName);
        return this.readiness(crt, fresh, now);
      }
      if (crReady?.reason === "Failed") {
        const message = `The certificate request has failed to complete and will be retried: ${crReady.message ?? ""}`;
        const conditions = setCondition(status.conditions, { type: "Issuing", status: "False", reason: "Failed", message, ...(gen !== undefined ? { observedGeneration: gen } : {}) }, now, true);
        crt = this.writeStatus(crt, { ...status, conditions, lastFailureTime: rfc3339(now), failedIssuanceAttempts: ((status as { failedIssuanceAttempts?: number }).failedIssuanceAttempts ?? 0) + 1 });
        this.event(crt, "Warning", "Failed", message, "certificates-issuing");
      }
      return this.readiness(crt, secret, now);
    }
    this.readiness(crt, secret, now);
  }

  /** certificates-readiness: the Ready condition and the validity fields, and the renewal timer. */
  private readiness(crt: KObject, secret: KObject | undefined, now: number): void {
    const why = reissueReason(crt, secret, now);
    const status = statusOf(crt);
    const gen = crt.metadata.generation;
    const want = why ? { status: "False" as const, reason: why.reason, message: why.message } : { status: "True" as const, reason: "Ready", message: "Certificate is up to date and has not expired" };
    const next: CertificateStatus & Record<string, unknown> = { ...status };
    const cert = secret ? parseCertificate(unb64(dataOf(secret)["tls.crt"])) : undefined;
    if (cert) {
      next.notBefore = rfc3339(cert.notBefore.getTime());
      next.notAfter = rfc3339(cert.notAfter.getTime());
      next.renewalTime = rfc3339(renewalTime(cert.notBefore.getTime(), cert.notAfter.getTime(), specOf(crt)));
    } else {
      delete next.notBefore;
      delete next.notAfter;
      delete next.renewalTime;
    }
    next.conditions = setCondition(status.conditions, { type: "Ready", ...want, ...(gen !== undefined ? { observedGeneration: gen } : {}) }, now, true);
    // Ready first, as the readiness controller sets it before the issuing ones add theirs.
    next.conditions.sort((a, b) => (a.type === "Ready" ? -1 : b.type === "Ready" ? 1 : 0));
    if (JSON.stringify(next) !== JSON.stringify(status)) crt = this.writeStatus(crt, next);
    const key = `${crt.metadata.namespace}/${crt.metadata.name}`;
    const old = this.renewals.get(key);
    if (old) this.io.clock.clear(old);
    this.renewals.delete(key);
    if (next.renewalTime && !why) {
      this.renewAt(key, Date.parse(next.renewalTime));
    }
  }

  /** A timer at the renewal time (timers hold at most 2^31−1 ms, about 24.8 days: longer waits go in steps). */
  private renewAt(key: string, at: number): void {
    const wait = at - this.io.clock.now();
    const step = Math.min(Math.max(0, wait), MAX_TIMER_MS);
    this.renewals.set(
      key,
      this.io.clock.setTimeout(() => {
        if (at - this.io.clock.now() > 0) this.renewAt(key, at);
        else this.mark(`Certificate/${key}`);
      }, step),
    );
  }

  override exit(code: number): void {
    for (const u of this.unwatch.splice(0)) u();
    if (this.tick) this.io.clock.clear(this.tick);
    this.tick = undefined;
    for (const t of this.renewals.values()) this.io.clock.clear(t);
    this.renewals.clear();
    super.exit(code);
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const rank = (key: string) => (key.startsWith("Issuer/") || key.startsWith("ClusterIssuer/") ? 0 : key.startsWith("CertificateRequest/") ? 1 : key.startsWith("Ingress/") ? 3 : 2);

function ownerRef(crt: KObject): Record<string, unknown> {
  return { apiVersion: "cert-manager.io/v1", blockOwnerDeletion: true, controller: true, kind: "Certificate", name: crt.metadata.name, uid: crt.metadata.uid };
}

export function launchController(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess {
  return new CertManagerController(l, flagValues(argv.slice(1)), l.pod, ctx.api, ctx.exchange);
}
