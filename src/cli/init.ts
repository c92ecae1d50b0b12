/**
 * `kube-scenario init [--lang ko] [dir]`: scaffolds a course repository from templates/:
 * common/ (package.json, the Cucumber config, the course's own steps, the exercises, CI for
 * GitHub Actions and GitLab, .vscode/, .gitignore) and en/ or ko/ (one example feature per
 * chapter, the hidden graded features, the README). Dot-files are stored as `dot-*` (npm leaves
 * `.gitignore` out of a package) and renamed here. Nothing is overwritten: init stops, naming the
 * files, when any of them exists.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PACKAGE_ROOT, VERSION } from "./package.ts";

export const INIT_HELP = `usage: kube-scenario init [--lang en|ko] [--name NAME] [--dependency SPEC] [dir]

Scaffolds a course repository in dir (default: the current directory), then:
  npm install && npm test

  features/     one example feature per chapter (lifecycle, probes, qos, scheduling)
  exercises/    the manifests students write (a working solution in the starter)
  hidden/       graded features (@points, @exercise), git-ignored: keep them in a private repository
  steps/        the course's own steps (an example over the same simulated cluster)
  cucumber.mjs  \`export { default } from "kube-scenario/cucumber"\`
  .github/workflows/test.yml, grade.yml   GitHub Actions: test + reports, grading (Classroom style)
  .gitlab-ci.yml                          GitLab CI: the same
  .vscode/      the Cucumber extension, pointed at every step
  README.md     for students (and the instructor)

  --lang ko          Korean features and README (Gherkin's Korean keywords, Korean step phrases)
  --name NAME        the package name (default: the directory's name)
  --dependency SPEC  the kube-scenario dependency written in package.json (default ^${VERSION})

Existing files are never overwritten: init refuses and names them.`;

/** Files under a template directory, relative to it. */
function listFiles(root: string, dir = root, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listFiles(root, p, out);
    else out.push(relative(root, p));
  }
  return out;
}

/** `dot-github/workflows/x.yml` -> `.github/workflows/x.yml`; `package.json.tmpl` -> `package.json`. */
export function targetName(file: string): string {
  return file
    .split("/")
    .map((part) => (part.startsWith("dot-") ? `.${part.slice(4)}` : part))
    .join("/")
    .replace(/\.tmpl$/, "");
}

/** An npm package name from a directory name. */
export function packageName(dir: string): string {
  const n = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "");
  return n || "kubernetes-course";
}

export interface InitPlan {
  files: Array<{ target: string; text: string }>;
}

/** What init writes, without writing it. */
export function planInit(opts: { lang: "en" | "ko"; name: string; dependency: string; templates?: string }): InitPlan {
  const templates = opts.templates ?? join(PACKAGE_ROOT, "templates");
  const files: InitPlan["files"] = [];
  for (const layer of ["common", opts.lang]) {
    const root = join(templates, layer);
    for (const f of listFiles(root)) {
      const text = readFileSync(join(root, f), "utf8").replaceAll("{{name}}", opts.name).replaceAll("{{dependency}}", opts.dependency);
      files.push({ target: targetName(f), text });
    }
  }
  return { files };
}

export function initCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { lang: { type: "string", default: "en" }, name: { type: "string" }, dependency: { type: "string" } },
  });
  if (values.lang !== "en" && values.lang !== "ko") throw new Error(`--lang ${values.lang}: the starter exists in en and ko`);
  if (positionals.length > 1) throw new Error(`one directory at most, got ${positionals.join(" ")}`);
  const dir = resolve(positionals[0] ?? ".");
  const plan = planInit({ lang: values.lang, name: values.name ?? packageName(dir), dependency: values.dependency ?? `^${VERSION}` });
  const clashes = plan.files.filter((f) => existsSync(join(dir, f.target))).map((f) => f.target);
  if (clashes.length) {
    console.error(`kube-scenario init: these files exist already in ${dir}, and init overwrites nothing:\n  ${clashes.join("\n  ")}`);
    return 1;
  }
  for (const f of plan.files) {
    const p = join(dir, f.target);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
  const here = relative(process.cwd(), dir);
  console.log(`A kube-scenario course (${values.lang === "ko" ? "Korean" : "English"}) in ${dir}: ${plan.files.length} files.`);
  console.log("Next:");
  if (here) console.log(`  cd ${here}`);
  console.log("  npm install");
  console.log("  npm test                # the public features (features/)");
  console.log("  npm run grade:check     # the hidden features have no undefined step");
  console.log("  npm run grade           # grade exercises/ with hidden/ (reports/grade.json)");
  return 0;
}
