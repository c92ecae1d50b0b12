/**
 * Which images exist (docs/images.md): per image, `Given the image "myorg/shop:2.0" does not exist`
 * / `… exists`, a private image that needs a pull secret, and the scenario-wide form of the
 * project setting `unknownImages` (`Given unknown images do not exist`); what a pod's explanation says.
 */
import { Given, podStep, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { imageRegistry } from "../src/images/registry.ts";
import { explainPod } from "../src/report/explain.ts";
import { buildAndPush } from "../src/images/build.ts";
import { exampleCopyPath } from "../src/kubectl/examples.ts";

const REGISTRY = "a live cluster's registries decide which images exist";

Given("the image {string} does not exist", simOnly(REGISTRY, function (this: KubeWorld, image: string) {
  imageRegistry(this.cluster.ctx).setExists(image, false);
}));

Given("the image {string} exists", simOnly(REGISTRY, function (this: KubeWorld, image: string) {
  imageRegistry(this.cluster.ctx).setExists(image, true);
}));

Given("the image {string} is private", simOnly(REGISTRY, function (this: KubeWorld, image: string) {
  imageRegistry(this.cluster.ctx).setPrivate(image);
}));

Given("unknown images do not exist", simOnly(REGISTRY, function (this: KubeWorld) {
  imageRegistry(this.cluster.ctx).setUnknownImages("absent");
}));

/**
 * What a failed assertion about the pod would print after `--- why ---` (and a failed scenario's
 * explanation.txt): e.g. its `Images:` section, which says whether an image's name is unknown, its
 * tag missing, or the image declared absent (src/report/explain.ts).
 */
podStep(Then, "the explanation of pod {string} contains:", simOnly("it reads the simulation's explanation of a pod", function (this: KubeWorld, pod: string, ns: string | undefined, expected: string) {
  const text = explainPod(this.cluster.ctx, pod, this.ns(ns));
  if (!text.includes(expected.trim())) throw new Error(`the explanation of pod "${pod}" does not contain:\n${expected}\n\nit is:\n${text}`);
}));

/**
 * The image a page has the reader build and push (`docker build -t job-wq-2 .`, `docker push
 * <username>/job-wq-2`) under the name its manifest pulls: built from the page's Dockerfile and the
 * files beside it (https://k8s.io/examples/<dir>/Dockerfile: exercises/docs/<dir>/), as
 * src/images/build.ts can (FROM a known image, COPY, pip install, CMD); the tag pushed is the name's.
 */
Given("the image {string} is built from {string} and pushed", simOnly("a live cluster pulls the image the reader built and pushed", function (this: KubeWorld, image: string, dockerfileUrl: string) {
  const copy = exampleCopyPath(dockerfileUrl);
  if (!copy || !copy.endsWith("/Dockerfile")) throw new Error(`"${dockerfileUrl}" is not a Dockerfile of https://k8s.io/examples/<path>`);
  buildAndPush(imageRegistry(this.cluster.ctx), image, copy.slice(0, -"/Dockerfile".length));
}), "이미지 {string} 를 {string} 로 빌드해서 푸시했다");
