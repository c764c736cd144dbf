-- DropIndex
DROP INDEX "RuntimeEvent_findingId_idx";

-- CreateIndex
CREATE INDEX "RuntimeEvent_findingId_time_id_idx" ON "RuntimeEvent"("findingId", "time" DESC, "id" DESC);
