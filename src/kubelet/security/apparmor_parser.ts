/**
 * `apparmor_parser` on a node (the page loads its profile with `ssh $NODE 'sudo apparmor_parser -q
 * <<EOF ... EOF'`; on kind, `docker exec` into the node): loads (`-a`, the default), replaces (`-r`)
 * or removes (`-R`) profiles in the node's kernel (security/apparmor.ts NodeAppArmor), from the files
 * named or standard input.
 *
 * Messages: the kernel's refusals are parser_interface.c's (`apparmor_parser: Unable to add "x".
 * Profile already exists`, `Unable to remove "x".  Profile doesn't exist`); a syntax error is
 * reported as `AppArmor parser error for <file> at line <n>: <what>`, its wording ours rather than
 * the parser's bison messages (docs/divergences.md). `-v` prints parser_main.c's
 * `Addition succeeded for "x".` lines; `-q` only quiets warnings, which are not modelled.
 */
import type { CommandFn } from "../../runtime/shell/commands.ts";
import type { Shell } from "../../runtime/shell/interp.ts";
import type { G } from "../../runtime/shell/effects.ts";
import { AppArmorParseError, parseProfiles, type NodeAppArmor } from "./apparmor.ts";

type Action = "add" | "replace" | "remove";

const LONG: Record<string, string> = { "--add": "a", "--replace": "r", "--remove": "R", "--quiet": "q", "--verbose": "v", "--skip-cache": "T", "--write-cache": "W", "--skip-read-cache": "K" };

function* apparmorParser(node: NodeAppArmor, sh: Shell, argv: string[]): G<number> {
  let action: Action = "add";
  let verbose = false;
  const files: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith("--")) {
      const f = LONG[arg];
      if (!f) {
        sh.stderr.write(`apparmor_parser: unrecognized option '${arg}'\n`);
        return 1;
      }
      if (f === "a") action = "add";
      else if (f === "r") action = "replace";
      else if (f === "R") action = "remove";
      else if (f === "v") verbose = true;
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (const f of arg.slice(1)) {
        if (f === "a") action = "add";
        else if (f === "r") action = "replace";
        else if (f === "R") action = "remove";
        else if (f === "v") verbose = true;
        else if (f === "q" || f === "T" || f === "W" || f === "K") continue;
        else {
          sh.stderr.write(`apparmor_parser: invalid option -- '${f}'\n`);
          return 1;
        }
      }
      continue;
    }
    files.push(arg);
  }
  const inputs: Array<{ name: string; text: string }> = [];
  if (files.length === 0) inputs.push({ name: "/dev/stdin", text: yield* sh.stdin.readAllG() });
  for (const f of files) {
    try {
      inputs.push({ name: f, text: sh.io.fs.readFile(sh.resolve(f)) });
    } catch {
      sh.stderr.write(`File ${f} not found, skipping...\n`);
      return 1;
    }
  }
  let status = 0;
  for (const input of inputs) {
    let profiles;
    try {
      profiles = parseProfiles(input.text);
    } catch (e) {
      if (!(e instanceof AppArmorParseError)) throw e;
      sh.stderr.write(`AppArmor parser error for ${input.name} at line ${e.line}: ${e.message}\n`);
      return 1;
    }
    for (const p of profiles) {
      if (action === "remove") {
        if (!node.remove(p.name)) {
          sh.stderr.write(`apparmor_parser: Unable to remove "${p.name}".  Profile doesn't exist\n`);
          status = 1;
        } else if (verbose) sh.stdout.write(`Removal succeeded for "${p.name}".\n`);
        continue;
      }
      if (node.load(p, action === "replace") === "exists") {
        sh.stderr.write(`apparmor_parser: Unable to add "${p.name}".  Profile already exists\n`);
        status = 1;
        continue;
      }
      if (verbose) sh.stdout.write(`${action === "replace" ? "Replacement" : "Addition"} succeeded for "${p.name}".\n`);
    }
  }
  return status;
}

/** The node's own programs the node shell runs beside its applets. */
export function nodeCommands(node: NodeAppArmor): Record<string, CommandFn> {
  return {
    apparmor_parser: (sh, argv) => apparmorParser(node, sh, argv),
  };
}
