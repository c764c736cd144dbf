// The Runtime page's reads (runtime aggregates, their raw events, live activity) and its suppression.
export * from "./filters.ts";
export { decodeRuntimeCursor, encodeRuntimeCursor, type RuntimeSeverityCounts } from "./query.ts";
export { attackTactic, attackTechnique, type AttackRef, type RuntimeFindingItem } from "./view.ts";
export * from "../use-cases/list-runtime-findings.ts";
export * from "../use-cases/get-runtime-finding.ts";
export * from "../use-cases/list-runtime-events.ts";
export * from "../use-cases/get-runtime-activity.ts";
export * from "../use-cases/suppress-runtime-finding.ts";
