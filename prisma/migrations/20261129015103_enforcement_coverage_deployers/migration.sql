-- AlterTable
ALTER TABLE "Workload" ADD COLUMN     "createdInCluster" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "EnforcementPoint" ADD COLUMN     "excludedNamespaces" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "AdmissionDecision" ADD COLUMN     "breakGlass" JSONB;

-- CreateTable
CREATE TABLE "AllowedDeployer" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "note" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AllowedDeployer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AllowedDeployer_orgId_namespace_subject_key" ON "AllowedDeployer"("orgId", "namespace", "subject");

-- AddForeignKey
ALTER TABLE "AllowedDeployer" ADD CONSTRAINT "AllowedDeployer_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
