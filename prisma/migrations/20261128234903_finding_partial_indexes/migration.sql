-- DropIndex
DROP INDEX "Finding_workloadId_status_idx";

-- DropIndex
DROP INDEX "Finding_clusterId_status_idx";

-- CreateIndex
CREATE INDEX "Finding_workloadId_status_idx" ON "Finding"("workloadId", "status") WHERE ("workloadId" IS NOT NULL);

-- CreateIndex
CREATE INDEX "Finding_clusterId_status_idx" ON "Finding"("clusterId", "status") WHERE ("clusterId" IS NOT NULL);
