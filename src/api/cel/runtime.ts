/**
 * @bufbuild/cel, loaded on first use. Loading it (with @bufbuild/protobuf, the cel-spec
 * descriptors and RE2's Unicode tables) takes over half a second of CPU: a process that never
 * meets a ValidatingAdmissionPolicy, which is most scenario runs, never pays it. Types come from
 * `import type`, which costs nothing at run time.
 */
import { createRequire } from "node:module";

type Cel = typeof import("@bufbuild/cel");
type CelExt = typeof import("@bufbuild/cel/ext");
type Re2 = typeof import("@bufbuild/re2");

const require = createRequire(import.meta.url);
let cel: Cel | undefined;
let ext: CelExt | undefined;
let re2: Re2 | undefined;

export const celRuntime = (): Cel => (cel ??= require("@bufbuild/cel") as Cel);
export const celExt = (): CelExt => (ext ??= require("@bufbuild/cel/ext") as CelExt);
export const re2Runtime = (): Re2 => (re2 ??= require("@bufbuild/re2") as Re2);
