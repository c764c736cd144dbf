// CEL rules: compile once (positions for errors), run against shared per-resource activations.
export { compileCel, type CelProgram, type CelCompileError, type CelCompileResult } from "./compile.ts";
export { CEL_VARIABLES, type CelVariable } from "./env.ts";
export { celCheck } from "./rule.ts";
