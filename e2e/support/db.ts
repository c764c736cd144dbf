import pg from "pg";
import { E2E_DATABASE_URL } from "./env.ts";

// Specs compute what the UI and API should show straight from the e2e database, so they hold for
// whatever the seed produces rather than for hard-coded numbers.

let pool: pg.Pool | undefined;

export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: E2E_DATABASE_URL, max: 2 });
  return (await pool.query<T>(text, params)).rows;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export async function orgId(slug: string): Promise<string> {
  const rows = await sql<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = $1`, [slug]);
  if (!rows[0]) throw new Error(`organization ${slug} is not in the e2e database; run the seed first`);
  return rows[0].id;
}

export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;

export async function openBySeverity(slug: string): Promise<Record<(typeof SEVERITIES)[number], number>> {
  const rows = await sql<{ severity: string; count: string }>(
    `SELECT severity, count(*) AS count FROM "Finding" WHERE "orgId" = $1 AND status = 'OPEN' GROUP BY severity`,
    [await orgId(slug)],
  );
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<(typeof SEVERITIES)[number], number>;
  for (const r of rows) out[r.severity as (typeof SEVERITIES)[number]] = Number(r.count);
  return out;
}

export async function estateCounts(slug: string): Promise<{ clusters: number; namespaces: number; workloads: number; images: number }> {
  const id = await orgId(slug);
  const [row] = await sql<{ clusters: string; namespaces: string; workloads: string; images: string }>(
    `SELECT
       (SELECT count(*) FROM "Cluster" WHERE "orgId" = $1) AS clusters,
       (SELECT count(*) FROM "Namespace" WHERE "orgId" = $1 AND "deletedAt" IS NULL) AS namespaces,
       (SELECT count(*) FROM "Workload" WHERE "orgId" = $1 AND deleted = false) AS workloads,
       (SELECT count(*) FROM "Image" WHERE "orgId" = $1) AS images`,
    [id],
  );
  return { clusters: Number(row!.clusters), namespaces: Number(row!.namespaces), workloads: Number(row!.workloads), images: Number(row!.images) };
}

export async function firstClusterId(slug: string): Promise<string> {
  const rows = await sql<{ id: string }>(`SELECT id FROM "Cluster" WHERE "orgId" = $1 ORDER BY name LIMIT 1`, [await orgId(slug)]);
  if (!rows[0]) throw new Error(`organization ${slug} has no cluster in the e2e database`);
  return rows[0].id;
}

export async function membershipId(slug: string, email: string): Promise<string> {
  const rows = await sql<{ id: string }>(
    `SELECT m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."orgId" = $1 AND u.email = $2`,
    [await orgId(slug), email],
  );
  if (!rows[0]) throw new Error(`${email} is not a member of ${slug}`);
  return rows[0].id;
}
