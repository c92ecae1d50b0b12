/**
 * `kubectl certificate approve|deny NAME...` (staging/src/k8s.io/kubectl/pkg/cmd/certificates/
 * certificates.go, v1.32): each CertificateSigningRequest gets the condition (`Approved`, reason
 * `KubectlApprove`, message `This CSR was approved by kubectl certificate approve.`; `Denied`,
 * `KubectlDeny`, `This CSR was denied by kubectl certificate deny.`) through its approval
 * subresource, unless it has it already (`--force` writes it again); a request with the opposite
 * condition is refused (`certificate signing request "x" is already Denied`). Each prints
 * `certificatesigningrequest.certificates.k8s.io/<name> approved|denied`.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";

type Condition = { type?: string; status?: string; reason?: string; message?: string; lastUpdateTime?: string };

function modify(inv: Invocation, verb: "approve" | "deny"): void {
  if (inv.args.length === 0 && !(inv.flags.filename as string[] | undefined)?.length) {
    throw new KubectlError(`error: one or more CSRs must be specified as <name> or -f <filename>\nSee 'kubectl certificate ${verb} -h' for help and examples`, 1, true);
  }
  if ((inv.flags.filename as string[] | undefined)?.length) throw new KubectlError(`kubectl certificate ${verb} -f is not simulated: name the CertificateSigningRequests`);
  const [mustNotHave, type, reason, message] =
    verb === "approve" ? ["Denied", "Approved", "KubectlApprove", "This CSR was approved by kubectl certificate approve."] : ["Approved", "Denied", "KubectlDeny", "This CSR was denied by kubectl certificate deny."];
  const api = inv.ctx.api;
  const errors: string[] = [];
  for (const name of inv.args) {
    const csr = api.getOrThrow("CertificateSigningRequest", undefined, name);
    const conditions: Condition[] = Array.isArray(csr.status?.conditions) ? csr.status.conditions : [];
    const opposite = conditions.find((c) => c.type === mustNotHave);
    if (opposite) {
      errors.push(`certificate signing request ${JSON.stringify(name)} is already ${mustNotHave}`);
      continue;
    }
    const has = conditions.some((c) => c.type === type);
    if (!has || inv.flags.force) {
      const next = structuredClone(csr);
      const added: Condition = { type, status: "True", reason, message, lastUpdateTime: inv.ctx.clock.nowRFC3339() };
      next.status = { ...next.status, conditions: has ? conditions : [...conditions, added] };
      // UpdateApproval: PUT …/certificatesigningrequests/<name>/approval.
      api.update(next, { subresource: "approval" });
    }
    inv.out(`certificatesigningrequest.certificates.k8s.io/${name} ${verb === "approve" ? "approved" : "denied"}`);
  }
  if (errors.length) throw new KubectlError(errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]`);
}

const FLAGS = [
  { long: "force", type: "bool" as const },
  { long: "filename", short: "f", type: "stringArray" as const },
  { long: "recursive", short: "R", type: "bool" as const },
  { long: "kustomize", short: "k", type: "string" as const },
  { long: "output", short: "o", type: "string" as const },
  { long: "allow-missing-template-keys", type: "bool" as const, default: true },
  { long: "show-managed-fields", type: "bool" as const },
  { long: "template", type: "string" as const },
];

export const certificateApproveCommand: CommandDef = { path: ["certificate", "approve"], flags: FLAGS, run: (inv) => modify(inv, "approve") };
export const certificateDenyCommand: CommandDef = { path: ["certificate", "deny"], flags: FLAGS, run: (inv) => modify(inv, "deny") };
