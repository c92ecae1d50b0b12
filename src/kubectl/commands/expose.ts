/**
 * `kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP]
 * [--target-port=number-or-name] [--name=name] [--type=type] ...`: a Service for a pod, service,
 * replication controller, deployment or replica set, its selector and ports read from the object
 * when not given (staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go with the service/v2
 * generator of pkg/generate/versioned/service.go and polymorphichelpers' MapBasedSelectorForObject,
 * PortsForObject and ProtocolsForObject).
 */
import { parseSelector, SelectorError } from "../../api/labels.ts";
import type { KObject } from "../../api/types.ts";
import type { ServicePort } from "../../api/types.gen.ts";
import { FILENAME_FLAGS, KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { hasManifestFlags, readManifestDocs } from "./apply.ts";
import { manifestNamespace } from "../manifest.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { generatorCommands, type Generator } from "./create/generator.ts";
import { applyOverridesAs } from "./run.ts";
import { loadSchema } from "../../api/schema/fields.ts";

const EXPOSABLE = new Set(["Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet"]);

interface Source {
  obj: KObject;
  namespace: string;
}

/** The one object to expose: from `-f` (as written there) or `TYPE NAME` / `TYPE/NAME` (from the server). */
function source(inv: Invocation): Source {
  if (hasManifestFlags(inv)) {
    const doc = readManifestDocs(inv)[0];
    return { obj: doc.obj as KObject, namespace: manifestNamespace(doc.obj) ?? inv.namespace };
  }
  if (inv.args.length === 0) {
    throw new KubectlError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      1,
      true,
    );
  }
  const selections = selectionsFromArgs(inv, inv.args);
  for (const s of selections) if (!EXPOSABLE.has(s.r.kind)) throw new KubectlError(`cannot expose a ${s.r.kind}`);
  const found = fetch(inv, selections, { namespace: inv.namespace });
  if (found.errors.length) throw found.errors[0];
  return { obj: found.items[0].obj, namespace: inv.namespace };
}

/** MapBasedSelectorForObject. */
function selectorOf(obj: KObject): Record<string, string> {
  const fail = (why: string) => new KubectlError(`couldn't retrieve selectors via --selector flag or introspection: ${why}`);
  switch (obj.kind) {
    case "Pod":
      if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) throw fail("the pod has no labels and cannot be exposed");
      return obj.metadata.labels;
    case "Service":
      if (!obj.spec?.selector || Object.keys(obj.spec.selector).length === 0) throw fail("the service has no pod selector set");
      return obj.spec.selector;
    case "ReplicationController":
      return obj.spec?.selector ?? {};
    default: {
      const sel = obj.spec?.selector ?? {};
      if (sel.matchExpressions?.length) throw fail(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
      return sel.matchLabels ?? {};
    }
  }
}

/** PortsForObject with ProtocolsForObject: each container port (or service port) and its protocol. */
function portsOf(obj: KObject): Array<{ port: number; protocol: string }> {
  if (obj.kind === "Service") return (obj.spec?.ports ?? []).map((p: ServicePort) => ({ port: p.port, protocol: p.protocol ?? "TCP" }));
  const spec = obj.kind === "Pod" ? obj.spec : obj.spec?.template?.spec;
  const out: Array<{ port: number; protocol: string }> = [];
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) out.push({ port: p.containerPort, protocol: p.protocol ?? "TCP" });
  return out;
}

/** `k=v,k2=v2` (--labels, --selector). */
function labelMap(text: string, flag: string): Record<string, string> {
  try {
    const sel = parseSelector(text);
    const out: Record<string, string> = {};
    for (const r of sel.requirements) {
      if ((r.operator !== "=" && r.operator !== "==") || r.values.length !== 1) throw new KubectlError(`invalid ${flag} ${JSON.stringify(text)}`);
      out[r.key] = r.values[0];
    }
    return out;
  } catch (e) {
    if (e instanceof SelectorError) throw new KubectlError(e.message);
    throw e;
  }
}

/** intstr.Parse: a number when it reads as one, else a name. */
const intOrString = (s: string): number | string => (/^-?[0-9]+$/.test(s) ? Number(s) : s);

const exposeGenerator: Generator = {
  path: ["expose"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "port", type: "string" },
    { long: "protocol", type: "string" },
    { long: "target-port", type: "string" },
    { long: "name", type: "string" },
    { long: "labels", short: "l", type: "string" },
    { long: "selector", type: "string" },
    { long: "type", type: "string" },
    { long: "external-ip", type: "string" },
    { long: "cluster-ip", type: "string" },
    { long: "load-balancer-ip", type: "string" },
    { long: "session-affinity", type: "string" },
    { long: "override-type", type: "string", default: "merge" },
    { long: "overrides", type: "string" },
    { long: "field-manager", type: "string", default: "kubectl-expose" },
  ],
  verb: "exposed",
  namespaceOf: (inv) => source(inv).namespace,
  build(inv) {
    const f = inv.flags;
    const { obj, namespace } = source(inv);
    if (!EXPOSABLE.has(String(obj.kind))) throw new KubectlError(`cannot expose a ${obj.kind}`);
    const selector = f.selector ? labelMap(f.selector, "selector") : selectorOf(obj);
    const introspected = portsOf(obj);
    const portTexts: string[] = f.port ? String(f.port).split(",") : introspected.map((p) => String(p.port));
    if (portTexts.length === 0) throw new KubectlError("couldn't find port via --port flag or introspection");
    const protocols = new Map(introspected.map((p) => [String(p.port), p.protocol]));
    const ports = portTexts.map((text, i) => {
      if (!/^[+-]?[0-9]+$/.test(text)) throw new KubectlError(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
      const port = Number(text);
      const protocol = f.protocol || protocols.get(text) || "TCP";
      return {
        ...(portTexts.length > 1 ? { name: `port-${i + 1}` } : {}),
        protocol,
        port,
        targetPort: f["target-port"] ? intOrString(f["target-port"]) : port,
      };
    });
    const labels = f.labels ? labelMap(f.labels, "labels") : obj.metadata?.labels;
    const enforce = inv.set.has("namespace") ? inv.namespace : "";
    void namespace;
    const svc: KObject = {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: f.name || obj.metadata.name, ...(enforce ? { namespace: enforce } : {}), ...(labels && Object.keys(labels).length ? { labels } : {}) },
      spec: {
        ports,
        selector,
        ...(f["cluster-ip"] ? { clusterIP: f["cluster-ip"] } : {}),
        ...(f.type ? { type: f.type } : {}),
        ...(f["external-ip"] ? { externalIPs: [f["external-ip"]] } : {}),
        ...(f["session-affinity"] ? { sessionAffinity: f["session-affinity"] } : {}),
        ...(f["load-balancer-ip"] ? { loadBalancerIP: f["load-balancer-ip"] } : {}),
      },
      status: { loadBalancer: {} },
    };
    // The generated Service with --overrides applied (cmdutil.Overrider, as `kubectl run` has it).
    return f.overrides ? applyOverridesAs(svc, String(f.overrides), String(f["override-type"] ?? "merge"), loadSchema().roots.Service) : svc;
  },
};

export const EXPOSE_COMMANDS: CommandDef[] = generatorCommands(exposeGenerator);
