// The advisory store's input side: reading OSV feeds, storing records, the import and sync use cases.
export { storeAdvisories, advisoryContentHash, ADVISORY_BATCH_SIZE, type StoreAdvisoriesResult } from "./store-advisories.ts";
export { openAdvisorySource, readAdvisorySource, latestChange, isUrlLocation, DEFAULT_SOURCE_LIMITS, type FetchLike, type OpenedSource, type OpenSourceOptions, type SourceItem, type SourceLimits } from "./read-source.ts";
export { queueAdvisoryRescan } from "./queue-rescan.ts";
export { AdvisoryImportAborted, DEFAULT_MAX_ISSUES, type AdvisoryImportIssue, type AdvisoryImportResult, type AdvisoryImportStats, type ImportItemsOptions } from "./import-items.ts";
export * from "../use-cases/import-advisories.ts";
export * from "../use-cases/sync-advisory-sources.ts";
export * from "../use-cases/list-advisory-sources.ts";
