// The findings explorer: URL contract, SQL, CSV, and its use cases.
export * from "./filters.ts";
export * from "./csv.ts";
export { COUNT_CAP, type FindingListRow, type FindingTotal, tallyAnswers } from "./query.ts";
export * from "../use-cases/list-findings.ts";
export * from "../use-cases/export-findings-csv.ts";
export * from "../use-cases/get-finding-detail.ts";
export * from "../use-cases/triage-findings.ts";
export * from "../use-cases/create-saved-view.ts";
export * from "../use-cases/list-saved-views.ts";
export * from "../use-cases/delete-saved-view.ts";
