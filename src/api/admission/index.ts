/**
 * The admission chain of the simulated kube-apiserver, in kube-apiserver's order: mutating
 * plugins (defaulting, DefaultTolerationSeconds, Priority, ...) then validation.
 */
import type { AdmissionPlugin } from "../store.ts";
import { podStatusOnCreate } from "./podstatus.ts";
import { serviceClusterIPAllocation } from "../../network/clusterip.ts";

export function defaultAdmissionPlugins(): AdmissionPlugin[] {
  return [podStatusOnCreate, serviceClusterIPAllocation];
}
