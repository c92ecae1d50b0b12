/**
 * Server-side printing (meta.k8s.io/v1 Table) for `kubectl get`: the same column handlers the
 * simulation's own kubectl uses, so both show the same truth, AGE on the simulated clock.
 */
import type { ResourceType } from "../api/resources.ts";
import type { KObject } from "../api/types.ts";
import { tableHandlerFor } from "../kubectl/printers/tablegen.ts";

export function buildTable(r: ResourceType, objs: KObject[], nowMs: number, includeObject: string, metadata: Record<string, unknown> = { resourceVersion: "" }): unknown {
  const h = tableHandlerFor(r);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: h.columns.map((c) => ({
      name: c.name,
      type: "string",
      format: c.name === "Name" ? "name" : "",
      description: "",
      priority: c.priority,
    })),
    rows: objs.map((o) => ({
      cells: h.row(o, nowMs),
      object:
        includeObject === "None"
          ? undefined
          : includeObject === "Object"
            ? o
            : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata },
    })),
  };
}
