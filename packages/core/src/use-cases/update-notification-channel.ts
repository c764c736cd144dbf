import { type Db, type Prisma } from "@bulwark/db";
import { type z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import {
  type ChannelSecrets,
  CONFIG_PATCH_SCHEMAS,
  type EmailSecrets,
  emailConfigSchema,
  generateSigningSecret,
  type PublicConfig,
  type SlackSecrets,
  slackConfigSchema,
  splitEmail,
  splitSlack,
  splitWebhook,
  updateChannelSchema,
  webhookConfigSchema,
  type WebhookSecrets,
} from "../notifications/channel-config.ts";
import { ChannelSecretsError, openChannelSecrets, sealChannelSecrets } from "../notifications/channel-secrets.ts";
import { toChannelViews } from "../notifications/channel-view.ts";
import { type SavedChannel } from "./create-notification-channel.ts";

const invalid = (err: z.ZodError, prefix: string) =>
  new AppError("VALIDATION_FAILED", "The request is invalid", { fields: err.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join("."), message: i.message })) });

/** Stored secrets, or an empty set when they cannot be decrypted (the merged config must then re-supply them). */
function currentSecrets<T extends ChannelSecrets>(stored: Uint8Array | null, keySecret: string, id: string): Partial<T> {
  try {
    return openChannelSecrets<T>(stored, keySecret, id);
  } catch (err) {
    if (err instanceof ChannelSecretsError) return {};
    throw err;
  }
}

type Split = { config: PublicConfig; secrets: ChannelSecrets; signingSecret: string | null };

function mergeConfig(type: "WEBHOOK" | "SLACK" | "EMAIL", patchInput: Record<string, unknown>, config: PublicConfig, stored: Uint8Array | null, keySecret: string, id: string): Split {
  if (type === "WEBHOOK") {
    const p = CONFIG_PATCH_SCHEMAS.WEBHOOK.safeParse(patchInput);
    if (!p.success) throw invalid(p.error, "config");
    const cur = currentSecrets<WebhookSecrets>(stored, keySecret, id);
    const signingSecret = p.data.regenerateSecret ? generateSigningSecret() : null;
    const merged = webhookConfigSchema.safeParse({ url: p.data.url ?? cur.url, secret: signingSecret ?? p.data.secret ?? cur.secret, headers: p.data.headers ?? cur.headers ?? {} });
    if (!merged.success) throw invalid(merged.error, "config");
    // A secret can only be missing here when the stored one is unreadable and none was given.
    if (!merged.data.secret) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "config.secret", message: "The stored secret cannot be decrypted; set a new one or regenerate it" }] });
    return { ...splitWebhook(merged.data, merged.data.secret), signingSecret };
  }
  if (type === "SLACK") {
    const p = CONFIG_PATCH_SCHEMAS.SLACK.safeParse(patchInput);
    if (!p.success) throw invalid(p.error, "config");
    const cur = currentSecrets<SlackSecrets>(stored, keySecret, id);
    const merged = slackConfigSchema.safeParse({ webhookUrl: p.data.webhookUrl ?? cur.webhookUrl });
    if (!merged.success) throw invalid(merged.error, "config");
    return { ...splitSlack(merged.data), signingSecret: null };
  }
  const p = CONFIG_PATCH_SCHEMAS.EMAIL.safeParse(patchInput);
  if (!p.success) throw invalid(p.error, "config");
  const pub = config as Extract<PublicConfig, { host: string }>;
  const cur = currentSecrets<EmailSecrets>(stored, keySecret, id);
  const pick = <T>(v: T | null | undefined, old: T | null | undefined): T | undefined => (v === null ? undefined : (v ?? old ?? undefined));
  const merged = emailConfigSchema.safeParse({
    host: p.data.host ?? pub.host,
    port: p.data.port ?? pub.port,
    security: p.data.security ?? pub.security,
    from: p.data.from ?? pub.from,
    to: p.data.to ?? pub.to,
    username: pick(p.data.username, pub.username),
    password: pick(p.data.password, cur.password),
  });
  if (!merged.success) throw invalid(merged.error, "config");
  return { ...splitEmail(merged.data), signingSecret: null };
}

/**
 * Changes a channel (ADMIN+, audited). Secrets stay unless the patch replaces them; the answer carries
 * a new webhook signing secret only when `config.regenerateSecret` asked for one.
 */
export async function updateNotificationChannel(db: Db, ctx: OrgContext, id: string, input: unknown, keySecret: string): Promise<SavedChannel> {
  requireRole(ctx, "ADMIN");
  const parsed = updateChannelSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const patch = parsed.data;
  const row = await db.notificationChannel.findFirst({ where: { id, orgId: ctx.orgId } });
  if (!row) throw AppError.notFound("Notification channel");
  const split = patch.config ? mergeConfig(row.type, patch.config, row.config as unknown as PublicConfig, row.secrets, keySecret, row.id) : null;

  const changed = [
    ...(patch.name !== undefined && patch.name !== row.name ? ["name"] : []),
    ...(patch.enabled !== undefined && patch.enabled !== row.enabled ? ["enabled"] : []),
    ...(patch.routing !== undefined ? ["routing"] : []),
    ...Object.keys(patch.config ?? {}).map((k) => `config.${k}`),
  ];
  try {
    const updated = await db.$transaction(async (tx) => {
      const next = await tx.notificationChannel.update({
        where: { id: row.id },
        data: {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
          ...(patch.routing !== undefined ? { routing: patch.routing as Prisma.InputJsonValue } : {}),
          ...(split ? { config: split.config as unknown as Prisma.InputJsonValue, secrets: sealChannelSecrets(split.secrets, keySecret, row.id) } : {}),
        },
      });
      // Field names only: the values of secret fields must not reach the audit log.
      await writeAudit(tx, ctx, { action: "notification_channel.updated", targetType: "notification_channel", targetId: row.id, metadata: { name: next.name, changed } });
      return next;
    });
    const [channel] = await toChannelViews(db, ctx.orgId, [updated]);
    return { channel: channel!, signingSecret: split?.signingSecret ?? null };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A channel named "${patch.name ?? ""}" already exists`, { fields: [{ path: "name", message: "Already in use" }] });
    throw err;
  }
}
