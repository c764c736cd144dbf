import { type Db } from "@bulwark/db";
import {
  AppError,
  INGEST_SCOPE,
  acceptReport,
  authenticateToken,
  createApiTokenForOrg,
  generateApiToken,
  processReport,
  type OrgContext,
} from "@bulwark/core";
import { type SeedReport } from "./reports.ts";

// The seed is a connector like any other: it holds an ingest token of the organization and sends its
// reports through the same use cases the /api/v1 routes call (authenticateToken → acceptReport →
// processReport, as the worker would), so the demo estate is exactly what ingestion makes of real reports.

export const SEED_TOKEN_NAME = "demo-seed";

export type ConnectorSession = { ctx: OrgContext; anchor: Date } | { skipped: string };

/**
 * Signs in with the organization's seed token, creating it on the first run. Only a token's hash is
 * stored, so on later runs the seed gives its own token a fresh secret (same row, nothing added). The
 * token's creation time anchors every report time, which keeps the report bodies identical across runs.
 */
export async function openConnectorSession(db: Db, slug: string, orgId: string): Promise<ConnectorSession> {
  const existing = await db.apiToken.findFirst({ where: { orgId, name: SEED_TOKEN_NAME }, orderBy: { createdAt: "asc" } });
  let raw: string;
  let createdAt: Date;
  if (!existing) {
    if ((await db.workload.count({ where: { orgId } })) > 0) {
      return { skipped: "it already has workloads the demo seed did not send (an older seed?); drop the database (npm start recreates it) for the demo" };
    }
    const created = await createApiTokenForOrg(db, slug, { name: SEED_TOKEN_NAME, scopes: [INGEST_SCOPE] }, "seed");
    raw = created.token;
    createdAt = (await db.apiToken.findUniqueOrThrow({ where: { id: created.id }, select: { createdAt: true } })).createdAt;
  } else if (existing.revokedAt) {
    return { skipped: `its "${SEED_TOKEN_NAME}" token was revoked, so demo reports are not sent again` };
  } else {
    const fresh = generateApiToken();
    await db.apiToken.update({ where: { id: existing.id }, data: { tokenHash: fresh.hash, prefix: fresh.displayPrefix } });
    raw = fresh.token;
    createdAt = existing.createdAt;
  }
  const ctx = await authenticateToken(db, raw, INGEST_SCOPE);
  return { ctx, anchor: new Date(Math.floor(createdAt.getTime() / 60_000) * 60_000) };
}

export interface PostResult {
  /** Reports stored by this run. */
  posted: number;
  /** Reports an earlier run already sent (their Idempotency-Key answered with the stored report). */
  duplicates: number;
  /** Keys an earlier run used for a different body (the seed changed without a SEED_VERSION bump). */
  conflicts: string[];
}

/**
 * Sends the reports in order. Each is processed before the next is sent, except that consecutive Trivy
 * scans are processed together (processReport batches waiting Trivy reports, as the worker does).
 */
export async function postReports(db: Db, ctx: OrgContext, reports: SeedReport[]): Promise<PostResult> {
  const result: PostResult = { posted: 0, duplicates: 0, conflicts: [] };
  const waiting: Array<{ id: string; key: string }> = [];
  const flush = async () => {
    for (const w of waiting.splice(0)) await process(db, w.id, w.key);
  };
  for (const r of reports) {
    if (r.kind !== "TRIVY") await flush();
    let accepted;
    try {
      accepted = await acceptReport(db, null, ctx, { kind: r.kind, subject: r.subject, body: r.body, idempotencyKey: r.key });
    } catch (err) {
      if (err instanceof AppError && err.code === "CONFLICT") {
        result.conflicts.push(r.key);
        continue;
      }
      throw err;
    }
    if (accepted.duplicate) result.duplicates++;
    else result.posted++;
    // Done in an earlier run; a PENDING one is left over from an interrupted run and is finished now.
    if (accepted.status !== "PENDING") continue;
    // The demo replays a connector's past: each report is stamped with the time it would have arrived,
    // which ingestion takes as the time of every sighting (first/last seen, resolved, deleted).
    await db.report.updateMany({ where: { id: accepted.id, status: "PENDING" }, data: { receivedAt: r.at } });
    if (r.kind === "TRIVY") waiting.push({ id: accepted.id, key: r.key });
    else await process(db, accepted.id, r.key);
  }
  await flush();
  return result;
}

async function process(db: Db, id: string, key: string): Promise<void> {
  const res = await processReport(db, id);
  if (res.status === "FAILED") {
    const report = await db.report.findUnique({ where: { id }, select: { error: true } });
    throw new Error(`demo report ${key} failed: ${report?.error ?? "unknown error"}`);
  }
}
