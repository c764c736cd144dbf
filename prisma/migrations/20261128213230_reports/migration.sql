-- CreateEnum
CREATE TYPE "ReportKind" AS ENUM ('INVENTORY', 'TRIVY', 'SBOM', 'FALCO', 'REGISTRY');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('PENDING', 'PROCESSING', 'PROCESSED', 'FAILED');

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "kind" "ReportKind" NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'PENDING',
    "subject" TEXT,
    "tokenId" TEXT,
    "idempotencyKey" TEXT,
    "body" BYTEA NOT NULL,
    "bodyBytes" INTEGER NOT NULL,
    "bodySha256" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Report_status_receivedAt_idx" ON "Report"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "Report_orgId_receivedAt_idx" ON "Report"("orgId", "receivedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Report_orgId_idempotencyKey_key" ON "Report"("orgId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
