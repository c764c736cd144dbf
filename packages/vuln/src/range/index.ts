export { affects, evaluateRange, type RangeResult } from "./affects.ts";
export { ecosystemMatches, normalizeEcosystem } from "./ecosystem.ts";
