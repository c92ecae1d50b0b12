/**
 * The components a simulated cluster runs, in start order. Each engine registers its factory here
 * (control plane first, node agents last), so a reader finds the whole cluster in one list.
 */
import type { ComponentFactory } from "./context.ts";
import { kubeletManager } from "./kubelet/manager.ts";
import { endpointsController } from "./controllers/endpoints.ts";
import { endpointSliceController } from "./controllers/endpointslice.ts";

export const COMPONENTS: ComponentFactory[] = [
  endpointsController,
  endpointSliceController,
  kubeletManager,
];
