import { type Db, plainSql, Prisma } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { decodeCursor, encodeCursor, withoutEmpty } from "../inventory/page.ts";
import { BASELINE_SOURCE } from "../runtime/baseline-view.ts";

export const listRuntimeEventsSchema = z.object({
  cursor: z.string().min(1).max(500).optional().meta({ description: "nextCursor of the previous page (older events)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface RuntimeEventItem {
  id: string;
  time: Date;
  receivedAt: Date;
  rule: string;
  /** Falco priority as sent (Critical, Warning, Notice, …). */
  priority: string;
  /** Falco event source: syscall, k8s_audit, … */
  source: string;
  namespace: string | null;
  pod: string | null;
  container: string | null;
  process: string | null;
  output: string;
  /** The event's raw output_fields. */
  fields: unknown;
  tags: string[];
}

/**
 * The raw events behind one runtime aggregate, newest first, keyset-paged (any member, or a "read"
 * token). Another organization's finding, or one that is not a runtime finding, is a 404.
 */
export async function listRuntimeEvents(db: Db, ctx: OrgContext, findingId: string, input: unknown = {}): Promise<{ items: RuntimeEventItem[]; nextCursor: string | null }> {
  requireReader(ctx);
  const parsed = listRuntimeEventsSchema.safeParse(withoutEmpty(input));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { cursor, limit } = parsed.data;
  const owned =
    typeof findingId === "string" && findingId.length <= 100
      ? await db.finding.findFirst({ where: { id: findingId, orgId: ctx.orgId, type: "RUNTIME" }, select: { id: true, source: true, workloadId: true, evidence: true } })
      : null;
  if (!owned) throw AppError.notFound("Runtime finding");
  // A baseline anomaly aggregates no events of its own: its events are the workload's runs of the
  // process (stored under the Falco aggregates they also belong to).
  const anomaly = owned.source === BASELINE_SOURCE ? anomalyKey(owned.workloadId, owned.evidence) : null;
  const which = anomaly
    ? Prisma.sql`e."workloadId" = ${anomaly.workloadId} AND e.process = ${anomaly.process} ${anomaly.container ? Prisma.sql`AND e.container = ${anomaly.container}` : Prisma.empty}`
    : Prisma.sql`e."findingId" = ${owned.id}`;
  let after = Prisma.empty;
  if (cursor) {
    const [t, id] = decodeCursor(cursor, "string");
    if (Number.isNaN(Date.parse(String(t)))) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "cursor", message: "Unknown cursor" }] });
    after = Prisma.sql`AND (e.time, e.id) < (${String(t)}::timestamp, ${id}::text)`;
  }
  // (findingId, time DESC, id DESC) and (workloadId, time DESC) serve these in order: a page of a noisy
  // aggregate reads `limit` rows, however many events it has.
  const rows = await plainSql(db).$queryRaw<RuntimeEventItem[]>`
    SELECT e.id, e.time, e."receivedAt", e.rule, e.priority, e.source, e.namespace, e.pod, e.container, e.process, e.output, e.fields, e.tags
    FROM "RuntimeEvent" e
    WHERE ${which} AND e."orgId" = ${ctx.orgId} ${after}
    ORDER BY e.time DESC, e.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: last && rows.length > limit ? encodeCursor(last.time.toISOString(), last.id) : null };
}

function anomalyKey(workloadId: string | null, evidence: unknown): { workloadId: string; process: string; container: string | null } | null {
  const e = evidence && typeof evidence === "object" ? (evidence as Record<string, unknown>) : {};
  if (!workloadId || typeof e.process !== "string") return null;
  return { workloadId, process: e.process, container: typeof e.container === "string" && e.container !== "" ? e.container : null };
}
