import { type Db } from "@bulwark/db";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { looksLikeApiToken, sha256Hex } from "../crypto/tokens.ts";

const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves a bearer token to its organization and scopes; revoked, expired or unknown tokens are 401. */
export async function authenticateToken(
  db: Db,
  raw: string,
  requiredScope?: string,
  ip?: string | null,
): Promise<OrgContext> {
  if (!looksLikeApiToken(raw)) throw new AppError("UNAUTHENTICATED", "Invalid API token");
  const token = await db.apiToken.findUnique({ where: { tokenHash: sha256Hex(raw) } });
  const now = new Date();
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) {
    throw new AppError("UNAUTHENTICATED", "Invalid API token");
  }
  if (requiredScope && !token.scopes.includes(requiredScope)) {
    throw new AppError("FORBIDDEN", `This token lacks the "${requiredScope}" scope`);
  }
  // Writing on every request would make each call a write; minute resolution is enough for "last used".
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return {
    orgId: token.orgId,
    ip: ip ?? null,
    actor: {
      type: "token",
      tokenId: token.id,
      name: token.name,
      scopes: token.scopes,
      clusterId: token.clusterId,
      registryId: token.registryId,
    },
  };
}
