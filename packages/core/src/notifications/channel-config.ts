import { randomBytes } from "node:crypto";
import { z } from "zod";
import { routingSchema } from "./routing.ts";

// Channel settings as admins write them, split into what may be shown (config: host, port, recipients,
// masked URLs) and what may not (secrets: URLs that carry tokens, the HMAC key, header values, the SMTP
// password). Secrets are encrypted at rest and never leave the API after creation.

export const CHANNEL_TYPES = ["WEBHOOK", "SLACK", "EMAIL"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const MAX_EMAIL_RECIPIENTS = 50;
const MAX_HEADERS = 20;
// Set by Bulwark itself (signature, delivery id) or by the HTTP client; a channel cannot override them.
const RESERVED_HEADERS = new Set(["host", "content-type", "content-length", "connection", "transfer-encoding", "user-agent"]);

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, "Use an http:// or https:// URL");

const headerName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid HTTP header name")
  .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()) && !n.toLowerCase().startsWith("x-bulwark-"), "This header is set by Bulwark");
const headers = z
  .record(headerName, z.string().max(1000).regex(/^[^\r\n]*$/, "Must be one line"))
  .refine((h) => Object.keys(h).length <= MAX_HEADERS, `At most ${MAX_HEADERS} headers`);
const signingSecret = z.string().min(16, "Use at least 16 characters").max(200);

const email = z.string().trim().max(320).pipe(z.email("Not an email address"));

export const webhookConfigSchema = z.strictObject({
  url: httpUrl.meta({ description: "Receives a signed JSON POST per alert" }),
  secret: signingSecret.optional().meta({ description: "HMAC-SHA256 key for X-Bulwark-Signature; generated (and returned once) when omitted" }),
  headers: headers.optional().meta({ description: "Extra request headers, e.g. Authorization (values are stored encrypted)" }),
});

export const slackConfigSchema = z.strictObject({
  webhookUrl: httpUrl.meta({ description: "A Slack (or Slack-compatible) incoming webhook URL" }),
});

const smtpBase = {
  host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, "Not a host name or address"),
  port: z.coerce.number().int().min(1).max(65_535),
  security: z.enum(["tls", "starttls", "none"]).meta({ description: "tls: implicit TLS (usually 465); starttls: upgrade required (usually 587); none: plain (testing only)" }),
  from: email,
  to: z.array(email).min(1, "Add at least one recipient").max(MAX_EMAIL_RECIPIENTS, `At most ${MAX_EMAIL_RECIPIENTS} recipients`),
};

export const emailConfigSchema = z.strictObject({
  ...smtpBase,
  username: z.string().trim().min(1).max(320).optional(),
  password: z.string().min(1).max(1000).optional(),
});

const common = {
  name: z.string().trim().min(1, "Name the channel").max(100),
  routing: routingSchema.default({}),
  enabled: z.boolean().default(true),
};

export const createChannelSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("WEBHOOK"), config: webhookConfigSchema, ...common }),
  z.strictObject({ type: z.literal("SLACK"), config: slackConfigSchema, ...common }),
  z.strictObject({ type: z.literal("EMAIL"), config: emailConfigSchema, ...common }),
]);
export type CreateChannelInput = z.input<typeof createChannelSchema>;

/** PATCH: every field optional; omitted secrets are kept, `null` clears an optional one. */
export const updateChannelSchema = z.strictObject({
  name: common.name.optional(),
  routing: routingSchema.optional(),
  enabled: z.boolean().optional(),
  config: z.record(z.string(), z.unknown()).optional().meta({ description: "The channel type's config fields to change (see the create schemas)" }),
});

const webhookPatch = z.strictObject({
  url: httpUrl.optional(),
  secret: signingSecret.optional(),
  regenerateSecret: z.literal(true).optional().meta({ description: "Generate a new signing secret (returned once)" }),
  headers: headers.optional().meta({ description: "Replaces every extra header" }),
});
const slackPatch = slackConfigSchema.partial();
const emailPatch = z.strictObject({
  host: smtpBase.host.optional(),
  port: smtpBase.port.optional(),
  security: smtpBase.security.optional(),
  from: smtpBase.from.optional(),
  to: smtpBase.to.optional(),
  username: z.string().trim().min(1).max(320).nullable().optional(),
  password: z.string().min(1).max(1000).nullable().optional(),
});

export const CONFIG_PATCH_SCHEMAS = { WEBHOOK: webhookPatch, SLACK: slackPatch, EMAIL: emailPatch } as const;

export interface WebhookSecrets {
  url: string;
  secret: string;
  headers: Record<string, string>;
}
export interface SlackSecrets {
  webhookUrl: string;
}
export interface EmailSecrets {
  password: string | null;
}
export type ChannelSecrets = WebhookSecrets | SlackSecrets | EmailSecrets;

/** What the API shows; nothing in it can be used to send as the channel. */
export type PublicConfig =
  | { url: string; headerNames: string[] }
  | { webhookUrl: string }
  | { host: string; port: number; security: "tls" | "starttls" | "none"; from: string; to: string[]; username: string | null; hasPassword: boolean };

export function generateSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

/** scheme://host[:port]/… — enough to recognise the endpoint, without the path or query that may carry a token. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const rest = u.pathname.length > 1 || u.search !== "" ? "/…" : "/";
    return `${u.protocol}//${u.host}${rest}`;
  } catch {
    return "…";
  }
}

export function splitWebhook(c: { url: string; headers?: Record<string, string> | undefined }, secret: string): { config: PublicConfig; secrets: WebhookSecrets } {
  const hdrs = c.headers ?? {};
  return { config: { url: maskUrl(c.url), headerNames: Object.keys(hdrs).sort() }, secrets: { url: c.url, secret, headers: hdrs } };
}

export function splitSlack(c: { webhookUrl: string }): { config: PublicConfig; secrets: SlackSecrets } {
  return { config: { webhookUrl: maskUrl(c.webhookUrl) }, secrets: { webhookUrl: c.webhookUrl } };
}

export function splitEmail(c: z.output<typeof emailConfigSchema>): { config: PublicConfig; secrets: EmailSecrets } {
  return {
    config: { host: c.host, port: c.port, security: c.security, from: c.from, to: [...new Set(c.to)], username: c.username ?? null, hasPassword: c.password !== undefined },
    secrets: { password: c.password ?? null },
  };
}
