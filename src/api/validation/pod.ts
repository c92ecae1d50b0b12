/**
 * Pod validation (pkg/apis/core/validation/validation.go: ValidatePodCreate, ValidatePodSpec,
 * validateContainers, probes, resources, volumes, tolerations, affinity, ValidatePodUpdate), in
 * upstream's order and with its texts.
 */
import { validateDownwardAPIItems, validateEnvVarValueFrom } from "./downwardapi.ts";
import { Quantity, QuantityError } from "../quantity.ts";
import { arr, F, field, GoRepr, isObj, objs, str, type Errs } from "./field.ts";
import { NameIsDNSSubdomain, validateAnnotations, validateLabelName, validateLabels, validateObjectMeta } from "./meta.ts";
import { goValue, InclusiveRangeError, IsDNS1123Label, IsDNS1123Subdomain, IsValidLabelValue, IsValidPortName, IsValidPortNum } from "./names.ts";
import type { KObject } from "../types.ts";
import { getPodQOS } from "../helper/qos.ts";
import { getSysctlNamespace, IPC_NAMESPACE, isValidSysctlName, NET_NAMESPACE, SYSCTL_CONTAIN_SLASH_FMT, SYSCTL_MAX_LENGTH } from "../helper/sysctl.ts";

type Obj = Record<string, unknown>;

export const IsNegativeErrorMsg = "must be greater than or equal to 0";
const fileModeErrorMsg = "must be a number between 0 and 0777 (octal), both inclusive";
const SUPPORTED_PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"];

const num = (v: unknown): number => (typeof v === "number" ? v : 0);
/** A decoded map[string]string (labels, annotations, a node selector). */
const labelMap = (v: unknown): Record<string, string> | undefined => (isObj(v) ? (v as Record<string, string>) : undefined);

export function validateNonnegativeField(value: unknown, path: string): Errs {
  return typeof value === "number" && value < 0 ? [F.invalid(path, value, IsNegativeErrorMsg)] : [];
}

function validateDNS1123Label(value: string, path: string): Errs {
  return IsDNS1123Label(value).map((msg) => F.invalid(path, value, msg));
}

// ---- volumes ------------------------------------------------------------------------------

const VOLUME_SOURCES = [
  "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs", "flocker",
  "persistentVolumeClaim", "rbd", "quobyte", "cephfs", "cinder", "downwardAPI", "fc", "flexVolume", "configMap", "azureFile",
  "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image",
];
const HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

function validateMode(mode: unknown, path: string): Errs {
  return typeof mode === "number" && (mode > 0o777 || mode < 0) ? [F.invalid(path, mode, fileModeErrorMsg)] : [];
}

function validatePathNoBacksteps(p: string, path: string): Errs {
  return p.split(/[\\/]/).includes("..") ? [F.invalid(path, p, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, without `..`. */
function validateLocalDescendingPath(p: string, path: string): Errs {
  return [...(String(p).startsWith("/") ? [F.invalid(path, p, "must be a relative path")] : []), ...validatePathNoBacksteps(String(p), path)];
}

function validateVolumeSource(v: Obj, path: string): Errs {
  const errs: Errs = [];
  let n = 0;
  for (const s of VOLUME_SOURCES) {
    if (v[s] === undefined || v[s] === null) continue;
    if (n > 0) {
      errs.push(F.forbidden(`${path}.${s}`, "may not specify more than 1 volume type"));
      continue;
    }
    n++;
    const src = isObj(v[s]) ? v[s] : {};
    const p = `${path}.${s}`;
    switch (s) {
      case "hostPath":
        if (!src.path) errs.push(F.required(`${p}.path`));
        else {
          errs.push(...validatePathNoBacksteps(String(src.path), `${p}.path`));
          if (src.type !== undefined && !HOST_PATH_TYPES.includes(src.type as string)) errs.push(F.notSupported(`${p}.type`, src.type, HOST_PATH_TYPES));
        }
        break;
      case "secret":
        if (!src.secretName) errs.push(F.required(`${p}.secretName`));
        errs.push(...validateMode(src.defaultMode, `${p}.defaultMode`));
        break;
      case "configMap":
        if (!src.name) errs.push(F.required(`${p}.name`));
        errs.push(...validateMode(src.defaultMode, `${p}.defaultMode`));
        break;
      case "persistentVolumeClaim":
        if (!src.claimName) errs.push(F.required(`${p}.claimName`));
        break;
      case "nfs":
        if (!src.server) errs.push(F.required(`${p}.server`));
        if (!src.path) errs.push(F.required(`${p}.path`));
        else if (!String(src.path).startsWith("/")) errs.push(F.invalid(`${p}.path`, src.path, "must be an absolute path"));
        break;
      case "downwardAPI":
        errs.push(...validateMode(src.defaultMode, `${p}.defaultMode`));
        if (isObj(src)) errs.push(...validateDownwardAPIItems(src.items, `${p}.items`));
        break;
      case "projected":
        errs.push(...validateMode(src.defaultMode, `${p}.defaultMode`));
        objs(isObj(src) ? src.sources : undefined).forEach((ps, si) => {
          if (isObj(ps.downwardAPI)) errs.push(...validateDownwardAPIItems(ps.downwardAPI.items, `${p}.sources[${si}].downwardAPI.items`));
        });
        break;
    }
  }
  if (n === 0) errs.push(F.required(path, "must specify a volume type"));
  return errs;
}

/** ValidateVolumes: returns the valid volumes by name, and the errors. */
export function validateVolumes(volumes: unknown, path: string): { vols: Map<string, Obj>; errs: Errs } {
  const errs: Errs = [];
  const vols = new Map<string, Obj>();
  const names = new Set<string>();
  objs(volumes).forEach((vol, i) => {
    const idx = `${path}[${i}]`;
    const el = validateVolumeSource(vol, idx);
    const name = str(vol.name);
    if (!name) el.push(F.required(`${idx}.name`));
    else el.push(...validateDNS1123Label(name, `${idx}.name`));
    if (names.has(name)) el.push(F.duplicate(`${idx}.name`, name));
    if (el.length === 0) {
      names.add(name);
      vols.set(name, vol);
    } else errs.push(...el);
  });
  return { vols, errs };
}

function validateVolumeMounts(mounts: unknown, vols: Map<string, Obj>, path: string): Errs {
  const errs: Errs = [];
  const points = new Set<string>();
  objs(mounts).forEach((m, i) => {
    const idx = `${path}[${i}]`;
    if (!m.name) errs.push(F.required(`${idx}.name`));
    if (!vols.has(str(m.name))) errs.push(F.notFound(`${idx}.name`, m.name ?? ""));
    if (!m.mountPath) errs.push(F.required(`${idx}.mountPath`));
    const mountPath = str(m.mountPath);
    if (points.has(mountPath)) errs.push(F.invalid(`${idx}.mountPath`, m.mountPath, "must be unique"));
    points.add(mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(String(m.subPath), `${idx}.subPath`));
    if (m.subPath && m.subPathExpr) errs.push(F.invalid(`${idx}.subPathExpr`, m.subPathExpr, "subPathExpr and subPath are mutually exclusive"));
    if (m.subPathExpr) errs.push(...validateLocalDescendingPath(String(m.subPathExpr), `${idx}.subPathExpr`));
  });
  return errs;
}

// ---- containers ---------------------------------------------------------------------------

function validateContainerPorts(ports: unknown, path: string): Errs {
  const errs: Errs = [];
  const names = new Set<string>();
  objs(ports).forEach((port, i) => {
    const idx = `${path}[${i}]`;
    const name = str(port.name);
    if (name) {
      const msgs = IsValidPortName(name);
      if (msgs.length) for (const msg of msgs) errs.push(F.invalid(`${idx}.name`, name, msg));
      else if (names.has(name)) errs.push(F.duplicate(`${idx}.name`, name));
      else names.add(name);
    }
    if (!port.containerPort) errs.push(F.required(`${idx}.containerPort`));
    else for (const msg of IsValidPortNum(num(port.containerPort))) errs.push(F.invalid(`${idx}.containerPort`, port.containerPort, msg));
    if (port.hostPort) for (const msg of IsValidPortNum(num(port.hostPort))) errs.push(F.invalid(`${idx}.hostPort`, port.hostPort, msg));
    if (!port.protocol) errs.push(F.required(`${idx}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(String(port.protocol))) errs.push(F.notSupported(`${idx}.protocol`, port.protocol, SUPPORTED_PORT_PROTOCOLS));
  });
  return errs;
}

/** ValidatePortNumOrName (an IntOrString). */
export function validatePortNumOrName(port: unknown, path: string): Errs {
  if (typeof port === "number") return IsValidPortNum(port).map((msg) => F.invalid(path, port, msg));
  if (typeof port === "string") return IsValidPortName(port).map((msg) => F.invalid(path, port, msg));
  return [F.invalid(path, port, "must be an integer or a port name")];
}

function validateEnv(env: unknown, path: string): Errs {
  const errs: Errs = [];
  objs(env).forEach((ev, i) => {
    const idx = `${path}[${i}]`;
    if (!ev.name) errs.push(F.required(`${idx}.name`));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(String(ev.name))) {
      // RelaxedEnvironmentVariableValidation (beta, on in v1.32)
      errs.push(F.invalid(`${idx}.name`, ev.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
    }
    if (isObj(ev.valueFrom)) errs.push(...validateEnvVarValueFrom(ev, `${idx}.valueFrom`));
  });
  return errs;
}

const STANDARD_CONTAINER_RESOURCES = ["cpu", "memory", "ephemeral-storage"];

// validateResourceRequirements' helpers (module functions: no closures made per container).
function parseOrUndefined(v: unknown): Quantity | undefined {
  try {
    return Quantity.parse(String(v));
  } catch (e) {
    if (e instanceof QuantityError) return undefined;
    throw e;
  }
}

function checkResourceName(errs: Errs, name: string, p: string): void {
  if (!name.includes("/")) {
    if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !name.startsWith("hugepages-")) errs.push(F.invalid(p, new GoRepr(name), "must be a standard resource for containers"));
  } else if (!name.includes("kubernetes.io/")) {
    const msgs = IsDNS1123Subdomain(name.split("/")[0]);
    if (msgs.length || name.split("/").length !== 2) errs.push(F.invalid(p, new GoRepr(name), "doesn't follow extended resource name standard"));
  }
}

function overcommit(name: string): boolean {
  return !name.startsWith("hugepages-") && (!name.includes("/") || name.includes("kubernetes.io/"));
}

function validateResourceRequirements(res: unknown, path: string): Errs {
  const errs: Errs = [];
  if (!isObj(res)) return errs;
  const limits: Obj = isObj(res.limits) ? res.limits : {};
  const requests: Obj = isObj(res.requests) ? res.requests : {};
  for (const name of Object.keys(limits).sort()) {
    const p = `${path}.limits[${name}]`;
    checkResourceName(errs, name, p);
    const q = parseOrUndefined(limits[name]);
    if (q && q.sign() < 0) errs.push(F.invalid(p, q.toString(), IsNegativeErrorMsg));
  }
  for (const name of Object.keys(requests).sort()) {
    const p = `${path}.requests[${name}]`;
    checkResourceName(errs, name, p);
    const q = parseOrUndefined(requests[name]);
    if (!q) continue;
    if (q.sign() < 0) errs.push(F.invalid(p, q.toString(), IsNegativeErrorMsg));
    if (name in limits) {
      const lim = parseOrUndefined(limits[name]);
      if (!lim) continue;
      if (q.cmp(lim) !== 0 && !overcommit(name)) errs.push(F.invalid(`${path}.requests`, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
      else if (q.cmp(lim) > 0) errs.push(F.invalid(`${path}.requests`, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    } else if (!overcommit(name)) errs.push(F.required(`${path}.limits`, "Limit must be set for non overcommitable resources"));
  }
  return errs;
}

const HANDLER_TYPES = ["exec", "httpGet", "tcpSocket", "grpc", "sleep"];

function validateHandler(h: Obj, path: string, lifecycle: boolean): Errs {
  const errs: Errs = [];
  let n = 0;
  for (const t of HANDLER_TYPES) {
    if (h[t] === undefined || h[t] === null) continue;
    if ((lifecycle && t === "grpc") || (!lifecycle && t === "sleep")) continue;
    if (n > 0) {
      errs.push(F.forbidden(`${path}.${t}`, "may not specify more than 1 handler type"));
      continue;
    }
    n++;
    const a: Obj = isObj(h[t]) ? h[t] : {};
    const p = `${path}.${t}`;
    if (t === "exec" && arr(a.command).length === 0) errs.push(F.required(`${p}.command`));
    if (t === "httpGet") {
      if (!a.path) errs.push(F.required(`${p}.path`));
      errs.push(...validatePortNumOrName(a.port, `${p}.port`));
      if (!["HTTP", "HTTPS"].includes(a.scheme as string)) errs.push(F.notSupported(`${p}.scheme`, a.scheme ?? "", ["HTTP", "HTTPS"]));
    }
    if (t === "tcpSocket") errs.push(...validatePortNumOrName(a.port, `${p}.port`));
    if (t === "grpc") for (const msg of IsValidPortNum(num(a.port))) errs.push(F.invalid(`${p}.port`, num(a.port), msg));
    if (t === "sleep" && (typeof a.seconds !== "number" || a.seconds < 0)) errs.push(F.invalid(`${p}.seconds`, num(a.seconds), "must be non-negative"));
  }
  if (n === 0) errs.push(F.required(path, "must specify a handler type"));
  return errs;
}

function validateProbe(probe: Obj, path: string): Errs {
  const errs = validateHandler(probe, path, false);
  for (const f of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"]) {
    errs.push(...validateNonnegativeField(probe[f], `${path}.${f}`));
  }
  if (typeof probe.terminationGracePeriodSeconds === "number" && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(F.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, "must be greater than 0"));
  }
  return errs;
}

function validateLivenessLikeProbe(probe: unknown, path: string): Errs {
  if (!isObj(probe)) return [];
  const errs = validateProbe(probe, path);
  if (probe.successThreshold !== 1) errs.push(F.invalid(`${path}.successThreshold`, num(probe.successThreshold), "must be 1"));
  return errs;
}

function validateReadinessProbe(probe: unknown, path: string): Errs {
  if (!isObj(probe)) return [];
  const errs = validateProbe(probe, path);
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    errs.push(F.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, "must not be set for readinessProbes"));
  }
  return errs;
}

function validateLifecycle(lc: unknown, path: string): Errs {
  if (!isObj(lc)) return [];
  const errs: Errs = [];
  for (const h of ["postStart", "preStop"]) if (isObj(lc[h])) errs.push(...validateHandler(lc[h], `${path}.${h}`, true));
  return errs;
}

function validateContainerCommon(c: Obj, vols: Map<string, Obj>, path: string): Errs {
  const errs: Errs = [];
  if (!c.name) errs.push(F.required(`${path}.name`));
  else errs.push(...validateDNS1123Label(String(c.name), `${path}.name`));
  if (!c.image) errs.push(F.required(`${path}.image`));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(F.required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== "File" && tmp !== "FallbackToLogsOnError") errs.push(F.notSupported(`${path}.terminationMessagePolicy`, tmp, ["File", "FallbackToLogsOnError"]));
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, vols, `${path}.volumeMounts`));
  const pp = c.imagePullPolicy;
  if (!pp) errs.push(F.required(`${path}.imagePullPolicy`));
  else if (!["Always", "IfNotPresent", "Never"].includes(pp as string)) errs.push(F.notSupported(`${path}.imagePullPolicy`, pp, ["Always", "IfNotPresent", "Never"]));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  return errs;
}

function checkHostPortConflicts(containers: Obj[], path: string): Errs {
  const errs: Errs = [];
  const seen = new Set<string>();
  containers.forEach((c) => {
    objs(c.ports).forEach((p) => {
      if (!p.hostPort) return;
      const key = `${p.hostIP ?? ""}/${p.hostPort}/${p.protocol ?? ""}`;
      if (seen.has(key)) errs.push(F.duplicate(path + "[*].ports", `${p.hostPort}/${p.protocol}`));
      seen.add(key);
    });
  });
  return errs;
}

function validateContainers(containers: unknown, vols: Map<string, Obj>, path: string): Errs {
  const list = objs(containers);
  if (list.length === 0) return [F.required(path)];
  const errs: Errs = [];
  const names = new Set<unknown>();
  list.forEach((c, i) => {
    const idx = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, idx));
    if (names.has(c.name)) errs.push(F.duplicate(`${idx}.name`, c.name));
    else names.add(c.name);
    errs.push(...validateLifecycle(c.lifecycle, `${idx}.lifecycle`));
    errs.push(...validateLivenessLikeProbe(c.livenessProbe, `${idx}.livenessProbe`));
    errs.push(...validateReadinessProbe(c.readinessProbe, `${idx}.readinessProbe`));
    errs.push(...validateLivenessLikeProbe(c.startupProbe, `${idx}.startupProbe`));
    if (c.restartPolicy !== undefined) errs.push(F.forbidden(`${idx}.restartPolicy`, "may not be set for non-init containers"));
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

function validateInitContainers(inits: unknown, containers: unknown, vols: Map<string, Obj>, path: string): Errs {
  const errs: Errs = [];
  const others = new Set(arr(containers).map((c) => field(c, "name")));
  const names = new Set<unknown>();
  objs(inits).forEach((c, i) => {
    const idx = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, idx));
    if (names.has(c.name) || others.has(c.name)) errs.push(F.duplicate(`${idx}.name`, c.name));
    else names.add(c.name);
    const sidecar = c.restartPolicy === "Always";
    if (c.restartPolicy !== undefined && !sidecar) errs.push(F.notSupported(`${idx}.restartPolicy`, c.restartPolicy, ["Always"]));
    if (sidecar) {
      errs.push(...validateLifecycle(c.lifecycle, `${idx}.lifecycle`));
      errs.push(...validateLivenessLikeProbe(c.livenessProbe, `${idx}.livenessProbe`));
      errs.push(...validateReadinessProbe(c.readinessProbe, `${idx}.readinessProbe`));
      errs.push(...validateLivenessLikeProbe(c.startupProbe, `${idx}.startupProbe`));
    } else {
      if (c.lifecycle !== undefined) errs.push(F.forbidden(`${idx}.lifecycle`, "may not be set for init containers without restartPolicy=Always"));
      if (c.livenessProbe !== undefined) errs.push(F.forbidden(`${idx}.livenessProbe`, "may not be set for init containers without restartPolicy=Always"));
      if (c.readinessProbe !== undefined) errs.push(F.forbidden(`${idx}.readinessProbe`, "may not be set for init containers without restartPolicy=Always"));
      if (c.startupProbe !== undefined) errs.push(F.forbidden(`${idx}.startupProbe`, "may not be set for init containers without restartPolicy=Always"));
    }
  });
  return errs;
}

// ---- scheduling ---------------------------------------------------------------------------

export function validateTaintEffect(effect: unknown, allowEmpty: boolean, path: string): Errs {
  if (!allowEmpty && !effect) return [F.required(path)];
  if (["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(effect as string)) return [];
  return [F.notSupported(path, effect ?? "", ["NoSchedule", "PreferNoSchedule", "NoExecute"])];
}

const tolerationRepr = (t: Obj) =>
  new GoRepr(
    `core.Toleration{Key:${goValue(t.key ?? "")}, Operator:${goValue(t.operator ?? "")}, Value:${goValue(t.value ?? "")}, Effect:${goValue(t.effect ?? "")}, TolerationSeconds:${typeof t.tolerationSeconds === "number" ? `(*int64)(${t.tolerationSeconds})` : "(*int64)(nil)"}}`,
  );

export function validateTolerations(tolerations: unknown, path: string): Errs {
  const errs: Errs = [];
  objs(tolerations).forEach((t, i) => {
    const idx = `${path}[${i}]`;
    if (t.key) errs.push(...validateLabelName(String(t.key), `${idx}.key`));
    if (!t.key && t.operator !== "Exists") {
      errs.push(F.invalid(`${idx}.operator`, t.operator ?? "", 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== "NoExecute") {
      errs.push(F.invalid(`${idx}.effect`, t.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (t.operator === "Equal" || !t.operator) {
      const msgs = IsValidLabelValue(String(t.value ?? ""));
      if (msgs.length) errs.push(F.invalid(`${idx}.operator`, t.value, msgs.join(";")));
    } else if (t.operator === "Exists") {
      if (t.value) errs.push(F.invalid(`${idx}.operator`, tolerationRepr(t), "value must be empty when `operator` is 'Exists'"));
    } else errs.push(F.notSupported(`${idx}.operator`, t.operator, ["Equal", "Exists"]));
    if (t.effect) errs.push(...validateTaintEffect(t.effect, true, `${idx}.effect`));
  });
  return errs;
}

function validateNodeSelectorRequirement(rq: Obj, path: string): Errs {
  const errs: Errs = [];
  const values = arr(rq.values);
  switch (rq.operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) errs.push(F.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) errs.push(F.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) errs.push(F.required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(F.invalid(`${path}.operator`, rq.operator ?? "", "not a valid selector operator"));
  }
  errs.push(...validateLabelName(String(rq.key ?? ""), `${path}.key`));
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string): Errs {
  const errs: Errs = [];
  objs(term.matchExpressions).forEach((rq, j) => errs.push(...validateNodeSelectorRequirement(rq, `${path}.matchExpressions[${j}]`)));
  objs(term.matchFields).forEach((rq, j) => {
    const p = `${path}.matchFields[${j}]`;
    if (rq.key !== "metadata.name") errs.push(F.invalid(`${p}.key`, rq.key ?? "", "not a valid field selector key"));
    if (!["In", "NotIn"].includes(rq.operator as string)) errs.push(F.invalid(`${p}.operator`, rq.operator ?? "", "not a valid selector operator"));
    else if (arr(rq.values).length !== 1) errs.push(F.required(`${p}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  });
  return errs;
}

/** metav1 ValidateLabelSelector */
export function validateLabelSelector(sel: unknown, path: string): Errs {
  if (!isObj(sel)) return [];
  const errs = validateLabels(labelMap(sel.matchLabels), `${path}.matchLabels`);
  objs(sel.matchExpressions).forEach((sr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = arr(sr.values);
    if (sr.operator === "In" || sr.operator === "NotIn") {
      if (values.length === 0) errs.push(F.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (sr.operator === "Exists" || sr.operator === "DoesNotExist") {
      if (values.length > 0) errs.push(F.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else errs.push(F.invalid(`${p}.operator`, sr.operator ?? "", "not a valid selector operator"));
    errs.push(...validateLabelName(String(sr.key ?? ""), `${p}.key`));
    values.forEach((v, j) => {
      for (const msg of IsValidLabelValue(String(v))) errs.push(F.invalid(`${p}.values[${j}]`, v, msg));
    });
  });
  return errs;
}

function validatePodAffinityTerms(terms: unknown, path: string, weighted: boolean): Errs {
  const errs: Errs = [];
  objs(terms).forEach((t, i) => {
    const p = `${path}[${i}]`;
    let term = t;
    if (weighted) {
      if (typeof t.weight !== "number" || t.weight < 1 || t.weight > 100) errs.push(F.invalid(`${p}.weight`, num(t.weight), "must be in the range 1-100"));
      term = isObj(t.podAffinityTerm) ? t.podAffinityTerm : {};
    }
    const tp = weighted ? `${p}.podAffinityTerm` : p;
    errs.push(...validateLabelSelector(term.labelSelector, `${tp}.labelSelector`));
    if (!term.topologyKey) errs.push(F.required(`${tp}.topologyKey`, "can not be empty"));
    else errs.push(...validateLabelName(String(term.topologyKey), `${tp}.topologyKey`));
  });
  return errs;
}

function validateAffinity(aff: unknown, path: string): Errs {
  if (!isObj(aff)) return [];
  const errs: Errs = [];
  const na = aff.nodeAffinity;
  if (isObj(na)) {
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const tp = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      const terms = objs(req.nodeSelectorTerms);
      if (terms.length === 0) errs.push(F.required(tp, "must have at least one node selector term"));
      terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, `${tp}[${i}]`)));
    }
    objs(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const p = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (typeof t.weight !== "number" || t.weight < 1 || t.weight > 100) errs.push(F.invalid(`${p}.weight`, num(t.weight), "must be in the range 1-100"));
      errs.push(...validateNodeSelectorTerm(isObj(t.preference) ? t.preference : {}, `${p}.preference`));
    });
  }
  for (const kind of ["podAffinity", "podAntiAffinity"]) {
    const pa = aff[kind];
    if (!isObj(pa)) continue;
    errs.push(...validatePodAffinityTerms(pa.requiredDuringSchedulingIgnoredDuringExecution, `${path}.${kind}.requiredDuringSchedulingIgnoredDuringExecution`, false));
    errs.push(...validatePodAffinityTerms(pa.preferredDuringSchedulingIgnoredDuringExecution, `${path}.${kind}.preferredDuringSchedulingIgnoredDuringExecution`, true));
  }
  return errs;
}

function validateTopologySpreadConstraints(tscs: unknown, path: string): Errs {
  const errs: Errs = [];
  const seen = new Set<string>();
  objs(tscs).forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (typeof c.maxSkew !== "number" || c.maxSkew <= 0) errs.push(F.invalid(`${p}.maxSkew`, num(c.maxSkew), "must be greater than zero"));
    if (!c.topologyKey) errs.push(F.required(`${p}.topologyKey`, "can not be empty"));
    else errs.push(...validateLabelName(String(c.topologyKey), `${p}.topologyKey`));
    if (!["DoNotSchedule", "ScheduleAnyway"].includes(c.whenUnsatisfiable as string)) {
      errs.push(F.notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable ?? "", ["DoNotSchedule", "ScheduleAnyway"]));
    }
    const key = `${c.topologyKey}/${c.whenUnsatisfiable}`;
    if (seen.has(key)) errs.push(F.duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, new GoRepr(`"${c.topologyKey}", "${c.whenUnsatisfiable}"`)));
    seen.add(key);
  });
  return errs;
}

/**
 * allowedEphemeralContainerFields (validation.go): the EphemeralContainerCommon fields an
 * ephemeral container may set, in the struct's order; the others are forbidden when not zero.
 */
const EPHEMERAL_FORBIDDEN_FIELDS = ["ports", "resources", "resizePolicy", "restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"];

/** A Go zero value as JSON shows it: absent, null, an empty list, or an object of zero values. */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.values(v).every(isZero);
  return false;
}

/** validateEphemeralContainers: names unique across all containers, the target a regular or init container, the allow-list. */
function validateEphemeralContainers(ecs: unknown, containers: unknown, inits: unknown, vols: Map<string, Obj>, path: string): Errs {
  const list = objs(ecs);
  if (list.length === 0) return [];
  const errs: Errs = [];
  const others = new Set<unknown>([...arr(containers), ...arr(inits)].map((c) => field(c, "name")));
  const all = new Set<unknown>(others);
  list.forEach((ec, i) => {
    const idx = `${path}[${i}]`;
    errs.push(...validateContainerCommon(ec, vols, idx));
    if (all.has(ec.name)) errs.push(F.duplicate(`${idx}.name`, ec.name));
    else all.add(ec.name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) errs.push(F.notFound(`${idx}.targetContainerName`, ec.targetContainerName));
    for (const f of EPHEMERAL_FORBIDDEN_FIELDS) if (!isZero(ec[f])) errs.push(F.forbidden(`${idx}.${f}`, "cannot be set for an Ephemeral Container"));
    objs(ec.volumeMounts).forEach((vm, j) => {
      if (vm.subPath) errs.push(F.forbidden(`${idx}.volumeMounts[${j}].subPath`, "cannot be set for an Ephemeral Container"));
      if (vm.subPathExpr) errs.push(F.forbidden(`${idx}.volumeMounts[${j}].subPathExpr`, "cannot be set for an Ephemeral Container"));
    });
  });
  return errs;
}

// ---- the spec -----------------------------------------------------------------------------

/** ValidatePodSpec */
/**
 * validateSysctls: each name valid and once; a namespaced sysctl is refused when the pod shares
 * that namespace with the host (ValidateHostSysctl; a pod update keeps what its old spec had, and
 * a pod's sysctls cannot change).
 */
function validateSysctls(sysctls: unknown[], hostNetwork: boolean, hostIPC: boolean, path: string): Errs {
  const errs: Errs = [];
  const names = new Set<string>();
  sysctls.forEach((sc, i) => {
    const name = str(field(sc, "name"));
    const p = `${path}[${i}].name`;
    if (name.length === 0) errs.push(F.required(p));
    else if (!isValidSysctlName(name)) errs.push(F.invalid(p, name, `must have at most ${SYSCTL_MAX_LENGTH} characters and match regex ^${SYSCTL_CONTAIN_SLASH_FMT}$`));
    else if (names.has(name)) errs.push(F.duplicate(p, name));
    const { ns } = getSysctlNamespace(name);
    if (hostNetwork && ns === NET_NAMESPACE) errs.push(F.invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (hostIPC && ns === IPC_NAMESPACE) errs.push(F.invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  return errs;
}

export function validatePodSpec(spec: unknown, path: string): Errs {
  const s: Obj = isObj(spec) ? spec : {};
  const errs: Errs = [];
  if (s.terminationGracePeriodSeconds === undefined || s.terminationGracePeriodSeconds === null) errs.push(F.required(`${path}.terminationGracePeriodSeconds`));
  const { vols, errs: vErrs } = validateVolumes(s.volumes, `${path}.volumes`);
  errs.push(...vErrs);
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols, `${path}.initContainers`));
  errs.push(...validateContainers(s.containers, vols, `${path}.containers`));
  errs.push(...validateEphemeralContainers(s.ephemeralContainers, s.containers, s.initContainers, vols, `${path}.ephemeralContainers`));
  const rp = s.restartPolicy;
  if (!rp) errs.push(F.required(`${path}.restartPolicy`));
  else if (!["Always", "OnFailure", "Never"].includes(rp as string)) errs.push(F.notSupported(`${path}.restartPolicy`, rp, ["Always", "OnFailure", "Never"]));
  const dp = s.dnsPolicy;
  if (!dp) errs.push(F.required(`${path}.dnsPolicy`));
  else if (!["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"].includes(dp as string)) {
    errs.push(F.notSupported(`${path}.dnsPolicy`, dp, ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]));
  }
  errs.push(...validateLabels(labelMap(s.nodeSelector), `${path}.nodeSelector`));
  // validatePodSpecSecurityContext: of its checks, the sysctls'.
  const sysctls = arr(field(s.securityContext, "sysctls"));
  if (sysctls.length > 0) errs.push(...validateSysctls(sysctls, !!s.hostNetwork, !!s.hostIPC, `${path}.securityContext.sysctls`));
  errs.push(...validateAffinity(s.affinity, `${path}.affinity`));
  errs.push(...validateTopologySpreadConstraints(s.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  if (s.serviceAccountName) for (const msg of NameIsDNSSubdomain(String(s.serviceAccountName), false)) errs.push(F.invalid(`${path}.serviceAccountName`, s.serviceAccountName, msg));
  if (s.nodeName) for (const msg of NameIsDNSSubdomain(String(s.nodeName), false)) errs.push(F.invalid(`${path}.nodeName`, s.nodeName, msg));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (typeof v !== "number" || v < 1 || v > 2147483647) errs.push(F.invalid(`${path}.activeDeadlineSeconds`, v, InclusiveRangeError(1, 2147483647)));
  }
  if (s.hostname) errs.push(...validateDNS1123Label(String(s.hostname), `${path}.hostname`));
  if (s.subdomain) errs.push(...validateDNS1123Label(String(s.subdomain), `${path}.subdomain`));
  if (arr(s.tolerations).length > 0) errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.priorityClassName) for (const msg of NameIsDNSSubdomain(String(s.priorityClassName), false)) errs.push(F.invalid(`${path}.priorityClassName`, s.priorityClassName, msg));
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== null) {
    if (!s.preemptionPolicy) errs.push(F.required(`${path}.preemptionPolicy`));
    else if (!["PreemptLowerPriority", "Never"].includes(s.preemptionPolicy as string)) errs.push(F.notSupported(`${path}.preemptionPolicy`, s.preemptionPolicy, ["PreemptLowerPriority", "Never"]));
  }
  return errs;
}

/** ValidatePodTemplateSpec (templates' labels are checked at `<path>.labels`, as upstream). */
/**
 * Frozen templates found valid, with the paths they were validated at (issue #19 §3). The result is
 * a function of the template's content and the path alone, and a frozen template's content cannot
 * change. A template is frozen here only when the fast engine's store shares a stored version's
 * unchanged template with a write (`ApiServer.write`): a Deployment scaling its ReplicaSet keeps
 * the template, so its validation is the same as at the last write. Only valid results are kept
 * (errors are rebuilt each time).
 */
const validTemplates = new WeakMap<object, string[]>();

export function validatePodTemplateSpec(tpl: unknown, path: string): Errs {
  const frozen = isObj(tpl) && Object.isFrozen(tpl);
  if (frozen && validTemplates.get(tpl)?.includes(path)) return [];
  const errs = validatePodTemplateSpecOf(tpl, path);
  if (frozen && errs.length === 0) {
    const paths = validTemplates.get(tpl);
    if (paths) paths.push(path);
    else validTemplates.set(tpl, [path]);
  }
  return errs;
}

function validatePodTemplateSpecOf(tpl: unknown, path: string): Errs {
  const t: Obj = isObj(tpl) ? tpl : {};
  const meta: Obj = isObj(t.metadata) ? t.metadata : {};
  const errs = validateLabels(labelMap(meta.labels), `${path}.labels`);
  errs.push(...validateAnnotations(labelMap(meta.annotations), `${path}.annotations`));
  errs.push(...validatePodSpec(t.spec, `${path}.spec`));
  if (arr(field(t.spec, "ephemeralContainers")).length > 0) errs.push(F.forbidden(`${path}.spec.ephemeralContainers`, "ephemeral containers not allowed in pod template"));
  return errs;
}

function validatePodMetadataAndSpec(pod: KObject): Errs {
  const errs = validateObjectMeta(pod.metadata, true, NameIsDNSSubdomain);
  errs.push(...validatePodSpecChecks(pod.spec));
  return errs;
}

/** validatePodMetadataAndSpec's checks of the spec (everything after the metadata), in its order: a function of the spec alone. */
function validatePodSpecChecks(podSpec: unknown): Errs {
  const errs = validatePodSpec(podSpec, "spec");
  const spec: Obj = isObj(podSpec) ? podSpec : {};
  if (!spec.serviceAccountName) {
    arr(spec.volumes).forEach((v, vi) => {
      arr(field(field(v, "projected"), "sources")).forEach((src, si) => {
        if (field(src, "serviceAccountToken")) errs.push(F.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, "must not be specified when serviceAccountName is not set"));
      });
    });
  }
  for (const kind of ["containers", "initContainers"]) {
    arr(spec[kind]).forEach((c, i) => {
      const image = field(c, "image");
      if (typeof image === "string" && image.trim().length !== image.length) {
        errs.push(F.invalid(`spec.${kind}[${i}].image`, image, "must not have leading or trailing whitespace"));
      }
    });
  }
  return errs;
}

/** ValidatePodCreate */
export function validatePodCreate(pod: KObject): Errs {
  const errs = validateObjectMeta(pod.metadata, true, NameIsDNSSubdomain);
  errs.push(...validatePodCreateSpec(pod.spec));
  return errs;
}

/**
 * ValidatePodCreate's checks of the spec: every check after the metadata's, in its order (so
 * `validatePodCreate(pod)` is `validateObjectMeta(pod.metadata, …)` followed by these). A function
 * of the spec alone (src/api/admission/validation.ts keeps valid answers per controller, issue #19 §3).
 */
export function validatePodCreateSpec(spec: unknown): Errs {
  const errs = validatePodSpecChecks(spec);
  const s: Obj = isObj(spec) ? spec : {};
  if (arr(s.ephemeralContainers).length > 0) errs.push(F.forbidden("spec.ephemeralContainers", "cannot be set on create"));
  if (s.nodeName && arr(s.schedulingGates).length > 0) errs.push(F.forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
  return errs;
}

export const UPDATABLE_POD_SPEC_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/** Semantic deep equality of JSON values (key order does not matter; a key holding undefined is absent). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let na = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    na++;
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  let nb = 0;
  for (const k in bo) if (bo[k] !== undefined) nb++;
  return na === nb;
}

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (isObj(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));

/** PodSpec's Go field names, for the diff in the immutable-spec error. */
function goFieldName(k: string): string {
  const special: Record<string, string> = {
    dnsPolicy: "DNSPolicy", dnsConfig: "DNSConfig", hostPID: "HostPID", hostIPC: "HostIPC", serviceAccount: "DeprecatedServiceAccount",
    os: "OS", automountServiceAccountToken: "AutomountServiceAccountToken",
  };
  return special[k] ?? k[0].toUpperCase() + k.slice(1);
}

/** A cmp.Diff-like rendering of the changed top-level PodSpec fields (an approximation). */
function specDiff(oldSpec: Obj, newSpec: Obj): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ["  core.PodSpec{"];
  let same = 0;
  const flush = () => {
    if (same) lines.push(`  \t... // ${same} identical field${same === 1 ? "" : "s"}`);
    same = 0;
  };
  for (const k of keys) {
    const a = oldSpec[k];
    const b = newSpec[k];
    if (deepEqual(a, b)) {
      same++;
      continue;
    }
    flush();
    if (a !== undefined) lines.push(`- \t${goFieldName(k)}: ${canon(a)},`);
    if (b !== undefined) lines.push(`+ \t${goFieldName(k)}: ${canon(b)},`);
  }
  flush();
  lines.push("  }");
  return lines.join("\n") + "\n";
}

function sameToleration(a: unknown, b: unknown): boolean {
  return deepEqual({ ...(isObj(a) ? a : {}), tolerationSeconds: undefined }, { ...(isObj(b) ? b : {}), tolerationSeconds: undefined });
}

/** ValidatePodUpdate */
export function validatePodUpdate(pod: KObject, old: KObject): Errs {
  const errs = validatePodMetadataAndSpec(pod);
  const spec: Obj = isObj(pod.spec) ? pod.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  for (const kind of ["containers", "initContainers"]) {
    const n = arr(spec[kind]);
    const o = arr(oldSpec[kind]);
    if (n.length !== o.length) {
      errs.push(F.forbidden(`spec.${kind}`, "pod updates may not add or remove containers"));
      return errs;
    }
    n.forEach((c, i) => {
      if (!field(c, "image")) errs.push(F.required(`spec.${kind}[${i}].image`));
    });
  }
  const ads = spec.activeDeadlineSeconds as number | undefined | null; // an int64 once decoded
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > 2147483647) {
      errs.push(F.invalid("spec.activeDeadlineSeconds", ads, InclusiveRangeError(0, 2147483647)));
      return errs;
    }
    if (typeof oldSpec.activeDeadlineSeconds === "number" && oldSpec.activeDeadlineSeconds < ads) {
      errs.push(F.invalid("spec.activeDeadlineSeconds", ads, "must be less than or equal to previous value"));
      return errs;
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    errs.push(F.invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
  }
  // Only additions to tolerations (an existing one may change only its tolerationSeconds).
  const newTols = arr(spec.tolerations);
  for (const t of arr(oldSpec.tolerations)) {
    if (!newTols.some((n) => sameToleration(t, n))) {
      errs.push(F.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
      break;
    }
  }
  if (deepEqual(spec, oldSpec)) return errs;
  if (getPodQOS({ spec: old.spec, status: old.status }) !== getPodQOS({ spec: pod.spec })) {
    errs.push(F.invalid("metadata", pod.status?.qosClass ?? "", "Pod QoS is immutable"));
  }
  const munged: Obj = structuredClone(spec);
  for (const kind of ["containers", "initContainers"]) {
    arr(munged[kind]).forEach((c, i) => {
      if (isObj(c)) c.image = field(arr(oldSpec[kind])[i], "image");
    });
  }
  if (oldSpec.activeDeadlineSeconds === undefined) delete munged.activeDeadlineSeconds;
  else munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  if (oldSpec.tolerations === undefined) delete munged.tolerations;
  else munged.tolerations = oldSpec.tolerations;
  if (oldSpec.schedulingGates === undefined) delete munged.schedulingGates;
  else munged.schedulingGates = oldSpec.schedulingGates;
  if (typeof oldSpec.terminationGracePeriodSeconds === "number" && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!deepEqual(munged, oldSpec)) {
    errs.push(F.forbidden("spec", `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(",")}\n${specDiff(oldSpec, munged)}`));
  }
  return errs;
}

/**
 * ValidatePodEphemeralContainersUpdate (pods/ephemeralcontainers): the pod as a whole, then
 * existing ephemeral containers neither removed nor changed (new ones may be appended).
 */
export function validatePodEphemeralContainersUpdate(pod: KObject, old: KObject): Errs {
  const errs = validatePodMetadataAndSpec(pod);
  // Static pods don't support ephemeral containers (#113935).
  if (old.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return [F.forbidden("", "static pods do not support ephemeral containers")];
  const byName = new Map<unknown, unknown>(arr(pod.spec?.ephemeralContainers).map((c) => [field(c, "name"), c]));
  for (const o of objs(old.spec?.ephemeralContainers)) {
    const n = byName.get(o.name);
    if (n === undefined) errs.push(F.forbidden("spec.ephemeralContainers", `existing ephemeral containers ${JSON.stringify(o.name)} may not be removed\n`));
    else if (!deepEqual(o, n)) errs.push(F.forbidden("spec.ephemeralContainers", `existing ephemeral containers ${JSON.stringify(o.name)} may not be changed\n${fieldsDiff("core.EphemeralContainer", o, isObj(n) ? n : {})}`));
  }
  return errs;
}

/** A cmp.Diff-like rendering of the changed top-level fields of two objects (an approximation). */
function fieldsDiff(type: string, a: Obj, b: Obj): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const lines = [`  ${type}{`];
  for (const k of keys) {
    if (deepEqual(a[k], b[k])) continue;
    if (a[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${canon(a[k])},`);
    if (b[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${canon(b[k])},`);
  }
  lines.push("  }");
  return lines.join("\n") + "\n";
}

export { validateLabels };
