import { type Db, type DbTx, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { writeAudit, writeSystemAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { generateApiToken, TOKEN_SCOPES } from "../crypto/tokens.ts";

export const createApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).transform((s) => [...new Set(s)]),
  clusterName: z.string().trim().min(1).max(253).optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

export interface CreatedApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  /** The clear token: returned once, stored only as its SHA-256. */
  token: string;
}

async function insertToken(db: Db, orgId: string, input: CreateApiTokenInput, createdById: string | null, audit: (tx: DbTx, id: string, meta: Prisma.InputJsonObject) => Promise<void>): Promise<CreatedApiToken> {
  const parsed = createApiTokenSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { name, scopes, clusterName, expiresInDays } = parsed.data;
  const { token, hash, displayPrefix } = generateApiToken();
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
  return db.$transaction(async (tx) => {
    const cluster = clusterName
      ? await tx.cluster.upsert({ where: { orgId_name: { orgId, name: clusterName } }, create: { orgId, name: clusterName }, update: {} })
      : null;
    const row = await tx.apiToken.create({
      data: { orgId, name, prefix: displayPrefix, tokenHash: hash, scopes, clusterId: cluster?.id ?? null, createdById, expiresAt },
    });
    await audit(tx, row.id, { name, scopes, prefix: displayPrefix, cluster: clusterName ?? null });
    return { id: row.id, name, prefix: displayPrefix, scopes, expiresAt, token };
  });
}

/** From the UI or API, by an ADMIN or OWNER. */
export async function createApiToken(db: Db, ctx: OrgContext, input: CreateApiTokenInput): Promise<CreatedApiToken> {
  const actor = requireRole(ctx, "ADMIN");
  return insertToken(db, ctx.orgId, input, actor.userId, (tx, id, metadata) =>
    writeAudit(tx, ctx, { action: "api_token.created", targetType: "api_token", targetId: id, metadata }),
  );
}

/** From the admin CLI, which runs with database access and no signed-in user. */
export async function createApiTokenForOrg(db: Db, orgSlug: string, input: CreateApiTokenInput, by = "cli"): Promise<CreatedApiToken & { orgId: string }> {
  const org = await db.organization.findUnique({ where: { slug: orgSlug } });
  if (!org) throw AppError.notFound(`Organization "${orgSlug}"`);
  const created = await insertToken(db, org.id, input, null, (tx, id, metadata) =>
    writeSystemAudit(tx, org.id, by, { action: "api_token.created", targetType: "api_token", targetId: id, metadata }),
  );
  return { ...created, orgId: org.id };
}
