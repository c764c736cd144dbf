// Inventory lists and detail pages (clusters, namespaces, workloads, images).
export * from "../use-cases/list-clusters.ts";
export * from "../use-cases/list-namespaces.ts";
export * from "../use-cases/list-workloads.ts";
export * from "../use-cases/list-images.ts";
export * from "../use-cases/get-workload-detail.ts";
export * from "../use-cases/get-image-detail.ts";
export * from "../use-cases/get-cluster-detail.ts";
export { emptyCounts, type SeverityCounts } from "./tally.ts";
export { type Page } from "./page.ts";
export { type ExposureView, type PolicyResultView, type RiskFactorView } from "./json-views.ts";
