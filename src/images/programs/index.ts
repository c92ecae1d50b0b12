/**
 * What each image model runs (its data — config, shell, size, files — is in ../data/models.json).
 * A model not listed here runs its command in its shell only (busybox, alpine, debian, ubuntu).
 */
import type { ModelBehaviour } from "../launch.ts";
import { RunUntilStopped } from "../processes.ts";
import { launchGeneric } from "../generic.ts";

export const MODEL_BEHAVIOURS: Record<string, ModelBehaviour> = {
  // The course's init image: its command runs in the shell; without one it waits until stopped.
  "course-init": { fallback: (argv, l) => (argv.length === 0 ? new RunUntilStopped(l.io.clock) : undefined) },
  // An image the catalogue does not model: a command the shell knows runs there, anything else is the generic process.
  generic: {
    intercept: (argv, l, ctx) => (l.container.command?.length ? undefined : launchGeneric(l, ctx.startMs)),
    fallback: (argv, l, ctx) => launchGeneric(l, ctx.startMs),
  },
};

export function modelBehaviour(model: string): ModelBehaviour {
  return MODEL_BEHAVIOURS[model] ?? {};
}
