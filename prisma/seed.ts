// Demo seed: `npm run db:seed` (tsx prisma/seed.ts). Idempotent; npm start runs it on every start
// unless BULWARK_SEED=0. Password for every demo user: bulwark-demo, or BULWARK_DEMO_PASSWORD.
// The estate is sent as connector reports through the ingest use cases (see prisma/seed/index.ts).
import { createDb } from "@bulwark/db";
import { DEMO_PASSWORD, seedDemo } from "./seed/index.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (npm start writes it to .env)");
  process.exit(2);
}
const password = process.env.BULWARK_DEMO_PASSWORD || DEMO_PASSWORD;
const started = Date.now();
const db = createDb(url, { max: 4 });
try {
  const summary = await seedDemo(db, { password });
  const counts = await Promise.all([
    db.user.count({ where: { email: { endsWith: "@bulwark.local" } } }),
    db.finding.groupBy({ by: ["type"], where: { org: { slug: { in: summary.orgs.map((o) => o.slug) } } }, _count: { _all: true } }),
  ]);
  for (const o of summary.orgs) {
    const sent = o.reports.posted + o.reports.duplicates;
    console.log(
      `seed: ${o.slug.padEnd(7)} ${o.clusters} cluster(s), ${o.workloads} workloads, ${o.images} images, ${o.findings} findings; ` +
        `${sent} reports through the connector API (${o.reports.posted} new)` +
        (o.usersCreated ? `, ${o.usersCreated} new user(s)` : ""),
    );
    if (o.skipped) console.log(`seed: ${o.slug}: demo reports not sent: ${o.skipped}`);
    if (o.reports.conflicts.length) {
      console.warn(`seed: ${o.slug}: ${o.reports.conflicts.length} demo report(s) differ from the stored ones (bump SEED_VERSION in prisma/seed/reports.ts): ${o.reports.conflicts.slice(0, 3).join(", ")}`);
    }
  }
  const byType = counts[1].map((r) => `${r.type.toLowerCase()} ${r._count._all}`).join(", ");
  console.log(`seed: ${summary.advisories} advisories, ${counts[0]} demo users; findings by type: ${byType}`);
  console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)}s (logins: admin@bulwark.local, analyst@, viewer@, globex-admin@)`);
} catch (err) {
  console.error("seed failed:", err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
