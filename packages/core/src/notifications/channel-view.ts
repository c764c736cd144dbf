import { type Db, type DbTx, type NotificationChannel } from "@bulwark/db";
import { type ChannelSecrets, type PublicConfig } from "./channel-config.ts";
import { openChannelSecrets } from "./channel-secrets.ts";
import { readRouting, type Routing } from "./routing.ts";
import { type SendableChannel } from "./send.ts";

// A channel as the API and UI see it: settings with secrets masked or absent, routing, and the outcome
// of its latest delivery so a broken channel stands out in the list.

export interface NotificationChannelView {
  id: string;
  name: string;
  type: "WEBHOOK" | "SLACK" | "EMAIL";
  enabled: boolean;
  config: PublicConfig;
  routing: Routing;
  createdAt: Date;
  updatedAt: Date;
  createdBy: { email: string } | null;
  lastDelivery: { status: "PENDING" | "DELIVERED" | "RETRYING" | "DEAD"; at: Date; error: string | null } | null;
}

type Row = Pick<NotificationChannel, "id" | "name" | "type" | "enabled" | "config" | "routing" | "createdAt" | "updatedAt" | "createdById">;

export async function toChannelViews(db: Db | DbTx, orgId: string, rows: Row[]): Promise<NotificationChannelView[]> {
  if (rows.length === 0) return [];
  const authorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const [authors, last] = await Promise.all([
    authorIds.length ? db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, email: true } }) : [],
    // Newest delivery per channel in one statement (DISTINCT ON walks the (channelId, createdAt) index).
    db.$queryRaw<Array<{ channelId: string; status: "PENDING" | "DELIVERED" | "RETRYING" | "DEAD"; updatedAt: Date; lastError: string | null }>>`
      SELECT DISTINCT ON ("channelId") "channelId", status, "updatedAt", "lastError" FROM "NotificationDelivery"
      WHERE "orgId" = ${orgId} AND "channelId" = ANY(${rows.map((r) => r.id)}::text[])
      ORDER BY "channelId", "createdAt" DESC`,
  ]);
  const email = new Map(authors.map((a) => [a.id, a.email]));
  const lastOf = new Map(last.map((l) => [l.channelId, l]));
  return rows.map((r) => {
    const l = lastOf.get(r.id);
    const author = r.createdById ? email.get(r.createdById) : undefined;
    return {
      id: r.id,
      name: r.name,
      type: r.type,
      enabled: r.enabled,
      config: r.config as unknown as PublicConfig,
      routing: readRouting(r.routing) ?? {},
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      createdBy: author ? { email: author } : null,
      lastDelivery: l ? { status: l.status, at: l.updatedAt, error: l.lastError } : null,
    };
  });
}

/** The channel ready to send (secrets decrypted); throws ChannelSecretsError when they cannot be read. */
export function sendable(row: Pick<NotificationChannel, "id" | "type" | "config" | "secrets">, keySecret: string | null): SendableChannel {
  return { id: row.id, type: row.type, config: row.config as unknown as PublicConfig, secrets: openChannelSecrets<ChannelSecrets>(row.secrets, keySecret, row.id) };
}
