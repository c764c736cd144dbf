-- AlterTable
ALTER TABLE "AdmissionDecision" ADD COLUMN     "uid" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "AdmissionDecision_orgId_enforcementPointId_uid_key" ON "AdmissionDecision"("orgId", "enforcementPointId", "uid");
