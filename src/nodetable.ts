/**
 * The contract's cluster table (`Given a cluster with nodes:`) turned into Node objects, as the
 * kubelet of each node would register it. Columns: name (required), labels, taints, cpu, memory,
 * pods, role; any order; empty cells take the defaults. Errors name the row and the cell.
 */
import type { KObject } from "./api/types.ts";

export const TABLE_COLUMNS = ["name", "labels", "taints", "cpu", "memory", "pods", "role"] as const;
const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e[0-9]+)?$/;

export class NodeTableError extends Error {}

export function nodesFromTable(rows: Record<string, string>[]): KObject[] {
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const rowNo = i + 1;
    const where = (col: string) => `cluster table row ${rowNo}${row.name ? ` (${row.name})` : ""}, column "${col}"`;
    for (const col of Object.keys(row)) {
      if (!(TABLE_COLUMNS as readonly string[]).includes(col)) {
        throw new NodeTableError(`cluster table: unknown column "${col}"; the columns are: ${TABLE_COLUMNS.join(", ")}`);
      }
    }
    const name = (row.name ?? "").trim();
    if (!name) throw new NodeTableError(`${where("name")}: a node needs a name`);
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
      throw new NodeTableError(`${where("name")}: "${name}" is not a valid node name (a lowercase RFC 1123 subdomain)`);
    }
    if (seen.has(name)) throw new NodeTableError(`${where("name")}: duplicate node name "${name}"`);
    seen.add(name);

    const labels: Record<string, string> = {};
    for (const item of splitList(row.labels)) {
      const eq = item.indexOf("=");
      if (eq < 0) throw new NodeTableError(`${where("labels")}: "${item}" is not key=value`);
      const k = item.slice(0, eq).trim();
      const v = item.slice(eq + 1).trim();
      if (!QUALIFIED_NAME.test(k) || k.length > 316) throw new NodeTableError(`${where("labels")}: "${k}" is not a valid label key`);
      if (!LABEL_VALUE.test(v) || v.length > 63) throw new NodeTableError(`${where("labels")}: "${v}" is not a valid label value for "${k}"`);
      labels[k] = v;
    }
    const taints: Array<{ key: string; value?: string; effect: string }> = [];
    for (const item of splitList(row.taints)) {
      const m = /^([^=:]+)(?:=([^:]*))?:([^:]+)$/.exec(item);
      if (!m) throw new NodeTableError(`${where("taints")}: "${item}" is not key=value:Effect or key:Effect`);
      const [, key, value, effect] = m;
      if (!QUALIFIED_NAME.test(key)) throw new NodeTableError(`${where("taints")}: "${key}" is not a valid taint key`);
      if (value !== undefined && !LABEL_VALUE.test(value)) throw new NodeTableError(`${where("taints")}: "${value}" is not a valid taint value`);
      if (!EFFECTS.includes(effect)) {
        throw new NodeTableError(`${where("taints")}: invalid taint effect: ${effect}, unsupported taint effect (use NoSchedule, PreferNoSchedule or NoExecute)`);
      }
      if (taints.some((t) => t.key === key && t.effect === effect)) {
        throw new NodeTableError(`${where("taints")}: duplicate taint ${key}:${effect}`);
      }
      taints.push({ key, ...(value ? { value } : {}), effect });
    }
    const role = (row.role ?? "").trim();
    if (role) {
      if (role !== "control-plane" && role !== "worker") throw new NodeTableError(`${where("role")}: "${role}" is not a role (control-plane or worker)`);
      if (role === "control-plane") {
        labels["node-role.kubernetes.io/control-plane"] = "";
        taints.unshift({ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" });
      }
    }
    const capacity: Record<string, string> = {};
    for (const col of ["cpu", "memory", "pods"] as const) {
      const v = (row[col] ?? "").trim();
      if (!v) continue;
      if (!QUANTITY.test(v) || (col === "pods" && !/^\d+$/.test(v))) throw new NodeTableError(`${where(col)}: "${v}" is not a valid ${col === "pods" ? "pod count" : "quantity"}`);
      capacity[col] = v;
    }
    const node: KObject = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels },
      spec: taints.length ? { taints } : {},
      status: Object.keys(capacity).length ? { capacity } : {},
    };
    return node;
  });
}

function splitList(cell: string | undefined): string[] {
  return (cell ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
