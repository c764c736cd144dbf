// Indexes created by SQL migrations that schema.prisma cannot describe (expression keys, operator
// classes on expressions). The migrations-vs-schema test requires each to exist after migrating and
// leaves them out of the comparison with the schema-built database.
export const RAW_SQL_INDEXES = [
  // Findings explorer: sort by CVSS, scores missing last (migration 20261129080311_dashboard_indexes).
  "Finding_orgId_status_cvss_id_idx",
  // Findings explorer: `q` substring search over rule id and package name (20261129085000_findings_search_narrower).
  "Finding_search_trgm_idx",
] as const;
