-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "matchedAt" TIMESTAMP(3);
