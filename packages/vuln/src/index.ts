// @bulwark/vuln: pure advisory logic (OSV records, per-ecosystem version order, range evaluation).
export * from "./types.ts";
export * from "./osv/index.ts";
export * from "./versions/index.ts";
export * from "./range/index.ts";
