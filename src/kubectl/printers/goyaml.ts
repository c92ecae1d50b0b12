/**
 * go-yaml v2's emitter as kubectl prints YAML: the module lives in src/api/goyaml.ts, below the
 * programs that answer with go-yaml's text too (Kyverno's admission denials); kubectl's printers
 * import it from here.
 */
export * from "../../api/goyaml.ts";
