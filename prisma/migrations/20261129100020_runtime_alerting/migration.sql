-- CreateEnum
CREATE TYPE "BaselineStatus" AS ENUM ('LEARNING', 'LOCKED');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'RETRYING', 'DEAD');

-- CreateEnum
CREATE TYPE "ResponseAction" AS ENUM ('DELETE_POD', 'SCALE_TO_ZERO');

-- CreateEnum
CREATE TYPE "ActionStatus" AS ENUM ('PENDING', 'CLAIMED', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "alertDedupMinutes" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "baselineLearningMinutes" INTEGER NOT NULL DEFAULT 1440;

-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "alertedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RuntimeEvent" ADD COLUMN     "eventKey" TEXT,
ADD COLUMN     "process" TEXT;

-- AlterTable
ALTER TABLE "NotificationChannel" ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "secrets" BYTEA;

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "findingId" TEXT,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "responseStatus" INTEGER,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessBaseline" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "workloadId" TEXT NOT NULL,
    "container" TEXT NOT NULL,
    "status" "BaselineStatus" NOT NULL DEFAULT 'LEARNING',
    "processes" TEXT[],
    "learningEndsAt" TIMESTAMP(3) NOT NULL,
    "lockedAt" TIMESTAMP(3),
    "lockedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcessBaseline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnforcementAction" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "enforcementPointId" TEXT,
    "policyKey" TEXT NOT NULL,
    "findingId" TEXT,
    "workloadId" TEXT,
    "action" "ResponseAction" NOT NULL,
    "namespace" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pod" TEXT,
    "reason" TEXT NOT NULL,
    "status" "ActionStatus" NOT NULL DEFAULT 'PENDING',
    "result" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "EnforcementAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NotificationDelivery_orgId_createdAt_idx" ON "NotificationDelivery"("orgId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "NotificationDelivery_channelId_createdAt_idx" ON "NotificationDelivery"("channelId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "NotificationDelivery_orgId_status_idx" ON "NotificationDelivery"("orgId", "status");

-- CreateIndex
CREATE INDEX "NotificationDelivery_findingId_idx" ON "NotificationDelivery"("findingId");

-- CreateIndex
CREATE INDEX "ProcessBaseline_orgId_status_idx" ON "ProcessBaseline"("orgId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessBaseline_workloadId_container_key" ON "ProcessBaseline"("workloadId", "container");

-- CreateIndex
CREATE INDEX "EnforcementAction_orgId_createdAt_idx" ON "EnforcementAction"("orgId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "EnforcementAction_clusterId_status_idx" ON "EnforcementAction"("clusterId", "status");

-- CreateIndex
CREATE INDEX "EnforcementAction_findingId_idx" ON "EnforcementAction"("findingId");

-- CreateIndex
CREATE INDEX "EnforcementAction_workloadId_idx" ON "EnforcementAction"("workloadId");

-- CreateIndex
CREATE UNIQUE INDEX "RuntimeEvent_orgId_eventKey_key" ON "RuntimeEvent"("orgId", "eventKey");

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcessBaseline" ADD CONSTRAINT "ProcessBaseline_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcessBaseline" ADD CONSTRAINT "ProcessBaseline_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnforcementAction" ADD CONSTRAINT "EnforcementAction_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnforcementAction" ADD CONSTRAINT "EnforcementAction_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnforcementAction" ADD CONSTRAINT "EnforcementAction_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnforcementAction" ADD CONSTRAINT "EnforcementAction_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE SET NULL ON UPDATE CASCADE;
