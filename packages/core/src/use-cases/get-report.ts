import { type Db } from "@bulwark/db";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";

/** Processing status and counts of one report; readable by the token that sent it and by members. */
export async function getReport(db: Db, ctx: OrgContext, id: string) {
  if (ctx.actor.type === "token" && !ctx.actor.scopes.some((s) => s === "ingest" || s === "read")) {
    throw AppError.forbidden('This token needs the "ingest" or "read" scope');
  }
  const r = await db.report.findFirst({
    where: { id, orgId: ctx.orgId },
    select: { id: true, kind: true, status: true, subject: true, attempts: true, counts: true, error: true, bodyBytes: true, receivedAt: true, startedAt: true, processedAt: true },
  });
  if (!r) throw AppError.notFound("Report");
  return r;
}
