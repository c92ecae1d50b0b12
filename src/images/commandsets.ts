/**
 * Which programs an image has on PATH (data/commands.json): an image's shell resolves a command
 * only if the image has it, as on a cluster — the ubuntu image has no `curl` until `apt-get
 * install curl` (`bash: curl: command not found`, 127), busybox has `wget` but no `curl`.
 *
 * The data lists, per package, its programs; per image family, its packages and the family it is
 * built FROM; per catalogue model (or official image, `official:<name>`), rules choosing the family
 * by tag or repository. A model without rules is not restricted (its shell has every applet).
 */
import { readFileSync } from "node:fs";

interface CommandsData {
  packages: Record<string, { source: string; bin: string }>;
  families: Record<string, { source: string; from?: string; usrMerged?: boolean; packages: string[] }>;
  images: Record<string, Array<{ tags?: string; repository?: string; family: string }>>;
}

let data: CommandsData | undefined;
function commandsData(): CommandsData {
  data ??= JSON.parse(readFileSync(new URL("./data/commands.json", import.meta.url), "utf8")) as CommandsData;
  return data;
}

const familySets = new Map<string, ReadonlySet<string>>();

/** The programs on PATH of an image family (its packages' and its base family's). Throws on a family or package the data does not define. */
export function familyCommands(family: string): ReadonlySet<string> {
  const cached = familySets.get(family);
  if (cached) return cached;
  const d = commandsData();
  const f = d.families[family];
  if (!f) throw new Error(`commands.json: no family "${family}"`);
  const out = new Set<string>(f.from ? familyCommands(f.from) : []);
  for (const p of f.packages) {
    const pkg = d.packages[p];
    if (!pkg) throw new Error(`commands.json: family "${family}" names the package "${p}", which it does not list`);
    for (const b of pkg.bin.split(" ")) if (b) out.add(b);
  }
  familySets.set(family, out);
  return out;
}

/** Which family an image is (its model's rules, in order), or undefined when the model is not restricted. */
export function imageFamily(model: string, tag: string, repository: string): string | undefined {
  const rules = commandsData().images[model];
  if (!rules) return undefined;
  for (const r of rules) {
    if (r.tags !== undefined && !new RegExp(r.tags).test(tag)) continue;
    if (r.repository !== undefined && !new RegExp(r.repository).test(repository)) continue;
    return r.family;
  }
  return undefined;
}

/** The programs on PATH of one image (`nginx`, tag `1.14.2`), or undefined when the data does not restrict it. */
export function imageCommands(model: string, tag: string, repository: string): ReadonlySet<string> | undefined {
  const family = imageFamily(model, tag, repository);
  return family === undefined ? undefined : familyCommands(family);
}

/** Whether a family's /bin is /usr/bin (its own word, else its base family's; false without either). */
export function familyUsrMerged(family: string): boolean {
  const f = commandsData().families[family];
  if (!f) throw new Error(`commands.json: no family "${family}"`);
  return f.usrMerged ?? (f.from ? familyUsrMerged(f.from) : false);
}

/** What an image's shell finds on PATH: its programs, and whether they are found in /usr/bin (a usr-merged image). */
export interface ImagePrograms {
  commands: ReadonlySet<string>;
  usrMerged: boolean;
}

/** The programs of one image, or undefined when the data does not restrict it. */
export function imagePrograms(model: string, tag: string, repository: string): ImagePrograms | undefined {
  const family = imageFamily(model, tag, repository);
  return family === undefined ? undefined : { commands: familyCommands(family), usrMerged: familyUsrMerged(family) };
}

/** The families and models the data names (for its tests). */
export function commandsDataKeys(): { families: string[]; models: string[] } {
  const d = commandsData();
  return { families: Object.keys(d.families), models: Object.keys(d.images) };
}
