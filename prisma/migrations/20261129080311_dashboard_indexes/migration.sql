-- DropIndex
DROP INDEX "Finding_orgId_status_severity_idx";

-- CreateIndex
CREATE INDEX "Finding_orgId_status_severity_lastSeen_id_idx" ON "Finding"("orgId", "status", "severity", "lastSeen" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Finding_orgId_status_firstSeen_id_idx" ON "Finding"("orgId", "status", "firstSeen" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Finding_namespaceId_status_idx" ON "Finding"("namespaceId", "status") WHERE ("namespaceId" IS NOT NULL);

-- CreateIndex
CREATE INDEX "Finding_orgId_severity_clusterId_imageId_mitreTechniques_idx" ON "Finding"("orgId", "severity", "clusterId", "imageId", "mitreTechniques") WHERE (status = 'OPEN' AND cardinality("mitreTechniques") > 0);

-- CreateIndex
CREATE INDEX "RuntimeEvent_workloadId_time_idx" ON "RuntimeEvent"("workloadId", "time" DESC);

-- Indexes Prisma's schema language cannot express (an expression key; a trigram operator class on an
-- expression). They are listed in packages/db/src/raw-indexes.ts, which the migrations-vs-schema test
-- reads, so they are neither forgotten nor reported as drift.
CREATE INDEX "Finding_orgId_status_cvss_id_idx" ON "Finding"("orgId", "status", (COALESCE("cvssScore", -1)) DESC, "id" DESC);

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Finding_search_trgm_idx" ON "Finding" USING gin (("ruleId" || ' ' || COALESCE("packageName", '') || ' ' || title) gin_trgm_ops);
