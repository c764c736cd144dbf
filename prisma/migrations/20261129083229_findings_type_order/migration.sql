-- DropIndex
DROP INDEX "Finding_orgId_type_status_severity_idx";

-- CreateIndex
CREATE INDEX "Finding_orgId_type_status_severity_lastSeen_id_idx" ON "Finding"("orgId", "type", "status", "severity", "lastSeen" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Finding_mitreTechniques_idx" ON "Finding" USING GIN ("mitreTechniques" array_ops) WHERE (cardinality("mitreTechniques") > 0);
