/**
 * Which images exist (docs/images.md): per image, `Given the image "myorg/shop:2.0" does not exist`
 * / `… exists`, a private image that needs a pull secret, and the scenario-wide form of the
 * project setting `unknownImages` (`Given unknown images do not exist`).
 */
import { Given, simOnly } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { imageRegistry } from "../src/images/registry.ts";

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
