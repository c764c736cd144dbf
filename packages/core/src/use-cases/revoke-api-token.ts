import { type Db } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";

export interface RevokedApiToken {
  id: string;
  name: string;
  revokedAt: Date;
  /** False when the token was already revoked: nothing changed and no audit row was written. */
  changed: boolean;
}

/** Revokes a token at once (ADMIN+). Another organization's token is a 404; revoking twice is a no-op. */
export async function revokeApiToken(db: Db, ctx: OrgContext, id: string): Promise<RevokedApiToken> {
  requireRole(ctx, "ADMIN");
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id, orgId: ctx.orgId }, select: { id: true, name: true, prefix: true, revokedAt: true } });
    if (!token) throw AppError.notFound("API token");
    if (token.revokedAt) return { id: token.id, name: token.name, revokedAt: token.revokedAt, changed: false };
    const revokedAt = new Date();
    // Guarded on revokedAt so two concurrent revokes write one audit row between them.
    const { count } = await tx.apiToken.updateMany({ where: { id: token.id, orgId: ctx.orgId, revokedAt: null }, data: { revokedAt } });
    if (count === 0) {
      const now = await tx.apiToken.findUniqueOrThrow({ where: { id: token.id }, select: { revokedAt: true } });
      return { id: token.id, name: token.name, revokedAt: now.revokedAt ?? revokedAt, changed: false };
    }
    await writeAudit(tx, ctx, { action: "api_token.revoked", targetType: "api_token", targetId: token.id, metadata: { name: token.name, prefix: token.prefix } });
    return { id: token.id, name: token.name, revokedAt, changed: true };
  });
}
