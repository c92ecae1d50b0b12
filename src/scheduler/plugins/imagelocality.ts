/**
 * ImageLocality (plugins/imagelocality): nodes that already hold the pod's images score higher,
 * scaled by how widely each image is spread: Σ int(size × nodesWithImage / totalNodes), clamped to
 * [23Mi, 1000Mi × containers] and mapped to 0..100.
 */
import { MAX_NODE_SCORE, type CycleState, type NodeInfo, type PodInfo, type ScorePlugin, type Snapshot } from "../types.ts";

export const NAME = "ImageLocality";
const STATE = "Score" + NAME;
const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** util/parsers normalisation: an image without a tag or digest gets `:latest`. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf("/");
  const tail = name.slice(lastSlash + 1);
  if (!tail.includes(":") && !tail.includes("@")) return name + ":latest";
  return name;
}

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sumScores < MIN_THRESHOLD) sumScores = MIN_THRESHOLD;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  return Math.trunc((MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

export class ImageLocality implements ScorePlugin {
  readonly name = NAME;
  constructor(private readonly snapshot: Snapshot) {}
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const images = podImages(state, pod);
    return calculatePriority(node.imageStates.size > 0 ? sumImageScores(images, node, this.snapshot.nodeInfoList().length) : 0, images.length);
  }

  /** No node holds any image: every node scores calculatePriority(0, containers). */
  uniform(_s: CycleState, _p: PodInfo, nodes: NodeInfo[]): boolean {
    if (this.snapshot.noNodeHasImages?.()) return true;
    for (let i = 0; i < nodes.length; i++) if (nodes[i].hasImages) return false;
    return true;
  }

  scoreNodes(state: CycleState, pod: PodInfo, nodes: NodeInfo[], out: number[]): void {
    const images = podImages(state, pod);
    const none = calculatePriority(0, images.length);
    const total = this.snapshot.nodeInfoList().length;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      out[i] = !node.hasImages ? none : calculatePriority(sumImageScores(images, node, total), images.length);
    }
  }
}

/** The pod's images (init containers first), normalised; worked out once per cycle. */
function podImages(state: CycleState, pod: PodInfo): string[] {
  let images = state.get(STATE) as string[] | undefined;
  if (!images) {
    images = [...(pod.pod.spec?.initContainers ?? []), ...(pod.pod.spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ""));
    state.set(STATE, images);
  }
  return images;
}

/** Σ int(size × nodesWithImage / totalNodes) over the pod's images the node holds. */
function sumImageScores(images: string[], node: NodeInfo, total: number): number {
  let sum = 0;
  for (const img of images) {
    const st = node.imageStates.get(img);
    if (st) sum += Math.trunc((st.size * st.numNodes) / total);
  }
  return sum;
}
