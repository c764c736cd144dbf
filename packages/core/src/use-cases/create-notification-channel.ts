import { type Db, type Prisma } from "@bulwark/db";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { newId } from "../ingest/store-findings.ts";
import { createChannelSchema, generateSigningSecret, type PublicConfig, type ChannelSecrets, splitEmail, splitSlack, splitWebhook } from "../notifications/channel-config.ts";
import { sealChannelSecrets } from "../notifications/channel-secrets.ts";
import { type NotificationChannelView, toChannelViews } from "../notifications/channel-view.ts";

export interface SavedChannel {
  channel: NotificationChannelView;
  /** A webhook signing secret Bulwark generated: shown this once, never again. */
  signingSecret: string | null;
}

/** Creates a notification channel (ADMIN+, audited). Secrets are encrypted under `keySecret` and never returned. */
export async function createNotificationChannel(db: Db, ctx: OrgContext, input: unknown, keySecret: string): Promise<SavedChannel> {
  const actor = requireRole(ctx, "ADMIN");
  const parsed = createChannelSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const c = parsed.data;
  let split: { config: PublicConfig; secrets: ChannelSecrets };
  let signingSecret: string | null = null;
  if (c.type === "WEBHOOK") {
    if (c.config.secret === undefined) signingSecret = generateSigningSecret();
    split = splitWebhook(c.config, c.config.secret ?? signingSecret!);
  } else if (c.type === "SLACK") split = splitSlack(c.config);
  else split = splitEmail(c.config);

  // The id is the ciphertext's associated data, so it is chosen before the row is written.
  const id = newId();
  try {
    const row = await db.$transaction(async (tx) => {
      const created = await tx.notificationChannel.create({
        data: {
          id,
          orgId: ctx.orgId,
          name: c.name,
          type: c.type,
          config: split.config as unknown as Prisma.InputJsonValue,
          secrets: sealChannelSecrets(split.secrets, keySecret, id),
          routing: c.routing as Prisma.InputJsonValue,
          enabled: c.enabled,
          createdById: actor.userId,
        },
      });
      await writeAudit(tx, ctx, {
        action: "notification_channel.created",
        targetType: "notification_channel",
        targetId: id,
        metadata: { name: c.name, type: c.type, enabled: c.enabled, routing: c.routing as Prisma.InputJsonValue, config: split.config as unknown as Prisma.InputJsonValue },
      });
      return created;
    });
    const [channel] = await toChannelViews(db, ctx.orgId, [row]);
    return { channel: channel!, signingSecret };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A channel named "${c.name}" already exists`, { fields: [{ path: "name", message: "Already in use" }] });
    throw err;
  }
}
