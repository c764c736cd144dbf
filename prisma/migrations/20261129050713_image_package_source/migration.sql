-- AlterTable
ALTER TABLE "ImagePackage" ADD COLUMN     "srcName" TEXT,
ADD COLUMN     "srcVersion" TEXT;

-- CreateIndex
CREATE INDEX "ImagePackage_srcName_idx" ON "ImagePackage"("srcName") WHERE ("srcName" IS NOT NULL);
