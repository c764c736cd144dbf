import nodemailer from "nodemailer";
import { type PublicConfig, type ChannelSecrets, type EmailSecrets, type SlackSecrets, type WebhookSecrets } from "./channel-config.ts";
import { postJson } from "./http-post.ts";
import { type AlertPayload } from "./payload.ts";
import { renderEmail, renderSlack, renderWebhook } from "./render.ts";

// One send of one alert to one channel, the same code for queued deliveries and test-sends. Never
// throws for a channel's failure: the result says what happened, in words that carry no secret.

export interface SendableChannel {
  id: string;
  type: "WEBHOOK" | "SLACK" | "EMAIL";
  config: PublicConfig;
  secrets: ChannelSecrets;
}

export interface SendResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code of the accepted message. */
  status: number | null;
  error: string | null;
}

const MAX_ERROR = 300;

/** Error text is shown to admins and stored; whatever a server echoed, the channel's secrets are cut out. */
export function redact(text: string, secrets: ChannelSecrets): string {
  const values: string[] = [];
  for (const v of Object.values(secrets)) {
    if (typeof v === "string") values.push(v);
    else if (v && typeof v === "object") values.push(...Object.values(v as Record<string, string>));
  }
  let out = text;
  for (const v of values) if (v.length >= 4) out = out.split(v).join("[redacted]");
  return out.length > MAX_ERROR ? `${out.slice(0, MAX_ERROR - 1)}…` : out;
}

async function sendEmail(config: Extract<PublicConfig, { host: string }>, secrets: EmailSecrets, payload: AlertPayload, timeoutMs: number): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === "tls",
    requireTLS: config.security === "starttls",
    ignoreTLS: config.security === "none",
    ...(config.username ? { auth: { user: config.username, pass: secrets.password ?? "" } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Message content is ours; nodemailer must never read files or fetch URLs while building it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const mail = renderEmail(payload);
    const info = await transport.sendMail({ from: config.from, to: config.to, subject: mail.subject, text: mail.text, html: mail.html });
    const code = Number(/^(\d{3})/.exec(info.response ?? "")?.[1] ?? 250);
    return { ok: true, status: code, error: null };
  } catch (err) {
    const e = err as { code?: string; responseCode?: number; message?: string };
    const what = e.code ? `SMTP ${e.code}` : "SMTP error";
    return { ok: false, status: e.responseCode ?? null, error: redact(`${what}${e.responseCode ? ` (${e.responseCode})` : ""}: ${e.message ?? "failed"}`, secrets) };
  } finally {
    transport.close();
  }
}

export async function sendToChannel(channel: SendableChannel, payload: AlertPayload, deliveryId: string, opts: { timeoutMs: number; now?: Date }): Promise<SendResult> {
  const now = opts.now ?? new Date();
  switch (channel.type) {
    case "WEBHOOK": {
      const s = channel.secrets as WebhookSecrets;
      const req = renderWebhook(payload, deliveryId, s.secret, now, s.headers);
      const r = await postJson(s.url, req.body, req.headers, { timeoutMs: opts.timeoutMs });
      return { ...r, error: r.error === null ? null : redact(r.error, s) };
    }
    case "SLACK": {
      const s = channel.secrets as SlackSecrets;
      const r = await postJson(s.webhookUrl, JSON.stringify(renderSlack(payload)), { "content-type": "application/json" }, { timeoutMs: opts.timeoutMs });
      return { ...r, error: r.error === null ? null : redact(r.error, s) };
    }
    case "EMAIL":
      return sendEmail(channel.config as Extract<PublicConfig, { host: string }>, channel.secrets as EmailSecrets, payload, opts.timeoutMs);
  }
}
