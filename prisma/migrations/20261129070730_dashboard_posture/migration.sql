-- AlterTable
ALTER TABLE "Workload" ADD COLUMN     "evaluatedAt" TIMESTAMP(3),
ADD COLUMN     "nonRoot" BOOLEAN,
ADD COLUMN     "policyResults" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "pssLevel" TEXT,
ADD COLUMN     "readOnlyRootFs" BOOLEAN,
ADD COLUMN     "trustedImages" BOOLEAN;

-- CreateTable
CREATE TABLE "SavedView" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "page" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingTally" (
    "orgId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL DEFAULT '',
    "imageId" TEXT NOT NULL DEFAULT '',
    "type" "FindingType" NOT NULL,
    "severity" "Severity" NOT NULL,
    "fixable" BOOLEAN NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "FindingTally_pkey" PRIMARY KEY ("orgId","clusterId","imageId","type","severity","fixable")
);

-- CreateIndex
CREATE INDEX "SavedView_orgId_page_idx" ON "SavedView"("orgId", "page");

-- CreateIndex
CREATE UNIQUE INDEX "SavedView_orgId_userId_page_name_key" ON "SavedView"("orgId", "userId", "page", "name");

-- CreateIndex
CREATE INDEX "Workload_orgId_deleted_namespaceId_idx" ON "Workload"("orgId", "deleted", "namespaceId");

-- AddForeignKey
ALTER TABLE "SavedView" ADD CONSTRAINT "SavedView_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedView" ADD CONSTRAINT "SavedView_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Keeps "FindingTally" equal to the open findings counted per (org, cluster, image, type, severity,
-- fixable). Statement-level with transition tables, so a bulk statement (ingestion, re-match) pays
-- one aggregate, not one trigger call per row. Upserts go in key order so that two transactions
-- touching the same tally rows wait for each other instead of deadlocking. Rows that reach zero stay
-- until the daily posture snapshot removes them.
CREATE FUNCTION bulwark_finding_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FindingTally" AS t ("orgId", "clusterId", "imageId", type, severity, fixable, n)
    SELECT "orgId", COALESCE("clusterId", ''), COALESCE("imageId", ''), type, severity, fixable, count(*)::int
    FROM new_rows WHERE status = 'OPEN'
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("orgId", "clusterId", "imageId", type, severity, fixable) DO UPDATE SET n = t.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "FindingTally" AS t ("orgId", "clusterId", "imageId", type, severity, fixable, n)
    SELECT "orgId", COALESCE("clusterId", ''), COALESCE("imageId", ''), type, severity, fixable, -count(*)::int
    FROM old_rows WHERE status = 'OPEN'
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("orgId", "clusterId", "imageId", type, severity, fixable) DO UPDATE SET n = t.n + EXCLUDED.n;
  ELSE
    INSERT INTO "FindingTally" AS t ("orgId", "clusterId", "imageId", type, severity, fixable, n)
    SELECT o, c, i, ty, s, f, sum(d)::int FROM (
      SELECT "orgId" AS o, COALESCE("clusterId", '') AS c, COALESCE("imageId", '') AS i, type AS ty, severity AS s, fixable AS f, 1 AS d
      FROM new_rows WHERE status = 'OPEN'
      UNION ALL
      SELECT "orgId", COALESCE("clusterId", ''), COALESCE("imageId", ''), type, severity, fixable, -1
      FROM old_rows WHERE status = 'OPEN'
    ) AS delta
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("orgId", "clusterId", "imageId", type, severity, fixable) DO UPDATE SET n = t.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER finding_tally_insert AFTER INSERT ON "Finding" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bulwark_finding_tally();
CREATE TRIGGER finding_tally_update AFTER UPDATE ON "Finding" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bulwark_finding_tally();
CREATE TRIGGER finding_tally_delete AFTER DELETE ON "Finding" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bulwark_finding_tally();

INSERT INTO "FindingTally" ("orgId", "clusterId", "imageId", type, severity, fixable, n)
SELECT "orgId", COALESCE("clusterId", ''), COALESCE("imageId", ''), type, severity, fixable, count(*)::int
FROM "Finding" WHERE status = 'OPEN' GROUP BY 1, 2, 3, 4, 5, 6;
