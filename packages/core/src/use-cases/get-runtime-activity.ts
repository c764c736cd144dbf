import { type Db, plainSql } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { withoutEmpty } from "../inventory/page.ts";

export const runtimeActivitySchema = z.object({
  since: z.iso.datetime({ offset: true }).optional().meta({ description: "Also count the aggregates changed after this instant" }),
});

export interface RuntimeActivity {
  /** When a runtime aggregate last changed (new event, new status, suppression); null without any. */
  latest: Date | null;
  /** Runtime aggregates of every status, and the events folded into them. */
  aggregates: number;
  events: number;
  /** Aggregates changed after `since` (null when not asked). */
  changed: number | null;
  /** Changes whenever any of the above does: a live view compares it with the one it was rendered with. */
  signature: string;
}

/**
 * A cheap "has anything changed?" for the Runtime page's live refresh (any member, or a "read" token).
 * One pass over the organization's RUNTIME rows by the (orgId, type, …) index prefix: aggregates are
 * one per rule and place, so this stays small however many events arrive.
 */
export async function getRuntimeActivity(db: Db, ctx: OrgContext, input: unknown = {}): Promise<RuntimeActivity> {
  requireReader(ctx);
  const parsed = runtimeActivitySchema.safeParse(withoutEmpty(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const since = parsed.data.since ? new Date(parsed.data.since).toISOString() : null;
  const [row] = await plainSql(db).$queryRaw<{ latest: Date | null; aggregates: bigint; events: bigint | null; changed: bigint | null }[]>`
    SELECT max(f."updatedAt") AS latest, count(*)::int8 AS aggregates, sum(f.occurrences)::int8 AS events,
      CASE WHEN ${since}::timestamp IS NULL THEN NULL ELSE count(*) FILTER (WHERE f."updatedAt" > ${since}::timestamp) END::int8 AS changed
    FROM "Finding" f WHERE f."orgId" = ${ctx.orgId} AND f.type = 'RUNTIME'::"FindingType"`;
  const latest = row?.latest ?? null;
  const aggregates = Number(row?.aggregates ?? 0);
  const events = Number(row?.events ?? 0);
  return {
    latest,
    aggregates,
    events,
    changed: row?.changed == null ? null : Number(row.changed),
    signature: `${latest?.toISOString() ?? "-"}|${aggregates}|${events}`,
  };
}
